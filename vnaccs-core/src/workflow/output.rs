//! The output documents: what a job ends with, and each event of a job, as JSON with
//! `schema_version`.

use schemars::JsonSchema;
use serde::Serialize;

use super::outcome::UpdateOutcome;
use super::plan::Plan;
use super::progress::Progress;
use super::request::SCHEMA_VERSION;
use super::step::Step;
use crate::Error;
use crate::portal::RegistrationResult;
use crate::records::PasswordChangeOutcome;
use crate::token::PinTries;

/// What a job produced, by operation: `"output"` names which (a name the outputs' own fields,
/// such as a password outcome's `kind`, never take).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "output", rename_all = "snake_case")]
pub enum Output {
    /// The plan (`plan`).
    Plan(Plan),
    /// The update's outcome (`update`, `resume`).
    Outcome(UpdateOutcome),
    /// The registration result (`result`).
    Result(RegistrationResult),
    /// The password set (`change_password`).
    PasswordOutcome(PasswordChangeOutcome),
    /// The portal mailed a new admin password (`forgot_password`).
    ForgotPassword,
}

/// One event of a job, as [`Job::next_event`](super::Job::next_event) gives it.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Something happened while the job runs.
    Progress {
        /// The step it belongs to, when it names one.
        #[serde(skip_serializing_if = "Option::is_none")]
        step: Option<Step>,
        /// What happened, in English.
        message: String,
        /// What happened, in Vietnamese.
        message_vi: String,
        /// The event itself.
        progress: Progress,
    },
    /// The job waits for the captcha's answer: [`Job::provide_captcha`](super::Job::provide_captcha).
    NeedCaptcha {
        /// The image, PNG (base64 in JSON).
        #[serde(serialize_with = "base64")]
        #[schemars(with = "String")]
        image_png: Vec<u8>,
        /// 1 for the first image, 2 after a wrong answer, …
        attempt: u32,
    },
    /// The job waits for a token's PIN: [`Job::provide_pin`](super::Job::provide_pin).
    NeedPin {
        /// The token's label.
        token_label: String,
        /// What the token says about the tries left.
        tries: PinTries,
    },
    /// The job ended with its output; no event follows.
    Finished {
        /// The output.
        output: Box<Output>,
    },
    /// The job failed ([`Cancelled`](crate::workflow::WorkflowError::Cancelled) when cancelled); no event follows.
    Failed {
        /// Why.
        error: Error,
    },
}

impl Event {
    /// The event of `progress`, with its step and messages.
    pub fn progress(progress: &Progress) -> Event {
        Event::Progress {
            step: progress.step(),
            message: progress.message_en(),
            message_vi: progress.message_vi(),
            progress: progress.clone(),
        }
    }

    /// Whether this is the job's last event.
    pub fn is_final(&self) -> bool {
        matches!(self, Event::Finished { .. } | Event::Failed { .. })
    }
}

/// An output document: a value with the [`SCHEMA_VERSION`] it is written in.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Document<T> {
    /// The version of the document's schema.
    pub schema_version: u32,
    /// The value, its fields beside `schema_version`.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Document<T> {
    /// `body` as a document of the current [`SCHEMA_VERSION`].
    pub fn new(body: T) -> Self {
        Document {
            schema_version: SCHEMA_VERSION,
            body,
        }
    }
}

/// Bytes as standard base64.
fn base64<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    use base64ct::Encoding;
    s.serialize_str(&base64ct::Base64::encode_string(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::PasswordChangeKind;

    #[test]
    fn an_output_names_itself_apart_from_its_own_fields() {
        let outcome = PasswordChangeOutcome::new(
            "V2060001".parse().unwrap(),
            PasswordChangeKind::Changed,
            crate::fixtures::test_instant(),
        );
        let json = serde_json::to_value(Document::new(Output::PasswordOutcome(outcome))).unwrap();
        assert_eq!(json["output"], "password_outcome");
        assert_eq!(json["kind"], "changed");
        assert_eq!(json["schema_version"], SCHEMA_VERSION);
    }
}

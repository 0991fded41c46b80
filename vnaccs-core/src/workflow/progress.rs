//! Progress events, reported to the caller's callback as the update runs.

use serde::{Deserialize, Serialize};

use super::step::Step;
use crate::ids::UserId;

/// One thing that happened while the update runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    /// A step starts.
    StepStarted {
        /// The step.
        step: Step,
    },
    /// A step had been completed by an earlier run: it is not repeated.
    StepAlreadyDone {
        /// The step.
        step: Step,
    },
    /// A declarant user now points at the new certificate.
    DeclarantMoved {
        /// The user's code, when issued.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_code: Option<UserId>,
        /// The user's name.
        full_name: String,
    },
    /// The registration record to send was found in OE4001.
    RecordFound {
        /// Its number.
        number: String,
    },
    /// A step is complete and the state saved.
    StepFinished {
        /// The step.
        step: Step,
        /// How long it took, in milliseconds.
        elapsed_ms: u64,
        /// How many HTTP requests it made.
        requests: u64,
    },
}

impl Progress {
    /// The step the event belongs to, when it names one.
    pub fn step(&self) -> Option<Step> {
        match self {
            Progress::StepStarted { step }
            | Progress::StepAlreadyDone { step }
            | Progress::StepFinished { step, .. } => Some(*step),
            Progress::DeclarantMoved { .. } => Some(Step::UpdateDeclarants),
            Progress::RecordFound { .. } => Some(Step::SendRegistration),
        }
    }

    /// What happened, in English, for a person following the update.
    pub fn message_en(&self) -> String {
        match self {
            Progress::StepStarted { step } => format!("step {step} started"),
            Progress::StepAlreadyDone { step } => {
                format!("step {step} was done by an earlier run")
            }
            Progress::DeclarantMoved { full_name, .. } => {
                format!("declarant {full_name} now uses the new certificate")
            }
            Progress::RecordFound { number } => format!("registration record {number} found"),
            Progress::StepFinished {
                step,
                elapsed_ms,
                requests,
            } => format!("step {step} done in {elapsed_ms} ms, {requests} requests"),
        }
    }

    /// What happened, in Vietnamese.
    pub fn message_vi(&self) -> String {
        let name = |step: &Step| format!("bước {} ({})", step.letter(), step.describe_vi());
        match self {
            Progress::StepStarted { step } => format!("Bắt đầu {}", name(step)),
            Progress::StepAlreadyDone { step } => {
                format!("{} đã hoàn thành ở lần chạy trước", name(step))
            }
            Progress::DeclarantMoved { full_name, .. } => {
                format!("Người khai hải quan {full_name} đã dùng chứng thư số mới")
            }
            Progress::RecordFound { number } => format!("Đã tìm thấy bản khai số {number}"),
            Progress::StepFinished {
                step,
                elapsed_ms,
                requests,
            } => format!(
                "Hoàn thành {} trong {elapsed_ms} mili giây, {requests} lượt gửi yêu cầu",
                name(step)
            ),
        }
    }
}

/// The caller's progress callback.
pub type ProgressCallback = Box<dyn FnMut(&Progress) + Send>;

//! The saved state of an update: what is done, so that `resume` continues where a run stopped.
//! JSON, written atomically after each completed step (see `state_file`); it never holds a
//! secret.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::outcome::{DeclarantMove, Skipped};
use super::step::Step;
use crate::ids::{CertificateSerial, TaxCode};
use crate::records::{CertificateRegistration, RegistrationRecord};
use crate::workflow::WorkflowError;
use crate::{Error, Result};

/// The version of the state format this library writes and reads.
pub const STATE_VERSION: u32 = 1;

/// What an update has done so far. Holds no password, PIN or key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct UpdateState {
    /// The format version, [`STATE_VERSION`].
    pub version: u32,
    /// The enterprise's tax code.
    pub tax_code: TaxCode,
    /// The serial of the certificate being registered.
    pub new_serial: CertificateSerial,
    /// The serial of the certificate registered until now, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_serial: Option<CertificateSerial>,
    /// The steps completed, in order.
    pub completed: Vec<Step>,
    /// The step whose state-changing post was sent (noted just before posting) but which has not
    /// completed: the portal may have processed it, so a resume reads the portal back before
    /// posting it again (step A: step B's first post tells whether the certificate is
    /// registered; step B: the admin account's certificate after login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<Step>,
    /// The registration step A made (noted just before it was posted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<CertificateRegistration>,
    /// The declarant users step C moves, fixed when step C first listed them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declarants: Option<Vec<DeclarantMove>>,
    /// The registration record step D sends: noted as OE4001 listed it before sending, then as
    /// sent (status, the portal's sent time, the office).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<RegistrationRecord>,
    /// What was left out so far.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
}

impl UpdateState {
    /// The state of an update that has not done anything yet.
    pub fn new(
        tax_code: TaxCode,
        new_serial: CertificateSerial,
        old_serial: Option<CertificateSerial>,
    ) -> Self {
        UpdateState {
            version: STATE_VERSION,
            tax_code,
            new_serial,
            old_serial,
            completed: Vec::new(),
            unconfirmed: None,
            registration: None,
            declarants: None,
            record: None,
            skipped: Vec::new(),
        }
    }

    /// Whether `step` is complete.
    pub fn is_done(&self, step: Step) -> bool {
        self.completed.contains(&step)
    }

    /// The last step completed, if any.
    pub fn last_completed(&self) -> Option<Step> {
        self.completed.iter().max().copied()
    }

    /// The first step of the run still to do; `None` when the update is complete.
    pub fn next_step(&self) -> Option<Step> {
        Step::RUN.into_iter().find(|s| !self.is_done(*s))
    }

    /// Marks `step` complete (and so no longer unconfirmed).
    pub fn complete(&mut self, step: Step) {
        if !self.is_done(step) {
            self.completed.push(step);
        }
        if self.unconfirmed == Some(step) {
            self.unconfirmed = None;
        }
    }

    /// The state as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the state serialises")
    }

    /// Reads a state from JSON, checking its version.
    pub fn from_json(json: &str) -> Result<Self> {
        let state: UpdateState = serde_json::from_str(json).map_err(|e| {
            Error::Workflow(WorkflowError::InvalidWorkflowState {
                reason: e.to_string(),
            })
        })?;
        if state.version != STATE_VERSION {
            return Err(Error::Workflow(WorkflowError::InvalidWorkflowState {
                reason: format!(
                    "format version {} (this library reads {STATE_VERSION})",
                    state.version
                ),
            }));
        }
        super::state_file::check_dates(&state)?;
        Ok(state)
    }

    /// Reads the state file at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let json = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Self::from_json(&json)
    }

    /// Writes the state to `path` atomically and owner-only: a new temporary file in the same
    /// folder (never written through a symlink), flushed to disk, then renamed over `path`. A
    /// crash leaves either the old state or the new one.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut json = self.to_json();
        json.push('\n');
        crate::files::write_atomically(path, json.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{CertificateRef, RegistrationKind, RegistrationStatus};
    use chrono::NaiveDate;

    fn state() -> UpdateState {
        let mut s = UpdateState::new(
            "0302345459".parse().unwrap(),
            "5404287E6CC0BC4DA008B43C710C0D5A".parse().unwrap(),
            Some("0A".parse().unwrap()),
        );
        s.complete(Step::RegisterCertificate);
        s.registration = Some(CertificateRegistration {
            tax_code: s.tax_code.clone(),
            representative_id: "001085012345".parse().unwrap(),
            certificate: CertificateRef {
                serial: s.new_serial.clone(),
                subject: "CN=CÔNG TY".into(),
                issuer: "CN=VNPT".into(),
                not_before: "2026-11-01T00:00:00Z".parse().unwrap(),
                not_after: "2029-11-01T00:00:00Z".parse().unwrap(),
            },
            valid_from: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2029, 11, 1).unwrap(),
        });
        s.declarants = Some(vec![DeclarantMove {
            user_code: Some("V2060001".parse().unwrap()),
            full_name: "Lê Văn Cường".into(),
            id_number: "079203001234".parse().unwrap(),
            from_serial: "0A".parse().unwrap(),
            moved: false,
        }]);
        s
    }

    #[test]
    fn steps_in_order() {
        let mut s = state();
        assert_eq!(s.last_completed(), Some(Step::RegisterCertificate));
        assert_eq!(s.next_step(), Some(Step::UpdateAdminAccount));
        s.unconfirmed = Some(Step::UpdateAdminAccount);
        s.complete(Step::RegisterCertificate);
        assert_eq!(s.unconfirmed, Some(Step::UpdateAdminAccount));
        s.complete(Step::UpdateAdminAccount);
        assert_eq!(s.unconfirmed, None, "a completed step is confirmed");
        for step in Step::RUN {
            s.complete(step);
            s.complete(step);
        }
        assert_eq!(s.completed, Step::RUN.to_vec());
        assert_eq!(s.next_step(), None);
    }

    #[test]
    fn saved_atomically_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("update.json");
        let mut s = state();
        s.save(&path).unwrap();
        assert_eq!(UpdateState::load(&path).unwrap(), s);
        s.complete(Step::UpdateAdminAccount);
        s.record = Some(RegistrationRecord {
            number: "100000001".into(),
            tax_code: s.tax_code.clone(),
            kind: RegistrationKind::AmendmentAfterApproval,
            status: RegistrationStatus::DataEntry,
            sent_at: None,
            office: None,
            reason: None,
        });
        s.save(&path).unwrap();
        assert_eq!(UpdateState::load(&path).unwrap(), s);
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file is left behind");
        let json = std::fs::read_to_string(&path).unwrap();
        assert!(json.contains(r#""completed": ["#), "{json}");
        assert!(json.contains("\"register_certificate\""));
        assert!(!json.to_lowercase().contains("password"));
    }

    #[test]
    fn bad_states_are_typed_errors() {
        let e = UpdateState::from_json("{").unwrap_err();
        assert_eq!(e.code(), "invalid_workflow_state");
        let mut s = state();
        s.version = 99;
        let e = UpdateState::from_json(&s.to_json()).unwrap_err();
        assert!(e.to_string().contains("version 99"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = UpdateState::load(&dir.path().join("missing.json")).unwrap_err();
        assert_eq!(e.code(), "io_error");
        let e = state()
            .save(&dir.path().join("no-such-folder").join("s.json"))
            .unwrap_err();
        assert_eq!(e.code(), "io_error");
    }
}

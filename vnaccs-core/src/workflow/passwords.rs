//! The passwords this library set (step F): when, per User ID, so that a password met again as
//! "the current one" within its first 24 hours is not reported usable at once. A small JSON
//! record next to the update's state; it never holds a password.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{UserId, UserIdPassword};
use crate::portal::PortalClient;
use crate::records::{PasswordChangeKind, PasswordChangeOutcome};
use crate::workflow::WorkflowError;
use crate::{Error, Result};

/// When a password this library set was set, and when it becomes usable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PasswordSet {
    /// The portal's answer to the change.
    pub set_at: DateTime<Utc>,
    /// 24 hours later.
    pub usable_from: DateTime<Utc>,
}

/// The passwords this library set, by User ID (no password, only instants).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PasswordRecord {
    /// The latest change per User ID.
    pub users: BTreeMap<UserId, PasswordSet>,
}

impl PasswordRecord {
    /// The record file next to an update's state file: `<state>.passwords.json`.
    pub fn beside(state_file: &Path) -> PathBuf {
        let mut name = state_file.file_name().unwrap_or_default().to_os_string();
        name.push(".passwords.json");
        state_file.with_file_name(name)
    }

    /// Reads the record at `path`; an absent file is an empty record.
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(json) => serde_json::from_str(&json).map_err(|e| {
                Error::Workflow(WorkflowError::InvalidWorkflowState {
                    reason: format!("{}: {e}", path.display()),
                })
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::io(path, &e)),
        }
    }

    /// Writes the record to `path`: owner-only, atomically (as the state file).
    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).unwrap_or_default();
        crate::files::write_atomically(path, (json + "\n").as_bytes())
    }

    /// Notes a change, or corrects an outcome "same as the current one": when this library set
    /// that User ID's password less than 24 hours before, the password is usable only from its
    /// own usable-from. Returns the outcome to report and whether the record changed.
    pub fn apply(&mut self, mut outcome: PasswordChangeOutcome) -> (PasswordChangeOutcome, bool) {
        match outcome.kind {
            PasswordChangeKind::Changed => {
                self.users.insert(
                    outcome.user_id.clone(),
                    PasswordSet {
                        set_at: outcome.answered_at,
                        usable_from: outcome.usable_from,
                    },
                );
                (outcome, true)
            }
            PasswordChangeKind::SameAsOld => {
                if let Some(set) = self.users.get(&outcome.user_id)
                    && set.usable_from > outcome.usable_from
                {
                    outcome.usable_from = set.usable_from;
                }
                (outcome, false)
            }
        }
    }
}

/// Step F through `client`, with the record kept at `path` (in memory in `record` without one).
pub(super) fn change_password(
    client: &PortalClient,
    record: &mut Option<PasswordRecord>,
    path: Option<&Path>,
    user_id: &UserId,
    password: &UserIdPassword,
) -> Result<PasswordChangeOutcome> {
    let outcome = client.change_password(user_id, password)?;
    let mut current = match (record.take(), path) {
        (Some(kept), _) => kept,
        (None, Some(path)) => PasswordRecord::load(path)?,
        (None, None) => PasswordRecord::default(),
    };
    let (outcome, changed) = current.apply(outcome);
    let saved = match (changed, path) {
        (true, Some(path)) => current.save(path),
        _ => Ok(()),
    };
    *record = Some(current);
    saved.map(|()| outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_set_less_than_a_day_ago_keeps_its_usable_from() {
        let user: UserId = "V2060001".parse().unwrap();
        let t0: DateTime<Utc> = "2026-11-22T03:00:00Z".parse().unwrap();
        let mut record = PasswordRecord::default();
        let (changed, noted) = record.apply(PasswordChangeOutcome::new(
            user.clone(),
            PasswordChangeKind::Changed,
            t0,
        ));
        assert!(noted);
        let later = t0 + chrono::Duration::hours(2);
        let (same, noted) = record.apply(PasswordChangeOutcome::new(
            user.clone(),
            PasswordChangeKind::SameAsOld,
            later,
        ));
        assert!(!noted);
        assert_eq!(same.usable_from, changed.usable_from);
        // After its 24 hours, "same as old" is usable at once.
        let next_day = t0 + chrono::Duration::hours(30);
        let (same, _) = record.apply(PasswordChangeOutcome::new(
            user,
            PasswordChangeKind::SameAsOld,
            next_day,
        ));
        assert_eq!(same.usable_from, next_day);

        let dir = tempfile::tempdir().unwrap();
        let path = PasswordRecord::beside(&dir.path().join("update.json"));
        assert!(path.ends_with("update.json.passwords.json"));
        assert_eq!(
            PasswordRecord::load(&path).unwrap(),
            PasswordRecord::default()
        );
        record.save(&path).unwrap();
        assert_eq!(PasswordRecord::load(&path).unwrap(), record);
        let json = std::fs::read_to_string(&path).unwrap();
        assert!(
            json.contains("V2060001") && json.contains("usable_from"),
            "{json}"
        );
    }
}

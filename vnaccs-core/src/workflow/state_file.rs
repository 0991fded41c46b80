//! The state file on disk: written owner-only through an exclusive temporary file (a symlink in
//! its place is never followed) and renamed atomically; locked while an update uses it, so a
//! second run on the same file stops instead of racing; and its default place, per enterprise,
//! under the user's state folder.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::outcome::UpdateOutcome;
use super::state::UpdateState;
use super::update::CertificateUpdate;
use crate::dates::{check_date, check_time};
use crate::files::{folder, owner_only, sibling};
use crate::ids::{CertificateSerial, TaxCode};
use crate::workflow::WorkflowError;
use crate::{Error, Result};

/// The lock of a state file, held while an update uses it: a `.<name>.lock` file beside it
/// (never renamed, so the lock survives the state file's atomic replacement). Released when
/// dropped, or when the process ends however it ends.
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

impl StateLock {
    /// Locks the state file at `path` for this process; [`WorkflowError::WorkflowStateLocked`] when
    /// another run (in this process or another) holds it.
    pub fn acquire(path: &Path) -> Result<StateLock> {
        let lock_path = sibling(path, "lock");
        let file = owner_only()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, &e))?;
        match file.try_lock() {
            Ok(()) => Ok(StateLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(Error::Workflow(WorkflowError::WorkflowStateLocked {
                    path: path.display().to_string(),
                }))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&lock_path, &e)),
        }
    }
}

/// An invalid-state error unless every date of `state` falls in the years of
/// [`crate::dates::YEARS`].
pub(crate) fn check_dates(state: &UpdateState) -> Result<()> {
    let invalid = |e: Error| {
        Error::Workflow(WorkflowError::InvalidWorkflowState {
            reason: e.message_en(),
        })
    };
    if let Some(registration) = &state.registration {
        check_date("registration.valid_from", registration.valid_from).map_err(invalid)?;
        check_date("registration.valid_to", registration.valid_to).map_err(invalid)?;
    }
    if let Some(sent_at) = state.record.as_ref().and_then(|r| r.sent_at) {
        check_time("record.sent_at", sent_at).map_err(invalid)?;
    }
    Ok(())
}

/// Where an update's state is kept when the caller names no file: `<tax code>/<new certificate
/// serial>.json` in the user's state folder for vnaccs — `$XDG_STATE_HOME/vnaccs` (default
/// `~/.local/state/vnaccs`) on Linux and other Unix systems, `%LOCALAPPDATA%\vnaccs` on Windows,
/// `~/Library/Application Support/vnaccs` on macOS. `None` when the environment names no home.
pub fn default_state_file(tax_code: &TaxCode, new_serial: &CertificateSerial) -> Option<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = if cfg!(windows) {
        absolute("LOCALAPPDATA")?
    } else if cfg!(target_os = "macos") {
        absolute("HOME")?.join("Library/Application Support")
    } else {
        absolute("XDG_STATE_HOME").or_else(|| Some(absolute("HOME")?.join(".local/state")))?
    };
    Some(
        base.join("vnaccs")
            .join(tax_code.as_str())
            .join(format!("{new_serial}.json")),
    )
}

impl CertificateUpdate {
    /// Runs the update, or resumes it from the state file at `path` when one exists, holding the
    /// file's [`StateLock`] from before it is read until the run ends: a second run on the same
    /// file, in this process or another, stops with [`WorkflowError::WorkflowStateLocked`] and
    /// sends nothing. The state is saved to `path` after each completed step; its folder is created
    /// (owner-only) when missing.
    pub fn run_with_state_file(&mut self, path: &Path) -> Result<UpdateOutcome> {
        self.state_file = Some(path.to_owned());
        self.run_from(Start::StateFile)
    }

    /// Locks the state file, when one is set, creating its folder: every run with a state file
    /// holds its [`StateLock`] from before the file is read until the run ends.
    pub(super) fn lock_state_file(&self) -> Result<Option<StateLock>> {
        match &self.state_file {
            Some(path) => {
                create_folder(folder(path))?;
                StateLock::acquire(path).map(Some)
            }
            None => Ok(None),
        }
    }
}

/// Where a run starts.
pub(super) enum Start {
    /// From the beginning.
    Fresh,
    /// From a state the caller gives.
    From(Box<UpdateState>),
    /// From the state file when it exists, else from the beginning.
    StateFile,
}

impl Start {
    /// The state to continue from, read (for [`Start::StateFile`]) under the lock.
    pub(super) fn saved(self, path: Option<&Path>) -> Result<Option<UpdateState>> {
        match (self, path) {
            (Start::From(state), _) => Ok(Some(*state)),
            (Start::StateFile, Some(path)) if path.exists() => UpdateState::load(path).map(Some),
            _ => Ok(None),
        }
    }
}

/// Creates `dir` and its missing parents, owner-only on Unix.
fn create_folder(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io(dir, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_file_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("update.json");
        let first = StateLock::acquire(&path).unwrap();
        let err = StateLock::acquire(&path).unwrap_err();
        assert_eq!(err.code(), "workflow_state_locked");
        assert!(err.to_string().contains("update.json"), "{err}");
        // Another file is not locked.
        StateLock::acquire(&dir.path().join("other.json")).unwrap();
        drop(first);
        StateLock::acquire(&path).unwrap();
    }

    #[test]
    fn the_default_place_is_per_enterprise_and_certificate() {
        let tax: TaxCode = "0302345459".parse().unwrap();
        let serial: CertificateSerial = "5404287E6CC0BC4DA008B43C710C0D5A".parse().unwrap();
        let path = default_state_file(&tax, &serial).unwrap();
        assert!(path.is_absolute(), "{}", path.display());
        assert!(
            path.ends_with("vnaccs/0302345459/5404287E6CC0BC4DA008B43C710C0D5A.json"),
            "{}",
            path.display()
        );
    }
}

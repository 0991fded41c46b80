//! The update itself: inputs, key source, callbacks, and the plan.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::inputs::UpdateInputs;
use super::keys::KeySource;
use super::plan::{Plan, make_plan};
use super::progress::ProgressCallback;
use crate::Result;

/// A certificate update of one enterprise.
pub struct CertificateUpdate {
    inputs: UpdateInputs,
    keys: KeySource,
    progress: Option<ProgressCallback>,
    state_file: Option<PathBuf>,
}

impl std::fmt::Debug for CertificateUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateUpdate")
            .field("inputs", &self.inputs)
            .field("keys", &self.keys)
            .field("state_file", &self.state_file)
            .finish_non_exhaustive()
    }
}

impl CertificateUpdate {
    /// An update of `inputs` with the certificates and keys of `keys`.
    pub fn new(inputs: UpdateInputs, keys: KeySource) -> Self {
        CertificateUpdate {
            inputs,
            keys,
            progress: None,
            state_file: None,
        }
    }

    /// Reports progress to `callback`.
    pub fn on_progress(mut self, callback: ProgressCallback) -> Self {
        self.progress = Some(callback);
        self
    }

    /// Saves the state to `path` after each completed step (atomically).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// The inputs.
    pub fn inputs(&self) -> &UpdateInputs {
        &self.inputs
    }

    /// Plans the update as of `now`, offline: chooses the certificate (and says which others were
    /// passed over), checks its tax code, says what changed from the old certificate when known,
    /// which steps will run, and the warnings of domain.md §5. Sends no request.
    pub fn plan(&self, now: DateTime<Utc>) -> Result<Plan> {
        let certificates = self.keys.certificates()?;
        make_plan(&self.inputs, &certificates, now).map(|(plan, _)| plan)
    }
}

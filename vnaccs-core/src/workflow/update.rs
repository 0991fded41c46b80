//! The update itself: inputs, key source, portal client and callbacks; the plan, and the steps
//! after approval (E and F).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::inputs::UpdateInputs;
use super::keys::KeySource;
use super::login::Login;
use super::passwords::{PasswordRecord, change_password};
use super::plan::{Plan, make_plan};
use super::progress::{Progress, ProgressCallback};
use super::state::UpdateState;
use super::step::Step;
use crate::cert::Certificate;
use crate::ids::{UserId, UserIdPassword};
use crate::portal::{CaptchaChallenge, PortalClient, PortalConfig, RegistrationResult};
use crate::records::PasswordChangeOutcome;
use crate::sign::Signer;
use crate::timing::Clock;
use crate::{Error, Result};

/// The caller's captcha callback: shown each captcha image, returns the answer (`None` cancels).
pub type CaptchaCallback = Box<dyn FnMut(&CaptchaChallenge) -> Option<String> + Send>;

/// A certificate update of one enterprise: plan it offline, run it, resume it, then read the
/// result and set passwords once Customs approved.
pub struct CertificateUpdate {
    pub(super) inputs: UpdateInputs,
    pub(super) keys: KeySource,
    pub(super) client: PortalClient,
    pub(super) captcha: Option<CaptchaCallback>,
    pub(super) progress: Option<ProgressCallback>,
    pub(super) state_file: Option<PathBuf>,
    /// The state after the last run or resume, complete or not.
    pub(super) state: Option<UpdateState>,
    /// Whether this update's portal session is logged in.
    pub(super) logged_in: bool,
    /// The passwords step F set (kept in memory; saved beside the state file when there is one).
    pub(super) passwords: Option<PasswordRecord>,
}

impl std::fmt::Debug for CertificateUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateUpdate")
            .field("inputs", &self.inputs)
            .field("keys", &self.keys)
            .field("client", &self.client)
            .field("state_file", &self.state_file)
            .finish_non_exhaustive()
    }
}

impl CertificateUpdate {
    /// An update of `inputs` with the certificates and keys of `keys`, talking to the portal as
    /// `portal` says. Sends nothing yet; fails only for a portal configuration the client refuses
    /// (e.g. plain HTTP to a remote host).
    pub fn new(inputs: UpdateInputs, keys: KeySource, portal: PortalConfig) -> Result<Self> {
        if let Some(clearance) = inputs.next_clearance {
            crate::dates::check_date("next_clearance", clearance)?;
        }
        Ok(CertificateUpdate {
            inputs,
            keys,
            client: PortalClient::new(portal)?,
            captcha: None,
            progress: None,
            state_file: None,
            state: None,
            logged_in: false,
            passwords: None,
        })
    }

    /// Answers captchas with `callback` (without one, step A fails with
    /// [`PortalError::CaptchaCancelled`](crate::portal::PortalError::CaptchaCancelled)).
    pub fn on_captcha(mut self, callback: CaptchaCallback) -> Self {
        self.captcha = Some(callback);
        self
    }

    /// Stops before the next request once `token` is cancelled (from any thread); the failure is
    /// then [`Cancelled`](crate::workflow::WorkflowError::Cancelled), and a state file lets a later run resume.
    pub fn cancel_with(mut self, token: crate::portal::CancelToken) -> Self {
        self.client.set_cancel_token(token);
        self
    }

    /// Reports progress to `callback`.
    pub fn on_progress(mut self, callback: ProgressCallback) -> Self {
        self.progress = Some(callback);
        self
    }

    /// Takes "now" from `clock` (default: the clock of the portal settings, the system clock
    /// unless set there): the plan of [`run`](Self::run) and [`resume`](Self::resume), the
    /// effective date they propose, and the signing time of every signature, including those of
    /// [`fetch_result`](Self::fetch_result) and [`change_password`](Self::change_password).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.client.config.clock = clock;
        self
    }

    /// Saves the state to `path` after each completed step (atomically). Every run holds the
    /// file's [`StateLock`](super::StateLock) while it runs: a second run on the same file stops
    /// with [`WorkflowStateLocked`](crate::workflow::WorkflowError::WorkflowStateLocked) and sends nothing.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// The inputs.
    pub fn inputs(&self) -> &UpdateInputs {
        &self.inputs
    }

    /// The state after the last [`run`](Self::run) or [`resume`](Self::resume), whether it
    /// completed or failed: what a later `resume` continues from.
    pub fn state(&self) -> Option<&UpdateState> {
        self.state.as_ref()
    }

    /// How many HTTP requests this update has sent.
    pub fn request_count(&self) -> u64 {
        self.client.request_count()
    }

    /// Plans the update as of `now`, offline: chooses the certificate (and says which others were
    /// passed over), checks its tax code, says what changed from the old certificate when known,
    /// which steps will run, and the warnings of docs/domain.md §5. Sends no request.
    pub fn plan(&self, now: DateTime<Utc>) -> Result<Plan> {
        self.prepare(now).map(|(plan, _)| plan)
    }

    /// Step E, once Customs approved the registration: the User IDs, Terminal IDs and access keys
    /// OE4002 shows. Logs in with the admin account's certificate when needed (no plan: the old
    /// certificate need not be on the key source any more).
    pub fn fetch_result(&mut self) -> Result<RegistrationResult> {
        self.after_approval(Step::FetchResult, |client| client.results())
    }

    /// Step F: sets `password` for `user_id`. The outcome says whether it was the current password
    /// (usable at once, unless this library set it less than 24 hours ago: then from that
    /// password's own usable-from) or a new one (usable 24 hours after the portal's answer). The
    /// instants of the passwords set are kept beside the state file, when there is one.
    pub fn change_password(
        &mut self,
        user_id: &UserId,
        password: &UserIdPassword,
    ) -> Result<PasswordChangeOutcome> {
        let path = self.state_file.as_deref().map(PasswordRecord::beside);
        let mut record = self.passwords.take();
        let result = self.after_approval(Step::ChangePassword, |client| {
            change_password(client, &mut record, path.as_deref(), user_id, password)
        });
        self.passwords = record;
        result
    }

    /// The current instant, by the update's clock.
    pub(super) fn now(&self) -> DateTime<Utc> {
        self.client.config.clock.now()
    }

    /// The plan and the chosen certificate.
    pub(super) fn prepare(&self, now: DateTime<Utc>) -> Result<(Plan, Certificate)> {
        let certificates = self.keys.certificates()?;
        make_plan(&self.inputs, &certificates, now)
    }

    /// Logs in unless this update's session already is, first with the certificate of `signer`:
    /// steps C and D run after step B, when the admin account has the new certificate.
    pub(super) fn ensure_login(&mut self, signer: &Arc<dyn Signer>) -> Result<()> {
        let first = Certificate::from_der(signer.certificate_der())?;
        self.log_in(Some(&first))
    }

    /// Logs in unless this update's session already is, with the certificate the admin account
    /// has: `first` when the update knows it, then the enterprise's other certificates newest
    /// first until the portal takes one.
    fn log_in(&mut self, first: Option<&Certificate>) -> Result<()> {
        if !self.logged_in {
            Login {
                tax_code: &self.inputs.tax_code,
                password: &self.inputs.admin_password,
                accept_branch: self.inputs.accept_branch,
            }
            .run(&self.client, &mut self.keys, first)?;
            self.logged_in = true;
        }
        Ok(())
    }

    /// Reports `event` to the progress callback.
    pub(super) fn emit(&mut self, event: Progress) {
        if let Some(callback) = self.progress.as_mut() {
            callback(&event);
        }
    }

    /// Runs a logged-in operation of step E or F, in its span, its failure naming the step.
    fn after_approval<T>(
        &mut self,
        step: Step,
        operation: impl FnOnce(&PortalClient) -> Result<T>,
    ) -> Result<T> {
        let span = tracing::info_span!("workflow.step", step = step.name());
        let _entered = span.enter();
        let result = (|| {
            self.log_in(None)?;
            operation(&self.client)
        })();
        result.map_err(|cause| Error::StepFailed {
            step,
            cause: Box::new(cause),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_can_move_between_threads() {
        // The bindings hand an update to another thread (Python releases the GIL while it runs).
        fn send<T: Send>() {}
        send::<CertificateUpdate>();
        send::<KeySource>();
    }
}

//! The pull-style driver: a job runs a request on its own thread, and the caller pulls its
//! events ([`Job::next_event`]) and answers what it needs ([`Job::provide_captcha`],
//! [`Job::provide_pin`]) from whichever thread it likes — no callback crosses into the caller's
//! runtime. The job is a thin layer over the callback API: the one workflow runs with callbacks
//! that queue an event and wait for the answer.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::Utc;
use secrecy::SecretString;

use super::output::{Event, Output};
use super::progress::Progress;
use super::request::{Operation, Request, Secrets};
use crate::ids::InputError;
use crate::ids::UserIdPassword;
use crate::portal::{CancelToken, CaptchaChallenge, PortalClient};
use crate::token::{PinCallback, PinRequest};
use crate::workflow::WorkflowError;
use crate::{Error, Result};

/// A running job. `Send + Sync`: events may be pulled on one thread and answered, or the job
/// cancelled, on another. Dropping it cancels the job and waits for its thread to end.
pub struct Job {
    shared: Arc<Shared>,
    cancel: CancelToken,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("state", &self.shared.lock().state.name())
            .finish_non_exhaustive()
    }
}

/// What the job thread and the caller share.
struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

/// The queue of events, and what the job waits for.
#[derive(Default)]
struct Inner {
    events: VecDeque<Event>,
    state: State,
    captcha: Option<Option<String>>,
    pin: Option<Option<SecretString>>,
    cancelled: bool,
    /// Whether the final event was taken by the caller.
    ended: bool,
}

/// What the job is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum State {
    #[default]
    Running,
    WaitingForCaptcha,
    WaitingForPin,
    Finished,
}

impl State {
    /// The state's name, as [`Error::JobWrongState`] gives it.
    fn name(self) -> &'static str {
        match self {
            State::Running => "running",
            State::WaitingForCaptcha => "waiting_for_captcha",
            State::WaitingForPin => "waiting_for_pin",
            State::Finished => "finished",
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `event`, entering `state`.
    fn push(&self, event: Event, state: State) {
        let mut inner = self.lock();
        inner.events.push_back(event);
        inner.state = state;
        self.changed.notify_all();
    }

    /// Waits until `take` finds the answer, or the job is cancelled (`None`).
    fn wait_for<T>(&self, mut take: impl FnMut(&mut Inner) -> Option<T>) -> Option<T> {
        let mut inner = self.lock();
        loop {
            if inner.cancelled {
                return None;
            }
            if let Some(answer) = take(&mut inner) {
                inner.state = State::Running;
                return Some(answer);
            }
            inner = self
                .changed
                .wait(inner)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Job {
    /// Starts `request` on a thread of its own, with `secrets` (the admin password, a key file's
    /// password, a new password); a token's PIN is asked with [`Event::NeedPin`].
    pub fn start(request: Request, secrets: Secrets) -> Job {
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner::default()),
            changed: Condvar::new(),
        });
        let cancel = CancelToken::default();
        let thread = {
            let shared = Arc::clone(&shared);
            let cancel = cancel.clone();
            std::thread::spawn(move || {
                // A panic in the workflow ends the job with an error, never a silent hang.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    perform(&request, &secrets, &shared, &cancel)
                }))
                .unwrap_or_else(|_| {
                    Err(Error::Internal {
                        what: "the job's thread panicked".into(),
                    })
                });
                let event = match result {
                    Ok(output) => Event::Finished {
                        output: Box::new(output),
                    },
                    Err(_) if cancel.is_cancelled() => Event::Failed {
                        error: Error::Workflow(WorkflowError::Cancelled),
                    },
                    Err(error) => Event::Failed { error },
                };
                shared.push(event, State::Finished);
            })
        };
        Job {
            shared,
            cancel,
            thread: Mutex::new(Some(thread)),
        }
    }

    /// Blocks until the next event: progress, a need (answer it), or the end (finished or
    /// failed). After the final event, [`JobWrongState`](crate::workflow::WorkflowError::JobWrongState).
    pub fn next_event(&self) -> Result<Event> {
        loop {
            if let Some(event) = self.next(None)? {
                return Ok(event);
            }
        }
    }

    /// As [`next_event`](Self::next_event), waiting at most `timeout`: `None` when nothing
    /// happened meanwhile.
    pub fn next_event_timeout(&self, timeout: Duration) -> Result<Option<Event>> {
        self.next(Some(Instant::now() + timeout))
    }

    fn next(&self, deadline: Option<Instant>) -> Result<Option<Event>> {
        let mut inner = self.shared.lock();
        loop {
            if let Some(event) = inner.events.pop_front() {
                inner.ended |= event.is_final();
                return Ok(Some(event));
            }
            if inner.ended {
                return Err(Error::Workflow(WorkflowError::JobWrongState {
                    expected: State::Running.name(),
                    actual: State::Finished.name(),
                }));
            }
            inner = match deadline {
                None => self
                    .shared
                    .changed
                    .wait(inner)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Ok(None);
                    }
                    self.shared
                        .changed
                        .wait_timeout(inner, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }

    /// Answers [`Event::NeedCaptcha`]; `None` gives up (the job fails with
    /// [`CaptchaCancelled`](crate::portal::PortalError::CaptchaCancelled)). [`JobWrongState`](crate::workflow::WorkflowError::JobWrongState) when no captcha is awaited.
    pub fn provide_captcha(&self, answer: Option<String>) -> Result<()> {
        self.answer(State::WaitingForCaptcha, |inner| {
            inner.captcha = Some(answer)
        })
    }

    /// Answers [`Event::NeedPin`]; `None` gives up (the job fails with
    /// [`PinCancelled`](crate::token::TokenError::PinCancelled)). [`JobWrongState`](crate::workflow::WorkflowError::JobWrongState) when no PIN is awaited.
    pub fn provide_pin(&self, pin: Option<SecretString>) -> Result<()> {
        self.answer(State::WaitingForPin, |inner| inner.pin = Some(pin))
    }

    fn answer(&self, expected: State, give: impl FnOnce(&mut Inner)) -> Result<()> {
        let mut inner = self.shared.lock();
        if inner.state != expected {
            return Err(Error::Workflow(WorkflowError::JobWrongState {
                expected: expected.name(),
                actual: inner.state.name(),
            }));
        }
        give(&mut inner);
        inner.state = State::Running;
        self.shared.changed.notify_all();
        Ok(())
    }

    /// Cancels the job, from any thread: it stops before its next request (a need awaited is
    /// given up), leaving its state file for a later run to resume, and ends with
    /// [`Cancelled`](crate::workflow::WorkflowError::Cancelled) (unless it had finished already).
    pub fn cancel(&self) {
        self.cancel.cancel();
        let mut inner = self.shared.lock();
        inner.cancelled = true;
        self.shared.changed.notify_all();
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel();
        let thread = self
            .thread
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// Runs the request's operation on the job's thread, with callbacks that ask through `shared`.
fn perform(
    request: &Request,
    secrets: &Secrets,
    shared: &Arc<Shared>,
    cancel: &CancelToken,
) -> Result<Output> {
    let pin = pin_callback(Arc::clone(shared));
    match request.operation {
        Operation::Plan => Ok(Output::Plan(
            request.certificate_update(secrets, pin)?.plan(Utc::now())?,
        )),
        Operation::Update | Operation::Resume => {
            let progress = Arc::clone(shared);
            let mut update = request
                .certificate_update(secrets, pin)?
                .cancel_with(cancel.clone())
                .on_captcha(captcha_callback(Arc::clone(shared)))
                .on_progress(Box::new(move |event: &Progress| {
                    progress.push(Event::progress(event), State::Running);
                }));
            let path = request.state_file.as_deref();
            let outcome = match (request.operation, path) {
                (_, Some(path)) if request.operation == Operation::Update || path.exists() => {
                    update.run_with_state_file(path)?
                }
                (Operation::Update, None) => update.run()?,
                _ => {
                    return Err(Error::Input(InputError::InvalidRequest {
                        reason: "resume needs an existing state_file".into(),
                    }));
                }
            };
            Ok(Output::Outcome(outcome))
        }
        Operation::Result => Ok(Output::Result(
            request
                .admin_account(secrets, pin)?
                .cancel_with(cancel.clone())
                .fetch_result()?,
        )),
        Operation::ChangePassword => {
            let user_id = request.user_id.clone().ok_or_else(|| {
                Error::Input(InputError::InvalidRequest {
                    reason: "change_password needs user_id".into(),
                })
            })?;
            let new = secrets.new_password.as_ref().ok_or_else(|| {
                Error::Input(InputError::SecretNotGiven {
                    what: format!("the new password of {user_id}"),
                    what_vi: format!("mật khẩu mới của {user_id}"),
                })
            })?;
            let password = UserIdPassword::parse(secrecy::ExposeSecret::expose_secret(new))?;
            Ok(Output::PasswordOutcome(
                request
                    .admin_account(secrets, pin)?
                    .cancel_with(cancel.clone())
                    .change_password(&user_id, &password)?,
            ))
        }
        Operation::ForgotPassword => {
            let email = request.enterprise.admin_email.as_ref().ok_or_else(|| {
                Error::Input(InputError::InvalidRequest {
                    reason: "enterprise.admin_email is missing".into(),
                })
            })?;
            let mut client = PortalClient::new(request.portal.config()?)?;
            client.set_cancel_token(cancel.clone());
            client.forgot_password(&request.enterprise.tax_code, email)?;
            Ok(Output::ForgotPassword)
        }
    }
}

/// A captcha callback that queues [`Event::NeedCaptcha`] and waits for the answer.
fn captcha_callback(shared: Arc<Shared>) -> super::CaptchaCallback {
    Box::new(move |challenge: &CaptchaChallenge| {
        shared.lock().captcha = None;
        shared.push(
            Event::NeedCaptcha {
                image_png: challenge.image_png.clone(),
                attempt: challenge.attempt,
            },
            State::WaitingForCaptcha,
        );
        shared.wait_for(|inner| inner.captcha.take()).flatten()
    })
}

/// A PIN callback that queues [`Event::NeedPin`] and waits for the answer.
fn pin_callback(shared: Arc<Shared>) -> PinCallback {
    Box::new(move |request: &PinRequest| {
        shared.lock().pin = None;
        shared.push(
            Event::NeedPin {
                token_label: request.token_label.clone(),
                tries: request.tries,
            },
            State::WaitingForPin,
        );
        shared.wait_for(|inner| inner.pin.take()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Job>();
    }
}

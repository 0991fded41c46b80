//! One login per token per process. PKCS#11 keeps the login state per token and application:
//! every session of the process is logged in or none is. So every signer and listing of a token
//! shares one login, behind one lock, with one session kept open so that the token stays logged
//! in; and a login attempt made while others waited for it answers them all, so that two signers
//! asking at once spend one PIN try, not two.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use cryptoki::session::{Session, SessionState};
use secrecy::SecretString;

use super::errors::from_cryptoki;
use super::pin::{PinPolicy, PinRequest, log_in};
use super::slot::Token;
use crate::token::TokenError;
use crate::{Error, Result};

/// The login of one token, shared by everything in the process that uses the token.
#[derive(Default)]
pub(crate) struct TokenLogin {
    /// How many login attempts were made (read without waiting for the lock).
    attempts: AtomicU64,
    state: Mutex<LoginState>,
}

#[derive(Default)]
struct LoginState {
    /// A session kept open so that the token stays logged in.
    session: Option<Session>,
    /// The outcome of the last attempt.
    last: Option<Result<()>>,
}

impl TokenLogin {
    /// How many login attempts were made so far: taken before [`ensure`](Self::ensure) waits.
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::SeqCst)
    }

    /// Makes sure `token` is logged in. Already logged in: nothing is asked. Otherwise, when an
    /// attempt was made since `seen` (while this call waited for it), its outcome is this call's
    /// too; else one attempt ([`log_in`]: `ask` is called once, `C_Login` once, never retried).
    pub fn ensure(
        &self,
        seen: u64,
        token: &Token,
        certificate_label: Option<&str>,
        policy: PinPolicy,
        ask: &mut dyn FnMut(&PinRequest) -> Option<SecretString>,
    ) -> Result<()> {
        let mut state = self.lock();
        // A session that died with the token is dropped here; a later call starts afresh.
        let session = match state.session.take() {
            Some(s) => s,
            None => token.open_session()?,
        };
        let logged_in = session
            .get_session_info()
            .map_err(from_cryptoki)
            .map(|info| {
                matches!(
                    info.session_state(),
                    SessionState::RoUser | SessionState::RwUser
                )
            });
        let result = match logged_in {
            Err(e) => Err(e),
            Ok(true) => Ok(()),
            Ok(false) => match (&state.last, self.attempts() != seen) {
                (Some(Err(e)), true) => Err(e.clone()),
                _ => {
                    let result = log_in(
                        &token.login_target(&session),
                        token.pin_request(certificate_label),
                        policy,
                        ask,
                    );
                    state.last = Some(result.clone());
                    self.attempts.fetch_add(1, Ordering::SeqCst);
                    result
                }
            },
        };
        if !matches!(result, Err(Error::Token(TokenError::TokenRemoved { .. }))) {
            state.session = Some(session);
        }
        result
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LoginState> {
        // A panic in a PIN callback leaves the state itself consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

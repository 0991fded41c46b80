//! The login memory: what [`PortalClient::login`](super::PortalClient::login) was given, kept
//! for ONE automatic re-login when a later read meets the login redirect (the session expired),
//! and the one retry of a screen that needs no login. State-changing posts are never repeated
//! this way (see `post.rs`).

use std::sync::{Arc, Mutex, PoisonError};

use secrecy::SecretString;

use super::error::PortalError;
use crate::ids::TaxCode;
use crate::sign::Signer;
use crate::{Error, Result};

/// The credentials of the last successful login. The password is a [`SecretString`], zeroized
/// when dropped; nothing here is ever logged.
pub(crate) struct Credentials {
    pub tax_code: TaxCode,
    pub password: SecretString,
    pub signer: Arc<dyn Signer>,
}

/// The credentials of the current session, if logged in.
#[derive(Default)]
pub(crate) struct SessionMemory(Mutex<Option<Arc<Credentials>>>);

impl SessionMemory {
    /// The remembered credentials.
    pub fn current(&self) -> Option<Arc<Credentials>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Remembers (or forgets) the credentials.
    pub fn remember(&self, credentials: Option<Arc<Credentials>>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = credentials;
    }
}

/// Runs a read of the pages that need no login (never a state-changing post). When the portal
/// loses the session midway (it answers with the login redirect), runs it once more from its
/// first page, in the new session the portal gives.
pub(crate) fn in_new_session<T>(mut operation: impl FnMut() -> Result<T>) -> Result<T> {
    match operation() {
        Err(Error::Portal(PortalError::PortalSessionExpired)) => {
            tracing::info!("the portal lost the session; starting the screen again");
            operation()
        }
        other => other,
    }
}

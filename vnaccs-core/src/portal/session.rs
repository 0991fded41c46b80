//! The login memory: what [`PortalClient::login`] was given, kept for ONE automatic re-login when
//! a later read meets the login redirect (the session expired). State-changing posts are never
//! repeated this way (see `post.rs`).

use std::sync::{Arc, Mutex, PoisonError};

use secrecy::SecretString;

use super::client::PortalClient;
use crate::ids::TaxCode;
use crate::portal::PortalError;
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

impl PortalClient {
    /// The logged-in tax code.
    pub(crate) fn logged_in_tax_code(&self) -> Result<TaxCode> {
        self.session
            .current()
            .map(|c| c.tax_code.clone())
            .ok_or(Error::Portal(PortalError::PortalSessionExpired))
    }

    /// Runs a read of the logged-in site (pages, searches, selections: nothing that changes the
    /// portal's data). When it meets the login redirect, logs in again once with the remembered
    /// credentials and runs it again from its first page. A state-changing post is never run in
    /// here: it goes through [`PortalClient::post_once`], whose lost answer is not repeated.
    pub(crate) fn logged_in<T>(&self, mut operation: impl FnMut() -> Result<T>) -> Result<T> {
        match operation() {
            Err(Error::Portal(PortalError::PortalSessionExpired)) => {
                let Some(credentials) = self.session.current() else {
                    return Err(Error::Portal(PortalError::PortalSessionExpired));
                };
                let _span = tracing::info_span!("portal.relogin").entered();
                tracing::info!("the portal session has expired; logging in again");
                match self.sign_in(&credentials) {
                    Ok(()) => operation(),
                    Err(
                        e @ (Error::Portal(PortalError::PortalTimeout { .. })
                        | Error::Portal(PortalError::PortalConnection { .. })
                        | Error::Portal(PortalError::PortalUnavailable { .. })
                        | Error::Portal(PortalError::PortalMaintenance)
                        | Error::Portal(PortalError::PortalErrorPage { .. })),
                    ) => Err(e),
                    Err(e) => {
                        tracing::warn!(code = e.code(), "logging in again failed");
                        Err(Error::Portal(PortalError::PortalSessionExpired))
                    }
                }
            }
            other => other,
        }
    }

    /// Runs a read of the pages that need no login (never a state-changing post). When the portal
    /// loses the session midway (it answers with the login redirect), runs it once more from its
    /// first page, in the new session the portal gives.
    pub(crate) fn in_new_session<T>(&self, mut operation: impl FnMut() -> Result<T>) -> Result<T> {
        match operation() {
            Err(Error::Portal(PortalError::PortalSessionExpired)) => {
                tracing::info!("the portal lost the session; starting the screen again");
                operation()
            }
            other => other,
        }
    }
}

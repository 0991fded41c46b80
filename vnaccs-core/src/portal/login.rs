//! Screen B, step 7: the login to the VNACCS site, and the reads of the logged-in site, which log
//! in again once with the remembered credentials when the session has expired.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::client::{PortalClient, sign_step};
use super::error::PortalError;
use super::layout::{ItemKind, MissingItem};
use super::session::{Credentials, in_new_session};
use crate::ids::TaxCode;
use crate::records::signed;
use crate::sign::Signer;
use crate::{Error, Result};

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
                let _operation = super::layout::Operation::enter("relogin");
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

    /// Step B.7: logs in to the VNACCS site with the tax code, password and a certificate
    /// signature over the page's challenge. The credentials are remembered for one automatic
    /// re-login when the session later expires; a failed login forgets earlier ones.
    pub fn login(
        &self,
        tax_code: &TaxCode,
        password: &SecretString,
        signer: &Arc<dyn Signer>,
    ) -> Result<()> {
        let _span = tracing::info_span!("portal.login").entered();
        let _operation = super::layout::Operation::enter("login");
        let credentials = Arc::new(Credentials {
            tax_code: tax_code.clone(),
            password: password.clone(),
            signer: Arc::clone(signer),
        });
        // A failed login leaves nothing to log in again with.
        self.session.remember(None);
        self.sign_in(&credentials)?;
        self.session.remember(Some(credentials));
        Ok(())
    }

    /// Logs in with `credentials`; once more in a new session when the portal loses the session
    /// during the login.
    pub(crate) fn sign_in(&self, credentials: &Credentials) -> Result<()> {
        in_new_session(|| self.sign_in_once(credentials))
    }

    /// One login, from the login page.
    fn sign_in_once(&self, credentials: &Credentials) -> Result<()> {
        let profile = self.profile();
        let login = &profile.pages.login;
        let page = self.open(login)?;
        let mut form = self.form(&page)?;
        form.require(
            &[
                &login.challenge,
                &login.fields.tax_code,
                &login.fields.password,
                &login.fields.certificate,
                &login.fields.signature,
            ],
            &[&login.buttons.login],
        )?;
        let challenge = form
            .value(&login.challenge)
            .ok_or_else(|| page.unexpected(format!("no challenge field {}", login.challenge)))?
            .to_owned();
        let content = signed::login(credentials.tax_code.as_str(), &challenge);
        let signed = sign_step(
            credentials.signer.as_ref(),
            &content,
            self.config.clock.now(),
        )?;
        form.set(&login.fields.tax_code, credentials.tax_code.as_str())?;
        form.set(&login.fields.password, credentials.password.expose_secret())?;
        form.set(&login.fields.certificate, &signed.certificate)?;
        form.set(&login.fields.signature, &signed.signature)?;
        let page = self.post(login, &form.click(&login.buttons.login)?)?;
        if page.has(&profile.pages.home.logged_in) {
            return Ok(());
        }
        let message = page.message(profile)?;
        let expired = &profile.common.session_expired_text;
        if message.as_deref().is_some_and(|m| expired.found_in(m)) {
            return Err(Error::Portal(PortalError::PortalSessionExpired));
        }
        Err(page.failure(
            profile,
            MissingItem::new(ItemKind::Selector, profile.pages.home.logged_in.to_string()),
        )?)
    }
}

//! The admin account alone: what comes after Customs approved (E, F) needs only the login — the
//! tax code, the admin password and the account's certificate — not the update's inputs.

use std::path::PathBuf;

use secrecy::SecretString;

use super::keys::KeySource;
use super::login::Login;
use super::passwords::{PasswordRecord, change_password};
use crate::Result;
use crate::ids::{TaxCode, UserId, UserIdPassword};
use crate::portal::{PortalClient, PortalConfig, RegistrationResult};
use crate::records::PasswordChangeOutcome;

/// A VNACCS admin account: logs in with the account's certificate (found among the key source's
/// certificates of the tax code) and reads the result (E) or sets a User ID password (F).
pub struct AdminAccount {
    tax_code: TaxCode,
    password: SecretString,
    keys: KeySource,
    client: PortalClient,
    accept_branch: bool,
    record_file: Option<PathBuf>,
    record: Option<PasswordRecord>,
    logged_in: bool,
}

impl std::fmt::Debug for AdminAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminAccount")
            .field("tax_code", &self.tax_code)
            .field("keys", &self.keys)
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl AdminAccount {
    /// The account of `tax_code` with its password, the certificates of `keys`, on `portal`.
    /// Sends nothing yet.
    pub fn new(
        tax_code: TaxCode,
        password: SecretString,
        keys: KeySource,
        portal: PortalConfig,
    ) -> Result<Self> {
        Ok(AdminAccount {
            tax_code,
            password,
            keys,
            client: PortalClient::new(portal)?,
            accept_branch: false,
            record_file: None,
            record: None,
            logged_in: false,
        })
    }

    /// Stops before the next request once `token` is cancelled (from any thread); the failure is
    /// then [`Cancelled`](crate::workflow::WorkflowError::Cancelled), and a state file lets a later run resume.
    pub fn cancel_with(mut self, token: crate::portal::CancelToken) -> Self {
        self.client.set_cancel_token(token);
        self
    }

    /// Accepts a certificate of the same enterprise on its 10-digit base.
    pub fn accept_branch(mut self, yes: bool) -> Self {
        self.accept_branch = yes;
        self
    }

    /// Keeps the record of the passwords set beside this update state file
    /// ([`PasswordRecord::beside`]).
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.record_file = Some(PasswordRecord::beside(&path.into()));
        self
    }

    /// Step E: the User IDs, Terminal IDs and access keys OE4002 shows.
    pub fn fetch_result(&mut self) -> Result<RegistrationResult> {
        self.ensure_login()?;
        self.client.results()
    }

    /// Step F: sets `password` for `user_id` (see
    /// [`CertificateUpdate::change_password`](super::CertificateUpdate::change_password)).
    pub fn change_password(
        &mut self,
        user_id: &UserId,
        password: &UserIdPassword,
    ) -> Result<PasswordChangeOutcome> {
        self.ensure_login()?;
        change_password(
            &self.client,
            &mut self.record,
            self.record_file.as_deref(),
            user_id,
            password,
        )
    }

    fn ensure_login(&mut self) -> Result<()> {
        if !self.logged_in {
            Login {
                tax_code: &self.tax_code,
                password: &self.password,
                accept_branch: self.accept_branch,
            }
            .run(&self.client, &mut self.keys, None)?;
            self.logged_in = true;
        }
        Ok(())
    }
}

//! Screen B: the admin account's certificate (steps 5 and 6) and the forgotten password (the
//! login, step 7, is in `login.rs`).

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::client::{PortalClient, certificate_field, sign_step};
use super::posts::PortalPost;
use super::session::in_new_session;
use crate::Result;
use crate::cert::Certificate;
use crate::ids::{CertificateSerial, Email, TaxCode, UserId};
use crate::records::signed::{self, UserListEntry};
use crate::sign::Signer;

/// A user of the list the admin confirms at step B.6, as the portal showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct ConfirmedUser {
    /// The user code, once Customs has issued it.
    pub user_code: Option<UserId>,
    /// Họ tên.
    pub full_name: String,
    /// The serial of the user's certificate.
    pub certificate_serial: CertificateSerial,
}

impl PortalClient {
    /// Steps B.5 and B.6: puts the certificate of `signer` on the admin account of `tax_code`
    /// (email and password of the account), then signs and confirms the user list the portal shows.
    /// Returns that list. When the portal loses the session while the first page is read, it is
    /// read once more in a new session. Each of the two posts is sent once: when its answer is lost
    /// or is the login redirect, the error is [`PortalError::OutcomeUnknown`](crate::portal::PortalError::OutcomeUnknown); whether the account
    /// carries the new certificate can then be read after login
    /// ([`admin_certificate_serial`](Self::admin_certificate_serial)).
    pub fn update_admin_certificate(
        &self,
        tax_code: &TaxCode,
        email: &Email,
        password: &SecretString,
        signer: &Arc<dyn Signer>,
    ) -> Result<Vec<ConfirmedUser>> {
        self.update_admin_certificate_noting(
            tax_code,
            email,
            password,
            signer.as_ref(),
            &mut |_| Ok(()),
        )
    }

    /// [`update_admin_certificate`](Self::update_admin_certificate), calling `before_post` just
    /// before each of its two posts (B.5, B.6), so that a caller can note the attempt first (an
    /// error from it stops before the post).
    pub(crate) fn update_admin_certificate_noting(
        &self,
        tax_code: &TaxCode,
        email: &Email,
        password: &SecretString,
        signer: &dyn Signer,
        before_post: &mut dyn FnMut(PortalPost) -> Result<()>,
    ) -> Result<Vec<ConfirmedUser>> {
        let _span = tracing::info_span!("portal.update_admin_certificate").entered();
        let _operation = super::layout::Operation::enter("update_admin_certificate");
        let profile = self.profile();
        let admin = &profile.pages.admin;
        let certificate = Certificate::from_der(signer.certificate_der())?;
        let form = in_new_session(|| {
            let page = self.open(admin)?;
            let mut form = self.form(&page)?;
            form.require(
                &[
                    &admin.fields.tax_code,
                    &admin.fields.email,
                    &admin.fields.password,
                    &admin.fields.password_confirmation,
                    &admin.fields.certificate,
                ],
                &[&admin.buttons.update_certificate],
            )?;
            form.set(&admin.fields.tax_code, tax_code.as_str())?;
            form.set(&admin.fields.email, email.as_str())?;
            form.set(&admin.fields.password, password.expose_secret())?;
            form.set(
                &admin.fields.password_confirmation,
                password.expose_secret(),
            )?;
            form.set(
                &admin.fields.certificate,
                &certificate_field(signer.certificate_der()),
            )?;
            Ok(form)
        })?;
        before_post(PortalPost::UpdateAdminCertificate)?;
        let page = self.post_once(
            PortalPost::UpdateAdminCertificate,
            admin,
            &form.click(&admin.buttons.update_certificate)?,
        )?;
        page.expect_success(profile, &profile.messages.success.admin_update)?;

        let rows = page.grid(&admin.user_rows, &admin.user_columns);
        let entries: Vec<UserListEntry> = rows
            .iter()
            .map(|r| UserListEntry {
                user_code: r.get("user_code"),
                full_name: r.get("full_name"),
                certificate_serial: r.get("certificate_serial"),
            })
            .collect();
        let users = rows
            .iter()
            .map(|r| {
                let user_code = match r.get("user_code") {
                    "" => None,
                    code => Some(UserId::parse(code).map_err(|_| {
                        page.unexpected(format!("user code {code:?} is not a User ID"))
                    })?),
                };
                let serial = r.get("certificate_serial");
                Ok(ConfirmedUser {
                    user_code,
                    full_name: r.get("full_name").to_owned(),
                    certificate_serial: CertificateSerial::parse(serial).map_err(|_| {
                        page.unexpected(format!("certificate serial {serial:?} is not a serial"))
                    })?,
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let content = signed::user_list(tax_code.as_str(), certificate.serial().as_str(), &entries);
        let signed = sign_step(signer, &content, self.config.clock.now())?;
        let mut form = self.form(&page)?;
        form.require(
            &[&admin.fields.certificate, &admin.fields.signature],
            &[&admin.buttons.confirm_users],
        )?;
        form.set_if_present(&admin.fields.password, password.expose_secret());
        form.set_if_present(
            &admin.fields.password_confirmation,
            password.expose_secret(),
        );
        form.set(&admin.fields.certificate, &signed.certificate)?;
        form.set(&admin.fields.signature, &signed.signature)?;
        before_post(PortalPost::ConfirmUsers)?;
        let page = self.post_once(
            PortalPost::ConfirmUsers,
            admin,
            &form.click(&admin.buttons.confirm_users)?,
        )?;
        page.expect_success(profile, &profile.messages.success.users_confirmed)?;
        tracing::info!(users = users.len(), "admin certificate updated");
        Ok(users)
    }

    /// The serial of the certificate on the logged-in enterprise's admin account, as the home
    /// page shows it; `None` when the site (profile) does not show it. This is how the effect of
    /// step B is read back.
    pub fn admin_certificate_serial(&self) -> Result<Option<CertificateSerial>> {
        let _span = tracing::info_span!("portal.admin_certificate_serial").entered();
        let _operation = super::layout::Operation::enter("admin_certificate_serial");
        let home = &self.profile().pages.home;
        let Some(shown) = &home.admin_certificate else {
            return Ok(None);
        };
        self.logged_in(|| {
            let page = self.open(home)?;
            match page.text(shown) {
                None => Ok(None),
                Some(text) if text.trim().is_empty() => Ok(None),
                Some(text) => CertificateSerial::parse(text.trim())
                    .map(Some)
                    .map_err(|_| {
                        page.unexpected(format!(
                            "the admin certificate serial {text:?} is not a serial"
                        ))
                    }),
            }
        })
    }

    /// Forgotten password (Quên mật khẩu): the portal mails a new password to the admin
    /// account's email.
    pub fn forgot_password(&self, tax_code: &TaxCode, email: &Email) -> Result<()> {
        let _span = tracing::info_span!("portal.forgot_password").entered();
        let _operation = super::layout::Operation::enter("forgot_password");
        let profile = self.profile();
        let forgot = &profile.pages.forgot_password;
        in_new_session(|| {
            let page = self.open(forgot)?;
            let mut form = self.form(&page)?;
            form.require(
                &[&forgot.fields.tax_code, &forgot.fields.email],
                &[&forgot.buttons.send],
            )?;
            form.set(&forgot.fields.tax_code, tax_code.as_str())?;
            form.set(&forgot.fields.email, email.as_str())?;
            let page = self.post(forgot, &form.click(&forgot.buttons.send)?)?;
            page.expect_success(profile, &profile.messages.success.forgot_password)
        })
    }
}

//! Screen A: registering the enterprise's certificate with Customs, with the captcha loop.

use std::sync::Arc;

use chrono::NaiveDate;

use super::client::{PortalClient, certificate_field, format_date, parse_date, sign_step};
use super::error::PortalError;
use super::form::Form;
use super::page::Page;
use super::posts::PortalPost;
use super::refusal::PortalRefusal;
use super::session::in_new_session;
use crate::cert::Certificate;
use crate::ids::{PersonalId, TaxCode};
use crate::records::signed;
use crate::records::{CertificateRef, CertificateRegistration};
use crate::sign::Signer;
use crate::{Error, Result};

/// The most captcha answers tried before giving up.
pub const CAPTCHA_ATTEMPTS: u32 = 3;

/// A captcha to answer: the image the portal served and which attempt this is (1-based).
#[derive(Clone, PartialEq, Eq)]
pub struct CaptchaChallenge {
    /// The image, as served (PNG).
    pub image_png: Vec<u8>,
    /// 1 for the first image, 2 after a wrong answer, … up to [`CAPTCHA_ATTEMPTS`].
    pub attempt: u32,
}

impl std::fmt::Debug for CaptchaChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptchaChallenge")
            .field("image_png", &format_args!("{} bytes", self.image_png.len()))
            .field("attempt", &self.attempt)
            .finish()
    }
}

impl PortalClient {
    /// Screen A: registers the certificate of `signer` for the enterprise `tax_code`, whose legal
    /// representative's ID number is `representative_id`.
    ///
    /// `captcha` is shown each captcha image and returns the answer (`None` cancels:
    /// [`PortalError::CaptchaCancelled`]); a wrong answer is asked again with the new image, at
    /// most [`CAPTCHA_ATTEMPTS`] times ([`PortalError::CaptchaAttempts`]). `valid_from` is the
    /// registration's start date; `None` keeps the date the portal proposes (today). The end date
    /// is the one the portal proposes (the certificate's expiry). Registering the same certificate
    /// again succeeds again. When the portal loses the session before the registration is posted,
    /// the screen is started once more in a new session (with a new captcha, counted from attempt 1
    /// again). The signed registration itself is posted once: when its answer is lost or is the
    /// login redirect, the error is [`PortalError::OutcomeUnknown`] (the portal does not show a
    /// registration back, so only a later step can tell).
    pub fn register_certificate(
        &self,
        tax_code: &TaxCode,
        representative_id: &PersonalId,
        signer: &Arc<dyn Signer>,
        valid_from: Option<NaiveDate>,
        captcha: &mut dyn FnMut(&CaptchaChallenge) -> Option<String>,
    ) -> Result<CertificateRegistration> {
        self.register_certificate_noting(
            tax_code,
            representative_id,
            signer.as_ref(),
            valid_from,
            captcha,
            &mut |_| Ok(()),
        )
    }

    /// [`register_certificate`](Self::register_certificate), telling `before_post` what is about
    /// to be registered just before the signed registration is posted (so that a caller can
    /// note the attempt first; an error from it stops before the post).
    pub(crate) fn register_certificate_noting(
        &self,
        tax_code: &TaxCode,
        representative_id: &PersonalId,
        signer: &dyn Signer,
        valid_from: Option<NaiveDate>,
        captcha: &mut dyn FnMut(&CaptchaChallenge) -> Option<String>,
        before_post: &mut dyn FnMut(&CertificateRegistration) -> Result<()>,
    ) -> Result<CertificateRegistration> {
        let _span = tracing::info_span!("portal.register_certificate").entered();
        let _operation = super::layout::Operation::enter("register_certificate");
        let (form, registration) = in_new_session(|| {
            self.prepare_registration(tax_code, representative_id, signer, valid_from, captcha)
        })?;
        before_post(&registration)?;
        let register = &self.profile().pages.register;
        let page = self.post_once(
            PortalPost::RegisterCertificate,
            register,
            &form.click(&register.buttons.register)?,
        )?;
        page.expect_success(self.profile(), &self.profile().messages.success.register)?;
        tracing::info!(serial = %registration.certificate.serial, "certificate registered");
        Ok(registration)
    }

    /// Screen A up to the signed registration, from its first page: the form ready to post and
    /// what it registers.
    fn prepare_registration(
        &self,
        tax_code: &TaxCode,
        representative_id: &PersonalId,
        signer: &dyn Signer,
        valid_from: Option<NaiveDate>,
        captcha: &mut dyn FnMut(&CaptchaChallenge) -> Option<String>,
    ) -> Result<(Form, CertificateRegistration)> {
        let profile = self.profile();
        let register = &profile.pages.register;
        let certificate = Certificate::from_der(signer.certificate_der())?;
        let representative = representative_id.to_string();

        // A.1: tax code, ID number and the captcha.
        let mut page = self.open(register)?;
        let mut attempt = 1;
        let page = loop {
            let image_png = self.captcha_image(&page)?;
            let challenge = CaptchaChallenge { image_png, attempt };
            let answer = captcha(&challenge).ok_or(Error::Portal(PortalError::CaptchaCancelled))?;
            let mut form = self.form(&page)?;
            form.require(
                &[
                    &register.fields.tax_code,
                    &register.fields.representative_id,
                    &register.fields.captcha,
                ],
                &[&register.buttons.view],
            )?;
            form.set(&register.fields.tax_code, tax_code.as_str())?;
            form.set(&register.fields.representative_id, &representative)?;
            form.set(&register.fields.captcha, answer.trim())?;
            let next = self.post(register, &form.click(&register.buttons.view)?)?;
            match next.refusal(profile)? {
                Some(Error::Portal(PortalError::PortalRefused {
                    refusal: PortalRefusal::WrongCaptcha,
                    ..
                })) => {
                    tracing::info!(attempt, "wrong captcha answer");
                    if attempt >= CAPTCHA_ATTEMPTS {
                        return Err(Error::Portal(PortalError::CaptchaAttempts {
                            attempts: attempt,
                        }));
                    }
                    attempt += 1;
                    page = next;
                }
                Some(refused) => return Err(refused),
                None => {
                    next.required_text(profile, &register.enterprise_name)?;
                    break next;
                }
            }
        };

        // A.2: the certificate's details and the proposed dates.
        let mut form = self.form(&page)?;
        form.require(
            &[&register.fields.certificate],
            &[&register.buttons.view_certificate],
        )?;
        form.set(
            &register.fields.certificate,
            &certificate_field(signer.certificate_der()),
        )?;
        let page = self.post(register, &form.click(&register.buttons.view_certificate)?)?;
        if let Some(refused) = page.refusal(profile)? {
            return Err(refused);
        }
        let shown = page.required_text(self.profile(), &register.certificate_serial)?;
        if !shown.eq_ignore_ascii_case(certificate.serial().as_str()) {
            return Err(page.unexpected(format!(
                "the portal shows serial {shown}, the certificate's is {}",
                certificate.serial()
            )));
        }
        let mut form = self.form(&page)?;
        form.require(
            &[
                &register.fields.valid_from,
                &register.fields.valid_to,
                &register.fields.certificate,
                &register.fields.signature,
            ],
            &[&register.buttons.register],
        )?;
        let proposed = |field: &str, page: &Page| -> Result<NaiveDate> {
            let text = form
                .value(field)
                .ok_or_else(|| page.unexpected(format!("no field {field}")))?;
            parse_date(page, field, text)
        };
        let valid_from = match valid_from {
            Some(date) => date,
            None => proposed(&register.fields.valid_from, &page)?,
        };
        let valid_to = proposed(&register.fields.valid_to, &page)?;

        // A.3: sign; the caller posts.
        let from_text = format_date(valid_from);
        let to_text = format_date(valid_to);
        let content = signed::registration(
            tax_code.as_str(),
            &representative,
            certificate.serial().as_str(),
            &from_text,
            &to_text,
        );
        let signed = sign_step(signer, &content, self.config.clock.now())?;
        form.set(&register.fields.valid_from, &from_text)?;
        form.set(&register.fields.valid_to, &to_text)?;
        form.set(&register.fields.certificate, &signed.certificate)?;
        form.set(&register.fields.signature, &signed.signature)?;

        let registration = CertificateRegistration {
            tax_code: tax_code.clone(),
            representative_id: representative_id.clone(),
            certificate: CertificateRef::from(&certificate),
            valid_from,
            valid_to,
        };
        Ok((form, registration))
    }

    /// The captcha image of the registration page (same session).
    fn captcha_image(&self, page: &Page) -> Result<Vec<u8>> {
        let selector = &self.profile().pages.register.captcha_image;
        let src = page
            .first(selector)
            .and_then(|img| img.value().attr("src"))
            .ok_or_else(|| page.unexpected(format!("no captcha image ({selector})")))?;
        let url = page
            .url
            .join(src)
            .map_err(|e| page.unexpected(format!("captcha image {src:?}: {e}")))?;
        // The portal keeps the captcha in the session: an unknown one means the session is gone.
        self.http
            .get_bytes(self.profile(), &url)?
            .ok_or(Error::Portal(PortalError::PortalSessionExpired))
    }
}

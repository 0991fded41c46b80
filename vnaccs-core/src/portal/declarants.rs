//! Screen C (OE2102): the declarant users and pointing one at a new certificate.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::client::{PortalClient, certificate_field, format_date, parse_date};
use super::error::PortalError;
use super::page::{Page, Row};
use super::posts::PortalPost;
use super::profile::row_argument;
use crate::cert::Certificate;
use crate::ids::{CertificateSerial, Email, PersonalId, UserId};
use crate::{Error, Result};

/// A declarant user as OE2102's grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct DeclarantRow {
    /// The row's 0-based position in the grid.
    pub index: usize,
    /// The User code, once Customs has issued it.
    pub user_code: Option<UserId>,
    /// Họ tên.
    pub full_name: String,
    /// Số CMND/Hộ chiếu, as shown.
    pub id_number: String,
    /// Email, as shown.
    pub email: String,
    /// Ngày hiệu lực.
    pub effective_date: NaiveDate,
    /// The serial of the certificate the user signs with.
    pub certificate_serial: CertificateSerial,
}

/// What to save for a declarant user (step C.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct DeclarantUpdate {
    /// Họ tên.
    pub full_name: String,
    /// Số CMND/Hộ chiếu.
    pub id_number: PersonalId,
    /// Email.
    pub email: Email,
    /// Ngày hiệu lực (today, for a certificate change).
    pub effective_date: NaiveDate,
}

impl PortalClient {
    /// Screen C.8: the declarant users of the logged-in enterprise.
    pub fn declarants(&self) -> Result<Vec<DeclarantRow>> {
        let _span = tracing::info_span!("portal.declarants").entered();
        let _operation = super::layout::Operation::enter("declarants");
        self.logged_in(|| {
            let page = self.declarants_page()?;
            self.declarant_rows(&page)
        })
    }

    /// Screen C.9: selects the declarant `row` (found again by its User code, or ID number and
    /// serial), fills in `update` and the certificate (`certificate_der`), and saves. The save is
    /// posted once: when its answer is lost or is the login redirect, the declarant rows are read
    /// again; a row of this user now on the new certificate means it was saved, otherwise the
    /// error is [`PortalError::OutcomeUnknown`].
    pub fn update_declarant(
        &self,
        row: &DeclarantRow,
        update: &DeclarantUpdate,
        certificate_der: &[u8],
    ) -> Result<()> {
        let _span = tracing::info_span!("portal.update_declarant", index = row.index).entered();
        let _operation = super::layout::Operation::enter("update_declarant");
        let profile = self.profile();
        let oe2102 = &profile.pages.oe2102;
        let new_serial = Certificate::from_der(certificate_der)?.serial().clone();
        let form = self.logged_in(|| {
            // The list just read (by `declarants`, or the previous save's answer, nothing sent
            // since) when it shows the row, else a new one.
            let kept = self
                .kept_declarants
                .take(&oe2102.path, self.request_count())
                .filter(|page| {
                    self.declarant_rows(page)
                        .is_ok_and(|rows| rows.iter().any(|r| same_declarant(r, row)))
                });
            let page = match kept {
                Some(page) => page,
                None => self.declarants_page()?,
            };
            let rows = self.declarant_rows(&page)?;
            let current = rows
                .iter()
                .find(|r| same_declarant(r, row))
                .ok_or_else(|| {
                    page.unexpected(format!(
                        "no declarant row like row {} ({})",
                        row.index,
                        row.user_code
                            .as_ref()
                            .map_or(row.id_number.as_str(), UserId::as_str)
                    ))
                })?;
            let form = self.form(&page)?;
            let argument = row_argument(&oe2102.select_argument, current.index);
            let page = self.post(oe2102, &form.postback(&oe2102.declarant_grid, &argument))?;
            if let Some(refused) = page.refusal(profile)? {
                return Err(refused);
            }
            let mut form = self.form(&page)?;
            form.require(
                &[
                    &oe2102.fields.full_name,
                    &oe2102.fields.id_number,
                    &oe2102.fields.email,
                    &oe2102.fields.effective_date,
                    &oe2102.fields.certificate,
                ],
                &[&oe2102.buttons.save],
            )?;
            form.set(&oe2102.fields.full_name, &update.full_name)?;
            form.set(&oe2102.fields.id_number, &update.id_number.to_string())?;
            form.set(&oe2102.fields.email, update.email.as_str())?;
            form.set(
                &oe2102.fields.effective_date,
                &format_date(update.effective_date),
            )?;
            form.set(
                &oe2102.fields.certificate,
                &certificate_field(certificate_der),
            )?;
            Ok(form)
        })?;
        let saved = self
            .post_once(
                PortalPost::SaveDeclarant,
                oe2102,
                &form.click(&oe2102.buttons.save)?,
            )
            .and_then(|page| {
                page.expect_success(profile, &profile.messages.success.declarant_saved)?;
                // The answer may list the declarants again: the next save can start from it.
                self.kept_declarants.keep(&page, self.request_count());
                Ok(())
            });
        match saved {
            Err(Error::Portal(PortalError::OutcomeUnknown { post })) => match self.declarants() {
                Ok(rows) if rows.iter().any(|r| is_saved(r, row, update, &new_serial)) => {
                    tracing::info!("the declarant is on the new certificate: saved");
                    Ok(())
                }
                Ok(_) => Err(Error::Portal(PortalError::OutcomeUnknown { post })),
                Err(e) => {
                    tracing::warn!(code = e.code(), "reading the declarants back failed");
                    Err(Error::Portal(PortalError::OutcomeUnknown { post }))
                }
            },
            other => other,
        }
    }

    /// OE2102 with the declarants tab open.
    fn declarants_page(&self) -> Result<Page> {
        let oe2102 = &self.profile().pages.oe2102;
        let page = self.open(oe2102)?;
        let form = self.form(&page)?;
        let page = if form.offers(&oe2102.declarants_tab) {
            self.post(oe2102, &form.postback(&oe2102.declarants_tab, ""))?
        } else {
            page
        };
        self.kept_declarants.keep(&page, self.request_count());
        Ok(page)
    }

    fn declarant_rows(&self, page: &Page) -> Result<Vec<DeclarantRow>> {
        let oe2102 = &self.profile().pages.oe2102;
        page.grid(&oe2102.declarant_rows, &oe2102.declarant_columns)
            .iter()
            .map(|r| declarant(page, r))
            .collect()
    }
}

/// Whether `candidate` is the same declarant as `row`: the same User code if it has one, else
/// the same ID number and certificate serial.
fn same_declarant(candidate: &DeclarantRow, row: &DeclarantRow) -> bool {
    match &row.user_code {
        Some(code) => candidate.user_code.as_ref() == Some(code),
        None => {
            candidate.user_code.is_none()
                && candidate.id_number == row.id_number
                && candidate.certificate_serial == row.certificate_serial
        }
    }
}

/// Whether `candidate` is `row`'s user saved with `update` on the certificate `new_serial`: the
/// same User code if it has one, else no User code and the ID number saved.
fn is_saved(
    candidate: &DeclarantRow,
    row: &DeclarantRow,
    update: &DeclarantUpdate,
    new_serial: &CertificateSerial,
) -> bool {
    let same_user = match &row.user_code {
        Some(code) => candidate.user_code.as_ref() == Some(code),
        None => {
            candidate.user_code.is_none()
                && PersonalId::parse(&candidate.id_number).is_ok_and(|id| id == update.id_number)
        }
    };
    same_user && &candidate.certificate_serial == new_serial
}

/// A grid row as a declarant.
fn declarant(page: &Page, r: &Row) -> Result<DeclarantRow> {
    let user_code = match r.get("user_code") {
        "" => None,
        code => Some(
            UserId::parse(code)
                .map_err(|_| page.unexpected(format!("user code {code:?} is not a User ID")))?,
        ),
    };
    let serial = r.get("certificate_serial");
    Ok(DeclarantRow {
        index: r.index,
        user_code,
        full_name: r.get("full_name").to_owned(),
        id_number: r.get("id_number").to_owned(),
        email: r.get("email").to_owned(),
        effective_date: parse_date(page, "effective date", r.get("effective_date"))?,
        certificate_serial: CertificateSerial::parse(serial).map_err(|_| {
            page.unexpected(format!("certificate serial {serial:?} is not a serial"))
        })?,
    })
}

//! Screen C (OE2102): the declarant users and pointing one at a new certificate.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::client::{PortalClient, certificate_field, format_date, parse_date};
use super::page::{Page, Row};
use super::profile::row_argument;
use crate::Result;
use crate::ids::{CertificateSerial, Email, PersonalId, UserId};

/// A declarant user as OE2102's grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        self.logged_in(|| {
            let page = self.declarants_page()?;
            self.declarant_rows(&page)
        })
    }

    /// Screen C.9: selects the declarant `row` (found again by its User code, or ID number and
    /// serial), fills in `update` and the certificate (`certificate_der`), and saves.
    pub fn update_declarant(
        &self,
        row: &DeclarantRow,
        update: &DeclarantUpdate,
        certificate_der: &[u8],
    ) -> Result<()> {
        let _span = tracing::info_span!("portal.update_declarant", index = row.index).entered();
        let profile = self.profile();
        let oe2102 = &profile.pages.oe2102;
        self.logged_in(|| {
            let page = self.declarants_page()?;
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
            let page = self.post(oe2102, &form.click(&oe2102.buttons.save)?)?;
            page.expect_success(profile, &profile.messages.success.declarant_saved)
        })
    }

    /// OE2102 with the declarants tab open.
    fn declarants_page(&self) -> Result<Page> {
        let oe2102 = &self.profile().pages.oe2102;
        let page = self.open(oe2102)?;
        let form = self.form(&page)?;
        if form.offers(&oe2102.declarants_tab) {
            self.post(oe2102, &form.postback(&oe2102.declarants_tab, ""))
        } else {
            Ok(page)
        }
    }

    fn declarant_rows(&self, page: &Page) -> Result<Vec<DeclarantRow>> {
        let oe2102 = &self.profile().pages.oe2102;
        page.grid(&oe2102.declarant_rows, &oe2102.declarant_columns)?
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

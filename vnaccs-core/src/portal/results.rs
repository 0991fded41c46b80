//! Screen E (OE4002): the User IDs and terminals Customs issued.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::client::{PortalClient, parse_date};
use super::page::Page;
use crate::Result;
use crate::ids::{CertificateSerial, InputError, TerminalAccessKey, TerminalId, UserId};
use crate::records::Terminal;

/// A declarant user with the User ID Customs issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct IssuedUser {
    /// The User ID.
    pub user_id: UserId,
    /// Họ tên.
    pub full_name: String,
    /// Số CMND/Hộ chiếu, as shown.
    pub id_number: String,
    /// The serial of the user's certificate.
    pub certificate_serial: CertificateSerial,
    /// Ngày hiệu lực.
    pub effective_date: NaiveDate,
}

/// What OE4002 shows once Customs approved the registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct RegistrationResult {
    /// The declarant users with a User ID (users still without one are left out).
    pub users: Vec<IssuedUser>,
    /// The enterprise's terminals.
    pub terminals: Vec<Terminal>,
}

impl PortalClient {
    /// Screen E.13: the User IDs (tab "Thông tin người khai Hải quan") and the Terminal IDs
    /// with their access keys (tab "Máy tính").
    pub fn results(&self) -> Result<RegistrationResult> {
        let _span = tracing::info_span!("portal.results").entered();
        let _operation = super::layout::Operation::enter("results");
        let oe4002 = &self.profile().pages.oe4002;
        self.logged_in(|| {
            let mut page = self.open(oe4002)?;
            let form = self.form(&page)?;
            if form.offers(&oe4002.users_tab) {
                page = self.post(oe4002, &form.postback(&oe4002.users_tab, ""))?;
            }
            let users = page
                .grid(&oe4002.user_rows, &oe4002.user_columns)
                .iter()
                .filter(|r| !r.get("user_id").is_empty())
                .map(|r| {
                    Ok(IssuedUser {
                        user_id: parse(&page, "User ID", r.get("user_id"), UserId::parse)?,
                        full_name: r.get("full_name").to_owned(),
                        id_number: r.get("id_number").to_owned(),
                        certificate_serial: parse(
                            &page,
                            "certificate serial",
                            r.get("certificate_serial"),
                            CertificateSerial::parse,
                        )?,
                        effective_date: parse_date(
                            &page,
                            "effective date",
                            r.get("effective_date"),
                        )?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let form = self.form(&page)?;
            if form.offers(&oe4002.terminals_tab) {
                page = self.post(oe4002, &form.postback(&oe4002.terminals_tab, ""))?;
            }
            let terminals = page
                .grid(&oe4002.terminal_rows, &oe4002.terminal_columns)
                .iter()
                .map(|r| {
                    Ok(Terminal {
                        terminal_id: parse(
                            &page,
                            "Terminal ID",
                            r.get("terminal_id"),
                            TerminalId::parse,
                        )?,
                        access_key: parse(
                            &page,
                            "Terminal Access Key",
                            r.get("access_key"),
                            TerminalAccessKey::parse,
                        )?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(RegistrationResult { users, terminals })
        })
    }
}

/// A cell parsed as an identifier; an unexpected page when it is not one.
fn parse<T>(
    page: &Page,
    what: &str,
    text: &str,
    parse: fn(&str) -> Result<T, InputError>,
) -> Result<T> {
    parse(text).map_err(|_| page.unexpected(format!("{what} {text:?} is not valid")))
}

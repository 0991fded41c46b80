//! Screen D (OE4001): searching the registration records and sending one to Customs.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::client::{PortalClient, parse_local_time, portal_time, sign_step};
use super::error::PortalError;
use super::page::{Page, Row};
use super::posts::PortalPost;
use super::profile::{SiteProfile, row_argument};
use super::refusal::PortalRefusal;
use crate::ids::TaxCode;
use crate::records::signed;
use crate::records::{RegistrationKind, RegistrationRecord, RegistrationStatus, SendForm};
use crate::sign::Signer;
use crate::{Error, Result};

impl PortalClient {
    /// Screen D.10: every registration record of the logged-in enterprise (new registrations
    /// and amendments after approval).
    pub fn search_records(&self) -> Result<Vec<RegistrationRecord>> {
        let _span = tracing::info_span!("portal.search_records").entered();
        let _operation = super::layout::Operation::enter("search_records");
        self.logged_in(|| {
            let tax_code = self.logged_in_tax_code()?;
            let page = self.search_page()?;
            records(&page, self.profile(), &tax_code)
        })
    }

    /// Screens D.11–12: sends the record `number` to Customs with `form`, signed by `signer`.
    /// Returns the instant the portal sent it (its `Date` header).
    ///
    /// The record is chosen by its number, and only a record in "Đang nhập liệu" is sent: one
    /// already sent or approved is [`PortalRefusal::AlreadySent`], a rejected one
    /// [`PortalError::RecordRejected`], an unknown status [`PortalError::UnknownRecordStatus`].
    /// The signed send is posted once: when its answer is lost or is the login redirect, OE4001 is
    /// read again; a record now sent (or approved) returns its sent time, otherwise the error is
    /// [`PortalError::OutcomeUnknown`] and nothing is sent again.
    pub fn send_record(
        &self,
        number: &str,
        form: &SendForm,
        signer: &Arc<dyn Signer>,
    ) -> Result<DateTime<Utc>> {
        let _span = tracing::info_span!("portal.send_record", number).entered();
        let _operation = super::layout::Operation::enter("send_record");
        let profile = self.profile();
        let oe4001 = &profile.pages.oe4001;
        let number = number.trim();
        let post = self.logged_in(|| {
            let tax_code = self.logged_in_tax_code()?;
            // The search just read (by `search_records`, nothing sent since), else a new one.
            let page = match self.kept_search.take(&oe4001.path, self.request_count()) {
                Some(page) => page,
                None => self.search_page()?,
            };
            let rows = page.grid(&oe4001.record_rows, &oe4001.record_columns);
            let row = rows
                .iter()
                .find(|r| r.get("number") == number)
                .ok_or_else(|| page.unexpected(format!("no record {number} in the results")))?;
            let status = record(&page, row, &tax_code)?;
            sendable(&status)?;
            let argument = row_argument(&oe4001.send_argument, row.index);
            let page = self.post(
                oe4001,
                &self.form(&page)?.postback(&oe4001.record_grid, &argument),
            )?;
            if let Some(refused) = page.refusal(profile)? {
                return Err(refused);
            }
            if !page.has(&oe4001.send_dialog) {
                return Err(page.unexpected(format!("no send dialog ({})", oe4001.send_dialog)));
            }
            let shown = page.required_text(profile, &oe4001.send_record_number)?;
            if shown != number {
                return Err(page.unexpected(format!(
                    "the send dialog is for record {shown}, not {number}"
                )));
            }
            let content = signed::send_form(
                number,
                tax_code.as_str(),
                &form.sender_name,
                form.sender_email.as_str(),
                form.office.as_str(),
            );
            let signed = sign_step(signer.as_ref(), &content, self.config.clock.now())?;
            let mut post = self.form(&page)?;
            post.require(
                &[
                    &oe4001.fields.sender_name,
                    &oe4001.fields.sender_email,
                    &oe4001.fields.office,
                    &oe4001.fields.certificate,
                    &oe4001.fields.signature,
                ],
                &[&oe4001.buttons.send],
            )?;
            post.set(&oe4001.fields.sender_name, form.sender_name.trim())?;
            post.set(&oe4001.fields.sender_email, form.sender_email.as_str())?;
            post.set(&oe4001.fields.office, form.office.as_str())?;
            post.set(&oe4001.fields.certificate, &signed.certificate)?;
            post.set(&oe4001.fields.signature, &signed.signature)?;
            post.click(&oe4001.buttons.send)
        })?;
        let sent = self
            .post_once(PortalPost::SendRecord, oe4001, &post)
            .and_then(|page| {
                page.expect_success(profile, &profile.messages.success.sent)?;
                portal_time(&page)
            });
        match sent {
            Ok(sent_at) => {
                tracing::info!(%sent_at, "registration record sent");
                Ok(sent_at)
            }
            Err(Error::Portal(PortalError::OutcomeUnknown { post })) => {
                self.sent_after_lost_answer(number, post)
            }
            Err(e) => Err(e),
        }
    }

    /// After the answer to the send of `number` was lost: the record's sent time when OE4001 now
    /// shows it sent or approved; otherwise the outcome stays unknown.
    fn sent_after_lost_answer(&self, number: &str, post: PortalPost) -> Result<DateTime<Utc>> {
        let unknown = Error::Portal(PortalError::OutcomeUnknown { post });
        let records = match self.search_records() {
            Ok(records) => records,
            Err(e) => {
                tracing::warn!(code = e.code(), "reading OE4001 back failed");
                return Err(unknown);
            }
        };
        let Some(found) = records.into_iter().find(|r| r.number == number) else {
            return Err(unknown);
        };
        match found.status {
            RegistrationStatus::Sent | RegistrationStatus::Approved => {
                let sent_at = found.sent_at.ok_or(unknown)?;
                tracing::info!(%sent_at, "OE4001 shows the record sent: not sent again");
                Ok(sent_at)
            }
            RegistrationStatus::Rejected => Err(rejected(&found)),
            RegistrationStatus::DataEntry => Err(unknown),
        }
    }

    /// OE4001 after a search with both kinds ticked.
    fn search_page(&self) -> Result<Page> {
        let oe4001 = &self.profile().pages.oe4001;
        let page = self.open(oe4001)?;
        let mut form = self.form(&page)?;
        form.require(
            &[&oe4001.fields.new_registration, &oe4001.fields.amendment],
            &[&oe4001.buttons.search],
        )?;
        form.check(&oe4001.fields.new_registration, true)?;
        form.check(&oe4001.fields.amendment, true)?;
        let page = self.post(oe4001, &form.click(&oe4001.buttons.search)?)?;
        self.kept_search.keep(&page, self.request_count());
        Ok(page)
    }
}

/// The records of a search's result page: none when the page says there are none, the
/// refusal the page shows when it has no rows, otherwise one record per row.
pub(crate) fn records(
    page: &Page,
    profile: &SiteProfile,
    tax_code: &TaxCode,
) -> Result<Vec<RegistrationRecord>> {
    let oe4001 = &profile.pages.oe4001;
    let rows = page.grid(&oe4001.record_rows, &oe4001.record_columns);
    if rows.is_empty() {
        let message = page.message(profile)?;
        if message
            .as_deref()
            .is_some_and(|m| profile.messages.success.no_records.found_in(m))
        {
            return Ok(Vec::new());
        }
        if let Some(refused) = page.refusal(profile)? {
            return Err(refused);
        }
    }
    rows.iter().map(|r| record(page, r, tax_code)).collect()
}

/// A result row as a record.
fn record(page: &Page, r: &Row, tax_code: &TaxCode) -> Result<RegistrationRecord> {
    let number = r.get("number");
    if number.is_empty() {
        return Err(page.unexpected(format!("result row {} has no number", r.index)));
    }
    let kind = RegistrationKind::from_label(r.get("kind"))
        .ok_or_else(|| page.unexpected(format!("unknown record kind {:?}", r.get("kind"))))?;
    let status = RegistrationStatus::from_label(r.get("status")).ok_or_else(|| {
        Error::Portal(PortalError::UnknownRecordStatus {
            number: number.to_owned(),
            label: r.get("status").trim().to_owned(),
        })
    })?;
    let sent_at = match r.get("sent_at") {
        "" => None,
        text => Some(parse_local_time(page, "sent time", text)?),
    };
    Ok(RegistrationRecord {
        number: number.to_owned(),
        tax_code: tax_code.clone(),
        kind,
        status,
        sent_at,
        office: None,
        reason: Some(r.get("reason").trim())
            .filter(|reason| !reason.is_empty())
            .map(str::to_owned),
    })
}

/// Whether `record` may be sent: only a record in "Đang nhập liệu" is.
fn sendable(record: &RegistrationRecord) -> Result<()> {
    match record.status {
        RegistrationStatus::DataEntry => Ok(()),
        RegistrationStatus::Sent | RegistrationStatus::Approved => {
            Err(Error::Portal(PortalError::PortalRefused {
                refusal: PortalRefusal::AlreadySent,
                portal_text: record.status.label().to_owned(),
            }))
        }
        RegistrationStatus::Rejected => Err(rejected(record)),
    }
}

/// The error of a rejected record, with the portal's reason when it shows one.
pub(crate) fn rejected(record: &RegistrationRecord) -> Error {
    Error::Portal(PortalError::RecordRejected {
        number: record.number.clone(),
        reason: record.reason.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::SiteProfile;
    use url::Url;

    /// The rows of an OE4001 result page whose statuses are `statuses`.
    fn rows(statuses: &[&str]) -> (Page, Vec<Row>) {
        let rows: String = statuses
            .iter()
            .enumerate()
            .map(|(i, status)| {
                format!(
                    "<tr class=\"dong\"><td>10000000{i}</td><td>Sửa sau phê duyệt</td>\
                     <td>01/11/2026 08:00:00</td><td>{status}</td><td></td><td>Sai email</td></tr>"
                )
            })
            .collect();
        let html = format!("<table id=\"MainContent_grdKetQua\">{rows}</table>");
        let page = Page::new(
            "OE4001",
            Url::parse("http://127.0.0.1/").unwrap(),
            None,
            &html,
        );
        let profile = SiteProfile::default();
        let oe4001 = &profile.pages.oe4001;
        let grid = page.grid(&oe4001.record_rows, &oe4001.record_columns);
        (page, grid)
    }

    #[test]
    fn only_a_record_in_data_entry_may_be_sent() {
        let tax: TaxCode = "0302345459".parse().unwrap();
        let (page, grid) = rows(&["Đang nhập liệu", "Đã gửi", "Đã phê duyệt", "Từ chối"]);
        let records: Vec<_> = grid
            .iter()
            .map(|r| record(&page, r, &tax).unwrap())
            .collect();
        assert!(sendable(&records[0]).is_ok());
        assert_eq!(sendable(&records[1]).unwrap_err().code(), "already_sent");
        assert_eq!(sendable(&records[2]).unwrap_err().code(), "already_sent");
        let rejected = sendable(&records[3]).unwrap_err();
        assert_eq!(
            rejected,
            Error::Portal(PortalError::RecordRejected {
                number: "100000003".into(),
                reason: Some("Sai email".into()),
            })
        );
    }

    #[test]
    fn an_unknown_status_stops_with_its_label() {
        let tax: TaxCode = "0302345459".parse().unwrap();
        let (page, grid) = rows(&["Đang xử lý"]);
        assert_eq!(
            record(&page, &grid[0], &tax).unwrap_err(),
            Error::Portal(PortalError::UnknownRecordStatus {
                number: "100000000".into(),
                label: "Đang xử lý".into(),
            })
        );
    }
}

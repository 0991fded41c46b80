//! Reading a saved OE4001 result page offline, as the workflow reads it after a search.

use serde::Serialize;
use url::Url;

use super::form::Form;
use super::page::Page;
use super::profile::{PageLocation, SiteProfile};
use super::records::records;
use crate::Result;
use crate::ids::TaxCode;
use crate::records::RegistrationRecord;

/// What the workflow reads on an OE4001 result page (screen D.10 of docs/domain.md §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SearchPage {
    /// The registration records the result grid shows, in its order.
    pub records: Vec<RegistrationRecord>,
    /// The form's hidden WebForms fields the profile names (`webforms.hidden_fields`), each
    /// with its value, in the profile's order: what a postback from this page carries back.
    pub hidden_fields: Vec<(String, String)>,
}

/// Reads an OE4001 result page (its HTML text, e.g. saved from a browser or a HAR) through
/// `profile`, with the same parsing the workflow uses on the live page: the nesting and size
/// limits, the result grid as records of the enterprise `tax_code`, and the form with its hidden
/// fields.
///
/// Errors are the workflow's: [`PortalError::PortalPageTooDeep`] and
/// [`PortalError::PortalPageTooLarge`] before parsing, [`PortalError::PortalLayoutChanged`] for
/// a page without the form or one of its hidden fields, the refusal the page shows when it has no
/// rows, and [`PortalError::UnknownRecordStatus`] or [`PortalError::PortalUnexpectedPage`] for a
/// row that cannot be read.
///
/// [`PortalError::PortalPageTooDeep`]: super::PortalError::PortalPageTooDeep
/// [`PortalError::PortalPageTooLarge`]: super::PortalError::PortalPageTooLarge
/// [`PortalError::PortalLayoutChanged`]: super::PortalError::PortalLayoutChanged
/// [`PortalError::UnknownRecordStatus`]: super::PortalError::UnknownRecordStatus
/// [`PortalError::PortalUnexpectedPage`]: super::PortalError::PortalUnexpectedPage
///
/// ```
/// use vnaccs_core::portal::{SiteProfile, read_search_page};
///
/// let html = r#"<form id="form1" action="./OE4001.aspx">
///   <input type="hidden" name="__VIEWSTATE" value="dDw=" />
///   <input type="hidden" name="__VIEWSTATEGENERATOR" value="CA0B0334" />
///   <input type="hidden" name="__EVENTVALIDATION" value="/wEd" />
///   <table id="MainContent_grdKetQua">
///     <tr class="dong"><td>100000001</td><td>Đăng ký mới</td><td>01/11/2026 08:00:00</td>
///       <td>Đã phê duyệt</td><td>01/11/2026 09:00:00</td><td></td></tr>
///   </table></form>"#;
/// let page = read_search_page(&SiteProfile::default(), html, &"0302345459".parse()?)?;
/// assert_eq!(page.records[0].number, "100000001");
/// assert_eq!(page.hidden_fields[0], ("__VIEWSTATE".to_owned(), "dDw=".to_owned()));
/// # Ok::<(), vnaccs_core::Error>(())
/// ```
pub fn read_search_page(
    profile: &SiteProfile,
    html: &str,
    tax_code: &TaxCode,
) -> Result<SearchPage> {
    let oe4001 = &profile.pages.oe4001;
    let path = oe4001.path();
    let url = profile
        .vnaccs_url()
        .join(path.trim_start_matches('/'))
        .unwrap_or_else(|_| Url::clone(profile.vnaccs_url()));
    let page = Page::read(path, url, None, html)?;
    let records = records(&page, profile, tax_code)?;
    let form = Form::parse(&page, profile)?;
    let hidden_fields = profile
        .webforms
        .hidden_fields
        .iter()
        .map(|name| {
            (
                name.clone(),
                form.value(name).unwrap_or_default().to_owned(),
            )
        })
        .collect();
    Ok(SearchPage {
        records,
        hidden_fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{RegistrationKind, RegistrationStatus};

    const HIDDEN: &str = r#"<input type="hidden" name="__EVENTTARGET" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="dDwtMTA4Nzs7Pg==" />
<input type="hidden" name="__VIEWSTATEGENERATOR" value="CA0B0334" />
<input type="hidden" name="__EVENTVALIDATION" value="/wEdAAe+k7ZY" />"#;

    fn page(hidden: &str, rows: &str) -> String {
        format!(
            r#"<!DOCTYPE html><html><body><form id="form1" method="post" action="./OE4001.aspx">
{hidden}<table id="MainContent_grdKetQua">
<tr class="tieu-de"><th>Số bản khai</th><th>Loại</th><th>Ngày tạo</th><th>Trạng thái</th><th>Ngày gửi</th><th></th></tr>
{rows}</table></form></body></html>"#
        )
    }

    #[test]
    fn reads_the_records_and_the_hidden_fields() {
        let rows = "<tr class=\"dong\"><td>100000001</td><td>Đăng ký mới</td>\
            <td>01/11/2026 08:00:00</td><td> Đã phê duyệt </td><td>01/11/2026 09:00:00</td>\
            <td></td></tr>\
            <tr class=\"dong\"><td>100000002</td><td>Sửa sau phê duyệt</td>\
            <td>22/11/2026 08:00:00</td><td>Từ chối</td><td>22/11/2026 09:30:00</td>\
            <td>Sai email</td></tr>";
        let tax: TaxCode = "0302345459".parse().unwrap();
        let read = read_search_page(&SiteProfile::default(), &page(HIDDEN, rows), &tax).unwrap();
        assert_eq!(
            read.hidden_fields,
            [
                ("__VIEWSTATE", "dDwtMTA4Nzs7Pg=="),
                ("__VIEWSTATEGENERATOR", "CA0B0334"),
                ("__EVENTVALIDATION", "/wEdAAe+k7ZY"),
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
        let numbers: Vec<_> = read.records.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, ["100000001", "100000002"]);
        let second = &read.records[1];
        assert_eq!(second.kind, RegistrationKind::AmendmentAfterApproval);
        assert_eq!(second.status, RegistrationStatus::Rejected);
        assert_eq!(second.reason.as_deref(), Some("Sai email"));
        assert_eq!(second.tax_code, tax);
        // 09:30 in Vietnam (UTC+7).
        assert_eq!(
            second.sent_at.unwrap().to_rfc3339(),
            "2026-11-22T02:30:00+00:00"
        );
    }

    #[test]
    fn a_page_without_a_hidden_field_is_a_changed_layout() {
        let hidden = HIDDEN.replace("__EVENTVALIDATION", "__OTHER");
        let tax: TaxCode = "0302345459".parse().unwrap();
        let err = read_search_page(&SiteProfile::default(), &page(&hidden, ""), &tax).unwrap_err();
        assert_eq!(err.code(), "portal_layout_changed");
        assert!(err.to_string().contains("__EVENTVALIDATION"), "{err}");
    }
}

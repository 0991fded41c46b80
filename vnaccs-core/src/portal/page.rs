//! A page the portal answered, read through the site profile: its message, grids and elements.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::css::Css;
use super::error::PortalError;
use super::layout::{ItemKind, MissingItem, Operation, fingerprint};
use super::nesting::{Excess, MAX_DEPTH, MAX_ELEMENTS, excess};
use super::profile::{SiteProfile, Texts};
use crate::{Error, Result};

/// A parsed HTML page with where it came from.
#[derive(Debug)]
pub(crate) struct Page {
    /// The page's name in errors (its path in the profile, e.g. `/Pages/OE4001.aspx`).
    pub name: String,
    /// The URL it was finally served from (after redirects).
    pub url: Url,
    /// The portal's clock: the response's `Date` header.
    pub date: Option<DateTime<Utc>>,
    /// The document.
    pub html: Html,
    /// The HTML text it was parsed from.
    pub text: Arc<str>,
}

/// One row of a grid: its 0-based index among the grid's rows and its cells by column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub index: usize,
    cells: HashMap<String, String>,
}

impl Row {
    /// The cell of `column`, trimmed ("" when the row has no such cell).
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// Parses one of the client's own fixed CSS selectors (the profile's are parsed when it loads).
pub(crate) fn selector(css: &str) -> Result<Selector> {
    Ok(Css::parse(css)?.selector().clone())
}

/// The element's text with runs of whitespace collapsed to one space, trimmed.
pub(crate) fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Page {
    /// A page from its HTML text.
    pub fn new(name: &str, url: Url, date: Option<DateTime<Utc>>, body: &str) -> Self {
        Page {
            name: name.to_owned(),
            url,
            date,
            html: Html::parse_document(body),
            text: body.into(),
        }
    }

    /// A page from the text the portal answered: refused, before it is parsed, when its elements
    /// nest deeper than [`MAX_DEPTH`] levels or number more than [`MAX_ELEMENTS`].
    pub fn read(name: &str, url: Url, date: Option<DateTime<Utc>>, body: &str) -> Result<Self> {
        let page = name.to_owned();
        match excess(body, MAX_DEPTH, MAX_ELEMENTS) {
            Some(Excess::Depth) => Err(Error::Portal(PortalError::PortalPageTooDeep {
                page,
                limit: MAX_DEPTH,
            })),
            Some(Excess::Elements) => Err(Error::Portal(PortalError::PortalPageTooLarge {
                page,
                limit: MAX_ELEMENTS,
            })),
            None => Ok(Self::new(name, url, date, body)),
        }
    }

    /// An [`PortalError::PortalUnexpectedPage`] for this page.
    pub fn unexpected(&self, detail: impl Into<String>) -> Error {
        Error::Portal(PortalError::PortalUnexpectedPage {
            page: self.name.clone(),
            detail: detail.into(),
        })
    }

    /// The page's fingerprint: its form's field names (the whole page's when it has no form)
    /// and the texts of its message elements.
    pub fn fingerprint(&self, profile: &SiteProfile) -> String {
        let Ok(named) = selector("input[name], select[name], textarea[name]") else {
            return String::new();
        };
        let scope = self.first(&profile.webforms.form);
        let names: Vec<&str> = match scope {
            Some(form) => form.select(&named).collect::<Vec<_>>(),
            None => self.html.select(&named).collect(),
        }
        .into_iter()
        .filter_map(|e| e.value().attr("name"))
        .collect();
        let messages = self
            .html
            .select(profile.common.message.selector())
            .map(text_of);
        fingerprint(names, messages)
    }

    /// A [`PortalError::PortalLayoutChanged`] for this page: it lacks the `missing` items of
    /// the profile, in the operation running now.
    pub fn layout_changed(&self, profile: &SiteProfile, missing: Vec<MissingItem>) -> Error {
        Error::Portal(PortalError::PortalLayoutChanged {
            page: self.name.clone(),
            operation: Operation::current(),
            missing,
            message: self
                .text(&profile.common.message)
                .filter(|text| !text.is_empty()),
            fingerprint: self.fingerprint(profile),
        })
    }

    /// The first element `css` selects.
    pub fn first(&self, css: &Css) -> Option<ElementRef<'_>> {
        self.html.select(css.selector()).next()
    }

    /// Whether `css` selects an element.
    pub fn has(&self, css: &Css) -> bool {
        self.first(css).is_some()
    }

    /// The text of the first element `css` selects, if any.
    pub fn text(&self, css: &Css) -> Option<String> {
        self.first(css).map(text_of)
    }

    /// The text of the first element `css` selects; the layout changed when it is absent or
    /// empty.
    pub fn required_text(&self, profile: &SiteProfile, css: &Css) -> Result<String> {
        match self.text(css) {
            Some(text) if !text.is_empty() => Ok(text),
            _ => Err(self.layout_changed(
                profile,
                vec![MissingItem::new(ItemKind::Selector, css.to_string())],
            )),
        }
    }

    /// The portal's message, if the page shows one.
    pub fn message(&self, profile: &SiteProfile) -> Result<Option<String>> {
        Ok(self
            .text(&profile.common.message)
            .filter(|text| !text.is_empty()))
    }

    /// The refusal the page's message shows, as an error: the longest refusal text the message
    /// contains wins.
    pub fn refusal(&self, profile: &SiteProfile) -> Result<Option<Error>> {
        let Some(message) = self.message(profile)? else {
            return Ok(None);
        };
        Ok(profile
            .messages
            .refusals
            .iter()
            .filter(|(text, _)| message.contains(text.trim()))
            .max_by_key(|(text, _)| text.len())
            .map(|(_, refusal)| {
                Error::Portal(PortalError::PortalRefused {
                    refusal: *refusal,
                    portal_text: message.clone(),
                })
            }))
    }

    /// Succeeds when the message contains one of the wordings of `success`; otherwise the
    /// refusal shown, or the layout changed: the success message missing.
    pub fn expect_success(&self, profile: &SiteProfile, success: &Texts) -> Result<()> {
        match self.message(profile)? {
            Some(message) if success.found_in(&message) => Ok(()),
            _ => Err(self.failure(
                profile,
                MissingItem::new(ItemKind::Message, success.to_string()),
            )?),
        }
    }

    /// The error for a page that lacks `expected`: the refusal it shows, or the layout changed
    /// (with the message shown, if any).
    pub fn failure(&self, profile: &SiteProfile, expected: MissingItem) -> Result<Error> {
        if let Some(refused) = self.refusal(profile)? {
            return Ok(refused);
        }
        Ok(self.layout_changed(profile, vec![expected]))
    }

    /// The rows `rows_css` selects, their `<td>` cells named by `columns` in order.
    pub fn grid(&self, rows_css: &Css, columns: &[String]) -> Vec<Row> {
        self.html
            .select(rows_css.selector())
            .enumerate()
            .map(|(index, row)| {
                let cells = row
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|cell| cell.value().name().eq_ignore_ascii_case("td"))
                    .map(text_of);
                Row {
                    index,
                    cells: columns.iter().cloned().zip(cells).collect(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::PortalRefusal;

    const OE4001: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>OE4001</title></head>
<body>
  <div id="header"><ul id="menu-chinh"><li>I. Đăng ký</li><li>IV. Tra cứu</li></ul></div>
  <form id="form1" method="post" action="./OE4001.aspx">
    <table class="layout"><tr><td>
      <span id="MainContent_lblThongBao">
          Mã Hải quan
          không hợp lệ
      </span>
      <table id="MainContent_grdKetQua">
        <tr class="tieu-de"><th>Số bản khai</th><th>Loại</th><th>Ngày tạo</th><th>Trạng thái</th><th>Ngày gửi</th><th></th></tr>
        <tr class="dong"><td>100000001</td><td>Đăng ký mới</td><td>01/11/2026 08:00:00</td>
            <td> Đã phê duyệt </td><td>01/11/2026 09:00:00</td><td><a href="javascript:__doPostBack('ctl00$MainContent$grdKetQua','Gui$0')">Gửi</a></td></tr>
        <tr class="dong"><td>100000002</td><td>Sửa sau phê duyệt</td><td>22/11/2026 08:00:00</td>
            <td>Đang nhập liệu</td><td></td><td><table><tr><td>nested</td></tr></table></td></tr>
      </table>
    </td></tr></table>
  </form>
</body></html>"#;

    fn page(body: &str) -> Page {
        Page::new(
            "/Pages/OE4001.aspx",
            Url::parse("http://127.0.0.1/Pages/OE4001.aspx").unwrap(),
            None,
            body,
        )
    }

    #[test]
    fn messages_map_to_refusals() {
        let profile = SiteProfile::default();
        let p = page(OE4001);
        assert_eq!(
            p.message(&profile).unwrap().as_deref(),
            Some("Mã Hải quan không hợp lệ")
        );
        let err = p
            .expect_success(&profile, &profile.messages.success.sent)
            .unwrap_err();
        assert_eq!(err.code(), "office_refused");
        assert!(matches!(
            err,
            Error::Portal(PortalError::PortalRefused { refusal: PortalRefusal::OfficeRefused, ref portal_text })
                if portal_text == "Mã Hải quan không hợp lệ"
        ));
    }

    #[test]
    fn the_longest_refusal_text_wins() {
        let profile = SiteProfile::default();
        let body =
            r#"<span id="MainContent_lblThongBao">Mã số thuế hoặc mật khẩu không đúng</span>"#;
        let err = page(body).refusal(&profile).unwrap().unwrap();
        assert_eq!(err.code(), "wrong_password");
        let body = r#"<span id="MainContent_lblThongBao">Mật khẩu xác nhận không khớp</span>"#;
        let err = page(body).refusal(&profile).unwrap().unwrap();
        assert_eq!(err.code(), "confirmation_mismatch");
    }

    #[test]
    fn success_and_unknown_messages() {
        let profile = SiteProfile::default();
        for wording in [
            "Đã gửi bản khai cho Hải quan",
            "Đã gửi bản khai đến Hải quan",
        ] {
            let ok = format!(r#"<span id="MainContent_lblThongBao"> {wording} </span>"#);
            assert!(
                page(&ok)
                    .expect_success(&profile, &profile.messages.success.sent)
                    .is_ok()
            );
        }
        let other = r#"<span id="MainContent_lblThongBao">Chúc mừng năm mới</span>"#;
        let err = page(other)
            .expect_success(&profile, &profile.messages.success.sent)
            .unwrap_err();
        assert_eq!(err.code(), "portal_layout_changed");
        assert!(err.to_string().contains("Chúc mừng năm mới"), "{err}");
        assert!(
            err.to_string()
                .contains("missing message Đã gửi bản khai cho Hải quan"),
            "{err}"
        );
        let none = page("<html><body><p>trống</p></body></html>");
        let err = none
            .expect_success(&profile, &profile.messages.success.sent)
            .unwrap_err();
        assert!(err.to_string().contains("/Pages/OE4001.aspx"), "{err}");
        assert!(!err.to_string().contains("portal said"), "{err}");
    }

    #[test]
    fn grid_rows_and_columns() {
        let profile = SiteProfile::default();
        let o = &profile.pages.oe4001;
        let rows = page(OE4001).grid(&o.record_rows, &o.record_columns);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].index, 0);
        assert_eq!(rows[0].get("number"), "100000001");
        assert_eq!(rows[0].get("status"), "Đã phê duyệt");
        assert_eq!(rows[0].get("sent_at"), "01/11/2026 09:00:00");
        assert_eq!(rows[1].index, 1);
        assert_eq!(rows[1].get("kind"), "Sửa sau phê duyệt");
        assert_eq!(rows[1].get("sent_at"), "");
        assert_eq!(rows[1].get("no_such_column"), "");
        assert!(
            page("<p></p>")
                .grid(&o.record_rows, &o.record_columns)
                .is_empty()
        );
    }

    proptest::proptest! {
        /// No page content makes reading a page panic: forms, grids, messages and refusals of
        /// arbitrary markup give values or typed errors.
        #[test]
        fn any_content_is_read_without_panicking(
            body in "[<>a-zA-Z0-9 =\"'/#$().,:;_-]{0,400}|\\PC{0,200}",
            cell in "\\PC{0,40}",
        ) {
            let profile = SiteProfile::default();
            let page_text = format!(
                r#"<form id="form1" action="{cell}"><input type="hidden" name="__VIEWSTATE" value="{cell}"/>{body}
                <span id="MainContent_lblThongBao">{cell}{body}</span>
                <table id="MainContent_grdKetQua"><tr class="dong"><td>{cell}</td>{body}</tr></table></form>"#
            );
            for text in [body.as_str(), page_text.as_str()] {
                let p = page(text);
                let _ = crate::portal::form::Form::parse(&p, &profile)
                    .map(|f| (f.click(&profile.pages.oe4001.buttons.search).is_ok(), f.postback("a", "b").body()));
                let o = &profile.pages.oe4001;
                let _ = p.grid(&o.record_rows, &o.record_columns);
                let _ = p.expect_success(&profile, &profile.messages.success.sent);
                let _ = p.refusal(&profile);
            }
        }
    }

    #[test]
    fn elements_and_texts() {
        let p = page(OE4001);
        let css = |text: &str| Css::parse(text).unwrap();
        assert!(p.has(&css("#menu-chinh")));
        assert!(!p.has(&css("#bao-tri")));
        assert_eq!(
            p.text(&css("#menu-chinh li")).as_deref(),
            Some("I. Đăng ký")
        );
        let err = p
            .required_text(&SiteProfile::default(), &css("#MainContent_lblSerial"))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Portal(PortalError::PortalLayoutChanged { missing, .. })
                if missing == &[MissingItem::new(ItemKind::Selector, "#MainContent_lblSerial")]),
            "{err:?}"
        );
    }
}

//! What a page's handler sees and returns: the pages, the posted form, the context, the view,
//! and the checks and formats several screens share. A leaf below the screens: it uses none of
//! them.

use std::collections::BTreeSet;
use std::sync::Arc;

use base64ct::{Base64, Encoding};
use chrono::{DateTime, NaiveDate, Utc};

use super::super::faults::Operation;
use super::super::fields::Fields;
use super::super::html::Site;
use super::super::http::{Request, Response};
use super::super::received::{ReceivedSignature, SignatureLog};
use super::super::session::Session;
use super::super::state::{Enterprise, Inner};
use super::super::viewstate::{self, PageMemory, PageState};
use crate::cert::Certificate;
use crate::ids::TaxCode;
use crate::timing::vietnam_offset;

/// A page of either site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::sandbox) enum Page {
    /// A. Đăng ký Doanh nghiệp sử dụng chữ ký số.
    Register,
    /// The captcha image of A.
    Captcha,
    /// B.5–6. Đăng ký/cập nhật tài khoản quản trị.
    Admin,
    /// B.7. Đăng nhập.
    Login,
    /// Thoát.
    Logout,
    /// Trang chủ (after login).
    Home,
    /// Quên mật khẩu.
    ForgotPassword,
    /// C. OE2102.
    Oe2102,
    /// D. OE4001.
    Oe4001,
    /// E. OE4002.
    Oe4002,
    /// F. Cấp mới password cho người sử dụng.
    Password,
    /// The VNACCS site's enterprise entry (seed 002: `103.248.160.14/Pages/dn.aspx`).
    Entry,
}

impl Page {
    const ALL: [Page; 12] = [
        Page::Register,
        Page::Captcha,
        Page::Admin,
        Page::Login,
        Page::Logout,
        Page::Home,
        Page::ForgotPassword,
        Page::Oe2102,
        Page::Oe4001,
        Page::Oe4002,
        Page::Password,
        Page::Entry,
    ];

    /// The page at `path` (case-insensitive, as IIS has it).
    pub fn route(path: &str) -> Option<Page> {
        if path == "/" || path.eq_ignore_ascii_case("/Default.aspx") {
            return Some(Page::Home);
        }
        Self::ALL
            .into_iter()
            .find(|p| p.path().eq_ignore_ascii_case(path))
    }

    /// The page's path.
    pub fn path(self) -> &'static str {
        match self {
            Page::Register => "/Pages/DangKyChuKySo.aspx",
            Page::Captcha => "/CaptchaImage.ashx",
            Page::Admin => "/Pages/QuanTriTaiKhoan.aspx",
            Page::Login => "/Pages/DangNhap.aspx",
            Page::Logout => "/Pages/DangXuat.aspx",
            Page::Home => "/Pages/TrangChu.aspx",
            Page::ForgotPassword => "/Pages/QuenMatKhau.aspx",
            Page::Oe2102 => "/Pages/OE2102.aspx",
            Page::Oe4001 => "/Pages/OE4001.aspx",
            Page::Oe4002 => "/Pages/OE4002.aspx",
            Page::Password => "/Pages/CapPasswordNSD.aspx",
            Page::Entry => "/Pages/dn.aspx",
        }
    }

    /// Whether the page needs a logged-in session.
    pub fn protected(self) -> bool {
        matches!(
            self,
            Page::Home | Page::Oe2102 | Page::Oe4001 | Page::Oe4002 | Page::Password
        )
    }

    /// Whether posts to the page carry viewstate.
    pub fn is_webform(self) -> bool {
        !matches!(self, Page::Captcha | Page::Logout)
    }

    /// The website the page belongs to.
    pub fn site(self) -> Site {
        match self {
            Page::Register | Page::Captcha => Site::Registration,
            _ => Site::Vnaccs,
        }
    }
}

/// A posted `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, Default)]
pub(in crate::sandbox) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Decodes a body (invalid UTF-8 is replaced, never a failure).
    pub fn parse(body: &[u8]) -> Form {
        Form {
            pairs: url::form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// The first value posted for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the post raises an event the render offered (event validation): a postback
    /// link's target and argument, or a rendered button.
    pub fn raised_event(&self, state: &PageState) -> bool {
        match self.get(viewstate::EVENT_TARGET).filter(|t| !t.is_empty()) {
            Some(target) => {
                let argument = self.get(viewstate::EVENT_ARGUMENT).unwrap_or("");
                state
                    .events
                    .contains(&viewstate::postback_event(target, argument))
            }
            None => self.pairs.iter().any(|(n, _)| state.events.contains(n)),
        }
    }
}

/// What a page's handler sees.
pub(in crate::sandbox) struct Ctx<'a> {
    /// The portal's state.
    pub inner: &'a mut Inner,
    /// The request's session.
    pub session: &'a mut Session,
    /// Field names.
    pub fields: &'a Fields,
    /// The log of the signatures received.
    pub signatures: &'a SignatureLog,
    /// The posted form (empty for GET).
    pub form: &'a Form,
    /// The request.
    pub request: &'a Request,
    /// The sandbox clock's instant.
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// The trimmed value posted for the field originally named `original` ("" when absent).
    pub fn value(&self, original: &str) -> &str {
        self.form
            .get(self.fields.name(original))
            .map_or("", str::trim)
    }

    /// Whether the button originally named `original` was pressed (or its postback link, when
    /// the configuration rendered it as one).
    pub fn pressed(&self, original: &str) -> bool {
        let name = self.fields.name(original);
        self.form.get(name).is_some()
            || (self.fields.is_link(original)
                && self.form.get(viewstate::EVENT_TARGET) == Some(name))
    }

    /// The argument of a postback to the control originally named `target`.
    pub fn postback(&self, target: &str) -> Option<&str> {
        (self.form.get(viewstate::EVENT_TARGET) == Some(self.fields.name(target)))
            .then(|| self.form.get(viewstate::EVENT_ARGUMENT).unwrap_or(""))
    }

    /// What this page's latest render left in the session, when it is a `T` (each page
    /// remembers its own type).
    pub fn data<T: Clone + 'static>(&self, page: Page) -> Option<T> {
        self.session
            .pages
            .get(page.path())
            .and_then(|s| s.data.downcast_ref::<T>())
            .cloned()
    }

    /// The logged-in enterprise.
    pub fn enterprise(&self) -> Option<&Enterprise> {
        self.session
            .logged_in
            .as_ref()
            .and_then(|t| self.inner.enterprise(t))
    }

    /// The logged-in tax code.
    pub fn tax_code(&self) -> Option<TaxCode> {
        self.session.logged_in.clone()
    }

    /// The certificate posted in the field originally named `original` (base64 DER).
    pub fn certificate(&self, original: &str) -> Option<Certificate> {
        let value = self.value(original);
        (!value.is_empty())
            .then(|| Certificate::from_base64(value).ok())
            .flatten()
    }

    /// Whether the signature posted in `original` (base64 DER detached CMS) with `operation`
    /// for `tax_code` was made over `content` by `cert`; the signature is logged either way.
    pub fn signature_ok(
        &self,
        operation: Operation,
        tax_code: &str,
        original: &str,
        cert: &Certificate,
        content: &[u8],
    ) -> bool {
        let cleaned: String = self
            .value(original)
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let signature = Base64::decode_vec(&cleaned).unwrap_or_default();
        let accepted = !signature.is_empty()
            && crate::sign::verify_detached(&signature, content, cert.der()).is_ok();
        self.signatures.push(ReceivedSignature {
            operation,
            tax_code: tax_code.to_owned(),
            content: content.to_vec(),
            signature,
            accepted,
        });
        accepted
    }
}

/// A page's memory of its render: `data`, read back with [`Ctx::data`].
pub(in crate::sandbox) fn memory<T: Send + Sync + 'static>(data: T) -> PageMemory {
    Arc::new(data)
}

/// A page's rendered content, before the master page wraps it.
#[derive(Debug)]
pub(in crate::sandbox) struct View {
    /// The title.
    pub title: &'static str,
    /// The content.
    pub content: String,
    /// The events the content offers.
    pub events: BTreeSet<String>,
    /// What to remember (read back with [`Ctx::data`]).
    pub data: PageMemory,
}

/// What a handler returns.
#[derive(Debug)]
pub(in crate::sandbox) enum Reply {
    /// A page.
    View(Box<View>),
    /// A redirect.
    Redirect(String),
    /// Anything else (the captcha image).
    Raw(Response),
}

/// Whether the certificate's tax code is `tax_code`'s: exactly, or on the same 10-digit base
/// when `tax_code` is a branch's.
pub(in crate::sandbox) fn tax_code_matches(cert: &Certificate, tax_code: &TaxCode) -> bool {
    cert.check_tax_code(tax_code, tax_code.branch().is_some())
        .is_match()
}

/// Whether `cert` is valid at `now`.
pub(in crate::sandbox) fn valid_at(cert: &Certificate, now: DateTime<Utc>) -> bool {
    matches!(cert.validity_at(now), crate::cert::Validity::Valid { .. })
}

/// A date as the portal shows it: dd/MM/yyyy.
pub(in crate::sandbox) fn show_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A date as posted (dd/MM/yyyy).
pub(in crate::sandbox) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y")
        .ok()
        .filter(|d| crate::dates::date_in_range(*d))
}

/// An instant in Vietnam time, as the portal shows it: dd/MM/yyyy HH:mm:ss.
pub(in crate::sandbox) fn show_instant(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam_offset())
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

/// The page heading.
pub(in crate::sandbox) fn heading(text: &str) -> String {
    format!(
        "                <div class=\"tieu-de-trang\"><h1>{}</h1></div>\n",
        super::super::html::escape(text)
    )
}

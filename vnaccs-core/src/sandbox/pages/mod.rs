//! The screens: routing, the posted form, what a handler sees and returns, and the checks
//! several screens share.

mod account;
mod admin;
mod oe2102;
mod oe4001;
mod oe4002;
mod password;
mod register;

use std::collections::BTreeSet;

use base64ct::{Base64, Encoding};
use chrono::{DateTime, NaiveDate, Utc};

use super::faults::Operation;
use super::fields::Fields;
use super::html::Site;
use super::http::{Request, Response};
use super::session::Session;
use super::state::{Enterprise, Inner};
use super::viewstate::{self, PageState};
use crate::cert::Certificate;
use crate::ids::TaxCode;
use crate::timing::vietnam_offset;

/// A page of either site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
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

    /// The operation (fault point) a request to this page is.
    pub fn operation(self, post: bool, form: &Form, fields: &Fields) -> Option<Operation> {
        let pressed = |button: &str| form.get(fields.name(button)).is_some();
        let target = |grid: &str| form.get(viewstate::EVENT_TARGET) == Some(fields.name(grid));
        let op = match (self, post) {
            (Page::Register, false) => Operation::RegisterPage,
            (Page::Register, true) if pressed(register::BTN_VIEW) => Operation::RegisterView,
            (Page::Register, true) if pressed(register::BTN_VIEW_CERTIFICATE) => {
                Operation::RegisterViewCertificate
            }
            (Page::Register, true) if pressed(register::BTN_REGISTER) => Operation::RegisterSubmit,
            (Page::Register, true) => Operation::RegisterPage,
            (Page::Captcha, _) => Operation::Captcha,
            (Page::Admin, true) if pressed(admin::BTN_CONFIRM) => Operation::ConfirmUsers,
            (Page::Admin, true) if pressed(admin::BTN_UPDATE) => Operation::AdminUpdate,
            (Page::Admin, _) => Operation::AdminPage,
            (Page::Login, false) => Operation::LoginPage,
            (Page::Login, true) => Operation::Login,
            (Page::Logout | Page::Entry, _) => return None,
            (Page::Home, _) => Operation::Home,
            (Page::ForgotPassword, false) => Operation::ForgotPasswordPage,
            (Page::ForgotPassword, true) => Operation::ForgotPassword,
            (Page::Oe2102, true) if target(oe2102::GRID) => Operation::DeclarantSelect,
            (Page::Oe2102, true) if pressed(oe2102::BTN_READ) => {
                Operation::DeclarantReadCertificate
            }
            (Page::Oe2102, true) if pressed(oe2102::BTN_SAVE) => Operation::DeclarantSave,
            (Page::Oe2102, _) => Operation::Oe2102Page,
            (Page::Oe4001, true) if pressed(oe4001::BTN_SEARCH) => Operation::Search,
            (Page::Oe4001, true) if target(oe4001::GRID) => Operation::SendOpen,
            (Page::Oe4001, true) if pressed(oe4001::BTN_SIGN) => Operation::SendSign,
            (Page::Oe4001, true) if pressed(oe4001::BTN_SEND) => Operation::Send,
            (Page::Oe4001, _) => Operation::Oe4001Page,
            (Page::Oe4002, _) => Operation::Oe4002,
            (Page::Password, false) => Operation::PasswordPage,
            (Page::Password, true) => Operation::PasswordChange,
        };
        Some(op)
    }
}

/// A posted `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, Default)]
pub(super) struct Form {
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
pub(super) struct Ctx<'a> {
    /// The portal's state.
    pub inner: &'a mut Inner,
    /// The request's session.
    pub session: &'a mut Session,
    /// Field names.
    pub fields: &'a Fields,
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

    /// Whether the button originally named `original` was pressed.
    pub fn pressed(&self, original: &str) -> bool {
        self.form.get(self.fields.name(original)).is_some()
    }

    /// The argument of a postback to the control originally named `target`.
    pub fn postback(&self, target: &str) -> Option<&str> {
        (self.form.get(viewstate::EVENT_TARGET) == Some(self.fields.name(target)))
            .then(|| self.form.get(viewstate::EVENT_ARGUMENT).unwrap_or(""))
    }

    /// The data this page's latest render left in the session.
    pub fn data(&self, page: Page) -> PageData {
        self.session
            .pages
            .get(page.path())
            .and_then(|s| s.data.downcast_ref::<PageData>())
            .cloned()
            .unwrap_or(PageData::None)
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

    /// Whether the signature posted in `original` (base64 DER detached CMS) was made over
    /// `content` by `cert`.
    pub fn signature_ok(&self, original: &str, cert: &Certificate, content: &[u8]) -> bool {
        let cleaned: String = self
            .value(original)
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        match Base64::decode_vec(&cleaned) {
            Ok(cms) => crate::sign::verify_detached(&cms, content, cert.der()).is_ok(),
            Err(_) => false,
        }
    }
}

/// What a page's latest render remembers, per page.
#[derive(Debug, Clone, Default)]
pub(super) enum PageData {
    /// Nothing.
    #[default]
    None,
    /// Screen A.
    Register(register::Data),
    /// Screen B.5–6.
    Admin(admin::Data),
    /// The login challenge.
    Login(String),
    /// Screen C.
    Oe2102(oe2102::Data),
    /// Screen D.
    Oe4001(oe4001::Data),
    /// Screen E: the terminals tab is shown.
    Oe4002(bool),
}

/// A page's rendered content, before the master page wraps it.
#[derive(Debug)]
pub(super) struct View {
    /// The title.
    pub title: &'static str,
    /// The content.
    pub content: String,
    /// The events the content offers.
    pub events: BTreeSet<String>,
    /// What to remember.
    pub data: PageData,
}

/// What a handler returns.
#[derive(Debug)]
pub(super) enum Reply {
    /// A page.
    View(Box<View>),
    /// A redirect.
    Redirect(String),
    /// Anything else (the captcha image).
    Raw(Response),
}

/// Handles a GET.
pub(super) fn get(page: Page, ctx: &mut Ctx) -> Reply {
    match page {
        Page::Register => register::get(ctx),
        Page::Captcha => register::captcha(ctx),
        Page::Admin => admin::render(ctx, admin::Data::default(), None),
        Page::Login => account::login_get(ctx),
        Page::Logout => account::logout(ctx),
        Page::Home => account::home(ctx),
        Page::ForgotPassword => account::forgot_render(ctx, None),
        Page::Oe2102 => oe2102::render(ctx, oe2102::Data::default(), None),
        Page::Oe4001 => oe4001::render(ctx, oe4001::Data::default(), None),
        Page::Oe4002 => oe4002::render(ctx, false),
        Page::Password => password::render(ctx, None),
        Page::Entry => account::entry(),
    }
}

/// Handles a POST (its viewstate already checked).
pub(super) fn post(page: Page, ctx: &mut Ctx) -> Reply {
    match page {
        Page::Register => register::post(ctx),
        Page::Admin => admin::post(ctx),
        Page::Login => account::login_post(ctx),
        Page::ForgotPassword => account::forgot_post(ctx),
        Page::Oe2102 => oe2102::post(ctx),
        Page::Oe4001 => oe4001::post(ctx),
        Page::Oe4002 => oe4002::post(ctx),
        Page::Password => password::post(ctx),
        Page::Home | Page::Captcha | Page::Logout | Page::Entry => get(page, ctx),
    }
}

/// Whether the certificate's tax code is `tax_code`'s: exactly, or on the same 10-digit base
/// when `tax_code` is a branch's.
pub(super) fn tax_code_matches(cert: &Certificate, tax_code: &TaxCode) -> bool {
    cert.check_tax_code(tax_code, tax_code.branch().is_some())
        .is_match()
}

/// Whether `cert` is valid at `now`.
pub(super) fn valid_at(cert: &Certificate, now: DateTime<Utc>) -> bool {
    matches!(cert.validity_at(now), crate::cert::Validity::Valid { .. })
}

/// A date as the portal shows it: dd/MM/yyyy.
pub(super) fn show_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A date as posted (dd/MM/yyyy).
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y")
        .ok()
        .filter(|d| crate::dates::date_in_range(*d))
}

/// An instant in Vietnam time, as the portal shows it: dd/MM/yyyy HH:mm:ss.
pub(super) fn show_instant(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam_offset())
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

/// The page heading.
pub(super) fn heading(text: &str) -> String {
    format!(
        "                <div class=\"tieu-de-trang\"><h1>{}</h1></div>\n",
        super::html::escape(text)
    )
}

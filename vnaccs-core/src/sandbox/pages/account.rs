//! Login (B.7) with a signed challenge, logout, the home page, and "Quên mật khẩu".

use rand_core::RngCore;

use super::super::faults::Operation;
use super::super::html::{self, Controls};
use super::super::messages as msg;
use super::super::scenario::ScenarioSecret;
use super::ctx::{Ctx, Page, Reply, View, heading, memory, tax_code_matches};
use crate::ids::{Email, TaxCode};
use crate::records::signed;

const TXT_TAX_CODE: &str = "ctl00$MainContent$txtMaSoThue";
const TXT_PASSWORD: &str = "ctl00$MainContent$txtMatKhau";
const HD_CHALLENGE: &str = "ctl00$MainContent$hdChallenge";
const HD_CERTIFICATE: &str = "ctl00$MainContent$hdCertificate";
const HD_SIGNATURE: &str = "ctl00$MainContent$hdSignature";
const BTN_LOGIN: &str = "ctl00$MainContent$btnDangNhap";
const TXT_EMAIL: &str = "ctl00$MainContent$txtEmail";
const BTN_SEND: &str = "ctl00$MainContent$btnGui";

/// GET of the login page.
pub(super) fn login_get(ctx: &mut Ctx) -> Reply {
    let expired = std::mem::take(&mut ctx.session.after_expiry);
    login_render(ctx, "", expired.then_some(msg::SESSION_EXPIRED))
}

/// "Đăng nhập".
pub(super) fn login_post(ctx: &mut Ctx) -> Reply {
    let tax_text = ctx.value(TXT_TAX_CODE).to_owned();
    let challenge = ctx.data::<String>(Page::Login).unwrap_or_default();
    match login_refusal(ctx, &tax_text, &challenge) {
        Err(refusal) => login_render(ctx, &tax_text, Some(refusal)),
        Ok(tax_code) => {
            ctx.session.logged_in = Some(tax_code);
            let target = ctx
                .request
                .query_param("ReturnUrl")
                .filter(|u| u.starts_with("/Pages/") && !u.contains("//"))
                .unwrap_or_else(|| Page::Home.path().to_owned());
            Reply::Redirect(target)
        }
    }
}

fn login_refusal(ctx: &Ctx, tax_text: &str, challenge: &str) -> Result<TaxCode, &'static str> {
    let tax_code = TaxCode::parse(tax_text).map_err(|_| msg::WRONG_LOGIN)?;
    let enterprise = ctx.inner.enterprise(&tax_code).ok_or(msg::WRONG_LOGIN)?;
    let password = ctx.value(TXT_PASSWORD);
    let known = enterprise
        .admin_password
        .as_ref()
        .map(ScenarioSecret::expose);
    if known != Some(password) || password.is_empty() {
        return Err(msg::WRONG_LOGIN);
    }
    let cert = ctx.certificate(HD_CERTIFICATE).ok_or(msg::INVALID_INPUT)?;
    if !tax_code_matches(&cert, &tax_code) {
        return Err(msg::CERTIFICATE_TAX_CODE_MISMATCH);
    }
    // Only the certificate the admin account has at this moment logs in, expired or not (the
    // old one before step B, the new one after: seed 001).
    if !enterprise.is_admin_certificate(&cert) {
        return Err(msg::CERTIFICATE_NOT_REGISTERED);
    }
    if challenge.is_empty()
        || !ctx.signature_ok(
            Operation::Login,
            tax_text,
            HD_SIGNATURE,
            &cert,
            &signed::login(tax_text, challenge),
        )
    {
        return Err(msg::BAD_SIGNATURE);
    }
    Ok(tax_code)
}

fn login_render(ctx: &mut Ctx, tax_text: &str, message: Option<&str>) -> Reply {
    let mut bytes = [0u8; 16];
    ctx.inner.rng.fill_bytes(&mut bytes);
    let challenge: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("ĐĂNG NHẬP HỆ THỐNG");
    content.push_str(&html::message(message));
    content.push_str(
        "                <table class=\"bang-nhap\" cellpadding=\"3\" cellspacing=\"0\">\n",
    );
    content.push_str(&c.text_row("Mã số thuế", TXT_TAX_CODE, tax_text));
    content.push_str(&c.password_row("Mật khẩu", TXT_PASSWORD));
    content.push_str(&format!(
        "                <tr><td class=\"nhan\">Chữ ký số</td><td>{} {} {} <span class=\"ghi-chu\">Lựa chọn chữ ký số</span></td></tr>\n",
        c.hidden(HD_CHALLENGE, &challenge),
        c.hidden(HD_CERTIFICATE, ""),
        c.hidden(HD_SIGNATURE, ""),
    ));
    content.push_str(&format!(
        "                <tr><td></td><td>{}</td></tr>\n                </table>\n                <p class=\"lien-ket\"><a href=\"{}\">Quên mật khẩu</a> | <a href=\"{}\">Đăng ký/cập nhật tài khoản quản trị</a></p>\n",
        c.button(BTN_LOGIN, "Đăng nhập"),
        Page::ForgotPassword.path(),
        Page::Admin.path(),
    ));
    Reply::View(Box::new(View {
        title: "Đăng nhập",
        content,
        events: c.into_events(),
        data: memory(challenge),
    }))
}

/// The VNACCS site's entry page: the ways in, without a login.
pub(super) fn entry() -> Reply {
    let mut content = heading("ĐĂNG KÝ NGƯỜI SỬ DỤNG HỆ THỐNG VNACCS CHO DOANH NGHIỆP");
    content.push_str(&html::message(None));
    content.push_str(&format!(
        "                <ul class=\"lien-ket\"><li><a href=\"{}\">Đăng nhập</a></li><li><a href=\"{}\">Đăng ký/cập nhật tài khoản quản trị</a></li><li><a href=\"{}\">Quên mật khẩu</a></li></ul>\n",
        Page::Login.path(),
        Page::Admin.path(),
        Page::ForgotPassword.path(),
    ));
    Reply::View(Box::new(View {
        title: "Đăng ký người sử dụng hệ thống VNACCS",
        content,
        events: Default::default(),
        data: memory(()),
    }))
}

/// "Thoát": ends the login.
pub(super) fn logout(ctx: &mut Ctx) -> Reply {
    ctx.session.logged_in = None;
    Reply::Redirect(Page::Login.path().to_owned())
}

/// The home page after login.
pub(super) fn home(ctx: &mut Ctx) -> Reply {
    let name = ctx
        .enterprise()
        .map(|e| e.state.name.clone())
        .unwrap_or_default();
    let serial = ctx
        .enterprise()
        .and_then(|e| e.state.admin.as_ref())
        .and_then(|a| a.certificate_serial.as_ref())
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut content = heading("TRANG CHỦ");
    content.push_str(&html::message(None));
    content.push_str(&format!(
        "                <p>Xin chào <b id=\"MainContent_lblTenDN\">{}</b>. Vui lòng chọn chức năng trên thanh menu.</p>\n                <p>Chứng thư số của tài khoản quản trị: <span id=\"MainContent_lblSerialCKS\">{}</span></p>\n",
        html::escape(&name),
        html::escape(&serial)
    ));
    Reply::View(Box::new(View {
        title: "Trang chủ",
        content,
        events: Default::default(),
        data: memory(()),
    }))
}

/// "Gửi" on the forgotten password page.
pub(super) fn forgot_post(ctx: &mut Ctx) -> Reply {
    let message = match TaxCode::parse(ctx.value(TXT_TAX_CODE)) {
        Err(_) => msg::INVALID_TAX_CODE,
        Ok(tax_code) => match ctx
            .inner
            .enterprise(&tax_code)
            .and_then(|e| e.state.admin.as_ref())
        {
            None => msg::NO_ADMIN_ACCOUNT,
            Some(admin) => {
                let same = Email::parse(ctx.value(TXT_EMAIL))
                    .is_ok_and(|e| e.as_str().eq_ignore_ascii_case(admin.email.as_str()));
                if same {
                    msg::FORGOT_PASSWORD
                } else {
                    msg::EMAIL_MISMATCH
                }
            }
        },
    };
    forgot_render(ctx, Some(message))
}

/// The forgotten password page.
pub(super) fn forgot_render(ctx: &mut Ctx, message: Option<&str>) -> Reply {
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("QUÊN MẬT KHẨU");
    content.push_str(&html::message(message));
    content.push_str(
        "                <table class=\"bang-nhap\" cellpadding=\"3\" cellspacing=\"0\">\n",
    );
    content.push_str(&c.text_row("Mã số thuế", TXT_TAX_CODE, ctx.value(TXT_TAX_CODE)));
    content.push_str(&c.text_row("Email tài khoản quản trị", TXT_EMAIL, ctx.value(TXT_EMAIL)));
    content.push_str(&format!(
        "                <tr><td></td><td>{}</td></tr>\n                </table>\n",
        c.button(BTN_SEND, "Gửi")
    ));
    Reply::View(Box::new(View {
        title: "Quên mật khẩu",
        content,
        events: c.into_events(),
        data: memory(()),
    }))
}

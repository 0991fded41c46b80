//! Screen B.5–6: Đăng ký/cập nhật tài khoản quản trị (`/Pages/QuanTriTaiKhoan.aspx`): the admin
//! account's new certificate, then the signed confirmation of the user list.

use super::super::faults::Operation;
use super::super::html::{self, Controls};
use super::super::messages as msg;
use super::super::scenario::ScenarioSecret;
use super::ctx::{Ctx, Page, Reply, View, heading, memory, tax_code_matches, valid_at};
use crate::cert::Certificate;
use crate::ids::{Email, TaxCode};
use crate::records::signed::{self, UserListEntry};

const TXT_TAX_CODE: &str = "ctl00$MainContent$txtMaSoThue";
const TXT_EMAIL: &str = "ctl00$MainContent$txtEmail";
const TXT_PASSWORD: &str = "ctl00$MainContent$txtMatKhau";
const TXT_CONFIRMATION: &str = "ctl00$MainContent$txtXacNhanMatKhau";
const HD_CERTIFICATE: &str = "ctl00$MainContent$hdCertificate";
const HD_SIGNATURE: &str = "ctl00$MainContent$hdSignature";
const GRID: &str = "ctl00$MainContent$grdNguoiDung";
/// "Cập nhật thông tin chữ ký số của tài khoản quản trị".
pub(super) const BTN_UPDATE: &str = "ctl00$MainContent$btnCapNhatCKS";
/// "Xác nhận danh sách người dùng".
pub(super) const BTN_CONFIRM: &str = "ctl00$MainContent$btnXacNhan";

/// A user row as shown for confirmation.
#[derive(Debug, Clone)]
struct Row {
    user_code: String,
    full_name: String,
    certificate_serial: String,
}

/// The update waiting for confirmation.
#[derive(Debug, Clone)]
struct Pending {
    tax_code: TaxCode,
    tax_text: String,
    certificate: Vec<u8>,
    rows: Vec<Row>,
}

/// What the page remembers.
#[derive(Debug, Clone, Default)]
pub(in super::super) struct Data {
    tax_text: String,
    email: String,
    pending: Option<Pending>,
}

/// A postback.
pub(super) fn post(ctx: &mut Ctx) -> Reply {
    let data = ctx.data::<Data>(Page::Admin).unwrap_or_default();
    if ctx.pressed(BTN_CONFIRM) {
        confirm(ctx, data)
    } else {
        update(ctx, data)
    }
}

fn update(ctx: &mut Ctx, mut data: Data) -> Reply {
    data.tax_text = ctx.value(TXT_TAX_CODE).to_owned();
    data.email = ctx.value(TXT_EMAIL).to_owned();
    data.pending = None;
    match check_update(ctx, &data) {
        Err(refusal) => render(ctx, data, Some(refusal)),
        Ok(pending) => {
            ctx.inner.took_effect(Operation::AdminUpdate);
            data.pending = Some(pending);
            render(ctx, data, Some(ctx.inner.wording.admin_update()))
        }
    }
}

fn check_update(ctx: &Ctx, data: &Data) -> Result<Pending, &'static str> {
    let tax_code = TaxCode::parse(&data.tax_text).map_err(|_| msg::INVALID_TAX_CODE)?;
    let enterprise = ctx
        .inner
        .enterprise(&tax_code)
        .ok_or(msg::NO_ADMIN_ACCOUNT)?;
    let (Some(admin), Some(password)) = (
        enterprise.state.admin.as_ref(),
        enterprise
            .admin_password
            .as_ref()
            .map(ScenarioSecret::expose),
    ) else {
        return Err(msg::NO_ADMIN_ACCOUNT);
    };
    let posted = ctx.value(TXT_PASSWORD);
    if posted != password {
        return Err(msg::WRONG_PASSWORD);
    }
    if ctx.value(TXT_CONFIRMATION) != posted {
        return Err(msg::CONFIRMATION_MISMATCH);
    }
    let same_email = Email::parse(&data.email)
        .is_ok_and(|e| e.as_str().eq_ignore_ascii_case(admin.email.as_str()));
    if !same_email {
        return Err(msg::EMAIL_MISMATCH);
    }
    let cert = ctx.certificate(HD_CERTIFICATE).ok_or(msg::INVALID_INPUT)?;
    if !tax_code_matches(&cert, &tax_code) {
        return Err(msg::CERTIFICATE_TAX_CODE_MISMATCH);
    }
    if !valid_at(&cert, ctx.now) {
        return Err(msg::CERTIFICATE_NOT_VALID);
    }
    if !enterprise.is_registered(&cert) {
        return Err(msg::CERTIFICATE_NOT_REGISTERED);
    }
    let rows = enterprise
        .state
        .declarants
        .iter()
        .map(|d| Row {
            user_code: d
                .user_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            full_name: d.full_name.clone(),
            certificate_serial: d.certificate_serial.to_string(),
        })
        .collect();
    Ok(Pending {
        tax_code,
        tax_text: data.tax_text.clone(),
        certificate: cert.der().to_vec(),
        rows,
    })
}

fn confirm(ctx: &mut Ctx, mut data: Data) -> Reply {
    let Some(pending) = data.pending.clone() else {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    };
    let Ok(cert) = Certificate::from_der(&pending.certificate) else {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    };
    let entries: Vec<UserListEntry> = pending
        .rows
        .iter()
        .map(|r| UserListEntry {
            user_code: &r.user_code,
            full_name: &r.full_name,
            certificate_serial: &r.certificate_serial,
        })
        .collect();
    let content = signed::user_list(&pending.tax_text, cert.serial().as_str(), &entries);
    if !ctx.signature_ok(
        Operation::ConfirmUsers,
        &pending.tax_text,
        HD_SIGNATURE,
        &cert,
        &content,
    ) {
        return render(ctx, data, Some(msg::BAD_SIGNATURE));
    }
    if let Some(enterprise) = ctx.inner.enterprise_mut(&pending.tax_code) {
        if let Some(admin) = enterprise.state.admin.as_mut() {
            admin.certificate_serial = Some(cert.serial().clone());
        }
        enterprise.admin_certificate = Some(cert.der().to_vec());
    }
    ctx.inner.took_effect(Operation::ConfirmUsers);
    data.pending = None;
    render(ctx, data, Some(ctx.inner.wording.users_confirmed()))
}

/// The page: the account form, and the user list while an update waits for confirmation.
pub(super) fn render(ctx: &mut Ctx, data: Data, message: Option<&str>) -> Reply {
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("ĐĂNG KÝ/CẬP NHẬT TÀI KHOẢN QUẢN TRỊ");
    content.push_str(&html::message(message));
    content.push_str(
        "                <table class=\"bang-nhap\" cellpadding=\"3\" cellspacing=\"0\">\n",
    );
    content.push_str(&c.text_row("Mã số thuế", TXT_TAX_CODE, &data.tax_text));
    content.push_str(&c.text_row("Email", TXT_EMAIL, &data.email));
    content.push_str(&c.password_row("Mật khẩu", TXT_PASSWORD));
    content.push_str(&c.password_row("Xác nhận mật khẩu", TXT_CONFIRMATION));
    content.push_str(&format!(
        "                <tr><td class=\"nhan\">Chữ ký số</td><td>{} {} <span class=\"ghi-chu\">Lựa chọn chữ ký số</span></td></tr>\n                <tr><td></td><td>{}</td></tr>\n                </table>\n",
        c.hidden(HD_CERTIFICATE, ""),
        c.hidden(HD_SIGNATURE, ""),
        c.button(BTN_UPDATE, "Cập nhật thông tin chữ ký số của tài khoản quản trị"),
    ));
    if let Some(pending) = &data.pending {
        let rows: Vec<Vec<String>> = pending
            .rows
            .iter()
            .map(|r| {
                vec![
                    html::escape(&r.user_code),
                    html::escape(&r.full_name),
                    html::escape(&r.certificate_serial),
                ]
            })
            .collect();
        content.push_str(
            "                <fieldset class=\"nhom\"><legend>Danh sách người dùng</legend>\n",
        );
        content.push_str(&c.grid(
            GRID,
            &["Mã người sử dụng", "Họ tên", "Số serial chứng thư số"],
            &rows,
        ));
        content.push_str(&format!(
            "                <p>{}</p>\n                </fieldset>\n",
            c.button(BTN_CONFIRM, "Xác nhận danh sách người dùng")
        ));
    }
    Reply::View(Box::new(View {
        title: "Tài khoản quản trị",
        content,
        events: c.into_events(),
        data: memory(data),
    }))
}

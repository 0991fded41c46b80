//! Screen C: OE2102 Sửa thông tin chung và người sử dụng: the declarant users, one selected and
//! pointed at a new registered certificate.

use base64ct::{Base64, Encoding};

use super::super::faults::Operation;
use super::super::html::{self, Controls};
use super::super::messages as msg;
use super::ctx::{
    Ctx, Page, Reply, View, heading, memory, parse_date, show_date, tax_code_matches,
};
use crate::cert::Certificate;
use crate::ids::{Email, PersonalId};

const TAB_GENERAL: &str = "ctl00$MainContent$tabThongTinChung";
const TAB_DECLARANTS: &str = "ctl00$MainContent$tabNguoiKhai";
/// The declarant grid (Select$N postbacks).
pub(super) const GRID: &str = "ctl00$MainContent$grdNguoiKhai";
const TXT_NAME: &str = "ctl00$MainContent$txtHoTen";
const TXT_ID: &str = "ctl00$MainContent$txtSoCMND";
const TXT_EMAIL: &str = "ctl00$MainContent$txtEmail";
const TXT_EFFECTIVE: &str = "ctl00$MainContent$txtNgayHieuLuc";
const HD_CERTIFICATE: &str = "ctl00$MainContent$hdCertificate";
const LBL_SERIAL: &str = "ctl00$MainContent$lblSerialCKS";
/// "Đọc CKS".
pub(super) const BTN_READ: &str = "ctl00$MainContent$btnDocCKS";
/// "Ghi".
pub(super) const BTN_SAVE: &str = "ctl00$MainContent$btnGhi";

/// The edit fields of the selected row, as shown.
#[derive(Debug, Clone, Default)]
struct Edit {
    index: usize,
    full_name: String,
    id_number: String,
    email: String,
    effective_date: String,
    certificate: Option<Vec<u8>>,
}

/// What the page remembers.
#[derive(Debug, Clone, Default)]
pub(in super::super) struct Data {
    declarants_tab: bool,
    edit: Option<Edit>,
}

/// A postback.
pub(super) fn post(ctx: &mut Ctx) -> Reply {
    let mut data = ctx.data::<Data>(Page::Oe2102).unwrap_or_default();
    if ctx.postback(TAB_GENERAL).is_some() {
        return render(ctx, Data::default(), None);
    }
    if ctx.postback(TAB_DECLARANTS).is_some() {
        data.declarants_tab = true;
        data.edit = None;
        return render(ctx, data, None);
    }
    if let Some(argument) = ctx.postback(GRID) {
        let index = argument
            .strip_prefix("Select$")
            .and_then(|n| n.parse::<usize>().ok());
        let declarant = index.and_then(|i| {
            ctx.enterprise()
                .and_then(|e| e.state.declarants.get(i))
                .map(|d| (i, d.clone()))
        });
        let Some((index, d)) = declarant else {
            return render(ctx, data, Some(msg::DECLARANT_NOT_FOUND));
        };
        data.declarants_tab = true;
        data.edit = Some(Edit {
            index,
            full_name: d.full_name,
            id_number: d.id_number.number().to_owned(),
            email: d.email.to_string(),
            effective_date: show_date(d.effective_date),
            certificate: None,
        });
        return render(ctx, data, None);
    }
    let Some(mut edit) = data.edit.take() else {
        return render(ctx, data, Some(msg::DECLARANT_NOT_FOUND));
    };
    edit.full_name = ctx.value(TXT_NAME).to_owned();
    edit.id_number = ctx.value(TXT_ID).to_owned();
    edit.email = ctx.value(TXT_EMAIL).to_owned();
    edit.effective_date = ctx.value(TXT_EFFECTIVE).to_owned();
    let cert = ctx.certificate(HD_CERTIFICATE);
    edit.certificate = cert.as_ref().map(|c| c.der().to_vec());
    if ctx.pressed(BTN_READ) {
        let message = cert.is_none().then_some(msg::INVALID_INPUT);
        data.edit = Some(edit);
        return render(ctx, data, message);
    }
    if !ctx.pressed(BTN_SAVE) {
        data.edit = Some(edit);
        return render(ctx, data, None);
    }
    let message = save(ctx, &edit, cert.as_ref());
    data.edit = Some(edit);
    render(ctx, data, Some(message))
}

fn save(ctx: &mut Ctx, edit: &Edit, cert: Option<&Certificate>) -> &'static str {
    let Some(tax_code) = ctx.tax_code() else {
        return msg::INVALID_INPUT;
    };
    let exists = ctx
        .enterprise()
        .is_some_and(|e| edit.index < e.state.declarants.len());
    if !exists {
        return msg::DECLARANT_NOT_FOUND;
    }
    let (Ok(id_number), Ok(email), Some(effective)) = (
        PersonalId::parse(&edit.id_number),
        Email::parse(&edit.email),
        parse_date(&edit.effective_date),
    ) else {
        return msg::INVALID_INPUT;
    };
    if edit.full_name.is_empty() {
        return msg::INVALID_INPUT;
    }
    let Some(cert) = cert else {
        return msg::INVALID_INPUT;
    };
    if !tax_code_matches(cert, &tax_code) {
        return msg::CERTIFICATE_TAX_CODE_MISMATCH;
    }
    if !ctx.enterprise().is_some_and(|e| e.is_registered(cert)) {
        return msg::CERTIFICATE_NOT_REGISTERED;
    }
    let now = ctx.now;
    if let Some(declarant) = ctx
        .inner
        .enterprise_mut(&tax_code)
        .and_then(|e| e.state.declarants.get_mut(edit.index))
    {
        declarant.full_name = edit.full_name.clone();
        declarant.id_number = id_number;
        declarant.email = email;
        declarant.effective_date = effective;
        declarant.certificate_serial = cert.serial().clone();
    }
    ctx.inner.open_record(&tax_code, now);
    ctx.inner.took_effect(Operation::DeclarantSave);
    msg::DECLARANT_SAVED
}

/// The page: the general tab, or the declarant grid with the selected row's edit fields.
pub(super) fn render(ctx: &mut Ctx, data: Data, message: Option<&str>) -> Reply {
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("OE2102 SỬA THÔNG TIN CHUNG VÀ NGƯỜI SỬ DỤNG");
    content.push_str(&html::message(message));
    content.push_str(&format!(
        "                <div class=\"the-tab\"><span class=\"{}\">{}</span> <span class=\"{}\">{}</span></div>\n",
        if data.declarants_tab { "tab" } else { "tab chon" },
        c.postback(TAB_GENERAL, "", "Thông tin chung"),
        if data.declarants_tab { "tab chon" } else { "tab" },
        c.postback(TAB_DECLARANTS, "", "Thông tin người khai hải quan"),
    ));
    let Some(enterprise) = ctx.enterprise() else {
        return finish(c, content, data);
    };
    if !data.declarants_tab {
        content.push_str(&format!(
            "                <table class=\"bang-nhap\" cellpadding=\"3\">\n                    <tr><td class=\"nhan\">Mã số thuế</td><td>{}</td></tr>\n                    <tr><td class=\"nhan\">Tên doanh nghiệp</td><td>{}</td></tr>\n                    <tr><td class=\"nhan\">Địa chỉ</td><td>{}</td></tr>\n                </table>\n",
            html::escape(enterprise.state.tax_code.as_str()),
            html::escape(&enterprise.state.name),
            html::escape(&enterprise.state.address),
        ));
        return finish(c, content, data);
    }
    let declarants = enterprise.state.declarants.clone();
    let rows: Vec<Vec<String>> = declarants
        .iter()
        .enumerate()
        .map(|(i, d)| {
            vec![
                html::escape(
                    &d.user_id
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                ),
                html::escape(&d.full_name),
                html::escape(d.id_number.number()),
                html::escape(d.email.as_str()),
                show_date(d.effective_date),
                html::escape(d.certificate_serial.as_str()),
                c.postback(GRID, &format!("Select${i}"), "Chọn"),
            ]
        })
        .collect();
    content.push_str(&c.grid(
        GRID,
        &[
            "User code",
            "Họ tên",
            "Số CMND/Hộ chiếu",
            "Email",
            "Ngày hiệu lực",
            "Số serial chứng thư số",
            "",
        ],
        &rows,
    ));
    if let Some(edit) = &data.edit {
        let serial = edit
            .certificate
            .as_deref()
            .and_then(|der| Certificate::from_der(der).ok())
            .map(|cert| cert.serial().to_string())
            .unwrap_or_default();
        let b64 = edit
            .certificate
            .as_deref()
            .map(Base64::encode_string)
            .unwrap_or_default();
        content.push_str("                <fieldset class=\"nhom\"><legend>Thông tin người khai hải quan</legend>\n                <table class=\"bang-nhap\" cellpadding=\"3\">\n");
        content.push_str(&c.text_row("Họ tên", TXT_NAME, &edit.full_name));
        content.push_str(&c.text_row("Số CMND/Hộ chiếu", TXT_ID, &edit.id_number));
        content.push_str(&c.text_row("Email", TXT_EMAIL, &edit.email));
        content.push_str(&c.text_row("Ngày hiệu lực", TXT_EFFECTIVE, &edit.effective_date));
        content.push_str(&format!(
            "                <tr><td class=\"nhan\">Chữ ký số</td><td>{} {} {}</td></tr>\n                <tr><td></td><td>{}</td></tr>\n                </table>\n                </fieldset>\n",
            c.hidden(HD_CERTIFICATE, &b64),
            c.label(LBL_SERIAL, &serial),
            c.button(BTN_READ, "Đọc CKS"),
            c.button(BTN_SAVE, "Ghi"),
        ));
    }
    finish(c, content, data)
}

fn finish(c: Controls, content: String, data: Data) -> Reply {
    Reply::View(Box::new(View {
        title: "OE2102 Sửa thông tin chung và người sử dụng",
        content,
        events: c.into_events(),
        data: memory(data),
    }))
}

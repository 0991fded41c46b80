//! Screen D: OE4001 Tra cứu thông tin đăng ký: search the records, open the send dialog on one,
//! and send it with a signature.

use super::super::faults::Operation;
use super::super::html::{self, Controls};
use super::super::messages as msg;
use super::ctx::{
    Ctx, Page, Reply, View, heading, memory, show_instant, tax_code_matches, valid_at,
};
use crate::ids::{CustomsOfficeCode, Email};
use crate::records::{RegistrationKind, RegistrationStatus, signed};

const CHK_NEW: &str = "ctl00$MainContent$chkDangKyMoi";
const CHK_AMENDMENT: &str = "ctl00$MainContent$chkSuaSauPheDuyet";
/// The result grid (Gui$N postbacks).
pub(super) const GRID: &str = "ctl00$MainContent$grdKetQua";
const PANEL: &str = "ctl00$MainContent$pnlGui";
const LBL_NUMBER: &str = "ctl00$MainContent$lblSoBanKhai";
const TXT_SENDER: &str = "ctl00$MainContent$txtNguoiGui";
const TXT_SENDER_EMAIL: &str = "ctl00$MainContent$txtEmailNguoiGui";
const TXT_OFFICE: &str = "ctl00$MainContent$txtMaHaiQuan";
const HD_CERTIFICATE: &str = "ctl00$MainContent$hdCertificate";
const HD_SIGNATURE: &str = "ctl00$MainContent$hdSignature";
/// "Tìm kiếm".
pub(super) const BTN_SEARCH: &str = "ctl00$MainContent$btnTimKiem";
/// "Ký chữ ký số".
pub(super) const BTN_SIGN: &str = "ctl00$MainContent$btnKyCKS";
/// "Gửi" in the send dialog.
pub(super) const BTN_SEND: &str = "ctl00$MainContent$btnGui";

/// The send dialog's fields, as shown.
#[derive(Debug, Clone, Default)]
struct Dialog {
    number: String,
    sender: String,
    sender_email: String,
    office: String,
}

/// What the page remembers.
#[derive(Debug, Clone, Default)]
pub(in super::super) struct Data {
    new_checked: bool,
    amendment_checked: bool,
    /// The record numbers of the latest search, in the grid's order.
    results: Option<Vec<String>>,
    dialog: Option<Dialog>,
}

/// A postback.
pub(super) fn post(ctx: &mut Ctx) -> Reply {
    let mut data = ctx.data::<Data>(Page::Oe4001).unwrap_or_default();
    data.new_checked = !ctx.value(CHK_NEW).is_empty();
    data.amendment_checked = !ctx.value(CHK_AMENDMENT).is_empty();
    if ctx.pressed(BTN_SEARCH) {
        let numbers = search(ctx, &data);
        let message = numbers.is_empty().then_some(msg::NO_RECORDS);
        data.results = Some(numbers);
        data.dialog = None;
        return render(ctx, data, message);
    }
    if let Some(argument) = ctx.postback(GRID) {
        let number = argument
            .strip_prefix("Gui$")
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|i| data.results.as_ref().and_then(|r| r.get(i)).cloned());
        let Some(number) = number else {
            return render(ctx, data, Some(msg::INVALID_INPUT));
        };
        data.dialog = Some(Dialog {
            number,
            ..Dialog::default()
        });
        return render(ctx, data, None);
    }
    let Some(mut dialog) = data.dialog.take() else {
        return render(ctx, data, None);
    };
    dialog.sender = ctx.value(TXT_SENDER).to_owned();
    dialog.sender_email = ctx.value(TXT_SENDER_EMAIL).to_owned();
    dialog.office = ctx.value(TXT_OFFICE).to_owned();
    if !ctx.pressed(BTN_SEND) {
        data.dialog = Some(dialog);
        return render(ctx, data, None);
    }
    match send(ctx, &dialog) {
        Ok(()) => render(ctx, data, Some(ctx.inner.wording.sent())),
        Err(refusal) => {
            data.dialog = Some(dialog);
            render(ctx, data, Some(refusal))
        }
    }
}

/// The numbers of the enterprise's records of the ticked kinds (both when none is ticked).
fn search(ctx: &Ctx, data: &Data) -> Vec<String> {
    let any = !data.new_checked && !data.amendment_checked;
    ctx.enterprise()
        .map(|e| {
            e.state
                .records
                .iter()
                .filter(|r| match r.kind {
                    RegistrationKind::New => any || data.new_checked,
                    RegistrationKind::AmendmentAfterApproval => any || data.amendment_checked,
                })
                .map(|r| r.number.clone())
                .collect()
        })
        .unwrap_or_default()
}

fn send(ctx: &mut Ctx, dialog: &Dialog) -> Result<(), &'static str> {
    let tax_code = ctx.tax_code().ok_or(msg::INVALID_INPUT)?;
    let office = CustomsOfficeCode::parse(&dialog.office).map_err(|_| msg::OFFICE_REFUSED)?;
    if !ctx.inner.offices.contains(&office) {
        return Err(msg::OFFICE_REFUSED);
    }
    let email = Email::parse(&dialog.sender_email).map_err(|_| msg::INVALID_INPUT)?;
    if dialog.sender.is_empty() {
        return Err(msg::INVALID_INPUT);
    }
    let enterprise = ctx.enterprise().ok_or(msg::INVALID_INPUT)?;
    let record = enterprise
        .state
        .records
        .iter()
        .find(|r| r.number == dialog.number)
        .ok_or(msg::NO_RECORDS)?;
    match record.status {
        RegistrationStatus::DataEntry => {}
        RegistrationStatus::Sent => return Err(msg::ALREADY_SENT),
        RegistrationStatus::Approved | RegistrationStatus::Rejected => {
            return Err(msg::WRONG_STATUS);
        }
    }
    let cert = ctx.certificate(HD_CERTIFICATE).ok_or(msg::INVALID_INPUT)?;
    if !tax_code_matches(&cert, &tax_code) {
        return Err(msg::CERTIFICATE_TAX_CODE_MISMATCH);
    }
    if !enterprise.is_registered(&cert) {
        return Err(msg::CERTIFICATE_NOT_REGISTERED);
    }
    if !valid_at(&cert, ctx.now) {
        return Err(msg::CERTIFICATE_NOT_VALID);
    }
    let content = signed::send_form(
        &dialog.number,
        tax_code.as_str(),
        &dialog.sender,
        &dialog.sender_email,
        &dialog.office,
    );
    if !ctx.signature_ok(
        Operation::Send,
        tax_code.as_str(),
        HD_SIGNATURE,
        &cert,
        &content,
    ) {
        return Err(msg::BAD_SIGNATURE);
    }
    let now = ctx.now;
    let record = ctx
        .inner
        .enterprise_mut(&tax_code)
        .and_then(|e| {
            e.state
                .records
                .iter_mut()
                .find(|r| r.number == dialog.number)
        })
        .ok_or(msg::NO_RECORDS)?;
    record.status = RegistrationStatus::Sent;
    record.sent_at = Some(now);
    record.office = Some(office);
    record.sender_name = Some(dialog.sender.clone());
    record.sender_email = Some(email);
    ctx.inner.took_effect(Operation::Send);
    tracing::debug!(number = %dialog.number, "sandbox: record sent");
    Ok(())
}

/// The page: search form, results, and the send dialog when open.
pub(super) fn render(ctx: &mut Ctx, data: Data, message: Option<&str>) -> Reply {
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("OE4001 TRA CỨU THÔNG TIN ĐĂNG KÝ");
    content.push_str(&html::message(message));
    content.push_str(&format!(
        "                <table class=\"bang-nhap\" cellpadding=\"3\">\n                    <tr><td class=\"nhan\">Loại hình đăng ký</td><td>{} {}</td></tr>\n                    <tr><td></td><td>{}</td></tr>\n                </table>\n",
        c.checkbox(CHK_NEW, "Đăng ký mới", data.new_checked),
        c.checkbox(CHK_AMENDMENT, "Sửa sau phê duyệt", data.amendment_checked),
        c.button(BTN_SEARCH, "Tìm kiếm"),
    ));
    if let Some(numbers) = data.results.as_ref().filter(|n| !n.is_empty()) {
        let records: Vec<_> = ctx
            .enterprise()
            .map(|e| e.state.records.clone())
            .unwrap_or_default();
        let rows: Vec<Vec<String>> = numbers
            .iter()
            .enumerate()
            .filter_map(|(i, number)| {
                let r = records.iter().find(|r| &r.number == number)?;
                Some(vec![
                    html::escape(&r.number),
                    r.kind.label().to_owned(),
                    show_instant(r.created_at),
                    r.status.label().to_owned(),
                    r.sent_at.map(show_instant).unwrap_or_default(),
                    html::escape(r.reason.as_deref().unwrap_or_default()),
                    c.postback(GRID, &format!("Gui${i}"), "Gửi"),
                ])
            })
            .collect();
        content.push_str(&c.grid(
            GRID,
            &[
                "Số bản khai",
                "Loại hình",
                "Ngày tạo",
                "Trạng thái",
                "Ngày gửi",
                "Lý do từ chối",
                "",
            ],
            &rows,
        ));
    }
    if let Some(dialog) = &data.dialog {
        content.push_str(&format!(
            "                <div id=\"{}\" class=\"hop-thoai\">\n                <fieldset class=\"nhom\"><legend>Gửi bản khai</legend>\n                <p>Số bản khai: {}</p>\n                <table class=\"bang-nhap\" cellpadding=\"3\">\n",
            ctx.fields.id(PANEL),
            c.label(LBL_NUMBER, &dialog.number),
        ));
        content.push_str(&c.text_row("Tên người gửi", TXT_SENDER, &dialog.sender));
        content.push_str(&c.text_row("Email người gửi", TXT_SENDER_EMAIL, &dialog.sender_email));
        content.push_str(&c.text_row(
            "Gửi tới Hải quan nơi đăng ký (Mã cục HQ)",
            TXT_OFFICE,
            &dialog.office,
        ));
        content.push_str(&format!(
            "                <tr><td></td><td>{} {} {} {}</td></tr>\n                </table>\n                </fieldset>\n                </div>\n",
            c.hidden(HD_CERTIFICATE, ""),
            c.hidden(HD_SIGNATURE, ""),
            c.button(BTN_SIGN, "Ký chữ ký số"),
            c.button(BTN_SEND, "Gửi"),
        ));
    }
    Reply::View(Box::new(View {
        title: "OE4001 Tra cứu thông tin đăng ký",
        content,
        events: c.into_events(),
        data: memory(data),
    }))
}

//! Screen A: Đăng ký Doanh nghiệp sử dụng chữ ký số (`/Pages/DangKyChuKySo.aspx`) and its captcha image.

use base64ct::{Base64, Encoding};
use rand_core::RngCore;

use super::super::captcha;
use super::super::faults::Operation;
use super::super::html::{self, Controls};
use super::super::http::Response;
use super::super::messages as msg;
use super::ctx::{
    Ctx, Page, Reply, View, heading, memory, parse_date, show_date, tax_code_matches, valid_at,
};
use crate::cert::Certificate;
use crate::ids::{PersonalId, TaxCode};
use crate::records::signed;
use crate::timing::local_date;

const TXT_TAX_CODE: &str = "ctl00$MainContent$txtMaDN";
const TXT_REPRESENTATIVE: &str = "ctl00$MainContent$txtSoCMT";
const TXT_CAPTCHA: &str = "ctl00$MainContent$txtMaXacNhan";
const HD_CERTIFICATE: &str = "ctl00$MainContent$hdCertificate";
const TXT_VALID_FROM: &str = "ctl00$MainContent$txtNgayHieuLuc";
const TXT_VALID_TO: &str = "ctl00$MainContent$txtNgayHetHieuLuc";
const HD_SIGNATURE: &str = "ctl00$MainContent$hdSignature";
const IMG_CAPTCHA: &str = "ctl00$MainContent$imgCaptcha";
const LBL_NAME: &str = "ctl00$MainContent$lblTenDN";
const LBL_ADDRESS: &str = "ctl00$MainContent$lblDiaChi";
const LBL_SERIAL: &str = "ctl00$MainContent$lblSerial";
const LBL_SUBJECT: &str = "ctl00$MainContent$lblChuThe";
const LBL_ISSUER: &str = "ctl00$MainContent$lblToChucCap";
const LBL_VALIDITY: &str = "ctl00$MainContent$lblThoiHan";
/// "Xem thông tin".
pub(super) const BTN_VIEW: &str = "ctl00$MainContent$btnXemThongTin";
/// "Xem thông tin chứng thư số".
pub(super) const BTN_VIEW_CERTIFICATE: &str = "ctl00$MainContent$btnXemCTS";
/// "Đăng ký thông tin".
pub(super) const BTN_REGISTER: &str = "ctl00$MainContent$btnDangKy";

/// The enterprise shown after "Xem thông tin".
#[derive(Debug, Clone)]
pub(in super::super) struct Viewed {
    tax_code: TaxCode,
    /// The texts as posted, which the registration signature covers.
    tax_text: String,
    representative_text: String,
}

/// What the page remembers.
#[derive(Debug, Clone, Default)]
pub(in super::super) struct Data {
    tax_text: String,
    representative_text: String,
    captcha_id: String,
    viewed: Option<Viewed>,
    certificate: Option<Vec<u8>>,
    valid_from: String,
    valid_to: String,
}

/// GET: an empty form and a new captcha.
pub(super) fn get(ctx: &mut Ctx) -> Reply {
    let data = Data {
        captcha_id: new_captcha(ctx),
        ..Data::default()
    };
    render(ctx, data, None)
}

/// The captcha image of the session.
pub(super) fn captcha(ctx: &mut Ctx) -> Reply {
    let Some(answer) = ctx.session.captcha.clone() else {
        return Reply::Raw(Response::new(
            404,
            "text/plain; charset=utf-8",
            b"Not Found".to_vec(),
        ));
    };
    let png = captcha::render(&answer, &mut ctx.inner.rng);
    ctx.inner.captchas_served.remember(&png, &answer);
    let mut response = Response::new(200, "image/png", png);
    response.headers.push(("Pragma".into(), "no-cache".into()));
    Reply::Raw(response)
}

/// A postback.
pub(super) fn post(ctx: &mut Ctx) -> Reply {
    let mut data = ctx.data::<Data>(Page::Register).unwrap_or_default();
    if ctx.pressed(BTN_VIEW) {
        view(ctx, data)
    } else if ctx.pressed(BTN_VIEW_CERTIFICATE) {
        view_certificate(ctx, data)
    } else if ctx.pressed(BTN_REGISTER) {
        register(ctx, data)
    } else {
        data.tax_text = ctx.value(TXT_TAX_CODE).to_owned();
        data.representative_text = ctx.value(TXT_REPRESENTATIVE).to_owned();
        render(ctx, data, None)
    }
}

fn view(ctx: &mut Ctx, mut data: Data) -> Reply {
    data.tax_text = ctx.value(TXT_TAX_CODE).to_owned();
    data.representative_text = ctx.value(TXT_REPRESENTATIVE).to_owned();
    data.viewed = None;
    data.certificate = None;
    let answer = ctx.session.captcha.take();
    let posted = ctx.value(TXT_CAPTCHA).to_owned();
    data.captcha_id = new_captcha(ctx);
    if answer.is_none_or(|a| a != posted) {
        return render(ctx, data, Some(msg::WRONG_CAPTCHA));
    }
    let Ok(tax_code) = TaxCode::parse(&data.tax_text) else {
        return render(ctx, data, Some(msg::INVALID_TAX_CODE));
    };
    let Some(enterprise) = ctx.inner.enterprise(&tax_code) else {
        return render(ctx, data, Some(msg::ENTERPRISE_NOT_FOUND));
    };
    let same = PersonalId::parse(&data.representative_text)
        .is_ok_and(|id| id.number() == enterprise.state.representative_id.number());
    if !same {
        return render(ctx, data, Some(msg::REPRESENTATIVE_MISMATCH));
    }
    data.viewed = Some(Viewed {
        tax_code,
        tax_text: data.tax_text.clone(),
        representative_text: data.representative_text.clone(),
    });
    render(ctx, data, None)
}

fn view_certificate(ctx: &mut Ctx, mut data: Data) -> Reply {
    if data.viewed.is_none() {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    }
    let Some(cert) = ctx.certificate(HD_CERTIFICATE) else {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    };
    data.valid_from = show_date(local_date(ctx.now));
    data.valid_to = show_date(local_date(cert.not_after()));
    data.certificate = Some(cert.der().to_vec());
    render(ctx, data, None)
}

fn register(ctx: &mut Ctx, mut data: Data) -> Reply {
    let Some(viewed) = data.viewed.clone() else {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    };
    data.valid_from = ctx.value(TXT_VALID_FROM).to_owned();
    data.valid_to = ctx.value(TXT_VALID_TO).to_owned();
    let Some(cert) = ctx.certificate(HD_CERTIFICATE) else {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    };
    data.certificate = Some(cert.der().to_vec());
    if let Some(refusal) = refusal(ctx, &viewed, &cert, &data) {
        return render(ctx, data, Some(refusal));
    }
    let (Some(from), Some(to)) = (parse_date(&data.valid_from), parse_date(&data.valid_to)) else {
        return render(ctx, data, Some(msg::INVALID_INPUT));
    };
    let now = ctx.now;
    if let Some(enterprise) = ctx.inner.enterprise_mut(&viewed.tax_code) {
        enterprise.register(&cert, from, to, now);
        tracing::debug!(serial = %cert.serial(), "sandbox: certificate registered");
    }
    ctx.inner.took_effect(Operation::RegisterSubmit);
    render(ctx, data, Some(msg::REGISTERED))
}

/// The first rule the registration breaks, in the portal's order.
fn refusal(ctx: &Ctx, viewed: &Viewed, cert: &Certificate, data: &Data) -> Option<&'static str> {
    if !tax_code_matches(cert, &viewed.tax_code) {
        return Some(msg::CERTIFICATE_TAX_CODE_MISMATCH);
    }
    if !valid_at(cert, ctx.now) {
        return Some(msg::CERTIFICATE_NOT_VALID);
    }
    if !ctx.inner.is_trusted(cert) {
        return Some(msg::UNTRUSTED_CERTIFICATE);
    }
    let (Some(from), Some(to)) = (parse_date(&data.valid_from), parse_date(&data.valid_to)) else {
        return Some(msg::INVALID_INPUT);
    };
    let (first, last) = (local_date(cert.not_before()), local_date(cert.not_after()));
    if from < first || to > last || from > to {
        return Some(msg::DATES_OUTSIDE_VALIDITY);
    }
    let content = signed::registration(
        &viewed.tax_text,
        &viewed.representative_text,
        cert.serial().as_str(),
        &data.valid_from,
        &data.valid_to,
    );
    if !ctx.signature_ok(
        Operation::RegisterSubmit,
        &viewed.tax_text,
        HD_SIGNATURE,
        cert,
        &content,
    ) {
        return Some(msg::BAD_SIGNATURE);
    }
    None
}

/// Issues a new captcha for the session; returns the image's id.
fn new_captcha(ctx: &mut Ctx) -> String {
    let answer = captcha::new_answer(&mut ctx.inner.rng);
    ctx.session.captcha = Some(answer.clone());
    ctx.inner.last_captcha = Some(answer);
    format!("{:016x}", ctx.inner.rng.next_u64())
}

fn render(ctx: &mut Ctx, data: Data, message: Option<&str>) -> Reply {
    let f = ctx.fields;
    let mut c = Controls::new(f);
    let mut content = heading("ĐĂNG KÝ THÔNG TIN DOANH NGHIỆP SỬ DỤNG CHỮ KÝ SỐ");
    content.push_str(&html::message(message));
    content.push_str("                <fieldset class=\"nhom\">\n                    <legend>Thông tin doanh nghiệp</legend>\n                    <table class=\"bang-nhap\" cellpadding=\"3\" cellspacing=\"0\" border=\"0\">\n");
    content.push_str(&c.text_row("Mã doanh nghiệp (MST)", TXT_TAX_CODE, &data.tax_text));
    content.push_str(&c.text_row(
        "Số CMT người đại diện theo pháp luật",
        TXT_REPRESENTATIVE,
        &data.representative_text,
    ));
    content.push_str(&format!(
        "                <tr>\n                    <td class=\"nhan\"><label for=\"{input_id}\">Mã xác nhận</label></td>\n                    <td><img id=\"{img_id}\" src=\"/CaptchaImage.ashx?id={captcha}\" alt=\"Mã xác nhận\" style=\"vertical-align:middle;\" />\n                        <input name=\"{input}\" type=\"text\" maxlength=\"5\" id=\"{input_id}\" class=\"textbox\" style=\"width:80px;\" value=\"\" /></td>\n                </tr>\n",
        img_id = f.id(IMG_CAPTCHA),
        captcha = html::escape(&data.captcha_id),
        input = html::escape(f.name(TXT_CAPTCHA)),
        input_id = f.id(TXT_CAPTCHA),
    ));
    content.push_str(&format!(
        "                <tr><td></td><td>{}</td></tr>\n                    </table>\n                </fieldset>\n",
        c.button(BTN_VIEW, "Xem thông tin")
    ));
    if let Some(viewed) = &data.viewed {
        let enterprise = ctx.inner.enterprise(&viewed.tax_code);
        let name = enterprise.map_or("", |e| e.state.name.as_str());
        let address = enterprise.map_or("", |e| e.state.address.as_str());
        content.push_str(&format!(
            "                <fieldset class=\"nhom\">\n                    <legend>Doanh nghiệp</legend>\n                    <table class=\"bang-nhap\" cellpadding=\"3\">\n                        <tr><td class=\"nhan\">Tên doanh nghiệp</td><td>{}</td></tr>\n                        <tr><td class=\"nhan\">Địa chỉ</td><td>{}</td></tr>\n                    </table>\n                </fieldset>\n",
            c.label(LBL_NAME, name),
            c.label(LBL_ADDRESS, address),
        ));
        let certificate_b64 = data
            .certificate
            .as_deref()
            .map(Base64::encode_string)
            .unwrap_or_default();
        content.push_str(&format!(
            "                <fieldset class=\"nhom\">\n                    <legend>Thông tin chứng thư số</legend>\n                    {}\n                    {}\n                    <table class=\"bang-nhap\" cellpadding=\"3\">\n                        <tr><td></td><td>{}</td></tr>\n",
            c.hidden(HD_CERTIFICATE, &certificate_b64),
            c.hidden(HD_SIGNATURE, ""),
            c.button(BTN_VIEW_CERTIFICATE, "Xem thông tin chứng thư số"),
        ));
        if let Some(cert) = data
            .certificate
            .as_deref()
            .and_then(|der| Certificate::from_der(der).ok())
        {
            content.push_str(&format!(
                "                        <tr><td class=\"nhan\">Số serial</td><td>{}</td></tr>\n                        <tr><td class=\"nhan\">Chủ thể</td><td>{}</td></tr>\n                        <tr><td class=\"nhan\">Tổ chức cấp</td><td>{}</td></tr>\n                        <tr><td class=\"nhan\">Thời hạn</td><td>{}</td></tr>\n",
                c.label(LBL_SERIAL, cert.serial().as_str()),
                c.label(LBL_SUBJECT, &cert.subject().to_string()),
                c.label(LBL_ISSUER, &cert.issuer().to_string()),
                c.label(
                    LBL_VALIDITY,
                    &format!(
                        "{} - {}",
                        show_date(local_date(cert.not_before())),
                        show_date(local_date(cert.not_after()))
                    )
                ),
            ));
            content.push_str(&c.text_row(
                "Ngày hiệu lực đăng ký",
                TXT_VALID_FROM,
                &data.valid_from,
            ));
            content.push_str(&c.text_row(
                "Ngày hết hiệu lực đăng ký",
                TXT_VALID_TO,
                &data.valid_to,
            ));
            content.push_str(&format!(
                "                        <tr><td></td><td>{}</td></tr>\n",
                c.button(BTN_REGISTER, "Đăng ký thông tin")
            ));
        }
        content.push_str("                    </table>\n                </fieldset>\n");
    }
    Reply::View(Box::new(View {
        title: "Đăng ký Doanh nghiệp sử dụng chữ ký số",
        content,
        events: c.into_events(),
        data: memory(data),
    }))
}

//! Screen A over real HTTP: the captcha, each registration rule refused with the portal's
//! message and accepted when met, and the WebForms viewstate checks.

mod sandbox_common;

use sandbox_common::*;
use vnaccs_core::fixtures::{self, Issued};
use vnaccs_core::records::signed;
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, Scenario};
use vnaccs_core::timing::local_date;

const PATH: &str = "/Pages/DangKyChuKySo.aspx";

/// A refused registration: certificate, signer, dates (default when `None`), message.
type Case<'a> = (&'a Issued, &'a Issued, Option<(&'a str, &'a str)>, &'a str);

/// GET, then "Xem thông tin" with the right captcha.
fn viewed(b: &Browser, sb: &Sandbox, tax: &str, rep: &str) -> Page {
    let page = b.get(PATH);
    let answer = sb.captcha_answer().unwrap();
    b.post(
        &page,
        &[
            (REG_TAX, tax),
            (REG_REP, rep),
            (REG_CAPTCHA, &answer),
            BTN_VIEW,
        ],
    )
}

/// Views the certificate, then registers it with the default dates (or `dates`), signed by
/// `signer`.
fn register(
    b: &Browser,
    page: &Page,
    cert: &Issued,
    signer: &Issued,
    dates: Option<(&str, &str)>,
) -> Page {
    let shown = b.post(page, &[(CERT, &cert_b64(cert)), BTN_VIEW_CERT]);
    assert!(
        shown.select("#MainContent_lblSerial").is_some(),
        "{}",
        shown.text()
    );
    let from = dates.map_or_else(|| shown.value(REG_FROM).unwrap(), |d| d.0.to_owned());
    let to = dates.map_or_else(|| shown.value(REG_TO).unwrap(), |d| d.1.to_owned());
    let content = signed::registration(fixtures::TAX, fixtures::CCCD, &serial(cert), &from, &to);
    b.post(
        &shown,
        &[
            (REG_FROM, &from),
            (REG_TO, &to),
            (SIG, &sign_b64(signer, &content)),
            BTN_REGISTER,
        ],
    )
}

#[test]
fn the_page_has_the_webforms_fields_a_captcha_png_and_the_sandbox_date() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let page = b.get(PATH);
    assert_eq!(page.status, 200);
    assert!(page.set_cookie);
    assert_eq!(page.date.as_deref(), Some("Fri, 20 Nov 2026 03:00:00 GMT"));
    for hidden in [
        "__VIEWSTATE",
        "__VIEWSTATEGENERATOR",
        "__EVENTVALIDATION",
        "__EVENTTARGET",
    ] {
        assert!(page.value(hidden).is_some(), "{hidden}");
    }
    assert!(page.text().contains("<meta charset=\"utf-8\" />"));
    let src = page.attr("#MainContent_imgCaptcha", "src").unwrap();
    let image = b.get(&src);
    assert_eq!(image.content_type.as_deref(), Some("image/png"));
    assert!(image.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(sb.captcha_answer().unwrap().len(), 5);
}

#[test]
fn a_wrong_captcha_is_refused_and_replaced() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let page = b.get(PATH);
    let first = sb.captcha_answer().unwrap();
    let wrong = if first == "00000" { "11111" } else { "00000" };
    let refused = b.post(
        &page,
        &[
            (REG_TAX, fixtures::TAX),
            (REG_REP, fixtures::CCCD),
            (REG_CAPTCHA, wrong),
            BTN_VIEW,
        ],
    );
    assert_eq!(refused.message(), "Mã xác nhận không đúng");
    assert!(refused.select("#MainContent_lblTenDN").is_none());
    // A new captcha: the old answer no longer works.
    let second = sb.captcha_answer().unwrap();
    assert_ne!(
        page.attr("#MainContent_imgCaptcha", "src"),
        refused.attr("#MainContent_imgCaptcha", "src")
    );
    let ok = b.post(
        &refused,
        &[
            (REG_TAX, fixtures::TAX),
            (REG_REP, fixtures::CCCD),
            (REG_CAPTCHA, &second),
            BTN_VIEW,
        ],
    );
    assert_eq!(ok.message(), "");
    assert_eq!(
        ok.select("#MainContent_lblTenDN").as_deref(),
        Some(fixtures::ENTERPRISE_NAME)
    );
}

#[test]
fn the_enterprise_must_exist_and_match_its_representative() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    assert_eq!(
        viewed(&b, &sb, "0302345458", fixtures::CCCD).message(),
        "Mã số thuế không hợp lệ"
    );
    assert_eq!(
        viewed(&b, &sb, fixtures::OTHER_TAX, fixtures::CCCD).message(),
        "Không tìm thấy thông tin doanh nghiệp"
    );
    assert_eq!(
        viewed(&b, &sb, fixtures::TAX, fixtures::CMND).message(),
        "Số CMT không khớp với người đại diện theo pháp luật của doanh nghiệp"
    );
}

#[test]
fn a_valid_certificate_of_the_enterprise_is_registered_idempotently() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let set = &pki().set;
    let page = viewed(&b, &sb, fixtures::TAX, fixtures::CCCD);
    let done = register(&b, &page, &set.enterprise_new, &set.enterprise_new, None);
    assert_eq!(done.message(), "Cập nhật thành công");
    let state = sb.snapshot();
    let enterprise = state.enterprise(fixtures::TAX).unwrap();
    let registered = enterprise
        .certificate(&serial(&set.enterprise_new))
        .unwrap();
    assert_eq!(registered.valid_from, local_date(pki_now()));
    assert_eq!(registered.registered_at, pki_now());
    // Again: still one registration, still success.
    let again = register(&b, &done, &set.enterprise_new, &set.enterprise_new, None);
    assert_eq!(again.message(), "Cập nhật thành công");
    assert_eq!(sb.snapshot(), state);
    // A provider switch: the other CA's certificate is trusted too.
    let switched = register(&b, &again, &set.other_ca, &set.other_ca, None);
    assert_eq!(switched.message(), "Cập nhật thành công");
}

#[test]
fn each_registration_rule_is_refused_with_its_message() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let set = &pki().set;
    let mut page = viewed(&b, &sb, fixtures::TAX, fixtures::CCCD);
    let cases: [Case; 5] = [
        (
            &set.other_tax_code,
            &set.other_tax_code,
            None,
            "Mã số thuế trên chứng thư số không khớp với mã doanh nghiệp",
        ),
        (
            &set.enterprise_expired,
            &set.enterprise_expired,
            None,
            "Chứng thư số đã hết hạn hoặc chưa có hiệu lực",
        ),
        (
            &set.enterprise_not_yet_valid,
            &set.enterprise_not_yet_valid,
            None,
            "Chứng thư số đã hết hạn hoặc chưa có hiệu lực",
        ),
        (
            &set.enterprise_new,
            &set.enterprise_new,
            Some(("20/11/2026", "20/11/2031")),
            "Ngày hiệu lực đăng ký phải nằm trong thời hạn của chứng thư số",
        ),
        (
            &set.enterprise_new,
            &set.enterprise_old,
            None,
            "Chữ ký số không hợp lệ",
        ),
    ];
    for (cert, signer, dates, message) in cases {
        let refused = register(&b, &page, cert, signer, dates);
        assert_eq!(refused.message(), message);
        page = refused;
    }
    let before = local_date(pki_now() - chrono::Duration::days(2));
    let refused = register(
        &b,
        &page,
        &set.enterprise_new,
        &set.enterprise_new,
        Some((&dmy(before), "20/11/2027")),
    );
    assert_eq!(
        refused.message(),
        "Ngày hiệu lực đăng ký phải nằm trong thời hạn của chứng thư số"
    );
    let state = sb.snapshot();
    assert!(
        state
            .enterprise(fixtures::TAX)
            .unwrap()
            .certificate(&serial(&set.enterprise_new))
            .is_none()
    );
}

#[test]
fn a_certificate_outside_the_trust_anchors_is_refused() {
    let p = pki();
    let mut scenario = Scenario::for_test_pki(p.pki, p.set);
    scenario.trust_anchors.clear();
    let sb = Sandbox::start(SandboxConfig::new(scenario)).unwrap();
    let b = Browser::new(&sb);
    let page = viewed(&b, &sb, fixtures::TAX, fixtures::CCCD);
    let refused = register(
        &b,
        &page,
        &p.set.enterprise_new,
        &p.set.enterprise_new,
        None,
    );
    assert_eq!(
        refused.message(),
        "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực chữ ký số hợp lệ cấp"
    );
}

#[test]
fn a_branch_registers_its_own_certificate() {
    let p = pki();
    let mut scenario = Scenario::for_test_pki(p.pki, p.set);
    scenario.add_test_branch(p.set);
    let sb = Sandbox::start(SandboxConfig::new(scenario)).unwrap();
    let b = Browser::new(&sb);
    let page = viewed(&b, &sb, fixtures::BRANCH, fixtures::CMND);
    assert_eq!(page.message(), "");
    let shown = b.post(&page, &[(CERT, &cert_b64(&p.set.branch)), BTN_VIEW_CERT]);
    let (from, to) = (shown.value(REG_FROM).unwrap(), shown.value(REG_TO).unwrap());
    let content = signed::registration(
        fixtures::BRANCH,
        fixtures::CMND,
        &serial(&p.set.branch),
        &from,
        &to,
    );
    let done = b.post(
        &shown,
        &[(SIG, &sign_b64(&p.set.branch, &content)), BTN_REGISTER],
    );
    assert_eq!(done.message(), "Cập nhật thành công");
}

#[test]
fn a_missing_altered_or_stale_viewstate_gets_the_error_page() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let page = b.get(PATH);
    let answer = sb.captcha_answer().unwrap();
    let fields = [
        (REG_TAX, fixtures::TAX),
        (REG_REP, fixtures::CCCD),
        (REG_CAPTCHA, answer.as_str()),
        BTN_VIEW,
    ];

    let mut missing = page.form_values();
    missing.retain(|(n, _)| n != "__VIEWSTATE");
    missing.extend(
        fields
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    let refused = b.post_raw(page.url.clone(), &missing).unwrap();
    assert_eq!(refused.status, 200);
    assert!(refused.is_error_page());

    let altered = page.value("__VIEWSTATE").unwrap().replacen('A', "B", 1) + "x";
    assert!(b.post(&page, &[("__VIEWSTATE", &altered)]).is_error_page());
    let altered = page.value("__EVENTVALIDATION").unwrap() + "x";
    assert!(
        b.post(&page, &[("__EVENTVALIDATION", &altered)])
            .is_error_page()
    );

    // A fresh render makes the earlier tokens stale.
    let fresh = b.get(PATH);
    let answer = sb.captcha_answer().unwrap();
    let stale = b.post(
        &page,
        &[
            (REG_TAX, fixtures::TAX),
            (REG_REP, fixtures::CCCD),
            (REG_CAPTCHA, &answer),
            BTN_VIEW,
        ],
    );
    assert!(stale.is_error_page());
    // An event the page did not offer fails event validation.
    let unknown = b.post(
        &fresh,
        &[
            ("__EVENTTARGET", "ctl00$MainContent$grdX"),
            ("__EVENTARGUMENT", "Select$0"),
        ],
    );
    assert!(unknown.is_error_page());
    // Without a session at all.
    let stranger = Browser::new(&sb);
    assert!(stranger.post(&fresh, &[BTN_VIEW]).is_error_page());
}

#[test]
fn a_post_in_an_idle_session_is_sent_to_the_login_page() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let page = b.get(PATH);
    let answer = sb.captcha_answer().unwrap();
    sb.clock().advance(chrono::Duration::minutes(21));
    let late = b.post(
        &page,
        &[
            (REG_TAX, fixtures::TAX),
            (REG_REP, fixtures::CCCD),
            (REG_CAPTCHA, &answer),
            BTN_VIEW,
        ],
    );
    assert_eq!(late.status, 302);
    assert_eq!(
        late.location.as_deref(),
        Some("/Pages/DangNhap.aspx?ReturnUrl=%2FPages%2FDangKyChuKySo.aspx")
    );
    assert!(late.set_cookie, "a new session replaces the expired one");
    // A fresh page works again.
    let again = viewed(&b, &sb, fixtures::TAX, fixtures::CCCD);
    assert_eq!(again.message(), "");
}

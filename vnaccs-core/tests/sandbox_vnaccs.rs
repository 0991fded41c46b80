//! Screens B to F and Customs' approval over real HTTP: each rule refused with the portal's
//! message and accepted when met; the login, the session and the effective times.

mod sandbox_common;

use chrono::{Duration, TimeZone};
use sandbox_common::*;
use vnaccs_core::fixtures;
use vnaccs_core::records::signed::{self, UserListEntry};
use vnaccs_core::records::{RegistrationKind, RegistrationStatus};
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_DECLARANT_USER_ID,
};
use vnaccs_core::timing::{registration_usable_from, vietnam_offset};

const ADMIN: &str = "/Pages/QuanTriTaiKhoan.aspx";

fn admin_update(
    b: &Browser,
    tax: &str,
    email: &str,
    password: &str,
    confirmation: &str,
    cert: &str,
) -> Page {
    let page = b.get(ADMIN);
    b.post(
        &page,
        &[
            (TAX, tax),
            (EMAIL, email),
            (PASSWORD, password),
            (CONFIRMATION, confirmation),
            (CERT, cert),
            BTN_ADMIN_UPDATE,
        ],
    )
}

#[test]
fn the_admin_account_update_checks_every_rule_then_confirms_the_signed_user_list() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let set = &pki().set;
    let new = cert_b64(&set.enterprise_new);
    let pw = TEST_ADMIN_PASSWORD;
    let cases = [
        (
            fixtures::OTHER_TAX,
            TEST_ADMIN_EMAIL,
            pw,
            pw,
            new.clone(),
            "Tài khoản quản trị chưa được đăng ký",
        ),
        (
            fixtures::TAX,
            TEST_ADMIN_EMAIL,
            "sai",
            "sai",
            new.clone(),
            "Mật khẩu không đúng",
        ),
        (
            fixtures::TAX,
            TEST_ADMIN_EMAIL,
            pw,
            "khac",
            new.clone(),
            "Mật khẩu xác nhận không khớp",
        ),
        (
            fixtures::TAX,
            "khac@saigontrade.vn",
            pw,
            pw,
            new.clone(),
            "Email không khớp với tài khoản quản trị",
        ),
        (
            fixtures::TAX,
            TEST_ADMIN_EMAIL,
            pw,
            pw,
            cert_b64(&set.other_tax_code),
            "Mã số thuế trên chứng thư số không khớp với mã doanh nghiệp",
        ),
        (
            fixtures::TAX,
            TEST_ADMIN_EMAIL,
            pw,
            pw,
            new.clone(),
            "Chứng thư số chưa được đăng ký với Hải quan",
        ),
        (
            fixtures::TAX,
            TEST_ADMIN_EMAIL,
            pw,
            pw,
            "not base64".to_owned(),
            "Dữ liệu không hợp lệ",
        ),
    ];
    for (tax, email, password, confirmation, cert, message) in cases {
        let page = admin_update(&b, tax, email, password, confirmation, &cert);
        assert_eq!(page.message(), message, "{tax} {email}");
        assert!(page.rows("#MainContent_grdNguoiDung tr.dong").is_empty());
    }
    assert_eq!(
        admin_update(&b, "123", TEST_ADMIN_EMAIL, pw, pw, &new).message(),
        "Mã số thuế không hợp lệ"
    );

    seed_registration(&sb, &set.enterprise_new);
    let listed = admin_update(&b, fixtures::TAX, TEST_ADMIN_EMAIL, pw, pw, &new);
    assert_eq!(
        listed.message(),
        "Cập nhật thông tin chữ ký số thành công. Vui lòng xác nhận danh sách người dùng."
    );
    let rows = listed.rows("#MainContent_grdNguoiDung tr.dong");
    let old_serial = serial(&set.enterprise_old);
    assert_eq!(
        rows,
        vec![vec![
            TEST_DECLARANT_USER_ID.to_owned(),
            "Nguyễn Văn An".to_owned(),
            old_serial.clone()
        ]]
    );
    let entries = [UserListEntry {
        user_code: TEST_DECLARANT_USER_ID,
        full_name: "Nguyễn Văn An",
        certificate_serial: &old_serial,
    }];
    let content = signed::user_list(fixtures::TAX, &serial(&set.enterprise_new), &entries);
    let bad = b.post(
        &listed,
        &[(SIG, &sign_b64(&set.enterprise_old, &content)), BTN_CONFIRM],
    );
    assert_eq!(bad.message(), "Chữ ký số không hợp lệ");
    let done = b.post(
        &bad,
        &[(SIG, &sign_b64(&set.enterprise_new, &content)), BTN_CONFIRM],
    );
    assert_eq!(done.message(), "Cập nhật tài khoản quản trị thành công");
    let state = sb.snapshot();
    let admin = state
        .enterprise(fixtures::TAX)
        .unwrap()
        .admin
        .clone()
        .unwrap();
    assert_eq!(
        admin.certificate_serial.unwrap().to_string(),
        serial(&set.enterprise_new)
    );
    // The new admin certificate logs in.
    let again = Browser::new(&sb);
    assert_eq!(
        login(&again, fixtures::TAX, pw, &set.enterprise_new).status,
        302
    );
}

#[test]
fn login_checks_the_password_certificate_and_signed_challenge() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let set = &pki().set;
    let pw = TEST_ADMIN_PASSWORD;
    assert_eq!(
        login(&b, fixtures::TAX, "sai", &set.enterprise_old).message(),
        "Mã số thuế hoặc mật khẩu không đúng"
    );
    assert_eq!(
        login(&b, fixtures::OTHER_TAX, pw, &set.other_tax_code).message(),
        "Mã số thuế hoặc mật khẩu không đúng"
    );
    assert_eq!(
        login(&b, fixtures::TAX, pw, &set.other_tax_code).message(),
        "Mã số thuế trên chứng thư số không khớp với mã doanh nghiệp"
    );
    assert_eq!(
        login(&b, fixtures::TAX, pw, &set.enterprise_new).message(),
        "Chứng thư số chưa được đăng ký với Hải quan"
    );
    // A signature over another challenge.
    let page = b.get(LOGIN_PATH);
    let content = signed::login(fixtures::TAX, "another challenge");
    let refused = b.post(
        &page,
        &[
            (TAX, fixtures::TAX),
            (PASSWORD, pw),
            (CERT, &cert_b64(&set.enterprise_old)),
            (SIG, &sign_b64(&set.enterprise_old, &content)),
            BTN_LOGIN,
        ],
    );
    assert_eq!(refused.message(), "Chữ ký số không hợp lệ");
    let done = login(&b, fixtures::TAX, pw, &set.enterprise_old);
    assert_eq!(done.status, 302);
    assert_eq!(done.location.as_deref(), Some("/Pages/TrangChu.aspx"));
    let home = b.follow(&done);
    assert!(home.select("#menu-chinh").is_some());
    let menu = home.select("#menu-chinh").unwrap();
    for item in [
        "I. Đăng ký",
        "3. Cấp mới password cho người sử dụng (User ID)",
        "II. Sửa thông tin đăng ký",
        "OE2102 Sửa thông tin chung và người sử dụng",
        "IV. Tra cứu",
        "OE4001 Tra cứu thông tin đăng ký",
        "OE4002 Tra cứu kết quả đăng ký",
    ] {
        assert!(menu.contains(item), "{item}");
    }
    // Logging out ends access.
    let out = b.get("/Pages/DangXuat.aspx");
    assert_eq!(out.status, 302);
    assert_eq!(b.get(OE2102).status, 302);
}

#[test]
fn an_expired_old_certificate_still_logs_in() {
    let p = pki();
    let sb = Sandbox::start(SandboxConfig::new(Scenario::for_test_pki_with_old(
        p.pki,
        &p.set.enterprise_expired,
    )))
    .unwrap();
    let b = Browser::new(&sb);
    let done = login(
        &b,
        fixtures::TAX,
        TEST_ADMIN_PASSWORD,
        &p.set.enterprise_expired,
    );
    assert_eq!(done.status, 302, "{}", done.message());
}

#[test]
fn protected_pages_redirect_to_login_and_idle_sessions_expire_on_the_sandbox_clock() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let redirect = b.get(OE2102);
    assert_eq!(redirect.status, 302);
    assert_eq!(
        redirect.location.as_deref(),
        Some("/Pages/DangNhap.aspx?ReturnUrl=%2FPages%2FOE2102.aspx")
    );
    let login_page = b.follow(&redirect);
    assert_eq!(login_page.message(), "");
    let done = login_on(
        &b,
        &login_page,
        fixtures::TAX,
        TEST_ADMIN_PASSWORD,
        &pki().set.enterprise_old,
    );
    assert_eq!(done.location.as_deref(), Some("/Pages/OE2102.aspx"));
    assert_eq!(b.get(OE2102).status, 200);

    sb.clock().advance(Duration::minutes(20));
    let page = b.get(OE2102);
    assert_eq!(page.status, 200, "20 minutes idle is still alive");
    sb.clock()
        .advance(Duration::minutes(20) + Duration::seconds(1));
    let tab = b.post(&page, &postback("ctl00$MainContent$tabNguoiKhai", ""));
    assert_eq!(tab.status, 302);
    assert_eq!(
        tab.location.as_deref(),
        Some("/Pages/DangNhap.aspx?ReturnUrl=%2FPages%2FOE2102.aspx")
    );
    assert_eq!(
        b.follow(&tab).message(),
        "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."
    );
}

#[test]
fn forgot_password_checks_the_account_and_email() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let ask = |tax: &str, email: &str| {
        let page = b.get("/Pages/QuenMatKhau.aspx");
        b.post(
            &page,
            &[
                (TAX, tax),
                (EMAIL, email),
                ("ctl00$MainContent$btnGui", "Gửi"),
            ],
        )
        .message()
    };
    assert_eq!(
        ask(fixtures::TAX, TEST_ADMIN_EMAIL),
        "Mật khẩu mới đã được gửi tới email của tài khoản quản trị"
    );
    assert_eq!(
        ask(fixtures::TAX, "x@y.vn"),
        "Email không khớp với tài khoản quản trị"
    );
    assert_eq!(
        ask(fixtures::OTHER_TAX, TEST_ADMIN_EMAIL),
        "Tài khoản quản trị chưa được đăng ký"
    );
    assert_eq!(ask("99", TEST_ADMIN_EMAIL), "Mã số thuế không hợp lệ");
}

#[test]
fn oe2102_points_a_declarant_at_a_registered_certificate_and_opens_one_record() {
    let p = pki();
    let set = &p.set;
    let old = serial(&set.enterprise_old);
    let mut scenario = Scenario::for_test_pki(p.pki, set);
    let tax = fixtures::TAX.parse().unwrap();
    scenario.add_test_declarant(&tax, &old.parse().unwrap(), true);
    scenario.add_test_declarant(&tax, &serial(&set.other_ca).parse().unwrap(), true);
    let sb = Sandbox::start(SandboxConfig::new(scenario)).unwrap();
    let b = Browser::new(&sb);
    standard_login(&b);
    let page = b.get(OE2102);
    let tab = b.post(&page, &postback("ctl00$MainContent$tabNguoiKhai", ""));
    let rows = tab.rows("#MainContent_grdNguoiKhai tr.dong");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], TEST_DECLARANT_USER_ID);
    assert_eq!(rows[0][5], old);
    assert_eq!(rows[1][5], old);
    assert_eq!(rows[0][4], "30/03/2025");

    let selected = b.post(&tab, &postback(DECLARANT_GRID, "Select$1"));
    assert_eq!(
        selected.value("ctl00$MainContent$txtHoTen").as_deref(),
        Some("Trần Thị Bình")
    );
    assert_eq!(
        selected.value("ctl00$MainContent$txtSoCMND").as_deref(),
        Some("079085000102")
    );
    let refused = b.post(
        &selected,
        &[(CERT, &cert_b64(&set.enterprise_new)), BTN_SAVE],
    );
    assert_eq!(
        refused.message(),
        "Chứng thư số chưa được đăng ký với Hải quan"
    );
    let refused = b.post(
        &refused,
        &[(CERT, &cert_b64(&set.other_tax_code)), BTN_SAVE],
    );
    assert_eq!(
        refused.message(),
        "Mã số thuế trên chứng thư số không khớp với mã doanh nghiệp"
    );
    seed_registration(&sb, &set.enterprise_new);
    let refused = b.post(
        &refused,
        &[
            ("ctl00$MainContent$txtEmail", "not an email"),
            (CERT, &cert_b64(&set.enterprise_new)),
            BTN_SAVE,
        ],
    );
    assert_eq!(refused.message(), "Dữ liệu không hợp lệ");
    let saved = b.post(
        &refused,
        &[
            ("ctl00$MainContent$txtEmail", "binh@saigontrade.vn"),
            ("ctl00$MainContent$txtNgayHieuLuc", "20/11/2026"),
            (CERT, &cert_b64(&set.enterprise_new)),
            BTN_SAVE,
        ],
    );
    assert_eq!(saved.message(), "Cập nhật thành công");
    let rows = saved.rows("#MainContent_grdNguoiKhai tr.dong");
    assert_eq!(rows[1][5], serial(&set.enterprise_new));
    assert_eq!(rows[1][3], "binh@saigontrade.vn");
    assert_eq!(rows[1][4], "20/11/2026");
    assert_eq!(
        save_declarant(&b, 0, &set.enterprise_new).message(),
        "Cập nhật thành công"
    );

    let state = sb.snapshot();
    let enterprise = state.enterprise(fixtures::TAX).unwrap();
    let open: Vec<_> = enterprise
        .records
        .iter()
        .filter(|r| r.status == RegistrationStatus::DataEntry)
        .collect();
    assert_eq!(open.len(), 1, "several saves share one open record");
    assert_eq!(open[0].kind, RegistrationKind::AmendmentAfterApproval);
    assert_eq!(
        enterprise.declarants[2].certificate_serial.to_string(),
        serial(&set.other_ca)
    );
    let missing = b.post(&saved, &postback(DECLARANT_GRID, "Select$7"));
    assert!(
        missing.is_error_page(),
        "an unoffered row fails event validation"
    );
}

/// Logs in, moves declarant 0 to the new certificate; returns the open record's number.
fn prepared(sb: &Sandbox, b: &Browser) -> String {
    let set = &pki().set;
    standard_login(b);
    seed_registration(sb, &set.enterprise_new);
    assert_eq!(
        save_declarant(b, 0, &set.enterprise_new).message(),
        "Cập nhật thành công"
    );
    sb.snapshot()
        .enterprise(fixtures::TAX)
        .unwrap()
        .records
        .iter()
        .find(|r| r.status == RegistrationStatus::DataEntry)
        .unwrap()
        .number
        .clone()
}

#[test]
fn oe4001_sends_a_record_once_with_a_signed_form_to_a_known_office() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let set = &pki().set;
    let number = prepared(&sb, &b);

    let results = search(&b);
    let rows = results.rows("#MainContent_grdKetQua tr.dong");
    assert_eq!(rows.len(), 2);
    let row = rows.iter().find(|r| r[0] == number).unwrap();
    assert_eq!(row[1], "Sửa sau phê duyệt");
    assert_eq!(row[2], "20/11/2026 10:00:00");
    assert_eq!(row[3], "Đang nhập liệu");
    assert_eq!(row[4], "");
    let only_amendments = b.post(
        &b.get(OE4001),
        &[("ctl00$MainContent$chkSuaSauPheDuyet", "on"), BTN_SEARCH],
    );
    assert_eq!(
        only_amendments.rows("#MainContent_grdKetQua tr.dong").len(),
        1
    );

    assert_eq!(
        send(&b, &number, "1B1", &set.enterprise_new).message(),
        "Mã Hải quan không hợp lệ"
    );
    assert_eq!(
        send(&b, &number, "09ZZ", &set.enterprise_new).message(),
        "Mã Hải quan không hợp lệ"
    );
    assert_eq!(
        send(&b, &number, "02CI", &set.enterprise_not_yet_valid).message(),
        "Chứng thư số chưa được đăng ký với Hải quan"
    );
    // Signed over another office than the one posted.
    let results = search(&b);
    let index = results
        .rows("#MainContent_grdKetQua tr.dong")
        .iter()
        .position(|r| r[0] == number)
        .unwrap();
    let dialog = b.post(&results, &postback(RECORD_GRID, &format!("Gui${index}")));
    let content = signed::send_form(&number, fixtures::TAX, "A", "a@b.vn", "01B1");
    let forged = b.post(
        &dialog,
        &[
            (SENDER, "A"),
            (SENDER_EMAIL, "a@b.vn"),
            (OFFICE, "02CI"),
            (CERT, &cert_b64(&set.enterprise_new)),
            (SIG, &sign_b64(&set.enterprise_new, &content)),
            BTN_SEND,
        ],
    );
    assert_eq!(forged.message(), "Chữ ký số không hợp lệ");

    sb.clock().advance(Duration::hours(2));
    standard_login(&b); // two idle hours ended the session
    let sent = send(&b, &number, "02CI", &set.enterprise_new);
    assert_eq!(sent.message(), "Đã gửi bản khai cho Hải quan");
    assert_eq!(sent.date.as_deref(), Some("Fri, 20 Nov 2026 05:00:00 GMT"));
    let row = sent
        .rows("#MainContent_grdKetQua tr.dong")
        .into_iter()
        .find(|r| r[0] == number)
        .unwrap();
    assert_eq!(row[3], "Đã gửi");
    assert_eq!(row[4], "20/11/2026 12:00:00");
    let record = sb.snapshot().record(&number).unwrap().clone();
    assert_eq!(record.status, RegistrationStatus::Sent);
    assert_eq!(record.sent_at, Some(pki_now() + Duration::hours(2)));
    assert_eq!(record.office.unwrap().as_str(), "02CI");

    assert_eq!(
        send(&b, &number, "02CI", &set.enterprise_new).message(),
        "Bản khai đã được gửi"
    );
    sb.approve(&number).unwrap();
    assert_eq!(
        send(&b, &number, "02CI", &set.enterprise_new).message(),
        "Bản khai không ở trạng thái Đang nhập liệu"
    );
}

#[test]
fn approval_issues_ids_and_sets_effective_times_around_midnight() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let set = &pki().set;
    // A new declarant without a User ID, and no terminal yet for a second check below.
    sb.scenario(|s| {
        s.add_test_declarant(
            &fixtures::TAX.parse().unwrap(),
            &serial(&set.enterprise_old).parse().unwrap(),
            false,
        );
    })
    .unwrap();
    let number = prepared(&sb, &b);
    // 23:59:59 Vietnam time.
    let vn = |d: u32, h: u32, m: u32, s: u32| {
        vietnam_offset()
            .with_ymd_and_hms(2026, 11, d, h, m, s)
            .unwrap()
            .to_utc()
    };
    sb.clock().set(vn(20, 23, 59, 59));
    standard_login(&b);
    assert_eq!(
        send(&b, &number, "01B1", &set.enterprise_new).message(),
        "Đã gửi bản khai cho Hải quan"
    );
    assert!(sb.reject("999").is_err());
    assert!(sb.approve(&number).is_ok());
    let err = sb.approve(&number).unwrap_err();
    assert_eq!(err.code(), "sandbox_status_change");
    assert_eq!(
        sb.reject(&number).unwrap_err().code(),
        "sandbox_status_change"
    );
    let state = sb.snapshot();
    let record = state.record(&number).unwrap();
    assert_eq!(record.status, RegistrationStatus::Approved);
    assert_eq!(record.usable_from, Some(vn(21, 0, 0, 0)));
    assert_eq!(
        record.usable_from,
        Some(registration_usable_from(vn(20, 23, 59, 59)))
    );
    let enterprise = state.enterprise(fixtures::TAX).unwrap();
    let issued = enterprise.declarants[1]
        .user_id
        .clone()
        .expect("a User ID is issued");
    assert_eq!(issued.as_str(), "V2060002");
    assert_eq!(enterprise.issued_users.len(), 2);
    assert_eq!(
        enterprise.issued_users[0].certificate_serial.to_string(),
        serial(&set.enterprise_new)
    );

    // OE4002 shows the approved users and the terminal.
    let page = b.get(OE4002);
    let users = page.rows("#MainContent_grdNguoiKhai tr.dong");
    assert_eq!(users.len(), 2);
    assert_eq!(users[0][0], TEST_DECLARANT_USER_ID);
    assert_eq!(users[0][3], serial(&set.enterprise_new));
    let terminals = b.post(&page, &postback("ctl00$MainContent$tabMayTinh", ""));
    assert_eq!(
        terminals.rows("#MainContent_grdMayTinh tr.dong"),
        vec![vec!["T3A9K2".to_owned(), "7QK2M9X4B8N1C6V3".to_owned()]]
    );

    // Sent at 00:00:00 the next day: usable only from the following midnight.
    let second = prepared(&sb, &b);
    sb.clock().set(vn(21, 0, 0, 0));
    standard_login(&b);
    send(&b, &second, "01B1", &set.enterprise_new);
    assert_eq!(sb.approve_sent(), vec![second.clone()]);
    assert_eq!(
        sb.snapshot().record(&second).unwrap().usable_from,
        Some(vn(22, 0, 0, 0))
    );
}

#[test]
fn automatic_approval_follows_the_configured_delay_on_the_sandbox_clock() {
    let p = pki();
    let mut scenario = Scenario::for_test_pki(p.pki, p.set);
    scenario.terminals.clear();
    let sb = Sandbox::start(
        SandboxConfig::new(scenario)
            .with_auto_approve_after(Some(std::time::Duration::from_secs(3600)))
            .with_seed(42),
    )
    .unwrap();
    let b = Browser::new(&sb);
    let number = prepared(&sb, &b);
    send(&b, &number, "03TG", &p.set.enterprise_new);
    sb.clock().advance(Duration::minutes(59));
    assert_eq!(
        sb.snapshot().record(&number).unwrap().status,
        RegistrationStatus::Sent
    );
    sb.clock().advance(Duration::minutes(5));
    let state = sb.snapshot();
    let record = state.record(&number).unwrap();
    assert_eq!(record.status, RegistrationStatus::Approved);
    assert_eq!(record.decided_at, Some(pki_now() + Duration::hours(1)));
    // A terminal of the right shape was issued.
    let terminal = &state.enterprise(fixtures::TAX).unwrap().terminals[0];
    assert_eq!(terminal.terminal_id.as_str().len(), 6);
    assert_eq!(terminal.access_key.as_str().len(), 16);
}

#[test]
fn user_id_passwords_follow_the_policy_and_tell_same_from_changed() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    standard_login(&b);
    let change = |user: &str, new: &str, confirmation: &str| {
        let page = b.get("/Pages/CapPasswordNSD.aspx");
        let answer = b.post(
            &page,
            &[
                ("ctl00$MainContent$txtUserId", user),
                ("ctl00$MainContent$txtMatKhauMoi", new),
                ("ctl00$MainContent$txtXacNhanMatKhau", confirmation),
                ("ctl00$MainContent$btnCapPassword", "Cấp password mới"),
            ],
        );
        (answer.message(), answer.date)
    };
    let policy = "Mật khẩu chỉ gồm chữ cái A-Z và chữ số 0-9, tối đa 8 ký tự";
    assert_eq!(
        change("V2060999", "ABC123", "ABC123").0,
        "User ID không tồn tại"
    );
    assert_eq!(change("v20", "ABC123", "ABC123").0, "User ID không tồn tại");
    assert_eq!(change(TEST_DECLARANT_USER_ID, "abc123", "abc123").0, policy);
    assert_eq!(
        change(TEST_DECLARANT_USER_ID, "ABCDE1234", "ABCDE1234").0,
        policy
    );
    assert_eq!(change(TEST_DECLARANT_USER_ID, "", "").0, policy);
    assert_eq!(
        change(TEST_DECLARANT_USER_ID, "XYZ789", "XYZ788").0,
        "Mật khẩu xác nhận không khớp"
    );
    assert_eq!(
        change(TEST_DECLARANT_USER_ID, "ABC123", "ABC123").0,
        "Mật khẩu trùng với mật khẩu cũ"
    );
    assert!(
        sb.snapshot().enterprise(fixtures::TAX).unwrap().declarants[0]
            .password_changed_at
            .is_none()
    );
    let (message, date) = change(TEST_DECLARANT_USER_ID, "XYZ789", "XYZ789");
    assert_eq!(message, "Cấp password mới thành công");
    assert_eq!(date.as_deref(), Some("Fri, 20 Nov 2026 03:00:00 GMT"));
    let declarant = sb.snapshot().enterprise(fixtures::TAX).unwrap().declarants[0].clone();
    assert_eq!(declarant.password_changed_at, Some(pki_now()));
    assert_eq!(
        declarant.password_usable_from,
        Some(pki_now() + Duration::hours(24))
    );
    assert_eq!(
        change(TEST_DECLARANT_USER_ID, "XYZ789", "XYZ789").0,
        "Mật khẩu trùng với mật khẩu cũ"
    );
}

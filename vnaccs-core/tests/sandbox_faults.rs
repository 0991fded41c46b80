//! Faults of every kind, isolation between sandboxes, identifiers independent of the request
//! history, and stopping.

mod sandbox_common;

use std::time::Duration;

use sandbox_common::*;
use vnaccs_core::fixtures;
use vnaccs_core::records::RegistrationStatus;
use vnaccs_core::sandbox::{
    Fault, FaultKind, FaultPlan, Operation, Sandbox, SandboxConfig, SandboxState, Scenario,
};

const REGISTER: &str = "/Pages/DangKyChuKySo.aspx";

fn fault(kind: FaultKind, at: Operation, times: u32) -> Fault {
    Fault { kind, at, times }
}

#[test]
fn server_errors_and_maintenance_answer_then_the_portal_recovers() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    sb.inject(fault(FaultKind::Status500, Operation::RegisterPage, 2));
    assert_eq!(sb.faults_pending(), 2);
    for _ in 0..2 {
        let page = b.get(REGISTER);
        assert_eq!(page.status, 500);
        assert!(page.is_error_page());
        assert!(page.date.is_some());
    }
    let page = b.get(REGISTER);
    assert_eq!(page.status, 200);
    assert_eq!(sb.faults_pending(), 0);

    sb.inject(fault(FaultKind::Status503, Operation::Captcha, 1));
    let src = page.attr("#MainContent_imgCaptcha", "src").unwrap();
    let bare = b.get(&src);
    assert_eq!(bare.status, 503);
    assert!(!bare.is_error_page());
    assert_eq!(b.get(&src).status, 200);

    sb.inject(fault(FaultKind::Maintenance, Operation::LoginPage, 1));
    let maintenance = b.get(LOGIN_PATH);
    assert_eq!(maintenance.status, 503);
    assert!(
        maintenance
            .select("#bao-tri")
            .unwrap()
            .contains("Hệ thống đang bảo trì")
    );
    assert_eq!(b.get(LOGIN_PATH).status, 200);
}

#[test]
fn a_dropped_connection_leaves_the_state_and_viewstate_untouched() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    let page = b.get(REGISTER);
    let answer = sb.captcha_answer().unwrap();
    let fields = [
        (REG_TAX, fixtures::TAX),
        (REG_REP, fixtures::CCCD),
        (REG_CAPTCHA, answer.as_str()),
        BTN_VIEW,
    ];
    sb.inject(fault(FaultKind::Drop, Operation::RegisterView, 1));
    assert!(b.try_post(&page, &fields).is_err());
    let viewed = b.post(&page, &fields);
    assert_eq!(
        viewed.select("#MainContent_lblTenDN").as_deref(),
        Some(fixtures::ENTERPRISE_NAME)
    );
}

#[test]
fn a_slow_response_is_served_normally() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    standard_login(&b);
    let delay = Duration::from_millis(300);
    sb.inject(fault(FaultKind::Slow(delay), Operation::Search, 1));
    let started = std::time::Instant::now();
    let results = search(&b);
    // The fault really held the answer back, and fired once.
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert_eq!(sb.faults_pending(), 0);
    assert_eq!(results.status, 200);
    assert_eq!(results.rows("#MainContent_grdKetQua tr.dong").len(), 1);
}

#[test]
fn a_session_expiry_fault_sends_the_request_to_the_login_page() {
    let sb = standard_sandbox();
    let b = Browser::new(&sb);
    standard_login(&b);
    sb.inject(fault(FaultKind::SessionExpiry, Operation::Oe2102Page, 1));
    let redirect = b.get(OE2102);
    assert_eq!(redirect.status, 302);
    let login_page = b.follow(&redirect);
    assert_eq!(
        login_page.message(),
        "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."
    );
    let again = login_on(
        &b,
        &login_page,
        fixtures::TAX,
        vnaccs_core::sandbox::TEST_ADMIN_PASSWORD,
        &pki().set.enterprise_old,
    );
    assert_eq!(again.location.as_deref(), Some(OE2102));
    assert_eq!(b.get(OE2102).status, 200);
}

#[test]
fn seeded_fault_plans_are_deterministic_and_bounded() {
    let ops = [Operation::RegisterPage];
    let plan = FaultPlan::random(11, &ops, 3, Duration::from_millis(1));
    assert_eq!(
        plan,
        FaultPlan::random(11, &ops, 3, Duration::from_millis(1))
    );
    assert_eq!(plan.faults.len(), 3);
    let sb = standard_sandbox();
    sb.inject_plan(&plan);
    let b = Browser::new(&sb);
    for left in (0..3).rev() {
        let _ = b.try_get(REGISTER);
        assert_eq!(sb.faults_pending(), left);
    }
    assert_eq!(b.get(REGISTER).status, 200);
}

/// Moves declarant 0 to the new certificate, sends the record and approves it.
fn renewal(sb: &Sandbox, b: &Browser) -> String {
    let set = &pki().set;
    standard_login(b);
    assert_eq!(
        save_declarant(b, 0, &set.enterprise_new).message(),
        "Cập nhật thành công"
    );
    let number = sb.snapshot().enterprise(fixtures::TAX).unwrap().records[1]
        .number
        .clone();
    assert_eq!(
        send(b, &number, "01B1", &set.enterprise_new).message(),
        "Đã gửi bản khai cho Hải quan"
    );
    assert_eq!(sb.approve_sent(), vec![number.clone()]);
    number
}

fn seeded(seed: u64) -> Sandbox {
    let p = pki();
    let mut scenario = Scenario::for_test_pki(p.pki, p.set);
    scenario.terminals.clear();
    scenario.register_certificate(fixtures::TAX.parse().unwrap(), p.set.enterprise_new.pem());
    scenario.add_test_declarant(
        &fixtures::TAX.parse().unwrap(),
        &serial(&p.set.enterprise_old).parse().unwrap(),
        false,
    );
    Sandbox::start(SandboxConfig::new(scenario).with_seed(seed)).unwrap()
}

#[test]
fn identifiers_depend_on_the_seed_and_events_not_on_requests_or_faults() {
    let clean = seeded(5);
    let number = renewal(&clean, &Browser::new(&clean));
    let clean_state = clean.snapshot();

    let faulted = seeded(5);
    // Extra sessions, pages and faulted requests before the same events.
    for _ in 0..3 {
        let extra = Browser::new(&faulted);
        extra.get(REGISTER);
        extra.get(LOGIN_PATH);
    }
    faulted.inject(fault(FaultKind::Drop, Operation::DeclarantSave, 1));
    faulted.inject(fault(FaultKind::Status500, Operation::Send, 1));
    let b = Browser::new(&faulted);
    standard_login(&b);
    let selected = select_declarant(&b, 0);
    let set = &pki().set;
    assert!(
        b.try_post(
            &selected,
            &[(CERT, &cert_b64(&set.enterprise_new)), BTN_SAVE]
        )
        .is_err()
    );
    let first = send(&b, "102500000001", "01B1", &set.enterprise_new);
    assert_eq!(first.status, 500);
    assert_eq!(renewal(&faulted, &b), number);
    assert!(faulted.requests_served() > clean.requests_served());
    assert_eq!(faulted.snapshot(), clean_state);

    let record = clean_state.record(&number).unwrap();
    assert_eq!(record.status, RegistrationStatus::Approved);
    let enterprise = clean_state.enterprise(fixtures::TAX).unwrap();
    let issued = enterprise.declarants[1].user_id.clone().unwrap();
    assert_eq!(issued.as_str(), "V2060002");
    assert_eq!(enterprise.terminals.len(), 1);

    let other = seeded(6);
    let other_number = renewal(&other, &Browser::new(&other));
    assert_ne!(other_number, number);
    assert_ne!(
        other
            .snapshot()
            .enterprise(fixtures::TAX)
            .unwrap()
            .terminals,
        enterprise.terminals
    );
    // The snapshot is plain serde data.
    let json = serde_json::to_string(&clean_state).unwrap();
    assert_eq!(
        serde_json::from_str::<SandboxState>(&json).unwrap(),
        clean_state
    );
    assert!(!json.contains(vnaccs_core::sandbox::TEST_ADMIN_PASSWORD));
    let debug = format!("{clean:?}");
    assert!(!debug.contains(vnaccs_core::sandbox::TEST_ADMIN_PASSWORD));
    assert!(
        !debug.contains("ABC123"),
        "User ID passwords stay out of Debug"
    );
}

#[test]
fn parallel_sandboxes_share_nothing() {
    let (a, b) = (standard_sandbox(), standard_sandbox());
    assert_ne!(a.url(), b.url());
    let threads: Vec<_> = [&a, &b]
        .into_iter()
        .map(|sb| {
            let url = sb.url();
            std::thread::spawn(move || {
                let browser = Browser::at(url);
                (0..5).all(|_| browser.get(REGISTER).status == 200)
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap());
    }
    seed_registration(&a, &pki().set.enterprise_new);
    a.clock().advance(chrono::Duration::days(1));
    assert_ne!(a.snapshot(), b.snapshot());
    assert_eq!(b.clock().now(), pki_now());
    assert!(
        b.snapshot()
            .enterprise(fixtures::TAX)
            .unwrap()
            .certificate(&serial(&pki().set.enterprise_new))
            .is_none()
    );
    // A session of one sandbox means nothing to the other.
    let browser = Browser::new(&a);
    standard_login(&browser);
    let cookie_less = Browser::new(&b);
    assert_eq!(cookie_less.get(OE2102).status, 302);
    assert_eq!(a.requests_served(), 5 + 2);
}

#[test]
fn stopping_closes_the_port() {
    let mut sb = standard_sandbox();
    let b = Browser::new(&sb);
    assert_eq!(b.get(REGISTER).status, 200);
    sb.stop();
    sb.stop();
    assert!(b.try_get(REGISTER).is_err());
    let url = {
        let dropped = standard_sandbox();
        dropped.url()
    };
    assert!(Browser::at(url).try_get(REGISTER).is_err());
}

//! Scenarios: the JSON round trip, loading from a file, refusals of bad scenarios, and field
//! renames applied to every rendered and read name.

mod sandbox_common;

use std::collections::BTreeMap;

use sandbox_common::*;
use vnaccs_core::fixtures;
use vnaccs_core::records::RegistrationStatus;
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, Scenario};

#[test]
fn the_test_scenario_round_trips_through_json_and_a_file() {
    let p = pki();
    let mut scenario = Scenario::for_test_pki(p.pki, p.set);
    scenario.add_test_branch(p.set);
    let json = scenario.to_json();
    assert!(
        json.contains("\"representative_id\": \"CCCD:001085012345\""),
        "{json}"
    );
    assert_eq!(Scenario::from_json(&json).unwrap(), scenario);
    // Passwords do not show in Debug output.
    assert!(!format!("{scenario:?}").contains(vnaccs_core::sandbox::TEST_ADMIN_PASSWORD));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.json");
    std::fs::write(&path, &json).unwrap();
    let loaded = Scenario::from_file(&path).unwrap();
    let sb = Sandbox::start(SandboxConfig::new(loaded)).unwrap();
    let state = sb.snapshot();
    assert_eq!(state.enterprises.len(), 2);
    let enterprise = state.enterprise(fixtures::TAX).unwrap();
    assert_eq!(enterprise.name, fixtures::ENTERPRISE_NAME);
    assert_eq!(enterprise.records[0].status, RegistrationStatus::Approved);
    assert_eq!(
        enterprise.certificates[0].serial.to_string(),
        serial(&p.set.enterprise_old)
    );
    assert_eq!(sb.clock().now(), pki_now());
    assert!(state.enterprise(fixtures::BRANCH).is_some());
    assert_eq!(
        Scenario::from_file(&dir.path().join("missing.json"))
            .unwrap_err()
            .code(),
        "io_error"
    );
}

#[test]
fn a_hand_written_scenario_follows_the_documented_schema() {
    let p = pki();
    let pem = serde_json::to_string(&p.set.enterprise_old.pem()).unwrap();
    let root = serde_json::to_string(&p.pki.root.pem()).unwrap();
    let ca = serde_json::to_string(&p.pki.ca.pem()).unwrap();
    let json = format!(
        r#"{{
          "now": "2026-11-20T03:00:00Z",
          "trust_anchors": [{root}, {ca}],
          "offices": ["01B1"],
          "enterprises": [{{"tax_code": "0302345459", "name": "CÔNG TY A",
                            "representative_id": "001085012345"}}],
          "admin_accounts": [{{"tax_code": "0302345459", "email": "a@b.vn", "password": "x",
                               "certificate": {pem}}}],
          "certificates": [{{"tax_code": "0302345459", "certificate": {pem},
                             "valid_from": "2025-01-01"}}],
          "declarants": [{{"tax_code": "0302345459", "full_name": "Lê Văn C",
                           "id_number": "079085000101", "email": "c@b.vn",
                           "effective_date": "2025-01-01",
                           "certificate_serial": "{serial}"}}],
          "terminals": [{{"tax_code": "0302345459", "terminal_id": "ABC123",
                          "access_key": "ABCDEF0123456789"}}],
          "records": [{{"tax_code": "0302345459", "number": "1", "kind": "new",
                        "status": "sent", "sent_at": "2026-11-19T03:00:00Z", "office": "01B1"}}]
        }}"#,
        serial = serial(&p.set.enterprise_old)
    );
    let scenario = Scenario::from_json(&json).unwrap();
    let sb = Sandbox::start(SandboxConfig::new(scenario)).unwrap();
    let state = sb.snapshot();
    let e = state.enterprise(fixtures::TAX).unwrap();
    assert_eq!(e.certificates[0].valid_from.to_string(), "2025-01-01");
    assert_eq!(e.declarants[0].user_id, None);
    assert_eq!(sb.approve_sent(), vec!["1".to_owned()]);
    assert!(
        sb.snapshot().enterprise(fixtures::TAX).unwrap().declarants[0]
            .user_id
            .is_some()
    );
    let b = Browser::new(&sb);
    assert_eq!(
        login(&b, fixtures::TAX, "x", &p.set.enterprise_old).status,
        302
    );
}

#[test]
fn bad_scenarios_are_refused() {
    let bad = [
        r#"{"enterprise": []}"#,
        r#"{"enterprises": [{"tax_code": "0302345458", "name": "A", "representative_id": "001085012345"}]}"#,
        r#"{"offices": ["1B1"]}"#,
        r#"not json"#,
    ];
    for json in bad {
        assert_eq!(
            Scenario::from_json(json).unwrap_err().code(),
            "sandbox_scenario",
            "{json}"
        );
    }
    let orphan = Scenario::from_json(
        r#"{"terminals": [{"tax_code": "0302345459", "terminal_id": "ABC123", "access_key": "ABCDEF0123456789"}]}"#,
    )
    .unwrap();
    let err = Sandbox::start(SandboxConfig::new(orphan)).unwrap_err();
    assert_eq!(err.code(), "sandbox_scenario");
    let sb = standard_sandbox();
    let twice = sb.scenario(|s| {
        s.add_enterprise(
            fixtures::TAX.parse().unwrap(),
            "A",
            "",
            fixtures::CCCD.parse().unwrap(),
        );
    });
    assert_eq!(twice.unwrap_err().code(), "sandbox_scenario");
    let bad_pem = sb.scenario(|s| {
        s.register_certificate(fixtures::TAX.parse().unwrap(), "garbage".into());
    });
    assert!(bad_pem.is_err());
}

#[test]
fn renamed_fields_are_rendered_and_read_under_their_new_names() {
    let p = pki();
    let renames = BTreeMap::from([
        (
            REG_TAX.to_owned(),
            "ctl00$MainContent$txtMaSoThueDN".to_owned(),
        ),
        (BTN_VIEW.0.to_owned(), "ctl00$MainContent$btnXem".to_owned()),
    ]);
    let sb = Sandbox::start(
        SandboxConfig::new(Scenario::for_test_pki(p.pki, p.set)).with_renames(renames),
    )
    .unwrap();
    let b = Browser::new(&sb);
    let page = b.get("/Pages/DangKyChuKySo.aspx");
    assert!(page.value(REG_TAX).is_none());
    assert!(page.value("ctl00$MainContent$txtMaSoThueDN").is_some());
    assert!(page.select("#MainContent_txtMaSoThueDN").is_some());
    assert!(page.select("#MainContent_btnXem").is_some());
    // The old button name is no longer an event the page offers.
    assert!(
        b.post(
            &page,
            &[("ctl00$MainContent$txtMaSoThueDN", fixtures::TAX), BTN_VIEW]
        )
        .is_error_page()
    );
    let page = b.get("/Pages/DangKyChuKySo.aspx");
    let answer = sb.captcha_answer().unwrap();
    let viewed = b.post(
        &page,
        &[
            ("ctl00$MainContent$txtMaSoThueDN", fixtures::TAX),
            (REG_REP, fixtures::CCCD),
            (REG_CAPTCHA, &answer),
            ("ctl00$MainContent$btnXem", "Xem thông tin"),
        ],
    );
    assert_eq!(
        viewed.select("#MainContent_lblTenDN").as_deref(),
        Some(fixtures::ENTERPRISE_NAME)
    );
}

#[test]
fn the_wording_is_a_scenario_setting() {
    use vnaccs_core::sandbox::Wording;
    let scenario = Scenario::from_json(r#"{ "wording": "alternative" }"#).unwrap();
    assert_eq!(scenario.wording, Some(Wording::Alternative));
    assert_eq!(Scenario::from_json("{}").unwrap().wording, None);
    assert!(scenario.to_json().contains("\"wording\": \"alternative\""));
    let e = Scenario::from_json(r#"{ "wording": "other" }"#).unwrap_err();
    assert_eq!(e.code(), "sandbox_scenario");
}

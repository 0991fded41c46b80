//! Values from outside, arbitrary: every public parsing entry point and every date computation
//! gives a value or a typed error, never a panic — identifiers, dates and their range, the timing
//! rules, saved states, sandbox scenarios, site profiles and an update's plan.

mod workflow_common;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use proptest::prelude::*;
use vnaccs_core::dates;
use vnaccs_core::ids::{
    CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, TerminalAccessKey,
    TerminalId, UserId, UserIdPassword,
};
use vnaccs_core::portal::{PortalConfig, SiteProfile};
use vnaccs_core::sandbox::Scenario;
use vnaccs_core::timing;
use vnaccs_core::workflow::{CertificateUpdate, UpdateState};

/// Any instant chrono can represent.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let (min, max) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    prop_oneof![
        min..=max,
        Just(min),
        Just(max),
        // Around the accepted years.
        631_152_000i64 - 86_400..=7_289_654_400i64 + 86_400,
    ]
    .prop_map(|s| DateTime::from_timestamp(s, 0).expect("in range"))
}

/// Any date chrono can represent.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    any_instant().prop_map(|t| t.date_naive())
}

/// A saved state (one step done, a registration and a sent record) with the given dates.
fn state_json(valid_from: &str, valid_to: &str, sent_at: &str) -> String {
    format!(
        r#"{{"version": 1, "tax_code": "0302345459",
        "new_serial": "5404287E6CC0BC4DA008B43C710C0D5A",
        "completed": ["register_certificate"],
        "registration": {{"tax_code": "0302345459", "representative_id": "001085012345",
            "certificate": {{"serial": "5404287E6CC0BC4DA008B43C710C0D5A", "subject": "CN=A",
                "issuer": "CN=B", "not_before": "2026-11-01T00:00:00Z",
                "not_after": "2029-11-01T00:00:00Z"}},
            "valid_from": "{valid_from}", "valid_to": "{valid_to}"}},
        "record": {{"number": "100000001", "tax_code": "0302345459", "kind": "new",
            "status": "sent", "sent_at": "{sent_at}", "office": "01B1"}}}}"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn identifiers_parse_any_text(text in "\\PC{0,40}|[0-9A-Z@.:-]{0,20}") {
        let _ = TaxCode::parse(&text);
        let _ = PersonalId::parse(&text);
        let _ = UserId::parse(&text);
        let _ = TerminalId::parse(&text);
        let _ = TerminalAccessKey::parse(&text);
        let _ = CustomsOfficeCode::parse(&text);
        let _ = Email::parse(&text);
        let _ = CertificateSerial::parse(&text);
        let _ = UserIdPassword::parse(&text);
    }

    #[test]
    fn the_timing_rules_take_any_instant(t in any_instant(), d in any_date()) {
        let local = timing::local_date(t);
        let _ = timing::local_midnight(d);
        let _ = timing::local_midnight(local);
        let _ = timing::registration_usable_from(t);
        let _ = timing::password_usable_from(t);
        let holidays = timing::HolidayCalendar::vietnam();
        let _ = timing::latest_update_date(d, &holidays);
        let _ = timing::leaves_working_day(t, d, &holidays);
        prop_assert_eq!(dates::check_date("d", d).is_ok(), dates::YEARS.contains(&d.year()));
        if dates::time_in_range(t) {
            // In range, the rules are exact.
            prop_assert!(timing::registration_usable_from(t) > t);
            prop_assert_eq!(timing::password_usable_from(t) - t, chrono::TimeDelta::hours(24));
        }
    }

    #[test]
    fn saved_states_with_any_dates_load_or_are_refused(
        from in any_date(), to in any_date(), sent in any_instant(),
    ) {
        let json = state_json(&from.to_string(), &to.to_string(), &sent.to_rfc3339());
        match UpdateState::from_json(&json) {
            Ok(_) => prop_assert!(
                dates::date_in_range(from) && dates::date_in_range(to) && dates::time_in_range(sent)
            ),
            Err(e) => prop_assert_eq!(e.code(), "invalid_workflow_state"),
        }
    }

    #[test]
    fn any_text_as_a_state_or_scenario_or_profile(text in "\\PC{0,200}") {
        let _ = UpdateState::from_json(&text);
        let _ = Scenario::from_json(&text);
        let _ = SiteProfile::from_toml(&text);
    }

    #[test]
    fn scenarios_with_any_clock_are_checked(now in any_instant(), effective in any_date()) {
        let json = format!(r#"{{"now": "{}"}}"#, now.to_rfc3339());
        if let Ok(scenario) = Scenario::from_json(&json) {
            prop_assert_eq!(scenario.check_dates().is_ok(), dates::time_in_range(now));
        }
        let mut scenario = workflow_common::standard_scenario();
        if let Some(declarant) = scenario.declarants.first_mut() {
            declarant.effective_date = effective;
        }
        prop_assert_eq!(scenario.check_dates().is_ok(), dates::date_in_range(effective));
    }

    #[test]
    fn an_update_plans_for_any_clearance_and_clock(clearance in any_date(), now in any_instant()) {
        let (_, set) = workflow_common::pki();
        let mut inputs = workflow_common::inputs();
        inputs.next_clearance = Some(clearance);
        let portal = PortalConfig::with_base_url("http://127.0.0.1:9/".parse().unwrap());
        match CertificateUpdate::new(
            inputs,
            workflow_common::software(&[&set.enterprise_old, &set.enterprise_new]),
            portal,
        ) {
            Ok(update) => {
                prop_assert!(dates::date_in_range(clearance));
                let _ = update.plan(now);
            }
            Err(e) => prop_assert_eq!(e.code(), "date_out_of_range"),
        }
    }
}

#[test]
fn a_sandbox_whose_clock_is_out_of_range_does_not_start() {
    let mut scenario = workflow_common::standard_scenario();
    scenario.now = Some(DateTime::<Utc>::MAX_UTC);
    let err =
        vnaccs_core::sandbox::Sandbox::start(vnaccs_core::sandbox::SandboxConfig::new(scenario))
            .unwrap_err();
    assert_eq!(err.code(), "sandbox_scenario");
}

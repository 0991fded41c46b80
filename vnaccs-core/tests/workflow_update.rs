//! End-to-end certificate updates against the sandbox portal over loopback HTTP: the full update
//! for each kind of certificate change, each refusal at its step, the result and password steps
//! after approval, and the usable-from times around midnight.

mod workflow_common;

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeDelta};
use secrecy::SecretString;
use vnaccs_core::cert::ChangeKind;
use vnaccs_core::fixtures::{BRANCH, CMND, Issued, TAX};
use vnaccs_core::records::{PasswordChangeKind, RegistrationKind, RegistrationStatus};
use vnaccs_core::sandbox::{Sandbox, Scenario, TEST_ADMIN_PASSWORD};
use vnaccs_core::timing::{local_midnight, registration_usable_from, vietnam_offset};
use vnaccs_core::workflow::{
    DeclarantRule, DeclarantSelector, Progress, Skipped, Step, UpdateInputs, UpdateOutcome,
    UpdateState, Warning,
};
use vnaccs_core::{Error, UserIdPassword};
use workflow_common::*;

/// Checks what a completed update left on the portal and in its outcome.
fn assert_complete(sb: &Sandbox, outcome: &UpdateOutcome, new: &Issued, tax: &str, moved: usize) {
    let new_serial = serial(new);
    assert_eq!(outcome.registration.certificate.serial, new_serial);
    assert_eq!(
        outcome.sent_at,
        sb.clock().now(),
        "sent at the portal's clock"
    );
    assert_eq!(
        outcome.usable_from,
        registration_usable_from(outcome.sent_at)
    );
    assert_eq!(outcome.declarants_moved.len(), moved);
    assert!(outcome.declarants_moved.iter().all(|m| m.moved));

    let snapshot = sb.snapshot();
    let enterprise = snapshot.enterprise(tax).unwrap();
    assert!(enterprise.certificate(new_serial.as_str()).is_some());
    assert_eq!(
        enterprise.admin.as_ref().unwrap().certificate_serial,
        Some(new_serial.clone())
    );
    assert_eq!(
        sent_records(&snapshot, tax),
        1,
        "exactly one registration sent"
    );
    let record = snapshot.record(&outcome.record.number).unwrap();
    assert_eq!(record.sent_at, Some(outcome.sent_at));
    assert_eq!(record.office.as_ref().map(|o| o.as_str()), Some("02CI"));
    for m in &outcome.declarants_moved {
        let row = enterprise
            .declarants
            .iter()
            .find(|d| d.id_number == m.id_number)
            .unwrap();
        assert_eq!(row.certificate_serial, new_serial, "{} moved", m.full_name);
    }
}

#[test]
fn renewal_with_one_declarant() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("update.json");
    let (update, seen) = renewal(&sb);
    let mut update = update.state_file(&state_file);

    let plan = update.plan(vnaccs_core::fixtures::test_instant()).unwrap();
    assert_eq!(plan.change.as_ref().unwrap().kind, ChangeKind::Renewal);
    assert_eq!(plan.certificate.serial, serial(&set.enterprise_new));
    assert_eq!(
        plan.declarants,
        DeclarantRule::OnOldSerial {
            serial: serial(&set.enterprise_old)
        }
    );
    assert!(
        plan.warnings
            .contains(&Warning::SendDeclarationsInProgressFirst)
    );
    assert_eq!(sb.requests_served(), 0, "the plan sends nothing");

    let outcome = update.run().expect("the update completes");
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
    assert_eq!(
        outcome.declarants_moved[0]
            .user_code
            .as_ref()
            .unwrap()
            .as_str(),
        "V2060001"
    );
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);
    assert_eq!(outcome.requests, update.request_count());
    let record = sb
        .snapshot()
        .record(&outcome.record.number)
        .unwrap()
        .clone();
    assert_eq!(record.kind, RegistrationKind::AmendmentAfterApproval);
    assert_eq!(
        outcome.record.kind,
        RegistrationKind::AmendmentAfterApproval
    );
    assert_eq!(outcome.record.status, RegistrationStatus::Sent);
    assert_eq!(outcome.record.sent_at, Some(outcome.sent_at));
    assert_eq!(outcome.record.office.as_ref().unwrap().as_str(), "02CI");
    assert_eq!(*seen.captchas.lock().unwrap(), 1);

    // Progress: each step started then finished, in order, and one user moved.
    let events = seen.events.lock().unwrap().clone();
    let steps: Vec<(bool, Step)> = events
        .iter()
        .filter_map(|e| match e {
            Progress::StepStarted { step } => Some((true, *step)),
            Progress::StepFinished { step, .. } => Some((false, *step)),
            _ => None,
        })
        .collect();
    let expected: Vec<(bool, Step)> = Step::RUN
        .iter()
        .flat_map(|s| [(true, *s), (false, *s)])
        .collect();
    assert_eq!(steps, expected);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Progress::DeclarantMoved { .. }))
            .count(),
        1
    );

    // The state file: complete, the same as the update's state, no secrets.
    let saved = UpdateState::load(&state_file).unwrap();
    assert_eq!(saved.completed, Step::RUN.to_vec());
    assert_eq!(Some(&saved), update.state());
    assert_no_secrets(&state_file);
    // Nothing else is left beside it but its lock (every run with a state file takes it).
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [".update.json.lock", "update.json"]);

    // The outcome is serialisable for the bindings.
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["record"]["number"], outcome.record.number.as_str());
    let back: UpdateOutcome = serde_json::from_value(json).unwrap();
    assert_eq!(back, outcome);

    // Resuming a complete update repeats nothing and sends nothing.
    let before = sb.snapshot();
    let again = update.resume(saved).unwrap();
    assert_eq!(again.requests, 0);
    assert_eq!(again.sent_at, outcome.sent_at);
    assert_eq!(sb.snapshot(), before);
    assert!(again.skipped.contains(&Skipped::StepAlreadyDone {
        step: Step::SendRegistration
    }));
}

#[test]
fn three_declarants_two_on_the_old_serial() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    let tax = TAX.parse().unwrap();
    scenario.add_test_declarant(&tax, &serial(&set.enterprise_old), true);
    // The third signs with a personal certificate of its own: not moved.
    scenario.add_test_declarant(&tax, &serial(&set.personal_cccd), true);
    let sb = start(scenario);
    let (mut update, seen) = renewal(&sb);
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 2);
    let snapshot = sb.snapshot();
    let declarants = &snapshot.enterprise(TAX).unwrap().declarants;
    assert_eq!(declarants.len(), 3);
    assert_eq!(declarants[2].certificate_serial, serial(&set.personal_cccd));
    assert_eq!(
        seen.events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| matches!(e, Progress::DeclarantMoved { .. }))
            .count(),
        2
    );
}

#[test]
fn chosen_declarants_and_the_ones_left_out() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    let tax = TAX.parse().unwrap();
    scenario.add_test_declarant(&tax, &serial(&set.enterprise_old), true);
    let sb = start(scenario);
    let mut given = inputs();
    given.declarants = Some(vec![
        DeclarantSelector::UserCode("V2060002".parse().unwrap()),
        DeclarantSelector::UserCode("V2060999".parse().unwrap()),
    ]);
    let (mut update, _) = new_update(
        &sb,
        given,
        software(&[&set.enterprise_old, &set.enterprise_new]),
        NORMAL,
    );
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
    assert_eq!(
        outcome.declarants_moved[0]
            .user_code
            .as_ref()
            .unwrap()
            .as_str(),
        "V2060002"
    );
    assert_eq!(
        outcome.skipped,
        vec![Skipped::DeclarantNotListed {
            user: DeclarantSelector::UserCode("V2060999".parse().unwrap())
        }]
    );
    let snapshot = sb.snapshot();
    let first = &snapshot.enterprise(TAX).unwrap().declarants[0];
    assert_eq!(first.certificate_serial, serial(&set.enterprise_old));
}

#[test]
fn provider_switch() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let keys = software(&[&set.enterprise_old, &set.other_ca]);
    let (mut update, _) = new_update(&sb, inputs(), keys, NORMAL);
    let plan = update.plan(vnaccs_core::fixtures::test_instant()).unwrap();
    assert_eq!(plan.change.unwrap().kind, ChangeKind::ProviderSwitch);
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.other_ca, TAX, 1);
}

#[test]
fn provider_switch_with_only_the_new_token_and_the_old_serial_given() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let mut given = inputs();
    given.old_serial = Some(serial(&set.enterprise_old));
    let (mut update, _) = new_update(&sb, given, software(&[&set.other_ca]), NORMAL);
    let plan = update.plan(vnaccs_core::fixtures::test_instant()).unwrap();
    assert_eq!(plan.change, None, "the old certificate is not at hand");
    assert_eq!(plan.old_serial, Some(serial(&set.enterprise_old)));
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.other_ca, TAX, 1);
}

#[test]
fn branch_tax_code() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    scenario.add_test_branch(set);
    let sb = start(scenario);
    let renewed = branch_renewed();
    let inputs = UpdateInputs {
        tax_code: BRANCH.parse().unwrap(),
        representative_id: CMND.parse().unwrap(),
        admin_email: "admin@minhphat.vn".parse().unwrap(),
        ..inputs()
    };
    let (mut update, _) = new_update(&sb, inputs, software(&[&set.branch, renewed]), NORMAL);
    let plan = update.plan(vnaccs_core::fixtures::test_instant()).unwrap();
    // The branch's old certificate still has most of a year left: a reissue, not a renewal.
    assert_eq!(plan.change.unwrap().kind, ChangeKind::Reissue);
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, renewed, BRANCH, 1);
    // The parent enterprise is untouched.
    assert_eq!(sent_records(&sb.snapshot(), TAX), 0);
}

#[test]
fn old_certificate_already_expired() {
    let (pki, set) = pki();
    let sb = start(Scenario::for_test_pki_with_old(
        pki,
        &set.enterprise_expired,
    ));
    let (mut update, _) = new_update(
        &sb,
        inputs(),
        software(&[&set.enterprise_expired, &set.enterprise_new]),
        NORMAL,
    );
    let plan = update.plan(vnaccs_core::fixtures::test_instant()).unwrap();
    assert!(
        plan.warnings
            .iter()
            .any(|w| matches!(w, Warning::OldCertificateExpired { .. }))
    );
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
}

#[test]
fn certificate_of_another_tax_code_is_refused_before_any_request() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let (mut update, _) = new_update(&sb, inputs(), software(&[&set.other_tax_code]), NORMAL);
    let e = update
        .plan(vnaccs_core::fixtures::test_instant())
        .unwrap_err();
    assert_eq!(e.code(), "certificate_other_tax_code");
    let e = update.run().unwrap_err();
    assert_eq!(e.code(), "certificate_other_tax_code");
    assert!(
        !matches!(e, Error::StepFailed { .. }),
        "no step was started"
    );
    assert_eq!((sb.requests_served(), update.request_count()), (0, 0));
}

#[test]
fn expired_new_certificate_is_refused() {
    let (_, set) = pki();
    // Expired by our clock: refused offline.
    let sb = start(standard_scenario());
    let (mut update, _) = new_update(&sb, inputs(), software(&[&set.enterprise_expired]), NORMAL);
    assert_eq!(
        update.run().unwrap_err().code(),
        "new_certificate_not_valid"
    );
    assert_eq!(sb.requests_served(), 0);

    // Valid by our clock, expired by the portal's: refused by the portal at step A.
    let sb = start(standard_scenario());
    sb.clock().advance(TimeDelta::days(1200));
    let mut inputs = inputs();
    inputs.old_serial = Some(serial(&set.enterprise_old));
    let (update, _) = new_update(&sb, inputs, software(&[&set.enterprise_new]), NORMAL);
    // Our clock stays at the tests' instant while the portal's moved on.
    let ours = vnaccs_core::sandbox::SandboxClock::new(vnaccs_core::fixtures::test_instant());
    let mut update = update.with_clock(Arc::new(ours));
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "certificate_not_valid", Step::RegisterCertificate);
    assert_eq!(sent_records(&sb.snapshot(), TAX), 0);
}

#[test]
fn wrong_admin_password_fails_step_b_and_resumes_there() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let keys = || software(&[&set.enterprise_old, &set.enterprise_new]);
    let wrong = UpdateInputs {
        admin_password: SecretString::from("Sai-mat-khau"),
        ..inputs()
    };
    let (mut update, _) = new_update(&sb, wrong, keys(), NORMAL);
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "wrong_password", Step::UpdateAdminAccount);
    assert!(!e.to_string().contains("Sai-mat-khau"));
    let state = update.state().unwrap().clone();
    assert_eq!(state.completed, vec![Step::RegisterCertificate]);
    assert_eq!(state.unconfirmed, None, "a refusal is a definite answer");
    assert!(!state.to_json().contains("Sai-mat-khau"));

    let (mut fixed, seen) = new_update(&sb, inputs(), keys(), NORMAL);
    let outcome = fixed.resume(state).unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
    assert_eq!(*seen.captchas.lock().unwrap(), 0, "step A is not repeated");
    assert!(outcome.skipped.contains(&Skipped::StepAlreadyDone {
        step: Step::RegisterCertificate
    }));
}

#[test]
fn wrong_captcha_answers() {
    let (_, set) = pki();
    let keys = || software(&[&set.enterprise_old, &set.enterprise_new]);

    // One wrong answer: asked again with a new image, then the update goes on.
    let sb = start(standard_scenario());
    let answers = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (seen_answers, captcha_sb) = (answers.clone(), sb.clone());
    let mut update =
        vnaccs_core::workflow::CertificateUpdate::new(inputs(), keys(), portal(&sb, NORMAL))
            .unwrap()
            .on_captcha(Box::new(move |challenge| {
                seen_answers.lock().unwrap().push(challenge.attempt);
                match challenge.attempt {
                    1 => Some("SAI".into()),
                    _ => captcha_sb.captcha_answer(),
                }
            }));
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
    assert_eq!(*answers.lock().unwrap(), vec![1, 2]);

    // Always wrong: a typed error at step A, nothing registered.
    let sb = start(standard_scenario());
    let mut update =
        vnaccs_core::workflow::CertificateUpdate::new(inputs(), keys(), portal(&sb, NORMAL))
            .unwrap()
            .on_captcha(Box::new(|_| Some("SAI".into())));
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "captcha_attempts", Step::RegisterCertificate);
    let snapshot = sb.snapshot();
    let enterprise = snapshot.enterprise(TAX).unwrap();
    assert!(
        enterprise
            .certificate(serial(&set.enterprise_new).as_str())
            .is_none()
    );

    // No captcha callback: cancelled.
    let sb = start(standard_scenario());
    let mut update =
        vnaccs_core::workflow::CertificateUpdate::new(inputs(), keys(), portal(&sb, NORMAL))
            .unwrap();
    assert_eq!(update.run().unwrap_err().code(), "captcha_cancelled");
}

#[test]
fn office_code_the_portal_refuses() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let keys = || software(&[&set.enterprise_old, &set.enterprise_new]);
    let unknown = UpdateInputs {
        office: "99ZZ".parse().unwrap(),
        ..inputs()
    };
    let (mut update, _) = new_update(&sb, unknown, keys(), NORMAL);
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "office_refused", Step::SendRegistration);
    assert_eq!(sent_records(&sb.snapshot(), TAX), 0);
    let state = update.state().unwrap().clone();
    assert_eq!(state.next_step(), Some(Step::SendRegistration));

    let (mut fixed, _) = new_update(&sb, inputs(), keys(), NORMAL);
    let outcome = fixed.resume(state).unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
}

#[test]
fn result_and_passwords_after_approval() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    // A declarant without a User ID yet: Customs issues one on approval.
    scenario.add_test_declarant(&TAX.parse().unwrap(), &serial(&set.enterprise_old), false);
    let sb = start(scenario);
    let (mut update, _) = renewal(&sb);
    let outcome = update.run().unwrap();
    assert_eq!(sb.approve_sent(), vec![outcome.record.number.clone()]);

    let result = update.fetch_result().unwrap();
    assert_eq!(result.users.len(), 2, "{result:?}");
    for user in &result.users {
        let id = user.user_id.as_str();
        assert_eq!(id.len(), 8);
        assert!(id[5..].chars().all(|c| c.is_ascii_digit()), "{id}");
        assert_eq!(user.certificate_serial, serial(&set.enterprise_new));
    }
    assert!(!result.terminals.is_empty());
    for terminal in &result.terminals {
        assert_eq!(terminal.terminal_id.as_str().len(), 6);
        assert_eq!(terminal.access_key.as_str().len(), 16);
    }

    let user = "V2060001".parse().unwrap();
    let same = update
        .change_password(&user, &UserIdPassword::parse("ABC123").unwrap())
        .unwrap();
    assert_eq!(same.kind, PasswordChangeKind::SameAsOld);
    assert_eq!(same.answered_at, sb.clock().now());
    assert_eq!(same.usable_from, same.answered_at);

    sb.clock().advance(TimeDelta::minutes(5));
    let changed = update
        .change_password(&user, &UserIdPassword::parse("NEWPW26").unwrap())
        .unwrap();
    assert_eq!(changed.kind, PasswordChangeKind::Changed);
    assert_eq!(changed.answered_at, sb.clock().now());
    assert_eq!(
        changed.usable_from,
        changed.answered_at + Duration::hours(24)
    );

    let e = update
        .change_password(
            &"V2060999".parse().unwrap(),
            &UserIdPassword::parse("X1").unwrap(),
        )
        .unwrap_err();
    assert_failed_at(&e, "unknown_user_id", Step::ChangePassword);
}

#[test]
fn usable_from_around_midnight() {
    let (pki, _) = pki();
    let day = pki.now.with_timezone(&vietnam_offset()).date_naive();
    let next = |d: NaiveDate| d.succ_opt().unwrap();
    for (clock, expected) in [
        // 23:59:59 local: usable from the very next midnight.
        (
            local_midnight(next(day)) - TimeDelta::seconds(1),
            local_midnight(next(day)),
        ),
        // 00:00:00 local: already the next day, usable a day later.
        (local_midnight(next(day)), local_midnight(next(next(day)))),
    ] {
        let sb = start(standard_scenario());
        sb.clock().set(clock);
        let (mut update, _) = renewal(&sb);
        let outcome = update.run().unwrap();
        assert_eq!(outcome.sent_at, clock);
        assert_eq!(outcome.usable_from, expected, "sent at {clock}");
        let snapshot = sb.snapshot();
        assert_eq!(
            snapshot.record(&outcome.record.number).unwrap().sent_at,
            Some(clock)
        );
    }
}

#[test]
fn the_admin_password_never_shows() {
    let sb = start(standard_scenario());
    let (update, _) = renewal(&sb);
    assert!(!format!("{update:?}").contains(TEST_ADMIN_PASSWORD));
}

#[test]
fn a_renamed_field_with_a_profile_that_follows_it() {
    let (_, set) = pki();
    let (old, new) = (
        "ctl00$MainContent$txtMaDN",
        "ctl00$MainContent$txtMaSoThueDN",
    );
    let sb = Arc::new(
        Sandbox::start(
            vnaccs_core::sandbox::SandboxConfig::new(standard_scenario())
                .with_renames([(old.to_owned(), new.to_owned())].into()),
        )
        .unwrap(),
    );
    let default_profile = include_str!("../src/portal/profile.toml");
    assert!(default_profile.contains(old));
    let keys = || software(&[&set.enterprise_old, &set.enterprise_new]);

    // The default profile no longer fits the page: a typed error at step A.
    let (mut stale, _) = new_update(&sb, inputs(), keys(), NORMAL);
    let e = stale.run().unwrap_err();
    assert!(matches!(
        e,
        Error::StepFailed {
            step: Step::RegisterCertificate,
            ..
        }
    ));

    // A profile with the new name: the update passes.
    let profile =
        vnaccs_core::portal::SiteProfile::from_toml(&default_profile.replace(old, new)).unwrap();
    let captcha_sb = sb.clone();
    let mut update = vnaccs_core::workflow::CertificateUpdate::new(
        inputs(),
        keys(),
        portal(&sb, NORMAL).with_profile(profile),
    )
    .unwrap()
    .on_captcha(Box::new(move |_| captcha_sb.captcha_answer()));
    let outcome = update.run().unwrap();
    assert_complete(&sb, &outcome, &set.enterprise_new, TAX, 1);
}

#[test]
fn no_declarant_on_the_old_serial_leaves_nothing_to_send() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    // The only declarant signs with a personal certificate: nobody is on the old serial.
    scenario.declarants[0].certificate_serial = serial(&set.personal_cccd);
    let sb = start(scenario);
    let (mut update, _) = renewal(&sb);
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "no_record_to_send", Step::SendRegistration);
    let state = update.state().unwrap();
    assert_eq!(state.declarants, Some(Vec::new()));
    let snapshot = sb.snapshot();
    let enterprise = snapshot.enterprise(TAX).unwrap();
    assert_eq!(
        enterprise.admin.as_ref().unwrap().certificate_serial,
        Some(serial(&set.enterprise_new)),
        "steps A and B are done"
    );
    assert_eq!(sent_records(&snapshot, TAX), 0);
}

#[test]
fn an_update_runs_on_the_clock_it_is_given() {
    // Certificates of years from now, a portal living then: only the update's clock agrees.
    let later = vnaccs_core::fixtures::TestPki::new("2031-06-02T02:00:00Z".parse().unwrap());
    let set = later.standard();
    let sb = start(Scenario::for_test_pki(&later, &set));
    let keys = || software(&[&set.enterprise_old, &set.enterprise_new]);

    // On the system clock the renewed certificate is not valid yet: refused before any request.
    let portal = vnaccs_core::portal::PortalConfig::with_base_url(sb.url());
    let mut wall = vnaccs_core::workflow::CertificateUpdate::new(inputs(), keys(), portal).unwrap();
    assert!(wall.run().is_err());
    assert_eq!(wall.request_count(), 0);

    // On the sandbox's clock: the plan, the run and the steps after approval all agree.
    let (update, _) = new_update(&sb, inputs(), keys(), NORMAL);
    let clock: Arc<dyn vnaccs_core::timing::Clock> = Arc::new(sb.clock().clone());
    let mut update = update.with_clock(clock);
    let outcome = update.run().unwrap();
    assert_eq!(outcome.sent_at, sb.clock().now());
    assert_eq!(sb.approve_sent(), vec![outcome.record.number.clone()]);
    let result = update.fetch_result().unwrap();
    assert!(!result.users.is_empty(), "{result:?}");
}

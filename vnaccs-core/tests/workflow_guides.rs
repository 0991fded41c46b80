//! The update as the guides describe it (issue 10 §2–3): which certificate is registered, the
//! login with the account's certificate, the portal's messages in each wording the guides show,
//! and a password met again within its first 24 hours.

mod workflow_common;

use chrono::{Duration, TimeDelta};
use secrecy::SecretString;
use vnaccs_core::fixtures::TAX;
use vnaccs_core::ids::UserIdPassword;
use vnaccs_core::portal::{PortalClient, PortalConfig};
use vnaccs_core::records::PasswordChangeKind;
use vnaccs_core::sandbox::{TEST_ADMIN_PASSWORD, Wording};
use vnaccs_core::workflow::{AdminAccount, DeclarantSelector};
use workflow_common::*;

#[test]
fn update_result_and_both_password_outcomes_in_each_wording() {
    let (_, set) = pki();
    for wording in Wording::ALL {
        let mut scenario = standard_scenario();
        scenario.wording = Some(wording);
        let sb = start(scenario);
        let dir = tempfile::tempdir().unwrap();
        let (update, _) = renewal(&sb);
        let mut update = update.state_file(dir.path().join("update.json"));
        let outcome = update.run().unwrap_or_else(|e| panic!("{wording:?}: {e}"));
        assert_eq!(sb.approve_sent(), vec![outcome.record.number.clone()]);
        let result = update.fetch_result().unwrap();
        assert_eq!(
            result.users[0].certificate_serial,
            serial(&set.enterprise_new)
        );

        let user = "V2060001".parse().unwrap();
        let same = update
            .change_password(&user, &UserIdPassword::parse("ABC123").unwrap())
            .unwrap_or_else(|e| panic!("{wording:?}: {e}"));
        assert_eq!(same.kind, PasswordChangeKind::SameAsOld, "{wording:?}");
        assert_eq!(same.usable_from, same.answered_at);
        sb.clock().advance(TimeDelta::minutes(5));
        let changed = update
            .change_password(&user, &UserIdPassword::parse("NEWPW26").unwrap())
            .unwrap_or_else(|e| panic!("{wording:?}: {e}"));
        assert_eq!(changed.kind, PasswordChangeKind::Changed, "{wording:?}");
        assert_eq!(
            changed.usable_from,
            changed.answered_at + Duration::hours(24)
        );

        // The same password again two hours later: the current one, but this library set it
        // less than 24 hours ago — usable from its own time, not now.
        sb.clock().advance(TimeDelta::hours(2));
        let again = update
            .change_password(&user, &UserIdPassword::parse("NEWPW26").unwrap())
            .unwrap();
        assert_eq!(again.kind, PasswordChangeKind::SameAsOld);
        assert_eq!(again.usable_from, changed.usable_from, "{wording:?}");

        // Another process (the record beside the state file), with only the login.
        let mut account = AdminAccount::new(
            TAX.parse().unwrap(),
            SecretString::from(TEST_ADMIN_PASSWORD),
            software(&[&set.enterprise_new]),
            portal(&sb, NORMAL),
        )
        .unwrap()
        .state_file(dir.path().join("update.json"));
        let later = account
            .change_password(&user, &UserIdPassword::parse("NEWPW26").unwrap())
            .unwrap();
        assert_eq!(later.usable_from, changed.usable_from);
        assert!(dir.path().join("update.json.passwords.json").exists());
        assert_no_secrets(&dir.path().join("update.json.passwords.json"));
    }
}

#[test]
fn a_refused_newer_certificate_is_never_replaced_by_the_old_one() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    for newer in [
        &set.other_tax_code,
        &set.enterprise_not_yet_valid,
        &set.not_for_signing,
    ] {
        let (mut update, _) = new_update(
            &sb,
            inputs(),
            software(&[&set.enterprise_old, newer]),
            NORMAL,
        );
        let e = update
            .plan(vnaccs_core::fixtures::test_instant())
            .unwrap_err();
        assert_eq!(e.code(), "candidate_certificate_refused", "{e}");
        assert!(e.to_string().contains(serial(newer).as_str()), "{e}");
        let e = update.run().unwrap_err();
        assert_eq!(e.code(), "candidate_certificate_refused", "{e}");
    }
    assert_eq!(sb.requests_served(), 0, "refused before any request");

    // The registered certificate again: nothing to update.
    let mut same = inputs();
    same.old_serial = Some(serial(&set.enterprise_old));
    let (update, _) = new_update(&sb, same, software(&[&set.enterprise_old]), NORMAL);
    let e = update
        .plan(vnaccs_core::fixtures::test_instant())
        .unwrap_err();
    assert_eq!(e.code(), "same_certificate");
    assert!(e.to_string().contains("nothing to update"), "{e}");
}

#[test]
fn without_the_old_certificate_or_its_serial_the_declarants_must_be_listed() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    // A second user on someone else's certificate must never be moved by a guess.
    scenario.add_test_declarant(&TAX.parse().unwrap(), &serial(&set.other_ca), true);
    let sb = start(scenario);
    let (mut update, _) = new_update(&sb, inputs(), software(&[&set.enterprise_new]), NORMAL);
    let e = update.run().unwrap_err();
    assert_eq!(e.code(), "old_certificate_unknown", "{e}");
    assert!(e.to_string().contains("old serial"), "{e}");
    assert!(e.message_vi().contains("không còn chứng thư số cũ"), "{e}");
    assert_eq!(sb.requests_served(), 0);

    let mut listed = inputs();
    listed.declarants = Some(vec![DeclarantSelector::UserCode(
        "V2060001".parse().unwrap(),
    )]);
    let (mut update, _) = new_update(&sb, listed, software(&[&set.enterprise_new]), NORMAL);
    let outcome = update.run().unwrap();
    assert_eq!(outcome.declarants_moved.len(), 1);
    let state = sb.snapshot();
    let other = &state.enterprise(TAX).unwrap().declarants[1];
    assert_eq!(
        other.certificate_serial,
        serial(&set.other_ca),
        "left alone"
    );
}

#[test]
fn the_login_takes_only_the_account_certificate_expired_or_not() {
    let (pki, set) = pki();
    // The account is on the expired old certificate; the new one is registered (screen A) but
    // not yet the account's (step B not done).
    let mut scenario =
        vnaccs_core::sandbox::Scenario::for_test_pki_with_old(pki, &set.enterprise_expired);
    scenario.register_certificate(TAX.parse().unwrap(), set.enterprise_new.pem());
    let sb = start(scenario);
    let client = PortalClient::new(PortalConfig::with_base_url(sb.url())).unwrap();
    let password = SecretString::from(TEST_ADMIN_PASSWORD);
    let e = client
        .login(
            &TAX.parse().unwrap(),
            &password,
            &set.enterprise_new.signer(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "certificate_not_registered", "{e}");
    client
        .login(
            &TAX.parse().unwrap(),
            &password,
            &set.enterprise_expired.signer(),
        )
        .expect("the account's own certificate logs in, expired");

    // The client finds the account's certificate among the key source's.
    let mut account = AdminAccount::new(
        TAX.parse().unwrap(),
        password,
        software(&[&set.enterprise_expired, &set.enterprise_new]),
        portal(&sb, NORMAL),
    )
    .unwrap();
    let result = account.fetch_result().unwrap();
    assert!(!result.users.is_empty());
}

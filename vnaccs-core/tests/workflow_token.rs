//! The certificate update with the new certificate on a real PKCS#11 token (SoftHSM2): the full
//! update with one PIN prompt, and a wrong PIN that is one try and fails step A.
//!
//! SoftHSM2 reads `SOFTHSM2_CONF` once, when first initialised in the process: this binary makes
//! one configuration with every test's tokens before loading it (see tests/token.rs).

mod common;
mod workflow_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{PIN, SoftHsm, old_and_new};
use secrecy::SecretString;
use vnaccs_core::fixtures::TAX;
use vnaccs_core::token::{PinCallback, PinPolicy, PinRequest, Token};
use vnaccs_core::workflow::{KeySource, Step};
use workflow_common::*;

/// The process's SoftHSM2 configuration, each test's token holding the enterprise's old and
/// renewed certificates with their keys.
fn hsm() -> &'static SoftHsm {
    SoftHsm::for_process(|hsm| {
        let (_, set) = pki();
        let items = old_and_new(set);
        for label in ["update", "wrong-pin"] {
            hsm.create_token(label, &items);
        }
    })
}

fn token(label: &str) -> Token {
    hsm();
    SoftHsm::token(label)
}

/// A PIN callback that always answers `pin` and counts its calls.
fn answering(pin: &'static str, calls: &Arc<AtomicUsize>) -> PinCallback {
    let calls = Arc::clone(calls);
    Box::new(move |request: &PinRequest| {
        calls.fetch_add(1, Ordering::SeqCst);
        assert!(!request.token_label.is_empty());
        Some(SecretString::from(pin))
    })
}

#[test]
fn full_update_with_the_new_certificate_on_a_token() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let calls = Arc::new(AtomicUsize::new(0));
    let keys = KeySource::token(
        token("update"),
        answering(PIN, &calls),
        PinPolicy::default(),
    );
    let (mut update, _) = new_update(&sb, inputs(), keys, NORMAL);
    let plan = update.plan(vnaccs_core::fixtures::test_instant()).unwrap();
    assert_eq!(plan.certificate.serial, serial(&set.enterprise_new));
    assert_eq!(calls.load(Ordering::SeqCst), 0, "planning needs no PIN");

    let outcome = update.run().expect("the update completes");
    assert_eq!(
        outcome.registration.certificate.serial,
        serial(&set.enterprise_new)
    );
    assert_eq!(outcome.declarants_moved.len(), 1);
    assert_eq!(sent_records(&sb.snapshot(), TAX), 1);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one PIN prompt serves every signature"
    );
}

#[test]
fn a_wrong_pin_is_one_try_and_fails_step_a() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let calls = Arc::new(AtomicUsize::new(0));
    let keys = KeySource::token(
        token("wrong-pin"),
        answering("999999", &calls),
        PinPolicy::default(),
    );
    let (mut update, _) = new_update(&sb, inputs(), keys, NORMAL);
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "pin_incorrect", Step::RegisterCertificate);
    assert!(!e.to_string().contains("999999"));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one try");
    let snapshot = sb.snapshot();
    let enterprise = snapshot.enterprise(TAX).unwrap();
    assert!(
        enterprise
            .certificate(serial(&set.enterprise_new).as_str())
            .is_none(),
        "nothing registered"
    );

    // With the right PIN, the update resumes at step A and completes.
    let state = update.state().unwrap().clone();
    assert_eq!(state.next_step(), Some(Step::RegisterCertificate));
    let retry = Arc::new(AtomicUsize::new(0));
    let keys = KeySource::token(
        token("wrong-pin"),
        answering(PIN, &retry),
        PinPolicy::default(),
    );
    let (mut again, _) = new_update(&sb, inputs(), keys, NORMAL);
    let outcome = again.resume(state).unwrap();
    assert_eq!(outcome.declarants_moved.len(), 1);
    assert_eq!(retry.load(Ordering::SeqCst), 1);
}

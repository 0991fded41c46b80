//! Shared material of the workflow's end-to-end tests: the test PKI, the sandbox with the
//! standard scenario, updates wired to answer its captcha, and what they report.

#![allow(dead_code)] // Each workflow test binary uses a different part of this module.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use secrecy::SecretString;
use vnaccs_core::fixtures::{EndEntity, Issued, StandardSet, TAX, TestPki};
use vnaccs_core::portal::PortalConfig;
use vnaccs_core::records::RegistrationStatus;
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, SandboxState, Scenario, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD,
    TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::workflow::{CertificateUpdate, KeySource, Progress, UpdateInputs};

/// The shared test PKI ([`vnaccs_core::fixtures::test_pki`], at the tests' instant) and its
/// standard certificates. Updates run on the sandbox's clock, which starts at that instant.
pub fn pki() -> &'static (TestPki, StandardSet) {
    vnaccs_core::fixtures::test_pki()
}

/// The renewed certificate of the branch [`vnaccs_core::fixtures::BRANCH`] (its own key).
pub fn branch_renewed() -> &'static Issued {
    static RENEWED: OnceLock<Issued> = OnceLock::new();
    RENEWED.get_or_init(|| {
        let (pki, set) = pki();
        let old = vnaccs_core::cert::Certificate::from_der(&set.branch.der).unwrap();
        let spec = EndEntity {
            locality: Some("Quận Ngô Quyền".into()),
            state: Some("Hải Phòng".into()),
            uids: vec![(
                format!("MST:{}", vnaccs_core::fixtures::BRANCH),
                vnaccs_core::fixtures::UidString::Utf8,
            )],
            not_before: pki.now - chrono::Duration::days(1),
            not_after: pki.now + chrono::Duration::days(730),
            key_index: 5,
            serial: vec![0x42, 0x52, 0x41, 0x4E, 0x43, 0x48, 0x02],
            ..pki.end_entity(
                old.subject()
                    .get(&vnaccs_core::cert::AttributeKind::CommonName)
                    .unwrap(),
            )
        };
        pki.issue(&spec)
    })
}

/// The serial of a fixture certificate.
pub fn serial(issued: &Issued) -> vnaccs_core::CertificateSerial {
    vnaccs_core::cert::Certificate::from_der(&issued.der)
        .unwrap()
        .serial()
        .clone()
}

/// The "software token" of the demo: the given certificates with their keys.
pub fn software(issued: &[&Issued]) -> KeySource {
    KeySource::software(issued.iter().map(|i| i.signer()).collect())
}

/// The standard scenario: the enterprise with its old certificate, one declarant.
pub fn standard_scenario() -> Scenario {
    let (pki, set) = pki();
    Scenario::for_test_pki(pki, set)
}

/// A sandbox on `scenario`, shared with the captcha callbacks.
pub fn start(scenario: Scenario) -> Arc<Sandbox> {
    Arc::new(Sandbox::start(SandboxConfig::new(scenario)).expect("the sandbox starts"))
}

/// The standard enterprise's inputs.
pub fn inputs() -> UpdateInputs {
    UpdateInputs::builder(
        TAX.parse().unwrap(),
        TEST_REPRESENTATIVE_ID.parse().unwrap(),
    )
    .admin_account(
        TEST_ADMIN_EMAIL.parse().unwrap(),
        SecretString::from(TEST_ADMIN_PASSWORD),
    )
    .sender("Trần Thị Bình", "binh@saigontrade.vn".parse().unwrap())
    .office("02CI".parse().unwrap())
    .build()
    .unwrap()
}

/// The portal settings for `sb`, with a request timeout, on the sandbox's clock.
pub fn portal(sb: &Sandbox, timeout: Duration) -> PortalConfig {
    PortalConfig::with_base_url(sb.url())
        .with_timeout(timeout)
        .with_clock(Arc::new(sb.clock().clone()))
}

/// What an update reported: its progress events and the captcha images it was shown.
#[derive(Default)]
pub struct Seen {
    pub events: Mutex<Vec<Progress>>,
    pub captchas: Mutex<u32>,
}

/// An update against `sb` that answers each captcha correctly and records what it reports.
pub fn new_update(
    sb: &Arc<Sandbox>,
    inputs: UpdateInputs,
    keys: KeySource,
    timeout: Duration,
) -> (CertificateUpdate, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let (captcha_sb, captcha_seen, progress_seen) = (sb.clone(), seen.clone(), seen.clone());
    let update = CertificateUpdate::new(inputs, keys, portal(sb, timeout))
        .expect("the portal settings are accepted")
        .on_captcha(Box::new(move |challenge| {
            assert!(challenge.image_png.starts_with(b"\x89PNG"));
            *captcha_seen.captchas.lock().unwrap() += 1;
            captcha_sb.captcha_answer()
        }))
        .on_progress(Box::new(move |event| {
            progress_seen.events.lock().unwrap().push(event.clone())
        }));
    (update, seen)
}

/// The standard renewal: the standard inputs, a software token holding the enterprise's old and
/// renewed certificates, the usual timeout.
pub fn renewal(sb: &Arc<Sandbox>) -> (CertificateUpdate, Arc<Seen>) {
    let (_, set) = pki();
    new_update(
        sb,
        inputs(),
        software(&[&set.enterprise_old, &set.enterprise_new]),
        NORMAL,
    )
}

/// The usual request timeout of a run without faults.
pub const NORMAL: Duration = Duration::from_secs(30);

/// How many records of the enterprise are sent and waiting for Customs.
pub fn sent_records(state: &SandboxState, tax_code: &str) -> usize {
    state
        .enterprise(tax_code)
        .unwrap()
        .records
        .iter()
        .filter(|r| r.status == RegistrationStatus::Sent)
        .count()
}

/// Asserts that a state file holds no secret of the tests.
pub fn assert_no_secrets(path: &Path) {
    let json = std::fs::read_to_string(path).unwrap();
    for secret in [TEST_ADMIN_PASSWORD, "246810", "ABC123"] {
        assert!(!json.contains(secret), "the state file holds a secret");
    }
}

/// Asserts that `e` is step `step` failing with the cause whose code is `code`.
pub fn assert_failed_at(e: &vnaccs_core::Error, code: &str, step: vnaccs_core::workflow::Step) {
    assert_eq!(e.code(), code, "{e}");
    assert!(
        matches!(e, vnaccs_core::Error::StepFailed { step: failed, .. } if *failed == step),
        "{e} is not step {step} failing"
    );
}

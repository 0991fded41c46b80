//! The portal client's tracing: a span per operation and an event per request, never a secret.
//! Alone in its test binary so that the capturing subscriber is the global one.

use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use vnaccs_core::fixtures::{self};
use vnaccs_core::ids::{TaxCode, UserId, UserIdPassword};
use vnaccs_core::portal::{PortalClient, PortalConfig};
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_PASSWORD, TEST_DECLARANT_USER_ID,
};

/// Every span name and every span and event field, as text.
#[derive(Default)]
struct Captured(Mutex<String>);

impl tracing::field::Visit for &Captured {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let mut text = self.0.lock().unwrap();
        text.push_str(&format!("{}={value:?}\n", field.name()));
    }
}

/// A subscriber that keeps every field of every span and event.
struct Capture(Arc<Captured>);

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let name = span.metadata().name();
        self.0.0.lock().unwrap().push_str(&format!("span {name}\n"));
        span.record(&mut &*self.0);
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut &*self.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut &*self.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn requests_are_traced_without_secrets() {
    let captured = Arc::new(Captured::default());
    tracing::subscriber::set_global_default(Capture(Arc::clone(&captured))).unwrap();

    let (pki, set) = vnaccs_core::fixtures::test_pki();
    let sb = Sandbox::start(SandboxConfig::new(Scenario::for_test_pki(pki, set))).unwrap();
    let client = PortalClient::new(PortalConfig::with_base_url(sb.url())).unwrap();
    let old = &set.enterprise_old;
    let signer = old.signer();
    let tax: TaxCode = fixtures::TAX.parse().unwrap();

    let wrong = "SaiMatKhau#77";
    let wrong_login = client
        .login(&tax, &SecretString::from(wrong), &signer)
        .unwrap_err();
    client
        .login(&tax, &SecretString::from(TEST_ADMIN_PASSWORD), &signer)
        .unwrap();
    let user: UserId = TEST_DECLARANT_USER_ID.parse().unwrap();
    client
        .change_password(&user, &UserIdPassword::parse("QWE789").unwrap())
        .unwrap();
    let errors = [wrong_login.to_string(), wrong_login.message_vi()];

    let text = captured.0.lock().unwrap().clone();
    assert!(text.contains("span portal.login"), "{text}");
    assert!(text.contains("span portal.change_password"), "{text}");
    assert!(text.contains("path=\"/Pages/DangNhap.aspx\""), "{text}");
    assert!(
        text.contains("path=\"/Pages/CapPasswordNSD.aspx\""),
        "{text}"
    );
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("elapsed_ms="), "{text}");
    for secret in [TEST_ADMIN_PASSWORD, wrong, "QWE789"] {
        assert!(!text.contains(secret), "a secret was traced");
        for error in &errors {
            assert!(!error.contains(secret), "a secret is in an error: {error}");
        }
    }
}

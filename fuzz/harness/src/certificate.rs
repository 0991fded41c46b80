//! Target `certificate`: certificate bytes in every form the core reads (DER, PEM, base64, XML
//! `<X509Certificate>` elements).

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use vnaccs_core::cert::{Certificate, TrustAnchors, choose, classify_change};
use vnaccs_core::ids::TaxCode;

use crate::invariants::checked;

fn anchors() -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(TrustAnchors::national)
}

/// Reads `data` as certificates and looks at everything a caller can: a certificate read from
/// any form re-reads from its DER to the same certificate.
pub fn certificate(data: &[u8]) {
    if let Some(certificates) = checked(Certificate::load_all(data)) {
        assert!(!certificates.is_empty());
        for certificate in &certificates {
            view(certificate);
        }
        let now: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap_or_default();
        if let [old, new, ..] = certificates.as_slice() {
            let _ = classify_change(old, new, now);
        }
        let tax: TaxCode = vnaccs_core::fixtures::TAX
            .parse()
            .expect("the test tax code");
        let _ = choose(&certificates, &tax, now, false);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(all) = checked(Certificate::from_pem(text)) {
            all.iter().for_each(view);
        }
        if let Some(one) = checked(Certificate::from_base64(text)) {
            view(&one);
        }
    }
}

/// Every view of one certificate, and its DER read again.
fn view(certificate: &Certificate) {
    let again = Certificate::from_der(certificate.der()).expect("a certificate's DER re-reads");
    assert_eq!(again.der(), certificate.der());
    assert_eq!(again.serial(), certificate.serial());
    assert_eq!(again.sha256_thumbprint(), certificate.sha256_thumbprint());
    let summary = certificate.summary(anchors());
    let json = serde_json::to_string(&summary).expect("a summary serialises");
    assert!(json.starts_with('{'));
    let _ = (
        certificate.subject().attributes().len(),
        certificate.issuer().attributes().len(),
        certificate.key_algorithm_name(),
        certificate.key_bits(),
        certificate.public_key_der(),
        certificate.key_usage(),
        certificate.is_ca(),
        certificate.is_self_issued(),
        certificate.ca_family(),
        certificate.identities().len(),
        certificate.tax_code_finding(),
        certificate.signing_usage(),
        certificate.validity_at(Utc::now()),
        certificate.signature_algorithm().name(),
    );
    if let Some(tax) = certificate.tax_code() {
        let _ = certificate.check_tax_code(tax, true);
        let _ = certificate.check_tax_code(&tax.base_code(), false);
    }
    let _ = anchors().verify(certificate, &[]);
}

//! A flat, serialisable summary of a certificate: what `vnaccs inspect --json` and the bindings
//! show.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cert::chain::TrustAnchors;
use crate::cert::family::CaFamily;
use crate::cert::identity::Identity;
use crate::cert::name::AttributeKind;
use crate::cert::signature::SignatureAlgorithm;
use crate::cert::view::{Certificate, KeyUsage};

/// A certificate's summary; times serialise as RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CertificateSummary {
    /// Serial, upper-case hex.
    pub serial: String,
    /// The whole subject, `CN=…, O=…`.
    pub subject: String,
    /// The subject's common name.
    pub subject_cn: Option<String>,
    /// The whole issuer.
    pub issuer: String,
    /// The issuer's common name.
    pub issuer_cn: Option<String>,
    /// The known CA family of the issuer.
    pub ca: Option<CaFamily>,
    /// The UID identities, in order.
    pub identities: Vec<Identity>,
    /// The holder's valid tax code.
    pub tax_code: Option<String>,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// Public key algorithm: `RSA`, `EC P-256`, `EC P-384`, or its OID.
    pub key_algorithm: String,
    /// Public key size in bits.
    pub key_bits: u32,
    /// The issuer's signature algorithm.
    pub signature_algorithm: SignatureAlgorithm,
    /// Key usage, when the extension is present.
    pub key_usage: Option<KeyUsage>,
    /// SHA-1 thumbprint, upper-case hex.
    pub sha1_thumbprint: String,
    /// SHA-256 thumbprint, upper-case hex.
    pub sha256_thumbprint: String,
    /// Whether it is a CA certificate.
    pub is_ca: bool,
    /// Whether it chains to the given trust anchors.
    pub chain: bool,
}

impl Certificate {
    /// The summary of this certificate, its chain checked against `anchors`.
    pub fn summary(&self, anchors: &TrustAnchors) -> CertificateSummary {
        let cn = |name: &crate::cert::name::Name| {
            name.get(&AttributeKind::CommonName).map(str::to_owned)
        };
        CertificateSummary {
            serial: self.serial().to_string(),
            subject: self.subject().to_string(),
            subject_cn: cn(self.subject()),
            issuer: self.issuer().to_string(),
            issuer_cn: cn(self.issuer()),
            ca: self.ca_family(),
            identities: self.identities().to_vec(),
            tax_code: self.tax_code().map(ToString::to_string),
            not_before: self.not_before(),
            not_after: self.not_after(),
            key_algorithm: self.key_algorithm_name(),
            key_bits: self.key_bits(),
            signature_algorithm: self.signature_algorithm().clone(),
            key_usage: self.key_usage(),
            sha1_thumbprint: self.sha1_thumbprint(),
            sha256_thumbprint: self.sha256_thumbprint(),
            is_ca: self.is_ca(),
            chain: anchors.verify(self, &[]).is_trusted(),
        }
    }
}

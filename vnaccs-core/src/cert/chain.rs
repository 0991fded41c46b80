//! Chain verification up to a trust anchor, with the Vietnamese national roots bundled.

use std::sync::OnceLock;

use serde::Serialize;

use crate::cert::name::AttributeKind;
use crate::cert::signature::{SignatureFailure, verify_signature};
use crate::cert::view::Certificate;

/// The public certificates of the Vietnamese national PKI shipped with the library (`pki/`).
const BUNDLED: [&str; 7] = [
    include_str!("../../pki/vietnam-national-root-ca.pem"),
    include_str!("../../pki/mic-national-root-ca.pem"),
    include_str!("../../pki/viettel-ca-rs.pem"),
    include_str!("../../pki/vnpt-smartca-rs.pem"),
    include_str!("../../pki/fastca-sha256.pem"),
    include_str!("../../pki/viettel-ca.pem"),
    include_str!("../../pki/bkavca.pem"),
];

/// How long a chain may be before the search gives up.
const MAX_DEPTH: usize = 8;

/// Trusted roots, and intermediate CA certificates that help build chains.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    roots: Vec<Certificate>,
    intermediates: Vec<Certificate>,
}

/// One certificate of a verified chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ChainLink {
    /// The subject's common name (or the whole subject when it has none).
    pub subject: String,
    /// The certificate's serial.
    pub serial: String,
}

impl ChainLink {
    fn of(cert: &Certificate) -> Self {
        ChainLink {
            subject: cert
                .subject()
                .get(&AttributeKind::CommonName)
                .map_or_else(|| cert.subject().to_string(), str::to_owned),
            serial: cert.serial().to_string(),
        }
    }
}

/// The outcome of a chain check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChainCheck {
    /// Every link's signature verifies up to a trusted root; `path` runs from the certificate to
    /// the root.
    Trusted {
        /// The chain, certificate first, root last.
        path: Vec<ChainLink>,
    },
    /// No certificate with the issuer's name is known.
    IssuerNotFound {
        /// The missing issuer's name.
        issuer: String,
        /// The links verified so far.
        path: Vec<ChainLink>,
    },
    /// Certificates with the issuer's name exist, but none verifies the signature of `subject`.
    BadSignature {
        /// The certificate whose signature failed.
        subject: String,
    },
    /// The signature algorithm or key type is not supported.
    Unsupported {
        /// What is not supported.
        algorithm: String,
    },
    /// The chain is longer than the search allows, or loops.
    TooLong,
}

impl ChainCheck {
    /// Whether the chain is trusted.
    pub fn is_trusted(&self) -> bool {
        matches!(self, Self::Trusted { .. })
    }
}

impl TrustAnchors {
    /// The bundled Vietnamese national PKI: the self-signed national roots as anchors, the
    /// bundled CA certificates as intermediates.
    pub fn national() -> TrustAnchors {
        static NATIONAL: OnceLock<TrustAnchors> = OnceLock::new();
        NATIONAL
            .get_or_init(|| {
                let mut anchors = TrustAnchors::default();
                for pem in BUNDLED {
                    for cert in Certificate::from_pem(pem).expect("bundled certificates are valid")
                    {
                        if cert.is_self_issued() {
                            anchors.add_root(cert);
                        } else {
                            anchors.add_intermediate(cert);
                        }
                    }
                }
                anchors
            })
            .clone()
    }

    /// Trusts `root` as an anchor.
    pub fn add_root(&mut self, root: Certificate) {
        self.roots.push(root);
    }

    /// Makes `ca` available for building chains (it is not trusted by itself).
    pub fn add_intermediate(&mut self, ca: Certificate) {
        self.intermediates.push(ca);
    }

    /// The trusted roots.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }

    /// The intermediate CA certificates known.
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    /// Verifies the chain of `cert` up to a trusted root, using `extra` CA certificates (e.g.
    /// from the token) besides the known intermediates. Only signatures and names are checked;
    /// validity dates are separate checks ([`Certificate::validity_at`]).
    pub fn verify(&self, cert: &Certificate, extra: &[Certificate]) -> ChainCheck {
        let mut path = vec![ChainLink::of(cert)];
        let mut current = cert.clone();
        for _ in 0..MAX_DEPTH {
            if self.roots.contains(&current) {
                return ChainCheck::Trusted { path };
            }
            let issuer_name = &current.x509().tbs_certificate.issuer;
            let candidates: Vec<(&Certificate, bool)> = self
                .roots
                .iter()
                .map(|c| (c, true))
                .chain(extra.iter().chain(&self.intermediates).map(|c| (c, false)))
                .filter(|(c, _)| c.is_ca() && &c.x509().tbs_certificate.subject == issuer_name)
                .collect();
            if candidates.is_empty() {
                return ChainCheck::IssuerNotFound {
                    issuer: current.issuer().to_string(),
                    path,
                };
            }
            let mut unsupported = None;
            let issuer = candidates.into_iter().find(|(candidate, _)| {
                match verify_signature(
                    current.signature_algorithm(),
                    candidate.public_key(),
                    current.tbs_der(),
                    current.signature_bytes(),
                ) {
                    Ok(()) => true,
                    Err(SignatureFailure::Unsupported(a)) => {
                        unsupported = Some(a);
                        false
                    }
                    Err(SignatureFailure::Mismatch) => false,
                }
            });
            match (issuer, unsupported) {
                (Some((issuer, is_root)), _) => {
                    if issuer == &current {
                        // Self-signed but not a trusted root.
                        return ChainCheck::IssuerNotFound {
                            issuer: current.issuer().to_string(),
                            path,
                        };
                    }
                    path.push(ChainLink::of(issuer));
                    if is_root {
                        return ChainCheck::Trusted { path };
                    }
                    current = issuer.clone();
                }
                (None, Some(algorithm)) => return ChainCheck::Unsupported { algorithm },
                (None, None) => {
                    return ChainCheck::BadSignature {
                        subject: current.subject().to_string(),
                    };
                }
            }
        }
        ChainCheck::TooLong
    }
}

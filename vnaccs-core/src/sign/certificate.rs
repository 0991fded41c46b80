//! The one place that decodes a certificate for this module.
//!
//! When the certificate module (`crate::cert`) is merged, this becomes a thin call to
//! `cert::Certificate::from_der`; until then it uses `x509_cert` directly.

use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;

use crate::{Error, Result};

/// The parts of a certificate that signing and verifying need.
#[derive(Debug, Clone)]
pub(crate) struct CertificateParts {
    /// The certificate itself, decoded.
    pub(crate) certificate: Certificate,
    /// The subject public key info.
    pub(crate) public_key: SubjectPublicKeyInfoOwned,
}

/// Decodes a DER certificate.
pub(crate) fn parse_certificate(der: &[u8]) -> Result<CertificateParts> {
    let certificate = Certificate::from_der(der).map_err(|e| Error::CertificateUnreadable {
        reason: e.to_string(),
    })?;
    let public_key = certificate.tbs_certificate.subject_public_key_info.clone();
    Ok(CertificateParts {
        certificate,
        public_key,
    })
}

/// The DER of a subject public key info, for comparing keys.
pub(crate) fn spki_der(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>> {
    spki.to_der().map_err(|e| Error::CertificateUnreadable {
        reason: e.to_string(),
    })
}

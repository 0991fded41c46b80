//! The certificate view: everything the library and its callers read from a certificate.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage as X509KeyUsage, KeyUsages};

use crate::cert::CertError;
use crate::cert::family::CaFamily;
use crate::cert::identity::{Identity, TaxCodeFinding, find_tax_code, identities};
use crate::cert::name::Name;
use crate::cert::signature::{SignatureAlgorithm, key_info};
use crate::error::CertificateProblem;
use crate::ids::{CertificateSerial, TaxCode};
use crate::sign::KeyAlgorithm;

/// The key usages that matter here; absent when the certificate has no key usage extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct KeyUsage {
    /// digitalSignature.
    pub digital_signature: bool,
    /// nonRepudiation (contentCommitment).
    pub non_repudiation: bool,
    /// keyEncipherment.
    pub key_encipherment: bool,
    /// dataEncipherment.
    pub data_encipherment: bool,
    /// keyAgreement.
    pub key_agreement: bool,
    /// keyCertSign.
    pub key_cert_sign: bool,
    /// cRLSign.
    pub crl_sign: bool,
}

/// A parsed X.509 v3 certificate with what Vietnamese customs work needs of it.
#[derive(Debug, Clone)]
pub struct Certificate {
    der: Vec<u8>,
    inner: x509_cert::Certificate,
    serial: CertificateSerial,
    subject: Name,
    issuer: Name,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    key_algorithm: Option<KeyAlgorithm>,
    key_bits: u32,
    signature_algorithm: SignatureAlgorithm,
    key_usage: Option<KeyUsage>,
    is_ca: bool,
    identities: Vec<Identity>,
    tax_code: TaxCodeFinding,
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

impl Certificate {
    /// Reads one DER certificate. Any bytes give a certificate or a typed error, never a panic.
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let invalid = |problem| CertError::InvalidCertificate { problem };
        if der.is_empty() {
            return Err(invalid(CertificateProblem::Empty));
        }
        if der[0] != 0x30 {
            return Err(invalid(CertificateProblem::NotACertificate));
        }
        let inner = x509_cert::Certificate::from_der(der).map_err(|e| invalid(der_problem(&e)))?;
        tbs_slice(der).map_err(|e| invalid(der_problem(&e)))?;
        let tbs = &inner.tbs_certificate;
        if tbs.version != x509_cert::Version::V3 {
            return Err(invalid(CertificateProblem::UnsupportedVersion(
                tbs.version as u8 + 1,
            )));
        }
        let extension =
            |name: &str| invalid(CertificateProblem::Malformed(format!("{name} extension")));
        let key_usage = tbs
            .get::<X509KeyUsage>()
            .map_err(|_| extension("keyUsage"))?
            .map(|(_, ku)| key_usage(&ku));
        let is_ca = tbs
            .get::<BasicConstraints>()
            .map_err(|_| extension("basicConstraints"))?
            .is_some_and(|(_, bc)| bc.ca);
        let time = |t: &x509_cert::time::Time| {
            let d = t.to_unix_duration();
            DateTime::from_timestamp(d.as_secs() as i64, d.subsec_nanos())
                .ok_or(invalid(CertificateProblem::BadTime))
        };
        let subject = Name::from_x509(&tbs.subject);
        let identities = identities(&subject);
        let tax_code = find_tax_code(&identities);
        let (key_algorithm, key_bits) = key_info(&tbs.subject_public_key_info);
        Ok(Certificate {
            der: der.to_vec(),
            serial: CertificateSerial::from_der_bytes(tbs.serial_number.as_bytes()),
            issuer: Name::from_x509(&tbs.issuer),
            not_before: time(&tbs.validity.not_before)?,
            not_after: time(&tbs.validity.not_after)?,
            signature_algorithm: SignatureAlgorithm::from_oid(&inner.signature_algorithm.oid),
            key_algorithm,
            key_bits,
            key_usage,
            is_ca,
            subject,
            identities,
            tax_code,
            inner,
        })
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed X.509 structure, for what this view does not cover.
    pub fn x509(&self) -> &x509_cert::Certificate {
        &self.inner
    }

    /// The serial, upper-case hex without separators or a leading zero byte.
    pub fn serial(&self) -> &CertificateSerial {
        &self.serial
    }

    /// The subject's attributes.
    pub fn subject(&self) -> &Name {
        &self.subject
    }

    /// The issuer's attributes.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// Start of validity.
    pub fn not_before(&self) -> DateTime<Utc> {
        self.not_before
    }

    /// End of validity.
    pub fn not_after(&self) -> DateTime<Utc> {
        self.not_after
    }

    /// The public key's algorithm, when it is one the library signs and verifies with.
    pub fn key_algorithm(&self) -> Option<KeyAlgorithm> {
        self.key_algorithm
    }

    /// The public key's algorithm by name: `RSA`, `EC P-256`, `EC P-384`, or the key's OID.
    pub fn key_algorithm_name(&self) -> String {
        self.key_algorithm.map_or_else(
            || self.public_key().algorithm.oid.to_string(),
            |a| a.name().to_owned(),
        )
    }

    /// The SubjectPublicKeyInfo.
    pub fn public_key(&self) -> &spki::SubjectPublicKeyInfoOwned {
        &self.inner.tbs_certificate.subject_public_key_info
    }

    /// The public key's size in bits (0 when unknown).
    pub fn key_bits(&self) -> u32 {
        self.key_bits
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn public_key_der(&self) -> Vec<u8> {
        self.inner
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .expect("a decoded SubjectPublicKeyInfo re-encodes")
    }

    /// The algorithm the issuer signed with.
    pub fn signature_algorithm(&self) -> &SignatureAlgorithm {
        &self.signature_algorithm
    }

    /// The key usage extension, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.key_usage
    }

    /// Whether basic constraints mark this a CA certificate.
    pub fn is_ca(&self) -> bool {
        self.is_ca
    }

    /// Whether subject and issuer are the same name (a root, or another self-issued certificate).
    pub fn is_self_issued(&self) -> bool {
        self.inner.tbs_certificate.subject == self.inner.tbs_certificate.issuer
    }

    /// SHA-1 thumbprint of the DER, upper-case hex (what Windows shows).
    pub fn sha1_thumbprint(&self) -> String {
        upper_hex(&Sha1::digest(&self.der))
    }

    /// SHA-256 thumbprint of the DER, upper-case hex.
    pub fn sha256_thumbprint(&self) -> String {
        upper_hex(&Sha256::digest(&self.der))
    }

    /// The known CA family of the issuer, if any.
    pub fn ca_family(&self) -> Option<CaFamily> {
        CaFamily::of_issuer(&self.issuer)
    }

    /// Every `PREFIX:value` identity in the subject's UID attributes, in order.
    pub fn identities(&self) -> &[Identity] {
        &self.identities
    }

    /// What the certificate says about the holder's tax code.
    pub fn tax_code_finding(&self) -> &TaxCodeFinding {
        &self.tax_code
    }

    /// The holder's valid tax code, if the certificate has one.
    pub fn tax_code(&self) -> Option<&TaxCode> {
        match &self.tax_code {
            TaxCodeFinding::Found { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The raw DER of the signed part (tbsCertificate), exactly as in the certificate.
    pub(crate) fn tbs_der(&self) -> &[u8] {
        tbs_slice(&self.der).expect("checked when the certificate was decoded")
    }

    /// The issuer's signature bytes.
    pub(crate) fn signature_bytes(&self) -> &[u8] {
        self.inner.signature.raw_bytes()
    }
}

/// The tbsCertificate TLV inside a certificate's DER.
fn tbs_slice(der: &[u8]) -> der::Result<&[u8]> {
    use der::{Reader, SliceReader};
    let mut outer = SliceReader::new(der)?;
    let header = outer.peek_header()?;
    outer.read_slice(header.encoded_len()?)?;
    outer.tlv_bytes()
}

fn key_usage(ku: &X509KeyUsage) -> KeyUsage {
    let has = |u: KeyUsages| ku.0.contains(u);
    KeyUsage {
        digital_signature: has(KeyUsages::DigitalSignature),
        non_repudiation: has(KeyUsages::NonRepudiation),
        key_encipherment: has(KeyUsages::KeyEncipherment),
        data_encipherment: has(KeyUsages::DataEncipherment),
        key_agreement: has(KeyUsages::KeyAgreement),
        key_cert_sign: has(KeyUsages::KeyCertSign),
        crl_sign: has(KeyUsages::CRLSign),
    }
}

/// Maps a DER decoding error to what a person can act on.
fn der_problem(e: &der::Error) -> CertificateProblem {
    match e.kind() {
        der::ErrorKind::Incomplete { .. } => CertificateProblem::Truncated,
        der::ErrorKind::DateTime
        | der::ErrorKind::Value {
            tag: der::Tag::UtcTime | der::Tag::GeneralizedTime,
        } => CertificateProblem::BadTime,
        _ => CertificateProblem::Malformed(e.to_string()),
    }
}

pub(crate) fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

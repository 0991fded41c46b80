//! A certificate's algorithms — its key's and its issuer's signature's — and the check of the
//! issuer's signature. The OID tables and the verification itself live once, in `crate::sign`.

use der::asn1::ObjectIdentifier as Oid;
use serde::Serialize;
use spki::SubjectPublicKeyInfoOwned;

use crate::Error;
use crate::sign::SignError;
use crate::sign::key::{Scheme, scheme_of, verify_with};
use crate::sign::{DigestAlgorithm, KeyAlgorithm};

/// The issuer's signature algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 with a digest (sha1WithRSAEncryption, sha256WithRSAEncryption, …).
    Rsa(DigestAlgorithm),
    /// ECDSA with a digest (ecdsa-with-SHA256, …).
    Ecdsa(DigestAlgorithm),
    /// Any other algorithm, by dotted OID.
    Other(String),
}

impl SignatureAlgorithm {
    /// The algorithm a signatureAlgorithm OID names.
    pub fn from_oid(oid: &Oid) -> Self {
        match scheme_of(oid) {
            Ok((Scheme::Rsa, Some(digest))) => Self::Rsa(digest),
            Ok((Scheme::Ecdsa, Some(digest))) => Self::Ecdsa(digest),
            _ => Self::Other(oid.to_string()),
        }
    }

    /// The OpenSSL name (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`), or the dotted OID.
    pub fn name(&self) -> String {
        match self {
            Self::Rsa(d) => format!(
                "{}WithRSAEncryption",
                d.name().replace('-', "").to_lowercase()
            ),
            Self::Ecdsa(d) => format!("ecdsa-with-{}", d.name().replace('-', "")),
            Self::Other(oid) => oid.clone(),
        }
    }
}

crate::schema::string_schema!(SignatureAlgorithm);

impl Serialize for SignatureAlgorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

/// Why an issuer's signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignatureFailure {
    /// The algorithm, or the key type for it, is not supported.
    Unsupported(String),
    /// The signature does not verify (or the issuer's key cannot be read).
    Mismatch,
}

/// Checks `signature` by `algorithm` over `signed` with the issuer's public key.
pub(crate) fn verify_signature(
    algorithm: &SignatureAlgorithm,
    issuer_key: &SubjectPublicKeyInfoOwned,
    signed: &[u8],
    signature: &[u8],
) -> Result<(), SignatureFailure> {
    let (scheme, digest) = match algorithm {
        SignatureAlgorithm::Rsa(d) => (Scheme::Rsa, *d),
        SignatureAlgorithm::Ecdsa(d) => (Scheme::Ecdsa, *d),
        SignatureAlgorithm::Other(oid) => return Err(SignatureFailure::Unsupported(oid.clone())),
    };
    verify_with(issuer_key, scheme, digest, signed, signature).map_err(|e| match e {
        Error::Signing(SignError::UnsupportedAlgorithm { algorithm }) => {
            SignatureFailure::Unsupported(algorithm)
        }
        _ => SignatureFailure::Mismatch,
    })
}

/// The key algorithm (`None` when not one this library signs with) and size in bits.
pub(crate) fn key_info(spki: &SubjectPublicKeyInfoOwned) -> (Option<KeyAlgorithm>, u32) {
    match KeyAlgorithm::of(spki) {
        Ok(KeyAlgorithm::Rsa) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::traits::PublicKeyParts;
            let bits = rsa::RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
                .map_or(0, |k| k.n().bits() as u32);
            (Some(KeyAlgorithm::Rsa), bits)
        }
        Ok(KeyAlgorithm::EcP256) => (Some(KeyAlgorithm::EcP256), 256),
        Ok(KeyAlgorithm::EcP384) => (Some(KeyAlgorithm::EcP384), 384),
        Err(_) => (None, 0),
    }
}

//! Signature algorithms of certificates and the check of one signature with a public key.

use der::asn1::ObjectIdentifier as Oid;
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::hazmat::PrehashVerifier;
use spki::SubjectPublicKeyInfoRef;

/// A signature algorithm, as named by OpenSSL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// sha1WithRSAEncryption (old certificates).
    Sha1WithRsa,
    /// sha256WithRSAEncryption.
    Sha256WithRsa,
    /// sha384WithRSAEncryption.
    Sha384WithRsa,
    /// sha512WithRSAEncryption.
    Sha512WithRsa,
    /// ecdsa-with-SHA256.
    EcdsaWithSha256,
    /// ecdsa-with-SHA384.
    EcdsaWithSha384,
    /// Any other algorithm, by dotted OID.
    Other(String),
}

const ALGORITHMS: [(&str, SignatureAlgorithm, &str); 6] = [
    (
        "1.2.840.113549.1.1.5",
        SignatureAlgorithm::Sha1WithRsa,
        "sha1WithRSAEncryption",
    ),
    (
        "1.2.840.113549.1.1.11",
        SignatureAlgorithm::Sha256WithRsa,
        "sha256WithRSAEncryption",
    ),
    (
        "1.2.840.113549.1.1.12",
        SignatureAlgorithm::Sha384WithRsa,
        "sha384WithRSAEncryption",
    ),
    (
        "1.2.840.113549.1.1.13",
        SignatureAlgorithm::Sha512WithRsa,
        "sha512WithRSAEncryption",
    ),
    (
        "1.2.840.10045.4.3.2",
        SignatureAlgorithm::EcdsaWithSha256,
        "ecdsa-with-SHA256",
    ),
    (
        "1.2.840.10045.4.3.3",
        SignatureAlgorithm::EcdsaWithSha384,
        "ecdsa-with-SHA384",
    ),
];

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const P256: &str = "1.2.840.10045.3.1.7";
const P384: &str = "1.3.132.0.34";

impl SignatureAlgorithm {
    /// The algorithm an OID names.
    pub fn from_oid(oid: &Oid) -> Self {
        let dotted = oid.to_string();
        ALGORITHMS
            .iter()
            .find(|(o, ..)| *o == dotted)
            .map_or(Self::Other(dotted), |(_, a, _)| a.clone())
    }

    /// The OpenSSL name (`sha256WithRSAEncryption`), or the dotted OID for others.
    pub fn name(&self) -> &str {
        match self {
            Self::Other(oid) => oid,
            known => ALGORITHMS
                .iter()
                .find(|(_, a, _)| a == known)
                .map_or("?", |(.., n)| n),
        }
    }
}

impl Serialize for SignatureAlgorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureFailure {
    /// The algorithm, or the key type for it, is not supported.
    Unsupported(String),
    /// The public key could not be read.
    BadKey,
    /// The signature does not match.
    Mismatch,
}

/// Verifies `signature` over `message` with the key in `spki` (DER SubjectPublicKeyInfo).
/// Supports RSA PKCS#1 v1.5 with SHA-1/256/384/512 and ECDSA on P-256 and P-384.
pub fn verify(
    algorithm: &SignatureAlgorithm,
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureFailure> {
    use SignatureAlgorithm as A;
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|_| SignatureFailure::BadKey)?;
    let key_oid = spki.algorithm.oid.to_string();
    let mismatch = |_| SignatureFailure::Mismatch;
    match algorithm {
        A::Sha1WithRsa | A::Sha256WithRsa | A::Sha384WithRsa | A::Sha512WithRsa => {
            if key_oid != RSA_ENCRYPTION {
                return Err(SignatureFailure::Unsupported(format!(
                    "{} with key {key_oid}",
                    algorithm.name()
                )));
            }
            use rsa::pkcs8::DecodePublicKey;
            let key = rsa::RsaPublicKey::from_public_key_der(spki_der)
                .map_err(|_| SignatureFailure::BadKey)?;
            let (scheme, digest) = match algorithm {
                A::Sha1WithRsa => (
                    rsa::Pkcs1v15Sign::new::<Sha1>(),
                    Sha1::digest(message).to_vec(),
                ),
                A::Sha256WithRsa => (
                    rsa::Pkcs1v15Sign::new::<Sha256>(),
                    Sha256::digest(message).to_vec(),
                ),
                A::Sha384WithRsa => (
                    rsa::Pkcs1v15Sign::new::<Sha384>(),
                    Sha384::digest(message).to_vec(),
                ),
                _ => (
                    rsa::Pkcs1v15Sign::new::<Sha512>(),
                    Sha512::digest(message).to_vec(),
                ),
            };
            key.verify(scheme, &digest, signature)
                .map_err(|_| SignatureFailure::Mismatch)
        }
        A::EcdsaWithSha256 | A::EcdsaWithSha384 => {
            let digest = match algorithm {
                A::EcdsaWithSha256 => Sha256::digest(message).to_vec(),
                _ => Sha384::digest(message).to_vec(),
            };
            let curve = spki
                .algorithm
                .parameters_oid()
                .map(|o| o.to_string())
                .unwrap_or_default();
            if key_oid != EC_PUBLIC_KEY {
                return Err(SignatureFailure::Unsupported(format!(
                    "{} with key {key_oid}",
                    algorithm.name()
                )));
            }
            use p256::pkcs8::DecodePublicKey;
            match curve.as_str() {
                P256 => {
                    let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                        .map_err(|_| SignatureFailure::BadKey)?;
                    let sig = p256::ecdsa::DerSignature::try_from(signature).map_err(mismatch)?;
                    key.verify_prehash(&digest, &sig).map_err(mismatch)
                }
                P384 => {
                    let key = p384::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                        .map_err(|_| SignatureFailure::BadKey)?;
                    let sig = p384::ecdsa::DerSignature::try_from(signature).map_err(mismatch)?;
                    key.verify_prehash(&digest, &sig).map_err(mismatch)
                }
                other => Err(SignatureFailure::Unsupported(format!("EC curve {other}"))),
            }
        }
        A::Other(oid) => Err(SignatureFailure::Unsupported(oid.clone())),
    }
}

/// The key algorithm and size of a SubjectPublicKeyInfo.
pub(crate) fn key_info(spki: &spki::SubjectPublicKeyInfoOwned) -> (KeyAlgorithm, u32) {
    let oid = spki.algorithm.oid.to_string();
    match oid.as_str() {
        RSA_ENCRYPTION => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::traits::PublicKeyParts;
            let bits = rsa::RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
                .map_or(0, |k| k.n().bits() as u32);
            (KeyAlgorithm::Rsa, bits)
        }
        EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                .map(|o| o.to_string());
            match curve.as_deref() {
                Some(P256) => (KeyAlgorithm::EcP256, 256),
                Some(P384) => (KeyAlgorithm::EcP384, 384),
                Some(other) => (KeyAlgorithm::Other(format!("EC {other}")), 0),
                None => (KeyAlgorithm::Other("EC".into()), 0),
            }
        }
        _ => (KeyAlgorithm::Other(oid), 0),
    }
}

/// The algorithm of a certificate's public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// RSA.
    Rsa,
    /// ECDSA on NIST P-256.
    EcP256,
    /// ECDSA on NIST P-384.
    EcP384,
    /// Anything else, described.
    Other(String),
}

impl KeyAlgorithm {
    /// A short name: `RSA`, `EC P-256`, `EC P-384`, or the description.
    pub fn name(&self) -> &str {
        match self {
            Self::Rsa => "RSA",
            Self::EcP256 => "EC P-256",
            Self::EcP384 => "EC P-384",
            Self::Other(d) => d,
        }
    }
}

impl Serialize for KeyAlgorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

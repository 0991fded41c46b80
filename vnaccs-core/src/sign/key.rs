//! Key algorithms: which one a public key is, the CMS signature algorithm for it, and verifying a
//! signature with a public key.

use der::asn1::ObjectIdentifier;
use ecdsa::signature::hazmat::PrehashVerifier;
use pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::DigestAlgorithm;
use crate::cert::CertError;
use crate::sign::SignError;
use crate::{Error, Result};

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA1_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");

/// The algorithm of a signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA, signing with PKCS#1 v1.5.
    Rsa,
    /// ECDSA on NIST P-256.
    EcP256,
    /// ECDSA on NIST P-384.
    EcP384,
}

impl KeyAlgorithm {
    /// A short name: `RSA`, `EC P-256`, `EC P-384`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rsa => "RSA",
            Self::EcP256 => "EC P-256",
            Self::EcP384 => "EC P-384",
        }
    }

    /// The algorithm of a public key, or [`SignError::UnsupportedAlgorithm`].
    pub fn of(spki: &SubjectPublicKeyInfoOwned) -> Result<Self> {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        Self::from_oids(spki.algorithm.oid, curve)
    }

    /// The algorithm named by a key algorithm OID and, for EC keys, the curve OID.
    pub(crate) fn from_oids(
        oid: ObjectIdentifier,
        curve: Option<ObjectIdentifier>,
    ) -> Result<Self> {
        if oid == RSA_ENCRYPTION {
            return Ok(Self::Rsa);
        }
        if oid == EC_PUBLIC_KEY {
            return match curve {
                Some(c) if c == SECP256R1 => Ok(Self::EcP256),
                Some(c) if c == SECP384R1 => Ok(Self::EcP384),
                Some(c) => Err(unsupported(format!("elliptic curve {c}"))),
                None => Err(unsupported("elliptic curve without named parameters")),
            };
        }
        Err(unsupported(format!("public key algorithm {oid}")))
    }

    /// The `signatureAlgorithm` a CMS SignerInfo carries for this key and digest.
    pub(crate) fn cms_signature_algorithm(
        self,
        digest: DigestAlgorithm,
    ) -> AlgorithmIdentifierOwned {
        match self {
            // What OpenSSL writes: rsaEncryption with NULL parameters.
            Self::Rsa => AlgorithmIdentifierOwned {
                oid: RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            Self::EcP256 | Self::EcP384 => AlgorithmIdentifierOwned {
                oid: match digest {
                    DigestAlgorithm::Sha1 => ECDSA_WITH_SHA1,
                    DigestAlgorithm::Sha256 => ECDSA_WITH_SHA256,
                    DigestAlgorithm::Sha384 => ECDSA_WITH_SHA384,
                    DigestAlgorithm::Sha512 => ECDSA_WITH_SHA512,
                },
                parameters: None,
            },
        }
    }
}

/// The signature scheme a `signatureAlgorithm` OID names, with the digest it implies if any.
pub(crate) fn scheme_of(oid: &ObjectIdentifier) -> Result<(Scheme, Option<DigestAlgorithm>)> {
    let found = [
        (RSA_ENCRYPTION, Scheme::Rsa, None),
        (SHA1_WITH_RSA, Scheme::Rsa, Some(DigestAlgorithm::Sha1)),
        (SHA256_WITH_RSA, Scheme::Rsa, Some(DigestAlgorithm::Sha256)),
        (SHA384_WITH_RSA, Scheme::Rsa, Some(DigestAlgorithm::Sha384)),
        (SHA512_WITH_RSA, Scheme::Rsa, Some(DigestAlgorithm::Sha512)),
        (ECDSA_WITH_SHA1, Scheme::Ecdsa, Some(DigestAlgorithm::Sha1)),
        (
            ECDSA_WITH_SHA256,
            Scheme::Ecdsa,
            Some(DigestAlgorithm::Sha256),
        ),
        (
            ECDSA_WITH_SHA384,
            Scheme::Ecdsa,
            Some(DigestAlgorithm::Sha384),
        ),
        (
            ECDSA_WITH_SHA512,
            Scheme::Ecdsa,
            Some(DigestAlgorithm::Sha512),
        ),
    ]
    .into_iter()
    .find(|(o, ..)| o == oid);
    found
        .map(|(_, scheme, digest)| (scheme, digest))
        .ok_or_else(|| unsupported(format!("signature algorithm {oid}")))
}

/// A signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// RSA PKCS#1 v1.5.
    Rsa,
    /// ECDSA with a DER `ECDSA-Sig-Value`.
    Ecdsa,
}

/// Checks `signature` (PKCS#1 v1.5 for RSA, DER for ECDSA) over `data` with a public key.
pub(crate) fn verify_with(
    spki: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    digest: DigestAlgorithm,
    data: &[u8],
    signature: &[u8],
) -> Result<()> {
    let algorithm = KeyAlgorithm::of(spki)?;
    let der = spki_der(spki)?;
    let hash = digest.digest(data);
    let ok = match (algorithm, scheme) {
        (KeyAlgorithm::Rsa, Scheme::Rsa) => {
            let key = RsaPublicKey::from_public_key_der(&der).map_err(bad_key)?;
            key.verify(rsa_padding(digest), &hash, signature).is_ok()
        }
        (KeyAlgorithm::EcP256, Scheme::Ecdsa) => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&der).map_err(bad_key)?;
            p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| key.verify_prehash(&hash, &s).is_ok())
        }
        (KeyAlgorithm::EcP384, Scheme::Ecdsa) => {
            let key = p384::ecdsa::VerifyingKey::from_public_key_der(&der).map_err(bad_key)?;
            p384::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| key.verify_prehash(&hash, &s).is_ok())
        }
        _ => return Err(unsupported("signature algorithm does not fit the key")),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Signing(SignError::BadSignature))
    }
}

/// The PKCS#1 v1.5 padding for a digest algorithm.
pub(crate) fn rsa_padding(digest: DigestAlgorithm) -> Pkcs1v15Sign {
    match digest {
        DigestAlgorithm::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        DigestAlgorithm::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        DigestAlgorithm::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        DigestAlgorithm::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

/// The DER of a SubjectPublicKeyInfo, for comparing keys.
pub(crate) fn spki_der(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>> {
    use der::Encode;
    spki.to_der().map_err(bad_key)
}

pub(crate) fn bad_key(e: impl std::fmt::Display) -> Error {
    Error::Certificate(CertError::InvalidCertificate {
        problem: crate::CertificateProblem::Malformed(format!("public key: {e}")),
    })
}

fn unsupported(what: impl Into<String>) -> Error {
    Error::Signing(SignError::UnsupportedAlgorithm {
        algorithm: what.into(),
    })
}

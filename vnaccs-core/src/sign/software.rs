//! A signing key held in software: a PKCS#12 file (`.pfx`/`.p12`) with its password, or a PEM
//! PKCS#8 key with a PEM certificate.

use std::io::Read;
use std::path::Path;

use ecdsa::signature::hazmat::PrehashSigner;
use pkcs8::{DecodePrivateKey, EncodePublicKey, PrivateKeyInfo};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::key::rsa_padding;
use super::pfx;
use super::{DigestAlgorithm, KeyAlgorithm, Signer, spki_der};
use crate::cert::Certificate;
use crate::sign::SignError;
use crate::{Error, Result};

/// A private key in memory (zeroized on drop) with its certificate.
pub struct SoftwareSigner {
    certificate: Vec<u8>,
    key: Key,
}

enum Key {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

impl std::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoftwareSigner")
            .field("key_algorithm", &self.key_algorithm())
            .finish_non_exhaustive()
    }
}

impl SoftwareSigner {
    /// A signer from an unencrypted PKCS#8 private key (DER) and its certificate (DER).
    ///
    /// Fails with [`SignError::KeyCertificateMismatch`] when the key is not the certificate's.
    pub fn from_pkcs8_der(key: &[u8], certificate: &[u8]) -> Result<Self> {
        let (key, public) = parse_key(key)?;
        if certificate_key(certificate)? != public.as_bytes() {
            return Err(Error::Signing(SignError::KeyCertificateMismatch));
        }
        Ok(Self {
            certificate: certificate.to_vec(),
            key,
        })
    }

    /// A signer from a PEM private key (`PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with
    /// `password`) and a PEM certificate.
    pub fn from_pem(
        key_pem: &str,
        certificate_pem: &str,
        password: Option<&SecretString>,
    ) -> Result<Self> {
        let (label, doc) = pkcs8::SecretDocument::from_pem(key_pem).map_err(key_file)?;
        let key = match (label, password) {
            ("PRIVATE KEY", _) => Zeroizing::new(doc.as_bytes().to_vec()),
            ("ENCRYPTED PRIVATE KEY", Some(password)) => {
                let encrypted =
                    pkcs8::EncryptedPrivateKeyInfo::try_from(doc.as_bytes()).map_err(key_file)?;
                pfx::bound_encrypted_key(&encrypted.encryption_algorithm)?;
                let plain = encrypted
                    .decrypt(password.expose_secret())
                    .map_err(|_| Error::Signing(SignError::KeyFilePassword))?;
                Zeroizing::new(plain.as_bytes().to_vec())
            }
            ("ENCRYPTED PRIVATE KEY", None) => {
                return Err(Error::Signing(SignError::KeyFilePassword));
            }
            (other, _) => return Err(key_file(format!("unexpected PEM block {other:?}"))),
        };
        let (_, certificate) = der::Document::from_pem(certificate_pem).map_err(key_file)?;
        Self::from_pkcs8_der(&key, certificate.as_bytes())
    }

    /// A signer from PEM files: see [`SoftwareSigner::from_pem`].
    pub fn from_pem_files(
        key: &Path,
        certificate: &Path,
        password: Option<&SecretString>,
    ) -> Result<Self> {
        let key_pem = Zeroizing::new(read_text(key)?);
        Self::from_pem(&key_pem, &read_text(certificate)?, password)
    }

    /// A signer from a PKCS#12 file's bytes and its password. Reads what
    /// `openssl pkcs12 -export` writes today (AES-256-CBC, PBKDF2), the legacy 3DES/RC2 forms
    /// and unencrypted keys; the key's certificate is the one with its public key (the one the
    /// key's `localKeyId` names first).
    ///
    /// Fails with [`SignError::KeyFilePassword`] when the password is wrong.
    pub fn from_pkcs12(data: &[u8], password: &SecretString) -> Result<Self> {
        let contents = pfx::open(data, password)?;
        if contents.certificates.is_empty() {
            return Err(key_file("the PKCS#12 file holds no certificate"));
        }
        // Each certificate's public key, read once.
        let public_keys: Vec<Option<Vec<u8>>> = (contents.certificates.iter())
            .map(|c| certificate_key(&c.value).ok())
            .collect();
        let mut last = key_file("the PKCS#12 file holds no private key");
        for bagged in &contents.keys {
            let (key, public) = match parse_key(&bagged.value) {
                Ok(parsed) => parsed,
                Err(e) => {
                    last = e;
                    continue;
                }
            };
            let mut order = contents.certificates_for(bagged);
            let is_its = |i: &usize| {
                public_keys.get(*i).and_then(Option::as_deref) == Some(public.as_bytes())
            };
            match order
                .find(is_its)
                .and_then(|i| contents.certificates.get(i))
            {
                Some(certificate) => {
                    return Ok(Self {
                        certificate: certificate.value.clone(),
                        key,
                    });
                }
                None => last = Error::Signing(SignError::KeyCertificateMismatch),
            }
        }
        Err(last)
    }

    /// A signer from a PKCS#12 file (`.pfx`/`.p12`): see [`SoftwareSigner::from_pkcs12`].
    pub fn from_pkcs12_file(path: &Path, password: &SecretString) -> Result<Self> {
        let io = |e: std::io::Error| key_file(format!("{}: {e}", path.display()));
        let mut data = Vec::new();
        // One byte past the limit, so that `pfx::open` refuses a file that is too large.
        std::fs::File::open(path)
            .and_then(|f| {
                f.take(pfx::MAX_FILE_BYTES as u64 + 1)
                    .read_to_end(&mut data)
            })
            .map_err(io)?;
        Self::from_pkcs12(&data, password)
    }
}

impl Signer for SoftwareSigner {
    fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    fn key_algorithm(&self) -> KeyAlgorithm {
        match self.key {
            Key::Rsa(_) => KeyAlgorithm::Rsa,
            Key::P256(_) => KeyAlgorithm::EcP256,
            Key::P384(_) => KeyAlgorithm::EcP384,
        }
    }

    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>> {
        let hash = digest.digest(data);
        let failed = |e: &dyn std::fmt::Display| {
            Error::Signing(SignError::SigningFailed {
                reason: e.to_string(),
            })
        };
        match &self.key {
            Key::Rsa(k) => k.sign(rsa_padding(digest), &hash).map_err(|e| failed(&e)),
            Key::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign_prehash(&hash).map_err(|e| failed(&e))?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            Key::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign_prehash(&hash).map_err(|e| failed(&e))?;
                Ok(s.to_der().as_bytes().to_vec())
            }
        }
    }
}

/// A private key (PKCS#8 `PrivateKeyInfo`, DER) and its public key (`SubjectPublicKeyInfo`, DER).
fn parse_key(key: &[u8]) -> Result<(Key, spki::Document)> {
    let info = PrivateKeyInfo::try_from(key).map_err(key_file)?;
    let algorithm =
        KeyAlgorithm::from_oids(info.algorithm.oid, info.algorithm.parameters_oid().ok())?;
    Ok(match algorithm {
        KeyAlgorithm::Rsa => {
            let k = rsa::RsaPrivateKey::from_pkcs8_der(key).map_err(key_file)?;
            let public = k.to_public_key().to_public_key_der().map_err(key_file)?;
            (Key::Rsa(Box::new(k)), public)
        }
        KeyAlgorithm::EcP256 => {
            let k = p256::ecdsa::SigningKey::from_pkcs8_der(key).map_err(key_file)?;
            let public = k.verifying_key().to_public_key_der().map_err(key_file)?;
            (Key::P256(k), public)
        }
        KeyAlgorithm::EcP384 => {
            let k = p384::ecdsa::SigningKey::from_pkcs8_der(key).map_err(key_file)?;
            let public = k.verifying_key().to_public_key_der().map_err(key_file)?;
            (Key::P384(k), public)
        }
    })
}

/// A certificate's (DER) public key (`SubjectPublicKeyInfo`, DER).
fn certificate_key(certificate: &[u8]) -> Result<Vec<u8>> {
    spki_der(Certificate::from_der(certificate)?.public_key())
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::Signing(SignError::KeyFile {
            reason: format!("{}: {e}", path.display()),
        })
    })
}

fn key_file(e: impl std::fmt::Display) -> Error {
    Error::Signing(SignError::KeyFile {
        reason: e.to_string(),
    })
}

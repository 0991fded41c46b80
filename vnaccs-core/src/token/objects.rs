//! The objects on a token: certificates, and the private key that goes with each.

use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;

use super::errors::from_cryptoki;
use crate::Result;
use crate::cert::{CertError, Certificate};
use crate::sign::key::bad_key;
use crate::sign::{KeyAlgorithm, spki_der};

/// Whether a certificate's private key is on the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyPresence {
    /// The private key is there.
    Present,
    /// The private key is not there (the certificate cannot sign).
    Absent,
    /// Not known without logging in: the token hides private keys until then.
    Unknown,
}

/// A certificate on a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCertificate {
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// Its `CKA_ID`, which normally pairs it with its private key.
    pub id: Vec<u8>,
    /// Its `CKA_LABEL`.
    pub label: String,
    /// Whether its private key is on the token.
    pub private_key: KeyPresence,
}

impl TokenCertificate {
    /// The certificate view (serial, holder, tax code, validity…), for checking and choosing.
    pub fn view(&self) -> Result<Certificate, CertError> {
        Certificate::from_der(&self.der)
    }
}

/// The certificates a session sees; `keys_visible` says whether a missing private key means
/// absent (logged in, or a token without login) rather than unknown.
pub(crate) fn list_certificates(
    session: &Session,
    keys_visible: bool,
) -> Result<Vec<TokenCertificate>> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(from_cryptoki)?;
    let mut certificates = Vec::with_capacity(handles.len());
    for handle in handles {
        let mut der = Vec::new();
        let mut id = Vec::new();
        let mut label = String::new();
        let wanted = [
            AttributeType::Value,
            AttributeType::Id,
            AttributeType::Label,
        ];
        for attribute in session
            .get_attributes(handle, &wanted)
            .map_err(from_cryptoki)?
        {
            match attribute {
                Attribute::Value(v) => der = v,
                Attribute::Id(v) => id = v,
                Attribute::Label(v) => label = String::from_utf8_lossy(&v).into_owned(),
                _ => {}
            }
        }
        if der.is_empty() {
            continue;
        }
        let found = private_key_for(session, &id, &der)?.is_some();
        let private_key = match (found, keys_visible) {
            (true, _) => KeyPresence::Present,
            (false, true) => KeyPresence::Absent,
            (false, false) => KeyPresence::Unknown,
        };
        certificates.push(TokenCertificate {
            der,
            id,
            label,
            private_key,
        });
    }
    Ok(certificates)
}

/// The private key of a certificate: the one with its `CKA_ID`, else the one whose public key is
/// the certificate's (RSA modulus, or the EC point of a public-key object with the key's ID).
pub(crate) fn private_key_for(
    session: &Session,
    id: &[u8],
    certificate: &[u8],
) -> Result<Option<ObjectHandle>> {
    if !id.is_empty()
        && let Some(key) = private_key_with_id(session, id)?
    {
        return Ok(Some(key));
    }
    let view = Certificate::from_der(certificate)?;
    let spki = view.public_key();
    match KeyAlgorithm::of(spki)? {
        KeyAlgorithm::Rsa => {
            let der = spki_der(spki)?;
            let modulus = rsa::RsaPublicKey::from_public_key_der(&der)
                .map_err(bad_key)?
                .n()
                .to_bytes_be();
            let keys = session
                .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
                .map_err(from_cryptoki)?;
            for key in keys {
                let attrs = session
                    .get_attributes(key, &[AttributeType::Modulus])
                    .unwrap_or_default();
                let same = attrs.iter().any(|a| {
                    matches!(a, Attribute::Modulus(m) if strip_zeros(m) == strip_zeros(&modulus))
                });
                if same {
                    return Ok(Some(key));
                }
            }
            Ok(None)
        }
        KeyAlgorithm::EcP256 | KeyAlgorithm::EcP384 => {
            let point = spki.subject_public_key.raw_bytes().to_vec();
            let publics = session
                .find_objects(&[Attribute::Class(ObjectClass::PUBLIC_KEY)])
                .map_err(from_cryptoki)?;
            for public in publics {
                let attrs = session
                    .get_attributes(public, &[AttributeType::EcPoint, AttributeType::Id])
                    .unwrap_or_default();
                let same = attrs
                    .iter()
                    .any(|a| matches!(a, Attribute::EcPoint(p) if p.ends_with(&point)));
                let public_id = attrs.iter().find_map(|a| match a {
                    Attribute::Id(i) if !i.is_empty() => Some(i.clone()),
                    _ => None,
                });
                if let (true, Some(public_id)) = (same, public_id) {
                    return private_key_with_id(session, &public_id);
                }
            }
            Ok(None)
        }
    }
}

fn private_key_with_id(session: &Session, id: &[u8]) -> Result<Option<ObjectHandle>> {
    let keys = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id.to_vec()),
        ])
        .map_err(from_cryptoki)?;
    Ok(keys.into_iter().next())
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

//! Checking a detached CMS signature, or a bare PKCS#1 v1.5 one, against an expected certificate.

use std::time::SystemTime;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::time::Time;

use super::cms::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME};
use super::key::{Scheme, scheme_of, verify_with};
use super::{DigestAlgorithm, KeyAlgorithm};
use crate::sign::SignError;
use crate::{Error, Result};

/// What a verified CMS signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The digest algorithm the signer used.
    pub digest: DigestAlgorithm,
    /// The signing time, when the signature carries one.
    pub signing_time: Option<SystemTime>,
}

/// Checks a detached CMS SignedData (DER) over `content`, made by the certificate `expected` (DER).
///
/// The signer must be identified as `expected` (and if the CMS carries a certificate for it, that
/// certificate must be `expected`), the messageDigest attribute must equal the digest of
/// `content`, and the signature must verify with the certificate's public key. Certificate chains
/// and validity are not checked here.
pub fn verify_detached(cms_der: &[u8], content: &[u8], expected: &[u8]) -> Result<Verified> {
    let expected_view = crate::cert::Certificate::from_der(expected)?;
    let signed_data = decode_signed_data(cms_der)?;
    let signer = find_signer(&signed_data, expected_view.x509(), expected)?;
    let digest = DigestAlgorithm::from_oid(&signer.digest_alg.oid).ok_or_else(|| {
        Error::Signing(SignError::UnsupportedAlgorithm {
            algorithm: format!("digest {}", signer.digest_alg.oid),
        })
    })?;
    let (scheme, implied) = scheme_of(&signer.signature_algorithm.oid)?;
    if implied.is_some_and(|d| d != digest) {
        return Err(Error::Signing(SignError::UnsupportedAlgorithm {
            algorithm: format!(
                "signature algorithm {} with digest {}",
                signer.signature_algorithm.oid,
                digest.name()
            ),
        }));
    }
    let signature = signer.signature.as_bytes();
    let Some(attrs) = &signer.signed_attrs else {
        // No signed attributes: the signature is over the content itself.
        verify_with(
            expected_view.public_key(),
            scheme,
            digest,
            content,
            signature,
        )?;
        return Ok(Verified {
            digest,
            signing_time: None,
        });
    };
    let content_type: ObjectIdentifier = single_value(attrs, ID_CONTENT_TYPE)?
        .ok_or_else(|| not_cms("the signed attributes have no contentType"))?;
    if content_type != signed_data.encap_content_info.econtent_type {
        return Err(not_cms(
            "contentType attribute differs from the content type",
        ));
    }
    let message_digest: OctetString = single_value(attrs, ID_MESSAGE_DIGEST)?
        .ok_or_else(|| not_cms("the signed attributes have no messageDigest"))?;
    if message_digest.as_bytes() != digest.digest(content).as_slice() {
        return Err(Error::Signing(SignError::CmsContentMismatch));
    }
    let signing_time = single_value::<Time>(attrs, ID_SIGNING_TIME)?.map(|t| t.to_system_time());
    let signed = attrs.to_der().map_err(not_cms)?;
    verify_with(
        expected_view.public_key(),
        scheme,
        digest,
        &signed,
        signature,
    )?;
    Ok(Verified {
        digest,
        signing_time,
    })
}

/// Checks a bare signature over `data` (the e-declaration channel): PKCS#1 v1.5 for an RSA
/// certificate, DER ECDSA for an EC one.
pub fn verify_raw(
    certificate: &[u8],
    digest: DigestAlgorithm,
    data: &[u8],
    signature: &[u8],
) -> Result<()> {
    let view = crate::cert::Certificate::from_der(certificate)?;
    let scheme = match KeyAlgorithm::of(view.public_key())? {
        KeyAlgorithm::Rsa => Scheme::Rsa,
        KeyAlgorithm::EcP256 | KeyAlgorithm::EcP384 => Scheme::Ecdsa,
    };
    verify_with(view.public_key(), scheme, digest, data, signature)
}

fn decode_signed_data(cms_der: &[u8]) -> Result<SignedData> {
    let info = ContentInfo::from_der(cms_der).map_err(not_cms)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(not_cms(format!(
            "content type {} is not SignedData",
            info.content_type
        )));
    }
    let signed_data: SignedData = info.content.decode_as().map_err(not_cms)?;
    if signed_data.encap_content_info.econtent.is_some() {
        return Err(not_cms("the signature is not detached: it carries content"));
    }
    Ok(signed_data)
}

/// The one SignerInfo that names `expected`, or [`SignError::CmsWrongSigner`].
fn find_signer<'a>(
    signed_data: &'a SignedData,
    expected: &Certificate,
    expected_der: &[u8],
) -> Result<&'a SignerInfo> {
    let signer = signed_data
        .signer_infos
        .0
        .iter()
        .find(|s| names(&s.sid, expected))
        .ok_or(Error::Signing(SignError::CmsWrongSigner))?;
    // A certificate in the CMS that claims to be the signer must be the expected one.
    let carried = signed_data.certificates.iter().flat_map(|set| set.0.iter());
    for choice in carried {
        if let CertificateChoices::Certificate(c) = choice
            && names(&signer.sid, c)
            && c.to_der().ok().as_deref() != Some(expected_der)
        {
            return Err(Error::Signing(SignError::CmsWrongSigner));
        }
    }
    Ok(signer)
}

/// Whether a signer identifier names this certificate.
fn names(sid: &SignerIdentifier, certificate: &Certificate) -> bool {
    let tbs = &certificate.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            ias.issuer == tbs.issuer && ias.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .get::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, own)| own == *ski),
    }
}

/// The single value of a signed attribute, decoded; `None` when the attribute is absent.
fn single_value<T: for<'b> Decode<'b>>(
    attrs: &cms::signed_data::SignedAttributes,
    oid: ObjectIdentifier,
) -> Result<Option<T>> {
    let Some(attr) = attrs.iter().find(|a| a.oid == oid) else {
        return Ok(None);
    };
    let mut values = attr.values.iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value
            .to_der()
            .and_then(|der| T::from_der(&der))
            .map(Some)
            .map_err(not_cms),
        _ => Err(not_cms(format!(
            "attribute {oid} must have exactly one value"
        ))),
    }
}

fn not_cms(e: impl std::fmt::Display) -> Error {
    Error::Signing(SignError::NotCms {
        reason: e.to_string(),
    })
}

//! Building a detached CMS SignedData (RFC 5652) with any [`Signer`].

use std::time::SystemTime;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::time::Time;

use super::{DigestAlgorithm, Signer};
use crate::sign::SignError;
use crate::{Error, Result};

pub(super) const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub(super) const ID_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub(super) const ID_CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub(super) const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub(super) const ID_SIGNING_TIME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

/// Signs `content` as a detached CMS SignedData (DER), signing time now.
///
/// The signer's certificate is included; the signed attributes are contentType (id-data),
/// messageDigest and signingTime. It verifies with
/// `openssl cms -verify -binary -inform DER -content <content>`.
pub fn sign_detached(
    signer: &dyn Signer,
    content: &[u8],
    digest: DigestAlgorithm,
) -> Result<Vec<u8>> {
    sign_detached_at(signer, content, digest, SystemTime::now())
}

/// [`sign_detached`] with the given signing time.
pub fn sign_detached_at(
    signer: &dyn Signer,
    content: &[u8],
    digest: DigestAlgorithm,
    signing_time: SystemTime,
) -> Result<Vec<u8>> {
    let view = crate::cert::Certificate::from_der(signer.certificate_der())?;
    let certificate = view.x509().clone();
    let time = Time::try_from(signing_time).map_err(encoding)?;
    let signed_attrs = SetOfVec::try_from(vec![
        attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA))?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.digest(content)).map_err(encoding)?),
        )?,
        attribute(ID_SIGNING_TIME, Any::encode_from(&time))?,
    ])
    .map_err(encoding)?;
    // The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4).
    let to_sign = signed_attrs.to_der().map_err(encoding)?;
    let signature = signer.sign(digest, &to_sign)?;
    let digest_alg = AlgorithmIdentifierOwned {
        oid: digest.oid(),
        parameters: None,
    };
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: certificate.tbs_certificate.issuer.clone(),
            serial_number: certificate.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signer.key_algorithm().cms_signature_algorithm(digest),
        signature: OctetString::new(signature).map_err(encoding)?,
        unsigned_attrs: None,
    };
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_alg]).map_err(encoding)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(vec![CertificateChoices::Certificate(certificate)])
                .map_err(encoding)?,
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(encoding)?),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(encoding)?,
    }
    .to_der()
    .map_err(encoding)
}

fn attribute(oid: ObjectIdentifier, value: der::Result<Any>) -> Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value.map_err(encoding)?]).map_err(encoding)?,
    })
}

fn encoding(e: impl std::fmt::Display) -> Error {
    Error::Signing(SignError::SigningFailed {
        reason: format!("encoding the CMS structure: {e}"),
    })
}

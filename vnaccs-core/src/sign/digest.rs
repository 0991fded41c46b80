//! The digest algorithms a signature can use, with their OIDs and the PKCS#1 DigestInfo prefix.

use der::asn1::ObjectIdentifier;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// A digest (hash) algorithm for a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-1: only for legacy peers (historic VNACCS S/MIME, `micalg="sha1"`).
    Sha1,
    /// SHA-256: the default.
    #[default]
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

impl DigestAlgorithm {
    /// Every algorithm, strongest last.
    pub const ALL: [DigestAlgorithm; 4] = [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512];

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(data).to_vec(),
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// The algorithm's object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => SHA1,
            Self::Sha256 => SHA256,
            Self::Sha384 => SHA384,
            Self::Sha512 => SHA512,
        }
    }

    /// The algorithm with this object identifier, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.oid() == *oid)
    }

    /// The DER `DigestInfo` (RFC 8017 §9.2) around `digest`: what `CKM_RSA_PKCS` signs.
    pub fn digest_info(self, digest: &[u8]) -> Vec<u8> {
        let prefix: &[u8] = match self {
            Self::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            Self::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Self::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Self::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        };
        [prefix, digest].concat()
    }

    /// The algorithm's usual name, e.g. `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Sequence, asn1::OctetString};
    use spki::AlgorithmIdentifierOwned;

    #[derive(Sequence)]
    struct DigestInfo {
        algorithm: AlgorithmIdentifierOwned,
        digest: OctetString,
    }

    #[test]
    fn digest_info_is_der_with_the_right_oid_and_digest() {
        for alg in DigestAlgorithm::ALL {
            let digest = alg.digest(b"abc");
            let info = DigestInfo::from_der(&alg.digest_info(&digest)).expect("valid DER");
            assert_eq!(info.algorithm.oid, alg.oid());
            assert_eq!(info.digest.as_bytes(), digest.as_slice());
            assert_eq!(DigestAlgorithm::from_oid(&alg.oid()), Some(alg));
        }
    }

    #[test]
    fn sha256_of_abc_is_the_known_value() {
        let d = DigestAlgorithm::Sha256.digest(b"abc");
        assert_eq!(d[..4], [0xba, 0x78, 0x16, 0xbf]);
    }
}

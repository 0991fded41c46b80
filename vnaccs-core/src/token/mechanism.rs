//! Choosing how a token signs: a combined hash-and-sign mechanism when the token offers it,
//! else raw `CKM_RSA_PKCS` over a DigestInfo built here, or `CKM_ECDSA` over a digest.

use cryptoki::mechanism::{Mechanism, MechanismType};

use crate::sign::SignError;
use crate::sign::{DigestAlgorithm, KeyAlgorithm};
use crate::{Error, Result};

/// How to make one signature on the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// The token hashes and signs the data (`CKM_SHA256_RSA_PKCS` and the like).
    HashOnToken(MechanismType),
    /// The library hashes and wraps the digest in a DigestInfo; the token pads and signs it
    /// (`CKM_RSA_PKCS`).
    RsaDigestInfo,
    /// The library hashes; the token signs the digest (`CKM_ECDSA`), answering raw `r || s`.
    Ecdsa,
}

impl Plan {
    /// Chooses from the token's mechanisms; `hash_on_host` skips the combined mechanisms (faster
    /// for large data on slow USB tokens).
    pub(crate) fn choose(
        available: &[MechanismType],
        key: KeyAlgorithm,
        digest: DigestAlgorithm,
        hash_on_host: bool,
    ) -> Result<Plan> {
        let offers = |m: MechanismType| available.contains(&m);
        match key {
            KeyAlgorithm::Rsa => {
                let combined = match digest {
                    DigestAlgorithm::Sha1 => MechanismType::SHA1_RSA_PKCS,
                    DigestAlgorithm::Sha256 => MechanismType::SHA256_RSA_PKCS,
                    DigestAlgorithm::Sha384 => MechanismType::SHA384_RSA_PKCS,
                    DigestAlgorithm::Sha512 => MechanismType::SHA512_RSA_PKCS,
                };
                if !hash_on_host && offers(combined) {
                    Ok(Plan::HashOnToken(combined))
                } else if offers(MechanismType::RSA_PKCS) {
                    Ok(Plan::RsaDigestInfo)
                } else {
                    Err(missing(format!("RSA PKCS#1 v1.5 with {}", digest.name())))
                }
            }
            KeyAlgorithm::EcP256 | KeyAlgorithm::EcP384 => {
                if offers(MechanismType::ECDSA) {
                    Ok(Plan::Ecdsa)
                } else {
                    Err(missing("ECDSA".into()))
                }
            }
        }
    }

    /// The mechanism and the bytes to give `C_Sign` for `data`.
    pub(crate) fn input(
        &self,
        digest: DigestAlgorithm,
        data: &[u8],
    ) -> (Mechanism<'static>, Vec<u8>) {
        match self {
            Plan::HashOnToken(m) => (combined(*m), data.to_vec()),
            Plan::RsaDigestInfo => (Mechanism::RsaPkcs, digest.digest_info(&digest.digest(data))),
            Plan::Ecdsa => (Mechanism::Ecdsa, digest.digest(data)),
        }
    }
}

fn combined(m: MechanismType) -> Mechanism<'static> {
    if m == MechanismType::SHA1_RSA_PKCS {
        Mechanism::Sha1RsaPkcs
    } else if m == MechanismType::SHA384_RSA_PKCS {
        Mechanism::Sha384RsaPkcs
    } else if m == MechanismType::SHA512_RSA_PKCS {
        Mechanism::Sha512RsaPkcs
    } else {
        Mechanism::Sha256RsaPkcs
    }
}

fn missing(what: String) -> Error {
    Error::Signing(SignError::UnsupportedKey {
        detail: format!("the token offers no mechanism for {what}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [MechanismType; 4] = [
        MechanismType::RSA_PKCS,
        MechanismType::SHA1_RSA_PKCS,
        MechanismType::SHA256_RSA_PKCS,
        MechanismType::ECDSA,
    ];

    #[test]
    fn combined_mechanism_when_offered() {
        let plan = Plan::choose(&ALL, KeyAlgorithm::Rsa, DigestAlgorithm::Sha256, false);
        assert_eq!(
            plan.expect("plan"),
            Plan::HashOnToken(MechanismType::SHA256_RSA_PKCS)
        );
        let plan = Plan::choose(&ALL, KeyAlgorithm::Rsa, DigestAlgorithm::Sha1, false);
        assert_eq!(
            plan.expect("plan"),
            Plan::HashOnToken(MechanismType::SHA1_RSA_PKCS)
        );
    }

    #[test]
    fn raw_rsa_when_only_that_is_offered_or_asked() {
        let raw_only = [MechanismType::RSA_PKCS];
        for (available, host) in [(&raw_only[..], false), (&ALL[..], true)] {
            let plan = Plan::choose(available, KeyAlgorithm::Rsa, DigestAlgorithm::Sha256, host);
            assert_eq!(plan.expect("plan"), Plan::RsaDigestInfo);
        }
        let (mechanism, input) = Plan::RsaDigestInfo.input(DigestAlgorithm::Sha256, b"abc");
        assert_eq!(mechanism.mechanism_type(), MechanismType::RSA_PKCS);
        assert_eq!(input.len(), 19 + 32);
    }

    #[test]
    fn missing_mechanisms_are_a_typed_error() {
        let e = Plan::choose(
            &[MechanismType::ECDSA],
            KeyAlgorithm::Rsa,
            DigestAlgorithm::Sha256,
            false,
        );
        assert_eq!(e.expect_err("no RSA").code(), "unsupported_key");
        let e = Plan::choose(
            &[MechanismType::RSA_PKCS],
            KeyAlgorithm::EcP256,
            DigestAlgorithm::Sha256,
            false,
        );
        assert_eq!(e.expect_err("no ECDSA").code(), "unsupported_key");
        let plan = Plan::choose(&ALL, KeyAlgorithm::EcP384, DigestAlgorithm::Sha384, false);
        assert_eq!(plan.expect("plan"), Plan::Ecdsa);
    }
}

//! Where the new certificate and its key come from: a PKCS#11 token, or keys held in software.

use std::sync::{Arc, Mutex, PoisonError};

use crate::cert::Certificate;
use crate::sign::Signer;
use crate::token::TokenError;
use crate::token::{KeyPresence, PinCallback, PinPolicy, PinRequest, Token, TokenCertificate};
use crate::{Error, Result};

/// The certificates the update may choose from, and the keys that sign with them.
///
/// On a token, the PIN callback is asked when the first signature needs a login, once (the
/// signers of the token's certificates share the login); a wrong PIN is one try and fails the
/// step (the token's own counter is never spent twice).
pub struct KeySource {
    kind: Kind,
    /// The signers made so far (the new certificate's, and the old one's for a login before
    /// step B), each kept for the whole update.
    signers: Vec<(Vec<u8>, Arc<dyn Signer>)>,
}

/// The caller's PIN callback, shared by the signers of one token.
type SharedPin = Arc<Mutex<PinCallback>>;

enum Kind {
    Token {
        token: Token,
        pin: SharedPin,
        policy: PinPolicy,
    },
    Software(Vec<Arc<dyn Signer>>),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Kind::Token { token, policy, .. } => f
                .debug_struct("KeySource::Token")
                .field("token", &token.info().label)
                .field("policy", policy)
                .finish_non_exhaustive(),
            Kind::Software(signers) => f
                .debug_struct("KeySource::Software")
                .field("signers", &signers.len())
                .finish(),
        }
    }
}

impl KeySource {
    /// The certificates on `token` that have (or may have, before login) their private key;
    /// `pin` is asked at the first signature, under `policy`.
    pub fn token(token: Token, pin: PinCallback, policy: PinPolicy) -> KeySource {
        KeySource {
            kind: Kind::Token {
                token,
                pin: Arc::new(Mutex::new(pin)),
                policy,
            },
            signers: Vec::new(),
        }
    }

    /// Signers the caller holds: keys in software (a [`SoftwareSigner`](crate::sign::SoftwareSigner) from PKCS#12 or PEM
    /// files, or the demo's throwaway "software token" holding an old and a renewed
    /// certificate), or any other [`Signer`].
    pub fn software(signers: Vec<Arc<dyn Signer>>) -> KeySource {
        KeySource {
            kind: Kind::Software(signers),
            signers: Vec::new(),
        }
    }

    /// Every certificate that can sign: on a token, those whose private key is present or not
    /// yet visible (tokens hide keys until login); certificates that cannot be read are left out.
    pub fn certificates(&self) -> Result<Vec<Certificate>> {
        match &self.kind {
            Kind::Token { token, .. } => Ok(token
                .certificates()?
                .iter()
                .filter(|c| c.private_key != KeyPresence::Absent)
                .filter_map(|c| c.view().ok())
                .collect()),
            Kind::Software(signers) => Ok(signers
                .iter()
                .filter_map(|s| Certificate::from_der(s.certificate_der()).ok())
                .collect()),
        }
    }

    /// The signer of `certificate`, made once: later calls for the same certificate share it.
    pub(crate) fn signer_for(&mut self, certificate: &Certificate) -> Result<Arc<dyn Signer>> {
        if let Some((_, signer)) = self
            .signers
            .iter()
            .find(|(der, _)| der.as_slice() == certificate.der())
        {
            return Ok(signer.clone());
        }
        let not_found = || {
            Error::Token(TokenError::TokenObjectNotFound {
                what: format!("the key of certificate {}", certificate.serial()),
            })
        };
        let signer: Arc<dyn Signer> = match &mut self.kind {
            Kind::Software(signers) => signers
                .iter()
                .find(|s| s.certificate_der() == certificate.der())
                .cloned()
                .ok_or_else(not_found)?,
            Kind::Token { token, pin, policy } => {
                let on_token: TokenCertificate = token
                    .certificates()?
                    .into_iter()
                    .find(|c| c.der == certificate.der())
                    .ok_or_else(not_found)?;
                // Every signer asks the one callback; the token's login serves them all.
                let shared = Arc::clone(pin);
                let ask: PinCallback = Box::new(move |request: &PinRequest| {
                    let mut callback = shared.lock().unwrap_or_else(PoisonError::into_inner);
                    callback(request)
                });
                Arc::new(token.signer(&on_token, ask, *policy)?)
            }
        };
        self.signers
            .push((certificate.der().to_vec(), signer.clone()));
        Ok(signer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::TestPki;

    #[test]
    fn software_keys_list_and_sign() {
        let pki = TestPki::new(chrono::Utc::now());
        let set = pki.standard();
        let mut keys = KeySource::software(vec![
            set.enterprise_old.signer(),
            set.enterprise_new.signer(),
        ]);
        let certs = keys.certificates().unwrap();
        assert_eq!(certs.len(), 2);
        let new = Certificate::from_der(&set.enterprise_new.der).unwrap();
        let a = keys.signer_for(&new).unwrap();
        let b = keys.signer_for(&new).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.certificate_der(), set.enterprise_new.der.as_slice());
        let other = Certificate::from_der(&set.other_tax_code.der).unwrap();
        let missing = keys.signer_for(&other).err().map(|e| e.code());
        assert_eq!(missing, Some("token_object_not_found"));
        assert!(format!("{keys:?}").contains("signers: 2"));
    }
}

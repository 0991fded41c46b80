//! A [`Signer`] whose key is on a PKCS#11 token.

use std::sync::Mutex;

use cryptoki::mechanism::MechanismType;

use super::errors::from_cryptoki;
use super::mechanism::Plan;
use super::objects::{TokenCertificate, private_key_for};
use super::pin::{PinCallback, PinPolicy};
use super::slot::Token;
use crate::cert::Certificate;
use crate::sign::SignError;
use crate::sign::{DigestAlgorithm, KeyAlgorithm, Signer};
use crate::token::TokenError;
use crate::{Error, Result};

/// Signs with a private key on a token. Safe to use from many threads at once: each signature
/// runs in its own session, and the token's one login in the process (asked for at most once at
/// a time, shared with every other signer of the token) serves them all.
pub struct TokenSigner {
    token: Token,
    certificate: TokenCertificate,
    algorithm: KeyAlgorithm,
    mechanisms: Vec<MechanismType>,
    hash_on_host: bool,
    policy: PinPolicy,
    pin: Mutex<PinCallback>,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("token", &self.token.info().label)
            .field("certificate", &self.certificate.label)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    pub(crate) fn new(
        token: Token,
        certificate: &TokenCertificate,
        pin: PinCallback,
        policy: PinPolicy,
    ) -> Result<Self> {
        let algorithm = KeyAlgorithm::of(Certificate::from_der(&certificate.der)?.public_key())?;
        let mechanisms = token
            .module()
            .context()
            .get_mechanism_list(token.slot())
            .map_err(from_cryptoki)?;
        Ok(Self {
            token,
            certificate: certificate.clone(),
            algorithm,
            mechanisms,
            hash_on_host: false,
            policy,
            pin: Mutex::new(pin),
        })
    }

    /// Hash on the host and let the token only sign the digest (`CKM_RSA_PKCS` with a DigestInfo),
    /// even when it offers combined hash-and-sign mechanisms: faster for large data on slow
    /// tokens, and a way around tokens whose combined mechanisms misbehave.
    pub fn hash_on_host(mut self, yes: bool) -> Self {
        self.hash_on_host = yes;
        self
    }

    /// The token this signer uses.
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// Makes sure the token is logged in through its shared login, asking for the PIN at most
    /// once per call; an attempt another signer made while this one waited answers for both.
    fn ensure_login(&self) -> Result<()> {
        if !self.token.info().login_required {
            return Ok(());
        }
        let login = self.token.shared_login();
        let seen = login.attempts();
        login.ensure(
            seen,
            &self.token,
            Some(&self.certificate.label),
            self.policy,
            &mut |request| (self.pin.lock().unwrap_or_else(|p| p.into_inner()))(request),
        )
    }
}

impl Signer for TokenSigner {
    fn certificate_der(&self) -> &[u8] {
        &self.certificate.der
    }

    fn key_algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>> {
        let plan = Plan::choose(&self.mechanisms, self.algorithm, digest, self.hash_on_host)?;
        self.ensure_login()?;
        let session = self.token.open_session()?;
        let key = private_key_for(&session, &self.certificate.id, &self.certificate.der)?
            .ok_or_else(|| {
                Error::Token(TokenError::TokenObjectNotFound {
                    what: format!("private key of certificate {:?}", self.certificate.label),
                })
            })?;
        let (mechanism, input) = plan.input(digest, data);
        let signature = session
            .sign(&mechanism, key, &input)
            .map_err(from_cryptoki)?;
        match self.algorithm {
            KeyAlgorithm::Rsa => Ok(signature),
            // The token answers raw `r || s`; CMS needs the DER `ECDSA-Sig-Value`.
            KeyAlgorithm::EcP256 => p256::ecdsa::Signature::from_slice(&signature)
                .map(|s| s.to_der().as_bytes().to_vec())
                .map_err(ecdsa_error),
            KeyAlgorithm::EcP384 => p384::ecdsa::Signature::from_slice(&signature)
                .map(|s| s.to_der().as_bytes().to_vec())
                .map_err(ecdsa_error),
        }
    }
}

fn ecdsa_error(e: ecdsa::Error) -> Error {
    Error::Signing(SignError::SigningFailed {
        reason: format!("the token's ECDSA signature: {e}"),
    })
}

//! Signing and verifying: one [`Signer`] interface over a key on a token or in a file, detached
//! CMS SignedData as VNACCS uses it (S/MIME style), and bare PKCS#1 v1.5 signatures for the
//! e-declaration channel.

mod cms;
mod digest;
mod error;
pub(crate) mod key;
mod pfx;
mod software;
mod verify;

pub use cms::{sign_detached, sign_detached_at};
pub use digest::DigestAlgorithm;
pub use error::SignError;
pub use key::KeyAlgorithm;
pub use software::SoftwareSigner;
pub use verify::{Verified, verify_detached, verify_raw};

pub(crate) use key::spki_der;

use crate::Result;

/// A private key with its certificate that can sign.
///
/// Implemented by [`SoftwareSigner`] (a key from a file) and by
/// [`TokenSigner`](crate::token::TokenSigner) (a key on a PKCS#11 token). Safe to share between
/// threads.
pub trait Signer: Send + Sync {
    /// The signer's certificate, DER.
    fn certificate_der(&self) -> &[u8];

    /// The algorithm of the signing key.
    fn key_algorithm(&self) -> KeyAlgorithm;

    /// Signs `data` hashed with `digest`: a PKCS#1 v1.5 signature for an RSA key, a DER
    /// `ECDSA-Sig-Value` for an EC key.
    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>>;
}

//! PKCS#11 USB tokens: loading the vendor's module, listing tokens and their certificates,
//! logging in safely (the PIN is asked for when needed, one wrong PIN is one try), and signing
//! with a key that never leaves the token.

mod discovery;
mod error;
mod errors;
mod listing;
mod login;
mod mechanism;
mod module;
mod objects;
mod pin;
mod session;
mod signer;
mod slot;

pub use discovery::{MODULE_ENV, available_modules, locate_module};
pub use error::{PinTries, TokenError};
pub use listing::{listing, listing_has_error};
pub use module::Module;
pub use objects::{KeyPresence, TokenCertificate};
pub use pin::{PinCallback, PinFlags, PinPolicy, PinRequest};
pub use signer::TokenSigner;
pub use slot::{Token, TokenInfo};

//! # vnaccs-core
//!
//! Register and update an enterprise's digital certificate with Vietnam Customs (VNACCS),
//! in-process: the records and validated identifiers of the customs portal, the timing rules, and
//! one error type with Vietnamese and English messages.
//!
//! The C library (`vnaccs-ffi`) and the Python package (`vnaccs-py`) are thin bindings over this
//! crate: every rule lives here, once.

pub mod cert;
pub mod dates;
pub mod error;
mod files;
pub mod fixtures;
pub mod ids;
pub mod portal;
pub mod records;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod schema;
pub mod sign;
pub mod timing;
pub mod token;
pub mod workflow;

pub use error::{CertificateProblem, Error, Problem, Result};
pub use ids::{
    CertificateSerial, CustomsOfficeCode, Email, PersonalId, PersonalIdKind, TaxCode,
    TerminalAccessKey, TerminalId, UserId, UserIdPassword,
};

/// The library's version, as in its Cargo manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

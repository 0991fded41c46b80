//! The records of docs/domain.md §2, as serde types. Certificates are referenced by serial and a
//! short summary ([`CertificateRef`]).

mod registration;
pub mod signed;
mod user;

pub use registration::{
    CertificateRef, CertificateRegistration, RegistrationKind, RegistrationRecord,
    RegistrationStatus, SendForm,
};
pub use user::{PasswordChangeKind, PasswordChangeOutcome, Terminal};

//! The records of docs/domain.md §2, as serde types. Certificates are referenced by serial and a
//! short summary ([`CertificateRef`]).

mod enterprise;
mod registration;
pub mod signed;
mod user;

pub use enterprise::{AdminAccount, Enterprise, LegalRepresentative};
pub use registration::{
    CertificateRef, CertificateRegistration, RegistrationKind, RegistrationRecord,
    RegistrationStatus, SendForm,
};
pub use user::{DeclarantUser, PasswordChangeKind, PasswordChangeOutcome, Terminal};

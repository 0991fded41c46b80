//! Certificates as Vietnamese CAs issue them (docs/domain.md §3): loading, the certificate view, the
//! holder's identities and tax code, the registration checks, chain verification to the national
//! roots, choosing among several certificates, and what changed between two.

mod chain;
mod change;
mod checks;
mod choose;
mod error;
mod family;
mod identity;
mod load;
mod name;
mod pass;
mod signature;
mod summary;
mod view;

pub use chain::{ChainCheck, ChainLink, TrustAnchors};
pub use change::{CertificateChange, ChangeKind, REISSUE_MIN_DAYS_LEFT, classify_change};
pub use checks::{SigningUsage, TaxCodeMatch, Validity};
pub use choose::{Choice, PassedOver, choose};
pub use error::{CertError, CertificateProblem};
pub use family::CaFamily;
pub use identity::{Identity, IdentityKind, TaxCodeFinding, TaxCodeSource};
pub use name::{AttributeKind, Name, NameAttribute};
pub use pass::PassReason;
pub use signature::SignatureAlgorithm;
pub use summary::CertificateSummary;
pub use view::{Certificate, KeyUsage};

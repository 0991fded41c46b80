//! The certificate update (domain.md §4): one blocking call that takes an enterprise from "the
//! token has a new certificate" to "Customs has it, here is when it works".
//!
//! [`CertificateUpdate::plan`] checks everything it can offline (which certificate, its tax code,
//! what changed, the timing warnings of §5) without a request; [`CertificateUpdate::run`] performs
//! steps A → B → C → D through the portal client, reporting [`Progress`] and saving an
//! [`UpdateState`] after each completed step; [`CertificateUpdate::resume`] continues from a saved
//! state and never sends a registration twice. [`CertificateUpdate::fetch_result`] (E) and
//! [`CertificateUpdate::change_password`] (F) come after Customs approves.
//!
//! Inputs are owned, outcomes and state are serde types, callbacks are boxed `FnMut + Send`: the
//! C and Python bindings wrap this API as it is. Secrets (the admin password, the PIN) are never
//! logged, serialised, saved or put in an error.

mod account;
mod error;
mod inputs;
mod keys;
mod login;
mod outcome;
mod passwords;
mod plan;
mod progress;
mod run;
mod state;
mod state_file;
mod step;
mod update;

pub use account::AdminAccount;
pub use error::WorkflowError;
pub use inputs::{DeclarantSelector, UpdateInputs};
pub use keys::KeySource;
pub use outcome::{DeclarantMove, Skipped, UpdateOutcome};
pub use passwords::{PasswordRecord, PasswordSet};
pub use plan::{DeclarantRule, PassedOverCertificate, Plan, Warning};
pub use progress::{Progress, ProgressCallback};
pub use state::{STATE_VERSION, UpdateState};
pub use state_file::{StateLock, default_state_file};
pub use step::Step;
pub use update::{CaptchaCallback, CertificateUpdate};

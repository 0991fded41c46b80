//! The certificate update (docs/domain.md §4): one blocking call that takes an enterprise from "the
//! token has a new certificate" to "Customs has it, here is when it works".
//!
//! [`CertificateUpdate::plan`] checks everything it can offline (which certificate, its tax code,
//! what changed, the timing warnings of §5) without a request; [`CertificateUpdate::run`] performs
//! steps A → B → C → D through the portal client, reporting [`Progress`] and saving an
//! [`UpdateState`] after each completed step; [`CertificateUpdate::resume`] continues from a saved
//! state and never sends a registration twice. [`CertificateUpdate::fetch_result`] (E) and
//! [`CertificateUpdate::change_password`] (F) come after Customs approves.
//!
//! Inputs are owned, outcomes and state are serde types, callbacks are boxed `FnMut + Send`.
//! A whole job is also one [`Request`] document (JSON, no secrets), turned into an update by
//! [`Request::certificate_update`] — the one path for the CLI and both bindings — and driven
//! without callbacks by a [`Job`]: the bindings pull its [`Event`]s and answer its needs from any
//! thread, over this same workflow. Secrets (the admin password, the PIN) are never
//! logged, serialised, saved or put in an error.

mod account;
mod error;
mod inputs;
mod job;
mod keys;
mod login;
mod outcome;
mod output;
mod passwords;
mod plan;
mod progress;
mod request;
mod run;
mod state;
mod state_file;
mod step;
mod update;

pub use account::AdminAccount;
pub use error::WorkflowError;
pub use inputs::{DeclarantSelector, UpdateInputs, UpdateInputsBuilder};
pub use job::Job;
pub use keys::KeySource;
pub use outcome::{DeclarantMove, Skipped, UpdateOutcome};
pub use output::{Document, Event, Output};
pub use passwords::{PasswordRecord, PasswordSet};
pub use plan::{DeclarantRule, PassedOverCertificate, Plan, Warning};
pub use progress::{Progress, ProgressCallback};
pub use request::{
    Enterprise, Keys, Operation, PemPair, PortalSettings, Request, SCHEMA_VERSION, Secrets,
};
pub use state::{STATE_VERSION, UpdateState};
pub use state_file::{StateLock, default_state_file};
pub use step::Step;
pub use update::{CaptchaCallback, CertificateUpdate};

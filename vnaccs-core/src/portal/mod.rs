//! The customs portal client: the site profile (`profile.toml`, kept as data), WebForms
//! handling, and one method per portal operation of docs/domain.md §4.
//!
//! [`PortalClient`] drives the two websites through a [`SiteProfile`]: every path, field name,
//! button, selector, grid column and message text comes from the profile, so a vendor can follow
//! a change of the real site with a new profile file. Portal messages become typed errors
//! ([`PortalError::PortalRefused`] with a [`PortalRefusal`]), carrying the
//! portal's Vietnamese text and an English one.
//!
//! ```no_run
//! # fn main() -> vnaccs_core::Result<()> {
//! use std::sync::Arc;
//! use secrecy::SecretString;
//! use vnaccs_core::portal::{PortalClient, PortalConfig};
//! use vnaccs_core::sign::{Signer, SoftwareSigner};
//!
//! let client = PortalClient::new(PortalConfig::new())?;
//! let signer: Arc<dyn Signer> = Arc::new(SoftwareSigner::from_pem_files(
//!     "old-key.pem".as_ref(),
//!     "old-cert.pem".as_ref(),
//!     None,
//! )?);
//! let password = SecretString::from("mật khẩu quản trị");
//! client.login(&"0302345459".parse()?, &password, &signer)?;
//! for record in client.search_records()? {
//!     println!("{} {:?} {:?}", record.number, record.kind, record.status);
//! }
//! # Ok(()) }
//! ```
//!
//! Sessions: the client keeps one portal session (cookies). Reads of logged-in screens (C–F) that
//! meet the login redirect log in again once with the credentials [`PortalClient::login`] was
//! given; reads of screens without login (A, B) start once more in a new session. A state-changing
//! post ([`PortalPost`]) is sent once and never repeated automatically: when its answer is lost or
//! is the login redirect, the client reads the portal back where it can (the record's status for D,
//! the declarant row for C) and otherwise fails with
//! [`PortalError::OutcomeUnknown`]. Transport
//! failures and the portal's special pages are typed errors: [`PortalError::PortalTimeout`],
//! [`PortalError::PortalConnection`], [`PortalError::PortalUnavailable`],
//! [`PortalError::PortalMaintenance`], [`PortalError::PortalErrorPage`].
//!
//! A hostile or broken portal cannot hold the client: each request has one deadline
//! ([`PortalConfig::timeout`], redirects and body included), an answer longer than
//! [`PortalConfig::max_body`] is [`PortalError::PortalResponseTooLarge`],
//! a page nesting too deep or with too many elements is refused before parsing
//! ([`PortalError::PortalPageTooDeep`],
//! [`PortalError::PortalPageTooLarge`]), and a form, image or redirect
//! pointing at another site than the two configured ones is
//! [`PortalError::PortalForeignOrigin`] before anything is sent there.

mod admin;
mod cancel;
mod candidates;
mod check;
mod client;
mod config;
mod css;
mod declarants;
mod error;
mod form;
mod har;
#[cfg(test)]
mod hostile_tests;
mod http;
mod kept;
mod layout;
mod login;
mod nesting;
mod page;
mod password;
mod post;
mod posts;
mod profile;
mod records;
mod refusal;
mod register;
mod results;
mod search_page;
mod session;

pub use admin::ConfirmedUser;
pub use cancel::CancelToken;
pub use check::{CheckReport, ItemCheck, PageCheck, SavedPage, check_files, check_pages};
pub use client::PortalClient;
pub use config::PortalConfig;
pub use declarants::{DeclarantRow, DeclarantUpdate};
pub use error::PortalError;
pub use layout::{ItemKind, MissingItem};
pub use posts::PortalPost;
pub use profile::{SiteProfile, effective_toml};
pub use refusal::PortalRefusal;
pub use register::{CAPTCHA_ATTEMPTS, CaptchaChallenge};
pub use results::{IssuedUser, RegistrationResult};
pub use search_page::{SearchPage, read_search_page};

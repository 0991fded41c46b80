//! The customs portal client: the site profile (`profile.toml`, kept as data), WebForms
//! handling, and one method per portal operation of domain.md §4.
//!
//! [`PortalClient`] drives the two websites through a [`SiteProfile`]: every path, field name,
//! button, selector, grid column and message text comes from the profile, so a vendor can follow
//! a change of the real site with a new profile file. Portal messages become typed errors
//! ([`Error::PortalRefused`](crate::Error::PortalRefused) with a [`PortalRefusal`]), carrying the
//! portal's Vietnamese text and an English one.

mod admin;
mod client;
mod config;
mod declarants;
mod form;
mod http;
mod page;
mod password;
mod profile;
mod records;
mod refusal;
mod register;
mod results;
mod session;

pub use admin::ConfirmedUser;
pub use client::PortalClient;
pub use config::PortalConfig;
pub use declarants::{DeclarantRow, DeclarantUpdate};
pub use profile::SiteProfile;
pub use refusal::PortalRefusal;
pub use register::{CAPTCHA_ATTEMPTS, CaptchaChallenge};
pub use results::{IssuedUser, RegistrationResult};

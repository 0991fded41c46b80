//! The stable identity of every error: its numeric status, category, whether it is retryable,
//! and what the user should do next.
//!
//! Statuses are grouped by area: 1xxx input and identifiers, 2xxx certificates, 3xxx tokens and
//! PIN, 4xxx signing, 5xxx portal and network (51xx the portal's refusals), 6xxx workflow and
//! state, 7xxx sandbox, 8xxx a binding's boundary, 9xxx internal (a bug in this library). A status is never reused: a
//! retired one stays listed here as reserved. (None is retired yet.)
//!
//! **Retryable** means the same call may succeed if simply made again later (the network, a
//! timeout, the portal unavailable or in maintenance, a busy state file). Refusals and bad input
//! are not retryable: something must change first. `outcome_unknown` is *not* retryable: the
//! post may have been processed, so it must never be repeated blindly; it is *resumable*: the
//! update's `resume` checks the portal before posting anything again (its hint says so).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The area an error belongs to, for programs that group errors (e.g. to choose an icon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// A value or file given by the caller is wrong or missing.
    Input,
    /// A certificate cannot be read or cannot be registered.
    Certificate,
    /// The PKCS#11 token or its module.
    Token,
    /// The token's user PIN.
    Pin,
    /// Keys, key files and signatures.
    Signing,
    /// The portal answered, but not as hoped: a refusal, an error page, an unexpected page.
    Portal,
    /// The portal could not be reached, or did not answer in time.
    Network,
    /// The update's steps and its saved state.
    Workflow,
    /// The simulated portal.
    Sandbox,
    /// An argument a binding (the C library) was given wrongly.
    Binding,
    /// A bug in this library.
    Internal,
}

impl Category {
    /// The snake_case name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            Self::Input => "input",
            Self::Certificate => "certificate",
            Self::Token => "token",
            Self::Pin => "pin",
            Self::Signing => "signing",
            Self::Portal => "portal",
            Self::Network => "network",
            Self::Workflow => "workflow",
            Self::Sandbox => "sandbox",
            Self::Binding => "binding",
            Self::Internal => "internal",
        }
    }
}

/// The fixed facts about one kind of error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Identity {
    /// The stable number.
    pub(crate) status: i32,
    /// The stable snake_case code.
    pub(crate) code: &'static str,
    /// The area.
    pub(crate) category: Category,
    /// Whether making the same call again later may succeed.
    pub(crate) retryable: bool,
    /// What the user should do next.
    pub(crate) hint: Phrase,
}

/// Builds an [`Identity`].
pub(crate) const fn id(
    status: i32,
    code: &'static str,
    category: Category,
    retryable: bool,
    en: &'static str,
    vi: &'static str,
) -> Identity {
    Identity {
        status,
        code,
        category,
        retryable,
        hint: Phrase { en, vi },
    }
}

/// A short description in both languages, e.g. of the characters a field allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrase {
    /// In English.
    pub en: &'static str,
    /// In Vietnamese.
    pub vi: &'static str,
}

impl Phrase {
    /// A phrase that reads the same in both languages, e.g. `"A-Z, 0-9"`.
    pub const fn same(text: &'static str) -> Phrase {
        Phrase { en: text, vi: text }
    }
}

/// Shortens a rejected value for an error message so that a pasted document never floods a log.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 64;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

/// The public identity accessors of an area's error enum, read from its `identity()`: the same
/// as [`Error`](crate::Error)'s once wrapped.
macro_rules! identity_accessors {
    ($ty:ty) => {
        impl $ty {
            /// The stable machine code (the same once wrapped in [`Error`](crate::Error)).
            pub fn code(&self) -> &'static str {
                self.identity().code
            }

            /// The stable numeric status (the same once wrapped in [`Error`](crate::Error)).
            pub fn status(&self) -> i32 {
                self.identity().status
            }

            /// The area this error belongs to.
            pub fn category(&self) -> $crate::error::identity::Category {
                self.identity().category
            }

            /// Whether the same call may succeed if made again later, unchanged.
            pub fn retryable(&self) -> bool {
                self.identity().retryable
            }

            /// What the user should do next, in English.
            pub fn hint(&self) -> &'static str {
                self.identity().hint.en
            }

            /// What the user should do next, in Vietnamese.
            pub fn hint_vi(&self) -> &'static str {
                self.identity().hint.vi
            }
        }
    };
}
pub(crate) use identity_accessors;

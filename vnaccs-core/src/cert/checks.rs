//! The checks that decide whether a certificate can be registered with Customs, each with its own
//! typed outcome, at a given instant.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cert::identity::TaxCodeFinding;
use crate::cert::view::Certificate;
use crate::ids::TaxCode;

/// Whether the certificate's tax code is the enterprise's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TaxCodeMatch {
    /// Exactly the same code.
    Exact,
    /// The same 10-digit enterprise code, one side a branch (accepted only when asked).
    SameEnterprise {
        /// The certificate's code.
        found: TaxCode,
    },
    /// Another enterprise's code.
    Mismatch {
        /// The certificate's code.
        found: TaxCode,
    },
    /// The certificate's MST value is not a valid tax code.
    Invalid {
        /// The value as written.
        raw: String,
    },
    /// The certificate has no tax code.
    Missing,
}

impl TaxCodeMatch {
    /// Whether the certificate may be registered for the enterprise.
    pub fn is_match(&self) -> bool {
        matches!(self, Self::Exact | Self::SameEnterprise { .. })
    }
}

/// Where an instant falls in the certificate's validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Validity {
    /// Valid, with whole days left until notAfter.
    Valid {
        /// Whole days until notAfter.
        days_left: i64,
    },
    /// Not valid yet.
    NotYetValid {
        /// When it starts.
        starts: DateTime<Utc>,
    },
    /// Expired.
    Expired {
        /// When it ended.
        ended: DateTime<Utc>,
    },
}

/// Whether the key may sign: digitalSignature or nonRepudiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SigningUsage {
    /// The key usage allows signing.
    Allowed,
    /// The certificate has no key usage extension, so any use is allowed (RFC 5280).
    Unrestricted,
    /// The key usage does not include signing.
    NotAllowed,
}

impl SigningUsage {
    /// Whether signing is allowed.
    pub fn allows_signing(self) -> bool {
        !matches!(self, Self::NotAllowed)
    }
}

impl Certificate {
    /// Compares the certificate's tax code with the enterprise's. With `accept_branch`, a code
    /// equal on the 10-digit base (a branch and its parent) also matches.
    pub fn check_tax_code(&self, enterprise: &TaxCode, accept_branch: bool) -> TaxCodeMatch {
        match self.tax_code_finding() {
            TaxCodeFinding::Found { code, .. } if code == enterprise => TaxCodeMatch::Exact,
            TaxCodeFinding::Found { code, .. }
                if accept_branch && code.same_enterprise(enterprise) =>
            {
                TaxCodeMatch::SameEnterprise {
                    found: code.clone(),
                }
            }
            TaxCodeFinding::Found { code, .. } => TaxCodeMatch::Mismatch {
                found: code.clone(),
            },
            TaxCodeFinding::Invalid { raw, .. } => TaxCodeMatch::Invalid { raw: raw.clone() },
            TaxCodeFinding::Absent => TaxCodeMatch::Missing,
        }
    }

    /// Where `at` falls in the validity period (bounds inclusive, as RFC 5280 has it).
    pub fn validity_at(&self, at: DateTime<Utc>) -> Validity {
        if at < self.not_before() {
            Validity::NotYetValid {
                starts: self.not_before(),
            }
        } else if at > self.not_after() {
            Validity::Expired {
                ended: self.not_after(),
            }
        } else {
            Validity::Valid {
                days_left: (self.not_after() - at).num_days(),
            }
        }
    }

    /// Whether the key usage allows signing.
    pub fn signing_usage(&self) -> SigningUsage {
        match self.key_usage() {
            None => SigningUsage::Unrestricted,
            Some(ku) if ku.digital_signature || ku.non_repudiation => SigningUsage::Allowed,
            Some(_) => SigningUsage::NotAllowed,
        }
    }
}

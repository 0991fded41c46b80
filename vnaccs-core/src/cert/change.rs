//! What changed between the registered (old) certificate and the new one (docs/domain.md §1).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cert::checks::Validity;
use crate::cert::family::CaFamily;
use crate::cert::name::AttributeKind;
use crate::cert::view::Certificate;

/// An old certificate with more days left than this, replaced by one of the same holder and CA, was
/// reissued (lost or broken token) rather than renewed.
pub const REISSUE_MIN_DAYS_LEFT: i64 = 60;

/// The holder attributes compared for "holder details changed" (name and address).
const HOLDER_DETAILS: [AttributeKind; 7] = [
    AttributeKind::CommonName,
    AttributeKind::Organization,
    AttributeKind::OrganizationalUnit,
    AttributeKind::Locality,
    AttributeKind::State,
    AttributeKind::Street,
    AttributeKind::Email,
];

/// Why the certificate changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Both are the same certificate: nothing to update.
    Same,
    /// Renewal (gia hạn): same holder and CA, new serial and validity.
    Renewal,
    /// Reissue: same holder and CA while the old one was still far from expiry.
    Reissue,
    /// The holder's name or address changed, so a new certificate was issued.
    HolderDetailsChanged,
    /// The enterprise moved to another CA.
    ProviderSwitch,
    /// The certificates belong to different holders: not an update of the same enterprise.
    OtherHolder,
}

/// The classification of a certificate change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CertificateChange {
    /// The main reason, in the order: other holder, provider switch, holder details, reissue,
    /// renewal.
    pub kind: ChangeKind,
    /// The holder attributes whose values differ.
    pub changed_fields: Vec<AttributeKind>,
    /// The old certificate's CA family.
    pub old_ca: Option<CaFamily>,
    /// The new certificate's CA family.
    pub new_ca: Option<CaFamily>,
}

/// Classifies the change from `old` to `new`, judged at `at`.
pub fn classify_change(
    old: &Certificate,
    new: &Certificate,
    at: DateTime<Utc>,
) -> CertificateChange {
    let changed_fields: Vec<AttributeKind> = HOLDER_DETAILS
        .into_iter()
        .filter(|k| !old.subject().all(k).eq(new.subject().all(k)))
        .collect();
    let (old_ca, new_ca) = (old.ca_family(), new.ca_family());
    let same_holder = match (old.tax_code(), new.tax_code()) {
        (Some(a), Some(b)) => a == b,
        (None, None) => !old.identities().is_empty() && old.identities() == new.identities(),
        _ => false,
    };
    let same_provider = match (old_ca, new_ca) {
        (Some(a), Some(b)) => a == b,
        _ => old.issuer() == new.issuer(),
    };
    let far_from_expiry = matches!(old.validity_at(at), Validity::Valid { days_left } if days_left > REISSUE_MIN_DAYS_LEFT);
    let kind = if old == new {
        ChangeKind::Same
    } else if !same_holder {
        ChangeKind::OtherHolder
    } else if !same_provider {
        ChangeKind::ProviderSwitch
    } else if !changed_fields.is_empty() {
        ChangeKind::HolderDetailsChanged
    } else if far_from_expiry {
        ChangeKind::Reissue
    } else {
        ChangeKind::Renewal
    };
    CertificateChange {
        kind,
        changed_fields,
        old_ca,
        new_ca,
    }
}

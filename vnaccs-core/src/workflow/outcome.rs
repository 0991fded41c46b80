//! What an update did: registered, moved, sent, skipped, and when the new certificate works.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::inputs::DeclarantSelector;
use super::step::Step;
use crate::ids::{CertificateSerial, PersonalId, TaxCode, UserId};
use crate::records::{CertificateRegistration, RegistrationRecord};

/// A declarant user step C points at the new certificate, and where that stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct DeclarantMove {
    /// The User code, once Customs issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_code: Option<UserId>,
    /// Họ tên.
    pub full_name: String,
    /// Số CMND/CCCD/Hộ chiếu.
    pub id_number: PersonalId,
    /// The serial the user was on before.
    pub from_serial: CertificateSerial,
    /// Whether the user is on the new certificate now.
    pub moved: bool,
}

/// Something the update left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "skipped", rename_all = "snake_case")]
pub enum Skipped {
    /// The step had been completed before (by the run the state comes from).
    StepAlreadyDone {
        /// The step.
        step: Step,
    },
    /// A declarant user the caller chose is not on OE2102's list.
    DeclarantNotListed {
        /// The user as chosen.
        user: DeclarantSelector,
    },
    /// A declarant user the caller chose was already on the new certificate.
    DeclarantAlreadyOnNewCertificate {
        /// The user's code, when issued.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_code: Option<UserId>,
        /// The user's name.
        full_name: String,
    },
    /// OE4001 showed the registration record already sent (by an earlier, interrupted run):
    /// it was not sent again.
    RecordAlreadySent {
        /// The record's number.
        number: String,
    },
}

/// The outcome of [`CertificateUpdate::run`](super::CertificateUpdate::run) and
/// [`resume`](super::CertificateUpdate::resume).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct UpdateOutcome {
    /// The enterprise's tax code.
    pub tax_code: TaxCode,
    /// The certificate registration made at step A.
    pub registration: CertificateRegistration,
    /// The serial of the certificate registered until now, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_serial: Option<CertificateSerial>,
    /// The declarant users on the new certificate now.
    pub declarants_moved: Vec<DeclarantMove>,
    /// The registration record sent at step D: number, kind, status, sent time, office.
    pub record: RegistrationRecord,
    /// When the portal recorded it sent (the portal's clock).
    pub sent_at: DateTime<Utc>,
    /// When the new certificate can be used: 00:00 Asia/Ho_Chi_Minh after the day it was sent.
    pub usable_from: DateTime<Utc>,
    /// What was left out, and why.
    pub skipped: Vec<Skipped>,
    /// How many HTTP requests this run made.
    pub requests: u64,
}

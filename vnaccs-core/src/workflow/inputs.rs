//! What the caller gives the update: the enterprise, its admin account, the send form, and
//! which declarant users to move.

use chrono::NaiveDate;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::ids::InputError;
use crate::ids::{CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, UserId};
use crate::records::SendForm;
use crate::timing::HolidayCalendar;
use crate::{Error, Result};

/// The inputs of a certificate update. The admin password is a [`SecretString`]: `Debug` masks it,
/// and it is never serialised, logged, written to the state file or put in an error.
#[derive(Debug, Clone)]
pub struct UpdateInputs {
    /// The enterprise's tax code (Mã số thuế), a branch code included.
    pub tax_code: TaxCode,
    /// The legal representative's ID number (Số CMT) as registered with Customs.
    pub representative_id: PersonalId,
    /// The VNACCS admin account's email.
    pub admin_email: Email,
    /// The VNACCS admin account's password.
    pub admin_password: SecretString,
    /// Tên người gửi, for the send form of step D.
    pub sender_name: String,
    /// The sender's email, for the send form of step D.
    pub sender_email: Email,
    /// The customs office to send the registration to (Mã cục HQ).
    pub office: CustomsOfficeCode,
    /// The serial of the certificate registered until now, when known. Without it, the old
    /// certificate is looked for on the key source.
    pub old_serial: Option<CertificateSerial>,
    /// The declarant users to point at the new certificate; `None`: every user on the old
    /// serial (the plan is refused when the old serial is unknown).
    pub declarants: Option<Vec<DeclarantSelector>>,
    /// The date of the enterprise's next customs clearance, when known (for the warning of
    /// docs/domain.md §5).
    pub next_clearance: Option<NaiveDate>,
    /// Accept a certificate whose tax code is the same enterprise's on its 10-digit base (a branch
    /// registering with the parent's certificate, or the reverse).
    pub accept_branch: bool,
    /// The public holidays the working-day warning counts (default: Vietnam's, 2024–2030).
    pub holidays: HolidayCalendar,
}

impl UpdateInputs {
    /// Starts the inputs of the update of `tax_code`'s enterprise, whose legal representative
    /// has the ID number `representative_id`. The admin account, the sender and the customs
    /// office are required ([`UpdateInputsBuilder::build`] says which is missing); each email is
    /// given beside what it belongs to, so two cannot be swapped silently.
    pub fn builder(tax_code: TaxCode, representative_id: PersonalId) -> UpdateInputsBuilder {
        UpdateInputsBuilder {
            tax_code,
            representative_id,
            admin: None,
            sender: None,
            office: None,
            old_serial: None,
            declarants: None,
            next_clearance: None,
            accept_branch: false,
            holidays: HolidayCalendar::vietnam(),
        }
    }

    /// The send form of step D.
    pub fn send_form(&self) -> SendForm {
        SendForm {
            sender_name: self.sender_name.trim().to_owned(),
            sender_email: self.sender_email.clone(),
            office: self.office.clone(),
        }
    }
}

/// Builds [`UpdateInputs`] from named parts: see [`UpdateInputs::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct UpdateInputsBuilder {
    tax_code: TaxCode,
    representative_id: PersonalId,
    admin: Option<(Email, SecretString)>,
    sender: Option<(String, Email)>,
    office: Option<CustomsOfficeCode>,
    old_serial: Option<CertificateSerial>,
    declarants: Option<Vec<DeclarantSelector>>,
    next_clearance: Option<NaiveDate>,
    accept_branch: bool,
    holidays: HolidayCalendar,
}

impl UpdateInputsBuilder {
    /// The VNACCS admin account: its email and its password.
    pub fn admin_account(mut self, email: Email, password: SecretString) -> Self {
        self.admin = Some((email, password));
        self
    }

    /// The sender of step D's send form: Tên người gửi and their email.
    pub fn sender(mut self, name: impl Into<String>, email: Email) -> Self {
        self.sender = Some((name.into(), email));
        self
    }

    /// The customs office to send the registration to (Mã cục HQ).
    pub fn office(mut self, office: CustomsOfficeCode) -> Self {
        self.office = Some(office);
        self
    }

    /// The serial of the certificate registered until now (default: looked for on the key
    /// source).
    pub fn old_serial(mut self, serial: Option<CertificateSerial>) -> Self {
        self.old_serial = serial;
        self
    }

    /// The declarant users to move (default, `None`: every user on the old serial).
    pub fn declarants(mut self, declarants: Option<Vec<DeclarantSelector>>) -> Self {
        self.declarants = declarants;
        self
    }

    /// The date of the next customs clearance, when known.
    pub fn next_clearance(mut self, date: Option<NaiveDate>) -> Self {
        self.next_clearance = date;
        self
    }

    /// Whether to accept a certificate of the same enterprise on the 10-digit base (default:
    /// no).
    pub fn accept_branch(mut self, accept: bool) -> Self {
        self.accept_branch = accept;
        self
    }

    /// The public holidays the working-day warning counts (default: Vietnam's).
    pub fn holidays(mut self, holidays: HolidayCalendar) -> Self {
        self.holidays = holidays;
        self
    }

    /// The inputs; [`InvalidRequest`](crate::ids::InputError::InvalidRequest) naming the first required part not given.
    pub fn build(self) -> Result<UpdateInputs> {
        let missing = |what: &str| {
            Error::Input(InputError::InvalidRequest {
                reason: format!("the {what} is missing"),
            })
        };
        let (admin_email, admin_password) = self.admin.ok_or_else(|| missing("admin account"))?;
        let (sender_name, sender_email) = self.sender.ok_or_else(|| missing("sender"))?;
        let office = self.office.ok_or_else(|| missing("customs office"))?;
        Ok(UpdateInputs {
            tax_code: self.tax_code,
            representative_id: self.representative_id,
            admin_email,
            admin_password,
            sender_name,
            sender_email,
            office,
            old_serial: self.old_serial,
            declarants: self.declarants,
            next_clearance: self.next_clearance,
            accept_branch: self.accept_branch,
            holidays: self.holidays,
        })
    }
}

/// A declarant user chosen by the caller: by User code, or by ID number (for a user Customs has
/// not issued a code to yet).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum DeclarantSelector {
    /// The user's User code, e.g. `V2060001`.
    UserCode(UserId),
    /// The user's ID number (Số CMND/CCCD/Hộ chiếu).
    IdNumber(PersonalId),
}

impl DeclarantSelector {
    /// Whether a declarant with this User code (if any) and ID number (as the portal shows it)
    /// is the one chosen.
    pub fn matches(&self, user_code: Option<&UserId>, id_number: &str) -> bool {
        match self {
            Self::UserCode(code) => user_code == Some(code),
            Self::IdNumber(id) => PersonalId::parse(id_number).is_ok_and(|shown| shown == *id),
        }
    }
}

impl std::fmt::Display for DeclarantSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UserCode(code) => write!(f, "User code {code}"),
            Self::IdNumber(id) => write!(f, "ID number {id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_masked_and_selectors_match() {
        let inputs = UpdateInputs::builder(
            "0302345459".parse().unwrap(),
            "001085012345".parse().unwrap(),
        )
        .admin_account(
            "admin@congty.vn".parse().unwrap(),
            SecretString::from("Bi-mat-123"),
        )
        .sender(" Trần Thị Bình ", "binh@congty.vn".parse().unwrap())
        .office("02CI".parse().unwrap())
        .build()
        .unwrap();
        assert_eq!(inputs.admin_email.as_str(), "admin@congty.vn");
        assert_eq!(inputs.sender_email.as_str(), "binh@congty.vn");
        assert!(!format!("{inputs:?}").contains("Bi-mat-123"));
        assert_eq!(inputs.send_form().sender_name, "Trần Thị Bình");

        let code: UserId = "V2060001".parse().unwrap();
        let id: PersonalId = "079203001234".parse().unwrap();
        let by_code = DeclarantSelector::UserCode(code.clone());
        let by_id = DeclarantSelector::IdNumber(id.clone());
        assert!(by_code.matches(Some(&code), "012345678"));
        assert!(!by_code.matches(None, "079203001234"));
        assert!(by_id.matches(None, " 079203001234 "));
        assert!(!by_id.matches(Some(&code), "012345678"));
        assert!(!by_id.matches(None, "không rõ"));
        let json = serde_json::to_string(&by_code).unwrap();
        assert_eq!(json, r#"{"by":"user_code","value":"V2060001"}"#);
        assert_eq!(
            serde_json::from_str::<DeclarantSelector>(&json).unwrap(),
            by_code
        );
    }

    #[test]
    fn a_missing_required_part_is_named() {
        let start = || {
            UpdateInputs::builder(
                "0302345459".parse().unwrap(),
                "001085012345".parse().unwrap(),
            )
        };
        let admin = |b: UpdateInputsBuilder| {
            b.admin_account("a@congty.vn".parse().unwrap(), SecretString::from("x"))
        };
        let sender = |b: UpdateInputsBuilder| b.sender("Bình", "b@congty.vn".parse().unwrap());
        let office = |b: UpdateInputsBuilder| b.office("02CI".parse().unwrap());
        let err = |b: UpdateInputsBuilder| b.build().unwrap_err().to_string();
        assert!(err(sender(office(start()))).contains("admin account"));
        assert!(err(admin(office(start()))).contains("sender"));
        assert!(err(admin(sender(start()))).contains("customs office"));
        assert!(admin(sender(office(start()))).build().is_ok());
    }
}

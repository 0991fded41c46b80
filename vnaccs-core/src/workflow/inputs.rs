//! What the caller gives the update: the enterprise, its admin account, the send form, and
//! which declarant users to move.

use chrono::NaiveDate;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::ids::{CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, UserId};
use crate::records::SendForm;
use crate::timing::HolidayCalendar;

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
    /// Inputs with the required values; no old serial, default declarants, no clearance date,
    /// exact tax code match.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        tax_code: TaxCode,
        representative_id: PersonalId,
        admin_email: Email,
        admin_password: SecretString,
        sender_name: impl Into<String>,
        sender_email: Email,
        office: CustomsOfficeCode,
    ) -> Self {
        UpdateInputs {
            tax_code,
            representative_id,
            admin_email,
            admin_password,
            sender_name: sender_name.into(),
            sender_email,
            office,
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

/// A declarant user chosen by the caller: by User code, or by ID number (for a user Customs has
/// not issued a code to yet).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
        let inputs = UpdateInputs::new(
            "0302345459".parse().unwrap(),
            "001085012345".parse().unwrap(),
            "admin@congty.vn".parse().unwrap(),
            SecretString::from("Bi-mat-123"),
            " Trần Thị Bình ",
            "binh@congty.vn".parse().unwrap(),
            "02CI".parse().unwrap(),
        );
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
}

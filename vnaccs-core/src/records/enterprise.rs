//! The enterprise, its legal representative and its VNACCS admin account.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::ids::{Email, PersonalId, TaxCode};

/// An enterprise that declares to Customs (Doanh nghiệp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    /// Mã số thuế / Mã doanh nghiệp.
    pub tax_code: TaxCode,
    /// Tên doanh nghiệp.
    pub name: String,
    /// Địa chỉ.
    pub address: String,
}

/// The enterprise's legal representative (Người đại diện theo pháp luật).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalRepresentative {
    /// Số CMT / số ID: CMND, CCCD or passport number.
    pub id_number: PersonalId,
    /// Họ tên, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
}

/// The VNACCS admin account (Tài khoản quản trị): logs in with the tax code, manages users, cannot
/// itself declare.
///
/// The password is a secret: it is accepted on deserialisation (a caller's input) but never
/// serialised and never shown by `Debug`; it is zeroized on drop.
#[derive(Clone, Serialize, Deserialize)]
pub struct AdminAccount {
    /// The login name: the enterprise's tax code.
    pub tax_code: TaxCode,
    /// The account's email.
    pub email: Email,
    /// The login password, when the caller has given it.
    #[serde(default, skip_serializing)]
    pub password: Option<SecretString>,
}

impl AdminAccount {
    /// Whether both accounts have the same tax code, email and password.
    pub fn same_as(&self, other: &AdminAccount) -> bool {
        let password = |a: &AdminAccount| a.password.as_ref().map(|p| p.expose_secret().to_owned());
        self.tax_code == other.tax_code
            && self.email == other.email
            && password(self) == password(other)
    }
}

impl fmt::Debug for AdminAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminAccount")
            .field("tax_code", &self.tax_code)
            .field("email", &self.email)
            .field("password", &self.password.as_ref().map(|_| "********"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_round_trip() {
        let e = Enterprise {
            tax_code: "0302345459".parse().unwrap(),
            name: "Công ty TNHH Thương mại Sài Gòn".into(),
            address: "12 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh".into(),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("Sài Gòn"));
        assert_eq!(serde_json::from_str::<Enterprise>(&json).unwrap(), e);
        let bad = json.replace("0302345459", "0302345458");
        assert!(serde_json::from_str::<Enterprise>(&bad).is_err());
    }

    #[test]
    fn representative_round_trip() {
        for r in [
            LegalRepresentative {
                id_number: "001085012345".parse().unwrap(),
                full_name: Some("Nguyễn Văn An".into()),
            },
            LegalRepresentative {
                id_number: "B1234567".parse().unwrap(),
                full_name: None,
            },
        ] {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(
                serde_json::from_str::<LegalRepresentative>(&json).unwrap(),
                r
            );
        }
    }

    #[test]
    fn admin_password_is_never_serialised_or_shown() {
        let input =
            r#"{"tax_code":"0100112437","email":"admin@congty.vn","password":"Mat-khau#2026"}"#;
        let account: AdminAccount = serde_json::from_str(input).unwrap();
        assert_eq!(
            account.password.as_ref().unwrap().expose_secret(),
            "Mat-khau#2026"
        );
        let json = serde_json::to_string(&account).unwrap();
        assert!(!json.contains("Mat-khau"), "{json}");
        assert!(!json.contains("password"), "{json}");
        assert!(!format!("{account:?}").contains("Mat-khau"));
        assert!(format!("{account:?}").contains("********"));
        // The round trip keeps everything but the secret.
        let back: AdminAccount = serde_json::from_str(&json).unwrap();
        assert!(back.password.is_none());
        assert!(back.same_as(&AdminAccount {
            password: None,
            ..account.clone()
        }));
        assert!(!back.same_as(&account));
    }
}

//! Identifiers by kind name: one entry point for the bindings, which receive the kind as a string.

use serde::{Deserialize, Serialize};

use super::{
    CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, TerminalAccessKey,
    TerminalId, UserId,
};
use crate::Result;

/// The kinds of identifier, by their snake_case names (`"tax_code"`, `"user_id"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Mã số thuế: [`TaxCode`].
    TaxCode,
    /// A VNACCS User ID: [`UserId`].
    UserId,
    /// A Terminal ID: [`TerminalId`].
    TerminalId,
    /// A Terminal Access Key: [`TerminalAccessKey`].
    AccessKey,
    /// Mã cục/chi cục Hải quan: [`CustomsOfficeCode`].
    OfficeCode,
    /// An email address: [`Email`].
    Email,
    /// Số CMND/CCCD: [`PersonalId`].
    PersonalId,
    /// A certificate serial number: [`CertificateSerial`].
    Serial,
}

impl IdentifierKind {
    /// The kind named `name` (`"tax_code"`, `"user_id"`, `"terminal_id"`, `"access_key"`,
    /// `"office_code"`, `"email"`, `"personal_id"`, `"serial"`), or `None`.
    pub fn from_name(name: &str) -> Option<IdentifierKind> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }

    /// Validates `value` as an identifier of this kind and returns its canonical form, which
    /// validates to the same identifier (a personal ID's is tagged with its kind when the bare
    /// number would read as another kind: see [`PersonalId::canonical`]).
    pub fn normalize(self, value: &str) -> Result<String> {
        Ok(match self {
            IdentifierKind::TaxCode => TaxCode::parse(value)?.to_string(),
            IdentifierKind::UserId => UserId::parse(value)?.to_string(),
            IdentifierKind::TerminalId => TerminalId::parse(value)?.to_string(),
            IdentifierKind::AccessKey => TerminalAccessKey::parse(value)?.to_string(),
            IdentifierKind::OfficeCode => CustomsOfficeCode::parse(value)?.to_string(),
            IdentifierKind::Email => Email::parse(value)?.to_string(),
            IdentifierKind::PersonalId => PersonalId::parse(value)?.canonical(),
            IdentifierKind::Serial => CertificateSerial::parse(value)?.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_by_name_validates_as_its_type() {
        let cases = [
            ("tax_code", " 0302345459 ", "0302345459"),
            ("user_id", "V2060001 ", "V2060001"),
            ("office_code", "01B1", "01B1"),
            ("email", "admin@saigontrade.vn", "admin@saigontrade.vn"),
            ("personal_id", "001085012345", "001085012345"),
        ];
        for (name, value, canonical) in cases {
            let kind = IdentifierKind::from_name(name).unwrap();
            assert_eq!(kind.normalize(value).unwrap(), canonical, "{name}");
        }
        assert!(IdentifierKind::TaxCode.normalize("0302345458").is_err());
        assert_eq!(IdentifierKind::from_name("TaxCode"), None);
    }
}

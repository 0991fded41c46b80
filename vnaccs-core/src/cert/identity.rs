//! Who a certificate belongs to: the `PREFIX:value` identities of its UID attributes and the tax
//! codes written in its O, OU or CN text, and the enterprise tax code.

use serde::Serialize;

use crate::cert::name::{AttributeKind, Name};
use crate::ids::InputError;
use crate::ids::TaxCode;

/// The kind of an identity found in a UID attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    /// `MST:` an enterprise tax code.
    Mst,
    /// `CMND:` a 9- or 12-digit people's ID card.
    Cmnd,
    /// `CCCD:` a 12-digit citizen ID card.
    Cccd,
    /// `HC:` a passport.
    Hc,
    /// `MNS:` a budget-relations unit code (Mã ngân sách).
    Mns,
    /// Any other prefix, kept as written (empty when the value has none).
    Other(String),
}

impl IdentityKind {
    fn from_prefix(prefix: &str) -> Self {
        match prefix.to_ascii_uppercase().as_str() {
            "MST" => Self::Mst,
            "CMND" => Self::Cmnd,
            "CCCD" => Self::Cccd,
            "HC" => Self::Hc,
            "MNS" => Self::Mns,
            _ => Self::Other(prefix.to_owned()),
        }
    }

    /// The prefix as certificates write it: `MST`, `CMND`, `CCCD`, `HC`, `MNS`, or the other one.
    pub fn prefix(&self) -> &str {
        match self {
            Self::Mst => "MST",
            Self::Cmnd => "CMND",
            Self::Cccd => "CCCD",
            Self::Hc => "HC",
            Self::Mns => "MNS",
            Self::Other(p) => p,
        }
    }
}

crate::schema::string_schema!(IdentityKind);

impl Serialize for IdentityKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.prefix())
    }
}

/// One `PREFIX:value` identity: from a UID attribute, or a tax code written in O, OU or CN text
/// (`… (MST: 0101234567)`); the value is kept raw, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Identity {
    /// The prefix's kind.
    pub kind: IdentityKind,
    /// The value after the prefix, trimmed.
    pub value: String,
    /// Where it was found.
    pub source: TaxCodeSource,
}

/// Every identity of the subject: its UID attributes in certificate order, then each tax code
/// written in O, OU or CN text (in that order) that no UID already gives.
pub(crate) fn identities(subject: &Name) -> Vec<Identity> {
    let mut found: Vec<Identity> = subject
        .all(&AttributeKind::Uid)
        .map(|uid| match uid.split_once(':') {
            Some((prefix, value)) => Identity {
                kind: IdentityKind::from_prefix(prefix.trim()),
                value: value.trim().to_owned(),
                source: TaxCodeSource::Uid,
            },
            None => Identity {
                kind: IdentityKind::Other(String::new()),
                value: uid.trim().to_owned(),
                source: TaxCodeSource::Uid,
            },
        })
        .collect();
    let texts = [
        (AttributeKind::Organization, TaxCodeSource::Organization),
        (
            AttributeKind::OrganizationalUnit,
            TaxCodeSource::OrganizationalUnit,
        ),
        (AttributeKind::CommonName, TaxCodeSource::CommonName),
    ];
    for (kind, source) in texts {
        for value in subject.all(&kind).filter_map(mst_in_text) {
            let known = found
                .iter()
                .any(|i| i.kind == IdentityKind::Mst && i.value == value);
            if !known {
                found.push(Identity {
                    kind: IdentityKind::Mst,
                    value,
                    source,
                });
            }
        }
    }
    found
}

/// Where a certificate's tax code (or another identity) was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxCodeSource {
    /// A `UID=MST:…` attribute.
    Uid,
    /// Text in O.
    Organization,
    /// Text in OU.
    OrganizationalUnit,
    /// Text in CN.
    CommonName,
}

/// What a certificate says about the holder's tax code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxCodeFinding {
    /// A valid tax code.
    Found {
        /// The code.
        code: TaxCode,
        /// Where it was found.
        source: TaxCodeSource,
    },
    /// An MST value is there but is not a valid tax code: reported, never fixed.
    Invalid {
        /// The value as written.
        raw: String,
        /// Why it is invalid.
        error: InputError,
    },
    /// No tax code at all (a personal certificate, for example).
    Absent,
}

/// The tax code of a certificate: the first `UID=MST:` value that is a valid tax code, else one
/// written in O, OU or CN text (`MST:0100231226`, `… (MST: 0101234567)`), else the first invalid
/// MST value met, else absent. `identities` lists the UID ones first, as [`identities`] does.
pub(crate) fn find_tax_code(identities: &[Identity]) -> TaxCodeFinding {
    let mut first_invalid = None;
    let mut consider = |raw: &str, source| match TaxCode::parse(raw) {
        Ok(code) => Some(TaxCodeFinding::Found { code, source }),
        Err(error) => {
            first_invalid.get_or_insert(TaxCodeFinding::Invalid {
                raw: raw.to_owned(),
                error,
            });
            None
        }
    };
    identities
        .iter()
        .filter(|i| i.kind == IdentityKind::Mst)
        .find_map(|i| consider(&i.value, i.source))
        .or(first_invalid)
        .unwrap_or(TaxCodeFinding::Absent)
}

/// The code written after `MST` in free text: `MST:0100231226`, `(MST: 0101234567)`,
/// `MST 0106869738-012`.
fn mst_in_text(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let start = upper.find("MST")? + 3;
    let rest = text[start..].trim_start_matches([' ', ':', '.', '=']);
    let code: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let code = code.trim_end_matches('-');
    (!code.is_empty()).then(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mst_in_free_text() {
        assert_eq!(mst_in_text("MST:0100231226").as_deref(), Some("0100231226"));
        assert_eq!(
            mst_in_text("CÔNG TY ABC (MST: 0101234567)").as_deref(),
            Some("0101234567")
        );
        assert_eq!(
            mst_in_text("mst 0106869738-012 chi nhánh").as_deref(),
            Some("0106869738-012")
        );
        assert_eq!(mst_in_text("Công ty ABC"), None);
        assert_eq!(mst_in_text("MST: chưa có"), None);
    }

    #[test]
    fn prefixes() {
        assert_eq!(IdentityKind::from_prefix("mst"), IdentityKind::Mst);
        assert_eq!(IdentityKind::from_prefix("CCCD"), IdentityKind::Cccd);
        assert_eq!(IdentityKind::from_prefix("MNS"), IdentityKind::Mns);
        assert_eq!(
            IdentityKind::from_prefix("BHXH"),
            IdentityKind::Other("BHXH".into())
        );
        assert_eq!(IdentityKind::Other("BHXH".into()).prefix(), "BHXH");
    }
}

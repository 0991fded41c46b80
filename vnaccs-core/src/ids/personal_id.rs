//! Personal ID numbers: CMND, CCCD and passport.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::identity::{Phrase, shown};
use crate::ids::check_chars;
use crate::ids::{InputError, Problem};

/// The kind of a personal ID number, with the prefix certificates use in their UID attribute.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    schemars::JsonSchema,
    Deserialize,
)]
pub enum PersonalIdKind {
    /// Chứng minh nhân dân: 9 digits, or 12 in the last series.
    #[serde(rename = "CMND")]
    Cmnd,
    /// Căn cước công dân: 12 digits (also a personal tax code).
    #[serde(rename = "CCCD")]
    Cccd,
    /// Hộ chiếu (passport): letters and digits.
    #[serde(rename = "HC")]
    Passport,
}

impl PersonalIdKind {
    /// The prefix used in certificates and in the tagged form: `CMND`, `CCCD` or `HC`.
    pub fn prefix(self) -> &'static str {
        match self {
            PersonalIdKind::Cmnd => "CMND",
            PersonalIdKind::Cccd => "CCCD",
            PersonalIdKind::Passport => "HC",
        }
    }

    fn from_prefix(prefix: &str) -> Option<Self> {
        [Self::Cmnd, Self::Cccd, Self::Passport]
            .into_iter()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))
    }
}

/// A legal representative's or declarant's ID number (Số CMT / số ID).
///
/// Input is either the bare number — 9 digits are a CMND, 12 digits a CCCD, a mix of upper-case
/// letters and digits a passport — or the tagged form certificates use, `CMND:…`, `CCCD:…`, `HC:…`,
/// which is needed for a 12-digit CMND. `Display` shows the bare number; serde uses the tagged form,
/// so the kind survives a round trip.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonalId {
    kind: PersonalIdKind,
    number: String,
}

impl PersonalId {
    /// Parses a bare or tagged ID number.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let s = input.trim();
        let (kind, number) = match s.split_once(':') {
            Some((prefix, number)) => match PersonalIdKind::from_prefix(prefix.trim()) {
                Some(kind) => (Some(kind), number.trim()),
                None => (None, s),
            },
            None => (None, s),
        };
        Self::validate(kind, number)
            .map(|kind| PersonalId {
                kind,
                number: number.to_owned(),
            })
            .map_err(|problem| InputError::InvalidPersonalId {
                value: shown(input),
                problem,
            })
    }

    /// Validates `number`, given its kind or inferring it.
    fn validate(kind: Option<PersonalIdKind>, number: &str) -> Result<PersonalIdKind, Problem> {
        if number.is_empty() {
            return Err(Problem::Empty);
        }
        let all_digits = number.bytes().all(|b| b.is_ascii_digit());
        let kind = match kind {
            Some(kind) => kind,
            None if all_digits && number.len() == 12 => PersonalIdKind::Cccd,
            None if all_digits => PersonalIdKind::Cmnd,
            None => PersonalIdKind::Passport,
        };
        match kind {
            PersonalIdKind::Cmnd => {
                check_chars(number, |c| c.is_ascii_digit(), Phrase::same("0-9"))?;
                if number.len() != 9 && number.len() != 12 {
                    return Err(Problem::Length {
                        expected: Phrase {
                            en: "9 or 12 (CMND), 12 (CCCD)",
                            vi: "9 hoặc 12 (CMND), 12 (CCCD)",
                        },
                        found: number.len(),
                    });
                }
            }
            PersonalIdKind::Cccd => {
                check_chars(number, |c| c.is_ascii_digit(), Phrase::same("0-9"))?;
                if number.len() != 12 {
                    return Err(Problem::Length {
                        expected: Phrase::same("12"),
                        found: number.len(),
                    });
                }
                if !matches!(number[..3].parse::<u16>(), Ok(1..=96)) {
                    return Err(Problem::Shape {
                        en: "a province code 001 to 096 in the first three digits",
                        vi: "mã tỉnh 001 đến 096 ở ba chữ số đầu",
                    });
                }
            }
            PersonalIdKind::Passport => {
                check_chars(
                    number,
                    |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
                    Phrase::same("A-Z, 0-9"),
                )?;
                if !(6..=9).contains(&number.len()) {
                    return Err(Problem::Length {
                        expected: Phrase {
                            en: "6 to 9 (passport)",
                            vi: "6 đến 9 (hộ chiếu)",
                        },
                        found: number.len(),
                    });
                }
                if !number.bytes().any(|b| b.is_ascii_uppercase())
                    || !number.bytes().any(|b| b.is_ascii_digit())
                {
                    return Err(Problem::Shape {
                        en: "letters and digits, e.g. B1234567",
                        vi: "chữ và số, ví dụ B1234567",
                    });
                }
            }
        }
        Ok(kind)
    }

    /// The kind of ID.
    pub fn kind(&self) -> PersonalIdKind {
        self.kind
    }

    /// The bare number, as the portal's forms take it.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The tagged form, e.g. `CCCD:001085012345`.
    pub fn tagged(&self) -> String {
        format!("{}:{}", self.kind.prefix(), self.number)
    }

    /// The canonical text, which parses back to this ID: the bare number when it alone reads as
    /// this kind, else the tagged form (a 12-digit CMND, `CMND:123448000000`, whose bare number
    /// would read as a CCCD, or be refused as one).
    pub fn canonical(&self) -> String {
        match Self::validate(None, &self.number) {
            Ok(kind) if kind == self.kind => self.number.clone(),
            _ => self.tagged(),
        }
    }
}

impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.number)
    }
}

impl std::str::FromStr for PersonalId {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, InputError> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for PersonalId {
    type Error = InputError;
    fn try_from(s: &str) -> Result<Self, InputError> {
        Self::parse(s)
    }
}

crate::schema::string_schema!(PersonalId);

impl Serialize for PersonalId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.tagged())
    }
}

impl<'de> Deserialize<'de> for PersonalId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_support::{serde_rejects, serde_round_trip};

    fn kind(s: &str) -> PersonalIdKind {
        PersonalId::parse(s).unwrap().kind()
    }

    #[test]
    fn infers_kind_from_bare_numbers() {
        assert_eq!(kind("012345678"), PersonalIdKind::Cmnd);
        assert_eq!(kind("001085012345"), PersonalIdKind::Cccd);
        assert_eq!(kind("B1234567"), PersonalIdKind::Passport);
        assert_eq!(kind("C12345678"), PersonalIdKind::Passport);
    }

    #[test]
    fn the_canonical_form_reads_back_as_the_same_id() {
        // Found by the `identifier` fuzz target (fuzz/regressions/identifier/).
        for (input, canonical) in [
            ("CMND: 123448000000", "CMND:123448000000"),
            ("CMND:001085012345", "CMND:001085012345"),
            ("CMND:123456789", "123456789"),
            ("CCCD:001085012345", "001085012345"),
            (" 012345678 ", "012345678"),
            ("B1234567", "B1234567"),
        ] {
            let id = PersonalId::parse(input).unwrap();
            assert_eq!(id.canonical(), canonical, "{input}");
            assert_eq!(PersonalId::parse(&id.canonical()).unwrap(), id, "{input}");
        }
    }

    #[test]
    fn tagged_forms_set_the_kind() {
        let cmnd12 = PersonalId::parse("CMND:001085012345").unwrap();
        assert_eq!(cmnd12.kind(), PersonalIdKind::Cmnd);
        assert_eq!(cmnd12.number(), "001085012345");
        assert_eq!(cmnd12.to_string(), "001085012345");
        assert_eq!(kind("cccd: 079203001234"), PersonalIdKind::Cccd);
        assert_eq!(kind("HC:N1234567"), PersonalIdKind::Passport);
    }

    #[test]
    fn rejects_with_reason() {
        let problem = |s: &str| match PersonalId::parse(s).unwrap_err() {
            InputError::InvalidPersonalId { problem, .. } => problem,
            e => panic!("{e:?}"),
        };
        assert_eq!(problem(""), Problem::Empty);
        assert!(matches!(
            problem("12345678"),
            Problem::Length { found: 8, .. }
        ));
        assert!(matches!(
            problem("1234567890"),
            Problem::Length { found: 10, .. }
        ));
        assert!(matches!(
            problem("CCCD:012345678"),
            Problem::Length { found: 9, .. }
        ));
        assert!(matches!(problem("000085012345"), Problem::Shape { .. }));
        assert!(matches!(problem("097085012345"), Problem::Shape { .. }));
        assert!(matches!(
            problem("CMND:01234567A"),
            Problem::Character { found: 'A', .. }
        ));
        assert!(matches!(
            problem("b1234567"),
            Problem::Character {
                found: 'b',
                position: 1,
                ..
            }
        ));
        assert!(matches!(problem("ABCDEFGH"), Problem::Shape { .. }));
        assert!(matches!(problem("B123"), Problem::Length { .. }));
        assert!(matches!(
            problem("XX:123456789"),
            Problem::Character {
                found: ':',
                position: 3,
                ..
            }
        ));
    }

    #[test]
    fn serde_uses_tagged_form() {
        serde_round_trip(&PersonalId::parse("012345678").unwrap(), "CMND:012345678");
        serde_round_trip(
            &PersonalId::parse("CMND:001085012345").unwrap(),
            "CMND:001085012345",
        );
        serde_round_trip(
            &PersonalId::parse("001085012345").unwrap(),
            "CCCD:001085012345",
        );
        serde_round_trip(&PersonalId::parse("B1234567").unwrap(), "HC:B1234567");
        let bare: PersonalId = serde_json::from_str("\"001085012345\"").unwrap();
        assert_eq!(bare.kind(), PersonalIdKind::Cccd);
        serde_rejects::<PersonalId>("12", "invalid personal ID number");
    }
}

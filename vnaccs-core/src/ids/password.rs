//! The VNACCS User ID password.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::error::identity::Phrase;
use crate::ids::check_chars;
use crate::ids::{InputError, Problem};

/// The policy's length: at most 8 characters (docs/domain.md §2).
const EXPECTED_LENGTH: Phrase = Phrase {
    en: "1 to 8",
    vi: "1 đến 8",
};
/// The characters the policy allows ("Theo yêu cầu phía Nhật").
const ALLOWED: Phrase = Phrase::same("A-Z, 0-9");

/// A VNACCS User ID password: 1 to 8 characters, only `A–Z` and `0–9` ("Theo yêu cầu phía Nhật",
/// the NACCS field width).
///
/// The value is zeroized on drop and never shown: `Debug` and `Display` print a mask, errors never
/// include it. It can be deserialised (from a caller's input) but not serialised.
#[derive(Clone)]
pub struct UserIdPassword(SecretString);

impl UserIdPassword {
    /// Validates a password. Surrounding whitespace is not trimmed: it is an error.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        Self::validate(input).map_err(|problem| InputError::InvalidUserIdPassword { problem })?;
        Ok(UserIdPassword(SecretString::from(input)))
    }

    fn validate(s: &str) -> Result<(), Problem> {
        if s.is_empty() {
            return Err(Problem::Empty);
        }
        let chars = s.chars().count();
        if chars > 8 {
            return Err(Problem::Length {
                expected: EXPECTED_LENGTH,
                found: chars,
            });
        }
        // The character is part of the secret: report only where the fault is.
        check_chars(s, |c| c.is_ascii_uppercase() || c.is_ascii_digit(), ALLOWED).map_err(|p| {
            match p {
                Problem::Character {
                    position, allowed, ..
                } => Problem::Character {
                    found: '*',
                    position,
                    allowed,
                },
                other => other,
            }
        })
    }

    /// The password itself, for sending it to the portal. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for UserIdPassword {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.expose().as_bytes(), other.expose().as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for UserIdPassword {}

impl fmt::Debug for UserIdPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UserIdPassword(********)")
    }
}

impl fmt::Display for UserIdPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

impl std::str::FromStr for UserIdPassword {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, InputError> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for UserIdPassword {
    type Error = InputError;
    fn try_from(s: &str) -> Result<Self, InputError> {
        Self::parse(s)
    }
}

impl<'de> serde::Deserialize<'de> for UserIdPassword {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = zeroize::Zeroizing::new(String::deserialize(d)?);
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_policy() {
        for p in ["A", "ABC12345", "12345678", "Z9"] {
            assert_eq!(UserIdPassword::parse(p).unwrap().expose(), p);
        }
    }

    #[test]
    fn rejects_and_never_shows_the_value() {
        for (bad, expected) in [
            ("", Problem::Empty),
            (
                "ABCDEFGH1",
                Problem::Length {
                    expected: EXPECTED_LENGTH,
                    found: 9,
                },
            ),
            (
                "abc",
                Problem::Character {
                    found: '*',
                    position: 1,
                    allowed: ALLOWED,
                },
            ),
            (
                "AB#D",
                Problem::Character {
                    found: '*',
                    position: 3,
                    allowed: ALLOWED,
                },
            ),
            (
                " ABC",
                Problem::Character {
                    found: '*',
                    position: 1,
                    allowed: ALLOWED,
                },
            ),
        ] {
            let err = UserIdPassword::parse(bad).unwrap_err();
            assert_eq!(err, InputError::InvalidUserIdPassword { problem: expected });
            if bad.len() > 8 {
                // Wholly Vietnamese: no "1 to 8" left in the Vietnamese message.
                assert!(err.message_vi().contains("cần 1 đến 8 ký tự"), "{err:?}");
            }
            if !bad.trim().is_empty() {
                assert!(!err.to_string().contains(bad.trim()), "{err}");
                assert!(!err.message_vi().contains(bad.trim()));
            }
        }
    }

    #[test]
    fn masked_in_debug_and_display() {
        let p = UserIdPassword::parse("SECRET1").unwrap();
        assert!(!format!("{p:?}").contains("SECRET1"));
        assert!(!p.to_string().contains("SECRET1"));
        assert_eq!(p, UserIdPassword::parse("SECRET1").unwrap());
        assert_ne!(p, UserIdPassword::parse("SECRET2").unwrap());
    }

    #[test]
    fn deserialises_but_validates() {
        let p: UserIdPassword = serde_json::from_str("\"ABC123\"").unwrap();
        assert_eq!(p.expose(), "ABC123");
        let err = serde_json::from_str::<UserIdPassword>("\"abc\"").unwrap_err();
        assert!(err.to_string().contains("invalid User ID password"));
        assert!(!err.to_string().contains("abc"));
    }
}

//! Validated identifiers: each type can only hold a valid value.
//!
//! Every identifier parses with [`FromStr`](std::str::FromStr) and `TryFrom<&str>`, shows with
//! `Display` in its canonical form, and (de)serialises with serde as a plain string, rejecting
//! invalid strings on deserialisation. Surrounding whitespace (as pasted from a document) is
//! trimmed before validation; whitespace inside a value is an error.

mod codes;
mod email;
mod error;
mod kind;
mod password;
mod personal_id;
mod serial;
mod tax_code;

pub use codes::{CustomsOfficeCode, TerminalAccessKey, TerminalId, UserId};
pub use email::Email;
pub use error::{InputError, Problem};
pub use kind::IdentifierKind;
pub use password::UserIdPassword;
pub use personal_id::{PersonalId, PersonalIdKind};
pub use serial::CertificateSerial;
pub use tax_code::TaxCode;

use crate::error::identity::Phrase;

/// Returns the first character of `s` that `allowed` refuses, as a [`Problem::Character`].
pub(crate) fn check_chars(
    s: &str,
    allowed: impl Fn(char) -> bool,
    description: Phrase,
) -> Result<(), Problem> {
    match s.chars().enumerate().find(|(_, c)| !allowed(*c)) {
        Some((i, found)) => Err(Problem::Character {
            found,
            position: i + 1,
            allowed: description,
        }),
        None => Ok(()),
    }
}

/// Implements parsing, `Display`, `AsRef<str>`, conversions and serde for a newtype over `String`
/// whose type has `fn parse(&str) -> Result<Self, InputError>` and `fn as_str(&self) -> &str`.
macro_rules! string_identifier {
    ($ty:ident) => {
        impl ::std::str::FromStr for $ty {
            type Err = $crate::ids::InputError;
            fn from_str(s: &str) -> ::std::result::Result<Self, $crate::ids::InputError> {
                Self::parse(s)
            }
        }
        impl ::std::convert::TryFrom<&str> for $ty {
            type Error = $crate::ids::InputError;
            fn try_from(s: &str) -> ::std::result::Result<Self, $crate::ids::InputError> {
                Self::parse(s)
            }
        }
        impl ::std::convert::TryFrom<String> for $ty {
            type Error = $crate::ids::InputError;
            fn try_from(s: String) -> ::std::result::Result<Self, $crate::ids::InputError> {
                Self::parse(&s)
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::convert::From<$ty> for String {
            fn from(v: $ty) -> String {
                v.as_str().to_owned()
            }
        }
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).map_err(::serde::de::Error::custom)
            }
        }
        $crate::schema::string_schema!($ty);
    };
}
pub(crate) use string_identifier;

#[cfg(test)]
pub(crate) mod test_support {
    /// Asserts that `T` round-trips through JSON as a plain string equal to `canonical`.
    pub fn serde_round_trip<T>(value: &T, canonical: &str)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).unwrap();
        assert_eq!(json, serde_json::to_string(canonical).unwrap());
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, value);
    }

    /// Asserts that deserialising `raw` as `T` fails with a message containing `code_text`.
    pub fn serde_rejects<T: serde::de::DeserializeOwned + std::fmt::Debug>(raw: &str, text: &str) {
        let err = serde_json::from_str::<T>(&serde_json::to_string(raw).unwrap()).unwrap_err();
        assert!(
            err.to_string().contains(text),
            "{err} should mention {text}"
        );
    }
}

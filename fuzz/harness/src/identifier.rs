//! Target `identifier`: every identifier parser on the same text.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use serde::Serialize;
use serde::de::DeserializeOwned;
use vnaccs_core::ids::{
    CertificateSerial, CustomsOfficeCode, Email, IdentifierKind, InputError, PersonalId, TaxCode,
    TerminalAccessKey, TerminalId, UserId, UserIdPassword,
};

use crate::invariants::{check_error, checked};

/// Parses `data` (as UTF-8, lossily) as each kind of identifier: a value that parses re-formats
/// to its canonical form, which parses to the same value (and is what the by-name entry point
/// of the bindings returns), and survives a JSON round trip; an invalid one is a typed error.
pub fn identifier(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    round_trip::<TaxCode>(text, "tax_code");
    round_trip::<UserId>(text, "user_id");
    round_trip::<TerminalId>(text, "terminal_id");
    round_trip::<TerminalAccessKey>(text, "access_key");
    round_trip::<CustomsOfficeCode>(text, "office_code");
    round_trip::<Email>(text, "email");
    round_trip::<PersonalId>(text, "personal_id");
    round_trip::<CertificateSerial>(text, "serial");
    if let Ok(tax) = TaxCode::from_str(text) {
        let base = tax.base_code();
        assert!(tax.same_enterprise(&base) && base.same_enterprise(&tax));
        assert_eq!(base.as_str(), tax.base());
        assert_eq!(tax.branch().is_some(), base != tax);
    }
    if let Ok(id) = PersonalId::from_str(text) {
        assert_eq!(PersonalId::from_str(&id.tagged()).ok(), Some(id.clone()));
        assert_eq!(id.number(), id.to_string());
    }
    password(text);
}

/// The checks of one identifier type, `name` its kind's name.
fn round_trip<T>(text: &str, name: &str)
where
    T: FromStr<Err = InputError> + Display + Debug + PartialEq + Serialize + DeserializeOwned,
{
    let kind = IdentifierKind::from_name(name).expect("a kind name");
    let normalized = checked(kind.normalize(text));
    let Some(value) = checked(T::from_str(text)) else {
        assert_eq!(normalized, None, "{name} {text:?}");
        return;
    };
    let canonical = value.to_string();
    assert_eq!(normalized.as_deref(), Some(canonical.as_str()), "{name}");
    let again = T::from_str(&canonical).expect("the canonical form parses");
    assert_eq!(again, value, "{name} {text:?}");
    assert_eq!(again.to_string(), canonical, "{name}: canonical is stable");
    let json = serde_json::to_string(&value).expect("an identifier serialises");
    let back: T = serde_json::from_str(&json).expect("and deserialises");
    assert_eq!(back, value, "{name} {json}");
}

/// A User ID password: never shown, not even in its error.
fn password(text: &str) {
    match UserIdPassword::parse(text) {
        Ok(password) => {
            assert_eq!(password.expose(), text);
            assert!(!format!("{password:?}{password}").contains(text) || text.len() < 4);
        }
        Err(e) => {
            let error = vnaccs_core::Error::from(e);
            check_error(&error);
            let shown = format!("{error} {} {error:?}", error.message_vi());
            let secret_like = text.len() >= 6
                && text.chars().all(|c| c.is_ascii_alphanumeric())
                && text.chars().any(|c| c.is_ascii_digit())
                && text.chars().any(|c| c.is_ascii_uppercase());
            assert!(!secret_like || !shown.contains(text), "{shown}");
        }
    }
}

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

/// The checks of one identifier type, `name` its kind's name: the by-name entry point (what the
/// bindings call) agrees with the type; its canonical form parses to the same value and is
/// itself canonical (normalising is idempotent); the value survives a JSON round trip.
fn round_trip<T>(text: &str, name: &str)
where
    T: FromStr<Err = InputError> + Display + Debug + PartialEq + Serialize + DeserializeOwned,
{
    let kind = IdentifierKind::from_name(name).expect("a kind name");
    let normalized = checked(kind.normalize(text));
    let parsed = checked(T::from_str(text));
    assert_eq!(normalized.is_some(), parsed.is_some(), "{name} {text:?}");
    let (Some(value), Some(canonical)) = (parsed, normalized) else {
        return;
    };
    if name != "personal_id" {
        // A personal ID shows its bare number; its canonical form may carry its kind.
        assert_eq!(
            value.to_string(),
            canonical,
            "{name}: Display is the canonical form"
        );
    }
    let again = T::from_str(&canonical)
        .unwrap_or_else(|e| panic!("{name} {text:?}: the canonical {canonical:?} is refused: {e}"));
    assert_eq!(again, value, "{name} {text:?}: canonical {canonical:?}");
    assert_eq!(
        kind.normalize(&canonical).ok().as_deref(),
        Some(canonical.as_str()),
        "{name} {text:?}: normalising is idempotent"
    );
    let json = serde_json::to_string(&value).expect("an identifier serialises");
    let back: T = serde_json::from_str(&json).expect("and deserialises");
    assert_eq!(back, value, "{name} {json}");
}

/// A User ID password: never shown, not even in its error.
fn password(text: &str) {
    match UserIdPassword::parse(text) {
        Ok(password) => {
            assert_eq!(password.expose(), text);
            // A valid password is 1–8 of A-Z, 0-9: a short one may be a piece of the mask's
            // type name ("UserIdPassword").
            let shown = format!("{password:?} {password}");
            assert!(text.len() < 4 || !shown.contains(text), "{shown}");
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

//! Turning PKCS#11 return values into the library's typed errors.

use cryptoki::context::Function;
use cryptoki::error::{Error as CkError, RvError};

use super::PinTries;
use crate::Error;
use crate::token::TokenError;

/// The library error for a cryptoki error.
pub(crate) fn from_cryptoki(e: CkError) -> Error {
    match e {
        CkError::Pkcs11(rv, function) => from_rv(rv, function),
        other => Error::Token(TokenError::Pkcs11 {
            function: "(binding)".into(),
            code: other.to_string(),
        }),
    }
}

/// The library error for a PKCS#11 return value from `function`.
///
/// A token pulled out mid-operation shows as one of several codes depending on the module and the
/// moment (many USB token modules answer `CKR_DEVICE_ERROR`); all become
/// [`TokenError::TokenRemoved`]. PIN errors come without the token's label; the login code fills it
/// in.
pub(crate) fn from_rv(rv: RvError, function: Function) -> Error {
    let function = format!("{function:?}");
    match rv {
        RvError::DeviceRemoved
        | RvError::DeviceError
        | RvError::TokenNotPresent
        | RvError::TokenNotRecognized
        | RvError::SessionHandleInvalid
        | RvError::SessionClosed
        | RvError::SlotIdInvalid => Error::Token(TokenError::TokenRemoved { function }),
        RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange => {
            Error::Token(TokenError::PinIncorrect {
                token: String::new(),
                tries_left: PinTries::Unknown,
            })
        }
        RvError::PinLocked => Error::Token(TokenError::PinLocked {
            token: String::new(),
        }),
        other => Error::Token(TokenError::Pkcs11 {
            function,
            code: format!("{other:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pulled_token_is_a_typed_error_whatever_the_code() {
        for rv in [
            RvError::DeviceRemoved,
            RvError::DeviceError,
            RvError::TokenNotPresent,
            RvError::TokenNotRecognized,
            RvError::SessionHandleInvalid,
            RvError::SessionClosed,
            RvError::SlotIdInvalid,
        ] {
            let e = from_cryptoki(CkError::Pkcs11(rv, Function::Sign));
            assert_eq!(
                e,
                Error::Token(TokenError::TokenRemoved {
                    function: "Sign".into()
                }),
                "{rv:?}"
            );
            assert_eq!(e.code(), "token_removed");
        }
    }

    #[test]
    fn pin_errors_and_others_keep_their_meaning() {
        let wrong = from_rv(RvError::PinIncorrect, Function::Login);
        assert_eq!(wrong.code(), "pin_incorrect");
        assert_eq!(
            from_rv(RvError::PinLocked, Function::Login).code(),
            "pin_locked"
        );
        assert_eq!(
            from_rv(RvError::MechanismInvalid, Function::SignInit),
            Error::Token(TokenError::Pkcs11 {
                function: "SignInit".into(),
                code: "MechanismInvalid".into()
            })
        );
    }
}

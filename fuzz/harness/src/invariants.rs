//! What every error and every parsed value must satisfy, whatever the input.

use vnaccs_core::Error;

/// An error has a stable snake_case code, a status in its area's range (1000–9999), and a
/// non-empty message in English and in Vietnamese.
pub(crate) fn check_error(error: &Error) {
    let code = error.code();
    assert!(
        !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "code {code:?} of {error:?}"
    );
    let status = error.status();
    assert!(
        (1000..10000).contains(&status),
        "status {status} of {error:?}"
    );
    assert!(!error.message_en().trim().is_empty(), "{error:?}");
    assert!(!error.message_vi().trim().is_empty(), "{error:?}");
}

/// Checks the error of a result, if any, and returns the value.
pub(crate) fn checked<T, E: Into<Error>>(result: Result<T, E>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            check_error(&e.into());
            None
        }
    }
}

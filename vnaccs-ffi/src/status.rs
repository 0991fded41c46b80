//! The statuses every fallible function returns, and the boundary's own errors.
//!
//! `0` is success; every other status is the core's (`docs/errors.md`): 1xxx input, 2xxx
//! certificates, 3xxx tokens and PIN, 4xxx signing, 5xxx portal and network, 6xxx workflow,
//! 7xxx sandbox, 8xxx the boundary's own (the core's `BindingError`: a NULL argument, invalid
//! UTF-8, invalid JSON, a buffer too small, …), 9xxx internal. The constants below name the
//! boundary's, whose values are the core's.

use serde_json::{Value, json};
use vnaccs_core::error::BindingError;

/// Success.
pub const VNACCS_OK: i32 = 0;
/// The lowest status of the boundary's own errors: a status from 1 to 7999, or 9xxx, is a core
/// error's (`docs/errors.md` lists them; the JSON from `vnaccs_last_error` has its `code`).
pub const VNACCS_BOUNDARY_STATUS_MIN: i32 = 8000;
/// A required pointer argument was NULL.
pub const VNACCS_NULL_ARGUMENT: i32 = 8001;
/// A string argument was not valid UTF-8.
pub const VNACCS_INVALID_UTF8: i32 = 8002;
/// A JSON argument was not well-formed JSON.
pub const VNACCS_INVALID_JSON: i32 = 8003;
/// The output buffer is too small: `*out_len` holds the length needed (without the NUL).
pub const VNACCS_BUFFER_TOO_SMALL: i32 = 8004;
/// The handle is not in a state that allows the call (e.g. a job whose last event was read).
pub const VNACCS_WRONG_STATE: i32 = 8005;
/// An argument has a value the function does not know (e.g. an unknown identifier kind).
pub const VNACCS_INVALID_ARGUMENT: i32 = 8006;
/// The job was cancelled.
pub const VNACCS_CANCELLED: i32 = 8007;
/// `vnaccs_job_next` waited the time given and no event came (not an error: call it again).
pub const VNACCS_TIMEOUT: i32 = 8008;
/// The library panicked (a bug): the call did nothing more; the panic did not reach the caller.
pub const VNACCS_PANIC: i32 = 8099;

/// Why a call failed: a core error, the boundary's own included
/// ([`vnaccs_core::error::BindingError`], statuses 8xxx).
pub(crate) type Failure = vnaccs_core::Error;

/// A required pointer argument `name` was NULL.
pub(crate) fn null_argument(name: &'static str) -> Failure {
    BindingError::NullArgument { name }.into()
}

/// The string argument `name` was not UTF-8.
pub(crate) fn invalid_utf8(name: &'static str) -> Failure {
    BindingError::InvalidUtf8 { name }.into()
}

/// The JSON argument `name` did not parse.
pub(crate) fn invalid_json(name: &'static str, reason: String) -> Failure {
    BindingError::InvalidJson { name, reason }.into()
}

/// The output buffer holds fewer than `needed` bytes.
pub(crate) fn buffer_too_small(needed: usize) -> Failure {
    BindingError::BufferTooSmall { needed }.into()
}

/// The argument `name` has an unknown `value`.
pub(crate) fn invalid_argument(name: &'static str, value: String) -> Failure {
    BindingError::InvalidArgument { name, value }.into()
}

/// No event within the time given.
pub(crate) fn timeout() -> Failure {
    BindingError::Timeout.into()
}

/// A panic inside the library.
pub(crate) fn panicked() -> Failure {
    BindingError::Panic.into()
}

/// The status of a core error: its own ([`vnaccs_core::Error::status`]), except a job used in
/// the wrong state and a cancelled job, which have the boundary's `VNACCS_WRONG_STATE` and
/// `VNACCS_CANCELLED` (their codes stay the core's: `job_wrong_state`, `cancelled`).
pub(crate) fn status_of(e: &vnaccs_core::Error) -> i32 {
    use vnaccs_core::workflow::WorkflowError;
    match e {
        vnaccs_core::Error::Workflow(WorkflowError::JobWrongState { .. }) => VNACCS_WRONG_STATE,
        vnaccs_core::Error::Workflow(WorkflowError::Cancelled) => VNACCS_CANCELLED,
        _ => e.status(),
    }
}

/// A core error's JSON form, its `status` the one the call returned.
pub(crate) fn error_json(e: &vnaccs_core::Error) -> Value {
    let mut value = serde_json::to_value(e).unwrap_or_else(|_| json!({ "code": e.code() }));
    if let Value::Object(map) = &mut value {
        map.insert("status".into(), json!(status_of(e)));
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_are_the_core_statuses() {
        let cases = [
            (VNACCS_NULL_ARGUMENT, null_argument("x")),
            (VNACCS_INVALID_UTF8, invalid_utf8("x")),
            (VNACCS_INVALID_JSON, invalid_json("x", String::new())),
            (VNACCS_BUFFER_TOO_SMALL, buffer_too_small(1)),
            (
                VNACCS_INVALID_ARGUMENT,
                invalid_argument("x", String::new()),
            ),
            (VNACCS_TIMEOUT, timeout()),
            (VNACCS_PANIC, panicked()),
        ];
        for (constant, error) in cases {
            assert_eq!(constant, error.status(), "{}", error.code());
            assert_eq!(constant, status_of(&error));
            assert!((VNACCS_BOUNDARY_STATUS_MIN..9000).contains(&constant));
        }
        assert_eq!(
            status_of(&vnaccs_core::workflow::WorkflowError::Cancelled.into()),
            VNACCS_CANCELLED
        );
    }
}

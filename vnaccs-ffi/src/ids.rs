//! Identifiers: validate and normalise a value of a named kind.

use std::ffi::c_char;

use vnaccs_core::ids::IdentifierKind;

use crate::boundary::{Out, guard, text};

/// Validates `value` as an identifier of `kind` and writes its canonical form (surrounding
/// whitespace trimmed) into `buf`.
///
/// `kind` is one of `"tax_code"`, `"user_id"`, `"terminal_id"`, `"access_key"`,
/// `"office_code"`, `"email"`, `"personal_id"`, `"serial"`. Both strings are NUL-terminated
/// UTF-8, borrowed for the call. Output as every `(buf, capacity, out_len)` function: see
/// `vnaccs_last_error`. Any thread.
///
/// Returns `VNACCS_OK`; a core status when the value is invalid (the last error says why, in
/// English and Vietnamese: e.g. code `invalid_tax_code`); `VNACCS_INVALID_ARGUMENT` for an
/// unknown kind; `VNACCS_NULL_ARGUMENT`, `VNACCS_INVALID_UTF8`, `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `buf` has `capacity` writable bytes; `out_len` is
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_identifier_normalize(
    kind: *const c_char,
    value: *const c_char,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let (kind, value) = unsafe { (text(kind, "kind")?, text(value, "value")?) };
        let kind = IdentifierKind::from_name(kind)
            .ok_or_else(|| crate::status::invalid_argument("kind", kind.to_owned()))?;
        let canonical = kind.normalize(value)?;
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&canonical) }
    })
}

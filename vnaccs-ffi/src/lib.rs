//! The C ABI of vnaccs. The header `include/vnaccs.h` is generated from this crate by cbindgen.
//!
//! Conventions (after rustls-ffi; JSON documents across the boundary after imageflow): every
//! function is `extern "C"` (cdecl) and prefixed `vnaccs_`; no public structs, only opaque
//! handles, integers, byte buffers and NUL-terminated UTF-8 strings; every fallible function
//! returns an `int32_t` status ([`status`]), `0` for success, with the calling thread's last
//! error as JSON from [`vnaccs_last_error`]; text out goes into the caller's buffer; a panic
//! never crosses the boundary.

mod boundary;
mod cert;
mod ids;
mod job;
mod profile;
mod sandbox;
mod sign;
pub mod status;

use std::ffi::c_char;

pub use cert::{
    VnaccsCertificate, vnaccs_certificate_free, vnaccs_certificate_load, vnaccs_certificate_view,
    vnaccs_certificates_inspect,
};
pub use ids::vnaccs_identifier_normalize;
pub use job::{
    VnaccsJob, vnaccs_job_cancel, vnaccs_job_free, vnaccs_job_next, vnaccs_job_provide_captcha,
    vnaccs_job_provide_pin, vnaccs_job_start,
};
pub use profile::vnaccs_profile_check;
pub use sandbox::{
    VnaccsSandbox, vnaccs_sandbox_approve_sent, vnaccs_sandbox_captcha_answer, vnaccs_sandbox_free,
    vnaccs_sandbox_start, vnaccs_sandbox_url,
};
pub use sign::{
    VnaccsKey, vnaccs_key_free, vnaccs_key_from_pem, vnaccs_key_from_pfx, vnaccs_key_from_token,
    vnaccs_pkcs11_list, vnaccs_pkcs11_release_unused, vnaccs_sign_cms, vnaccs_sign_raw,
};

/// The library's major version (the header's; compare with `vnaccs_version_number()` at run
/// time).
pub const VNACCS_VERSION_MAJOR: u32 = 0;
/// The library's minor version.
pub const VNACCS_VERSION_MINOR: u32 = 1;
/// The library's patch version.
pub const VNACCS_VERSION_PATCH: u32 = 0;
/// The version as one number: `MAJOR * 10000 + MINOR * 100 + PATCH` (0.1.0 is 100), for
/// `#if VNACCS_VERSION_NUMBER >= …`.
pub const VNACCS_VERSION_NUMBER: u32 = 100;
/// The version of the ABI: functions, statuses and handle rules. It changes only when a
/// program built against an older header could misbehave with this library; compare it with
/// `vnaccs_abi_version()` at start-up.
pub const VNACCS_ABI_VERSION: u32 = 1;

/// The library's version as a static NUL-terminated string, e.g. `"0.1.0"`. Never NULL; do not
/// free. Any thread.
#[unsafe(no_mangle)]
pub extern "C" fn vnaccs_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

/// The library's version as one number, as `VNACCS_VERSION_NUMBER` (of the library actually
/// loaded, which may differ from the header's). Any thread.
#[unsafe(no_mangle)]
pub extern "C" fn vnaccs_version_number() -> u32 {
    VNACCS_VERSION_NUMBER
}

/// The library's ABI version, as `VNACCS_ABI_VERSION` (of the library actually loaded): a
/// program should refuse to go on when it differs from the header's. Any thread.
#[unsafe(no_mangle)]
pub extern "C" fn vnaccs_abi_version() -> u32 {
    VNACCS_ABI_VERSION
}

/// Writes the calling thread's last error, as JSON, into `buf`: `{"code", "status",
/// "category", "message" (English), "message_vi" (Vietnamese), "hint", "hint_vi", "retryable",
/// "step" (when a step of the update failed)}`; empty when no call on this thread has failed.
/// A successful call leaves it as it was; this function never changes it.
///
/// Every `(buf, capacity, out_len)` output works the same way: the text is UTF-8 followed by a
/// NUL; `*out_len` receives its length in bytes without the NUL. When `capacity` is less than
/// that length + 1, nothing is written into `buf`, `*out_len` still receives the length and
/// the function returns `VNACCS_BUFFER_TOO_SMALL`: call again with a buffer of `*out_len + 1`
/// bytes to get the same text. `buf` may be NULL when `capacity` is 0 (to ask the length);
/// `out_len` may not be NULL. The buffer belongs to the caller; the library never allocates
/// memory for the caller to free.
///
/// Returns `VNACCS_OK`, `VNACCS_BUFFER_TOO_SMALL`, `VNACCS_NULL_ARGUMENT`.
///
/// # Safety
/// `buf` has `capacity` writable bytes; `out_len` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_last_error(
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    // Not through `guard`: asking for the last error must not replace it.
    let result = std::panic::catch_unwind(|| {
        let out = boundary::Out::new(buf, capacity, out_len)?;
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&boundary::last_error()) }
    });
    match result {
        Ok(Ok(())) => status::VNACCS_OK,
        Ok(Err(failure)) => status::status_of(&failure),
        Err(_) => status::VNACCS_PANIC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn version_matches_core() {
        // SAFETY: vnaccs_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(vnaccs_version()) };
        assert_eq!(v.to_str().unwrap(), vnaccs_core::VERSION);
    }

    #[test]
    fn version_constants_match_the_manifest() {
        let part = |s: &str| s.parse::<u32>().unwrap();
        let major = part(env!("CARGO_PKG_VERSION_MAJOR"));
        let minor = part(env!("CARGO_PKG_VERSION_MINOR"));
        let patch = part(env!("CARGO_PKG_VERSION_PATCH"));
        assert_eq!(
            (
                VNACCS_VERSION_MAJOR,
                VNACCS_VERSION_MINOR,
                VNACCS_VERSION_PATCH
            ),
            (major, minor, patch)
        );
        assert_eq!(VNACCS_VERSION_NUMBER, major * 10000 + minor * 100 + patch);
    }
}

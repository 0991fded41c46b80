//! The C ABI of vnaccs. The header `include/vnaccs.h` is generated from this crate by cbindgen.
//!
//! Conventions (after rustls-ffi): functions are prefixed `vnaccs_`; strings returned by the
//! library are NUL-terminated UTF-8 owned by the library unless a function says otherwise.

use std::ffi::c_char;

/// The library's version as a static NUL-terminated string, e.g. `"0.1.0"`. Never NULL; do not free.
#[unsafe(no_mangle)]
pub extern "C" fn vnaccs_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
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
}

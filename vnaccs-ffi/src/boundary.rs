//! What every export does at the boundary: the panic guard, the calling thread's last error,
//! reading arguments and writing into the caller's buffers.

use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::{Failure, VNACCS_OK, buffer_too_small, error_json, status_of};

thread_local! {
    /// The JSON of the calling thread's last error.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `body` behind the panic boundary: `0` on success; else the failure's status, its JSON
/// kept as the thread's last error. A panic becomes [`crate::status::panicked()`], never unwinding into C.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> i32 {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return VNACCS_OK,
        Ok(Err(failure)) => failure,
        Err(_) => crate::status::panicked(),
    };
    let json = error_json(&failure).to_string();
    LAST_ERROR.with(|last| *last.borrow_mut() = json);
    status_of(&failure)
}

/// The calling thread's last error JSON (empty when none).
pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|last| last.borrow().clone())
}

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a str, Failure> {
    // SAFETY: the caller's contract.
    unsafe { optional_text(ptr, name) }?.ok_or(crate::status::null_argument(name))
}

/// An optional NUL-terminated UTF-8 string: `None` for NULL.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    name: &'static str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and NUL-terminated by the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes)
        .map(Some)
        .map_err(|_| crate::status::invalid_utf8(name))
}

/// A JSON document argument, checked well-formed (the core then reads its fields).
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn json_text<'a>(
    ptr: *const c_char,
    name: &'static str,
) -> Result<&'a str, Failure> {
    // SAFETY: the caller's contract.
    let text = unsafe { text(ptr, name) }?;
    well_formed(text, name)?;
    Ok(text)
}

/// Checks that `text` is well-formed JSON.
pub(crate) fn well_formed(text: &str, name: &'static str) -> Result<(), Failure> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(drop)
        .map_err(|e| crate::status::invalid_json(name, e.to_string()))
}

/// A byte buffer argument; `len` 0 allows `ptr` NULL.
///
/// # Safety
/// `ptr` points to `len` readable bytes (or is NULL with `len` 0).
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    name: &'static str,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(crate::status::null_argument(name))
        };
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of type `T` from this library.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, name: &'static str) -> Result<&'a T, Failure> {
    // SAFETY: the caller's contract.
    unsafe { ptr.as_ref() }.ok_or(crate::status::null_argument(name))
}

/// The caller's output buffer: `(buf, capacity, out_len)`.
pub(crate) struct Out {
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
}

impl Out {
    /// Checks the buffer's pointers: `out_len` must not be NULL; `buf` may be NULL only with
    /// `capacity` 0 (to ask the length).
    pub(crate) fn new(
        buf: *mut c_char,
        capacity: usize,
        out_len: *mut usize,
    ) -> Result<Out, Failure> {
        if out_len.is_null() {
            return Err(crate::status::null_argument("out_len"));
        }
        if buf.is_null() && capacity != 0 {
            return Err(crate::status::null_argument("buf"));
        }
        Ok(Out {
            buf,
            capacity,
            out_len,
        })
    }

    /// Writes `text` and a NUL into the buffer and its length into `*out_len`; when it does not
    /// fit, writes only the length needed into `*out_len` and fails with "buffer too small".
    ///
    /// # Safety
    /// `buf` has `capacity` writable bytes and `out_len` is writable (as [`Out::new`] checked
    /// for NULL).
    pub(crate) unsafe fn write(&self, text: &str) -> Result<(), Failure> {
        let len = text.len();
        // SAFETY: out_len is non-NULL and writable by the caller's contract.
        unsafe { self.out_len.write(len) };
        if self.capacity <= len {
            return Err(buffer_too_small(len + 1));
        }
        // SAFETY: capacity > len bytes are writable at buf (non-NULL since capacity > 0).
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), self.buf.cast::<u8>(), len);
            self.buf.add(len).write(0);
        }
        Ok(())
    }
}

impl Out {
    /// Writes `data` (binary, no NUL) into the buffer and its length into `*out_len`; when it
    /// does not fit, writes only the length needed and fails with "buffer too small".
    ///
    /// # Safety
    /// As [`Out::write`].
    pub(crate) unsafe fn write_bytes(&self, data: &[u8]) -> Result<(), Failure> {
        // SAFETY: out_len is non-NULL and writable by the caller's contract.
        unsafe { self.out_len.write(data.len()) };
        if self.capacity < data.len() {
            return Err(buffer_too_small(data.len()));
        }
        if !data.is_empty() {
            // SAFETY: capacity >= len > 0 bytes are writable at buf.
            unsafe {
                std::ptr::copy_nonoverlapping(data.as_ptr(), self.buf.cast::<u8>(), data.len())
            };
        }
        Ok(())
    }
}

/// Writes a new handle into `*out`.
///
/// # Safety
/// `out` is writable (checked non-NULL before the work by [`out_ptr`]).
pub(crate) unsafe fn give<T>(out: *mut *mut T, value: T) {
    // SAFETY: the caller's contract.
    unsafe { out.write(Box::into_raw(Box::new(value))) };
}

/// Checks an out-pointer for a handle.
pub(crate) fn out_ptr<T>(out: *mut *mut T) -> Result<(), Failure> {
    if out.is_null() {
        Err(crate::status::null_argument("out"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{VNACCS_BUFFER_TOO_SMALL, VNACCS_INVALID_JSON, VNACCS_PANIC};

    #[test]
    fn a_panic_becomes_the_panic_status_and_its_last_error() {
        let status = guard(|| panic!("a bug"));
        assert_eq!(status, VNACCS_PANIC);
        let error: serde_json::Value = serde_json::from_str(&last_error()).unwrap();
        assert_eq!(error["code"], "panic");
        assert_eq!(error["status"], VNACCS_PANIC);
        assert!(
            error["message_vi"]
                .as_str()
                .unwrap()
                .starts_with("Lỗi nội bộ")
        );
    }

    #[test]
    fn a_buffer_too_small_gets_the_length_and_nothing_else() {
        let mut buf = [b'x' as c_char; 4];
        let mut len = 0usize;
        let out = Out::new(buf.as_mut_ptr(), buf.len(), &mut len).unwrap();
        // SAFETY: buf and len are live and writable.
        let status = guard(|| unsafe { out.write("abcd") });
        assert_eq!(status, VNACCS_BUFFER_TOO_SMALL);
        assert_eq!(len, 4);
        assert_eq!(buf, [b'x' as c_char; 4]);
        let out = Out::new(buf.as_mut_ptr(), buf.len(), &mut len).unwrap();
        // SAFETY: as above.
        assert_eq!(guard(|| unsafe { out.write("abc") }), VNACCS_OK);
        assert_eq!((len, buf.map(|c| c as u8)), (3, *b"abc\0"));
    }

    #[test]
    fn malformed_json_has_its_own_status() {
        assert_eq!(
            guard(|| well_formed("{\"a\":", "request_json")),
            VNACCS_INVALID_JSON
        );
        assert_eq!(
            guard(|| well_formed("{\"a\":1}", "request_json")),
            VNACCS_OK
        );
    }
}

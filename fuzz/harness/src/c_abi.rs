//! Target `c_abi`: the C ABI's entry points that take bytes, strings or JSON, called as a C
//! program would, with the buffer protocol checked at every output.

use std::ffi::{CString, c_char};
use std::ptr;
use std::sync::OnceLock;

use serde_json::Value;
use vnaccs::status::{VNACCS_BUFFER_TOO_SMALL, VNACCS_NULL_ARGUMENT, VNACCS_OK};
use vnaccs::{VnaccsCertificate, VnaccsJob, VnaccsKey, VnaccsSandbox};
use vnaccs_core::ids::IdentifierKind;
use vnaccs_core::workflow::Request;

/// Bytes after the buffer handed to the library, which it must never write.
const GUARD: usize = 64;
/// What the guard bytes and an untouched buffer hold.
const CANARY: u8 = 0xA5;

/// The first byte picks the entry point (low 3 bits) and whether the first pointer argument is
/// NULL (bit 3); the rest is split at NUL bytes into the string arguments (binary arguments
/// take the rest whole).
pub fn c_abi(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let null_first = selector & 8 != 0;
    let parts: Vec<&[u8]> = rest.split(|&b| b == 0).collect();
    let text = |i: usize| CString::new(parts.get(i).copied().unwrap_or_default()).ok();
    match selector % 8 {
        0 => inspect(rest, null_first),
        1 => load(rest, null_first),
        2 => {
            if let (Some(kind), Some(value)) = (text(0), text(1)) {
                identifier(&kind, &value, null_first);
            }
        }
        3 => {
            if let (Some(key), Some(certificate)) = (text(0), text(1)) {
                key_from_pem(&key, &certificate, text(2).as_deref(), null_first);
            }
        }
        4 => {
            let (password, pfx) = match rest.iter().position(|&b| b == 0) {
                Some(at) => (&rest[..at], &rest[at + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            if let Ok(password) = CString::new(password) {
                key_from_pfx(pfx, &password, null_first);
            }
        }
        5 => {
            let (digest, content) = match rest.iter().position(|&b| b == 0) {
                Some(at) => (&rest[..at], &rest[at + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            if let Ok(digest) = CString::new(digest) {
                sign(content, (!null_first).then_some(digest.as_c_str()));
            }
        }
        6 => {
            if let Some(json) = text(0) {
                job_start(&json, text(1).as_deref(), null_first);
            }
        }
        _ => {
            if let Some(json) = text(0) {
                sandbox_start(&json, null_first);
            }
        }
    }
}

/// A `(buf, capacity, out_len)` text output, called the documented way: the length with a NULL
/// buffer, a buffer one byte short (refused, untouched), then one that fits (the text, its NUL,
/// nothing past it). The text, or the status of a failure.
fn text_out(mut call: impl FnMut(*mut c_char, usize, *mut usize) -> i32) -> Result<String, i32> {
    let mut len = usize::MAX;
    let status = call(ptr::null_mut(), 0, &mut len);
    if status != VNACCS_BUFFER_TOO_SMALL {
        assert_ne!(status, VNACCS_OK, "an empty buffer cannot hold the NUL");
        check_failure(status);
        return Err(status);
    }
    assert!(len < usize::MAX / 2, "the length needed is written");
    check_last_error(VNACCS_BUFFER_TOO_SMALL);
    let mut short = vec![CANARY; len + GUARD];
    let mut short_len = usize::MAX;
    let status = call(short.as_mut_ptr().cast(), len, &mut short_len);
    assert_eq!(status, VNACCS_BUFFER_TOO_SMALL, "one byte short is refused");
    assert_eq!(short_len, len, "the same length again");
    assert!(
        short.iter().all(|&b| b == CANARY),
        "a refused buffer is untouched"
    );
    let mut buf = vec![CANARY; len + 1 + GUARD];
    let mut written = usize::MAX;
    let status = call(buf.as_mut_ptr().cast(), len + 1, &mut written);
    assert_eq!(status, VNACCS_OK);
    assert_eq!(written, len);
    assert_eq!(buf[len], 0, "the text ends with a NUL");
    assert!(
        buf[len + 1..].iter().all(|&b| b == CANARY),
        "nothing past the buffer"
    );
    let text = String::from_utf8(buf[..len].to_vec()).expect("UTF-8 text");
    assert!(!text.contains('\0'));
    Ok(text)
}

/// A failed call: a status the ABI defines, and the thread's last error describing it.
fn check_failure(status: i32) {
    assert!(
        (1000..10000).contains(&status),
        "status {status} is not a failure's"
    );
    check_last_error(status);
}

/// The calling thread's last error is a JSON object with the failure's code, status and both
/// messages (read with the buffer protocol, without changing it).
fn check_last_error(status: i32) {
    let mut len = 0usize;
    // SAFETY: NULL with capacity 0 asks the length; len is writable.
    let first = unsafe { vnaccs::vnaccs_last_error(ptr::null_mut(), 0, &mut len) };
    assert_eq!(first, VNACCS_BUFFER_TOO_SMALL);
    let mut buf = vec![CANARY; len + 1 + GUARD];
    let mut written = 0usize;
    // SAFETY: buf has len + 1 writable bytes (and more).
    let second =
        unsafe { vnaccs::vnaccs_last_error(buf.as_mut_ptr().cast(), len + 1, &mut written) };
    assert_eq!((second, written, buf[len]), (VNACCS_OK, len, 0));
    assert!(buf[len + 1..].iter().all(|&b| b == CANARY));
    let error: Value = serde_json::from_slice(&buf[..len]).expect("the last error is JSON");
    assert_eq!(error["status"], status, "{error}");
    for field in ["code", "message", "message_vi"] {
        assert!(
            error[field].as_str().is_some_and(|s| !s.is_empty()),
            "{field} of {error}"
        );
    }
}

/// A handle-returning call: on success the handle is written, on failure `out` is untouched.
fn handle_out<T>(status: i32, out: *mut T) -> Option<*mut T> {
    if status == VNACCS_OK {
        assert!(!out.is_null(), "a handle on success");
        Some(out)
    } else {
        assert!(out.is_null(), "*out is written only on success");
        check_failure(status);
        None
    }
}

fn inspect(data: &[u8], null: bool) {
    let ptr = if null { ptr::null() } else { data.as_ptr() };
    // SAFETY: data has data.len() readable bytes (or is NULL); the buffers are text_out's.
    let result = text_out(|buf, capacity, out_len| unsafe {
        vnaccs::vnaccs_certificates_inspect(ptr, data.len(), buf, capacity, out_len)
    });
    match result {
        Ok(json) => {
            let views: Value = serde_json::from_str(&json).expect("the views are JSON");
            assert!(views.as_array().is_some_and(|a| !a.is_empty()));
        }
        Err(status) => {
            let expected = if null && !data.is_empty() {
                VNACCS_NULL_ARGUMENT
            } else {
                vnaccs_core::cert::Certificate::load_all(data)
                    .err()
                    .map_or(VNACCS_OK, |e| vnaccs_core::Error::from(e).status())
            };
            assert_eq!(status, expected);
        }
    }
}

fn load(rest: &[u8], null: bool) {
    let Some((&index, data)) = rest.split_first() else {
        return;
    };
    let mut out: *mut VnaccsCertificate = ptr::null_mut();
    let ptr = if null { ptr::null() } else { data.as_ptr() };
    // SAFETY: data has data.len() readable bytes (or is NULL); out is writable.
    let status = unsafe {
        vnaccs::vnaccs_certificate_load(ptr, data.len(), usize::from(index % 4), &mut out)
    };
    if let Some(certificate) = handle_out(status, out) {
        // SAFETY: a live handle; the buffers are text_out's.
        let view = text_out(|buf, capacity, out_len| unsafe {
            vnaccs::vnaccs_certificate_view(certificate, buf, capacity, out_len)
        })
        .expect("a loaded certificate has a view");
        assert!(view.starts_with('{'));
        // SAFETY: the handle from vnaccs_certificate_load, freed once.
        unsafe { vnaccs::vnaccs_certificate_free(certificate) };
    }
}

fn identifier(kind: &CString, value: &CString, null: bool) {
    let kind_ptr = if null { ptr::null() } else { kind.as_ptr() };
    // SAFETY: NUL-terminated strings (or NULL); the buffers are text_out's.
    let result = text_out(|buf, capacity, out_len| unsafe {
        vnaccs::vnaccs_identifier_normalize(kind_ptr, value.as_ptr(), buf, capacity, out_len)
    });
    let (Ok(kind), Ok(value)) = (kind.to_str(), value.to_str()) else {
        assert!(result.is_err(), "invalid UTF-8 is refused");
        return;
    };
    if null {
        assert_eq!(result, Err(VNACCS_NULL_ARGUMENT));
        return;
    }
    match IdentifierKind::from_name(kind) {
        Some(kind) => match kind.normalize(value) {
            Ok(canonical) => assert_eq!(result, Ok(canonical)),
            Err(e) => assert_eq!(result, Err(e.status())),
        },
        None => assert!(result.is_err()),
    }
}

fn key_from_pem(
    key: &CString,
    certificate: &CString,
    password: Option<&std::ffi::CStr>,
    null: bool,
) {
    let mut out: *mut VnaccsKey = ptr::null_mut();
    let key_ptr = if null { ptr::null() } else { key.as_ptr() };
    let password = password.map_or(ptr::null(), |p| p.as_ptr());
    // SAFETY: NUL-terminated strings (or NULL); out is writable.
    let status =
        unsafe { vnaccs::vnaccs_key_from_pem(key_ptr, certificate.as_ptr(), password, &mut out) };
    if let Some(key) = handle_out(status, out) {
        sign_with(key, b"vnaccs", None);
        // SAFETY: the handle from vnaccs_key_from_pem, freed once.
        unsafe { vnaccs::vnaccs_key_free(key) };
    }
}

fn key_from_pfx(pfx: &[u8], password: &CString, null: bool) {
    let mut out: *mut VnaccsKey = ptr::null_mut();
    let password = if null { ptr::null() } else { password.as_ptr() };
    // SAFETY: pfx has pfx.len() readable bytes; the password is NUL-terminated (or NULL); out
    // is writable.
    let status =
        unsafe { vnaccs::vnaccs_key_from_pfx(pfx.as_ptr(), pfx.len(), password, &mut out) };
    if let Some(key) = handle_out(status, out) {
        // SAFETY: the handle from vnaccs_key_from_pfx, freed once.
        unsafe { vnaccs::vnaccs_key_free(key) };
    }
}

/// The test PKI enterprise's EC key, as a C program loads it (kept for the process).
fn test_key() -> *const VnaccsKey {
    struct Key(*mut VnaccsKey);
    // SAFETY: a key handle may be used from any thread (the C ABI's contract).
    unsafe impl Send for Key {}
    // SAFETY: as above.
    unsafe impl Sync for Key {}
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| {
        let (_, set) = vnaccs_core::fixtures::test_pki();
        let issued = &set.ec_p256;
        let key = CString::new(issued.key.pkcs8_pem().as_str()).expect("PEM text");
        let certificate = CString::new(issued.pem()).expect("PEM text");
        let mut out: *mut VnaccsKey = ptr::null_mut();
        // SAFETY: NUL-terminated strings; out is writable.
        let status = unsafe {
            vnaccs::vnaccs_key_from_pem(key.as_ptr(), certificate.as_ptr(), ptr::null(), &mut out)
        };
        assert_eq!(status, VNACCS_OK);
        Key(out)
    })
    .0
}

fn sign(content: &[u8], digest: Option<&std::ffi::CStr>) {
    sign_with(test_key(), content, digest);
}

/// Both signatures of `content` with `key`: into a small buffer (refused untouched unless it
/// fits), then a generous one (the signature, nothing past `*out_len`).
fn sign_with(key: *const VnaccsKey, content: &[u8], digest: Option<&std::ffi::CStr>) {
    let digest_ptr = digest.map_or(ptr::null(), |d| d.as_ptr());
    type SignFn = unsafe extern "C" fn(
        *const VnaccsKey,
        *const u8,
        usize,
        *const c_char,
        *mut u8,
        usize,
        *mut usize,
    ) -> i32;
    for function in [
        vnaccs::vnaccs_sign_raw as SignFn,
        vnaccs::vnaccs_sign_cms as SignFn,
    ] {
        let mut small = [CANARY; 8 + GUARD];
        let mut len = usize::MAX;
        // SAFETY: a live key; content readable; small has 8 writable bytes (and more).
        let status = unsafe {
            function(
                key,
                content.as_ptr(),
                content.len(),
                digest_ptr,
                small.as_mut_ptr(),
                8,
                &mut len,
            )
        };
        assert!(
            small[8..].iter().all(|&b| b == CANARY),
            "nothing past the buffer"
        );
        if status != VNACCS_BUFFER_TOO_SMALL {
            assert_ne!(status, VNACCS_OK, "no signature fits in 8 bytes");
            check_failure(status);
            continue;
        }
        assert!(len > 8 && len < 16384, "the length needed: {len}");
        assert!(
            small.iter().all(|&b| b == CANARY),
            "a refused buffer is untouched"
        );
        let capacity = 16384;
        let mut buf = vec![CANARY; capacity + GUARD];
        // SAFETY: as above, with capacity writable bytes.
        let status = unsafe {
            function(
                key,
                content.as_ptr(),
                content.len(),
                digest_ptr,
                buf.as_mut_ptr(),
                capacity,
                &mut len,
            )
        };
        assert_eq!(status, VNACCS_OK);
        assert!(len > 8 && len <= capacity);
        assert!(
            buf[capacity..].iter().all(|&b| b == CANARY),
            "nothing past the buffer"
        );
    }
}

fn job_start(json: &CString, password: Option<&std::ffi::CStr>, null: bool) {
    // A valid request would start a job: it talks to a portal and writes files the document
    // names. Only the refusals go through the boundary here (the documents themselves are the
    // `json_document` target's).
    if let Ok(text) = json.to_str()
        && Request::from_json(text).is_ok()
    {
        return;
    }
    let mut out: *mut VnaccsJob = ptr::null_mut();
    let json_ptr = if null { ptr::null() } else { json.as_ptr() };
    let password = password.map_or(ptr::null(), |p| p.as_ptr());
    // SAFETY: NUL-terminated strings (or NULL); out is writable.
    let status =
        unsafe { vnaccs::vnaccs_job_start(json_ptr, password, ptr::null(), ptr::null(), &mut out) };
    assert!(
        handle_out(status, out).is_none(),
        "an invalid request starts no job"
    );
}

fn sandbox_start(json: &CString, null: bool) {
    if null {
        // NULL starts the standard sandbox (with the test PKI): not the fuzzer's input.
        return;
    }
    let mut out: *mut VnaccsSandbox = ptr::null_mut();
    // SAFETY: a NUL-terminated string; NULL export folder; out is writable.
    let status = unsafe { vnaccs::vnaccs_sandbox_start(json.as_ptr(), ptr::null(), &mut out) };
    let Some(sandbox) = handle_out(status, out) else {
        return;
    };
    // SAFETY: a live handle; the buffers are text_out's.
    let url = text_out(|buf, capacity, out_len| unsafe {
        vnaccs::vnaccs_sandbox_url(sandbox, buf, capacity, out_len)
    })
    .expect("a sandbox has a URL");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let mut count = usize::MAX;
    // SAFETY: a live handle; count is writable.
    assert_eq!(
        unsafe { vnaccs::vnaccs_sandbox_approve_sent(sandbox, &mut count) },
        VNACCS_OK
    );
    // SAFETY: the handle from vnaccs_sandbox_start, freed once.
    unsafe { vnaccs::vnaccs_sandbox_free(sandbox) };
}

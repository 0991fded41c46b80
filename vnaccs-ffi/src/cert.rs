//! Certificates: loaded from DER, PEM or base64 bytes, viewed as JSON.

use std::ffi::c_char;

use serde_json::Value;
use vnaccs_core::cert::{Certificate, TrustAnchors};

use crate::boundary::{Out, bytes, give, guard, handle, out_ptr};

/// A parsed certificate. Opaque; from `vnaccs_certificate_load`, freed by
/// `vnaccs_certificate_free`. Immutable: may be used from several threads at once.
pub struct VnaccsCertificate {
    certificate: Certificate,
}

/// The certificate's view: the fields `vnaccs inspect --json` prints (serial, subject,
/// subject_cn, issuer, issuer_cn, ca, identities, tax_code, not_before, not_after,
/// key_algorithm, key_bits, signature_algorithm, key_usage, thumbprints, is_ca, chain).
fn view(certificate: &Certificate) -> Value {
    serde_json::to_value(certificate.summary(&TrustAnchors::national())).unwrap_or(Value::Null)
}

/// Reads every certificate in `data` (DER, PEM with one or more certificates, base64 DER, or
/// XML with `<X509Certificate>` elements) and writes their views as a JSON array into `buf`
/// (each as `vnaccs_certificate_view`). `data` is borrowed for the call. Any thread.
///
/// Returns `VNACCS_OK`; a core status when the bytes hold no readable certificate (code
/// `invalid_certificate`); `VNACCS_NULL_ARGUMENT`, `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `data` has `len` readable bytes (or is NULL with `len` 0); `buf` has `capacity` writable
/// bytes; `out_len` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_certificates_inspect(
    data: *const u8,
    len: usize,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let data = unsafe { bytes(data, len, "data") }?;
        let views: Vec<Value> = Certificate::load_all(data)?.iter().map(view).collect();
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&Value::Array(views).to_string()) }
    })
}

/// Reads the `index`-th (from 0) certificate in `data` (forms as `vnaccs_certificates_inspect`)
/// and writes a new handle into `*out`; free it with `vnaccs_certificate_free`. `data` is
/// borrowed for the call (the handle keeps its own copy). Any thread.
///
/// Returns `VNACCS_OK`; a core status when the bytes hold no readable certificate;
/// `VNACCS_INVALID_ARGUMENT` when `index` is past the last one; `VNACCS_NULL_ARGUMENT`.
/// `*out` is written only on success.
///
/// # Safety
/// `data` has `len` readable bytes (or is NULL with `len` 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_certificate_load(
    data: *const u8,
    len: usize,
    index: usize,
    out: *mut *mut VnaccsCertificate,
) -> i32 {
    guard(|| {
        out_ptr(out)?;
        // SAFETY: the caller's contract.
        let data = unsafe { bytes(data, len, "data") }?;
        let mut all = Certificate::load_all(data)?;
        if index >= all.len() {
            return Err(crate::status::invalid_argument("index", index.to_string()));
        }
        let certificate = all.swap_remove(index);
        // SAFETY: out checked non-NULL; the caller's contract.
        unsafe { give(out, VnaccsCertificate { certificate }) };
        Ok(())
    })
}

/// Writes the certificate's view as a JSON object into `buf`: the fields `vnaccs inspect
/// --json` prints (serial, subject, subject_cn, issuer, issuer_cn, ca, identities, tax_code,
/// not_before, not_after, key_algorithm, key_bits, signature_algorithm, key_usage,
/// sha1_thumbprint, sha256_thumbprint, is_ca, chain). Any thread.
///
/// Returns `VNACCS_OK`, `VNACCS_NULL_ARGUMENT`, `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `certificate` is NULL or a live handle; `buf` has `capacity` writable bytes; `out_len` is
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_certificate_view(
    certificate: *const VnaccsCertificate,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let certificate = unsafe { handle(certificate, "certificate") }?;
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&view(&certificate.certificate).to_string()) }
    })
}

/// Frees a certificate handle. NULL does nothing. The handle must not be in use by another
/// thread, nor used afterwards.
///
/// # Safety
/// `certificate` is NULL or a live handle from `vnaccs_certificate_load`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_certificate_free(certificate: *mut VnaccsCertificate) {
    if !certificate.is_null() {
        // SAFETY: the caller's contract: a handle from Box::into_raw, freed once.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drop(unsafe { Box::from_raw(certificate) })
        }));
    }
}

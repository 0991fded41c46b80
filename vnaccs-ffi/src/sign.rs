//! Signing keys (a PEM pair, a .pfx, or a PKCS#11 token's key) and their detached CMS and raw
//! signatures; the listing of PKCS#11 modules.

use std::ffi::c_char;
use std::path::Path;
use std::sync::Mutex;

use secrecy::SecretString;
use vnaccs_core::CertificateSerial;
use vnaccs_core::sign::{DigestAlgorithm, Signer, SoftwareSigner, sign_detached};
use vnaccs_core::token::{Module, PinPolicy, PinRequest};

use crate::boundary::{Out, bytes, give, guard, handle, optional_text, out_ptr, text};
use crate::status::Failure;

/// A signing key and its certificate. Opaque; from `vnaccs_key_from_pem`,
/// `vnaccs_key_from_pfx` or `vnaccs_key_from_token`, freed by `vnaccs_key_free`. May be used
/// from several threads (a token signs one request at a time).
pub struct VnaccsKey {
    signer: Box<dyn Signer>,
}

/// Hands the caller a key handle holding `signer`.
///
/// # Safety
/// `out` is non-NULL and writable.
unsafe fn give_key(out: *mut *mut VnaccsKey, signer: impl Signer + 'static) {
    // SAFETY: the caller's contract.
    unsafe {
        give(
            out,
            VnaccsKey {
                signer: Box::new(signer),
            },
        )
    };
}

/// A secret argument, copied into memory wiped when dropped.
///
/// # Safety
/// As [`optional_text`].
unsafe fn secret(ptr: *const c_char, name: &'static str) -> Result<Option<SecretString>, Failure> {
    // SAFETY: the caller's contract.
    Ok(unsafe { optional_text(ptr, name) }?.map(|s| SecretString::from(s.to_owned())))
}

/// Makes a key from a PEM private key (`PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with
/// `password`) and its PEM certificate, all NUL-terminated UTF-8 borrowed for the call
/// (`password` NULL when the key is not encrypted; the library wipes its copy), and writes its
/// handle into `*out`. Any thread.
///
/// Returns `VNACCS_OK`; a core status (e.g. code `key_file`, `key_file_password`,
/// `key_certificate_mismatch`); `VNACCS_NULL_ARGUMENT`, `VNACCS_INVALID_UTF8`. `*out` is
/// written only on success.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_key_from_pem(
    key_pem: *const c_char,
    certificate_pem: *const c_char,
    password: *const c_char,
    out: *mut *mut VnaccsKey,
) -> i32 {
    guard(|| {
        out_ptr(out)?;
        // SAFETY: the caller's contract.
        let (key, certificate, password) = unsafe {
            (
                text(key_pem, "key_pem")?,
                text(certificate_pem, "certificate_pem")?,
                secret(password, "password")?,
            )
        };
        let signer = SoftwareSigner::from_pem(key, certificate, password.as_ref())?;
        // SAFETY: out checked non-NULL; the caller's contract.
        unsafe { give_key(out, signer) };
        Ok(())
    })
}

/// Makes a key from a PKCS#12 file's bytes (`.pfx`, `.p12`; borrowed for the call) and its
/// `password` (NUL-terminated UTF-8; the library wipes its copy), and writes its handle into
/// `*out`. Any thread.
///
/// Returns `VNACCS_OK`; a core status (e.g. code `key_file_password` for a wrong password);
/// `VNACCS_NULL_ARGUMENT`, `VNACCS_INVALID_UTF8`. `*out` is written only on success.
///
/// # Safety
/// `data` has `len` readable bytes; `password` is NULL or NUL-terminated; `out` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_key_from_pfx(
    data: *const u8,
    len: usize,
    password: *const c_char,
    out: *mut *mut VnaccsKey,
) -> i32 {
    guard(|| {
        out_ptr(out)?;
        // SAFETY: the caller's contract.
        let (data, password) =
            unsafe { (bytes(data, len, "data")?, secret(password, "password")?) };
        let password = password.ok_or(crate::status::null_argument("password"))?;
        let signer = SoftwareSigner::from_pkcs12(data, &password)?;
        // SAFETY: out checked non-NULL; the caller's contract.
        unsafe { give_key(out, signer) };
        Ok(())
    })
}

/// Makes a key from a PKCS#11 token and writes its handle into `*out`. Any thread.
///
/// `module`: the PKCS#11 library's path (NULL: `VNACCS_PKCS11_MODULE`, else the first known
/// module found). `token_label`: the token (NULL: whichever token holds the certificate).
/// `certificate_serial`: the certificate whose key signs, in hex as the customs portal and a
/// certificate's view show it (`vnaccs_pkcs11_list` lists them). `pin`: the token's user PIN
/// (NULL for a PIN pad), used at the first signature's login, then wiped; never put it in JSON.
/// A wrong PIN is reported by the first signature (code `pin_incorrect`), which is one of the
/// token's few tries: do not retry with the same PIN.
///
/// Returns `VNACCS_OK`; a core status (e.g. `token_module_not_found`, `token_object_not_found`,
/// `invalid_certificate_serial`); `VNACCS_NULL_ARGUMENT` (out, certificate_serial),
/// `VNACCS_INVALID_UTF8`. `*out` is written only on success.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_key_from_token(
    module: *const c_char,
    token_label: *const c_char,
    certificate_serial: *const c_char,
    pin: *const c_char,
    out: *mut *mut VnaccsKey,
) -> i32 {
    guard(|| {
        out_ptr(out)?;
        // SAFETY: the caller's contract.
        let (module, label, serial, pin) = unsafe {
            (
                optional_text(module, "module")?,
                optional_text(token_label, "token_label")?,
                text(certificate_serial, "certificate_serial")?,
                secret(pin, "pin")?,
            )
        };
        let serial = CertificateSerial::parse(serial)?;
        // The PIN is given once, for the first login, and wiped when taken or with the key.
        let pin = Mutex::new(pin);
        let ask = Box::new(move |_: &PinRequest| {
            pin.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
        });
        let signer = Module::open(module.map(Path::new))?.signer(
            &serial,
            label,
            ask,
            PinPolicy::default(),
        )?;
        // SAFETY: out checked non-NULL; the caller's contract.
        unsafe { give_key(out, signer) };
        Ok(())
    })
}

/// The digest named `name` (`"sha1"`, `"sha256"`, `"sha384"`, `"sha512"`; NULL: SHA-256).
fn digest(name: Option<&str>) -> Result<DigestAlgorithm, Failure> {
    match name {
        None | Some("sha256") => Ok(DigestAlgorithm::Sha256),
        Some("sha1") => Ok(DigestAlgorithm::Sha1),
        Some("sha384") => Ok(DigestAlgorithm::Sha384),
        Some("sha512") => Ok(DigestAlgorithm::Sha512),
        Some(other) => Err(crate::status::invalid_argument("digest", other.to_owned())),
    }
}

/// Signs `data` with `key` and writes the signature's bytes into `buf`.
///
/// # Safety
/// As the exports' contracts.
unsafe fn sign_into(
    key: *const VnaccsKey,
    data: *const u8,
    len: usize,
    digest_name: *const c_char,
    out: (*mut u8, usize, *mut usize),
    sign: impl FnOnce(&dyn Signer, &[u8], DigestAlgorithm) -> vnaccs_core::Result<Vec<u8>>,
) -> i32 {
    guard(|| {
        let out = Out::new(out.0.cast(), out.1, out.2)?;
        // SAFETY: the caller's contract.
        let (key, data, name) = unsafe {
            (
                handle(key, "key")?,
                bytes(data, len, "data")?,
                optional_text(digest_name, "digest")?,
            )
        };
        let signature = sign(key.signer.as_ref(), data, digest(name)?)?;
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write_bytes(&signature) }
    })
}

/// Signs `data` (borrowed for the call) as a detached CMS SignedData, DER, with the signer's
/// certificate included and the signing time now; it verifies with `openssl cms -verify
/// -binary -inform DER -content DATA`. `digest` is `"sha256"` (NULL), `"sha1"`, `"sha384"` or
/// `"sha512"`. Binary output: `(buf, capacity, out_len)` as the text outputs (see
/// `vnaccs_last_error`) but without a NUL: `capacity` must be at least `*out_len`. As a token
/// signs anew each call, a buffer too small costs a signature: size it generously (16 KiB
/// holds any CMS of one certificate) or ask with `capacity` 0 first. Any thread.
///
/// Returns `VNACCS_OK`; a core status (e.g. `pin_incorrect`, `pin_locked`, `token_removed`);
/// `VNACCS_INVALID_ARGUMENT` (digest), `VNACCS_NULL_ARGUMENT`, `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `key` is NULL or a live handle; `data` has `len` readable bytes; `buf` has `capacity`
/// writable bytes; `out_len` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sign_cms(
    key: *const VnaccsKey,
    data: *const u8,
    len: usize,
    digest: *const c_char,
    buf: *mut u8,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: the caller's contract.
    unsafe {
        sign_into(
            key,
            data,
            len,
            digest,
            (buf, capacity, out_len),
            |s, d, a| sign_detached(s, d, a),
        )
    }
}

/// Signs `data` raw: a PKCS#1 v1.5 signature for an RSA key, a DER `ECDSA-Sig-Value` for an EC
/// key, of `data` hashed with `digest` (as `vnaccs_sign_cms`). Output, statuses and threads as
/// `vnaccs_sign_cms`.
///
/// # Safety
/// As `vnaccs_sign_cms`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sign_raw(
    key: *const VnaccsKey,
    data: *const u8,
    len: usize,
    digest: *const c_char,
    buf: *mut u8,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: the caller's contract.
    unsafe {
        sign_into(
            key,
            data,
            len,
            digest,
            (buf, capacity, out_len),
            |s, d, a| s.sign(a, d),
        )
    }
}

/// Frees a key (a token's session is closed when no other key uses it). NULL does nothing.
/// Call it once every other call on the key has returned; never use the handle afterwards.
///
/// # Safety
/// `key` is NULL or a live handle, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_key_free(key: *mut VnaccsKey) {
    if !key.is_null() {
        // SAFETY: the caller's contract: a handle from Box::into_raw, freed once.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drop(unsafe { Box::from_raw(key) })
        }));
    }
}

/// Lists the PKCS#11 module `module` (NULL: every known module found) as JSON into `buf`:
/// `{"modules": [{"path", "tokens": [{"label", "manufacturer", "model", "serial",
/// "login_required", "pin_pad", "pin_tries", "certificates": [{"label", "id", "private_key",
/// "serial", "subject_cn", "tax_code", "not_after"}]}]}]}`, as `vnaccs tokens --json` prints; a
/// module that cannot be read has an `"error"` instead of `"tokens"` (the call still succeeds).
/// No login: nothing is asked. Any thread.
///
/// Returns `VNACCS_OK`, `VNACCS_NULL_ARGUMENT`, `VNACCS_INVALID_UTF8`,
/// `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `module` is NULL or NUL-terminated; `buf` has `capacity` writable bytes; `out_len` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_pkcs11_list(
    module: *const c_char,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let module = unsafe { optional_text(module, "module") }?;
        let listing = vnaccs_core::token::listing(module.map(Path::new));
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&listing.to_string()) }
    })
}

/// Finalises and unloads the PKCS#11 modules no key uses any more (the library keeps a module
/// loaded between calls, so that it is initialised once), and writes how many into
/// `*out_count` (NULL: not written). Call it before unloading this library, or to have a
/// module re-read from disk. Any thread.
///
/// Returns `VNACCS_OK`.
///
/// # Safety
/// `out_count` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_pkcs11_release_unused(out_count: *mut usize) -> i32 {
    guard(|| {
        let released = Module::release_unused();
        if !out_count.is_null() {
            // SAFETY: non-NULL and writable by the caller's contract.
            unsafe { out_count.write(released) };
        }
        Ok(())
    })
}

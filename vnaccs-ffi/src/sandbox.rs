//! The simulated customs portal on loopback, for vendors' offline integration tests.

use std::ffi::c_char;
use std::path::Path;

use chrono::Utc;
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, Scenario};

use crate::boundary::{Out, give, guard, handle, json_text, optional_text, out_ptr};

/// A running sandbox portal. Opaque; from `vnaccs_sandbox_start`, stopped and freed by
/// `vnaccs_sandbox_free`. Its functions may be called from any thread, also at once.
pub struct VnaccsSandbox {
    sandbox: Sandbox,
}

/// Starts a sandbox portal on `127.0.0.1` (a free port) and writes its handle into `*out`.
///
/// `scenario_json` is the initial state (a scenario document, as `vnaccs sandbox --scenario`
/// reads), or NULL for the test PKI's standard enterprise: tax code 0302345459, representative
/// 001085012345, admin `admin@saigontrade.vn` / `Hq@2026vnaccs`, offices 01B1, 02CI, 03TG, its
/// old certificate registered. With NULL, `export_dir` (NULL: none) receives the test PKI's files
/// to sign with: `root.pem`, `cas.pem` (the root and the issuing CAs), `old.pem`, `old.key.pem`, `new.pem`, `new.key.pem`,
/// `other-tax-code.pem`, `other-tax-code.key.pem` and `scenario.json` (which later starts the
/// same portal quickly); it is ignored with a scenario. Any thread.
///
/// Returns `VNACCS_OK`; `VNACCS_INVALID_JSON`; a core status for an invalid scenario (code
/// `sandbox_scenario`) or a folder that cannot be written (`io`); `VNACCS_NULL_ARGUMENT` (out),
/// `VNACCS_INVALID_UTF8`. `*out` is written only on success.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sandbox_start(
    scenario_json: *const c_char,
    export_dir: *const c_char,
    out: *mut *mut VnaccsSandbox,
) -> i32 {
    guard(|| {
        out_ptr(out)?;
        let scenario = if scenario_json.is_null() {
            // SAFETY: the caller's contract.
            match unsafe { optional_text(export_dir, "export_dir") }? {
                Some(dir) => Scenario::export_test_pki(Path::new(dir), Utc::now())?,
                None => {
                    let pki = vnaccs_core::fixtures::TestPki::new(Utc::now());
                    Scenario::for_test_pki(&pki, &pki.standard())
                }
            }
        } else {
            // SAFETY: the caller's contract.
            Scenario::from_json(unsafe { json_text(scenario_json, "scenario_json") }?)?
        };
        let sandbox = Sandbox::start(SandboxConfig::new(scenario))?;
        // SAFETY: out checked non-NULL; the caller's contract.
        unsafe { give(out, VnaccsSandbox { sandbox }) };
        Ok(())
    })
}

/// Writes the sandbox's base URL (e.g. `http://127.0.0.1:41234/`) into `buf`: put it in a
/// request's `portal.base_url`. Any thread.
///
/// Returns `VNACCS_OK`, `VNACCS_NULL_ARGUMENT`, `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `sandbox` is NULL or a live handle; `buf` has `capacity` writable bytes; `out_len` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sandbox_url(
    sandbox: *const VnaccsSandbox,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let sandbox = unsafe { handle(sandbox, "sandbox") }?;
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(sandbox.sandbox.url().as_str()) }
    })
}

/// Writes the answer of the captcha the sandbox showed last into `buf` (empty when none yet):
/// a test answers `need_captcha` with it, where a person would read the image. Any thread.
///
/// Returns `VNACCS_OK`, `VNACCS_NULL_ARGUMENT`, `VNACCS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `sandbox` is NULL or a live handle; `buf` has `capacity` writable bytes; `out_len` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sandbox_captcha_answer(
    sandbox: *const VnaccsSandbox,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let sandbox = unsafe { handle(sandbox, "sandbox") }?;
        let answer = sandbox.sandbox.captcha_answer().unwrap_or_default();
        // SAFETY: checked by Out::new; the caller's contract.
        unsafe { out.write(&answer) }
    })
}

/// Customs (the sandbox's back office) approves every registration sent and not yet decided,
/// and writes how many into `*out_count`. Any thread.
///
/// Returns `VNACCS_OK`, `VNACCS_NULL_ARGUMENT`. `*out_count` is written only on success.
///
/// # Safety
/// `sandbox` is NULL or a live handle; `out_count` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sandbox_approve_sent(
    sandbox: *const VnaccsSandbox,
    out_count: *mut usize,
) -> i32 {
    guard(|| {
        // SAFETY: the caller's contract.
        let sandbox = unsafe { handle(sandbox, "sandbox") }?;
        if out_count.is_null() {
            return Err(crate::status::null_argument("out_count"));
        }
        let approved = sandbox.sandbox.approve_sent().len();
        // SAFETY: non-NULL and writable by the caller's contract.
        unsafe { out_count.write(approved) };
        Ok(())
    })
}

/// Stops the sandbox (its port closes) and frees the handle. NULL does nothing. Call it once
/// every other call on the sandbox has returned; never use the handle afterwards.
///
/// # Safety
/// `sandbox` is NULL or a live handle from `vnaccs_sandbox_start`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_sandbox_free(sandbox: *mut VnaccsSandbox) {
    if !sandbox.is_null() {
        // SAFETY: the caller's contract: a handle from Box::into_raw, freed once.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drop(unsafe { Box::from_raw(sandbox) })
        }));
    }
}

//! The job driver: a request runs on its own thread; the caller pulls its events and answers
//! its needs. No callback crosses the boundary.

use std::ffi::c_char;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::Value;
use vnaccs_core::workflow::{Document, Event, Job, Request, Secrets};

use crate::boundary::{Out, give, guard, handle, json_text, optional_text, out_ptr};
use crate::status::{Failure, error_json};

/// A running job. Opaque; from `vnaccs_job_start`, freed by `vnaccs_job_free`.
///
/// Threads: `vnaccs_job_cancel` may be called from any thread at any time while the handle
/// lives; the other functions from any thread, one call at a time per job (calls are
/// serialised). `vnaccs_job_free` only once every other call on the job has returned.
pub struct VnaccsJob {
    job: Job,
    /// An event read but not yet delivered (its buffer was too small), as JSON.
    pending: Mutex<Option<String>>,
}

/// A secret argument, copied into memory that is wiped when dropped.
///
/// # Safety
/// As [`optional_text`].
unsafe fn secret(ptr: *const c_char, name: &'static str) -> Result<Option<SecretString>, Failure> {
    // SAFETY: the caller's contract.
    Ok(unsafe { optional_text(ptr, name) }?.map(|s| SecretString::from(s.to_owned())))
}

/// Starts the job of `request_json` (a request document, `docs/schema/request.schema.json`:
/// `schema_version`, `operation` (`plan`, `update`, `resume`, `result`, `change_password`,
/// `forgot_password`), `enterprise`, `keys`, `portal`, `state_file`, `user_id`) on a thread of
/// its own, and writes its handle into `*out`.
///
/// The secrets are separate arguments, never in the JSON: `admin_password` (the VNACCS admin
/// account's), `key_password` (the .pfx files'), `new_password` (for `change_password`); each
/// NUL-terminated UTF-8 or NULL when not needed, copied and wiped by the library after use (the
/// caller wipes its own copy). A token's PIN is asked by a `need_pin` event.
///
/// Then call `vnaccs_job_next` until the `finished` or `failed` event. Any thread.
///
/// Returns `VNACCS_OK`; `VNACCS_INVALID_JSON` when `request_json` is not JSON; a core status
/// when it is not a valid request (code `invalid_request`); `VNACCS_NULL_ARGUMENT`,
/// `VNACCS_INVALID_UTF8`. Errors of the job itself come as its `failed` event. `*out` is
/// written only on success.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_job_start(
    request_json: *const c_char,
    admin_password: *const c_char,
    key_password: *const c_char,
    new_password: *const c_char,
    out: *mut *mut VnaccsJob,
) -> i32 {
    guard(|| {
        out_ptr(out)?;
        // SAFETY: the caller's contract.
        let request = Request::from_json(unsafe { json_text(request_json, "request_json") }?)?;
        // SAFETY: the caller's contract.
        let secrets = unsafe {
            Secrets {
                admin_password: secret(admin_password, "admin_password")?,
                key_password: secret(key_password, "key_password")?,
                new_password: secret(new_password, "new_password")?,
            }
        };
        let job = VnaccsJob {
            job: Job::start(request, secrets),
            pending: Mutex::new(None),
        };
        // SAFETY: out checked non-NULL; the caller's contract.
        unsafe { give(out, job) };
        Ok(())
    })
}

/// An event as its JSON document, a failure's error in the library's error form.
fn event_json(event: &Event) -> String {
    let mut value = serde_json::to_value(Document::new(event)).unwrap_or(Value::Null);
    if let Event::Failed { error } = event {
        value["error"] = error_json(error);
    }
    value.to_string()
}

/// Waits for the job's next event and writes it as a JSON document into `buf`:
/// `{"schema_version":1,"event":KIND,…}` where KIND is
/// - `progress`: `step` (when it names one), `message`, `message_vi`, `progress` (the event);
/// - `need_captcha`: `image_png` (base64 PNG), `attempt`; answer with
///   `vnaccs_job_provide_captcha`;
/// - `need_pin`: `token_label`, `tries`; answer with `vnaccs_job_provide_pin`;
/// - `finished`: `output` (the plan, outcome, result or password outcome, by `kind`); the last
///   event;
/// - `failed`: `error` (as `vnaccs_last_error`'s JSON; code `cancelled` after a cancel); the
///   last event.
///
/// `timeout_ms` < 0 waits as long as needed; otherwise at most that many milliseconds, then
/// returns `VNACCS_TIMEOUT` (call again). When the buffer is too small, the event is kept and
/// the next call returns it again, identical.
///
/// Returns `VNACCS_OK`, `VNACCS_TIMEOUT`, `VNACCS_BUFFER_TOO_SMALL`; `VNACCS_WRONG_STATE` after
/// the last event was read; `VNACCS_NULL_ARGUMENT`.
///
/// # Safety
/// `job` is NULL or a live handle; `buf` has `capacity` writable bytes; `out_len` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_job_next(
    job: *const VnaccsJob,
    timeout_ms: i64,
    buf: *mut c_char,
    capacity: usize,
    out_len: *mut usize,
) -> i32 {
    guard(|| {
        let out = Out::new(buf, capacity, out_len)?;
        // SAFETY: the caller's contract.
        let job = unsafe { handle(job, "job") }?;
        let mut pending = job.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let json = match pending.take() {
            Some(json) => json,
            None => {
                let event = match u64::try_from(timeout_ms) {
                    Err(_) => job.job.next_event()?,
                    Ok(ms) => job
                        .job
                        .next_event_timeout(Duration::from_millis(ms))?
                        .ok_or(crate::status::timeout())?,
                };
                event_json(&event)
            }
        };
        // SAFETY: checked by Out::new; the caller's contract.
        let written = unsafe { out.write(&json) };
        if written.is_err() {
            *pending = Some(json);
        }
        written
    })
}

/// Answers a `need_captcha` event with `answer` (the characters of the image, NUL-terminated
/// UTF-8), or gives up with NULL (the job then fails with code `captcha_cancelled`). Any thread.
///
/// Returns `VNACCS_OK`; `VNACCS_WRONG_STATE` when the job does not wait for a captcha;
/// `VNACCS_NULL_ARGUMENT` (job), `VNACCS_INVALID_UTF8`.
///
/// # Safety
/// `job` is NULL or a live handle; `answer` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_job_provide_captcha(
    job: *const VnaccsJob,
    answer: *const c_char,
) -> i32 {
    guard(|| {
        // SAFETY: the caller's contract.
        let (job, answer) = unsafe { (handle(job, "job")?, optional_text(answer, "answer")?) };
        job.job.provide_captcha(answer.map(str::to_owned))
    })
}

/// Answers a `need_pin` event with the token's `pin` (NUL-terminated UTF-8; copied, and the
/// copy wiped after use — the caller wipes its own), or gives up with NULL (the job then fails
/// with code `pin_cancelled`). A wrong PIN gives another `need_pin` event with the tries left,
/// or ends the job. Any thread.
///
/// Returns `VNACCS_OK`; `VNACCS_WRONG_STATE` when the job does not wait for a PIN;
/// `VNACCS_NULL_ARGUMENT` (job), `VNACCS_INVALID_UTF8`.
///
/// # Safety
/// `job` is NULL or a live handle; `pin` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_job_provide_pin(job: *const VnaccsJob, pin: *const c_char) -> i32 {
    guard(|| {
        // SAFETY: the caller's contract.
        let (job, pin) = unsafe { (handle(job, "job")?, secret(pin, "pin")?) };
        job.job.provide_pin(pin)
    })
}

/// Cancels the job, from any thread, even while another thread waits in `vnaccs_job_next`: it
/// stops before its next request (a need awaited is given up) and ends with a `failed` event
/// of code `cancelled`, unless it had finished already. A state file is kept for a later
/// `resume`.
///
/// Returns `VNACCS_OK`, `VNACCS_NULL_ARGUMENT`.
///
/// # Safety
/// `job` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_job_cancel(job: *const VnaccsJob) -> i32 {
    guard(|| {
        // SAFETY: the caller's contract.
        unsafe { handle(job, "job") }?.job.cancel();
        Ok(())
    })
}

/// Cancels the job if it still runs, waits for its thread to end and frees the handle. NULL
/// does nothing. Call it once every other call on the job has returned; never use the handle
/// afterwards.
///
/// # Safety
/// `job` is NULL or a live handle from `vnaccs_job_start`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vnaccs_job_free(job: *mut VnaccsJob) {
    if !job.is_null() {
        // SAFETY: the caller's contract: a handle from Box::into_raw, freed once.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drop(unsafe { Box::from_raw(job) })
        }));
    }
}

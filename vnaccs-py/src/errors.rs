//! The one place where a core error becomes a Python exception. The exception classes are
//! defined in Python (`vnaccs/exceptions.py`); each is filled from the error's JSON form, and its
//! class chosen by the error's category or code.

use pyo3::PyTypeInfo;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use vnaccs_core::Error;

use crate::convert::json_to_py;

pyo3::import_exception!(vnaccs.exceptions, VnaccsError);
pyo3::import_exception!(vnaccs.exceptions, InvalidInput);
pyo3::import_exception!(vnaccs.exceptions, CertificateError);
pyo3::import_exception!(vnaccs.exceptions, TokenError);
pyo3::import_exception!(vnaccs.exceptions, PinIncorrect);
pyo3::import_exception!(vnaccs.exceptions, PinLocked);
pyo3::import_exception!(vnaccs.exceptions, PortalError);
pyo3::import_exception!(vnaccs.exceptions, PortalRefused);
pyo3::import_exception!(vnaccs.exceptions, NetworkError);
pyo3::import_exception!(vnaccs.exceptions, Cancelled);
pyo3::import_exception!(vnaccs.exceptions, InternalError);

/// The exception of `error`: its class chosen by [`class_of`], its attributes from the error's
/// JSON form (`code`, `message`, `message_vi`, `step`, and `status`, `category`, `hint`,
/// `hint_vi`, `retryable` where the core gives them).
pub(crate) fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    let json = serde_json::to_value(error).unwrap_or_default();
    match build(py, error, &json) {
        Ok(err) => err,
        // The exception could not be made (an exception class that refused its fields): that
        // failure is raised instead.
        Err(failure) => failure,
    }
}

/// The fields of the JSON form that `VnaccsError` takes as keyword arguments (the English
/// message is its argument).
const FIELDS: [&str; 8] = [
    "code",
    "status",
    "category",
    "message_vi",
    "hint",
    "hint_vi",
    "retryable",
    "step",
];

fn build(py: Python<'_>, error: &Error, json: &serde_json::Value) -> PyResult<PyErr> {
    let code = json
        .get("code")
        .and_then(|c| c.as_str())
        .unwrap_or("internal");
    let category = json.get("category").and_then(|c| c.as_str());
    let class = class_of(py, error, code, category);
    let kwargs = PyDict::new(py);
    for key in FIELDS {
        if let Some(value) = json.get(key) {
            kwargs.set_item(key, json_to_py(py, value)?)?;
        }
    }
    if category.is_none() {
        kwargs.set_item("category", interim_category(code))?;
    }
    let exception = class.call((error.message_en(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exception))
}

/// The exception class of an error. By code for the cases a caller catches on their own, then by
/// the core's category; until the core gives a category, by the code's area.
fn class_of<'py>(
    py: Python<'py>,
    error: &Error,
    code: &str,
    category: Option<&str>,
) -> Bound<'py, pyo3::types::PyType> {
    let root = match error {
        Error::StepFailed { cause, .. } => cause.as_ref(),
        other => other,
    };
    let by_code = match code {
        "pin_incorrect" => Some(PinIncorrect::type_object(py)),
        "pin_locked" | "pin_final_try" => Some(PinLocked::type_object(py)),
        "cancelled" | "pin_cancelled" | "captcha_cancelled" => Some(Cancelled::type_object(py)),
        "internal" => Some(InternalError::type_object(py)),
        _ if matches!(root, Error::PortalRefused { .. }) => Some(PortalRefused::type_object(py)),
        _ => None,
    };
    if let Some(class) = by_code {
        return class;
    }
    let area = category.unwrap_or_else(|| interim_category(code));
    match area {
        "input" => InvalidInput::type_object(py),
        "certificate" => CertificateError::type_object(py),
        "token" => TokenError::type_object(py),
        "portal" => PortalError::type_object(py),
        "network" => NetworkError::type_object(py),
        "internal" => InternalError::type_object(py),
        _ => VnaccsError::type_object(py),
    }
}

/// The area of a code, while the core's errors carry no category of their own.
fn interim_category(code: &str) -> &'static str {
    match code {
        "portal_connection" | "portal_timeout" => "network",
        "invalid_certificate" => "certificate",
        "invalid_request" | "date_out_of_range" | "secret_not_given" => "input",
        c if c.starts_with("invalid_") => "input",
        c if c.starts_with("token_") || c.starts_with("pin_") || c == "signing_failed" => "token",
        c if c.starts_with("portal_") || c.starts_with("captcha_") => "portal",
        "site_profile" | "insecure_portal_url" | "record_rejected" | "outcome_unknown" => "portal",
        "certificate_other_tax_code"
        | "new_certificate_not_valid"
        | "no_usable_certificate"
        | "same_certificate"
        | "candidate_certificate_refused"
        | "old_certificate_unknown"
        | "unsupported_key"
        | "key_file"
        | "key_file_password"
        | "key_certificate_mismatch"
        | "not_cms"
        | "cms_content_mismatch"
        | "cms_wrong_signer"
        | "bad_signature"
        | "unsupported_algorithm" => "certificate",
        _ => "other",
    }
}

/// `Result<T, Error>` → `PyResult<T>`, through [`to_pyerr`], the core's queued log records
/// emitted first.
pub(crate) trait OrRaise<T> {
    /// The value, or the error raised as its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        // Every call into the core comes back through here: the moment to emit its log records.
        crate::logging::flush(py);
        self.map_err(|e| to_pyerr(py, &e))
    }
}

/// Runs the core's `work`, a panic in it becoming [`Error::Internal`] (raised as
/// `InternalError`, never pyo3's `PanicException`, a `BaseException`).
pub(crate) fn shielded<T>(work: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(Error::Internal {
            what: "a panic in the native module".into(),
        })
    })
}

/// Panics inside [`shielded`]: how the tests see that a panic becomes `InternalError`.
#[pyfunction]
pub(crate) fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    py.detach(|| shielded(|| -> Result<(), Error> { panic!("a panic for the test") }))
        .or_raise(py)
}

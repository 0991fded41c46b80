//! The one place where a core error becomes a Python exception. The exception classes are
//! defined in Python (`vnaccs/exceptions.py`); each is filled from the error's JSON form, and its
//! class chosen by the error's code or category.

use pyo3::PyTypeInfo;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use vnaccs_core::Error;
use vnaccs_core::error::Category;
use vnaccs_core::portal::PortalError as CorePortalError;

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
/// JSON form (`code`, `status`, `category`, `message_vi`, `hint`, `hint_vi`, `retryable`, `step`;
/// the English message is its argument).
pub(crate) fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    match build(py, error) {
        Ok(err) => err,
        // The exception could not be made (an exception class that refused its fields): that
        // failure is raised instead.
        Err(failure) => failure,
    }
}

/// The fields of the JSON form that `VnaccsError` takes as keyword arguments.
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

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let json = serde_json::to_value(error).unwrap_or_default();
    let kwargs = PyDict::new(py);
    for key in FIELDS {
        if let Some(value) = json.get(key) {
            kwargs.set_item(key, json_to_py(py, value)?)?;
        }
    }
    let exception = class_of(py, error).call((error.message_en(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exception))
}

/// The exception class of an error: by code for the cases a caller catches on their own (a
/// wrong or locked PIN, a refusal, a cancellation), else by the core's category.
fn class_of<'py>(py: Python<'py>, error: &Error) -> Bound<'py, pyo3::types::PyType> {
    let root = match error {
        Error::StepFailed { cause, .. } => cause.as_ref(),
        other => other,
    };
    match error.code() {
        "pin_incorrect" => return PinIncorrect::type_object(py),
        "pin_locked" | "pin_final_try" => return PinLocked::type_object(py),
        "cancelled" | "pin_cancelled" | "captcha_cancelled" => return Cancelled::type_object(py),
        _ => {}
    }
    if matches!(root, Error::Portal(CorePortalError::PortalRefused { .. })) {
        return PortalRefused::type_object(py);
    }
    match error.category() {
        Category::Input => InvalidInput::type_object(py),
        Category::Certificate | Category::Signing => CertificateError::type_object(py),
        Category::Token | Category::Pin => TokenError::type_object(py),
        Category::Portal => PortalError::type_object(py),
        Category::Network => NetworkError::type_object(py),
        Category::Internal => InternalError::type_object(py),
        _ => VnaccsError::type_object(py),
    }
}

/// `Result<T, Error>` → `PyResult<T>`, through [`to_pyerr`], the core's queued log records
/// emitted first.
pub(crate) trait OrRaise<T> {
    /// The value, or the error raised as its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T, E: Into<Error>> OrRaise<T> for Result<T, E> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        // Every call into the core comes back through here: the moment to emit its log records.
        crate::logging::flush(py);
        self.map_err(|e| to_pyerr(py, &e.into()))
    }
}

/// Runs the core's `work`, a panic in it becoming [`Error::Internal`] (raised as
/// `InternalError`, never pyo3's `PanicException`, a `BaseException`).
pub(crate) fn shielded<T, E: Into<Error>>(work: impl FnOnce() -> Result<T, E>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work().map_err(Into::into)))
        .unwrap_or_else(|_| {
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

//! The site profile checked against pages saved from the portal, as `vnaccs profile check` does:
//! the core's report document as a dict (the package wraps it in `ProfileCheck`).

use std::path::PathBuf;

use pyo3::prelude::*;
use vnaccs_core::portal::check_files;
use vnaccs_core::workflow::Document;

use crate::convert::to_py;
use crate::errors::{OrRaise, shielded};

/// Checks the built-in profile, with the TOML overlay `profile` merged over it, against the
/// saved `pages` (HTML or HAR files); returns the report document (`docs/schema/
/// profile_check.json`) as a dict.
#[pyfunction]
#[pyo3(signature = (pages, profile=None))]
pub(crate) fn check_profile(
    py: Python<'_>,
    pages: Vec<PathBuf>,
    profile: Option<PathBuf>,
) -> PyResult<Py<PyAny>> {
    let report = py
        .detach(|| shielded(|| check_files(profile.as_deref(), &pages)))
        .or_raise(py)?;
    to_py(py, &Document::new(report))
}

/// Adds the profile check to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_profile, m)?)
}

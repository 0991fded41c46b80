//! Reading saved portal pages offline: an OE4001 result page as the workflow reads it.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use vnaccs_core::ids::TaxCode;
use vnaccs_core::portal::{SiteProfile, read_search_page as read};

use crate::convert::to_py;
use crate::errors::{OrRaise, shielded};

/// The built-in site profile, read once.
fn default_profile() -> &'static SiteProfile {
    static PROFILE: OnceLock<SiteProfile> = OnceLock::new();
    PROFILE.get_or_init(SiteProfile::default)
}

/// Reads an OE4001 result page (its HTML) of the enterprise `tax_code` through the site profile
/// (the built-in one, or the built-in one with the TOML overlay `profile` over it): a dict with
/// `records` (each record's JSON form, as in an update's outcome) and `hidden_fields` (the
/// form's hidden WebForms fields, name to value). Raises `PortalError` for a page the workflow
/// could not read.
#[pyfunction]
#[pyo3(signature = (html, tax_code, profile = None))]
pub(crate) fn read_search_page<'py>(
    py: Python<'py>,
    html: &str,
    tax_code: &str,
    profile: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let page = py
        .detach(|| {
            shielded(|| {
                let tax_code: TaxCode = tax_code.parse()?;
                match profile {
                    Some(overlay) => read(&SiteProfile::from_overlay(overlay)?, html, &tax_code),
                    None => read(default_profile(), html, &tax_code),
                }
            })
        })
        .or_raise(py)?;
    let hidden = PyDict::new(py);
    for (name, value) in &page.hidden_fields {
        hidden.set_item(name, value)?;
    }
    let out = PyDict::new(py);
    out.set_item("records", to_py(py, &page.records)?)?;
    out.set_item("hidden_fields", hidden)?;
    Ok(out)
}

/// Adds the page reading to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_search_page, m)?)
}

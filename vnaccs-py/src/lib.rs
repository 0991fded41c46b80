//! The Python extension module `vnaccs._vnaccs`. The public Python API is the `vnaccs` package
//! (`python/vnaccs`), which re-exports what is here and adds the update's Python face over the
//! core's driver; every rule lives in `vnaccs-core`.

use pyo3::prelude::*;

mod cert;
mod convert;
mod errors;
mod ids;
mod job;
mod keys;
mod logging;
mod pages;
mod profile;
mod sandbox;

/// The library's version, e.g. `"0.1.0"`.
#[pyfunction]
fn version() -> &'static str {
    vnaccs_core::VERSION
}

/// The native module.
#[pymodule]
fn _vnaccs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install(m.py());
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add("SCHEMA_VERSION", vnaccs_core::workflow::SCHEMA_VERSION)?;
    m.add_function(wrap_pyfunction!(logging::flush_logs, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_panic_for_test, m)?)?;
    m.add_class::<cert::Certificate>()?;
    ids::register(m)?;
    keys::register(m)?;
    job::register(m)?;
    sandbox::register(m)?;
    pages::register(m)?;
    profile::register(m)?;
    Ok(())
}

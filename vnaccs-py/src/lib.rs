//! The Python extension module `vnaccs._vnaccs`. The public Python API is the `vnaccs` package
//! (`python/vnaccs`), which re-exports what is here; every rule lives in `vnaccs-core`.

use pyo3::prelude::*;

/// The library's version, e.g. `"0.1.0"`.
#[pyfunction]
fn version() -> &'static str {
    vnaccs_core::VERSION
}

/// The native module.
#[pymodule]
fn _vnaccs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}

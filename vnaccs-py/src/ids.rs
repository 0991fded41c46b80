//! The validated identifiers: each class is built from a string (invalid values raise
//! `InvalidInput`), compares and hashes by its canonical form, and `str()` gives that form.

use pyo3::prelude::*;
use vnaccs_core::ids;

use crate::errors::OrRaise;

/// A Python class over an identifier of the core.
macro_rules! identifier {
    ($rust:ident, $core:ty, $name:literal, $doc:literal $(, { $($extra:tt)* })?) => {
        #[doc = $doc]
        #[pyclass(frozen, module = "vnaccs", name = $name)]
        pub(crate) struct $rust(pub(crate) $core);

        #[pymethods]
        impl $rust {
            #[new]
            fn new(py: Python<'_>, value: &str) -> PyResult<Self> {
                value.parse::<$core>().or_raise(py).map(Self)
            }

            fn __str__(&self) -> String {
                self.0.to_string()
            }

            fn __repr__(&self) -> String {
                format!("{}({:?})", $name, self.0.to_string())
            }

            fn __eq__(&self, other: &Self) -> bool {
                self.0.to_string() == other.0.to_string()
            }

            fn __hash__(&self) -> u64 {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                self.0.to_string().hash(&mut hasher);
                hasher.finish()
            }

            $($($extra)*)?
        }
    };
}

identifier!(
    TaxCode,
    ids::TaxCode,
    "TaxCode",
    "A tax code (Mã số thuế): 10 digits, or 13 with a branch.",
    {
        /// The 10-digit base.
        #[getter]
        fn base(&self) -> &str {
            self.0.base()
        }

        /// The 3-digit branch, if any.
        #[getter]
        fn branch(&self) -> Option<&str> {
            self.0.branch()
        }
    }
);
identifier!(UserId, ids::UserId, "UserId", "A VNACCS User ID.");
identifier!(
    TerminalId,
    ids::TerminalId,
    "TerminalId",
    "A VNACCS Terminal ID."
);
identifier!(
    TerminalAccessKey,
    ids::TerminalAccessKey,
    "TerminalAccessKey",
    "A Terminal access key."
);
identifier!(
    CustomsOfficeCode,
    ids::CustomsOfficeCode,
    "CustomsOfficeCode",
    "A customs office code (Mã cục/chi cục HQ)."
);
identifier!(
    Email,
    ids::Email,
    "Email",
    "An email address as the portal accepts it."
);
identifier!(
    CertificateSerial,
    ids::CertificateSerial,
    "CertificateSerial",
    "A certificate's serial number, upper-case hex."
);
identifier!(
    PersonalId,
    ids::PersonalId,
    "PersonalId",
    "A personal ID number (CMND, CCCD or passport).",
    {
        /// `CMND`, `CCCD` or the passport prefix.
        #[getter]
        fn kind(&self) -> &'static str {
            self.0.kind().prefix()
        }

        /// The number, without its kind.
        #[getter]
        fn number(&self) -> &str {
            self.0.number()
        }
    }
);

/// Adds the identifier classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<TaxCode>()?;
    m.add_class::<UserId>()?;
    m.add_class::<TerminalId>()?;
    m.add_class::<TerminalAccessKey>()?;
    m.add_class::<CustomsOfficeCode>()?;
    m.add_class::<Email>()?;
    m.add_class::<CertificateSerial>()?;
    m.add_class::<PersonalId>()?;
    Ok(())
}

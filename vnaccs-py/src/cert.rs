//! `vnaccs.Certificate`: an X.509 certificate as the portal and the update see it.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use vnaccs_core::cert::{self, TrustAnchors};

use crate::convert::to_py;
use crate::errors::{OrRaise, shielded};

/// A parsed certificate. Immutable; safe to share between threads.
#[pyclass(frozen, module = "vnaccs", name = "Certificate")]
pub(crate) struct Certificate(pub(crate) cert::Certificate);

/// Text or bytes, as `from_pem` takes them.
#[derive(FromPyObject)]
pub(crate) enum TextOrBytes {
    /// A `str`.
    Text(String),
    /// A `bytes`.
    Bytes(Vec<u8>),
}

impl TextOrBytes {
    /// The bytes of either.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        match self {
            TextOrBytes::Text(text) => text.into_bytes(),
            TextOrBytes::Bytes(bytes) => bytes,
        }
    }
}

fn wrap(certificates: Vec<cert::Certificate>) -> Vec<Certificate> {
    certificates.into_iter().map(Certificate).collect()
}

#[pymethods]
impl Certificate {
    /// The certificate in `data`, DER.
    #[staticmethod]
    fn from_der(py: Python<'_>, data: &[u8]) -> PyResult<Certificate> {
        shielded(|| cert::Certificate::from_der(data))
            .or_raise(py)
            .map(Certificate)
    }

    /// Every certificate in PEM text.
    #[staticmethod]
    fn from_pem(py: Python<'_>, data: TextOrBytes) -> PyResult<Vec<Certificate>> {
        shielded(|| cert::Certificate::load_all(&data.into_bytes()))
            .or_raise(py)
            .map(wrap)
    }

    /// Every certificate in a file: DER, PEM or base64.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Vec<Certificate>> {
        let bytes = std::fs::read(&path)
            .map_err(|e| vnaccs_core::Error::io(&path, &e))
            .or_raise(py)?;
        shielded(|| cert::Certificate::load_all(&bytes))
            .or_raise(py)
            .map(wrap)
    }

    /// Serial number, upper-case hex.
    #[getter]
    fn serial(&self) -> String {
        self.0.serial().to_string()
    }

    /// The subject's common name.
    #[getter]
    fn subject_cn(&self) -> Option<&str> {
        self.0.subject().get(&cert::AttributeKind::CommonName)
    }

    /// The issuer's common name.
    #[getter]
    fn issuer_cn(&self) -> Option<&str> {
        self.0.issuer().get(&cert::AttributeKind::CommonName)
    }

    /// The whole subject, `CN=…, O=…`.
    #[getter]
    fn subject(&self) -> String {
        self.0.subject().to_string()
    }

    /// The whole issuer.
    #[getter]
    fn issuer(&self) -> String {
        self.0.issuer().to_string()
    }

    /// The known CA family of the issuer (e.g. `VNPT-CA`), if known.
    #[getter]
    fn ca(&self) -> Option<&'static str> {
        self.0.ca_family().map(cert::CaFamily::name)
    }

    /// The subject's identities, `(kind, value)`: e.g. `("MST", "0302345459")`.
    #[getter]
    fn identities(&self) -> Vec<(String, String)> {
        self.0
            .identities()
            .iter()
            .map(|i| (i.kind.prefix().to_owned(), i.value.clone()))
            .collect()
    }

    /// The holder's valid tax code, if the certificate carries one.
    #[getter]
    fn tax_code(&self) -> Option<String> {
        self.0.tax_code().map(ToString::to_string)
    }

    /// Start of validity, UTC.
    #[getter]
    fn not_before(&self) -> DateTime<Utc> {
        self.0.not_before()
    }

    /// End of validity, UTC.
    #[getter]
    fn not_after(&self) -> DateTime<Utc> {
        self.0.not_after()
    }

    /// `RSA`, `EC P-256`, `EC P-384`, or the key's OID.
    #[getter]
    fn key_algorithm(&self) -> String {
        self.0.key_algorithm_name()
    }

    /// Public key size in bits.
    #[getter]
    fn key_bits(&self) -> u32 {
        self.0.key_bits()
    }

    /// SHA-1 thumbprint, upper-case hex.
    #[getter]
    fn sha1_thumbprint(&self) -> String {
        self.0.sha1_thumbprint()
    }

    /// SHA-256 thumbprint, upper-case hex.
    #[getter]
    fn sha256_thumbprint(&self) -> String {
        self.0.sha256_thumbprint()
    }

    /// Whether it is a CA certificate.
    #[getter]
    fn is_ca(&self) -> bool {
        self.0.is_ca()
    }

    /// The certificate, DER.
    #[getter]
    fn der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.der())
    }

    /// The summary as a dict (JSON types; times RFC 3339), its chain checked against the
    /// national roots.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.0.summary(&TrustAnchors::national()))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0.der() == other.0.der()
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.0.der().hash(&mut hasher);
        hasher.finish()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Certificate serial={} subject_cn={:?}>",
            self.0.serial(),
            self.subject_cn().unwrap_or_default()
        )
    }
}

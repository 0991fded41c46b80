//! Tokens and keys: PKCS#11 modules and their tokens, the certificates on a token, and keys that
//! sign (on a token, or in a .pfx or PEM file). Token and signing work runs without the GIL.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use secrecy::SecretString;
use vnaccs_core::sign::{self, DigestAlgorithm, Signer, SoftwareSigner};
use vnaccs_core::token::{self, Module, PinPolicy};

use crate::cert::{Certificate, TextOrBytes};
use crate::errors::{OrRaise, shielded};

/// A secret given as `str` or `bytes` (UTF-8).
#[derive(FromPyObject)]
pub(crate) enum Secret {
    /// A `str`.
    Text(String),
    /// A `bytes`.
    Bytes(Vec<u8>),
}

impl Secret {
    /// The secret, or `ValueError` for bytes that are not UTF-8.
    pub(crate) fn into_secret(self) -> PyResult<SecretString> {
        let text = match self {
            Secret::Text(text) => text,
            Secret::Bytes(bytes) => String::from_utf8(bytes)
                .map_err(|_| PyValueError::new_err("a PIN or password in bytes must be UTF-8"))?,
        };
        Ok(SecretString::from(text))
    }
}

/// The digest named `name` (`sha1`, `sha256`, `SHA-384`, …).
fn digest(name: &str) -> PyResult<DigestAlgorithm> {
    let wanted = name.replace('-', "").to_ascii_lowercase();
    [
        DigestAlgorithm::Sha1,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ]
    .into_iter()
    .find(|d| d.name().replace('-', "").to_ascii_lowercase() == wanted)
    .ok_or_else(|| PyValueError::new_err(format!("unknown digest {name:?}")))
}

/// The token modules found in the platform's usual folders.
#[pyfunction]
pub(crate) fn modules() -> Vec<PathBuf> {
    token::available_modules()
}

/// The initialised tokens of `module` (default: `VNACCS_PKCS11_MODULE`, else the first known
/// module found).
#[pyfunction]
#[pyo3(signature = (module=None))]
pub(crate) fn tokens(py: Python<'_>, module: Option<PathBuf>) -> PyResult<Vec<Token>> {
    py.detach(|| shielded(|| Module::open(module.as_deref())?.tokens()))
        .or_raise(py)
        .map(|tokens| tokens.into_iter().map(Token).collect())
}

/// The token labelled `label` in `module` (default module as for [`tokens`]).
#[pyfunction]
#[pyo3(signature = (label, module=None))]
pub(crate) fn open_token(py: Python<'_>, label: &str, module: Option<PathBuf>) -> PyResult<Token> {
    py.detach(|| shielded(|| Module::open(module.as_deref())?.token(label)))
        .or_raise(py)
        .map(Token)
}

/// A token in a slot of a loaded module.
#[pyclass(frozen, module = "vnaccs", name = "Token")]
pub(crate) struct Token(token::Token);

#[pymethods]
impl Token {
    /// The token's label.
    #[getter]
    fn label(&self) -> &str {
        &self.0.info().label
    }

    /// The token's serial number.
    #[getter]
    fn serial(&self) -> &str {
        &self.0.info().serial
    }

    /// The manufacturer.
    #[getter]
    fn manufacturer(&self) -> &str {
        &self.0.info().manufacturer
    }

    /// The model.
    #[getter]
    fn model(&self) -> &str {
        &self.0.info().model
    }

    /// The slot's number in its module.
    #[getter]
    fn slot_id(&self) -> u64 {
        self.0.info().slot_id
    }

    /// Whether signing needs a login (a PIN).
    #[getter]
    fn login_required(&self) -> bool {
        self.0.info().login_required
    }

    /// The certificates on the token, read without logging in.
    fn certificates(&self, py: Python<'_>) -> PyResult<Vec<TokenCertificate>> {
        let found = py
            .detach(|| shielded(|| self.0.certificates()))
            .or_raise(py)?;
        found
            .into_iter()
            .map(|object| {
                let view = object.view().or_raise(py)?;
                Ok(TokenCertificate {
                    object,
                    certificate: Py::new(py, Certificate(view))?,
                })
            })
            .collect()
    }

    /// The key of `certificate`, signing with `pin` (logged in at the first signature).
    #[pyo3(signature = (certificate, pin=None, allow_final_try=false))]
    fn key(
        &self,
        py: Python<'_>,
        certificate: &TokenCertificate,
        pin: Option<Secret>,
        allow_final_try: bool,
    ) -> PyResult<Key> {
        let pin = pin.map(Secret::into_secret).transpose()?;
        let policy = PinPolicy::default().with_allow_final_try(allow_final_try);
        let callback: token::PinCallback = Box::new(move |_| pin.clone());
        let signer = self
            .0
            .signer(&certificate.object, callback, policy)
            .or_raise(py)?;
        Ok(Key(Arc::new(signer)))
    }

    fn __repr__(&self) -> String {
        format!("<Token label={:?}>", self.0.info().label)
    }
}

/// A certificate on a token.
#[pyclass(frozen, module = "vnaccs", name = "TokenCertificate")]
pub(crate) struct TokenCertificate {
    object: token::TokenCertificate,
    certificate: Py<Certificate>,
}

#[pymethods]
impl TokenCertificate {
    /// The certificate.
    #[getter]
    fn certificate(&self, py: Python<'_>) -> Py<Certificate> {
        self.certificate.clone_ref(py)
    }

    /// Its `CKA_LABEL`.
    #[getter]
    fn label(&self) -> &str {
        &self.object.label
    }

    /// Its `CKA_ID`.
    #[getter]
    fn id<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.object.id)
    }

    /// Whether its private key is on the token; `None` when the token hides keys until login.
    #[getter]
    fn has_key(&self) -> Option<bool> {
        match self.object.private_key {
            token::KeyPresence::Present => Some(true),
            token::KeyPresence::Absent => Some(false),
            token::KeyPresence::Unknown => None,
        }
    }
}

/// A private key with its certificate, on a token or from a file. Safe to share between
/// threads; signing releases the GIL.
#[pyclass(frozen, module = "vnaccs", name = "Key")]
pub(crate) struct Key(Arc<dyn Signer>);

/// A file path or its bytes.
#[derive(FromPyObject)]
pub(crate) enum PathOrBytes {
    /// `bytes`: the file's content.
    Bytes(Vec<u8>),
    /// A path.
    Path(PathBuf),
}

#[pymethods]
impl Key {
    /// The key and certificate of a PKCS#12 file (.pfx, .p12), given as a path or its bytes.
    #[staticmethod]
    fn from_pfx(py: Python<'_>, source: PathOrBytes, password: Secret) -> PyResult<Key> {
        let password = password.into_secret()?;
        let signer = py
            .detach(|| {
                shielded(|| match &source {
                    PathOrBytes::Bytes(data) => SoftwareSigner::from_pkcs12(data, &password),
                    PathOrBytes::Path(path) => SoftwareSigner::from_pkcs12_file(path, &password),
                })
            })
            .or_raise(py)?;
        Ok(Key(Arc::new(signer)))
    }

    /// A PEM certificate and its PKCS#8 private key (encrypted with `password`, or not).
    #[staticmethod]
    #[pyo3(signature = (certificate, key, password=None))]
    fn from_pem(
        py: Python<'_>,
        certificate: TextOrBytes,
        key: TextOrBytes,
        password: Option<Secret>,
    ) -> PyResult<Key> {
        let password = password.map(Secret::into_secret).transpose()?;
        let text = |t: TextOrBytes| String::from_utf8_lossy(&t.into_bytes()).into_owned();
        let (certificate, key) = (text(certificate), text(key));
        let signer = shielded(|| SoftwareSigner::from_pem(&key, &certificate, password.as_ref()))
            .or_raise(py)?;
        Ok(Key(Arc::new(signer)))
    }

    /// The key's certificate.
    #[getter]
    fn certificate(&self, py: Python<'_>) -> PyResult<Certificate> {
        vnaccs_core::cert::Certificate::from_der(self.0.certificate_der())
            .or_raise(py)
            .map(Certificate)
    }

    /// `RSA`, `EC P-256` or `EC P-384`.
    #[getter]
    fn key_algorithm(&self) -> &'static str {
        self.0.key_algorithm().name()
    }

    /// A detached CMS signature (DER) of `data`, with the certificate and a signing time.
    #[pyo3(signature = (data, digest="sha256"))]
    fn sign_cms<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        digest: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let digest = self::digest(digest)?;
        let signature = py
            .detach(|| shielded(|| sign::sign_detached(self.0.as_ref(), data, digest)))
            .or_raise(py)?;
        Ok(PyBytes::new(py, &signature))
    }

    /// A bare signature of `data` hashed with `digest`: PKCS#1 v1.5 for RSA, DER ECDSA for EC.
    #[pyo3(signature = (data, digest="sha256"))]
    fn sign_raw<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        digest: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let digest = self::digest(digest)?;
        let signature = py
            .detach(|| shielded(|| self.0.sign(digest, data)))
            .or_raise(py)?;
        Ok(PyBytes::new(py, &signature))
    }
}

/// Checks a detached CMS signature of `content` by `certificate`; raises `CertificateError`
/// when it does not verify. Returns the digest's name.
#[pyfunction]
pub(crate) fn verify_cms(
    py: Python<'_>,
    signature: &[u8],
    content: &[u8],
    certificate: &Certificate,
) -> PyResult<&'static str> {
    py.detach(|| shielded(|| sign::verify_detached(signature, content, certificate.0.der())))
        .or_raise(py)
        .map(|v| v.digest.name())
}

/// Adds the token and key API to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(modules, m)?)?;
    m.add_function(wrap_pyfunction!(tokens, m)?)?;
    m.add_function(wrap_pyfunction!(open_token, m)?)?;
    m.add_function(wrap_pyfunction!(verify_cms, m)?)?;
    m.add_class::<Token>()?;
    m.add_class::<TokenCertificate>()?;
    m.add_class::<Key>()?;
    Ok(())
}

//! `vnaccs.Sandbox`: the simulated customs portal on loopback, with its test PKI, so that a
//! Python user runs a whole update offline.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use vnaccs_core::fixtures::{Issued, StandardSet, TestPki};
use vnaccs_core::sandbox::{self, Fault, Operation, SandboxConfig, Scenario};

use crate::cert::Certificate;
use crate::convert::to_py;
use crate::errors::{OrRaise, shielded};

/// What `scenario` may be: a dict (the scenario document) or the path of a JSON file.
#[derive(FromPyObject)]
pub(crate) enum ScenarioArg<'py> {
    /// The document, as a dict.
    Document(Bound<'py, PyDict>),
    /// A JSON file.
    Path(PathBuf),
}

/// The sandbox portal. Start it with `with vnaccs.Sandbox() as portal:`; it stops at the end of
/// the block (or on `stop()`).
#[pyclass(frozen, module = "vnaccs", name = "Sandbox")]
pub(crate) struct Sandbox {
    running: Mutex<Option<Arc<sandbox::Sandbox>>>,
}

/// The test PKI and its standard certificates, made once per process (at the first sandbox), so
/// that keys written to a token once serve every sandbox of the process.
fn pki() -> &'static (TestPki, StandardSet) {
    static PKI: OnceLock<(TestPki, StandardSet)> = OnceLock::new();
    PKI.get_or_init(|| {
        let pki = TestPki::new(Utc::now().trunc_subsecs(0));
        let set = pki.standard();
        (pki, set)
    })
}

impl Sandbox {
    /// The running sandbox, or `ValueError` once stopped (as for a closed file).
    fn get(&self) -> PyResult<Arc<sandbox::Sandbox>> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| PyValueError::new_err("the sandbox is stopped"))
    }
}

/// The operation named `name` (`send`, `register_submit`, …).
fn operation(name: &str) -> PyResult<Operation> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|_| PyValueError::new_err(format!("unknown sandbox operation {name:?}")))
}

#[pymethods]
impl Sandbox {
    /// Starts a sandbox on a free loopback port. Without `scenario`: the standard enterprise of
    /// the test PKI with its old certificate registered and one declarant (see `test_keys()`),
    /// its clock at the time the process's test PKI was made.
    #[new]
    #[pyo3(signature = (scenario=None, *, seed=0))]
    fn new(py: Python<'_>, scenario: Option<ScenarioArg<'_>>, seed: u64) -> PyResult<Sandbox> {
        let (pki, set) = py.detach(pki);
        let scenario = match scenario {
            None => Scenario::for_test_pki(pki, set),
            Some(ScenarioArg::Path(path)) => Scenario::from_file(&path).or_raise(py)?,
            Some(ScenarioArg::Document(dict)) => {
                let json: String = py
                    .import("json")?
                    .call_method1("dumps", (dict,))?
                    .extract()?;
                Scenario::from_json(&json).or_raise(py)?
            }
        };
        let config = SandboxConfig::new(scenario).with_seed(seed);
        let running = py
            .detach(|| shielded(|| sandbox::Sandbox::start(config)))
            .or_raise(py)?;
        Ok(Sandbox {
            running: Mutex::new(Some(Arc::new(running))),
        })
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.stop(py);
        false
    }

    /// Stops serving (idempotent).
    fn stop(&self, py: Python<'_>) {
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        py.detach(move || drop(running));
    }

    /// The base URL of both websites, e.g. `http://127.0.0.1:41234/`.
    #[getter]
    fn url(&self) -> PyResult<String> {
        Ok(self.get()?.url().to_string())
    }

    /// The sandbox clock's time.
    #[getter]
    fn now(&self) -> PyResult<DateTime<Utc>> {
        Ok(self.get()?.clock().now())
    }

    /// Sets the sandbox clock.
    fn set_time(&self, instant: DateTime<Utc>) -> PyResult<()> {
        self.get()?.clock().set(instant);
        Ok(())
    }

    /// Moves the sandbox clock on by `delta`; returns the new time.
    fn advance(&self, delta: TimeDelta) -> PyResult<DateTime<Utc>> {
        Ok(self.get()?.clock().advance(delta))
    }

    /// The answer of the captcha shown last, if any.
    fn captcha_answer(&self) -> PyResult<Option<String>> {
        Ok(self.get()?.captcha_answer())
    }

    /// Customs approves every sent registration; returns their numbers.
    fn approve_sent(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let sb = self.get()?;
        Ok(py.detach(|| sb.approve_sent()))
    }

    /// Customs approves the registration `number`.
    fn approve(&self, py: Python<'_>, number: &str) -> PyResult<()> {
        self.get()?.approve(number).or_raise(py)
    }

    /// Customs rejects the registration `number`, with `reason` if given.
    #[pyo3(signature = (number, reason=None))]
    fn reject(&self, py: Python<'_>, number: &str, reason: Option<&str>) -> PyResult<()> {
        let sb = self.get()?;
        match reason {
            Some(reason) => sb.reject_because(number, reason),
            None => sb.reject(number),
        }
        .or_raise(py)
    }

    /// Makes the next `times` requests of `operation` fail with `kind` (`status500`,
    /// `status503`, `drop`, `session_expiry`, `maintenance`, `process_then_expire`,
    /// `process_then_drop`).
    #[pyo3(signature = (kind, at, times=1))]
    fn inject(&self, kind: &str, at: &str, times: u32) -> PyResult<()> {
        let kind = serde_json::from_value(serde_json::Value::String(kind.to_owned()))
            .map_err(|_| PyValueError::new_err(format!("unknown fault {kind:?}")))?;
        let fault = Fault {
            kind,
            at: operation(at)?,
            times,
        };
        self.get()?.inject(fault);
        Ok(())
    }

    /// How many injected faults have not happened yet.
    fn faults_pending(&self) -> PyResult<u32> {
        Ok(self.get()?.faults_pending())
    }

    /// How many times `operation` (e.g. `send`) changed the portal's state.
    fn effects(&self, operation: &str) -> PyResult<u32> {
        Ok(self.get()?.effects(self::operation(operation)?))
    }

    /// The portal's state (no secrets), as a dict.
    fn snapshot(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.get()?.snapshot())
    }

    /// The test PKI's certificates with their private keys, by name (`enterprise_old`,
    /// `enterprise_new`, `other_tax_code`, …): the enterprise's old certificate is the one the
    /// standard scenario has registered, `enterprise_new` its renewal.
    #[staticmethod]
    fn test_keys(py: Python<'_>) -> std::collections::BTreeMap<String, TestKey> {
        let (_, set) = py.detach(pki);
        set.all()
            .into_iter()
            .map(|(name, issued)| (name.to_owned(), TestKey::of(name, issued)))
            .collect()
    }

    /// The test PKI's CA certificates: its root and issuing CAs.
    #[staticmethod]
    fn ca_certificates(py: Python<'_>) -> PyResult<Vec<Certificate>> {
        let (pki, _) = py.detach(pki);
        [&pki.root, &pki.ca, &pki.other_ca]
            .into_iter()
            .map(|issued| {
                vnaccs_core::cert::Certificate::from_der(&issued.der)
                    .or_raise(py)
                    .map(Certificate)
            })
            .collect()
    }

    /// The standard scenario's enterprise: tax code.
    #[classattr]
    const TAX_CODE: &'static str = vnaccs_core::fixtures::TAX;
    /// The standard scenario's legal representative's ID number.
    #[classattr]
    const REPRESENTATIVE_ID: &'static str = sandbox::TEST_REPRESENTATIVE_ID;
    /// The standard scenario's admin account email.
    #[classattr]
    const ADMIN_EMAIL: &'static str = sandbox::TEST_ADMIN_EMAIL;
    /// The standard scenario's admin account password (a test value, served by the sandbox).
    #[classattr]
    const ADMIN_PASSWORD: &'static str = sandbox::TEST_ADMIN_PASSWORD;
    /// The standard scenario's declarant User ID.
    #[classattr]
    const DECLARANT_USER_ID: &'static str = sandbox::TEST_DECLARANT_USER_ID;

    /// The standard scenario's customs offices.
    #[classattr]
    fn offices() -> Vec<&'static str> {
        sandbox::TEST_OFFICES.to_vec()
    }
}

/// A test certificate with its private key.
#[pyclass(frozen, module = "vnaccs", name = "TestKey")]
pub(crate) struct TestKey {
    name: String,
    der: Vec<u8>,
    pem: String,
    key_der: Vec<u8>,
    key_pem: String,
}

impl TestKey {
    fn of(name: &str, issued: &Issued) -> TestKey {
        TestKey {
            name: name.to_owned(),
            der: issued.der.clone(),
            pem: issued.pem(),
            key_der: issued.key.pkcs8_der().to_vec(),
            key_pem: issued.key.pkcs8_pem().to_string(),
        }
    }
}

#[pymethods]
impl TestKey {
    /// Its name in the test PKI, e.g. `enterprise_new`.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The certificate.
    #[getter]
    fn certificate(&self, py: Python<'_>) -> PyResult<Certificate> {
        vnaccs_core::cert::Certificate::from_der(&self.der)
            .or_raise(py)
            .map(Certificate)
    }

    /// The certificate, PEM.
    #[getter]
    fn certificate_pem(&self) -> &str {
        &self.pem
    }

    /// The certificate, DER.
    #[getter]
    fn certificate_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.der)
    }

    /// The private key, PKCS#8 PEM (unencrypted: a test key).
    #[getter]
    fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// The private key, PKCS#8 DER.
    #[getter]
    fn key_der<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key_der)
    }

    fn __repr__(&self) -> String {
        format!("<TestKey {}>", self.name)
    }
}

/// Adds the sandbox to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Sandbox>()?;
    m.add_class::<TestKey>()?;
    Ok(())
}

//! The core's pull-style driver (`vnaccs_core::workflow::Job`) as `vnaccs._vnaccs.Job`: the
//! Python `CertificateUpdate` starts a job from a request document, pulls its events without the
//! GIL, and answers its needs. No Python callback ever runs on the job's thread.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use vnaccs_core::workflow::{self, Event, Request, Secrets};

use crate::convert::to_py;
use crate::errors::{OrRaise, to_pyerr};
use crate::keys::Secret;
use crate::logging;

/// A running job of the core. Its events are dicts: `{"event": "progress" | "need_captcha" |
/// "need_pin" | "finished" | "failed", …}`; a failure carries the exception under `error`.
#[pyclass(frozen, module = "vnaccs._vnaccs", name = "Job")]
pub(crate) struct Job {
    job: Mutex<Option<Arc<workflow::Job>>>,
}

impl Job {
    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&workflow::Job) -> T + Send) -> PyResult<T>
    where
        T: Send,
    {
        // The lock is held only to clone the handle: waiting happens without it and the GIL.
        let job = self
            .job
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("the job is closed"))?;
        Ok(py.detach(move || f(&job)))
    }
}

#[pymethods]
impl Job {
    /// Starts the job of a request document (JSON) with its secrets.
    #[new]
    #[pyo3(signature = (request, admin_password=None, key_password=None, new_password=None))]
    fn start(
        py: Python<'_>,
        request: &str,
        admin_password: Option<Secret>,
        key_password: Option<Secret>,
        new_password: Option<Secret>,
    ) -> PyResult<Job> {
        let request = Request::from_json(request).or_raise(py)?;
        let secrets = Secrets {
            admin_password: admin_password.map(Secret::into_secret).transpose()?,
            key_password: key_password.map(Secret::into_secret).transpose()?,
            new_password: new_password.map(Secret::into_secret).transpose()?,
        };
        let job = py.detach(|| workflow::Job::start(request, secrets));
        Ok(Job {
            job: Mutex::new(Some(Arc::new(job))),
        })
    }

    /// The next event, waiting at most `timeout` seconds (`None`: until there is one); `None`
    /// when nothing happened meanwhile.
    #[pyo3(signature = (timeout=None))]
    fn next_event(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<Py<PyAny>>> {
        let event = self.with(py, |job| match timeout {
            None => job.next_event().map(Some),
            Some(secs) => job.next_event_timeout(Duration::from_secs_f64(secs.max(0.0))),
        })?;
        logging::flush(py);
        match event.or_raise(py)? {
            None => Ok(None),
            Some(event) => event_to_py(py, &event).map(Some),
        }
    }

    /// Answers a `need_captcha` event; `None` gives up.
    #[pyo3(signature = (answer))]
    fn provide_captcha(&self, py: Python<'_>, answer: Option<String>) -> PyResult<()> {
        self.with(py, |job| job.provide_captcha(answer))?
            .or_raise(py)
    }

    /// Answers a `need_pin` event (`str` or `bytes`); `None` gives up.
    #[pyo3(signature = (pin))]
    fn provide_pin(&self, py: Python<'_>, pin: Option<Secret>) -> PyResult<()> {
        let pin = pin.map(Secret::into_secret).transpose()?;
        self.with(py, |job| job.provide_pin(pin))?.or_raise(py)
    }

    /// Cancels the job: it stops before its next request, leaving its state file to resume.
    fn cancel(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, workflow::Job::cancel)
    }

    /// Cancels the job if still running and waits for its thread to end (idempotent).
    fn close(&self, py: Python<'_>) {
        let job = self
            .job
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        py.detach(move || drop(job));
        logging::flush(py);
    }
}

/// An event as a dict: its JSON form, the captcha image as `bytes`, a failure as its exception.
fn event_to_py(py: Python<'_>, event: &Event) -> PyResult<Py<PyAny>> {
    let dict = to_py(py, event)?;
    let fields = dict.bind(py).cast::<PyDict>()?;
    match event {
        Event::NeedCaptcha { image_png, .. } => {
            fields.set_item("image_png", PyBytes::new(py, image_png))?;
        }
        Event::Failed { error } => {
            fields.set_item("error", to_pyerr(py, error).into_value(py))?;
        }
        _ => {}
    }
    Ok(dict)
}

/// Adds the job class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Job>()
}

//! The core's tracing events in Python's `logging`, under the `vnaccs` logger. A tracing layer
//! only queues each record (no GIL, no Python, whichever thread logs); the queue is emitted to
//! `logging` by a thread attached to Python at safe points (after each call that waited on the
//! core, and by `vnaccs._vnaccs.flush_logs()`), so a Rust thread that logs never waits for the
//! GIL and cannot deadlock with a Python thread waiting for it.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, PoisonError};

use pyo3::prelude::*;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The most records kept while nobody flushes; older ones are dropped.
const MAX_QUEUED: usize = 10_000;

/// A queued record: Python's level number, the target, the message.
struct Record {
    level: u8,
    target: String,
    message: String,
}

static QUEUE: Mutex<VecDeque<Record>> = Mutex::new(VecDeque::new());

/// The `vnaccs` logger's effective level when last looked at (at import and each flush):
/// records below it are not queued.
static MIN_LEVEL: AtomicU8 = AtomicU8::new(0);

/// The layer that queues the core's events.
struct Queue;

/// Writes an event's message and fields as `message key=value …`.
struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
            return;
        }
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
            return;
        }
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl<S: Subscriber> Layer<S> for Queue {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let level = match *meta.level() {
            Level::ERROR => 40,
            Level::WARN => 30,
            Level::INFO => 20,
            Level::DEBUG => 10,
            Level::TRACE => 5,
        };
        if level < MIN_LEVEL.load(Ordering::Relaxed) {
            return;
        }
        let mut text = Text(String::new());
        event.record(&mut text);
        let mut queue = QUEUE.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.len() >= MAX_QUEUED {
            queue.pop_front();
        }
        queue.push_back(Record {
            level,
            target: meta.target().to_owned(),
            message: text.0.trim_start().to_owned(),
        });
    }
}

/// Installs the layer as the process's tracing subscriber, unless one is installed already
/// (another extension's, or an embedding program's).
pub(crate) fn install(py: Python<'_>) {
    refresh_level(py);
    let subscriber = tracing_subscriber::registry().with(Queue.with_filter(
        tracing_subscriber::filter::filter_fn(|meta| meta.target().starts_with("vnaccs")),
    ));
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Emits the queued records to the `vnaccs` logger (child loggers by target, e.g.
/// `vnaccs.portal.client`). Errors of `logging` itself are dropped, as `logging` does.
pub(crate) fn flush(py: Python<'_>) {
    refresh_level(py);
    let records: Vec<Record> = QUEUE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .drain(..)
        .collect();
    if records.is_empty() {
        return;
    }
    let Ok(logging) = py.import("logging") else {
        return;
    };
    for record in records {
        let name = logger_name(&record.target);
        if let Ok(logger) = logging.call_method1("getLogger", (name,)) {
            let _ = logger.call_method1("log", (record.level, "%s", record.message));
        }
    }
}

/// Reads the `vnaccs` logger's effective level (0, all records, when it cannot be read).
fn refresh_level(py: Python<'_>) {
    let level = py
        .import("logging")
        .and_then(|logging| logging.call_method1("getLogger", ("vnaccs",)))
        .and_then(|logger| logger.call_method0("getEffectiveLevel"))
        .and_then(|level| level.extract::<u32>())
        .map_or(0, |level| u8::try_from(level).unwrap_or(u8::MAX));
    MIN_LEVEL.store(level, Ordering::Relaxed);
}

/// `vnaccs_core::portal::client` → `vnaccs.portal.client`.
fn logger_name(target: &str) -> String {
    let path: Vec<&str> = target.split("::").skip(1).collect();
    std::iter::once("vnaccs")
        .chain(path)
        .collect::<Vec<_>>()
        .join(".")
}

/// Emits the core's queued log records to Python's `logging` now.
#[pyfunction]
pub(crate) fn flush_logs(py: Python<'_>) {
    flush(py);
}

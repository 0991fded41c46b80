//! What the certificate update traces: a span per step with its duration and request count, and
//! never a secret (admin password, PIN, User ID password).

#![cfg(feature = "cli")] // tracing-subscriber comes with the command line's feature.

mod workflow_common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use vnaccs_core::UserIdPassword;
use vnaccs_core::sandbox::TEST_ADMIN_PASSWORD;
use vnaccs_core::workflow::Step;
use workflow_common::*;

/// A writer into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

#[test]
fn steps_are_traced_without_secrets() {
    let sb = start(standard_scenario());
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let (mut update, _) = renewal(&sb);
        let outcome = update.run().unwrap();
        sb.approve_sent();
        update
            .change_password(
                &"V2060001".parse().unwrap(),
                &UserIdPassword::parse("NEWPW26").unwrap(),
            )
            .unwrap();
        assert!(outcome.requests > 0);
    });
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for step in Step::RUN {
        let finished = log
            .lines()
            .filter(|l| {
                l.contains(&format!("step=\"{}\"", step.name()))
                    || l.contains(&format!("step={}", step.name()))
            })
            .any(|l| {
                l.contains("step complete") && l.contains("elapsed_ms") && l.contains("requests")
            });
        assert!(
            finished,
            "step {} traced with its duration and requests:\n{log}",
            step.name()
        );
    }
    assert!(log.contains("certificate update complete"));
    for secret in [TEST_ADMIN_PASSWORD, "NEWPW26", "ABC123"] {
        assert!(!log.contains(secret), "a secret in the trace");
    }
}

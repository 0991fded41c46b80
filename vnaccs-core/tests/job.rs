//! The pull-style driver against the sandbox, with the new certificate on a SoftHSM2 token: the
//! whole update from a request document with the captcha and the PIN answered from another
//! thread; a cancel mid-run, then a resume to completion with exactly one send; answers out of
//! turn; dropping a waiting job; and the state file's lock on every run.

mod common;
mod workflow_common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::{PIN, SoftHsm, old_and_new, softhsm};
use secrecy::SecretString;
use vnaccs_core::fixtures::TAX;
use vnaccs_core::sandbox::{
    Fault, FaultKind, Operation as Effect, Sandbox, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD,
    TEST_OFFICES, TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::workflow::{
    Event, Job, Output, Progress, Request, SCHEMA_VERSION, Secrets, StateLock, Step,
};
use workflow_common::*;

/// The process's SoftHSM2 configuration: one token per test, each holding the enterprise's old
/// and renewed certificates with their keys.
fn hsm() -> &'static SoftHsm {
    SoftHsm::for_process(|hsm| {
        let (_, set) = pki();
        let items = old_and_new(set);
        for label in ["driver", "cancel", "drop"] {
            hsm.create_token(label, &items);
        }
    })
}

/// The request document of the standard enterprise's update on `sb`, keys on token `label`.
fn request(sb: &Sandbox, label: &str, state_file: Option<&Path>) -> Request {
    hsm();
    let json = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "operation": "update",
        "enterprise": {
            "tax_code": TAX,
            "representative_id": TEST_REPRESENTATIVE_ID,
            "admin_email": TEST_ADMIN_EMAIL,
            "sender_name": "Trần Thị Bình",
            "sender_email": "binh@saigontrade.vn",
            "office": TEST_OFFICES[0],
        },
        "keys": { "source": "pkcs11", "module": softhsm(), "token": label },
        "portal": { "base_url": sb.url().as_str(), "timeout_secs": 30 },
        "state_file": state_file,
    });
    Request::from_json(&json.to_string()).expect("the request document reads")
}

fn secrets() -> Secrets {
    Secrets {
        admin_password: Some(SecretString::from(TEST_ADMIN_PASSWORD)),
        ..Secrets::default()
    }
}

/// Pulls `job`'s events until its end, answering each need from another thread (the captcha
/// with the sandbox's answer, the PIN with the token's); `stop` sees each event first and may
/// cancel. Returns the final event and the number of captcha and PIN answers.
fn drive(job: &Job, sb: &Arc<Sandbox>, mut stop: impl FnMut(&Event) -> bool) -> (Event, u32, u32) {
    let (mut captchas, mut pins) = (0, 0);
    loop {
        let event = job
            .next_event_timeout(Duration::from_secs(60))
            .unwrap()
            .expect("the job moves on within a minute");
        if stop(&event) {
            job.cancel();
        }
        std::thread::scope(|scope| match &event {
            Event::NeedCaptcha { image_png, attempt } => {
                assert!(image_png.starts_with(b"\x89PNG"), "a PNG image");
                assert_eq!(*attempt, 1);
                captchas += 1;
                let answer = sb.captcha_answer();
                scope.spawn(|| job.provide_captcha(answer).unwrap());
            }
            Event::NeedPin { token_label, .. } => {
                assert!(!token_label.is_empty());
                pins += 1;
                scope.spawn(|| job.provide_pin(Some(SecretString::from(PIN))).unwrap());
            }
            _ => {}
        });
        if event.is_final() {
            return (event, captchas, pins);
        }
    }
}

#[test]
fn a_whole_update_runs_through_the_driver_with_answers_from_another_thread() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let job = Job::start(request(&sb, "driver", None), secrets());
    let mut steps_started = Vec::new();
    let (end, captchas, pins) = drive(&job, &sb, |event| {
        if let Event::Progress {
            step, message_vi, ..
        } = event
            && message_vi.starts_with("Bắt đầu")
        {
            steps_started.push(step.expect("a step starts"));
        }
        false
    });
    assert_eq!(steps_started, Step::RUN, "each step reported as it starts");
    let Event::Finished { output } = end else {
        panic!("the update finishes: {end:?}");
    };
    let Output::Outcome(outcome) = *output else {
        panic!("an update's outcome: {output:?}");
    };
    assert_eq!(
        outcome.registration.certificate.serial,
        serial(&set.enterprise_new)
    );
    assert_eq!(outcome.declarants_moved.len(), 1);
    assert_eq!((captchas, pins), (1, 1), "one captcha, one PIN");
    assert_eq!(sb.effects(Effect::Send), 1);
    assert_eq!(sent_records(&sb.snapshot(), TAX), 1);
    // The finished event is a document with its schema version; no secret in it.
    let json = serde_json::to_string(&vnaccs_core::workflow::Document::new(Event::Finished {
        output: Box::new(Output::Outcome(outcome)),
    }))
    .unwrap();
    assert!(
        json.starts_with(&format!(
            "{{\"schema_version\":{SCHEMA_VERSION},\"event\":\"finished\""
        )),
        "{json}"
    );
    assert!(!json.contains(TEST_ADMIN_PASSWORD) && !json.contains(PIN));
    // After the final event, pulling again is out of turn.
    assert_eq!(job.next_event().unwrap_err().code(), "job_wrong_state");
}

#[test]
fn a_cancelled_job_resumes_to_completion_with_exactly_one_send() {
    let dir = tempfile::tempdir().unwrap();
    let state: PathBuf = dir.path().join("update.json");
    let sb = start(standard_scenario());
    // Step C's first page answers slowly: the cancel, sent when step B is reported finished,
    // surely arrives before step C's first post.
    sb.inject(Fault {
        kind: FaultKind::Slow(Duration::from_secs(1)),
        at: Effect::Oe2102Page,
        times: 1,
    });
    let job = Job::start(request(&sb, "cancel", Some(&state)), secrets());
    let after_b = |event: &Event| {
        matches!(
            event,
            Event::Progress {
                progress: Progress::StepFinished {
                    step: Step::UpdateAdminAccount,
                    ..
                },
                ..
            }
        )
    };
    let (end, _, _) = drive(&job, &sb, after_b);
    let Event::Failed { error } = &end else {
        panic!("the cancelled job fails: {end:?}");
    };
    assert_eq!(error.code(), "cancelled");
    let json = serde_json::to_value(vnaccs_core::workflow::Document::new(&end)).unwrap();
    assert_eq!(json["event"], "failed");
    assert_eq!(json["error"]["code"], "cancelled");
    assert_eq!(sb.effects(Effect::Send), 0, "stopped before step D");
    assert_eq!(
        sb.effects(Effect::DeclarantSave),
        0,
        "stopped before step C"
    );
    assert!(state.exists(), "the state is saved for the resume");
    drop(job);

    let again = Job::start(request(&sb, "cancel", Some(&state)), secrets());
    let (end, captchas, _) = drive(&again, &sb, |_| false);
    assert!(
        matches!(&end, Event::Finished { output } if matches!(**output, Output::Outcome(_))),
        "{end:?}"
    );
    assert_eq!(captchas, 0, "step A is not repeated");
    assert_eq!(sb.effects(Effect::RegisterSubmit), 1);
    assert_eq!(sb.effects(Effect::Send), 1, "exactly one send");
    assert_eq!(sent_records(&sb.snapshot(), TAX), 1);
}

#[test]
fn answers_out_of_turn_are_refused_and_a_dropped_job_stops_and_joins() {
    let sb = start(standard_scenario());
    let job = Job::start(request(&sb, "drop", None), secrets());
    let first = loop {
        let event = job.next_event().unwrap();
        if matches!(event, Event::NeedPin { .. } | Event::NeedCaptcha { .. }) {
            break event;
        }
    };
    let wrong = match first {
        Event::NeedPin { .. } => job.provide_captcha(Some("ABCD".into())),
        _ => job.provide_pin(Some(SecretString::from(PIN))),
    }
    .unwrap_err();
    assert_eq!(wrong.code(), "job_wrong_state");
    // Nothing happens while the need is unanswered.
    assert!(
        job.next_event_timeout(Duration::from_millis(200))
            .unwrap()
            .is_none()
    );
    // Dropped while it waits: the need is given up, the thread ends, nothing is registered.
    drop(job);
    assert_eq!(sb.posts(Effect::RegisterSubmit), 0);
}

#[test]
fn every_run_with_a_state_file_takes_its_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("update.json");
    let sb = start(standard_scenario());
    let _held = StateLock::acquire(&path).unwrap();
    let (update, _) = renewal(&sb);
    let e = update.state_file(&path).run().unwrap_err();
    assert_eq!(e.code(), "workflow_state_locked");
    assert_eq!(sb.posts(Effect::RegisterSubmit), 0, "nothing sent");
}

#[test]
fn a_plan_runs_through_the_driver_without_a_request_or_a_pin() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let mut request = request(&sb, "driver", None);
    request.operation = vnaccs_core::workflow::Operation::Plan;
    let job = Job::start(request, Secrets::default());
    let end = job.next_event().unwrap();
    let Event::Finished { output } = end else {
        panic!("the plan finishes at once: {end:?}");
    };
    let Output::Plan(plan) = *output else {
        panic!("a plan: {output:?}");
    };
    assert_eq!(plan.certificate.serial, serial(&set.enterprise_new));
    assert_eq!(sb.requests_served(), 0, "the plan sends nothing");
}

//! Resilience of the certificate update: a fault of each kind at each step (server error, dropped
//! connection, timeout, expired session, a post processed whose answer is then the login redirect
//! or lost), then `resume()`, ends in the same portal state as a run without faults, with exactly
//! one registration sent; and so does killing the run after each step and resuming from the state
//! file.

mod workflow_common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::time::Duration;

use vnaccs_core::Error;
use vnaccs_core::fixtures::TAX;
use vnaccs_core::sandbox::{Fault, FaultKind, FaultPlan, Operation, Sandbox, SandboxState};
use vnaccs_core::workflow::{CertificateUpdate, KeySource, Progress, Step, UpdateState};
use workflow_common::*;

/// The key source of every run here: the enterprise's old and renewed certificates.
fn keys() -> KeySource {
    let (_, set) = pki();
    software(&[&set.enterprise_old, &set.enterprise_new])
}

/// The portal's state after a run without faults.
fn clean() -> &'static SandboxState {
    static CLEAN: OnceLock<SandboxState> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let sb = start(standard_scenario());
        let (mut update, _) = new_update(&sb, inputs(), keys(), NORMAL);
        update.run().expect("the clean run completes");
        sb.snapshot()
    })
}

/// Checks the portal after a recovered run: as after a clean run, one registration sent.
fn assert_as_clean(sb: &Sandbox, case: &str) {
    let snapshot = sb.snapshot();
    assert_eq!(
        sent_records(&snapshot, TAX),
        1,
        "{case}: one registration sent"
    );
    assert_eq!(
        &snapshot,
        clean(),
        "{case}: the portal as after a clean run"
    );
}

/// Where each step can be hit: the portal operations it performs.
const FAULT_POINTS: [(Step, Operation); 11] = [
    (Step::RegisterCertificate, Operation::RegisterPage),
    (Step::RegisterCertificate, Operation::RegisterView),
    (Step::RegisterCertificate, Operation::RegisterSubmit),
    (Step::UpdateAdminAccount, Operation::AdminUpdate),
    (Step::UpdateAdminAccount, Operation::ConfirmUsers),
    (Step::UpdateDeclarants, Operation::Login),
    (Step::UpdateDeclarants, Operation::Oe2102Page),
    (Step::UpdateDeclarants, Operation::DeclarantSave),
    (Step::SendRegistration, Operation::Search),
    (Step::SendRegistration, Operation::SendOpen),
    (Step::SendRegistration, Operation::Send),
];

/// The request timeout of runs whose fault is a slow answer; the answer comes later still.
const SHORT: Duration = Duration::from_millis(1500);
const SLOWER: Duration = Duration::from_millis(2500);

#[test]
fn a_fault_of_each_kind_at_each_step_then_resume() {
    clean();
    let kinds = [
        ("500", FaultKind::Status500),
        ("drop", FaultKind::Drop),
        ("timeout", FaultKind::Slow(SLOWER)),
        ("session expiry", FaultKind::SessionExpiry),
        (
            "processed, then the login redirect",
            FaultKind::ProcessThenExpire,
        ),
        ("processed, then dropped", FaultKind::ProcessThenDrop),
    ];
    for (step, operation) in FAULT_POINTS {
        for (name, kind) in &kinds {
            let case = format!("{name} at {operation:?} (step {})", step.letter());
            let sb = start(standard_scenario());
            sb.inject(Fault {
                kind: kind.clone(),
                at: operation,
                times: 1,
            });
            let slow = matches!(kind, FaultKind::Slow(_));
            let timeout = if slow { SHORT } else { NORMAL };
            let (mut update, _) = new_update(&sb, inputs(), keys(), timeout);
            let post = Operation::STATE_CHANGING.contains(&operation);
            // Within the run the client gets over an expired session at a read (one re-login)
            // and a slow answer to a save or send that the portal processed (it reads the
            // declarant row or the record's status back); never over a post repeated.
            let read_back = matches!(operation, Operation::DeclarantSave | Operation::Send);
            let recovered = match kind {
                FaultKind::SessionExpiry => !post,
                FaultKind::ProcessThenExpire => !post || read_back,
                FaultKind::Slow(_) | FaultKind::ProcessThenDrop => read_back,
                _ => false,
            };
            match update.run() {
                Ok(_) => assert!(recovered, "{case}: recovered within the run"),
                Err(e) => {
                    assert!(!recovered, "{case}: not recovered within the run: {e}");
                    let Error::StepFailed { step: failed, .. } = &e else {
                        panic!("{case}: not a failed step: {e}");
                    };
                    assert_eq!(*failed, step, "{case}: {e}");
                    let state = update.state().expect("a state after a failure").clone();
                    assert_eq!(state.next_step(), Some(step), "{case}");
                    // After a timeout the process is restarted with the usual timeout; otherwise
                    // the same update resumes.
                    let outcome = if slow {
                        let (mut again, _) = new_update(&sb, inputs(), keys(), NORMAL);
                        again.resume(state)
                    } else {
                        update.resume(state)
                    };
                    outcome.unwrap_or_else(|e| panic!("{case}: resume failed: {e}"));
                }
            }
            assert_eq!(sb.faults_pending(), 0, "{case}: the fault fired");
            assert_as_clean(&sb, &case);
        }
    }
}

#[test]
fn killed_after_each_step_then_resumed_from_the_state_file() {
    clean();
    for kill_after in Step::RUN {
        let case = format!("killed after step {}", kill_after.letter());
        let sb = start(standard_scenario());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("update.json");
        let (update, _) = new_update(&sb, inputs(), keys(), NORMAL);
        let mut update = update.state_file(&file).on_progress(Box::new(move |event| {
            if matches!(event, Progress::StepFinished { step, .. } if *step == kill_after) {
                panic!("killed after step {}", kill_after.letter());
            }
        }));
        let killed = catch_unwind(AssertUnwindSafe(|| update.run()));
        assert!(killed.is_err(), "{case}: the run was killed");
        drop(update);

        let state = UpdateState::load(&file).unwrap();
        assert_eq!(state.last_completed(), Some(kill_after), "{case}");
        assert_no_secrets(&file);
        let (restarted, seen) = new_update(&sb, inputs(), keys(), NORMAL);
        let mut restarted = restarted.state_file(&file);
        let outcome = restarted
            .resume(state)
            .unwrap_or_else(|e| panic!("{case}: resume failed: {e}"));
        let repeated = seen
            .events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| matches!(e, Progress::StepStarted { step } if *step <= kill_after))
            .count();
        assert_eq!(repeated, 0, "{case}: no completed step is repeated");
        assert_eq!(UpdateState::load(&file).unwrap().next_step(), None);
        assert_eq!(outcome.sent_at, sb.clock().now());
        assert_as_clean(&sb, &case);
    }
}

#[test]
fn a_send_whose_answer_is_lost_is_read_back_not_sent_again() {
    clean();
    // The send is done by the portal, but its answer comes too late: the client reads OE4001
    // back, finds the record sent and takes it as this update's.
    let sb = start(standard_scenario());
    sb.inject(Fault {
        kind: FaultKind::Slow(SLOWER),
        at: Operation::Send,
        times: 1,
    });
    let (mut update, _) = new_update(&sb, inputs(), keys(), SHORT);
    let outcome = update.run().expect("the send is read back");
    assert_eq!(sb.effects(Operation::Send), 1, "sent once");
    assert_eq!(outcome.sent_at, sb.clock().now());
    assert_as_clean(&sb, "answer lost");
}

#[test]
fn a_state_of_another_update_is_refused() {
    let (_, set) = pki();
    let sb = start(standard_scenario());
    let mut state = UpdateState::new(TAX.parse().unwrap(), serial(&set.enterprise_old), None);
    state.complete(Step::RegisterCertificate);
    let mut update = CertificateUpdate::new(inputs(), keys(), portal(&sb, NORMAL)).unwrap();
    let e = update.resume(state).unwrap_err();
    assert_eq!(e.code(), "workflow_state_mismatch");
    assert_eq!(sb.requests_served(), 0);
}

#[test]
fn seeded_random_faults_then_resumes_until_complete() {
    clean();
    let mut operations: Vec<Operation> = FAULT_POINTS.iter().map(|(_, op)| *op).collect();
    operations.extend([
        Operation::Captcha,
        Operation::LoginPage,
        Operation::Oe4001Page,
    ]);
    for seed in 1..=4 {
        let case = format!("seed {seed}");
        let sb = start(standard_scenario());
        let plan = FaultPlan::random(seed, &operations, 3, SLOWER);
        sb.inject_plan(&plan);
        let (mut update, _) = new_update(&sb, inputs(), keys(), SHORT);
        let mut result = update.run();
        let mut resumes = 0;
        while let Err(e) = &result {
            assert!(matches!(e, Error::StepFailed { .. }), "{case}: {e}");
            resumes += 1;
            assert!(
                resumes <= 6,
                "{case}: still failing after {resumes} resumes: {e}"
            );
            // Each resume is a new process with what the last one left.
            let state = update.state().expect("a state after a failure").clone();
            (update, _) = new_update(&sb, inputs(), keys(), SHORT);
            result = update.resume(state);
        }
        assert_eq!(
            sb.faults_pending(),
            0,
            "{case}: every fault fired ({plan:?})"
        );
        assert_as_clean(&sb, &case);
    }
}

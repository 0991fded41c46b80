//! Exactly once: each state-changing post of the update (A register, B.5 admin update, B.6 user
//! list confirmation, C save, D send, F password) processed by the portal whose answer is then
//! the login redirect, or lost: the portal keeps exactly one effect, the client never posts it
//! again by itself, and the update completes after at most one resume (for F, the user learns
//! the truth on a later check).

mod workflow_common;

use std::sync::{Arc, OnceLock};

use vnaccs_core::fixtures::TAX;
use vnaccs_core::ids::UserIdPassword;
use vnaccs_core::records::{PasswordChangeKind, RegistrationStatus};
use vnaccs_core::sandbox::{Fault, FaultKind, Operation, Sandbox, SandboxState};
use vnaccs_core::workflow::{Progress, Skipped, Step, UpdateOutcome, UpdateState};
use workflow_common::*;

/// The two ways a processed post loses its answer.
const LOST: [(&str, FaultKind); 2] = [
    ("the login redirect", FaultKind::ProcessThenExpire),
    ("a dropped connection", FaultKind::ProcessThenDrop),
];

/// The portal's state after a run without faults.
fn clean() -> &'static SandboxState {
    static CLEAN: OnceLock<SandboxState> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let sb = start(standard_scenario());
        renewal(&sb).0.run().expect("the clean run completes");
        sb.snapshot()
    })
}

/// Each state-changing post of the run was posted once and took effect once (B.5 aside: see
/// below), and the portal is as after a clean run.
fn assert_once(sb: &Sandbox, case: &str) {
    for operation in [
        Operation::RegisterSubmit,
        Operation::ConfirmUsers,
        Operation::DeclarantSave,
        Operation::Send,
    ] {
        assert_eq!(sb.posts(operation), 1, "{case}: {operation:?} posted once");
        assert_eq!(
            sb.effects(operation),
            1,
            "{case}: {operation:?} took effect once"
        );
    }
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

/// Runs the standard renewal with the fault armed; when it fails, checks that it failed at
/// `step` with `outcome_unknown` and resumes it once, in a new process with what the first left.
/// Returns the outcome and whether a resume was needed.
fn run_then_resume_once(sb: &Arc<Sandbox>, step: Step, case: &str) -> (UpdateOutcome, bool) {
    let (mut update, _) = renewal(sb);
    match update.run() {
        Ok(outcome) => (outcome, false),
        Err(e) => {
            assert_failed_at(&e, "outcome_unknown", step);
            let state: UpdateState = update.state().expect("a state").clone();
            assert_eq!(state.next_step(), Some(step), "{case}");
            let (mut again, seen) = renewal(sb);
            let outcome = again
                .resume(state)
                .unwrap_or_else(|e| panic!("{case}: the one resume failed: {e}"));
            let restarted = seen
                .events
                .lock()
                .unwrap()
                .iter()
                .filter(|e| matches!(e, Progress::StepStarted { step: s } if *s < step))
                .count();
            assert_eq!(restarted, 0, "{case}: no earlier step is run again");
            (outcome, true)
        }
    }
}

/// A post the portal does not show back (A register, B.6 confirm): the run stops with
/// `outcome_unknown`, never posting it again; the resume checks the portal and does not post
/// it again either.
#[test]
fn a_lost_answer_at_register_or_confirm_is_checked_on_resume_not_posted_again() {
    clean();
    for (operation, step) in [
        (Operation::RegisterSubmit, Step::RegisterCertificate),
        (Operation::ConfirmUsers, Step::UpdateAdminAccount),
    ] {
        for (name, kind) in LOST.clone() {
            let case = format!("{operation:?} answered by {name}");
            let sb = start(standard_scenario());
            sb.inject(Fault {
                kind,
                at: operation,
                times: 1,
            });
            let (outcome, resumed) = run_then_resume_once(&sb, step, &case);
            assert!(
                resumed,
                "{case}: the portal does not show it back within the run"
            );
            assert_eq!(sb.faults_pending(), 0, "{case}: the fault fired");
            assert_eq!(outcome.sent_at, sb.clock().now(), "{case}");
            // A's check is B.5 itself: the admin update is posted once in all.
            assert_eq!(sb.posts(Operation::AdminUpdate), 1, "{case}");
            assert_once(&sb, &case);
        }
    }
}

/// B.5 only checks the certificate and asks for the user list's confirmation (the account
/// changes at B.6): its answer lost, the run stops with `outcome_unknown` instead of posting it
/// again; the resume finds the account still on the old certificate and runs step B again, so
/// B.5 has been posted twice in all, B.6 once.
#[test]
fn a_lost_answer_at_the_admin_update_stops_the_run_and_the_resume_completes() {
    clean();
    for (name, kind) in LOST.clone() {
        let case = format!("AdminUpdate answered by {name}");
        let sb = start(standard_scenario());
        sb.inject(Fault {
            kind,
            at: Operation::AdminUpdate,
            times: 1,
        });
        let (mut update, _) = renewal(&sb);
        let e = update.run().unwrap_err();
        assert_failed_at(&e, "outcome_unknown", Step::UpdateAdminAccount);
        assert_eq!(
            sb.posts(Operation::AdminUpdate),
            1,
            "{case}: not posted again within the run"
        );
        assert_eq!(sb.posts(Operation::ConfirmUsers), 0, "{case}");
        let state = update.state().unwrap().clone();
        let (mut again, _) = renewal(&sb);
        again
            .resume(state)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(sb.posts(Operation::AdminUpdate), 2, "{case}");
        assert_once(&sb, &case);
    }
}

/// A post the portal shows back (C: the declarant row, D: the record's status): the client reads
/// it back and the run completes without a resume and without posting it again.
#[test]
fn a_lost_answer_at_save_or_send_is_read_back_within_the_run() {
    clean();
    for (operation, step) in [
        (Operation::DeclarantSave, Step::UpdateDeclarants),
        (Operation::Send, Step::SendRegistration),
    ] {
        for (name, kind) in LOST.clone() {
            let case = format!("{operation:?} answered by {name}");
            let sb = start(standard_scenario());
            sb.inject(Fault {
                kind,
                at: operation,
                times: 1,
            });
            let (outcome, resumed) = run_then_resume_once(&sb, step, &case);
            assert!(!resumed, "{case}: read back within the run");
            assert_eq!(sb.faults_pending(), 0, "{case}: the fault fired");
            assert_eq!(outcome.sent_at, sb.clock().now(), "{case}");
            assert_eq!(sb.posts(Operation::AdminUpdate), 1, "{case}");
            assert_once(&sb, &case);
        }
    }
}

/// The send processed, answered by the login redirect, and the new login fails too: the client
/// cannot read the record back, so step D stops with `outcome_unknown`; the resume finds the
/// noted record sent and does not send it again.
#[test]
fn a_send_that_cannot_be_read_back_is_checked_on_resume() {
    clean();
    let sb = start(standard_scenario());
    sb.inject(Fault {
        kind: FaultKind::ProcessThenExpire,
        at: Operation::Send,
        times: 1,
    });
    let (update, _) = renewal(&sb);
    let armer = sb.clone();
    // The logins before step D succeed; the one after the lost answer meets a server error.
    let mut update = update.on_progress(Box::new(move |event| {
        if matches!(event, Progress::RecordFound { .. }) {
            armer.inject(Fault {
                kind: FaultKind::Status500,
                at: Operation::Login,
                times: 1,
            });
        }
    }));
    let e = update.run().unwrap_err();
    assert_failed_at(&e, "outcome_unknown", Step::SendRegistration);
    assert_eq!(sb.posts(Operation::Send), 1);
    let state = update.state().unwrap().clone();
    assert_eq!(
        state.record.as_ref().map(|r| r.status),
        Some(RegistrationStatus::DataEntry),
        "the state knows the record, not whether it was sent"
    );
    let (mut again, _) = renewal(&sb);
    let outcome = again.resume(state).unwrap();
    assert!(
        outcome
            .skipped
            .iter()
            .any(|s| matches!(s, Skipped::RecordAlreadySent { .. })),
        "{:?}",
        outcome.skipped
    );
    assert_eq!(outcome.sent_at, sb.clock().now());
    assert_once(&sb, "send not read back");
}

/// Step F: a password post whose answer is lost is never reported as "same as the old password,
/// usable now" (which repeating it would say): it is `outcome_unknown`, the password was changed
/// once, and setting it again later tells the user it is set.
#[test]
fn a_lost_answer_at_the_password_is_outcome_unknown_and_a_later_check_tells() {
    for (name, kind) in LOST.clone() {
        let case = format!("PasswordChange answered by {name}");
        let sb = start(standard_scenario());
        let (mut update, _) = renewal(&sb);
        update.run().unwrap();
        sb.approve_sent();
        let user = "V2060001".parse().unwrap();
        let password = UserIdPassword::parse("NEWPW26").unwrap();
        sb.inject(Fault {
            kind,
            at: Operation::PasswordChange,
            times: 1,
        });
        let e = update.change_password(&user, &password).unwrap_err();
        assert_failed_at(&e, "outcome_unknown", Step::ChangePassword);
        assert!(
            e.message_vi().contains("trùng với mật khẩu cũ"),
            "{case}: says how to check: {}",
            e.message_vi()
        );
        assert_eq!(sb.effects(Operation::PasswordChange), 1, "{case}");
        assert_eq!(sb.posts(Operation::PasswordChange), 1, "{case}");
        let changed_at = sb.snapshot().enterprise(TAX).unwrap().declarants[0].password_changed_at;
        assert_eq!(changed_at, Some(sb.clock().now()), "{case}");

        let check = update.change_password(&user, &password).unwrap();
        assert_eq!(check.kind, PasswordChangeKind::SameAsOld, "{case}");
        assert_eq!(sb.effects(Operation::PasswordChange), 1, "{case}");
    }
}

/// A rejected record is never taken as sent: the resume stops with the rejection and the reason
/// OE4001 shows.
#[test]
fn a_rejected_record_on_resume_is_a_typed_error() {
    let sb = start(standard_scenario());
    let (mut update, _) = renewal(&sb);
    update.run().unwrap();
    let mut state = update.state().unwrap().clone();
    let number = state.record.as_ref().unwrap().number.clone();
    let reason = "Thông tin người khai hải quan không khớp";
    sb.reject_because(&number, reason).unwrap();
    // As if the process had stopped between the send and saving it done.
    state.completed.retain(|s| *s != Step::SendRegistration);
    let (mut again, _) = renewal(&sb);
    let e = again.resume(state).unwrap_err();
    assert_failed_at(&e, "record_rejected", Step::SendRegistration);
    assert!(e.to_string().contains(&number), "{e}");
    assert!(e.message_vi().contains(reason), "the portal's reason: {e}");
    assert_eq!(sb.posts(Operation::Send), 1, "posted once, never again");
}

/// Only a record in "Đang nhập liệu" is sent; the client refuses the others itself.
#[test]
fn only_a_record_in_data_entry_is_sent() {
    let sb = start(standard_scenario());
    let (mut update, _) = renewal(&sb);
    let outcome = update.run().unwrap();
    let (_, set) = pki();
    let client = vnaccs_core::portal::PortalClient::new(portal(&sb, NORMAL)).unwrap();
    let new = set.enterprise_new.signer();
    client
        .login(&TAX.parse().unwrap(), &update.inputs().admin_password, &new)
        .unwrap();
    let form = update.inputs().send_form();
    let e = client
        .send_record(&outcome.record.number, &form, &new)
        .unwrap_err();
    assert_eq!(e.code(), "already_sent", "{e}");
    sb.approve_sent();
    let e = client
        .send_record(&outcome.record.number, &form, &new)
        .unwrap_err();
    assert_eq!(e.code(), "already_sent", "{e}");
    assert_eq!(
        sb.posts(Operation::Send),
        1,
        "the client refused before posting"
    );
}

/// A declarant without a User ID yet is read back by its ID number: both saves lost, both read
/// back, each posted once.
#[test]
fn lost_saves_of_declarants_with_and_without_a_user_id_are_read_back() {
    let (_, set) = pki();
    let mut scenario = standard_scenario();
    scenario.add_test_declarant(&TAX.parse().unwrap(), &serial(&set.enterprise_old), false);
    let sb = start(scenario);
    sb.inject(Fault {
        kind: FaultKind::ProcessThenDrop,
        at: Operation::DeclarantSave,
        times: 2,
    });
    let (mut update, _) = renewal(&sb);
    let outcome = update.run().expect("both saves are read back");
    assert_eq!(outcome.declarants_moved.len(), 2);
    assert_eq!(sb.faults_pending(), 0);
    assert_eq!(sb.posts(Operation::DeclarantSave), 2, "each posted once");
    assert_eq!(sb.effects(Operation::DeclarantSave), 2);
    let new = serial(&set.enterprise_new);
    let snapshot = sb.snapshot();
    let enterprise = snapshot.enterprise(TAX).unwrap();
    assert!(
        enterprise
            .declarants
            .iter()
            .all(|d| d.certificate_serial == new)
    );
    assert_eq!(sent_records(&snapshot, TAX), 1);
}

//! Steps A → D: running the update, and resuming it from a saved state without repeating what
//! is done (a registration is never sent twice).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::inputs::DeclarantSelector;
use super::outcome::{DeclarantMove, Skipped, UpdateOutcome};
use super::plan::{DeclarantRule, Plan};
use super::progress::Progress;
use super::state::UpdateState;
use super::state_file::Start;
use super::step::Step;
use super::update::CertificateUpdate;
use crate::ids::{CertificateSerial, Email, PersonalId};
use crate::portal::PortalError;
use crate::portal::{CaptchaChallenge, DeclarantRow, DeclarantUpdate, PortalPost, PortalRefusal};
use crate::records::{RegistrationRecord, RegistrationStatus};
use crate::sign::Signer;
use crate::timing::{local_date, registration_usable_from};
use crate::workflow::WorkflowError;
use crate::{Error, Result};

impl CertificateUpdate {
    /// Runs the update from the start: A (register the certificate; captcha through the callback),
    /// B (admin account and its user list), C (declarant users), D (send the registration). The
    /// state is saved after each completed step; on failure the error is
    /// [`Error::StepFailed`] naming the step, and [`resume`](Self::resume) with
    /// [`state`](Self::state) (or the state file) continues from there.
    pub fn run(&mut self) -> Result<UpdateOutcome> {
        self.run_from(Start::Fresh)
    }

    /// Continues an update from `state` (saved by an earlier run, in this process or another):
    /// completed steps are not repeated, and a step whose post went out without a definite answer
    /// ([`PortalError::OutcomeUnknown`], or a process stopped meanwhile) is checked on the portal
    /// before anything is posted again: A by step B's first post, B by the admin account's
    /// certificate, C by the declarant rows, D by the record's status in OE4001 (sent or approved
    /// is done, rejected is [`PortalError::RecordRejected`]), so nothing is sent twice.
    pub fn resume(&mut self, state: UpdateState) -> Result<UpdateOutcome> {
        self.run_from(Start::From(Box::new(state)))
    }

    /// Runs from `start`, holding the state file's lock (when there is one) throughout.
    pub(super) fn run_from(&mut self, start: Start) -> Result<UpdateOutcome> {
        let _lock = self.lock_state_file()?;
        let saved = start.saved(self.state_file.as_deref())?;
        let span = tracing::info_span!(
            "workflow.update",
            tax_code = %self.inputs.tax_code,
            resumed = saved.is_some()
        );
        let _entered = span.enter();
        let requests_before = self.client.request_count();
        let (plan, chosen) = self.prepare(self.now())?;
        let mut state = match saved {
            Some(state) => fits(state, &plan)?,
            None => UpdateState::new(
                plan.tax_code.clone(),
                plan.certificate.serial.clone(),
                plan.old_serial.clone(),
            ),
        };
        let mut already_done = Vec::new();
        let result: Result<()> = (|| {
            let signer = self.keys.signer_for(&chosen)?;
            for step in Step::RUN {
                if state.is_done(step) {
                    self.emit(Progress::StepAlreadyDone { step });
                    already_done.push(Skipped::StepAlreadyDone { step });
                    continue;
                }
                if step == Step::RegisterCertificate && state.unconfirmed == Some(step) {
                    // The portal shows no registration back: step B's first post tells.
                    tracing::info!("the registration's answer was lost: step B checks it");
                    continue;
                }
                self.run_step(step, &plan, &signer, &mut state)
                    .map_err(|cause| Error::StepFailed {
                        step,
                        cause: Box::new(cause),
                    })?;
            }
            Ok(())
        })();
        self.state = Some(state.clone());
        result?;
        let outcome = outcome(
            &state,
            already_done,
            self.client.request_count() - requests_before,
        )?;
        tracing::info!(
            record = %outcome.record.number,
            usable_from = %outcome.usable_from,
            requests = outcome.requests,
            "certificate update complete"
        );
        Ok(outcome)
    }

    /// Runs one step in its span, then saves the state and reports it finished.
    fn run_step(
        &mut self,
        step: Step,
        plan: &Plan,
        signer: &Arc<dyn Signer>,
        state: &mut UpdateState,
    ) -> Result<()> {
        let span = tracing::info_span!("workflow.step", step = step.name());
        let _entered = span.enter();
        let started = Instant::now();
        let requests_before = self.client.request_count();
        self.emit(Progress::StepStarted { step });
        match step {
            Step::RegisterCertificate => self.register(signer, state)?,
            Step::UpdateAdminAccount => self.update_admin(signer, state)?,
            Step::UpdateDeclarants => self.update_declarants(plan, signer, state)?,
            Step::SendRegistration => self.send_registration(signer, state)?,
            Step::FetchResult | Step::ChangePassword => {}
        }
        state.complete(step);
        self.save(state)?;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let requests = self.client.request_count() - requests_before;
        tracing::info!(elapsed_ms, requests, "step complete");
        self.emit(Progress::StepFinished {
            step,
            elapsed_ms,
            requests,
        });
        Ok(())
    }

    /// Writes the state file, when one is set.
    fn save(&self, state: &UpdateState) -> Result<()> {
        save_to(self.state_file.as_deref(), state)
    }

    /// Step A. The registration is noted in the state (as unconfirmed) just before it is posted,
    /// so that a lost answer, or a process killed meanwhile, is checked on resume instead of
    /// being registered again.
    fn register(&mut self, signer: &Arc<dyn Signer>, state: &mut UpdateState) -> Result<()> {
        let mut no_answer = |_: &CaptchaChallenge| None;
        let captcha: &mut dyn FnMut(&CaptchaChallenge) -> Option<String> =
            match self.captcha.as_mut() {
                Some(callback) => callback,
                None => &mut no_answer,
            };
        let state_file = self.state_file.as_deref();
        let registered = self.client.register_certificate_noting(
            &self.inputs.tax_code,
            &self.inputs.representative_id,
            signer.as_ref(),
            None,
            captcha,
            &mut |registration| {
                state.registration = Some(registration.clone());
                state.unconfirmed = Some(Step::RegisterCertificate);
                save_to(state_file, state)
            },
        );
        match registered {
            Ok(registration) => {
                state.registration = Some(registration);
                Ok(())
            }
            Err(e) => {
                if matches!(e, Error::Portal(PortalError::PortalRefused { .. })) {
                    // A refusal is a definite answer: nothing was registered.
                    state.unconfirmed = None;
                }
                Err(e)
            }
        }
    }

    /// Step B: the admin account's certificate and its user list (B.5, B.6). The login (B.7)
    /// happens when step C or D needs it, or here to check an earlier attempt whose answer was
    /// lost: when the account already carries the new certificate, B is done.
    ///
    /// When step A's answer was lost, B.5 tells whether the certificate is registered: accepted,
    /// A is complete; refused as not registered, A had no effect and is run now, then B.
    fn update_admin(&mut self, signer: &Arc<dyn Signer>, state: &mut UpdateState) -> Result<()> {
        if state.unconfirmed == Some(Step::UpdateAdminAccount)
            && self.carries_new_certificate(signer, &state.new_serial)?
        {
            tracing::info!("the admin account carries the new certificate: step B is done");
            return Ok(());
        }
        let state_file = self.state_file.as_deref();
        let updated = self.client.update_admin_certificate_noting(
            &self.inputs.tax_code,
            &self.inputs.admin_email,
            &self.inputs.admin_password,
            signer.as_ref(),
            &mut |post| {
                if post == PortalPost::ConfirmUsers {
                    // B.5 accepted the certificate: it is registered, whatever A's answer was.
                    state.complete(Step::RegisterCertificate);
                }
                if state.unconfirmed.is_none() {
                    state.unconfirmed = Some(Step::UpdateAdminAccount);
                }
                save_to(state_file, state)
            },
        );
        match updated {
            Ok(users) => {
                tracing::info!(users = users.len(), "user list confirmed");
                Ok(())
            }
            Err(Error::Portal(PortalError::PortalRefused {
                refusal: PortalRefusal::CertificateNotRegistered,
                ..
            })) if state.unconfirmed == Some(Step::RegisterCertificate) => {
                tracing::info!("the certificate is not registered: step A had no effect");
                state.unconfirmed = None;
                self.save(state)?;
                self.register(signer, state)?;
                state.complete(Step::RegisterCertificate);
                self.save(state)?;
                self.update_admin(signer, state)
            }
            Err(e) => {
                if matches!(e, Error::Portal(PortalError::PortalRefused { .. }))
                    && state.unconfirmed == Some(Step::UpdateAdminAccount)
                {
                    // A refusal is a definite answer: nothing was changed.
                    state.unconfirmed = None;
                }
                Err(e)
            }
        }
    }

    /// Whether the admin account carries the new certificate (`new_serial`), read after logging
    /// in with it. A login refused with it means the account does not carry it.
    fn carries_new_certificate(
        &mut self,
        signer: &Arc<dyn Signer>,
        new_serial: &CertificateSerial,
    ) -> Result<bool> {
        match self.ensure_login(signer) {
            Ok(()) => {}
            Err(Error::Portal(PortalError::PortalRefused { refusal, .. })) => {
                tracing::info!(
                    refusal = refusal.code(),
                    "no login with the new certificate"
                );
                return Ok(false);
            }
            Err(e) => return Err(e),
        }
        let serial = self.client.admin_certificate_serial()?;
        Ok(serial.as_ref() == Some(new_serial))
    }

    /// Step C: the users to move are fixed (and saved) when first listed; each is then saved on
    /// the new certificate unless it already is (an interrupted earlier attempt).
    fn update_declarants(
        &mut self,
        plan: &Plan,
        signer: &Arc<dyn Signer>,
        state: &mut UpdateState,
    ) -> Result<()> {
        self.ensure_login(signer)?;
        let rows = self.client.declarants()?;
        if state.declarants.is_none() {
            let (moves, skipped) = choose_moves(&plan.declarants, &rows, state)?;
            state.declarants = Some(moves);
            state.skipped.extend(skipped);
            self.save(state)?;
        }
        // Ngày hiệu lực: the portal's today, as it proposed at step A.
        let effective_date = state
            .registration
            .as_ref()
            .map_or_else(|| local_date(self.now()), |r| r.valid_from);
        let pending: Vec<(usize, DeclarantMove)> = state
            .declarants
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, m)| !m.moved)
            .map(|(i, m)| (i, m.clone()))
            .collect();
        for (i, planned) in pending {
            let Some(row) = rows.iter().find(|r| is_row_of(r, &planned, state)) else {
                let gone = Skipped::DeclarantNotListed {
                    user: selector_of(&planned),
                };
                if !state.skipped.contains(&gone) {
                    state.skipped.push(gone);
                }
                continue;
            };
            if row.certificate_serial != state.new_serial {
                let update = DeclarantUpdate {
                    full_name: row.full_name.clone(),
                    id_number: PersonalId::parse(&row.id_number)?,
                    email: Email::parse(&row.email)?,
                    effective_date,
                };
                // The client finds the row again on a fresh page before saving it.
                self.client
                    .update_declarant(row, &update, signer.certificate_der())?;
            }
            if let Some(moved) = state.declarants.as_mut().and_then(|d| d.get_mut(i)) {
                moved.moved = true;
            }
            self.save(state)?;
            self.emit(Progress::DeclarantMoved {
                user_code: planned.user_code,
                full_name: planned.full_name,
            });
        }
        Ok(())
    }

    /// Step D: finds the record in OE4001 by its number (the one noted in the state, else the
    /// newest in Đang nhập liệu), notes it, and sends it only while it is in Đang nhập liệu. Sent
    /// or approved counts as done (never sent again); rejected is
    /// [`PortalError::RecordRejected`]. A send whose answer was lost is read back by the client;
    /// when that cannot tell, the step fails with [`PortalError::OutcomeUnknown`] and a resume
    /// looks the noted record up again.
    fn send_registration(
        &mut self,
        signer: &Arc<dyn Signer>,
        state: &mut UpdateState,
    ) -> Result<()> {
        self.ensure_login(signer)?;
        let records = self.client.search_records()?;
        let tax_code = state.tax_code.to_string();
        let record = match &state.record {
            Some(noted) => records
                .iter()
                .find(|r| r.number == noted.number)
                .ok_or_else(|| {
                    Error::Workflow(WorkflowError::NoRecordToSend {
                        tax_code: tax_code.clone(),
                        number: Some(noted.number.clone()),
                    })
                })?,
            None => {
                let open = records
                    .iter()
                    .filter(|r| r.status == RegistrationStatus::DataEntry)
                    .max_by(|a, b| by_number(a, b))
                    .ok_or_else(|| {
                        Error::Workflow(WorkflowError::NoRecordToSend {
                            tax_code: tax_code.clone(),
                            number: None,
                        })
                    })?;
                state.record = Some(open.clone());
                self.save(state)?;
                open
            }
        };
        self.emit(Progress::RecordFound {
            number: record.number.clone(),
        });
        match record.status {
            RegistrationStatus::DataEntry => {}
            RegistrationStatus::Sent | RegistrationStatus::Approved => {
                return self.already_sent(record.clone(), state);
            }
            RegistrationStatus::Rejected => {
                return Err(Error::Portal(PortalError::RecordRejected {
                    number: record.number.clone(),
                    reason: record.reason.clone(),
                }));
            }
        }
        let form = self.inputs.send_form();
        match self.client.send_record(&record.number, &form, signer) {
            Ok(sent_at) => {
                state.record = Some(RegistrationRecord {
                    status: RegistrationStatus::Sent,
                    sent_at: Some(sent_at),
                    office: Some(form.office),
                    ..record.clone()
                });
                Ok(())
            }
            // Sent by an attempt whose answer was lost: read when, do not send again.
            Err(e) if e.code() == "already_sent" => {
                let number = record.number.clone();
                let found = self
                    .client
                    .search_records()?
                    .into_iter()
                    .find(|r| {
                        r.number == number
                            && matches!(
                                r.status,
                                RegistrationStatus::Sent | RegistrationStatus::Approved
                            )
                    })
                    .ok_or(e)?;
                self.already_sent(found, state)
            }
            Err(e) => Err(e),
        }
    }

    /// Takes a record found sent or approved as this update's, without sending it again.
    fn already_sent(&mut self, record: RegistrationRecord, state: &mut UpdateState) -> Result<()> {
        let sent_at = record
            .sent_at
            .or_else(|| state.record.as_ref().and_then(|r| r.sent_at))
            .ok_or_else(|| {
                Error::Workflow(WorkflowError::NoRecordToSend {
                    tax_code: state.tax_code.to_string(),
                    number: Some(record.number.clone()),
                })
            })?;
        tracing::info!(record = %record.number, "registration found sent already: not sent again");
        state.skipped.push(Skipped::RecordAlreadySent {
            number: record.number.clone(),
        });
        state.record = Some(RegistrationRecord {
            sent_at: Some(sent_at),
            office: record
                .office
                .clone()
                .or_else(|| Some(self.inputs.office.clone())),
            ..record
        });
        Ok(())
    }
}

/// Writes `state` to `file`, when one is set.
fn save_to(file: Option<&Path>, state: &UpdateState) -> Result<()> {
    match file {
        Some(path) => state.save(path),
        None => Ok(()),
    }
}

/// Checks that a saved state is this update's (same enterprise, same new certificate).
fn fits(state: UpdateState, plan: &Plan) -> Result<UpdateState> {
    if state.tax_code != plan.tax_code {
        return Err(Error::Workflow(WorkflowError::WorkflowStateMismatch {
            detail: format!(
                "the state is for tax code {}, the update for {}",
                state.tax_code, plan.tax_code
            ),
        }));
    }
    if state.new_serial != plan.certificate.serial {
        return Err(Error::Workflow(WorkflowError::WorkflowStateMismatch {
            detail: format!(
                "the state registers certificate {}, the update {}",
                state.new_serial, plan.certificate.serial
            ),
        }));
    }
    Ok(state)
}

/// The declarant users to move, by the plan's rule, and the chosen users left out.
fn choose_moves(
    rule: &DeclarantRule,
    rows: &[DeclarantRow],
    state: &UpdateState,
) -> Result<(Vec<DeclarantMove>, Vec<Skipped>)> {
    let mut skipped = Vec::new();
    let picked: Vec<&DeclarantRow> = match rule {
        DeclarantRule::Chosen { users } => {
            let mut picked = Vec::new();
            for user in users {
                match rows
                    .iter()
                    .find(|r| user.matches(r.user_code.as_ref(), &r.id_number))
                {
                    None => skipped.push(Skipped::DeclarantNotListed { user: user.clone() }),
                    Some(row) if row.certificate_serial == state.new_serial => {
                        skipped.push(Skipped::DeclarantAlreadyOnNewCertificate {
                            user_code: row.user_code.clone(),
                            full_name: row.full_name.clone(),
                        })
                    }
                    Some(row) => picked.push(row),
                }
            }
            picked
        }
        DeclarantRule::OnOldSerial { serial } => rows
            .iter()
            .filter(|r| &r.certificate_serial == serial)
            .collect(),
    };
    let moves = picked
        .into_iter()
        .map(|row| {
            Ok(DeclarantMove {
                user_code: row.user_code.clone(),
                full_name: row.full_name.clone(),
                id_number: PersonalId::parse(&row.id_number)?,
                from_serial: row.certificate_serial.clone(),
                moved: false,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((moves, skipped))
}

/// Whether `row` is the planned user, before or after its move.
fn is_row_of(row: &DeclarantRow, planned: &DeclarantMove, state: &UpdateState) -> bool {
    let same_user = match &planned.user_code {
        Some(code) => row.user_code.as_ref() == Some(code),
        None => PersonalId::parse(&row.id_number).is_ok_and(|id| id == planned.id_number),
    };
    same_user
        && (row.certificate_serial == planned.from_serial
            || row.certificate_serial == state.new_serial)
}

/// The selector naming a planned user.
fn selector_of(planned: &DeclarantMove) -> DeclarantSelector {
    match &planned.user_code {
        Some(code) => DeclarantSelector::UserCode(code.clone()),
        None => DeclarantSelector::IdNumber(planned.id_number.clone()),
    }
}

/// Orders record numbers numerically when they are numbers (the portal's are), else as text.
fn by_number(a: &RegistrationRecord, b: &RegistrationRecord) -> std::cmp::Ordering {
    match (a.number.parse::<u64>(), b.number.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.number.cmp(&b.number),
    }
}

/// The outcome of a completed state.
fn outcome(
    state: &UpdateState,
    already_done: Vec<Skipped>,
    requests: u64,
) -> Result<UpdateOutcome> {
    let incomplete = |what: &str| {
        Error::Workflow(WorkflowError::InvalidWorkflowState {
            reason: format!("the update is complete but the state has no {what}"),
        })
    };
    let registration = state
        .registration
        .clone()
        .ok_or_else(|| incomplete("registration"))?;
    let record = state
        .record
        .clone()
        .ok_or_else(|| incomplete("registration record"))?;
    let sent_at = record.sent_at.ok_or_else(|| incomplete("sent time"))?;
    let declarants_moved = state
        .declarants
        .iter()
        .flatten()
        .filter(|m| m.moved)
        .cloned()
        .collect();
    let mut skipped = already_done;
    skipped.extend(state.skipped.iter().cloned());
    Ok(UpdateOutcome {
        tax_code: state.tax_code.clone(),
        registration,
        old_serial: state.old_serial.clone(),
        declarants_moved,
        record,
        sent_at,
        usable_from: registration_usable_from(sent_at),
        skipped,
        requests,
    })
}

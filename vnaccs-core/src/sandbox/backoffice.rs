//! Customs' back office: approval (explicit, or automatic after a delay on the sandbox clock)
//! and rejection of sent registration records.

use super::error::SandboxError;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::idgen;
use super::state::{Enterprise, Inner, IssuedUserState};
use crate::records::{RegistrationStatus, Terminal};
use crate::timing::registration_usable_from;
use crate::{Error, Result};

impl Inner {
    /// The numbers of every sent record, in enterprise and creation order.
    pub fn sent_numbers(&self) -> Vec<String> {
        self.enterprises
            .iter()
            .flat_map(|e| &e.state.records)
            .filter(|r| r.status == RegistrationStatus::Sent)
            .map(|r| r.number.clone())
            .collect()
    }

    /// Approves every sent record whose delay has passed, as of when it passed.
    pub fn auto_approve(&mut self, now: DateTime<Utc>, delay: Option<Duration>) {
        let Some(delay) = delay.and_then(|d| TimeDelta::from_std(d).ok()) else {
            return;
        };
        let mut due: Vec<(DateTime<Utc>, String)> = self
            .enterprises
            .iter()
            .flat_map(|e| &e.state.records)
            .filter(|r| r.status == RegistrationStatus::Sent)
            .filter_map(|r| Some((r.sent_at?.checked_add_signed(delay)?, r.number.clone())))
            .filter(|(at, _)| *at <= now)
            .collect();
        due.sort();
        for (at, number) in due {
            if let Err(e) = self.approve(&number, at) {
                tracing::warn!(%e, "automatic approval failed");
            }
        }
    }

    /// Approves a sent record at `now`: User IDs for declarants without one, a terminal if the
    /// enterprise has none, and the approved user list of OE4002.
    pub fn approve(&mut self, number: &str, now: DateTime<Utc>) -> Result<()> {
        let seed = self.seed;
        let enterprise = self.decide(number, RegistrationStatus::Approved, now)?;
        for i in 0..enterprise.state.declarants.len() {
            if enterprise.state.declarants[i].user_id.is_some() {
                continue;
            }
            let existing: Vec<_> = enterprise
                .state
                .declarants
                .iter()
                .filter_map(|d| d.user_id.as_ref())
                .collect();
            let issued = idgen::user_id(seed, &enterprise.state.tax_code, &existing);
            enterprise.state.declarants[i].user_id = issued;
        }
        if enterprise.state.terminals.is_empty()
            && let Some((terminal_id, access_key)) =
                idgen::terminal(seed, &enterprise.state.tax_code, 0)
        {
            enterprise.state.terminals.push(Terminal {
                terminal_id,
                access_key,
            });
        }
        enterprise.state.issued_users = enterprise
            .state
            .declarants
            .iter()
            .filter_map(|d| {
                Some(IssuedUserState {
                    user_id: d.user_id.clone()?,
                    full_name: d.full_name.clone(),
                    id_number: d.id_number.clone(),
                    certificate_serial: d.certificate_serial.clone(),
                    effective_date: d.effective_date,
                })
            })
            .collect();
        Ok(())
    }

    /// Rejects a sent record at `now`, for `reason` when one is given.
    pub fn reject(&mut self, number: &str, now: DateTime<Utc>, reason: Option<&str>) -> Result<()> {
        let enterprise = self.decide(number, RegistrationStatus::Rejected, now)?;
        if let Some(record) = enterprise
            .state
            .records
            .iter_mut()
            .find(|r| r.number == number)
        {
            record.reason = reason.map(str::to_owned);
        }
        Ok(())
    }

    /// Moves a sent record to `status`; returns its enterprise.
    fn decide(
        &mut self,
        number: &str,
        status: RegistrationStatus,
        now: DateTime<Utc>,
    ) -> Result<&mut Enterprise> {
        let enterprise = self
            .enterprises
            .iter_mut()
            .find(|e| e.state.records.iter().any(|r| r.number == number))
            .ok_or_else(|| {
                Error::Sandbox(SandboxError::SandboxRecordNotFound {
                    number: number.to_owned(),
                })
            })?;
        let record = enterprise
            .state
            .records
            .iter_mut()
            .find(|r| r.number == number)
            .ok_or_else(|| {
                Error::Sandbox(SandboxError::SandboxRecordNotFound {
                    number: number.to_owned(),
                })
            })?;
        if !record.status.can_move_to(status) {
            return Err(Error::Sandbox(SandboxError::SandboxStatusChange {
                number: number.to_owned(),
                from: record.status.label().to_owned(),
                to: status.label().to_owned(),
            }));
        }
        record.status = status;
        record.decided_at = Some(now);
        if status == RegistrationStatus::Approved {
            record.usable_from = record.sent_at.map(registration_usable_from);
        }
        Ok(enterprise)
    }
}

//! The portal's data (enterprises, admin accounts, registered certificates, declarants,
//! records, terminals) and its comparable snapshot.

use super::error::SandboxError;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

use super::captcha::Served;
use super::faults::{Faults, Operation};
use super::idgen;
use super::messages::Wording;
use super::scenario::{Scenario, ScenarioSecret};
use super::session::Sessions;
use crate::cert::{Certificate, TrustAnchors};
use crate::ids::{CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, UserId};
use crate::records::{RegistrationKind, RegistrationStatus, Terminal};
use crate::timing::local_date;
use crate::{Error, Result};

/// The sandbox's state as tests read it: no secrets, no wall-clock values (every instant is
/// from the sandbox clock), so a faulted run and a clean run compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxState {
    /// Every enterprise, in the order they were added.
    pub enterprises: Vec<EnterpriseState>,
}

impl SandboxState {
    /// The enterprise with this tax code.
    pub fn enterprise(&self, tax_code: &str) -> Option<&EnterpriseState> {
        self.enterprises
            .iter()
            .find(|e| e.tax_code.as_str() == tax_code)
    }

    /// The record with this number, in any enterprise.
    pub fn record(&self, number: &str) -> Option<&RecordState> {
        self.enterprises
            .iter()
            .flat_map(|e| &e.records)
            .find(|r| r.number == number)
    }
}

/// An enterprise and everything registered for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseState {
    /// Mã số thuế.
    pub tax_code: TaxCode,
    /// Tên doanh nghiệp.
    pub name: String,
    /// Địa chỉ.
    pub address: String,
    /// Số CMT of the legal representative.
    pub representative_id: PersonalId,
    /// The admin account, if any.
    pub admin: Option<AdminState>,
    /// Certificates registered with Customs (screen A), in registration order.
    pub certificates: Vec<RegisteredCertificateState>,
    /// Declarant users as OE2102 shows them.
    pub declarants: Vec<DeclarantState>,
    /// The users as Customs approved them (OE4002).
    pub issued_users: Vec<IssuedUserState>,
    /// Terminals (OE4002).
    pub terminals: Vec<Terminal>,
    /// Registration records (OE4001), in creation order.
    pub records: Vec<RecordState>,
}

impl EnterpriseState {
    /// The registered certificate with this serial.
    pub fn certificate(&self, serial: &str) -> Option<&RegisteredCertificateState> {
        self.certificates
            .iter()
            .find(|c| c.serial.as_str() == serial)
    }

    /// Whether Customs has approved a registration of this enterprise (a record approved, or a
    /// User ID issued).
    pub fn has_approved_registration(&self) -> bool {
        self.records
            .iter()
            .any(|r| r.status == RegistrationStatus::Approved)
            || self.declarants.iter().any(|d| d.user_id.is_some())
    }
}

/// An admin account (the password is not part of the state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminState {
    /// The account's email.
    pub email: Email,
    /// The serial of the account's current certificate.
    pub certificate_serial: Option<CertificateSerial>,
}

/// A certificate registered with Customs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredCertificateState {
    /// The serial.
    pub serial: CertificateSerial,
    /// The subject, as text.
    pub subject: String,
    /// The issuer, as text.
    pub issuer: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// Ngày hiệu lực đăng ký.
    pub valid_from: NaiveDate,
    /// Ngày hết hiệu lực đăng ký.
    pub valid_to: NaiveDate,
    /// When it was (last) registered, on the sandbox clock.
    pub registered_at: DateTime<Utc>,
}

/// A declarant user (the password is not part of the state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarantState {
    /// The User ID, once issued.
    pub user_id: Option<UserId>,
    /// Họ tên.
    pub full_name: String,
    /// Số CMND/Hộ chiếu.
    pub id_number: PersonalId,
    /// Email.
    pub email: Email,
    /// Ngày hiệu lực.
    pub effective_date: NaiveDate,
    /// The serial of the user's certificate.
    pub certificate_serial: CertificateSerial,
    /// When the User ID password was last changed (screen F), on the sandbox clock.
    pub password_changed_at: Option<DateTime<Utc>>,
    /// When that password becomes usable (24 hours later).
    pub password_usable_from: Option<DateTime<Utc>>,
}

/// A user as Customs approved it (OE4002).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedUserState {
    /// The User ID.
    pub user_id: UserId,
    /// Họ tên.
    pub full_name: String,
    /// Số CMND/Hộ chiếu.
    pub id_number: PersonalId,
    /// The serial of the user's certificate.
    pub certificate_serial: CertificateSerial,
    /// Ngày hiệu lực.
    pub effective_date: NaiveDate,
}

/// A registration record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordState {
    /// Số bản khai.
    pub number: String,
    /// Đăng ký mới or Sửa sau phê duyệt.
    pub kind: RegistrationKind,
    /// Trạng thái.
    pub status: RegistrationStatus,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// The office it was sent to.
    pub office: Option<CustomsOfficeCode>,
    /// The sender's name.
    pub sender_name: Option<String>,
    /// The sender's email.
    pub sender_email: Option<Email>,
    /// When Customs approved or rejected it.
    pub decided_at: Option<DateTime<Utc>>,
    /// Why Customs rejected it (Lý do từ chối), when a reason was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the approved registration becomes usable: 00:00 Vietnam time of the day after it
    /// was sent (docs/domain.md §5).
    pub usable_from: Option<DateTime<Utc>>,
}

/// An enterprise with what the snapshot leaves out: passwords and certificate bytes.
#[derive(Debug, Clone)]
pub(super) struct Enterprise {
    /// The visible state.
    pub state: EnterpriseState,
    /// The admin account's password.
    pub admin_password: Option<ScenarioSecret>,
    /// The admin account's certificate (DER).
    pub admin_certificate: Option<Vec<u8>>,
    /// Registered certificates (DER) by serial.
    pub certificates: BTreeMap<String, Vec<u8>>,
    /// User ID passwords by User ID.
    pub user_passwords: BTreeMap<String, ScenarioSecret>,
}

impl Enterprise {
    /// Whether `cert` is registered for this enterprise (same serial and bytes).
    pub fn is_registered(&self, cert: &Certificate) -> bool {
        self.certificates
            .get(cert.serial().as_str())
            .is_some_and(|der| der.as_slice() == cert.der())
    }

    /// Whether `cert` is the admin account's current certificate.
    pub fn is_admin_certificate(&self, cert: &Certificate) -> bool {
        self.admin_certificate
            .as_deref()
            .is_some_and(|der| der == cert.der())
    }

    /// Registers `cert` (again: the dates are replaced).
    pub fn register(
        &mut self,
        cert: &Certificate,
        valid_from: NaiveDate,
        valid_to: NaiveDate,
        now: DateTime<Utc>,
    ) {
        let entry = RegisteredCertificateState {
            serial: cert.serial().clone(),
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            not_before: cert.not_before(),
            not_after: cert.not_after(),
            valid_from,
            valid_to,
            registered_at: now,
        };
        let certificates = &mut self.state.certificates;
        match certificates.iter_mut().find(|c| c.serial == entry.serial) {
            Some(existing) => *existing = entry,
            None => certificates.push(entry),
        }
        self.certificates
            .insert(cert.serial().as_str().to_owned(), cert.der().to_vec());
    }
}

/// Everything behind the sandbox's lock.
#[derive(Debug)]
pub(super) struct Inner {
    /// The seed of generated identifiers.
    pub seed: u64,
    /// Randomness that never reaches the state: session ids, tokens, captchas, challenges.
    pub rng: ChaCha20Rng,
    /// Browser sessions.
    pub sessions: Sessions,
    /// Armed faults.
    pub faults: Faults,
    /// The answer of the latest captcha issued.
    pub last_captcha: Option<String>,
    /// The latest captcha images served, with their answers.
    pub captchas_served: Served,
    /// Enterprises, in the order added.
    pub enterprises: Vec<Enterprise>,
    /// Offices records may be sent to.
    pub offices: BTreeSet<CustomsOfficeCode>,
    /// Trust anchors for registered certificates.
    pub anchors: TrustAnchors,
    /// The wording of the messages the guides word in two ways.
    pub wording: Wording,
    /// How many times each state-changing post took effect.
    pub effects: BTreeMap<Operation, u32>,
    /// How many requests of each state-changing post arrived (refused or faulted ones too).
    pub posts: BTreeMap<Operation, u32>,
}

fn scenario_error(reason: impl std::fmt::Display) -> Error {
    Error::Sandbox(SandboxError::SandboxScenario {
        reason: reason.to_string(),
    })
}

impl Inner {
    /// An empty portal.
    pub fn new(seed: u64) -> Inner {
        Inner {
            seed,
            rng: ChaCha20Rng::seed_from_u64(seed ^ 0x5eed_5a4d_b0c5),
            sessions: Sessions::default(),
            faults: Faults::default(),
            last_captcha: None,
            captchas_served: Served::default(),
            enterprises: Vec::new(),
            offices: BTreeSet::new(),
            anchors: TrustAnchors::default(),
            wording: Wording::default(),
            effects: BTreeMap::new(),
            posts: BTreeMap::new(),
        }
    }

    /// Counts one effect of the state-changing post `operation`.
    pub fn took_effect(&mut self, operation: Operation) {
        *self.effects.entry(operation).or_default() += 1;
    }

    /// The enterprise with this tax code.
    pub fn enterprise(&self, tax_code: &TaxCode) -> Option<&Enterprise> {
        self.enterprises
            .iter()
            .find(|e| &e.state.tax_code == tax_code)
    }

    /// The enterprise with this tax code, to change.
    pub fn enterprise_mut(&mut self, tax_code: &TaxCode) -> Option<&mut Enterprise> {
        self.enterprises
            .iter_mut()
            .find(|e| &e.state.tax_code == tax_code)
    }

    /// Whether `cert` chains to the sandbox's trust anchors.
    pub fn is_trusted(&self, cert: &Certificate) -> bool {
        self.anchors.verify(cert, &[]).is_trusted()
    }

    /// The snapshot.
    pub fn snapshot(&self) -> SandboxState {
        SandboxState {
            enterprises: self.enterprises.iter().map(|e| e.state.clone()).collect(),
        }
    }

    /// The open (data entry) record of the enterprise, created if there is none.
    pub fn open_record(&mut self, tax_code: &TaxCode, now: DateTime<Utc>) -> Option<String> {
        let seed = self.seed;
        let taken: BTreeSet<String> = self
            .enterprises
            .iter()
            .flat_map(|e| e.state.records.iter().map(|r| r.number.clone()))
            .collect();
        let enterprise = self.enterprise_mut(tax_code)?;
        if let Some(open) = enterprise
            .state
            .records
            .iter()
            .find(|r| r.status == RegistrationStatus::DataEntry)
        {
            return Some(open.number.clone());
        }
        let kind = if enterprise.state.has_approved_registration() {
            RegistrationKind::AmendmentAfterApproval
        } else {
            RegistrationKind::New
        };
        let number = idgen::record_number(seed, &taken);
        enterprise.state.records.push(RecordState {
            number: number.clone(),
            kind,
            status: RegistrationStatus::DataEntry,
            created_at: now,
            sent_at: None,
            office: None,
            sender_name: None,
            sender_email: None,
            decided_at: None,
            reason: None,
            usable_from: None,
        });
        Some(number)
    }

    /// Adds what `scenario` describes.
    pub fn load(&mut self, scenario: &Scenario, now: DateTime<Utc>) -> Result<()> {
        if scenario.national_roots && self.anchors.roots().is_empty() {
            self.anchors = TrustAnchors::national();
        }
        for pem in &scenario.trust_anchors {
            for cert in Certificate::from_pem(pem)? {
                if cert.is_self_issued() {
                    self.anchors.add_root(cert);
                } else {
                    self.anchors.add_intermediate(cert);
                }
            }
        }
        self.offices.extend(scenario.offices.iter().cloned());
        if let Some(wording) = scenario.wording {
            self.wording = wording;
        }
        for e in &scenario.enterprises {
            if self.enterprise(&e.tax_code).is_some() {
                return Err(scenario_error(format!(
                    "enterprise {} is listed twice",
                    e.tax_code
                )));
            }
            self.enterprises.push(Enterprise {
                state: EnterpriseState {
                    tax_code: e.tax_code.clone(),
                    name: e.name.clone(),
                    address: e.address.clone(),
                    representative_id: e.representative_id.clone(),
                    admin: None,
                    certificates: Vec::new(),
                    declarants: Vec::new(),
                    issued_users: Vec::new(),
                    terminals: Vec::new(),
                    records: Vec::new(),
                },
                admin_password: None,
                admin_certificate: None,
                certificates: BTreeMap::new(),
                user_passwords: BTreeMap::new(),
            });
        }
        for c in &scenario.certificates {
            let cert = one_certificate(&c.certificate)?;
            let enterprise = self.known(&c.tax_code)?;
            let from = c
                .valid_from
                .unwrap_or_else(|| local_date(cert.not_before()));
            let to = c.valid_to.unwrap_or_else(|| local_date(cert.not_after()));
            enterprise.register(&cert, from, to, now);
        }
        for a in &scenario.admin_accounts {
            let cert = a.certificate.as_deref().map(one_certificate).transpose()?;
            let enterprise = self.known(&a.tax_code)?;
            enterprise.state.admin = Some(AdminState {
                email: a.email.clone(),
                certificate_serial: cert.as_ref().map(|c| c.serial().clone()),
            });
            enterprise.admin_password = Some(a.password.clone());
            enterprise.admin_certificate = cert.map(|c| c.der().to_vec());
        }
        for d in &scenario.declarants {
            let enterprise = self.known(&d.tax_code)?;
            if let Some(user_id) = &d.user_id
                && enterprise
                    .state
                    .declarants
                    .iter()
                    .any(|x| x.user_id.as_ref() == Some(user_id))
            {
                return Err(scenario_error(format!("User ID {user_id} is listed twice")));
            }
            if let (Some(user_id), Some(password)) = (&d.user_id, &d.password) {
                enterprise
                    .user_passwords
                    .insert(user_id.to_string(), password.clone());
            }
            enterprise.state.declarants.push(DeclarantState {
                user_id: d.user_id.clone(),
                full_name: d.full_name.clone(),
                id_number: d.id_number.clone(),
                email: d.email.clone(),
                effective_date: d.effective_date,
                certificate_serial: d.certificate_serial.clone(),
                password_changed_at: None,
                password_usable_from: None,
            });
            if let Some(user_id) = &d.user_id {
                enterprise.state.issued_users.push(IssuedUserState {
                    user_id: user_id.clone(),
                    full_name: d.full_name.clone(),
                    id_number: d.id_number.clone(),
                    certificate_serial: d.certificate_serial.clone(),
                    effective_date: d.effective_date,
                });
            }
        }
        for t in &scenario.terminals {
            self.known(&t.tax_code)?.state.terminals.push(Terminal {
                terminal_id: t.terminal_id.clone(),
                access_key: t.access_key.clone(),
            });
        }
        for r in &scenario.records {
            if self
                .enterprises
                .iter()
                .any(|e| e.state.records.iter().any(|x| x.number == r.number))
            {
                return Err(scenario_error(format!(
                    "record {} is listed twice",
                    r.number
                )));
            }
            let approved = r.status == RegistrationStatus::Approved;
            let decided = matches!(
                r.status,
                RegistrationStatus::Approved | RegistrationStatus::Rejected
            );
            self.known(&r.tax_code)?.state.records.push(RecordState {
                number: r.number.clone(),
                kind: r.kind,
                status: r.status,
                created_at: r.created_at.unwrap_or(now),
                sent_at: r.sent_at,
                office: r.office.clone(),
                sender_name: None,
                sender_email: None,
                decided_at: decided.then_some(r.sent_at.unwrap_or(now)),
                reason: None,
                usable_from: r
                    .sent_at
                    .filter(|_| approved)
                    .map(crate::timing::registration_usable_from),
            });
        }
        Ok(())
    }

    fn known(&mut self, tax_code: &TaxCode) -> Result<&mut Enterprise> {
        self.enterprise_mut(tax_code)
            .ok_or_else(|| scenario_error(format!("enterprise {tax_code} is not listed")))
    }
}

fn one_certificate(pem: &str) -> Result<Certificate> {
    Certificate::from_pem(pem)?
        .into_iter()
        .next()
        .ok_or_else(|| scenario_error("no certificate in the PEM text"))
}

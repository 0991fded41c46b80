//! Scenarios: the initial state of a sandbox, as JSON or built in Rust.
//!
//! # JSON schema
//!
//! Every key is optional (missing lists are empty); unknown keys are refused.
//!
//! ```json
//! {
//!   "now": "2026-11-23T03:00:00Z",          // starts the sandbox clock (RFC 3339), optional
//!   "wording": "alternative",                // "usual" (the first time) or "alternative": the
//!                                            // other wording of the messages the guides word twice
//!   "national_roots": true,                  // trust the bundled Vietnamese national PKI (default true)
//!   "trust_anchors": ["-----BEGIN CERTIFICATE-----…"],   // PEM; self-signed ones are roots,
//!                                            // the others intermediates that build chains
//!   "offices": ["01B1", "02CI"],             // customs offices a record may be sent to
//!   "enterprises": [{ "tax_code": "0302345459", "name": "…", "address": "…",
//!                     "representative_id": "001085012345" }],
//!   "admin_accounts": [{ "tax_code": "0302345459", "email": "admin@…", "password": "…",
//!                        "certificate": "-----BEGIN CERTIFICATE-----…" }],  // certificate optional
//!   "certificates": [{ "tax_code": "0302345459", "certificate": "PEM",
//!                      "valid_from": "2025-01-01", "valid_to": "2026-12-22" }],  // dates optional:
//!                                            // default the certificate's validity (Vietnam dates)
//!   "declarants": [{ "tax_code": "0302345459", "user_id": "V2060001", "full_name": "…",
//!                    "id_number": "079085000001", "email": "…", "effective_date": "2025-01-01",
//!                    "certificate_serial": "0A1B…", "password": "ABC123" }],  // user_id, password optional
//!   "terminals": [{ "tax_code": "0302345459", "terminal_id": "T3A9K2",
//!                   "access_key": "0123456789ABCDEF" }],
//!   "records": [{ "tax_code": "0302345459", "number": "102500000001", "kind": "new",
//!                 "status": "approved", "created_at": "…", "sent_at": "…", "office": "01B1" }]
//! }
//! ```
//!
//! Tax codes, ID numbers, emails, User IDs, terminal codes, serials and office codes are
//! validated as the library's identifiers are; `kind` is `new` or `amendment_after_approval`,
//! `status` one of `data_entry`, `sent`, `approved`, `rejected`. Every item names an enterprise
//! listed in `enterprises` (of this or an earlier scenario).

use super::error::SandboxError;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::messages::Wording;
use crate::ids::{
    CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, TerminalAccessKey,
    TerminalId, UserId,
};
use crate::records::{RegistrationKind, RegistrationStatus};
use crate::{Error, Result};

/// A password in a scenario: kept out of `Debug` output, wiped when dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ScenarioSecret(String);

impl ScenarioSecret {
    /// Wraps a password.
    pub fn new(password: &str) -> ScenarioSecret {
        ScenarioSecret(password.to_owned())
    }

    /// The password.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for ScenarioSecret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for ScenarioSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScenarioSecret(********)")
    }
}

/// The initial state of a sandbox (see the module docs for the JSON form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Where the sandbox clock starts (default: the wall clock at start, to whole seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
    /// Which wording the portal's messages use (default: unchanged, at first
    /// [`Wording::Usual`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<Wording>,
    /// Whether the bundled national PKI is trusted (default `true`).
    pub national_roots: bool,
    /// Extra trust anchors, PEM: self-signed certificates are roots, others intermediates.
    pub trust_anchors: Vec<String>,
    /// The customs offices records may be sent to.
    pub offices: Vec<CustomsOfficeCode>,
    /// Enterprises.
    pub enterprises: Vec<ScenarioEnterprise>,
    /// Admin accounts (one per enterprise).
    pub admin_accounts: Vec<ScenarioAdmin>,
    /// Certificates already registered with Customs (screen A).
    pub certificates: Vec<ScenarioCertificate>,
    /// Declarant users.
    pub declarants: Vec<ScenarioDeclarant>,
    /// Terminals.
    pub terminals: Vec<ScenarioTerminal>,
    /// Registration records.
    pub records: Vec<ScenarioRecord>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            now: None,
            wording: None,
            national_roots: true,
            trust_anchors: Vec::new(),
            offices: Vec::new(),
            enterprises: Vec::new(),
            admin_accounts: Vec::new(),
            certificates: Vec::new(),
            declarants: Vec::new(),
            terminals: Vec::new(),
            records: Vec::new(),
        }
    }
}

/// An enterprise (Doanh nghiệp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioEnterprise {
    /// Mã số thuế.
    pub tax_code: TaxCode,
    /// Tên doanh nghiệp.
    pub name: String,
    /// Địa chỉ.
    #[serde(default)]
    pub address: String,
    /// Số CMT of the legal representative.
    pub representative_id: PersonalId,
}

/// An admin account (Tài khoản quản trị).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioAdmin {
    /// The enterprise (the login name).
    pub tax_code: TaxCode,
    /// The account's email.
    pub email: Email,
    /// The account's password.
    pub password: ScenarioSecret,
    /// The account's certificate, PEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

/// A certificate registered with Customs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCertificate {
    /// The enterprise.
    pub tax_code: TaxCode,
    /// The certificate, PEM.
    pub certificate: String,
    /// Ngày hiệu lực đăng ký (default: the certificate's first day, Vietnam time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    /// Ngày hết hiệu lực đăng ký (default: the certificate's last day, Vietnam time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

/// A declarant user (Người khai hải quan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioDeclarant {
    /// The enterprise.
    pub tax_code: TaxCode,
    /// The User ID, once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    /// The User ID's current password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<ScenarioSecret>,
}

/// A terminal (Máy tính).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioTerminal {
    /// The enterprise.
    pub tax_code: TaxCode,
    /// Terminal ID.
    pub terminal_id: TerminalId,
    /// Terminal Access Key.
    pub access_key: TerminalAccessKey,
}

/// A registration record (bản khai đăng ký).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRecord {
    /// The enterprise.
    pub tax_code: TaxCode,
    /// Số bản khai.
    pub number: String,
    /// Đăng ký mới or Sửa sau phê duyệt.
    pub kind: RegistrationKind,
    /// Trạng thái.
    pub status: RegistrationStatus,
    /// When it was created (default: the clock at loading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// The office it was sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<CustomsOfficeCode>,
}

fn scenario_error(reason: impl fmt::Display) -> Error {
    Error::Sandbox(SandboxError::SandboxScenario {
        reason: reason.to_string(),
    })
}

impl Scenario {
    /// Reads a scenario from JSON.
    pub fn from_json(json: &str) -> Result<Scenario> {
        serde_json::from_str(json).map_err(scenario_error)
    }

    /// Reads a scenario from a JSON file.
    pub fn from_file(path: &Path) -> Result<Scenario> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Self::from_json(&text)
    }

    /// A scenario error unless every date of the scenario falls in the years of
    /// [`crate::dates::YEARS`].
    pub fn check_dates(&self) -> Result<()> {
        let dates = self
            .certificates
            .iter()
            .flat_map(|c| [("valid_from", c.valid_from), ("valid_to", c.valid_to)])
            .chain(
                self.declarants
                    .iter()
                    .map(|d| ("effective_date", Some(d.effective_date))),
            )
            .filter_map(|(what, date)| Some((what, date?)));
        let times = std::iter::once(("now", self.now))
            .chain(
                self.records
                    .iter()
                    .flat_map(|r| [("created_at", r.created_at), ("sent_at", r.sent_at)]),
            )
            .filter_map(|(what, time)| Some((what, time?)));
        for (what, date) in dates {
            crate::dates::check_date(what, date).map_err(scenario_error)?;
        }
        for (what, time) in times {
            crate::dates::check_time(what, time).map_err(scenario_error)?;
        }
        Ok(())
    }

    /// The scenario as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Adds an enterprise.
    pub fn add_enterprise(
        &mut self,
        tax_code: TaxCode,
        name: &str,
        address: &str,
        representative_id: PersonalId,
    ) -> &mut Self {
        self.enterprises.push(ScenarioEnterprise {
            tax_code,
            name: name.to_owned(),
            address: address.to_owned(),
            representative_id,
        });
        self
    }

    /// Adds an admin account with its certificate (PEM).
    pub fn add_admin(
        &mut self,
        tax_code: TaxCode,
        email: Email,
        password: &str,
        certificate_pem: Option<String>,
    ) -> &mut Self {
        self.admin_accounts.push(ScenarioAdmin {
            tax_code,
            email,
            password: ScenarioSecret::new(password),
            certificate: certificate_pem,
        });
        self
    }

    /// Registers a certificate (PEM) for an enterprise, for the whole of its validity.
    pub fn register_certificate(
        &mut self,
        tax_code: TaxCode,
        certificate_pem: String,
    ) -> &mut Self {
        self.certificates.push(ScenarioCertificate {
            tax_code,
            certificate: certificate_pem,
            valid_from: None,
            valid_to: None,
        });
        self
    }

    /// Adds a declarant user.
    pub fn add_declarant(&mut self, declarant: ScenarioDeclarant) -> &mut Self {
        self.declarants.push(declarant);
        self
    }

    /// Adds a terminal.
    pub fn add_terminal(
        &mut self,
        tax_code: TaxCode,
        terminal_id: TerminalId,
        access_key: TerminalAccessKey,
    ) -> &mut Self {
        self.terminals.push(ScenarioTerminal {
            tax_code,
            terminal_id,
            access_key,
        });
        self
    }

    /// Trusts a CA certificate (PEM): a root when self-signed, otherwise an intermediate.
    pub fn add_trust_anchor(&mut self, certificate_pem: String) -> &mut Self {
        self.trust_anchors.push(certificate_pem);
        self
    }
}

#[cfg(feature = "test-pki")]
pub use test_pki::{
    TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_DECLARANT_USER_ID, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};

#[cfg(feature = "test-pki")]
mod test_pki {
    use chrono::Days;

    use super::{Scenario, ScenarioDeclarant, ScenarioRecord, ScenarioSecret};
    use crate::fixtures::{self, Issued, StandardSet, TestPki};
    use crate::ids::{CertificateSerial, TaxCode};
    use crate::records::{RegistrationKind, RegistrationStatus};
    use crate::timing::local_date;

    /// The standard enterprise's admin email.
    pub const TEST_ADMIN_EMAIL: &str = "admin@saigontrade.vn";
    /// The standard enterprise's admin password.
    pub const TEST_ADMIN_PASSWORD: &str = "Hq@2026vnaccs";
    /// The User ID of the standard enterprise's first declarant.
    pub const TEST_DECLARANT_USER_ID: &str = "V2060001";
    /// The representative's ID number ([`fixtures::CCCD`]).
    pub const TEST_REPRESENTATIVE_ID: &str = fixtures::CCCD;
    /// The customs offices of test scenarios.
    pub const TEST_OFFICES: [&str; 3] = ["01B1", "02CI", "03TG"];

    /// Names of test declarants, by index.
    const NAMES: [&str; 6] = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Hoàng Cường",
        "Phạm Thu Dung",
        "Hoàng Minh Đức",
        "Võ Thị Giang",
    ];

    fn serial_of(issued: &Issued) -> CertificateSerial {
        crate::cert::Certificate::from_der(&issued.der)
            .expect("a fixture certificate parses")
            .serial()
            .clone()
    }

    fn tax(code: &str) -> TaxCode {
        TaxCode::parse(code).expect("fixture tax codes are valid")
    }

    impl Scenario {
        /// The standard test scenario on `pki`: the enterprise [`fixtures::TAX`]
        /// ([`fixtures::ENTERPRISE_NAME`], representative [`fixtures::CCCD`]) with its old
        /// certificate (`set.enterprise_old`) registered, an admin account
        /// ([`TEST_ADMIN_EMAIL`], [`TEST_ADMIN_PASSWORD`]) on it, one declarant
        /// ([`TEST_DECLARANT_USER_ID`]) using it, one terminal, an approved registration, the
        /// offices [`TEST_OFFICES`], the test PKI's root and CAs trusted, the clock at `pki.now`.
        pub fn for_test_pki(pki: &TestPki, set: &StandardSet) -> Scenario {
            Self::for_test_pki_with_old(pki, &set.enterprise_old)
        }

        /// [`Scenario::for_test_pki`] with another old certificate (e.g. an expired one).
        pub fn for_test_pki_with_old(pki: &TestPki, old: &Issued) -> Scenario {
            let mut scenario = Scenario {
                now: Some(pki.now),
                offices: TEST_OFFICES
                    .iter()
                    .map(|o| o.parse().expect("fixture offices are valid"))
                    .collect(),
                ..Scenario::default()
            };
            for ca in [&pki.root, &pki.ca, &pki.other_ca] {
                scenario.add_trust_anchor(ca.pem());
            }
            let code = tax(fixtures::TAX);
            scenario
                .add_enterprise(
                    code.clone(),
                    fixtures::ENTERPRISE_NAME,
                    "Số 12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
                    fixtures::CCCD.parse().expect("fixture CCCD is valid"),
                )
                .add_admin(
                    code.clone(),
                    TEST_ADMIN_EMAIL.parse().expect("valid email"),
                    TEST_ADMIN_PASSWORD,
                    Some(old.pem()),
                )
                .register_certificate(code.clone(), old.pem())
                .add_terminal(
                    code.clone(),
                    "T3A9K2".parse().expect("valid terminal id"),
                    "7QK2M9X4B8N1C6V3".parse().expect("valid access key"),
                );
            let serial = serial_of(old);
            scenario.add_test_declarant(&code, &serial, true);
            let long_ago = pki.now - chrono::Duration::days(700);
            scenario.records.push(ScenarioRecord {
                tax_code: code,
                number: "102500000001".into(),
                kind: RegistrationKind::New,
                status: RegistrationStatus::Approved,
                created_at: Some(long_ago),
                sent_at: Some(long_ago),
                office: scenario.offices.first().cloned(),
            });
            scenario
        }

        /// Adds the next test declarant of `tax_code` on certificate `serial`: a name, a CCCD and
        /// an email derived from its position, and with `issued` a User ID (unit code `V2060`
        /// for the standard enterprise, `H0312` otherwise; number = position) and password
        /// `ABC123`.
        ///
        /// # Panics
        /// Beyond 999 declarants of one enterprise (User ID numbers have 3 digits).
        pub fn add_test_declarant(
            &mut self,
            tax_code: &TaxCode,
            serial: &CertificateSerial,
            issued: bool,
        ) -> &mut ScenarioDeclarant {
            let n = self
                .declarants
                .iter()
                .filter(|d| &d.tax_code == tax_code)
                .count()
                + 1;
            let unit = if tax_code.as_str() == fixtures::TAX {
                "V2060"
            } else {
                "H0312"
            };
            let effective = self
                .now
                .map(local_date)
                .and_then(|d| d.checked_sub_days(Days::new(600)))
                .unwrap_or(crate::dates::EARLIEST);
            self.declarants.push(ScenarioDeclarant {
                tax_code: tax_code.clone(),
                user_id: issued.then(|| format!("{unit}{n:03}").parse().expect("valid User ID")),
                full_name: NAMES[(n - 1) % NAMES.len()].to_owned(),
                id_number: format!("079085{:06}", 100 + n).parse().expect("valid CCCD"),
                email: format!("nguoikhai{n}@{}.vn", tax_code.base())
                    .parse()
                    .expect("valid email"),
                effective_date: effective,
                certificate_serial: serial.clone(),
                password: issued.then(|| ScenarioSecret::new("ABC123")),
            });
            self.declarants.last_mut().expect("just pushed")
        }

        /// Adds the branch enterprise [`fixtures::BRANCH`] with `set.branch` registered, an admin
        /// account (`admin@minhphat.vn`, [`TEST_ADMIN_PASSWORD`]) on it and one declarant.
        pub fn add_test_branch(&mut self, set: &StandardSet) -> &mut Self {
            let code = tax(fixtures::BRANCH);
            self.add_enterprise(
                code.clone(),
                "CHI NHÁNH CÔNG TY CỔ PHẦN ĐẦU TƯ MINH PHÁT TẠI HẢI PHÒNG",
                "Số 5 Lạch Tray, Quận Ngô Quyền, Hải Phòng",
                fixtures::CMND.parse().expect("fixture CMND is valid"),
            )
            .add_admin(
                code.clone(),
                "admin@minhphat.vn".parse().expect("valid email"),
                TEST_ADMIN_PASSWORD,
                Some(set.branch.pem()),
            )
            .register_certificate(code.clone(), set.branch.pem());
            let serial = serial_of(&set.branch);
            self.add_test_declarant(&code, &serial, true);
            self
        }

        /// The standard test scenario on a new test PKI at `now`, with the PKI's root
        /// (`root.pem`; with the issuing CAs, `cas.pem`, for `openssl -CAfile`), the enterprise's old and renewed certificates and their PKCS#8 keys
        /// (`old.pem`, `old.key.pem`, `new.pem`, `new.key.pem`, `other-tax-code.pem`,
        /// `other-tax-code.key.pem`) and the scenario itself (`scenario.json`) written to `dir`
        /// (created when missing), so that integrators can sign with them: what
        /// `vnaccs sandbox --export` and the C library's sandbox write.
        pub fn export_test_pki(
            dir: &std::path::Path,
            now: chrono::DateTime<chrono::Utc>,
        ) -> crate::Result<Scenario> {
            use crate::Error;
            let pki = TestPki::new(now);
            let set = pki.standard();
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, &e))?;
            let write = |name: &str, text: &str| {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(|e| Error::io(&path, &e))
            };
            write("root.pem", &pki.root.pem())?;
            let cas = format!("{}{}{}", pki.root.pem(), pki.ca.pem(), pki.other_ca.pem());
            write("cas.pem", &cas)?;
            let pair = |name: &str, issued: &Issued| {
                write(&format!("{name}.pem"), &issued.pem())?;
                write(&format!("{name}.key.pem"), &issued.key.pkcs8_pem())
            };
            pair("old", &set.enterprise_old)?;
            pair("new", &set.enterprise_new)?;
            pair("other-tax-code", &set.other_tax_code)?;
            let scenario = Scenario::for_test_pki(&pki, &set);
            write("scenario.json", &scenario.to_json())?;
            Ok(scenario)
        }
    }
}

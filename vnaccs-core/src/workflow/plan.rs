//! The offline plan: which certificate, what changed, which steps, and the warnings of
//! docs/domain.md §5 — all before any request.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::inputs::{DeclarantSelector, UpdateInputs};
use super::step::Step;
use crate::cert::CertError;
use crate::cert::{
    Certificate, CertificateChange, Choice, PassReason, PassedOver, TaxCodeMatch, Validity, choose,
    classify_change,
};
use crate::ids::CertificateSerial;
use crate::records::CertificateRef;
use crate::timing::{latest_update_date, leaves_working_day};
use crate::{Error, Result, TaxCode};

/// What [`CertificateUpdate::plan`](super::CertificateUpdate::plan) found, offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Plan {
    /// The enterprise's tax code.
    pub tax_code: TaxCode,
    /// The certificate that will be registered.
    pub certificate: CertificateRef,
    /// How its tax code matches the enterprise's (exact, or same enterprise for a branch).
    pub tax_code_match: TaxCodeMatch,
    /// The other certificates of the key source, with why each was passed over.
    pub passed_over: Vec<PassedOverCertificate>,
    /// The serial of the certificate registered until now, when known (given, or found on the
    /// key source).
    pub old_serial: Option<CertificateSerial>,
    /// The old certificate, when the key source holds it.
    pub old_certificate: Option<CertificateRef>,
    /// What changed from the old certificate, when it is known.
    pub change: Option<CertificateChange>,
    /// Which declarant users step C points at the new certificate.
    pub declarants: DeclarantRule,
    /// The steps that will run, in order.
    pub steps: Vec<Step>,
    /// What the caller must know before going on.
    pub warnings: Vec<Warning>,
    /// The instant the plan was made for.
    pub at: DateTime<Utc>,
}

/// A certificate the plan did not choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PassedOverCertificate {
    /// The certificate.
    pub certificate: CertificateRef,
    /// Every reason it was not chosen.
    pub reasons: Vec<PassReason>,
}

/// Which declarant users step C moves to the new certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DeclarantRule {
    /// The users the caller chose.
    Chosen {
        /// The users.
        users: Vec<DeclarantSelector>,
    },
    /// Every user on the old certificate's serial.
    OnOldSerial {
        /// The old serial.
        serial: CertificateSerial,
    },
}

/// A warning of the plan (docs/domain.md §5 and what the key source shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "warning", rename_all = "snake_case")]
pub enum Warning {
    /// Declarations already in progress must be sent before the certificate is updated.
    SendDeclarationsInProgressFirst,
    /// The next clearance is less than one working day away.
    ClearanceTooSoon {
        /// The clearance date.
        clearance: NaiveDate,
        /// The last date the update should have been made.
        latest_update: NaiveDate,
    },
    /// The old certificate has expired (its login still works; docs/domain.md §4.B).
    OldCertificateExpired {
        /// Its serial.
        serial: CertificateSerial,
        /// When it expired.
        ended: DateTime<Utc>,
    },
}

impl Warning {
    /// The warning in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::SendDeclarationsInProgressFirst => {
                "send every declaration in progress before updating the certificate".into()
            }
            Self::ClearanceTooSoon {
                clearance,
                latest_update,
            } => format!(
                "the next clearance on {clearance} is less than one working day away (the update \
                 should have been made by {latest_update})"
            ),
            Self::OldCertificateExpired { serial, ended } => {
                format!("the old certificate {serial} expired at {ended}")
            }
        }
    }

    /// The warning in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::SendDeclarationsInProgressFirst => {
                "hãy gửi hết các tờ khai đang làm trước khi cập nhật chữ ký số".into()
            }
            Self::ClearanceTooSoon {
                clearance,
                latest_update,
            } => format!(
                "lần thông quan tới ngày {clearance} còn chưa đủ một ngày làm việc (cần cập nhật \
                 chậm nhất ngày {latest_update})"
            ),
            Self::OldCertificateExpired { serial, ended } => {
                format!("chứng thư số cũ {serial} đã hết hạn lúc {ended}")
            }
        }
    }
}

/// Plans the update of `inputs` with the key source's `certificates` at `at`; returns the plan
/// and the certificate chosen. Sends nothing.
pub(crate) fn make_plan(
    inputs: &UpdateInputs,
    certificates: &[Certificate],
    at: DateTime<Utc>,
) -> Result<(Plan, Certificate)> {
    let tax_code = &inputs.tax_code;
    let choice = choose(certificates, tax_code, at, inputs.accept_branch);
    let Some(chosen) = choice.chosen else {
        return Err(no_choice(inputs, certificates, at));
    };
    if let Some(refused) = refused_candidate(&choice, chosen) {
        return Err(Error::Certificate(CertError::CandidateCertificateRefused {
            serial: refused.certificate.serial().to_string(),
            subject: refused.certificate.subject().to_string(),
            reasons: refused.reasons.clone(),
        }));
    }
    if inputs.old_serial.as_ref() == Some(chosen.serial()) {
        return Err(Error::Certificate(CertError::SameCertificate {
            serial: chosen.serial().to_string(),
        }));
    }
    let old = match &inputs.old_serial {
        Some(serial) => certificates.iter().find(|c| c.serial() == serial),
        None => previous_certificate(certificates, chosen, inputs),
    };
    let old_serial = inputs
        .old_serial
        .clone()
        .or_else(|| old.map(|c| c.serial().clone()));
    let declarants = match (&inputs.declarants, &old_serial) {
        (Some(users), _) => DeclarantRule::Chosen {
            users: users.clone(),
        },
        (None, Some(serial)) => DeclarantRule::OnOldSerial {
            serial: serial.clone(),
        },
        // Guessing would move users who may be on other people's certificates (seed 001 sends
        // enterprises without their old certificate to a separate procedure).
        (None, None) => {
            return Err(Error::Certificate(CertError::OldCertificateUnknown {
                tax_code: tax_code.to_string(),
                new_serial: chosen.serial().to_string(),
            }));
        }
    };
    let mut warnings = vec![Warning::SendDeclarationsInProgressFirst];
    if let Some(clearance) = inputs.next_clearance
        && !leaves_working_day(at, clearance, &inputs.holidays)
    {
        warnings.push(Warning::ClearanceTooSoon {
            clearance,
            latest_update: latest_update_date(clearance, &inputs.holidays),
        });
    }
    if let Some(old) = old
        && let Validity::Expired { ended } = old.validity_at(at)
    {
        warnings.push(Warning::OldCertificateExpired {
            serial: old.serial().clone(),
            ended,
        });
    }
    let plan = Plan {
        tax_code: tax_code.clone(),
        certificate: CertificateRef::from(chosen),
        tax_code_match: chosen.check_tax_code(tax_code, inputs.accept_branch),
        passed_over: choice
            .passed_over
            .iter()
            .map(|p| PassedOverCertificate {
                certificate: CertificateRef::from(p.certificate),
                reasons: p.reasons.clone(),
            })
            .collect(),
        old_serial,
        old_certificate: old.map(CertificateRef::from),
        change: old.map(|old| classify_change(old, chosen, at)),
        declarants,
        steps: Step::RUN.to_vec(),
        warnings,
        at,
    };
    Ok((plan, chosen.clone()))
}

/// The newest certificate of the key source issued after the chosen one that was refused for
/// itself (another tax code, expired, not yet valid, not for signing): the certificate the
/// caller means to register, which the older one must never replace. Personal certificates
/// (no tax code) and CA certificates are not candidates.
fn refused_candidate<'a>(
    choice: &'a Choice<'a>,
    chosen: &Certificate,
) -> Option<&'a PassedOver<'a>> {
    choice
        .passed_over
        .iter()
        .filter(|p| p.certificate.not_before() > chosen.not_before())
        .filter(|p| {
            !p.reasons.iter().any(|r| {
                matches!(
                    r,
                    PassReason::Superseded { .. }
                        | PassReason::NoTaxCode
                        | PassReason::CaCertificate
                )
            })
        })
        .max_by_key(|p| (p.certificate.not_before(), p.certificate.not_after()))
}

/// The certificate the key source held before the chosen one: the enterprise's other signing
/// certificate that ends last, no later than the chosen one.
fn previous_certificate<'a>(
    certificates: &'a [Certificate],
    chosen: &Certificate,
    inputs: &UpdateInputs,
) -> Option<&'a Certificate> {
    certificates
        .iter()
        .filter(|c| *c != chosen && !c.is_ca() && c.signing_usage().allows_signing())
        .filter(|c| {
            c.check_tax_code(&inputs.tax_code, inputs.accept_branch)
                .is_match()
        })
        .filter(|c| c.not_after() <= chosen.not_after() && c.not_before() <= chosen.not_before())
        .max_by_key(|c| (c.not_after(), c.not_before()))
}

/// Why nothing could be chosen, as the most telling error.
fn no_choice(inputs: &UpdateInputs, certificates: &[Certificate], at: DateTime<Utc>) -> Error {
    let tax_code = &inputs.tax_code;
    let ours: Vec<&Certificate> = certificates
        .iter()
        .filter(|c| !c.is_ca() && c.signing_usage().allows_signing())
        .filter(|c| c.check_tax_code(tax_code, inputs.accept_branch).is_match())
        .collect();
    // The enterprise's own certificate that ends last, when none is valid now.
    if let Some(c) = ours.iter().max_by_key(|c| c.not_after())
        && !matches!(c.validity_at(at), Validity::Valid { .. })
    {
        return Error::Certificate(CertError::NewCertificateNotValid {
            serial: c.serial().to_string(),
            not_before: c.not_before(),
            not_after: c.not_after(),
        });
    }
    let other = certificates.iter().filter(|c| !c.is_ca()).find_map(|c| {
        match c.check_tax_code(tax_code, inputs.accept_branch) {
            TaxCodeMatch::Mismatch { found } if ours.is_empty() => Some(found),
            _ => None,
        }
    });
    match other {
        Some(found) => Error::Certificate(CertError::CertificateOfOtherTaxCode {
            expected: tax_code.to_string(),
            found: found.to_string(),
        }),
        None => Error::Certificate(CertError::NoUsableCertificate {
            tax_code: tax_code.to_string(),
            seen: certificates.len(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use chrono::Days;
    use secrecy::SecretString;

    use super::*;
    use crate::cert::ChangeKind;
    use crate::fixtures::{BRANCH, Issued, StandardSet, TAX, TestPki};
    use crate::timing::local_date;

    fn set() -> &'static (TestPki, StandardSet) {
        static SET: OnceLock<(TestPki, StandardSet)> = OnceLock::new();
        SET.get_or_init(|| {
            let pki = TestPki::new("2026-11-20T03:00:00Z".parse().unwrap());
            let set = pki.standard();
            (pki, set)
        })
    }

    fn inputs(tax: &str) -> UpdateInputs {
        UpdateInputs::builder(tax.parse().unwrap(), "001085012345".parse().unwrap())
            .admin_account(
                "admin@congty.vn".parse().unwrap(),
                SecretString::from("matkhau"),
            )
            .sender("Trần Thị Bình", "binh@congty.vn".parse().unwrap())
            .office("02CI".parse().unwrap())
            .build()
            .unwrap()
    }

    fn certs(issued: &[&Issued]) -> Vec<Certificate> {
        issued
            .iter()
            .map(|i| Certificate::from_der(&i.der).unwrap())
            .collect()
    }

    fn plan(inputs: &UpdateInputs, issued: &[&Issued]) -> Result<(Plan, Certificate)> {
        make_plan(inputs, &certs(issued), set().0.now)
    }

    #[test]
    fn renewal_chooses_the_new_certificate_and_moves_the_old_serials_users() {
        let (_, s) = set();
        let (plan, chosen) = plan(&inputs(TAX), &[&s.enterprise_old, &s.enterprise_new]).unwrap();
        assert_eq!(chosen.der(), s.enterprise_new.der.as_slice());
        let old = Certificate::from_der(&s.enterprise_old.der).unwrap();
        assert_eq!(plan.old_serial.as_ref(), Some(old.serial()));
        assert_eq!(plan.change.as_ref().unwrap().kind, ChangeKind::Renewal);
        assert_eq!(
            plan.declarants,
            DeclarantRule::OnOldSerial {
                serial: old.serial().clone()
            }
        );
        assert_eq!(plan.tax_code_match, TaxCodeMatch::Exact);
        assert_eq!(plan.steps, Step::RUN.to_vec());
        assert_eq!(
            plan.warnings,
            vec![Warning::SendDeclarationsInProgressFirst]
        );
        assert_eq!(plan.passed_over.len(), 1);
        assert!(matches!(
            plan.passed_over[0].reasons[..],
            [PassReason::Superseded { .. }]
        ));
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["change"]["kind"], "renewal");
        assert_eq!(json["declarants"]["rule"], "on_old_serial");
    }

    #[test]
    fn provider_switch_and_expired_old_certificate() {
        let (_, s) = set();
        let (plan, _) = plan(&inputs(TAX), &[&s.enterprise_old, &s.other_ca]).unwrap();
        assert_eq!(plan.change.unwrap().kind, ChangeKind::ProviderSwitch);

        let (plan, chosen) =
            super::tests::plan(&inputs(TAX), &[&s.enterprise_expired, &s.enterprise_new]).unwrap();
        assert_eq!(chosen.der(), s.enterprise_new.der.as_slice());
        assert!(plan.warnings.iter().any(|w| matches!(
            w,
            Warning::OldCertificateExpired { serial, .. } if Some(serial) == plan.old_serial.as_ref()
        )));
    }

    #[test]
    fn refusals_before_any_request() {
        let (_, s) = set();
        let e = plan(&inputs(TAX), &[&s.other_tax_code]).unwrap_err();
        assert_eq!(e.code(), "certificate_other_tax_code");
        assert!(e.to_string().contains("0100112437"), "{e}");

        let e = plan(&inputs(TAX), &[&s.enterprise_expired, &s.other_tax_code]).unwrap_err();
        assert_eq!(e.code(), "new_certificate_not_valid");

        let e = plan(&inputs(TAX), &[&s.not_for_signing]).unwrap_err();
        assert_eq!(e.code(), "no_usable_certificate");

        // A newer certificate that is refused is never replaced by the old one (issue 10 §2).
        for (newer, reason) in [
            (&s.other_tax_code, "another tax code (0100112437)"),
            (&s.enterprise_not_yet_valid, "not valid yet"),
            (&s.not_for_signing, "its key usage does not allow signing"),
        ] {
            let refused = Certificate::from_der(&newer.der).unwrap();
            let e = plan(&inputs(TAX), &[&s.enterprise_old, newer]).unwrap_err();
            assert_eq!(e.code(), "candidate_certificate_refused", "{e}");
            assert!(e.to_string().contains(refused.serial().as_str()), "{e}");
            assert!(e.to_string().contains(reason), "{e}");
            assert!(e.message_vi().contains(refused.serial().as_str()), "{e}");
        }

        let mut same = inputs(TAX);
        same.old_serial = Some(
            Certificate::from_der(&s.enterprise_new.der)
                .unwrap()
                .serial()
                .clone(),
        );
        let e = plan(&same, &[&s.enterprise_new]).unwrap_err();
        assert_eq!(e.code(), "same_certificate");
    }

    #[test]
    fn branch_tax_codes() {
        let (_, s) = set();
        // The old certificate is not on the key source: its serial is given.
        let inputs = |tax: &str| {
            let mut i = inputs(tax);
            i.old_serial = Some("0A".parse().unwrap());
            i
        };
        let (plan, _) = plan(&inputs(BRANCH), &[&s.branch]).unwrap();
        assert_eq!(plan.tax_code_match, TaxCodeMatch::Exact);

        let parent = "0106869738";
        let e = super::tests::plan(&inputs(parent), &[&s.branch]).unwrap_err();
        assert_eq!(e.code(), "certificate_other_tax_code");
        let mut branch = inputs(parent);
        branch.accept_branch = true;
        let (plan, _) = super::tests::plan(&branch, &[&s.branch]).unwrap();
        assert!(matches!(
            plan.tax_code_match,
            TaxCodeMatch::SameEnterprise { .. }
        ));
    }

    #[test]
    fn declarant_rules_and_clearance_warning() {
        let (pki, s) = set();
        let mut given = inputs(TAX);
        let users = vec![DeclarantSelector::UserCode("V2060001".parse().unwrap())];
        given.declarants = Some(users.clone());
        let (plan, _) = plan(&given, &[&s.enterprise_new]).unwrap();
        assert_eq!(plan.declarants, DeclarantRule::Chosen { users });
        assert_eq!(plan.change, None);

        // No old certificate, no old serial, no list: refused, naming both ways out.
        let e = super::tests::plan(&inputs(TAX), &[&s.enterprise_new]).unwrap_err();
        assert_eq!(e.code(), "old_certificate_unknown");
        assert!(e.to_string().contains("old serial"), "{e}");
        assert!(e.to_string().contains("without the old certificate"), "{e}");
        assert!(e.message_vi().contains("không còn chứng thư số cũ"), "{e}");
        let mut by_serial = inputs(TAX);
        by_serial.old_serial = Some(
            Certificate::from_der(&s.enterprise_old.der)
                .unwrap()
                .serial()
                .clone(),
        );
        let (plan, _) = super::tests::plan(&by_serial, &[&s.enterprise_new]).unwrap();
        assert!(matches!(plan.declarants, DeclarantRule::OnOldSerial { .. }));

        let today = local_date(pki.now);
        let mut soon = by_serial.clone();
        soon.next_clearance = Some(today);
        let (plan, _) = super::tests::plan(&soon, &[&s.enterprise_new]).unwrap();
        assert!(plan.warnings.contains(&Warning::ClearanceTooSoon {
            clearance: today,
            latest_update: latest_update_date(today, &soon.holidays),
        }));
        let w = &plan.warnings[1];
        assert!(w.message_en().contains("working day"));
        assert!(w.message_vi().contains("ngày làm việc"));

        soon.next_clearance = Some(today + Days::new(10));
        let (plan, _) = super::tests::plan(&soon, &[&s.enterprise_new]).unwrap();
        assert!(
            !plan
                .warnings
                .iter()
                .any(|w| matches!(w, Warning::ClearanceTooSoon { .. }))
        );
    }
}

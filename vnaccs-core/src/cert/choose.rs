//! Choosing the certificate to register from several (a token often holds old and new ones).

use chrono::{DateTime, Utc};

use crate::cert::checks::{TaxCodeMatch, Validity};
use crate::cert::pass::PassReason;
use crate::cert::view::Certificate;
use crate::ids::TaxCode;

/// A certificate passed over, with every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedOver<'a> {
    /// The certificate.
    pub certificate: &'a Certificate,
    /// Why it was not chosen.
    pub reasons: Vec<PassReason>,
}

/// The outcome of [`choose`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<'a> {
    /// The certificate to register, if any is usable.
    pub chosen: Option<&'a Certificate>,
    /// Every other certificate, with why it was passed over.
    pub passed_over: Vec<PassedOver<'a>>,
}

/// Picks the certificate to register for `tax_code` at `at`: valid then, allowed to sign, of that
/// tax code (or, with `accept_branch`, of the same enterprise), not a CA; among those, the latest
/// notAfter (then the latest notBefore).
pub fn choose<'a>(
    candidates: &'a [Certificate],
    tax_code: &TaxCode,
    at: DateTime<Utc>,
    accept_branch: bool,
) -> Choice<'a> {
    let assessed: Vec<(&Certificate, Vec<PassReason>)> = candidates
        .iter()
        .map(|c| (c, disqualifications(c, tax_code, at, accept_branch)))
        .collect();
    let chosen = assessed
        .iter()
        .filter(|(_, reasons)| reasons.is_empty())
        .map(|(c, _)| *c)
        .max_by_key(|c| (c.not_after(), c.not_before()));
    let passed_over = assessed
        .into_iter()
        .filter(|(c, _)| chosen.is_none_or(|ch| !std::ptr::eq(*c, ch)))
        .map(|(certificate, mut reasons)| {
            if let (true, Some(ch)) = (reasons.is_empty(), chosen) {
                reasons.push(PassReason::Superseded {
                    by: ch.serial().clone(),
                });
            }
            PassedOver {
                certificate,
                reasons,
            }
        })
        .collect();
    Choice {
        chosen,
        passed_over,
    }
}

fn disqualifications(
    c: &Certificate,
    tax_code: &TaxCode,
    at: DateTime<Utc>,
    accept_branch: bool,
) -> Vec<PassReason> {
    let mut reasons = Vec::new();
    match c.validity_at(at) {
        Validity::Expired { ended } => reasons.push(PassReason::Expired { ended }),
        Validity::NotYetValid { starts } => reasons.push(PassReason::NotYetValid { starts }),
        Validity::Valid { .. } => {}
    }
    match c.check_tax_code(tax_code, accept_branch) {
        TaxCodeMatch::Exact | TaxCodeMatch::SameEnterprise { .. } => {}
        TaxCodeMatch::Mismatch { found } => reasons.push(PassReason::OtherTaxCode { found }),
        TaxCodeMatch::Invalid { raw } => reasons.push(PassReason::InvalidTaxCode { raw }),
        TaxCodeMatch::Missing => reasons.push(PassReason::NoTaxCode),
    }
    if !c.signing_usage().allows_signing() {
        reasons.push(PassReason::NotForSigning);
    }
    if c.is_ca() {
        reasons.push(PassReason::CaCertificate);
    }
    reasons
}

//! What the portal received signed: every detached CMS signature posted to it (registration,
//! user list, login, send), with the content it was checked against, so that tests can verify
//! each one themselves against the certificate of the enterprise it was sent for.

use std::collections::VecDeque;
use std::sync::Mutex;

use super::faults::Operation;
use super::sync::lock;

/// How many received signatures are kept (the oldest go first).
pub const SIGNATURES_KEPT: usize = 1024;

/// A signature the portal received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedSignature {
    /// The post that carried it ([`Operation::RegisterSubmit`], [`Operation::ConfirmUsers`],
    /// [`Operation::Login`] or [`Operation::Send`]).
    pub operation: Operation,
    /// The tax code it was sent for, as posted.
    pub tax_code: String,
    /// The content the portal expects it to sign.
    pub content: Vec<u8>,
    /// The detached CMS signature (DER); empty when the posted text was not base64.
    pub signature: Vec<u8>,
    /// Whether the portal accepted it (made over `content` by the posted certificate).
    pub accepted: bool,
}

/// The received signatures, in arrival order.
#[derive(Debug, Default)]
pub(super) struct SignatureLog(Mutex<VecDeque<ReceivedSignature>>);

impl SignatureLog {
    /// Keeps `signature`, forgetting the oldest beyond [`SIGNATURES_KEPT`].
    pub fn push(&self, signature: ReceivedSignature) {
        let mut log = lock(&self.0);
        if log.len() == SIGNATURES_KEPT {
            log.pop_front();
        }
        log.push_back(signature);
    }

    /// Every kept signature, oldest first.
    pub fn all(&self) -> Vec<ReceivedSignature> {
        lock(&self.0).iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_signatures_go_first() {
        let log = SignatureLog::default();
        for i in 0..=SIGNATURES_KEPT {
            log.push(ReceivedSignature {
                operation: Operation::Login,
                tax_code: i.to_string(),
                content: Vec::new(),
                signature: Vec::new(),
                accepted: false,
            });
        }
        let kept = log.all();
        assert_eq!(kept.len(), SIGNATURES_KEPT);
        assert_eq!(kept[0].tax_code, "1");
    }
}

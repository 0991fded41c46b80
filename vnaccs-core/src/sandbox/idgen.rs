//! Identifiers the portal issues, derived from the seed and the state only (never from how
//! many requests or sessions happened): record numbers, User IDs, Terminal IDs, access keys.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::ids::{TaxCode, TerminalAccessKey, TerminalId, UserId};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// `len` characters of `[A-Z0-9]` derived from the seed and the labels.
fn derive(seed: u64, labels: &[&str], len: usize) -> String {
    let mut hasher = Sha256::new();
    hasher.update(seed.to_be_bytes());
    for label in labels {
        hasher.update((label.len() as u64).to_be_bytes());
        hasher.update(label.as_bytes());
    }
    let digest = hasher.finalize();
    digest
        .iter()
        .take(len)
        .map(|b| char::from(ALNUM[usize::from(*b) % ALNUM.len()]))
        .collect()
}

/// The next record number: 12 digits, `1`, two digits from the seed, then a sequence; the first
/// one not in `taken`.
pub(super) fn record_number(seed: u64, taken: &BTreeSet<String>) -> String {
    (1u64..)
        .map(|n| format!("1{:02}{:09}", seed % 100, n))
        .find(|number| !taken.contains(number))
        .unwrap_or_default()
}

/// The next User ID of an enterprise: its unit code (the one its users have, else one derived
/// from the seed and tax code) and the next free 3-digit number.
pub(super) fn user_id(seed: u64, tax_code: &TaxCode, existing: &[&UserId]) -> Option<UserId> {
    let unit = existing
        .first()
        .map(|u| u.unit_code().to_owned())
        .unwrap_or_else(|| {
            let tail = derive(seed, &["unit", tax_code.as_str()], 4);
            format!("D{tail}")
        });
    let used: BTreeSet<&str> = existing
        .iter()
        .filter(|u| u.unit_code() == unit)
        .map(|u| u.user_number())
        .collect();
    (1..=999)
        .map(|n| format!("{n:03}"))
        .find(|n| !used.contains(n.as_str()))
        .and_then(|n| UserId::parse(&format!("{unit}{n}")).ok())
}

/// The `index`-th terminal of an enterprise.
pub(super) fn terminal(
    seed: u64,
    tax_code: &TaxCode,
    index: usize,
) -> Option<(TerminalId, TerminalAccessKey)> {
    let n = index.to_string();
    let id = TerminalId::parse(&derive(seed, &["terminal", tax_code.as_str(), &n], 6)).ok()?;
    let key =
        TerminalAccessKey::parse(&derive(seed, &["access-key", tax_code.as_str(), &n], 16)).ok()?;
    Some((id, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_have_the_right_shapes_and_depend_on_the_seed() {
        let tax = TaxCode::parse("0302345459").unwrap();
        let a = user_id(1, &tax, &[]).unwrap();
        assert_eq!(a.as_str().len(), 8);
        assert_eq!(a.user_number(), "001");
        assert_ne!(a, user_id(2, &tax, &[]).unwrap());
        let existing = UserId::parse("V2060001").unwrap();
        assert_eq!(user_id(1, &tax, &[&existing]).unwrap().as_str(), "V2060002");
        let (id, key) = terminal(1, &tax, 0).unwrap();
        assert_eq!((id.as_str().len(), key.as_str().len()), (6, 16));
        assert_eq!(terminal(1, &tax, 0), Some((id, key)));
        let taken = BTreeSet::from(["100000000001".to_owned()]);
        assert_eq!(record_number(0, &taken), "100000000002");
        assert_eq!(record_number(7, &BTreeSet::new()), "107000000001");
    }
}

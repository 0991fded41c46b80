//! The enterprise tax code (Mã số thuế, MST).

use crate::error::identity::{Phrase, shown};
use crate::ids::{InputError, Problem};
use crate::ids::{check_chars, string_identifier};

/// The characters a tax code allows.
const BRANCH_DASH: Phrase = Phrase {
    en: "0-9 and one '-' before the branch",
    vi: "0-9 và một dấu '-' trước mã chi nhánh",
};

/// An enterprise tax code: 10 digits with a valid check digit, optionally followed by a branch
/// suffix `-NNN` (001–999).
///
/// Accepted input: `0100112437`, `0106869738-012`, and the 13-digit form `0106869738012`, which is
/// shown with the hyphen. Rules (docs/domain.md §2): the province prefix is not `00`, digits 3 to 9 are
/// not all zero, the check digit matches, and a branch suffix is not `000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaxCode(String);

const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

impl TaxCode {
    /// Parses and validates a tax code.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        Self::validate(input.trim()).map_err(|problem| InputError::InvalidTaxCode {
            value: shown(input),
            problem,
        })
    }

    fn validate(s: &str) -> Result<Self, Problem> {
        if s.is_empty() {
            return Err(Problem::Empty);
        }
        check_chars(s, |c| c.is_ascii_digit() || c == '-', BRANCH_DASH)?;
        let (base, branch) = match s.split_once('-') {
            Some((base, branch)) => (base, Some(branch)),
            None if s.len() == 13 => (&s[..10], Some(&s[10..])),
            None => (s, None),
        };
        if base.len() != 10 || branch.is_some_and(|b| b.len() != 3) {
            return Err(Problem::Length {
                expected: Phrase {
                    en: "10, or 10 + 3 for a branch (0100112437, 0106869738-012)",
                    vi: "10, hoặc 10 + 3 cho chi nhánh (0100112437, 0106869738-012)",
                },
                found: s.len(),
            });
        }
        if branch.is_some_and(|b| b.contains('-')) {
            return Err(Problem::Character {
                found: '-',
                position: s.rfind('-').map_or(0, |i| i + 1),
                allowed: BRANCH_DASH,
            });
        }
        let digits: Vec<u32> = base.bytes().map(|b| u32::from(b - b'0')).collect();
        if digits[..2] == [0, 0] {
            return Err(Problem::ProvinceZero);
        }
        if digits[2..9].iter().all(|&d| d == 0) {
            return Err(Problem::SequenceZero);
        }
        let expected = check_digit(&digits[..9]).ok_or(Problem::NeverIssued)?;
        if expected != digits[9] as u8 {
            return Err(Problem::CheckDigit {
                expected,
                found: digits[9] as u8,
            });
        }
        match branch {
            Some("000") => Err(Problem::BranchZero),
            Some(b) => Ok(TaxCode(format!("{base}-{b}"))),
            None => Ok(TaxCode(base.to_owned())),
        }
    }

    /// The canonical form: `0100112437` or `0106869738-012`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 10-digit enterprise code, without any branch suffix.
    pub fn base(&self) -> &str {
        &self.0[..10]
    }

    /// The 3-digit branch suffix, if this is a branch's code.
    pub fn branch(&self) -> Option<&str> {
        self.0.get(11..)
    }

    /// The tax code of the parent enterprise (itself when it is not a branch).
    pub fn base_code(&self) -> TaxCode {
        TaxCode(self.base().to_owned())
    }

    /// Whether both codes belong to the same enterprise (equal 10-digit bases).
    pub fn same_enterprise(&self, other: &TaxCode) -> bool {
        self.base() == other.base()
    }
}

/// The check digit of the first nine digits, or `None` when it would be 10 (never issued).
fn check_digit(first_nine: &[u32]) -> Option<u8> {
    let sum: u32 = first_nine.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match 10 - sum % 11 {
        10 => None,
        d => Some(d as u8),
    }
}

string_identifier!(TaxCode);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_support::{serde_rejects, serde_round_trip};
    use proptest::prelude::*;

    fn problem(s: &str) -> Problem {
        match TaxCode::parse(s).unwrap_err() {
            InputError::InvalidTaxCode { problem, .. } => problem,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn accepts_real_codes() {
        for code in [
            "0100112437",
            "0302345459",
            "0303114366",
            "0106869738-012",
            "0103930279-999",
        ] {
            let t = TaxCode::parse(code).unwrap();
            assert_eq!(t.to_string(), code);
        }
    }

    #[test]
    fn rejects_invalid_codes_with_reason() {
        assert_eq!(
            problem("0123456789"),
            Problem::CheckDigit {
                expected: 7,
                found: 9
            }
        );
        assert!(matches!(
            problem("88888888"),
            Problem::Length { found: 8, .. }
        ));
        assert_eq!(
            problem("1016869738-012"),
            Problem::CheckDigit {
                expected: 5,
                found: 8
            }
        );
        assert_eq!(problem("0100112437-000"), Problem::BranchZero);
        assert_eq!(problem("0000000000"), Problem::ProvinceZero);
        assert_eq!(problem("0100000000"), Problem::SequenceZero);
        assert_eq!(problem(""), Problem::Empty);
        assert_eq!(problem("   "), Problem::Empty);
        assert_eq!(
            problem("01001124A7"),
            Problem::Character {
                found: 'A',
                position: 9,
                allowed: BRANCH_DASH
            }
        );
        assert!(matches!(problem("0106869738-12"), Problem::Length { .. }));
        assert!(matches!(
            problem("0106869738-0-1"),
            Problem::Length { .. } | Problem::Character { .. }
        ));
    }

    #[test]
    fn check_value_ten_is_never_issued() {
        // The first nine-digit prefix whose weighted sum is divisible by 11.
        let prefix = (100_000_000u32..)
            .map(|n| format!("{n:09}"))
            .find(|p| {
                let d: Vec<u32> = p.bytes().map(|b| u32::from(b - b'0')).collect();
                check_digit(&d).is_none()
            })
            .unwrap();
        for last in 0..=9 {
            assert_eq!(problem(&format!("{prefix}{last}")), Problem::NeverIssued);
        }
    }

    #[test]
    fn branch_parts_and_thirteen_digit_form() {
        let t = TaxCode::parse(" 0106869738012 ").unwrap();
        assert_eq!(t.as_str(), "0106869738-012");
        assert_eq!(t.base(), "0106869738");
        assert_eq!(t.branch(), Some("012"));
        assert_eq!(t.base_code(), TaxCode::parse("0106869738").unwrap());
        assert!(t.same_enterprise(&t.base_code()));
        let plain = TaxCode::parse("0302345459").unwrap();
        assert_eq!(plain.branch(), None);
        assert!(!plain.same_enterprise(&t));
    }

    #[test]
    fn serde_plain_string() {
        serde_round_trip(&TaxCode::parse("0106869738-012").unwrap(), "0106869738-012");
        serde_rejects::<TaxCode>("0123456789", "wrong check digit");
    }

    fn valid_code() -> impl Strategy<Value = String> {
        (1u32..100, 1u32..10_000_000).prop_filter_map("check value 10", |(province, seq)| {
            let nine = format!("{province:02}{seq:07}");
            let d: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
            check_digit(&d).map(|c| format!("{nine}{c}"))
        })
    }

    proptest! {
        #[test]
        fn generated_codes_are_valid(code in valid_code()) {
            prop_assert!(TaxCode::parse(&code).is_ok());
        }

        #[test]
        fn changing_any_one_digit_is_rejected(code in valid_code(), pos in 0usize..10, delta in 1u8..10) {
            let mut bytes = code.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(TaxCode::parse(&changed).is_err(), "{} was accepted", changed);
        }
    }
}

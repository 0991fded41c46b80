//! Email addresses as the portal's forms take them.

use crate::error::identity::{Phrase, shown};
use crate::ids::{InputError, Problem};
use crate::ids::{check_chars, string_identifier};

/// An email address: an ASCII local part, `@`, and a domain of at least two dot-separated labels.
///
/// This is the practical shape web forms accept, not the whole of RFC 5322 (no quoted local parts,
/// no IP-literal domains).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

const LOCAL_ALLOWED: Phrase = Phrase {
    en: "A-Z, a-z, 0-9 and !#$%&'*+-/=?^_`{|}~. before the @",
    vi: "A-Z, a-z, 0-9 và !#$%&'*+-/=?^_`{|}~. trước @",
};
const DOMAIN_ALLOWED: Phrase = Phrase {
    en: "A-Z, a-z, 0-9, '-' and '.' after the @",
    vi: "A-Z, a-z, 0-9, '-' và '.' sau @",
};

impl Email {
    /// Parses and validates an email address.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        Self::validate(input.trim()).map_err(|problem| InputError::InvalidEmail {
            value: shown(input),
            problem,
        })
    }

    fn validate(s: &str) -> Result<Self, Problem> {
        if s.is_empty() {
            return Err(Problem::Empty);
        }
        if s.len() > 254 {
            return Err(Problem::Length {
                expected: Phrase {
                    en: "at most 254",
                    vi: "tối đa 254",
                },
                found: s.len(),
            });
        }
        let shape = Problem::Shape {
            en: "name@domain.tld",
            vi: "ten@ten-mien.vn",
        };
        let (local, domain) = s.split_once('@').ok_or(shape.clone())?;
        check_chars(
            local,
            |c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c),
            LOCAL_ALLOWED,
        )?;
        check_chars(
            domain,
            |c| c.is_ascii_alphanumeric() || c == '-' || c == '.',
            DOMAIN_ALLOWED,
        )
        .map_err(|p| match p {
            Problem::Character {
                found,
                position,
                allowed,
            } => Problem::Character {
                found,
                position: position + local.chars().count() + 1,
                allowed,
            },
            other => other,
        })?;
        let labels: Vec<&str> = domain.split('.').collect();
        let bad_label =
            |l: &&str| l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-');
        let bad_local = local.is_empty()
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..");
        if bad_local || labels.len() < 2 || labels.iter().any(bad_label) {
            return Err(shape);
        }
        Ok(Email(s.to_owned()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_identifier!(Email);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_support::{serde_rejects, serde_round_trip};

    #[test]
    fn valid_addresses() {
        for e in [
            "ketoan@congty.com.vn",
            "a.b+c@x-y.vn",
            "NGUYEN.VAN.A@GMAIL.COM",
        ] {
            serde_round_trip(&Email::parse(e).unwrap(), e);
        }
        assert_eq!(Email::parse(" a@b.vn ").unwrap().as_str(), "a@b.vn");
    }

    #[test]
    fn invalid_addresses() {
        for bad in [
            "",
            "abc",
            "a@b",
            "@b.vn",
            "a@.vn",
            "a@b..vn",
            "a b@c.vn",
            "a@b_c.vn",
            "a@-b.vn",
            ".a@b.vn",
            "a@b@c.vn",
            "tên@công-ty.vn",
        ] {
            assert!(
                matches!(Email::parse(bad), Err(InputError::InvalidEmail { .. })),
                "{bad} accepted"
            );
        }
        assert!(matches!(
            Email::parse("a@b_c.vn"),
            Err(InputError::InvalidEmail {
                problem: Problem::Character {
                    found: '_',
                    position: 4,
                    ..
                },
                ..
            })
        ));
        serde_rejects::<Email>("khong-phai-email", "invalid email address");
    }
}

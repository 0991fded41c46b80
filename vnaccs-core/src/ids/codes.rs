//! The fixed-shape VNACCS codes: User ID, Terminal ID, Terminal Access Key, customs office code.

use crate::error::identity::{Phrase, shown};
use crate::ids::{InputError, Problem};
use crate::ids::{check_chars, string_identifier};

const UPPER_ALNUM: Phrase = Phrase::same("A-Z, 0-9");

/// Checks that `s` is exactly `len` characters of `[A-Z0-9]`.
fn fixed_upper_alnum(s: &str, len: usize, expected: Phrase) -> Result<(), Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    check_chars(
        s,
        |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
        UPPER_ALNUM,
    )?;
    if s.len() != len {
        return Err(Problem::Length {
            expected,
            found: s.len(),
        });
    }
    Ok(())
}

macro_rules! fixed_code {
    ($(#[$doc:meta])* $ty:ident, $len:literal, $variant:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(String);

        impl $ty {
            #[doc = concat!("Parses a value of exactly ", stringify!($len), " characters `[A-Z0-9]`.")]
            pub fn parse(input: &str) -> Result<Self, InputError> {
                let s = input.trim();
                fixed_upper_alnum(s, $len, Phrase::same(stringify!($len)))
                    .map(|()| $ty(s.to_owned()))
                    .map_err(|problem| InputError::$variant {
                        value: shown(input),
                        problem,
                    })
            }

            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_identifier!($ty);
    };
}

fixed_code!(
    /// A VNACCS User ID, e.g. `V2060001`: a 5-character unit code and a 3-digit user number.
    UserId, 8, InvalidUserId
);
fixed_code!(
    /// A VNACCS Terminal ID: 6 characters `[A-Z0-9]`.
    TerminalId, 6, InvalidTerminalId
);
fixed_code!(
    /// A VNACCS Terminal Access Key: 16 characters `[A-Z0-9]`.
    TerminalAccessKey, 16, InvalidTerminalAccessKey
);
fixed_code!(
    /// A customs office code (Mã cục HQ), e.g. `01B1`, `02CI`, `03TG`: 4 characters `[0-9A-Z]`.
    CustomsOfficeCode, 4, InvalidCustomsOfficeCode
);

impl UserId {
    /// The 5-character unit code (e.g. `V2060` of `V2060001`).
    pub fn unit_code(&self) -> &str {
        &self.0[..5]
    }

    /// The 3-character user number (e.g. `001` of `V2060001`).
    pub fn user_number(&self) -> &str {
        &self.0[5..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_support::{serde_rejects, serde_round_trip};

    #[test]
    fn user_id() {
        let u = UserId::parse("V2060001").unwrap();
        assert_eq!((u.unit_code(), u.user_number()), ("V2060", "001"));
        assert!(UserId::parse("D5783001").is_ok());
        assert!(matches!(
            UserId::parse("v2060001"),
            Err(InputError::InvalidUserId {
                problem: Problem::Character {
                    found: 'v',
                    position: 1,
                    ..
                },
                ..
            })
        ));
        assert!(matches!(
            UserId::parse("V206001"),
            Err(InputError::InvalidUserId {
                problem: Problem::Length { found: 7, .. },
                ..
            })
        ));
        assert!(matches!(
            UserId::parse(""),
            Err(InputError::InvalidUserId {
                problem: Problem::Empty,
                ..
            })
        ));
        serde_round_trip(&u, "V2060001");
        serde_rejects::<UserId>("V20600011", "invalid User ID");
    }

    #[test]
    fn terminal_id_and_key() {
        let t = TerminalId::parse("A1B2C3").unwrap();
        serde_round_trip(&t, "A1B2C3");
        assert!(TerminalId::parse("A1B2C").is_err());
        assert!(TerminalId::parse("A1B2C3D").is_err());
        assert!(TerminalId::parse("A1-2C3").is_err());
        let k = TerminalAccessKey::parse("ABCDEF0123456789").unwrap();
        serde_round_trip(&k, "ABCDEF0123456789");
        assert!(TerminalAccessKey::parse("ABCDEF012345678").is_err());
        assert!(TerminalAccessKey::parse("ABCDEF012345678a").is_err());
        serde_rejects::<TerminalAccessKey>("short", "invalid Terminal Access Key");
        serde_rejects::<TerminalId>("", "nothing was given");
    }

    #[test]
    fn office_code() {
        for code in ["01B1", "02CI", "03TG", "ZZ99"] {
            serde_round_trip(&CustomsOfficeCode::parse(code).unwrap(), code);
        }
        for bad in ["01b1", "01B", "01B12", "01 B", "Đ1B1"] {
            assert!(
                matches!(
                    CustomsOfficeCode::parse(bad),
                    Err(InputError::InvalidCustomsOfficeCode { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            CustomsOfficeCode::parse(" 02CI\n").unwrap().as_str(),
            "02CI"
        );
        serde_rejects::<CustomsOfficeCode>("0", "invalid customs office code");
    }
}

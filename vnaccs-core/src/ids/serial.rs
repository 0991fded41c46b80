//! Certificate serial numbers as Customs shows them.

use crate::error::identity::{Phrase, shown};
use crate::ids::{InputError, Problem};
use crate::ids::{check_chars, string_identifier};

/// A certificate serial number in the form the portal shows: upper-case hex, no separators, no
/// leading zero byte (e.g. `5404287E6CC0BC4DA008B43C710C0D5A`).
///
/// Parsing accepts lower case and the space- or colon-separated forms other tools print
/// (`54 04 28 7e …`, `54:04:28:7e:…`) and normalises them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CertificateSerial(String);

/// RFC 5280 allows 20 octets; one more for the sign byte some encoders add.
const MAX_OCTETS: usize = 21;

impl CertificateSerial {
    /// Parses a serial from hex text.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        Self::validate(input.trim()).map_err(|problem| InputError::InvalidCertificateSerial {
            value: shown(input),
            problem,
        })
    }

    fn validate(s: &str) -> Result<Self, Problem> {
        check_chars(
            s,
            |c| c.is_ascii_hexdigit() || c == ' ' || c == ':',
            Phrase::same("0-9, A-F"),
        )?;
        let mut hex: String = s
            .chars()
            .filter(char::is_ascii_hexdigit)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if hex.is_empty() {
            return Err(Problem::Empty);
        }
        if hex.len() % 2 == 1 {
            hex.insert(0, '0');
        }
        if hex.len() > MAX_OCTETS * 2 {
            return Err(Problem::Length {
                expected: Phrase {
                    en: "at most 42 hex digits",
                    vi: "tối đa 42 chữ số hex",
                },
                found: hex.len(),
            });
        }
        Ok(Self::normalised(hex))
    }

    /// The serial of a certificate from the content octets of its DER INTEGER.
    pub fn from_der_bytes(bytes: &[u8]) -> Self {
        let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        Self::normalised(hex)
    }

    /// Drops leading zero bytes, keeping at least one byte.
    fn normalised(mut hex: String) -> Self {
        while hex.len() > 2 && hex.starts_with("00") {
            hex.drain(..2);
        }
        CertificateSerial(hex)
    }

    /// The serial as upper-case hex.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_identifier!(CertificateSerial);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_support::{serde_rejects, serde_round_trip};

    const SERIAL: &str = "5404287E6CC0BC4DA008B43C710C0D5A";

    #[test]
    fn normalises_common_forms() {
        for form in [
            SERIAL,
            "5404287e6cc0bc4da008b43c710c0d5a",
            "54 04 28 7e 6c c0 bc 4d a0 08 b4 3c 71 0c 0d 5a",
            "54:04:28:7E:6C:C0:BC:4D:A0:08:B4:3C:71:0C:0D:5A",
            "005404287E6CC0BC4DA008B43C710C0D5A",
        ] {
            assert_eq!(
                CertificateSerial::parse(form).unwrap().as_str(),
                SERIAL,
                "{form}"
            );
        }
        assert_eq!(CertificateSerial::parse("A").unwrap().as_str(), "0A");
        assert_eq!(CertificateSerial::parse("00").unwrap().as_str(), "00");
    }

    #[test]
    fn from_der_bytes_drops_sign_byte() {
        let s = CertificateSerial::from_der_bytes(&[0x00, 0x80, 0x01]);
        assert_eq!(s.as_str(), "8001");
    }

    #[test]
    fn rejects_non_hex_and_overlong() {
        assert!(matches!(
            CertificateSerial::parse("54G4"),
            Err(InputError::InvalidCertificateSerial {
                problem: Problem::Character {
                    found: 'G',
                    position: 3,
                    ..
                },
                ..
            })
        ));
        assert!(matches!(
            CertificateSerial::parse(""),
            Err(InputError::InvalidCertificateSerial {
                problem: Problem::Empty,
                ..
            })
        ));
        assert!(CertificateSerial::parse(&"AB".repeat(22)).is_err());
        serde_round_trip(&CertificateSerial::parse(SERIAL).unwrap(), SERIAL);
        serde_rejects::<CertificateSerial>("xyz", "invalid certificate serial");
    }
}

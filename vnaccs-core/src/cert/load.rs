//! Reading certificates from DER, PEM, and base64 as inside XML signatures.

use std::borrow::Cow;

use base64ct::{Base64, Encoding};

use crate::cert::CertError;
use crate::cert::view::Certificate;
use crate::error::CertificateProblem;

const PEM_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const PEM_END: &str = "-----END CERTIFICATE-----";

fn invalid(problem: CertificateProblem) -> CertError {
    CertError::InvalidCertificate { problem }
}

impl Certificate {
    /// Reads every `CERTIFICATE` block of PEM text, in order; other blocks are skipped.
    pub fn from_pem(pem: &str) -> Result<Vec<Certificate>, CertError> {
        let mut certs = Vec::new();
        let mut rest = pem;
        while let Some(start) = rest.find(PEM_BEGIN) {
            let body = &rest[start + PEM_BEGIN.len()..];
            let end = body
                .find(PEM_END)
                .ok_or(invalid(CertificateProblem::Truncated))?;
            certs.push(Self::from_base64(&body[..end])?);
            rest = &body[end + PEM_END.len()..];
        }
        if certs.is_empty() {
            return Err(invalid(CertificateProblem::NoPemCertificate));
        }
        Ok(certs)
    }

    /// Reads base64 DER as it appears in an XML signature's `<X509Certificate>` element:
    /// whitespace and XML line-break entities (`&#13;`, `&#xD;`, `&#10;`) are ignored.
    pub fn from_base64(text: &str) -> Result<Certificate, CertError> {
        // The entities only occur in XML: PEM text is read without copying it three times.
        let text: Cow<'_, str> = if text.contains('&') {
            Cow::Owned(
                text.replace("&#13;", "")
                    .replace("&#xD;", "")
                    .replace("&#10;", ""),
            )
        } else {
            Cow::Borrowed(text)
        };
        let cleaned: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        if cleaned.is_empty() {
            return Err(invalid(CertificateProblem::Empty));
        }
        let mut der = vec![0; cleaned.len() / 4 * 3 + 3];
        let len = Base64::decode(&cleaned, &mut der)
            .map_err(|_| invalid(CertificateProblem::BadBase64))?
            .len();
        der.truncate(len);
        Self::from_der(&der)
    }

    /// Reads one or more certificates from bytes in any supported form: DER, PEM (one or more
    /// certificates), base64 DER, or XML holding `<X509Certificate>` elements.
    pub fn load_all(bytes: &[u8]) -> Result<Vec<Certificate>, CertError> {
        match bytes.first() {
            None => return Err(invalid(CertificateProblem::Empty)),
            Some(0x30) => return Ok(vec![Self::from_der(bytes)?]),
            Some(_) => {}
        }
        let text =
            std::str::from_utf8(bytes).map_err(|_| invalid(CertificateProblem::NotACertificate))?;
        if text.contains("-----BEGIN ") {
            return Self::from_pem(text);
        }
        let elements = xml_certificates(text);
        if !elements.is_empty() {
            return elements.into_iter().map(Self::from_base64).collect();
        }
        if text.contains('<') {
            return Err(invalid(CertificateProblem::NotACertificate));
        }
        Self::from_base64(text).map(|c| vec![c])
    }
}

/// The text of every `<X509Certificate>` element (any namespace prefix) in XML.
fn xml_certificates(xml: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(tag) = rest.find("X509Certificate>") {
        let before = &rest[..tag];
        let open = before.rfind('<');
        let is_open_tag = open.is_some_and(|o| !before[o..].starts_with("</"));
        let after = &rest[tag + "X509Certificate>".len()..];
        if is_open_tag {
            match after.find("</") {
                Some(close) => {
                    found.push(&after[..close]);
                    rest = &after[close..];
                }
                None => break,
            }
        } else {
            rest = after;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_elements_with_and_without_prefix() {
        let xml = "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>QUJD\n</ds:X509Certificate>\
                   <X509Certificate>REVG</X509Certificate></ds:X509Data></ds:KeyInfo>";
        assert_eq!(xml_certificates(xml), vec!["QUJD\n", "REVG"]);
        assert!(xml_certificates("<a>b</a>").is_empty());
    }

    #[test]
    fn typed_errors_for_bad_input() {
        let problem = |bytes: &[u8]| match Certificate::load_all(bytes).unwrap_err() {
            CertError::InvalidCertificate { problem } => problem,
            e => panic!("{e:?}"),
        };
        assert_eq!(problem(b""), CertificateProblem::Empty);
        assert_eq!(problem(b"\x30"), CertificateProblem::Truncated);
        assert_eq!(
            problem(b"\x30\x82\x05\x00\x30"),
            CertificateProblem::Truncated
        );
        assert_eq!(problem(b"\xff\xfe"), CertificateProblem::NotACertificate);
        assert_eq!(problem(b"hello world!"), CertificateProblem::BadBase64);
        assert_eq!(
            problem(b"<html>oops</html>"),
            CertificateProblem::NotACertificate
        );
        assert_eq!(
            problem(b"-----BEGIN CERTIFICATE-----\nMIIB"),
            CertificateProblem::Truncated
        );
        assert_eq!(
            problem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            CertificateProblem::NoPemCertificate
        );
        assert_eq!(
            Certificate::from_pem("no blocks here").unwrap_err(),
            invalid(CertificateProblem::NoPemCertificate)
        );
        assert_eq!(problem(b"AAAA"), CertificateProblem::NotACertificate);
    }
}

//! The errors of certificates: unreadable, or not one that can be registered (statuses 2xxx).

use std::fmt;

use super::pass::PassReason;
use crate::error::identity::{Category::*, Identity, id, identity_accessors};

/// Why bytes could not be read as a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertificateProblem {
    /// Nothing was given.
    Empty,
    /// The bytes are not a DER certificate, a PEM certificate, or base64 of one.
    NotACertificate,
    /// The data ends before the certificate does.
    Truncated,
    /// A validity time is not a valid UTCTime or GeneralizedTime.
    BadTime,
    /// The certificate is not X.509 version 3.
    UnsupportedVersion(u8),
    /// A PEM file has no `CERTIFICATE` block.
    NoPemCertificate,
    /// Base64 text (PEM body or `<X509Certificate>`) that does not decode.
    BadBase64,
    /// The DER structure is wrong; the text says where.
    Malformed(String),
}

impl CertificateProblem {
    /// The problem described in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Self::Empty => "không có dữ liệu".into(),
            Self::NotACertificate => "không phải chứng thư số (DER, PEM hoặc base64)".into(),
            Self::Truncated => "dữ liệu bị cắt cụt".into(),
            Self::BadTime => "thời gian hiệu lực không hợp lệ".into(),
            Self::UnsupportedVersion(v) => {
                format!("phiên bản X.509 v{v} không được hỗ trợ (cần v3)")
            }
            Self::NoPemCertificate => "tệp PEM không có khối CERTIFICATE".into(),
            Self::BadBase64 => "dữ liệu base64 không hợp lệ".into(),
            Self::Malformed(at) => format!("cấu trúc DER sai: {at}"),
        }
    }
}

impl fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("no data"),
            Self::NotACertificate => f.write_str("not a certificate (DER, PEM or base64)"),
            Self::Truncated => f.write_str("the data is truncated"),
            Self::BadTime => f.write_str("a validity time is not valid"),
            Self::UnsupportedVersion(v) => write!(f, "X.509 v{v} is not supported (v3 required)"),
            Self::NoPemCertificate => f.write_str("the PEM data has no CERTIFICATE block"),
            Self::BadBase64 => f.write_str("the base64 data does not decode"),
            Self::Malformed(at) => write!(f, "malformed DER: {at}"),
        }
    }
}

/// A certificate that cannot be read, or cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// Bytes that cannot be read as a certificate.
    #[error("unreadable certificate: {problem}")]
    InvalidCertificate {
        /// What is wrong with them.
        problem: CertificateProblem,
    },
    /// The key source holds certificates, but only of other tax codes: the portal would refuse.
    #[error("the certificate is for tax code {found}, not the enterprise's {expected}")]
    CertificateOfOtherTaxCode {
        /// The enterprise's tax code.
        expected: String,
        /// The tax code of the certificate found.
        found: String,
    },
    /// The enterprise's new certificate is expired or not valid yet.
    #[error(
        "the new certificate {serial} is not valid now (valid from {not_before} to {not_after})"
    )]
    NewCertificateNotValid {
        /// Its serial.
        serial: String,
        /// Start of its validity.
        not_before: chrono::DateTime<chrono::Utc>,
        /// End of its validity.
        not_after: chrono::DateTime<chrono::Utc>,
    },
    /// No certificate of the key source can be registered for the enterprise.
    #[error("none of the {seen} certificates found can be registered for tax code {tax_code}")]
    NoUsableCertificate {
        /// The enterprise's tax code.
        tax_code: String,
        /// How many certificates were looked at.
        seen: usize,
    },
    /// The newest certificate of the key source cannot be registered; the older one is never
    /// registered in its place.
    #[error(
        "the newest certificate {serial} ({subject}) cannot be registered: {}; the older certificate is not registered in its place",
        reasons_en(reasons)
    )]
    CandidateCertificateRefused {
        /// Its serial.
        serial: String,
        /// Its subject.
        subject: String,
        /// Why it was refused.
        reasons: Vec<PassReason>,
    },
    /// Neither the old certificate nor its serial is known, and no declarant users were listed:
    /// step C cannot tell which users to move.
    #[error(
        "the certificate registered until now for {tax_code} is unknown (not among the keys, no old serial given): give the old serial, or list the declarant users to move to {new_serial}; without the old certificate, follow Customs' procedure for enterprises without the old certificate"
    )]
    OldCertificateUnknown {
        /// The enterprise's tax code.
        tax_code: String,
        /// The serial of the new certificate.
        new_serial: String,
    },
    /// The certificate chosen is the old one: there is nothing to update.
    #[error("the certificate {serial} is the one already registered: there is nothing to update")]
    SameCertificate {
        /// Its serial.
        serial: String,
    },
}

identity_accessors!(CertError);

impl CertError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::InvalidCertificate { problem } => {
                format!("Không đọc được chứng thư số: {}", problem.vi())
            }
            Self::CertificateOfOtherTaxCode { expected, found } => format!(
                "Chứng thư số thuộc mã số thuế {found}, không phải mã của doanh nghiệp {expected}"
            ),
            Self::NewCertificateNotValid {
                serial,
                not_before,
                not_after,
            } => format!(
                "Chứng thư số mới {serial} không có hiệu lực lúc này (hiệu lực từ {not_before} đến {not_after})"
            ),
            Self::NoUsableCertificate { tax_code, seen } => format!(
                "Không có chứng thư số nào trong {seen} chứng thư tìm thấy đăng ký được cho mã số thuế {tax_code}"
            ),
            Self::SameCertificate { serial } => {
                format!("Chứng thư số {serial} là chứng thư đã đăng ký: không có gì để cập nhật")
            }
            Self::CandidateCertificateRefused {
                serial,
                subject,
                reasons,
            } => format!(
                "Không đăng ký được chứng thư số mới nhất {serial} ({subject}): {}; chứng thư số cũ hơn không được đăng ký thay cho nó",
                reasons
                    .iter()
                    .map(PassReason::vi)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::OldCertificateUnknown {
                tax_code,
                new_serial,
            } => format!(
                "Không rõ chứng thư số đã đăng ký trước đây của {tax_code} (không có trong token, chưa nhập số serial cũ): hãy nhập số serial cũ, hoặc liệt kê người khai hải quan cần chuyển sang {new_serial}; nếu không còn chứng thư số cũ, hãy làm theo thủ tục dành cho doanh nghiệp không còn chứng thư số cũ"
            ),
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::InvalidCertificate { .. } => id(
                2001,
                "invalid_certificate",
                Certificate,
                false,
                "Give the certificate as a .cer/.crt file (DER or PEM) exported from the token.",
                "Cung cấp chứng thư số dạng tệp .cer/.crt (DER hoặc PEM) xuất từ token.",
            ),
            Self::CertificateOfOtherTaxCode { .. } => id(
                2002,
                "certificate_other_tax_code",
                Certificate,
                false,
                "Insert the token holding the enterprise's own certificate.",
                "Cắm token chứa chứng thư số của chính doanh nghiệp.",
            ),
            Self::NewCertificateNotValid { .. } => id(
                2003,
                "new_certificate_not_valid",
                Certificate,
                false,
                "Use a certificate valid today; check the computer's clock.",
                "Dùng chứng thư số còn hiệu lực hôm nay; kiểm tra đồng hồ của máy tính.",
            ),
            Self::NoUsableCertificate { .. } => id(
                2004,
                "no_usable_certificate",
                Certificate,
                false,
                "Insert the token with the enterprise's new certificate (run `vnaccs tokens` to list them).",
                "Cắm token chứa chứng thư số mới của doanh nghiệp (chạy `vnaccs tokens` để xem danh sách).",
            ),
            Self::SameCertificate { .. } => id(
                2005,
                "same_certificate",
                Certificate,
                false,
                "Nothing to do; to change certificates, use the enterprise's new one.",
                "Không cần làm gì; muốn đổi chứng thư số thì dùng chứng thư số mới của doanh nghiệp.",
            ),
            Self::CandidateCertificateRefused { .. } => id(
                2006,
                "candidate_certificate_refused",
                Certificate,
                false,
                "Ask the certification authority about the newest certificate, or choose one by its serial.",
                "Liên hệ tổ chức chứng thực về chứng thư số mới nhất, hoặc chọn chứng thư số theo số serial.",
            ),
            Self::OldCertificateUnknown { .. } => id(
                2007,
                "old_certificate_unknown",
                Certificate,
                false,
                "Give the old certificate's serial, or list the declarant users to move.",
                "Nhập số serial của chứng thư số cũ, hoặc liệt kê người khai hải quan cần chuyển.",
            ),
        }
    }
}

/// The reasons a certificate was refused, in English.
fn reasons_en(reasons: &[PassReason]) -> String {
    reasons
        .iter()
        .map(PassReason::en)
        .collect::<Vec<_>>()
        .join(", ")
}

//! The one error type of the library, with a stable machine code and a message in Vietnamese and
//! in English for every variant.

use std::fmt;

mod catalogue;
pub(crate) mod identity;
mod json;

pub use crate::ids::Problem;
pub use catalogue::{catalogue, catalogue_markdown};
pub(crate) use identity::shown;
pub use identity::{Category, Phrase};
use identity::{Category::*, Identity, id};

/// A result whose error is the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

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

/// Every error the library reports.
///
/// [`Error::code`] is stable across releases and meant for programs; `Display` gives the English
/// message and [`Error::message_vi`] the Vietnamese one. No message ever contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value given by the caller is wrong or missing: an identifier, a date, a secret.
    #[error(transparent)]
    Input(#[from] crate::ids::InputError),
    /// A file that cannot be read.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        reason: String,
        /// What went wrong, in Vietnamese (by the kind of failure).
        reason_vi: String,
    },
    /// Bytes that cannot be read as a certificate.
    #[error("unreadable certificate: {problem}")]
    InvalidCertificate {
        /// What is wrong with them.
        problem: CertificateProblem,
    },
    // --- Workflow (issue #6) ---
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
        reasons: Vec<crate::cert::PassReason>,
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
    /// The errors of the update's steps and its saved state.
    #[error(transparent)]
    Workflow(#[from] crate::workflow::WorkflowError),
    /// A step of the update failed; steps A–D continue with `resume`, which checks the portal
    /// before posting anything again. The code is the cause's.
    #[error("step {step} failed: {cause}{}", if step.is_resumable() { "; resume the update to continue (it checks the portal before posting anything again)" } else { "" })]
    StepFailed {
        /// The step to repeat.
        step: crate::workflow::Step,
        /// Why it failed.
        cause: Box<Error>,
    },
    /// The errors of PKCS#11 tokens, their modules and their PIN.
    #[error(transparent)]
    Token(#[from] crate::token::TokenError),
    /// The errors of keys, key files and signatures.
    #[error(transparent)]
    Signing(#[from] crate::sign::SignError),
    /// The portal client's errors: refusals, unavailability, unexpected pages.
    #[error(transparent)]
    Portal(#[from] crate::portal::PortalError),
    /// The simulated portal's errors.
    #[cfg(feature = "sandbox")]
    #[error(transparent)]
    Sandbox(#[from] crate::sandbox::SandboxError),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        let reason_vi = match e.kind() {
            ErrorKind::NotFound => "không tồn tại",
            ErrorKind::PermissionDenied => "không có quyền truy cập",
            ErrorKind::AlreadyExists => "đã tồn tại",
            ErrorKind::InvalidData => "dữ liệu không hợp lệ",
            ErrorKind::UnexpectedEof => "tệp bị cắt cụt",
            _ => "lỗi vào/ra của hệ điều hành",
        };
        Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
            reason_vi: reason_vi.into(),
        }
    }

    /// The stable machine code of this error, e.g. `invalid_tax_code`. A failed step has its
    /// cause's. A portal refusal has the refusal's code (two of them, `invalid_tax_code` and
    /// `bad_signature`, are also local codes: the [`Error::category`] and
    /// [`Error::status`] tell them apart).
    pub fn code(&self) -> &'static str {
        self.identity().code
    }

    /// The stable numeric status of this error, grouped by area (see `docs/errors.md`): 1xxx
    /// input, 2xxx certificates, 3xxx tokens and PIN, 4xxx signing, 5xxx portal and network,
    /// 6xxx workflow and state, 7xxx sandbox. Never reused. A failed step has its cause's.
    pub fn status(&self) -> i32 {
        self.identity().status
    }

    /// The area this error belongs to.
    pub fn category(&self) -> Category {
        self.identity().category
    }

    /// Whether the same call may succeed if made again later, unchanged (the network, the
    /// portal unavailable or in maintenance, a busy state file). `outcome_unknown` is not: the
    /// post may have been processed; resume the update instead, which checks the portal first.
    pub fn retryable(&self) -> bool {
        self.identity().retryable
    }

    /// What the user should do next, in English.
    pub fn hint(&self) -> &'static str {
        self.identity().hint.en
    }

    /// What the user should do next, in Vietnamese.
    pub fn hint_vi(&self) -> &'static str {
        self.identity().hint.vi
    }

    /// The step of the update that failed, for [`Error::StepFailed`].
    pub fn step(&self) -> Option<crate::workflow::Step> {
        match self {
            Error::StepFailed { step, .. } => Some(*step),
            _ => None,
        }
    }

    /// The message in English (the same as `Display`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Error::Input(e) => e.message_vi(),
            Error::InvalidCertificate { problem } => {
                format!("Không đọc được chứng thư số: {}", problem.vi())
            }
            Error::Io {
                path, reason_vi, ..
            } => format!("Không đọc được tệp {path}: {reason_vi}"),
            Error::CertificateOfOtherTaxCode { expected, found } => format!(
                "Chứng thư số thuộc mã số thuế {found}, không phải mã của doanh nghiệp {expected}"
            ),
            Error::NewCertificateNotValid {
                serial,
                not_before,
                not_after,
            } => format!(
                "Chứng thư số mới {serial} không có hiệu lực lúc này (hiệu lực từ {not_before} đến {not_after})"
            ),
            Error::NoUsableCertificate { tax_code, seen } => format!(
                "Không có chứng thư số nào trong {seen} chứng thư tìm thấy đăng ký được cho mã số thuế {tax_code}"
            ),
            Error::SameCertificate { serial } => {
                format!("Chứng thư số {serial} là chứng thư đã đăng ký: không có gì để cập nhật")
            }
            Error::CandidateCertificateRefused {
                serial,
                subject,
                reasons,
            } => format!(
                "Không đăng ký được chứng thư số mới nhất {serial} ({subject}): {}; chứng thư số cũ hơn không được đăng ký thay cho nó",
                reasons
                    .iter()
                    .map(crate::cert::PassReason::vi)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Error::OldCertificateUnknown {
                tax_code,
                new_serial,
            } => format!(
                "Không rõ chứng thư số đã đăng ký trước đây của {tax_code} (không có trong token, chưa nhập số serial cũ): hãy nhập số serial cũ, hoặc liệt kê người khai hải quan cần chuyển sang {new_serial}; nếu không còn chứng thư số cũ, hãy làm theo thủ tục dành cho doanh nghiệp không còn chứng thư số cũ"
            ),
            Error::Workflow(e) => e.message_vi(),
            Error::StepFailed { step, cause } => format!(
                "Bước {} ({}) không thành công: {}{}",
                step.letter(),
                step.describe_vi(),
                cause.message_vi(),
                if step.is_resumable() {
                    "; hãy tiếp tục cập nhật (thư viện kiểm tra lại trên cổng trước khi gửi lại bất cứ điều gì)"
                } else {
                    ""
                }
            ),
            Error::Token(e) => e.message_vi(),
            Error::Signing(e) => e.message_vi(),
            Error::Portal(e) => e.message_vi(),
            #[cfg(feature = "sandbox")]
            Error::Sandbox(e) => e.message_vi(),
        }
    }
}

/// The reasons a certificate was refused, in English.
fn reasons_en(reasons: &[crate::cert::PassReason]) -> String {
    reasons
        .iter()
        .map(crate::cert::PassReason::en)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    /// The identity of this error; a failed step has its cause's.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Error::Input(e) => e.identity(),
            Error::Io { .. } => id(
                1101,
                "io_error",
                Input,
                false,
                "Check the file's path and that it can be read.",
                "Kiểm tra đường dẫn tệp và quyền đọc tệp.",
            ),
            Error::InvalidCertificate { .. } => id(
                2001,
                "invalid_certificate",
                Certificate,
                false,
                "Give the certificate as a .cer/.crt file (DER or PEM) exported from the token.",
                "Cung cấp chứng thư số dạng tệp .cer/.crt (DER hoặc PEM) xuất từ token.",
            ),
            Error::CertificateOfOtherTaxCode { .. } => id(
                2002,
                "certificate_other_tax_code",
                Certificate,
                false,
                "Insert the token holding the enterprise's own certificate.",
                "Cắm token chứa chứng thư số của chính doanh nghiệp.",
            ),
            Error::NewCertificateNotValid { .. } => id(
                2003,
                "new_certificate_not_valid",
                Certificate,
                false,
                "Use a certificate valid today; check the computer's clock.",
                "Dùng chứng thư số còn hiệu lực hôm nay; kiểm tra đồng hồ của máy tính.",
            ),
            Error::NoUsableCertificate { .. } => id(
                2004,
                "no_usable_certificate",
                Certificate,
                false,
                "Insert the token with the enterprise's new certificate (run `vnaccs tokens` to list them).",
                "Cắm token chứa chứng thư số mới của doanh nghiệp (chạy `vnaccs tokens` để xem danh sách).",
            ),
            Error::SameCertificate { .. } => id(
                2005,
                "same_certificate",
                Certificate,
                false,
                "Nothing to do; to change certificates, use the enterprise's new one.",
                "Không cần làm gì; muốn đổi chứng thư số thì dùng chứng thư số mới của doanh nghiệp.",
            ),
            Error::CandidateCertificateRefused { .. } => id(
                2006,
                "candidate_certificate_refused",
                Certificate,
                false,
                "Ask the certification authority about the newest certificate, or choose one by its serial.",
                "Liên hệ tổ chức chứng thực về chứng thư số mới nhất, hoặc chọn chứng thư số theo số serial.",
            ),
            Error::OldCertificateUnknown { .. } => id(
                2007,
                "old_certificate_unknown",
                Certificate,
                false,
                "Give the old certificate's serial, or list the declarant users to move.",
                "Nhập số serial của chứng thư số cũ, hoặc liệt kê người khai hải quan cần chuyển.",
            ),
            Error::Token(e) => e.identity(),
            Error::Signing(e) => e.identity(),
            Error::Portal(e) => e.identity(),
            Error::Workflow(e) => e.identity(),
            Error::StepFailed { cause, .. } => cause.identity(),
            #[cfg(feature = "sandbox")]
            Error::Sandbox(e) => e.identity(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_in_both_languages() {
        let all = catalogue();
        for e in &all {
            assert!(!e.message_en().is_empty());
            assert_ne!(e.message_en(), e.message_vi());
            // Wholly Vietnamese: no English word of the library's own making.
            let vi = format!(" {} ", e.message_vi().to_lowercase());
            for word in [" the ", " to ", " of ", " and ", " not ", " is ", " at "] {
                assert!(!vi.contains(word), "{word:?} in {vi:?}");
            }
        }
        for problem in [
            Problem::Length {
                expected: Phrase {
                    en: "1 to 8",
                    vi: "1 đến 8",
                },
                found: 9,
            },
            Problem::Character {
                found: 'x',
                position: 1,
                allowed: Phrase {
                    en: "0-9 and one '-' before the branch",
                    vi: "0-9 và một dấu '-' trước mã chi nhánh",
                },
            },
        ] {
            let vi = problem.vi();
            assert!(!vi.contains(" to ") && !vi.contains(" and "), "{vi}");
        }
        // A failed workflow step carries its cause's code, and says which step to repeat.
        let failed = Error::StepFailed {
            step: crate::workflow::Step::UpdateAdminAccount,
            cause: Box::new(Error::Signing(crate::sign::SignError::BadSignature)),
        };
        assert_eq!(failed.code(), "bad_signature");
        assert_eq!(
            failed.status(),
            Error::Signing(crate::sign::SignError::BadSignature).status()
        );
        assert_eq!(
            failed.step(),
            Some(crate::workflow::Step::UpdateAdminAccount)
        );
        assert_eq!(
            Error::Signing(crate::sign::SignError::BadSignature).step(),
            None
        );
        assert!(failed.message_en().contains("step B"));
        assert!(failed.message_vi().contains("Bước B"));
        assert!(failed.message_en().contains("resume the update"));
        // Step F (and E) is not part of the resumable update: never "resume the update".
        let password = Error::StepFailed {
            step: crate::workflow::Step::ChangePassword,
            cause: Box::new(Error::Portal(crate::portal::PortalError::PortalMaintenance)),
        };
        assert!(!password.message_en().contains("resume"), "{password}");
        assert!(!password.message_vi().contains("tiếp tục cập nhật"));
        // A wrong admin password suggests "Quên mật khẩu".
        let wrong = Error::Portal(crate::portal::PortalError::PortalRefused {
            refusal: crate::portal::PortalRefusal::WrongPassword,
            portal_text: "Mã số thuế hoặc mật khẩu không đúng".into(),
        });
        assert!(wrong.message_vi().contains("Quên mật khẩu"), "{wrong:?}");
        assert!(wrong.message_en().contains("forgot-password"), "{wrong}");
    }

    #[test]
    fn messages_name_the_value_and_the_problem() {
        let e = Error::Input(crate::ids::InputError::InvalidTaxCode {
            value: "0100112438".into(),
            problem: Problem::CheckDigit {
                expected: 7,
                found: 8,
            },
        });
        assert_eq!(
            e.to_string(),
            "invalid tax code \"0100112438\": wrong check digit: expected 7, found 8"
        );
        assert_eq!(
            e.message_vi(),
            "Mã số thuế \"0100112438\" không hợp lệ: chữ số kiểm tra sai: cần 7, nhận được 8"
        );
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "9".repeat(1000);
        let s = shown(&long);
        assert_eq!(s.chars().count(), 65);
        assert!(s.ends_with('…'));
        assert_eq!(shown("ngắn"), "ngắn");
    }
}

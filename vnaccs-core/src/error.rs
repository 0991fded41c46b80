//! The one error type of the library, with a stable machine code and a message in Vietnamese and
//! in English for every variant.

mod catalogue;
pub(crate) mod identity;
mod json;

pub use crate::cert::CertificateProblem;
pub use crate::ids::Problem;
pub use catalogue::{catalogue, catalogue_markdown};
pub(crate) use identity::shown;
pub use identity::{Category, Phrase};
use identity::{Category::*, Identity, id};

/// A result whose error is the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
    /// A certificate cannot be read, or cannot be registered.
    #[error(transparent)]
    Certificate(#[from] crate::cert::CertError),
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
            Error::Certificate(e) => e.message_vi(),
            Error::Io {
                path, reason_vi, ..
            } => format!("Không đọc được tệp {path}: {reason_vi}"),
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
            Error::Certificate(e) => e.identity(),
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

//! One example of every kind of error, found by an exhaustive match (a new variant does not
//! compile until it names its example), and `docs/errors.md` rendered from them.

use std::fmt::Write as _;

use super::{BindingError, CertificateProblem, Error, Phrase, Problem};
use crate::cert::CertError;
use crate::ids::InputError;
use crate::portal::PortalError;
use crate::portal::PortalRefusal;
#[cfg(feature = "sandbox")]
use crate::sandbox::SandboxError;
use crate::sign::SignError;
use crate::token::TokenError;
use crate::workflow::WorkflowError;

/// One example of every kind of error, by status; a failed step is not a kind of its own (it
/// has its cause's identity, plus the step).
pub fn catalogue() -> Vec<Error> {
    let mut all = Vec::new();
    let mut next = after(None);
    while let Some(e) = next {
        next = after(Some(&e));
        if e.step().is_none() {
            all.push(e);
        }
    }
    all.sort_by_key(Error::status);
    all
}

/// `docs/errors.md`: every error's status, code, category, whether it is retryable, its message
/// (an example) and hint, in English and in Vietnamese.
pub fn catalogue_markdown() -> String {
    let mut md = String::from(
        "# Errors\n\n\
         Generated from `vnaccs_core::error::catalogue()` by `cargo test` \
         (`VNACCS_UPDATE_DOCS=1` rewrites it); do not edit.\n\n\
         Every error has a stable snake_case `code` and a stable numeric `status`, never reused \
         (a retired status stays reserved here): 1xxx input and identifiers, 2xxx certificates, \
         3xxx tokens and PIN, 4xxx signing, 5xxx portal and network (51xx the portal's \
         refusals, whose codes are the refusal's: two of them repeat a local code, the status \
         tells them apart), 6xxx workflow and state, 7xxx sandbox, 8xxx a binding's boundary (the C library's arguments), 9xxx internal (a bug in this library). A failed step of the update \
         has its cause's code and status, and adds `step`.\n\n\
         **Retryable** means the same call may succeed if made again later, unchanged. \
         `outcome_unknown` is not retryable: the post may have been processed; resume the update, \
         which checks the portal before posting anything again.\n\n\
         The JSON form (`--json`, the bindings): `{\"code\", \"status\", \"category\", \
         \"message\", \"message_vi\", \"hint\", \"hint_vi\", \"retryable\"}`, plus `\"step\"`.\n\n\
         Reserved (retired) statuses: none.\n\n\
         | status | code | category | retryable | message (example) | hint |\n\
         |---|---|---|---|---|---|\n",
    );
    for e in catalogue() {
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {} | {}<br>{} | {}<br>{} |",
            e.status(),
            e.code(),
            e.category().name(),
            if e.retryable() { "yes" } else { "no" },
            cell(&e.message_en()),
            cell(&e.message_vi()),
            cell(e.hint()),
            cell(e.hint_vi()),
        );
    }
    md
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The example after `previous` (the first for `None`), or `None` after the last.
fn after(previous: Option<&Error>) -> Option<Error> {
    let tax_code = || "0302345459".to_owned();
    let Some(previous) = previous else {
        return Some(Error::Input(InputError::InvalidTaxCode {
            value: "0100112438".into(),
            problem: Problem::CheckDigit {
                expected: 7,
                found: 8,
            },
        }));
    };
    let length = |expected, found| Problem::Length {
        expected: Phrase::same(expected),
        found,
    };
    let next = match previous {
        Error::Input(InputError::InvalidTaxCode { .. }) => {
            Error::Input(InputError::InvalidPersonalId {
                value: "0123".into(),
                problem: length("9, 12", 4),
            })
        }
        Error::Input(InputError::InvalidPersonalId { .. }) => {
            Error::Input(InputError::InvalidUserId {
                value: "AB".into(),
                problem: length("5", 2),
            })
        }
        Error::Input(InputError::InvalidUserId { .. }) => {
            Error::Input(InputError::InvalidTerminalId {
                value: "T1".into(),
                problem: length("6", 2),
            })
        }
        Error::Input(InputError::InvalidTerminalId { .. }) => {
            Error::Input(InputError::InvalidTerminalAccessKey {
                value: "K".into(),
                problem: length("16", 1),
            })
        }
        Error::Input(InputError::InvalidTerminalAccessKey { .. }) => {
            Error::Input(InputError::InvalidCustomsOfficeCode {
                value: "9".into(),
                problem: length("2", 1),
            })
        }
        Error::Input(InputError::InvalidCustomsOfficeCode { .. }) => {
            Error::Input(InputError::InvalidEmail {
                value: "ketoan".into(),
                problem: Problem::Shape {
                    en: "name@domain",
                    vi: "tên@tên_miền",
                },
            })
        }
        Error::Input(InputError::InvalidEmail { .. }) => {
            Error::Input(InputError::InvalidCertificateSerial {
                value: "XYZ".into(),
                problem: Problem::Character {
                    found: 'X',
                    position: 1,
                    allowed: Phrase::same("0-9, A-F"),
                },
            })
        }
        Error::Input(InputError::InvalidCertificateSerial { .. }) => {
            Error::Input(InputError::InvalidUserIdPassword {
                problem: length("1-8", 9),
            })
        }
        Error::Input(InputError::InvalidUserIdPassword { .. }) => Error::io(
            std::path::Path::new("cert.cer"),
            &std::io::Error::from(std::io::ErrorKind::NotFound),
        ),
        Error::Io { .. } => Error::Certificate(CertError::InvalidCertificate {
            problem: CertificateProblem::Truncated,
        }),
        Error::Certificate(CertError::InvalidCertificate { .. }) => {
            Error::Certificate(CertError::CertificateOfOtherTaxCode {
                expected: tax_code(),
                found: "0100112437".into(),
            })
        }
        Error::Certificate(CertError::CertificateOfOtherTaxCode { .. }) => {
            Error::Certificate(CertError::NewCertificateNotValid {
                serial: "5401A2".into(),
                not_before: chrono::DateTime::UNIX_EPOCH,
                not_after: chrono::DateTime::UNIX_EPOCH,
            })
        }
        Error::Certificate(CertError::NewCertificateNotValid { .. }) => {
            Error::Certificate(CertError::NoUsableCertificate {
                tax_code: tax_code(),
                seen: 2,
            })
        }
        Error::Certificate(CertError::NoUsableCertificate { .. }) => {
            Error::Certificate(CertError::CandidateCertificateRefused {
                serial: "5401A2".into(),
                subject: "CN=CONG TY A".into(),
                reasons: vec![crate::cert::PassReason::NotForSigning],
            })
        }
        Error::Certificate(CertError::CandidateCertificateRefused { .. }) => {
            Error::Certificate(CertError::OldCertificateUnknown {
                tax_code: tax_code(),
                new_serial: "5401A2".into(),
            })
        }
        Error::Certificate(CertError::OldCertificateUnknown { .. }) => {
            Error::Certificate(CertError::SameCertificate {
                serial: "5401A2".into(),
            })
        }
        Error::Certificate(CertError::SameCertificate { .. }) => {
            Error::Input(InputError::DateOutOfRange {
                what: "next_clearance".into(),
                value: "2301-01-01".into(),
            })
        }
        Error::Input(InputError::DateOutOfRange { .. }) => {
            Error::Workflow(WorkflowError::WorkflowStateLocked {
                path: "update.json".into(),
            })
        }
        Error::Workflow(WorkflowError::WorkflowStateLocked { .. }) => Error::StepFailed {
            step: crate::workflow::Step::SendRegistration,
            cause: Box::new(Error::Portal(PortalError::PortalMaintenance)),
        },
        Error::StepFailed { .. } => Error::Workflow(WorkflowError::WorkflowStateMismatch {
            detail: "another tax code".into(),
        }),
        Error::Workflow(WorkflowError::WorkflowStateMismatch { .. }) => {
            Error::Workflow(WorkflowError::InvalidWorkflowState {
                reason: "JSON: EOF".into(),
            })
        }
        Error::Workflow(WorkflowError::InvalidWorkflowState { .. }) => {
            Error::Workflow(WorkflowError::NoRecordToSend {
                tax_code: tax_code(),
                number: Some("100012345".into()),
            })
        }
        Error::Workflow(WorkflowError::NoRecordToSend { .. }) => {
            Error::Portal(PortalError::OutcomeUnknown {
                post: crate::portal::PortalPost::SendRecord,
            })
        }
        Error::Portal(PortalError::OutcomeUnknown { .. }) => {
            Error::Portal(PortalError::RecordRejected {
                number: "100012345".into(),
                reason: None,
            })
        }
        Error::Portal(PortalError::RecordRejected { .. }) => {
            Error::Portal(PortalError::UnknownRecordStatus {
                number: "100012345".into(),
                label: "Tạm dừng".into(),
            })
        }
        Error::Portal(PortalError::UnknownRecordStatus { .. }) => {
            Error::Workflow(WorkflowError::Cancelled)
        }
        Error::Workflow(WorkflowError::Cancelled) => {
            Error::Workflow(WorkflowError::JobWrongState {
                expected: "waiting_for_pin",
                actual: "waiting_for_captcha",
            })
        }
        Error::Workflow(WorkflowError::JobWrongState { .. }) => {
            Error::Token(TokenError::Pkcs11ModuleNotFound {
                looked_in: "/usr/lib".into(),
            })
        }
        Error::Token(TokenError::Pkcs11ModuleNotFound { .. }) => {
            Error::Token(TokenError::Pkcs11ModuleLoad {
                path: "/usr/lib/token.so".into(),
                reason: "wrong ELF class".into(),
            })
        }
        Error::Token(TokenError::Pkcs11ModuleLoad { .. }) => {
            Error::Token(TokenError::TokenRemoved {
                function: "Sign".into(),
            })
        }
        Error::Token(TokenError::TokenRemoved { .. }) => Error::Token(TokenError::Pkcs11 {
            function: "Sign".into(),
            code: "FunctionFailed".into(),
        }),
        Error::Token(TokenError::Pkcs11 { .. }) => Error::Token(TokenError::TokenObjectNotFound {
            what: "a private key".into(),
        }),
        Error::Token(TokenError::TokenObjectNotFound { .. }) => {
            Error::Token(TokenError::PinLocked {
                token: "VNPT-CA".into(),
            })
        }
        Error::Token(TokenError::PinLocked { .. }) => Error::Token(TokenError::PinFinalTry {
            token: "VNPT-CA".into(),
        }),
        Error::Token(TokenError::PinFinalTry { .. }) => Error::Token(TokenError::PinIncorrect {
            token: "VNPT-CA".into(),
            tries_left: crate::token::PinTries::Few,
        }),
        Error::Token(TokenError::PinIncorrect { .. }) => Error::Token(TokenError::PinCancelled {
            token: "VNPT-CA".into(),
        }),
        Error::Token(TokenError::PinCancelled { .. }) => {
            Error::Signing(SignError::UnsupportedKey {
                detail: "no CKM_SHA256_RSA_PKCS".into(),
            })
        }
        Error::Signing(SignError::UnsupportedKey { .. }) => Error::Signing(SignError::KeyFile {
            reason: "PKCS#12 MAC".into(),
        }),
        Error::Signing(SignError::KeyFile { .. }) => Error::Signing(SignError::KeyFilePassword),
        Error::Signing(SignError::KeyFilePassword) => Error::Input(InputError::SecretNotGiven {
            what: "the admin account password".into(),
            what_vi: "mật khẩu tài khoản quản trị".into(),
        }),
        Error::Input(InputError::SecretNotGiven { .. }) => {
            Error::Input(InputError::InvalidRequest {
                reason: "unknown field `operaton`".into(),
            })
        }
        Error::Input(InputError::InvalidRequest { .. }) => {
            Error::Signing(SignError::KeyCertificateMismatch)
        }
        Error::Signing(SignError::KeyCertificateMismatch) => {
            Error::Signing(SignError::SigningFailed {
                reason: "CKR_DEVICE_ERROR".into(),
            })
        }
        Error::Signing(SignError::SigningFailed { .. }) => Error::Signing(SignError::NotCms {
            reason: "no SignedData".into(),
        }),
        Error::Signing(SignError::NotCms { .. }) => Error::Signing(SignError::CmsContentMismatch),
        Error::Signing(SignError::CmsContentMismatch) => Error::Signing(SignError::CmsWrongSigner),
        Error::Signing(SignError::CmsWrongSigner) => Error::Signing(SignError::BadSignature),
        Error::Signing(SignError::BadSignature) => {
            Error::Signing(SignError::UnsupportedAlgorithm {
                algorithm: "1.2.840.113549.1.1.4".into(),
            })
        }
        Error::Signing(SignError::UnsupportedAlgorithm { .. }) => refused(PortalRefusal::ALL[0]),
        Error::Portal(PortalError::PortalRefused { refusal, .. }) => {
            match PortalRefusal::ALL
                .iter()
                .skip_while(|r| *r != refusal)
                .nth(1)
            {
                Some(next) => refused(*next),
                None => Error::Portal(PortalError::PortalUnavailable {
                    url: "https://portal/".into(),
                    status: 503,
                }),
            }
        }
        Error::Portal(PortalError::PortalUnavailable { .. }) => {
            Error::Portal(PortalError::PortalMaintenance)
        }
        Error::Portal(PortalError::PortalMaintenance) => {
            Error::Portal(PortalError::PortalErrorPage {
                url: "https://portal/OE4001".into(),
            })
        }
        Error::Portal(PortalError::PortalErrorPage { .. }) => {
            Error::Portal(PortalError::PortalConnection {
                url: "https://portal/".into(),
                reason: "connection reset".into(),
            })
        }
        Error::Portal(PortalError::PortalConnection { .. }) => {
            Error::Portal(PortalError::PortalTimeout {
                url: "https://portal/".into(),
            })
        }
        Error::Portal(PortalError::PortalTimeout { .. }) => {
            Error::Portal(PortalError::PortalSessionExpired)
        }
        Error::Portal(PortalError::PortalSessionExpired) => {
            Error::Portal(PortalError::PortalUnexpectedPage {
                page: "OE4001".into(),
                detail: "no record table".into(),
            })
        }
        Error::Portal(PortalError::PortalUnexpectedPage { .. }) => {
            Error::Portal(PortalError::SiteProfile {
                reason: "unknown key `page`".into(),
            })
        }
        Error::Portal(PortalError::SiteProfile { .. }) => {
            Error::Portal(PortalError::InsecurePortalUrl {
                url: "http://portal.example/".into(),
            })
        }
        Error::Portal(PortalError::InsecurePortalUrl { .. }) => {
            Error::Portal(PortalError::PortalResponseTooLarge {
                url: "https://portal/".into(),
                limit: 8_388_608,
            })
        }
        Error::Portal(PortalError::PortalResponseTooLarge { .. }) => {
            Error::Portal(PortalError::PortalPageTooDeep {
                page: "OE4001".into(),
                limit: 512,
            })
        }
        Error::Portal(PortalError::PortalPageTooDeep { .. }) => {
            Error::Portal(PortalError::PortalPageTooLarge {
                page: "OE4001".into(),
                limit: 200_000,
            })
        }
        Error::Portal(PortalError::PortalPageTooLarge { .. }) => {
            Error::Portal(PortalError::PortalForeignOrigin {
                origin: "https://other.example".into(),
            })
        }
        Error::Portal(PortalError::PortalForeignOrigin { .. }) => {
            Error::Portal(PortalError::CaptchaCancelled)
        }
        Error::Portal(PortalError::CaptchaCancelled) => {
            Error::Portal(PortalError::CaptchaAttempts { attempts: 3 })
        }
        Error::Portal(PortalError::CaptchaAttempts { .. }) => {
            Error::Portal(PortalError::PortalLayoutChanged {
                page: "/Pages/OE4001.aspx".into(),
                operation: "send_record".into(),
                missing: vec![
                    crate::portal::MissingItem::new(
                        crate::portal::ItemKind::Field,
                        "ctl00$MainContent$txtMaHaiQuan",
                    ),
                    crate::portal::MissingItem::new(
                        crate::portal::ItemKind::Button,
                        "ctl00$MainContent$btnGui",
                    ),
                ],
                message: None,
                fingerprint: "3f2a9c01b7e4".into(),
            })
        }
        Error::Portal(PortalError::PortalLayoutChanged { .. }) => {
            Error::Binding(BindingError::NullArgument { name: "out_len" })
        }
        Error::Binding(BindingError::NullArgument { .. }) => {
            Error::Binding(BindingError::InvalidUtf8 { name: "value" })
        }
        Error::Binding(BindingError::InvalidUtf8 { .. }) => {
            Error::Binding(BindingError::InvalidJson {
                name: "request_json",
                reason: "EOF (1:20)".into(),
            })
        }
        Error::Binding(BindingError::InvalidJson { .. }) => {
            Error::Binding(BindingError::BufferTooSmall { needed: 1025 })
        }
        Error::Binding(BindingError::BufferTooSmall { .. }) => {
            Error::Binding(BindingError::InvalidArgument {
                name: "kind",
                value: "TaxCode".into(),
            })
        }
        Error::Binding(BindingError::InvalidArgument { .. }) => {
            Error::Binding(BindingError::Timeout)
        }
        Error::Binding(BindingError::Timeout) => Error::Binding(BindingError::Panic),
        Error::Binding(BindingError::Panic) => Error::Internal {
            what: "panic".into(),
        },
        Error::Internal { .. } => return first_sandbox(),
        #[cfg(feature = "sandbox")]
        Error::Sandbox(SandboxError::SandboxStart { .. }) => {
            Error::Sandbox(SandboxError::SandboxRemoteListen {
                addr: std::net::SocketAddr::from(([0, 0, 0, 0], 8080)),
            })
        }
        #[cfg(feature = "sandbox")]
        Error::Sandbox(SandboxError::SandboxRemoteListen { .. }) => {
            Error::Sandbox(SandboxError::SandboxScenario {
                reason: "unknown key `records`".into(),
            })
        }
        #[cfg(feature = "sandbox")]
        Error::Sandbox(SandboxError::SandboxScenario { .. }) => {
            Error::Sandbox(SandboxError::SandboxRecordNotFound {
                number: "100012345".into(),
            })
        }
        #[cfg(feature = "sandbox")]
        Error::Sandbox(SandboxError::SandboxRecordNotFound { .. }) => {
            Error::Sandbox(SandboxError::SandboxStatusChange {
                number: "100012345".into(),
                from: "Đã duyệt".into(),
                to: "Đang nhập".into(),
            })
        }
        #[cfg(feature = "sandbox")]
        Error::Sandbox(SandboxError::SandboxStatusChange { .. }) => return None,
    };
    Some(next)
}

/// The portal's refusal `refusal`, with an example text.
fn refused(refusal: PortalRefusal) -> Error {
    Error::Portal(PortalError::PortalRefused {
        refusal,
        portal_text: "Thông tin không hợp lệ".into(),
    })
}

/// The first of the sandbox's errors, when the sandbox is built.
#[cfg(feature = "sandbox")]
fn first_sandbox() -> Option<Error> {
    Some(Error::Sandbox(SandboxError::SandboxStart {
        reason: "address in use".into(),
    }))
}

/// The first of the sandbox's errors, when the sandbox is built.
#[cfg(not(feature = "sandbox"))]
fn first_sandbox() -> Option<Error> {
    None
}

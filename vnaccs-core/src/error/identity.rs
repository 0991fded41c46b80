//! The stable identity of every error: its numeric status, category, whether it is retryable,
//! and what the user should do next.
//!
//! Statuses are grouped by area: 1xxx input and identifiers, 2xxx certificates, 3xxx tokens and
//! PIN, 4xxx signing, 5xxx portal and network (51xx the portal's refusals), 6xxx workflow and
//! state, 7xxx sandbox. A status is never reused: a retired one stays listed here as reserved.
//! (None is retired yet.)
//!
//! **Retryable** means the same call may succeed if simply made again later (the network, a
//! timeout, the portal unavailable or in maintenance, a busy state file). Refusals and bad input
//! are not retryable: something must change first. `outcome_unknown` is *not* retryable: the
//! post may have been processed, so it must never be repeated blindly; it is *resumable*: the
//! update's `resume` checks the portal before posting anything again (its hint says so).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Error, Phrase};

/// The area an error belongs to, for programs that group errors (e.g. to choose an icon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// A value or file given by the caller is wrong or missing.
    Input,
    /// A certificate cannot be read or cannot be registered.
    Certificate,
    /// The PKCS#11 token or its module.
    Token,
    /// The token's user PIN.
    Pin,
    /// Keys, key files and signatures.
    Signing,
    /// The portal answered, but not as hoped: a refusal, an error page, an unexpected page.
    Portal,
    /// The portal could not be reached, or did not answer in time.
    Network,
    /// The update's steps and its saved state.
    Workflow,
    /// The simulated portal.
    Sandbox,
}

impl Category {
    /// The snake_case name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            Self::Input => "input",
            Self::Certificate => "certificate",
            Self::Token => "token",
            Self::Pin => "pin",
            Self::Signing => "signing",
            Self::Portal => "portal",
            Self::Network => "network",
            Self::Workflow => "workflow",
            Self::Sandbox => "sandbox",
        }
    }
}

/// The fixed facts about one kind of error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Identity {
    /// The stable number.
    pub status: i32,
    /// The stable snake_case code.
    pub code: &'static str,
    /// The area.
    pub category: Category,
    /// Whether making the same call again later may succeed.
    pub retryable: bool,
    /// What the user should do next.
    pub hint: Phrase,
}

/// Builds an [`Identity`].
const fn id(
    status: i32,
    code: &'static str,
    category: Category,
    retryable: bool,
    en: &'static str,
    vi: &'static str,
) -> Identity {
    Identity {
        status,
        code,
        category,
        retryable,
        hint: Phrase { en, vi },
    }
}

use Category::*;

/// Input: fix the value.
const FIX_VALUE: (&str, &str) = (
    "Correct the value as the message says, then run again.",
    "Sửa giá trị theo thông báo, rồi chạy lại.",
);

/// A page too big or too deep to read: not one the portal serves.
const ODD_PAGE: (&str, &str) = (
    "Check the portal address: the page is not one the portal serves.",
    "Kiểm tra địa chỉ cổng thông tin: trang này không giống trang của cổng.",
);

impl Error {
    /// The identity of this error; a failed step has its cause's.
    pub(super) fn identity(&self) -> Identity {
        let input = |status, code| id(status, code, Input, false, FIX_VALUE.0, FIX_VALUE.1);
        match self {
            Error::InvalidTaxCode { .. } => input(1001, "invalid_tax_code"),
            Error::InvalidPersonalId { .. } => input(1002, "invalid_personal_id"),
            Error::InvalidUserId { .. } => input(1003, "invalid_user_id"),
            Error::InvalidTerminalId { .. } => input(1004, "invalid_terminal_id"),
            Error::InvalidTerminalAccessKey { .. } => input(1005, "invalid_terminal_access_key"),
            Error::InvalidCustomsOfficeCode { .. } => input(1006, "invalid_customs_office_code"),
            Error::InvalidEmail { .. } => input(1007, "invalid_email"),
            Error::InvalidCertificateSerial { .. } => input(1008, "invalid_certificate_serial"),
            Error::InvalidUserIdPassword { .. } => id(
                1009,
                "invalid_user_id_password",
                Input,
                false,
                "Choose a password of 1 to 8 characters A-Z and 0-9.",
                "Chọn mật khẩu từ 1 đến 8 ký tự A-Z và 0-9.",
            ),
            Error::DateOutOfRange { .. } => id(
                1010,
                "date_out_of_range",
                Input,
                false,
                "Give a date between the years 1990 and 2200; check the computer's clock.",
                "Nhập ngày trong khoảng năm 1990 đến 2200; kiểm tra đồng hồ của máy tính.",
            ),
            Error::SecretNotGiven { .. } => id(
                1011,
                "secret_not_given",
                Input,
                false,
                "Give the password (its environment variable, or type it at the prompt).",
                "Nhập mật khẩu (qua biến môi trường, hoặc gõ khi được hỏi).",
            ),
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
            Error::Pkcs11ModuleNotFound { .. } => id(
                3001,
                "token_module_not_found",
                Token,
                false,
                "Install the token's driver, or give its PKCS#11 module's path.",
                "Cài trình điều khiển của token, hoặc nhập đường dẫn thư viện PKCS#11.",
            ),
            Error::Pkcs11ModuleLoad { .. } => id(
                3002,
                "token_module_load",
                Token,
                false,
                "Reinstall the token's driver; use the module built for this system (32/64-bit).",
                "Cài lại trình điều khiển token; dùng thư viện đúng với hệ điều hành (32/64-bit).",
            ),
            Error::TokenRemoved { .. } => id(
                3003,
                "token_removed",
                Token,
                true,
                "Insert the token again, then run again.",
                "Cắm lại token, rồi chạy lại.",
            ),
            Error::Pkcs11 { .. } => id(
                3004,
                "token_failure",
                Token,
                false,
                "Reinsert the token; if it persists, check it with its vendor's tool.",
                "Cắm lại token; nếu vẫn lỗi, kiểm tra token bằng phần mềm của nhà cung cấp.",
            ),
            Error::TokenObjectNotFound { .. } => id(
                3005,
                "token_object_not_found",
                Token,
                false,
                "Check that the right token is inserted (run `vnaccs tokens`).",
                "Kiểm tra đã cắm đúng token (chạy `vnaccs tokens`).",
            ),
            Error::PinLocked { .. } => id(
                3101,
                "pin_locked",
                Pin,
                false,
                "Have the token's PIN unlocked by its certification authority.",
                "Liên hệ tổ chức chứng thực để mở khóa mã PIN của token.",
            ),
            Error::PinFinalTry { .. } => id(
                3102,
                "pin_final_try",
                Pin,
                false,
                "Make sure of the PIN, then allow the last try explicitly.",
                "Hãy chắc chắn mã PIN đúng, rồi cho phép rõ ràng lần thử cuối.",
            ),
            Error::PinIncorrect { .. } => id(
                3103,
                "pin_incorrect",
                Pin,
                false,
                "Check the PIN before trying again: each wrong try brings the lock closer.",
                "Kiểm tra mã PIN trước khi thử lại: mỗi lần sai làm token gần bị khóa hơn.",
            ),
            Error::PinCancelled { .. } => id(
                3104,
                "pin_cancelled",
                Pin,
                false,
                "Run again and enter the token's PIN.",
                "Chạy lại và nhập mã PIN của token.",
            ),
            Error::UnsupportedKey { .. } => id(
                4001,
                "unsupported_key",
                Signing,
                false,
                "Use an RSA or ECDSA P-256/P-384 key that can sign.",
                "Dùng khóa RSA hoặc ECDSA P-256/P-384 có quyền ký.",
            ),
            Error::KeyFile { .. } => id(
                4002,
                "key_file",
                Signing,
                false,
                "Give a PKCS#12 (.pfx/.p12) or PEM key file.",
                "Cung cấp tệp khóa PKCS#12 (.pfx/.p12) hoặc PEM.",
            ),
            Error::KeyFilePassword => id(
                4003,
                "key_file_password",
                Signing,
                false,
                "Give the key file's password.",
                "Nhập đúng mật khẩu của tệp khóa.",
            ),
            Error::KeyCertificateMismatch => id(
                4004,
                "key_certificate_mismatch",
                Signing,
                false,
                "Give the private key that goes with the certificate.",
                "Cung cấp khóa bí mật đi cùng chứng thư số.",
            ),
            Error::SigningFailed { .. } => id(
                4005,
                "signing_failed",
                Signing,
                false,
                "Check the token or key file, then run again.",
                "Kiểm tra token hoặc tệp khóa, rồi chạy lại.",
            ),
            Error::NotCms { .. } => id(
                4006,
                "not_cms",
                Signing,
                false,
                "Give a detached CMS (PKCS#7) signature.",
                "Cung cấp chữ ký CMS (PKCS#7) tách rời.",
            ),
            Error::CmsContentMismatch => id(
                4007,
                "cms_content_mismatch",
                Signing,
                false,
                "Verify the signature against the content it was made over.",
                "Kiểm tra chữ ký với đúng nội dung đã được ký.",
            ),
            Error::CmsWrongSigner => id(
                4008,
                "cms_wrong_signer",
                Signing,
                false,
                "Sign with the expected certificate's key.",
                "Ký bằng khóa của chứng thư số mong đợi.",
            ),
            Error::BadSignature => id(
                4009,
                "bad_signature",
                Signing,
                false,
                "Check that the key belongs to the certificate, then sign again.",
                "Kiểm tra khóa thuộc về chứng thư số, rồi ký lại.",
            ),
            Error::UnsupportedAlgorithm { .. } => id(
                4010,
                "unsupported_algorithm",
                Signing,
                false,
                "Use RSA or ECDSA with SHA-1 or SHA-2.",
                "Dùng RSA hoặc ECDSA với SHA-1 hoặc SHA-2.",
            ),
            Error::PortalUnavailable { .. } => id(
                5001,
                "portal_unavailable",
                Network,
                true,
                "Try again later: the portal is not serving now.",
                "Thử lại sau: cổng thông tin hiện không phục vụ được.",
            ),
            Error::PortalMaintenance => id(
                5002,
                "portal_maintenance",
                Portal,
                true,
                "Try again after the portal's maintenance.",
                "Thử lại sau khi cổng thông tin bảo trì xong.",
            ),
            Error::PortalErrorPage { .. } => id(
                5003,
                "portal_error_page",
                Portal,
                true,
                "Try again in a few minutes.",
                "Thử lại sau vài phút.",
            ),
            Error::PortalConnection { .. } => id(
                5004,
                "portal_connection",
                Network,
                true,
                "Check the Internet connection and proxy, then try again.",
                "Kiểm tra kết nối Internet và proxy, rồi thử lại.",
            ),
            Error::PortalTimeout { .. } => id(
                5005,
                "portal_timeout",
                Network,
                true,
                "Try again later, or raise the timeout.",
                "Thử lại sau, hoặc tăng thời gian chờ.",
            ),
            Error::PortalSessionExpired => id(
                5006,
                "portal_session_expired",
                Portal,
                true,
                "Run again: the library logs in anew.",
                "Chạy lại: thư viện sẽ đăng nhập lại.",
            ),
            Error::PortalUnexpectedPage { .. } => id(
                5007,
                "portal_unexpected_page",
                Portal,
                false,
                "The portal may have changed: update the site profile or the library.",
                "Cổng thông tin có thể đã thay đổi: cập nhật cấu hình trang web hoặc thư viện.",
            ),
            Error::SiteProfile { .. } => id(
                5008,
                "site_profile",
                Portal,
                false,
                "Correct the site profile file as the message says.",
                "Sửa tệp cấu hình trang web theo thông báo.",
            ),
            Error::InsecurePortalUrl { .. } => id(
                5009,
                "insecure_portal_url",
                Portal,
                false,
                "Use the portal's https:// address.",
                "Dùng địa chỉ https:// của cổng thông tin.",
            ),
            Error::PortalResponseTooLarge { .. } => id(
                5010,
                "portal_response_too_large",
                Portal,
                false,
                "Check the portal address; raise the answer size limit only if it is right.",
                "Kiểm tra địa chỉ cổng thông tin; chỉ tăng giới hạn kích thước khi địa chỉ đúng.",
            ),
            Error::PortalPageTooDeep { .. } => id(
                5011,
                "portal_page_too_deep",
                Portal,
                false,
                ODD_PAGE.0,
                ODD_PAGE.1,
            ),
            Error::PortalPageTooLarge { .. } => id(
                5012,
                "portal_page_too_large",
                Portal,
                false,
                ODD_PAGE.0,
                ODD_PAGE.1,
            ),
            Error::PortalForeignOrigin { .. } => id(
                5013,
                "portal_foreign_origin",
                Portal,
                false,
                "Check the portal address and the site profile's sites.",
                "Kiểm tra địa chỉ cổng thông tin và các trang web trong cấu hình.",
            ),
            Error::CaptchaCancelled => id(
                5014,
                "captcha_cancelled",
                Portal,
                false,
                "Run again and type the captcha.",
                "Chạy lại và nhập mã xác nhận.",
            ),
            Error::CaptchaAttempts { .. } => id(
                5015,
                "captcha_attempts",
                Portal,
                true,
                "Run again and type the characters of the captcha image exactly.",
                "Chạy lại và nhập đúng các ký tự trong ảnh mã xác nhận.",
            ),
            Error::PortalRefused { refusal, .. } => {
                let (en, vi) = refusal.next();
                id(refusal.status(), refusal.code(), Portal, false, en, vi)
            }
            Error::WorkflowStateLocked { .. } => id(
                6001,
                "workflow_state_locked",
                Workflow,
                true,
                "Wait for the other run to end, then run again.",
                "Chờ lần chạy kia kết thúc, rồi chạy lại.",
            ),
            Error::WorkflowStateMismatch { .. } => id(
                6002,
                "workflow_state_mismatch",
                Workflow,
                false,
                "Use the state file of this enterprise and certificate, or start a new one.",
                "Dùng tệp trạng thái của đúng doanh nghiệp và chứng thư số này, hoặc bắt đầu tệp mới.",
            ),
            Error::InvalidWorkflowState { .. } => id(
                6003,
                "invalid_workflow_state",
                Workflow,
                false,
                "Restore the state file from a backup; do not start over blindly: steps may be done.",
                "Khôi phục tệp trạng thái từ bản sao; đừng làm lại từ đầu: có thể đã xong vài bước.",
            ),
            Error::NoRecordToSend { .. } => id(
                6004,
                "no_record_to_send",
                Workflow,
                false,
                "Look up the registration's result on OE4001.",
                "Tra cứu kết quả đăng ký trên OE4001.",
            ),
            Error::OutcomeUnknown { .. } => id(
                6005,
                "outcome_unknown",
                Workflow,
                false,
                "Resume the update: it checks the portal before posting anything again. Never repeat the post by hand.",
                "Tiếp tục cập nhật: thư viện kiểm tra trên cổng trước khi gửi lại. Đừng tự gửi lại.",
            ),
            Error::RecordRejected { .. } => id(
                6006,
                "record_rejected",
                Workflow,
                false,
                "Correct what Customs names, then register again.",
                "Sửa nội dung Hải quan nêu, rồi đăng ký lại.",
            ),
            Error::UnknownRecordStatus { .. } => id(
                6007,
                "unknown_record_status",
                Workflow,
                false,
                "Check the record on OE4001 and update the library.",
                "Kiểm tra bản khai trên OE4001 và cập nhật thư viện.",
            ),
            Error::StepFailed { cause, .. } => cause.identity(),
            Error::SandboxStart { .. } => id(
                7001,
                "sandbox_start",
                Sandbox,
                false,
                "Choose another port, or stop the program using it.",
                "Chọn cổng khác, hoặc dừng chương trình đang dùng cổng đó.",
            ),
            Error::SandboxRemoteListen { .. } => id(
                7002,
                "sandbox_remote_listen",
                Sandbox,
                false,
                "Listen on 127.0.0.1, or opt in explicitly.",
                "Nghe trên 127.0.0.1, hoặc cho phép rõ ràng.",
            ),
            Error::SandboxScenario { .. } => id(
                7003,
                "sandbox_scenario",
                Sandbox,
                false,
                "Correct the scenario file as the message says.",
                "Sửa tệp kịch bản theo thông báo.",
            ),
            Error::SandboxRecordNotFound { .. } => id(
                7004,
                "sandbox_record_not_found",
                Sandbox,
                false,
                "Give the number of a record the sandbox holds.",
                "Nhập số bản khai mà cổng mô phỏng đang có.",
            ),
            Error::SandboxStatusChange { .. } => id(
                7005,
                "sandbox_status_change",
                Sandbox,
                false,
                "Move the record only along the portal's statuses.",
                "Chỉ chuyển bản khai theo đúng thứ tự trạng thái của cổng.",
            ),
        }
    }
}

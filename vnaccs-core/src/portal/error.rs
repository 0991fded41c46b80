//! The portal client's errors (statuses 5xxx; the portal's refusals 51xx). What the portal says
//! about where the update stands (a post's outcome unknown, a record rejected or in an unknown
//! status) has workflow statuses (6005–6007).

use super::layout::MissingItem;
use super::posts::PortalPost;
use crate::error::identity::{Category::*, Identity, id, identity_accessors};

/// A page too big or too deep to read: not one the portal serves.
const ODD_PAGE: (&str, &str) = (
    "Check the portal address: the page is not one the portal serves.",
    "Kiểm tra địa chỉ cổng thông tin: trang này không giống trang của cổng.",
);

/// An error of the portal client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PortalError {
    /// The portal refused the request with a message: the portal's Vietnamese text and what it
    /// means.
    #[error("the portal refused: {} (portal: {portal_text:?}){}", refusal.en(), refusal.hint_en().map(|h| format!("; {h}")).unwrap_or_default())]
    PortalRefused {
        /// What the refusal means.
        refusal: super::refusal::PortalRefusal,
        /// The portal's message, as shown.
        portal_text: String,
    },
    /// The portal answered with a server error (HTTP 5xx).
    #[error("the portal is unavailable: HTTP {status} from {url}")]
    PortalUnavailable {
        /// The page requested.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The portal showed its maintenance page.
    #[error("the portal is under maintenance")]
    PortalMaintenance,
    /// The portal showed its error page ("Đã có lỗi xảy ra"), e.g. for a stale form.
    #[error("the portal showed its error page for {url}")]
    PortalErrorPage {
        /// The page requested.
        url: String,
    },
    /// The connection to the portal could not be made or was dropped.
    #[error("cannot reach the portal at {url}: {reason}")]
    PortalConnection {
        /// The page requested.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The portal did not answer in time.
    #[error("the portal did not answer in time: {url}")]
    PortalTimeout {
        /// The page requested.
        url: String,
    },
    /// The portal session expired and logging in again failed or was not possible.
    #[error("the portal session has expired; log in again")]
    PortalSessionExpired,
    /// A page does not fit the site profile: the page and what was missing or unexpected.
    #[error("unexpected portal page {page}: {detail}")]
    PortalUnexpectedPage {
        /// The page, e.g. `OE4001`.
        page: String,
        /// What was missing or unexpected.
        detail: String,
    },
    /// A page lacks what the site profile expects of it: the portal has changed. Names the page,
    /// the client operation, each missing item and the portal's message, if any, with a short
    /// fingerprint of the page (its form's field names and message texts) to match reports.
    #[error("the portal's page {page} has changed ({operation}): missing {}{}; page fingerprint {fingerprint}", MissingItem::list_en(missing), message.as_ref().map(|m| format!("; the portal said {m:?}")).unwrap_or_default())]
    PortalLayoutChanged {
        /// The page, e.g. `/Pages/OE4001.aspx`.
        page: String,
        /// The client operation, e.g. `send_record`.
        operation: String,
        /// Each item of the profile the page lacks.
        missing: Vec<MissingItem>,
        /// The portal's message on the page, if it shows one.
        message: Option<String>,
        /// The page's fingerprint: 12 hex digits.
        fingerprint: String,
    },
    /// The site profile cannot be used.
    #[error("invalid site profile: {reason}")]
    SiteProfile {
        /// Why.
        reason: String,
    },
    /// A portal URL that is neither HTTPS nor plain HTTP to a loopback address.
    #[error(
        "refusing the insecure portal URL {url}: HTTPS is required (plain HTTP only to loopback)"
    )]
    InsecurePortalUrl {
        /// The URL.
        url: String,
    },
    /// The portal's answer is longer than the configured cap.
    #[error("the portal's answer from {url} is longer than {limit} bytes")]
    PortalResponseTooLarge {
        /// The page requested.
        url: String,
        /// The cap, in bytes.
        limit: usize,
    },
    /// The portal's page nests its elements deeper than the client reads.
    #[error("unreadable portal page {page}: its elements nest deeper than {limit} levels")]
    PortalPageTooDeep {
        /// The page.
        page: String,
        /// The most levels read.
        limit: usize,
    },
    /// The portal's page has more elements than the client reads.
    #[error("unreadable portal page {page}: it has more than {limit} elements")]
    PortalPageTooLarge {
        /// The page.
        page: String,
        /// The most elements read.
        limit: usize,
    },
    /// The portal pointed the client (a form, an image or a redirect) at another site: nothing
    /// was sent there.
    #[error("refusing to send anything to {origin}: it is not one of the configured portal sites")]
    PortalForeignOrigin {
        /// The other site's origin (scheme, host and port).
        origin: String,
    },
    /// The captcha prompt was cancelled.
    #[error("the captcha was not answered")]
    CaptchaCancelled,
    /// The captcha was answered wrongly too many times.
    #[error("the captcha was answered wrongly {attempts} times")]
    CaptchaAttempts {
        /// How many answers were tried.
        attempts: u32,
    },
    /// A state-changing post was sent but its answer was lost or was the login redirect: the
    /// portal may have processed it. It is not posted again blindly.
    #[error("the portal may have processed {post}, but its answer was lost; {}", post.next_en())]
    OutcomeUnknown {
        /// The post whose outcome is unknown.
        post: PortalPost,
    },
    /// Customs rejected the registration record (OE4001 shows it as rejected).
    #[error("Customs rejected registration record {number}{}", reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    RecordRejected {
        /// The record's number.
        number: String,
        /// The portal's reason, when it shows one.
        reason: Option<String>,
    },
    /// OE4001 shows a record status this library does not know; nothing is sent.
    #[error("registration record {number} has a status this library does not know: {label:?}")]
    UnknownRecordStatus {
        /// The record's number.
        number: String,
        /// The status label as the portal shows it.
        label: String,
    },
}

identity_accessors!(PortalError);

impl PortalError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::PortalRefused {
                refusal,
                portal_text,
            } => format!(
                "Cổng thông tin từ chối: {portal_text}{}",
                refusal
                    .hint_vi()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            ),
            Self::PortalUnavailable { url, status } => {
                format!("Cổng thông tin không phục vụ được: HTTP {status} từ {url}")
            }
            Self::PortalMaintenance => "Cổng thông tin đang bảo trì".into(),
            Self::PortalErrorPage { url } => {
                format!("Cổng thông tin báo lỗi hệ thống cho {url}")
            }
            Self::PortalConnection { url, reason } => {
                format!("Không kết nối được tới cổng thông tin {url}: {reason}")
            }
            Self::PortalTimeout { url } => {
                format!("Cổng thông tin không trả lời kịp: {url}")
            }
            Self::PortalSessionExpired => {
                "Phiên làm việc trên cổng thông tin đã hết hạn; cần đăng nhập lại".into()
            }
            Self::PortalUnexpectedPage { page, detail } => {
                format!("Trang {page} của cổng thông tin không như mong đợi: {detail}")
            }
            Self::PortalLayoutChanged {
                page,
                operation,
                missing,
                message,
                fingerprint,
            } => format!(
                "Trang {page} của cổng thông tin đã thay đổi ({operation}): thiếu {}{}; mã nhận dạng trang {fingerprint}",
                MissingItem::list_vi(missing),
                message
                    .as_ref()
                    .map(|m| format!("; cổng thông tin báo \"{m}\""))
                    .unwrap_or_default()
            ),
            Self::SiteProfile { reason } => format!("Cấu hình trang web không hợp lệ: {reason}"),
            Self::InsecurePortalUrl { url } => format!(
                "Không dùng địa chỉ không an toàn {url}: cần HTTPS (HTTP chỉ cho địa chỉ nội bộ)"
            ),
            Self::PortalResponseTooLarge { url, limit } => {
                format!("Trả lời của cổng thông tin từ {url} dài quá {limit} byte")
            }
            Self::PortalPageTooDeep { page, limit } => format!(
                "Không đọc được trang {page} của cổng thông tin: các phần tử lồng nhau quá {limit} cấp"
            ),
            Self::PortalPageTooLarge { page, limit } => {
                format!("Không đọc được trang {page} của cổng thông tin: có hơn {limit} phần tử")
            }
            Self::PortalForeignOrigin { origin } => format!(
                "Không gửi gì tới {origin}: đây không phải trang web của cổng thông tin đã cấu hình"
            ),
            Self::CaptchaCancelled => "Chưa nhập mã xác nhận".into(),
            Self::CaptchaAttempts { attempts } => {
                format!("Đã nhập sai mã xác nhận {attempts} lần")
            }
            Self::OutcomeUnknown { post } => format!(
                "Cổng thông tin có thể đã xử lý {} nhưng câu trả lời bị mất; {}",
                post.describe_vi(),
                post.next_vi()
            ),
            Self::RecordRejected { number, reason } => format!(
                "Hải quan đã từ chối bản khai đăng ký {number}{}",
                reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
            Self::UnknownRecordStatus { number, label } => {
                format!("Bản khai đăng ký {number} có trạng thái chưa biết: \"{label}\"; không gửi")
            }
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::PortalUnavailable { .. } => id(
                5001,
                "portal_unavailable",
                Network,
                true,
                "Try again later: the portal is not serving now.",
                "Thử lại sau: cổng thông tin hiện không phục vụ được.",
            ),
            Self::PortalMaintenance => id(
                5002,
                "portal_maintenance",
                Portal,
                true,
                "Try again after the portal's maintenance.",
                "Thử lại sau khi cổng thông tin bảo trì xong.",
            ),
            Self::PortalErrorPage { .. } => id(
                5003,
                "portal_error_page",
                Portal,
                true,
                "Try again in a few minutes.",
                "Thử lại sau vài phút.",
            ),
            Self::PortalConnection { .. } => id(
                5004,
                "portal_connection",
                Network,
                true,
                "Check the Internet connection and proxy, then try again.",
                "Kiểm tra kết nối Internet và proxy, rồi thử lại.",
            ),
            Self::PortalTimeout { .. } => id(
                5005,
                "portal_timeout",
                Network,
                true,
                "Try again later, or raise the timeout.",
                "Thử lại sau, hoặc tăng thời gian chờ.",
            ),
            Self::PortalSessionExpired => id(
                5006,
                "portal_session_expired",
                Portal,
                true,
                "Run again: the library logs in anew.",
                "Chạy lại: thư viện sẽ đăng nhập lại.",
            ),
            Self::PortalUnexpectedPage { .. } => id(
                5007,
                "portal_unexpected_page",
                Portal,
                false,
                "The portal may have changed: update the site profile or the library.",
                "Cổng thông tin có thể đã thay đổi: cập nhật cấu hình trang web hoặc thư viện.",
            ),
            Self::PortalLayoutChanged { .. } => id(
                5016,
                "portal_layout_changed",
                Portal,
                false,
                "The portal has changed: fix the names listed in the site profile, or send this message with its fingerprint to support.",
                "Cổng thông tin đã thay đổi: sửa các tên được liệt kê trong cấu hình trang web, hoặc gửi thông báo này kèm mã nhận dạng trang cho bộ phận hỗ trợ.",
            ),
            Self::SiteProfile { .. } => id(
                5008,
                "site_profile",
                Portal,
                false,
                "Correct the site profile file as the message says.",
                "Sửa tệp cấu hình trang web theo thông báo.",
            ),
            Self::InsecurePortalUrl { .. } => id(
                5009,
                "insecure_portal_url",
                Portal,
                false,
                "Use the portal's https:// address.",
                "Dùng địa chỉ https:// của cổng thông tin.",
            ),
            Self::PortalResponseTooLarge { .. } => id(
                5010,
                "portal_response_too_large",
                Portal,
                false,
                "Check the portal address; raise the answer size limit only if it is right.",
                "Kiểm tra địa chỉ cổng thông tin; chỉ tăng giới hạn kích thước khi địa chỉ đúng.",
            ),
            Self::PortalPageTooDeep { .. } => id(
                5011,
                "portal_page_too_deep",
                Portal,
                false,
                ODD_PAGE.0,
                ODD_PAGE.1,
            ),
            Self::PortalPageTooLarge { .. } => id(
                5012,
                "portal_page_too_large",
                Portal,
                false,
                ODD_PAGE.0,
                ODD_PAGE.1,
            ),
            Self::PortalForeignOrigin { .. } => id(
                5013,
                "portal_foreign_origin",
                Portal,
                false,
                "Check the portal address and the site profile's sites.",
                "Kiểm tra địa chỉ cổng thông tin và các trang web trong cấu hình.",
            ),
            Self::CaptchaCancelled => id(
                5014,
                "captcha_cancelled",
                Portal,
                false,
                "Run again and type the captcha.",
                "Chạy lại và nhập mã xác nhận.",
            ),
            Self::CaptchaAttempts { .. } => id(
                5015,
                "captcha_attempts",
                Portal,
                true,
                "Run again and type the characters of the captcha image exactly.",
                "Chạy lại và nhập đúng các ký tự trong ảnh mã xác nhận.",
            ),
            Self::PortalRefused { refusal, .. } => {
                let (en, vi) = refusal.next();
                id(refusal.status(), refusal.code(), Portal, false, en, vi)
            }
            Self::OutcomeUnknown { .. } => id(
                6005,
                "outcome_unknown",
                Workflow,
                false,
                "Resume the update: it checks the portal before posting anything again. Never repeat the post by hand.",
                "Tiếp tục cập nhật: thư viện kiểm tra trên cổng trước khi gửi lại. Đừng tự gửi lại.",
            ),
            Self::RecordRejected { .. } => id(
                6006,
                "record_rejected",
                Workflow,
                false,
                "Correct what Customs names, then register again.",
                "Sửa nội dung Hải quan nêu, rồi đăng ký lại.",
            ),
            Self::UnknownRecordStatus { .. } => id(
                6007,
                "unknown_record_status",
                Workflow,
                false,
                "Check the record on OE4001 and update the library.",
                "Kiểm tra bản khai trên OE4001 và cập nhật thư viện.",
            ),
        }
    }
}

//! Exactly once: the state-changing posts of the portal (A.3, B.5, B.6, C.9, D.12, F.14) are
//! sent once and never repeated automatically. An answer that is lost (the connection dropped or
//! timed out after the request went out) or that is the login redirect leaves the outcome
//! unknown: the portal may have processed the post.

use serde::{Deserialize, Serialize};

use super::client::PortalClient;
use super::form::Postback;
use super::page::Page;
use super::profile::PageLocation;
use crate::portal::PortalError;
use crate::{Error, Result};

/// A state-changing post of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortalPost {
    /// A.3 "Đăng ký thông tin": the signed certificate registration.
    RegisterCertificate,
    /// B.5 "Cập nhật thông tin chữ ký số của tài khoản quản trị".
    UpdateAdminCertificate,
    /// B.6 "Xác nhận danh sách người dùng": the signed user list.
    ConfirmUsers,
    /// C.9 "Ghi": a declarant user saved on the new certificate.
    SaveDeclarant,
    /// D.12 "Gửi": the signed send of the registration record.
    SendRecord,
    /// F.14 "Cấp password mới".
    ChangePassword,
}

impl PortalPost {
    /// The post, in English.
    pub fn describe(self) -> &'static str {
        match self {
            Self::RegisterCertificate => "the certificate registration (step A)",
            Self::UpdateAdminCertificate => "the admin account's certificate update (step B)",
            Self::ConfirmUsers => "the user list confirmation (step B)",
            Self::SaveDeclarant => "the declarant user's save (step C)",
            Self::SendRecord => "the signed send of the registration record (step D)",
            Self::ChangePassword => "the new User ID password (step F)",
        }
    }

    /// The post, in Vietnamese.
    pub fn describe_vi(self) -> &'static str {
        match self {
            Self::RegisterCertificate => "việc đăng ký chứng thư số (bước A)",
            Self::UpdateAdminCertificate => {
                "việc cập nhật chữ ký số của tài khoản quản trị (bước B)"
            }
            Self::ConfirmUsers => "việc xác nhận danh sách người dùng (bước B)",
            Self::SaveDeclarant => "việc ghi thông tin người khai hải quan (bước C)",
            Self::SendRecord => "việc gửi bản khai đăng ký đã ký số (bước D)",
            Self::ChangePassword => "việc cấp mật khẩu mới cho User ID (bước F)",
        }
    }

    /// What the user does next, in English.
    pub fn next_en(self) -> &'static str {
        match self {
            Self::ChangePassword => {
                "check it: set the same password again; \"same as the old password\" means it was \
                 set (a new password works 24 hours after it was set)"
            }
            _ => "resume the update to check; it is not posted again blindly",
        }
    }

    /// What the user does next, in Vietnamese.
    pub fn next_vi(self) -> &'static str {
        match self {
            Self::ChangePassword => {
                "hãy kiểm tra bằng cách nhập lại đúng mật khẩu đó; thông báo \"trùng với mật khẩu \
                 cũ\" nghĩa là mật khẩu đã được đặt (mật khẩu mới dùng được sau 24 giờ kể từ khi \
                 đặt)"
            }
            _ => "hãy tiếp tục cập nhật để kiểm tra; thao tác không được gửi lại một cách mù quáng",
        }
    }
}

impl std::fmt::Display for PortalPost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Whether `e`, met in answer to a post, leaves the post's outcome unknown: the login redirect
/// (the session expired around it) or a lost answer (dropped connection, no answer in time).
fn answer_lost(e: &Error) -> bool {
    matches!(
        e,
        Error::Portal(PortalError::PortalSessionExpired)
            | Error::Portal(PortalError::PortalConnection { .. })
            | Error::Portal(PortalError::PortalTimeout { .. })
    )
}

impl PortalClient {
    /// Posts a state-changing postback exactly once. A lost or redirected answer is
    /// [`Error::OutcomeUnknown`]; it is never retried here (nor by the re-login wrappers, which
    /// only ever see it as a failure).
    pub(crate) fn post_once(
        &self,
        what: PortalPost,
        location: &impl PageLocation,
        post: &Postback,
    ) -> Result<Page> {
        self.post(location, post).map_err(|e| {
            if answer_lost(&e) {
                tracing::warn!(post = ?what, code = e.code(), "the answer to a state-changing post was lost");
                Error::OutcomeUnknown { post: what }
            } else {
                e
            }
        })
    }
}

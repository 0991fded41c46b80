//! The state-changing posts of the portal (A.3, B.5, B.6, C.9, D.12, F.14), as errors and
//! the workflow name them.

use serde::{Deserialize, Serialize};

/// A state-changing post of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema, Deserialize)]
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

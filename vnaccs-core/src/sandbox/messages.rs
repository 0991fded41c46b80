//! The portal's texts, exactly as the default site profile has them.

use serde::{Deserialize, Serialize};

/// Which wording the sandbox shows for the messages the guides word in two ways (a scenario
/// setting): the default site profile accepts both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    /// "Cập nhật thông tin chữ ký số thành công. Vui lòng xác nhận danh sách người dùng.",
    /// "Cập nhật tài khoản quản trị thành công", "Đã gửi bản khai cho Hải quan" (seeds 000, 001),
    /// "Mật khẩu trùng với mật khẩu cũ" and "Cấp password mới thành công" (seed 004's text).
    #[default]
    Usual,
    /// "Cập nhật thông tin chữ ký số của tài khoản quản trị thành công" and "Tài khoản được cập
    /// nhật thành công" (seeds 001, 003), "Đã gửi bản khai đến Hải quan" (seed 003), "Mật khẩu
    /// mới không được trùng với mật khẩu cũ." and "Cập nhật mật khẩu thành công." (seed 004's
    /// screenshots).
    Alternative,
}

impl Wording {
    /// Every wording.
    pub const ALL: [Wording; 2] = [Wording::Usual, Wording::Alternative];

    /// The admin account's certificate was checked; the user list waits for confirmation.
    pub(super) fn admin_update(self) -> &'static str {
        match self {
            Self::Usual => {
                "Cập nhật thông tin chữ ký số thành công. Vui lòng xác nhận danh sách người dùng."
            }
            Self::Alternative => "Cập nhật thông tin chữ ký số của tài khoản quản trị thành công",
        }
    }

    /// The user list was confirmed.
    pub(super) fn users_confirmed(self) -> &'static str {
        match self {
            Self::Usual => "Cập nhật tài khoản quản trị thành công",
            Self::Alternative => "Tài khoản được cập nhật thành công",
        }
    }

    /// A record was sent.
    pub(super) fn sent(self) -> &'static str {
        match self {
            Self::Usual => "Đã gửi bản khai cho Hải quan",
            Self::Alternative => "Đã gửi bản khai đến Hải quan",
        }
    }

    /// The password given is the current one.
    pub(super) fn password_same(self) -> &'static str {
        match self {
            Self::Usual => "Mật khẩu trùng với mật khẩu cũ",
            Self::Alternative => "Mật khẩu mới không được trùng với mật khẩu cũ.",
        }
    }

    /// The password was changed.
    pub(super) fn password_changed(self) -> &'static str {
        match self {
            Self::Usual => "Cấp password mới thành công",
            Self::Alternative => "Cập nhật mật khẩu thành công.",
        }
    }
}

/// "Xem thông tin" etc. succeeded: the certificate registration is stored.
pub(super) const REGISTERED: &str = "Cập nhật thành công";
/// A declarant was saved.
pub(super) const DECLARANT_SAVED: &str = "Cập nhật thành công";
/// The forgotten password was sent.
pub(super) const FORGOT_PASSWORD: &str =
    "Mật khẩu mới đã được gửi tới email của tài khoản quản trị";
/// A search found nothing.
pub(super) const NO_RECORDS: &str = "Không tìm thấy bản khai";

/// Wrong captcha answer.
pub(super) const WRONG_CAPTCHA: &str = "Mã xác nhận không đúng";
/// The tax code's shape or check digit is wrong.
pub(super) const INVALID_TAX_CODE: &str = "Mã số thuế không hợp lệ";
/// No such enterprise.
pub(super) const ENTERPRISE_NOT_FOUND: &str = "Không tìm thấy thông tin doanh nghiệp";
/// The ID number is not the representative's.
pub(super) const REPRESENTATIVE_MISMATCH: &str =
    "Số CMT không khớp với người đại diện theo pháp luật của doanh nghiệp";
/// The certificate belongs to another tax code.
pub(super) const CERTIFICATE_TAX_CODE_MISMATCH: &str =
    "Mã số thuế trên chứng thư số không khớp với mã doanh nghiệp";
/// The certificate is expired or not yet valid.
pub(super) const CERTIFICATE_NOT_VALID: &str = "Chứng thư số đã hết hạn hoặc chưa có hiệu lực";
/// The registration dates fall outside the certificate's validity.
pub(super) const DATES_OUTSIDE_VALIDITY: &str =
    "Ngày hiệu lực đăng ký phải nằm trong thời hạn của chứng thư số";
/// The signature does not verify.
pub(super) const BAD_SIGNATURE: &str = "Chữ ký số không hợp lệ";
/// The certificate does not chain to a trusted root.
pub(super) const UNTRUSTED_CERTIFICATE: &str =
    "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực chữ ký số hợp lệ cấp";
/// The certificate was not registered at screen A.
pub(super) const CERTIFICATE_NOT_REGISTERED: &str = "Chứng thư số chưa được đăng ký với Hải quan";
/// No admin account for the tax code.
pub(super) const NO_ADMIN_ACCOUNT: &str = "Tài khoản quản trị chưa được đăng ký";
/// The admin password is wrong.
pub(super) const WRONG_PASSWORD: &str = "Mật khẩu không đúng";
/// Login: wrong tax code or password.
pub(super) const WRONG_LOGIN: &str = "Mã số thuế hoặc mật khẩu không đúng";
/// The confirmation differs from the password.
pub(super) const CONFIRMATION_MISMATCH: &str = "Mật khẩu xác nhận không khớp";
/// The email is not the admin account's.
pub(super) const EMAIL_MISMATCH: &str = "Email không khớp với tài khoản quản trị";
/// No such declarant row.
pub(super) const DECLARANT_NOT_FOUND: &str = "Không tìm thấy người khai hải quan";
/// The office code is malformed or unknown.
pub(super) const OFFICE_REFUSED: &str = "Mã Hải quan không hợp lệ";
/// The record was sent already.
pub(super) const ALREADY_SENT: &str = "Bản khai đã được gửi";
/// The record is not in data entry.
pub(super) const WRONG_STATUS: &str = "Bản khai không ở trạng thái Đang nhập liệu";
/// The User ID password breaks the policy.
pub(super) const PASSWORD_POLICY: &str =
    "Mật khẩu chỉ gồm chữ cái A-Z và chữ số 0-9, tối đa 8 ký tự";
/// No such User ID.
pub(super) const UNKNOWN_USER_ID: &str = "User ID không tồn tại";
/// A field is missing or malformed.
pub(super) const INVALID_INPUT: &str = "Dữ liệu không hợp lệ";

/// The error page's text.
pub(super) const ERROR_TEXT: &str = "Đã có lỗi xảy ra. Vui lòng thử lại sau.";
/// The maintenance page's text.
pub(super) const MAINTENANCE_TEXT: &str = "Hệ thống đang bảo trì";
/// The login page's text after a session expired.
pub(super) const SESSION_EXPIRED: &str = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.";

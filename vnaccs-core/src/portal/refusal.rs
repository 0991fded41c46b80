//! The refusals the portal shows as messages, each with a stable code and an English text.

use serde::{Deserialize, Serialize};

macro_rules! refusals {
    ($($variant:ident = $code:literal, $status:literal, $en:literal;)*) => {
        /// A refusal the portal showed, named by the site profile's `[messages.refusals]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum PortalRefusal {
            $(
                #[doc = $en]
                $variant,
            )*
        }

        impl PortalRefusal {
            /// Every refusal.
            pub const ALL: &'static [PortalRefusal] = &[$(Self::$variant),*];

            /// The stable machine code, the snake_case name the site profile uses.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }

            /// The stable numeric status of the error this refusal gives (51xx; never reused).
            pub fn status(self) -> i32 {
                match self {
                    $(Self::$variant => $status,)*
                }
            }

            /// What the refusal means, in English.
            pub fn en(self) -> &'static str {
                match self {
                    $(Self::$variant => $en,)*
                }
            }
        }
    };
}

impl PortalRefusal {
    /// What the user can do about the refusal, in English, when there is something to say.
    pub fn hint_en(self) -> Option<&'static str> {
        match self {
            Self::WrongPassword => Some(
                "if the admin password is forgotten, use \"Quên mật khẩu\" (vnaccs forgot-password) to have a new one mailed",
            ),
            _ => None,
        }
    }

    /// What the user can do about the refusal, in Vietnamese, when there is something to say.
    pub fn hint_vi(self) -> Option<&'static str> {
        match self {
            Self::WrongPassword => Some(
                "nếu quên mật khẩu tài khoản quản trị, hãy dùng chức năng \"Quên mật khẩu\" (vnaccs forgot-password) để nhận mật khẩu mới qua email",
            ),
            _ => None,
        }
    }
}

impl PortalRefusal {
    /// What the user should do next, in English and in Vietnamese (the hint of the error).
    pub fn next(self) -> (&'static str, &'static str) {
        match self {
            Self::WrongCaptcha => (
                "Run again and type the characters of the new captcha image exactly.",
                "Chạy lại và nhập đúng các ký tự trong ảnh mã xác nhận mới.",
            ),
            Self::InvalidTaxCode | Self::EnterpriseNotFound => (
                "Check the enterprise's tax code against its business registration.",
                "Kiểm tra mã số thuế của doanh nghiệp theo giấy đăng ký kinh doanh.",
            ),
            Self::RepresentativeMismatch => (
                "Give the ID number of the legal representative Customs has on record.",
                "Nhập số giấy tờ tùy thân của người đại diện theo pháp luật mà Hải quan đang lưu.",
            ),
            Self::CertificateTaxCodeMismatch => (
                "Use a certificate issued for the enterprise's own tax code.",
                "Dùng chứng thư số cấp cho chính mã số thuế của doanh nghiệp.",
            ),
            Self::CertificateNotValid | Self::DatesOutsideValidity => (
                "Use a certificate that is valid today, with dates inside its validity.",
                "Dùng chứng thư số còn hiệu lực hôm nay, với ngày nằm trong thời hạn hiệu lực.",
            ),
            Self::BadSignature => (
                "Sign again with the certificate's own key; check the token holds the right key.",
                "Ký lại bằng khóa của chính chứng thư số; kiểm tra token có đúng khóa.",
            ),
            Self::UntrustedCertificate => (
                "Use a certificate from a licensed certification authority.",
                "Dùng chứng thư số do tổ chức cung cấp dịch vụ chứng thực được cấp phép cấp.",
            ),
            Self::CertificateNotRegistered => (
                "Register the certificate first (step A), then run again.",
                "Đăng ký chứng thư số trước (bước A), rồi chạy lại.",
            ),
            Self::NoAdminAccount => (
                "Register the enterprise's admin account with Customs first.",
                "Đăng ký tài khoản quản trị của doanh nghiệp với Hải quan trước.",
            ),
            Self::WrongPassword => (
                "Check the admin password; if it is forgotten, use \"Quên mật khẩu\" (vnaccs forgot-password).",
                "Kiểm tra mật khẩu quản trị; nếu quên, dùng chức năng \"Quên mật khẩu\" (vnaccs forgot-password).",
            ),
            Self::ConfirmationMismatch => (
                "Type the same new password twice.",
                "Nhập cùng một mật khẩu mới hai lần.",
            ),
            Self::EmailMismatch => (
                "Give the email address registered with the admin account.",
                "Nhập địa chỉ email đã đăng ký với tài khoản quản trị.",
            ),
            Self::DeclarantNotFound | Self::UnknownUserId => (
                "Check the User ID against the enterprise's list of declarant users.",
                "Kiểm tra User ID theo danh sách người khai hải quan của doanh nghiệp.",
            ),
            Self::OfficeRefused => (
                "Check the customs office code.",
                "Kiểm tra mã cục Hải quan.",
            ),
            Self::AlreadySent | Self::WrongStatus => (
                "Look up the registration's result instead of sending it again.",
                "Tra cứu kết quả đăng ký thay vì gửi lại.",
            ),
            Self::PasswordPolicy => (
                "Choose a password of 1 to 8 characters A-Z and 0-9.",
                "Chọn mật khẩu từ 1 đến 8 ký tự A-Z và 0-9.",
            ),
            Self::InvalidInput => (
                "Check the data the portal's message names, then run again.",
                "Kiểm tra dữ liệu mà thông báo của cổng thông tin nêu, rồi chạy lại.",
            ),
        }
    }
}

impl std::fmt::Display for PortalRefusal {
    /// The English text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

refusals! {
    WrongCaptcha = "wrong_captcha", 5101, "The captcha answer is wrong.";
    InvalidTaxCode = "invalid_tax_code", 5102, "The tax code is not valid.";
    EnterpriseNotFound = "enterprise_not_found", 5103, "The enterprise is not known to Customs.";
    RepresentativeMismatch = "representative_mismatch", 5104,
        "The ID number is not the enterprise's legal representative's.";
    CertificateTaxCodeMismatch = "certificate_tax_code_mismatch", 5105,
        "The tax code in the certificate does not match the enterprise's.";
    CertificateNotValid = "certificate_not_valid", 5106,
        "The certificate has expired or is not yet valid.";
    DatesOutsideValidity = "dates_outside_validity", 5107,
        "The registration dates must lie within the certificate's validity.";
    BadSignature = "bad_signature", 5108, "The digital signature is not valid.";
    UntrustedCertificate = "untrusted_certificate", 5109,
        "The certificate was not issued by a licensed certification authority.";
    CertificateNotRegistered = "certificate_not_registered", 5110,
        "The certificate is not registered with Customs.";
    NoAdminAccount = "no_admin_account", 5111, "No admin account is registered for this tax code.";
    WrongPassword = "wrong_password", 5112, "The tax code or password is wrong.";
    ConfirmationMismatch = "confirmation_mismatch", 5113,
        "The password confirmation does not match.";
    EmailMismatch = "email_mismatch", 5114, "The email does not match the admin account's.";
    DeclarantNotFound = "declarant_not_found", 5115, "The declarant user was not found.";
    OfficeRefused = "office_refused", 5116, "The customs office code is not valid.";
    AlreadySent = "already_sent", 5117, "The registration record has already been sent.";
    WrongStatus = "wrong_status", 5118, "The registration record is not in data entry.";
    PasswordPolicy = "password_policy", 5119,
        "The password must be 1 to 8 characters A-Z and 0-9.";
    UnknownUserId = "unknown_user_id", 5120, "The User ID does not exist.";
    InvalidInput = "invalid_input", 5121, "The data entered is not valid.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_deserialise() {
        let mut codes: Vec<_> = PortalRefusal::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), PortalRefusal::ALL.len());
        for r in PortalRefusal::ALL {
            let back: PortalRefusal = serde_json::from_str(&format!("\"{}\"", r.code())).unwrap();
            assert_eq!(back, *r);
            assert_eq!(
                serde_json::to_string(r).unwrap(),
                format!("\"{}\"", r.code())
            );
            assert_eq!(r.to_string(), r.en());
        }
    }
}

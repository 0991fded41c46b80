//! The refusals the portal shows as messages, each with a stable code and an English text.

use serde::{Deserialize, Serialize};

macro_rules! refusals {
    ($($variant:ident = $code:literal, $en:literal;)*) => {
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

impl std::fmt::Display for PortalRefusal {
    /// The English text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.en())
    }
}

refusals! {
    WrongCaptcha = "wrong_captcha", "The captcha answer is wrong.";
    InvalidTaxCode = "invalid_tax_code", "The tax code is not valid.";
    EnterpriseNotFound = "enterprise_not_found", "The enterprise is not known to Customs.";
    RepresentativeMismatch = "representative_mismatch",
        "The ID number is not the enterprise's legal representative's.";
    CertificateTaxCodeMismatch = "certificate_tax_code_mismatch",
        "The tax code in the certificate does not match the enterprise's.";
    CertificateNotValid = "certificate_not_valid",
        "The certificate has expired or is not yet valid.";
    DatesOutsideValidity = "dates_outside_validity",
        "The registration dates must lie within the certificate's validity.";
    BadSignature = "bad_signature", "The digital signature is not valid.";
    UntrustedCertificate = "untrusted_certificate",
        "The certificate was not issued by a licensed certification authority.";
    CertificateNotRegistered = "certificate_not_registered",
        "The certificate is not registered with Customs.";
    NoAdminAccount = "no_admin_account", "No admin account is registered for this tax code.";
    WrongPassword = "wrong_password", "The tax code or password is wrong.";
    ConfirmationMismatch = "confirmation_mismatch",
        "The password confirmation does not match.";
    EmailMismatch = "email_mismatch", "The email does not match the admin account's.";
    DeclarantNotFound = "declarant_not_found", "The declarant user was not found.";
    OfficeRefused = "office_refused", "The customs office code is not valid.";
    AlreadySent = "already_sent", "The registration record has already been sent.";
    WrongStatus = "wrong_status", "The registration record is not in data entry.";
    PasswordPolicy = "password_policy",
        "The password must be 1 to 8 characters A-Z and 0-9.";
    UnknownUserId = "unknown_user_id", "The User ID does not exist.";
    InvalidInput = "invalid_input", "The data entered is not valid.";
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

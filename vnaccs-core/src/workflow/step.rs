//! The steps of the certificate update (docs/domain.md §4, screens A to F).

use serde::{Deserialize, Serialize};

/// One step of the update, as the workflow runs, records and reports it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    schemars::JsonSchema,
    Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A: register the enterprise's new certificate with Customs (captcha, signature).
    RegisterCertificate,
    /// B: move the VNACCS admin account to the new certificate and confirm its user list.
    UpdateAdminAccount,
    /// C: point each declarant user at the new certificate (OE2102).
    UpdateDeclarants,
    /// D: send the registration record to Customs (OE4001, signed).
    SendRegistration,
    /// E: read the issued User IDs and terminals once Customs approved (OE4002).
    FetchResult,
    /// F: set a User ID's password.
    ChangePassword,
}

impl Step {
    /// The steps [`run`](super::CertificateUpdate::run) performs, in order.
    pub const RUN: [Step; 4] = [
        Step::RegisterCertificate,
        Step::UpdateAdminAccount,
        Step::UpdateDeclarants,
        Step::SendRegistration,
    ];

    /// The step's letter in docs/domain.md §4: `A` to `F`.
    pub fn letter(self) -> char {
        match self {
            Self::RegisterCertificate => 'A',
            Self::UpdateAdminAccount => 'B',
            Self::UpdateDeclarants => 'C',
            Self::SendRegistration => 'D',
            Self::FetchResult => 'E',
            Self::ChangePassword => 'F',
        }
    }

    /// The step's snake_case name, as serialised and in tracing spans.
    pub fn name(self) -> &'static str {
        match self {
            Self::RegisterCertificate => "register_certificate",
            Self::UpdateAdminAccount => "update_admin_account",
            Self::UpdateDeclarants => "update_declarants",
            Self::SendRegistration => "send_registration",
            Self::FetchResult => "fetch_result",
            Self::ChangePassword => "change_password",
        }
    }

    /// What the step does, in English.
    pub fn describe_en(self) -> &'static str {
        match self {
            Self::RegisterCertificate => "register the certificate with Customs",
            Self::UpdateAdminAccount => "update the VNACCS admin account",
            Self::UpdateDeclarants => "point the declarant users at the new certificate",
            Self::SendRegistration => "send the registration to Customs",
            Self::FetchResult => "read the registration result",
            Self::ChangePassword => "set the User ID password",
        }
    }

    /// Whether the step is one of the update's (A–D), which `resume` repeats; E and F are run
    /// on their own.
    pub fn is_resumable(self) -> bool {
        Self::RUN.contains(&self)
    }

    /// What the step does, in Vietnamese.
    pub fn describe_vi(self) -> &'static str {
        match self {
            Self::RegisterCertificate => "đăng ký chứng thư số với Hải quan",
            Self::UpdateAdminAccount => "cập nhật tài khoản quản trị VNACCS",
            Self::UpdateDeclarants => "cập nhật chữ ký số cho người khai hải quan",
            Self::SendRegistration => "gửi bản khai đăng ký cho Hải quan",
            Self::FetchResult => "tra cứu kết quả đăng ký",
            Self::ChangePassword => "cấp mật khẩu cho User ID",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.letter(), self.describe_en())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialised_ones() {
        for step in Step::RUN
            .into_iter()
            .chain([Step::FetchResult, Step::ChangePassword])
        {
            let json = serde_json::to_string(&step).unwrap();
            assert_eq!(json, format!("\"{}\"", step.name()));
            assert_eq!(serde_json::from_str::<Step>(&json).unwrap(), step);
        }
        assert_eq!(
            Step::SendRegistration.to_string(),
            "D (send the registration to Customs)"
        );
        assert!(Step::RUN.windows(2).all(|w| w[0] < w[1]));
    }
}

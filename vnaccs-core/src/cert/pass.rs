//! Why a certificate was passed over when choosing the one to register.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ids::{CertificateSerial, TaxCode};

/// Why a certificate was passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PassReason {
    /// It has expired.
    Expired {
        /// When.
        ended: DateTime<Utc>,
    },
    /// It is not valid yet.
    NotYetValid {
        /// From when it will be.
        starts: DateTime<Utc>,
    },
    /// It belongs to another tax code.
    OtherTaxCode {
        /// Its tax code.
        found: TaxCode,
    },
    /// Its MST value is not a valid tax code.
    InvalidTaxCode {
        /// The value as written.
        raw: String,
    },
    /// It has no tax code (a personal certificate).
    NoTaxCode,
    /// Its key usage does not allow signing.
    NotForSigning,
    /// It is a CA certificate.
    CaCertificate,
    /// Another usable certificate lasts longer.
    Superseded {
        /// The serial of the one chosen.
        by: CertificateSerial,
    },
}

impl PassReason {
    /// The reason in English.
    pub fn en(&self) -> String {
        match self {
            Self::Expired { ended } => format!("expired at {ended}"),
            Self::NotYetValid { starts } => format!("not valid yet (from {starts})"),
            Self::OtherTaxCode { found } => format!("another tax code ({found})"),
            Self::InvalidTaxCode { raw } => format!("its tax code {raw:?} is not valid"),
            Self::NoTaxCode => "no tax code (a personal certificate)".into(),
            Self::NotForSigning => "its key usage does not allow signing".into(),
            Self::CaCertificate => "a CA certificate".into(),
            Self::Superseded { by } => format!("superseded by {by}"),
        }
    }

    /// The reason in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Self::Expired { ended } => format!("đã hết hạn lúc {ended}"),
            Self::NotYetValid { starts } => format!("chưa có hiệu lực (từ {starts})"),
            Self::OtherTaxCode { found } => format!("thuộc mã số thuế khác ({found})"),
            Self::InvalidTaxCode { raw } => {
                format!("mã số thuế {raw:?} trong chứng thư không hợp lệ")
            }
            Self::NoTaxCode => "không có mã số thuế (chứng thư cá nhân)".into(),
            Self::NotForSigning => "mục đích sử dụng khóa không cho phép ký".into(),
            Self::CaCertificate => "là chứng thư của tổ chức chứng thực".into(),
            Self::Superseded { by } => format!("đã có chứng thư mới hơn {by}"),
        }
    }
}

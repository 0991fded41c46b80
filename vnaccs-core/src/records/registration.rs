//! The enterprise's certificate registration and the registration record sent to Customs.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode};

/// A short reference to a certificate: its serial and what the portal shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CertificateRef {
    /// The serial, upper-case hex.
    pub serial: CertificateSerial,
    /// The subject, as text.
    pub subject: String,
    /// The issuer, as text.
    pub issuer: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
}

impl From<&crate::cert::Certificate> for CertificateRef {
    /// The reference of `certificate`: its serial, subject, issuer and validity.
    fn from(certificate: &crate::cert::Certificate) -> Self {
        CertificateRef {
            serial: certificate.serial().clone(),
            subject: certificate.subject().to_string(),
            issuer: certificate.issuer().to_string(),
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
        }
    }
}

/// The registration of an enterprise's certificate with Customs (screen A of docs/domain.md §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct CertificateRegistration {
    /// Mã doanh nghiệp.
    pub tax_code: TaxCode,
    /// Số CMT of the legal representative.
    pub representative_id: PersonalId,
    /// The certificate registered.
    pub certificate: CertificateRef,
    /// Ngày hiệu lực đăng ký: today, or the default the portal shows.
    pub valid_from: NaiveDate,
    /// Ngày hết hiệu lực đăng ký: the certificate's expiry date.
    pub valid_to: NaiveDate,
}

/// The kind of a registration record (bản khai đăng ký).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationKind {
    /// Đăng ký mới.
    New,
    /// Sửa sau phê duyệt.
    AmendmentAfterApproval,
}

impl RegistrationKind {
    /// Every kind, in the portal's order.
    pub const ALL: [RegistrationKind; 2] = [Self::New, Self::AmendmentAfterApproval];

    /// The portal's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "Đăng ký mới",
            Self::AmendmentAfterApproval => "Sửa sau phê duyệt",
        }
    }

    /// The kind the portal's label names.
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.label() == label.trim())
    }
}

/// The status (Trạng thái) of a registration record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Đang nhập liệu: being filled in, can be sent.
    DataEntry,
    /// Đã gửi: sent, waiting for Customs.
    Sent,
    /// Đã phê duyệt: approved by Customs.
    Approved,
    /// Từ chối: rejected by Customs.
    Rejected,
}

impl RegistrationStatus {
    /// Every status, in the order a record moves through them.
    pub const ALL: [RegistrationStatus; 4] =
        [Self::DataEntry, Self::Sent, Self::Approved, Self::Rejected];

    /// The portal's label. Only "Đang nhập liệu" is named in the public guides; the others are our
    /// model (docs/domain.md §2).
    pub fn label(self) -> &'static str {
        match self {
            Self::DataEntry => "Đang nhập liệu",
            Self::Sent => "Đã gửi",
            Self::Approved => "Đã phê duyệt",
            Self::Rejected => "Từ chối",
        }
    }

    /// The status the portal's label names.
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.label() == label.trim())
    }

    /// Whether a record may move from this status to `next`: data entry → sent → approved or
    /// rejected, and nothing else.
    pub fn can_move_to(self, next: RegistrationStatus) -> bool {
        matches!(
            (self, next),
            (Self::DataEntry, Self::Sent) | (Self::Sent, Self::Approved | Self::Rejected)
        )
    }
}

/// A registration record as OE4001 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct RegistrationRecord {
    /// The portal's record number.
    pub number: String,
    /// The enterprise's tax code.
    pub tax_code: TaxCode,
    /// New registration or amendment after approval.
    pub kind: RegistrationKind,
    /// Where the record stands.
    pub status: RegistrationStatus,
    /// When it was sent, once sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// The customs office it was sent to, once sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<CustomsOfficeCode>,
    /// Why Customs rejected it, when the portal shows a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The send dialog of OE4001 (screen D.12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct SendForm {
    /// Tên người gửi.
    pub sender_name: String,
    /// The sender's email.
    pub sender_email: Email,
    /// Gửi tới Hải quan nơi đăng ký: Mã cục HQ.
    pub office: CustomsOfficeCode,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    #[test]
    fn a_certificate_ref_is_made_from_a_certificate() {
        let (_, set) = crate::fixtures::test_pki();
        let certificate = crate::cert::Certificate::from_der(&set.enterprise_new.der).unwrap();
        let reference = CertificateRef::from(&certificate);
        assert_eq!(&reference.serial, certificate.serial());
        assert_eq!(reference.subject, certificate.subject().to_string());
        assert_eq!(reference.issuer, certificate.issuer().to_string());
        assert_ne!(reference.subject, reference.issuer);
        assert_eq!(reference.not_before, certificate.not_before());
        assert_eq!(reference.not_after, certificate.not_after());
    }

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) -> String {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), v);
        json
    }

    #[test]
    fn certificate_registration_round_trip() {
        let r = CertificateRegistration {
            tax_code: "0106869738-012".parse().unwrap(),
            representative_id: "001085012345".parse().unwrap(),
            certificate: CertificateRef {
                serial: "5404287E6CC0BC4DA008B43C710C0D5A".parse().unwrap(),
                subject: "CN=CÔNG TY CỔ PHẦN ABC, UID=MST:0106869738-012".into(),
                issuer: "CN=VNPT Certification Authority".into(),
                not_before: "2026-11-01T00:00:00Z".parse().unwrap(),
                not_after: "2029-11-01T00:00:00Z".parse().unwrap(),
            },
            valid_from: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            valid_to: NaiveDate::from_ymd_opt(2029, 11, 1).unwrap(),
        };
        let json = round_trip(&r);
        assert!(json.contains(r#""valid_from":"2026-11-22""#), "{json}");
    }

    #[test]
    fn record_and_send_form_round_trip() {
        let mut rec = RegistrationRecord {
            number: "100000001".into(),
            tax_code: "0100112437".parse().unwrap(),
            kind: RegistrationKind::AmendmentAfterApproval,
            status: RegistrationStatus::DataEntry,
            sent_at: None,
            office: None,
            reason: None,
        };
        let json = round_trip(&rec);
        assert!(json.contains(r#""kind":"amendment_after_approval""#));
        assert!(json.contains(r#""status":"data_entry""#));
        rec.status = RegistrationStatus::Sent;
        rec.sent_at = Some("2026-11-22T03:00:00Z".parse().unwrap());
        rec.office = Some("01B1".parse().unwrap());
        round_trip(&rec);
        round_trip(&SendForm {
            sender_name: "Trần Thị Bình".into(),
            sender_email: "binh@congty.vn".parse().unwrap(),
            office: "02CI".parse().unwrap(),
        });
        let bad = r#"{"sender_name":"A","sender_email":"a@b.vn","office":"2CI"}"#;
        assert!(serde_json::from_str::<SendForm>(bad).is_err());
    }

    #[test]
    fn labels_are_the_portals() {
        assert_eq!(RegistrationStatus::DataEntry.label(), "Đang nhập liệu");
        assert_eq!(RegistrationKind::New.label(), "Đăng ký mới");
        for s in RegistrationStatus::ALL {
            assert_eq!(RegistrationStatus::from_label(s.label()), Some(s));
        }
        for k in RegistrationKind::ALL {
            assert_eq!(
                RegistrationKind::from_label(&format!("  {} ", k.label())),
                Some(k)
            );
        }
        assert_eq!(RegistrationStatus::from_label("Đang nhập"), None);
    }

    #[test]
    fn status_moves_forward_only() {
        use RegistrationStatus::*;
        let allowed = [(DataEntry, Sent), (Sent, Approved), (Sent, Rejected)];
        for from in RegistrationStatus::ALL {
            for to in RegistrationStatus::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }
}

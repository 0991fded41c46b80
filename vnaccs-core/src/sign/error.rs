//! The errors of keys, key files and signatures (statuses 4xxx).

use crate::error::identity::{Category::*, Identity, id, identity_accessors};

/// An error of a key, a key file or a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The key cannot sign as asked: an algorithm or mechanism the key or token lacks.
    #[error("the key cannot be used: {detail}")]
    UnsupportedKey {
        /// What is missing.
        detail: String,
    },
    /// A key file (PKCS#12, PEM) that cannot be read or decoded.
    #[error("cannot read the key file: {reason}")]
    KeyFile {
        /// Why.
        reason: String,
    },
    /// The key file's password is wrong (or missing for an encrypted key).
    #[error("wrong or missing password for the key file")]
    KeyFilePassword,
    /// The private key does not belong to the certificate.
    #[error("the private key does not belong to the certificate")]
    KeyCertificateMismatch,
    /// Making a signature failed.
    #[error("signing failed: {reason}")]
    SigningFailed {
        /// Why.
        reason: String,
    },
    /// The data is not a detached CMS SignedData.
    #[error("not a detached CMS signature: {reason}")]
    NotCms {
        /// Why.
        reason: String,
    },
    /// The CMS signature was made over other content.
    #[error("the signature was made over other content")]
    CmsContentMismatch,
    /// The CMS signature was not made by the expected certificate.
    #[error("the signature was not made by the expected certificate")]
    CmsWrongSigner,
    /// The signature value does not verify with the certificate's public key.
    #[error("the signature does not verify")]
    BadSignature,
    /// An algorithm this library does not support.
    #[error("unsupported algorithm: {algorithm}")]
    UnsupportedAlgorithm {
        /// The algorithm (name or OID).
        algorithm: String,
    },
}

identity_accessors!(SignError);

impl SignError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::UnsupportedKey { detail } => format!("Không dùng được khóa: {detail}"),
            Self::KeyFile { reason } => format!("Không đọc được tệp khóa: {reason}"),
            Self::KeyFilePassword => "Mật khẩu tệp khóa sai hoặc chưa nhập".into(),
            Self::KeyCertificateMismatch => "Khóa bí mật không thuộc về chứng thư số".into(),
            Self::SigningFailed { reason } => format!("Ký số không thành công: {reason}"),
            Self::NotCms { reason } => format!("Không phải chữ ký CMS tách rời: {reason}"),
            Self::CmsContentMismatch => "Chữ ký được tạo trên nội dung khác".into(),
            Self::CmsWrongSigner => "Chữ ký không do chứng thư số mong đợi tạo ra".into(),
            Self::BadSignature => "Chữ ký không hợp lệ".into(),
            Self::UnsupportedAlgorithm { algorithm } => {
                format!("Thuật toán không được hỗ trợ: {algorithm}")
            }
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::UnsupportedKey { .. } => id(
                4001,
                "unsupported_key",
                Signing,
                false,
                "Use an RSA or ECDSA P-256/P-384 key that can sign.",
                "Dùng khóa RSA hoặc ECDSA P-256/P-384 có quyền ký.",
            ),
            Self::KeyFile { .. } => id(
                4002,
                "key_file",
                Signing,
                false,
                "Give a PKCS#12 (.pfx/.p12) or PEM key file.",
                "Cung cấp tệp khóa PKCS#12 (.pfx/.p12) hoặc PEM.",
            ),
            Self::KeyFilePassword => id(
                4003,
                "key_file_password",
                Signing,
                false,
                "Give the key file's password.",
                "Nhập đúng mật khẩu của tệp khóa.",
            ),
            Self::KeyCertificateMismatch => id(
                4004,
                "key_certificate_mismatch",
                Signing,
                false,
                "Give the private key that goes with the certificate.",
                "Cung cấp khóa bí mật đi cùng chứng thư số.",
            ),
            Self::SigningFailed { .. } => id(
                4005,
                "signing_failed",
                Signing,
                false,
                "Check the token or key file, then run again.",
                "Kiểm tra token hoặc tệp khóa, rồi chạy lại.",
            ),
            Self::NotCms { .. } => id(
                4006,
                "not_cms",
                Signing,
                false,
                "Give a detached CMS (PKCS#7) signature.",
                "Cung cấp chữ ký CMS (PKCS#7) tách rời.",
            ),
            Self::CmsContentMismatch => id(
                4007,
                "cms_content_mismatch",
                Signing,
                false,
                "Verify the signature against the content it was made over.",
                "Kiểm tra chữ ký với đúng nội dung đã được ký.",
            ),
            Self::CmsWrongSigner => id(
                4008,
                "cms_wrong_signer",
                Signing,
                false,
                "Sign with the expected certificate's key.",
                "Ký bằng khóa của chứng thư số mong đợi.",
            ),
            Self::BadSignature => id(
                4009,
                "bad_signature",
                Signing,
                false,
                "Check that the key belongs to the certificate, then sign again.",
                "Kiểm tra khóa thuộc về chứng thư số, rồi ký lại.",
            ),
            Self::UnsupportedAlgorithm { .. } => id(
                4010,
                "unsupported_algorithm",
                Signing,
                false,
                "Use RSA or ECDSA with SHA-1 or SHA-2.",
                "Dùng RSA hoặc ECDSA với SHA-1 hoặc SHA-2.",
            ),
        }
    }
}

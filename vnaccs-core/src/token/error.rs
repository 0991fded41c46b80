//! The errors of PKCS#11 tokens, their modules and their PIN (statuses 3xxx).

use crate::error::identity::{Category::*, Identity, id, identity_accessors};

/// An error of a PKCS#11 token, its module or its PIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// No PKCS#11 module was given and none was found in the usual places.
    #[error("no PKCS#11 module found (looked in {looked_in})")]
    Pkcs11ModuleNotFound {
        /// The folders searched.
        looked_in: String,
    },
    /// A PKCS#11 module could not be loaded or initialised.
    #[error("cannot load the PKCS#11 module {path}: {reason}")]
    Pkcs11ModuleLoad {
        /// The module's path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The token was pulled out, or its session lost, during the operation.
    #[error("the token was removed or is not present (during {function})")]
    TokenRemoved {
        /// The PKCS#11 function that noticed, e.g. `Sign`.
        function: String,
    },
    /// A PKCS#11 function failed for another reason.
    #[error("PKCS#11 {function} failed: {code}")]
    Pkcs11 {
        /// The PKCS#11 function, e.g. `Sign`.
        function: String,
        /// The PKCS#11 return value, e.g. `FunctionFailed`.
        code: String,
    },
    /// A token, certificate or private key that was asked for is not there.
    #[error("not found on the token: {what}")]
    TokenObjectNotFound {
        /// What was looked for.
        what: String,
    },
    /// The token's user PIN is locked: no try is left.
    #[error("the user PIN of token {token:?} is locked")]
    PinLocked {
        /// The token's label.
        token: String,
    },
    /// Only one PIN try is left and the caller did not allow using it.
    #[error("only one PIN try is left on token {token:?}; not trying it without permission")]
    PinFinalTry {
        /// The token's label.
        token: String,
    },
    /// The PIN was wrong. The PIN itself is never included.
    #[error("wrong PIN for token {token:?}{}", tries_left.en())]
    PinIncorrect {
        /// The token's label.
        token: String,
        /// What the token says about the tries left after this one.
        tries_left: PinTries,
    },
    /// No PIN was given: the PIN prompt was cancelled.
    #[error("no PIN was given for token {token:?}")]
    PinCancelled {
        /// The token's label.
        token: String,
    },
}

identity_accessors!(TokenError);

impl TokenError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::Pkcs11ModuleNotFound { looked_in } => {
                format!("Không tìm thấy thư viện PKCS#11 của token (đã tìm trong {looked_in})")
            }
            Self::Pkcs11ModuleLoad { path, reason } => {
                format!("Không nạp được thư viện PKCS#11 {path}: {reason}")
            }
            Self::TokenRemoved { function } => {
                format!("Token USB đã bị rút ra hoặc không có mặt (khi {function})")
            }
            Self::Pkcs11 { function, code } => format!("Lỗi PKCS#11 {function}: {code}"),
            Self::TokenObjectNotFound { what } => format!("Không tìm thấy trên token: {what}"),
            Self::PinLocked { token } => format!("Mã PIN của token {token:?} đã bị khóa"),
            Self::PinFinalTry { token } => format!(
                "Token {token:?} chỉ còn một lần nhập PIN; không thử khi chưa được cho phép"
            ),
            Self::PinIncorrect { token, tries_left } => {
                format!("Sai mã PIN của token {token:?}{}", tries_left.vi())
            }
            Self::PinCancelled { token } => format!("Chưa nhập mã PIN cho token {token:?}"),
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::Pkcs11ModuleNotFound { .. } => id(
                3001,
                "token_module_not_found",
                Token,
                false,
                "Install the token's driver, or give its PKCS#11 module's path.",
                "Cài trình điều khiển của token, hoặc nhập đường dẫn thư viện PKCS#11.",
            ),
            Self::Pkcs11ModuleLoad { .. } => id(
                3002,
                "token_module_load",
                Token,
                false,
                "Reinstall the token's driver; use the module built for this system (32/64-bit).",
                "Cài lại trình điều khiển token; dùng thư viện đúng với hệ điều hành (32/64-bit).",
            ),
            Self::TokenRemoved { .. } => id(
                3003,
                "token_removed",
                Token,
                true,
                "Insert the token again, then run again.",
                "Cắm lại token, rồi chạy lại.",
            ),
            Self::Pkcs11 { .. } => id(
                3004,
                "token_failure",
                Token,
                false,
                "Reinsert the token; if it persists, check it with its vendor's tool.",
                "Cắm lại token; nếu vẫn lỗi, kiểm tra token bằng phần mềm của nhà cung cấp.",
            ),
            Self::TokenObjectNotFound { .. } => id(
                3005,
                "token_object_not_found",
                Token,
                false,
                "Check that the right token is inserted (run `vnaccs tokens`).",
                "Kiểm tra đã cắm đúng token (chạy `vnaccs tokens`).",
            ),
            Self::PinLocked { .. } => id(
                3101,
                "pin_locked",
                Pin,
                false,
                "Have the token's PIN unlocked by its certification authority.",
                "Liên hệ tổ chức chứng thực để mở khóa mã PIN của token.",
            ),
            Self::PinFinalTry { .. } => id(
                3102,
                "pin_final_try",
                Pin,
                false,
                "Make sure of the PIN, then allow the last try explicitly.",
                "Hãy chắc chắn mã PIN đúng, rồi cho phép rõ ràng lần thử cuối.",
            ),
            Self::PinIncorrect { .. } => id(
                3103,
                "pin_incorrect",
                Pin,
                false,
                "Check the PIN before trying again: each wrong try brings the lock closer.",
                "Kiểm tra mã PIN trước khi thử lại: mỗi lần sai làm token gần bị khóa hơn.",
            ),
            Self::PinCancelled { .. } => id(
                3104,
                "pin_cancelled",
                Pin,
                false,
                "Run again and enter the token's PIN.",
                "Chạy lại và nhập mã PIN của token.",
            ),
        }
    }
}

/// What the token says about the user PIN's remaining tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PinTries {
    /// The token reports nothing special (most tokens never say how many are left).
    Unknown,
    /// Few tries left (`CKF_USER_PIN_COUNT_LOW`).
    Few,
    /// One try left (`CKF_USER_PIN_FINAL_TRY`).
    Last,
    /// None left: the PIN is locked (`CKF_USER_PIN_LOCKED`).
    None,
}

impl PinTries {
    /// A suffix for an English message.
    pub(crate) fn en(self) -> &'static str {
        match self {
            Self::Unknown => "",
            Self::Few => " (few tries left)",
            Self::Last => " (one try left)",
            Self::None => " (the PIN is now locked)",
        }
    }

    /// A suffix for a Vietnamese message.
    pub(crate) fn vi(self) -> &'static str {
        match self {
            Self::Unknown => "",
            Self::Few => " (còn ít lần thử)",
            Self::Last => " (còn một lần thử)",
            Self::None => " (mã PIN đã bị khóa)",
        }
    }
}

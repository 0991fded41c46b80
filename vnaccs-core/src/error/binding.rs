//! The errors of a binding's boundary (statuses 8xxx): what a caller of the C library (or
//! another binding) passed wrongly, in the same form as every other error, so that every binding
//! shares their codes, messages and hints.

use super::identity::{Category::*, Identity, id, identity_accessors};

/// An error at a binding's boundary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// A required pointer argument was NULL.
    #[error("the argument {name} is NULL")]
    NullArgument {
        /// The argument's name.
        name: &'static str,
    },
    /// A string argument was not valid UTF-8.
    #[error("the argument {name} is not valid UTF-8")]
    InvalidUtf8 {
        /// The argument's name.
        name: &'static str,
    },
    /// A JSON argument was not well-formed JSON.
    #[error("the argument {name} is not well-formed JSON: {reason}")]
    InvalidJson {
        /// The argument's name.
        name: &'static str,
        /// What the parser said.
        reason: String,
    },
    /// The caller's output buffer is too small.
    #[error("the output buffer is too small: {needed} bytes are needed")]
    BufferTooSmall {
        /// The bytes needed, a final NUL included for text.
        needed: usize,
    },
    /// An argument has a value the function does not know.
    #[error("the argument {name} has an unknown value: {value}")]
    InvalidArgument {
        /// The argument's name.
        name: &'static str,
        /// The value given.
        value: String,
    },
    /// No event came within the time the caller gave.
    #[error("no event came within the time given")]
    Timeout,
    /// A panic inside the library (a bug); the call was abandoned.
    #[error("internal error in the vnaccs library (a bug); the call was abandoned")]
    Panic,
}

identity_accessors!(BindingError);

impl BindingError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::NullArgument { name } => format!("Tham số {name} là NULL"),
            Self::InvalidUtf8 { name } => format!("Tham số {name} không phải chuỗi UTF-8 hợp lệ"),
            Self::InvalidJson { name, reason } => {
                format!("Tham số {name} không phải JSON hợp lệ: {reason}")
            }
            Self::BufferTooSmall { needed } => format!("Bộ đệm đầu ra quá nhỏ: cần {needed} byte"),
            Self::InvalidArgument { name, value } => {
                format!("Tham số {name} có giá trị không được hỗ trợ: {value}")
            }
            Self::Timeout => "Không có sự kiện nào trong thời gian chờ".into(),
            Self::Panic => {
                "Lỗi nội bộ trong thư viện vnaccs (lỗi phần mềm); lệnh gọi đã bị hủy bỏ".into()
            }
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::NullArgument { .. } => id(
                8001,
                "null_argument",
                Binding,
                false,
                "Pass a valid pointer; only the arguments documented as optional may be NULL.",
                "Truyền một con trỏ hợp lệ; chỉ các tham số được ghi là tùy chọn mới được là NULL.",
            ),
            Self::InvalidUtf8 { .. } => id(
                8002,
                "invalid_encoding",
                Binding,
                false,
                "Encode text as UTF-8 bytes ending with a NUL byte (.NET: Encoding.UTF8; Delphi: UTF8String and PAnsiChar).",
                "Mã hóa văn bản thành các byte UTF-8 kết thúc bằng byte NUL (.NET: Encoding.UTF8; Delphi: UTF8String và PAnsiChar).",
            ),
            Self::InvalidJson { .. } => id(
                8003,
                "invalid_json",
                Binding,
                false,
                "Check the document's syntax (quotes, commas, braces).",
                "Kiểm tra cú pháp của tài liệu (dấu ngoặc kép, dấu phẩy, dấu ngoặc nhọn).",
            ),
            Self::BufferTooSmall { .. } => id(
                8004,
                "buffer_too_small",
                Binding,
                false,
                "Call again with a buffer of at least *out_len + 1 bytes; the same text is returned.",
                "Gọi lại với bộ đệm ít nhất *out_len + 1 byte; kết quả trả về giống hệt.",
            ),
            Self::InvalidArgument { .. } => id(
                8006,
                "invalid_argument",
                Binding,
                false,
                "See the function's documentation for the values it accepts.",
                "Xem tài liệu của hàm để biết các giá trị được chấp nhận.",
            ),
            Self::Timeout => id(
                8008,
                "timeout",
                Binding,
                true,
                "Wait for the next event again.",
                "Chờ sự kiện tiếp theo một lần nữa.",
            ),
            Self::Panic => id(
                8099,
                "panic",
                Binding,
                false,
                "Report this bug with the steps that lead to it.",
                "Hãy báo lỗi này kèm các bước dẫn đến nó.",
            ),
        }
    }
}

//! The statuses every fallible function returns, and the boundary's own errors.
//!
//! `0` is success. A core error returns the core's status (1xxx input, 2xxx certificates, 3xxx
//! tokens and PIN, 4xxx signing, 5xxx portal and network, 6xxx workflow, 7xxx sandbox, 9xxx
//! internal: `docs/errors.md`); the boundary's own errors (a NULL argument,
//! invalid UTF-8, invalid JSON, a buffer too small, …) have statuses in the 8xxx range. Their
//! texts are kept here, in one place, until the core has a "binding" error area.

use serde_json::{Value, json};

/// Success.
pub const VNACCS_OK: i32 = 0;
/// The lowest status of the boundary's own errors: a status from 1 to 7999, or 9xxx, is a core
/// error's (`docs/errors.md` lists them; the JSON from `vnaccs_last_error` has its `code`).
pub const VNACCS_BOUNDARY_STATUS_MIN: i32 = 8000;
/// A required pointer argument was NULL.
pub const VNACCS_NULL_ARGUMENT: i32 = 8001;
/// A string argument was not valid UTF-8.
pub const VNACCS_INVALID_UTF8: i32 = 8002;
/// A JSON argument was not well-formed JSON.
pub const VNACCS_INVALID_JSON: i32 = 8003;
/// The output buffer is too small: `*out_len` holds the length needed (without the NUL).
pub const VNACCS_BUFFER_TOO_SMALL: i32 = 8004;
/// The handle is not in a state that allows the call (e.g. a job whose last event was read).
pub const VNACCS_WRONG_STATE: i32 = 8005;
/// An argument has a value the function does not know (e.g. an unknown identifier kind).
pub const VNACCS_INVALID_ARGUMENT: i32 = 8006;
/// The job was cancelled.
pub const VNACCS_CANCELLED: i32 = 8007;
/// `vnaccs_job_next` waited the time given and no event came (not an error: call it again).
pub const VNACCS_TIMEOUT: i32 = 8008;
/// The library panicked (a bug): the call did nothing more; the panic did not reach the caller.
pub const VNACCS_PANIC: i32 = 8099;

/// Why a call failed: a core error or one of the boundary's own.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error of the core.
    Core(vnaccs_core::Error),
    /// A required pointer was NULL; the argument's name.
    NullArgument(&'static str),
    /// A string was not UTF-8; the argument's name.
    InvalidUtf8(&'static str),
    /// A JSON argument did not parse; its name and the parser's reason.
    InvalidJson(&'static str, String),
    /// The output buffer holds fewer bytes than this length and its NUL.
    BufferTooSmall(usize),
    /// An unknown value; the argument's name and the value.
    InvalidArgument(&'static str, String),
    /// No event within the time given.
    Timeout,
    /// A panic inside the library.
    Panic,
}

impl From<vnaccs_core::Error> for Failure {
    fn from(e: vnaccs_core::Error) -> Self {
        Failure::Core(e)
    }
}

impl From<vnaccs_core::cert::CertError> for Failure {
    fn from(e: vnaccs_core::cert::CertError) -> Self {
        Failure::Core(e.into())
    }
}

impl From<vnaccs_core::ids::InputError> for Failure {
    fn from(e: vnaccs_core::ids::InputError) -> Self {
        Failure::Core(e.into())
    }
}

impl Failure {
    /// The status returned for this failure.
    pub(crate) fn status(&self) -> i32 {
        match self {
            Failure::Core(e) => core_status(e),
            Failure::NullArgument(_) => VNACCS_NULL_ARGUMENT,
            Failure::InvalidUtf8(_) => VNACCS_INVALID_UTF8,
            Failure::InvalidJson(..) => VNACCS_INVALID_JSON,
            Failure::BufferTooSmall(_) => VNACCS_BUFFER_TOO_SMALL,
            Failure::InvalidArgument(..) => VNACCS_INVALID_ARGUMENT,
            Failure::Timeout => VNACCS_TIMEOUT,
            Failure::Panic => VNACCS_PANIC,
        }
    }

    /// The failure as the core's JSON error form: code, status, message, message_vi, hint,
    /// hint_vi (and step, for a core error that has one).
    pub(crate) fn to_json(&self) -> Value {
        let (code, en, vi, hint, hint_vi) = match self {
            Failure::Core(e) => return error_json(e),
            Failure::NullArgument(name) => (
                "null_argument",
                format!("The argument {name} is NULL"),
                format!("Tham số {name} là NULL"),
                "Pass a valid pointer; only the arguments documented as optional may be NULL.",
                "Truyền một con trỏ hợp lệ; chỉ các tham số được ghi là tùy chọn mới được là NULL.",
            ),
            Failure::InvalidUtf8(name) => (
                "invalid_utf8",
                format!("The argument {name} is not valid UTF-8"),
                format!("Tham số {name} không phải chuỗi UTF-8 hợp lệ"),
                "Encode text as UTF-8 bytes ending with a NUL byte (in .NET Encoding.UTF8, in Delphi UTF8String and PAnsiChar).",
                "Mã hóa văn bản thành các byte UTF-8 kết thúc bằng byte NUL (trong .NET dùng Encoding.UTF8, trong Delphi dùng UTF8String và PAnsiChar).",
            ),
            Failure::InvalidJson(name, reason) => (
                "invalid_json",
                format!("The argument {name} is not well-formed JSON: {reason}"),
                format!("Tham số {name} không phải JSON hợp lệ: {reason}"),
                "Check the document's syntax (quotes, commas, braces).",
                "Kiểm tra cú pháp của tài liệu (dấu ngoặc kép, dấu phẩy, dấu ngoặc nhọn).",
            ),
            Failure::BufferTooSmall(needed) => (
                "buffer_too_small",
                format!(
                    "The output buffer is too small: {} bytes are needed",
                    needed + 1
                ),
                format!("Bộ đệm đầu ra quá nhỏ: cần {} byte", needed + 1),
                "Call again with a buffer of at least *out_len + 1 bytes; the same text is returned.",
                "Gọi lại với bộ đệm ít nhất *out_len + 1 byte; kết quả trả về giống hệt.",
            ),
            Failure::InvalidArgument(name, value) => (
                "invalid_argument",
                format!("The argument {name} has an unknown value: {value}"),
                format!("Tham số {name} có giá trị không được hỗ trợ: {value}"),
                "See the header for the values the function accepts.",
                "Xem tệp tiêu đề để biết các giá trị hàm chấp nhận.",
            ),
            Failure::Timeout => (
                "timeout",
                "No event came within the time given".to_owned(),
                "Không có sự kiện nào trong thời gian chờ".to_owned(),
                "Call vnaccs_job_next again.",
                "Gọi lại vnaccs_job_next.",
            ),
            Failure::Panic => (
                "panic",
                "Internal error in the vnaccs library (a bug); the call was abandoned".to_owned(),
                "Lỗi nội bộ trong thư viện vnaccs (lỗi phần mềm); lệnh gọi đã bị hủy bỏ".to_owned(),
                "Report it with the steps that lead to it.",
                "Hãy báo lỗi này kèm các bước dẫn đến nó.",
            ),
        };
        json!({
            "code": code,
            "status": self.status(),
            "category": "binding",
            "message": en,
            "message_vi": vi,
            "hint": hint,
            "hint_vi": hint_vi,
            "retryable": false,
        })
    }
}

/// The status of a core error: its own ([`vnaccs_core::Error::status`]), except a job used in
/// the wrong state and a cancelled job, which have the boundary's `VNACCS_WRONG_STATE` and
/// `VNACCS_CANCELLED` (their codes stay the core's: `job_wrong_state`, `cancelled`).
fn core_status(e: &vnaccs_core::Error) -> i32 {
    use vnaccs_core::workflow::WorkflowError;
    match e {
        vnaccs_core::Error::Workflow(WorkflowError::JobWrongState { .. }) => VNACCS_WRONG_STATE,
        vnaccs_core::Error::Workflow(WorkflowError::Cancelled) => VNACCS_CANCELLED,
        _ => e.status(),
    }
}

/// A core error's JSON form, its `status` the one the call returned.
pub(crate) fn error_json(e: &vnaccs_core::Error) -> Value {
    let mut value = serde_json::to_value(e).unwrap_or_else(|_| json!({ "code": e.code() }));
    if let Value::Object(map) = &mut value {
        map.insert("status".into(), json!(core_status(e)));
    }
    value
}

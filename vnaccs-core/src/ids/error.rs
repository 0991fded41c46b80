//! The errors of values given by the caller: identifiers, dates, missing secrets (statuses 1xxx).

use std::fmt;

use crate::error::identity::{Category::*, Identity, Phrase, id, identity_accessors};

/// What exactly is wrong with a value that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// Nothing was given.
    Empty,
    /// The value has the wrong number of characters.
    Length {
        /// What was expected, e.g. `"8"` or `"1 to 8"`.
        expected: Phrase,
        /// How many characters were found.
        found: usize,
    },
    /// A character that is not allowed, at a 1-based position.
    Character {
        /// The character found.
        found: char,
        /// Its 1-based position.
        position: usize,
        /// What is allowed there, e.g. `"0-9"` or `"A-Z, 0-9"`.
        allowed: Phrase,
    },
    /// The tax code's check digit (the 10th digit) does not match the first nine.
    CheckDigit {
        /// The check digit the first nine digits give.
        expected: u8,
        /// The digit found.
        found: u8,
    },
    /// The first nine digits give check value 10, which is never issued.
    NeverIssued,
    /// The tax code's province prefix is `00`.
    ProvinceZero,
    /// The tax code's digits 3 to 9 are all zero.
    SequenceZero,
    /// The branch suffix is `000`.
    BranchZero,
    /// The value does not have the expected shape; the texts describe it.
    Shape {
        /// The expected shape, in English.
        en: &'static str,
        /// The expected shape, in Vietnamese.
        vi: &'static str,
    },
}

impl Problem {
    /// The problem described in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Problem::Empty => "không có giá trị".into(),
            Problem::Length { expected, found } => {
                format!("cần {} ký tự, nhận được {found}", expected.vi)
            }
            Problem::Character {
                found,
                position,
                allowed,
            } => format!(
                "ký tự {found:?} ở vị trí {position} không hợp lệ (cho phép: {})",
                allowed.vi
            ),
            Problem::CheckDigit { expected, found } => {
                format!("chữ số kiểm tra sai: cần {expected}, nhận được {found}")
            }
            Problem::NeverIssued => {
                "chín chữ số đầu cho số kiểm tra 10, không bao giờ được cấp".into()
            }
            Problem::ProvinceZero => "mã tỉnh không được là 00".into(),
            Problem::SequenceZero => "các chữ số 3 đến 9 không được đều bằng 0".into(),
            Problem::BranchZero => "mã đơn vị phụ thuộc không được là 000".into(),
            Problem::Shape { vi, .. } => format!("sai định dạng: cần {vi}"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => f.write_str("nothing was given"),
            Problem::Length { expected, found } => {
                write!(f, "expected {} characters, found {found}", expected.en)
            }
            Problem::Character {
                found,
                position,
                allowed,
            } => write!(
                f,
                "character {found:?} at position {position} is not allowed (allowed: {})",
                allowed.en
            ),
            Problem::CheckDigit { expected, found } => {
                write!(f, "wrong check digit: expected {expected}, found {found}")
            }
            Problem::NeverIssued => {
                f.write_str("the first nine digits give check value 10, which is never issued")
            }
            Problem::ProvinceZero => f.write_str("the province prefix must not be 00"),
            Problem::SequenceZero => f.write_str("digits 3 to 9 must not all be zero"),
            Problem::BranchZero => f.write_str("the branch suffix must not be 000"),
            Problem::Shape { en, .. } => write!(f, "wrong format: expected {en}"),
        }
    }
}

/// Input: fix the value.
const FIX_VALUE: (&str, &str) = (
    "Correct the value as the message says, then run again.",
    "Sửa giá trị theo thông báo, rồi chạy lại.",
);

/// "`what` `value` is not valid: `problem`", in Vietnamese.
fn invalid(what: &str, value: &str, problem: &Problem) -> String {
    format!("{what} {value:?} không hợp lệ: {}", problem.vi())
}

/// An input error with the same hint as the others.
const fn input(status: i32, code: &'static str) -> Identity {
    id(status, code, Input, false, FIX_VALUE.0, FIX_VALUE.1)
}

/// A value given by the caller that is wrong or missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A tax code (MST) that is not valid.
    #[error("invalid tax code {value:?}: {problem}")]
    InvalidTaxCode {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A personal ID number (CMND, CCCD, passport) that is not valid.
    #[error("invalid personal ID number {value:?}: {problem}")]
    InvalidPersonalId {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A VNACCS User ID that is not valid.
    #[error("invalid User ID {value:?}: {problem}")]
    InvalidUserId {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A VNACCS Terminal ID that is not valid.
    #[error("invalid Terminal ID {value:?}: {problem}")]
    InvalidTerminalId {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A Terminal Access Key that is not valid.
    #[error("invalid Terminal Access Key {value:?}: {problem}")]
    InvalidTerminalAccessKey {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A customs office code that is not valid.
    #[error("invalid customs office code {value:?}: {problem}")]
    InvalidCustomsOfficeCode {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// An email address that is not valid.
    #[error("invalid email address {value:?}: {problem}")]
    InvalidEmail {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A certificate serial number that is not valid.
    #[error("invalid certificate serial {value:?}: {problem}")]
    InvalidCertificateSerial {
        /// The value given (shortened if very long).
        value: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A User ID password that breaks the policy. The password itself is never included.
    #[error("invalid User ID password: {problem}")]
    InvalidUserIdPassword {
        /// What is wrong with it.
        problem: Problem,
    },
    /// A date from outside (an argument, a file, the portal) outside the years the library
    /// accepts ([`crate::dates::YEARS`]).
    #[error("{what} {value} is outside the years 1990 to 2200")]
    DateOutOfRange {
        /// Which date: an argument, a key or a header name (e.g. `next_clearance`, `Date`).
        what: String,
        /// The date as given.
        value: String,
    },
    /// A password the operation needs was not given (no environment variable, no terminal).
    #[error("{what} was not given")]
    SecretNotGiven {
        /// Which secret, e.g. "the admin account password".
        what: String,
        /// Which secret, in Vietnamese, e.g. "mật khẩu tài khoản quản trị".
        what_vi: String,
    },
    /// A request document that cannot be read or does not describe a job.
    #[error("invalid request document: {reason}")]
    InvalidRequest {
        /// What is wrong.
        reason: String,
    },
}

identity_accessors!(InputError);

impl InputError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::InvalidTaxCode { value, problem } => invalid("Mã số thuế", value, problem),
            Self::InvalidPersonalId { value, problem } => {
                invalid("Số CMND/CCCD/Hộ chiếu", value, problem)
            }
            Self::InvalidUserId { value, problem } => invalid("User ID", value, problem),
            Self::InvalidTerminalId { value, problem } => invalid("Terminal ID", value, problem),
            Self::InvalidTerminalAccessKey { value, problem } => {
                invalid("Terminal Access Key", value, problem)
            }
            Self::InvalidCustomsOfficeCode { value, problem } => {
                invalid("Mã cục Hải quan", value, problem)
            }
            Self::InvalidEmail { value, problem } => invalid("Địa chỉ email", value, problem),
            Self::InvalidCertificateSerial { value, problem } => {
                invalid("Số serial chứng thư số", value, problem)
            }
            Self::InvalidUserIdPassword { problem } => {
                format!("Mật khẩu User ID không hợp lệ: {}", problem.vi())
            }
            Self::DateOutOfRange { what, value } => {
                format!("Ngày {value} ({what}) nằm ngoài khoảng năm 1990 đến 2200")
            }
            Self::SecretNotGiven { what_vi, .. } => format!("Chưa nhập {what_vi}"),
            Self::InvalidRequest { reason } => format!("Tài liệu yêu cầu không hợp lệ: {reason}"),
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::InvalidTaxCode { .. } => input(1001, "invalid_tax_code"),
            Self::InvalidPersonalId { .. } => input(1002, "invalid_personal_id"),
            Self::InvalidUserId { .. } => input(1003, "invalid_user_id"),
            Self::InvalidTerminalId { .. } => input(1004, "invalid_terminal_id"),
            Self::InvalidTerminalAccessKey { .. } => input(1005, "invalid_terminal_access_key"),
            Self::InvalidCustomsOfficeCode { .. } => input(1006, "invalid_customs_office_code"),
            Self::InvalidEmail { .. } => input(1007, "invalid_email"),
            Self::InvalidCertificateSerial { .. } => input(1008, "invalid_certificate_serial"),
            Self::InvalidUserIdPassword { .. } => id(
                1009,
                "invalid_user_id_password",
                Input,
                false,
                "Choose a password of 1 to 8 characters A-Z and 0-9.",
                "Chọn mật khẩu từ 1 đến 8 ký tự A-Z và 0-9.",
            ),
            Self::DateOutOfRange { .. } => id(
                1010,
                "date_out_of_range",
                Input,
                false,
                "Give a date between the years 1990 and 2200; check the computer's clock.",
                "Nhập ngày trong khoảng năm 1990 đến 2200; kiểm tra đồng hồ của máy tính.",
            ),
            Self::SecretNotGiven { .. } => id(
                1011,
                "secret_not_given",
                Input,
                false,
                "Give the password (its environment variable, or type it at the prompt).",
                "Nhập mật khẩu (qua biến môi trường, hoặc gõ khi được hỏi).",
            ),
            Self::InvalidRequest { .. } => id(
                1012,
                "invalid_request",
                Input,
                false,
                "Correct the request document as the message says (see docs/schema/).",
                "Sửa tài liệu yêu cầu theo thông báo (xem docs/schema/).",
            ),
        }
    }
}

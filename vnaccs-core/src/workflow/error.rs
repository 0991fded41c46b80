//! The errors of the update's steps and its saved state (statuses 6xxx).

use crate::error::identity::{Category::*, Identity, id, identity_accessors};

/// An error of the update's steps or its saved state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    /// Another run of the update holds the state file.
    #[error("the update's state file {path} is in use by another run; wait for it to end")]
    WorkflowStateLocked {
        /// The state file.
        path: String,
    },
    /// A saved update state that belongs to another enterprise or certificate.
    #[error("the saved update state does not fit this update: {detail}")]
    WorkflowStateMismatch {
        /// What differs.
        detail: String,
    },
    /// A saved update state that cannot be read.
    #[error("the saved update state cannot be read: {reason}")]
    InvalidWorkflowState {
        /// Why.
        reason: String,
    },
    /// OE4001 lists no registration record that can be sent.
    #[error("OE4001 has no registration record to send for {tax_code}{}", number.as_ref().map(|n| format!(" (record {n} is gone)")).unwrap_or_default())]
    NoRecordToSend {
        /// The enterprise's tax code.
        tax_code: String,
        /// The record the saved state expected, when there was one.
        number: Option<String>,
    },
    /// The job was cancelled: it stopped between two requests; its state file lets a later run
    /// resume it.
    #[error("the job was cancelled; run it again with the same state file to resume")]
    Cancelled,
    /// A job was answered, or asked, out of turn (e.g. a PIN given while it waits for a captcha).
    #[error("the job is {actual}, not {expected}")]
    JobWrongState {
        /// What the call needs the job to be doing.
        expected: &'static str,
        /// What the job is doing.
        actual: &'static str,
    },
}

identity_accessors!(WorkflowError);

impl WorkflowError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::WorkflowStateLocked { path } => format!(
                "Tệp trạng thái cập nhật {path} đang được một lần chạy khác sử dụng; hãy chờ lần đó kết thúc"
            ),
            Self::WorkflowStateMismatch { detail } => {
                format!("Trạng thái cập nhật đã lưu không khớp với lần cập nhật này: {detail}")
            }
            Self::InvalidWorkflowState { reason } => {
                format!("Không đọc được trạng thái cập nhật đã lưu: {reason}")
            }
            Self::NoRecordToSend { tax_code, number } => format!(
                "OE4001 không có bản khai đăng ký nào để gửi cho {tax_code}{}",
                number
                    .as_ref()
                    .map(|n| format!(" (không còn bản khai {n})"))
                    .unwrap_or_default()
            ),
            Self::Cancelled => {
                "Công việc đã bị hủy; hãy chạy lại với cùng tệp trạng thái để tiếp tục".into()
            }
            Self::JobWrongState { expected, actual } => format!(
                "Công việc đang ở trạng thái {}, không phải {}",
                job_state_vi(actual),
                job_state_vi(expected)
            ),
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::WorkflowStateLocked { .. } => id(
                6001,
                "workflow_state_locked",
                Workflow,
                true,
                "Wait for the other run to end, then run again.",
                "Chờ lần chạy kia kết thúc, rồi chạy lại.",
            ),
            Self::WorkflowStateMismatch { .. } => id(
                6002,
                "workflow_state_mismatch",
                Workflow,
                false,
                "Use the state file of this enterprise and certificate, or start a new one.",
                "Dùng tệp trạng thái của đúng doanh nghiệp và chứng thư số này, hoặc bắt đầu tệp mới.",
            ),
            Self::InvalidWorkflowState { .. } => id(
                6003,
                "invalid_workflow_state",
                Workflow,
                false,
                "Restore the state file from a backup; do not start over blindly: steps may be done.",
                "Khôi phục tệp trạng thái từ bản sao; đừng làm lại từ đầu: có thể đã xong vài bước.",
            ),
            Self::NoRecordToSend { .. } => id(
                6004,
                "no_record_to_send",
                Workflow,
                false,
                "Look up the registration's result on OE4001.",
                "Tra cứu kết quả đăng ký trên OE4001.",
            ),
            Self::Cancelled => id(
                6008,
                "cancelled",
                Workflow,
                false,
                "Run the job again with the same state file: it resumes where it stopped.",
                "Chạy lại công việc với cùng tệp trạng thái: công việc tiếp tục từ chỗ đã dừng.",
            ),
            Self::JobWrongState { .. } => id(
                6009,
                "job_wrong_state",
                Workflow,
                false,
                "Answer only what the job's last event asks for.",
                "Chỉ trả lời đúng điều mà sự kiện mới nhất của công việc yêu cầu.",
            ),
        }
    }
}

/// A job's state (as [`WorkflowError::JobWrongState`] names it), in Vietnamese.
fn job_state_vi(state: &str) -> &'static str {
    match state {
        "waiting_for_captcha" => "chờ mã xác nhận",
        "waiting_for_pin" => "chờ mã PIN",
        "finished" => "đã kết thúc",
        _ => "đang chạy",
    }
}

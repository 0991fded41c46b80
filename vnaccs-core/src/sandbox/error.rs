//! The simulated portal's errors (statuses 7xxx).

use crate::error::identity::{Category::*, Identity, id, identity_accessors};

/// An error of the simulated portal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The sandbox portal could not start (e.g. the address is in use).
    #[error("cannot start the sandbox portal: {reason}")]
    SandboxStart {
        /// Why.
        reason: String,
    },
    /// The sandbox was asked to listen beyond loopback without the explicit opt-in (it serves
    /// known test passwords and keys).
    #[error(
        "the sandbox portal listens on loopback only; {addr} is not a loopback address (opt in to serve other hosts: it serves known test passwords and keys)"
    )]
    SandboxRemoteListen {
        /// The address asked for.
        addr: std::net::SocketAddr,
    },
    /// A sandbox scenario that cannot be read or loaded.
    #[error("invalid sandbox scenario: {reason}")]
    SandboxScenario {
        /// What is wrong.
        reason: String,
    },
    /// The sandbox has no registration record with this number.
    #[error("the sandbox has no registration record {number}")]
    SandboxRecordNotFound {
        /// The record number.
        number: String,
    },
    /// A registration record cannot move to the asked status.
    #[error("registration record {number} cannot move from \"{from}\" to \"{to}\"")]
    SandboxStatusChange {
        /// The record number.
        number: String,
        /// Its status (the portal's label).
        from: String,
        /// The status asked for (the portal's label).
        to: String,
    },
}

identity_accessors!(SandboxError);

impl SandboxError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            Self::SandboxStart { reason } => {
                format!("Không khởi động được cổng thông tin mô phỏng: {reason}")
            }
            Self::SandboxRemoteListen { addr } => format!(
                "Cổng thông tin mô phỏng chỉ nghe trên địa chỉ nội bộ của máy này; {addr} không phải địa chỉ nội bộ (muốn phục vụ máy khác thì phải cho phép rõ ràng: cổng mô phỏng dùng mật khẩu và khóa thử nghiệm ai cũng biết)"
            ),
            Self::SandboxScenario { reason } => {
                format!("Kịch bản cổng thông tin mô phỏng không hợp lệ: {reason}")
            }
            Self::SandboxRecordNotFound { number } => {
                format!("Cổng thông tin mô phỏng không có bản khai số {number}")
            }
            Self::SandboxStatusChange { number, from, to } => {
                format!("Bản khai số {number} không thể chuyển từ \"{from}\" sang \"{to}\"")
            }
        }
    }

    /// The identity of this error.
    pub(crate) fn identity(&self) -> Identity {
        match self {
            Self::SandboxStart { .. } => id(
                7001,
                "sandbox_start",
                Sandbox,
                false,
                "Choose another port, or stop the program using it.",
                "Chọn cổng khác, hoặc dừng chương trình đang dùng cổng đó.",
            ),
            Self::SandboxRemoteListen { .. } => id(
                7002,
                "sandbox_remote_listen",
                Sandbox,
                false,
                "Listen on 127.0.0.1, or opt in explicitly.",
                "Nghe trên 127.0.0.1, hoặc cho phép rõ ràng.",
            ),
            Self::SandboxScenario { .. } => id(
                7003,
                "sandbox_scenario",
                Sandbox,
                false,
                "Correct the scenario file as the message says.",
                "Sửa tệp kịch bản theo thông báo.",
            ),
            Self::SandboxRecordNotFound { .. } => id(
                7004,
                "sandbox_record_not_found",
                Sandbox,
                false,
                "Give the number of a record the sandbox holds.",
                "Nhập số bản khai mà cổng mô phỏng đang có.",
            ),
            Self::SandboxStatusChange { .. } => id(
                7005,
                "sandbox_status_change",
                Sandbox,
                false,
                "Move the record only along the portal's statuses.",
                "Chỉ chuyển bản khai theo đúng thứ tự trạng thái của cổng.",
            ),
        }
    }
}

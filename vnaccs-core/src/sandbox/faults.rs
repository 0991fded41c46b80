//! Fault injection: deterministic, bounded faults armed on the portal's operations.

use std::time::Duration;

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

/// A request the portal serves, as a fault point (and the name resilience tests use for a step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// GET of the registration page (screen A).
    RegisterPage,
    /// "Xem thông tin" on the registration page.
    RegisterView,
    /// "Xem thông tin chứng thư số" on the registration page.
    RegisterViewCertificate,
    /// "Đăng ký thông tin": the signed registration.
    RegisterSubmit,
    /// GET of the admin account page.
    AdminPage,
    /// "Cập nhật thông tin chữ ký số của tài khoản quản trị".
    AdminUpdate,
    /// "Xác nhận danh sách người dùng": the signed user list.
    ConfirmUsers,
    /// GET of the login page.
    LoginPage,
    /// "Đăng nhập".
    Login,
    /// GET of the home page after login.
    Home,
    /// GET of OE2102, or its declarant tab.
    Oe2102Page,
    /// Selecting a declarant row on OE2102.
    DeclarantSelect,
    /// "Đọc CKS" on OE2102.
    DeclarantReadCertificate,
    /// "Ghi" on OE2102.
    DeclarantSave,
    /// GET of OE4001.
    Oe4001Page,
    /// "Tìm kiếm" on OE4001.
    Search,
    /// "Gửi" on a result row: opens the send dialog.
    SendOpen,
    /// "Ký chữ ký số" in the send dialog.
    SendSign,
    /// "Gửi" in the send dialog: the signed send.
    Send,
    /// GET of OE4002 or one of its tabs.
    Oe4002,
    /// GET of the User ID password page.
    PasswordPage,
    /// "Cấp password mới".
    PasswordChange,
    /// GET of the forgotten password page.
    ForgotPasswordPage,
    /// "Gửi" on the forgotten password page.
    ForgotPassword,
    /// The captcha image.
    Captcha,
}

impl Operation {
    /// The state-changing posts (A.3, B.5, B.6, C.9, D.12, F.14): the sandbox counts their effects.
    pub const STATE_CHANGING: [Operation; 6] = [
        Self::RegisterSubmit,
        Self::AdminUpdate,
        Self::ConfirmUsers,
        Self::DeclarantSave,
        Self::Send,
        Self::PasswordChange,
    ];

    /// Every operation.
    pub const ALL: [Operation; 25] = [
        Self::RegisterPage,
        Self::RegisterView,
        Self::RegisterViewCertificate,
        Self::RegisterSubmit,
        Self::AdminPage,
        Self::AdminUpdate,
        Self::ConfirmUsers,
        Self::LoginPage,
        Self::Login,
        Self::Home,
        Self::Oe2102Page,
        Self::DeclarantSelect,
        Self::DeclarantReadCertificate,
        Self::DeclarantSave,
        Self::Oe4001Page,
        Self::Search,
        Self::SendOpen,
        Self::SendSign,
        Self::Send,
        Self::Oe4002,
        Self::PasswordPage,
        Self::PasswordChange,
        Self::ForgotPasswordPage,
        Self::ForgotPassword,
        Self::Captcha,
    ];
}

/// What a fault does to the request it hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The portal's error page with HTTP 500.
    Status500,
    /// A bare HTTP 503.
    Status503,
    /// The request is served normally after this real-time delay.
    Slow(Duration),
    /// The connection is closed without a response.
    Drop,
    /// The session expires first, so the request meets the login redirect.
    SessionExpiry,
    /// The maintenance page with HTTP 503.
    Maintenance,
    /// The request is processed (its effect is kept), then the session expires and the answer
    /// is the login redirect.
    ProcessThenExpire,
    /// The request is processed (its effect is kept), then the connection is closed without the
    /// answer.
    ProcessThenDrop,
}

/// A fault armed on an operation: it fires on the next `times` requests of that operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What happens.
    pub kind: FaultKind,
    /// Where.
    pub at: Operation,
    /// On how many requests.
    pub times: u32,
}

/// A list of faults, e.g. drawn from a seed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FaultPlan {
    /// The faults, armed in order.
    pub faults: Vec<Fault>,
}

impl FaultPlan {
    /// `count` faults drawn deterministically from `seed`: each at one of `operations` (all
    /// operations when empty), of a random kind (a slow response waits `slow`), firing once.
    pub fn random(seed: u64, operations: &[Operation], count: usize, slow: Duration) -> FaultPlan {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let operations = if operations.is_empty() {
            &Operation::ALL[..]
        } else {
            operations
        };
        let kinds = [
            FaultKind::Status500,
            FaultKind::Status503,
            FaultKind::Slow(slow),
            FaultKind::Drop,
            FaultKind::SessionExpiry,
            FaultKind::Maintenance,
            FaultKind::ProcessThenExpire,
            FaultKind::ProcessThenDrop,
        ];
        let faults = (0..count)
            .map(|_| Fault {
                at: operations[pick(&mut rng, operations.len())],
                kind: kinds[pick(&mut rng, kinds.len())].clone(),
                times: 1,
            })
            .collect();
        FaultPlan { faults }
    }
}

fn pick(rng: &mut ChaCha20Rng, len: usize) -> usize {
    (rng.next_u64() % len as u64) as usize
}

/// The armed faults, in arming order.
#[derive(Debug, Default)]
pub(super) struct Faults {
    armed: Vec<Fault>,
}

impl Faults {
    /// Arms a fault.
    pub fn add(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.armed.push(fault);
        }
    }

    /// The fault that hits this request of `operation`, if one is armed (used up by one).
    pub fn take(&mut self, operation: Operation) -> Option<FaultKind> {
        let index = self.armed.iter().position(|f| f.at == operation)?;
        let fault = &mut self.armed[index];
        let kind = fault.kind.clone();
        fault.times -= 1;
        if fault.times == 0 {
            self.armed.remove(index);
        }
        Some(kind)
    }

    /// How many firings are left.
    pub fn pending(&self) -> u32 {
        self.armed.iter().map(|f| f.times).sum()
    }

    /// Disarms every fault; returns those left, each with the firings it had left.
    pub fn clear(&mut self) -> Vec<Fault> {
        std::mem::take(&mut self.armed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_fire_the_given_number_of_times_in_order() {
        let mut faults = Faults::default();
        faults.add(Fault {
            kind: FaultKind::Drop,
            at: Operation::Login,
            times: 2,
        });
        faults.add(Fault {
            kind: FaultKind::Status500,
            at: Operation::Login,
            times: 1,
        });
        assert_eq!(faults.take(Operation::Send), None);
        assert_eq!(faults.take(Operation::Login), Some(FaultKind::Drop));
        assert_eq!(faults.take(Operation::Login), Some(FaultKind::Drop));
        assert_eq!(faults.take(Operation::Login), Some(FaultKind::Status500));
        assert_eq!(faults.take(Operation::Login), None);
        assert_eq!(faults.pending(), 0);
        faults.add(Fault {
            kind: FaultKind::Drop,
            at: Operation::Send,
            times: 3,
        });
        let left = faults.clear();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].times, 3);
        assert_eq!(faults.take(Operation::Send), None);
    }

    #[test]
    fn random_plans_are_seeded() {
        let slow = Duration::from_millis(5);
        let a = FaultPlan::random(7, &[], 10, slow);
        assert_eq!(a, FaultPlan::random(7, &[], 10, slow));
        assert_ne!(a, FaultPlan::random(8, &[], 10, slow));
        let only = FaultPlan::random(7, &[Operation::Send], 3, slow);
        assert!(only.faults.iter().all(|f| f.at == Operation::Send));
    }
}

//! The simulated customs portal (feature `sandbox`): both customs websites of docs/domain.md §4 and
//! Customs' back office, served over HTTP/1.1 on a loopback address (another address only when
//! [`SandboxConfig::allow_remote`] says so).
//!
//! ```no_run
//! # fn main() -> vnaccs_core::Result<()> {
//! use vnaccs_core::sandbox::{Sandbox, SandboxConfig};
//! let sb = Sandbox::start(SandboxConfig::default())?;
//! println!("portal at {}", sb.url());
//! # Ok(()) }
//! ```
//!
//! Every [`Sandbox`] has its own listener, server runtime, clock and state: sandboxes started by
//! tests running in parallel share nothing. The pages are ASP.NET WebForms pages that fit the
//! default site profile (`portal/profile.toml`); every rule of the real portal is enforced with the
//! portal's own Vietnamese message. The clock is frozen unless a test sets or advances it, and
//! every response carries it in its `Date` header. Identifiers the portal issues (record numbers,
//! User IDs, Terminal IDs, access keys) depend only on the seed and on the state-changing events in
//! order, never on how many requests or sessions happened.
//!
//! # Pages
//!
//! | path | screen (docs/domain.md §4) | login |
//! |---|---|---|
//! | `/Pages/DangKyChuKySo.aspx`, `/CaptchaImage.ashx` | A. certificate registration (customs.gov.vn), its captcha PNG | no |
//! | `/Pages/dn.aspx` | the VNACCS site's enterprise entry (seed 002) | no |
//! | `/Pages/QuanTriTaiKhoan.aspx` | B.5–6 admin account update, user list confirmation | no |
//! | `/Pages/DangNhap.aspx`, `/Pages/DangXuat.aspx` | B.7 login (signed challenge), logout | no |
//! | `/Pages/QuenMatKhau.aspx` | forgotten password | no |
//! | `/Pages/TrangChu.aspx` | home, with the menu | yes |
//! | `/Pages/OE2102.aspx` | C. declarant users | yes |
//! | `/Pages/OE4001.aspx` | D. search and signed send | yes |
//! | `/Pages/OE4002.aspx` | E. issued User IDs and terminals | yes |
//! | `/Pages/CapPasswordNSD.aspx` | F. User ID password | yes |
//!
//! A post whose `__VIEWSTATE`/`__EVENTVALIDATION` is not the pair the session's latest render
//! of that page carried, or that raises an event the render did not offer, gets the error page
//! (HTTP 200, `#loi-he-thong`). A protected page without a logged-in session, and any post in a
//! session that has expired, is redirected to the login page with `ReturnUrl`; the login page
//! then says the session expired. Customs' decisions are [`Sandbox::approve`],
//! [`Sandbox::approve_sent`], [`Sandbox::reject`], or automatic after
//! [`SandboxConfig::auto_approve_after`]. Faults ([`Sandbox::inject`]) are armed per
//! [`Operation`]; [`FaultKind::ProcessThenExpire`] and [`FaultKind::ProcessThenDrop`] let the
//! request take effect and then lose its answer. [`Sandbox::posts`] and [`Sandbox::effects`]
//! count, per state-changing post, the requests received and those that took effect;
//! [`Sandbox::received_signatures`] keeps every signature posted, and [`Sandbox::on_request`]
//! calls a hook on each request read.

mod backoffice;
mod captcha;
mod clock;
mod config;
mod error;
mod faults;
mod fields;
mod hook;
mod html;
mod http;
mod idgen;
mod messages;
mod pages;
mod received;
mod router;
mod scenario;
mod server;
mod session;
mod state;
mod sync;
mod viewstate;

use std::net::SocketAddr;
use std::sync::{Arc, MutexGuard};

use url::Url;

use crate::{Error, Result};

pub use clock::SandboxClock;
pub use config::SandboxConfig;
pub use error::SandboxError;
pub use faults::{Fault, FaultKind, FaultPlan, Operation};
pub use hook::RequestHook;
pub use messages::Wording;
pub use received::{ReceivedSignature, SIGNATURES_KEPT};
pub use scenario::{
    Scenario, ScenarioAdmin, ScenarioCertificate, ScenarioDeclarant, ScenarioEnterprise,
    ScenarioRecord, ScenarioSecret, ScenarioTerminal,
};
#[cfg(feature = "test-pki")]
pub use scenario::{
    TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_DECLARANT_USER_ID, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};
pub use state::{
    AdminState, DeclarantState, EnterpriseState, IssuedUserState, RecordState,
    RegisteredCertificateState, SandboxState,
};

use router::Shared;
use state::Inner;
use sync::lock;

/// A running simulated portal. Dropping it stops it.
#[derive(Debug)]
pub struct Sandbox {
    shared: Arc<Shared>,
    server: server::Server,
    url: Url,
}

impl Sandbox {
    /// Starts a sandbox: loads the scenario, binds the listener and starts serving.
    ///
    /// # Errors [`SandboxError::SandboxRemoteListen`] for a non-loopback address without
    /// [`SandboxConfig::allow_remote`]; [`SandboxError::SandboxStart`] when the address cannot be
    /// bound; [`SandboxError::SandboxScenario`] for a scenario that cannot be loaded.
    pub fn start(config: SandboxConfig) -> Result<Sandbox> {
        config.scenario.check_dates()?;
        let clock = SandboxClock::new(config.scenario.now.unwrap_or_else(clock::whole_seconds));
        let mut inner = Inner::new(config.seed);
        inner.load(&config.scenario, clock.now())?;
        config.check_listen()?;
        let shared = Arc::new(Shared::new(config, clock, inner));
        let server = server::Server::start(
            shared.config.listen,
            shared.config.request_timeout,
            Arc::clone(&shared),
        )?;
        let url = Url::parse(&format!("http://{}/", server.addr())).map_err(|e| {
            Error::Sandbox(SandboxError::SandboxStart {
                reason: e.to_string(),
            })
        })?;
        tracing::debug!(%url, "sandbox portal started");
        Ok(Sandbox {
            shared,
            server,
            url,
        })
    }

    /// The base URL of both websites, e.g. `http://127.0.0.1:41234/`.
    pub fn url(&self) -> Url {
        self.url.clone()
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The sandbox clock (frozen unless set or advanced).
    pub fn clock(&self) -> &SandboxClock {
        &self.shared.clock
    }

    /// Adds to the state what the scenario that `build` fills in describes.
    pub fn scenario(&self, build: impl FnOnce(&mut Scenario)) -> Result<()> {
        let mut scenario = Scenario::default();
        build(&mut scenario);
        self.load_scenario(&scenario)
    }

    /// Adds to the state what `scenario` describes (its `now`, if any, sets the clock).
    pub fn load_scenario(&self, scenario: &Scenario) -> Result<()> {
        scenario.check_dates()?;
        if let Some(now) = scenario.now {
            self.shared.clock.set(now);
        }
        let now = self.shared.clock.now();
        self.lock().load(scenario, now)
    }

    /// The answer of the latest captcha the sandbox issued, if any.
    pub fn captcha_answer(&self) -> Option<String> {
        self.lock().last_captcha.clone()
    }

    /// The answer of the captcha image `image_png`, as a person reading it would give, if the
    /// sandbox served that image lately (the latest 1024 are remembered): for clients running
    /// side by side, where the latest captcha may be another's.
    pub fn captcha_answer_for(&self, image_png: &[u8]) -> Option<String> {
        self.lock().captchas_served.answer(image_png)
    }

    /// Approves every sent registration record; returns their numbers.
    pub fn approve_sent(&self) -> Vec<String> {
        let now = self.shared.clock.now();
        let mut inner = self.lock();
        inner.auto_approve(now, self.shared.config.auto_approve_after);
        let numbers = inner.sent_numbers();
        for number in &numbers {
            // Every listed record is in the sent status, so approval cannot fail.
            if let Err(e) = inner.approve(number, now) {
                tracing::warn!(%e, "approval failed");
            }
        }
        numbers
    }

    /// Approves one sent registration record: User IDs and a terminal are issued.
    pub fn approve(&self, number: &str) -> Result<()> {
        let now = self.shared.clock.now();
        let mut inner = self.lock();
        inner.auto_approve(now, self.shared.config.auto_approve_after);
        inner.approve(number, now)
    }

    /// Rejects one sent registration record.
    pub fn reject(&self, number: &str) -> Result<()> {
        self.decide_rejection(number, None)
    }

    /// Rejects one sent registration record for `reason`, which OE4001 shows (Lý do từ chối).
    pub fn reject_because(&self, number: &str, reason: &str) -> Result<()> {
        self.decide_rejection(number, Some(reason))
    }

    fn decide_rejection(&self, number: &str, reason: Option<&str>) -> Result<()> {
        let now = self.shared.clock.now();
        let mut inner = self.lock();
        inner.auto_approve(now, self.shared.config.auto_approve_after);
        inner.reject(number, now, reason)
    }

    /// Arms a fault: it fires on the next `times` requests of its operation.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.add(fault);
    }

    /// Arms every fault of a plan.
    pub fn inject_plan(&self, plan: &FaultPlan) {
        let mut inner = self.lock();
        for fault in &plan.faults {
            inner.faults.add(fault.clone());
        }
    }

    /// How many armed fault firings are left.
    pub fn faults_pending(&self) -> u32 {
        self.lock().faults.pending()
    }

    /// Disarms every fault; returns those left (that never met their operation), each with the
    /// firings it had left.
    pub fn disarm_faults(&self) -> Vec<Fault> {
        self.lock().faults.clear()
    }

    /// Calls `hook` with the number of each request the sandbox reads (1 for the first), before
    /// answering it and outside the state's lock (the hook may call the sandbox); `None` removes
    /// it. E.g. a test cancels a client at a chosen request.
    pub fn on_request(&self, hook: Option<Arc<RequestHook>>) {
        self.shared.hook.set(hook);
    }

    /// The signatures the portal received (the latest [`SIGNATURES_KEPT`]), oldest first:
    /// registrations, user lists, logins and sends, accepted or not, each with the tax code it
    /// was posted for and the content it was checked against.
    pub fn received_signatures(&self) -> Vec<ReceivedSignature> {
        self.shared.signatures.all()
    }

    /// The portal's state (no secrets, no wall-clock values: comparable between runs).
    pub fn snapshot(&self) -> SandboxState {
        let now = self.shared.clock.now();
        let mut inner = self.lock();
        inner.auto_approve(now, self.shared.config.auto_approve_after);
        inner.snapshot()
    }

    /// How many times the state-changing post `operation` (one of
    /// [`Operation::STATE_CHANGING`]) took effect: a registration stored, an admin update
    /// checked and waiting for confirmation, a user list confirmed, a declarant saved, a record
    /// sent, a User ID password changed. Refused posts do not count.
    pub fn effects(&self, operation: Operation) -> u32 {
        self.lock().effects.get(&operation).copied().unwrap_or(0)
    }

    /// How many requests of the state-changing post `operation` (one of
    /// [`Operation::STATE_CHANGING`]) arrived, whatever became of them (refused, faulted or
    /// taking effect): how many times a client posted it.
    pub fn posts(&self, operation: Operation) -> u32 {
        self.lock().posts.get(&operation).copied().unwrap_or(0)
    }

    /// How many HTTP requests the sandbox has read (answered, faulted or dropped).
    pub fn requests_served(&self) -> u64 {
        self.shared.requests()
    }

    /// How many browser sessions the sandbox holds (idle ones are evicted, and at most a fixed
    /// number are held, the least recently used going first).
    pub fn sessions_held(&self) -> usize {
        self.lock().sessions.len()
    }

    /// Stops serving; the port is closed. Idempotent; dropping the sandbox does the same.
    pub fn stop(&mut self) {
        self.server.stop();
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.shared.inner)
    }
}

impl http::Handler for Shared {
    fn handle(&self, request: &http::Request) -> http::Outcome {
        Shared::handle(self, request)
    }

    fn date(&self) -> String {
        self.clock.http_date()
    }
}

//! How a sandbox is started: [`SandboxConfig`].

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::time::Duration;

use super::error::SandboxError;
use super::scenario::Scenario;
use crate::{Error, Result};

/// How a sandbox is started.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SandboxConfig {
    /// Where to listen; default `127.0.0.1:0` (a free port). Only a loopback address unless
    /// [`SandboxConfig::allow_remote`].
    pub listen: SocketAddr,
    /// Listen on a non-loopback address too; default `false`. The sandbox serves known test
    /// passwords and keys: anyone who can reach it can use them.
    pub allow_remote: bool,
    /// How long a client may take to send a request's head (or, on an idle kept-alive
    /// connection, the next request's), and then its body; default 10 seconds. A client too slow
    /// is disconnected.
    pub request_timeout: Duration,
    /// How long a session may stay idle, on the sandbox clock; default 20 minutes.
    pub session_idle: Duration,
    /// Customs approves a sent registration this long (sandbox clock) after it was sent; `None`
    /// (the default): only an explicit [`Sandbox::approve`](super::Sandbox::approve) or [`Sandbox::approve_sent`](super::Sandbox::approve_sent) does.
    pub auto_approve_after: Option<Duration>,
    /// The seed of every identifier the portal generates.
    pub seed: u64,
    /// Field renames, old HTML name → new name (e.g. `ctl00$MainContent$txtMaDN` →
    /// `ctl00$MainContent$txtMaSoThueDN`): every page renders and reads the new name.
    pub renames: BTreeMap<String, String>,
    /// Submit buttons removed, by (original) name: each page offers the action as a postback link
    /// of the same name instead (as ASP.NET renders a `LinkButton`).
    pub links: BTreeSet<String>,
    /// The initial state.
    pub scenario: Scenario,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            allow_remote: false,
            request_timeout: Duration::from_secs(10),
            session_idle: Duration::from_secs(20 * 60),
            auto_approve_after: None,
            seed: 0,
            renames: BTreeMap::new(),
            links: BTreeSet::new(),
            scenario: Scenario::default(),
        }
    }
}

impl SandboxConfig {
    /// The default settings serving `scenario`.
    pub fn new(scenario: Scenario) -> Self {
        SandboxConfig {
            scenario,
            ..Self::default()
        }
    }

    /// Listening on `listen`.
    pub fn with_listen(mut self, listen: SocketAddr) -> Self {
        self.listen = listen;
        self
    }

    /// Allowing (or not) a non-loopback [`SandboxConfig::listen`].
    pub fn with_allow_remote(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// With `timeout` for a request's head, then its body.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// With sessions ending after `idle` (sandbox clock).
    pub fn with_session_idle(mut self, idle: Duration) -> Self {
        self.session_idle = idle;
        self
    }

    /// With Customs approving a sent registration `after` it was sent (`None`: only on request).
    pub fn with_auto_approve_after(mut self, after: Option<Duration>) -> Self {
        self.auto_approve_after = after;
        self
    }

    /// With `seed` for every identifier the portal generates.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// With these submit buttons (original names) removed, each offered as a postback link.
    pub fn with_links(mut self, links: BTreeSet<String>) -> Self {
        self.links = links;
        self
    }

    /// With field renames, old HTML name → new name.
    pub fn with_renames(mut self, renames: BTreeMap<String, String>) -> Self {
        self.renames = renames;
        self
    }

    /// Serving `scenario`.
    pub fn with_scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = scenario;
        self
    }

    /// Refuses a non-loopback [`SandboxConfig::listen`] without [`SandboxConfig::allow_remote`]
    /// ([`SandboxRemoteListen`](crate::sandbox::SandboxError::SandboxRemoteListen)); [`Sandbox::start`](super::Sandbox::start) checks this before binding.
    pub fn check_listen(&self) -> Result<()> {
        if self.listen.ip().is_loopback() || self.allow_remote {
            Ok(())
        } else {
            Err(Error::Sandbox(SandboxError::SandboxRemoteListen {
                addr: self.listen,
            }))
        }
    }
}

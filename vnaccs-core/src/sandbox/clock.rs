//! The sandbox clock: an instant that stays where it is until a test sets or advances it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

/// The portal's clock. Clones share the same instant.
#[derive(Debug, Clone)]
pub struct SandboxClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

/// The wall-clock time now, to whole seconds (the default start of a sandbox clock).
pub(super) fn whole_seconds() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

impl SandboxClock {
    /// A clock frozen at `start`.
    pub fn new(start: DateTime<Utc>) -> SandboxClock {
        SandboxClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// The sandbox's current instant.
    pub fn now(&self) -> DateTime<Utc> {
        *super::sync::lock(&self.now)
    }

    /// Moves the clock to `instant` (backwards too).
    pub fn set(&self, instant: DateTime<Utc>) {
        *super::sync::lock(&self.now) = instant;
    }

    /// Moves the clock by `delta` and returns the new instant.
    ///
    /// # Panics
    /// If the instant would leave chrono's range (hundreds of thousands of years).
    pub fn advance(&self, delta: TimeDelta) -> DateTime<Utc> {
        let mut now = super::sync::lock(&self.now);
        *now += delta;
        *now
    }

    /// The instant as an HTTP `Date` header value (RFC 7231 IMF-fixdate).
    pub fn http_date(&self) -> String {
        http_date(self.now())
    }
}

impl crate::timing::Clock for SandboxClock {
    /// The sandbox's current instant: a client or update given this clock lives in the
    /// sandbox's time.
    fn now(&self) -> DateTime<Utc> {
        SandboxClock::now(self)
    }
}

/// `t` as an RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(super) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_until_moved() {
        let start = DateTime::parse_from_rfc3339("2026-11-20T16:59:59Z")
            .unwrap()
            .to_utc();
        let clock = SandboxClock::new(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.http_date(), "Fri, 20 Nov 2026 16:59:59 GMT");
        clock.advance(TimeDelta::seconds(1));
        assert_eq!(clock.clone().now(), start + TimeDelta::seconds(1));
        clock.set(start);
        assert_eq!(clock.now(), start);
    }
}

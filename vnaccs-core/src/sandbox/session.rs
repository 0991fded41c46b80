//! Sessions: the `ASP.NET_SessionId` cookie, idle expiry on the sandbox clock, the login state,
//! the captcha answer and the latest render of each page.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;

use super::viewstate::PageState;
use crate::ids::TaxCode;

/// The session cookie's name.
pub(super) const COOKIE: &str = "ASP.NET_SessionId";

/// One browser session.
#[derive(Debug, Default)]
pub(super) struct Session {
    /// The last request, on the sandbox clock.
    last_seen: Option<DateTime<Utc>>,
    /// Expired by a fault, whatever the clock says.
    expired: bool,
    /// The tax code logged in, if any.
    pub logged_in: Option<TaxCode>,
    /// The current captcha answer.
    pub captcha: Option<String>,
    /// The session replaced one that had expired (the login page says so once).
    pub after_expiry: bool,
    /// The latest render of each page, by path.
    pub pages: HashMap<&'static str, PageState>,
}

/// How the request's cookie resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resolved {
    /// The session id in use.
    pub id: String,
    /// The cookie must be (re)set: the session is new.
    pub new: bool,
    /// The request's cookie named a session that had expired.
    pub expired: bool,
}

/// Every session of a sandbox.
#[derive(Debug, Default)]
pub(super) struct Sessions {
    live: HashMap<String, Session>,
}

impl Sessions {
    /// The session of a request carrying `cookie`: the live one it names (touched), or a new one.
    pub fn resolve(
        &mut self,
        cookie: Option<&str>,
        now: DateTime<Utc>,
        idle: Duration,
        rng: &mut ChaCha20Rng,
    ) -> Resolved {
        let idle = TimeDelta::from_std(idle).unwrap_or(TimeDelta::MAX);
        if let Some(id) = cookie
            && let Some(session) = self.live.get_mut(id)
        {
            let fresh = !session.expired && session.last_seen.is_none_or(|seen| now - seen <= idle);
            if fresh {
                session.last_seen = Some(now);
                return Resolved {
                    id: id.to_owned(),
                    new: false,
                    expired: false,
                };
            }
            self.live.remove(id);
            let id = self.create(now, rng, true);
            return Resolved {
                id,
                new: true,
                expired: true,
            };
        }
        Resolved {
            id: self.create(now, rng, false),
            new: true,
            expired: false,
        }
    }

    /// Expires the session `cookie` names (the session-expiry fault).
    pub fn expire(&mut self, cookie: Option<&str>) {
        if let Some(session) = cookie.and_then(|id| self.live.get_mut(id)) {
            session.expired = true;
        }
    }

    /// Takes the session with this id out (to be [`Sessions::put`] back after the request).
    pub fn take(&mut self, id: &str) -> Option<Session> {
        self.live.remove(id)
    }

    /// Puts a session back.
    pub fn put(&mut self, id: &str, session: Session) {
        self.live.insert(id.to_owned(), session);
    }

    fn create(&mut self, now: DateTime<Utc>, rng: &mut ChaCha20Rng, after_expiry: bool) -> String {
        // ASP.NET session ids: 24 characters of a-z and 0-5.
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz012345";
        let id: String = (0..24)
            .map(|_| char::from(ALPHABET[(rng.next_u32() % 32) as usize]))
            .collect();
        self.live.insert(
            id.clone(),
            Session {
                last_seen: Some(now),
                after_expiry,
                ..Session::default()
            },
        );
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn idle_sessions_expire_on_the_sandbox_clock() {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        let mut sessions = Sessions::default();
        let t0 = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .to_utc();
        let idle = Duration::from_secs(60);
        let first = sessions.resolve(None, t0, idle, &mut rng);
        assert!(first.new && !first.expired);
        let again = sessions.resolve(Some(&first.id), t0 + TimeDelta::seconds(60), idle, &mut rng);
        assert_eq!(again.id, first.id);
        assert!(!again.new);
        let late = sessions.resolve(
            Some(&first.id),
            t0 + TimeDelta::seconds(121),
            idle,
            &mut rng,
        );
        assert!(late.new && late.expired);
        assert_ne!(late.id, first.id);
        sessions.expire(Some(&late.id));
        let forced = sessions.resolve(Some(&late.id), t0 + TimeDelta::seconds(121), idle, &mut rng);
        assert!(forced.new && forced.expired);
        let unknown = sessions.resolve(Some("nope"), t0, idle, &mut rng);
        assert!(unknown.new && !unknown.expired);
    }
}

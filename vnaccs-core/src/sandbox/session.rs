//! Sessions: the `ASP.NET_SessionId` cookie, idle expiry on the sandbox clock, the login state,
//! the captcha answer and the latest render of each page. Sessions idle past their expiry are
//! evicted, and at most [`MAX_SESSIONS`] are held (the least recently used goes first), so that
//! any number of cookie-less requests holds bounded memory.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;

use super::viewstate::PageState;
use crate::ids::TaxCode;

/// The session cookie's name.
pub(super) const COOKIE: &str = "ASP.NET_SessionId";
/// How many sessions are held at most.
pub(super) const MAX_SESSIONS: usize = 2048;
/// How many evicted session ids are remembered, so that their cookie reads as an expired session.
const MAX_ENDED: usize = 4096;

/// One browser session.
#[derive(Debug, Default)]
pub(super) struct Session {
    /// The last request, on the sandbox clock.
    last_seen: Option<DateTime<Utc>>,
    /// When it was last used, in request order (its key in [`Sessions::order`]).
    used: u64,
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
    /// The ids of the live sessions by last use, least recent first.
    order: BTreeMap<u64, String>,
    /// The next use's number.
    uses: u64,
    /// Ids of evicted sessions, oldest first, at most [`MAX_ENDED`].
    ended: VecDeque<String>,
    /// The same ids, to look up.
    ended_ids: HashSet<String>,
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
        self.evict_idle(now, idle);
        if let Some(id) = cookie {
            if let Some(session) = self.live.get_mut(id) {
                let fresh =
                    !session.expired && session.last_seen.is_none_or(|seen| now - seen <= idle);
                if fresh {
                    session.last_seen = Some(now);
                    self.order.remove(&session.used);
                    session.used = self.uses;
                    self.order.insert(self.uses, id.to_owned());
                    self.uses += 1;
                    return Resolved {
                        id: id.to_owned(),
                        new: false,
                        expired: false,
                    };
                }
                self.remove(id);
                return self.replace_expired(now, rng);
            }
            if self.ended_ids.remove(id) {
                self.ended.retain(|ended| ended != id);
                return self.replace_expired(now, rng);
            }
        }
        Resolved {
            id: self.create(now, rng, false),
            new: true,
            expired: false,
        }
    }

    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// A new session in place of an expired one.
    fn replace_expired(&mut self, now: DateTime<Utc>, rng: &mut ChaCha20Rng) -> Resolved {
        Resolved {
            id: self.create(now, rng, true),
            new: true,
            expired: true,
        }
    }

    /// Evicts the least recently used sessions while they are idle past `idle`.
    fn evict_idle(&mut self, now: DateTime<Utc>, idle: TimeDelta) {
        while let Some(id) = self.order.first_key_value().map(|(_, id)| id.clone()) {
            let stale = self
                .live
                .get(&id)
                .is_none_or(|s| s.last_seen.is_some_and(|seen| now - seen > idle));
            if !stale {
                break;
            }
            self.evict(&id);
        }
    }

    /// Drops a session and remembers its id as ended.
    fn evict(&mut self, id: &str) {
        self.remove(id);
        if self.ended.len() >= MAX_ENDED
            && let Some(oldest) = self.ended.pop_front()
        {
            self.ended_ids.remove(&oldest);
        }
        self.ended.push_back(id.to_owned());
        self.ended_ids.insert(id.to_owned());
    }

    /// Drops a session.
    fn remove(&mut self, id: &str) {
        if let Some(session) = self.live.remove(id) {
            self.order.remove(&session.used);
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
        self.order.insert(session.used, id.to_owned());
        self.live.insert(id.to_owned(), session);
    }

    fn create(&mut self, now: DateTime<Utc>, rng: &mut ChaCha20Rng, after_expiry: bool) -> String {
        // ASP.NET session ids: 24 characters of a-z and 0-5.
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz012345";
        while self.live.len() >= MAX_SESSIONS {
            let Some(oldest) = self.order.first_key_value().map(|(_, id)| id.clone()) else {
                break;
            };
            self.evict(&oldest);
        }
        let id: String = (0..24)
            .map(|_| char::from(ALPHABET[(rng.next_u32() % 32) as usize]))
            .collect();
        self.live.insert(
            id.clone(),
            Session {
                last_seen: Some(now),
                used: self.uses,
                after_expiry,
                ..Session::default()
            },
        );
        self.order.insert(self.uses, id.clone());
        self.uses += 1;
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

    #[test]
    fn sessions_are_capped_least_recently_used_first() {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        let mut sessions = Sessions::default();
        let t0 = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .to_utc();
        let idle = Duration::from_secs(60);
        let first = sessions.resolve(None, t0, idle, &mut rng).id;
        let second = sessions.resolve(None, t0, idle, &mut rng).id;
        for _ in 2..MAX_SESSIONS {
            sessions.resolve(None, t0, idle, &mut rng);
        }
        assert_eq!(sessions.len(), MAX_SESSIONS);
        // Used again, the first session is no longer the least recently used: the second goes.
        assert!(!sessions.resolve(Some(&first), t0, idle, &mut rng).new);
        sessions.resolve(None, t0, idle, &mut rng);
        assert_eq!(sessions.len(), MAX_SESSIONS);
        assert!(!sessions.resolve(Some(&first), t0, idle, &mut rng).new);
        // The evicted session's cookie reads as expired, once.
        let evicted = sessions.resolve(Some(&second), t0, idle, &mut rng);
        assert!(evicted.new && evicted.expired);
        let again = sessions.resolve(Some(&second), t0, idle, &mut rng);
        assert!(again.new && !again.expired);
        assert_eq!(sessions.len(), MAX_SESSIONS);
    }

    #[test]
    fn idle_sessions_are_evicted() {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        let mut sessions = Sessions::default();
        let t0 = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .to_utc();
        let idle = Duration::from_secs(60);
        let old: Vec<String> = (0..10)
            .map(|_| sessions.resolve(None, t0, idle, &mut rng).id)
            .collect();
        let kept = sessions.resolve(None, t0 + TimeDelta::seconds(30), idle, &mut rng);
        let later = t0 + TimeDelta::seconds(61);
        let fresh = sessions.resolve(None, later, idle, &mut rng);
        assert_eq!(sessions.len(), 2);
        assert!(!sessions.resolve(Some(&kept.id), later, idle, &mut rng).new);
        assert!(!sessions.resolve(Some(&fresh.id), later, idle, &mut rng).new);
        let expired = sessions.resolve(Some(&old[0]), later, idle, &mut rng);
        assert!(expired.new && expired.expired);
    }
}

//! Terminals and User ID password changes. (A declarant user is read from the portal as
//! [`DeclarantRow`](crate::portal::DeclarantRow) and saved as
//! [`DeclarantUpdate`](crate::portal::DeclarantUpdate).)

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{TerminalAccessKey, TerminalId, UserId};
use crate::timing::password_usable_from;

/// A terminal (Máy tính) registered for the enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct Terminal {
    /// Terminal ID.
    pub terminal_id: TerminalId,
    /// Terminal Access Key.
    pub access_key: TerminalAccessKey,
}

/// What the portal answered to a User ID password change (screen F).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordChangeKind {
    /// "Mật khẩu trùng với mật khẩu cũ": the password given is the current one; usable at once.
    SameAsOld,
    /// "Cấp password mới thành công": changed; usable after 24 hours.
    Changed,
}

impl PasswordChangeKind {
    /// The portal's message for this outcome.
    pub fn portal_message(self) -> &'static str {
        match self {
            Self::SameAsOld => "Mật khẩu trùng với mật khẩu cũ",
            Self::Changed => "Cấp password mới thành công",
        }
    }
}

/// The outcome of a User ID password change, with when the password can be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema, Deserialize)]
pub struct PasswordChangeOutcome {
    /// The User ID whose password was set.
    pub user_id: UserId,
    /// Same as the old one, or changed.
    pub kind: PasswordChangeKind,
    /// When the portal answered.
    pub answered_at: DateTime<Utc>,
    /// When declarations can be sent with the password.
    pub usable_from: DateTime<Utc>,
}

impl PasswordChangeOutcome {
    /// The outcome of an answer at `answered_at`, with its usable-from time by docs/domain.md §5.
    pub fn new(user_id: UserId, kind: PasswordChangeKind, answered_at: DateTime<Utc>) -> Self {
        let usable_from = match kind {
            PasswordChangeKind::SameAsOld => answered_at,
            PasswordChangeKind::Changed => password_usable_from(answered_at),
        };
        PasswordChangeOutcome {
            user_id,
            kind,
            answered_at,
            usable_from,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_round_trip() {
        let t = Terminal {
            terminal_id: "A1B2C3".parse().unwrap(),
            access_key: "ABCDEF0123456789".parse().unwrap(),
        };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"terminal_id":"A1B2C3","access_key":"ABCDEF0123456789"}"#
        );
        assert_eq!(serde_json::from_str::<Terminal>(&json).unwrap(), t);
    }

    #[test]
    fn password_outcomes() {
        let at: DateTime<Utc> = "2026-11-21T16:59:59Z".parse().unwrap();
        let user: UserId = "V2060001".parse().unwrap();
        let same = PasswordChangeOutcome::new(user.clone(), PasswordChangeKind::SameAsOld, at);
        assert_eq!(same.usable_from, at);
        let changed = PasswordChangeOutcome::new(user, PasswordChangeKind::Changed, at);
        assert_eq!(
            changed.usable_from,
            "2026-11-22T16:59:59Z".parse::<DateTime<Utc>>().unwrap()
        );
        for o in [same, changed] {
            let json = serde_json::to_string(&o).unwrap();
            assert_eq!(
                serde_json::from_str::<PasswordChangeOutcome>(&json).unwrap(),
                o
            );
        }
        assert_eq!(
            PasswordChangeKind::Changed.portal_message(),
            "Cấp password mới thành công"
        );
    }
}

//! Logging in to a token: PIN flags first, then at most one `C_Login` with a PIN the caller's
//! callback supplies at that moment (or none, on a PIN-pad reader).

use secrecy::SecretString;

use crate::token::TokenError;
use crate::{Error, Result};

use super::error::PinTries;

impl PinTries {
    /// What the flags say, the most urgent first.
    pub fn from_flags(flags: &PinFlags) -> Self {
        if flags.locked {
            Self::None
        } else if flags.final_try {
            Self::Last
        } else if flags.count_low {
            Self::Few
        } else {
            Self::Unknown
        }
    }
}

/// The token flags that matter for logging in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinFlags {
    /// `CKF_USER_PIN_COUNT_LOW`.
    pub count_low: bool,
    /// `CKF_USER_PIN_FINAL_TRY`.
    pub final_try: bool,
    /// `CKF_USER_PIN_LOCKED`.
    pub locked: bool,
    /// `CKF_PROTECTED_AUTHENTICATION_PATH`: the PIN is entered on the reader's own pad.
    pub pin_pad: bool,
}

/// What the PIN callback is told when a PIN is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinRequest {
    /// The token's label.
    pub token_label: String,
    /// The token's serial number.
    pub token_serial: String,
    /// The label of the certificate whose key is to be used, when known.
    pub certificate_label: Option<String>,
    /// What the token says about the tries left.
    pub tries: PinTries,
}

/// What the caller allows when logging in: [`PinPolicy::default`] (the safe choices), changed
/// with the `with_…` setters (more may come: the struct is `#[non_exhaustive]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PinPolicy {
    /// Try the PIN even when the token says only one try is left (a wrong PIN then locks it).
    pub allow_final_try: bool,
}

impl PinPolicy {
    /// Allowing (or not) the PIN to be tried when only one try is left.
    pub fn with_allow_final_try(mut self, allow: bool) -> Self {
        self.allow_final_try = allow;
        self
    }
}

/// The caller's PIN callback: asked once per login, at the moment the PIN is needed; `None`
/// cancels.
pub type PinCallback = Box<dyn FnMut(&PinRequest) -> Option<SecretString> + Send>;

/// The two token operations a login needs.
///
/// This seam exists for testing: SoftHSM2 never reports the low/final/locked PIN flags, so the
/// refusal rules, and the promise of exactly one `C_Login` per request, are tested with a fake
/// that reports those flags and counts logins; the real session implements it too.
pub(crate) trait PinTarget {
    /// The token's current PIN flags (`C_GetTokenInfo`).
    fn pin_flags(&self) -> Result<PinFlags>;
    /// One `C_Login` as the user; `None` on a PIN-pad reader.
    fn login(&self, pin: Option<&SecretString>) -> Result<()>;
}

/// Logs in once: refuses a locked PIN, and the final try unless `policy` allows it; asks `ask`
/// for the PIN (not on a PIN pad); calls `C_Login` exactly once; never retries.
pub(crate) fn log_in(
    target: &dyn PinTarget,
    request: PinRequest,
    policy: PinPolicy,
    ask: &mut dyn FnMut(&PinRequest) -> Option<SecretString>,
) -> Result<()> {
    let token = request.token_label.clone();
    let flags = target.pin_flags()?;
    if flags.locked {
        return Err(Error::Token(TokenError::PinLocked { token }));
    }
    if flags.final_try && !policy.allow_final_try {
        return Err(Error::Token(TokenError::PinFinalTry { token }));
    }
    let pin = if flags.pin_pad {
        None
    } else {
        let request = PinRequest {
            tries: PinTries::from_flags(&flags),
            ..request
        };
        Some(ask(&request).ok_or_else(|| {
            Error::Token(TokenError::PinCancelled {
                token: token.clone(),
            })
        })?)
    };
    match target.login(pin.as_ref()) {
        Ok(()) => Ok(()),
        Err(Error::Token(TokenError::PinIncorrect { .. })) => {
            Err(Error::Token(TokenError::PinIncorrect {
                // What the token says now, after this wrong try.
                tries_left: target
                    .pin_flags()
                    .map_or(PinTries::Unknown, |f| PinTries::from_flags(&f)),
                token,
            }))
        }
        Err(Error::Token(TokenError::PinLocked { .. })) => {
            Err(Error::Token(TokenError::PinLocked { token }))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::cell::{Cell, RefCell};

    /// A token that reports given flags and accepts PIN "1234".
    struct FakeToken {
        before: PinFlags,
        after_failure: PinFlags,
        logins: Cell<u32>,
        seen: RefCell<Vec<Option<String>>>,
    }

    impl FakeToken {
        fn new(before: PinFlags) -> Self {
            Self {
                before,
                after_failure: before,
                logins: Cell::new(0),
                seen: RefCell::new(Vec::new()),
            }
        }
    }

    impl PinTarget for FakeToken {
        fn pin_flags(&self) -> Result<PinFlags> {
            Ok(if self.logins.get() == 0 {
                self.before
            } else {
                self.after_failure
            })
        }
        fn login(&self, pin: Option<&SecretString>) -> Result<()> {
            self.logins.set(self.logins.get() + 1);
            let pin = pin.map(|p| p.expose_secret().to_owned());
            self.seen.borrow_mut().push(pin.clone());
            match pin.as_deref() {
                Some("1234") | None => Ok(()),
                Some(_) => Err(Error::Token(TokenError::PinIncorrect {
                    token: String::new(),
                    tries_left: PinTries::Unknown,
                })),
            }
        }
    }

    fn request() -> PinRequest {
        PinRequest {
            token_label: "VNPT-CA".into(),
            token_serial: "54AB".into(),
            certificate_label: Some("CONG TY A".into()),
            tries: PinTries::Unknown,
        }
    }

    fn pin(p: &str) -> Option<SecretString> {
        Some(SecretString::from(p.to_owned()))
    }

    #[test]
    fn right_pin_logs_in_once() {
        let token = FakeToken::new(PinFlags::default());
        let mut asked = Vec::new();
        log_in(&token, request(), PinPolicy::default(), &mut |r| {
            asked.push(r.clone());
            pin("1234")
        })
        .expect("login");
        assert_eq!(token.logins.get(), 1);
        assert_eq!(asked, vec![request()]);
    }

    #[test]
    fn wrong_pin_is_one_try_and_a_typed_error() {
        let mut token = FakeToken::new(PinFlags::default());
        token.after_failure.count_low = true;
        let mut asked = 0;
        let e = log_in(&token, request(), PinPolicy::default(), &mut |_| {
            asked += 1;
            pin("9999")
        })
        .expect_err("wrong PIN");
        assert_eq!(
            e,
            Error::Token(TokenError::PinIncorrect {
                token: "VNPT-CA".into(),
                tries_left: PinTries::Few
            })
        );
        assert!(e.to_string().contains("few tries left"));
        assert!(!e.to_string().contains("9999"));
        assert_eq!((token.logins.get(), asked), (1, 1));
    }

    #[test]
    fn locked_pin_is_refused_without_asking_or_logging_in() {
        let token = FakeToken::new(PinFlags {
            locked: true,
            ..PinFlags::default()
        });
        let e = log_in(&token, request(), PinPolicy::default(), &mut |_| {
            panic!("must not ask for a PIN")
        })
        .expect_err("locked");
        assert_eq!(e.code(), "pin_locked");
        assert_eq!(token.logins.get(), 0);
    }

    #[test]
    fn final_try_needs_permission() {
        let flags = PinFlags {
            final_try: true,
            ..PinFlags::default()
        };
        let token = FakeToken::new(flags);
        let e = log_in(&token, request(), PinPolicy::default(), &mut |_| {
            pin("1234")
        })
        .expect_err("final try refused");
        assert_eq!(e.code(), "pin_final_try");
        assert_eq!(token.logins.get(), 0);

        let allow = PinPolicy {
            allow_final_try: true,
        };
        let mut tries = None;
        log_in(&token, request(), allow, &mut |r| {
            tries = Some(r.tries);
            pin("1234")
        })
        .expect("allowed final try");
        assert_eq!(tries, Some(PinTries::Last));
        assert_eq!(token.logins.get(), 1);
    }

    #[test]
    fn few_tries_left_is_told_to_the_callback() {
        let token = FakeToken::new(PinFlags {
            count_low: true,
            ..PinFlags::default()
        });
        let mut tries = None;
        log_in(&token, request(), PinPolicy::default(), &mut |r| {
            tries = Some(r.tries);
            pin("1234")
        })
        .expect("login");
        assert_eq!(tries, Some(PinTries::Few));
    }

    #[test]
    fn pin_pad_logs_in_without_a_pin_and_without_asking() {
        let token = FakeToken::new(PinFlags {
            pin_pad: true,
            ..PinFlags::default()
        });
        log_in(&token, request(), PinPolicy::default(), &mut |_| {
            panic!("must not ask for a PIN")
        })
        .expect("PIN pad login");
        assert_eq!(*token.seen.borrow(), vec![None]);
    }

    #[test]
    fn cancelled_prompt_does_not_log_in() {
        let token = FakeToken::new(PinFlags::default());
        let e =
            log_in(&token, request(), PinPolicy::default(), &mut |_| None).expect_err("cancelled");
        assert_eq!(e.code(), "pin_cancelled");
        assert_eq!(token.logins.get(), 0);
    }
}

//! The real [`PinTarget`]: a PKCS#11 session on a token.

use cryptoki::context::Pkcs11;
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::{Slot, TokenInfo};
use secrecy::SecretString;

use super::errors::from_cryptoki;
use super::pin::{PinFlags, PinTarget};
use crate::Result;

/// A session through which to log in to its token.
pub(crate) struct SessionLogin<'a> {
    context: &'a Pkcs11,
    slot: Slot,
    session: &'a Session,
}

impl<'a> SessionLogin<'a> {
    pub(crate) fn new(context: &'a Pkcs11, slot: Slot, session: &'a Session) -> Self {
        Self {
            context,
            slot,
            session,
        }
    }
}

impl PinTarget for SessionLogin<'_> {
    fn pin_flags(&self) -> Result<PinFlags> {
        let info = self
            .context
            .get_token_info(self.slot)
            .map_err(from_cryptoki)?;
        Ok(pin_flags(&info))
    }

    fn login(&self, pin: Option<&SecretString>) -> Result<()> {
        match self.session.login(UserType::User, pin) {
            // Another session of this process logged in meanwhile: the login is shared.
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
            Err(e) => Err(from_cryptoki(e)),
        }
    }
}

/// The PIN flags in a token's info.
pub(crate) fn pin_flags(info: &TokenInfo) -> PinFlags {
    PinFlags {
        count_low: info.user_pin_count_low(),
        final_try: info.user_pin_final_try(),
        locked: info.user_pin_locked(),
        pin_pad: info.protected_authentication_path(),
    }
}

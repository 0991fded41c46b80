//! A token in a slot: what it says about itself, its certificates, and its signers.

use std::sync::Arc;

use cryptoki::session::Session;
use cryptoki::slot::Slot;
use secrecy::SecretString;

use super::errors::from_cryptoki;
use super::login::TokenLogin;
use super::objects::{TokenCertificate, list_certificates};
use super::pin::{PinFlags, PinPolicy, PinRequest};
use super::session::SessionLogin;
use super::{Module, PinCallback, TokenSigner};
use crate::Result;

/// What a token says about itself (`C_GetTokenInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The slot's number in its module.
    pub slot_id: u64,
    /// The token's label.
    pub label: String,
    /// The manufacturer.
    pub manufacturer: String,
    /// The model.
    pub model: String,
    /// The serial number.
    pub serial: String,
    /// Whether signing needs a login.
    pub login_required: bool,
    /// Whether the token has been initialised (a blank one holds nothing to use).
    pub initialized: bool,
    /// The PIN flags, PIN pad included.
    pub pin: PinFlags,
}

/// A token present in a slot of a loaded module.
#[derive(Debug, Clone)]
pub struct Token {
    module: Arc<Module>,
    slot: Slot,
    info: TokenInfo,
}

impl Token {
    pub(crate) fn new(module: Arc<Module>, slot: Slot) -> Result<Self> {
        let info = read_info(&module, slot)?;
        Ok(Self { module, slot, info })
    }

    /// What the token said about itself when it was listed.
    pub fn info(&self) -> &TokenInfo {
        &self.info
    }

    /// The certificates on the token, read without logging in. Many tokens hide private keys
    /// until login, so [`TokenCertificate::private_key`] may be
    /// [`KeyPresence::Unknown`](super::KeyPresence::Unknown); see
    /// [`Token::certificates_after_login`].
    pub fn certificates(&self) -> Result<Vec<TokenCertificate>> {
        let session = self.open_session()?;
        list_certificates(&session, !self.info.login_required)
    }

    /// The certificates, after the token's login (asking `ask` for the PIN unless the token is
    /// logged in already), so that whether each has its private key is known.
    pub fn certificates_after_login(
        &self,
        ask: &mut dyn FnMut(&PinRequest) -> Option<SecretString>,
        policy: PinPolicy,
    ) -> Result<Vec<TokenCertificate>> {
        if self.info.login_required {
            let login = self.shared_login();
            login.ensure(login.attempts(), self, None, policy, ask)?;
        }
        list_certificates(&self.open_session()?, true)
    }

    /// A signer with the key of `certificate`. Nothing is asked yet: the PIN callback is called
    /// when the first signature needs a login.
    pub fn signer(
        &self,
        certificate: &TokenCertificate,
        pin: PinCallback,
        policy: PinPolicy,
    ) -> Result<TokenSigner> {
        TokenSigner::new(self.clone(), certificate, pin, policy)
    }

    pub(crate) fn slot(&self) -> Slot {
        self.slot
    }

    pub(crate) fn module(&self) -> &Arc<Module> {
        &self.module
    }

    /// The token's login, shared in the process.
    pub(crate) fn shared_login(&self) -> Arc<TokenLogin> {
        self.module.login(self.slot.id())
    }

    pub(crate) fn open_session(&self) -> Result<Session> {
        self.module
            .context()
            .open_ro_session(self.slot)
            .map_err(from_cryptoki)
    }

    pub(crate) fn login_target<'a>(&'a self, session: &'a Session) -> SessionLogin<'a> {
        SessionLogin::new(self.module.context(), self.slot, session)
    }

    pub(crate) fn pin_request(&self, certificate_label: Option<&str>) -> PinRequest {
        PinRequest {
            token_label: self.info.label.clone(),
            token_serial: self.info.serial.clone(),
            certificate_label: certificate_label.map(str::to_owned),
            tries: super::PinTries::Unknown,
        }
    }
}

fn read_info(module: &Module, slot: Slot) -> Result<TokenInfo> {
    let info = module
        .context()
        .get_token_info(slot)
        .map_err(from_cryptoki)?;
    Ok(TokenInfo {
        slot_id: slot.id(),
        label: info.label().trim_end().to_owned(),
        manufacturer: info.manufacturer_id().trim_end().to_owned(),
        model: info.model().trim_end().to_owned(),
        serial: info.serial_number().trim_end().to_owned(),
        login_required: info.login_required(),
        initialized: info.token_initialized(),
        pin: super::session::pin_flags(&info),
    })
}

//! Loaded PKCS#11 modules: one per canonical path per process.
//!
//! `C_Initialize` may be called once per module per process, and cryptoki does not guard against a
//! second `Pkcs11` for the same library (rust-cryptoki issue #260: crashes and
//! `CKR_CRYPTOKI_ALREADY_INITIALIZED` when tests each initialise SoftHSM2). So every load goes
//! through one registry keyed by the canonical path; a module someone else in the process already
//! initialised is adopted, and `C_Finalize` is called only for modules we initialised, when
//! [`Module::release_unused`] finds nobody using them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};

use super::discovery::locate_module;
use super::errors::from_cryptoki;
use super::login::TokenLogin;
use super::slot::Token;
use crate::token::TokenError;
use crate::{Error, Result};

/// A loaded, initialised PKCS#11 module. Shared: [`Module::open`] returns the same one for the
/// same library file.
pub struct Module {
    path: PathBuf,
    context: Pkcs11,
    initialised_here: bool,
    /// The login of each token (by slot), shared by all its users in the process.
    logins: Mutex<HashMap<u64, Arc<TokenLogin>>>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("path", &self.path)
            .field("initialised_here", &self.initialised_here)
            .finish()
    }
}

type Registry = Mutex<HashMap<PathBuf, Arc<Module>>>;

fn registry() -> MutexGuard<'static, HashMap<PathBuf, Arc<Module>>> {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    // A panic while holding the lock leaves the map itself consistent.
    REGISTRY
        .get_or_init(Registry::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Module {
    /// The module at `path` if given, else the one `VNACCS_PKCS11_MODULE` names, else the first
    /// known token module found in the platform's library folders.
    pub fn open(path: Option<&Path>) -> Result<Arc<Module>> {
        Self::load(&locate_module(path)?)
    }

    /// The module at `path`, loaded and initialised on first use.
    pub fn load(path: &Path) -> Result<Arc<Module>> {
        let load_error = |reason: String| {
            Error::Token(TokenError::Pkcs11ModuleLoad {
                path: path.display().to_string(),
                reason,
            })
        };
        let canonical = std::fs::canonicalize(path).map_err(|e| load_error(e.to_string()))?;
        let mut modules = registry();
        if let Some(module) = modules.get(&canonical) {
            return Ok(Arc::clone(module));
        }
        let context = Pkcs11::new(&canonical).map_err(|e| load_error(e.to_string()))?;
        let initialised_here =
            match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
                Ok(()) => true,
                Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => false,
                Err(e) => return Err(load_error(e.to_string())),
            };
        let module = Arc::new(Module {
            path: canonical.clone(),
            context,
            initialised_here,
            logins: Mutex::default(),
        });
        modules.insert(canonical, Arc::clone(&module));
        Ok(module)
    }

    /// Finalises (if we initialised them) and forgets the modules nobody holds any more: no
    /// [`Module`], [`Token`] or signer of theirs is alive. Modules still in use stay loaded, so a
    /// module is never initialised twice at once. Returns how many were released.
    pub fn release_unused() -> usize {
        let mut modules = registry();
        let before = modules.len();
        modules.retain(|_, module| Arc::strong_count(module) > 1);
        before - modules.len()
    }

    /// The module's canonical path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this process's call to `C_Initialize` initialised the module (rather than someone
    /// else in the process before us).
    pub fn initialised_here(&self) -> bool {
        self.initialised_here
    }

    /// Every slot that holds an initialised token. Blank tokens (never initialised, such as
    /// SoftHSM2's free slot) hold nothing to sign with and cannot open a session: left out.
    pub fn tokens(self: &Arc<Self>) -> Result<Vec<Token>> {
        let slots = self.context.get_slots_with_token().map_err(from_cryptoki)?;
        let tokens: Vec<Token> = slots
            .into_iter()
            .map(|slot| Token::new(Arc::clone(self), slot))
            .collect::<Result<_>>()?;
        Ok(tokens
            .into_iter()
            .filter(|t| t.info().initialized)
            .collect())
    }

    /// The token with this label, or [`TokenError::TokenObjectNotFound`].
    pub fn token(self: &Arc<Self>, label: &str) -> Result<Token> {
        self.tokens()?
            .into_iter()
            .find(|t| t.info().label == label)
            .ok_or_else(|| {
                Error::Token(TokenError::TokenObjectNotFound {
                    what: format!("token {label:?}"),
                })
            })
    }

    /// A signer with the key of the certificate `serial`, on the token labelled `token_label`
    /// (default: whichever token holds the certificate), or [`TokenError::TokenObjectNotFound`].
    /// Nothing is asked yet: `pin` is called when the first signature needs a login.
    pub fn signer(
        self: &Arc<Self>,
        serial: &crate::ids::CertificateSerial,
        token_label: Option<&str>,
        pin: super::PinCallback,
        policy: super::PinPolicy,
    ) -> Result<super::TokenSigner> {
        let tokens = match token_label {
            Some(label) => vec![self.token(label)?],
            None => self.tokens()?,
        };
        for token in tokens {
            let found = token
                .certificates()?
                .into_iter()
                .find(|c| c.view().is_ok_and(|v| v.serial() == serial));
            if let Some(certificate) = found {
                return token.signer(&certificate, pin, policy);
            }
        }
        Err(Error::Token(TokenError::TokenObjectNotFound {
            what: format!(
                "certificate {serial} in the tokens of {}",
                self.path().display()
            ),
        }))
    }

    pub(crate) fn context(&self) -> &Pkcs11 {
        &self.context
    }

    /// The login of the token in `slot`, shared by every signer and listing of it.
    pub(crate) fn login(&self, slot: u64) -> Arc<TokenLogin> {
        let mut logins = self.logins.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(logins.entry(slot).or_default())
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        // The logins' sessions close before the module is finalised.
        self.logins
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        if self.initialised_here {
            // Nothing useful can be done about a failing C_Finalize while dropping.
            let _ = self.context.clone().finalize();
        }
    }
}

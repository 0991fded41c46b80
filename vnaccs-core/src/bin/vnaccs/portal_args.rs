//! The arguments the portal commands share: the enterprise and its admin account (`check`,
//! `update`), the login alone (`result`, `password`), where the certificates and keys are, and
//! how to reach the portal.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use secrecy::SecretString;
use url::Url;
use vnaccs_core::ids::InputError;
use vnaccs_core::portal::{CaptchaChallenge, PortalConfig};
use vnaccs_core::sign::SignError;
use vnaccs_core::token::PinCallback;
use vnaccs_core::workflow::{
    AdminAccount, CaptchaCallback, CertificateUpdate, DeclarantSelector, Enterprise, Keys,
    Operation, PemPair, PortalSettings, Request, SCHEMA_VERSION, Secrets,
};
use vnaccs_core::{CertificateSerial, Error, PersonalId, Result, TaxCode, UserId};

use crate::secrets::{pin_source, secret};

/// The enterprise, its admin account and the send form.
#[derive(clap::Args)]
pub(crate) struct EnterpriseArgs {
    /// The enterprise's tax code (Mã số thuế), a branch code included.
    #[arg(long, required_unless_present = "request")]
    tax_code: Option<String>,
    /// The legal representative's ID number (Số CMT: CMND, CCCD or passport).
    #[arg(long, required_unless_present = "request")]
    representative: Option<String>,
    /// The VNACCS admin account's email.
    #[arg(long, required_unless_present = "request")]
    admin_email: Option<String>,
    /// Take the admin account's password from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Tên người gửi, for the send form.
    #[arg(long, required_unless_present = "request")]
    sender_name: Option<String>,
    /// The sender's email, for the send form.
    #[arg(long, required_unless_present = "request")]
    sender_email: Option<String>,
    /// The customs office to send the registration to (Mã cục HQ, e.g. 01B1).
    #[arg(long, required_unless_present = "request")]
    office: Option<String>,
    /// The serial of the certificate registered until now (default: looked for among the keys).
    #[arg(long, value_name = "SERIAL")]
    old_serial: Option<String>,
    /// A declarant user to move (User code or ID number); repeat for several. Default: every
    /// user on the old certificate — needed when neither the old certificate nor its serial is
    /// given.
    #[arg(long = "declarant", value_name = "USER")]
    declarants: Vec<String>,
    /// The date of the next customs clearance (YYYY-MM-DD), for the timing warning.
    #[arg(long, value_name = "DATE")]
    clearance: Option<NaiveDate>,
    /// Accept a certificate of the same enterprise on the 10-digit base (branch and parent).
    #[arg(long)]
    accept_branch: bool,
}

/// Where the certificates and their keys are: a PKCS#11 token, PKCS#12 files, or PEM pairs.
#[derive(clap::Args)]
pub(crate) struct KeyArgs {
    /// The PKCS#11 module; default: `VNACCS_PKCS11_MODULE`, else the first known module found.
    #[arg(long, conflicts_with_all = ["pfx", "cert_file"])]
    module: Option<PathBuf>,
    /// The token's label; default: the only token, or the first holding a certificate of the
    /// tax code.
    #[arg(long, conflicts_with_all = ["pfx", "cert_file"])]
    token: Option<String>,
    /// A PKCS#12 file (.pfx, .p12) with a certificate and its key; repeat for several.
    #[arg(long, value_name = "FILE")]
    pfx: Vec<PathBuf>,
    /// A PEM certificate whose key is the `--key-file` at the same position; repeat for several.
    #[arg(long, value_name = "FILE", requires = "key_file")]
    cert_file: Vec<PathBuf>,
    /// A PEM private key (PKCS#8) for the `--cert-file` at the same position.
    #[arg(long, value_name = "FILE")]
    key_file: Vec<PathBuf>,
    /// Take the token PIN (or the .pfx password) from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    pin_env: Option<String>,
    /// Try the PIN even when the token says only one try is left.
    #[arg(long)]
    allow_final_try: bool,
}

/// How to reach the portal.
#[derive(clap::Args)]
pub(crate) struct PortalArgs {
    /// The base URL of both customs websites (e.g. a `vnaccs sandbox`); default: the real ones.
    #[arg(long, value_name = "URL")]
    portal: Option<Url>,
    /// A site profile overlay (TOML): what differs from the built-in profile (`vnaccs profile
    /// show` prints the effective one).
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Seconds allowed for each request to the portal, redirects and the whole answer included
    /// (1 to 3600; default 30).
    #[arg(long, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: Option<u64>,
    /// An HTTP(S) proxy URL.
    #[arg(long)]
    proxy: Option<String>,
    /// A CA certificate (PEM or DER) to trust for the portal's HTTPS, besides the usual ones.
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<PathBuf>,
    /// Where to write each captcha image (PNG); its answer is read from standard input.
    #[arg(long, value_name = "FILE")]
    captcha_image: Option<PathBuf>,
    /// Record every exchange with the portal in FILE as HAR 1.2, for support (password fields,
    /// the captcha answer and cookies redacted).
    #[arg(long, value_name = "FILE")]
    har: Option<PathBuf>,
}

impl EnterpriseArgs {
    /// The enterprise part of a request document.
    fn document(&self) -> Result<Enterprise> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let declarants = if self.declarants.is_empty() {
            None
        } else {
            Some(
                self.declarants
                    .iter()
                    .map(|d| selector(d))
                    .collect::<Result<_>>()?,
            )
        };
        Ok(Enterprise {
            tax_code: TaxCode::parse(&text(&self.tax_code))?,
            representative_id: Some(PersonalId::parse(&text(&self.representative))?),
            admin_email: Some(text(&self.admin_email).parse()?),
            sender_name: self.sender_name.clone(),
            sender_email: Some(text(&self.sender_email).parse()?),
            office: Some(text(&self.office).parse()?),
            old_serial: self
                .old_serial
                .as_deref()
                .map(CertificateSerial::parse)
                .transpose()?,
            declarants,
            next_clearance: self.clearance,
            accept_branch: self.accept_branch,
        })
    }
}

/// A declarant named by User code, else by ID number.
fn selector(text: &str) -> Result<DeclarantSelector> {
    match UserId::parse(text) {
        Ok(code) => Ok(DeclarantSelector::UserCode(code)),
        Err(_) => Ok(DeclarantSelector::IdNumber(PersonalId::parse(text)?)),
    }
}

impl KeyArgs {
    /// The keys part of a request document.
    fn document(&self) -> Result<Keys> {
        if self.cert_file.len() != self.key_file.len() {
            return Err(Error::Signing(SignError::KeyFile {
                reason: format!(
                    "{} --cert-file but {} --key-file: give them in pairs",
                    self.cert_file.len(),
                    self.key_file.len()
                ),
            }));
        }
        if !self.pfx.is_empty() || !self.cert_file.is_empty() {
            let pem = self
                .cert_file
                .iter()
                .zip(&self.key_file)
                .map(|(certificate, key)| PemPair {
                    certificate: certificate.clone(),
                    key: key.clone(),
                })
                .collect();
            return Ok(Keys::Files {
                pfx: self.pfx.clone(),
                pem,
            });
        }
        Ok(Keys::Pkcs11 {
            module: self.module.clone(),
            token: self.token.clone(),
            serial: None,
            allow_final_try: self.allow_final_try,
        })
    }

    /// The password of the key files `keys` names, when it names .pfx files.
    fn key_password(&self, keys: Option<&Keys>) -> Result<Option<SecretString>> {
        match keys {
            Some(Keys::Files { pfx, .. }) if !pfx.is_empty() => secret(
                self.pin_env.as_deref(),
                "Mật khẩu tệp khóa / password of the key files: ",
            )
            .ok_or(Error::Signing(SignError::KeyFilePassword))
            .map(Some),
            _ => Ok(None),
        }
    }

    /// Allows the token's final PIN try in `request` when `--allow-final-try` says so.
    fn allow_final_try_in(&self, request: &mut Request) {
        if self.allow_final_try
            && let Some(Keys::Pkcs11 {
                allow_final_try, ..
            }) = request.keys.as_mut()
        {
            *allow_final_try = true;
        }
    }

    /// The PIN callback: from `--pin-env`, else asked on the terminal.
    fn pin(&self) -> PinCallback {
        pin_source(self.pin_env.clone())
    }
}

impl PortalArgs {
    /// The portal client's configuration.
    pub(crate) fn config(&self) -> Result<PortalConfig> {
        self.settings(PortalSettings::default()).config()
    }

    /// `base` (a request document's portal settings) with the options given here in its place.
    fn settings(&self, mut base: PortalSettings) -> PortalSettings {
        if let Some(url) = &self.portal {
            base.base_url = Some(url.clone());
        }
        if let Some(profile) = &self.profile {
            base.profile = Some(profile.clone());
        }
        if let Some(har) = &self.har {
            base.har = Some(har.clone());
        }
        if let Some(timeout) = self.timeout {
            base.timeout_secs = Some(timeout);
        }
        if let Some(proxy) = &self.proxy {
            base.proxy = Some(proxy.clone());
        }
        base.trust.extend(self.trust.iter().cloned());
        base
    }

    /// The captcha callback: writes the image to the `--captcha-image` file (default: a file in
    /// the temporary folder) and reads the answer from standard input; an empty line cancels.
    pub(crate) fn captcha(&self) -> CaptchaCallback {
        let path = self
            .captcha_image
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("vnaccs-captcha.png"));
        Box::new(move |challenge: &CaptchaChallenge| {
            std::fs::write(&path, &challenge.image_png).ok()?;
            eprint!(
                "Mã xác nhận / captcha (attempt {}): {} — nhập mã / type it: ",
                challenge.attempt,
                path.display()
            );
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).ok()?;
            let answer = line.trim().to_owned();
            (!answer.is_empty()).then_some(answer)
        })
    }
}

/// The admin account's login: what `result` and `password` need (not the send form, not the
/// representative).
#[derive(clap::Args)]
pub(crate) struct Login {
    /// A request document (JSON, see docs/schema/request.json) naming the enterprise, its keys,
    /// the portal and the state file, in place of their options (as for `update`).
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "tax_code", "accept_branch", "module", "token", "pfx", "cert_file", "key_file",
    ])]
    request: Option<PathBuf>,
    /// The enterprise's tax code (Mã số thuế), the admin account's login name.
    #[arg(long, required_unless_present = "request")]
    tax_code: Option<String>,
    /// Take the admin account's password from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Accept a certificate of the same enterprise on the 10-digit base (branch and parent).
    #[arg(long)]
    accept_branch: bool,
    /// Where the admin account's certificate and its key are.
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    portal: PortalArgs,
}

impl Login {
    /// The admin account the arguments name (its password asked for now).
    pub(crate) fn account(&self) -> Result<AdminAccount> {
        self.account_of(&self.request()?)
    }

    /// The request the arguments name: the `--request` document with the options given here
    /// in its place, or the options alone.
    pub(crate) fn request(&self) -> Result<Request> {
        let mut request = match &self.request {
            Some(path) => Request::from_file(path)?,
            None => Request {
                schema_version: SCHEMA_VERSION,
                operation: Operation::Result,
                enterprise: Enterprise::of(
                    TaxCode::parse(self.tax_code.as_deref().unwrap_or_default())?,
                    self.accept_branch,
                ),
                keys: Some(self.keys.document()?),
                portal: PortalSettings::default(),
                state_file: None,
                user_id: None,
            },
        };
        request.portal = self.portal.settings(request.portal);
        self.keys.allow_final_try_in(&mut request);
        Ok(request)
    }

    /// The admin account of `request` (its password asked for now).
    pub(crate) fn account_of(&self, request: &Request) -> Result<AdminAccount> {
        let secrets = Secrets {
            admin_password: Some(admin_password(self.password_env.as_deref())?),
            key_password: self.keys.key_password(request.keys.as_ref())?,
            new_password: None,
        };
        request.admin_account(&secrets, self.keys.pin())
    }
}

/// Quên mật khẩu: the tax code and the account's email, and the portal.
#[derive(clap::Args)]
pub(crate) struct ForgotPassword {
    /// The enterprise's tax code (Mã số thuế), the admin account's login name.
    #[arg(long)]
    pub(crate) tax_code: String,
    /// The admin account's email, where the portal mails the new password.
    #[arg(long)]
    pub(crate) admin_email: String,
    #[command(flatten)]
    pub(crate) portal: PortalArgs,
}

/// The admin account's password, from `env` or asked for.
fn admin_password(env: Option<&str>) -> Result<SecretString> {
    secret(
        env,
        "Mật khẩu tài khoản quản trị / admin account password: ",
    )
    .ok_or(Error::Input(InputError::SecretNotGiven {
        what: "the admin account password".into(),
        what_vi: "mật khẩu tài khoản quản trị".into(),
    }))
}

/// The enterprise, its keys and the portal: what every command that updates (or plans to) needs,
/// from the options or from a request document.
#[derive(clap::Args)]
pub(crate) struct Target {
    /// A request document (JSON, see docs/schema/request.json) naming the enterprise, its keys,
    /// the portal and the state file, in place of their options; the portal options given
    /// override its settings, and secrets still come from the `--…-env` options or prompts.
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "tax_code", "representative", "admin_email", "sender_name", "sender_email", "office",
        "old_serial", "declarants", "clearance", "accept_branch", "module", "token", "pfx",
        "cert_file", "key_file",
    ])]
    request: Option<PathBuf>,
    #[command(flatten)]
    enterprise: EnterpriseArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    portal: PortalArgs,
}

impl Target {
    /// The request document of `operation`: the `--request` file, or the options.
    pub(crate) fn request(&self, operation: Operation) -> Result<Request> {
        let mut request = match &self.request {
            Some(path) => Request::from_file(path)?,
            None => Request {
                schema_version: SCHEMA_VERSION,
                operation,
                enterprise: self.enterprise.document()?,
                keys: Some(self.keys.document()?),
                portal: PortalSettings::default(),
                state_file: None,
                user_id: None,
            },
        };
        // The command says what to do; the document, with what.
        request.operation = operation;
        request.portal = self.portal.settings(request.portal);
        self.keys.allow_final_try_in(&mut request);
        Ok(request)
    }

    /// The update `request` describes, through the one path from a document to an update; the
    /// admin password is asked for unless the operation is a plan.
    pub(crate) fn update(&self, request: &Request) -> Result<CertificateUpdate> {
        let admin_password = match request.operation {
            Operation::Plan => None,
            _ => Some(admin_password(self.enterprise.password_env.as_deref())?),
        };
        let secrets = Secrets {
            admin_password,
            key_password: self.keys.key_password(request.keys.as_ref())?,
            new_password: None,
        };
        Ok(request
            .certificate_update(&secrets, self.keys.pin())?
            .on_captcha(self.portal.captcha()))
    }
}

//! The arguments the portal commands share: the enterprise and its admin account (`check`,
//! `update`), the login alone (`result`, `password`), where the certificates and keys are, and
//! how to reach the portal.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use secrecy::SecretString;
use url::Url;
use vnaccs_core::ids::InputError;
use vnaccs_core::portal::{CaptchaChallenge, PortalConfig, SiteProfile};
use vnaccs_core::sign::SignError;
use vnaccs_core::sign::SoftwareSigner;
use vnaccs_core::token::TokenError;
use vnaccs_core::token::{Module, PinPolicy};
use vnaccs_core::workflow::{
    AdminAccount, CaptchaCallback, CertificateUpdate, DeclarantSelector, KeySource, UpdateInputs,
};
use vnaccs_core::{CertificateSerial, Error, PersonalId, Result, TaxCode, UserId};

use crate::secrets::{pin_source, secret};

/// The enterprise, its admin account and the send form.
#[derive(clap::Args)]
pub(crate) struct EnterpriseArgs {
    /// The enterprise's tax code (Mã số thuế), a branch code included.
    #[arg(long)]
    tax_code: String,
    /// The legal representative's ID number (Số CMT: CMND, CCCD or passport).
    #[arg(long)]
    representative: String,
    /// The VNACCS admin account's email.
    #[arg(long)]
    admin_email: String,
    /// Take the admin account's password from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Tên người gửi, for the send form.
    #[arg(long)]
    sender_name: String,
    /// The sender's email, for the send form.
    #[arg(long)]
    sender_email: String,
    /// The customs office to send the registration to (Mã cục HQ, e.g. 01B1).
    #[arg(long)]
    office: String,
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
    /// A site profile (TOML) replacing the built-in one.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Seconds allowed for each request to the portal, redirects and the whole answer included
    /// (1 to 3600).
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// An HTTP(S) proxy URL.
    #[arg(long)]
    proxy: Option<String>,
    /// A CA certificate (PEM or DER) to trust for the portal's HTTPS, besides the usual ones.
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<PathBuf>,
    /// Where to write each captcha image (PNG); its answer is read from standard input.
    #[arg(long, value_name = "FILE")]
    captcha_image: Option<PathBuf>,
}

impl EnterpriseArgs {
    /// The update's inputs; the admin password is asked only when `with_password`.
    pub(crate) fn inputs(&self, with_password: bool) -> Result<UpdateInputs> {
        let password = if with_password {
            admin_password(self.password_env.as_deref())?
        } else {
            SecretString::from(String::new())
        };
        let mut inputs = UpdateInputs::new(
            TaxCode::parse(&self.tax_code)?,
            PersonalId::parse(&self.representative)?,
            self.admin_email.parse()?,
            password,
            self.sender_name.clone(),
            self.sender_email.parse()?,
            self.office.parse()?,
        );
        inputs.old_serial = self
            .old_serial
            .as_deref()
            .map(CertificateSerial::parse)
            .transpose()?;
        if !self.declarants.is_empty() {
            inputs.declarants = Some(
                self.declarants
                    .iter()
                    .map(|d| selector(d))
                    .collect::<Result<_>>()?,
            );
        }
        inputs.next_clearance = self.clearance;
        inputs.accept_branch = self.accept_branch;
        Ok(inputs)
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
    /// The key source the arguments name, for the enterprise `tax_code`.
    pub(crate) fn source(&self, tax_code: &TaxCode) -> Result<KeySource> {
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
            let mut signers = Vec::new();
            for (cert, key) in self.cert_file.iter().zip(&self.key_file) {
                signers.push(SoftwareSigner::from_pem_files(key, cert, None)?);
            }
            for pfx in &self.pfx {
                let password = secret(
                    self.pin_env.as_deref(),
                    &format!("Mật khẩu tệp / password of {}: ", pfx.display()),
                )
                .ok_or(Error::Signing(SignError::KeyFilePassword))?;
                signers.push(SoftwareSigner::from_pkcs12_file(pfx, &password)?);
            }
            return Ok(KeySource::software(signers));
        }
        let module = Module::open(self.module.as_deref())?;
        let token = match &self.token {
            Some(label) => module.token(label)?,
            None => {
                let mut tokens = module.tokens()?;
                let holds_tax_code = |t: &vnaccs_core::token::Token| {
                    t.certificates().is_ok_and(|certs| {
                        certs
                            .iter()
                            .filter_map(|c| c.view().ok())
                            .any(|v| v.tax_code().is_some_and(|t| t.base() == tax_code.base()))
                    })
                };
                let index = tokens.iter().position(holds_tax_code).unwrap_or(0);
                if tokens.is_empty() {
                    return Err(Error::Token(TokenError::TokenObjectNotFound {
                        what: format!("a token in {}", module.path().display()),
                    }));
                }
                tokens.swap_remove(index)
            }
        };
        Ok(KeySource::token(
            token,
            pin_source(self.pin_env.clone()),
            PinPolicy {
                allow_final_try: self.allow_final_try,
            },
        ))
    }
}

impl PortalArgs {
    /// The portal client's configuration.
    pub(crate) fn config(&self) -> Result<PortalConfig> {
        let mut config = match &self.portal {
            Some(url) => PortalConfig::with_base_url(url.clone()),
            None => PortalConfig::new(),
        };
        if let Some(path) = &self.profile {
            config.profile = SiteProfile::from_file(path)?;
        }
        config.timeout = std::time::Duration::from_secs(self.timeout);
        config.proxy = self.proxy.clone();
        for path in &self.trust {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
            for cert in vnaccs_core::cert::Certificate::load_all(&bytes)? {
                config.extra_roots.push(cert.der().to_vec());
            }
        }
        Ok(config)
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
    /// The enterprise's tax code (Mã số thuế), the admin account's login name.
    #[arg(long)]
    tax_code: String,
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
        let tax_code = TaxCode::parse(&self.tax_code)?;
        let password = admin_password(self.password_env.as_deref())?;
        let keys = self.keys.source(&tax_code)?;
        Ok(
            AdminAccount::new(tax_code, password, keys, self.portal.config()?)?
                .accept_branch(self.accept_branch),
        )
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

/// The enterprise, its keys and the portal: what every command that updates (or plans to) needs.
#[derive(clap::Args)]
pub(crate) struct Target {
    #[command(flatten)]
    enterprise: EnterpriseArgs,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    portal: PortalArgs,
}

impl Target {
    /// The update the arguments describe; the admin password is asked only when `with_password`.
    pub(crate) fn update(&self, with_password: bool) -> Result<CertificateUpdate> {
        let inputs = self.enterprise.inputs(with_password)?;
        let source = self.keys.source(&inputs.tax_code)?;
        Ok(
            CertificateUpdate::new(inputs, source, self.portal.config()?)?
                .on_captcha(self.portal.captcha()),
        )
    }
}

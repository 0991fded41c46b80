//! The request document: one JSON file describing a whole job — the operation, the enterprise
//! and its admin account, where the keys are, how to reach the portal, the state file — read the
//! same way by the CLI (`--request FILE`), the C library and the Python package. Secrets are
//! never in it: PINs and passwords are given through the API ([`Secrets`], the PIN callback).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use schemars::JsonSchema;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

use super::account::AdminAccount;
use super::inputs::{DeclarantSelector, UpdateInputs};
use super::keys::KeySource;
use super::update::CertificateUpdate;
use crate::ids::InputError;
use crate::ids::{CertificateSerial, CustomsOfficeCode, Email, PersonalId, TaxCode, UserId};
use crate::portal::{PortalConfig, SiteProfile};
use crate::sign::SignError;
use crate::sign::{Signer, SoftwareSigner};
use crate::token::TokenError;
use crate::token::{Module, PinCallback, PinPolicy, Token};
use crate::{Error, Result};

/// The version of the request and output documents this library reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole job, as a document. Unknown fields are refused (a misspelt option is an error, not
/// silently ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The document's version: [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What to do.
    pub operation: Operation,
    /// The enterprise, its admin account and the send form.
    pub enterprise: Enterprise,
    /// Where the certificates and their keys are (not needed to forget a password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Keys>,
    /// How to reach the portal (default: the real websites, 30-second requests).
    #[serde(default)]
    pub portal: PortalSettings,
    /// The update's state file: saved after each completed step, resumed from when it exists
    /// (`update`, `resume`); the passwords set are kept beside it (`change_password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_file: Option<PathBuf>,
    /// The User ID whose password `change_password` sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
}

/// The operation a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// The plan, offline: which certificate, what changed, the steps and the warnings.
    Plan,
    /// Steps A–D, resumed from the state file when it exists.
    Update,
    /// Steps A–D, continued from the state file, which must exist.
    Resume,
    /// Step E: the User IDs, Terminal IDs and access keys once Customs approved.
    Result,
    /// Step F: set the password of `user_id`.
    ChangePassword,
    /// Quên mật khẩu: the portal mails a new admin password to the account's email.
    ForgotPassword,
}

/// The enterprise and its admin account; the send form and the declarant users for an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// The tax code (Mã số thuế), a branch code included.
    pub tax_code: TaxCode,
    /// The legal representative's ID number (Số CMT), for an update or its plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative_id: Option<PersonalId>,
    /// The VNACCS admin account's email, for an update, its plan, or a forgotten password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_email: Option<Email>,
    /// Tên người gửi, for the send form of step D.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_name: Option<String>,
    /// The sender's email, for the send form of step D.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_email: Option<Email>,
    /// The customs office to send the registration to (Mã cục HQ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<CustomsOfficeCode>,
    /// The serial of the certificate registered until now (default: looked for among the keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_serial: Option<CertificateSerial>,
    /// The declarant users to move (default: every user on the old certificate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declarants: Option<Vec<DeclarantSelector>>,
    /// The date of the next customs clearance, for the timing warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_clearance: Option<NaiveDate>,
    /// Accept a certificate of the same enterprise on the 10-digit base (branch and parent).
    #[serde(default)]
    pub accept_branch: bool,
}

/// Where the certificates and their keys are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
pub enum Keys {
    /// A PKCS#11 token.
    Pkcs11 {
        /// The module (default: `VNACCS_PKCS11_MODULE`, else the first known module found).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        module: Option<PathBuf>,
        /// The token's label (default: the first token holding a certificate of the tax code,
        /// else the first token).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The token's serial number, when several tokens share a label.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        serial: Option<String>,
        /// Try the PIN even when the token says only one try is left.
        #[serde(default)]
        allow_final_try: bool,
    },
    /// Keys in files: PKCS#12 files (.pfx, .p12, one password for all) and PEM pairs.
    Files {
        /// The PKCS#12 files, each with a certificate and its key.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pfx: Vec<PathBuf>,
        /// PEM certificates and their PKCS#8 keys.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pem: Vec<PemPair>,
    },
}

/// A PEM certificate and its private key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PemPair {
    /// The certificate file.
    pub certificate: PathBuf,
    /// The private key file (PKCS#8, unencrypted).
    pub key: PathBuf,
}

/// How to reach the portal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortalSettings {
    /// The base URL of both customs websites (e.g. a sandbox); default: the real ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<Url>,
    /// A site profile overlay (TOML): only what differs from the built-in profile, merged over
    /// it table by table (a whole profile works too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<PathBuf>,
    /// Seconds allowed for each request, redirects and the whole answer included (1 to 3600;
    /// default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    /// An HTTPS proxy URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// CA certificates (PEM or DER files) to trust for the portal's HTTPS, besides the usual ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust: Vec<PathBuf>,
    /// The most bytes of one answer read (default: the client's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body: Option<usize>,
    /// A file to record every exchange with the portal in, as HAR 1.2 for support (password
    /// fields, the captcha answer and cookies redacted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub har: Option<PathBuf>,
}

/// The secrets a request needs, given beside it (never inside it).
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// The VNACCS admin account's password.
    pub admin_password: Option<SecretString>,
    /// The password of the .pfx files.
    pub key_password: Option<SecretString>,
    /// The new password of `change_password`.
    pub new_password: Option<SecretString>,
}

impl Enterprise {
    /// The enterprise of `tax_code` alone: what `result` and `change_password` need.
    pub fn of(tax_code: TaxCode, accept_branch: bool) -> Enterprise {
        Enterprise {
            tax_code,
            representative_id: None,
            admin_email: None,
            sender_name: None,
            sender_email: None,
            office: None,
            old_serial: None,
            declarants: None,
            next_clearance: None,
            accept_branch,
        }
    }
}

impl Request {
    /// Reads a request document from JSON, refusing another [`SCHEMA_VERSION`] (checked first)
    /// and unknown fields.
    pub fn from_json(json: &str) -> Result<Request> {
        let invalid = |e: serde_json::Error| {
            Error::Input(InputError::InvalidRequest {
                reason: e.to_string(),
            })
        };
        let value: serde_json::Value = serde_json::from_str(json).map_err(invalid)?;
        // The version first: a newer document is refused as such, not for its new fields.
        let version = value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(SCHEMA_VERSION)) {
            return Err(Error::Input(InputError::InvalidRequest {
                reason: format!(
                    "schema_version {} is not {SCHEMA_VERSION}, the version this library reads",
                    version.map_or_else(|| "missing".to_owned(), |v| v.to_string())
                ),
            }));
        }
        serde_json::from_value(value).map_err(invalid)
    }

    /// Reads the request document at `path`.
    pub fn from_file(path: &std::path::Path) -> Result<Request> {
        let json = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Request::from_json(&json)
    }

    /// The update the request describes (for `plan`, `update` and `resume`), its keys asking
    /// `pin` for a token's PIN, its state file set. The one path from a document to an update,
    /// for the CLI and both bindings.
    pub fn certificate_update(
        &self,
        secrets: &Secrets,
        pin: PinCallback,
    ) -> Result<CertificateUpdate> {
        let inputs = self.inputs(secrets)?;
        let keys = self.key_source(secrets, pin)?;
        let mut update = CertificateUpdate::new(inputs, keys, self.portal.config()?)?;
        if let Some(path) = &self.state_file {
            update = update.state_file(path);
        }
        Ok(update)
    }

    /// The admin account the request describes (for `result` and `change_password`).
    pub fn admin_account(&self, secrets: &Secrets, pin: PinCallback) -> Result<AdminAccount> {
        let keys = self.key_source(secrets, pin)?;
        let mut account = AdminAccount::new(
            self.enterprise.tax_code.clone(),
            admin_password(secrets)?,
            keys,
            self.portal.config()?,
        )?
        .accept_branch(self.enterprise.accept_branch);
        if let Some(path) = &self.state_file {
            account = account.state_file(path);
        }
        Ok(account)
    }

    /// The update's inputs.
    fn inputs(&self, secrets: &Secrets) -> Result<UpdateInputs> {
        let e = &self.enterprise;
        let missing = |what: &str| {
            Error::Input(InputError::InvalidRequest {
                reason: format!("enterprise.{what} is missing"),
            })
        };
        let representative = e
            .representative_id
            .clone()
            .ok_or_else(|| missing("representative_id"))?;
        let admin_email = e
            .admin_email
            .clone()
            .ok_or_else(|| missing("admin_email"))?;
        // A plan sends nothing: it needs no password.
        let password = match self.operation {
            Operation::Plan => secrets.admin_password.clone().unwrap_or_default(),
            _ => admin_password(secrets)?,
        };
        let sender_name = e
            .sender_name
            .clone()
            .ok_or_else(|| missing("sender_name"))?;
        let sender_email = e
            .sender_email
            .clone()
            .ok_or_else(|| missing("sender_email"))?;
        let office = e.office.clone().ok_or_else(|| missing("office"))?;
        UpdateInputs::builder(e.tax_code.clone(), representative)
            .admin_account(admin_email, password)
            .sender(sender_name, sender_email)
            .office(office)
            .old_serial(e.old_serial.clone())
            .declarants(e.declarants.clone())
            .next_clearance(e.next_clearance)
            .accept_branch(e.accept_branch)
            .build()
    }

    /// The key source the request names.
    fn key_source(&self, secrets: &Secrets, pin: PinCallback) -> Result<KeySource> {
        let keys = self.keys.as_ref().ok_or_else(|| {
            Error::Input(InputError::InvalidRequest {
                reason: "keys is missing".into(),
            })
        })?;
        match keys {
            Keys::Files { pfx, pem } => {
                let mut signers: Vec<Arc<dyn Signer>> = Vec::new();
                for pair in pem {
                    signers.push(Arc::new(SoftwareSigner::from_pem_files(
                        &pair.key,
                        &pair.certificate,
                        None,
                    )?));
                }
                if !pfx.is_empty() {
                    let password = secrets
                        .key_password
                        .as_ref()
                        .ok_or(Error::Signing(SignError::KeyFilePassword))?;
                    for file in pfx {
                        signers.push(Arc::new(SoftwareSigner::from_pkcs12_file(file, password)?));
                    }
                }
                Ok(KeySource::software(signers))
            }
            Keys::Pkcs11 {
                module,
                token,
                serial,
                allow_final_try,
            } => {
                let module = Module::open(module.as_deref())?;
                let token = choose_token(
                    module.tokens()?,
                    token.as_deref(),
                    serial.as_deref(),
                    &self.enterprise.tax_code,
                )
                .ok_or_else(|| {
                    Error::Token(TokenError::TokenObjectNotFound {
                        what: format!("a matching token in {}", module.path().display()),
                    })
                })?;
                Ok(KeySource::token(
                    token,
                    pin,
                    PinPolicy {
                        allow_final_try: *allow_final_try,
                    },
                ))
            }
        }
    }
}

/// The token with this label and serial when given, else the first holding a certificate of
/// the tax code's enterprise, else the first.
fn choose_token(
    mut tokens: Vec<Token>,
    label: Option<&str>,
    serial: Option<&str>,
    tax_code: &TaxCode,
) -> Option<Token> {
    tokens.retain(|t| {
        label.is_none_or(|l| t.info().label == l) && serial.is_none_or(|s| t.info().serial == s)
    });
    let holds_tax_code = |t: &Token| {
        t.certificates().is_ok_and(|certs| {
            certs
                .iter()
                .filter_map(|c| c.view().ok())
                .any(|v| v.tax_code().is_some_and(|t| t.base() == tax_code.base()))
        })
    };
    let index = tokens.iter().position(holds_tax_code).unwrap_or(0);
    (index < tokens.len()).then(|| tokens.swap_remove(index))
}

/// The admin password, which the operation needs.
fn admin_password(secrets: &Secrets) -> Result<SecretString> {
    secrets.admin_password.clone().ok_or_else(|| {
        Error::Input(InputError::SecretNotGiven {
            what: "the admin account password".into(),
            what_vi: "mật khẩu tài khoản quản trị".into(),
        })
    })
}

impl PortalSettings {
    /// The portal client's configuration.
    pub fn config(&self) -> Result<PortalConfig> {
        let mut config = match &self.base_url {
            Some(url) => PortalConfig::with_base_url(url.clone()),
            None => PortalConfig::new(),
        };
        if let Some(path) = &self.profile {
            config.profile = SiteProfile::from_overlay_file(path)?;
        }
        config.har = self.har.clone();
        if let Some(secs) = self.timeout_secs {
            if !(1..=3600).contains(&secs) {
                return Err(Error::Input(InputError::InvalidRequest {
                    reason: format!("portal.timeout_secs {secs} is not between 1 and 3600"),
                }));
            }
            config.timeout = Duration::from_secs(secs);
        }
        config.proxy = self.proxy.clone();
        if let Some(max) = self.max_body {
            config.max_body = max;
        }
        for path in &self.trust {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
            for cert in crate::cert::Certificate::load_all(&bytes)? {
                config.extra_roots.push(cert.der().to_vec());
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(operation: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut json = serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "operation": operation,
            "enterprise": {
                "tax_code": "0302345459",
                "representative_id": "001085012345",
                "admin_email": "admin@congty.vn",
                "sender_name": "Trần Thị Bình",
                "sender_email": "binh@congty.vn",
                "office": "02CI",
            },
            "keys": { "source": "files" },
            "portal": { "base_url": "http://127.0.0.1:9/" },
        });
        if let (Some(json), Some(extra)) = (json.as_object_mut(), extra.as_object()) {
            json.extend(extra.clone());
        }
        json
    }

    fn read(json: &serde_json::Value) -> Result<Request> {
        Request::from_json(&json.to_string())
    }

    #[test]
    fn a_request_reads_and_round_trips() {
        let request = read(&document("update", serde_json::json!({}))).unwrap();
        assert_eq!(request.operation, Operation::Update);
        assert_eq!(
            request.keys,
            Some(Keys::Files {
                pfx: vec![],
                pem: vec![]
            })
        );
        let again = Request::from_json(&serde_json::to_string(&request).unwrap()).unwrap();
        assert_eq!(again, request);
    }

    #[test]
    fn another_version_unknown_fields_and_bad_values_are_refused() {
        let code = |json: serde_json::Value| read(&json).unwrap_err().code();
        let newer = read(&document(
            "update",
            serde_json::json!({"schema_version": 2, "new_field": true}),
        ))
        .unwrap_err();
        assert!(newer.to_string().contains("schema_version 2"), "{newer}");
        assert_eq!(
            code(document(
                "update",
                serde_json::json!({"admin_password": "x"})
            )),
            "invalid_request",
            "a secret is not a field of the document"
        );
        assert_eq!(
            code(document(
                "update",
                serde_json::json!({"keys": {"source": "files", "pin": "1"}})
            )),
            "invalid_request"
        );
        assert_eq!(
            code(document("launch", serde_json::json!({}))),
            "invalid_request"
        );
        let mut bad_tax = document("update", serde_json::json!({}));
        bad_tax["enterprise"]["tax_code"] = "0302345458".into();
        let e = read(&bad_tax).unwrap_err();
        assert!(e.to_string().contains("tax code"), "{e}");
    }

    #[test]
    fn an_update_needs_its_password_and_parts_a_plan_does_not_need_the_password() {
        let pin: fn() -> PinCallback = || Box::new(|_: &crate::token::PinRequest| None);
        let update = read(&document("update", serde_json::json!({}))).unwrap();
        let e = update
            .certificate_update(&Secrets::default(), pin())
            .unwrap_err();
        assert_eq!(e.code(), "secret_not_given");
        let secrets = Secrets {
            admin_password: Some(SecretString::from("matkhau")),
            ..Secrets::default()
        };
        let built = update.certificate_update(&secrets, pin()).unwrap();
        assert_eq!(built.inputs().sender_email.as_str(), "binh@congty.vn");
        assert_eq!(built.inputs().admin_email.as_str(), "admin@congty.vn");
        let plan = read(&document("plan", serde_json::json!({}))).unwrap();
        assert!(plan.certificate_update(&Secrets::default(), pin()).is_ok());
        let mut no_office = document("update", serde_json::json!({}));
        no_office["enterprise"]
            .as_object_mut()
            .unwrap()
            .remove("office");
        let e = read(&no_office)
            .unwrap()
            .certificate_update(&secrets, pin())
            .unwrap_err();
        assert!(e.to_string().contains("enterprise.office"), "{e}");
        let pfx = read(&document(
            "update",
            serde_json::json!({"keys": {"source": "files", "pfx": ["a.pfx"]}}),
        ))
        .unwrap();
        let e = pfx.certificate_update(&secrets, pin()).unwrap_err();
        assert_eq!(e.code(), "key_file_password");
    }
}

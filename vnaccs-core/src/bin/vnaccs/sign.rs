//! `vnaccs sign`: a detached CMS (or raw PKCS#1 v1.5) signature with a certificate's key on a
//! token or in a `.pfx` file.

use std::path::PathBuf;
use std::sync::Arc;

use vnaccs_core::sign::{DigestAlgorithm, Signer, SoftwareSigner, sign_detached};
use vnaccs_core::token::TokenError;
use vnaccs_core::token::{Module, PinPolicy};

use crate::secrets::{pin_source, secret};
use vnaccs_core::{CertificateSerial, Error, Result};

/// Arguments of `sign`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The serial of the certificate to sign with (hex, as the customs portal shows it).
    #[arg(long = "cert", value_name = "SERIAL")]
    cert: String,
    /// The PKCS#11 module; default: `VNACCS_PKCS11_MODULE`, else the first known module found.
    #[arg(long, conflicts_with = "pfx")]
    module: Option<PathBuf>,
    /// The token's label; default: whichever token holds the certificate.
    #[arg(long, conflicts_with = "pfx")]
    token: Option<String>,
    /// Sign with the key in this PKCS#12 file instead of a token.
    #[arg(long)]
    pfx: Option<PathBuf>,
    /// SHA-1 instead of SHA-256, for legacy peers.
    #[arg(long)]
    sha1: bool,
    /// A bare PKCS#1 v1.5 signature instead of detached CMS.
    #[arg(long)]
    raw: bool,
    /// Take the PIN (or the .pfx password) from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    pin_env: Option<String>,
    /// Try the PIN even when the token says only one try is left.
    #[arg(long)]
    allow_final_try: bool,
    /// The file to sign.
    input: PathBuf,
    /// Where to write the signature (DER).
    output: PathBuf,
}

/// Signs `input` into `output`.
pub(crate) fn run(args: &Args) -> Result<String> {
    let serial = CertificateSerial::parse(&args.cert)?;
    let content = std::fs::read(&args.input).map_err(|e| Error::io(&args.input, &e))?;
    let signer = signer(args, &serial)?;
    let digest = if args.sha1 {
        DigestAlgorithm::Sha1
    } else {
        DigestAlgorithm::Sha256
    };
    let signature = if args.raw {
        signer.sign(digest, &content)?
    } else {
        sign_detached(signer.as_ref(), &content, digest)?
    };
    std::fs::write(&args.output, &signature).map_err(|e| Error::io(&args.output, &e))?;
    let form = if args.raw {
        "PKCS#1 v1.5"
    } else {
        "CMS detached"
    };
    Ok(format!(
        "Đã ký / signed {} with certificate {serial} ({form}, {}) → {}",
        args.input.display(),
        digest.name(),
        args.output.display()
    ))
}

fn signer(args: &Args, serial: &CertificateSerial) -> Result<Arc<dyn Signer>> {
    let not_found = |place: String| {
        Error::Token(TokenError::TokenObjectNotFound {
            what: format!("certificate {serial} in {place}"),
        })
    };
    if let Some(pfx) = &args.pfx {
        let password = secret(
            args.pin_env.as_deref(),
            "Mật khẩu tệp .pfx / .pfx password: ",
        )
        .ok_or(Error::Token(TokenError::PinCancelled {
            token: pfx.display().to_string(),
        }))?;
        let signer = SoftwareSigner::from_pkcs12_file(pfx, &password)?;
        let view = vnaccs_core::cert::Certificate::from_der(signer.certificate_der())?;
        if view.serial() != serial {
            return Err(not_found(pfx.display().to_string()));
        }
        return Ok(Arc::new(signer));
    }
    let policy = PinPolicy::default().with_allow_final_try(args.allow_final_try);
    let signer = Module::open(args.module.as_deref())?.signer(
        serial,
        args.token.as_deref(),
        pin_source(args.pin_env.clone()),
        policy,
    )?;
    Ok(Arc::new(signer))
}

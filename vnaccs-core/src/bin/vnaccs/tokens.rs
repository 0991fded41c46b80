//! `vnaccs tokens [--module PATH]`: the PKCS#11 modules found, their tokens, and each token's
//! certificates with whether their private key is there.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use vnaccs_core::token::{KeyPresence, Module, PinTries, Token, available_modules};
use vnaccs_core::{Error, Result};

use crate::{Outcome, error_json, print_json};

/// Arguments of `tokens`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The PKCS#11 module; default: `VNACCS_PKCS11_MODULE`, else every known module found.
    #[arg(long)]
    module: Option<PathBuf>,
}

/// Lists every module's tokens; fails when no module is found or one cannot be read.
pub(crate) fn run(args: &Args, json: bool) -> Outcome {
    let (outcome, listing) = list(args);
    if json {
        print_json(&listing);
    } else {
        print_text(&listing);
    }
    outcome
}

fn list(args: &Args) -> (Outcome, Value) {
    let modules = match &args.module {
        Some(path) => vec![path.clone()],
        None => match vnaccs_core::token::locate_module(None) {
            Ok(_) => available_modules(),
            Err(e) => {
                return (
                    Outcome::Refused,
                    json!({ "modules": [], "error": error_json(&e) }),
                );
            }
        },
    };
    let mut refused = false;
    let listed: Vec<Value> = modules
        .iter()
        .map(|path| match describe_module(path) {
            Ok(tokens) => json!({ "path": path, "tokens": tokens }),
            Err(e) => {
                refused = true;
                json!({ "path": path, "error": error_json(&e) })
            }
        })
        .collect();
    let outcome = if refused {
        Outcome::Refused
    } else {
        Outcome::Accepted
    };
    (outcome, json!({ "modules": listed }))
}

fn describe_module(path: &Path) -> Result<Vec<Value>> {
    Module::load(path)?
        .tokens()?
        .iter()
        .map(describe_token)
        .collect()
}

fn describe_token(token: &Token) -> Result<Value> {
    let info = token.info();
    let certificates: Vec<Value> = token
        .certificates()?
        .iter()
        .map(|c| {
            let view = c.view().map_err(Error::from);
            json!({
                "label": c.label,
                "id": c.id.iter().map(|b| format!("{b:02X}")).collect::<String>(),
                "private_key": match c.private_key {
                    KeyPresence::Present => "present",
                    KeyPresence::Absent => "absent",
                    KeyPresence::Unknown => "unknown until login",
                },
                "serial": view.as_ref().ok().map(|v| v.serial().to_string()),
                "subject_cn": view.as_ref().ok().and_then(|v| v.subject().get(&vnaccs_core::cert::AttributeKind::CommonName).map(str::to_owned)),
                "tax_code": view.as_ref().ok().and_then(|v| v.tax_code().map(ToString::to_string)),
                "not_after": view.as_ref().ok().map(|v| v.not_after()),
                "error": view.as_ref().err().map(error_json),
            })
        })
        .collect();
    Ok(json!({
        "label": info.label,
        "manufacturer": info.manufacturer,
        "model": info.model,
        "serial": info.serial,
        "login_required": info.login_required,
        "pin_pad": info.pin.pin_pad,
        "pin_tries": match PinTries::from_flags(&info.pin) {
            PinTries::Few => "few",
            PinTries::Last => "last",
            PinTries::None => "locked",
            _ => "unknown",
        },
        "certificates": certificates,
    }))
}

fn print_text(listing: &Value) {
    if let Some(e) = listing.get("error") {
        eprintln!(
            "{}\n{}",
            e["message"].as_str().unwrap_or_default(),
            e["message_vi"].as_str().unwrap_or_default()
        );
    }
    for module in listing["modules"].as_array().into_iter().flatten() {
        println!("{}", module["path"].as_str().unwrap_or_default());
        if let Some(e) = module.get("error") {
            println!("  {}", e["message"].as_str().unwrap_or_default());
        }
        for token in module["tokens"].as_array().into_iter().flatten() {
            println!(
                "  Token {:?} ({} {}, serial {}), PIN tries: {}{}",
                token["label"].as_str().unwrap_or_default(),
                token["manufacturer"].as_str().unwrap_or_default(),
                token["model"].as_str().unwrap_or_default(),
                token["serial"].as_str().unwrap_or_default(),
                token["pin_tries"].as_str().unwrap_or_default(),
                if token["pin_pad"] == true {
                    ", PIN pad"
                } else {
                    ""
                },
            );
            for cert in token["certificates"].as_array().into_iter().flatten() {
                println!(
                    "    {} serial {} MST {} until {} — private key {}",
                    cert["label"].as_str().unwrap_or_default(),
                    cert["serial"].as_str().unwrap_or("?"),
                    cert["tax_code"].as_str().unwrap_or("-"),
                    cert["not_after"].as_str().unwrap_or("?"),
                    cert["private_key"].as_str().unwrap_or_default(),
                );
            }
        }
    }
}

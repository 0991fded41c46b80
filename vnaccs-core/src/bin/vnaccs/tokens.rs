//! `vnaccs tokens [--module PATH]`: the PKCS#11 modules found, their tokens, and each token's
//! certificates with whether their private key is there.

use std::path::PathBuf;

use serde_json::Value;

use crate::{Outcome, print_json};

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

/// The listing of the modules asked for, and whether any could not be read.
fn list(args: &Args) -> (Outcome, Value) {
    let listing = vnaccs_core::token::listing(args.module.as_deref());
    let outcome = if vnaccs_core::token::listing_has_error(&listing) {
        Outcome::Refused
    } else {
        Outcome::Accepted
    };
    (outcome, listing)
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

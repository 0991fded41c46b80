//! `vnaccs tax-code CODE…`: whether each tax code (MST) is valid, and why not.

use serde_json::{Value, json};
use vnaccs_core::{Error, TaxCode};

use crate::{Outcome, error_json, print_json};

/// Arguments of `tax-code`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Tax codes, e.g. 0100112437 or 0106869738-012.
    #[arg(required = true)]
    codes: Vec<String>,
}

/// Checks every code; exits non-zero when any is invalid.
pub(crate) fn run(args: &Args, json: bool) -> Outcome {
    let results: Vec<_> = args
        .codes
        .iter()
        .map(|c| (c, TaxCode::parse(c).map_err(Error::from)))
        .collect();
    if json {
        let entries = results.iter().map(|(input, r)| match r {
            Ok(t) => json!({ "input": input, "valid": true, "tax_code": t, "base": t.base(), "branch": t.branch() }),
            Err(e) => json!({ "input": input, "valid": false, "error": error_json(e) }),
        });
        print_json(&Value::Array(entries.collect()));
    } else {
        for (input, r) in &results {
            match r {
                Ok(t) if t.branch().is_some() => {
                    println!(
                        "{t}: hợp lệ / valid (chi nhánh {} của / branch of {})",
                        t.branch().unwrap_or_default(),
                        t.base()
                    );
                }
                Ok(t) => println!("{t}: hợp lệ / valid"),
                Err(e) => println!("{input}: {}\n{input}: {e}", e.message_vi()),
            }
        }
    }
    if results.iter().all(|(_, r)| r.is_ok()) {
        Outcome::Accepted
    } else {
        Outcome::Refused
    }
}

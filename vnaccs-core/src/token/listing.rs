//! The listing of PKCS#11 modules, their tokens and each token's certificates, as one JSON
//! document: what `vnaccs tokens --json` prints and the bindings return.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{KeyPresence, Module, PinTries, Token, available_modules, locate_module};
use crate::Result;
use crate::cert::AttributeKind;

/// Lists `module` (default: every known module found) as
/// `{"modules": [{"path", "tokens": [{"label", "manufacturer", "model", "serial",
/// "login_required", "pin_pad", "pin_tries", "certificates": [{"label", "id", "private_key",
/// "serial", "subject_cn", "tax_code", "not_after", "error"}]}]}]}`; a module that cannot be
/// read has `"error"` instead of `"tokens"`, and no module found gives `"error"` beside an
/// empty `"modules"`. Errors are in the library's error JSON. Whether any error is in it:
/// [`listing_has_error`].
pub fn listing(module: Option<&Path>) -> Value {
    let modules: Vec<PathBuf> = match module {
        Some(path) => vec![path.to_path_buf()],
        None => match locate_module(None) {
            Ok(_) => available_modules(),
            Err(e) => return json!({ "modules": [], "error": e }),
        },
    };
    let listed: Vec<Value> = modules
        .iter()
        .map(|path| match describe_module(path) {
            Ok(tokens) => json!({ "path": path, "tokens": tokens }),
            Err(e) => json!({ "path": path, "error": e }),
        })
        .collect();
    json!({ "modules": listed })
}

/// Whether a [`listing`] holds an error (no module found, or a module that cannot be read).
pub fn listing_has_error(listing: &Value) -> bool {
    listing.get("error").is_some()
        || listing["modules"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m.get("error").is_some())
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
            let view = c.view().map_err(crate::Error::from);
            let view = view.as_ref();
            json!({
                "label": c.label,
                "id": c.id.iter().map(|b| format!("{b:02X}")).collect::<String>(),
                "private_key": match c.private_key {
                    KeyPresence::Present => "present",
                    KeyPresence::Absent => "absent",
                    KeyPresence::Unknown => "unknown until login",
                },
                "serial": view.ok().map(|v| v.serial().to_string()),
                "subject_cn": view.ok().and_then(|v| v.subject().get(&AttributeKind::CommonName).map(str::to_owned)),
                "tax_code": view.ok().and_then(|v| v.tax_code().map(ToString::to_string)),
                "not_after": view.ok().map(|v| v.not_after()),
                "error": view.err(),
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

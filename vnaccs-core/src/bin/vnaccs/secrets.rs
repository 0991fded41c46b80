//! Secrets the commands ask for: PINs and passwords, from an environment variable named on the
//! command line or from a terminal prompt without echo. Never printed, never logged.

use secrecy::SecretString;
use vnaccs_core::token::{PinCallback, PinRequest, PinTries};

/// The PIN callback: from the environment variable, or asked on the terminal without echo.
pub(crate) fn pin_source(env: Option<String>) -> PinCallback {
    Box::new(move |request: &PinRequest| {
        let tries = match request.tries {
            PinTries::Few => " (còn ít lần thử / few tries left)",
            PinTries::Last => " (lần thử cuối / last try)",
            _ => "",
        };
        let prompt = format!(
            "Mã PIN của token / PIN of token {:?}{tries}: ",
            request.token_label
        );
        secret(env.as_deref(), &prompt)
    })
}

/// A secret from the environment variable `env`, else asked on the terminal; `None` when neither
/// gives one.
pub(crate) fn secret(env: Option<&str>, prompt: &str) -> Option<SecretString> {
    match env {
        Some(var) => std::env::var(var).ok().map(SecretString::from),
        None => rpassword::prompt_password(prompt)
            .ok()
            .map(SecretString::from),
    }
}

//! Secrets the commands ask for: PINs and passwords, from an environment variable named on the
//! command line or from a terminal prompt without echo. Never printed, never logged. A variable
//! named on the command line is read once, at start-up, and removed from the process's
//! environment (so that nothing the process runs or loads later can read it).

use std::collections::HashMap;
use std::sync::OnceLock;

use secrecy::SecretString;
use vnaccs_core::token::{PinCallback, PinRequest, PinTries};

/// The secrets taken from the environment at start-up, by variable name.
static TAKEN: OnceLock<HashMap<String, SecretString>> = OnceLock::new();

/// Reads and removes from the environment every variable that an option `--…-env VAR` (or
/// `--…-env=VAR`) of `args` names. Must run first thing in `main`, before any thread starts.
pub(crate) fn take_from_environment(args: &[String]) {
    let mut names = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let Some(option) = arg.strip_prefix("--") else {
            continue;
        };
        match option.split_once('=') {
            Some((name, var)) if name.ends_with("-env") => names.push(var.to_owned()),
            None if option.ends_with("-env") => names.extend(iter.next().cloned()),
            _ => {}
        }
    }
    let mut taken = HashMap::new();
    for name in names {
        if name.is_empty() || name.contains(['=', '\0']) {
            continue;
        }
        if let Ok(value) = std::env::var(&name) {
            taken.insert(name.clone(), SecretString::from(value));
        }
        // SAFETY: called at the start of `main`, before the process starts any thread, so no
        // other thread reads or writes the environment meanwhile.
        unsafe { std::env::remove_var(&name) };
    }
    let _ = TAKEN.set(taken);
}

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

/// A secret from the environment variable `env` (as taken at start-up), else asked on the
/// terminal; `None` when neither gives one.
pub(crate) fn secret(env: Option<&str>, prompt: &str) -> Option<SecretString> {
    match env {
        Some(var) => TAKEN.get().and_then(|taken| taken.get(var)).cloned(),
        None => rpassword::prompt_password(prompt)
            .ok()
            .map(SecretString::from),
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn a_named_variable_is_read_once_and_removed_from_the_environment() {
        // SAFETY: the only test of this binary: no other thread touches the environment.
        unsafe {
            std::env::set_var("VNACCS_TEST_PIN", "135790");
            std::env::set_var("VNACCS_TEST_PASSWORD", "Hq@2026vnaccs");
            std::env::set_var("VNACCS_TEST_UNNAMED", "kept");
        }
        let args = ["vnaccs", "update", "--pin-env", "VNACCS_TEST_PIN"]
            .into_iter()
            .chain(["--password-env=VNACCS_TEST_PASSWORD", "--json"])
            .map(String::from)
            .collect::<Vec<_>>();
        take_from_environment(&args);
        assert!(std::env::var("VNACCS_TEST_PIN").is_err());
        assert!(std::env::var("VNACCS_TEST_PASSWORD").is_err());
        assert_eq!(std::env::var("VNACCS_TEST_UNNAMED").as_deref(), Ok("kept"));
        let pin = secret(Some("VNACCS_TEST_PIN"), "").unwrap();
        assert_eq!(pin.expose_secret(), "135790");
        // Asked again (a second login), the PIN is still there.
        let again = secret(Some("VNACCS_TEST_PIN"), "").unwrap();
        assert_eq!(again.expose_secret(), "135790");
        let password = secret(Some("VNACCS_TEST_PASSWORD"), "").unwrap();
        assert_eq!(password.expose_secret(), "Hq@2026vnaccs");
        assert!(secret(Some("VNACCS_TEST_UNNAMED"), "").is_none());
    }
}

//! `vnaccs profile`: the site profile — `show` prints the effective one (the built-in profile
//! with a caller's overlay merged over it).

use std::path::PathBuf;

use vnaccs_core::Error;

/// Arguments of `profile`.
#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Print the effective site profile (TOML): the built-in one, with `--profile` merged over it.
    Show {
        /// A site profile overlay (TOML): what differs from the built-in profile.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
    },
}

/// Runs the subcommand; prints its output (the profile's text, or its JSON).
pub(crate) fn run(args: &Args, json: bool) -> vnaccs_core::Result<String> {
    match &args.command {
        Command::Show { profile } => {
            let overlay = match profile {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?),
                None => None,
            };
            let text = vnaccs_core::portal::effective_toml(overlay.as_deref())?;
            if json {
                crate::print_json(&serde_json::json!({ "ok": true, "profile": text }));
            } else {
                print!("{text}");
            }
            Ok(String::new())
        }
    }
}

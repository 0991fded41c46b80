//! `vnaccs`: the command line of the vnaccs library — the demo on the embedded sandbox, the
//! certificate update against a portal (check, update, result, password), the sandbox portal, and
//! the everyday chores: inspect certificates, check tax codes, list tokens, sign.
//!
//! Human output by default, `--json` for machines; logs on standard error with `-v`/`-vv` or
//! `RUST_LOG`. Exit codes: 0 success, 1 when an input or the portal
//! refused (an unreadable certificate, an invalid tax code, a wrong PIN, a portal refusal), 2 for
//! a usage error.

mod check;
mod demo;
mod inspect;
mod portal_args;
mod profile;
mod progress;
mod sandbox;
mod secrets;
mod sign;
mod tax_code;
mod tokens;
mod update;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{Value, json};
use vnaccs_core::Error;

/// Register and update digital certificates with Vietnam Customs (VNACCS).
#[derive(Parser)]
#[command(name = "vnaccs", version, about)]
struct Cli {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Log what the library does on standard error: -v for its steps, -vv for every request,
    /// -vvv for everything (`RUST_LOG` overrides). Secrets are never logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job on the embedded sandbox portal: a whole certificate update (A–D), Customs'
    /// approval, the result (E) and a password change (F), with a throwaway software token.
    Demo(demo::Args),
    /// The update's plan, offline: which certificate, what changed, the steps and the warnings.
    Check(check::Args),
    /// Register the new certificate and send the registration (steps A–D), resumable.
    Update(update::UpdateArgs),
    /// After Customs approved: User IDs, Terminal IDs and access keys (step E).
    Result(update::ResultArgs),
    /// Set a User ID's password (step F).
    Password(update::PasswordArgs),
    /// Quên mật khẩu: have the portal mail a new admin account password to the account's email.
    ForgotPassword(portal_args::ForgotPassword),
    /// The site profile: print the effective one (`show`), check it against saved pages
    /// (`check`).
    Profile(profile::Args),
    /// Serve the simulated customs portal on loopback until stopped.
    Sandbox(sandbox::Args),
    /// Show certificates (DER, PEM with one or more, base64, XML with <X509Certificate>).
    Inspect(inspect::Args),
    /// Check tax codes (MST): valid or not, and why.
    TaxCode(tax_code::Args),
    /// List PKCS#11 modules, their tokens, and the certificates and keys on them.
    Tokens(tokens::Args),
    /// Sign a file with a certificate's key on a token or in a .pfx file.
    Sign(sign::Args),
}

/// Whether every input was accepted.
pub(crate) enum Outcome {
    /// All inputs accepted.
    Accepted,
    /// At least one input refused; each was reported.
    Refused,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    secrets::take_from_environment(&args);
    let cli = Cli::parse();
    install_logging(cli.verbose);
    let outcome = match cli.command {
        Command::Inspect(args) => inspect::run(&args, cli.json),
        Command::TaxCode(args) => tax_code::run(&args, cli.json),
        Command::Tokens(args) => tokens::run(&args, cli.json),
        Command::Sign(args) => report(sign::run(&args), cli.json),
        Command::Demo(args) => report_done(demo::run(&args, cli.json), cli.json),
        Command::Check(args) => report_done(check::run(&args, cli.json), cli.json),
        Command::Update(args) => report_done(update::run_update(&args, cli.json), cli.json),
        Command::Result(args) => report_done(update::run_result(&args, cli.json), cli.json),
        Command::Password(args) => report_done(update::run_password(&args, cli.json), cli.json),
        Command::ForgotPassword(args) => {
            report_done(update::run_forgot_password(&args, cli.json), cli.json)
        }
        Command::Sandbox(args) => report(sandbox::run(&args), cli.json),
        Command::Profile(args) => profile::run(&args, cli.json),
    };
    match outcome {
        Outcome::Accepted => ExitCode::SUCCESS,
        Outcome::Refused => ExitCode::FAILURE,
    }
}

/// Logs to standard error: `RUST_LOG` when set, else warnings, and more for each `-v`.
fn install_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Prints the outcome of a command that does one thing: its summary, or its error in both
/// languages.
fn report(result: vnaccs_core::Result<String>, json: bool) -> Outcome {
    match (result, json) {
        (Ok(summary), false) => {
            println!("{summary}");
            Outcome::Accepted
        }
        (Ok(summary), true) => {
            print_json(&json!({ "ok": true, "summary": summary }));
            Outcome::Accepted
        }
        (Err(e), json) => report_error(&e, json),
    }
}

/// Prints the outcome of a command that printed its own result (its JSON, or its progress and
/// a closing summary): the summary, or the error.
fn report_done(result: vnaccs_core::Result<String>, json: bool) -> Outcome {
    match result {
        Ok(summary) => {
            if !summary.is_empty() {
                println!("{summary}");
            }
            Outcome::Accepted
        }
        Err(e) => report_error(&e, json),
    }
}

/// Prints an error in both languages (on stderr), or as JSON (on stdout).
fn report_error(e: &Error, json: bool) -> Outcome {
    if json {
        print_json(&json!({ "ok": false, "error": error_json(e) }));
    } else {
        eprintln!("{}\n{e}", e.message_vi());
    }
    Outcome::Refused
}

/// An error as JSON: the core's one form of it (code, status, category, messages, hints,
/// retryable, and the step when it has one).
pub(crate) fn error_json(e: &Error) -> Value {
    serde_json::to_value(e).expect("an error serialises")
}

/// Prints a JSON value, pretty.
pub(crate) fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values serialise")
    );
}

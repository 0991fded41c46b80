//! `vnaccs profile`: the site profile — `show` prints the effective one (the built-in profile
//! with a caller's overlay merged over it), `check` checks it against pages saved from the
//! portal (HTML files or a HAR).

use std::path::{Path, PathBuf};

use vnaccs_core::Error;
use vnaccs_core::portal::{PageCheck, check_files, effective_toml};
use vnaccs_core::workflow::Document;

use crate::Outcome;

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
    /// Check the effective profile against saved pages: which fields, buttons, selectors and
    /// messages each page has and lacks, with candidates for what it lacks. Exit code 1 when
    /// anything is missing.
    Check {
        /// A site profile overlay (TOML): what differs from the built-in profile.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
        /// Pages saved from the portal: HTML files, or HAR files (every HTML answer in them).
        #[arg(required = true, value_name = "PAGES")]
        pages: Vec<PathBuf>,
    },
}

/// Runs the subcommand and prints its output (text, or JSON).
pub(crate) fn run(args: &Args, json: bool) -> Outcome {
    let result = match &args.command {
        Command::Show { profile } => show(profile.as_deref(), json),
        Command::Check { profile, pages } => check(profile.as_deref(), pages, json),
    };
    match result {
        Ok(outcome) => outcome,
        Err(e) => crate::report_error(&e, json),
    }
}

fn overlay(profile: Option<&Path>) -> vnaccs_core::Result<Option<String>> {
    profile
        .map(|path| std::fs::read_to_string(path).map_err(|e| Error::io(path, &e)))
        .transpose()
}

fn show(profile: Option<&Path>, json: bool) -> vnaccs_core::Result<Outcome> {
    let text = effective_toml(overlay(profile)?.as_deref())?;
    if json {
        crate::print_json(&serde_json::json!({ "ok": true, "profile": text }));
    } else {
        print!("{text}");
    }
    Ok(Outcome::Accepted)
}

fn check(profile: Option<&Path>, files: &[PathBuf], json: bool) -> vnaccs_core::Result<Outcome> {
    let report = check_files(profile, files)?;
    let ok = report.ok;
    if json {
        crate::print_json(&serde_json::to_value(Document::new(report)).unwrap_or_default());
    } else {
        for check in &report.pages {
            print_check(check);
        }
    }
    Ok(if ok {
        Outcome::Accepted
    } else {
        Outcome::Refused
    })
}

fn print_check(check: &PageCheck) {
    let Some(page) = &check.page else {
        println!("{}: not a page of the profile", check.source);
        return;
    };
    let missing = check.missing().count();
    println!("{}: page {page}, {missing} missing", check.source);
    for item in &check.items {
        let state = if item.found { "found  " } else { "MISSING" };
        print!("  {state} {} {} {}", item.kind.en(), item.key, item.name);
        if !item.candidates.is_empty() {
            print!(" (candidates: {})", item.candidates.join(", "));
        }
        println!();
    }
}

//! `vnaccs inspect FILE…`: the certificate view of every certificate in each file.

use std::path::PathBuf;

use serde_json::{Value, json};
use vnaccs_core::Error;
use vnaccs_core::cert::{Certificate, CertificateSummary, TrustAnchors};

use crate::{Outcome, error_json, print_json};

/// Arguments of `inspect`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Certificate files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Reads every file; unreadable ones are reported after the others are shown.
pub(crate) fn run(args: &Args, json: bool) -> Outcome {
    let anchors = TrustAnchors::national();
    let mut shown = Vec::new();
    let mut failed = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        let certs = std::fs::read(file)
            .map_err(|e| Error::io(file, &e))
            .and_then(|bytes| Certificate::load_all(&bytes).map_err(Error::from));
        match certs {
            Ok(certs) => shown.extend(certs.iter().map(|c| (name.clone(), c.summary(&anchors)))),
            Err(e) => failed.push((name, e)),
        }
    }
    if json {
        let ok = shown.iter().map(|(file, summary)| {
            let mut v = serde_json::to_value(summary).expect("summaries serialise");
            v["file"] = json!(file);
            v
        });
        let err = failed
            .iter()
            .map(|(file, e)| json!({ "file": file, "error": error_json(e) }));
        print_json(&Value::Array(ok.chain(err).collect()));
    } else {
        shown
            .iter()
            .for_each(|(file, summary)| print_text(file, summary));
        for (file, e) in &failed {
            eprintln!("{file}: {e}\n{file}: {}", e.message_vi());
        }
    }
    if failed.is_empty() {
        Outcome::Accepted
    } else {
        Outcome::Refused
    }
}

fn print_text(file: &str, s: &CertificateSummary) {
    let ids: Vec<String> = s
        .identities
        .iter()
        .map(|i| format!("{}:{}", i.kind.prefix(), i.value))
        .collect();
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    println!("{file}");
    println!("  Serial:      {}", s.serial);
    println!("  Subject:     {}", s.subject);
    println!("  Issuer:      {}", s.issuer);
    println!("  CA:          {}", s.ca.map_or("(unknown)", |f| f.name()));
    println!(
        "  Identities:  {}",
        if ids.is_empty() {
            "(none)".to_owned()
        } else {
            ids.join(", ")
        }
    );
    println!(
        "  Tax code:    {}",
        s.tax_code.as_deref().unwrap_or("(none)")
    );
    println!(
        "  Valid:       {} → {}",
        time(s.not_before),
        time(s.not_after)
    );
    println!("  Key:         {} {}", s.key_algorithm, s.key_bits);
    println!("  Signature:   {}", s.signature_algorithm.name());
    println!("  SHA-1:       {}", s.sha1_thumbprint);
    println!("  CA cert:     {}", if s.is_ca { "yes" } else { "no" });
    println!(
        "  Chain:       {}",
        if s.chain {
            "trusted (Vietnamese national roots)"
        } else {
            "not trusted"
        }
    );
}

//! `vnaccs sandbox`: serve the simulated customs portal for integrators until stopped.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::{Result, fixtures};

/// Arguments of `sandbox`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Where to listen (a loopback address unless --allow-remote; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Allow a --listen address other hosts can reach. The sandbox serves known test passwords
    /// and keys: anyone who can reach it can use them.
    #[arg(long)]
    allow_remote: bool,
    /// The scenario (JSON) to start from; default: the test PKI's enterprise, whose certificates
    /// and keys are written to the export folder.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Where to write the test PKI's certificates and keys (default scenario only); default: a
    /// new temporary folder.
    #[arg(long, value_name = "DIR", conflicts_with = "scenario")]
    export: Option<PathBuf>,
    /// Customs approves a sent registration this many seconds after it was sent (at most 30
    /// days).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(0..=2_592_000))]
    approve_after: Option<u64>,
}

/// Serves until the process is stopped. The sandbox clock follows real time; every captcha's
/// answer is printed as it is issued.
pub(crate) fn run(args: &Args) -> Result<String> {
    let mut config = SandboxConfig::default()
        .with_listen(args.listen)
        .with_allow_remote(args.allow_remote)
        .with_auto_approve_after(args.approve_after.map(Duration::from_secs));
    // Refused before any test key is written.
    config.check_listen()?;
    config.scenario = match &args.scenario {
        Some(path) => Scenario::from_file(path)?,
        None => test_scenario(args.export.as_deref())?,
    };
    let sandbox = Sandbox::start(config)?;
    println!(
        "Cổng Hải quan mô phỏng / sandbox portal: {}\n  đăng ký chữ ký số / registration: \
         {}Pages/DangKyChuKySo.aspx\n  VNACCS: {}Pages/dn.aspx\nCtrl-C để dừng / to stop.",
        sandbox.url(),
        sandbox.url(),
        sandbox.url()
    );
    let mut last_captcha = None;
    let mut tick = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let elapsed = TimeDelta::from_std(tick.elapsed()).unwrap_or_default();
        tick = Instant::now();
        sandbox.clock().advance(elapsed);
        let captcha = sandbox.captcha_answer();
        if captcha.is_some() && captcha != last_captcha {
            println!(
                "mã xác nhận / captcha: {}",
                captcha.as_deref().unwrap_or_default()
            );
            last_captcha = captcha;
        }
    }
}

/// The test PKI's standard scenario, with its certificates and keys written to `export` (or a new
/// temporary folder) so that integrators can sign with them.
fn test_scenario(export: Option<&Path>) -> Result<Scenario> {
    let dir = match export {
        Some(dir) => dir.to_path_buf(),
        None => std::env::temp_dir().join(format!("vnaccs-sandbox-{}", std::process::id())),
    };
    let scenario = Scenario::export_test_pki(&dir, Utc::now())?;
    println!(
        "Kịch bản thử / test scenario: MST {}, Số CMT {}, admin {} / {}, offices {}\n  \
         certificates and keys (PEM): {}",
        fixtures::TAX,
        TEST_REPRESENTATIVE_ID,
        TEST_ADMIN_EMAIL,
        TEST_ADMIN_PASSWORD,
        TEST_OFFICES.join(", "),
        dir.display()
    );
    Ok(scenario)
}

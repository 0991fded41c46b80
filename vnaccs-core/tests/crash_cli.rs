//! Crash consistency: `vnaccs update` killed with SIGKILL at [`KILLS`] random instants (seeded) —
//! at a random time after it starts, or the moment its state file is being written (its
//! temporary file appears) — and run again after each kill until the update completes: the state
//! file is always readable, and each update sends exactly one registration (and registers,
//! confirms the user list and saves the declarant exactly once). Updates follow one another, each
//! on a fresh sandbox with the standard scenario, until the kills are done.
//!
//! `VNACCS_CRASH_SEED=S` replays another schedule; `VNACCS_CRASH_KILLS=N` kills more.
#![cfg(all(feature = "cli", feature = "test-pki", feature = "sandbox"))]

mod cli_common;
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use vnaccs_core::fixtures::Issued;
use vnaccs_core::sandbox::{Operation, Sandbox, SandboxConfig, Scenario, TEST_ADMIN_PASSWORD};
use vnaccs_core::workflow::UpdateState;

/// Kills by default.
const KILLS: u64 = 100;
const DEFAULT_SEED: u64 = 4_2026;
use cli_common::ADMIN_ENV;
/// A run that takes longer than this is stuck.
const RUN_DEADLINE: Duration = Duration::from_secs(120);
/// Runs of one update, killed or not, before the test calls it stuck.
const MAX_RUNS: u32 = 40;

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}

fn pem_pair(dir: &Path, name: &str, issued: &Issued) {
    std::fs::write(dir.join(format!("{name}.pem")), issued.pem()).unwrap();
    std::fs::write(
        dir.join(format!("{name}.key.pem")),
        issued.key.pkcs8_pem().as_bytes(),
    )
    .unwrap();
}

/// How a run ends.
enum Kill {
    /// Not killed.
    Never,
    /// Killed this long after it starts.
    After(Duration),
    /// Killed when the state file's temporary file appears for the `n`-th time in the run.
    AtWrite(u32),
}

/// What a run did.
struct Run {
    /// Killed (and how: while the temporary file existed or not).
    killed: bool,
    killed_in_write: bool,
    /// The temporary file was still there after the kill: the write was cut.
    write_cut: bool,
    /// The exit status and output when not killed.
    success: bool,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// One update's files: the PEM pairs, the state file and the captcha image.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        let set = &common::pki().set;
        let dir = tempfile::tempdir().unwrap();
        pem_pair(dir.path(), "old", &set.enterprise_old);
        pem_pair(dir.path(), "new", &set.enterprise_new);
        std::fs::create_dir(dir.path().join("state")).unwrap();
        Files { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn state(&self) -> PathBuf {
        self.path("state/update.json")
    }

    /// The temporary file the state's atomic write creates.
    fn temporary(&self) -> PathBuf {
        self.path("state/.update.json.tmp")
    }

    fn args(&self, sb: &Sandbox) -> Vec<String> {
        let mut args: Vec<String> = ["--json", "update", "--portal", sb.url().as_str()]
            .map(String::from)
            .to_vec();
        args.extend(cli_common::enterprise_args());
        for name in ["old", "new"] {
            args.push("--cert-file".into());
            args.push(self.path(&format!("{name}.pem")).display().to_string());
            args.push("--key-file".into());
            args.push(self.path(&format!("{name}.key.pem")).display().to_string());
        }
        args.push("--state".into());
        args.push(self.state().display().to_string());
        args.push("--captcha-image".into());
        args.push(self.path("captcha.png").display().to_string());
        args
    }

    /// Runs `vnaccs update` against `sb`, answering its captcha, killed as `kill` says.
    fn run(&self, sb: &Sandbox, kill: &Kill) -> Run {
        let image = self.path("captcha.png");
        let _ = std::fs::remove_file(&image);
        let temporary = self.temporary();
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vnaccs"))
            .args(self.args(sb))
            .env(ADMIN_ENV, TEST_ADMIN_PASSWORD)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vnaccs starts");
        let mut stdin = child.stdin.take();
        let (mut writes, mut in_write) = (0, false);
        let mut killed = false;
        let mut killed_in_write = false;
        loop {
            if matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            assert!(
                started.elapsed() < RUN_DEADLINE,
                "vnaccs update still running after {RUN_DEADLINE:?}"
            );
            let now_in_write = std::fs::symlink_metadata(&temporary).is_ok();
            if now_in_write && !in_write {
                writes += 1;
            }
            in_write = now_in_write;
            let due = match kill {
                Kill::Never => false,
                Kill::After(delay) => started.elapsed() >= *delay,
                Kill::AtWrite(n) => in_write && writes >= *n,
            };
            if due {
                child.kill().expect("SIGKILL");
                killed = true;
                killed_in_write = in_write;
                break;
            }
            if image.exists()
                && let Some(input) = stdin.as_mut()
            {
                // The image is written just before the prompt; the answer is the one the
                // sandbox issued last (this is its only client).
                let answer = sb.captcha_answer().expect("a captcha was issued");
                let _ = writeln!(input, "{answer}");
                let _ = std::fs::remove_file(&image);
            }
            if matches!(kill, Kill::AtWrite(_)) {
                std::thread::yield_now();
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        drop(stdin);
        let out = child.wait_with_output().expect("vnaccs ends");
        Run {
            killed,
            killed_in_write,
            write_cut: killed && temporary.exists(),
            success: !killed && out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: started.elapsed(),
        }
    }
}

/// What the test did.
#[derive(Default, Debug)]
struct Counts {
    updates: u64,
    runs: u64,
    kills: u64,
    kills_in_write: u64,
    writes_cut: u64,
    error_exits: u64,
    sends: u32,
    /// Kills by where the state file said the update was (the next step, or "start").
    kills_at: std::collections::BTreeMap<String, u64>,
}

fn sandbox() -> Sandbox {
    let pki = common::pki();
    Sandbox::start(SandboxConfig::new(Scenario::for_test_pki(
        &pki.pki, &pki.set,
    )))
    .unwrap()
}

#[test]
fn killed_at_random_instants_and_resumed_until_complete() {
    let started = Instant::now();
    let kills = env_number("VNACCS_CRASH_KILLS").unwrap_or(KILLS);
    let seed = env_number("VNACCS_CRASH_SEED").unwrap_or(DEFAULT_SEED);
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let replay = format!(
        "replay with VNACCS_CRASH_SEED={seed} VNACCS_CRASH_KILLS={kills} cargo test -p \
         vnaccs-core --all-features --test crash_cli"
    );

    // A run without a kill: how long a whole update takes, the span of the timed kills.
    let reference = {
        let sb = sandbox();
        let files = Files::new();
        let run = files.run(&sb, &Kill::Never);
        assert!(
            run.success,
            "the update without kills fails: {}",
            run.stderr
        );
        run.elapsed
    };
    let span = reference.as_micros() as u64;

    let mut counts = Counts::default();
    while counts.kills < kills {
        let sb = sandbox();
        let files = Files::new();
        // Up to five kills of this update, then runs until it completes.
        let mut planned = 1 + rng.next_u64() % 5;
        let mut runs = 0;
        loop {
            runs += 1;
            assert!(
                runs <= MAX_RUNS,
                "update {}: still not complete; {replay}",
                counts.updates
            );
            let kill = if planned == 0 || counts.kills >= kills {
                Kill::Never
            } else if rng.next_u64() % 3 == 0 {
                Kill::AtWrite(1 + (rng.next_u64() % 4) as u32)
            } else {
                Kill::After(Duration::from_micros(rng.next_u64() % span))
            };
            let run = files.run(&sb, &kill);
            counts.runs += 1;
            if run.killed {
                planned -= 1;
                counts.kills += 1;
                counts.kills_in_write += u64::from(run.killed_in_write);
                counts.writes_cut += u64::from(run.write_cut);
            }
            // The state file is always readable.
            let at = if files.state().exists() {
                let state = UpdateState::load(&files.state()).unwrap_or_else(|e| {
                    panic!("the state file after run {runs} is unreadable: {e}; {replay}")
                });
                match (state.unconfirmed, state.next_step()) {
                    (Some(step), _) => format!("{} posted", step.letter()),
                    (None, Some(step)) => step.letter().to_string(),
                    (None, None) => "done".into(),
                }
            } else {
                "start".into()
            };
            if run.killed {
                *counts.kills_at.entry(at).or_default() += 1;
            }
            if run.success {
                let out: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                assert_eq!(out["ok"], true, "{}", run.stdout);
                break;
            }
            if !run.killed {
                // Stopped by itself (e.g. its post's answer lost when the last kill cut the
                // connection): run again, as a user would.
                counts.error_exits += 1;
                eprintln!("an exit without a kill: {} {}", run.stdout, run.stderr);
            }
        }
        let state = UpdateState::load(&files.state()).unwrap();
        assert_eq!(state.next_step(), None, "the update is complete");
        for op in [
            Operation::RegisterSubmit,
            Operation::ConfirmUsers,
            Operation::DeclarantSave,
            Operation::Send,
        ] {
            assert_eq!(
                sb.effects(op),
                1,
                "update {}: {op:?} took effect once; {replay}",
                counts.updates
            );
        }
        assert_eq!(
            sb.posts(Operation::Send),
            1,
            "update {}: the registration was sent once, never again; {replay}",
            counts.updates
        );
        counts.sends += sb.effects(Operation::Send);
        counts.updates += 1;
    }
    println!(
        "crash: {} kills ({} while the state file was being written, {} of them cutting the \
         write), {} updates completed, {} runs ({} resumes), {} exits without a kill, {} sends \
         (one per update); a whole update {:.2} s; seed {seed}, {:.1} s",
        counts.kills,
        counts.kills_in_write,
        counts.writes_cut,
        counts.updates,
        counts.runs,
        counts.runs - counts.updates,
        counts.error_exits,
        counts.sends,
        reference.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "crash: kills by what the state file said then {:?}",
        counts.kills_at
    );
    assert!(counts.kills_in_write > 0, "no kill during a state write");
}

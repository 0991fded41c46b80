//! Replays every committed fuzz input — the seed corpora (`fuzz/corpus/<target>/`) and the
//! inputs that once crashed (`fuzz/regressions/<target>/`) — through the targets' bodies: a
//! plain test, no fuzzing time.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use vnaccs_fuzz_harness::TARGETS;

/// The files of `dir`, sorted (none when it does not exist).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_committed_input_replays_without_failing() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut failures = Vec::new();
    for (target, body) in TARGETS {
        let seeds = inputs(&fuzz.join("corpus").join(target));
        let regressions = inputs(&fuzz.join("regressions").join(target));
        assert!(!seeds.is_empty(), "no seed corpus for {target}");
        for file in seeds.iter().chain(&regressions) {
            let data = std::fs::read(file).unwrap();
            if catch_unwind(AssertUnwindSafe(|| body(&data))).is_err() {
                failures.push(file.display().to_string());
            }
        }
        println!(
            "{target}: {} seeds, {} regressions",
            seeds.len(),
            regressions.len()
        );
    }
    assert!(failures.is_empty(), "failing inputs: {failures:#?}");
}

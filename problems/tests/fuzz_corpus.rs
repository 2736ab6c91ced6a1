//! The committed fuzz corpus (`fuzz/corpus/<target>/`, minimized from the campaigns that
//! BENCHMARKS.md records) replayed through each target's body (`quotient_problems::fuzzing`) in
//! every test run: a reader change that panics on an input the fuzzers once reached fails here,
//! without cargo-fuzz or a nightly toolchain. `scripts/fuzz-smoke` still fuzzes for real.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use quotient_problems::fuzzing::TARGETS;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Every input of `target`'s committed corpus, file name and bytes.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn every_committed_input_runs_through_its_target_without_a_panic() {
    let mut total = 0;
    for (target, body) in TARGETS {
        let inputs = corpus(target);
        assert!(!inputs.is_empty(), "fuzz/corpus/{target} is empty");
        for (name, data) in &inputs {
            let run = std::panic::catch_unwind(|| body(data));
            assert!(
                run.is_ok(),
                "fuzz/corpus/{target}/{name} panics in {target}"
            );
        }
        println!("{target}: {} inputs", inputs.len());
        total += inputs.len();
    }
    assert!(total > 1000, "only {total} committed inputs");
}

/// `TARGETS` and the fuzz project's binaries name the same targets, so that no target goes
/// without its replay.
#[test]
fn the_replayed_targets_are_the_fuzz_projects_targets() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    let mut bins: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "quotient-fuzz")
        .collect();
    bins.sort_unstable();
    let mut replayed: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
    replayed.sort_unstable();
    assert_eq!(bins, replayed);
}

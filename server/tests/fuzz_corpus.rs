//! The committed `http_body` fuzz corpus (`fuzz/corpus/http_body/`) replayed through the
//! target's body (`quotient_server::fuzzing::http_body`) in every test run, as
//! `problems/tests/fuzz_corpus.rs` does for the reader targets.
#![allow(clippy::unwrap_used)]

use std::path::Path;

#[test]
fn every_committed_http_body_input_runs_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/http_body");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() > 100,
        "{}: {} inputs",
        dir.display(),
        files.len()
    );
    for path in &files {
        let data = std::fs::read(path).unwrap();
        let run = std::panic::catch_unwind(|| quotient_server::fuzzing::http_body(&data));
        assert!(run.is_ok(), "{} panics", path.display());
    }
    println!("http_body: {} inputs", files.len());
}

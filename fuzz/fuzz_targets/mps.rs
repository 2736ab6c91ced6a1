#![no_main]
//! MPS reader (plain and gzip bytes) and the checker on the all-zero point.
//! The target's body is `quotient_problems::fuzzing::mps`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::mps(data));

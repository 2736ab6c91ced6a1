#![no_main]
//! Job-shop readers (OR-Library and Taillard, auto-detected) and the checker.
//! The target's body is `quotient_problems::fuzzing::jssp`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::jssp(data));

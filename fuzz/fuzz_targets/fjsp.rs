#![no_main]
//! Flexible job-shop reader (Brandimarte / Hurink), FJSP detection, the checker and the writer.
//! The target's body is `quotient_problems::fuzzing::fjsp`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::fjsp(data));

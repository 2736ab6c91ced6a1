#![no_main]
//! TSPLIB reader: must never panic; a parsed instance must check any tour without panicking.
//! The target's body is `quotient_problems::fuzzing::tsplib`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::tsplib(data));

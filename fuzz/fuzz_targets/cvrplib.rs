#![no_main]
//! CVRPLIB reader: must never panic; the checker must not panic on the parsed instance.
//! The target's body is `quotient_problems::fuzzing::cvrplib`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::cvrplib(data));

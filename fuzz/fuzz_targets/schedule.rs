#![no_main]
//! Job-shop schedule reader (`read_schedule`: one line of start times per job) against a fixed
//! 3 x 3 instance, then the checker and the schedule writer on whatever it accepted.
//! The target's body is `quotient_problems::fuzzing::schedule`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::schedule(data));

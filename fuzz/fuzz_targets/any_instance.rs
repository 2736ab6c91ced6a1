#![no_main]
//! Format detection + every reader, as the CLI and server reach them (including JSON), then
//! what they do with an instance that was accepted: check a trivial solution, write the
//! instance and the solution back, and (job shop) the model's lower bound, which the dispatch
//! solver computes first. None of it may panic or allocate from an unchecked number.
//! The target's body is `quotient_problems::fuzzing::any_instance`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::any_instance(data));

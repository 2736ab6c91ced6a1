#![no_main]
//! `any::read_solution` (JSON solution shapes, the whole `solve --json` answer, or the family's
//! native format) for one fixed small instance of each family, chosen by the first byte; then
//! `any::check`, `solution_to_json` and `write_solution` on whatever was accepted.
//! The target's body is `quotient_problems::fuzzing::any_solution`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::any_solution(data));

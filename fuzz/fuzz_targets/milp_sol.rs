#![no_main]
//! MILP solution readers against a fixed small instance: the `name value` text format
//! (`.sol`, as MIPLIB, HiGHS and SCIP write it) and the JSON solution shape
//! (`{"values": {name: value}}`, also inside a whole `solve --json` answer), then the checker.
//! The target's body is `quotient_problems::fuzzing::milp_sol`, which `problems/tests/fuzz_corpus.rs`
//! replays over the committed corpus in every test run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_problems::fuzzing::milp_sol(data));

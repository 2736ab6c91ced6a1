#![no_main]
//! The server's request-body path without a network: the body of
//! `quotient_server::fuzzing::http_body` (the extractor's decoder, then the instance and
//! solution readers and the checker, as `POST /v1/solve`, `/v1/jobs` and `/v1/validate` reach
//! them), which `server/tests/fuzz_corpus.rs` replays over the committed corpus in every test
//! run.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quotient_server::fuzzing::http_body(data));

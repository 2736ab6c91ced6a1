//! What the `http_body` fuzz target (`fuzz/http/`) does with its input, kept here so that
//! `server/tests/fuzz_corpus.rs` replays the committed corpus (`fuzz/corpus/http_body/`)
//! through the same code in every test run. Not part of the crate's API.

use crate::api::{SolveRequest, ValidateRequest, decode_json, parse_solution};
use quotient_problems::{ReadLimits, any};

/// The request-body path without a network: the bytes go through the extractor's decoder
/// ([`decode_json`]: JSON syntax, integral floats as integers, the body's shape) as a
/// `POST /v1/solve` / `POST /v1/jobs` body ([`SolveRequest`]: the instance through every
/// reader, a warm start through [`parse_solution`]) and as a `POST /v1/validate` body
/// ([`ValidateRequest`]: instance and solution); whatever is accepted is checked. The
/// extractor's length and time limits are HTTP (`tests/hostile_http.rs`); solver options are
/// not resolved (that probes ONNX Runtime, which is no parsing).
pub fn http_body(data: &[u8]) {
    let limits = ReadLimits::default();
    let check = |value: &serde_json::Value, inst: &any::AnyInstance| {
        if let Ok(sol) = parse_solution(value, inst) {
            let _ = any::check(inst, &sol);
        }
    };
    if let Ok(solve) = decode_json::<SolveRequest>(data)
        && let Ok(inst) = solve.parse_instance(&limits)
        && let Some(initial) = &solve.options.initial
    {
        check(initial, &inst);
    }
    if let Ok(v) = decode_json::<ValidateRequest>(data)
        && let Ok(inst) = v.parse_instance(&limits)
        && let Some(solution) = &v.solution
    {
        check(solution, &inst);
    }
}

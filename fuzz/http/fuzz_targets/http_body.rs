#![no_main]
//! The server's request-body path without a network: the bytes go through the extractor's
//! decoder (`api::decode_json`: JSON syntax, integral floats as integers, the body's shape, as
//! `POST /v1/solve` and `POST /v1/jobs` decode `SolveRequest`; the extractor's length and time
//! limits are HTTP, tested in `tests/hostile_http.rs`), then
//! `SolveRequest::parse_instance` (family / format / name checks and every reader, JSON objects
//! re-serialised), and a warm start `options.initial` through `api::parse_solution`; the same
//! bytes as a `POST /v1/validate` body (`ValidateRequest`: `parse_instance` + `parse_solution`).
//! Whatever is accepted is checked with `any::check`. `build_options` is not run: it resolves
//! solvers (and probes ONNX Runtime), which is no parsing.
use libfuzzer_sys::fuzz_target;
use quotient_problems::{ReadLimits, any};
use quotient_server::api::{
    SolveRequest, ValidateRequest, decode_json, parse_instance, parse_solution,
};

fn check_solution(value: &serde_json::Value, inst: &any::AnyInstance) {
    if let Ok(sol) = parse_solution(value, inst) {
        let _ = any::check(inst, &sol);
    }
}

fuzz_target!(|data: &[u8]| {
    let limits = ReadLimits::default();
    if let Ok(solve) = decode_json::<SolveRequest>(data)
        && let Ok(inst) = solve.parse_instance(&limits)
        && let Some(initial) = &solve.options.initial
    {
        check_solution(initial, &inst);
    }
    if let Ok(v) = decode_json::<ValidateRequest>(data)
        && let Ok(inst) = parse_instance(
            v.family.as_deref(),
            v.format.as_deref(),
            v.name.as_deref(),
            &v.instance,
            &limits,
        )
        && let Some(solution) = &v.solution
    {
        check_solution(solution, &inst);
    }
});

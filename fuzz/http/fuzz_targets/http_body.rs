#![no_main]
//! The server's request-body path without a network: the bytes go through the JSON extractor
//! (`api::JsonBody`, as `POST /v1/solve` and `POST /v1/jobs` decode `SolveRequest`), then
//! `SolveRequest::parse_instance` (family / format / name checks and every reader, JSON objects
//! re-serialised), and a warm start `options.initial` through `api::parse_solution`; the same
//! bytes as a `POST /v1/validate` body (`ValidateRequest`: `parse_instance` + `parse_solution`).
//! Whatever is accepted is checked with `any::check`. `build_options` is not run: it resolves
//! solvers (and probes ONNX Runtime), which is no parsing.
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use libfuzzer_sys::fuzz_target;
use quotient_problems::any;
use quotient_server::api::{
    JsonBody, SolveRequest, ValidateRequest, parse_instance, parse_solution,
};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Poll a future that never waits on I/O (a body already in memory) to its end.
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn check_solution(value: &serde_json::Value, inst: &any::AnyInstance) {
    if let Ok(sol) = parse_solution(value, inst) {
        let _ = any::check(inst, &sol);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(req) = Request::builder()
        .method("POST")
        .uri("/v1/solve")
        .body(Body::from(data.to_vec()))
    else {
        return;
    };
    if let Ok(JsonBody(solve)) = block_on(JsonBody::<SolveRequest>::from_request(req, &()))
        && let Ok(inst) = solve.parse_instance()
        && let Some(initial) = &solve.options.initial
    {
        check_solution(initial, &inst);
    }
    if let Ok(v) = serde_json::from_slice::<ValidateRequest>(data)
        && let Ok(inst) = parse_instance(
            v.family.as_deref(),
            v.format.as_deref(),
            v.name.as_deref(),
            &v.instance,
        )
        && let Some(solution) = &v.solution
    {
        check_solution(solution, &inst);
    }
});

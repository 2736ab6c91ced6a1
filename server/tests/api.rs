//! In-process tests of every endpoint and every error status: `app(state).oneshot(request)`,
//! no socket.
#![allow(clippy::unwrap_used)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use quotient_server::{AppState, Config, app};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn config() -> Config {
    Config {
        max_concurrent: 2,
        queue: 4,
        max_body: 1 << 20,
        ..Config::default()
    }
}

/// Whether this run tests the PostgreSQL store (`QUOTIENT_TEST_STORE=postgres`; `scripts/test`
/// runs this file both ways).
fn durable() -> bool {
    std::env::var("QUOTIENT_TEST_STORE").is_ok_and(|v| v == "postgres")
}

/// The service under test, over the in-process store or over PostgreSQL (a fresh schema).
async fn router(cfg: Config) -> (Router, AppState) {
    let state = if durable() {
        let schema = format!("api_{:016x}", rand::random::<u64>());
        let store = pg_store(cfg.store_settings(), &schema)
            .await
            .expect("QUOTIENT_TEST_STORE=postgres needs PostgreSQL");
        AppState::with_store(cfg, store).unwrap()
    } else {
        AppState::new(cfg).unwrap()
    };
    (app(state.clone()), state)
}

async fn send(app: &Router, method: &str, uri: &str, body: Option<Vec<u8>>) -> (StatusCode, Value) {
    let (status, bytes) = send_raw(app, method, uri, body).await;
    let v = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

async fn send_raw(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<Vec<u8>>,
) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, Body::from))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, bytes)
}

async fn post(app: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    send(app, "POST", uri, Some(body.to_string().into_bytes())).await
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    send(app, "GET", uri, None).await
}

fn assert_error_shape(v: &Value, code: &str) {
    assert_eq!(v["code"], code, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    assert!(v.get("detail").is_some(), "{v}");
}

/// Poll a job until `pred` holds on its view (at most `secs`).
async fn wait_job(app: &Router, id: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (s, v) = get(app, &format!("/v1/jobs/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if pred(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "job did not get there: {v}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn is_final(v: &Value) -> bool {
    matches!(v["status"].as_str(), Some("done" | "cancelled" | "failed"))
}

#[tokio::test]
async fn solve_answers_the_cli_json_shape() {
    let (app, _) = router(config()).await;
    let (s, v) = post(&app, "/v1/solve", &solve_body("tsplib", SQUARE, json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["instance"], "square");
    assert_eq!(v["family"], "tsp");
    assert_eq!(v["solver"], "tsp.exact");
    assert_eq!(v["status"], "optimal");
    assert_eq!(v["objective"], 40.0);
    assert!(v["elapsed_ms"].is_u64());
    assert_eq!(v["solution"]["tour"].as_array().unwrap().len(), 4);
}

/// A flexible job shop: two jobs, three machines (1-based, Brandimarte's header with the
/// average flexibility).
const FJSP2: &str = "2 3 1.5\n2 2 1 4 3 5 1 2 6\n1 2 2 3 3 2\n";

#[tokio::test]
async fn solve_takes_every_family_and_format_detection() {
    let (app, _) = router(config()).await;
    let cases = [
        (
            json!({"format": "jssp", "instance": JSSP3, "options": {"solver": "jssp.dispatch"}}),
            "jssp",
        ),
        (
            json!({"format": "cvrplib", "instance": CVRP5, "options": {"solver": "cvrp.savings"}}),
            "cvrp",
        ),
        (
            json!({"format": "fjsp", "instance": FJSP2, "options": {"solver": "fjsp.tabu", "time_limit": 0.2, "threads": 1}}),
            "fjsp",
        ),
        // FJSP detected from the content (the `n m avg` header), `auto` picks fjsp.tabu.
        (
            json!({"instance": FJSP2, "options": {"time_limit": 0.2}}),
            "fjsp",
        ),
        (
            json!({"format": "lp", "name": "tiny", "instance": LP}),
            "milp",
        ),
        // No format: detected from the content, as the CLI does.
        (
            json!({"instance": SQUARE, "options": {"solver": "tsp.nn"}}),
            "tsp",
        ),
        (
            json!({"family": "tsp", "instance": SQUARE, "options": {"solver": "tsp.ils", "time_limit": 0.05, "threads": 1, "seed": 3}}),
            "tsp",
        ),
    ];
    for (body, family) in cases {
        let (s, v) = post(&app, "/v1/solve", &body).await;
        assert_eq!(s, StatusCode::OK, "{body} -> {v}");
        assert_eq!(v["family"], family, "{v}");
        assert!(v["objective"].is_number(), "{v}");
        if family == "fjsp" {
            assert_eq!(v["solver"], "fjsp.tabu", "{v}");
            assert_eq!(v["objective"], 10.0, "{v}");
            assert_eq!(v["status"], "optimal", "{v}");
            assert_eq!(v["solution"]["machine"].as_array().unwrap().len(), 2, "{v}");
        }
    }
}

#[tokio::test]
async fn solve_takes_a_json_instance_object_and_a_warm_start() {
    let (app, _) = router(config()).await;
    let inst = quotient_problems::any::read_instance_text(
        SQUARE,
        quotient_problems::any::InputFormat::Tsplib,
        "square",
    )
    .unwrap();
    let obj = serde_json::to_value(&inst).unwrap();
    let body = json!({"instance": obj, "options": {"solver": "tsp.ils", "time_limit": 0.05, "threads": 1,
        "initial": {"tour": [0, 2, 1, 3]}}});
    let (s, v) = post(&app, "/v1/solve", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["objective"], 40.0);
    // The same as a JSON string with format json.
    let body =
        json!({"format": "json", "instance": obj.to_string(), "options": {"solver": "tsp.nn"}});
    let (s, v) = post(&app, "/v1/solve", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn malformed_json_is_400() {
    let (app, _) = router(config()).await;
    let (s, v) = send(&app, "POST", "/v1/solve", Some(b"{\"instance\": ".to_vec())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_error_shape(&v, "request.malformed_json");
    let (s, v) = send(&app, "POST", "/v1/jobs", Some(b"not json".to_vec())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_error_shape(&v, "request.malformed_json");
    // Well-formed JSON of the wrong shape: also 400, with its own code.
    for body in [
        json!({}),
        json!({"instance": SQUARE, "options": {"seed": "x"}}),
        json!({"instance": SQUARE, "typo": 1}),
        json!([1, 2]),
    ] {
        let (s, v) = post(&app, "/v1/solve", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_error_shape(&v, "request.invalid_body");
    }
}

#[tokio::test]
async fn oversized_body_is_413() {
    let (app, _) = router(Config {
        max_body: 1000,
        ..config()
    })
    .await;
    let body = solve_body("tsplib", &random_tsp(100, 1), json!({}));
    for uri in ["/v1/solve", "/v1/jobs", "/v1/validate"] {
        let (s, v) = post(&app, uri, &body).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
        assert_error_shape(&v, "request.too_large");
        assert_eq!(v["detail"]["limit_bytes"], 1000);
    }
}

#[tokio::test]
async fn instance_that_does_not_parse_is_422_with_code_and_line() {
    let (app, _) = router(config()).await;
    let bad = SQUARE.replace("2 10 0", "2 ten 0");
    for uri in ["/v1/solve", "/v1/jobs", "/v1/validate"] {
        let body = json!({"format": "tsplib", "instance": bad});
        let (s, v) = post(&app, uri, &body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {v}");
        assert_error_shape(&v, "parse.invalid_number");
        assert_eq!(v["detail"]["line"], 7, "{v}");
    }
    // Bad JSON instance objects are parse errors too.
    let (s, v) = post(
        &app,
        "/v1/solve",
        &json!({"instance": {"family": "tsp", "n": "x"}}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["code"].as_str().unwrap().starts_with("parse."), "{v}");
}

#[tokio::test]
async fn bad_field_values_are_422() {
    let (app, _) = router(config()).await;
    let cases = [
        (
            json!({"format": "xml", "instance": SQUARE}),
            "request.invalid_format",
        ),
        (
            json!({"family": "knapsack", "instance": SQUARE}),
            "request.invalid_family",
        ),
        (
            json!({"family": "cvrp", "format": "tsplib", "instance": SQUARE}),
            "request.family_mismatch",
        ),
        (
            json!({"family": "jssp", "instance": SQUARE, "format": "tsplib"}),
            "request.family_mismatch",
        ),
        (json!({"instance": 42}), "request.invalid_instance"),
        (
            json!({"format": "tsplib", "instance": {"a": 1}}),
            "request.invalid_instance",
        ),
        (
            json!({"instance": SQUARE, "options": {"solver": "tsp.magic"}}),
            "solve.unknown_solver",
        ),
        (
            json!({"instance": SQUARE, "options": {"solver": "jssp.tabu"}}),
            "solve.wrong_family",
        ),
        (
            json!({"instance": SQUARE, "options": {"time_limit": -1}}),
            "solve.invalid_option",
        ),
        (
            json!({"instance": SQUARE, "options": {"initial": 5}}),
            "request.invalid_solution",
        ),
    ];
    for (body, code) in cases {
        for uri in ["/v1/solve", "/v1/jobs"] {
            let (s, v) = post(&app, uri, &body).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{uri} {body} -> {v}");
            assert_eq!(v["code"], code, "{uri} {body} -> {v}");
        }
    }
    // A warm start that does not parse: the parser's code.
    let body = json!({"instance": SQUARE, "options": {"initial": "TOUR_SECTION\nx\n-1\n"}});
    let (s, v) = post(&app, "/v1/solve", &body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["code"].as_str().unwrap().starts_with("parse."), "{v}");
    // A warm start of the wrong size is found by the library: 422 for a sync solve.
    let body = json!({"instance": SQUARE, "options": {"solver": "tsp.ils", "time_limit": 0.05, "initial": {"tour": [0, 1]}}});
    let (s, v) = post(&app, "/v1/solve", &body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_error_shape(&v, "solve.bad_initial");
}

#[tokio::test]
async fn no_input_gives_a_server_error() {
    let (app, _) = router(config()).await;
    let bodies: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff, 0xfe, 0x00],
        b"null".to_vec(),
        b"\"text\"".to_vec(),
        json!({"instance": ""}).to_string().into_bytes(),
        json!({"instance": "\u{0}\u{1}"}).to_string().into_bytes(),
        json!({"instance": "NAME: x\nTYPE: TSP\nDIMENSION: 99999999999\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\nEOF\n"}).to_string().into_bytes(),
        json!({"instance": "NAME: x\nTYPE: TSP\nDIMENSION: 1\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\nEOF\n", "options": {"solver": "tsp.nn"}}).to_string().into_bytes(),
        json!({"format": "mps", "instance": "ROWS\n"}).to_string().into_bytes(),
        json!({"format": "taillard", "instance": "Nb of jobs, Nb of Machines\n1 1\n"}).to_string().into_bytes(),
        json!({"instance": SQUARE, "options": {"threads": 1_000_000_000usize, "time_limit": 1e300, "solver": "tsp.nn"}}).to_string().into_bytes(),
        json!({"instance": {"family": "milp"}}).to_string().into_bytes(),
    ];
    for body in bodies {
        for uri in ["/v1/solve", "/v1/validate"] {
            let (s, v) = send(&app, "POST", uri, Some(body.clone())).await;
            assert!(
                !s.is_server_error(),
                "{uri} {:?} -> {s} {v}",
                String::from_utf8_lossy(&body)
            );
            if !s.is_success() {
                assert!(v["code"].is_string(), "{v}");
            }
        }
    }
}

#[tokio::test]
async fn unknown_job_is_404_and_unknown_route_is_404() {
    let (app, _) = router(config()).await;
    for (m, uri) in [
        ("GET", "/v1/jobs/nope"),
        ("DELETE", "/v1/jobs/nope"),
        ("GET", "/v1/jobs/nope/events"),
    ] {
        let (s, v) = send(&app, m, uri, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{m} {uri}");
        assert_error_shape(&v, "job.not_found");
    }
    let (s, v) = get(&app, "/v2/anything").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error_shape(&v, "route.not_found");
    let (s, v) = send(&app, "PUT", "/v1/solve", None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&v, "route.method_not_allowed");
}

#[tokio::test]
async fn job_runs_to_done_with_best_and_result() {
    let (app, _) = router(config()).await;
    let body = solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"}));
    let req = Request::builder()
        .method("POST")
        .uri("/v1/jobs")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let location = resp.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let v: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/v1/jobs/{id}"));
    assert_eq!(v["href"], location);
    let v = wait_job(&app, &id, 10, is_final).await;
    assert_eq!(v["status"], "done", "{v}");
    assert_eq!(v["family"], "tsp");
    assert_eq!(v["solver"], "tsp.nn");
    assert_eq!(v["result"]["objective"], 40.0);
    assert_eq!(v["result"]["solution"]["tour"].as_array().unwrap().len(), 4);
    assert_eq!(v["best"]["objective"], 40.0, "{v}");
    assert!(v["best"]["elapsed_ms"].is_u64());
    assert!(v["improvements"].as_u64().unwrap() >= 1);
    assert!(v["error"].is_null());
    // Cancelling an ended job changes nothing.
    let (s, v2) = send(&app, "POST", &format!("/v1/jobs/{id}/cancel"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v2["status"], "done");
}

#[tokio::test]
async fn cancel_ends_a_running_job_within_100ms_with_its_best() {
    let (app, _) = router(config()).await;
    let (s, v) = post(&app, "/v1/jobs", &long_job()).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    wait_job(&app, &id, 10, |v| {
        v["status"] == "running" && !v["best"].is_null()
    })
    .await;
    let asked = Instant::now();
    let (s, v) = send(&app, "POST", &format!("/v1/jobs/{id}/cancel"), None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let v = wait_job(&app, &id, 5, is_final).await;
    let client_ms = asked.elapsed().as_millis();
    assert_eq!(v["status"], "cancelled", "{v}");
    // The server measures cancel request -> solve returned; the issue asks for 100 ms.
    let server_ms = v["cancel_latency_ms"].as_u64().unwrap();
    assert!(server_ms <= 100, "cancel took {server_ms} ms");
    // Client side adds polling (5 ms) and scheduling on a loaded 2-core test machine.
    assert!(client_ms <= 1000, "cancel seen after {client_ms} ms");
    assert!(v["result"]["objective"].is_number(), "{v}");
    assert_eq!(
        v["result"]["solution"]["tour"].as_array().unwrap().len(),
        200
    );
}

#[tokio::test]
async fn queue_full_is_429_and_queued_jobs_cancel_at_once() {
    let (app, state) = router(Config {
        max_concurrent: 1,
        queue: 1,
        ..config()
    })
    .await;
    let (s, a) = post(&app, "/v1/jobs", &long_job()).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let a = a["id"].as_str().unwrap().to_string();
    wait_job(&app, &a, 10, |v| v["status"] == "running").await;
    let (s, b) = post(&app, "/v1/jobs", &long_job()).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let b = b["id"].as_str().unwrap().to_string();
    assert_eq!(
        get(&app, &format!("/v1/jobs/{b}")).await.1["status"],
        "queued"
    );
    assert_eq!(state.queued().await.unwrap(), 1);
    for uri in ["/v1/jobs", "/v1/solve"] {
        let (s, v) = post(&app, uri, &long_job()).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{uri}");
        assert_error_shape(&v, "queue.full");
        assert_eq!(v["detail"]["capacity"], 2);
    }
    let (s, _) = send(&app, "POST", &format!("/v1/jobs/{b}/cancel"), None).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let vb = wait_job(&app, &b, 2, is_final).await;
    assert_eq!(vb["status"], "cancelled");
    assert!(vb["result"].is_null());
    send(&app, "POST", &format!("/v1/jobs/{a}/cancel"), None).await;
    let va = wait_job(&app, &a, 5, is_final).await;
    assert_eq!(va["status"], "cancelled");
    // Room again.
    let (s, _) = post(
        &app,
        "/v1/solve",
        &solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, m) = send_raw(&app, "GET", "/metrics", None).await;
    let m = String::from_utf8(m).unwrap();
    assert!(
        m.contains("quotient_rejected_total{reason=\"queue_full\"} 2"),
        "{m}"
    );
}

#[tokio::test]
async fn shutting_down_is_503_and_cancels_running_jobs() {
    let (app, state) = router(config()).await;
    let (_, v) = post(&app, "/v1/jobs", &long_job()).await;
    let id = v["id"].as_str().unwrap().to_string();
    wait_job(&app, &id, 10, |v| v["status"] == "running").await;
    state.begin_shutdown();
    if durable() {
        // A durable store keeps the job for another node: back in the queue with its best.
        let v = wait_job(&app, &id, 5, |v| v["status"] == "queued").await;
        assert!(v["result"].is_null(), "{v}");
        assert!(!v["best"].is_null(), "{v}");
    } else {
        let v = wait_job(&app, &id, 5, is_final).await;
        assert_eq!(v["status"], "cancelled");
        assert!(v["result"]["solution"].is_object());
    }
    for uri in ["/v1/solve", "/v1/jobs"] {
        let (s, v) = post(&app, uri, &solve_body("tsplib", SQUARE, json!({}))).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_error_shape(&v, "server.shutting_down");
    }
    let (s, v) = get(&app, "/healthz").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(v["status"], "shutting_down");
    // Finished jobs stay readable.
    assert_eq!(get(&app, &format!("/v1/jobs/{id}")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn events_stream_incumbents_then_a_final_event() {
    let (app, _) = router(config()).await;
    let body = solve_body(
        "tsplib",
        &random_tsp(60, 3),
        json!({"solver": "tsp.ils", "time_limit": 0.3, "threads": 1}),
    );
    let (_, v) = post(&app, "/v1/jobs", &body).await;
    let id = v["id"].as_str().unwrap();
    let req = Request::builder()
        .uri(format!("/v1/jobs/{id}/events"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    // The stream ends after the final event, so the whole body can be collected.
    let bytes = tokio::time::timeout(Duration::from_secs(10), resp.into_body().collect())
        .await
        .unwrap()
        .unwrap()
        .to_bytes();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let events = parse_sse(&text);
    let (last_name, last) = events.last().unwrap();
    assert_eq!(last_name, "final", "{text}");
    assert_eq!(last["status"], "done");
    let incumbents: Vec<&Value> = events
        .iter()
        .filter(|(n, _)| n == "incumbent")
        .map(|(_, v)| v)
        .collect();
    assert!(!incumbents.is_empty(), "{text}");
    let objs: Vec<f64> = incumbents
        .iter()
        .map(|v| v["objective"].as_f64().unwrap())
        .collect();
    assert!(objs.windows(2).all(|w| w[1] <= w[0]), "{objs:?}");
    assert_eq!(incumbents.last().unwrap()["seq"], last["improvements"]);
    assert_eq!(last["result"]["objective"].as_f64(), objs.last().copied());
    // A late subscriber gets the replay and the final event at once.
    let req = Request::builder()
        .uri(format!("/v1/jobs/{id}/events"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let text2 = String::from_utf8(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert_eq!(parse_sse(&text2).len(), events.len());
}

/// `(event name, data JSON)` of every event in an SSE body.
fn parse_sse(text: &str) -> Vec<(String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let mut name = String::from("message");
            let mut data = String::new();
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            (!data.is_empty()).then(|| (name, serde_json::from_str(&data).unwrap()))
        })
        .collect()
}

#[tokio::test]
async fn validate_checks_instance_and_solution_without_solving() {
    let (app, _) = router(config()).await;
    let (s, v) = post(
        &app,
        "/v1/validate",
        &json!({"format": "tsplib", "instance": SQUARE}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["family"], "tsp");
    assert_eq!(v["size"], 4);
    assert!(v["solution"].is_null());
    let body = json!({"instance": SQUARE, "solution": {"tour": [0, 1, 2, 3]}});
    let (s, v) = post(&app, "/v1/validate", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["solution"]["feasible"], true);
    assert_eq!(v["solution"]["objective"], 40.0);
    // A tour visiting a city twice: parses, but the checker rejects it.
    let body = json!({"instance": SQUARE, "solution": {"tour": [0, 1, 1, 3]}});
    let (s, v) = post(&app, "/v1/validate", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["solution"]["feasible"], false);
    assert!(!v["solution"]["violations"].as_array().unwrap().is_empty());
    // Native solution text.
    let body = json!({"format": "jssp", "instance": JSSP3, "solution": "garbage"});
    let (s, v) = post(&app, "/v1/validate", &body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["code"].as_str().unwrap().starts_with("parse."), "{v}");
}

#[tokio::test]
async fn solvers_health_and_metrics() {
    let (app, _) = router(config()).await;
    let (s, v) = get(&app, "/v1/solvers").await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = v["solvers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for n in [
        "tsp.ils",
        "tsp.exact",
        "cvrp.sisr",
        "jssp.tabu",
        "milp.highs",
    ] {
        assert!(names.contains(&n), "{names:?}");
    }
    assert!(v["models"].is_array());
    assert!(v["onnx_runtime"].is_boolean());
    let (s, v) = get(&app, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["max_concurrent"], 2);
    post(
        &app,
        "/v1/solve",
        &solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"})),
    )
    .await;
    let (s, text) = send_raw(&app, "GET", "/metrics", None).await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8(text).unwrap();
    for needle in [
        "quotient_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1",
        "quotient_http_requests_total{method=\"POST\",route=\"/v1/solve\",status=\"200\"} 1",
        "quotient_solves_total{kind=\"sync\",outcome=\"ok\"} 1",
        "quotient_queue_depth 0",
        "quotient_solve_seconds_count 1",
        "# TYPE quotient_solve_seconds histogram",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[tokio::test]
async fn finished_jobs_are_kept_up_to_max_jobs() {
    let (app, state) = router(Config {
        max_jobs: 2,
        ..config()
    })
    .await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        let (_, v) = post(
            &app,
            "/v1/jobs",
            &solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"})),
        )
        .await;
        let id = v["id"].as_str().unwrap().to_string();
        wait_job(&app, &id, 10, is_final).await;
        ids.push(id);
    }
    // The last job is recorded as finished just after its status turns final: poll briefly.
    let deadline = Instant::now() + Duration::from_secs(2);
    while get(&app, &format!("/v1/jobs/{}", ids[1])).await.0 != StatusCode::NOT_FOUND {
        assert!(Instant::now() < deadline, "job {} was not dropped", ids[1]);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        get(&app, &format!("/v1/jobs/{}", ids[0])).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &format!("/v1/jobs/{}", ids[3])).await.0,
        StatusCode::OK
    );
    assert_eq!(state.jobs_stored().await.unwrap(), 2);
}

#[tokio::test]
async fn finished_jobs_expire_after_the_ttl() {
    let (app, _) = router(Config {
        job_ttl: Duration::from_millis(200),
        ..config()
    })
    .await;
    let (_, v) = post(
        &app,
        "/v1/jobs",
        &solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"})),
    )
    .await;
    let id = v["id"].as_str().unwrap().to_string();
    wait_job(&app, &id, 10, is_final).await;
    tokio::time::sleep(Duration::from_millis(250)).await;
    let (s, v) = get(&app, &format!("/v1/jobs/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
}

#[tokio::test]
async fn sync_solve_time_limit_is_capped() {
    let (app, _) = router(Config {
        max_solve_time: Duration::from_millis(200),
        ..config()
    })
    .await;
    let started = Instant::now();
    let body = solve_body(
        "tsplib",
        &random_tsp(200, 1),
        json!({"solver": "tsp.ils", "time_limit": 1000, "threads": 1}),
    );
    let (s, v) = post(&app, "/v1/solve", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(v["elapsed_ms"].as_u64().unwrap() < 1000);
}

#[test]
fn openapi_document_matches_the_snapshot() {
    let doc = quotient_server::ApiDoc::openapi_json();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == doc,
        "server/openapi.json is out of date: rerun with UPDATE_SNAPSHOTS=1 and review the diff"
    );
    let v: Value = serde_json::from_str(&doc).unwrap();
    for p in [
        "/v1/solve",
        "/v1/jobs",
        "/v1/jobs/{id}",
        "/v1/jobs/{id}/events",
        "/v1/validate",
        "/v1/solvers",
        "/healthz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(v["paths"][p].is_object(), "{p} missing");
    }
}

#[tokio::test]
async fn openapi_endpoint_serves_the_document() {
    let (app, _) = router(config()).await;
    let (s, v) = get(&app, "/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let doc: Value = serde_json::from_str(&quotient_server::ApiDoc::openapi_json()).unwrap();
    assert_eq!(v, doc);
}

// ------------------------------------------------------------------ the page and its routes

#[tokio::test]
async fn the_page_and_its_files_are_served_with_a_strict_policy() {
    let (app, _) = router(config()).await;
    for (uri, kind, needle) in [
        ("/", "text/html", "<script src=\"/assets/app.js\""),
        ("/assets/app.js", "text/javascript", "/v1/jobs/"),
        ("/assets/app.css", "text/css", "#plot"),
    ] {
        let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{uri}");
        let h = resp.headers();
        assert!(
            h[header::CONTENT_TYPE].to_str().unwrap().starts_with(kind),
            "{uri}"
        );
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("http"),
            "{csp}"
        );
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&body).contains(needle), "{uri}");
    }
}

#[tokio::test]
async fn the_shipped_examples_are_listed_and_solve() {
    let (app, _) = router(config()).await;
    let (s, list) = get(&app, "/v1/examples").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap();
    let families: Vec<&str> = list.iter().map(|e| e["family"].as_str().unwrap()).collect();
    for f in ["tsp", "cvrp", "jssp", "milp"] {
        assert!(families.contains(&f), "{families:?}");
    }
    let jssp = list.iter().find(|e| e["family"] == "jssp").unwrap();
    let name = jssp["name"].as_str().unwrap();
    let (s, text) = send_raw(&app, "GET", &format!("/v1/examples/{name}"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(text.len() as u64, jssp["bytes"].as_u64().unwrap());
    let text = String::from_utf8(text).unwrap();
    let body =
        json!({"instance": text, "format": jssp["format"], "options": {"solver": "jssp.dispatch"}});
    let (s, v) = post(&app, "/v1/solve", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["family"], "jssp");
    let (s, v) = get(&app, "/v1/examples/nope.tsp").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error_shape(&v, "example.not_found");
}

/// Create a job and wait for its end.
async fn finished_job(app: &Router, format: &str, instance: &str, solver: &str) -> String {
    let (s, v) = post(
        app,
        "/v1/jobs",
        &solve_body(format, instance, json!({"solver": solver})),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let v = wait_job(app, &id, 20, is_final).await;
    assert_eq!(v["status"], "done", "{v}");
    id
}

#[tokio::test]
async fn a_jobs_picture_and_native_solution_download() {
    let (app, _) = router(config()).await;
    let tsp = finished_job(&app, "tsplib", SQUARE, "tsp.nn").await;
    let req = Request::builder()
        .uri(format!("/v1/jobs/{tsp}/plot.svg?width=600"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let svg = resp.into_body().collect().await.unwrap().to_bytes();
    let svg = String::from_utf8_lossy(&svg);
    assert!(svg.starts_with("<svg width=\"600\""), "{}", &svg[..80]);
    assert!(svg.contains("square — tour length 40 (4 nodes)"));
    assert_eq!(svg.matches("<circle").count(), 4);
    // The trace view of the same job.
    let (s, trace) = send_raw(
        &app,
        "GET",
        &format!("/v1/jobs/{tsp}/plot.svg?view=trace"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8_lossy(&trace).contains("tsp.nn: "));
    // The native download reads back and passes the checker.
    let req = Request::builder()
        .uri(format!("/v1/jobs/{tsp}/solution?format=native"))
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cd = resp.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(cd, format!("attachment; filename=\"{tsp}.tour\""));
    let text = resp.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8(text.to_vec()).unwrap();
    assert!(text.contains("TOUR_SECTION"), "{text}");
    let inst =
        quotient_problems::any::read_instance(SQUARE.as_bytes(), "square.tsp", None).unwrap();
    let sol = quotient_problems::any::read_solution(&text, &inst).unwrap();
    let rep = quotient_problems::any::check(&inst, &sol);
    assert!(rep.feasible);
    assert_eq!(rep.objective, 40.0);
    // JSON too; the other families' pictures and files.
    let (s, v) = get(&app, &format!("/v1/jobs/{tsp}/solution?format=json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["tour"].as_array().unwrap().len(), 4);
    let cvrp = finished_job(&app, "cvrplib", CVRP5, "cvrp.savings").await;
    let (s, svg) = send_raw(&app, "GET", &format!("/v1/jobs/{cvrp}/plot.svg"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8_lossy(&svg).contains("route 1: load "));
    let jssp = finished_job(&app, "jssp", JSSP3, "jssp.dispatch").await;
    let (s, svg) = send_raw(&app, "GET", &format!("/v1/jobs/{jssp}/plot.svg"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8_lossy(&svg).contains("critical path (outlined)"));
    let (s, text) = send_raw(&app, "GET", &format!("/v1/jobs/{jssp}/solution"), None).await;
    assert_eq!(s, StatusCode::OK);
    let inst = quotient_problems::any::read_instance(JSSP3.as_bytes(), "j.jss", None).unwrap();
    let sol =
        quotient_problems::any::read_solution(&String::from_utf8(text).unwrap(), &inst).unwrap();
    assert!(quotient_problems::any::check(&inst, &sol).feasible);
}

#[tokio::test]
async fn pictures_that_cannot_be_drawn_say_why() {
    let (app, _) = router(config()).await;
    let milp = finished_job(&app, "lp", LP, "milp.highs").await;
    let (s, v) = get(&app, &format!("/v1/jobs/{milp}/plot.svg")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_shape(&v, "plot.not_drawable");
    // MILP has a trace, and a native solution file (`name value` lines).
    let (s, _) = send_raw(
        &app,
        "GET",
        &format!("/v1/jobs/{milp}/plot.svg?view=trace"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, text) = send_raw(&app, "GET", &format!("/v1/jobs/{milp}/solution"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        String::from_utf8(text)
            .unwrap()
            .lines()
            .any(|l| l.starts_with("x "))
    );
    for (uri, status, code) in [
        (
            "/v1/jobs/nope/plot.svg",
            StatusCode::NOT_FOUND,
            "job.not_found",
        ),
        (
            "/v1/jobs/nope/solution",
            StatusCode::NOT_FOUND,
            "job.not_found",
        ),
        (
            &*format!("/v1/jobs/{milp}/plot.svg?view=map"),
            StatusCode::BAD_REQUEST,
            "request.invalid_query",
        ),
        (
            &*format!("/v1/jobs/{milp}/plot.svg?width=10"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "plot.invalid_option",
        ),
        (
            &*format!("/v1/jobs/{milp}/solution?format=pdf"),
            StatusCode::BAD_REQUEST,
            "request.invalid_query",
        ),
    ] {
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, status, "{uri}: {v}");
        assert_error_shape(&v, code);
    }
}

#[tokio::test]
async fn a_running_jobs_picture_follows_its_best_solution() {
    let (app, _) = router(config()).await;
    let (s, v) = post(&app, "/v1/jobs", &long_job()).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    // Stored at most WARM_EVERY (200 ms) after an improvement, before the job ends.
    let deadline = Instant::now() + Duration::from_secs(10);
    let svg = loop {
        let (s, body) = send_raw(&app, "GET", &format!("/v1/jobs/{id}/plot.svg"), None).await;
        if s == StatusCode::OK {
            break String::from_utf8(body).unwrap();
        }
        assert_eq!(
            s,
            StatusCode::CONFLICT,
            "{}",
            String::from_utf8_lossy(&body)
        );
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_error_shape(&v, "job.no_solution_yet");
        assert!(Instant::now() < deadline, "no picture while the job ran");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let (_, view) = get(&app, &format!("/v1/jobs/{id}")).await;
    assert_eq!(
        view["status"], "running",
        "the picture came before the end: {view}"
    );
    assert!(svg.contains("tour length"));
    let (s, text) = send_raw(&app, "GET", &format!("/v1/jobs/{id}/solution"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8(text).unwrap().contains("TOUR_SECTION"));
    send(&app, "POST", &format!("/v1/jobs/{id}/cancel"), None).await;
    wait_job(&app, &id, 10, is_final).await;
}

#[tokio::test]
async fn delete_forgets_a_job_and_cancel_keeps_it() {
    let (app, _) = router(config()).await;
    let body = long_job();
    // Cancelled: kept, with its best.
    let (_, v) = post(&app, "/v1/jobs", &body).await;
    let kept = v["id"].as_str().unwrap().to_string();
    wait_job(&app, &kept, 10, |v| v["status"] == "running").await;
    let (s, v) = send(&app, "POST", &format!("/v1/jobs/{kept}/cancel"), None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let v = wait_job(&app, &kept, 5, is_final).await;
    assert_eq!(v["status"], "cancelled");
    // Deleted while running: 200 with the job as it was, then 404 everywhere.
    let (_, v) = post(&app, "/v1/jobs", &body).await;
    let gone = v["id"].as_str().unwrap().to_string();
    wait_job(&app, &gone, 10, |v| v["status"] == "running").await;
    let (s, v) = send(&app, "DELETE", &format!("/v1/jobs/{gone}"), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["id"], gone.as_str());
    for path in [
        format!("/v1/jobs/{gone}"),
        format!("/v1/jobs/{gone}/request"),
        format!("/v1/jobs/{gone}/solution"),
    ] {
        let (s, v) = send(&app, "GET", &path, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {v}");
        assert_error_shape(&v, "job.not_found");
    }
    let (s, _) = send(&app, "DELETE", &format!("/v1/jobs/{gone}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The other job is untouched, and the worker's slot is free again.
    let (s, v) = send(&app, "GET", &format!("/v1/jobs/{kept}"), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let quick = solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"}));
    let (s, v) = post(&app, "/v1/jobs", &quick).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let v = wait_job(&app, &id, 10, is_final).await;
    assert_eq!(v["status"], "done", "{v}");
}

/// Issue 25: the request's `variant` field (and the JSON instance's own): blocking job shops
/// solved by `auto` with the blocking solver, checked under the variant by `/v1/validate`;
/// requests without it are unchanged; a bad name or a non-job-shop instance is 422.
#[tokio::test]
async fn the_variant_field_states_a_blocking_job_shop() {
    let (app, _) = router(config()).await;
    let mut schedules = Vec::new();
    for variant in ["blocking", "swap", "iswap"] {
        let body = json!({"format": "jssp", "variant": variant, "instance": JSSP3,
            "options": {"time_limit": 0.2, "threads": 1}});
        let (s, v) = post(&app, "/v1/solve", &body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["solver"], "jssp.blocking", "{v}");
        let sol = v["solution"].clone();
        let (s, c) = post(
            &app,
            "/v1/validate",
            &json!({"format": "jssp", "variant": variant, "instance": JSSP3, "solution": sol}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert_eq!(c["solution"]["feasible"], true, "{c}");
        schedules.push((variant, sol, v["objective"].as_f64().unwrap()));
    }
    // The swap-free schedule is feasible under the swap variants too.
    let (s, c) = post(
        &app,
        "/v1/validate",
        &json!({"format": "jssp", "variant": "swap", "instance": JSSP3, "solution": schedules[0].1}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["solution"]["feasible"], true, "{c}");
    assert!(schedules.iter().all(|(_, _, c)| *c > 0.0));
    // The variant inside a JSON instance object, and no variant: the classic job shop.
    let inst = quotient_problems::any::read_instance_text(
        JSSP3,
        quotient_problems::any::InputFormat::Jssp,
        "j3",
    )
    .unwrap();
    let mut obj = serde_json::to_value(&inst).unwrap();
    let (s, v) = post(&app, "/v1/solve", &json!({"instance": obj.clone()})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["solver"], "jssp.tabu", "{v}");
    obj["variant"] = json!("swap");
    let (s, v) = post(
        &app,
        "/v1/solve",
        &json!({"instance": obj, "options": {"time_limit": 0.2, "threads": 1}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["solver"], "jssp.blocking", "{v}");
    // Refusals.
    let (s, v) = post(
        &app,
        "/v1/solve",
        &json!({"format": "jssp", "variant": "buffered", "instance": JSSP3}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "request.invalid_variant", "{v}");
    let (s, v) = post(
        &app,
        "/v1/validate",
        &json!({"format": "tsplib", "variant": "blocking", "instance": SQUARE}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        "/v1/solve",
        &json!({"format": "jssp", "variant": "blocking", "instance": JSSP3,
            "options": {"solver": "jssp.tabu"}}),
    )
    .await;
    assert!(s.is_client_error(), "{s} {v}");
}

//! Job cancels are prompt for every classical solver (issue 23): `POST /v1/jobs/{id}/cancel` on a
//! running job -> the job ended, measured by the server (`cancel_latency_ms`: cancel request to
//! the solve's end, the independent check included) and by the client (polling every 5 ms).
//! In-process store, no socket. The latencies are printed (`-- --nocapture`). A 10 s limit:
//! `milp.alns` reports its first incumbent after its first HiGHS run (a tenth of the limit,
//! at least 1 s) and the LP relaxation, so its cancel lands in the sub-MIPs.
#![allow(clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use quotient_problems::any::{AnyInstance, write_instance};
use quotient_problems::{cvrp, jssp, milp, tsp};
use quotient_server::{AppState, Config, app};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The promise (server side: the cancel request to the job's end).
const STOP_MS: u64 = 100;
/// What a slow shared 2-core CI machine adds to the server's measure.
const SLACK_MS: u64 = 150;

async fn send(app: &Router, method: &str, uri: &str, body: Option<Vec<u8>>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, Body::from))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

async fn wait_job(app: &Router, id: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (s, v) = send(app, "GET", &format!("/v1/jobs/{id}"), None).await;
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

/// Per solver: an instance it is still working on after its first incumbent, and its format.
fn cases() -> Vec<(&'static str, &'static str, AnyInstance)> {
    vec![
        (
            "tsp.ils",
            "tsplib",
            AnyInstance::Tsp(tsp::uniform(2_000, 1)),
        ),
        (
            "tsp.exact",
            "tsplib",
            AnyInstance::Tsp(tsp::uniform(300, 1)),
        ),
        (
            "cvrp.sisr",
            "cvrplib",
            AnyInstance::Cvrp(cvrp::generate::uniform(500, 50, 1)),
        ),
        (
            "jssp.tabu",
            "jssp",
            AnyInstance::Jssp(jssp::generate::taillard(20, 20, 840_612_802, 1_314_640_371)),
        ),
        (
            "milp.highs",
            "mps",
            AnyInstance::Milp(milp::generate::combinatorial_auction(300, 1_500, 1)),
        ),
        (
            "milp.alns",
            "mps",
            AnyInstance::Milp(milp::generate::combinatorial_auction(300, 1_500, 1)),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_ends_a_running_job_of_every_improving_solver_promptly() {
    let state = AppState::new(Config {
        max_concurrent: 1,
        queue: 4,
        max_body: 64 << 20,
        ..Config::default()
    })
    .unwrap();
    let app = app(state);
    for (solver, format, inst) in cases() {
        let body = json!({
            "format": format,
            "instance": write_instance(&inst),
            "options": {"solver": solver, "time_limit": 10, "threads": 2},
        });
        let (s, v) = send(
            &app,
            "POST",
            "/v1/jobs",
            Some(body.to_string().into_bytes()),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{solver}: {v}");
        let id = v["id"].as_str().unwrap().to_string();
        wait_job(&app, &id, 30, |v| {
            v["status"] == "running" && !v["best"].is_null()
        })
        .await;
        // Let it work a little past its first incumbent.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let asked = Instant::now();
        let (s, v) = send(&app, "POST", &format!("/v1/jobs/{id}/cancel"), None).await;
        let v = if s == StatusCode::OK {
            // It ended on its own first (an exact solver may prove optimality quickly).
            eprintln!("{solver:12} ended before the cancel: {}", v["status"]);
            continue;
        } else {
            assert_eq!(s, StatusCode::ACCEPTED, "{solver}: {v}");
            wait_job(&app, &id, 10, is_final).await
        };
        let client_ms = asked.elapsed().as_millis();
        let server_ms = v["cancel_latency_ms"].as_u64().unwrap();
        eprintln!(
            "{solver:12} cancel -> ended: server {server_ms} ms, client {client_ms} ms, objective {}",
            v["result"]["objective"]
        );
        assert_eq!(v["status"], "cancelled", "{solver}: {v}");
        assert!(v["result"]["objective"].is_number(), "{solver}: {v}");
        assert!(
            server_ms <= STOP_MS + SLACK_MS,
            "{solver}: the job ended {server_ms} ms after its cancel"
        );
    }
}

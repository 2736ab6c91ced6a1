//! Several nodes over one PostgreSQL store, in one process, over real loopback ports: a job
//! posted to node A is read, streamed and cancelled through node B while node C solves it; a
//! node's shutdown hands its job back to the queue. And API keys (in-process store): 401
//! without a key, 404 for another tenant's job, 429 beyond the tenant's quota.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use quotient_server::{ApiKeys, AppState, Config, JobStore, serve};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

struct Node {
    base: String,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Node {
    async fn start(config: Config, store: Arc<dyn JobStore>) -> Node {
        let state = AppState::with_store(config, store).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(serve(listener, state.clone(), async move {
            let _ = rx.await;
        }));
        Node {
            base: format!("http://{addr}"),
            state,
            stop: Some(tx),
            handle,
        }
    }

    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(20), self.handle)
            .await
            .expect("node did not stop")
            .unwrap()
            .unwrap();
    }
}

fn node_config(solve_jobs: bool) -> Config {
    Config {
        max_concurrent: 1,
        queue: 8,
        solve_jobs,
        lease: Duration::from_secs(2),
        ..Config::default()
    }
}

async fn call(
    method: reqwest::Method,
    url: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut r = reqwest::Client::new().request(method, url);
    if let Some(k) = key {
        r = r.bearer_auth(k);
    }
    if let Some(b) = body {
        r = r.json(b);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn wait(base: &str, id: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (s, v) = call(
            reqwest::Method::GET,
            &format!("{base}/v1/jobs/{id}"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200, "{v}");
        if pred(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "job did not get there: {v}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Read SSE events until `final` (or `max` incumbents), returning the incumbent seqs.
async fn read_events(
    url: &str,
    last_event_id: Option<u64>,
    max: usize,
) -> (Vec<u64>, Option<Value>) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(l) = last_event_id {
        req = req.header("Last-Event-ID", l.to_string());
    }
    let mut resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let mut buf = String::new();
    let mut seqs = Vec::new();
    loop {
        while let Some(i) = buf.find("\n\n") {
            let block: String = buf.drain(..i + 2).collect();
            let name = block
                .lines()
                .find_map(|l| l.strip_prefix("event: "))
                .unwrap_or("");
            let data = block
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .unwrap_or("");
            match name {
                "incumbent" => {
                    let v: Value = serde_json::from_str(data).unwrap();
                    seqs.push(v["seq"].as_u64().unwrap());
                    if seqs.len() >= max {
                        return (seqs, None);
                    }
                }
                "final" => return (seqs, Some(serde_json::from_str(data).unwrap())),
                _ => {}
            }
        }
        let chunk = tokio::time::timeout(Duration::from_secs(15), resp.chunk())
            .await
            .expect("no SSE data for 15 s")
            .unwrap();
        match chunk {
            Some(c) => buf.push_str(&String::from_utf8_lossy(&c)),
            None => return (seqs, None),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_job_posted_to_one_node_is_read_streamed_and_cancelled_through_another() {
    let schema = fresh_schema();
    let Some(sa) = pg_store(node_config(false).store_settings(), &schema).await else {
        return;
    };
    let sb = pg_store(node_config(false).store_settings(), &schema)
        .await
        .unwrap();
    let sc = pg_store(node_config(true).store_settings(), &schema)
        .await
        .unwrap();
    let a = Node::start(node_config(false), sa).await;
    let b = Node::start(node_config(false), sb).await;
    let c = Node::start(node_config(true), sc).await;
    let (s, v) = call(
        reqwest::Method::POST,
        &format!("{}/v1/jobs", a.base),
        None,
        Some(&long_job()),
    )
    .await;
    assert_eq!(s, 202, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let v = wait(&b.base, &id, 20, |v| {
        v["status"] == "running" && !v["best"].is_null()
    })
    .await;
    assert_eq!(v["attempts"], 1);
    assert_eq!(c.state.jobs_running_here(), 1, "node C runs the job");
    assert_eq!(a.state.jobs_running_here() + b.state.jobs_running_here(), 0);
    // SSE through B; then a reconnect with Last-Event-ID resumes after the last one seen.
    let events = format!("{}/v1/jobs/{id}/events", b.base);
    let (first, _) = read_events(&events, None, 2).await;
    assert_eq!(first, vec![1, 2]);
    let (again, _) = read_events(&events, Some(1), 1).await;
    assert_eq!(again, vec![2]);
    // The request as stored, from A.
    let (s, req) = call(
        reqwest::Method::GET,
        &format!("{}/v1/jobs/{id}/request", a.base),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(req["instance"], long_job()["instance"]);
    // Cancel through B reaches the worker on C within a second, with its best.
    let asked = Instant::now();
    let (s, v) = call(
        reqwest::Method::POST,
        &format!("{}/v1/jobs/{id}/cancel", b.base),
        None,
        None,
    )
    .await;
    assert_eq!(s, 202, "{v}");
    let v = wait(&a.base, &id, 5, |v| v["status"] == "cancelled").await;
    let seen = asked.elapsed();
    assert!(
        seen < Duration::from_secs(1),
        "cancel took {seen:?} to be seen"
    );
    assert!(v["cancel_latency_ms"].as_u64().unwrap() <= 1000, "{v}");
    assert_eq!(
        v["result"]["solution"]["tour"].as_array().unwrap().len(),
        200
    );
    // The stream through A ends with the final view.
    let (_, fin) = read_events(
        &format!("{}/v1/jobs/{id}/events", a.base),
        Some(u64::MAX - 1),
        1,
    )
    .await;
    assert_eq!(fin.unwrap()["status"], "cancelled");
    c.stop().await;
    b.stop().await;
    a.stop().await;
    drop_schema(&schema).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopping_node_hands_its_job_back_and_another_finishes_it() {
    let schema = fresh_schema();
    let Some(s1) = pg_store(node_config(true).store_settings(), &schema).await else {
        return;
    };
    let s2 = pg_store(node_config(true).store_settings(), &schema)
        .await
        .unwrap();
    let one = Node::start(node_config(true), s1).await;
    let body = solve_body(
        "tsplib",
        &random_tsp(150, 3),
        json!({"solver": "tsp.ils", "time_limit": 3, "threads": 1}),
    );
    let (_, v) = call(
        reqwest::Method::POST,
        &format!("{}/v1/jobs", one.base),
        None,
        Some(&body),
    )
    .await;
    let id = v["id"].as_str().unwrap().to_string();
    wait(&one.base, &id, 20, |v| {
        v["status"] == "running" && !v["best"].is_null()
    })
    .await;
    one.stop().await;
    // The job is back in the queue with its best; a fresh node resumes and finishes it.
    let two = Node::start(node_config(true), s2).await;
    let v = wait(&two.base, &id, 20, |v| v["status"] == "done").await;
    assert_eq!(v["attempts"], 1, "a hand-back is not a lost attempt: {v}");
    assert!(v["elapsed_ms"].as_u64().unwrap() >= 2900, "{v}");
    two.stop().await;
    drop_schema(&schema).await;
}

fn keys() -> Arc<ApiKeys> {
    Arc::new(ApiKeys::parse("acme acme-key-0123456789\nglobex globex-key-0123456789\n").unwrap())
}

#[tokio::test]
async fn api_keys_401_404_429() {
    let mut keys = (*keys()).clone();
    keys.protect_metrics = true;
    let config = Config {
        max_concurrent: 1,
        api_keys: Some(Arc::new(keys)),
        tenant_max_jobs: Some(2),
        ..Config::default()
    };
    let store = Arc::new(quotient_server::MemoryStore::new(config.store_settings()));
    let node = Node::start(config, store).await;
    let url = |p: &str| format!("{}{p}", node.base);
    let acme = Some("acme-key-0123456789");
    let globex = Some("globex-key-0123456789");
    let body = solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"}));
    // No key, a wrong key, a wrong scheme: 401 on every /v1 route.
    for (key, code) in [
        (None, "auth.missing_key"),
        (Some("not-a-key-000000000"), "auth.invalid_key"),
    ] {
        let (s, v) = call(reqwest::Method::POST, &url("/v1/jobs"), key, Some(&body)).await;
        assert_eq!(s, 401, "{v}");
        assert_eq!(v["code"], code);
        let (s, _) = call(reqwest::Method::GET, &url("/v1/solvers"), key, None).await;
        assert_eq!(s, 401);
        let (s, _) = call(reqwest::Method::GET, &url("/metrics"), key, None).await;
        assert_eq!(s, 401);
    }
    let raw = reqwest::Client::new()
        .get(url("/v1/solvers"))
        .header("Authorization", "Basic YWNtZTp4")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 401);
    assert_eq!(raw.headers()["www-authenticate"], "Bearer");
    // /healthz and /openapi.json stay open.
    assert_eq!(
        call(reqwest::Method::GET, &url("/healthz"), None, None)
            .await
            .0,
        200
    );
    assert_eq!(
        call(reqwest::Method::GET, &url("/openapi.json"), None, None)
            .await
            .0,
        200
    );
    assert_eq!(
        call(reqwest::Method::GET, &url("/metrics"), acme, None)
            .await
            .0,
        200
    );
    // A tenant's job is invisible to the other: 404, as for an unknown id.
    let (s, v) = call(reqwest::Method::POST, &url("/v1/jobs"), acme, Some(&body)).await;
    assert_eq!(s, 202, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    for (m, p) in [
        (reqwest::Method::GET, format!("/v1/jobs/{id}")),
        (reqwest::Method::DELETE, format!("/v1/jobs/{id}")),
        (reqwest::Method::POST, format!("/v1/jobs/{id}/cancel")),
        (reqwest::Method::GET, format!("/v1/jobs/{id}/events")),
        (reqwest::Method::GET, format!("/v1/jobs/{id}/request")),
    ] {
        let (s, v) = call(m.clone(), &url(&p), globex, None).await;
        assert_eq!(s, 404, "{m} {p}: {v}");
        assert_eq!(v["code"], "job.not_found");
    }
    // The tenant's own key reads it; wait for its end so that it no longer counts in the quota.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (s, v) = call(
            reqwest::Method::GET,
            &url(&format!("/v1/jobs/{id}")),
            acme,
            None,
        )
        .await;
        assert_eq!(s, 200, "{v}");
        if v["status"] == "done" {
            break;
        }
        assert!(Instant::now() < deadline, "job did not end: {v}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Quota: 2 queued + running jobs per tenant; the third is 429, the other tenant unaffected.
    let long = long_job();
    let (s1, a) = call(reqwest::Method::POST, &url("/v1/jobs"), acme, Some(&long)).await;
    let (s2, b) = call(reqwest::Method::POST, &url("/v1/jobs"), acme, Some(&long)).await;
    assert_eq!((s1, s2), (202, 202), "{a} {b}");
    let (s, v) = call(reqwest::Method::POST, &url("/v1/jobs"), acme, Some(&long)).await;
    assert_eq!(s, 429, "{v}");
    assert_eq!(v["code"], "quota.exceeded");
    assert_eq!(v["detail"]["limit"], 2);
    let (s, v) = call(reqwest::Method::POST, &url("/v1/jobs"), globex, Some(&body)).await;
    assert_eq!(s, 202, "{v}");
    for j in [&a, &b] {
        let id = j["id"].as_str().unwrap();
        call(
            reqwest::Method::POST,
            &url(&format!("/v1/jobs/{id}/cancel")),
            acme,
            None,
        )
        .await;
    }
    node.stop().await;
}

#[tokio::test]
async fn an_open_service_without_keys_serves_everyone() {
    let config = Config {
        max_concurrent: 1,
        ..Config::default()
    };
    let store = Arc::new(quotient_server::MemoryStore::new(config.store_settings()));
    let node = Node::start(config, store).await;
    let body = solve_body("tsplib", SQUARE, json!({"solver": "tsp.nn"}));
    let (s, v) = call(
        reqwest::Method::POST,
        &format!("{}/v1/jobs", node.base),
        None,
        Some(&body),
    )
    .await;
    assert_eq!(s, 202, "{v}");
    let id = v["id"].as_str().unwrap();
    let v = wait(&node.base, id, 10, |v| v["status"] == "done").await;
    assert_eq!(v["result"]["objective"], 40.0);
    let (s, h) = call(
        reqwest::Method::GET,
        &format!("{}/healthz", node.base),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(h["store"], "memory");
    node.stop().await;
}

/// A `tsp.dc` job on a PostgreSQL store offers its plane cells to the other workers: node B,
/// idle, solves some of them as jobs of their own while node A runs the parent; the parent's
/// tour passes the checker, its message counts the cells solved elsewhere, and no sub-problem
/// job is left behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_divide_and_conquer_job_spreads_its_cells_over_the_other_workers() {
    let schema = fresh_schema();
    let Some(sa) = pg_store(node_config(true).store_settings(), &schema).await else {
        return;
    };
    let sb = pg_store(node_config(true).store_settings(), &schema)
        .await
        .unwrap();
    let a = Node::start(node_config(true), sa).await;
    let b = Node::start(node_config(true), sb.clone()).await;
    let body = solve_body(
        "tsplib",
        &random_tsp(2000, 5),
        json!({"solver": "tsp.dc", "time_limit": 6, "threads": 1, "seed": 3,
               "params": {"segment": 250, "kicks": 20}}),
    );
    let (s, v) = call(
        reqwest::Method::POST,
        &format!("{}/v1/jobs", a.base),
        None,
        Some(&body),
    )
    .await;
    assert_eq!(s, 202, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let v = wait(&a.base, &id, 60, |v| v["status"] == "done").await;
    let message = v["result"]["message"].as_str().unwrap().to_string();
    let remote: u64 = message
        .split("by other workers ")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or_else(|| panic!("no farm count in {message}"));
    assert!(
        remote >= 1,
        "no cell was solved by the other node: {message}"
    );
    assert_eq!(
        v["result"]["solution"]["tour"].as_array().unwrap().len(),
        2000
    );
    assert!(v["result"]["objective"].as_f64().unwrap() > 0.0);
    // Sub-problem jobs are taken back or deleted once read: only the parent is left.
    let counts = sb.counts().await.unwrap();
    assert_eq!((counts.queued, counts.running, counts.stored), (0, 0, 1));
    b.stop().await;
    a.stop().await;
    drop_schema(&schema).await;
}

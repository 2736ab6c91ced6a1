//! End-to-end tests over a real loopback port with reqwest: solve, SSE, cancel, flooding the
//! queue, graceful shutdown.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use quotient_server::{AppState, Config, serve};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

struct Server {
    base: String,
    stop: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
    client: reqwest::Client,
}

impl Server {
    async fn start(config: Config) -> Server {
        let state = AppState::new(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(serve(listener, state, async move {
            let _ = rx.await;
        }));
        Server {
            base: format!("http://{addr}"),
            stop: Some(tx),
            handle,
            client: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap())
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap())
    }

    /// Trigger graceful shutdown and wait for `serve` to return.
    async fn shutdown(mut self) -> Duration {
        let t = Instant::now();
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), self.handle)
            .await
            .expect("serve did not return after shutdown")
            .unwrap()
            .unwrap();
        t.elapsed()
    }
}

fn config() -> Config {
    Config {
        max_concurrent: 2,
        queue: 4,
        ..Config::default()
    }
}

/// Reads an SSE response event by event.
struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    async fn open(server: &Server, id: &str) -> Events {
        let resp = server
            .client
            .get(server.url(&format!("/v1/jobs/{id}/events")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Events {
            resp,
            buf: String::new(),
        }
    }

    /// The next `(name, data)` event, skipping keep-alive comments; `None` at the end.
    async fn next(&mut self) -> Option<(String, Value)> {
        loop {
            if let Some(i) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..i + 2).collect();
                let mut name = "message".to_string();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event: ") {
                        name = n.into();
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data.push_str(d);
                    }
                }
                if !data.is_empty() {
                    return Some((name, serde_json::from_str(&data).unwrap()));
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.resp.chunk())
                .await
                .expect("no SSE data for 10 s")
                .unwrap()?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn solve_over_http() {
    let server = Server::start(config()).await;
    let (s, v) = server
        .post("/v1/solve", &solve_body("tsplib", SQUARE, json!({})))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["objective"], 40.0);
    assert_eq!(v["status"], "optimal");
    // Errors keep their shape over the wire.
    let r = server
        .client
        .post(server.url("/v1/solve"))
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "request.malformed_json");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sse_follows_a_job_to_its_end() {
    let server = Server::start(config()).await;
    let body = solve_body(
        "tsplib",
        &random_tsp(80, 5),
        json!({"solver": "tsp.ils", "time_limit": 0.5, "threads": 1}),
    );
    let (s, v) = server.post("/v1/jobs", &body).await;
    assert_eq!(s, 202, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let mut events = Events::open(&server, &id).await;
    let mut incumbents = Vec::new();
    let fin = loop {
        let (name, data) = events
            .next()
            .await
            .expect("stream ended without a final event");
        match name.as_str() {
            "incumbent" => incumbents.push(data),
            "final" => break data,
            other => panic!("unexpected event {other}"),
        }
    };
    assert!(events.next().await.is_none(), "events after the final one");
    assert_eq!(fin["status"], "done", "{fin}");
    assert!(!incumbents.is_empty());
    let seqs: Vec<u64> = incumbents
        .iter()
        .map(|i| i["seq"].as_u64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] > w[0]), "{seqs:?}");
    assert_eq!(
        incumbents.last().unwrap()["objective"],
        fin["result"]["objective"]
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_over_http_ends_the_job_within_100ms() {
    let server = Server::start(config()).await;
    let (s, v) = server.post("/v1/jobs", &long_job()).await;
    assert_eq!(s, 202, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let mut events = Events::open(&server, &id).await;
    // Wait for the first incumbent: the solve is running.
    let (name, _) = events.next().await.unwrap();
    assert_eq!(name, "incumbent");
    let asked = Instant::now();
    let r = server
        .client
        .post(server.url(&format!("/v1/jobs/{id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let fin = loop {
        let (name, data) = events.next().await.unwrap();
        if name == "final" {
            break data;
        }
    };
    let client_ms = asked.elapsed().as_millis();
    assert_eq!(fin["status"], "cancelled", "{fin}");
    let server_ms = fin["cancel_latency_ms"].as_u64().unwrap();
    assert!(
        server_ms <= 100,
        "server-side cancel latency {server_ms} ms"
    );
    // The client-side figure adds two HTTP round trips and scheduling on a loaded 2-core
    // test machine: 100 ms plus slack.
    assert!(
        client_ms <= 600,
        "final event {client_ms} ms after the cancel"
    );
    assert!(fin["result"]["solution"]["tour"].is_array());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flooding_jobs_gets_429_and_the_server_stays_healthy() {
    let server = Server::start(Config {
        max_concurrent: 1,
        queue: 2,
        ..Config::default()
    })
    .await;
    let mut accepted = 0;
    let mut rejected = 0;
    for _ in 0..10 {
        let (s, v) = server.post("/v1/jobs", &long_job()).await;
        match s {
            202 => accepted += 1,
            429 => {
                assert_eq!(v["code"], "queue.full");
                rejected += 1;
            }
            other => panic!("unexpected {other}: {v}"),
        }
    }
    assert_eq!((accepted, rejected), (3, 7));
    // The first job takes its slot a moment after its 202.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (s, h) = server.get("/healthz").await;
        assert_eq!(s, 200);
        if h["running"] == 1 {
            assert_eq!(h["queued"], 2, "{h}");
            break;
        }
        assert!(Instant::now() < deadline, "{h}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Shutdown cancels the running and the queued jobs; serve returns promptly.
    let took = server.shutdown().await;
    assert!(took < Duration::from_secs(3), "shutdown took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_answers_a_running_sync_solve_with_its_best() {
    let server = Server::start(config()).await;
    let client = server.client.clone();
    let url = server.url("/v1/solve");
    let started = Instant::now();
    let solve = tokio::spawn(async move {
        let body = solve_body(
            "tsplib",
            &random_tsp(200, 9),
            json!({"solver": "tsp.ils", "time_limit": 30, "threads": 1}),
        );
        let r = client.post(url).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    });
    // Let it start.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let base = server.base.clone();
    server.shutdown().await;
    let (s, v) = solve.await.unwrap();
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "feasible", "{v}");
    assert_eq!(v["solution"]["tour"].as_array().unwrap().len(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    // No longer listening.
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err());
}

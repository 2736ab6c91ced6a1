//! Figures of the job service (BENCHMARKS.md, issue "a service that loses nothing").
//!
//! ```sh
//! # Many small jobs through a running service: turnaround overhead per job and jobs/s.
//! target/release/examples/cluster_bench jobs --base http://127.0.0.1:8080 --jobs 1000 \
//!     --concurrency 2 --cities 100 --time 1
//! # Kill -9 a worker mid-job, `--rounds` times, against a PostgreSQL store.
//! target/release/examples/cluster_bench kill --quotient target/release/quotient \
//!     --store postgres://postgres@127.0.0.1:5432/test --rounds 20
//! ```
//!
//! `jobs`: keeps `--concurrency` jobs in flight (TSP of `--cities` uniform random cities,
//! `tsp.ils`, one thread, `--time` seconds); each is followed on its SSE stream to its `final`
//! event, and its result is checked with the independent checker. Overhead of a job = its
//! turnaround (POST sent -> `final` received) minus the solver's own `elapsed_ms`: what the
//! service adds (request, store, claim, parse, result, notification). Prints one JSON object.
//!
//! `kill`: starts `quotient serve --api-only` and a worker on a fresh schema; each round posts
//! a job (TSP 300, 4 s), waits until the worker has stored an incumbent solution, kills the
//! worker with SIGKILL, starts another, and waits for the job's end; it records whether the
//! job ended `done` with a checked result no worse than the incumbent stored at the kill, and
//! the time from the kill to the resumed start.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use sqlx::Connection;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn tsp(n: usize, seed: u64) -> String {
    quotient_problems::tsp::write_tsplib(&quotient_problems::tsp::uniform(n, seed))
}

fn check(instance: &str, result: &Value) -> Option<f64> {
    let inst = quotient_problems::tsp::read_tsplib(instance).ok()?;
    let tour: Vec<usize> = serde_json::from_value(result["solution"]["tour"].clone()).ok()?;
    let rep = quotient_problems::tsp::check(&inst, &quotient_problems::tsp::TspSolution { tour });
    (rep.is_feasible() && Some(rep.objective) == result["objective"].as_f64())
        .then_some(rep.objective)
}

/// Read an SSE stream until its `final` event.
async fn final_event(client: &reqwest::Client, url: &str) -> Option<Value> {
    let mut resp = client.get(url).send().await.ok()?;
    let mut buf = String::new();
    loop {
        while let Some(i) = buf.find("\n\n") {
            let block: String = buf.drain(..i + 2).collect();
            if block.lines().any(|l| l == "event: final") {
                let data = block.lines().find_map(|l| l.strip_prefix("data: "))?;
                return serde_json::from_str(data).ok();
            }
        }
        let chunk = resp.chunk().await.ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn jobs(args: &[String]) -> ExitCode {
    let base = arg(args, "--base", "http://127.0.0.1:8080");
    let n: usize = arg(args, "--jobs", "1000").parse().unwrap();
    let conc: usize = arg(args, "--concurrency", "2").parse().unwrap();
    let cities: usize = arg(args, "--cities", "100").parse().unwrap();
    let time: f64 = arg(args, "--time", "1").parse().unwrap();
    let client = reqwest::Client::new();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let (client, base, next) = (client.clone(), base.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= n {
                    return out;
                }
                let instance = tsp(cities, i as u64 + 1);
                let body = json!({"format": "tsplib", "instance": instance,
                    "options": {"solver": "tsp.ils", "time_limit": time, "threads": 1, "seed": 1}});
                let t0 = Instant::now();
                let r = client
                    .post(format!("{base}/v1/jobs"))
                    .json(&body)
                    .send()
                    .await;
                let id = match r {
                    Ok(r) if r.status() == 202 => r.json::<Value>().await.unwrap()["id"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    Ok(r) => {
                        out.push(Err(format!("POST {}", r.status())));
                        continue;
                    }
                    Err(e) => {
                        out.push(Err(format!("POST {e}")));
                        continue;
                    }
                };
                let fin = final_event(&client, &format!("{base}/v1/jobs/{id}/events")).await;
                let turnaround = t0.elapsed().as_secs_f64() * 1000.0;
                match fin {
                    Some(v) if v["status"] == "done" => match check(&instance, &v["result"]) {
                        Some(_) => {
                            let solve = v["result"]["elapsed_ms"].as_f64().unwrap_or(0.0);
                            out.push(Ok((turnaround - solve, turnaround)));
                        }
                        None => out.push(Err(format!("{id}: result fails the checker"))),
                    },
                    Some(v) => out.push(Err(format!("{id}: ended {}", v["status"]))),
                    None => out.push(Err(format!("{id}: stream ended without final"))),
                }
            }
        }));
    }
    let mut over = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        for r in t.await.unwrap() {
            match r {
                Ok((o, _)) => over.push(o),
                Err(e) => errors.push(e),
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let done = over.len();
    let summary = json!({
        "jobs": n, "done_and_checked": done, "errors": errors.len(), "first_errors": errors.iter().take(5).collect::<Vec<_>>(),
        "seconds": secs, "jobs_per_second": done as f64 / secs,
        "overhead_ms": {"p50": pct(&mut over, 0.5), "p90": pct(&mut over, 0.9), "p99": pct(&mut over, 0.99), "max": pct(&mut over, 1.0)},
    });
    println!("{summary}");
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn kill(args: &[String]) -> ExitCode {
    let bin = arg(args, "--quotient", "target/release/quotient");
    let store = arg(args, "--store", "postgres://postgres@127.0.0.1:5432/test");
    let rounds: usize = arg(args, "--rounds", "20").parse().unwrap();
    let schema = format!("killbench_{}", std::process::id());
    let common = |c: &mut Command| {
        c.args(["--store", &store, "--store-schema", &schema, "--lease", "1"]);
    };
    let mut api = Command::new(&bin);
    api.args(["serve", "--addr", "127.0.0.1:0", "--api-only"]);
    common(&mut api);
    let mut api = Proc(
        api.stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(api.0.stderr.take().unwrap()).lines();
    let base = loop {
        let l = lines.next().unwrap().unwrap();
        if let Some(r) = l.split("listening on ").nth(1) {
            break r.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});
    let start_worker = |name: &str| {
        let mut w = Command::new(&bin);
        w.args(["worker", "--max-concurrent", "1", "--node-name", name]);
        common(&mut w);
        Proc(
            w.stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let mut db = sqlx::PgConnection::connect(&store).await.unwrap();
    let client = reqwest::Client::new();
    let mut worker = start_worker("w0");
    let (mut lost, mut worse, mut resume) = (0, 0, Vec::new());
    for round in 0..rounds {
        let instance = tsp(300, 100 + round as u64);
        let body = json!({"format": "tsplib", "instance": instance,
            "options": {"solver": "tsp.ils", "time_limit": 4, "threads": 1, "seed": 1}});
        let v: Value = client
            .post(format!("{base}/v1/jobs"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        let q = format!("SELECT warm_objective FROM {schema}.jobs WHERE id = $1");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let w: Option<f64> = sqlx::query_scalar(&q)
                .bind(&id)
                .fetch_one(&mut db)
                .await
                .unwrap();
            let v: Value = client
                .get(format!("{base}/v1/jobs/{id}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if w.is_some() && v["elapsed_ms"].as_u64().unwrap_or(0) > 1000 {
                break;
            }
            assert!(Instant::now() < deadline, "no incumbent stored");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        worker.0.kill().unwrap();
        worker.0.wait().unwrap();
        let killed = Instant::now();
        let stored: f64 = sqlx::query_scalar(&q)
            .bind(&id)
            .fetch_one(&mut db)
            .await
            .unwrap();
        worker = start_worker(&format!("w{}", round + 1));
        let mut resumed = None;
        let fin = loop {
            let v: Value = client
                .get(format!("{base}/v1/jobs/{id}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if resumed.is_none() && v["attempts"].as_u64() == Some(2) {
                resumed = Some(killed.elapsed().as_secs_f64());
            }
            if matches!(v["status"].as_str(), Some("done" | "cancelled" | "failed")) {
                break v;
            }
            if killed.elapsed() > Duration::from_secs(60) {
                break v;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let ok = fin["status"] == "done";
        let obj = if ok {
            check(&instance, &fin["result"])
        } else {
            None
        };
        match obj {
            Some(o) if o <= stored => {}
            Some(_) => worse += 1,
            None => lost += 1,
        }
        if let Some(r) = resumed {
            resume.push(r);
        }
        eprintln!(
            "round {round}: {} stored {stored} final {:?} resumed after {:?} s",
            fin["status"], obj, resumed
        );
    }
    let summary = json!({"rounds": rounds, "lost": lost, "worse_than_stored": worse,
        "resume_after_kill_s": {"p50": pct(&mut resume, 0.5), "max": pct(&mut resume, 1.0)}, "lease_s": 1});
    println!("{summary}");
    let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut db)
        .await;
    if lost == 0 && worse == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("jobs") => jobs(&args).await,
        Some("kill") => kill(&args).await,
        _ => {
            eprintln!("usage: cluster_bench jobs|kill [options] (see the source's header)");
            ExitCode::from(2)
        }
    }
}

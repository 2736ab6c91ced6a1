//! Load test for `quotient serve`.
//!
//! ```sh
//! quotient serve --addr 127.0.0.1:8080 &
//! cargo run --release -p quotient-server --example load -- \
//!     --url http://127.0.0.1:8080 --requests 10000 --concurrency 32 --pid $!
//! cargo run --release -p quotient-server --example load -- --url http://127.0.0.1:8080 \
//!     --flood 500 --pid $!
//! ```
//!
//! Solve mode sends `--requests` small TSP solves (`POST /v1/solve`, random instances of
//! `--cities` cities, solver `--solver`) over `--concurrency` connections and prints the error
//! count, p50/p90/p99/max latency and throughput. Flood mode submits `--flood` long jobs
//! (`POST /v1/jobs`) as fast as it can, counts 202s and 429s, checks `/healthz`, and cancels
//! the jobs it got. Soak mode (`--soak SECONDS`) keeps `--concurrency` clients busy for that
//! long with a mix of requests (small solves, jobs submitted and polled to their end, every
//! fifth one cancelled, `/healthz`, `/metrics`) and prints, per `--window` seconds, the
//! requests, errors and p50/p99 latency, and with `--pid` the server's RSS and open file
//! descriptors; the last line compares the first and last windows. With `--pid`, the server's
//! VmRSS/VmHWM from `/proc/PID/status` are printed before and after. Exit status 1 when any
//! request failed unexpectedly.
//!
//! ```sh
//! cargo run --release -p quotient-server --example load -- --url http://127.0.0.1:8080 \
//!     --soak 1800 --window 60 -c 16 --pid $!
//! ```
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Args {
    url: String,
    requests: usize,
    concurrency: usize,
    cities: usize,
    solver: String,
    time_limit: Option<f64>,
    flood: Option<usize>,
    soak: Option<f64>,
    window: f64,
    pid: Option<u32>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        url: "http://127.0.0.1:8080".into(),
        requests: 1000,
        concurrency: 32,
        cities: 12,
        solver: "auto".into(),
        time_limit: None,
        flood: None,
        soak: None,
        window: 60.0,
        pid: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |s: String| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
        match flag.as_str() {
            "--url" => a.url = val()?,
            "--requests" | "-n" => a.requests = num(val()?)?,
            "--concurrency" | "-c" => a.concurrency = num(val()?)?.max(1),
            "--cities" => a.cities = num(val()?)?.max(3),
            "--solver" => a.solver = val()?,
            "--time-limit" => a.time_limit = Some(val()?.parse().map_err(|e| format!("{e}"))?),
            "--flood" => a.flood = Some(num(val()?)?),
            "--soak" => a.soak = Some(val()?.parse().map_err(|e| format!("{e}"))?),
            "--window" => a.window = val()?.parse().map_err(|e| format!("{e}"))?,
            "--pid" => a.pid = Some(val()?.parse().map_err(|e| format!("{e}"))?),
            "-h" | "--help" => {
                return Err(
                    "usage: load [--url U] [-n REQUESTS] [-c CONCURRENCY] [--cities N] \
                            [--solver NAME] [--time-limit S] [--flood JOBS] \
                            [--soak SECONDS [--window SECONDS]] [--pid SERVER_PID]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// A random uniform TSPLIB instance (the problems crate's seeded generator).
fn tsp(n: usize, seed: u64) -> String {
    quotient_problems::tsp::write_tsplib(&quotient_problems::tsp::uniform(n, seed))
}

/// `VmRSS` and `VmHWM` of a process, in kB.
fn rss(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn print_rss(when: &str, pid: Option<u32>) {
    if let Some(pid) = pid {
        match rss(pid) {
            Some((rss, hwm)) => println!(
                "server RSS {when}: {:.1} MiB (peak {:.1} MiB)",
                rss as f64 / 1024.0,
                hwm as f64 / 1024.0
            ),
            None => println!("server RSS {when}: cannot read /proc/{pid}/status"),
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn solve_mode(a: &Args, client: &reqwest::Client) -> bool {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.concurrency {
        let (a, client, next, errors) = (a.clone(), client.clone(), next.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= a.requests {
                    break;
                }
                let mut options = json!({"solver": a.solver, "threads": 1, "seed": i});
                if let Some(t) = a.time_limit {
                    options["time_limit"] = json!(t);
                }
                let body = json!({"format": "tsplib", "instance": tsp(a.cities, i as u64), "options": options});
                let t = Instant::now();
                let r = client
                    .post(format!("{}/v1/solve", a.url))
                    .json(&body)
                    .send()
                    .await;
                let ok = match r {
                    Ok(r) if r.status().is_success() => r
                        .json::<Value>()
                        .await
                        .is_ok_and(|v| v["objective"].is_number()),
                    Ok(r) => {
                        let s = r.status();
                        let text = r.text().await.unwrap_or_default();
                        if errors.load(Ordering::Relaxed) < 5 {
                            eprintln!("request {i}: {s} {text}");
                        }
                        false
                    }
                    Err(e) => {
                        if errors.load(Ordering::Relaxed) < 5 {
                            eprintln!("request {i}: {e}");
                        }
                        false
                    }
                };
                if ok {
                    lat.push(t.elapsed());
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap_or_default());
    }
    let wall = started.elapsed();
    lat.sort();
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "solve: {} requests, {} concurrent, {} cities, solver {}",
        a.requests, a.concurrency, a.cities, a.solver
    );
    println!(
        "ok {} errors {errors} in {:.2} s ({:.0} req/s)",
        lat.len(),
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        ms(percentile(&lat, 0.50)),
        ms(percentile(&lat, 0.90)),
        ms(percentile(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default())
    );
    errors == 0
}

async fn flood_mode(a: &Args, client: &reqwest::Client, jobs: usize) -> bool {
    let body = json!({"format": "tsplib", "instance": tsp(200, 1),
        "options": {"solver": "tsp.ils", "time_limit": 60, "threads": 1}});
    let mut accepted = Vec::new();
    let mut rejected = 0;
    let mut other = 0;
    let started = Instant::now();
    for _ in 0..jobs {
        match client
            .post(format!("{}/v1/jobs", a.url))
            .json(&body)
            .send()
            .await
        {
            Ok(r) if r.status() == 202 => {
                if let Ok(v) = r.json::<Value>().await
                    && let Some(id) = v["id"].as_str()
                {
                    accepted.push(id.to_string());
                }
            }
            Ok(r) if r.status() == 429 => rejected += 1,
            Ok(r) => {
                eprintln!("flood: unexpected {}", r.status());
                other += 1;
            }
            Err(e) => {
                eprintln!("flood: {e}");
                other += 1;
            }
        }
    }
    println!(
        "flood: {jobs} jobs in {:.2} s: {} accepted (202), {rejected} rejected (429), {other} other",
        started.elapsed().as_secs_f64(),
        accepted.len()
    );
    let healthy = match client.get(format!("{}/healthz", a.url)).send().await {
        Ok(r) => {
            let s = r.status();
            let v: Value = r.json().await.unwrap_or_default();
            println!("healthz during flood: {s} {v}");
            s.is_success()
        }
        Err(e) => {
            println!("healthz during flood: {e}");
            false
        }
    };
    for id in &accepted {
        let _ = client
            .post(format!("{}/v1/jobs/{id}/cancel", a.url))
            .send()
            .await;
    }
    // Give the cancelled jobs a moment, then check again.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = client
        .get(format!("{}/healthz", a.url))
        .send()
        .await
        .map(|r| r.status().is_success())
        .unwrap_or(false);
    println!(
        "cancelled {} jobs; healthz after: {}",
        accepted.len(),
        if after { "ok" } else { "FAILED" }
    );
    other == 0 && rejected > 0 && healthy && after
}

/// Open file descriptors of a process.
fn open_fds(pid: u32) -> Option<usize> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count())
}

/// One soak request: kind `i % 10` picks it. `Ok(())` when the answer is the expected one.
async fn soak_request(a: &Args, client: &reqwest::Client, i: usize) -> Result<(), String> {
    let url = &a.url;
    let check = |r: reqwest::Response, want: u16| async move {
        let s = r.status().as_u16();
        if s == want {
            Ok(r)
        } else {
            Err(format!("{s} {}", r.text().await.unwrap_or_default()))
        }
    };
    let send =
        |rb: reqwest::RequestBuilder| async move { rb.send().await.map_err(|e| e.to_string()) };
    match i % 10 {
        // A job, polled to its end; every other one is cancelled first.
        0 | 5 => {
            let body = json!({"format": "tsplib", "instance": tsp(60, i as u64),
                "options": {"solver": "tsp.ils", "time_limit": 0.3, "threads": 1, "seed": i}});
            let r = check(
                send(client.post(format!("{url}/v1/jobs")).json(&body)).await?,
                202,
            )
            .await?;
            let id = r.json::<Value>().await.map_err(|e| e.to_string())?["id"]
                .as_str()
                .ok_or("no job id")?
                .to_string();
            if i % 10 == 5 {
                let r = send(client.post(format!("{url}/v1/jobs/{id}/cancel"))).await?;
                if !(r.status() == 202 || r.status() == 200) {
                    return Err(format!("cancel: {}", r.status()));
                }
            }
            for _ in 0..200 {
                let r = check(send(client.get(format!("{url}/v1/jobs/{id}"))).await?, 200).await?;
                let v: Value = r.json().await.map_err(|e| e.to_string())?;
                match v["status"].as_str() {
                    Some("done" | "cancelled") => return Ok(()),
                    Some("failed") => return Err(format!("job failed: {v}")),
                    _ => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
            Err(format!("job {id} did not end"))
        }
        8 => {
            check(send(client.get(format!("{url}/healthz"))).await?, 200).await?;
            Ok(())
        }
        9 => {
            check(send(client.get(format!("{url}/metrics"))).await?, 200).await?;
            Ok(())
        }
        _ => {
            let body = json!({"format": "tsplib", "instance": tsp(a.cities, i as u64),
                "options": {"solver": a.solver, "threads": 1, "seed": i}});
            let r = check(
                send(client.post(format!("{url}/v1/solve")).json(&body)).await?,
                200,
            )
            .await?;
            let v: Value = r.json().await.map_err(|e| e.to_string())?;
            if v["objective"].is_number() {
                Ok(())
            } else {
                Err(format!("no objective: {v}"))
            }
        }
    }
}

/// One window of the soak: requests, errors, latency percentiles (ms), server RSS (MiB), fds.
struct Window {
    requests: usize,
    errors: usize,
    p50: f64,
    p99: f64,
    rss: Option<f64>,
    fds: Option<usize>,
}

async fn soak_mode(a: &Args, client: &reqwest::Client, seconds: f64) -> bool {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut windows: Vec<Window> = Vec::new();
    let mut total_errors = 0;
    println!(
        "soak: {seconds} s, {} clients, windows of {} s",
        a.concurrency, a.window
    );
    println!("window | requests | errors | p50 ms | p99 ms | server RSS MiB | open fds");
    while started.elapsed().as_secs_f64() < seconds {
        let end = Instant::now() + Duration::from_secs_f64(a.window.min(seconds));
        let mut tasks = Vec::new();
        for _ in 0..a.concurrency {
            let (a, client, next) = (a.clone(), client.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0;
                while Instant::now() < end {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let t = Instant::now();
                    match soak_request(&a, &client, i).await {
                        Ok(()) => lat.push(t.elapsed()),
                        Err(e) => {
                            errors += 1;
                            eprintln!("request {i}: {e}");
                        }
                    }
                }
                (lat, errors)
            }));
        }
        let mut lat = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.unwrap_or_default();
            lat.extend(l);
            errors += e;
        }
        lat.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let w = Window {
            requests: lat.len() + errors,
            errors,
            p50: ms(percentile(&lat, 0.50)),
            p99: ms(percentile(&lat, 0.99)),
            rss: a.pid.and_then(rss).map(|(r, _)| r as f64 / 1024.0),
            fds: a.pid.and_then(open_fds),
        };
        let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        println!(
            "{:>6} | {:>8} | {:>6} | {:>6.1} | {:>6.1} | {:>14} | {:>8}",
            windows.len() + 1,
            w.requests,
            w.errors,
            w.p50,
            w.p99,
            opt(w.rss.map(|r| format!("{r:.1}"))),
            opt(w.fds.map(|f| f.to_string()))
        );
        total_errors += errors;
        windows.push(w);
    }
    if let (Some(first), Some(last)) = (windows.first(), windows.last()) {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
        println!(
            "soak: {} requests, {total_errors} errors; first -> last window: p99 {:.1} -> {:.1} ms, RSS {} -> {} MiB, fds {} -> {}",
            windows.iter().map(|w| w.requests).sum::<usize>(),
            first.p99,
            last.p99,
            opt(first.rss.map(|r| format!("{r:.1}"))),
            opt(last.rss.map(|r| format!("{r:.1}"))),
            opt(first.fds.map(|f| f.to_string())),
            opt(last.fds.map(|f| f.to_string())),
        );
    }
    total_errors == 0
}

#[tokio::main]
async fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let client = match reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency)
        // Below the server's --header-timeout (which closes idle connections), so that a
        // pooled connection is never reused just as the server closes it.
        .pool_idle_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(120))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot build the HTTP client: {e}");
            return ExitCode::from(2);
        }
    };
    print_rss("before", a.pid);
    let ok = match (a.flood, a.soak) {
        (Some(n), _) => flood_mode(&a, &client, n).await,
        (None, Some(s)) => soak_mode(&a, &client, s).await,
        (None, None) => solve_mode(&a, &client).await,
    };
    print_rss("after", a.pid);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

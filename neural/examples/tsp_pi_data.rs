//! The learned ascent's training data and its measurement (release build):
//!
//!     cargo build --release --workspace --example tsp_pi_data
//!     target/release/examples/tsp_pi_data gen OUT COUNT SEED0 MIN_N MAX_N [THREADS]
//!     target/release/examples/tsp_pi_data eval [--cap SECONDS] INSTANCE...
//!
//! `gen`: COUNT instances from `quotient_problems::tsp::generate` (even indices uniform, odd
//! ones clustered with 2 to n/60 clusters; n uniform in MIN_N..=MAX_N; seeds SEED0, SEED0+1,
//! ...), each through quotient's own Held–Karp ascent without a time cap
//! (`quotient_solvers::tsp::ils::held_karp`), written as little-endian records `u32 n, u32 e`,
//! `f32 node_x[n*2]`, `i32 src[e]`, `i32 dst[e]`, `f32 edge_x[e*5]`, `f32 target[n]` (the
//! heat graph of `quotient_neural::heatmap::heat_graph` and the centred penalties divided by
//! its scale; read by `neural/train/pi/data.py`).
//!
//! `eval`: per instance (a TSPLIB file, or `uniform:N:SEED` / `clustered:N:SEED`), the ascent
//! from zero and from the learned penalties (`tsp_pi_gnn`, from the embedded models or
//! `QUOTIENT_MODELS`), each timed, with its steps and bound; with `--cap`, both ascents are
//! also run under that time cap (as `tsp.ils` runs them inside a time limit). One line each,
//! then the means.

use quotient_neural::heatmap::{GRAPH_K, heat_graph};
use quotient_neural::pi::{PI_MODEL, predict_penalties};
use quotient_problems::tsp::TspInstance;
use quotient_problems::tsp::generate::{clustered, uniform};
use quotient_solvers::engine::Budget;
use quotient_solvers::tsp::ils::held_karp;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let _ = quotient_neural::init(quotient_neural::NeuralConfig::resolve(
        std::env::var_os("ORT_DYLIB_PATH").map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        std::env::var_os("QUOTIENT_MODELS").map(Into::into),
        &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv")],
    ));
    let a: Vec<String> = std::env::args().skip(1).collect();
    match a.first().map(String::as_str) {
        Some("gen") if a.len() >= 6 => {
            let num = |i: usize| -> Result<u64> {
                a[i].parse::<u64>()
                    .map_err(|e| format!("argument {i} ({}): {e}", a[i]).into())
            };
            let threads = if a.len() > 6 { num(6)? as usize } else { 1 };
            generate(&a[1], num(2)?, num(3)?, num(4)? as usize, num(5)? as usize, threads)
        }
        Some("eval") => {
            let (cap, files) = match a.get(1).map(String::as_str) {
                Some("--cap") => {
                    let s: f64 = a.get(2).ok_or("--cap needs seconds")?.parse()?;
                    (Some(Duration::from_secs_f64(s)), &a[3..])
                }
                _ => (None, &a[1..]),
            };
            evaluate(files, cap)
        }
        _ => Err("usage: tsp_pi_data gen OUT COUNT SEED0 MIN_N MAX_N [THREADS] | eval [--cap S] INSTANCE...".into()),
    }
}

/// One training instance: even `i` uniform, odd `i` clustered.
fn training_instance(i: u64, seed: u64, min_n: usize, max_n: usize) -> TspInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = rng.random_range(min_n.max(3)..=max_n.max(min_n.max(3)));
    if i.is_multiple_of(2) {
        uniform(n, seed)
    } else {
        clustered(n, rng.random_range(2..=(n / 60).max(3)), seed)
    }
}

fn generate(
    out: &str,
    count: u64,
    seed0: u64,
    min_n: usize,
    max_n: usize,
    threads: usize,
) -> Result<()> {
    let records: Mutex<Vec<Option<Vec<u8>>>> = Mutex::new(vec![None; count as usize]);
    let next = Mutex::new(0u64);
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut g = next.lock().unwrap_or_else(|e| e.into_inner());
                        let i = *g;
                        *g += 1;
                        i
                    };
                    if i >= count {
                        break;
                    }
                    let inst = training_instance(i, seed0 + i, min_n, max_n);
                    let rec = record(&inst);
                    if i.is_multiple_of(20) {
                        eprintln!(
                            "{i}/{count} n={} {:.0} s",
                            inst.n(),
                            t0.elapsed().as_secs_f64()
                        );
                    }
                    records.lock().unwrap_or_else(|e| e.into_inner())[i as usize] = rec;
                }
            });
        }
    });
    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    let mut written = 0;
    for r in records
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
    {
        f.write_all(&r)?;
        written += 1;
    }
    f.flush()?;
    eprintln!(
        "{written} of {count} records in {:.0} s",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The record of one instance (`None`: no ascent, e.g. a 1-tree that is a tour at once).
fn record(inst: &TspInstance) -> Option<Vec<u8>> {
    let hk = held_karp(inst, &Budget::new(None), None, None)?;
    let g = heat_graph(inst, GRAPH_K).ok()?;
    let mean = hk.pi.iter().sum::<f64>() / hk.pi.len().max(1) as f64;
    let mut buf = g.record_bytes();
    for p in &hk.pi {
        buf.extend((((p - mean) / g.scale) as f32).to_le_bytes());
    }
    Some(buf)
}

fn load(spec: &str) -> Result<TspInstance> {
    let parts: Vec<&str> = spec.split(':').collect();
    match parts.as_slice() {
        [kind @ ("uniform" | "clustered"), n, seed] => {
            let (n, seed): (usize, u64) = (n.parse()?, seed.parse()?);
            Ok(if *kind == "uniform" {
                uniform(n, seed)
            } else {
                clustered(n, (n / 100).max(1), seed)
            })
        }
        _ => Ok(
            quotient_problems::tsp::read_tsplib(&std::fs::read_to_string(spec)?)
                .map_err(|e| format!("{spec}: {e}"))?,
        ),
    }
}

fn evaluate(files: &[String], cap: Option<Duration>) -> Result<()> {
    let model = quotient_neural::solvers::availability(PI_MODEL)?;
    println!(
        "instance n | cold: s steps bound | learned: predict s, ascent s steps bound, warm | bound gain % | time ratio"
    );
    let (mut gains, mut ratios) = (Vec::new(), Vec::new());
    for spec in files {
        let inst = load(spec)?;
        let t = Instant::now();
        let Some(cold) = held_karp(&inst, &Budget::new(None), cap, None) else {
            println!("{spec}: no ascent (ATSP, tiny, or fixed edges)");
            continue;
        };
        let cold_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let pred = match predict_penalties(&model, &inst, None) {
            Ok(p) => p,
            Err(e) => {
                println!("{spec}: no prediction ({e})");
                continue;
            }
        };
        let pred_s = t.elapsed().as_secs_f64();
        // Under a cap the prediction's time counts in it.
        let left = cap.map(|c| c.saturating_sub(t.elapsed()));
        let t = Instant::now();
        let warm = held_karp(&inst, &Budget::new(None), left, Some(&pred))
            .ok_or("the warm ascent returned nothing")?;
        let warm_s = t.elapsed().as_secs_f64();
        let gain = 100.0 * (warm.bound - cold.bound) as f64 / cold.bound.max(1) as f64;
        let ratio = (pred_s + warm_s) / cold_s.max(1e-9);
        gains.push(gain);
        ratios.push(ratio);
        println!(
            "{spec} {} | {cold_s:.3} {} {} | {pred_s:.3}, {warm_s:.3} {} {}, {} | {gain:+.4} | {ratio:.3}",
            inst.n(),
            cold.iterations,
            cold.bound,
            warm.iterations,
            warm.bound,
            warm.warm,
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "mean over {}: bound gain {:+.4} % (learned minus cold, of the cold bound), time ratio {:.3} (learned incl. prediction / cold)",
        gains.len(),
        mean(&gains),
        mean(&ratios)
    );
    Ok(())
}

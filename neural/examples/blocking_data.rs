//! Training data of the blocking job shops' GNN dispatching policy (release build):
//!
//!     cargo build --release --workspace --example blocking_data
//!     target/release/examples/blocking_data SIZES COUNT SEED0 IG_SECONDS EPS ROLLOUTS VARIANTS OUT [POLICY]
//!
//! SIZES: comma-separated `JOBSxMACHINES` (e.g. `10x5,15x10,20x10`); COUNT instances per size
//! and variant, Taillard-style (uniform 1..99 durations, random machine orders), seeds SEED0,
//! SEED0+1, ...; VARIANTS: comma-separated (`blocking,swap`).
//!
//! Each instance is solved by `jssp.blocking`'s iterated greedy (one thread, IG_SECONDS); its
//! job order is the expert. ROLLOUTS rollouts of the job-by-job state of
//! `quotient_neural::blocking` are made: the first follows the expert, the others take a random
//! candidate with probability EPS at each step (states off the expert's path). At every state
//! with two candidates or more the targets are `quotient_neural::blocking::targets` (the
//! candidates that, inserted next and followed by the expert's order of the rest, do no worse
//! than the expert's own next job); every such state is written.
//!
//! POLICY (default 0; DAgger): that many more rollouts follow the current policy (the
//! `jssp_blocking_gnn` model of the registry, greedy for the first, then with a random
//! candidate with probability EPS at each step), labelled the same way: the states the policy
//! itself reaches, with the expert's verdict on each of their candidates. Needs the ONNX
//! Runtime (`ORT_DYLIB_PATH` or the repository's `.venv`).
//!
//! Output: little-endian records `u32 n, u32 ej, u32 em, u32 c`, then `f32 x[n*F]`,
//! `i32 job[2*ej]`, `i32 mach[2*em]`, `i32 pairs[2*c]`, `f32 target[c]`, F =
//! `quotient_neural::blocking::FEATURES` (read by `neural/train/gnn/data.py --features F`).
//! Prints one JSON line per instance on stderr.

use quotient_neural::blocking::{Build, MODEL, build_with, most_work, targets};
use quotient_neural::jssp::argmax;
use quotient_neural::runtime::model;
use quotient_problems::jssp::JsspVariant;
use quotient_problems::jssp::generate::taillard;
use quotient_solvers::engine::{Budget, NoObserver};
use quotient_solvers::jssp::blocking::dispatch::all_rules;
use quotient_solvers::jssp::blocking::ig::{IgOptions, best_order};
use quotient_solvers::jssp::blocking::timetable::{Problem, decode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    // The binary's edge: the ONNX Runtime from ORT_DYLIB_PATH or the repository's .venv.
    let _ = quotient_neural::init(quotient_neural::NeuralConfig::resolve(
        std::env::var_os("ORT_DYLIB_PATH").map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        std::env::var_os("QUOTIENT_MODELS").map(Into::into),
        &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv")],
    ));
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 9 && a.len() != 10 {
        return Err(
            "usage: blocking_data SIZES COUNT SEED0 IG_SECONDS EPS ROLLOUTS VARIANTS OUT [POLICY]"
                .into(),
        );
    }
    let sizes: Vec<(usize, usize)> = a[1]
        .split(',')
        .map(|s| {
            let (j, m) = s.split_once('x').ok_or("size must be JOBSxMACHINES")?;
            Ok::<_, Box<dyn std::error::Error>>((j.parse()?, m.parse()?))
        })
        .collect::<Result<_>>()?;
    let count: u64 = a[2].parse()?;
    let seed0: u64 = a[3].parse()?;
    let ig_secs: f64 = a[4].parse()?;
    let eps: f64 = a[5].parse()?;
    let rollouts: u64 = a[6].parse::<u64>()?.max(1);
    let variants: Vec<JsspVariant> = a[7]
        .split(',')
        .map(|v| v.parse::<JsspVariant>())
        .collect::<std::result::Result<_, _>>()?;
    let policy_rollouts: u64 = a.get(9).map_or(Ok(0), |v| v.parse())?;
    let policy = if policy_rollouts > 0 {
        Some(model(MODEL)?)
    } else {
        None
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&a[8])?);
    let mut records = 0u64;
    for &(jobs, machines) in &sizes {
        for &variant in &variants {
            for k in 0..count {
                let seed = seed0 + k;
                let mut inst = taillard(jobs, machines, seed, seed.wrapping_mul(7919) + 13);
                inst.variant = variant;
                let p = Problem::new(&inst)?;
                let budget = Budget::new(Some(Duration::from_secs_f64(ig_secs)));
                let opts = IgOptions {
                    threads: 1,
                    seed,
                    ..Default::default()
                };
                let expert =
                    best_order(&p, &budget, &NoObserver, &opts).ok_or("no expert order")?;
                let expert_c = decode(&p, &expert).makespan;
                let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xb10c);
                let mut rolled = Vec::new();
                let mut states = 0u64;
                // Rollouts 0..ROLLOUTS follow the expert, the POLICY more ones the model.
                for r in 0..rollouts + policy_rollouts {
                    let by_policy = r >= rollouts;
                    let e = if r == 0 || r == rollouts { 0.0 } else { eps };
                    let b = build_with(&p, |b: &Build<'_>, cands: &[usize]| -> Result<usize> {
                        let rest: Vec<usize> = expert
                            .iter()
                            .copied()
                            .filter(|j| cands.contains(j))
                            .collect();
                        let (target, _) = targets(b, cands, &rest);
                        let g = b.graph(cands);
                        out.write_all(&g.training_record(&target))?;
                        states += 1;
                        if rng.random::<f64>() < e {
                            return Ok(rng.random_range(0..cands.len()));
                        }
                        Ok(match (&policy, by_policy) {
                            (Some(m), true) => argmax(&m.run_graph(&g)?),
                            _ => cands
                                .iter()
                                .position(|c| Some(c) == rest.first())
                                .unwrap_or(0),
                        })
                    })?;
                    rolled.push(b.makespan());
                }
                records += states;
                let rules = all_rules(&p, &Budget::new(None), seed);
                let mwkr = build_with(&p, |_, c| Ok::<usize, ()>(most_work(&p, c)))
                    .map_err(|()| "rollout failed")?;
                eprintln!(
                    "{{\"size\":\"{jobs}x{machines}\",\"variant\":\"{variant}\",\"seed\":{seed},\"expert\":{expert_c},\"rollouts\":{rolled:?},\"best_rule\":{},\"mwkr\":{},\"states\":{states}}}",
                    rules.first().map_or(-1, |r| r.1),
                    mwkr.makespan()
                );
            }
        }
    }
    out.flush()?;
    eprintln!("{records} records");
    Ok(())
}

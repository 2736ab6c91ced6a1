//! Training data of the job-shop graph policies (release build):
//!
//!     cargo build --release --workspace --example jssp_data
//!     target/release/examples/jssp_data dispatch|improve SIZES COUNT SEED0 TABU_SECONDS EPS EVERY OUT
//!
//! SIZES: comma-separated `JOBSxMACHINES` (e.g. `10x10,15x15,20x15`); COUNT instances per size,
//! Taillard-style (uniform 1..99 durations, random machine orders), seeds SEED0, SEED0+1, ...
//!
//! * `dispatch`: each instance is solved by `jssp.tabu` (one thread, TABU_SECONDS); that schedule
//!   is the expert. The dispatching state is rolled out; at each state with two candidates or
//!   more the target is the candidate(s) the expert starts first (placing operations in the order
//!   of the expert's start times rebuilds a schedule no longer than the expert's); the rollout
//!   follows the expert, or with probability EPS a random candidate (states off the expert's
//!   path). Every EVERY-th state is written.
//! * `improve`: a dispatching-rule schedule (rule drawn at random) is improved for 400 steps by
//!   the L2S loop of `quotient_neural::jssp::improve` with the expert choosing: the move whose
//!   exact makespan after it is smallest, or a random one with probability EPS; the targets are
//!   all moves of smallest exact makespan. Every EVERY-th state is written. (TABU_SECONDS unused.)
//!
//! Output: little-endian records `u32 n, u32 ej, u32 em, u32 c`, then `f32 x[n*5]`,
//! `i32 job[2*ej]`, `i32 mach[2*em]`, `i32 pairs[2*c]`, `f32 target[c]` (read by
//! `neural/train/gnn/data.py`). Prints one JSON line per instance on stderr.

use quotient_neural::jssp::{self, best_moves, dispatch_with, earliest};
use quotient_problems::jssp::generate::taillard;
use quotient_solvers::engine::{Budget, NoObserver};
use quotient_solvers::jssp::dispatch::{ALL_RULES, schedule};
use quotient_solvers::jssp::graph::{Problem, Schedule};
use quotient_solvers::jssp::tabu::{self, TabuOptions};
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
    if a.len() != 9 {
        return Err(
            "usage: jssp_data dispatch|improve SIZES COUNT SEED0 TABU_SECONDS EPS EVERY OUT".into(),
        );
    }
    let mode = a[1].as_str();
    let sizes: Vec<(usize, usize)> = a[2]
        .split(',')
        .map(|s| {
            let (j, m) = s.split_once('x').ok_or("size must be JOBSxMACHINES")?;
            Ok::<_, Box<dyn std::error::Error>>((j.parse()?, m.parse()?))
        })
        .collect::<Result<_>>()?;
    let count: u64 = a[3].parse()?;
    let seed0: u64 = a[4].parse()?;
    let tabu_secs: f64 = a[5].parse()?;
    let eps: f64 = a[6].parse()?;
    let every: u64 = a[7].parse::<u64>()?.max(1);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&a[8])?);
    let mut records = 0u64;
    for &(jobs, machines) in &sizes {
        for k in 0..count {
            let seed = seed0 + k;
            let inst = taillard(jobs, machines, seed, seed.wrapping_mul(7919) + 13);
            let p = Problem::new(&inst)?;
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
            let mut state = 0u64;
            match mode {
                "dispatch" => {
                    let budget = Budget::new(Some(Duration::from_secs_f64(tabu_secs)));
                    let r = tabu::solve(
                        &inst,
                        &budget,
                        &NoObserver,
                        &TabuOptions {
                            threads: 1,
                            seed,
                            ..Default::default()
                        },
                    );
                    let sol = r.solution.ok_or("tabu search found no schedule")?;
                    let expert: Vec<i64> = sol.start.iter().flatten().copied().collect();
                    let mut err: Option<Box<dyn std::error::Error>> = None;
                    let d = dispatch_with(&p, |d, cands| {
                        let best = cands.iter().map(|&o| expert[o as usize]).min().unwrap_or(0);
                        let target: Vec<f32> = cands
                            .iter()
                            .map(|&o| f32::from(u8::from(expert[o as usize] == best)))
                            .collect();
                        state += 1;
                        if state.is_multiple_of(every)
                            && let Err(e) =
                                out.write_all(&d.graph(cands).tensors().training_record(&target))
                        {
                            err = Some(e.into());
                        }
                        records += u64::from(state.is_multiple_of(every));
                        Ok::<usize, ()>(if rng.random::<f64>() < eps {
                            rng.random_range(0..cands.len())
                        } else {
                            target.iter().position(|&t| t > 0.0).unwrap_or(0)
                        })
                    })
                    .map_err(|()| "dispatch failed")?;
                    if let Some(e) = err {
                        return Err(e);
                    }
                    let fifo = dispatch_with(&p, |d, c| Ok::<usize, ()>(earliest(d, c)))
                        .map_err(|()| "dispatch failed")?;
                    eprintln!(
                        "{{\"size\":\"{jobs}x{machines}\",\"seed\":{seed},\"expert\":{},\"rollout\":{},\"earliest_start\":{},\"states\":{state}}}",
                        r.objective.unwrap_or(f64::NAN),
                        d.makespan(),
                        fifo.makespan()
                    );
                }
                "improve" => {
                    let rule = ALL_RULES[rng.random_range(0..ALL_RULES.len())];
                    let (sol, _) = schedule(&inst, rule);
                    let seq = p.seqs_from_starts(&sol).ok_or("bad start")?;
                    let start = Schedule::from_seqs(&p, seq).ok_or("bad start")?;
                    let c0 = start.cmax;
                    let budget = Budget::new(None);
                    let mut pick = ChaCha8Rng::seed_from_u64(seed ^ 0xabc);
                    let mut err: Option<Box<dyn std::error::Error>> = None;
                    let (best, stats) = jssp::improve(
                        &p,
                        start,
                        400,
                        inst.trivial_lower_bound(),
                        &budget,
                        &mut rng,
                        |sch, moves| {
                            let (target, _) = best_moves(&p, sch, moves);
                            state += 1;
                            if moves.len() > 1 && state.is_multiple_of(every) {
                                let g = jssp::schedule_graph(&p, sch, moves);
                                if let Err(e) = out.write_all(&g.tensors().training_record(&target))
                                {
                                    err = Some(e.into());
                                }
                                records += 1;
                            }
                            Ok::<usize, ()>(if pick.random::<f64>() < eps {
                                pick.random_range(0..moves.len())
                            } else {
                                target.iter().position(|&t| t > 0.0).unwrap_or(0)
                            })
                        },
                    )
                    .map_err(|()| "improve failed")?;
                    if let Some(e) = err {
                        return Err(e);
                    }
                    eprintln!(
                        "{{\"size\":\"{jobs}x{machines}\",\"seed\":{seed},\"start\":{c0},\"best\":{},\"steps\":{},\"states\":{state}}}",
                        best.cmax, stats.steps
                    );
                }
                _ => return Err(format!("unknown mode {mode}").into()),
            }
        }
    }
    out.flush()?;
    eprintln!("{records} records");
    Ok(())
}

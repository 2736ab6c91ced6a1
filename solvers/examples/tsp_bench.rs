//! Indicative benchmark of `tsp.ils` (and `tsp.exact`) on the TSPLIB files in ../shared/bench.
//!
//! ```sh
//! cargo run --release -p quotient-solvers --example tsp_bench -- \
//!     [--dir ../shared/bench/tsp] [--time 10] [--threads 2] [--min-n 0] [--max-n 1000] \
//!     [--filter NAME,NAME] [--every K] [--seed S] [--anneal] [--exact] [--k 8] [--no-quad] [--softdist T]
//!     [--alpha on|off] [--no-target] [--iters N] [--move 3opt|2chain|or3opt|5opt]
//!     [--breadth3 B1,B2,B3] [--mix Q] [--ascent-share S] [--late L] [--threshold S,E] [--spatial K] [--compress on|off] [--kick-len L]
//!     [--kopt K] [--kbreadth B] [--depth3 D] [--walkers K] [--epochs E] [--adopt on|off] [--shake S]
//! ```
//! Prints one line per instance (objective, reference, gap %, seconds, checker verdict, the
//! reported bound and its gap below the reference) and the mean gaps. `--alpha`: alpha lists
//! always / never (default: the automatic choice); `--no-target`: run to the time limit even
//! at the optimum; `--iters N`: stop after N ILS iterations (with a long `--time`, to time the
//! ascent alone, whose cap is a share of the time limit); `--breadth3`: non-improving 3-opt
//! moves tried per level of a 3-opt chain (backtracking); `--mix Q`: Q nearest + quadrant
//! neighbours behind the alpha lists; `--ascent-share S`: the ascent's cap, a share of the limit;
//! `--move 5opt`: chains of sequential k-opt moves (LKH's basic move), `--kopt K` edges per move
//! (default 5), `--kbreadth B` candidates per level (default 5); `--depth3 D`: most moves in one
//! chain of 3-opt or k-opt moves (default 30); `--walkers K`: K searches in turn, each epoch's
//! tour merged with the best by partition crossover, `--epochs E` epochs per walker,
//! `--adopt off`: a walker keeps its own tour after a merge, `--shake S`: kicks per thousand nodes
//! made at once to a walker whose epoch did not improve it (0: none).

use quotient_problems::tsp::{check, read_tsplib};
use quotient_solvers::engine::{Acceptance, Budget, NoObserver};
use quotient_solvers::tsp::{CandidateOrder, exact, ils};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |key: &str| {
        args.iter()
            .position(|a| a == key)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let flag = |key: &str| args.iter().any(|a| a == key);
    let dir = PathBuf::from(get("--dir").unwrap_or_else(|| "../shared/bench/tsp".into()));
    let secs: f64 = get("--time").and_then(|v| v.parse().ok()).unwrap_or(10.0);
    let threads: usize = get("--threads").and_then(|v| v.parse().ok()).unwrap_or(2);
    let min_n: usize = get("--min-n").and_then(|v| v.parse().ok()).unwrap_or(0);
    let max_n: usize = get("--max-n").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let every: usize = get("--every").and_then(|v| v.parse().ok()).unwrap_or(1);
    let seed: u64 = get("--seed").and_then(|v| v.parse().ok()).unwrap_or(1);
    let k: usize = get("--k").and_then(|v| v.parse().ok()).unwrap_or(0);
    let filter: Option<Vec<String>> =
        get("--filter").map(|f| f.split(',').map(str::to_string).collect());

    let csv = match std::fs::read_to_string(dir.join("optimal.csv")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.join("optimal.csv").display());
            return;
        }
    };
    let mut rows: Vec<(String, usize, f64)> = Vec::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if let (Some(name), Some(n), Some(opt)) = (f.first(), f.get(1), f.get(3))
            && let (Ok(n), Ok(opt)) = (n.parse::<usize>(), opt.trim().parse::<f64>())
        {
            rows.push((name.to_string(), n, opt));
        }
    }
    rows.sort_by_key(|r| r.1);
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(name, n, _)| {
            *n >= min_n
                && *n <= max_n
                && filter.as_ref().is_none_or(|f| f.iter().any(|x| x == name))
        })
        .enumerate()
        .filter(|(i, _)| i % every.max(1) == 0)
        .map(|(_, r)| r)
        .collect();
    let mut gaps = Vec::new();
    let mut bound_gaps: Vec<f64> = Vec::new();
    for (name, n, opt) in rows {
        let path = ["tsp", "atsp"]
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.exists());
        let Some(path) = path else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let inst = match read_tsplib(&text) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        // linhp318's reference is the Hamiltonian path: add the fixed edges' cost.
        let opt = opt
            + inst
                .fixed_edges
                .iter()
                .map(|&(a, b)| inst.dist(a, b) as f64)
                .sum::<f64>();
        let budget = Budget::new(Some(Duration::from_secs_f64(secs)))
            .with_target((!flag("--no-target")).then_some(opt))
            .with_max_iterations(get("--iters").and_then(|v| v.parse().ok()));
        let t0 = Instant::now();
        let r = if flag("--exact") {
            exact::solve_exact(&inst, &budget, &NoObserver, threads)
        } else {
            let opts = ils::IlsOptions {
                threads,
                seed,
                neighbours: (k > 0).then_some(k),
                quadrants: flag("--no-quad").then_some(false),
                candidates: get("--softdist")
                    .and_then(|v| v.parse().ok())
                    .map_or(CandidateOrder::Distance, CandidateOrder::SoftDist),
                acceptance: if flag("--anneal") {
                    Some(Acceptance::Annealing {
                        start: 0.002,
                        end: 0.0001,
                    })
                } else if let Some(l) = get("--late").and_then(|v| v.parse().ok()) {
                    Some(Acceptance::LateAcceptance(l))
                } else {
                    get("--threshold").and_then(|v| {
                        let x: Vec<f64> = v.split(',').filter_map(|x| x.parse().ok()).collect();
                        (x.len() == 2).then(|| Acceptance::Threshold {
                            start: x[0],
                            end: x[1],
                        })
                    })
                },
                alpha: get("--alpha").map(|v| v == "on"),
                lk_move: get("--move").map(|v| {
                    if v == "2chain" {
                        ils::LkMove::TwoOptChain
                    } else if v == "or3opt" {
                        ils::LkMove::OrThreeOpt
                    } else if v == "5opt" {
                        ils::LkMove::FiveOpt
                    } else {
                        ils::LkMove::ThreeOpt
                    }
                }),
                lk3_breadth: get("--breadth3").and_then(|v| {
                    let b: Vec<usize> = v.split(',').filter_map(|x| x.parse().ok()).collect();
                    (b.len() == 3).then(|| [b[0], b[1], b[2]])
                }),
                alpha_mix: get("--mix").and_then(|v| v.parse().ok()),
                ascent_share: get("--ascent-share").and_then(|v| v.parse().ok()),
                kick_spatial: get("--spatial").and_then(|v| v.parse().ok()),
                ascent_compress: get("--compress").map(|v| v == "on"),
                kick_len: get("--kick-len").and_then(|v| v.parse().ok()),
                kopt_k: get("--kopt").and_then(|v| v.parse().ok()),
                lk3_depth: get("--depth3").and_then(|v| v.parse().ok()),
                kopt_breadth: get("--kbreadth").and_then(|v| v.parse().ok()),
                walkers: get("--walkers").and_then(|v| v.parse().ok()),
                epochs: get("--epochs").and_then(|v| v.parse().ok()),
                adopt: get("--adopt").map(|v| v == "on"),
                shake: get("--shake").and_then(|v| v.parse().ok()),
                ..Default::default()
            };
            ils::solve(&inst, &budget, &NoObserver, &opts)
        };
        let el = t0.elapsed().as_secs_f64();
        let (obj, ok) = match &r.solution {
            Some(s) => {
                let rep = check(&inst, s);
                (rep.objective, rep.violations.is_empty())
            }
            None => (f64::NAN, false),
        };
        let gap = 100.0 * (obj - opt) / opt.abs().max(1.0);
        gaps.push(gap);
        let bound = r.bound.map_or("-".to_string(), |b| {
            let bg = 100.0 * (opt - b) / opt.abs().max(1.0);
            bound_gaps.push(bg);
            format!("{b} bound_gap={bg:.3}%")
        });
        println!(
            "{name:>12} n={n:>5} opt={opt:>10} obj={obj:>10} gap={gap:>7.3}% t={el:>6.2}s status={} feasible={ok} bound={bound} {}",
            r.status.as_str(),
            r.message.unwrap_or_default()
        );
    }
    if !gaps.is_empty() {
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let at_opt = gaps.iter().filter(|g| **g <= 1e-9).count();
        println!(
            "instances={} mean_gap={mean:.3}% optimal={at_opt}",
            gaps.len()
        );
    }
    if !bound_gaps.is_empty() {
        let mean = bound_gaps.iter().sum::<f64>() / bound_gaps.len() as f64;
        println!("bounds={} mean_bound_gap={mean:.3}%", bound_gaps.len());
    }
}

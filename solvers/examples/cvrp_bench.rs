//! Indicative benchmark of `cvrp.sisr` on CVRPLIB instances of `../shared/bench/cvrp`.
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/main/target cargo run --release -p quotient-solvers \
//!     --example cvrp_bench -- SECONDS THREADS NAME_PREFIX... [--max-n N] [--iters N] [--seed S]
//! ```
//! e.g. `-- 10 1 A- B- E- P-` or `-- 30 1 X-n101 X-n110`. Prints instance, n, BKS, objective,
//! gap % and feasibility (by the independent checker), then the mean gap. `--iters N` stops
//! each run after N iterations instead of the time (SECONDS is then ignored; compare variants
//! that way on a busy machine). Environment knobs: `SISR_T0`, `SISR_TF` (temperatures in
//! average edges), `SISR_GRANULAR`, `SISR_CROSS` and `SISR_SWAPSTAR` (0 or 1), `SISR_PENALTY`
//! (`exact`, or `LO,HI`: capacity by penalty with that target share of feasible candidates).

use quotient_problems::cvrp::{check, read_cvrplib};
use quotient_solvers::cvrp::sisr::{Capacity, SisrOptions, solve};
use quotient_solvers::engine::{Budget, NoObserver};
use std::path::Path;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: f64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let threads: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut max_n = usize::MAX;
    let mut iters: Option<u64> = None;
    let mut seed = 1u64;
    let mut prefixes = Vec::new();
    let mut rest = args.iter().skip(2);
    while let Some(a) = rest.next() {
        if a == "--max-n" {
            max_n = rest.next().and_then(|s| s.parse().ok()).unwrap_or(max_n);
        } else if a == "--iters" {
            iters = rest.next().and_then(|s| s.parse().ok());
        } else if a == "--seed" {
            seed = rest.next().and_then(|s| s.parse().ok()).unwrap_or(seed);
        } else {
            prefixes.push(a.clone());
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/cvrp");
    let Ok(csv) = std::fs::read_to_string(dir.join("bks.csv")) else {
        eprintln!("SKIPPED: ../shared/bench not found");
        return;
    };
    let mut gaps = Vec::new();
    println!("instance,n,bks,objective,gap_pct,seconds,feasible");
    for line in csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let (Some(name), Some(n), Some(bks)) = (cols.first(), cols.get(1), cols.get(3)) else {
            continue;
        };
        let (Ok(n), Ok(bks)) = (n.parse::<usize>(), bks.parse::<f64>()) else {
            continue;
        };
        if n > max_n || !prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.vrp"))) else {
            continue;
        };
        let inst = match read_cvrplib(&text, None) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let budget = match iters {
            Some(n) => Budget::default().with_max_iterations(Some(n)),
            None => Budget::new(Some(Duration::from_secs_f64(secs))),
        }
        .with_target(Some(bks));
        let mut opts = SisrOptions {
            threads,
            seed,
            ..SisrOptions::default()
        };
        // Tuning knobs: start / end temperature in average edges, granular neighbours.
        let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
        if let Some(t) = env("SISR_T0") {
            opts.temp_start_edges = t;
        }
        if let Some(t) = env("SISR_TF") {
            opts.temp_end_edges = t;
        }
        if let Some(g) = env("SISR_GRANULAR") {
            opts.granular = g as usize;
        }
        if let Some(c) = env("SISR_CROSS") {
            opts.cross = c != 0.0;
        }
        if let Some(s) = env("SISR_SWAPSTAR") {
            opts.swap_star = s != 0.0;
        }
        if let Ok(p) = std::env::var("SISR_PENALTY") {
            let share: Vec<f64> = p.split(',').filter_map(|s| s.parse().ok()).collect();
            opts.capacity = match share[..] {
                [min_feasible, max_feasible] => Capacity::Penalty {
                    min_feasible,
                    max_feasible,
                },
                _ => Capacity::Exact,
            };
        }
        let r = solve(&inst, &budget, &NoObserver, &opts);
        let Some(sol) = r.solution else {
            println!("{name},{n},{bks},,,,{:?}", r.status);
            continue;
        };
        let rep = check(&inst, &sol);
        let gap = 100.0 * (rep.objective - bks) / bks;
        gaps.push(gap);
        println!(
            "{name},{n},{bks},{:.2},{gap:.3},{:.1},{}",
            rep.objective,
            budget.elapsed().as_secs_f64(),
            rep.is_feasible()
        );
    }
    if !gaps.is_empty() {
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        println!("mean gap {mean:.3}% over {} instances", gaps.len());
    }
}

//! Release-mode benchmark of `jssp.tabu` on the shared job-shop instances.
//!
//! ```text
//! CARGO_TARGET_DIR=/work/main/target cargo run -p quotient-solvers --release --example jssp_bench -- \
//!     [--secs T] [--threads N] [--seed S] [--target-opt] [--phases K] [--phase-iters I]
//!     [--relink on|off] [--incremental on|off] [--starts] NAME...
//! ```
//! NAME is an instance of `../shared/bench/jssp` (without `.txt`); ranges like `ta01-ta10`
//! expand. Prints makespan, reference upper bound and gap per instance, then the mean gap.
//! With `--target-opt`, a run stops as soon as it reaches the reference value. `--phases K`
//! caps the run at K engine iterations (tabu phases, all workers together) for comparisons
//! that do not depend on the machine's speed (the time limit still applies). `--starts` only
//! builds the start schedules (best dispatching rule, insertion in both orders) and prints
//! their makespans and times.

use quotient_problems::jssp::{check, read_jssp};
use quotient_solvers::engine::{Budget, NoObserver};
use quotient_solvers::jssp::dispatch::{ALL_RULES, schedule};
use quotient_solvers::jssp::graph::Problem;
use quotient_solvers::jssp::insertion::{ALL_ORDERS, construct};
use quotient_solvers::jssp::tabu::{TabuOptions, solve};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn expand(arg: &str) -> Vec<String> {
    let Some((a, b)) = arg.split_once('-') else {
        return vec![arg.to_string()];
    };
    let split = |s: &str| {
        let i = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
        let (p, n) = s.split_at(i);
        (p.to_string(), n.len(), n.parse::<u32>().ok())
    };
    match (split(a), split(b)) {
        ((pa, w, Some(x)), (pb, _, Some(y))) if pa == pb => {
            (x..=y).map(|i| format!("{pa}{i:0w$}")).collect()
        }
        _ => vec![arg.to_string()],
    }
}

fn main() {
    let mut secs = 10.0f64;
    let mut threads = 1usize;
    let mut seed = 1u64;
    let mut target_opt = false;
    let mut phases: Option<u64> = None;
    let mut phase_iters: Option<u64> = None;
    let mut relink: Option<bool> = None;
    let mut incremental: Option<bool> = None;
    let mut starts_only = false;
    let mut names = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--secs" => secs = args.next().and_then(|s| s.parse().ok()).unwrap_or(secs),
            "--threads" => threads = args.next().and_then(|s| s.parse().ok()).unwrap_or(threads),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--target-opt" => target_opt = true,
            "--phases" => phases = args.next().and_then(|s| s.parse().ok()),
            "--phase-iters" => {
                phase_iters = args.next().and_then(|s| s.parse().ok());
            }
            "--relink" => relink = args.next().map(|s| s == "on"),
            "--incremental" => incremental = args.next().map(|s| s == "on"),
            "--starts" => starts_only = true,
            _ => names.extend(expand(&a)),
        }
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/jssp");
    let mut ub: HashMap<String, i64> = HashMap::new();
    if let Ok(csv) = std::fs::read_to_string(dir.join("bounds.csv")) {
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if let (Some(n), Some(u)) = (f.first(), f.get(4).and_then(|u| u.parse().ok())) {
                ub.insert((*n).to_string(), u);
            }
        }
    }
    println!(
        "{:<8} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "name", "size", "best", "ub", "gap%", "secs"
    );
    let mut gaps = Vec::new();
    for name in names {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.txt"))) else {
            println!("{name}: not found");
            continue;
        };
        let inst = match read_jssp(&text, &name) {
            Ok(i) => i,
            Err(e) => {
                println!("{name}: {e}");
                continue;
            }
        };
        let reference = ub.get(&name).copied();
        if starts_only {
            print_starts(&inst, reference);
            continue;
        }
        let mut budget =
            Budget::new(Some(Duration::from_secs_f64(secs))).with_max_iterations(phases);
        if target_opt {
            budget = budget.with_target(reference.map(|u| u as f64));
        }
        let t = Instant::now();
        let r = solve(
            &inst,
            &budget,
            &NoObserver,
            &TabuOptions {
                threads,
                seed,
                phase_iters,
                relink,
                incremental,
                ..Default::default()
            },
        );
        let el = t.elapsed().as_secs_f64();
        let Some(sol) = r.solution.as_ref() else {
            println!("{name}: no solution ({:?})", r.message);
            continue;
        };
        let rep = check(&inst, sol);
        let ms = rep.objective as i64;
        let ok = if rep.is_feasible() { "" } else { " INFEASIBLE" };
        let gap = reference.map(|u| 100.0 * (ms - u) as f64 / u as f64);
        if let Some(g) = gap {
            gaps.push(g);
        }
        println!(
            "{:<8} {:>7} {:>7} {:>7} {:>7} {:>7.1}{ok}",
            name,
            format!("{}x{}", inst.num_jobs(), inst.machines),
            ms,
            reference.map_or("-".into(), |u| u.to_string()),
            gap.map_or("-".into(), |g| format!("{g:.2}")),
            el
        );
    }
    if !gaps.is_empty() {
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let zero = gaps.iter().filter(|g| **g <= 0.0).count();
        println!(
            "mean gap {mean:.2}% over {} instances, {zero} at the reference",
            gaps.len()
        );
    }
}

/// Makespans and build times of the start schedules of `jssp.tabu`.
fn print_starts(inst: &quotient_problems::jssp::JsspInstance, reference: Option<i64>) {
    let t = Instant::now();
    let rules = ALL_RULES
        .iter()
        .map(|&r| (schedule(inst, r).1, r))
        .min_by_key(|x| x.0);
    let rules_secs = t.elapsed().as_secs_f64();
    let Ok(p) = Problem::new(inst) else {
        println!("{}: not solvable", inst.name);
        return;
    };
    let mut line = format!(
        "{:<8} ub {:>6}  rules {:>6} ({:?}, {:.3}s)",
        inst.name,
        reference.map_or("-".into(), |u| u.to_string()),
        rules.map_or(0, |r| r.0),
        rules.map(|r| r.1),
        rules_secs
    );
    for order in ALL_ORDERS {
        let t = Instant::now();
        let (_, cmax) = construct(&p, order);
        line += &format!("  {order:?} {cmax:>6} ({:.3}s)", t.elapsed().as_secs_f64());
    }
    println!("{line}");
}

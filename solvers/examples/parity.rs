//! Deterministic runs of the improvement solvers for before/after comparisons of a refactor:
//! one thread, a fixed seed and an iteration cap instead of a time limit, so that the output
//! depends on the code only, not on the machine's speed.
//!
//! ```text
//! cargo run -p quotient-solvers --release --example parity -- SOLVER FILE ITERATIONS [SEED]
//! ```
//! SOLVER is one of `tsp.ils`, `cvrp.sisr`, `jssp.tabu`, `milp.alns`; ITERATIONS caps the
//! engine's iterations (`milp.alns`: sub-MIPs, after a first HiGHS run stopped at its first
//! feasible solution). Prints status, objective, bound, message and the solution.

use quotient_problems::any::{self, AnyInstance};
use quotient_solvers::engine::{Budget, NoObserver, SolveResult};
use quotient_solvers::{cvrp, jssp, milp, tsp};
use std::fmt::Debug;
use std::process::ExitCode;

fn print<S: Debug>(r: &SolveResult<S>) {
    println!("status    {:?}", r.status);
    println!("objective {:?}", r.objective);
    println!("bound     {:?}", r.bound);
    println!("message   {:?}", r.message);
    println!("solution  {:?}", r.solution);
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(solver), Some(file), Some(iters)) = (
        args.first(),
        args.get(1),
        args.get(2).and_then(|s| s.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: parity SOLVER FILE ITERATIONS [SEED]");
        return ExitCode::FAILURE;
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let instance = match any::read_instance(&bytes, file, None) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let budget = Budget::new(None).with_max_iterations(Some(iters));
    match (solver.as_str(), &instance) {
        ("tsp.ils", AnyInstance::Tsp(i)) => print(&tsp::ils::solve(
            i,
            &budget,
            &NoObserver,
            &tsp::ils::IlsOptions {
                threads: 1,
                seed,
                ..Default::default()
            },
        )),
        ("cvrp.sisr", AnyInstance::Cvrp(i)) => print(&cvrp::sisr::solve(
            i,
            &budget,
            &NoObserver,
            &cvrp::sisr::SisrOptions {
                threads: 1,
                seed,
                ..Default::default()
            },
        )),
        ("jssp.tabu", AnyInstance::Jssp(i)) => print(&jssp::tabu::solve(
            i,
            &budget,
            &NoObserver,
            &jssp::tabu::TabuOptions {
                threads: 1,
                seed,
                ..Default::default()
            },
        )),
        ("milp.alns", AnyInstance::Milp(i)) => print(&milp::alns::solve(
            i,
            &budget,
            &NoObserver,
            &milp::alns::AlnsOptions {
                threads: 1,
                seed,
                initial_solutions: Some(1),
                // Interleaving HiGHS's own search goes by the clock: off for parity.
                highs_share: 0,
                ..Default::default()
            },
        )),
        (name, inst) => {
            eprintln!("parity: {name} does not run {} instances", inst.family());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

//! Every dispatching rule of `jssp.blocking-dispatch`, one by one, on job-shop files read as a
//! blocking variant (issue 25): the job-order rules (FIFO, SPT, MWKR, ECT, NEH, random) with
//! the timetabling decoder, and the event-simulation rules of the ISBJSSP paper's kind (FIFO,
//! SPT, LPT, MWKR, MOR, random, operation by operation, swapping blocked cycles when the
//! variant allows). Each schedule is priced by the independent checker.
//!
//! ```text
//! cargo build --release -p quotient-solvers --example jssp_blocking_rules
//! target/release/examples/jssp_blocking_rules VARIANT FILE...   # CSV on stdout
//! ```
//! VARIANT: `blocking`, `swap` or `iswap`. Columns: instance, variant, rule, makespan (empty
//! when the simulation deadlocks, which only happens without swaps).

use quotient_problems::jssp::{JsspVariant, check, read_jssp};
use quotient_solvers::jssp::blocking::dispatch::{RULES, order};
use quotient_solvers::jssp::blocking::simulate::{SIM_RULES, simulate};
use quotient_solvers::jssp::blocking::timetable::{Problem, decode};
use std::path::Path;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 3 {
        return Err("usage: jssp_blocking_rules VARIANT FILE...".into());
    }
    let variant: JsspVariant = a[1].parse()?;
    println!("instance,variant,rule,makespan");
    for file in &a[2..] {
        let name = Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(file);
        let mut inst = read_jssp(&std::fs::read_to_string(file)?, name)?;
        inst.variant = variant;
        let p = Problem::new(&inst)?;
        let priced = |sol| -> Result<f64> {
            let rep = check(&inst, &sol);
            if !rep.is_feasible() {
                return Err(format!("{name}: infeasible schedule: {:?}", rep.violations).into());
            }
            Ok(rep.objective)
        };
        for rule in RULES {
            let o = order(&p, rule, 1, &|| false).ok_or("rule stopped")?;
            let c = priced(decode(&p, &o).to_solution())?;
            println!("{name},{variant},{},{c}", rule.name());
        }
        for rule in SIM_RULES {
            let c = match simulate(&p, rule, 1, &|| false) {
                Some(sol) => priced(sol)?.to_string(),
                None => String::new(),
            };
            println!("{name},{variant},{},{c}", rule.name());
        }
    }
    Ok(())
}

//! `quotient simulate FILE`: a job shop run online while its machines are shut down at random
//! (the interrupting swap-allowed blocking job shop, ISBJSSP), over seeded scenarios, by the
//! `sim-*` rules and by offline schedules executed through their machine sequences. The model
//! and the execution are `quotient::solvers::jssp::blocking::shutdown`'s; every realized
//! schedule is checked there on its realized instance, and a failure is an error (exit 1).

use super::common;
use anyhow::{Result, bail};
use quotient::problems::any::{AnyInstance, AnySolution, Family};
use quotient::problems::jssp::{JsspInstance, JsspSolution, JsspVariant, check};
use quotient::solvers::jssp::blocking::shutdown::{
    self, Evaluation, MachineSequences, OnlinePolicy, ShutdownError, ShutdownModel,
};
use quotient::solvers::jssp::blocking::simulate::{SIM_RULES, SimRule};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Job-shop instance file (OR-Library / Taillard text, or JSON).
    pub file: PathBuf,
    /// Job-shop variant: iswap (ISBJSSP; the default when the file states none) or swap (the
    /// same shop); the others are refused.
    #[arg(long)]
    pub variant: Option<JsspVariant>,
    /// Probability that a machine fails in one unit of its processing time, in [0, 1).
    #[arg(
        long = "shutdown-prob",
        value_name = "P",
        allow_negative_numbers = true
    )]
    pub shutdown_prob: f64,
    /// Repairs take a uniform integer time in [1, R]; default: the mean processing time of
    /// the instance's operations, rounded.
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub repair: Option<i64>,
    /// Scenarios to run (1..=100000); every policy meets the same ones.
    #[arg(long, default_value_t = 100)]
    pub scenarios: usize,
    /// Seed of the scenarios (and of the offline solve of a `solver:NAME` policy).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A policy (repeatable): sim-fifo, sim-spt, sim-lpt, sim-mwkr, sim-mor, sim-random (online
    /// rules), schedule:FILE (a schedule file, or `solve --json` output, executed by keeping
    /// its machine sequences), solver:NAME (the schedule of an offline solve of the instance,
    /// e.g. solver:jssp.blocking, executed the same way). Default: the six sim-* rules.
    #[arg(long = "policy", value_name = "POLICY")]
    pub policies: Vec<String>,
    /// Time limit in seconds of a `solver:NAME` policy's offline solve (the solver's default
    /// when absent).
    #[arg(long, short = 't')]
    pub time_limit: Option<f64>,
    /// Worker threads of a `solver:NAME` policy's offline solve (0 = all cores).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// A policy as the command line names it, with its offline schedule's makespan if any.
struct Named {
    name: String,
    policy: OnlinePolicy,
    offline: Option<i64>,
}

pub fn run(args: SimulateArgs) -> Result<ExitCode> {
    let inst = read(&args)?;
    let repair = args
        .repair
        .unwrap_or_else(|| ShutdownModel::default_repair(&inst));
    let model = ShutdownModel::new(args.shutdown_prob, repair).map_err(flag_error)?;
    if !(1..=shutdown::MAX_SCENARIOS).contains(&args.scenarios) {
        bail!("--scenarios: {}", ShutdownError::Scenarios(args.scenarios));
    }
    let p = shutdown::problem(&inst)?;
    let names: Vec<String> = if args.policies.is_empty() {
        SIM_RULES.iter().map(|r| r.name().to_string()).collect()
    } else {
        args.policies.clone()
    };
    let mut policies = Vec::with_capacity(names.len());
    for name in names {
        policies.push(policy(&name, &inst, &p, &args)?);
    }
    let cancel = common::cancel_flag();
    let stop = || cancel.load(Ordering::Relaxed);
    let mut results: Vec<(Named, Evaluation)> = Vec::with_capacity(policies.len());
    for named in policies {
        match shutdown::evaluate(
            &inst,
            &named.policy,
            &named.name,
            model,
            args.scenarios,
            args.seed,
            &stop,
        ) {
            Ok(ev) => results.push((named, ev)),
            Err(e @ ShutdownError::CheckFailed { .. }) => {
                eprintln!("error: verification failed: {e}");
                return Ok(ExitCode::from(1));
            }
            Err(e) => bail!("{}: {e}", named.name),
        }
    }
    let verified: usize = results.iter().map(|(_, e)| e.verified).sum();
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|(n, e)| {
                serde_json::json!({
                    "policy": n.name, "offline": n.offline, "nominal_mean": e.nominal_mean(),
                    "mean": e.mean(), "median": e.median(), "min": e.min(), "max": e.max(),
                    "mean_failures": e.mean_failures(), "mean_downtime": e.mean_downtime(),
                    "verified": e.verified,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "instance": inst.name, "jobs": inst.num_jobs(), "machines": inst.machines,
            "variant": inst.variant, "shutdown_prob": model.prob(), "repair": model.repair_max(),
            "repair_default": args.repair.is_none(), "scenarios": args.scenarios,
            "seed": args.seed, "policies": rows, "verified": verified,
        });
        writeln!(out, "{}", serde_json::to_string(&doc)?)?;
    } else {
        writeln!(
            out,
            "instance   {} ({} jobs x {} machines, {})",
            inst.name,
            inst.num_jobs(),
            inst.machines,
            inst.variant
        )?;
        writeln!(
            out,
            "shutdowns  p = {} per unit of processing, repair uniform in [1, {}]{}, {} scenarios, seed {}",
            model.prob(),
            model.repair_max(),
            if args.repair.is_none() {
                " (mean processing time)"
            } else {
                ""
            },
            args.scenarios,
            args.seed
        )?;
        writeln!(
            out,
            "{:<24} {:>8} {:>10} {:>10} {:>9} {:>8} {:>9} {:>10}",
            "policy", "offline", "no-fail", "mean", "median", "max", "failures", "downtime"
        )?;
        for (n, e) in &results {
            writeln!(
                out,
                "{:<24} {:>8} {:>10.1} {:>10.1} {:>9.1} {:>8} {:>9.1} {:>10.1}",
                n.name,
                n.offline.map_or("-".to_string(), |c| c.to_string()),
                e.nominal_mean(),
                e.mean(),
                e.median(),
                e.max(),
                e.mean_failures(),
                e.mean_downtime()
            )?;
        }
        writeln!(
            out,
            "verified   {verified} realized schedules passed the checker on their realized instances"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A model flag's error, named by its flag.
fn flag_error(e: ShutdownError) -> anyhow::Error {
    match e {
        ShutdownError::Probability(_) => anyhow::anyhow!("--shutdown-prob: {e}"),
        ShutdownError::Repair(_) => anyhow::anyhow!("--repair: {e}"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// The instance, as the swap-allowed blocking shop: `--variant`, else the file's variant,
/// else iswap when the file states none.
fn read(args: &SimulateArgs) -> Result<JsspInstance> {
    let any = common::read_instance_with_variant(&args.file, Some(Family::Jssp), args.variant)?;
    let AnyInstance::Jssp(mut inst) = any else {
        bail!("{}: not a job-shop instance", args.file.display());
    };
    if args.variant.is_none() && inst.variant.is_classic() {
        inst.variant = JsspVariant::InterruptingSwap;
    }
    if !inst.variant.allows_swap() {
        bail!(
            "{}: {}",
            args.file.display(),
            ShutdownError::Variant(inst.variant)
        );
    }
    Ok(inst)
}

/// The policy a name on the command line stands for.
fn policy(
    name: &str,
    inst: &JsspInstance,
    p: &quotient::solvers::jssp::blocking::timetable::Problem,
    args: &SimulateArgs,
) -> Result<Named> {
    if let Some(rule) = SimRule::from_name(name) {
        return Ok(Named {
            name: name.to_string(),
            policy: OnlinePolicy::Rule(rule),
            offline: None,
        });
    }
    let sol = if let Some(path) = name.strip_prefix("schedule:") {
        let path = PathBuf::from(path);
        let any = AnyInstance::Jssp(inst.clone());
        match super::check::read_solution_file(&path, &any)?.0 {
            AnySolution::Jssp(s) => s,
            _ => bail!("--policy {name}: not a job-shop schedule"),
        }
    } else if let Some(solver) = name.strip_prefix("solver:") {
        solve(solver, inst, args)?
    } else {
        let rules: Vec<&str> = SIM_RULES.iter().map(|r| r.name()).collect();
        bail!(
            "--policy: unknown policy `{name}` (expected {}, schedule:FILE or solver:NAME)",
            rules.join(", ")
        );
    };
    let rep = check(inst, &sol);
    if !rep.is_feasible() {
        bail!(
            "--policy {name}: the schedule is infeasible for the {} shop ({} violation(s), first: {:?})",
            inst.variant,
            rep.violations.len(),
            rep.violations.first()
        );
    }
    let seq =
        MachineSequences::from_schedule(p, &sol).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    Ok(Named {
        name: name.to_string(),
        policy: OnlinePolicy::Sequences(seq),
        offline: Some(rep.objective as i64),
    })
}

/// The schedule of an offline solve of the instance by `solver`.
fn solve(solver: &str, inst: &JsspInstance, args: &SimulateArgs) -> Result<JsspSolution> {
    let any = AnyInstance::Jssp(inst.clone());
    let options = common::options(
        &any,
        solver,
        args.time_limit,
        args.seed,
        args.threads,
        &common::NeuralArgs::default(),
    )
    .map_err(common::solve_error)?;
    let outcome = quotient::solve(&any, &options).map_err(common::solve_error)?;
    match outcome.solution {
        Some(AnySolution::Jssp(s)) => Ok(s),
        _ => bail!(
            "--policy solver:{solver}: the solve gave no schedule ({}{})",
            outcome.status.as_str(),
            outcome.message.map_or(String::new(), |m| format!(": {m}"))
        ),
    }
}

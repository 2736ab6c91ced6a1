//! `quotient solve FILE`.

use super::common;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use quotient::problems::any::{self, Family};
use quotient::solvers::engine::Improvement;
use quotient::{Options, solve_observed};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// Instance file (.tsp, .atsp, .vrp, .txt/.jss, .mps[.gz], .lp, or .json).
    pub file: PathBuf,
    /// Problem family, when the extension and content do not tell.
    #[arg(long)]
    pub family: Option<Family>,
    /// Job-shop variant: classic, blocking (BJSSP), swap (SBJSSP) or iswap (ISBJSSP); overrides
    /// the file's `# variant:` line and makes the file a job shop.
    #[arg(long)]
    pub variant: Option<quotient::problems::jssp::JsspVariant>,
    /// Solver name (see `quotient solvers`) or `auto`.
    #[arg(long, default_value = "auto")]
    pub solver: String,
    /// Time limit in seconds.
    #[arg(long, short = 't')]
    pub time_limit: Option<f64>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub neural: common::NeuralArgs,
    /// Worker threads (0 = all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// A warm-start solution (native format or JSON).
    #[arg(long)]
    pub initial: Option<PathBuf>,
    /// Write the solution in the family's native format to this path.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Print exactly one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Draw the solution as SVG to this path (TSP tour, CVRP routes, JSSP Gantt chart).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Write the improvements the solver reported (objective, bound, seconds) as JSON to this
    /// path; `quotient plot --trace FILE` draws them.
    #[arg(long, value_name = "FILE.json")]
    pub trace: Option<PathBuf>,
}

pub fn run(args: SolveArgs) -> Result<ExitCode> {
    let instance = common::read_instance_with_variant(&args.file, args.family, args.variant)?;
    if args.plot.is_some() {
        super::plot::check_drawable(&instance)?;
    }
    let initial = match &args.initial {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Some(
                any::read_solution(&text, &instance)
                    .map_err(|e| anyhow::anyhow!("{}: {e} [{}]", p.display(), e.code()))?,
            )
        }
        None => None,
    };
    let options = Options {
        initial,
        ..common::options(
            &instance,
            &args.solver,
            args.time_limit,
            args.seed,
            args.threads,
            &args.neural,
        )
        .map_err(common::solve_error)?
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar.set_message(format!("solving {}", instance.name()));
    let trace = super::plot::TraceRecorder::default();
    let observer = |ev: &Improvement<'_>| {
        if args.trace.is_some() {
            trace.record(ev);
        }
        bar.set_message(format!(
            "best {} ({}) at {:.2}s",
            fmt_num(ev.objective),
            ev.source,
            ev.elapsed.as_secs_f64()
        ));
    };
    let outcome = solve_observed(&instance, &options, &observer);
    bar.finish_and_clear();
    if let Some(path) = &args.trace {
        let solver = outcome
            .as_ref()
            .map_or(args.solver.as_str(), |o| o.solver.as_str());
        trace.write(path, &instance, solver, outcome.as_ref().ok())?;
    }
    let outcome = outcome.map_err(|e| anyhow::anyhow!("{e} [{}]", e.code()))?;
    if let Some(path) = &args.plot {
        super::plot::write_solution_picture(path, &instance, &outcome)?;
    }
    if let (Some(path), Some(sol)) = (&args.out, &outcome.solution) {
        let text = any::write_solution(&instance, sol).map_err(anyhow::Error::msg)?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string(&outcome.to_json(&instance))?
        )?;
    } else {
        writeln!(
            out,
            "instance   {} ({}, size {})",
            outcome.instance,
            outcome.family,
            instance.size()
        )?;
        writeln!(out, "solver     {}", outcome.solver)?;
        writeln!(out, "status     {}", outcome.status.as_str())?;
        writeln!(
            out,
            "objective  {}",
            outcome.objective.map_or("-".into(), fmt_num)
        )?;
        writeln!(
            out,
            "bound      {}",
            outcome.bound.map_or("-".into(), fmt_num)
        )?;
        writeln!(out, "elapsed    {:.3} s", outcome.elapsed.as_secs_f64())?;
        if let Some(m) = &outcome.message {
            writeln!(out, "message    {m}")?;
        }
        if let Some(p) = &args.out {
            writeln!(out, "solution   written to {}", p.display())?;
        }
        if let (Some(p), Some(_)) = (&args.plot, &outcome.solution) {
            writeln!(out, "picture    written to {}", p.display())?;
        }
        if let Some(p) = &args.trace {
            writeln!(out, "trace      written to {}", p.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Integers without a fractional part, other numbers with up to 6 significant decimals.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.6}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

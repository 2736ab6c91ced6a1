//! `quotient plot INSTANCE SOLUTION` and `quotient plot --trace TRACE.json`: pictures as SVG.

use super::common;
use anyhow::{Context, Result, bail};
use quotient::problems::any::{AnyInstance, Family};
use quotient::solvers::engine::Improvement;
use quotient_plot::{Style, Trace, TracePoint};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Debug, clap::Args)]
pub struct PlotArgs {
    /// Instance file.
    pub file: Option<PathBuf>,
    /// Solution file: anything `quotient check` reads (native format or the `solve --json`
    /// object, whose bound is drawn too).
    pub solution: Option<PathBuf>,
    /// Draw this solve trace (`quotient solve --trace FILE.json`) instead of a solution.
    #[arg(long, conflicts_with_all = ["file", "solution"])]
    pub trace: Option<PathBuf>,
    /// Where to write the SVG (default: beside the solution or trace, with `.svg`).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// The picture's caption (default: instance name and objective).
    #[arg(long)]
    pub title: Option<String>,
    /// Width in pixels (200..=8000; the height follows the content).
    #[arg(long)]
    pub width: Option<u32>,
    #[arg(long)]
    pub family: Option<Family>,
}

pub fn run(args: PlotArgs) -> Result<ExitCode> {
    let style = Style::new(args.title.clone(), args.width).map_err(plot_err)?;
    let (svg, from) = match (&args.trace, &args.file, &args.solution) {
        (Some(path), _, _) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let trace = Trace::from_json(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e} [{}]", path.display(), e.code()))?;
            (
                quotient_plot::trace_svg(&trace, &style).map_err(plot_err)?,
                path,
            )
        }
        (None, Some(file), Some(solution)) => {
            let instance = common::read_instance(file, args.family)?;
            quotient_plot::can_draw(&instance).map_err(plot_err)?;
            let (sol, bound) = super::check::read_solution_file(solution, &instance)?;
            let style = Style { bound, ..style };
            (
                quotient_plot::solution_svg(&instance, &sol, &style).map_err(plot_err)?,
                solution,
            )
        }
        _ => bail!("give an INSTANCE and a SOLUTION, or --trace FILE.json"),
    };
    let out = args.out.clone().unwrap_or_else(|| beside(from));
    write_svg(&out, &svg)?;
    eprintln!("picture written to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `dir/name.svg` for `dir/name.ext`.
fn beside(path: &Path) -> PathBuf {
    path.with_extension("svg")
}

fn write_svg(path: &Path, svg: &str) -> Result<()> {
    std::fs::write(path, svg).with_context(|| format!("cannot write {}", path.display()))
}

fn plot_err(e: quotient_plot::PlotError) -> anyhow::Error {
    anyhow::anyhow!("{e} [{}]", e.code())
}

/// `solve --plot FILE`: refuse before solving when the instance has no picture.
pub fn check_drawable(instance: &AnyInstance) -> Result<()> {
    quotient_plot::can_draw(instance).map_err(|e| anyhow::anyhow!("--plot: {e} [{}]", e.code()))
}

/// `solve --plot FILE`: draw the outcome's solution (with its bound).
pub fn write_solution_picture(
    path: &Path,
    instance: &AnyInstance,
    outcome: &quotient::Outcome,
) -> Result<()> {
    let Some(sol) = &outcome.solution else {
        eprintln!("warning: no solution, so no picture at {}", path.display());
        return Ok(());
    };
    let style = Style {
        bound: outcome.bound,
        ..Style::default()
    };
    let svg = quotient_plot::solution_svg(instance, sol, &style)
        .map_err(|e| anyhow::anyhow!("--plot: {e} [{}]", e.code()))?;
    write_svg(path, &svg)
}

/// The improvements of a solve, as `solve --trace` records them.
#[derive(Debug, Default)]
pub struct TraceRecorder {
    points: Mutex<Vec<TracePoint>>,
}

impl TraceRecorder {
    pub fn record(&self, ev: &Improvement<'_>) {
        let mut points = self.points.lock().unwrap_or_else(|p| p.into_inner());
        points.push(TracePoint {
            elapsed_ms: u64::try_from(ev.elapsed.as_millis()).unwrap_or(u64::MAX),
            objective: ev.objective,
            bound: ev.bound,
            source: ev.source.to_string(),
        });
    }

    /// Write the trace of `outcome` (improvements so far, final objective and time) as JSON.
    pub fn write(
        self,
        path: &Path,
        instance: &AnyInstance,
        solver: &str,
        outcome: Option<&quotient::Outcome>,
    ) -> Result<()> {
        let trace = Trace {
            instance: instance.name().to_string(),
            family: instance.family(),
            solver: solver.to_string(),
            improvements: self.points.into_inner().unwrap_or_else(|p| p.into_inner()),
            elapsed_ms: outcome.map(|o| u64::try_from(o.elapsed.as_millis()).unwrap_or(u64::MAX)),
            objective: outcome.and_then(|o| o.objective),
            bound: outcome.and_then(|o| o.bound),
        };
        let text = serde_json::to_string_pretty(&trace)?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    }
}

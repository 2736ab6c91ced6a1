//! `quotient check FILE SOLUTION`.

use super::common;
use anyhow::{Context, Result};
use quotient::problems::any::{self, AnyInstance, AnySolution, Family};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Instance file.
    pub file: PathBuf,
    /// Solution file: native format (.tour, .sol, schedule, `name value`) or the JSON of `solve --json`.
    pub solution: PathBuf,
    #[arg(long)]
    pub family: Option<Family>,
    /// Job-shop variant: classic, blocking (BJSSP), swap (SBJSSP) or iswap (ISBJSSP); overrides
    /// the file's `# variant:` line and makes the file a job shop.
    #[arg(long)]
    pub variant: Option<quotient::problems::jssp::JsspVariant>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Read a solution file in any form `check` takes: the family's native format, a JSON
/// solution object, or the `solve --json` object (whose `bound` is returned too).
pub fn read_solution_file(
    path: &Path,
    instance: &AnyInstance,
) -> Result<(AnySolution, Option<f64>)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = quotient::problems::text::decode(&bytes, quotient::problems::Format::Json)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let sol = any::read_solution(&text, instance)
        .map_err(|e| anyhow::anyhow!("{}: {e} [{}]", path.display(), e.code()))?;
    let bound = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("bound").and_then(serde_json::Value::as_f64));
    Ok((sol, bound))
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let instance = common::read_instance_with_variant(&args.file, args.family, args.variant)?;
    let (sol, _) = read_solution_file(&args.solution, &instance)?;
    let rep = any::check(&instance, &sol);
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "instance": instance.name(), "family": instance.family(),
            "objective": rep.objective, "feasible": rep.feasible, "violations": rep.violations,
        });
        writeln!(out, "{}", serde_json::to_string(&v)?)?;
    } else {
        writeln!(
            out,
            "instance   {} ({})",
            instance.name(),
            instance.family()
        )?;
        writeln!(out, "objective  {}", super::solve::fmt_num(rep.objective))?;
        writeln!(
            out,
            "feasible   {}",
            if rep.feasible { "yes" } else { "no" }
        )?;
        for v in &rep.violations {
            writeln!(out, "violation  {v}")?;
        }
    }
    Ok(if rep.feasible {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

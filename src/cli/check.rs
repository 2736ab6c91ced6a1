//! `quotient check FILE SOLUTION`.

use super::common;
use anyhow::{Context, Result};
use quotient::problems::any::{self, Family};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Instance file.
    pub file: PathBuf,
    /// Solution file: native format (.tour, .sol, schedule, `name value`) or the JSON of `solve --json`.
    pub solution: PathBuf,
    #[arg(long)]
    pub family: Option<Family>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let instance = common::read_instance(&args.file, args.family)?;
    let text = std::fs::read(&args.solution)
        .with_context(|| format!("cannot read {}", args.solution.display()))?;
    let text = quotient::problems::text::decode(&text, quotient::problems::Format::Json)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.solution.display()))?;
    let sol = any::read_solution(&text, &instance)
        .map_err(|e| anyhow::anyhow!("{}: {e} [{}]", args.solution.display(), e.code()))?;
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

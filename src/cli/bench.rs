//! `quotient bench DIR`: solve every instance of a benchmark directory, check each solution,
//! and compare with the reference values of the directory's CSV (optimal.csv, bks.csv or
//! bounds.csv, as in ../shared/bench; a directory without one uses its parent's, as the
//! subfolders of ../shared/bench/fjsp do).

use super::common;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use quotient::problems::any;
use quotient::solve;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Directory with instance files and a reference CSV.
    pub dir: PathBuf,
    /// Time limit per instance, seconds.
    #[arg(long, short = 't', default_value_t = 10.0)]
    pub time_limit: f64,
    #[arg(long, default_value = "auto")]
    pub solver: String,
    /// Only instances whose name matches: comma-separated globs (`*`, `?`), `=name` (exactly), or substrings.
    #[arg(long)]
    pub filter: Option<String>,
    /// Only instances of at most this size (nodes for TSP/CVRP, operations for JSSP/FJSP, variables for MILP).
    #[arg(long)]
    pub max_size: Option<usize>,
    /// Only instances of at least this size.
    #[arg(long)]
    pub min_size: Option<usize>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Read every file as a job shop of this variant: classic, blocking, swap or iswap.
    #[arg(long)]
    pub variant: Option<quotient::problems::jssp::JsspVariant>,
    #[command(flatten)]
    pub neural: common::NeuralArgs,
    /// Worker threads per solve (0 = all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Write the table as CSV.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}

/// Reference values by instance name.
struct Reference {
    values: HashMap<String, f64>,
    column: String,
}

/// The reference CSV of `dir`, else of its parent directory.
fn read_reference(dir: &Path) -> Result<Option<Reference>> {
    if let Some(r) = read_reference_in(dir)? {
        return Ok(Some(r));
    }
    match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => read_reference_in(parent),
        None => Ok(None),
    }
}

fn read_reference_in(dir: &Path) -> Result<Option<Reference>> {
    for file in ["optimal.csv", "bks.csv", "bounds.csv"] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let mut rdr = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let headers = rdr.headers()?.clone();
        let name_col = headers
            .iter()
            .position(|h| h == "name")
            .with_context(|| format!("{}: no `name` column", path.display()))?;
        let Some((ref_col, ref_name)) = ["bks", "ub", "optimal_objective", "optimal"]
            .iter()
            .find_map(|c| {
                headers
                    .iter()
                    .position(|h| h == *c)
                    .map(|i| (i, c.to_string()))
            })
        else {
            bail!(
                "{}: no reference column (optimal, bks, ub or optimal_objective)",
                path.display()
            );
        };
        let mut values = HashMap::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.with_context(|| format!("{} record {}", path.display(), i + 2))?;
            if let (Some(name), Some(v)) = (
                rec.get(name_col),
                rec.get(ref_col).and_then(|s| s.trim().parse::<f64>().ok()),
            ) {
                values.insert(name.to_string(), v);
            }
        }
        return Ok(Some(Reference {
            values,
            column: format!("{file}:{ref_name}"),
        }));
    }
    Ok(None)
}

fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    match (pat.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob_match(&pat[1..], s) || (!s.is_empty() && glob_match(pat, &s[1..])),
        (Some(b'?'), Some(_)) => glob_match(&pat[1..], &s[1..]),
        (Some(p), Some(c)) if p.eq_ignore_ascii_case(c) => glob_match(&pat[1..], &s[1..]),
        _ => false,
    }
}

/// Whether `name` passes the filter: any comma-separated glob, `=name` for exactly that name,
/// or a substring (no wildcards), all ignoring case.
pub fn name_matches(filter: &str, name: &str) -> bool {
    filter
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .any(|p| {
            if let Some(exact) = p.strip_prefix('=') {
                exact.eq_ignore_ascii_case(name)
            } else if p.contains(['*', '?']) {
                glob_match(p.as_bytes(), name.as_bytes())
            } else {
                name.to_ascii_lowercase().contains(&p.to_ascii_lowercase())
            }
        })
}

#[derive(Debug, Clone, serde::Serialize)]
struct Row {
    instance: String,
    size: usize,
    reference: Option<f64>,
    objective: Option<f64>,
    gap_pct: Option<f64>,
    seconds: f64,
    feasible: bool,
    status: String,
    solver: String,
    error: String,
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    common::check_time_limit(Some(args.time_limit))?;
    let reference = read_reference(&args.dir)?;
    if reference.is_none() {
        eprintln!(
            "bench: no reference CSV in {}; gaps will be blank",
            args.dir.display()
        );
    }
    let files: Vec<PathBuf> = common::instance_files(&args.dir)?
        .into_iter()
        .filter(|p| {
            let name = any::instance_stem(&p.to_string_lossy());
            args.filter
                .as_deref()
                .is_none_or(|f| name_matches(f, &name))
        })
        .collect();
    if files.is_empty() {
        bail!("no instance files in {} match", args.dir.display());
    }
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed_precise} eta {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cancel = common::cancel_flag();
    let mut rows = Vec::new();
    for path in &files {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let name = any::instance_stem(&path.to_string_lossy());
        bar.set_message(name.clone());
        let refv = reference
            .as_ref()
            .and_then(|r| r.values.get(&name).copied());
        let mut row = Row {
            instance: name.clone(),
            size: 0,
            reference: refv,
            objective: None,
            gap_pct: None,
            seconds: 0.0,
            feasible: false,
            status: "error".into(),
            solver: args.solver.clone(),
            error: String::new(),
        };
        match common::read_instance_with_variant(path, None, args.variant) {
            Err(e) => row.error = format!("{e:#}"),
            Ok(inst) => {
                row.size = inst.size();
                if args.max_size.is_some_and(|m| row.size > m)
                    || args.min_size.is_some_and(|m| row.size < m)
                {
                    bar.inc(1);
                    continue;
                }
                let options = common::options(
                    &inst,
                    &args.solver,
                    Some(args.time_limit),
                    args.seed,
                    args.threads,
                    &args.neural,
                );
                let t0 = std::time::Instant::now();
                match options.and_then(|options| solve(&inst, &options)) {
                    Err(e) => row.error = format!("{e} [{}]", e.code()),
                    Ok(o) => {
                        row.solver = o.solver.clone();
                        row.status = o.status.as_str().into();
                        row.objective = o.objective;
                        row.feasible = o.solution.is_some();
                        if let (Some(obj), Some(r)) = (o.objective, refv) {
                            let diff = if inst.minimize() { obj - r } else { r - obj };
                            row.gap_pct = Some(100.0 * diff / r.abs().max(1e-9));
                        }
                        if let Some(m) = o.message.filter(|_| o.solution.is_none()) {
                            row.error = m;
                        }
                    }
                }
                row.seconds = t0.elapsed().as_secs_f64();
            }
        }
        bar.inc(1);
        if bar.is_hidden() {
            // Not a terminal (a log file, a pipe): the bar draws nothing, so say each row.
            eprintln!("{}", format_row(&row));
        } else {
            bar.println(format_row(&row));
        }
        rows.push(row);
        // Rewritten after every instance, so a long run that is stopped keeps what it measured.
        if let Some(out) = &args.out {
            write_csv(out, &rows)?;
        }
    }
    bar.finish_and_clear();
    print_table(&rows, reference.as_ref().map(|r| r.column.as_str()))?;
    Ok(ExitCode::SUCCESS)
}

fn write_csv(out: &Path, rows: &[Row]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(out).with_context(|| format!("cannot write {}", out.display()))?;
    for r in rows {
        w.serialize(r)?;
    }
    w.flush()?;
    Ok(())
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or("-".into(), super::solve::fmt_num)
}

fn format_row(r: &Row) -> String {
    format!(
        "{:<18} {:>7} {:>14} {:>14} {:>8} {:>8.2} {:<4} {:<10} {}",
        r.instance,
        r.size,
        fmt_opt(r.reference),
        fmt_opt(r.objective),
        r.gap_pct.map_or("-".into(), |g| format!("{g:.3}")),
        r.seconds,
        if r.feasible { "yes" } else { "no" },
        r.status,
        r.error
    )
}

fn print_table(rows: &[Row], column: Option<&str>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<18} {:>7} {:>14} {:>14} {:>8} {:>8} {:<4} {:<10}",
        "instance", "n", "reference", "objective", "gap%", "seconds", "feas", "status"
    )?;
    for r in rows {
        writeln!(out, "{}", format_row(r))?;
    }
    let gaps: Vec<f64> = rows.iter().filter_map(|r| r.gap_pct).collect();
    let feasible = rows.iter().filter(|r| r.feasible).count();
    let optimal = rows.iter().filter(|r| r.status == "optimal").count();
    let secs: f64 = rows.iter().map(|r| r.seconds).sum();
    writeln!(out, "---")?;
    writeln!(
        out,
        "instances {}  feasible {}  optimal-status {}  mean gap {}%  max gap {}%  total {:.1} s  (reference: {})",
        rows.len(),
        feasible,
        optimal,
        if gaps.is_empty() {
            "-".into()
        } else {
            format!("{:.3}", gaps.iter().sum::<f64>() / gaps.len() as f64)
        },
        gaps.iter()
            .cloned()
            .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g))))
            .map_or("-".into(), |g| format!("{g:.3}")),
        secs,
        column.unwrap_or("none")
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::name_matches;

    #[test]
    fn filters() {
        assert!(name_matches("ta0*", "ta01"));
        assert!(!name_matches("ta0*", "ta11"));
        assert!(name_matches("ft,la", "la01"));
        assert!(name_matches("X-n1??-*", "X-n101-k25"));
        assert!(!name_matches("X-n1??-*", "X-n1001-k43"));
        assert!(name_matches("gen", "gen-ip054"));
        assert!(!name_matches("=gen", "gen-ip054"));
        assert!(name_matches("=GEN,=pg", "gen"));
    }
}

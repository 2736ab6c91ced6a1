//! `quotient batch FILES... --out results.jsonl`: one JSON line per instance, resumable.

use super::common;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use quotient::solve;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Instance files or directories (scanned one level deep).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output JSON-lines file; instances already in it are skipped.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Instances solved at the same time.
    #[arg(long, short = 'j', default_value_t = 1)]
    pub jobs: usize,
    /// Threads per solve.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    #[arg(long, short = 't')]
    pub time_limit: Option<f64>,
    #[arg(long, default_value = "auto")]
    pub solver: String,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub neural: common::NeuralArgs,
}

/// Files already recorded in the output (their `file` field).
fn done_files(out: &PathBuf) -> Result<HashSet<String>> {
    let mut done = HashSet::new();
    if !out.exists() {
        return Ok(done);
    }
    let f = std::fs::File::open(out).with_context(|| format!("cannot read {}", out.display()))?;
    for line in std::io::BufReader::new(f).lines() {
        let line = line?;
        // A partial last line (an interrupted write) does not parse and is simply redone.
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && let Some(file) = v.get("file").and_then(|f| f.as_str())
        {
            done.insert(file.to_string());
        }
    }
    Ok(done)
}

pub fn run(args: BatchArgs) -> Result<ExitCode> {
    if args.jobs == 0 || args.jobs > 1024 {
        bail!("--jobs {}: expected 1..=1024", args.jobs);
    }
    common::check_time_limit(args.time_limit)?;
    let mut files = Vec::new();
    for p in &args.files {
        files.extend(common::instance_files(p)?);
    }
    let done = done_files(&args.out)?;
    let todo: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| !done.contains(&p.to_string_lossy().into_owned()))
        .collect();
    eprintln!(
        "batch: {} to solve, {} already in {}",
        todo.len(),
        done.len(),
        args.out.display()
    );
    // Make sure a partial last line from an interrupted run does not glue onto the next record.
    let needs_newline = std::fs::read(&args.out)
        .ok()
        .is_some_and(|b| !b.is_empty() && b.last() != Some(&b'\n'));
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.out)
        .with_context(|| format!("cannot open {}", args.out.display()))?;
    if needs_newline {
        writeln!(file)?;
    }
    let out = Mutex::new(file);
    let bar = ProgressBar::new(todo.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed_precise} eta {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cancel = common::cancel_flag();
    let failures = std::sync::atomic::AtomicUsize::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()?;
    pool.install(|| {
        todo.par_iter().try_for_each(|path| -> Result<()> {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(());
            }
            let file_key = path.to_string_lossy().into_owned();
            let record = match common::read_instance(path, None) {
                Err(e) => {
                    failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    serde_json::json!({"file": file_key, "error": {"code": "parse", "message": format!("{e:#}")}})
                }
                Ok(inst) => {
                    let options = common::options(
                        &inst,
                        &args.solver,
                        args.time_limit,
                        args.seed,
                        args.threads,
                        &args.neural,
                    );
                    match options.and_then(|options| solve(&inst, &options)) {
                        Ok(o) => {
                            let mut v = o.to_json(&inst);
                            if let Some(obj) = v.as_object_mut() {
                                obj.insert("file".into(), serde_json::json!(file_key));
                            }
                            v
                        }
                        Err(e) => {
                            failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            serde_json::json!({"file": file_key, "instance": inst.name(), "error": {"code": e.code(), "message": e.to_string()}})
                        }
                    }
                }
            };
            // An interrupted solve is not recorded, so a resumed run does it again.
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(());
            }
            let line = serde_json::to_string(&record)?;
            {
                let mut f = out.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
                writeln!(f, "{line}")?;
                f.flush()?;
            }
            bar.inc(1);
            Ok(())
        })
    })?;
    bar.finish_and_clear();
    let failed = failures.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("batch: done, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

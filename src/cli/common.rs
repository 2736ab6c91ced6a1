//! Helpers shared by the subcommands: reading instance files, time limits, Ctrl-C.

use anyhow::{Context, Result, bail};
use quotient::problems::any::{self, AnyInstance, Family};
use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Largest instance file quotient reads (4 GiB; gzip is capped separately when decoding).
const MAX_FILE_BYTES: u64 = 4 << 30;

/// Read and parse an instance file; errors name the file and the line.
pub fn read_instance(path: &Path, family: Option<Family>) -> Result<AnyInstance> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        bail!(
            "{}: file is {} bytes, above the {} byte limit",
            path.display(),
            meta.len(),
            MAX_FILE_BYTES
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    any::read_instance(&bytes, &name, family)
        .map_err(|e| anyhow::anyhow!("{}: {e} [{}]", path.display(), e.code()))
}

/// Parse a time limit in seconds.
pub fn time_limit(secs: Option<f64>) -> Result<Option<Duration>> {
    match secs {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s <= quotient::MAX_TIME_LIMIT_SECS => {
            Ok(Some(Duration::from_secs_f64(s)))
        }
        Some(s) => bail!(
            "--time-limit {s}: expected a number of seconds in (0, {}]",
            quotient::MAX_TIME_LIMIT_SECS
        ),
    }
}

static CANCEL: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The process-wide cancel flag, set by Ctrl-C. A second Ctrl-C exits at once.
pub fn cancel_flag() -> Arc<AtomicBool> {
    CANCEL
        .get_or_init(|| {
            let flag = Arc::new(AtomicBool::new(false));
            let f = flag.clone();
            let _ = ctrlc::set_handler(move || {
                if f.swap(true, Ordering::SeqCst) {
                    std::process::exit(130);
                }
                eprintln!("\ninterrupted: stopping, keeping the best solution so far (Ctrl-C again to abort)");
            });
            flag
        })
        .clone()
}

/// Instance files under `path` (a file, or a directory scanned one level deep).
pub fn instance_files(path: &Path) -> Result<Vec<std::path::PathBuf>> {
    if path.is_dir() {
        let mut out = Vec::new();
        for entry in
            std::fs::read_dir(path).with_context(|| format!("cannot list {}", path.display()))?
        {
            let p = entry?.path();
            if p.is_file() && is_instance_name(&p) {
                out.push(p);
            }
        }
        out.sort();
        Ok(out)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Whether a file name looks like an instance (not a solution, CSV or README).
pub fn is_instance_name(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".sol")
        || name.ends_with(".tour")
        || name.ends_with(".csv")
        || name.ends_with(".md")
        || name.ends_with(".json")
        || name.ends_with(".jsonl")
    {
        return false;
    }
    any::family_from_name(&name).is_some() || name.ends_with(".txt")
}

/// The library options of one solve, from the flags that `solve`, `batch` and `bench` share
/// (no warm start; the process-wide cancel flag).
pub fn options(
    solver: &str,
    time_limit: Option<Duration>,
    seed: u64,
    threads: usize,
    neural: &NeuralArgs,
) -> quotient::Options {
    quotient::Options {
        solver: solver.to_string(),
        time_limit,
        seed,
        threads,
        initial: None,
        beam: neural.beam,
        samples: neural.samples,
        steps: neural.steps,
        params: neural.params.clone(),
        cancel: cancel_flag(),
    }
}

/// `NAME=VALUE`, for `--param`.
fn name_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{s}`: expected NAME=VALUE")),
    }
}

/// The solver's own parameters, and the older flags for three of them (`tsp.bq`, `cvrp.bq`,
/// `jssp.l2s`, ...).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NeuralArgs {
    /// A parameter of the chosen solver, `NAME=VALUE` (repeatable; `quotient solvers --json`
    /// lists each solver's parameters, e.g. `beam`, `samples`, `steps`).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = name_value)]
    pub params: Vec<(String, String)>,
    /// Beam width of a neural policy's decoding (0 or 1: greedy).
    #[arg(long, default_value_t = 0)]
    pub beam: usize,
    /// Sample this many tours from a neural policy and keep the best (0: greedy/beam).
    #[arg(long, default_value_t = 0)]
    pub samples: usize,
    /// Improvement steps of a step-counted policy (`jssp.l2s`; default 5000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub steps: Option<u64>,
}

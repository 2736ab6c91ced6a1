//! Helpers shared by the subcommands: reading instance files, time limits, Ctrl-C.

use anyhow::{Context, Result, bail};
use quotient::problems::ReadLimits;
use quotient::problems::any::{self, AnyInstance, Family};
use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Largest instance file quotient reads (4 GiB; gzip is capped separately when decoding).
const MAX_FILE_BYTES: u64 = 4 << 30;

static READ_LIMITS: OnceLock<ReadLimits> = OnceLock::new();

/// The reader limits of this run (`--limit`); set once, before any command runs.
pub fn set_read_limits(limits: ReadLimits) {
    let _ = READ_LIMITS.set(limits);
}

/// The reader limits in force (the defaults when `--limit` was not given).
pub fn read_limits() -> ReadLimits {
    READ_LIMITS.get().copied().unwrap_or_default()
}

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
    any::read_instance_with_limits(&bytes, &name, family, &read_limits())
        .map_err(|e| anyhow::anyhow!("{}: {e} [{}]", path.display(), e.code()))
}

/// Read an instance file as [`read_instance`] does, then apply `--variant` (which makes the
/// file a job shop when the family is not given).
pub fn read_instance_with_variant(
    path: &Path,
    family: Option<Family>,
    variant: Option<quotient::problems::jssp::JsspVariant>,
) -> Result<AnyInstance> {
    let family = family.or(variant.map(|_| Family::Jssp));
    let mut inst = read_instance(path, family)?;
    if let Some(v) = variant {
        inst.set_jssp_variant(v)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    Ok(inst)
}

/// Check a `--time-limit` up front (for the commands that solve many instances); the library's
/// rule ([`quotient::time_limit_from_secs`]).
pub fn check_time_limit(secs: Option<f64>) -> Result<()> {
    if let Some(s) = secs {
        quotient::time_limit_from_secs(s, None).map_err(solve_error)?;
    }
    Ok(())
}

/// A library error as the CLI prints it: the message and its code.
pub fn solve_error(e: quotient::SolveError) -> anyhow::Error {
    anyhow::anyhow!("{e} [{}]", e.code())
}

/// The neural solvers' configuration, resolved once here at the edge: the ONNX Runtime library
/// from `ORT_DYLIB_PATH`, else the `.venv` of `scripts/setup` in the source tree this binary was
/// built from (a development checkout; an installed binary copied elsewhere needs
/// `ORT_DYLIB_PATH`); the execution provider from `QUOTIENT_ORT_PROVIDER`; the models embedded
/// in the binary, or the directory `QUOTIENT_MODELS` names.
pub fn neural_config() -> quotient::neural::NeuralConfig {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    quotient::neural::NeuralConfig::resolve(
        non_empty("ORT_DYLIB_PATH").map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        non_empty("QUOTIENT_MODELS").map(Into::into),
        &[Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv")],
    )
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

/// The library options of one solve of `instance`, from the flags that `solve`, `batch` and
/// `bench` share (no warm start; the process-wide cancel flag), through the library's one
/// options path ([`quotient::OptionsInput::resolve`]).
pub fn options(
    instance: &AnyInstance,
    solver: &str,
    time_limit: Option<f64>,
    seed: u64,
    threads: usize,
    params: &NeuralArgs,
) -> Result<quotient::Options, quotient::SolveError> {
    quotient::OptionsInput {
        solver: Some(solver.to_string()),
        time_limit,
        seed: Some(seed),
        threads: Some(threads),
        initial: None,
        params: params.params.clone(),
        beam: params.beam,
        samples: params.samples,
        steps: params.steps,
    }
    .resolve(instance, quotient::Limits::default(), cancel_flag())
}

/// `NAME=VALUE`, for `--param`.
fn name_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{s}`: expected NAME=VALUE")),
    }
}

/// `--param`'s long help: every solver parameter of the registry, with the solvers taking it.
fn param_help() -> String {
    let mut text = String::from(
        "A parameter of the chosen solver, NAME=VALUE (repeatable). The solvers' parameters \
         (`quotient solvers` lists them too):",
    );
    let mut seen: Vec<&str> = Vec::new();
    for spec in quotient::registry().flat_map(|s| s.info.params.iter()) {
        if seen.contains(&spec.name) {
            continue;
        }
        seen.push(spec.name);
        let takers: Vec<&str> = quotient::registry()
            .filter(|s| s.info.params.iter().any(|p| p.name == spec.name))
            .map(|s| s.info.name)
            .collect();
        text.push_str(&format!(
            "\n  {}={}..={} ({}): {}; default {}",
            spec.name,
            spec.min,
            spec.max,
            takers.join(", "),
            spec.description,
            spec.default.map_or("off".to_string(), |d| d.to_string())
        ));
    }
    text
}

/// The solver's own parameters, and the older flags for three of them (`tsp.bq`, `cvrp.bq`,
/// `jssp.l2s`, ...): each older flag becomes that parameter, and a solver without it refuses
/// the flag.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NeuralArgs {
    /// A parameter of the chosen solver, `NAME=VALUE` (repeatable; `quotient solvers` lists
    /// each solver's parameters).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = name_value, long_help = param_help())]
    pub params: Vec<(String, String)>,
    /// Beam width of a neural policy's decoding: `--param beam=K` (0 or 1: greedy).
    #[arg(long)]
    pub beam: Option<u64>,
    /// Sample this many tours from a neural policy and keep the best: `--param samples=K` (0: none).
    #[arg(long)]
    pub samples: Option<u64>,
    /// Improvement steps of a step-counted policy: `--param steps=N` (`jssp.l2s`; default 5000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub steps: Option<u64>,
}

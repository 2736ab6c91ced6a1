//! Argument definitions (clap derive) and dispatch to one module per subcommand.

mod batch;
mod bench;
mod check;
mod common;
mod generate;
mod plot;
mod serve;
mod simulate;
mod solve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "quotient",
    version,
    about = "Combinatorial-optimization solver: TSP/ATSP, CVRP, job shop, MILP"
)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// A reader limit, `NAME=VALUE` (repeatable): what an instance file or request may declare
    /// or hold, e.g. `--limit max_coord_nodes=200000`. README lists every limit and its default.
    #[arg(long = "limit", value_name = "NAME=VALUE", global = true)]
    limits: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Solve one instance file.
    Solve(solve::SolveArgs),
    /// Check a solution against an instance: objective and every violation; exit 1 if infeasible.
    Check(check::CheckArgs),
    /// Draw a solution (TSP tour, CVRP routes, JSSP Gantt chart) or a solve's trace as SVG.
    Plot(plot::PlotArgs),
    /// List every solver, its family, kind, availability and parameters.
    Solvers(SolversArgs),
    /// Generate a random instance in the family's standard format.
    Gen(generate::GenArgs),
    /// Run a blocking job shop online while machines are shut down at random (ISBJSSP):
    /// makespans of rules and executed schedules over seeded scenarios, each checked.
    Simulate(simulate::SimulateArgs),
    /// Solve every instance of a benchmark directory and compare with its reference values.
    Bench(bench::BenchArgs),
    /// Solve many instance files, one JSON line each; resumable.
    Batch(batch::BatchArgs),
    /// Run the REST service (POST /v1/solve, /v1/jobs, SSE events, /metrics, /openapi.json).
    Serve(serve::ServeArgs),
    /// Solve jobs from a shared PostgreSQL store (no HTTP); run any number, on any machines.
    Worker(serve::WorkerArgs),
}

#[derive(Debug, clap::Args)]
struct SolversArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Exit codes: 0 ok, 1 infeasible solution (check) / failures in batch, 2 usage or input error.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_tracing(cli.verbose);
    let limits =
        match quotient::problems::ReadLimits::from_pairs(cli.limits.iter().map(String::as_str)) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: --limit: {e}");
                return ExitCode::from(2);
            }
        };
    common::set_read_limits(limits);
    // The one place the neural solvers' settings are read (environment, source tree).
    let _ = quotient::neural::init(common::neural_config());
    let result = match cli.command {
        Command::Solve(a) => solve::run(a),
        Command::Check(a) => check::run(a),
        Command::Plot(a) => plot::run(a),
        Command::Solvers(a) => solvers(a),
        Command::Gen(a) => generate::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Worker(a) => serve::run_worker(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_tracing(verbose: u8) {
    // The `highs` crate logs a warning for every solve that stops at its time limit (HiGHS's
    // "warning" return status); quotient reports the status itself, so that line is kept for -vv.
    let level = match verbose {
        0 => "warn,highs=error",
        1 => "info,highs=error",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("QUOTIENT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn solvers(args: SolversArgs) -> anyhow::Result<ExitCode> {
    use quotient::neural::{config, runtime};
    use std::io::Write;
    let list = quotient::available_solvers();
    let mut out = std::io::stdout().lock();
    let registry = quotient::neural::Registry::shipped();
    let runtime = runtime::runtime_available();
    let provider = runtime.clone().and_then(|()| runtime::execution_provider());
    let library = config()
        .runtime_library
        .as_ref()
        .map(|p| p.display().to_string());
    if args.json {
        let v: Vec<serde_json::Value> = list
            .iter()
            .map(|(s, avail)| {
                serde_json::json!({"name": s.name, "family": s.family, "kind": s.kind, "available": avail.is_ok(), "unavailable_because": avail.as_ref().err(), "description": s.description, "params": s.params})
            })
            .collect();
        let models: Vec<serde_json::Value> = match &registry {
            Ok(r) => r
                .models
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?,
            Err(_) => Vec::new(),
        };
        let doc = serde_json::json!({
            "solvers": v,
            "models": models,
            "models_from": runtime::models_source().to_string(),
            "onnx_runtime": runtime.is_ok(),
            "onnx_runtime_library": library,
            "execution_provider": match (&runtime, &provider) {
                (Err(_), _) => serde_json::Value::Null,
                (Ok(()), Ok(p)) => serde_json::json!(p.name()),
                (Ok(()), Err(e)) => serde_json::json!({"error": e.to_string(), "code": e.code()}),
            },
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        writeln!(
            out,
            "{:<16} {:<7} {:<10} {:<10} description",
            "name", "family", "kind", "available"
        )?;
        for (s, avail) in list {
            let kind = serde_json::to_value(s.kind)?
                .as_str()
                .unwrap_or("")
                .to_string();
            writeln!(
                out,
                "{:<16} {:<7} {:<10} {:<10} {}",
                s.name,
                s.family.as_str(),
                kind,
                if avail.is_ok() { "yes" } else { "no" },
                s.description
            )?;
            for p in s.params {
                writeln!(
                    out,
                    "{:<16} {:<7} {:<10} {:<10} --param {}={}..={} (default {}): {}",
                    "",
                    "",
                    "",
                    "",
                    p.name,
                    p.min,
                    p.max,
                    p.default.map_or("off".to_string(), |d| d.to_string()),
                    p.description
                )?;
            }
            if let Err(why) = avail {
                writeln!(
                    out,
                    "{:<16} {:<7} {:<10} {:<10} (unavailable: {why})",
                    "", "", "", ""
                )?;
            }
        }
        writeln!(out)?;
        match (&runtime, &provider) {
            (Err(e), _) => writeln!(out, "ONNX Runtime: not available ({e})")?,
            (Ok(()), Ok(p)) => writeln!(
                out,
                "ONNX Runtime: {} loaded, models run on {}",
                library.as_deref().unwrap_or("?"),
                p.name()
            )?,
            (Ok(()), Err(e)) => writeln!(out, "ONNX Runtime: loaded; {e}")?,
        }
        match &registry {
            Ok(r) if r.models.is_empty() => writeln!(out, "models: none shipped")?,
            Ok(r) => {
                writeln!(out, "models ({}):", runtime::models_source())?;
                for m in &r.models {
                    writeln!(
                        out,
                        "  {:<12} {:<5} {:<22} trained on n={:?}, {} steps; {}",
                        m.name, m.family, m.file, m.trained_sizes, m.trained_steps, m.metrics
                    )?;
                }
            }
            Err(e) => writeln!(out, "models ({}): {e}", runtime::models_source())?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

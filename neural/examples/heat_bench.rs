//! Candidate lists for `tsp.ils` side by side on TSPLIB (release build): distance lists, SoftDist
//! or the GNN heatmap (`tsp_heatmap_gnn`, its inference time inside the time limit), with or
//! without heatmap-biased kicks.
//!
//! ```sh
//! cargo build --release --workspace --example heat_bench
//! target/release/examples/heat_bench --lists distance|softdist|heat [--tau 1.0] [--kick 1] [--keep 0] [--k 8] \
//!     [--dir ../shared/bench/tsp] [--time 30] [--min-n 1000] [--max-n 20000] [--every 1] [--offset 0]
//!     [--seed 1]
//! ```
//! One line per instance (objective, optimum, gap %, heatmap seconds, checker verdict), then the
//! mean gap. One thread. `--k`: candidates per node (with `heat`: the heatmap's picks, in
//! addition to the first `--keep` of the distance list).

use quotient_neural::heatmap::{HEATMAP_MODEL, heatmap};
use quotient_neural::{NeuralError, runtime};
use quotient_problems::tsp::{check, read_tsplib};
use quotient_solvers::engine::{Budget, NoObserver};
use quotient_solvers::tsp::CandidateOrder;
use quotient_solvers::tsp::ils::{self, IlsOptions};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    // The binary's edge: the ONNX Runtime from ORT_DYLIB_PATH or the repository's .venv.
    let _ = quotient_neural::init(quotient_neural::NeuralConfig::resolve(
        std::env::var_os("ORT_DYLIB_PATH").map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        std::env::var_os("QUOTIENT_MODELS").map(Into::into),
        &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv")],
    ));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |key: &str| {
        args.iter()
            .position(|a| a == key)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let num = |key: &str, default: f64| -> Result<f64> {
        Ok(get(key)
            .map(|v| v.parse::<f64>())
            .transpose()?
            .unwrap_or(default))
    };
    let lists = get("--lists").unwrap_or_else(|| "distance".into());
    let dir = PathBuf::from(get("--dir").unwrap_or_else(|| "../shared/bench/tsp".into()));
    let secs = num("--time", 30.0)?;
    let (min_n, max_n) = (
        num("--min-n", 1000.0)? as usize,
        num("--max-n", 20000.0)? as usize,
    );
    let every = (num("--every", 1.0)? as usize).max(1);
    let offset = num("--offset", 0.0)? as usize;
    let seed = num("--seed", 1.0)? as u64;
    let tau = num("--tau", 1.0)?;
    let kick = num("--kick", 1.0)? as usize;
    let keep = num("--keep", 0.0)? as usize;
    let k = num("--k", 0.0)? as usize;
    let model = match lists.as_str() {
        "heat" => Some(runtime::model(HEATMAP_MODEL)?),
        "distance" | "softdist" => None,
        other => return Err(format!("--lists {other}: distance, softdist or heat").into()),
    };
    let csv = std::fs::read_to_string(dir.join("optimal.csv"))?;
    let mut rows: Vec<(String, usize, f64)> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Some((
                f.first()?.to_string(),
                f.get(1)?.parse().ok()?,
                f.get(3)?.trim().parse().ok()?,
            ))
        })
        .filter(|r: &(String, usize, f64)| r.1 >= min_n && r.1 <= max_n)
        .collect();
    rows.sort_by_key(|r| r.1);
    let mut gaps = Vec::new();
    for (name, n, opt) in rows.into_iter().skip(offset).step_by(every) {
        let path = dir.join(format!("{name}.tsp"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let inst = read_tsplib(&text).map_err(|e| format!("{name}: {e}"))?;
        let budget = Budget::new(Some(Duration::from_secs_f64(secs))).with_target(Some(opt));
        let candidates = match &model {
            // As `tsp.heat+ils`: distance lists where the heatmap is not built (no coordinates).
            Some(m) => match heatmap(m, &inst) {
                Ok(rows) => CandidateOrder::Heatmap {
                    rows: Arc::new(rows),
                    keep,
                },
                Err(NeuralError::Unsupported(why)) => {
                    eprintln!("{name}: {why}; distance lists");
                    CandidateOrder::Distance
                }
                Err(e) => return Err(e.into()),
            },
            None if lists == "softdist" => CandidateOrder::SoftDist(tau),
            None => CandidateOrder::Distance,
        };
        let heat_secs = budget.elapsed().as_secs_f64();
        let opts = IlsOptions {
            threads: 1,
            seed,
            candidates,
            kick_tournament: Some(kick),
            neighbours: (k > 0).then_some(k),
            ..Default::default()
        };
        let r = ils::solve(&inst, &budget, &NoObserver, &opts);
        let el = budget.elapsed().as_secs_f64();
        let (obj, ok) = r.solution.as_ref().map_or((f64::NAN, false), |s| {
            let rep = check(&inst, s);
            (rep.objective, rep.violations.is_empty())
        });
        let gap = 100.0 * (obj - opt) / opt.abs().max(1.0);
        gaps.push(gap);
        println!(
            "{name:>12} n={n:>5} opt={opt:>10} obj={obj:>10} gap={gap:>7.3}% t={el:>6.2}s heat={heat_secs:.2}s feasible={ok} {}",
            r.message.unwrap_or_default()
        );
    }
    if !gaps.is_empty() {
        println!(
            "instances={} mean_gap={:.3}% lists={lists} kick={kick} keep={keep} k={k}",
            gaps.len(),
            gaps.iter().sum::<f64>() / gaps.len() as f64
        );
    }
    Ok(())
}

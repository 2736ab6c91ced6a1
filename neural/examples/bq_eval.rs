//! Batched evaluation of a BQ policy through ort (release build):
//!
//!     cargo build --release --workspace --example bq_eval
//!     target/release/examples/bq_eval tsp|cvrp DIR [batch] [beam] [limit]
//!
//! Reads every instance of DIR (TSPLIB `.tsp` or CVRPLIB `.vrp`, sorted by name, at most
//! `limit`), decodes them with the shipped model on one thread: greedy in batches of `batch`
//! instances per model call, or beam search of width `beam` (> 1) instance by instance. Every
//! solution is checked by the independent checker. Prints one JSON line per instance
//! (`{"file", "objective"}`) and a summary line with the instances per second.

use quotient_neural::decode::{DecodeOptions, Decoder, Mdp};
use quotient_neural::solvers::{CVRP_BQ_MODEL, TSP_BQ_MODEL};
use quotient_neural::{cvrp, runtime, tsp};
use quotient_problems::cvrp::{CvrpInstance, CvrpSolution};
use quotient_problems::tsp::{TspInstance, TspSolution};
use quotient_solvers::engine::Budget;
use std::path::PathBuf;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn files(dir: &str, ext: &str, limit: usize) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v.truncate(limit);
    Ok(v)
}

/// Greedy over all instances of the decoder in one batch, or beam search instance by instance.
fn decode_all<M: Mdp>(dec: &Decoder<'_, M>, n: usize, beam: usize) -> Result<Vec<M::Solution>> {
    let budget = Budget::new(None);
    if beam > 1 {
        Ok((0..n)
            .map(|k| dec.beam(k, &budget).map(|d| d.solution))
            .collect::<std::result::Result<_, _>>()?)
    } else {
        Ok(dec
            .greedy(n, &budget)?
            .into_iter()
            .map(|d| d.solution)
            .collect())
    }
}

/// Read every file of `paths`, decode them in chunks of `batch` with `solve` (which returns, per
/// instance of the chunk, the checked objective or the checker's complaint), in file order.
fn evaluate<I>(
    paths: &[PathBuf],
    batch: usize,
    read: impl Fn(&str) -> Result<I>,
    solve: impl Fn(&[I]) -> Result<Vec<std::result::Result<f64, String>>>,
) -> Result<Vec<(PathBuf, f64)>> {
    let insts: Vec<I> = paths
        .iter()
        .map(|p| read(&std::fs::read_to_string(p)?))
        .collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(paths.len());
    for (chunk_p, chunk) in paths.chunks(batch).zip(insts.chunks(batch)) {
        for (p, r) in chunk_p.iter().zip(solve(chunk)?) {
            out.push((p.clone(), r.map_err(|e| format!("{}: {e}", p.display()))?));
        }
    }
    Ok(out)
}

fn main() -> Result<()> {
    // The binary's edge: the ONNX Runtime from ORT_DYLIB_PATH or the repository's .venv.
    let _ = quotient_neural::init(quotient_neural::NeuralConfig::resolve(
        std::env::var_os("ORT_DYLIB_PATH").map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        std::env::var_os("QUOTIENT_MODELS").map(Into::into),
        &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv")],
    ));
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: bq_eval tsp|cvrp DIR [batch] [beam] [limit]";
    let family = args.get(1).ok_or(usage)?.as_str();
    let dir = args.get(2).ok_or(usage)?;
    let num = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (batch, beam, limit) = (num(3, 64).max(1), num(4, 1).max(1), num(5, usize::MAX));
    let opts = DecodeOptions {
        beam,
        ..Default::default()
    };
    let t0 = Instant::now();
    let out = match family {
        "tsp" => {
            let model = runtime::model(TSP_BQ_MODEL)?;
            let read = |t: &str| Ok(quotient_problems::tsp::read_tsplib(t)?);
            evaluate(
                &files(dir, "tsp", limit)?,
                batch,
                read,
                |chunk: &[TspInstance]| {
                    let xys: Vec<&[[f64; 2]]> = chunk
                        .iter()
                        .map(|i| i.coords().ok_or("no coordinates"))
                        .collect::<std::result::Result<_, _>>()?;
                    let tours = decode_all(&tsp::decoder(&model, xys, opts), chunk.len(), beam)?;
                    Ok(chunk
                        .iter()
                        .zip(tours)
                        .map(|(inst, tour)| {
                            let rep = quotient_problems::tsp::check(inst, &TspSolution { tour });
                            rep.is_feasible()
                                .then_some(rep.objective)
                                .ok_or_else(|| format!("{:?}", rep.violations))
                        })
                        .collect())
                },
            )?
        }
        "cvrp" => {
            let model = runtime::model(CVRP_BQ_MODEL)?;
            let read = |t: &str| Ok(quotient_problems::cvrp::read_cvrplib(t, None)?);
            evaluate(
                &files(dir, "vrp", limit)?,
                batch,
                read,
                |chunk: &[CvrpInstance]| {
                    let views: Vec<cvrp::CvrpView<'_>> = chunk
                        .iter()
                        .map(|i| {
                            Ok(cvrp::CvrpView {
                                xy: i.coords().ok_or("no coordinates")?,
                                demands: &i.demands,
                                capacity: i.capacity,
                            })
                        })
                        .collect::<Result<_>>()?;
                    let sols = decode_all(&cvrp::decoder(&model, views, opts), chunk.len(), beam)?;
                    Ok(chunk
                        .iter()
                        .zip(sols)
                        .map(|(inst, routes)| {
                            let rep =
                                quotient_problems::cvrp::check(inst, &CvrpSolution { routes });
                            rep.is_feasible()
                                .then_some(rep.objective)
                                .ok_or_else(|| format!("{:?}", rep.violations))
                        })
                        .collect())
                },
            )?
        }
        _ => return Err(usage.into()),
    };
    let secs = t0.elapsed().as_secs_f64();
    for (p, obj) in &out {
        println!(
            "{}",
            serde_json::json!({"file": p.display().to_string(), "objective": obj})
        );
    }
    println!(
        "{}",
        serde_json::json!({"summary": {"family": family, "instances": out.len(), "batch": batch, "beam": beam,
            "seconds": secs, "instances_per_s": out.len() as f64 / secs}})
    );
    Ok(())
}

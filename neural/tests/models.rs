//! The shipped models against ONNX Runtime: each model's parity file (inputs and PyTorch's
//! outputs written at export) must be reproduced by ort within its tolerance, and the TSP policy
//! must decode valid tours. Skipped, loudly, when the ONNX Runtime library is absent (run
//! `scripts/setup`); CI installs it.

#![allow(clippy::unwrap_used)]

use quotient_neural::decode::DecodeOptions;
use quotient_neural::heatmap::HeatGraph;
use quotient_neural::models::ModelSource;
use quotient_neural::runtime::{self, GraphTensors, Model};
use quotient_neural::solvers::{BqOptions, TSP_BQ_MODEL, solve_tsp};
use quotient_neural::tsp;
use quotient_neural::{NeuralError, Registry};
use quotient_problems::tsp::{check, uniform};
use quotient_solvers::engine::{Budget, NoObserver};

/// The source tree's models (the parity files are read from there).
fn models_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

/// The configuration a binary would resolve in the repository: `ORT_DYLIB_PATH` when set,
/// else the `.venv` of `scripts/setup`; the embedded models. (A test is an edge: it may read
/// the environment; the library never does.)
fn configure() {
    let config = quotient_neural::NeuralConfig::resolve(
        std::env::var_os("ORT_DYLIB_PATH").map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        None,
        &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv")],
    );
    // Every test configures the same way; the first one sets it.
    let _ = quotient_neural::init(config);
}

fn runtime_or_skip() -> bool {
    configure();
    match runtime::runtime_available() {
        Ok(()) => true,
        Err(e) => {
            eprintln!("SKIPPED: ONNX Runtime not available ({e}); run scripts/setup");
            false
        }
    }
}

/// The registered model `name`, or `None` (said loudly) when the runtime or the model is absent.
fn model_or_skip(name: &str) -> Option<std::sync::Arc<Model>> {
    if !runtime_or_skip() {
        return None;
    }
    runtime::model(name)
        .map_err(|e| eprintln!("SKIPPED: {e}"))
        .ok()
}

#[test]
fn every_shipped_model_matches_its_pytorch_parity_outputs() {
    if !runtime_or_skip() {
        return;
    }
    let dir = models_dir();
    let reg = Registry::shipped().unwrap();
    for entry in &reg.models {
        let model = Model::open(entry, runtime::models_source()).unwrap();
        let Some(parity) = &entry.parity else {
            panic!("model {} has no parity file", entry.name);
        };
        let text = std::fs::read_to_string(dir.join(parity)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let tol = v["tolerance"].as_f64().unwrap();
        let cases = v["cases"].as_array().unwrap();
        assert!(!cases.is_empty());
        let floats = |v: &serde_json::Value| -> Vec<f32> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect()
        };
        let ints = |v: &serde_json::Value| -> Vec<i64> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect()
        };
        for case in cases {
            let want: Vec<f64> = floats(&case["output"])
                .iter()
                .map(|&x| f64::from(x))
                .collect();
            // Graph models: one output per edge (heatmap) or per candidate pair (job shop).
            let graph_out = match entry.kind.as_str() {
                // Over the heat graph: one output per edge (heatmap) or per node (penalties).
                "heatmap" | "penalties" => {
                    let edges = ints(&case["edges"]);
                    let e = edges.len() / 2;
                    let g = HeatGraph {
                        n: case["n"].as_u64().unwrap() as usize,
                        node_x: floats(&case["x"]),
                        src: edges[..e].to_vec(),
                        dst: edges[e..].to_vec(),
                        edge_x: floats(&case["ex"]),
                        scale: 1.0,
                    };
                    Some(if entry.kind == "heatmap" {
                        model.run_edges(&g)
                    } else {
                        model.run_nodes_until(&g, None)
                    })
                }
                "gnn" => Some(model.run_graph(&GraphTensors {
                    n: case["n"].as_u64().unwrap() as usize,
                    // Features per node: 5 for the classic policies, 9 for the blocking one.
                    f: floats(&case["x"]).len() / (case["n"].as_u64().unwrap() as usize).max(1),
                    x: floats(&case["x"]),
                    job: ints(&case["job"]),
                    mach: ints(&case["mach"]),
                    pairs: ints(&case["pairs"]),
                })),
                _ => None,
            };
            if let Some(got) = graph_out {
                let got = got.unwrap();
                let n = &case["n"];
                assert_eq!(got.len(), want.len(), "{}: n = {n}", entry.name);
                let worst = got
                    .iter()
                    .zip(&want)
                    .map(|(a, b)| (f64::from(*a) - b).abs())
                    .fold(0.0, f64::max);
                assert!(
                    worst <= tol,
                    "{} n = {n}: max abs diff {worst:e} > {tol:e}",
                    entry.name
                );
                continue;
            }
            let shape: Vec<usize> = case["shape"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_u64().unwrap() as usize)
                .collect();
            let input: Vec<f32> = case["input"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect();
            let got = model.run(&input, &shape).unwrap();
            assert_eq!(got.data.len(), want.len(), "{}: {shape:?}", entry.name);
            let worst = got
                .data
                .iter()
                .zip(&want)
                .map(|(a, b)| (*a as f64 - b).abs())
                .fold(0.0, f64::max);
            assert!(
                worst <= tol,
                "{} {shape:?}: max abs diff {worst:e} > {tol:e}",
                entry.name
            );
        }
    }
}

#[test]
fn a_model_whose_file_does_not_match_its_sha256_is_refused() {
    let reg = Registry::shipped().unwrap();
    let Some(entry) = reg.models.first() else {
        eprintln!("SKIPPED: no shipped model");
        return;
    };
    let mut bad = entry.clone();
    bad.sha256 = "0".repeat(64);
    let e = Model::open(&bad, &ModelSource::Embedded).unwrap_err();
    assert_eq!(e.code(), "neural.model_checksum");
    let e = Model::open(&bad, &ModelSource::Dir(models_dir())).unwrap_err();
    assert_eq!(e.code(), "neural.model_checksum");
    bad.file = "absent.onnx".into();
    let e = Model::open(&bad, &ModelSource::Dir(models_dir())).unwrap_err();
    assert!(matches!(e, NeuralError::ModelMissing { .. }));
}

#[test]
fn tsp_policy_decodes_valid_tours_greedy_beam_and_sampled() {
    let Some(model) = model_or_skip(TSP_BQ_MODEL) else {
        return;
    };
    let budget = Budget::new(None);
    let insts: Vec<_> = (0..3).map(|s| uniform(20 + 15 * s, s as u64 + 1)).collect();
    let xys: Vec<&[[f64; 2]]> = insts.iter().map(|i| i.coords().unwrap()).collect();
    // Batched greedy over instances of different sizes, with and without a window.
    for window in [0, 8] {
        let opts = DecodeOptions {
            window,
            ..Default::default()
        };
        let out = tsp::decoder(&model, xys.clone(), opts)
            .greedy(xys.len(), &budget)
            .unwrap();
        for (inst, d) in insts.iter().zip(&out) {
            let rep = check(
                inst,
                &quotient_problems::tsp::TspSolution {
                    tour: d.solution.clone(),
                },
            );
            assert!(rep.is_feasible(), "window {window}: {rep:?}");
            assert!(!d.truncated);
        }
        // One instance alone decodes the same tour as inside the batch.
        let alone = tsp::decoder(&model, vec![xys[1]], opts)
            .greedy(1, &budget)
            .unwrap();
        assert_eq!(alone[0].solution, out[1].solution);
    }
    let dec = tsp::decoder(
        &model,
        vec![xys[2]],
        DecodeOptions {
            beam: 4,
            samples: 4,
            ..Default::default()
        },
    );
    let b = dec.beam(0, &budget).unwrap();
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
    let s = dec.sample(0, &budget, &mut rng).unwrap();
    for t in [&b.solution, &s.solution] {
        let rep = check(
            &insts[2],
            &quotient_problems::tsp::TspSolution { tour: t.clone() },
        );
        assert!(rep.is_feasible(), "{rep:?}");
    }
    // The solvers: the policy alone, and policy + ILS (never worse than its start).
    let inst = uniform(60, 9);
    let alone = solve_tsp(&inst, &budget, &NoObserver, &BqOptions::default(), false).unwrap();
    // An iteration cap, not a time limit: decoding is never cut short (a debug build on a
    // loaded machine is slow), so the ILS starts from the same tour as the policy alone.
    let timed = Budget::new(None).with_max_iterations(Some(300));
    let opts = BqOptions {
        threads: 1,
        ..Default::default()
    };
    let refined = solve_tsp(&inst, &timed, &NoObserver, &opts, true).unwrap();
    assert!(refined.objective.unwrap() <= alone.objective.unwrap());
    assert!(refined.message.unwrap().contains("then tsp.ils"));
}

#[test]
fn cvrp_policy_decodes_feasible_routes_greedy_beam_and_sampled() {
    use quotient_neural::cvrp::{self, CvrpView};
    use quotient_neural::solvers::{CVRP_BQ_MODEL, solve_cvrp};
    use quotient_problems::cvrp::{CvrpSolution, check as cvrp_check, generate};
    let Some(model) = model_or_skip(CVRP_BQ_MODEL) else {
        return;
    };
    let budget = Budget::new(None);
    let insts: Vec<_> = (0..3)
        .map(|s| generate::uniform(20 + 10 * s, 30, s as u64 + 1))
        .collect();
    let views: Vec<CvrpView<'_>> = insts
        .iter()
        .map(|i| CvrpView {
            xy: i.coords().unwrap(),
            demands: &i.demands,
            capacity: i.capacity,
        })
        .collect();
    let opts = DecodeOptions {
        beam: 3,
        samples: 3,
        ..Default::default()
    };
    let dec = cvrp::decoder(&model, views.clone(), opts);
    let out = dec.greedy(views.len(), &budget).unwrap();
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(5);
    let beam = dec.beam(1, &budget).unwrap();
    let sampled = dec.sample(2, &budget, &mut rng).unwrap();
    for (inst, routes) in [
        (&insts[0], &out[0].solution),
        (&insts[1], &out[1].solution),
        (&insts[2], &out[2].solution),
        (&insts[1], &beam.solution),
        (&insts[2], &sampled.solution),
    ] {
        let rep = cvrp_check(
            inst,
            &CvrpSolution {
                routes: routes.clone(),
            },
        );
        assert!(rep.is_feasible(), "{rep:?}");
    }
    let r = solve_cvrp(
        &insts[0],
        &budget,
        &NoObserver,
        &BqOptions::default(),
        false,
    )
    .unwrap();
    assert!(r.objective.is_some());
}

#[test]
fn job_shop_policies_return_checked_schedules() {
    use quotient_neural::jssp::{DISPATCH_MODEL, IMPROVE_MODEL};
    use quotient_neural::solvers::{JsspPolicy, solve_jssp};
    use quotient_problems::jssp::generate::taillard;
    if model_or_skip(DISPATCH_MODEL).is_none() || model_or_skip(IMPROVE_MODEL).is_none() {
        return;
    }
    let inst = taillard(8, 5, 11, 12);
    for (name, policy) in [
        ("jssp.gnn", JsspPolicy::Dispatch),
        ("jssp.l2s", JsspPolicy::Improve),
        ("jssp.gnn+tabu", JsspPolicy::DispatchThenTabu),
    ] {
        let budget = Budget::new(Some(std::time::Duration::from_millis(300)));
        let opts = BqOptions {
            steps: Some(50),
            threads: 1,
            ..Default::default()
        };
        let r = solve_jssp(policy, &inst, &budget, &NoObserver, &opts).unwrap();
        let sol = r.solution.unwrap();
        let rep = quotient_problems::jssp::check(&inst, &sol);
        assert!(rep.is_feasible(), "{name}: {rep:?}");
        assert_eq!(rep.objective, r.objective.unwrap(), "{name}");
        assert!(r.objective.unwrap() >= inst.trivial_lower_bound() as f64);
    }
}

#[test]
fn blocking_policy_returns_checked_schedules_for_every_blocking_variant() {
    use quotient_neural::blocking::MODEL;
    use quotient_neural::solvers::solve_blocking;
    use quotient_problems::jssp::JsspVariant;
    use quotient_problems::jssp::generate::taillard;
    if model_or_skip(MODEL).is_none() {
        return;
    }
    for (seed, variant) in [
        (1, JsspVariant::Blocking),
        (2, JsspVariant::Swap),
        (3, JsspVariant::InterruptingSwap),
    ] {
        let mut inst = taillard(10, 5, seed, seed + 40);
        inst.variant = variant;
        let r = solve_blocking(&inst, &Budget::new(None), &NoObserver).unwrap();
        let sol = r.solution.unwrap();
        let rep = quotient_problems::jssp::check(&inst, &sol);
        assert!(rep.is_feasible(), "{variant}: {rep:?}");
        assert_eq!(rep.objective, r.objective.unwrap(), "{variant}");
        assert!(r.objective.unwrap() >= r.bound.unwrap());
    }
    // The classic job shop is refused.
    let inst = taillard(4, 3, 1, 2);
    assert!(solve_blocking(&inst, &Budget::new(None), &NoObserver).is_err());
}

/// The heatmap model scores every edge of the 16-nearest graph, ranks tour edges above the
/// rest (on a uniform instance, the model's own training distribution), and `tsp.heat+ils`
/// returns checked tours; an instance the heatmap is not built for runs on distance lists.
#[test]
fn tsp_heatmap_scores_edges_and_drives_the_ils() {
    use quotient_neural::heatmap::{GRAPH_K, HEATMAP_MODEL, heat_graph, heatmap};
    use quotient_neural::solvers::solve_tsp_heat;
    let Some(model) = model_or_skip(HEATMAP_MODEL) else {
        return;
    };
    let inst = uniform(200, 17);
    let g = heat_graph(&inst, GRAPH_K).unwrap();
    let logits = model.run_edges(&g).unwrap();
    assert_eq!(logits.len(), g.edges());
    assert!(logits.iter().all(|x| x.is_finite()));
    // A good tour of the instance: its edges should score higher on average than the others.
    let budget = Budget::new(None).with_max_iterations(Some(2000));
    let opts = BqOptions {
        threads: 1,
        ..Default::default()
    };
    let r = solve_tsp_heat(&inst, &budget, &NoObserver, &opts).unwrap();
    let tour = r.solution.unwrap().tour;
    let rep = check(
        &inst,
        &quotient_problems::tsp::TspSolution { tour: tour.clone() },
    );
    assert!(rep.is_feasible(), "{rep:?}");
    assert!(r.message.unwrap().starts_with("heatmap of"));
    let n = tour.len();
    let mut in_tour = std::collections::HashSet::new();
    for i in 0..n {
        let (a, b) = (tour[i], tour[(i + 1) % n]);
        in_tour.insert((a.min(b), a.max(b)));
    }
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for ((&a, &b), &l) in g.src.iter().zip(&g.dst).zip(&logits) {
        let (a, b) = (a as usize, b as usize);
        if in_tour.contains(&(a.min(b), a.max(b))) {
            on.push(l);
        } else {
            off.push(l);
        }
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len().max(1) as f32;
    assert!(
        mean(&on) > mean(&off) + 1.0,
        "tour edges {} vs others {}",
        mean(&on),
        mean(&off)
    );
    let rows = heatmap(&model, &inst).unwrap();
    assert_eq!(rows.len(), inst.n());
    // Explicit distances without coordinates: distance lists, said in the message.
    let mut explicit = uniform(30, 4);
    let n = explicit.n();
    let matrix: Vec<i64> = (0..n * n).map(|k| explicit.dist(k / n, k % n)).collect();
    explicit.weights = quotient_problems::tsp::Weights::Matrix { n, matrix };
    let r = solve_tsp_heat(&explicit, &budget, &NoObserver, &opts).unwrap();
    assert!(r.message.unwrap().starts_with("heatmap not used"));
    let rep = check(&explicit, &r.solution.unwrap());
    assert!(rep.is_feasible(), "{rep:?}");
}

/// The learned ascent: its penalties are finite, centred and closer to those of quotient's own
/// uncapped ascent than the zero start is (R^2 over `MIN_R2`; the shipped model's validation
/// R^2 is about 0.13) on a fresh uniform instance, where they beat zero as a start and the warm
/// ascent ends within 0.1 % of the cold bound; `tsp.pi+ils` starts the ascent from them (said in
/// the message) and returns a checked tour with a bound below it; an explicit-matrix instance
/// runs `tsp.ils` as it is, said in the message.
#[test]
fn tsp_learned_penalties_start_the_ascent() {
    use quotient_neural::pi::{PI_MODEL, predict_penalties};
    use quotient_neural::solvers::solve_tsp_pi;
    use quotient_solvers::tsp::ils::held_karp;
    const MIN_R2: f64 = 0.0;
    let Some(model) = model_or_skip(PI_MODEL) else {
        return;
    };
    let inst = uniform(400, 23);
    let pred = predict_penalties(&model, &inst, None).unwrap();
    assert_eq!(pred.len(), inst.n());
    assert!(pred.iter().all(|p| p.is_finite()));
    assert!(
        pred.iter().sum::<f64>().abs() < 1e-9 * (1.0 + pred.iter().map(|p| p.abs()).sum::<f64>())
    );
    let hk = held_karp(&inst, &Budget::new(None), None, None).unwrap();
    let mean = hk.pi.iter().sum::<f64>() / hk.pi.len() as f64;
    let var: f64 = hk.pi.iter().map(|p| (p - mean).powi(2)).sum();
    let err: f64 = hk
        .pi
        .iter()
        .zip(&pred)
        .map(|(p, q)| (p - mean - q).powi(2))
        .sum();
    let r2 = 1.0 - err / var;
    assert!(r2 > MIN_R2, "R^2 of the learned penalties {r2:.3}");
    let warm = held_karp(&inst, &Budget::new(None), None, Some(&pred)).unwrap();
    assert!(warm.warm, "the prediction should beat the zero penalties");
    assert!(
        (warm.bound as f64) >= 0.999 * hk.bound as f64,
        "warm bound {} vs cold {}",
        warm.bound,
        hk.bound
    );
    let budget = Budget::new(Some(std::time::Duration::from_secs(2)));
    let opts = BqOptions {
        threads: 1,
        ..Default::default()
    };
    let r = solve_tsp_pi(&inst, &budget, &NoObserver, &opts).unwrap();
    let msg = r.message.clone().unwrap();
    assert!(msg.starts_with("learned penalties in"), "{msg}");
    assert!(msg.contains("ascent from the given penalties"), "{msg}");
    let rep = check(&inst, r.solution.as_ref().unwrap());
    assert!(rep.is_feasible(), "{rep:?}");
    assert!(r.bound.unwrap() <= rep.objective);
    let mut explicit = uniform(30, 4);
    let n = explicit.n();
    let matrix: Vec<i64> = (0..n * n).map(|k| explicit.dist(k / n, k % n)).collect();
    explicit.weights = quotient_problems::tsp::Weights::Matrix { n, matrix };
    let r = solve_tsp_pi(&explicit, &budget, &NoObserver, &opts).unwrap();
    assert!(r.message.unwrap().starts_with("learned penalties not used"));
    assert!(check(&explicit, &r.solution.unwrap()).is_feasible());
}

/// A cancel stops a long heatmap run inside ONNX Runtime (its run options' terminate flag):
/// set before the run, nothing runs; set while a 30 000-node heatmap runs, the run returns
/// `Stopped` soon after, far earlier than the whole run takes.
#[test]
fn a_cancel_terminates_a_running_heatmap() {
    use quotient_neural::heatmap::{HEATMAP_MODEL, heatmap, heatmap_until};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    let Some(model) = model_or_skip(HEATMAP_MODEL) else {
        return;
    };
    let inst = uniform(30_000, 3);
    let set = AtomicBool::new(true);
    let e = heatmap_until(&model, &inst, Some(&set)).unwrap_err();
    assert_eq!(e.code(), "neural.stopped", "{e}");
    let t = Instant::now();
    let whole = heatmap(&model, &inst).unwrap();
    let full = t.elapsed();
    assert_eq!(whole.len(), inst.n());
    let cancel = AtomicBool::new(false);
    let (r, latency) = std::thread::scope(|s| {
        let at = s.spawn(|| {
            std::thread::sleep(full / 4);
            cancel.store(true, Ordering::SeqCst);
            Instant::now()
        });
        let r = heatmap_until(&model, &inst, Some(&cancel));
        let end = Instant::now();
        (r, end.saturating_duration_since(at.join().unwrap()))
    });
    eprintln!("heatmap of 30 000 nodes: {full:?} whole; stopped {latency:?} after the cancel");
    match r {
        Err(e) => assert_eq!(e.code(), "neural.stopped", "{e}"),
        // The graph build took the time before the model ran: nothing to stop.
        Ok(rows) => assert_eq!(rows.len(), inst.n()),
    }
    assert!(
        latency < Duration::from_millis(250).max(full / 2),
        "{latency:?} after the cancel (whole run {full:?})"
    );
}

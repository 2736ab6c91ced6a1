//! The neural solvers: `tsp.bq` / `cvrp.bq` (a BQ policy alone: greedy, beam search or
//! sampling), `tsp.bq+ils` / `cvrp.bq+ils` (the policy's solution as the start of `tsp.ils` /
//! `cvrp.sisr` for the rest of the time limit), `tsp.heat+ils` (`tsp.ils` on candidate lists
//! chosen by the GNN edge heatmap), `tsp.pi+ils` (`tsp.ils` whose Held–Karp ascent starts from
//! the learned penalties, [`crate::pi`]) and the job-shop graph policies.

use crate::NeuralError;
use crate::decode::{DecodeOptions, Decoded, Decoder, Mdp};
use crate::runtime::{self, Model};
use crate::{blocking, cvrp, heatmap, jssp, pi, tsp};
use quotient_problems::any::AnySolution;
use quotient_problems::any::Family;
use quotient_problems::cvrp::{CvrpInstance, CvrpSolution};
use quotient_problems::jssp::{JsspInstance, JsspSolution};
use quotient_problems::tsp::{TspInstance, TspSolution};
use quotient_solvers::cvrp::savings::{infeasibility_reason, solution_cost};
use quotient_solvers::cvrp::sisr::{self, SisrOptions};
use quotient_solvers::engine::{Budget, Improvement, Observer, SolveResult, Status};
use quotient_solvers::jssp::dispatch::{ALL_RULES, schedule_until};
use quotient_solvers::jssp::graph::{Problem, Schedule};
use quotient_solvers::jssp::moves::Move;
use quotient_solvers::jssp::tabu::{self, MovePolicy, TabuOptions};
use quotient_solvers::registry::{
    self, AnyResult, ParamSpec, RunContext, RunError, Solver, SolverInfo, SolverKind, lift,
};
use quotient_solvers::tsp::CandidateOrder;
use quotient_solvers::tsp::ils::{self, IlsOptions};
use quotient_solvers::tsp::nearest::tour_cost;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The registry name of the TSP BQ model.
pub const TSP_BQ_MODEL: &str = "tsp_bq";

/// The registry name of the CVRP BQ model.
pub const CVRP_BQ_MODEL: &str = "cvrp_bq";

/// Beam width of a BQ policy's decoding (absent or 1: greedy).
pub const BEAM: ParamSpec = ParamSpec {
    name: "beam",
    description: "beam width of the policy's decoding (absent or 1: greedy)",
    min: 1,
    max: 1024,
    default: None,
};

/// Solutions sampled from a BQ policy, the best kept (absent: greedy or beam decoding).
pub const SAMPLES: ParamSpec = ParamSpec {
    name: "samples",
    description: "solutions sampled from the policy, the best kept (absent: greedy or beam)",
    min: 1,
    max: 4096,
    default: None,
};

/// Improvement steps of `jssp.l2s`.
pub const STEPS: ParamSpec = ParamSpec {
    name: "steps",
    description: "improvement steps",
    min: 1,
    max: 100_000_000,
    default: Some(DEFAULT_L2S_STEPS),
};

/// A neural failure as a run error: the instance is outside what the policy handles, or the
/// runtime / a model is not usable here.
fn run_error(e: NeuralError) -> RunError {
    match e {
        NeuralError::Unsupported(reason) => RunError::Unsupported(reason),
        e => RunError::Unavailable {
            reason: e.to_string(),
            code: e.code(),
        },
    }
}

/// Whether every model of `models` can run here.
fn models_available(models: &[&str]) -> Result<(), RunError> {
    all_available(models).map_err(run_error)
}

fn tsp_bq_available() -> Result<(), RunError> {
    models_available(&[TSP_BQ_MODEL])
}

fn cvrp_bq_available() -> Result<(), RunError> {
    models_available(&[CVRP_BQ_MODEL])
}

fn heatmap_available() -> Result<(), RunError> {
    models_available(&[heatmap::HEATMAP_MODEL])
}

fn pi_available() -> Result<(), RunError> {
    models_available(&[pi::PI_MODEL])
}

fn dispatch_available() -> Result<(), RunError> {
    models_available(&[jssp::DISPATCH_MODEL])
}

fn improve_available() -> Result<(), RunError> {
    models_available(&[jssp::IMPROVE_MODEL])
}

fn dispatch_and_improve_available() -> Result<(), RunError> {
    models_available(&[jssp::DISPATCH_MODEL, jssp::IMPROVE_MODEL])
}

/// The neural solvers' options from a run's context (seed, threads, warm start, parameters).
pub fn bq_options(cx: &RunContext<'_>) -> BqOptions {
    let count = |spec: &ParamSpec| {
        cx.params
            .get(spec)
            .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
    };
    BqOptions {
        beam: count(&BEAM),
        samples: count(&SAMPLES),
        seed: cx.seed,
        threads: cx.threads,
        steps: cx.params.get(&STEPS),
        initial: cx.initial.and_then(AnySolution::as_jssp).cloned(),
        policy_rate: None,
    }
}

fn run_tsp_bq(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_tsp(
        registry::tsp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
        false,
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Tsp))
}

fn run_tsp_bq_ils(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_tsp(
        registry::tsp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
        true,
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Tsp))
}

fn run_tsp_heat_ils(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_tsp_heat(
        registry::tsp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Tsp))
}

fn run_tsp_pi_ils(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_tsp_pi(
        registry::tsp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Tsp))
}

fn run_cvrp_bq(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_cvrp(
        registry::cvrp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
        false,
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Cvrp))
}

fn run_cvrp_bq_ils(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_cvrp(
        registry::cvrp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
        true,
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Cvrp))
}

fn run_jssp(cx: &RunContext<'_>, policy: JsspPolicy) -> Result<AnyResult, RunError> {
    let r = solve_jssp(
        policy,
        registry::jssp_instance(cx)?,
        cx.budget,
        cx.observer,
        &bq_options(cx),
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Jssp))
}

fn run_jssp_gnn(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    run_jssp(cx, JsspPolicy::Dispatch)
}

fn run_jssp_l2s(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    run_jssp(cx, JsspPolicy::Improve)
}

fn run_jssp_gnn_tabu(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    run_jssp(cx, JsspPolicy::DispatchThenTabu)
}

fn blocking_available() -> Result<(), RunError> {
    models_available(&[blocking::MODEL])
}

fn run_jssp_blocking_gnn(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = solve_blocking(
        registry::blocking_jssp_instance(cx)?,
        cx.budget,
        cx.observer,
    );
    Ok(lift(r.map_err(run_error)?, AnySolution::Jssp))
}

/// The neural solvers.
pub const NEURAL: &[Solver] = &[
    Solver {
        info: SolverInfo {
            name: "tsp.bq",
            family: Family::Tsp,
            kind: SolverKind::Neural,
            description: "BQ-MDP transformer policy (ONNX, ort): greedy, --param beam=K beam search, or --param samples=K",
            runs_until_time_limit: false,
            params: &[BEAM, SAMPLES],
        },
        run: run_tsp_bq,
        available: tsp_bq_available,
    },
    Solver {
        info: SolverInfo {
            name: "tsp.bq+ils",
            family: Family::Tsp,
            kind: SolverKind::Neural,
            description: "the BQ policy's tour as the start of tsp.ils for the rest of the time limit",
            runs_until_time_limit: true,
            params: &[BEAM, SAMPLES],
        },
        run: run_tsp_bq_ils,
        available: tsp_bq_available,
    },
    Solver {
        info: SolverInfo {
            name: "tsp.heat+ils",
            family: Family::Tsp,
            kind: SolverKind::Neural,
            description: "tsp.ils with candidate lists chosen by the GNN edge heatmap (gated GCN on the 16-nearest graph, ONNX, ort)",
            runs_until_time_limit: true,
            params: &[],
        },
        run: run_tsp_heat_ils,
        available: heatmap_available,
    },
    Solver {
        info: SolverInfo {
            name: "tsp.pi+ils",
            family: Family::Tsp,
            kind: SolverKind::Neural,
            description: "tsp.ils whose Held-Karp ascent starts from node penalties predicted by a GNN (the learned ascent, NeuroLKH-style; ONNX, ort)",
            runs_until_time_limit: true,
            params: &[],
        },
        run: run_tsp_pi_ils,
        available: pi_available,
    },
    Solver {
        info: SolverInfo {
            name: "cvrp.bq",
            family: Family::Cvrp,
            kind: SolverKind::Neural,
            description: "BQ-MDP transformer policy (ONNX, ort), next customer directly or via the depot: greedy, --param beam=K, or --param samples=K",
            runs_until_time_limit: false,
            params: &[BEAM, SAMPLES],
        },
        run: run_cvrp_bq,
        available: cvrp_bq_available,
    },
    Solver {
        info: SolverInfo {
            name: "cvrp.bq+ils",
            family: Family::Cvrp,
            kind: SolverKind::Neural,
            description: "the CVRP BQ policy's routes as the start of cvrp.sisr for the rest of the time limit",
            runs_until_time_limit: true,
            params: &[BEAM, SAMPLES],
        },
        run: run_cvrp_bq_ils,
        available: cvrp_bq_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.gnn",
            family: Family::Jssp,
            kind: SolverKind::Neural,
            description: "GNN dispatching policy over the disjunctive graph (L2D style, ONNX, ort), greedy",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_jssp_gnn,
        available: dispatch_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.l2s",
            family: Family::Jssp,
            kind: SolverKind::Neural,
            description: "GNN improvement policy (L2S style) choosing a critical-block move per step from the best dispatching rule; --param steps=N (default 5000)",
            runs_until_time_limit: false,
            params: &[STEPS],
        },
        run: run_jssp_l2s,
        available: improve_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.gnn+tabu",
            family: Family::Jssp,
            kind: SolverKind::Neural,
            description: "jssp.tabu with the GNN dispatching schedule among its starts and the GNN improvement policy choosing some of its moves",
            runs_until_time_limit: true,
            params: &[],
        },
        run: run_jssp_gnn_tabu,
        available: dispatch_and_improve_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.blocking-gnn",
            family: Family::Jssp,
            kind: SolverKind::Neural,
            description: "blocking job shops (variant blocking/swap/iswap): GNN dispatching policy over the disjunctive graph (ONNX, ort) choosing the job the feasible timetabling decoder inserts next, greedy; trained by imitation of jssp.blocking",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_jssp_blocking_gnn,
        available: blocking_available,
    },
];

/// Whether every model of a neural solver can run here.
pub fn all_available(models: &[&str]) -> Result<(), NeuralError> {
    for m in models {
        availability(m)?;
    }
    Ok(())
}

/// Whether a neural solver can run here: the runtime loads and its model is present and intact.
pub fn availability(model: &str) -> Result<Arc<Model>, NeuralError> {
    runtime::runtime_available()?;
    runtime::model(model)
}

/// Options of the neural solvers.
#[derive(Debug, Clone, Default)]
pub struct BqOptions {
    /// Beam width (`None` or 1: greedy).
    pub beam: Option<usize>,
    /// Sampled solutions (`None`: none).
    pub samples: Option<usize>,
    /// Seed of the sampling and of the improvement phase.
    pub seed: u64,
    /// Threads of the improvement phase (`tsp.bq+ils`, `cvrp.bq+ils`, `jssp.gnn+tabu`).
    pub threads: usize,
    /// Improvement steps of `jssp.l2s` (`None`: [`DEFAULT_L2S_STEPS`]).
    pub steps: Option<u64>,
    /// A warm start for `jssp.gnn+tabu`'s tabu search.
    pub initial: Option<JsspSolution>,
    /// Share of `jssp.gnn+tabu`'s iterations whose move the GNN picks (`None`:
    /// [`DEFAULT_POLICY_RATE`]).
    pub policy_rate: Option<f64>,
}

/// Default improvement steps of `jssp.l2s` (L2S's figure is for 5000).
pub const DEFAULT_L2S_STEPS: u64 = 5000;

/// Default share of `jssp.gnn+tabu`'s tabu iterations whose move the GNN picks.
pub const DEFAULT_POLICY_RATE: f64 = 0.005;

fn coords(inst: &TspInstance) -> Result<&[[f64; 2]], NeuralError> {
    if !inst.is_symmetric() {
        return Err(NeuralError::Unsupported(
            "the TSP policy is trained on symmetric Euclidean instances; this one is asymmetric"
                .into(),
        ));
    }
    if !inst.fixed_edges.is_empty() {
        return Err(NeuralError::Unsupported(
            "the TSP policy does not handle FIXED_EDGES_SECTION".into(),
        ));
    }
    inst.coords().ok_or_else(|| {
        NeuralError::Unsupported(
            "the TSP policy needs node coordinates (this instance has explicit weights only)"
                .into(),
        )
    })
}

/// Decode with `dec` as `opts` asks (sampling, beam search or greedy); a description for the
/// solve's message.
fn run_policy<M: Mdp>(
    dec: &Decoder<'_, M>,
    budget: &Budget,
    opts: &BqOptions,
) -> Result<(M::Solution, String), NeuralError> {
    let (d, how): (Decoded<M::Solution>, String) = if let Some(samples) = opts.samples {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        (
            dec.sample(0, budget, &mut rng)?,
            format!("sampling x{samples}"),
        )
    } else if let Some(beam) = opts.beam.filter(|&b| b > 1) {
        (dec.beam(0, budget)?, format!("beam {beam}"))
    } else {
        let mut v = dec.greedy(1, budget)?;
        let d = v
            .pop()
            .ok_or_else(|| NeuralError::Unsupported("nothing was decoded".into()))?;
        (d, "greedy".into())
    };
    let mut msg = format!("{} {how}, {} steps", dec.model.entry.name, d.steps);
    if d.truncated {
        msg.push_str("; the time limit cut decoding short, finished by nearest neighbour");
    }
    Ok((d.solution, msg))
}

fn decode_options(opts: &BqOptions) -> DecodeOptions {
    DecodeOptions {
        beam: opts.beam.unwrap_or(1).max(1),
        samples: opts.samples.unwrap_or(0),
        ..Default::default()
    }
}

/// The TSP policy's tour, or why there is none.
fn policy_tour(
    inst: &TspInstance,
    budget: &Budget,
    opts: &BqOptions,
) -> Result<(Vec<usize>, String), NeuralError> {
    let xy = coords(inst)?;
    let model = availability(TSP_BQ_MODEL)?;
    let dec = tsp::decoder(&model, vec![xy], decode_options(opts));
    run_policy(&dec, budget, opts)
}

/// The CVRP policy's routes, or why there are none.
fn policy_routes(
    inst: &CvrpInstance,
    budget: &Budget,
    opts: &BqOptions,
) -> Result<(Vec<Vec<usize>>, String), NeuralError> {
    if inst.distance_limit.is_some() || inst.service_time.is_some_and(|s| s > 0.0) {
        return Err(NeuralError::Unsupported(
            "the CVRP policy handles capacity only (this instance has a route-length limit or service times)".into(),
        ));
    }
    let xy = inst.coords().ok_or_else(|| {
        NeuralError::Unsupported(
            "the CVRP policy needs node coordinates (this instance has explicit weights only)"
                .into(),
        )
    })?;
    let model = availability(CVRP_BQ_MODEL)?;
    let view = cvrp::CvrpView {
        xy,
        demands: &inst.demands,
        capacity: inst.capacity,
    };
    let dec = cvrp::decoder(&model, vec![view], decode_options(opts));
    run_policy(&dec, budget, opts)
}

/// What follows the policy: nothing (`*.bq`), or a classical solver started from the policy's
/// solution for the rest of the budget (`*.bq+ils`).
type Then<'a, S> = Option<(&'a str, &'a dyn Fn(S) -> SolveResult<S>)>;

/// Report the policy's solution, then hand it to `then` when there is one.
fn policy_result<S>(
    solution: S,
    cost: f64,
    msg: String,
    budget: &Budget,
    observer: &dyn Observer,
    then: Then<'_, S>,
) -> SolveResult<S> {
    observer.improved(&Improvement {
        objective: cost,
        bound: None,
        elapsed: budget.elapsed(),
        source: "bq",
    });
    let Some((name, improve)) = then else {
        let mut r = SolveResult::feasible(solution, cost);
        r.message = Some(msg);
        return r;
    };
    if budget.is_exhausted() {
        // Stopped (cancel or time limit) during the policy: its solution is the answer;
        // nothing more runs after the stop.
        let mut r = SolveResult::feasible(solution, cost);
        r.message = Some(format!("{msg}; stopped before {name}"));
        return r;
    }
    let decode_time = budget.elapsed();
    let mut r = improve(solution);
    r.message = Some(format!(
        "start: {msg} = {cost} in {:.3} s; then {name}: {}",
        decode_time.as_secs_f64(),
        r.message.as_deref().unwrap_or("")
    ));
    r
}

/// `tsp.bq` (the policy alone) or, with `improve`, `tsp.bq+ils` (the policy's tour, then
/// `tsp.ils` from it for the rest of the budget).
pub fn solve_tsp(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &BqOptions,
    improve: bool,
) -> Result<SolveResult<TspSolution>, NeuralError> {
    if inst.n() < 3 {
        let tour: Vec<usize> = (0..inst.n()).collect();
        let cost = tour_cost(inst, &tour) as f64;
        return Ok(SolveResult::feasible(TspSolution { tour }, cost));
    }
    let (tour, msg) = policy_tour(inst, budget, opts)?;
    let cost = tour_cost(inst, &tour) as f64;
    let ils = |start: TspSolution| {
        let iopts = IlsOptions {
            threads: opts.threads,
            seed: opts.seed,
            initial: Some(start),
            ..Default::default()
        };
        ils::solve(inst, budget, observer, &iopts)
    };
    let then: Then<'_, TspSolution> = improve.then_some(("tsp.ils", &ils));
    Ok(policy_result(
        TspSolution { tour },
        cost,
        msg,
        budget,
        observer,
        then,
    ))
}

/// `tsp.heat+ils`: how many of the nearest (distance list) candidates stay in each list
/// before the heatmap picks its own (BENCHMARKS.md "TSP: GNN edge-heatmap candidate lists").
pub const HEAT_KEEP_NEAREST: usize = 0;
/// `tsp.heat+ils`: a kick's first cut is the least-scored tour edge among this many random
/// positions.
pub const HEAT_KICK_TOURNAMENT: usize = 3;

/// `tsp.heat+ils`: the GNN heatmap of the instance (its time counts in the budget) chooses the
/// candidate lists of `tsp.ils`, which runs for the rest of the budget. An instance the heatmap
/// is not built for (ATSP, explicit distances without display coordinates, n < 3) runs on the
/// nearest-neighbour lists, and the message says so; a missing runtime or model is an error.
pub fn solve_tsp_heat(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &BqOptions,
) -> Result<SolveResult<TspSolution>, NeuralError> {
    let model = availability(heatmap::HEATMAP_MODEL)?;
    let (candidates, msg) = match heatmap::heatmap_until(&model, inst, Some(budget.cancel_flag())) {
        Ok(rows) => {
            let msg = format!(
                "heatmap of {} edges in {:.3} s",
                rows.iter().map(Vec::len).sum::<usize>() / 2,
                budget.elapsed().as_secs_f64()
            );
            (
                CandidateOrder::Heatmap {
                    rows: Arc::new(rows),
                    keep: HEAT_KEEP_NEAREST,
                },
                msg,
            )
        }
        Err(NeuralError::Unsupported(why)) => (
            CandidateOrder::Distance,
            format!("heatmap not used ({why}): nearest-neighbour lists"),
        ),
        // Cancelled while the model ran: the search (which sees the cancel at once) returns its
        // first tour.
        Err(NeuralError::Stopped { .. }) => (
            CandidateOrder::Distance,
            "heatmap stopped by the cancel: nearest-neighbour lists".to_string(),
        ),
        Err(e) => return Err(e),
    };
    let iopts = IlsOptions {
        candidates,
        kick_tournament: Some(HEAT_KICK_TOURNAMENT),
        ..Default::default()
    };
    Ok(ils_after(inst, budget, observer, opts, iopts, &msg))
}

/// `tsp.ils` with `iopts` (its threads and seed from `opts`) after a model's step that `msg`
/// describes, which starts the message.
fn ils_after(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &BqOptions,
    iopts: IlsOptions,
    msg: &str,
) -> SolveResult<TspSolution> {
    let iopts = IlsOptions {
        threads: opts.threads,
        seed: opts.seed,
        ..iopts
    };
    let mut r = ils::solve(inst, budget, observer, &iopts);
    r.message = Some(format!(
        "{msg}; then tsp.ils: {}",
        r.message.as_deref().unwrap_or("")
    ));
    r
}

/// `tsp.pi+ils`: the learned ascent's penalties of the instance (their time counts in the
/// budget) start the Held–Karp ascent of `tsp.ils`, which runs for the rest of the budget with
/// its own defaults (the ascent runs where its size rule says; where it does not, or where the
/// prediction is no better than zero, the message says so). An instance the model is not built
/// for (ATSP, explicit distances without coordinates, n < 3) runs `tsp.ils` as it is; a missing
/// runtime or model is an error.
pub fn solve_tsp_pi(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &BqOptions,
) -> Result<SolveResult<TspSolution>, NeuralError> {
    let model = availability(pi::PI_MODEL)?;
    let (start, msg) = match pi::predict_penalties(&model, inst, Some(budget.cancel_flag())) {
        Ok(p) => (
            Some(Arc::new(p)),
            format!(
                "learned penalties in {:.3} s",
                budget.elapsed().as_secs_f64()
            ),
        ),
        Err(NeuralError::Unsupported(why)) => (None, format!("learned penalties not used ({why})")),
        Err(NeuralError::Stopped { .. }) => {
            (None, "learned penalties stopped by the cancel".to_string())
        }
        Err(e) => return Err(e),
    };
    let iopts = IlsOptions {
        ascent_start: start,
        ..Default::default()
    };
    Ok(ils_after(inst, budget, observer, opts, iopts, &msg))
}

/// `cvrp.bq` (the policy alone) or, with `improve`, `cvrp.bq+ils` (the policy's routes, then
/// `cvrp.sisr` from them for the rest of the budget).
pub fn solve_cvrp(
    inst: &CvrpInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &BqOptions,
    improve: bool,
) -> Result<SolveResult<CvrpSolution>, NeuralError> {
    if let Some(reason) = infeasibility_reason(inst) {
        return Ok(SolveResult::infeasible(reason));
    }
    let (routes, msg) = policy_routes(inst, budget, opts)?;
    let cost = solution_cost(inst, &routes);
    let sisr = |start: CvrpSolution| {
        let sopts = SisrOptions {
            threads: opts.threads,
            seed: opts.seed,
            initial: Some(start),
            ..Default::default()
        };
        sisr::solve(inst, budget, observer, &sopts)
    };
    let then: Then<'_, CvrpSolution> = improve.then_some(("cvrp.sisr", &sisr));
    Ok(policy_result(
        CvrpSolution { routes },
        cost,
        msg,
        budget,
        observer,
        then,
    ))
}

/// The improvement policy as the tabu search's [`MovePolicy`]; a model failure leaves the
/// choice to the estimate.
#[derive(Debug)]
struct GnnMoves(Arc<Model>);

impl MovePolicy for GnnMoves {
    fn choose(&self, p: &Problem, sch: &Schedule, moves: &[Move]) -> Option<usize> {
        jssp::policy_move(&self.0, p, sch, moves).ok()
    }
}

/// Which job-shop graph policy runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsspPolicy {
    /// `jssp.gnn`: the GNN dispatching policy, greedy.
    Dispatch,
    /// `jssp.l2s`: the GNN improvement policy from the best dispatching rule.
    Improve,
    /// `jssp.gnn+tabu`: the dispatching schedule among `jssp.tabu`'s starts, the improvement
    /// policy choosing some of its moves.
    DispatchThenTabu,
}

/// The job-shop graph-policy solvers: `jssp.gnn`, `jssp.l2s`, `jssp.gnn+tabu`.
pub fn solve_jssp(
    policy: JsspPolicy,
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &BqOptions,
) -> Result<SolveResult<JsspSolution>, NeuralError> {
    let p = Problem::new(inst).map_err(NeuralError::Unsupported)?;
    if p.dur.iter().any(|&d| d < 0) {
        return Err(NeuralError::Unsupported(
            "the job-shop policies need non-negative durations".into(),
        ));
    }
    let lb = inst.trivial_lower_bound();
    let report = |start: &[i64], cmax: i64, source: &'static str, msg: String| {
        observer.improved(&Improvement {
            objective: cmax as f64,
            bound: Some(lb as f64),
            elapsed: budget.elapsed(),
            source,
        });
        let mut r = SolveResult::feasible(p.starts_from_heads(start), cmax as f64);
        r.bound = Some(lb as f64);
        if cmax <= lb {
            r.status = Status::Optimal;
        }
        r.message = Some(msg);
        r
    };
    match policy {
        JsspPolicy::Dispatch | JsspPolicy::DispatchThenTabu => {
            let model = availability(jssp::DISPATCH_MODEL)?;
            // Before the tabu search, the dispatching policy gets a tenth of the time limit
            // (then the rest is placed earliest start first).
            let share = budget
                .time_limit()
                .filter(|_| policy == JsspPolicy::DispatchThenTabu)
                .map(|t| {
                    Budget::new(Some(t.mul_f64(0.1))).with_cancel(budget.cancel_flag().clone())
                });
            let (d, cut) = jssp::gnn_dispatch(&model, &p, share.as_ref().unwrap_or(budget))?;
            let mut msg = format!("{} greedy dispatching", model.entry.name);
            if cut {
                msg.push_str("; the time limit cut it short, finished earliest start first");
            }
            let r = report(d.starts(), d.makespan(), "gnn", msg.clone());
            if policy == JsspPolicy::Dispatch {
                return Ok(r);
            }
            if budget.is_exhausted() {
                // Stopped during the dispatching policy: nothing more runs after the stop.
                let mut r = r;
                r.message = Some(format!("{msg}; stopped before jssp.tabu"));
                return Ok(r);
            }
            let improve = availability(jssp::IMPROVE_MODEL)?;
            let topts = TabuOptions {
                threads: opts.threads,
                seed: opts.seed,
                initial: opts.initial.clone(),
                extra_starts: r.solution.into_iter().collect(),
                policy: Some(Arc::new(GnnMoves(improve))),
                policy_rate: opts.policy_rate.unwrap_or(DEFAULT_POLICY_RATE),
                ..Default::default()
            };
            let decode_time = budget.elapsed();
            let mut t = tabu::solve(inst, budget, observer, &topts);
            t.message = Some(format!(
                "GNN start: {msg} = {} in {:.3} s; then jssp.tabu from the best start with the GNN choosing {:.1} % of the moves{}",
                d.makespan(),
                decode_time.as_secs_f64(),
                100.0 * topts.policy_rate,
                t.message.map(|m| format!(": {m}")).unwrap_or_default()
            ));
            Ok(t)
        }
        JsspPolicy::Improve => {
            let model = availability(jssp::IMPROVE_MODEL)?;
            // The best dispatching rule; after a stop (cancel or deadline) the rule in
            // flight is abandoned once one schedule is complete.
            let mut start: Option<Schedule> = None;
            for rule in ALL_RULES {
                let first = start.is_none();
                let stop = || !first && budget.is_exhausted();
                let Some((sol, _)) = schedule_until(inst, rule, &stop) else {
                    break;
                };
                if let Some(s) = p
                    .seqs_from_starts(&sol)
                    .and_then(|seqs| Schedule::from_seqs(&p, seqs))
                    && start.as_ref().is_none_or(|b| s.cmax < b.cmax)
                {
                    start = Some(s);
                }
            }
            let start =
                start.ok_or_else(|| NeuralError::Unsupported("no start schedule".into()))?;
            let c0 = start.cmax;
            let steps = opts.steps.unwrap_or(DEFAULT_L2S_STEPS);
            let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
            let (best, stats) =
                jssp::improve(&p, start, steps, lb, budget, &mut rng, |sch, mv| {
                    jssp::policy_move(&model, &p, sch, mv)
                })?;
            let msg = format!(
                "{} from the best dispatching rule ({c0}): {} steps{}{}",
                model.entry.name,
                stats.steps,
                if stats.steps < steps && !stats.exhausted {
                    " (the time limit came first)"
                } else {
                    ""
                },
                if stats.escapes > 0 {
                    format!(", {} cycle escapes", stats.escapes)
                } else {
                    String::new()
                }
            );
            Ok(report(&best.head, best.cmax, "l2s", msg))
        }
    }
}

/// `jssp.blocking-gnn`: the blocking job shops' GNN dispatching policy, greedy
/// ([`blocking::gnn_build`]); every schedule comes from the timetabling decoder, feasible for
/// the instance's variant.
pub fn solve_blocking(
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
) -> Result<SolveResult<JsspSolution>, NeuralError> {
    if !inst.variant.is_blocking() {
        return Err(NeuralError::Unsupported(
            "jssp.blocking-gnn schedules the blocking variants (blocking, swap, iswap)".into(),
        ));
    }
    let p = quotient_solvers::jssp::blocking::timetable::Problem::new(inst)
        .map_err(NeuralError::Unsupported)?;
    let model = availability(blocking::MODEL)?;
    let (b, cut) = blocking::gnn_build(&model, &p, budget)?;
    let cmax = b.makespan();
    observer.improved(&Improvement {
        objective: cmax as f64,
        bound: Some(p.lb as f64),
        elapsed: budget.elapsed(),
        source: "gnn",
    });
    let mut r = SolveResult::feasible(b.timetable().to_solution(), cmax as f64);
    r.bound = Some(p.lb as f64);
    if cmax <= p.lb {
        r.status = Status::Optimal;
    }
    let mut msg = format!("{} greedy job order", model.entry.name);
    if cut {
        msg.push_str("; the time limit cut it short, the rest inserted most work first");
    }
    r.message = Some(msg);
    Ok(r)
}

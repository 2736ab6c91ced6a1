//! Every classical solver quotient has, one [`Solver`] value each: its info (name, typed
//! family, kind, description, whether it improves until its time limit, its own parameters)
//! and its run function; and the `auto` choice. The neural crate lists its solvers the same
//! way, and `quotient-core` chains both lists into the one registry that the router, the CLI
//! and the REST service read.

use crate::engine::{Budget, Observer, SolveResult};
use crate::{cvrp, fjsp, jssp, milp, tsp};
use quotient_problems::any::{AnyInstance, AnySolution, Family};
use quotient_problems::cvrp::CvrpInstance;
use quotient_problems::fjsp::FjspInstance;
use quotient_problems::jssp::JsspInstance;
use quotient_problems::milp::MilpInstance;
use quotient_problems::tsp::TspInstance;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverKind {
    Exact,
    Heuristic,
    Neural,
}

/// What a solver is: its name, family, kind and description, whether it improves until its
/// time limit (such a solver gets a default limit when none is given), and its own parameters.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SolverInfo {
    pub name: &'static str,
    pub family: Family,
    pub kind: SolverKind,
    pub description: &'static str,
    #[serde(skip)]
    pub runs_until_time_limit: bool,
    /// The parameters this solver takes (`--param name=value`, `"params": {...}`).
    #[serde(skip)]
    pub params: &'static [ParamSpec],
}

/// One of a solver's own parameters, an integer: its name, meaning, range and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParamSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub min: u64,
    pub max: u64,
    /// The value the solver uses when none is given; `None`: the parameter is off (e.g. no
    /// beam search: greedy decoding).
    pub default: Option<u64>,
}

impl ParamSpec {
    /// `value` as this parameter's value, or why not (for an error message).
    pub fn parse(&self, value: &str) -> Result<u64, String> {
        let v: u64 = value
            .trim()
            .parse()
            .map_err(|_| format!("{}: `{value}` is not a non-negative integer", self.name))?;
        if !(self.min..=self.max).contains(&v) {
            return Err(format!(
                "{}: {v} is outside {}..={}",
                self.name, self.min, self.max
            ));
        }
        Ok(v)
    }
}

/// Why the parameters given for a solver are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("solver `{solver}` has no parameter `{name}` ({})", takes(known))]
    Unknown {
        solver: &'static str,
        name: String,
        known: Vec<&'static str>,
    },
    #[error("`{name}` is given twice")]
    Repeated { name: String },
    #[error("{reason}")]
    Invalid { name: &'static str, reason: String },
}

impl ParamError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ParamError::Unknown { .. } => "param.unknown",
            ParamError::Repeated { .. } => "param.repeated",
            ParamError::Invalid { .. } => "param.invalid",
        }
    }
}

fn takes(known: &[&str]) -> String {
    if known.is_empty() {
        "it takes none".to_string()
    } else {
        format!("it takes {}", known.join(", "))
    }
}

/// A solver's parameters after validation: the values given, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamValues(Vec<(&'static str, u64)>);

impl ParamValues {
    /// The value of `spec`: the one given, else its default.
    pub fn get(&self, spec: &ParamSpec) -> Option<u64> {
        self.0
            .iter()
            .find(|(n, _)| *n == spec.name)
            .map(|&(_, v)| v)
            .or(spec.default)
    }

    /// The values given, by name, in the order given.
    pub fn given(&self) -> &[(&'static str, u64)] {
        &self.0
    }
}

impl SolverInfo {
    /// Check `given` (`(name, value text)` pairs) against this solver's parameters: each name
    /// known, given once, its value in range.
    pub fn parse_params(&self, given: &[(String, String)]) -> Result<ParamValues, ParamError> {
        let mut values = Vec::with_capacity(given.len());
        for (i, (name, value)) in given.iter().enumerate() {
            let Some(spec) = self.params.iter().find(|s| s.name == name) else {
                return Err(ParamError::Unknown {
                    solver: self.name,
                    name: name.clone(),
                    known: self.params.iter().map(|s| s.name).collect(),
                });
            };
            if given[..i].iter().any(|(n, _)| n == name) {
                return Err(ParamError::Repeated { name: name.clone() });
            }
            let v = spec.parse(value).map_err(|reason| ParamError::Invalid {
                name: spec.name,
                reason,
            })?;
            values.push((spec.name, v));
        }
        Ok(ParamValues(values))
    }
}

/// Everything one run of a solver gets, resolved by the facade (`quotient-core`).
pub struct RunContext<'a> {
    pub instance: &'a AnyInstance,
    pub budget: &'a Budget,
    pub observer: &'a dyn Observer,
    pub seed: u64,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// A warm start (of any family: a solver takes the one of its own).
    pub initial: Option<&'a AnySolution>,
    /// The solver's own parameters, validated against its [`SolverInfo::params`].
    pub params: &'a ParamValues,
    /// Where sub-problems may be handed to other workers (a job of a durable store), if
    /// anywhere: see [`crate::farm`].
    pub farm: Option<&'a dyn crate::farm::Farm>,
}

impl std::fmt::Debug for RunContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunContext")
            .field("instance", &self.instance.name())
            .field("budget", self.budget)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .field("initial", &self.initial.is_some())
            .field("params", self.params)
            .field("farm", &self.farm.is_some())
            .finish_non_exhaustive()
    }
}

/// Why a solver did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// The instance is outside what the solver handles.
    #[error("{0}")]
    Unsupported(String),
    /// Something the solver needs is missing here (the ONNX Runtime library, a model).
    #[error("{reason}")]
    Unavailable {
        reason: String,
        /// The code of the underlying error (`neural.runtime_missing`, ...).
        code: &'static str,
    },
}

impl RunError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RunError::Unsupported(_) => "run.unsupported",
            RunError::Unavailable { code, .. } => code,
        }
    }
}

/// A solver's result, its solution wrapped for any family.
pub type AnyResult = SolveResult<AnySolution>;

/// Runs a solver.
pub type RunFn = fn(&RunContext<'_>) -> Result<AnyResult, RunError>;

/// Whether a solver can run on this machine (classical ones always can).
pub type AvailableFn = fn() -> Result<(), RunError>;

/// One solver: what it is, and how to run it.
#[derive(Debug, Clone, Copy)]
pub struct Solver {
    pub info: SolverInfo,
    pub run: RunFn,
    pub available: AvailableFn,
}

/// For the solvers that need nothing beyond the binary.
pub fn always_available() -> Result<(), RunError> {
    Ok(())
}

/// `r` with its solution wrapped by `wrap`.
pub fn lift<S>(r: SolveResult<S>, wrap: fn(S) -> AnySolution) -> AnyResult {
    SolveResult {
        status: r.status,
        solution: r.solution.map(wrap),
        objective: r.objective,
        bound: r.bound,
        message: r.message,
    }
}

/// The error of a run function given an instance of another family (the facade checks the
/// family first, so this is a bug guard, not a user error).
fn wrong_family(cx: &RunContext<'_>, want: Family) -> RunError {
    RunError::Unsupported(format!(
        "a {want} solver cannot run a {} instance",
        cx.instance.family()
    ))
}

/// The TSP instance of `cx`.
pub fn tsp_instance<'a>(cx: &RunContext<'a>) -> Result<&'a TspInstance, RunError> {
    match cx.instance {
        AnyInstance::Tsp(i) => Ok(i),
        _ => Err(wrong_family(cx, Family::Tsp)),
    }
}

/// The CVRP instance of `cx`.
pub fn cvrp_instance<'a>(cx: &RunContext<'a>) -> Result<&'a CvrpInstance, RunError> {
    match cx.instance {
        AnyInstance::Cvrp(i) => Ok(i),
        _ => Err(wrong_family(cx, Family::Cvrp)),
    }
}

/// The JSSP instance of `cx`, classic job shop only: the solvers that call this schedule with
/// unlimited buffers, so a blocking variant is refused (`run.unsupported`, naming the blocking
/// solvers).
pub fn jssp_instance<'a>(cx: &RunContext<'a>) -> Result<&'a JsspInstance, RunError> {
    match cx.instance {
        AnyInstance::Jssp(i) if i.variant.is_blocking() => Err(RunError::Unsupported(format!(
            "the instance is a blocking job shop (variant {}); use jssp.blocking or jssp.blocking-dispatch",
            i.variant
        ))),
        AnyInstance::Jssp(i) => Ok(i),
        _ => Err(wrong_family(cx, Family::Jssp)),
    }
}

/// The JSSP instance of `cx`, blocking variants only (`run.unsupported` for the classic job
/// shop, naming its solvers).
pub fn blocking_jssp_instance<'a>(cx: &RunContext<'a>) -> Result<&'a JsspInstance, RunError> {
    match cx.instance {
        AnyInstance::Jssp(i) if i.variant.is_blocking() => Ok(i),
        AnyInstance::Jssp(_) => Err(RunError::Unsupported(
            "the instance is a classic job shop (no `variant`); the blocking solvers need variant blocking, swap or iswap; use jssp.tabu".into(),
        )),
        _ => Err(wrong_family(cx, Family::Jssp)),
    }
}

/// The FJSP instance of `cx`.
pub fn fjsp_instance<'a>(cx: &RunContext<'a>) -> Result<&'a FjspInstance, RunError> {
    match cx.instance {
        AnyInstance::Fjsp(i) => Ok(i),
        _ => Err(wrong_family(cx, Family::Fjsp)),
    }
}

/// The MILP instance of `cx`.
pub fn milp_instance<'a>(cx: &RunContext<'a>) -> Result<&'a MilpInstance, RunError> {
    match cx.instance {
        AnyInstance::Milp(i) => Ok(i),
        _ => Err(wrong_family(cx, Family::Milp)),
    }
}

fn run_tsp_ils(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = tsp::ils::IlsOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_tsp).cloned(),
        lk_move: cx.params.get(&TSP_MOVE).map(lk_move),
        first_move: cx.params.get(&TSP_FIRST_MOVE).map(lk_move),
        first_depth: cx.params.get(&TSP_FIRST_DEPTH).map(|d| d as usize),
        alpha: cx.params.get(&TSP_ASCENT).and_then(|a| match a {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }),
        walkers: cx.params.get(&TSP_WALKERS).map(|w| w as usize),
        epochs: cx.params.get(&TSP_EPOCHS).map(|e| e as usize),
        pi_costs: cx.params.get(&TSP_PI_COSTS).map(|c| c == 1),
        start_noise: cx.params.get(&TSP_START_NOISE).map(|p| p as f64 / 100.0),
        trial: cx
            .params
            .get(&TSP_TRIAL)
            .and_then(tsp::ils::TrialStarts::from_level),
        restricted: cx.params.get(&TSP_RESTRICTED).map(|r| r == 1),
        bridges: cx.params.get(&TSP_BRIDGES).map(|b| b == 1),
        delaunay: cx.params.get(&TSP_DELAUNAY).map(|b| b == 1),
        ..Default::default()
    };
    let budget = match cx.params.get(&TSP_KICKS) {
        Some(k) if k > 0 => &cx.budget.clone().with_max_iterations(Some(k)),
        _ => cx.budget,
    };
    let r = tsp::ils::solve(tsp_instance(cx)?, budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Tsp))
}

/// The Lin-Kernighan move of a `move` parameter's value.
fn lk_move(m: u64) -> tsp::ils::LkMove {
    match m {
        1 => tsp::ils::LkMove::TwoOptChain,
        2 => tsp::ils::LkMove::OrThreeOpt,
        3 => tsp::ils::LkMove::FiveOpt,
        _ => tsp::ils::LkMove::ThreeOpt,
    }
}

// The description below says "above 6 000 nodes".
const _: () = assert!(tsp::ils::FIRST_5OPT_MIN_N == 6000);

/// `tsp.ils`'s move in the first descents.
pub const TSP_FIRST_MOVE: ParamSpec = ParamSpec {
    name: "first_move",
    description: "the Lin-Kernighan move of the first descent from each constructed tour (a walker's start, a trial start; the kicks' searches keep `move`), coded as `move`; not given: 3 (5-opt) with alpha-nearness candidates above 6 000 nodes, else `move`",
    min: 0,
    max: 3,
    default: None,
};

/// `tsp.ils`'s chain depth in the first descents.
pub const TSP_FIRST_DEPTH: ParamSpec = ParamSpec {
    name: "first_depth",
    description: "most moves in one chain of the first descent from each constructed tour (LKH's MAX_SWAPS); not given: 30",
    min: 1,
    max: 1_000_000,
    default: None,
};

/// `tsp.ils`'s cap on kicks (what `tsp.dc` gives the sub-problems it hands to other workers).
pub const TSP_KICKS: ParamSpec = ParamSpec {
    name: "kicks",
    description: "stop after this many kicks (0 = no cap: the time limit decides)",
    min: 0,
    max: 1_000_000_000,
    default: Some(0),
};

/// `tsp.ils`'s independent searches merged by partition crossover.
pub const TSP_WALKERS: ParamSpec = ParamSpec {
    name: "walkers",
    description: "searches run by epochs, each epoch's tour merged with the best tour by partition crossover, a search that an epoch did not improve shaken; 0 = one search without epochs; not given: 3 on one thread with alpha-nearness candidates, else 0",
    min: 0,
    max: 64,
    default: None,
};

// The two descriptions below say "above 1 000 nodes".
const _: () = assert!(tsp::ils::LARGE_MIN_N == 1000);

/// `tsp.ils`'s noisy greedy starts of the walkers after the first.
pub const TSP_START_NOISE: ParamSpec = ParamSpec {
    name: "start_noise",
    description: "with walkers and no warm start: the walkers after the first start from greedy tours over the candidate edges ordered by their costs scaled by random factors in [1, 1 + p/100) (0 = every walker from the same greedy tour); not given: 100 above 1 000 nodes, else 0",
    min: 0,
    max: 1000,
    default: None,
};

/// `tsp.ils`'s trial starts of the walkers' epochs.
pub const TSP_TRIAL: ParamSpec = ParamSpec {
    name: "trial",
    description: "with walkers and alpha-nearness candidates (symmetric, no fixed edges): where an epoch starts; 0 = the merged child, a walker that its epoch did not improve after a shake; 1 = such a walker from LKH's trial start instead (a random walk along the best and previous best tours' edges of alpha value zero, joined by random candidate edges); 2 = every epoch after the first from a trial start",
    min: 0,
    max: 2,
    default: Some(0),
};

/// `tsp.ils`'s non-sequential moves.
pub const TSP_BRIDGES: ParamSpec = ParamSpec {
    name: "bridges",
    description: "1 = the first descent of every search and epoch ends with LKH's non-sequential moves (a gainful infeasible 2-opt move joined again by a 2-exchange: non-sequential 4-opt), until none gains; 0 = sequential moves only",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `tsp.ils`'s Delaunay edges in the sparse ascent's graph.
pub const TSP_DELAUNAY: ParamSpec = ParamSpec {
    name: "delaunay",
    description: "with the sparse ascent (coordinate instances over 6 000 nodes): 1 = its graph also holds the Delaunay triangulation's edges (the short links between clusters that no nearest list holds), 0 = nearest + quadrant neighbours and a greedy tour only",
    min: 0,
    max: 1,
    default: Some(1),
};

/// `tsp.ils`'s restricted search in the first descents.
pub const TSP_RESTRICTED: ParamSpec = ParamSpec {
    name: "restricted",
    description: "with alpha-nearness candidates: 1 = LKH's restricted search in the first descent of a search and of a trial start (a chain does not start by removing an edge of the ascent's 1-tree, or of the best tour from a trial start); 0 = every edge may start a chain",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `tsp.ils`'s local search on the ascent's transformed costs.
pub const TSP_PI_COSTS: ParamSpec = ParamSpec {
    name: "pi_costs",
    description: "with alpha-nearness candidates: 1 = the moves are searched on LKH's transformed costs d(a, b) + pi_a + pi_b of the ascent's penalties (the same tours and gains; the gain criterion sees the penalties), 0 = on the costs; not given: 1 above 1 000 nodes, else 0",
    min: 0,
    max: 1,
    default: None,
};

/// `tsp.ils`'s epochs per walker.
pub const TSP_EPOCHS: ParamSpec = ParamSpec {
    name: "epochs",
    description: "with walkers: epochs per walker over the time limit",
    min: 1,
    max: 10_000,
    default: Some(tsp::ils::DEFAULT_EPOCHS as u64),
};

/// `tsp.ils`'s Held-Karp ascent for the alpha-nearness candidates.
pub const TSP_ASCENT: ParamSpec = ParamSpec {
    name: "ascent",
    description: "alpha-nearness candidates from a Held-Karp ascent: 0 = off (distance candidates), 1 = on, 2 = by size (default)",
    min: 0,
    max: 2,
    default: Some(2),
};

/// `tsp.ils`'s Lin-Kernighan move.
pub const TSP_MOVE: ParamSpec = ParamSpec {
    name: "move",
    description: "Lin-Kernighan move: 0 = chains of sequential 3-opt moves (LKH's basic move at depth 3), 1 = 2-opt + Or-opt + chains of 2-opt steps, 2 = 2-opt + Or-opt + 3-opt chains, 3 = chains of sequential 5-opt moves (LKH's basic move)",
    min: 0,
    max: 3,
    default: Some(0),
};

/// `tsp.dc`'s nodes per sub-problem (tour segment).
pub const TSP_DC_SEGMENT: ParamSpec = ParamSpec {
    name: "segment",
    description: "nodes per sub-problem (a tour segment with fixed ends)",
    min: 8,
    max: 1_000_000,
    default: Some(tsp::dc::DEFAULT_SEGMENT as u64),
};

/// `tsp.dc`'s kicks per sub-problem.
pub const TSP_DC_KICKS: ParamSpec = ParamSpec {
    name: "kicks",
    description: "tsp.ils kicks per sub-problem, in percent of its nodes",
    min: 1,
    max: 1_000_000,
    default: Some(tsp::dc::DEFAULT_KICKS_PERCENT),
};

/// `tsp.dc`'s final pass over the whole tour.
pub const TSP_DC_FINAL: ParamSpec = ParamSpec {
    name: "final",
    description: "percent of the time limit kept for tsp.ils on the whole tour at the end",
    min: 0,
    max: 90,
    default: Some(0),
};

/// How `tsp.dc` cuts the instance.
pub const TSP_DC_DIVIDE: ParamSpec = ParamSpec {
    name: "divide",
    description: "sub-problems: 0 = tour segments with fixed ends, 1 = cells of the plane with the outside paths contracted (segments without coordinates or for ATSP), 2 = the two in turn",
    min: 0,
    max: 2,
    default: Some(1),
};

fn run_tsp_dc(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = tsp::dc::DcOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_tsp).cloned(),
        segment: cx.params.get(&TSP_DC_SEGMENT).map(|v| v as usize),
        kicks_percent: cx.params.get(&TSP_DC_KICKS),
        final_percent: cx.params.get(&TSP_DC_FINAL),
        divide: cx
            .params
            .get(&TSP_DC_DIVIDE)
            .and_then(tsp::dc::Divide::from_param)
            .unwrap_or_default(),

        farm: cx.farm,
    };
    let r = tsp::dc::solve(tsp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Tsp))
}

/// `cvrp.dc`'s customers per sub-problem (group of routes).
pub const CVRP_DC_GROUP: ParamSpec = ParamSpec {
    name: "group",
    description: "customers per sub-problem (a group of neighbouring routes)",
    min: 10,
    max: 1_000_000,
    default: Some(cvrp::dc::DEFAULT_GROUP as u64),
};

/// `cvrp.dc`'s temperatures: one schedule over the solve, or a hot start in every round.
pub const CVRP_DC_ANNEAL: ParamSpec = ParamSpec {
    name: "anneal",
    description: "sub-problem temperatures: 0 = one annealing schedule cut into the rounds, 1 = every sub-problem annealed from hot",
    min: 0,
    max: 1,
    default: Some(0),
};

fn run_cvrp_dc(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let anneal = match cx.params.get(&CVRP_DC_ANNEAL) {
        Some(1) => cvrp::dc::Anneal::Restart,
        _ => cvrp::dc::Anneal::Global,
    };
    let opts = cvrp::dc::DcOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_cvrp).cloned(),
        group: cx.params.get(&CVRP_DC_GROUP).map(|v| v as usize),
        sub_iterations: None,
        anneal,
    };
    let r = cvrp::dc::solve(cvrp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Cvrp))
}

fn run_tsp_exact(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = tsp::exact::solve_exact(tsp_instance(cx)?, cx.budget, cx.observer, cx.threads);
    Ok(lift(r, AnySolution::Tsp))
}

fn run_tsp_nn(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = tsp::nearest::solve(tsp_instance(cx)?, cx.budget, cx.observer);
    Ok(lift(r, AnySolution::Tsp))
}

fn run_cvrp_sisr(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = cvrp::sisr::SisrOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_cvrp).cloned(),
        ..Default::default()
    };
    let r = cvrp::sisr::solve(cvrp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Cvrp))
}

fn run_cvrp_savings(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = cvrp::savings::solve(cvrp_instance(cx)?, cx.budget, cx.observer);
    Ok(lift(r, AnySolution::Cvrp))
}

fn run_jssp_tabu(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = jssp::tabu::TabuOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_jssp).cloned(),
        ..Default::default()
    };
    let r = jssp::tabu::solve(jssp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Jssp))
}

fn run_jssp_dispatch(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = jssp::dispatch::solve(jssp_instance(cx)?, cx.budget, cx.observer);
    Ok(lift(r, AnySolution::Jssp))
}

/// `jssp.blocking`'s destructions without improvement that end a phase.
pub const BLOCKING_PHASE: ParamSpec = ParamSpec {
    name: "phase",
    description: "destroy-and-rebuild steps without improvement that end an iterated-greedy phase",
    min: 1,
    max: 10_000_000,
    default: Some(50),
};

fn run_jssp_blocking(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = jssp::blocking::ig::IgOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_jssp).cloned(),
        phase_iters: cx.params.get(&BLOCKING_PHASE),
    };
    let r = jssp::blocking::ig::solve(blocking_jssp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Jssp))
}

fn run_jssp_blocking_dispatch(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = jssp::blocking::dispatch::solve(blocking_jssp_instance(cx)?, cx.budget, cx.observer);
    Ok(lift(r, AnySolution::Jssp))
}

/// `fjsp.tabu`'s iterations without improvement that end a tabu phase.
pub const FJSP_PHASE: ParamSpec = ParamSpec {
    name: "phase",
    description: "iterations without improvement that end a tabu phase",
    min: 10,
    max: 10_000_000,
    default: Some(500),
};

/// `fjsp.tabu`'s smallest tabu tenure.
pub const FJSP_TENURE: ParamSpec = ParamSpec {
    name: "tenure",
    description: "smallest tabu tenure (drawn in [t, 2t]); default: 5 + operations / (2 machines)",
    min: 1,
    max: 100_000,
    default: None,
};

/// `fjsp.tabu`'s hold: how long a moved operation stays tabu as a whole.
pub const FJSP_HOLD: ParamSpec = ParamSpec {
    name: "hold",
    description: "iterations (drawn in [h, 2h]) a moved operation may not move again; 0: off",
    min: 0,
    max: 100_000,
    default: Some(0),
};

/// `fjsp.tabu`'s random moves between phases.
pub const FJSP_KICK: ParamSpec = ParamSpec {
    name: "kick",
    description: "random moves between two tabu phases",
    min: 0,
    max: 1000,
    default: Some(8),
};

fn run_fjsp_tabu(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = fjsp::tabu::TabuOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx.initial.and_then(AnySolution::as_fjsp).cloned(),
        phase_iters: cx.params.get(&FJSP_PHASE),
        kick: cx.params.get(&FJSP_KICK).map(|k| k as usize),
        tenure: cx.params.get(&FJSP_TENURE),
        hold: cx.params.get(&FJSP_HOLD),
    };
    let r = fjsp::tabu::solve(fjsp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Fjsp))
}

fn run_fjsp_dispatch(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let r = fjsp::dispatch::solve(fjsp_instance(cx)?, cx.budget, cx.observer);
    Ok(lift(r, AnySolution::Fjsp))
}

fn run_milp_highs(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let opts = milp::highs::HighsOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx
            .initial
            .and_then(AnySolution::as_milp)
            .map(|s| s.values.clone()),
        ..Default::default()
    };
    let r = milp::highs::solve(milp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Milp))
}

/// `milp.alns`: HiGHS's share of each round of the interleaving, in percent (0: off).
pub const MILP_HIGHS_SHARE: ParamSpec = ParamSpec {
    name: "highs_share",
    description: "percent of each round HiGHS's own search runs on (0: the first HiGHS run ends, the LNS has the rest)",
    min: 0,
    max: 100,
    default: Some(milp::alns::DEFAULT_HIGHS_SHARE as u64),
};

/// `milp.alns`: length of a round of the interleaving, in milliseconds.
pub const MILP_ROUND_MS: ParamSpec = ParamSpec {
    name: "round_ms",
    description: "length of a round of the interleaving in ms (default: four sub-MIP limits)",
    min: 100,
    max: 3_600_000,
    default: None,
};

/// `milp.alns`: time limit of each sub-MIP, in milliseconds.
pub const MILP_SUB_MS: ParamSpec = ParamSpec {
    name: "sub_ms",
    description: "time limit of each sub-MIP in ms (default: a sixtieth of the budget, 1 to 10 s)",
    min: 10,
    max: 3_600_000,
    default: None,
};

/// `milp.alns`: time of the first HiGHS run, in milliseconds.
pub const MILP_FIRST_MS: ParamSpec = ParamSpec {
    name: "first_ms",
    description: "time of the first HiGHS run in ms (default: a tenth of the budget, 1 to 30 s)",
    min: 0,
    max: 3_600_000,
    default: None,
};

/// `milp.alns`: HiGHS's share follows the rewards (1) or stays at `highs_share` (0, the
/// default).
pub const MILP_ADAPT_SHARE: ParamSpec = ParamSpec {
    name: "adapt_share",
    description: "1: HiGHS's share of each round follows each side's rate of closing the gap (20-90 %); 0: fixed at highs_share",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `milp.alns`: the first HiGHS run is not paused before its root node is done, up to this
/// time, in milliseconds.
pub const MILP_ROOT_MS: ParamSpec = ParamSpec {
    name: "root_ms",
    description: "the first HiGHS run goes on past first_ms until its root node is done, at most this long in ms (default: a quarter of the budget; 0: pause at first_ms)",
    min: 0,
    max: 3_600_000,
    default: None,
};

/// `milp.alns`: past `root_ms`, the first HiGHS run goes on while its gap is at least this
/// (percent; 0: off).
pub const MILP_ROOT_GAP: ParamSpec = ParamSpec {
    name: "root_gap",
    description: "past root_ms, the first HiGHS run (its root node not done) goes on while its relative gap to its dual bound is at least this many percent, up to half the budget (default 1000; 0: off)",
    min: 0,
    max: 1_000_000,
    default: Some(1000),
};

/// `milp.alns`: hand the LNS's new bests to the interleaved HiGHS (1, the default) or not (0).
pub const MILP_HAND_IN: ParamSpec = ParamSpec {
    name: "hand_in",
    description: "1: the LNS's new bests are handed to the interleaved HiGHS run; 0: not",
    min: 0,
    max: 1,
    default: Some(1),
};

/// `milp.alns`: play the graph-induced operator too (1) or not (0, the default).
pub const MILP_GRAPH: ParamSpec = ParamSpec {
    name: "graph",
    description: "1: the graph-induced operator (a breadth-first walk over the rows frees a connected part) is played too; 0: not",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `milp.alns`: play the closure operator (1, the default) or not (0).
pub const MILP_CLOSURE: ParamSpec = ParamSpec {
    name: "closure",
    description: "1: the closure operator (random fixing of the variables of several rows; a column singleton is freed with its row) is played; 0: not",
    min: 0,
    max: 1,
    default: Some(1),
};

/// `milp.alns`: play the residual set-packing operator too (1) or not (0, the default).
pub const MILP_PACKING: ParamSpec = ParamSpec {
    name: "packing",
    description: "1: the residual set-packing operator (columns at 1 in rows of positive coefficients on binaries are released in connected groups, and the columns that then fit are freed) is played too; 0: not",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `milp.alns`: play the assignment operator where the model has an assignment structure (1,
/// the default) or not (0).
pub const MILP_ASSIGNMENT: ParamSpec = ParamSpec {
    name: "assignment",
    description: "1: where the model assigns items to resources (rows sum x = 1 or <= 1 over binaries, disjoint, and rows linking them), the assignment operator (a few resource rows, tightest first, are freed and the items using them move between exactly those) is played; 0: not",
    min: 0,
    max: 1,
    default: Some(1),
};

/// `milp.alns`: the LNS's part of a round halves with every 4 sub-MIPs in a row without a new
/// best (1) or stays at `1 - highs_share` (0, the default).
pub const MILP_SHARE_RISE: ParamSpec = ParamSpec {
    name: "share_rise",
    description: "1: with a fixed share, every arm is played twice in turn first, then the LNS's part of each round halves with every k sub-MIPs in a row without a new best (k: twice the LNS's sub-MIPs per new best so far, at least 4; down to 10 %) and is back at 100 - highs_share % at its next new best; 0: fixed",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `milp.alns`: HiGHS's part of a round is at least its share of the time the LNS's part took
/// (1) or its share of the round (0, the default).
pub const MILP_SHARE_BY_USE: ParamSpec = ParamSpec {
    name: "share_by_use",
    description: "1: HiGHS's part of a round is at least its share of the time the LNS's part actually took (a sub-MIP past its limit in HiGHS's presolve); 0: its share of the round",
    min: 0,
    max: 1,
    default: Some(0),
};

/// `milp.alns`: arms per destroy operator (1: at its adaptive centre; 3: three sizes around it).
pub const MILP_SIZES: ParamSpec = ParamSpec {
    name: "sizes",
    description: "arms per destroy operator for the bandit: 1, the operator at its adaptive neighbourhood size; 2 or 3, three sizes 20 % apart around it",
    min: 1,
    max: 3,
    default: Some(1),
};

/// `milp.alns`: the neighbourhood sizes follow the sub-MIPs' outcomes (1, the default) or stay
/// fixed (0).
pub const MILP_ADAPT_SIZES: ParamSpec = ParamSpec {
    name: "adapt_sizes",
    description: "1: the share each fixing operator fixes moves with the sub-MIPs' outcomes (less after one solved to optimality without an improvement, more after one stopped by its limit); 0: fixed at 50/70/90 %",
    min: 0,
    max: 1,
    default: Some(1),
};

fn run_milp_alns(cx: &RunContext<'_>) -> Result<AnyResult, RunError> {
    let ms = |spec: &ParamSpec| cx.params.get(spec).map(Duration::from_millis);
    let opts = milp::alns::AlnsOptions {
        threads: cx.threads,
        seed: cx.seed,
        initial: cx
            .initial
            .and_then(AnySolution::as_milp)
            .map(|s| s.values.clone()),
        highs_share: cx
            .params
            .get(&MILP_HIGHS_SHARE)
            .map_or(milp::alns::DEFAULT_HIGHS_SHARE, |v| v.min(100) as u32),
        round: ms(&MILP_ROUND_MS),
        sub_time: ms(&MILP_SUB_MS),
        initial_time: ms(&MILP_FIRST_MS),
        adapt_share: cx.params.get(&MILP_ADAPT_SHARE).is_some_and(|v| v != 0),
        root_time: ms(&MILP_ROOT_MS),
        root_gap: match cx.params.get(&MILP_ROOT_GAP) {
            None => Some(milp::alns::DEFAULT_ROOT_GAP),
            Some(0) => None,
            Some(v) => Some(v as f64 / 100.0),
        },
        hand_in: cx.params.get(&MILP_HAND_IN).is_none_or(|v| v != 0),
        graph: cx.params.get(&MILP_GRAPH).is_some_and(|v| v != 0),
        closure: cx.params.get(&MILP_CLOSURE).is_none_or(|v| v != 0),
        packing: cx.params.get(&MILP_PACKING).is_some_and(|v| v != 0),
        assignment: cx.params.get(&MILP_ASSIGNMENT).is_none_or(|v| v != 0),
        share_rise: cx.params.get(&MILP_SHARE_RISE).is_some_and(|v| v != 0),
        share_by_use: cx.params.get(&MILP_SHARE_BY_USE).is_some_and(|v| v != 0),
        sizes: cx
            .params
            .get(&MILP_SIZES)
            .map_or(1, |v| if v >= 2 { 3 } else { 1 }),
        adapt_sizes: cx.params.get(&MILP_ADAPT_SIZES).is_none_or(|v| v != 0),
        ..Default::default()
    };
    let r = milp::alns::solve(milp_instance(cx)?, cx.budget, cx.observer, &opts);
    Ok(lift(r, AnySolution::Milp))
}

/// The classical solvers (neural ones are listed by the neural crate).
pub const CLASSICAL: &[Solver] = &[
    Solver {
        info: SolverInfo {
            name: "tsp.ils",
            family: Family::Tsp,
            kind: SolverKind::Heuristic,
            description: "iterated Lin-Kernighan local search (chains of sequential 3-opt moves, segment double-bridge) on the parallel engine",
            runs_until_time_limit: true,
            params: &[
                TSP_MOVE,
                TSP_KICKS,
                TSP_ASCENT,
                TSP_WALKERS,
                TSP_EPOCHS,
                TSP_PI_COSTS,
                TSP_START_NOISE,
                TSP_TRIAL,
                TSP_RESTRICTED,
                TSP_BRIDGES,
                TSP_DELAUNAY,
                TSP_FIRST_MOVE,
                TSP_FIRST_DEPTH,
            ],
        },
        run: run_tsp_ils,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "tsp.exact",
            family: Family::Tsp,
            kind: SolverKind::Exact,
            description: "HiGHS with lazily added subtour elimination constraints; proves optimality for small n",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_tsp_exact,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "cvrp.sisr",
            family: Family::Cvrp,
            kind: SolverKind::Heuristic,
            description: "SISR ruin-and-recreate with annealing plus granular local search, on the parallel engine",
            runs_until_time_limit: true,
            params: &[],
        },
        run: run_cvrp_sisr,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.tabu",
            family: Family::Jssp,
            kind: SolverKind::Heuristic,
            description: "tabu search with N5/N7 neighbourhoods on the disjunctive graph, on the parallel engine",
            runs_until_time_limit: true,
            params: &[],
        },
        run: run_jssp_tabu,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.blocking",
            family: Family::Jssp,
            kind: SolverKind::Heuristic,
            description: "blocking job shops (variant blocking/swap/iswap): iterated greedy over job orders, each decoded by job-by-job timetabling that keeps blocking (and, without swaps, swap-freedom) feasible, on the parallel engine",
            runs_until_time_limit: true,
            params: &[BLOCKING_PHASE],
        },
        run: run_jssp_blocking,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "fjsp.tabu",
            family: Family::Fjsp,
            kind: SolverKind::Heuristic,
            description: "tabu search over machine reassignment and N5/N7-style reinsertion of critical operations, exact move evaluation, on the parallel engine",
            runs_until_time_limit: true,
            params: &[FJSP_PHASE, FJSP_TENURE, FJSP_HOLD, FJSP_KICK],
        },
        run: run_fjsp_tabu,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "tsp.dc",
            family: Family::Tsp,
            kind: SolverKind::Heuristic,
            description: "divide and conquer for large TSPs: tour segments with fixed ends (shifted each round) improved by tsp.ils in parallel",
            runs_until_time_limit: true,
            params: &[TSP_DC_SEGMENT, TSP_DC_KICKS, TSP_DC_FINAL, TSP_DC_DIVIDE],
        },
        run: run_tsp_dc,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "cvrp.dc",
            family: Family::Cvrp,
            kind: SolverKind::Heuristic,
            description: "divide and conquer for large CVRPs: sector savings, then groups of neighbouring routes (shifted each round) improved by cvrp.sisr in parallel",
            runs_until_time_limit: true,
            params: &[CVRP_DC_GROUP, CVRP_DC_ANNEAL],
        },
        run: run_cvrp_dc,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "tsp.nn",
            family: Family::Tsp,
            kind: SolverKind::Heuristic,
            description: "nearest-neighbour construction (TSP and ATSP)",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_tsp_nn,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "cvrp.savings",
            family: Family::Cvrp,
            kind: SolverKind::Heuristic,
            description: "Clarke-Wright parallel savings with capacity and route-length limits",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_cvrp_savings,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.dispatch",
            family: Family::Jssp,
            kind: SolverKind::Heuristic,
            description: "Giffler-Thompson active schedules with SPT/MWKR/MOR/FIFO/FDD-MWKR rules, best kept",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_jssp_dispatch,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "jssp.blocking-dispatch",
            family: Family::Jssp,
            kind: SolverKind::Heuristic,
            description: "blocking job shops: job orders by FIFO/SPT/MWKR/greedy-ECT/NEH/random decoded by feasible timetabling, and FIFO/SPT/LPT/MWKR/MOR/random event simulation with swaps (the ISBJSSP paper's rules), best kept",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_jssp_blocking_dispatch,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "fjsp.dispatch",
            family: Family::Fjsp,
            kind: SolverKind::Heuristic,
            description: "dispatching constructions (ECT, MWKR, MOPNR, EST/SPT, MWKR-ECT) over eligible machines, best kept",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_fjsp_dispatch,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "milp.highs",
            family: Family::Milp,
            kind: SolverKind::Exact,
            description: "HiGHS branch-and-cut (proves optimality; gap 1e-6)",
            runs_until_time_limit: false,
            params: &[],
        },
        run: run_milp_highs,
        available: always_available,
    },
    Solver {
        info: SolverInfo {
            name: "milp.alns",
            family: Family::Milp,
            kind: SolverKind::Heuristic,
            description: "Balans-style adaptive LNS: HiGHS sub-MIPs around the incumbent, 9 destroy operators chosen by Thompson sampling (one arm each at an adaptive neighbourhood size; 3 sizes each with `sizes`), annealing acceptance, parallel chains; HiGHS's own search on the whole model interleaved (paused and resumed, incumbents exchanged both ways)",
            runs_until_time_limit: true,
            params: &[
                MILP_HIGHS_SHARE,
                MILP_ADAPT_SHARE,
                MILP_ROUND_MS,
                MILP_SUB_MS,
                MILP_FIRST_MS,
                MILP_ROOT_MS,
                MILP_ROOT_GAP,
                MILP_HAND_IN,
                MILP_GRAPH,
                MILP_CLOSURE,
                MILP_PACKING,
                MILP_ASSIGNMENT,
                MILP_SHARE_RISE,
                MILP_SHARE_BY_USE,
                MILP_SIZES,
                MILP_ADAPT_SIZES,
            ],
        },
        run: run_milp_alns,
        available: always_available,
    },
];

/// Largest TSP/ATSP that `auto` sends to the exact solver.
pub const AUTO_EXACT_TSP_MAX_N: usize = 100;

/// Smallest CVRP (nodes, depot included) that `auto` sends to `cvrp.dc`: at 10 000 customers
/// it beat `cvrp.sisr` at equal threads at 40 s and 300 s (BENCHMARKS.md, "issue 21"). No TSP
/// goes to `tsp.dc` automatically: it lost to `tsp.ils` at 20 000 nodes, uniform and clustered.
pub const AUTO_DC_CVRP_MIN_N: usize = 10_000;

/// The solver `auto` picks for an instance: [`default_for`] by family and size, except that a
/// blocking job shop (variant blocking, swap or iswap) goes to `jssp.blocking`.
pub fn default_for_instance(instance: &AnyInstance) -> &'static str {
    match instance {
        AnyInstance::Jssp(i) if i.variant.is_blocking() => "jssp.blocking",
        _ => default_for(instance.family(), instance.size()),
    }
}

/// The solver `auto` picks for a family and an instance size (nodes, operations, variables).
pub fn default_for(family: Family, size: usize) -> &'static str {
    match family {
        Family::Tsp if size <= AUTO_EXACT_TSP_MAX_N => "tsp.exact",
        Family::Tsp => "tsp.ils",
        Family::Cvrp if size >= AUTO_DC_CVRP_MIN_N => "cvrp.dc",
        Family::Cvrp => "cvrp.sisr",
        Family::Jssp => "jssp.tabu",
        Family::Fjsp => "fjsp.tabu",
        Family::Milp => "milp.highs",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const BEAM: ParamSpec = ParamSpec {
        name: "beam",
        description: "",
        min: 1,
        max: 8,
        default: None,
    };
    const STEPS: ParamSpec = ParamSpec {
        name: "steps",
        description: "",
        min: 1,
        max: 100,
        default: Some(50),
    };

    #[test]
    fn params_parse_within_their_range() {
        assert_eq!(BEAM.parse(" 8"), Ok(8));
        assert!(BEAM.parse("9").unwrap_err().contains("outside 1..=8"));
        assert!(
            BEAM.parse("-1")
                .unwrap_err()
                .contains("not a non-negative integer")
        );
        assert!(BEAM.parse("x").is_err());
    }

    #[test]
    fn given_params_are_checked_and_absent_ones_take_their_default() {
        let info = SolverInfo {
            name: "tsp.test",
            family: Family::Tsp,
            kind: SolverKind::Neural,
            description: "",
            runs_until_time_limit: false,
            params: &[BEAM, STEPS],
        };
        let given = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let v = info.parse_params(&given(&[("beam", "3")])).unwrap();
        assert_eq!(v.get(&BEAM), Some(3));
        assert_eq!(v.get(&STEPS), Some(50));
        assert_eq!(v.given(), &[("beam", 3)]);
        let none = info.parse_params(&[]).unwrap();
        assert_eq!(none.get(&BEAM), None);

        let e = info.parse_params(&given(&[("samples", "2")])).unwrap_err();
        assert_eq!(e.code(), "param.unknown");
        assert_eq!(
            e.to_string(),
            "solver `tsp.test` has no parameter `samples` (it takes beam, steps)"
        );
        let e = info
            .parse_params(&given(&[("beam", "2"), ("beam", "3")]))
            .unwrap_err();
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            ("param.repeated", "`beam` is given twice")
        );
        let e = info.parse_params(&given(&[("steps", "0")])).unwrap_err();
        assert_eq!(e.code(), "param.invalid");
        assert_eq!(e.to_string(), "steps: 0 is outside 1..=100");
        let nn = CLASSICAL.iter().find(|s| s.info.name == "tsp.nn").unwrap();
        let e = nn.info.parse_params(&given(&[("beam", "2")])).unwrap_err();
        assert!(e.to_string().ends_with("(it takes none)"), "{e}");
    }

    #[test]
    fn names_are_unique_and_prefixed_by_their_family_and_auto_picks_listed_solvers() {
        for (i, s) in CLASSICAL.iter().enumerate() {
            let s = &s.info;
            assert!(s.name.starts_with(&format!("{}.", s.family)), "{}", s.name);
            assert!(
                CLASSICAL[..i].iter().all(|t| t.info.name != s.name),
                "{}",
                s.name
            );
        }
        for family in Family::ALL {
            for size in [10, 100_000] {
                let name = default_for(family, size);
                assert!(
                    CLASSICAL
                        .iter()
                        .any(|s| s.info.name == name && s.info.family == family)
                );
            }
        }
        // Divide and conquer from its measured size on (CVRP only, see AUTO_DC_CVRP_MIN_N).
        assert_eq!(
            default_for(Family::Cvrp, AUTO_DC_CVRP_MIN_N - 1),
            "cvrp.sisr"
        );
        assert_eq!(default_for(Family::Cvrp, AUTO_DC_CVRP_MIN_N), "cvrp.dc");
        assert_eq!(default_for(Family::Tsp, 100_000), "tsp.ils");
        let improving: Vec<&str> = CLASSICAL
            .iter()
            .filter(|s| s.info.runs_until_time_limit)
            .map(|s| s.info.name)
            .collect();
        assert_eq!(
            improving,
            [
                "tsp.ils",
                "cvrp.sisr",
                "jssp.tabu",
                "jssp.blocking",
                "fjsp.tabu",
                "tsp.dc",
                "cvrp.dc",
                "milp.alns"
            ]
        );
    }

    #[test]
    fn auto_picks_by_variant_and_each_job_shop_solver_refuses_the_other_kind() {
        use quotient_problems::jssp::{JsspVariant, generate::random};
        let mut j = random(4, 3, 1);
        assert_eq!(
            default_for_instance(&AnyInstance::Jssp(j.clone())),
            "jssp.tabu"
        );
        let budget = Budget::new(None).with_max_iterations(Some(2));
        let params = ParamValues::default();
        let run = |inst: &AnyInstance, name: &str| {
            let cx = RunContext {
                instance: inst,
                budget: &budget,
                observer: &crate::engine::NoObserver,
                seed: 1,
                threads: 1,
                initial: None,
                params: &params,
                farm: None,
            };
            let s = CLASSICAL.iter().find(|s| s.info.name == name).unwrap();
            (s.run)(&cx)
        };
        let classic = AnyInstance::Jssp(j.clone());
        assert_eq!(
            run(&classic, "jssp.blocking").unwrap_err().code(),
            "run.unsupported"
        );
        for v in [
            JsspVariant::Blocking,
            JsspVariant::Swap,
            JsspVariant::InterruptingSwap,
        ] {
            j.variant = v;
            let inst = AnyInstance::Jssp(j.clone());
            assert_eq!(default_for_instance(&inst), "jssp.blocking");
            for classic_solver in ["jssp.tabu", "jssp.dispatch"] {
                let e = run(&inst, classic_solver).unwrap_err();
                assert_eq!(e.code(), "run.unsupported", "{classic_solver}");
            }
            for name in ["jssp.blocking", "jssp.blocking-dispatch"] {
                let r = run(&inst, name).unwrap();
                let sol = r.solution.unwrap();
                let rep = quotient_problems::any::check(&inst, &sol);
                assert!(rep.feasible, "{name} {v}");
            }
        }
    }

    #[test]
    fn a_run_function_refuses_an_instance_of_another_family() {
        use quotient_problems::any::{InputFormat, read_instance_text};
        let text = "NAME: sq\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
                    NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";
        let inst = read_instance_text(text, InputFormat::Tsplib, "sq").unwrap();
        let budget = Budget::new(None);
        let params = ParamValues::default();
        let cx = RunContext {
            instance: &inst,
            budget: &budget,
            observer: &crate::engine::NoObserver,
            seed: 1,
            threads: 1,
            initial: None,
            params: &params,
            farm: None,
        };
        let dispatch = CLASSICAL
            .iter()
            .find(|s| s.info.name == "jssp.dispatch")
            .unwrap();
        let e = (dispatch.run)(&cx).unwrap_err();
        assert_eq!(e.code(), "run.unsupported");
        let nn = CLASSICAL.iter().find(|s| s.info.name == "tsp.nn").unwrap();
        let r = (nn.run)(&cx).unwrap();
        assert!(r.solution.and_then(|s| s.as_tsp().cloned()).is_some());
    }
}

//! `jssp.tabu`: tabu search over the disjunctive graph with the N7 neighbourhood (N5 swaps
//! included), driven by the engine's parallel improvement loop.
//!
//! Design:
//! * Start ([`starts`]): the best of the dispatching rules (Giffler–Thompson active schedules,
//!   see [`super::dispatch`]) turned into machine sequences and of the insertion heuristic
//!   (longest operation first, [`super::insertion`]); worker `w` starts from the `w`-th best
//!   (worker 0 from the warm start when one is given).
//! * [`Search::local_search`] is one tabu phase: each iteration builds a critical path and its
//!   blocks, evaluates every N7 move with the head/tail estimate, and applies the best move
//!   that is not tabu (or is tabu but estimated to beat the phase's best: aspiration; when
//!   every move is tabu a random one is taken). A move is tabu when it restores an order of
//!   two operations reversed less than `tenure` iterations ago; the tenure is drawn for every
//!   move in `[L, 1.4 L]` (or `1.5 L` when jobs > 2 machines), `L = 10 + jobs / machines`
//!   (Zhang et al.). The phase ends after `phase_iters` iterations without improving its
//!   best, and leaves the state at that best. Cycling (a schedule seen again within the last
//!   64 iterations) is broken by a random move. The tabu table's layout and the tenure are
//!   [`memory`]'s; the table, tenure draw and cycle memory are the engine's
//!   ([`crate::engine::tabu`]); the phase itself is [`search`]'s.
//! * [`Search::perturb`] forgets the tabu list; with path relinking on (option `relink`, off
//!   by default: [`DEFAULT_RELINK`]) and two elite schedules or more (the worker's best distinct phase
//!   results), one time in three it walks from the current schedule towards a random other
//!   elite one, or the other way round, for 1/3 to 1/2 of the distance ([`super::relink`],
//!   i-TSAB style; the elite pool is the engine's [`crate::engine::ElitePool`], see [`elite`]) and the next tabu phase starts there; otherwise it restarts now and then
//!   from an elite schedule and applies a few random N7 moves.
//! * Heads and tails are recomputed from scratch after each move; the incremental update
//!   ([`Schedule::update`], option `incremental`) is kept with its twin tests but is off by
//!   default (slower in measurements: most critical moves shift a large part of the graph).
//! * The engine accepts a phase's result when it is no worse (`Acceptance::Better`), shares
//!   the incumbent between workers, and restarts a worker from it after 10 phases without
//!   progress. Every loop polls the budget; the solve stops at the trivial lower bound.

mod elite;
mod memory;
mod search;
mod starts;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use search::{Sequences, State};

use crate::engine::search::run;
use crate::engine::{Acceptance, Budget, EngineConfig, Observer, SolveResult, Status};
use crate::jssp::graph::{Problem, Schedule};
use crate::jssp::moves::Move;
use memory::{DENSE_TABU, PairSlots, tenure};
use quotient_problems::jssp::{JsspInstance, JsspSolution};
use search::Tabu;
use starts::{start_schedules, warm_start};
use std::sync::Arc;

/// Options of `jssp.tabu`. `Default` gives one thread, seed 0 and the default phase length.
#[derive(Debug, Clone, Default)]
pub struct TabuOptions {
    /// Worker threads (independent tabu chains sharing the incumbent); 0 means 1.
    pub threads: usize,
    pub seed: u64,
    /// A warm start (start times); ignored when its shape does not fit the instance.
    pub initial: Option<JsspSolution>,
    /// More start schedules (start times), ranked with the built-in ones by makespan (unlike
    /// `initial`, which worker 0 always starts from); shapes that do not fit are ignored.
    pub extra_starts: Vec<JsspSolution>,
    /// Iterations without improvement that end a tabu phase (`None`: the default, 2500).
    pub phase_iters: Option<u64>,
    /// Random N7 moves in a kick between phases (`None`: the default, 3).
    pub kick: Option<usize>,
    /// Path relinking between elite schedules in the perturbation (`None`: the default,
    /// [`DEFAULT_RELINK`]).
    pub relink: Option<bool>,
    /// Incremental head/tail updates after each applied move (`None`: off, the default:
    /// measured 2.3x slower than the full recomputation on ta41, see [`Schedule::update`]);
    /// used only when every duration is positive.
    pub incremental: Option<bool>,
    /// A learned move choice mixed into the search (`jssp.gnn+tabu`): at each iteration, with
    /// probability `policy_rate`, the policy picks among the admissible moves instead of the
    /// estimate.
    pub policy: Option<Arc<dyn MovePolicy>>,
    pub policy_rate: f64,
}

/// A move-choosing policy for the tabu search (implemented by the neural crate's GNN).
pub trait MovePolicy: std::fmt::Debug + Send + Sync {
    /// Index of the chosen move among `moves` (all acyclic and admissible) of `sch`, or `None`
    /// to leave the choice to the estimate this time.
    fn choose(&self, p: &Problem, sch: &Schedule, moves: &[Move]) -> Option<usize>;
}

/// Whether path relinking is on by default.
/// Off: with 20 tabu phases, seeds 1 and 2, one thread, on ta21-ta30 + ta41-ta45 it gave
/// mean gaps 2.56% / 2.89% against 2.64% / 2.53% without it (no consistent gain).
pub const DEFAULT_RELINK: bool = false;

const DEFAULT_PHASE_ITERS: u64 = 2500;
const DEFAULT_KICK: usize = 3;

/// `jssp.tabu`: tabu search (N7 with estimates, tabu list with dynamic tenure, aspiration,
/// cycling detection, elite restarts) in independent chains sharing the incumbent.
pub fn solve(
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &TabuOptions,
) -> SolveResult<JsspSolution> {
    solve_with(inst, budget, observer, opts, DENSE_TABU)
}

/// [`solve`] with the largest dense tabu table as a parameter (tests use 0 to exercise the
/// hashed table).
fn solve_with(
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &TabuOptions,
    dense_limit: usize,
) -> SolveResult<JsspSolution> {
    if let Some((j, k)) = inst
        .jobs
        .iter()
        .enumerate()
        .find_map(|(j, job)| job.iter().position(|o| o.duration < 0).map(|k| (j, k)))
    {
        return SolveResult::unknown(format!("operation ({j}, {k}) has a negative duration"));
    }
    let p = match Problem::new(inst) {
        Ok(p) => p,
        Err(msg) => return SolveResult::infeasible(msg),
    };
    let lb = inst.trivial_lower_bound();
    let finish = |sol: JsspSolution, cmax: i64| {
        let mut r = SolveResult::feasible(sol, cmax as f64);
        r.bound = Some(lb as f64);
        if cmax == lb {
            r.status = Status::Optimal;
        }
        r
    };
    if p.num_ops() == 0 {
        return finish(p.starts_from_heads(&[]), 0);
    }
    let starts = start_schedules(inst, &p, budget, &opts.extra_starts);
    if starts.is_empty() {
        return SolveResult::unknown("no start schedule could be built");
    }
    let warm = warm_start(&p, opts.initial.as_ref());
    let user_target = budget.target().filter(|t| t.is_finite());
    let stop_at = user_target.map_or(lb, |t| lb.max(t.floor() as i64));
    let Some(first) = Schedule::from_seqs(&p, starts[0].clone()) else {
        return SolveResult::unknown("no start schedule could be built");
    };
    let all_positive = p.dur.iter().all(|&d| d > 0);
    let search = Tabu {
        p: &p,
        slots: PairSlots::new(&p, dense_limit),
        starts,
        first,
        tenure: tenure(&p),
        phase_iters: opts.phase_iters.unwrap_or(DEFAULT_PHASE_ITERS),
        kick: opts.kick.unwrap_or(DEFAULT_KICK),
        relink: opts.relink.unwrap_or(DEFAULT_RELINK),
        policy: opts
            .policy
            .clone()
            .filter(|_| opts.policy_rate > 0.0)
            .map(|pol| (pol, opts.policy_rate)),
        stop_at,
        all_positive,
        incremental: all_positive && opts.incremental.unwrap_or(false),
    };
    let config = EngineConfig {
        threads: opts.threads.max(1),
        seed: opts.seed,
        acceptance: Acceptance::Better,
        restart_after: 10,
    };
    let inner = budget.clone().with_target(Some(stop_at as f64));
    let Some(res) = run(&search, &config, &inner, observer, warm.as_ref()) else {
        return SolveResult::unknown("the budget ended before a schedule was built");
    };
    match Schedule::from_seqs(&p, res.best.seq) {
        Some(s) => finish(p.starts_from_heads(&s.head), s.cmax),
        None => SolveResult::unknown("internal error: the best schedule is cyclic"),
    }
}

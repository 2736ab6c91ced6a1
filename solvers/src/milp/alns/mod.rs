//! `milp.alns`: Balans-style adaptive large-neighbourhood search over sub-MIPs.
//!
//! 1. HiGHS runs on the whole model for a short time (a tenth of the budget, 1 to 30 s), and on
//!    past it until it holds a feasible solution; if it proves optimality (or infeasibility)
//!    that is the answer. Otherwise its best solution starts the search. By default
//!    ([`AlnsOptions::highs_share`], 50 %) this run is not ended but paused, on a thread of its
//!    own, waiting inside its interrupt callback: in every round (four sub-MIP time limits)
//!    worker 0 lets it run on for its share of the round (`highs_share`), the LNS has the
//!    rest. Optionally the share follows the rewards ([`AlnsOptions::adapt_share`], [`share`],
//!    off by default): it starts at 90 % (one sub-MIP probes the LNS) and moves with each
//!    side's rate of closing the gap to the dual bound, within 20-90 %. HiGHS takes the
//!    LNS's new bests as its incumbent (its user-solution callback, before each dive: a
//!    better cutoff, and its own RINS / RENS start from it) and the LNS takes HiGHS's. On the
//!    generated domains HiGHS's branch and bound finds its best solutions late and in jumps
//!    (auction, GISP: issue 26, BENCHMARKS.md), which an LNS that had ended it lost.
//!    When interleaved, the first run is not paused before HiGHS's root node is done (its tree
//!    search has begun), up to a quarter of the budget ([`AlnsOptions::root_time`]): HiGHS's
//!    jumps on those domains come from its root, and a pause inside it delayed them by the LP
//!    relaxation and the LNS's part of a round (issue 26, session 15). Past that limit, a run
//!    whose incumbent is still worth almost nothing against its dual bound goes on, up to half
//!    the budget ([`AlnsOptions::root_gap`]: the 2 000-item auctions, session 27).
//!    With `highs_share` 0 the run ends at its soft limit and its dual bound is kept.
//! 2. The LP relaxation is solved, with at most a quarter of the time left (its optimum feeds
//!    RINS, RENS and DINS, and is a dual bound). Its time counts as the LNS's part of the first
//!    round. The message says when the first run paused, when HiGHS's root node was done, when
//!    the LP relaxation and the first sub-MIP ran, and how much CPU HiGHS's thread had.
//! 3. `threads` workers run independent chains on a rayon pool and share the incumbent and a
//!    small elite pool. Each step: a Thompson-sampling bandit ([`bandit`]) picks an arm
//!    (an operator, [`operators`], at its adaptive size; [`AlnsOptions::sizes`] 3: operator x
//!    three sizes); the operator fixes or restricts part of the model around the worker's
//!    current solution; HiGHS (one thread) solves that sub-MIP for at most `sub_time` (never
//!    past the deadline), warm started from the current solution; simulated annealing decides
//!    whether the worker moves; the outcome class (new best / improvement / accepted /
//!    rejected) is the arm's reward. The neighbourhood sizes adapt
//!    ([`AlnsOptions::adapt_sizes`]), per operator: each fixing operator's share sits at a
//!    centre of its own that moves towards less fixing after a sub-MIP solved to optimality
//!    without an improvement and towards more fixing after one stopped by its limit without
//!    one (one centre shared by all operators was pushed up by local branching's and
//!    proximity's time-limited sub-MIPs while random fixing's came back trivially optimal).
//!
//! The engine's [`crate::engine::search::run`] loop is not used: its `Search` trait gives a
//! family no say in acceptance and no feedback on it, and the bandit needs exactly that (and
//! crossover needs the other workers' solutions). The parts are the engine's all the same: the
//! worker pool and seeds ([`crate::engine::pool`]), the shared incumbent
//! ([`SharedIncumbent`], with a relative tolerance), the elite pool ([`ElitePool`]), the
//! annealing rule ([`Annealing`]) and the bandit ([`crate::engine::feedback`]).
//!
//! Status: `optimal` only when HiGHS proved it on the whole model (in the first run or in an
//! interleaved slice), or when the incumbent meets the best dual bound; otherwise `feasible` with that bound. Cancellation interrupts
//! HiGHS itself (at its polling points) and is seen between sub-MIPs, so in the search it takes
//! effect within one sub-MIP time limit.

pub use crate::engine::feedback as bandit;
pub mod assignment;
pub mod operators;
pub mod share;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use super::highs::to_solve_result;
use super::highs_callback::{Steer, SteerEvent};
use super::highs_model::{
    ABANDON_AFTER_CANCEL, HighsMip, LinearModel, MipResult, MipSettings, MipStatus,
    settle_infeasible_or_unbounded, solve_once, solve_once_observed, to_instance_objective,
};
use crate::engine::pool::{run_workers, worker_seed};
use crate::engine::{
    Annealing, Budget, ElitePool, Improvement, Observer, SharedIncumbent, SolveResult, Status,
};
use bandit::{Outcome, ThompsonBandit};
use operators::{Arm, Context, arms, destroy};
use quotient_problems::milp::{MilpInstance, MilpSolution};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};

use std::time::Duration;

/// The default [`AlnsOptions::highs_share`].
pub const DEFAULT_HIGHS_SHARE: u32 = 50;

/// Settings of `milp.alns`.
#[derive(Debug, Clone)]
pub struct AlnsOptions {
    pub threads: usize,
    pub seed: u64,
    /// A warm start for the first HiGHS run.
    pub initial: Option<Vec<f64>>,
    /// Time limit of each sub-MIP (`None`: a sixtieth of the budget, 1 to 10 s; 5 s without
    /// a time limit).
    pub sub_time: Option<Duration>,
    /// Time of the first HiGHS run on the whole model, which runs on past it until it has a
    /// feasible solution (`None`: a tenth of the budget, 1 to 30 s; 30 s without a time limit).
    pub initial_time: Option<Duration>,
    /// Stop the first HiGHS run after this many improving solutions (1 = first feasible).
    pub initial_solutions: Option<u32>,
    /// Elite solutions kept for crossover.
    pub elite: usize,
    /// A worker returns to the global best after this many steps without improving it.
    pub restart_after: u64,
    /// Adapt the neighbourhood sizes to the sub-MIPs' outcomes: a sub-MIP that HiGHS solves to
    /// optimality without improving the worker's solution means the neighbourhood was too
    /// small (fix less), one that runs into its time limit without improving means too large
    /// (fix more). Off: the sizes stay at [`operators::FIX_SHARE`] / [`operators::LB_SHARE`].
    pub adapt_sizes: bool,
    /// Play the graph-induced operator ([`operators::Operator::Graph`]) too. Off by default:
    /// at 60 s it did not pay on the generated domains (issue 26, BENCHMARKS.md), and with
    /// some 20 to 60 sub-MIPs a minute every further arm costs the bandit exploration.
    pub graph: bool,
    /// Play the closure operator ([`operators::Operator::Closure`]).
    pub closure: bool,
    /// Play the residual set-packing operator ([`operators::Operator::Packing`]) too. Off by
    /// default until measured against the default on the generated domains (issue 26).
    pub packing: bool,
    /// Play the assignment operator ([`operators::Operator::Assignment`]) where the model has
    /// an assignment structure ([`assignment::Assignment::detect`]; on other models it is not
    /// an arm).
    pub assignment: bool,
    /// Arms per operator: 1 (the default), the operator at its adaptive centre; 3, three sizes
    /// around it (0.2 apart, as before issue 26's session 19). With some 40 to 80 sub-MIPs a
    /// minute, 30 arms left the bandit exploring for the whole run: on GISP the one operator
    /// that finds improvements was first played after 27 s (BENCHMARKS.md).
    pub sizes: usize,
    /// Interleave HiGHS's own branch and bound on the whole model with the LNS: the first
    /// HiGHS run is not ended but paused, and in every round of [`AlnsOptions::round`] it runs
    /// on for this percentage of the round (the LNS has the rest), taking the LNS's new best
    /// solutions as its incumbent (HiGHS's user-solution callback) while the LNS takes
    /// HiGHS's. 0: the first run ends and the LNS has all the time after it (before issue 26's
    /// second round, the only behaviour).
    pub highs_share: u32,
    /// Length of a round of the interleaving (`None`: four sub-MIP time limits).
    pub round: Option<Duration>,
    /// Let HiGHS's share of each round follow the rewards ([`share`]): each side's rate of
    /// closing the gap to the dual bound, HiGHS's over all its time (with a prior), the LNS's
    /// over its recent parts; the share stays within [`share::MIN_SHARE`] and
    /// [`share::MAX_SHARE`] and starts at the latter. Off (the default: on the auctions and the
    /// GISP of issue 26 it did not beat the fixed share, BENCHMARKS.md session 14):
    /// [`AlnsOptions::highs_share`] fixed.
    pub adapt_share: bool,
    /// When interleaved: the first HiGHS run is not paused before its root node is done (its
    /// tree search has begun), past [`AlnsOptions::initial_time`], up to this time from the
    /// start (`None`: [`default_root_time`], a quarter of the budget). HiGHS's root is where its
    /// heuristics make the big jumps on the generated domains (auction, GISP: issue 26); a
    /// pause inside it delayed them by the LP relaxation and the LNS's part of a round.
    /// `Some(Duration::ZERO)`: the first run pauses at `initial_time` wherever HiGHS is.
    pub root_time: Option<Duration>,
    /// When interleaved: past `root_time`, a first run whose root node is not done goes on
    /// while HiGHS's relative gap (incumbent to dual bound, its `mip_gap`) is at least this
    /// (10.0: 1 000 %, the incumbent is worth less than a tenth of the bound; `None`: off), up to
    /// [`far_root_time`] (half the budget). On the 2 000-item auctions of issue 26 HiGHS holds
    /// almost nothing at 15 s (gaps of 2 700-3 100 %) and its root's heuristics find the big
    /// solution at 16-30 s; the pause put it off by the LP relaxation and the LNS's parts
    /// of the rounds. On every other domain the gap at the pause was at most 100 % (GISP
    /// 85-96 %, placement 100 % with its dual bound 0; session 27), so the rule leaves them alone.
    pub root_gap: Option<f64>,
    /// Hand the LNS's new bests to the interleaved HiGHS (its user-solution callback).
    pub hand_in: bool,
    /// With a fixed share: the LNS's part of a round halves with every [`halving_period`]
    /// sub-MIPs in a row without a new best (down to `1 -` [`share::MAX_SHARE`]) and is back
    /// at `1 - highs_share` at the LNS's next new best. On the 103 MIPLIB instances of issue 26
    /// the LNS kept half of each round where its sub-MIPs found nothing for the whole run
    /// (qiu: 44 sub-MIPs, no new best) and HiGHS alone found late what its half did not reach.
    /// The count begins after each arm has been played [`EXPLORE_PLAYS`] times in turn: a rise
    /// from the first sub-MIPs on starved the bandit on GISP (gisp-1003: 11 sub-MIPs instead of
    /// 55, the closure arm that finds the improvements never played; session 21), and the
    /// period follows the LNS's record: twice its sub-MIPs per new best so far, at least
    /// [`STALE_HALVING`]. With the turns, with a period of 4 or from the record, it still lost
    /// to the fixed share on GISP (1 / 1 / 3 each, session 22): off by default.
    pub share_rise: bool,
    /// HiGHS's part of a round is at least its share of the time the LNS's part actually
    /// took (a sub-MIP runs past the LNS's part, or past its own limit inside HiGHS's
    /// presolve, which does not look at the time: two 1 s sub-MIPs of nw04 took 16 s, after
    /// which HiGHS had its 2 s).
    pub share_by_use: bool,
}

/// With [`AlnsOptions::share_rise`]: the fewest sub-MIPs in a row without a new best that
/// halve the LNS's part of a round (the period while the LNS has found none).
pub const STALE_HALVING: f64 = 4.0;

/// The sub-MIPs in a row without a new best that halve the LNS's part of a round
/// ([`AlnsOptions::share_rise`]), from the LNS's record when it found its last new best:
/// `subs` sub-MIPs then, `bests` new bests in them. Twice its sub-MIPs per new best, at least
/// [`STALE_HALVING`]; fixed during a run without new bests (the record at the last one).
pub fn halving_period(subs: u64, bests: u64) -> f64 {
    if bests == 0 {
        return STALE_HALVING;
    }
    (2.0 * subs as f64 / bests as f64).max(STALE_HALVING)
}

/// With [`AlnsOptions::share_rise`]: plays of every arm, in turn, before the bandit chooses and
/// before sub-MIPs without a new best count towards the rise.
pub const EXPLORE_PLAYS: usize = 2;

/// The arm a worker plays at its `step` (from 1): with `explore` (the share rises), the arms in
/// turn for their first [`EXPLORE_PLAYS`] plays each, then (and without) the bandit's choice.
fn next_arm<R: Rng>(
    explore: bool,
    step: u64,
    bandit: &ThompsonBandit,
    arms: usize,
    rng: &mut R,
) -> usize {
    match usize::try_from(step.saturating_sub(1)) {
        Ok(k) if explore && arms > 0 && k < EXPLORE_PLAYS * arms => k % arms,
        _ => bandit.choose(rng),
    }
}

/// Whether a worker at `step` is past its turns of [`next_arm`] (always without `explore`).
fn explored(explore: bool, step: u64, arms: usize) -> bool {
    !explore || usize::try_from(step).is_ok_and(|k| k > EXPLORE_PLAYS * arms)
}

/// HiGHS's share of a round when the LNS's last `stale` sub-MIPs found no new best
/// ([`AlnsOptions::share_rise`]): the LNS's part `1 - base` halves every `period` of them
/// ([`halving_period`]), down to `1 -` [`share::MAX_SHARE`]; a `base` at or above that is kept.
pub fn risen_share(base: f64, stale: u64, period: f64) -> f64 {
    if base >= share::MAX_SHARE {
        return base;
    }
    let lns = (1.0 - base) * 0.5f64.powf(stale as f64 / period.max(1.0));
    1.0 - lns.max(1.0 - share::MAX_SHARE)
}

/// HiGHS's part of a round at share `share` after the LNS's part took `lns` (with
/// [`AlnsOptions::share_by_use`]: at least `share / (1 - share)` times `lns`).
pub fn highs_slice(round: Duration, share: f64, lns: Duration, by_use: bool) -> Duration {
    let planned = round.mul_f64(share);
    if by_use && share < 1.0 {
        planned.max(lns.mul_f64(share / (1.0 - share)))
    } else {
        planned
    }
}

impl Default for AlnsOptions {
    fn default() -> Self {
        AlnsOptions {
            threads: 1,
            seed: 1,
            initial: None,
            sub_time: None,
            initial_time: None,
            initial_solutions: None,
            elite: 5,
            restart_after: 30,
            adapt_sizes: true,
            graph: false,
            closure: true,
            packing: false,
            assignment: true,
            sizes: 1,
            highs_share: DEFAULT_HIGHS_SHARE,
            round: None,
            adapt_share: false,
            root_time: None,
            root_gap: Some(DEFAULT_ROOT_GAP),
            hand_in: true,
            share_rise: false,
            share_by_use: false,
        }
    }
}

/// Everything the workers share.
struct Shared {
    /// The best (minimised) objective and solution; gains below [`IMPROVEMENT_TOLERANCE`]
    /// (relative) do not count.
    best: SharedIncumbent<Vec<f64>>,
    /// Distinct good solutions, best first.
    elite: Mutex<ElitePool<f64, Vec<f64>>>,
    iterations: AtomicU64,
    /// Per-arm counts of outcomes: [new best, improvement, accepted, rejected].
    stats: Mutex<Vec<[u64; 4]>>,
    /// How the sub-MIPs ended: [optimal, infeasible, stopped with a solution, stopped without],
    /// and the seconds they took.
    subs: Mutex<([u64; 4], f64)>,
    /// The interleaved HiGHS run's rounds and seconds and its new bests (HiGHS's improving
    /// solutions that beat the shared incumbent), and the optimum it proved.
    highs: Mutex<HighsLog>,
    /// Sub-MIPs since the last one that gave a new best (all workers).
    stale: AtomicU64,
    /// The LNS's record at its last new best: the sub-MIPs solved then (`subs`) and its new
    /// bests ([`halving_period`]).
    record: Mutex<(u64, u64)>,
}

/// What the interleaved HiGHS run did.
#[derive(Debug, Default, Clone, Copy)]
struct HighsLog {
    slices: u64,
    secs: f64,
    new_bests: u64,
    /// The sum of HiGHS's shares of the rounds so far, and the last one.
    share_sum: f64,
    share_last: f64,
    /// HiGHS ended: it proved this optimum (minimised), or ran out of time (`None`).
    ended: Option<Option<f64>>,
}

impl Shared {
    fn add_elite(&self, obj: f64, x: &[f64]) {
        let Ok(mut e) = self.elite.lock() else { return };
        e.insert(obj, x.to_vec(), |y| same_integers(x, y));
    }

    /// An elite solution whose integers differ from `x`.
    fn other_than<R: Rng>(&self, x: &[f64], rng: &mut R) -> Option<Vec<f64>> {
        let e = self.elite.lock().ok()?;
        e.pick(rng, |y| !same_integers(x, y))
            .map(|(_, y)| y.clone())
    }
}

/// Two solutions with the same rounded values everywhere (continuous parts included; they are
/// compared only to tell elite solutions apart).
fn same_integers(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6)
}

/// Smallest relative change of the objective that counts as better.
const IMPROVEMENT_TOLERANCE: f64 = 1e-9;

/// Smallest change that counts as better.
fn improvement_eps(obj: f64) -> f64 {
    IMPROVEMENT_TOLERANCE * obj.abs().max(1.0)
}

/// The random stream of `milp.alns`'s workers (see [`worker_seed`]).
const ALNS_STREAM: u64 = 0xA1A5;

/// The default sub-MIP time limit for a budget.
fn default_sub_time(budget: &Budget) -> Duration {
    budget_part(budget, 60, 10, 5)
}

/// A part of the budget's time limit, `1 / divisor` of it within 1 s and `max_s` seconds
/// (`unlimited_s` seconds without a time limit): the defaults of the solve's time limits.
fn budget_part(budget: &Budget, divisor: u32, max_s: u64, unlimited_s: u64) -> Duration {
    budget
        .time_limit()
        .map_or(Duration::from_secs(unlimited_s), |t| {
            (t / divisor).clamp(Duration::from_secs(1), Duration::from_secs(max_s))
        })
}

/// The default time of the first HiGHS run.
fn default_initial_time(budget: &Budget) -> Duration {
    budget_part(budget, 10, 30, 30)
}

/// The default [`AlnsOptions::root_gap`]: 1 000 %.
pub const DEFAULT_ROOT_GAP: f64 = 10.0;

/// How long a first run whose incumbent is far from its bound may go on
/// ([`AlnsOptions::root_gap`]): half the budget, 1 to 240 s (120 s without a time limit).
pub fn far_root_time(budget: &Budget) -> Duration {
    budget_part(budget, 2, 240, 120)
}

/// The default [`AlnsOptions::root_time`]: a quarter of the budget, 1 to 120 s (60 s without a
/// time limit).
pub fn default_root_time(budget: &Budget) -> Duration {
    budget_part(budget, 4, 120, 60)
}

/// Solve with adaptive LNS within the budget.
pub fn solve(
    inst: &MilpInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &AlnsOptions,
) -> SolveResult<MilpSolution> {
    let base = LinearModel::from_instance(inst);
    let ints = base.integer_columns();
    let back = |v: f64| to_instance_objective(inst.sense, v);
    // Every HiGHS run returns within `ABANDON_AFTER_CANCEL` of a cancel, with the last
    // improving solution HiGHS reported when it was in a phase that does not poll.
    let full = MipSettings {
        threads: opts.threads,
        seed: opts.seed,
        abandon_after_cancel: Some(ABANDON_AFTER_CANCEL),
        ..Default::default()
    };
    // Without integer variables there is nothing to search: one HiGHS solve decides.
    if ints.is_empty() {
        let r = solve_once(&base, &full, opts.initial.as_deref(), budget);
        let r = settle_infeasible_or_unbounded(&base, &full, budget, r);
        return report_whole(inst, &r, budget, observer);
    }

    // 1. HiGHS on the whole model, until `initial_time` has passed and it holds a feasible
    //    solution (one run: an instance whose first incumbent takes HiGHS most of the budget
    //    keeps all of it, and no branch-and-bound work is thrown away by a restart).
    let initial_time = opts
        .initial_time
        .unwrap_or_else(|| default_initial_time(budget));
    let start = opts
        .initial
        .as_deref()
        .filter(|x| x.len() == base.num_cols());
    // Its improving solutions are reported as they come (the incumbent-over-time trace and the
    // primal integral count from the moment HiGHS holds a solution, as for `milp.highs`).
    let report_first = |obj: f64| {
        observer.improved(&Improvement {
            objective: back(obj),
            bound: None,
            elapsed: budget.elapsed(),
            source: "highs",
        })
    };
    let steer = Arc::new(Steer::default());
    let mut highs_rx = None;
    // When the parts of the start-up happened (reported in the message).
    let mut timings = Timings::default();
    let (mut bound, x0) = if opts.highs_share > 0 {
        // Interleaved: the first run is paused, not ended (see `AlnsOptions::highs_share`).
        let first = FirstLimits {
            time: initial_time,
            solutions: opts.initial_solutions,
            root: opts
                .root_time
                .unwrap_or_else(|| default_root_time(budget))
                .max(initial_time),
            far: opts.root_gap.map(|g| (g, far_root_time(budget))),
        };
        match first_steered(
            &base,
            &full,
            start,
            budget,
            first,
            &steer,
            &report_first,
            &mut timings,
        ) {
            FirstRun::Whole(r) => {
                let r = settle_infeasible_or_unbounded(&base, &full, budget, r);
                return report_whole(inst, &r, budget, observer);
            }
            FirstRun::Paused(rx, Some(x)) => {
                highs_rx = Some(rx);
                (None, x)
            }
            FirstRun::Paused(_, None) => {
                steer.finish();
                return SolveResult::unknown("no feasible solution found");
            }
            FirstRun::Failed(e) => return SolveResult::unknown(e),
        }
    } else {
        let first = solve_once_observed(
            &base,
            &MipSettings {
                soft_time: Some(initial_time),
                max_improving_sols: opts.initial_solutions,
                ..full.clone()
            },
            start,
            budget,
            Some(&report_first),
        );
        timings.first_until = budget.elapsed();
        if first.status != MipStatus::Stopped {
            let first = settle_infeasible_or_unbounded(&base, &full, budget, first);
            return report_whole(inst, &first, budget, observer);
        }
        let bound = first.bound;
        let Some((x0, _)) = first.x.zip(first.objective) else {
            let mut r = SolveResult::unknown("no feasible solution found");
            r.bound = bound.map(back);
            return r;
        };
        (bound, x0)
    };

    // 2. The LP relaxation (its optimum feeds RINS, RENS and DINS, and is a dual bound), with
    //    at most a quarter of the time left: the search runs without it when it takes longer.
    //    Its time is the LNS's: the first round's LNS part begins here.
    let lns_start = std::time::Instant::now();
    timings.lp_from = budget.elapsed();
    let lp_cap = budget
        .remaining()
        .map_or(Duration::from_secs(60), |r| r / 4);
    let lp = solve_once(
        &base,
        &MipSettings {
            relax: true,
            time_cap: Some(lp_cap),
            // The incumbent is held here: a cancel during the LP's presolve (deaf to the
            // interrupt callbacks, 1.7 s on a 1 500-bid auction) need not be waited for.
            abandon_after_cancel: Some(ABANDON_AFTER_CANCEL),
            ..full.clone()
        },
        None,
        budget,
    );
    timings.lp_until = budget.elapsed();
    let lp_x = (lp.status == MipStatus::Optimal).then_some(lp.x).flatten();
    if lp.status == MipStatus::Optimal {
        bound = max_opt(bound, lp.bound);
    }
    // The objective as this module computes it everywhere (HiGHS's value may differ by
    // rounding).
    let obj0 = base.objective(&x0);
    observer.improved_with(
        &Improvement {
            objective: back(obj0),
            bound: bound.map(back),
            elapsed: budget.elapsed(),
            source: "highs",
        },
        &|| Some(export(&x0)),
    );

    // 3. The workers.
    let assignment = opts
        .assignment
        .then(|| assignment::Assignment::detect(&base))
        .flatten();
    let arms = played_arms(opts, assignment.is_some());
    let bins = base.binary_columns();
    let col_rows = operators::column_rows(&base);
    let mut elite = ElitePool::new(opts.elite);
    elite.insert(obj0, x0.clone(), |_| false);
    let shared = Shared {
        best: SharedIncumbent::with_initial(obj0, x0).with_tolerance(IMPROVEMENT_TOLERANCE),
        elite: Mutex::new(elite),
        iterations: AtomicU64::new(0),
        stats: Mutex::new(vec![[0; 4]; arms.len()]),
        subs: Mutex::new(([0; 4], 0.0)),
        highs: Mutex::new(HighsLog::default()),
        stale: AtomicU64::new(0),
        record: Mutex::new((0, 0)),
    };
    let round = opts
        .round
        .unwrap_or_else(|| 4 * opts.sub_time.unwrap_or_else(|| default_sub_time(budget)));
    let interleave = highs_rx.map(|rx| Interleave {
        rx: Mutex::new(rx),
        steer: steer.clone(),
        round,
    });
    // HiGHS's share of a round: fixed, or following the rewards (`AlnsOptions::adapt_share`).
    let fixed_share = f64::from(opts.highs_share.min(100)) / 100.0;
    // The best value HiGHS proved optimal on the whole model, once it has.
    let proved = || shared.highs.lock().ok().and_then(|h| h.ended.flatten());
    let absorb = |event: SteerEvent<MipResult>| {
        let x = match event {
            SteerEvent::Improving(x) => Some(x),
            SteerEvent::Done(r) => {
                let r = r.ok();
                let opt = r
                    .as_ref()
                    .filter(|r| r.status == MipStatus::Optimal)
                    .and(r.as_ref().and_then(|r| r.x.as_ref()))
                    .map(|x| base.objective(x));
                if let Ok(mut h) = shared.highs.lock() {
                    h.ended = Some(opt);
                }
                r.and_then(|r| r.x)
            }
        };
        let Some(mut x) = x.filter(|x| x.len() == base.num_cols()) else {
            return;
        };
        snap(&mut x, &ints);
        let obj = base.objective(&x);
        if shared.best.offer(obj, || x.clone()) {
            observer.improved_with(
                &Improvement {
                    objective: back(obj),
                    bound: bound.map(back),
                    elapsed: budget.elapsed(),
                    source: "highs",
                },
                &|| Some(export(&x)),
            );
            shared.add_elite(obj, &x);
            if let Ok(mut h) = shared.highs.lock() {
                h.new_bests += 1;
            }
        }
    };
    let sub_time = opts.sub_time.unwrap_or_else(|| default_sub_time(budget));
    // When worker 0's first sub-MIP began.
    let first_sub: Mutex<Option<Duration>> = Mutex::new(None);
    let optimal_at =
        |obj: f64, b: Option<f64>| b.is_some_and(|b| obj - b <= 1e-6 * obj.abs().max(1.0) + 1e-9);
    let worker = |w: usize| {
        let mut rng = ChaCha8Rng::seed_from_u64(worker_seed(opts.seed, w, ALNS_STREAM));
        let mut bandit = ThompsonBandit::new(arms.len());
        let Some((mut cur_obj, mut cur)) = shared.best.get() else {
            return;
        };
        // Annealing from a temperature at which a 1 % worsening is accepted half the time,
        // cooled a hundredfold over the time limit.
        let annealing = Annealing::new(
            0.01 * cur_obj.abs().max(1e-6) / std::f64::consts::LN_2,
            0.01,
        );
        let mut since_best = 0u64;
        let mut step: u64 = 0;
        // Each operator's own centre: a neighbourhood that is too small for one operator
        // (random fixing on a packing model) may be too large for another (local branching).
        let mut centres = [operators::FIX_CENTRE; operators::OPERATORS.len()];
        // The LP relaxation above was the first part of the LNS's share of the first round.
        let mut lns_since = lns_start;
        // The reward-driven share (worker 0 steers HiGHS): the best value when the LNS's part
        // of the round began.
        let mut control = (w == 0 && opts.adapt_share)
            .then(|| share::ShareControl::new(budget.time_limit().map(|t| t.as_secs_f64())));
        let mut highs_share = control.as_ref().map_or(fixed_share, |c| c.share());
        let mut lns_from = shared.best.cost();
        loop {
            if budget.is_done(shared.iterations.load(Ordering::Relaxed))
                || optimal_at(shared.best.cost(), bound)
                || proved().is_some_and(|v| shared.best.cost() <= v + improvement_eps(v))
            {
                break;
            }
            // Worker 0 hands the core to HiGHS's own search when the LNS's part of the round
            // is over (and HiGHS has not ended).
            let share_now = || {
                if control.is_none() && opts.share_rise {
                    let (subs, bests) = shared.record.lock().map_or((0, 0), |r| *r);
                    risen_share(
                        highs_share,
                        shared.stale.load(Ordering::Relaxed),
                        halving_period(subs, bests),
                    )
                } else {
                    highs_share
                }
            };
            if w == 0
                && let Some(il) = interleave.as_ref()
                && let share_now = share_now()
                && lns_since.elapsed() >= il.round.mul_f64(1.0 - share_now)
                && shared.highs.lock().is_ok_and(|h| h.ended.is_none())
            {
                let t0 = std::time::Instant::now();
                let from = shared.best.cost();
                let slice =
                    highs_slice(il.round, share_now, lns_since.elapsed(), opts.share_by_use);
                il.run_slice(slice, budget, &absorb);
                let secs = t0.elapsed().as_secs_f64();
                if let Ok(mut h) = shared.highs.lock() {
                    h.slices += 1;
                    h.secs += secs;
                    h.share_sum += share_now;
                    h.share_last = share_now;
                }
                if let Some(c) = control.as_mut() {
                    c.lns(
                        share::gain(lns_from, from, bound),
                        t0.saturating_duration_since(lns_since).as_secs_f64(),
                    );
                    c.highs(share::gain(from, shared.best.cost(), bound), secs);
                    highs_share = c.share();
                }
                lns_from = shared.best.cost();
                // The worker goes on from the best solution when HiGHS improved on its own.
                if let Some((o, x)) = shared.best.get()
                    && o < cur_obj - improvement_eps(o)
                {
                    cur = x;
                    cur_obj = o;
                }
                lns_since = std::time::Instant::now();
                continue;
            }
            if w == 0
                && let Some(il) = interleave.as_ref()
            {
                il.drain(&absorb);
            }
            shared.iterations.fetch_add(1, Ordering::Relaxed);
            step += 1;
            let a = next_arm(opts.share_rise, step, &bandit, arms.len(), &mut rng);
            let arm = arms[a];
            let op_index = arm.op.index();
            let centre = centres[op_index];
            let other = shared.other_than(&cur, &mut rng);
            let ctx = Context {
                base: &base,
                ints: &ints,
                bins: &bins,
                lp: lp_x.as_deref(),
                current: &cur,
                current_obj: cur_obj,
                other: other.as_deref(),
                bound,
                fix_centre: centre,
                col_rows: &col_rows,
                assignment: assignment.as_ref(),
            };
            let mut sub_status = None;
            let mut sub_trace = None;
            let outcome = match destroy(arm, &ctx, &mut rng) {
                None => Outcome::Rejected,
                Some(nb) => {
                    let settings = MipSettings {
                        threads: 1,
                        seed: worker_seed(opts.seed, w, ALNS_STREAM).wrapping_add(step),
                        mip_rel_gap: 1e-4,
                        time_cap: Some(sub_time),
                        abandon_after_cancel: Some(ABANDON_AFTER_CANCEL),
                        ..Default::default()
                    };
                    let t0 = std::time::Instant::now();
                    if w == 0
                        && let Ok(mut f) = first_sub.lock()
                        && f.is_none()
                    {
                        *f = Some(budget.elapsed());
                    }
                    let r = solve_once(&nb.model, &settings, nb.start.as_deref(), budget);
                    if let Ok(mut subs) = shared.subs.lock() {
                        let k = match (r.status, r.x.is_some()) {
                            (MipStatus::Optimal, _) => 0,
                            (MipStatus::Stopped, true) => 2,
                            (MipStatus::Stopped, false) => 3,
                            _ => 1,
                        };
                        subs.0[k] += 1;
                        subs.1 += t0.elapsed().as_secs_f64();
                    }
                    sub_status = Some(r.status);
                    sub_trace = Some((
                        nb.fixed,
                        t0.elapsed(),
                        r.x.as_ref().map(|x| base.objective(x)),
                    ));
                    match r.x {
                        None => Outcome::Rejected,
                        Some(x) => {
                            let obj = base.objective(&x);
                            // How much of the time limit is spent (0.5 without one).
                            let progress = || {
                                budget.time_limit().map_or(0.5, |t| {
                                    (budget.elapsed().as_secs_f64() / t.as_secs_f64().max(1e-9))
                                        .min(1.0)
                                })
                            };
                            let outcome = if shared.best.offer(obj, || x.clone()) {
                                if opts.hand_in
                                    && let Some(il) = interleave.as_ref()
                                {
                                    il.steer.offer(x.clone());
                                }
                                observer.improved_with(
                                    &Improvement {
                                        objective: back(obj),
                                        bound: bound.map(back),
                                        elapsed: budget.elapsed(),
                                        source: arm.name(),
                                    },
                                    &|| Some(export(&x)),
                                );
                                Outcome::NewBest
                            } else if obj < cur_obj - improvement_eps(obj) {
                                Outcome::Improvement
                            } else if same_integers(&x, &cur) {
                                Outcome::Rejected
                            } else if obj <= cur_obj + improvement_eps(obj)
                                || annealing.accept(obj, cur_obj, progress(), &mut rng)
                            {
                                Outcome::Accepted
                            } else {
                                Outcome::Rejected
                            };
                            if outcome != Outcome::Rejected {
                                shared.add_elite(obj, &x);
                                cur = x;
                                cur_obj = obj;
                            }
                            outcome
                        }
                    }
                }
            };
            if let Some((fixed, secs, obj)) = sub_trace {
                tracing::debug!(
                    worker = w,
                    at = budget.elapsed().as_secs_f64(),
                    arm = arm.name(),
                    fixed,
                    of = ints.len(),
                    centre,
                    status = ?sub_status,
                    secs = secs.as_secs_f64(),
                    objective = obj.map(back),
                    outcome = ?outcome,
                    "milp.alns sub-MIP"
                );
            }
            if opts.adapt_sizes && arm.op.sized() {
                centres[op_index] = adapt_centre(centre, sub_status, outcome);
            }
            bandit.update(a, outcome);
            if let Ok(mut s) = shared.stats.lock() {
                let k = match outcome {
                    Outcome::NewBest => 0,
                    Outcome::Improvement => 1,
                    Outcome::Accepted => 2,
                    Outcome::Rejected => 3,
                };
                s[a][k] += 1;
            }
            if outcome == Outcome::NewBest {
                since_best = 0;
                shared.stale.store(0, Ordering::Relaxed);
                let solved = shared.subs.lock().map_or(0, |s| s.0.iter().sum());
                if let Ok(mut r) = shared.record.lock() {
                    *r = (solved, r.1 + 1);
                }
            } else {
                since_best += 1;
                if sub_status.is_some() && explored(opts.share_rise, step, arms.len()) {
                    shared.stale.fetch_add(1, Ordering::Relaxed);
                }
            }
            if opts.restart_after > 0
                && since_best >= opts.restart_after
                && let Some((o, x)) = shared.best.get()
            {
                cur = x;
                cur_obj = o;
                since_best = 0;
            }
        }
    };
    let threads = opts.threads.max(1);
    run_workers(threads, worker);
    // What HiGHS did during the search (not its end at `finish` below).
    let hl = shared.highs.lock().map(|h| *h).unwrap_or_default();
    steer.finish();
    // Solutions HiGHS reported after its last slice.
    if let Some(il) = interleave.as_ref()
        && let Ok(rx) = il.rx.lock()
    {
        while let Ok(e) = rx.try_recv() {
            absorb(e);
        }
    }

    let Some((obj, x)) = shared.best.get() else {
        return SolveResult::unknown("lost the incumbent");
    };
    let iterations = shared.iterations.load(Ordering::Relaxed);
    let mut res = SolveResult::feasible(MilpSolution { values: x }, back(obj));
    res.bound = bound.map(back);
    if optimal_at(obj, bound) || proved().is_some_and(|v| obj <= v + improvement_eps(v)) {
        res.status = Status::Optimal;
        res.bound = Some(back(obj));
    }
    let (ends, secs) = shared.subs.lock().map(|s| *s).unwrap_or(([0; 4], 0.0));
    let first_sub = first_sub.lock().ok().and_then(|f| *f);
    let startup = timings.describe(steer.root_done_after(), first_sub);
    let interleaved = if interleave.is_some() {
        let cpu = steer
            .thread_times()
            .map_or_else(String::new, |(cpu, wait)| {
                format!(
                    ", its thread {:.1} s CPU and {:.1} s waiting for one",
                    cpu.as_secs_f64(),
                    wait.as_secs_f64()
                )
            });
        format!(
            "HiGHS's own search interleaved: {} slices, {:.1} s{cpu}, {} new bests, share {}{}; ",
            hl.slices,
            hl.secs,
            hl.new_bests,
            if (opts.adapt_share || opts.share_rise) && hl.slices > 0 {
                format!(
                    "{} (mean {:.0} %, last {:.0} %)",
                    if opts.adapt_share {
                        "adaptive"
                    } else {
                        "rising while the LNS finds no new best"
                    },
                    100.0 * hl.share_sum / hl.slices as f64,
                    100.0 * hl.share_last
                )
            } else {
                format!("{:.0} %", 100.0 * fixed_share)
            },
            match hl.ended {
                Some(Some(_)) => ", proved optimality",
                Some(None) => ", ended early",
                None => "",
            }
        )
    } else {
        String::new()
    };
    let structure = assignment.as_ref().map_or(String::new(), |a| {
        let (items, resources) = a.size();
        format!("assignment structure: {items} choice rows, {resources} resource rows; ")
    });
    res.message = Some(format!(
        "{startup}; {interleaved}{structure}{iterations} sub-MIPs ({} optimal, {} infeasible, {} \
         stopped with a solution, {} without; {secs:.1} s in sub-MIPs); {}",
        ends[0],
        ends[1],
        ends[2],
        ends[3],
        summary(
            &arms,
            &shared.stats.lock().map(|s| s.clone()).unwrap_or_default()
        )
    ));
    res
}

/// The interleaved HiGHS run on the whole model (`AlnsOptions::highs_share` > 0).
struct Interleave {
    rx: Mutex<Receiver<SteerEvent<MipResult>>>,
    steer: Arc<Steer>,
    /// The length of a round (HiGHS's part and the LNS's).
    round: Duration,
}

/// How long a paused HiGHS is waited for to reach a callback where it waits (past it, the
/// LNS goes on beside it, both at about half speed on one core). Some of HiGHS's phases do not
/// call back for seconds (its root heuristics; on the 300 x 1500 auctions of issue 26 under
/// load it had not parked 1 s after the pause, the old wait), and the LNS beside it slowed
/// its root down: HiGHS now has the core until it parks, up to this long.
const PARK_WAIT: Duration = Duration::from_secs(6);

/// [`PARK_WAIT`], but at most `share` (the LNS's part of the round that follows the pause)
/// and a quarter of the budget left: a HiGHS that does not park must not take the LNS's whole
/// turn (a 6 s solve paused at 2.5 s once waited out its budget and ran no sub-MIP).
fn park_wait(budget: &Budget, share: Duration) -> Duration {
    let left = budget.remaining().map_or(PARK_WAIT, |r| r / 4);
    PARK_WAIT.min(share).min(left)
}

impl Interleave {
    /// Pass the HiGHS events that came while the LNS ran (a HiGHS that had not parked yet, or
    /// its last solutions before it did) to `absorb` at once, not at the next slice.
    fn drain(&self, absorb: &dyn Fn(SteerEvent<MipResult>)) {
        let Ok(rx) = self.rx.lock() else { return };
        while let Ok(e) = rx.try_recv() {
            absorb(e);
        }
    }

    /// Let HiGHS run for `slice` (or until it ends or the budget does), passing its events
    /// to `absorb`; then pause it again.
    fn run_slice(&self, slice: Duration, budget: &Budget, absorb: &dyn Fn(SteerEvent<MipResult>)) {
        let Ok(rx) = self.rx.lock() else { return };
        let until = std::time::Instant::now() + slice;
        self.steer.resume();
        let mut ended = false;
        loop {
            let now = std::time::Instant::now();
            if now >= until || budget.is_done(0) {
                break;
            }
            match rx.recv_timeout((until - now).min(Duration::from_millis(20))) {
                Ok(e) => {
                    ended = matches!(e, SteerEvent::Done(_));
                    absorb(e);
                    if ended {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    ended = true;
                    absorb(SteerEvent::Done(Err(highs::HighsStatus::Error)));
                    break;
                }
            }
        }
        // At the end of the budget HiGHS is left running: it stops at its own time limit, or
        // at the cancel, or at `Steer::finish`.
        if !ended && !budget.is_done(0) {
            self.steer.pause();
            self.steer.wait_parked(park_wait(budget, slice));
            while let Ok(e) = rx.try_recv() {
                absorb(e);
            }
        }
    }
}

/// How the interleaved first run ended.
enum FirstRun {
    /// HiGHS ended on the whole model (optimal, infeasible, out of time, ...).
    Whole(MipResult),
    /// HiGHS is paused, with its best solution so far, if any.
    Paused(Receiver<SteerEvent<MipResult>>, Option<Vec<f64>>),
    Failed(String),
}

/// When the interleaved first run pauses: once it holds a feasible solution and `time` has
/// passed (from the start of the solve) and HiGHS's root node is done or `root` has passed, or
/// once it has found `solutions` improving solutions.
#[derive(Debug, Clone, Copy)]
struct FirstLimits {
    time: Duration,
    solutions: Option<u32>,
    root: Duration,
    /// A gap and a time: past `root`, a run whose root node is not done goes on while its gap
    /// is at least this, up to this time ([`AlnsOptions::root_gap`]).
    far: Option<(f64, Duration)>,
}

impl FirstLimits {
    /// Whether a first run that holds a feasible solution pauses at `now`: past `time`, and
    /// its root node done or past `root` (past `far`'s time while HiGHS's `gap` is at least
    /// `far`'s).
    fn past(&self, now: Duration, root_done: bool, gap: Option<f64>) -> bool {
        let far = self
            .far
            .is_some_and(|(g, until)| now < until && gap.is_some_and(|x| x >= g));
        now >= self.time && (root_done || (now >= self.root && !far))
    }
}

/// When the parts of the start-up happened (times from the start of the solve).
#[derive(Debug, Default, Clone, Copy)]
struct Timings {
    /// HiGHS's thread started (interleaved only).
    spawned: Option<Duration>,
    /// The first HiGHS run paused (or ended).
    first_until: Duration,
    /// HiGHS's relative gap when the first run paused ([`Steer::gap`]).
    first_gap: Option<f64>,
    /// The LP relaxation.
    lp_from: Duration,
    lp_until: Duration,
}

impl Timings {
    /// `first HiGHS run 0-9.1 s (root node done at 7.3 s; gap 12 % at the pause), LP
    /// relaxation 9.1-10.4 s, first sub-MIP at 10.4 s`.
    fn describe(&self, root_done_after: Option<Duration>, first_sub: Option<Duration>) -> String {
        // HiGHS's gap when it paused (in percent of its incumbent's value).
        let gap = match self.first_gap {
            Some(g) if g.is_finite() => format!("; gap {:.0} % at the pause", 100.0 * g),
            Some(_) => "; no incumbent at the pause".into(),
            None => String::new(),
        };
        let root = match (self.spawned, root_done_after) {
            (Some(s), Some(r)) => {
                format!(" (root node done at {:.1} s{gap})", (s + r).as_secs_f64())
            }
            (Some(_), None) => format!(" (root node not done{gap})"),
            _ => String::new(),
        };
        let sub = first_sub.map_or_else(
            || "no sub-MIP".into(),
            |t| format!("first sub-MIP at {:.1} s", t.as_secs_f64()),
        );
        format!(
            "first HiGHS run 0-{:.1} s{root}, LP relaxation {:.1}-{:.1} s, {sub}",
            self.first_until.as_secs_f64(),
            self.lp_from.as_secs_f64(),
            self.lp_until.as_secs_f64()
        )
    }
}

/// The first run when HiGHS is interleaved: HiGHS on the whole model on a thread of its own,
/// paused at `limits`; its improving solutions are reported through `report`.
#[allow(clippy::too_many_arguments)]
fn first_steered(
    base: &LinearModel,
    settings: &MipSettings,
    start: Option<&[f64]>,
    budget: &Budget,
    limits: FirstLimits,
    steer: &Arc<Steer>,
    report: &dyn Fn(f64),
    timings: &mut Timings,
) -> FirstRun {
    let mut mip = match HighsMip::new(base, settings) {
        Ok(m) => m,
        Err(e) => return FirstRun::Failed(e.to_string()),
    };
    if let Some(x) = start {
        mip.set_start(x);
    }
    timings.spawned = Some(budget.elapsed());
    let rx = match mip.spawn_steered(budget, steer.clone()) {
        Ok(rx) => rx,
        Err(e) => return FirstRun::Failed(e),
    };
    let ints = base.integer_columns();
    let mut best: Option<(f64, Vec<f64>)> = None;
    let found = std::cell::Cell::new(0u32);
    let take = |x: Vec<f64>, best: &mut Option<(f64, Vec<f64>)>| {
        found.set(found.get() + 1);
        if x.len() != base.num_cols() {
            return;
        }
        let mut x = x;
        snap(&mut x, &ints);
        let obj = base.objective(&x);
        if best.as_ref().is_none_or(|(o, _)| obj < *o) {
            report(obj);
            *best = Some((obj, x));
        }
    };
    loop {
        match rx.recv_timeout(Duration::from_millis(5)) {
            Ok(SteerEvent::Improving(x)) => take(x, &mut best),
            Ok(SteerEvent::Done(Ok(r))) => return FirstRun::Whole(r),
            Ok(SteerEvent::Done(Err(e))) => {
                timings.first_until = budget.elapsed();
                return match best {
                    Some(_) => FirstRun::Paused(rx, best.map(|b| b.1)),
                    None => FirstRun::Failed(format!("HiGHS failed: {e:?}")),
                };
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return FirstRun::Failed("HiGHS's thread ended without a word".into());
            }
        }
        let enough = limits.solutions.is_some_and(|k| found.get() >= k.max(1));
        let now = budget.elapsed();
        // Read once: the message gives the gap the decision saw.
        let gap = steer.gap();
        if budget.is_done(0)
            || (best.is_some() && (enough || limits.past(now, steer.root_done(), gap)))
        {
            timings.first_until = now;
            timings.first_gap = gap;
            steer.pause();
            if !budget.is_done(0) {
                steer.wait_parked(park_wait(budget, PARK_WAIT));
            }
            while let Ok(e) = rx.try_recv() {
                match e {
                    SteerEvent::Improving(x) => take(x, &mut best),
                    SteerEvent::Done(Ok(r)) => return FirstRun::Whole(r),
                    SteerEvent::Done(Err(_)) => {}
                }
            }
            return FirstRun::Paused(rx, best.map(|b| b.1));
        }
    }
}

/// Integer columns within HiGHS's feasibility tolerance of an integer become that integer
/// (HiGHS's callback gives its values as they are).
fn snap(x: &mut [f64], ints: &[usize]) {
    for &j in ints {
        if let Some(v) = x.get_mut(j)
            && (*v - v.round()).abs() <= 1e-6
        {
            *v = v.round();
        }
    }
}

/// How far one sub-MIP outcome moves the centre of the fixing shares.
const CENTRE_STEP: f64 = 0.05;

/// The next centre of the fixing shares after a sub-MIP that ended with `status` (`None`: no
/// sub-MIP ran) and gave `outcome`: less fixing after a neighbourhood solved to optimality
/// without an improvement, more after one that hit its limit without one.
fn adapt_centre(centre: f64, status: Option<MipStatus>, outcome: Outcome) -> f64 {
    let improved = matches!(outcome, Outcome::NewBest | Outcome::Improvement);
    let step = match status {
        Some(MipStatus::Optimal) if !improved => -CENTRE_STEP,
        Some(MipStatus::Stopped) if !improved => CENTRE_STEP,
        _ => 0.0,
    };
    let (lo, hi) = operators::FIX_CENTRE_RANGE;
    (centre + step).clamp(lo, hi)
}

/// The arms a solve plays: every operator that `opts` leaves on (the assignment operator only
/// where the model has an `assignment` structure), at one size or three ([`AlnsOptions::sizes`]).
fn played_arms(opts: &AlnsOptions, assignment: bool) -> Vec<Arm> {
    use operators::Operator;
    arms()
        .into_iter()
        .filter(|a| match a.op {
            Operator::Graph => opts.graph,
            Operator::Closure => opts.closure,
            Operator::Packing => opts.packing,
            Operator::Assignment => opts.assignment && assignment,
            _ => true,
        })
        .filter(|a| opts.sizes >= 2 || a.size == 1)
        .collect()
}

/// The arms that found new bests, with counts: `rins-70 3/12, ...` (new bests / plays).
fn summary(arms: &[Arm], stats: &[[u64; 4]]) -> String {
    let mut rows: Vec<(u64, u64, &str)> = arms
        .iter()
        .zip(stats)
        .map(|(a, s)| (s[0], s.iter().sum::<u64>(), a.name()))
        .filter(|&(_, plays, _)| plays > 0)
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let parts: Vec<String> = rows
        .iter()
        .take(6)
        .map(|(best, plays, name)| format!("{name} {best}/{plays}"))
        .collect();
    format!("new bests/plays: {}", parts.join(", "))
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// A solution in the public form, for observers that store incumbents.
fn export(x: &[f64]) -> Box<dyn std::any::Any + Send> {
    Box::new(quotient_problems::any::AnySolution::Milp(MilpSolution {
        values: x.to_vec(),
    }))
}

/// A result of HiGHS on the whole model, reported as is.
fn report_whole(
    inst: &MilpInstance,
    r: &MipResult,
    budget: &Budget,
    observer: &dyn Observer,
) -> SolveResult<MilpSolution> {
    let res = to_solve_result(inst, r);
    if let Some(objective) = res.objective {
        observer.improved(&Improvement {
            objective,
            bound: res.bound,
            elapsed: budget.elapsed(),
            source: "highs",
        });
    }
    res
}

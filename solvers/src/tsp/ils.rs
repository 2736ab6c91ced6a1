//! `tsp.ils`: iterated local search for TSP and ATSP on the parallel improvement engine.
//!
//! Candidate lists (the 5 alpha-nearest from the Held–Karp ascent, whose bound is reported as
//! the solve's `bound`, where the ascent pays within the time limit; otherwise the k nearest
//! with quadrant neighbours through a k-d tree, or a partial sort per matrix row; ATSP keeps
//! the nearest and runs the ascent for the bound only), a greedy edge start, local search by
//! Lin–Kernighan chains of sequential 3-opt moves as in LKH (or, as an option, 2-opt + Or-opt +
//! chains of 2-opt steps; above [`FIRST_5OPT_MIN_N`] nodes the first descent from each
//! constructed tour takes LKH's 5-opt move) with don't-look bits, and segment-local double-bridge
//! kicks that only wake the six touched nodes. ATSP instances are solved as symmetric instances
//! of `2n` nodes (see `graph.rs`); fixed edges are never removed.

use super::construct;
use super::graph::alpha::{self, Ascent};
use super::graph::{CandidateOrder, EdgeSet, Graph};
pub use super::ls::LkMove;
use super::ls::{LocalSearch, LsParams};
pub(crate) use super::nearest::tour_cost;
use super::tour::Tour;
use crate::engine::pool::worker_seed;
use crate::engine::search::{self, Acceptance, EngineConfig, Search};
use crate::engine::{Budget, Improvement, Observer, SolveResult, Status};
use quotient_problems::any::AnySolution;
use quotient_problems::tsp::{TspInstance, TspSolution};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `tsp.ils`.
#[derive(Debug, Clone, Default)]
pub struct IlsOptions {
    /// Worker threads (0 or 1: one).
    pub threads: usize,
    pub seed: u64,
    /// Warm start; ignored unless it is a tour of the instance that keeps the fixed edges.
    pub initial: Option<TspSolution>,
    /// Candidate neighbours per node (`None`: the default, [`DEFAULT_NEIGHBOURS`]).
    pub neighbours: Option<usize>,
    /// Quadrant candidate neighbours for coordinate instances (2 nearest per quadrant, then
    /// the nearest); `None`: the default, on (measured better on clustered instances).
    pub quadrants: Option<bool>,
    /// How candidate lists are chosen: by distance (the default, see BENCHMARKS.md
    /// "SoftDist"), by the SoftDist heatmap or by a learned heatmap.
    pub candidates: CandidateOrder,
    /// With a heatmap (`candidates` SoftDist or Heatmap): a kick's first cut is the least-scored
    /// tour edge among this many random positions (`None` or 1: uniform, the default).
    pub kick_tournament: Option<usize>,
    /// Acceptance rule (`None`: the default, [`DEFAULT_ACCEPTANCE`]).
    pub acceptance: Option<Acceptance>,
    /// Alpha-nearness candidate lists from the Held–Karp ascent (which also gives the bound):
    /// `Some(true)` always, `Some(false)` never (and no ascent, no bound), `None` (the default)
    /// when [`alpha_pays`] says so and `candidates` is the default distance order; for ATSP
    /// the default runs the ascent for the bound only and keeps the nearest lists (measured
    /// better). With alpha lists, `neighbours` defaults to [`ALPHA_NEIGHBOURS`].
    pub alpha: Option<bool>,
    /// The Lin–Kernighan move (`None`: the default, [`DEFAULT_LK_MOVE`]).
    pub lk_move: Option<LkMove>,
    /// Most moves in one chain of 3-opt or k-opt moves (`None`: 30).
    pub lk3_depth: Option<usize>,
    /// With [`LkMove::FiveOpt`]: edges exchanged by one move, 2..=5 (`None`: 5, LKH's).
    pub kopt_k: Option<usize>,
    /// With [`LkMove::FiveOpt`]: candidates tried per level, the first of each list (`None`:
    /// [`DEFAULT_KOPT_BREADTH`]).
    pub kopt_breadth: Option<usize>,
    /// Non-improving 3-opt moves tried at the first, second and deeper levels of a 3-opt
    /// chain, with backtracking (`None`: the default, [`DEFAULT_LK3_BREADTH`]).
    pub lk3_breadth: Option<[usize; 3]>,
    /// With alpha lists on a symmetric coordinate instance: add this many nearest + quadrant
    /// neighbours behind the alpha-nearest (those not already in the list; `None`: the
    /// default, [`DEFAULT_ALPHA_MIX`]).
    pub alpha_mix: Option<usize>,
    /// Most of the time limit the ascent may take (`None`: [`ASCENT_SHARE`]).
    pub ascent_share: Option<f64>,
    /// The ascent shortens its periods to end within its time cap (`None`: the default, on).
    pub ascent_compress: Option<bool>,
    /// Node penalties (cost units, one per node of a symmetric instance) the Held–Karp ascent
    /// starts from instead of zero, e.g. a learned ascent's prediction (`tsp.pi+ils`); used
    /// only when they give a better 1-tree bound than zero (see the message).
    pub ascent_start: Option<Arc<Vec<f64>>>,
    /// Longest segment of a segment-local double-bridge kick (`None`: the default, 50; ATSP
    /// working graph 30).
    pub kick_len: Option<usize>,
    /// One kick in this many is a spatial double bridge (three cuts near each other in space;
    /// `None`: the default, [`DEFAULT_SPATIAL_EVERY`]; 0: never).
    pub kick_spatial: Option<u32>,
    /// Iterated local searches ("walkers") run in turn, each for one epoch at a time; after
    /// each epoch the walker's tour is merged with the best tour by partition crossover (see
    /// `merge.rs`) and the walker goes on from the child, or, when its epoch did not improve
    /// it, from its tour after a shake (`shake`). `None`: the default, [`DEFAULT_WALKERS`] on
    /// one thread with alpha lists on a symmetric instance, else 0; 0: one search over the
    /// whole budget, without epochs (the engine's workers, one per
    /// thread, share one incumbent). With several threads, the walkers of a round run side
    /// by side.
    pub walkers: Option<usize>,
    /// With walkers: epochs per walker over the time (or iteration) budget (`None`:
    /// [`DEFAULT_EPOCHS`]).
    pub epochs: Option<usize>,
    /// With walkers: a walker goes on from the merged child (`Some(true)`, the default) or
    /// keeps its own tour (`Some(false)`).
    pub adopt: Option<bool>,
    /// With walkers: a walker whose epoch did not improve its tour goes on from it after this
    /// many kicks per thousand nodes, made at once (`None`: [`DEFAULT_SHAKE`]; 0: never).
    pub shake: Option<usize>,
    /// With alpha lists on a symmetric instance: the local search works on LKH's transformed
    /// costs `d(a, b) + pi_a + pi_b` of the ascent's penalties (see `Graph::set_penalties`)
    /// instead of the costs (`None`: the default, on above [`LARGE_MIN_N`] nodes).
    pub pi_costs: Option<bool>,
    /// With walkers and no warm start: walkers after the first start from greedy tours over
    /// the candidate edges taken in the order of their costs scaled by random factors in
    /// `[1, 1 + start_noise)` (other fragments, so other local optima for the merges); 0: every
    /// walker starts from the same greedy tour (`None`: the default, [`DEFAULT_START_NOISE`]
    /// above [`LARGE_MIN_N`] nodes, else 0).
    pub start_noise: Option<f64>,
    /// With walkers and alpha lists on a symmetric instance without fixed edges: where a walker
    /// goes on from. [`TrialStarts::Shake`] (the default): the merged child, or after a shake
    /// when its epoch did not improve it; [`TrialStarts::Stuck`]: a stuck walker goes on from
    /// LKH's trial start instead of the shake (`construct::trial_walk` over the best and the
    /// previous best tour and the ascent's 1-tree); [`TrialStarts::Every`]: every epoch after a
    /// walker's first starts from a trial start, as LKH's trials do.
    pub trial: Option<TrialStarts>,
    /// With alpha lists: LKH's restricted search in the first descent of a walker or search
    /// (a chain does not start by removing an edge of the ascent's 1-tree) and in the descent
    /// of a trial start (nor an edge of the best tour); the kicks' searches are unrestricted
    /// (`None`: the default, [`DEFAULT_RESTRICTED`]).
    pub restricted: Option<bool>,
    /// The first descent of every search (and epoch) ends with LKH's non-sequential moves
    /// (`bridge.rs`: a gainful infeasible 2-opt move joined again by a 2-exchange), then goes
    /// on from their nodes, until none gains (`None`: the default, [`DEFAULT_BRIDGES`]).
    pub bridges: Option<bool>,
    /// With the sparse ascent on a coordinate instance: its graph also holds the Delaunay
    /// triangulation's edges, so the 1-trees and the alpha lists can use the short links
    /// between clusters that no nearest list holds (`None`: the default, [`DEFAULT_DELAUNAY`]).
    pub delaunay: Option<bool>,
    /// The move of the first descent from each constructed (or given) tour: a walker's start,
    /// a trial start; the kicks' searches and the merged children's descents keep
    /// `lk_move` (`None`: the default, LKH's 5-opt move with alpha lists above
    /// [`FIRST_5OPT_MIN_N`] nodes, else `lk_move`; `Some(lk_move)`: the same).
    pub first_move: Option<LkMove>,
    /// Most moves in one chain of that first descent (`None`: `lk3_depth`'s value).
    pub first_depth: Option<usize>,
}

/// Above this many nodes (with alpha lists) the first descents take LKH's 5-opt move by
/// default ([`IlsOptions::first_move`]): a descent about 1.5-2 % shorter than the 3-opt one at
/// 10 000 clustered nodes for about 0.5 s, so the first tours are shorter; the final tours were
/// equal within the noise side by side (20 clustered pairs at 10 000 and 20 000 nodes, mean
/// -0.09 %; uniform neutral; BENCHMARKS.md, session 25). The sparse ascent's range, where it
/// was measured.
pub const FIRST_5OPT_MIN_N: usize = ALPHA_SPARSE_MIN_N;

/// The default of [`IlsOptions::delaunay`].
pub const DEFAULT_DELAUNAY: bool = true;

/// The default of [`IlsOptions::bridges`].
pub const DEFAULT_BRIDGES: bool = false;

/// The default of [`IlsOptions::restricted`].
pub const DEFAULT_RESTRICTED: bool = false;

/// Where the walkers' epochs start from (see [`IlsOptions::trial`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialStarts {
    /// The merged child; a walker that its epoch did not improve after a shake.
    Shake,
    /// Such a stuck walker from a trial start instead of the shake.
    Stuck,
    /// Every epoch after a walker's first from a trial start.
    Every,
}

impl TrialStarts {
    /// From the option's value: 0, 1 or 2.
    pub fn from_level(level: u64) -> Option<Self> {
        match level {
            0 => Some(Self::Shake),
            1 => Some(Self::Stuck),
            2 => Some(Self::Every),
            _ => None,
        }
    }
}

/// The default start of the walkers' epochs.
pub const DEFAULT_TRIAL: TrialStarts = TrialStarts::Shake;

/// The default noise of the walkers' greedy starts above [`LARGE_MIN_N`] nodes.
pub const DEFAULT_START_NOISE: f64 = 1.0;

/// Above this many nodes (of the working graph) the transformed costs and the noisy walker
/// starts are on by default: measured better on the large set at 60 s (mean gap 0.075 % vs
/// 0.162 %) and on fresh 10 000-node instances, worse on TSPLIB n <= 1000 at 10 s (74 and 75
/// of 77 at the optimum on two seeds, 76 without; BENCHMARKS.md, session 23).
pub const LARGE_MIN_N: usize = 1000;

/// The default shake of a stuck walker, in kicks per thousand nodes.
pub const DEFAULT_SHAKE: usize = 30;

/// The measured default number of walkers, used on one thread with alpha lists (BENCHMARKS.md,
/// "issue 20", session 16: TSPLIB n <= 1000 at 10 s, 75 and 76 of 78 at the optimum instead
/// of 70 and 72; pr1002..rl5915 at 60 s closer). Elsewhere the default is 0 (one search
/// without epochs): not measured with nearest lists, ATSP or several threads.
pub const DEFAULT_WALKERS: usize = 3;

/// The default number of epochs per walker.
pub const DEFAULT_EPOCHS: usize = 8;

/// The measured default share of spatial double-bridge kicks (one in this many; 0: none).
pub const DEFAULT_SPATIAL_EVERY: u32 = 0;

/// Candidates per level of the k-opt move (LKH's `MAX_CANDIDATES`, all of an alpha list).
pub const DEFAULT_KOPT_BREADTH: usize = 5;

/// The measured default breadth of the 3-opt chains (LKH's: no backtracking).
pub const DEFAULT_LK3_BREADTH: [usize; 3] = [1, 1, 1];

/// The measured default number of nearest + quadrant neighbours added to alpha lists.
pub const DEFAULT_ALPHA_MIX: usize = 0;

/// The measured default Lin–Kernighan move (BENCHMARKS.md, "issue 20", session 12).
pub const DEFAULT_LK_MOVE: LkMove = LkMove::ThreeOpt;

/// Alpha-nearest candidates per node (LKH's default).
pub const ALPHA_NEIGHBOURS: usize = 5;

/// Most of the time limit the ascent may take (it stops there with the best penalties so far).
pub const ASCENT_SHARE: f64 = 0.25;

/// Largest working-graph size (ATSP: twice the nodes) for the alpha lists with
/// [`LkMove::TwoOptChain`] at any time limit: above it the 5 alpha-nearest lost to the 8 nearest
/// and quadrant lists at 10 s (9 of 12 instances of 1 000-5 915 nodes) and at 60 s (4 of 5) with
/// that move (BENCHMARKS.md, "issue 20", session 11).
pub const ALPHA_MAX_N: usize = 1000;

/// Under [`ALPHA_MAX_N`], the time limit bounds the size too, as the ascent's O(n^2) work
/// does: `n^2 <= ALPHA_N2_PER_SEC * seconds` (1 000 nodes at 10 s, where the ascent takes
/// 1.7-2.5 s of one core).
pub const ALPHA_N2_PER_SEC: f64 = 1e5;

/// With the 3-opt moves, the alpha lists also pay above [`ALPHA_MAX_N`] given time: at 60 s
/// they won on 6 of 8 instances of 1 002-5 915 nodes (one tie; BENCHMARKS.md, "issue 20",
/// session 12), and at 10 s, with the ascent's schedule fitted to its cap, on 6 of the 7
/// instances of 1 002-2 103 nodes (fl1577 1.0 % vs 6.0 %; lost on u1817; session 13), where
/// pr2392 lost at 10 s in session 12. So up to `ALPHA_N_PER_SEC * seconds` nodes (2 200 at
/// 10 s, 6 000 from 28 s on) and at most [`ALPHA_MAX_N_3OPT`] (the largest measured).
pub const ALPHA_N_PER_SEC: f64 = 220.0;

/// See [`ALPHA_N_PER_SEC`].
pub const ALPHA_MAX_N_3OPT: usize = 6000;

/// Above this many nodes (symmetric coordinate instances), the ascent is
/// the sparse ascent (`alpha::ascent_sparse`): its steps and the alpha values on the graph of the
/// [`SPARSE_ASCENT_NEIGHBOURS`] nearest + quadrant neighbours plus the edges of a greedy tour
/// over them (which keeps the graph connected where clusters' lists are not), nothing in
/// O(n^2) but the final 1-tree for the bound.
pub const ALPHA_SPARSE_MIN_N: usize = ALPHA_MAX_N_3OPT;

/// Nearest + quadrant neighbours per node of the sparse ascent's graph (LKH's ascent takes 50
/// POPMUSIC candidates). Measured at 10 000 clustered nodes, 30 s: 10 left the ascent free to
/// raise penalties towards edges the graph lacks (bound 4-18 % below the tour, tours 3.9-4.4 %
/// above LKH-3's), 30 did as well as the ascent over all pairs (BENCHMARKS.md, issue 20,
/// session 18).
pub const SPARSE_ASCENT_NEIGHBOURS: usize = 30;

/// With the sparse ascent (above [`ALPHA_SPARSE_MIN_N`]), the alpha lists are used up to
/// `ALPHA_SPARSE_N_PER_SEC * seconds` nodes: 10 000 at 30 s, where they were measured better
/// than the nearest + quadrant lists on clustered instances and equal on uniform ones
/// (BENCHMARKS.md, issue 20, session 18); the ascent's steps take time in proportion to n
/// (times log n), hence the linear rule.
pub const ALPHA_SPARSE_N_PER_SEC: f64 = 334.0;

/// Whether the sparse ascent can run on the instance: symmetric, with coordinates (for the
/// nearest + quadrant graph).
fn sparse_ascent(inst: &TspInstance) -> bool {
    inst.is_symmetric() && inst.coords().is_some()
}

/// Whether the automatic choice takes the alpha lists for a working graph of `n` nodes under
/// `limit` (`None`: no time limit) with the local search's move `lk_move`; `sparse`: whether
/// the sparse ascent can run (a symmetric instance with coordinates), which the lists need
/// above [`ALPHA_SPARSE_MIN_N`] nodes.
pub fn alpha_pays(n: usize, limit: Option<Duration>, lk_move: LkMove, sparse: bool) -> bool {
    let secs = limit.map(|l| l.as_secs_f64());
    let small = n <= ALPHA_MAX_N && secs.is_none_or(|s| (n as f64).powi(2) <= ALPHA_N2_PER_SEC * s);
    match lk_move {
        LkMove::TwoOptChain => small,
        LkMove::ThreeOpt | LkMove::OrThreeOpt | LkMove::FiveOpt => {
            small
                || (n <= ALPHA_MAX_N_3OPT && secs.is_none_or(|s| n as f64 <= ALPHA_N_PER_SEC * s))
                || (sparse
                    && n > ALPHA_SPARSE_MIN_N
                    && secs.is_none_or(|s| n as f64 <= ALPHA_SPARSE_N_PER_SEC * s))
        }
    }
}

/// The measured default acceptance rule (see the report of the `tsp_bench` example).
pub const DEFAULT_ACCEPTANCE: Acceptance = Acceptance::Better;

/// Default number of candidate neighbours.
pub const DEFAULT_NEIGHBOURS: usize = 8;

/// Solve within the budget. `Optimal` only for tiny instances (n <= 8, enumerated); otherwise
/// `Feasible` with the best tour found.
pub fn solve(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &IlsOptions,
) -> SolveResult<TspSolution> {
    let n = inst.n();
    if n == 0 {
        return SolveResult::infeasible("the instance has no nodes");
    }
    if n <= 8 {
        return match brute_force(inst) {
            Some((tour, cost)) => {
                report(observer, budget, cost, "enumeration");
                let mut r = SolveResult::feasible(TspSolution { tour }, cost as f64);
                r.status = Status::Optimal;
                r.bound = Some(cost as f64);
                r
            }
            None => SolveResult::infeasible("no tour contains all the fixed edges"),
        };
    }
    let (mut g, ascent, mut lists) = match working_graph(inst, budget, opts) {
        Ok(x) => x,
        Err(e) => return SolveResult::infeasible(e),
    };
    // The defaults measured better above `LARGE_MIN_N` nodes.
    let large = g.n > LARGE_MIN_N;
    if opts.pi_costs.unwrap_or(large)
        && let Some(a) = ascent.as_ref()
        && g.set_penalties(&a.pi)
    {
        lists.push_str("; moves on the transformed costs d + pi_a + pi_b");
    }
    let bound = ascent.as_ref().and_then(|a| a.bound);
    // A tour at the Held–Karp bound is optimal: the search may stop there.
    let budget = &match bound {
        Some(b) => {
            let b = b as f64;
            budget
                .clone()
                .with_target(Some(budget.target().map_or(b, |t| t.max(b))))
        }
        None => budget.clone(),
    };
    let lk_move = opts.lk_move.unwrap_or(DEFAULT_LK_MOVE);
    let start = construct::greedy(&g, budget);
    let restricted = opts.restricted.unwrap_or(DEFAULT_RESTRICTED) && ascent.is_some();
    let ils_tree = ascent
        .as_ref()
        .filter(|_| restricted)
        .map(|a| Arc::new(EdgeSet::from_edges(g.n, &a.tree.edges())));
    let warm = opts.initial.as_ref().and_then(|s| to_working(&g, &s.tour));
    let base = LsParams::for_graph(&g);
    let params = LsParams {
        kick_tournament: opts.kick_tournament.unwrap_or(1).max(1),
        lk_move,
        lk3_breadth: opts.lk3_breadth.unwrap_or(DEFAULT_LK3_BREADTH),
        spatial_every: opts.kick_spatial.unwrap_or(DEFAULT_SPATIAL_EVERY),
        kopt_k: opts.kopt_k.unwrap_or(base.kopt_k).clamp(2, 5),
        lk3_depth: opts.lk3_depth.unwrap_or(base.lk3_depth).max(1),
        kopt_breadth: opts.kopt_breadth.unwrap_or(DEFAULT_KOPT_BREADTH).max(1),
        kick_len: opts.kick_len.unwrap_or(base.kick_len).max(1),
        ..base
    };
    let first_move = opts
        .first_move
        .or((g.n > FIRST_5OPT_MIN_N && ascent.is_some()).then_some(LkMove::FiveOpt));
    let first =
        (first_move.is_some_and(|m| m != lk_move) || opts.first_depth.is_some()).then(|| {
            LsParams {
                lk_move: first_move.unwrap_or(lk_move),
                lk3_depth: opts.first_depth.unwrap_or(params.lk3_depth).max(1),
                ..params
            }
        });
    let ils = TspIls {
        g: &g,
        start,
        params,
        restricted,
        tree: ils_tree.clone(),
        bridges: opts.bridges.unwrap_or(DEFAULT_BRIDGES),
        first,
    };
    let config = EngineConfig {
        threads: opts.threads.max(1),
        seed: opts.seed,
        acceptance: opts.acceptance.unwrap_or(DEFAULT_ACCEPTANCE),
        restart_after: 0,
    };
    // The default: walkers where they were measured better (one thread, alpha lists).
    let walkers = opts
        .walkers
        .unwrap_or(if config.threads == 1 && !g.atsp && ascent.is_some() {
            DEFAULT_WALKERS
        } else {
            0
        });
    let run = if walkers >= 1 {
        let noise = opts
            .start_noise
            .unwrap_or(if large { DEFAULT_START_NOISE } else { 0.0 });
        // Walker 0 from the warm start or the greedy tour, the others from their own noisy
        // greedy tours (or the greedy tour too).
        let starts = (0..walkers)
            .map(|i| match i {
                0 => warm.clone(),
                _ if noise > 0.0 && warm.is_none() => {
                    let mut rng =
                        ChaCha8Rng::seed_from_u64(worker_seed(config.seed, i, START_STREAM));
                    let order = construct::greedy_noisy(&g, budget, Some((&mut rng, noise)));
                    let cost = Tour::new(order.clone()).cost(&g);
                    Some(Snapshot {
                        order,
                        cost,
                        guide: ils_tree.clone(),
                        built: true,
                    })
                }
                _ => None,
            })
            .collect();
        let plan = WalkerPlan {
            walkers,
            epochs: opts.epochs.unwrap_or(DEFAULT_EPOCHS).max(1),
            adopt: opts.adopt.unwrap_or(true),
            shake: opts.shake.unwrap_or(DEFAULT_SHAKE),
            trial: opts.trial.unwrap_or(DEFAULT_TRIAL),
            zero: match (opts.trial.unwrap_or(DEFAULT_TRIAL), ascent.as_ref()) {
                (TrialStarts::Shake, _) | (_, None) => None,
                (_, Some(a)) => Some(
                    ils_tree
                        .clone()
                        .unwrap_or_else(|| Arc::new(EdgeSet::from_edges(g.n, &a.tree.edges()))),
                ),
            },
        };
        run_walkers(&ils, &config, budget, observer, starts, &plan).map(|(r, m)| (r, Some(m)))
    } else {
        search::run(&ils, &config, budget, observer, warm.as_ref()).map(|r| (r, None))
    };
    let Some((res, merged)) = run else {
        return SolveResult::unknown("the budget ended before a tour was built");
    };
    let tour = from_working(&g, &res.best.order);
    let cost = tour_cost(inst, &tour);
    let mut r = SolveResult::feasible(TspSolution { tour }, cost as f64);
    r.message = Some(format!(
        "{lists}; {} moves{}{}; {} iterations",
        move_words(&ils.params),
        if opts.lk_move.is_none() {
            " (the default)"
        } else {
            ""
        },
        ils.first.as_ref().map_or(String::new(), |f| format!(
            ", the first descents from constructed tours with {} moves in chains of up to {}",
            move_words(f),
            f.lk3_depth
        )),
        res.iterations
    ));
    if let (Some(m), Some(msg)) = (merged, r.message.as_mut()) {
        msg.push_str(&format!(
            "; {walkers} walker(s) merged by partition crossover: {} of {} merges gave a better tour ({} components taken from the other tour; {} of {} recombinable), {} stuck epochs shaken, {} trial starts",
            m.better, m.merges, m.taken, m.feasible, m.components, m.shaken, m.trials
        ));
    }
    if let Some(b) = bound {
        r.bound = Some(b as f64);
        if cost <= b {
            r.status = Status::Optimal;
        }
        // The final objective once more, with its bound.
        observer.improved(&Improvement {
            objective: cost as f64,
            bound: r.bound,
            elapsed: budget.elapsed(),
            source: "held-karp",
        });
    }
    r
}

/// The move of `p` for the messages.
fn move_words(p: &LsParams) -> String {
    match p.lk_move {
        LkMove::FiveOpt => format!("{}-opt", p.kopt_k),
        m => m.as_str().to_string(),
    }
}

/// Node penalties in cost units, scaled to the ascent's integers (non-finite values as 0).
fn scaled_penalties(p: &[f64]) -> Vec<i64> {
    const LIMIT: f64 = 1e15;
    p.iter()
        .map(|&x| {
            if x.is_finite() {
                (x * alpha::PREC as f64).round().clamp(-LIMIT, LIMIT) as i64
            } else {
                0
            }
        })
        .collect()
}

/// What [`held_karp`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldKarp {
    /// The best node penalties, in cost units, one per node.
    pub pi: Vec<f64>,
    /// The Held–Karp lower bound (the ceiling of the best `W(pi)`).
    pub bound: i64,
    /// Subgradient steps taken.
    pub iterations: usize,
    /// The steps started from the given penalties (they beat zero).
    pub warm: bool,
    /// The time cap (or the budget) ended the ascent before its schedule did.
    pub capped: bool,
}

/// The Held–Karp subgradient ascent that `tsp.ils` runs for its alpha lists and bound, alone,
/// from zero or from `start` (cost units, one per node), within the time `cap` if given (the
/// schedule fitted to it, as in `tsp.ils`): the learned ascent's training data and
/// measurements (`quotient_neural::pi`). `None` for an ATSP or an instance of fewer than 3
/// nodes, fixed edges that cannot be in one tour or that are the tour, or when the budget
/// ended first.
pub fn held_karp(
    inst: &TspInstance,
    budget: &Budget,
    cap: Option<Duration>,
    start: Option<&[f64]>,
) -> Option<HeldKarp> {
    if !inst.is_symmetric() || inst.n() < 3 {
        return None;
    }
    let g = Graph::fixed_only(inst).ok()?;
    if g.fixed_tour() {
        return None;
    }
    let start = start.map(scaled_penalties);
    let cap = cap.map(|c| Instant::now() + c);
    let a = alpha::ascent_from(&g, budget, cap, true, start.as_deref())?;
    Some(HeldKarp {
        pi: a
            .pi
            .iter()
            .map(|&p| p as f64 / alpha::PREC as f64)
            .collect(),
        bound: a.bound?,
        iterations: a.iterations,
        warm: a.warm,
        capped: a.capped,
    })
}

/// The working graph with its candidate lists, the ascent when the alpha lists were built, and
/// a sentence saying which lists and why. `Err` when the fixed edges cannot be in one tour.
fn working_graph<'a>(
    inst: &'a TspInstance,
    budget: &Budget,
    opts: &IlsOptions,
) -> Result<(Graph<'a>, Option<Ascent>, String), String> {
    let n_work = if inst.is_symmetric() {
        inst.n()
    } else {
        2 * inst.n()
    };
    let why_not = match opts.alpha {
        Some(true) => None,
        Some(false) => Some("alpha lists off".to_string()),
        None if !matches!(opts.candidates, CandidateOrder::Distance) => {
            Some("lists chosen by a heatmap".to_string())
        }
        None if alpha_pays(
            n_work,
            budget.time_limit(),
            opts.lk_move.unwrap_or(DEFAULT_LK_MOVE),
            sparse_ascent(inst),
        ) =>
        {
            None
        }
        None => Some(format!(
            "no alpha lists: {n_work} nodes are over the automatic limit for {}",
            budget
                .time_limit()
                .map_or("no time limit".to_string(), |l| format!(
                    "{:.3} s",
                    l.as_secs_f64()
                ))
        )),
    };
    let why_not = match why_not {
        Some(w) => w,
        None => {
            let mut g = Graph::fixed_only(inst)?;
            if g.fixed_tour() {
                "no ascent: the fixed edges are the tour".to_string()
            } else {
                let t0 = Instant::now();
                let share = opts.ascent_share.unwrap_or(ASCENT_SHARE).clamp(0.0, 1.0);
                let cap = budget.remaining().map(|r| t0 + r.mul_f64(share));
                let k = opts.neighbours.unwrap_or(ALPHA_NEIGHBOURS).max(1);
                let compress = opts.ascent_compress.unwrap_or(alpha::DEFAULT_COMPRESS);
                let start = opts
                    .ascent_start
                    .as_deref()
                    .filter(|_| !g.atsp)
                    .map(|p| scaled_penalties(p));
                let sparse = sparse_ascent(inst) && n_work > ALPHA_SPARSE_MIN_N;
                let mut delaunay = false;
                let a = if sparse {
                    let q = Graph::with_options(
                        inst,
                        SPARSE_ASCENT_NEIGHBOURS,
                        true,
                        &CandidateOrder::Distance,
                    )?;
                    // The lists and a greedy tour over them: a tour in the graph keeps the
                    // ascent bounded, and connects clusters that the lists may not.
                    let tour = construct::greedy(&q, budget);
                    let mut edges: Vec<(usize, usize)> = (0..q.n)
                        .flat_map(|a| q.cands(a).map(move |b| (a, b)))
                        .collect();
                    if opts.delaunay.unwrap_or(DEFAULT_DELAUNAY)
                        && let Some(d) = q.delaunay_edges()
                    {
                        edges.extend(d);
                        delaunay = true;
                    }
                    alpha::ascent_sparse(
                        &g,
                        budget,
                        cap,
                        compress,
                        start.as_deref(),
                        &edges,
                        &tour,
                        true,
                    )
                } else {
                    alpha::ascent_from(&g, budget, cap, compress, start.as_deref())
                };
                let sparse_words = if sparse {
                    format!(
                        "sparse ascent on {SPARSE_ASCENT_NEIGHBOURS} nearest + quadrant neighbours{} and a greedy tour, ",
                        if delaunay { ", the Delaunay edges" } else { "" }
                    )
                } else {
                    String::new()
                };
                // ATSP, automatic: the bound only; the nearest lists did better (BENCHMARKS.md).
                if let Some(a) = a.as_ref().filter(|_| g.atsp && opts.alpha.is_none()) {
                    let k = opts.neighbours.unwrap_or(DEFAULT_NEIGHBOURS);
                    let g = Graph::with_options(inst, k, false, &opts.candidates)?;
                    let msg = format!(
                        "nearest lists (alpha lists lost on ATSP); ascent {} steps{} in {:.3} s; {}",
                        a.iterations,
                        if a.capped {
                            ", cut at the time cap"
                        } else {
                            ""
                        },
                        t0.elapsed().as_secs_f64(),
                        bound_words(a.bound)
                    );
                    return Ok((g, Some(a.clone()), msg));
                }
                match a.and_then(|a| alpha::candidates(&g, &a, k, budget).map(|c| (a, c))) {
                    Some((a, c)) => {
                        let mix = opts.alpha_mix.unwrap_or(DEFAULT_ALPHA_MIX);
                        let (c, width, mixed) = mix_quadrants(inst, &g, c, k, mix)?;
                        g.set_ranked_candidates(c, width);
                        let msg = format!(
                            "alpha lists ({k} per node{mixed}; {sparse_words}ascent {}{} steps{} in {:.3} s; {}{})",
                            match (&opts.ascent_start, a.warm) {
                                (None, _) => "",
                                (Some(_), true) => "from the given penalties, ",
                                (Some(_), false) =>
                                    "from zero (the given penalties were no better, or not one per node), ",
                            },
                            a.iterations,
                            if a.capped {
                                ", cut at the time cap"
                            } else {
                                ""
                            },
                            t0.elapsed().as_secs_f64(),
                            bound_words(a.bound),
                            if a.tour {
                                ", a 1-tree tour: optimal"
                            } else {
                                ""
                            }
                        );
                        return Ok((g, Some(a), msg));
                    }
                    // No time left for other lists either: a tour, promptly.
                    None if budget.is_exhausted() => {
                        let g = Graph::without_candidates(inst)?;
                        let msg = "no candidate lists: the budget ended during the ascent";
                        return Ok((g, None, msg.to_string()));
                    }
                    None => "no alpha lists: the ascent stopped early".to_string(),
                }
            }
        }
    };
    let k = opts.neighbours.unwrap_or(DEFAULT_NEIGHBOURS);
    let quadrants = opts.quadrants.unwrap_or(true);
    let g = Graph::with_options(inst, k, quadrants, &opts.candidates)?;
    let what = match opts.candidates {
        CandidateOrder::Distance if quadrants && inst.is_symmetric() => "nearest + quadrant lists",
        CandidateOrder::Distance => "nearest lists",
        CandidateOrder::SoftDist(_) => "SoftDist lists",
        CandidateOrder::Heatmap { .. } => "heatmap lists",
    };
    Ok((g, None, format!("{what} ({why_not})")))
}

/// The ascent's bound for the messages.
fn bound_words(bound: Option<i64>) -> String {
    match bound {
        Some(b) => format!("Held-Karp bound {b}"),
        None => format!(
            "no Held-Karp bound (above {} nodes the 1-tree over all pairs is not computed)",
            alpha::SPARSE_BOUND_MAX_N
        ),
    }
}

/// The alpha lists `c` (`k` per node) with up to `mix` nearest + quadrant neighbours of each
/// node appended (those not already in its list), for symmetric coordinate instances; the
/// lists, their width, and words for the message. `mix == 0` or other instances: unchanged.
fn mix_quadrants(
    inst: &TspInstance,
    g: &Graph<'_>,
    c: Vec<u32>,
    k: usize,
    mix: usize,
) -> Result<(Vec<u32>, usize, String), String> {
    if mix == 0 || g.atsp || inst.coords().is_none() {
        return Ok((c, k, String::new()));
    }
    let q = Graph::with_options(inst, mix, true, &CandidateOrder::Distance)?;
    let width = k + mix;
    let mut out = vec![u32::MAX; g.n * width];
    let mut added = 0usize;
    for a in 0..g.n {
        let row = &mut out[a * width..(a + 1) * width];
        let mut len = 0;
        for &b in c[a * k..(a + 1) * k].iter().filter(|&&b| b != u32::MAX) {
            row[len] = b;
            len += 1;
        }
        for b in q.cands(a) {
            if !row[..len].contains(&(b as u32)) && len < width {
                row[len] = b as u32;
                len += 1;
                added += 1;
            }
        }
    }
    Ok((
        out,
        width,
        format!(
            " + {:.2} nearest/quadrant on average",
            added as f64 / g.n.max(1) as f64
        ),
    ))
}

fn report(observer: &dyn Observer, budget: &Budget, cost: i64, source: &str) {
    observer.improved(&Improvement {
        objective: cost as f64,
        bound: None,
        elapsed: budget.elapsed(),
        source,
    });
}

/// Whether `tour` is a permutation of `0..n` that keeps the fixed edges (arcs for ATSP).
pub(crate) fn valid_tour(inst: &TspInstance, tour: &[usize]) -> bool {
    let n = inst.n();
    if tour.len() != n {
        return false;
    }
    let mut pos = vec![usize::MAX; n];
    for (i, &v) in tour.iter().enumerate() {
        if v >= n || pos[v] != usize::MAX {
            return false;
        }
        pos[v] = i;
    }
    inst.fixed_edges.iter().all(|&(a, b)| {
        if a >= n || b >= n {
            return false;
        }
        let succ = |v: usize| tour[(pos[v] + 1) % n];
        succ(a) == b || (inst.is_symmetric() && succ(b) == a)
    })
}

/// Best tour by enumeration (n <= 8), node 0 first. `None` when no tour keeps the fixed edges.
pub(crate) fn brute_force(inst: &TspInstance) -> Option<(Vec<usize>, i64)> {
    let n = inst.n();
    let mut rest: Vec<usize> = (1..n).collect();
    let mut best: Option<(Vec<usize>, i64)> = None;
    let mut tour = Vec::with_capacity(n);
    permute(&mut rest, 0, &mut |perm| {
        tour.clear();
        tour.push(0);
        tour.extend_from_slice(perm);
        if valid_tour(inst, &tour) {
            let c = tour_cost(inst, &tour);
            if best.as_ref().is_none_or(|(_, bc)| c < *bc) {
                best = Some((tour.clone(), c));
            }
        }
    });
    if n == 1 {
        return Some((vec![0], inst.dist(0, 0)));
    }
    best
}

fn permute(v: &mut [usize], k: usize, f: &mut impl FnMut(&[usize])) {
    if k == v.len() {
        f(v);
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permute(v, k + 1, f);
        v.swap(k, i);
    }
}

/// A tour of the instance as a tour of the working graph (`None` if it is not a valid tour).
fn to_working(g: &Graph<'_>, tour: &[usize]) -> Option<Snapshot> {
    if !valid_tour(g.inst(), tour) {
        return None;
    }
    let order: Vec<u32> = if g.atsp {
        tour.iter()
            .flat_map(|&v| [v as u32, (g.n_orig + v) as u32])
            .collect()
    } else {
        tour.iter().map(|&v| v as u32).collect()
    };
    let t = Tour::new(order);
    let cost = t.cost(g);
    Some(Snapshot {
        order: t.order().to_vec(),
        cost,
        guide: None,
        built: true,
    })
}

/// A working-graph tour back on the instance: for ATSP, the in nodes in the direction in which
/// each is followed by its own out node.
fn from_working(g: &Graph<'_>, order: &[u32]) -> Vec<usize> {
    if !g.atsp {
        return order.iter().map(|&v| v as usize).collect();
    }
    let n = g.n_orig;
    let m = order.len();
    let Some(p0) = order.iter().position(|&v| v == 0) else {
        return Vec::new();
    };
    let forward = order[(p0 + 1) % m] as usize == n;
    (0..m)
        .map(|k| {
            if forward {
                order[(p0 + k) % m]
            } else {
                order[(p0 + m - k) % m]
            }
        })
        .map(|v| v as usize)
        .filter(|&v| v < n)
        .collect()
}

/// The stream of the walkers' epochs (engine runs; see [`worker_seed`]).
const WALKER_STREAM: u64 = 0x3A1C_E125;

/// The stream of the walkers' noisy greedy starts.
const START_STREAM: u64 = 0x57A2_7000;

/// The stream of the walkers' shakes.
const SHAKE_STREAM: u64 = 0x5EED_5A4E;

/// How [`run_walkers`] shares the budget.
struct WalkerPlan {
    walkers: usize,
    epochs: usize,
    adopt: bool,
    shake: usize,
    trial: TrialStarts,
    /// For trial starts: the edges at alpha value zero (the 1-tree's).
    zero: Option<Arc<EdgeSet>>,
}

/// What the merges of [`run_walkers`] did.
#[derive(Debug, Default, Clone, Copy)]
struct MergeStats {
    /// Merges tried (a walker's tour with a different best tour).
    merges: usize,
    /// Epochs started from a trial walk.
    trials: usize,
    /// Merges whose child was better than both parents.
    better: usize,
    /// Components in which those children took the paths of the parent that was not the base.
    taken: usize,
    /// Epochs that left a walker's tour as it was, after which it was shaken.
    shaken: usize,
    /// Components found over all merges, and those recombinable by the pairing test.
    components: usize,
    feasible: usize,
}

/// Passes on only objectives below the best passed so far (the walkers' engine runs each
/// report their own bests), with the time measured on the whole solve's budget.
struct BestOnly<'o> {
    inner: &'o dyn Observer,
    budget: &'o Budget,
    best: std::sync::Mutex<f64>,
}

impl BestOnly<'_> {
    fn better(&self, objective: f64) -> bool {
        let mut best = self.best.lock().unwrap_or_else(|e| e.into_inner());
        if objective < *best {
            *best = objective;
            true
        } else {
            false
        }
    }
}

impl Observer for BestOnly<'_> {
    fn improved(&self, event: &Improvement<'_>) {
        if self.better(event.objective) {
            self.inner.improved(&Improvement {
                elapsed: self.budget.elapsed(),
                ..*event
            });
        }
    }

    fn improved_with(&self, event: &Improvement<'_>, solution: crate::engine::SolutionFn<'_>) {
        if self.better(event.objective) {
            self.inner.improved_with(
                &Improvement {
                    elapsed: self.budget.elapsed(),
                    ..*event
                },
                solution,
            );
        }
    }
}

/// Several iterated local searches by epochs: in each round every walker runs the engine on
/// one thread from its own tour for an epoch (a share of the budget; the walkers of a round run
/// side by side on the configured threads), then, walker by walker, its tour is merged with the
/// best tour by partition crossover; the child (better than both, when there is one) becomes
/// the best and, with `adopt`, the walker's tour. A walker whose epoch did not improve its tour
/// starts the next one from it after a shake. Walker `i` starts from `starts[i]` (`None`: the
/// search's greedy tour). `None` when no tour was built.
fn run_walkers(
    ils: &TspIls<'_, '_>,
    config: &EngineConfig,
    budget: &Budget,
    observer: &dyn Observer,
    starts: Vec<Option<Snapshot>>,
    plan: &WalkerPlan,
) -> Option<(search::EngineResult<Snapshot>, MergeStats)> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let k = plan.walkers;
    let threads = config.threads.clamp(1, k);
    // Epochs one after the other on a thread, over the whole budget.
    let slices = (plan.epochs * k.div_ceil(threads)) as u32;
    let filter = BestOnly {
        inner: observer,
        budget,
        best: Mutex::new(f64::INFINITY),
    };
    // An epoch's share, fixed at the start (after the ascent): time, iterations, or both.
    let epoch_time = budget.remaining().map(|r| r / slices);
    let epoch_iters = budget
        .max_iterations()
        .map(|m| (m / u64::from(slices) / threads as u64).max(1));
    let mut walkers = starts;
    walkers.resize(k, None);
    let mut best: Option<Snapshot> = None;
    // The best tour before the last improvement (LKH's "next best" for trial starts).
    let mut prev_best: Option<Snapshot> = None;
    let mut merger = super::merge::Merger::default();
    let mut stats = MergeStats::default();
    let iterations = std::sync::atomic::AtomicU64::new(0);
    let mut shake_rng = ChaCha8Rng::seed_from_u64(worker_seed(config.seed, 0, SHAKE_STREAM));
    for round in 0u64.. {
        let target_hit = best
            .as_ref()
            .is_some_and(|b| budget.target_reached(ils.g.real(b.cost) as f64));
        // The first round always runs: like the engine, a solve returns at least its start
        // after a local search, however little budget is left.
        if round > 0 && (target_hit || budget.is_done(iterations.load(Ordering::Relaxed))) {
            break;
        }
        // One epoch of walker `i` (`None`: nothing built, the budget ended).
        let epoch = |i: usize| -> Option<Snapshot> {
            // The last epochs may run past the plan (without a time limit a solve ends by
            // iterations or the cancel flag): each is capped by what is left.
            let time = match (epoch_time, budget.remaining()) {
                (Some(e), Some(r)) => Some(e.min(r)),
                (None, r) => r.or(Some(Duration::from_secs(1))),
                (e, None) => e,
            };
            let done = iterations.load(Ordering::Relaxed);
            let iters = budget
                .max_iterations()
                .map(|m| epoch_iters.unwrap_or(m).min(m.saturating_sub(done)));
            let sub = Budget::new(time)
                .with_cancel(budget.cancel_flag().clone())
                .with_target(budget.target())
                .with_max_iterations(iters);
            let run = round as usize * k + i;
            let cfg = EngineConfig {
                threads: 1,
                seed: worker_seed(config.seed, run, WALKER_STREAM),
                ..config.clone()
            };
            let res = search::run(ils, &cfg, &sub, &filter, walkers[i].as_ref())?;
            iterations.fetch_add(res.iterations, Ordering::Relaxed);
            Some(res.best)
        };
        let results: Vec<Mutex<Option<Snapshot>>> = (0..k).map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        search::run_workers(threads, |_| {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= k {
                    break;
                }
                let r = epoch(i);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = r;
            }
        });
        for (walker, result) in walkers.iter_mut().zip(results) {
            let Some(mine) = result.into_inner().unwrap_or_else(|e| e.into_inner()) else {
                continue;
            };
            // A walker that its own kicks no longer move starts its next epoch elsewhere.
            let stuck = walker.as_ref().is_some_and(|w| mine.cost >= w.cost);
            let next = match &best {
                None => {
                    prev_best = best.replace(mine.clone());
                    mine
                }
                Some(b) if b.order == mine.order => mine,
                Some(b) => {
                    stats.merges += 1;
                    let m = merger.merge(ils.g, &mine.order, mine.cost, &b.order, b.cost);
                    stats.components += merger.last_components;
                    stats.feasible += merger.last_feasible;
                    match m {
                        Some(m) => {
                            stats.better += 1;
                            stats.taken += m.taken;
                            let child = Snapshot {
                                order: m.order,
                                cost: m.cost,
                                guide: None,
                                built: false,
                            };
                            let solution = || ils.export(&child);
                            filter.improved_with(
                                &Improvement {
                                    objective: ils.g.real(child.cost) as f64,
                                    bound: None,
                                    elapsed: budget.elapsed(),
                                    source: "merge",
                                },
                                &solution,
                            );
                            prev_best = best.replace(child.clone());
                            if plan.adopt { child } else { mine }
                        }
                        None if mine.cost < b.cost => {
                            prev_best = best.replace(mine.clone());
                            mine
                        }
                        None => mine,
                    }
                }
            };
            let trial = match plan.trial {
                TrialStarts::Shake => false,
                TrialStarts::Stuck => stuck,
                TrialStarts::Every => true,
            };
            let walk = best.as_ref().filter(|_| trial).and_then(|b| {
                let mut tours = vec![b.order.as_slice()];
                tours.extend(prev_best.as_ref().map(|p| p.order.as_slice()));
                let zero = plan.zero.as_deref()?;
                construct::trial_walk(ils.g, zero, &tours, &mut shake_rng)
            });
            *walker = Some(if let Some(order) = walk {
                stats.trials += 1;
                let cost = Tour::new(order.clone()).cost(ils.g);
                let guide = best
                    .as_ref()
                    .filter(|_| ils.restricted)
                    .map(|b| Arc::new(EdgeSet::from_tour(&b.order)));
                Snapshot {
                    order,
                    cost,
                    guide,
                    built: true,
                }
            } else if stuck && plan.shake > 0 {
                stats.shaken += 1;
                ils.shake(&next, plan.shake, &mut shake_rng)
            } else {
                next
            });
        }
    }
    let best = best?;
    Some((
        search::EngineResult {
            cost: ils.g.real(best.cost) as f64,
            best,
            iterations: iterations.into_inner(),
            elapsed: budget.elapsed(),
        },
        stats,
    ))
}

impl TspIls<'_, '_> {
    /// `tour` after `per_mille` kicks per thousand nodes (at least one), made at once without
    /// local search in between (the next epoch's start searches from it).
    fn shake(&self, tour: &Snapshot, per_mille: usize, rng: &mut ChaCha8Rng) -> Snapshot {
        let mut t = Tour::new(tour.order.clone());
        let mut cost = tour.cost;
        let mut ls = LocalSearch::new(self.g.n, self.params);
        for _ in 0..(self.g.n * per_mille / 1000).max(1) {
            if let Some(d) = ls.kick(self.g, &mut t, rng) {
                cost += d;
            }
        }
        Snapshot {
            order: t.order().to_vec(),
            cost,
            guide: None,
            built: false,
        }
    }
}

/// The published form of a worker's tour.
#[derive(Debug, Clone)]
struct Snapshot {
    order: Vec<u32>,
    cost: i64,
    /// With restricted search: the edges that the first descent from this tour does not start
    /// a chain with (the 1-tree's for a constructed start, the best tour's for a trial start).
    guide: Option<Arc<EdgeSet>>,
    /// A constructed (or given) tour, not a kicked, shaken or merged one: its descent is a
    /// first descent, with [`TspIls::first`]'s move when set.
    built: bool,
}

/// A worker's state.
#[derive(Debug)]
struct IlsState {
    tour: Tour,
    cost: i64,
    ls: LocalSearch,
    fresh: bool,
}

struct TspIls<'g, 'a> {
    g: &'g Graph<'a>,
    start: Vec<u32>,
    params: LsParams,
    /// Restricted search in the first descent of an epoch (see [`IlsOptions::restricted`]).
    restricted: bool,
    /// The 1-tree's edges, which the first descent from the greedy start does not remove first.
    tree: Option<Arc<EdgeSet>>,
    /// Non-sequential moves at the end of the first descent (see [`IlsOptions::bridges`]).
    bridges: bool,
    /// The local search of the first descent from a constructed tour, when it differs from
    /// `params` (see [`IlsOptions::first_move`]).
    first: Option<LsParams>,
}

impl Search for TspIls<'_, '_> {
    type State = IlsState;
    type Solution = Snapshot;

    fn export(&self, s: &Snapshot) -> Option<Box<dyn std::any::Any + Send>> {
        let tour = from_working(self.g, &s.order);
        Some(Box::new(AnySolution::Tsp(TspSolution { tour })))
    }

    fn start(&self, _worker: usize, _rng: &mut ChaCha8Rng, warm: Option<&Snapshot>) -> IlsState {
        let (order, guide, built) = match warm {
            None => (self.start.clone(), self.tree.clone(), true),
            Some(w) => (w.order.clone(), w.guide.clone(), w.built),
        };
        let tour = Tour::new(order);
        let cost = tour.cost(self.g);
        let params = self.first.filter(|_| built).unwrap_or(self.params);
        let mut ls = LocalSearch::new(self.g.n, params);
        ls.set_protected(guide.filter(|_| self.restricted));
        ls.set_bridges(self.bridges);
        IlsState {
            tour,
            cost,
            ls,
            fresh: true,
        }
    }

    fn cost(&self, state: &IlsState) -> f64 {
        self.g.real(state.cost) as f64
    }

    fn snapshot(&self, state: &IlsState) -> Snapshot {
        Snapshot {
            order: state.tour.order().to_vec(),
            cost: state.cost,
            guide: None,
            built: false,
        }
    }

    fn restore(&self, state: &mut IlsState, solution: &Snapshot) {
        state.tour.set(&solution.order);
        state.cost = solution.cost;
        state.ls.clear();
    }

    fn local_search(&self, state: &mut IlsState, rng: &mut ChaCha8Rng, budget: &Budget) {
        let fresh = state.fresh;
        if fresh {
            state.fresh = false;
            state.ls.push_all(&state.tour, rng);
        }
        state
            .ls
            .run(self.g, &mut state.tour, &mut state.cost, budget);
        // The restriction and the bridges are for the first descent only; the kicks'
        // searches are free, and local.
        if fresh {
            state.ls.set_protected(None);
            state.ls.set_bridges(false);
            state.ls.params = self.params;
        }
    }

    fn perturb(&self, state: &mut IlsState, rng: &mut ChaCha8Rng) -> &'static str {
        match state.ls.kick(self.g, &mut state.tour, rng) {
            Some(d) => {
                state.cost += d;
                "double-bridge"
            }
            None => "none",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

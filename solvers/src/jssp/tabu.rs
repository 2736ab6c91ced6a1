//! `jssp.tabu`: tabu search over the disjunctive graph with the N7 neighbourhood (N5 swaps
//! included), driven by the engine's parallel improvement loop.
//!
//! Design:
//! * Start: the best of the dispatching rules (Giffler–Thompson active schedules, see
//!   [`super::dispatch`]) turned into machine sequences and of the insertion heuristic (longest
//!   operation first, [`super::insertion`]); worker `w` starts from the `w`-th best (worker 0 from the
//!   warm start when one is given).
//! * [`Search::local_search`] is one tabu phase: each iteration builds a critical path and its
//!   blocks, evaluates every N7 move with the head/tail estimate, and applies the best move
//!   that is not tabu (or is tabu but estimated to beat the phase's best: aspiration; when
//!   every move is tabu a random one is taken). A move is tabu when it restores an order of
//!   two operations reversed less than `tenure` iterations ago; the tenure is drawn for every
//!   move in `[L, 1.4 L]` (or `1.5 L` when jobs > 2 machines), `L = 10 + jobs / machines`
//!   (Zhang et al.). The phase ends after `phase_iters` iterations without improving its
//!   best, and leaves the state at that best. Cycling (a schedule seen again within the last
//!   64 iterations) is broken by a random move.
//! * [`Search::perturb`] forgets the tabu list; with path relinking on (option `relink`, off
//!   by default: [`DEFAULT_RELINK`]) and two elite schedules or more (the worker's best distinct phase
//!   results), one time in three it walks from the current schedule towards a random other
//!   elite one, or the other way round, for 1/3 to 1/2 of the distance ([`super::relink`],
//!   i-TSAB style) and the next tabu phase starts there; otherwise it restarts now and then
//!   from an elite schedule and applies a few random N7 moves.
//! * Heads and tails are recomputed from scratch after each move; the incremental update
//!   ([`Schedule::update`], option `incremental`) is kept with its twin tests but is off by
//!   default (slower in measurements: most critical moves shift a large part of the graph).
//! * The engine accepts a phase's result when it is no worse (`Acceptance::Better`), shares
//!   the incumbent between workers, and restarts a worker from it after 10 phases without
//!   progress. Every loop polls the budget; the solve stops at the trivial lower bound.

use super::dispatch::{ALL_RULES, schedule};
use super::graph::{Block, Problem, Schedule};
use super::insertion::{Order, construct};
use super::moves::{
    Move, Scratch, acyclic, apply, apply_or_undo, apply_update, created_orders, critical_moves,
    estimate,
};
use super::relink::{distance, positions, walk};
use crate::engine::search::run;
use crate::engine::tabu::{RecentHashes, TabuTable, Tenure};
use crate::engine::{
    Acceptance, Budget, ElitePool, EngineConfig, Observer, Search, SolveResult, Status,
};
use quotient_problems::jssp::{JsspInstance, JsspSolution};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
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
    /// Iterations without improvement that end a tabu phase (0: default, 2500).
    pub phase_iters: u64,
    /// Random N7 moves in a kick between phases (0: default, 3).
    pub kick: usize,
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
const ELITE: usize = 8;
/// With relinking on, one perturbation in this many relinks (when two elite schedules exist).
const RELINK_ODDS: u32 = 3;
/// Largest tabu table (slots of one `u64`, per worker): 8 MiB.
const DENSE_TABU: usize = 1 << 20;
const RECENT: usize = 64;

/// A compact schedule: the machine sequences.
#[derive(Debug, Clone)]
pub struct Sequences {
    seq: Vec<Vec<u32>>,
}

/// One worker's search state.
#[derive(Debug)]
pub struct State {
    sch: Schedule,
    /// Putting operation `a` before operation `b` is tabu at slot [`Tabu::tabu_slot`]`(a, b)`.
    tabu: TabuTable,
    iter: u64,
    best_seq: Vec<Vec<u32>>,
    best_cmax: i64,
    /// The worker's best distinct phase results: makespan, (hash, machine sequences).
    elite: ElitePool<i64, (u64, Vec<Vec<u32>>)>,
    recent: RecentHashes<RECENT>,
    path: Vec<u32>,
    by_machine: Vec<bool>,
    blocks: Vec<Block>,
    moves: Vec<Move>,
    sc: Scratch,
    /// Positions in the relinking target.
    tpos: Vec<u32>,
}

struct Tabu<'a> {
    p: &'a Problem,
    /// Start schedules, best first.
    starts: Vec<Vec<Vec<u32>>>,
    /// The best start, ready (every start was validated when built).
    first: Schedule,
    /// Tabu table layout: exact pairs (`dense`, machine blocks at `tabu_offset`) or hashed.
    dense: bool,
    tabu_offset: Vec<usize>,
    tabu_len: usize,
    tenure: Tenure,
    phase_iters: u64,
    kick: usize,
    relink: bool,
    /// Stop as soon as the makespan is at or below this (lower bound or target).
    stop_at: i64,
    #[cfg_attr(not(feature = "check-deltas"), allow(dead_code))]
    all_positive: bool,
    /// Incremental head/tail updates (all durations positive and the option on).
    incremental: bool,
    policy: Option<(Arc<dyn MovePolicy>, f64)>,
}

impl Tabu<'_> {
    /// Slot of the ordered pair (a before b), both on one machine: one slot per pair (a `k x k`
    /// block per machine) when that fits in [`DENSE_TABU`] slots, else a hash into a table of
    /// [`DENSE_TABU`] slots (a collision can only make a move tabu by mistake).
    fn tabu_slot(&self, a: u32, b: u32) -> usize {
        let p = self.p;
        if self.dense {
            let m = p.mach[a as usize] as usize;
            let k = p.mach_count[m];
            self.tabu_offset[m] + p.local[a as usize] as usize * k + p.local[b as usize] as usize
        } else {
            let h = (u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (h >> 40) as usize % DENSE_TABU
        }
    }

    /// Whether `mv` restores an order that is still tabu.
    fn is_tabu(&self, st: &State, mv: Move) -> bool {
        created_orders(&st.sch, mv).any(|(a, b)| st.tabu.is_tabu(self.tabu_slot(a, b), st.iter))
    }

    /// Forbid undoing `mv` (to be called before applying it).
    fn make_tabu(&self, st: &mut State, mv: Move, tenure: u64) {
        let until = st.iter + tenure;
        for (a, b) in created_orders(&st.sch, mv) {
            st.tabu.forbid(self.tabu_slot(b, a), until);
        }
    }

    /// The N7 moves of a critical path of the current schedule into `st.moves`.
    fn neighbourhood(&self, st: &mut State, rng: &mut ChaCha8Rng) {
        critical_moves(
            self.p,
            &st.sch,
            rng,
            &mut st.path,
            &mut st.by_machine,
            &mut st.blocks,
            &mut st.moves,
        );
    }

    /// Apply `mv` and recompute; undo it and return false if it made a cycle (only possible
    /// when the acyclicity test was skipped).
    fn apply_checked(&self, st: &mut State, mv: Move) -> bool {
        if !self.incremental {
            return apply_or_undo(self.p, &mut st.sch, mv);
        }
        if apply_update(self.p, &mut st.sch, mv) {
            return true;
        }
        apply(&mut st.sch, mv.inverse());
        st.sch.recompute(self.p);
        false
    }

    /// The policy's choice among the admissible moves of `st.moves` (acyclic; not tabu, or
    /// estimated to beat the phase's best).
    fn policy_move(&self, st: &mut State, policy: &dyn MovePolicy) -> Option<Move> {
        let p = self.p;
        let mut admissible = Vec::with_capacity(st.moves.len());
        for i in 0..st.moves.len() {
            let mv = st.moves[i];
            if acyclic(p, &st.sch, mv)
                && (!self.is_tabu(st, mv) || estimate(p, &st.sch, mv, &mut st.sc) < st.best_cmax)
            {
                admissible.push(mv);
            }
        }
        if admissible.is_empty() {
            return None;
        }
        let k = policy.choose(p, &st.sch, &admissible)?;
        admissible.get(k).copied()
    }

    /// One random acyclic N7 move of the current critical path; false when there is none.
    fn random_move(&self, st: &mut State, rng: &mut ChaCha8Rng) -> bool {
        self.neighbourhood(st, rng);
        let p = self.p;
        let sch = &st.sch;
        st.moves.retain(|&mv| acyclic(p, sch, mv));
        if st.moves.is_empty() {
            return false;
        }
        let mv = st.moves[rng.random_range(0..st.moves.len())];
        self.apply_checked(st, mv)
    }

    /// Run-time twin check (feature `check-deltas`): the estimate of an applied move against
    /// the recomputed heads and tails.
    #[cfg(feature = "check-deltas")]
    fn check_delta(&self, before: &Schedule, after: &Schedule, mv: Move) {
        let mut sc = Scratch::default();
        let est = estimate(self.p, before, mv, &mut sc);
        if mv.is_swap() {
            assert!(est <= after.cmax, "swap estimate {est} > {}", after.cmax);
            for (i, &x) in sc.ops.iter().enumerate() {
                assert_eq!(sc.head[i], after.head[x as usize], "swap head");
                assert_eq!(sc.tail[i], after.tail[x as usize], "swap tail");
            }
        } else if mv.from > mv.to {
            assert_eq!(sc.head[0], after.head[sc.ops[0] as usize], "insert head");
        } else if let (Some(&x), Some(&t)) = (sc.ops.last(), sc.tail.last()) {
            assert_eq!(t, after.tail[x as usize], "insert tail");
        }
        let mut full = before.clone();
        apply(&mut full, mv);
        assert!(full.recompute(self.p));
        // The incremental update's twin: everything recomputed from scratch.
        assert_eq!(full.head, after.head);
        assert_eq!(full.tail, after.tail);
        assert_eq!(full.cmax, after.cmax);
        assert_eq!(full.hash, after.hash);
    }

    /// Path relinking between the current schedule and elite schedule `i`: from the current
    /// one towards the elite one or the other way round (at random), stopping after 1/3 to 1/2
    /// of the distance. False (state unchanged) when they are equal.
    fn relink_towards(&self, st: &mut State, i: usize, rng: &mut ChaCha8Rng) -> bool {
        let Some((_, (_, elite))) = st.elite.get(i) else {
            return false;
        };
        if rng.random::<bool>() {
            positions(elite, &mut st.tpos);
        } else {
            positions(&st.sch.seq, &mut st.tpos);
            st.sch.load(self.p, elite);
        }
        let d = distance(&st.sch.seq, &st.tpos);
        if d == 0 {
            return false;
        }
        let steps = (d * rng.random_range(33..=50) / 100).max(1);
        walk(self.p, &mut st.sch, &st.tpos, steps, rng, &mut st.sc);
        true
    }

    fn remember_elite(st: &mut State) {
        let h = st.sch.hash;
        st.elite
            .insert(st.sch.cmax, (h, st.sch.seq.clone()), |e| e.0 == h);
    }
}

impl Search for Tabu<'_> {
    type State = State;
    type Solution = Sequences;

    fn start(&self, worker: usize, _rng: &mut ChaCha8Rng, warm: Option<&Sequences>) -> State {
        let p = self.p;
        let seq = warm
            .map(|w| w.seq.clone())
            .or_else(|| self.starts.get(worker % self.starts.len().max(1)).cloned())
            .unwrap_or_default();
        let sch = Schedule::from_seqs(p, seq).unwrap_or_else(|| self.first.clone());
        State {
            best_seq: sch.seq.clone(),
            best_cmax: sch.cmax,
            sch,
            tabu: TabuTable::new(self.tabu_len),
            iter: 0,
            elite: ElitePool::new(ELITE),
            recent: RecentHashes::default(),
            path: Vec::new(),
            by_machine: Vec::new(),
            blocks: Vec::new(),
            moves: Vec::new(),
            sc: Scratch::default(),
            tpos: Vec::new(),
        }
    }

    fn cost(&self, st: &State) -> f64 {
        st.sch.cmax as f64
    }

    fn snapshot(&self, st: &State) -> Sequences {
        Sequences {
            seq: st.sch.seq.clone(),
        }
    }

    fn restore(&self, st: &mut State, sol: &Sequences) {
        st.sch.load(self.p, &sol.seq);
    }

    fn local_search(&self, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
        let p = self.p;
        st.best_cmax = st.sch.cmax;
        st.best_seq.clone_from(&st.sch.seq);
        let mut since = 0u64;
        while since < self.phase_iters && st.sch.cmax > self.stop_at && !budget.is_exhausted() {
            st.iter += 1;
            since += 1;
            self.neighbourhood(st, rng);
            let picked = match &self.policy {
                Some((policy, rate)) if rng.random::<f64>() < *rate => {
                    self.policy_move(st, policy.as_ref())
                }
                _ => None,
            };
            // Best admissible move by estimate (ties at random); a random tabu one otherwise.
            let mut best: Option<(i64, Move)> = picked.map(|mv| (i64::MIN, mv));
            let mut ties = 0u32;
            let mut fallback: Option<Move> = None;
            let mut seen_tabu = 0u32;
            for i in 0..st.moves.len() {
                if picked.is_some() {
                    break;
                }
                let mv = st.moves[i];
                if !acyclic(p, &st.sch, mv) {
                    continue;
                }
                let est = estimate(p, &st.sch, mv, &mut st.sc);
                if self.is_tabu(st, mv) && est >= st.best_cmax {
                    seen_tabu += 1;
                    if rng.random_range(0..seen_tabu) == 0 {
                        fallback = Some(mv);
                    }
                    continue;
                }
                match best {
                    Some((b, _)) if est > b => {}
                    Some((b, _)) if est == b => {
                        ties += 1;
                        if rng.random_range(0..ties) == 0 {
                            best = Some((est, mv));
                        }
                    }
                    _ => {
                        best = Some((est, mv));
                        ties = 1;
                    }
                }
            }
            let Some(mv) = best.map(|b| b.1).or(fallback) else {
                break;
            };
            let tenure = self.tenure.draw(rng);
            self.make_tabu(st, mv, tenure);
            #[cfg(feature = "check-deltas")]
            let before = st.sch.clone();
            let applied = self.apply_checked(st, mv);
            #[cfg(feature = "check-deltas")]
            {
                if mv.is_swap() && self.all_positive {
                    assert!(applied, "an N5 swap on a critical block made a cycle");
                }
                if applied {
                    self.check_delta(&before, &st.sch, mv);
                }
            }
            if !applied {
                continue;
            }
            if st.sch.cmax < st.best_cmax {
                st.best_cmax = st.sch.cmax;
                st.best_seq.clone_from(&st.sch.seq);
                since = 0;
            }
            let h = st.sch.hash;
            if st.recent.contains(h) {
                // Cycling: leave the cycle with a random move.
                self.random_move(st, rng);
            }
            st.recent.record(st.iter, st.sch.hash);
        }
        if st.sch.cmax != st.best_cmax || st.sch.seq != st.best_seq {
            st.sch.load(p, &st.best_seq);
        }
        Self::remember_elite(st);
    }

    fn perturb(&self, st: &mut State, rng: &mut ChaCha8Rng) -> &'static str {
        // Forget the tabu list: every entry expires within `tenure.max` iterations.
        st.iter += self.tenure.max + 1;
        let mut name = "tabu";
        if self.relink && st.elite.len() >= 2 && rng.random_range(0..RELINK_ODDS) == 0 {
            let h = st.sch.hash;
            let others = st.elite.iter().filter(|e| e.1.0 != h).count();
            if let Some(i) = st
                .elite
                .iter()
                .enumerate()
                .filter(|(_, e)| e.1.0 != h)
                .nth(rng.random_range(0..others.max(1)))
                .map(|(i, _)| i)
                && self.relink_towards(st, i, rng)
            {
                return "tabu-relink";
            }
        }
        if !st.elite.is_empty() && rng.random_range(0..5) == 0 {
            let i = rng.random_range(0..st.elite.len());
            if let Some((_, (_, seq))) = st.elite.get(i) {
                st.sch.load(self.p, seq);
            }
            name = "tabu-elite";
        }
        for _ in 0..self.kick {
            if !self.random_move(st, rng) {
                break;
            }
        }
        name
    }
}

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
    // Start schedules: every dispatching rule and both insertion orders, best first,
    // duplicates dropped.
    let mut starts: Vec<(i64, u64, Vec<Vec<u32>>)> = Vec::new();
    for rule in ALL_RULES {
        let (sol, _) = schedule(inst, rule);
        let Some(seq) = p.seqs_from_starts(&sol) else {
            continue;
        };
        if let Some(s) = Schedule::from_seqs(&p, seq)
            && !starts.iter().any(|x| x.1 == s.hash)
        {
            starts.push((s.cmax, s.hash, s.seq));
        }
    }
    // The insertion heuristic, longest operation first (the job-wise order is rarely better
    // and costs as much: about 0.5 s on 100x20).
    if !budget.is_exhausted() {
        let (seq, _) = construct(&p, Order::LongestFirst);
        if let Some(s) = Schedule::from_seqs(&p, seq)
            && !starts.iter().any(|x| x.1 == s.hash)
        {
            starts.push((s.cmax, s.hash, s.seq));
        }
    }
    for extra in &opts.extra_starts {
        if let Some(s) = p
            .seqs_from_starts(extra)
            .and_then(|seq| Schedule::from_seqs(&p, seq))
            && !starts.iter().any(|x| x.1 == s.hash)
        {
            starts.push((s.cmax, s.hash, s.seq));
        }
    }
    starts.sort_by_key(|s| s.0);
    if starts.is_empty() {
        return SolveResult::unknown("no start schedule could be built");
    }
    let warm = opts
        .initial
        .as_ref()
        .and_then(|w| p.seqs_from_starts(w))
        .and_then(|seq| Schedule::from_seqs(&p, seq))
        .map(|s| Sequences { seq: s.seq });
    let jobs = p.num_jobs() as u64;
    let machines = (p.machines as u64).max(1);
    let tenure_min = 10 + jobs / machines;
    let tenure_max = if jobs <= 2 * machines {
        tenure_min * 14 / 10
    } else {
        tenure_min * 15 / 10
    };
    let user_target = budget.target().filter(|t| t.is_finite());
    let stop_at = user_target.map_or(lb, |t| lb.max(t.floor() as i64));
    let Some(first) = Schedule::from_seqs(&p, starts[0].2.clone()) else {
        return SolveResult::unknown("no start schedule could be built");
    };
    let mut tabu_offset = Vec::with_capacity(p.machines);
    let mut pairs = 0usize;
    for &k in &p.mach_count {
        tabu_offset.push(pairs);
        pairs = pairs.saturating_add(k.saturating_mul(k));
    }
    let dense = pairs <= dense_limit.min(DENSE_TABU);
    let all_positive = p.dur.iter().all(|&d| d > 0);
    let search = Tabu {
        p: &p,
        dense,
        tabu_offset,
        tabu_len: if dense { pairs } else { DENSE_TABU },
        starts: starts.into_iter().map(|s| s.2).collect(),
        first,
        tenure: Tenure {
            min: tenure_min,
            max: tenure_max,
        },
        phase_iters: if opts.phase_iters == 0 {
            DEFAULT_PHASE_ITERS
        } else {
            opts.phase_iters
        },
        kick: if opts.kick == 0 {
            DEFAULT_KICK
        } else {
            opts.kick
        },
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::NoObserver;
    use quotient_problems::jssp::{check, generate::random, read_jssp};
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    fn bench(name: &str) -> JsspInstance {
        let path = format!(
            "{}/../../shared/bench/jssp/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        read_jssp(&text, name).unwrap()
    }

    fn checked(inst: &JsspInstance, r: &SolveResult<JsspSolution>) -> i64 {
        let sol = r.solution.as_ref().unwrap();
        let rep = check(inst, sol);
        assert!(rep.is_feasible(), "{:?}", rep.violations);
        assert_eq!(Some(rep.objective), r.objective);
        rep.objective as i64
    }

    /// A policy that counts its calls and picks the last admissible move.
    #[derive(Debug, Default)]
    struct Last(std::sync::atomic::AtomicU64);

    impl MovePolicy for Last {
        fn choose(&self, p: &Problem, sch: &Schedule, moves: &[Move]) -> Option<usize> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            assert!(!moves.is_empty());
            assert!(moves.iter().all(|&mv| acyclic(p, sch, mv)));
            Some(moves.len() - 1)
        }
    }

    #[test]
    fn a_move_policy_is_consulted_at_its_rate_and_schedules_stay_feasible() {
        let inst = random(10, 5, 3);
        let policy = Arc::new(Last::default());
        let opts = TabuOptions {
            threads: 1,
            seed: 2,
            phase_iters: 300,
            policy: Some(policy.clone()),
            policy_rate: 0.25,
            ..Default::default()
        };
        let budget = Budget::new(Some(Duration::from_secs(2))).with_max_iterations(Some(3));
        let r = solve(&inst, &budget, &NoObserver, &opts);
        checked(&inst, &r);
        let calls = policy.0.load(std::sync::atomic::Ordering::Relaxed);
        assert!(calls > 0, "the policy was never consulted");
        // Rate 0 switches it off.
        let quiet = Arc::new(Last::default());
        let opts = TabuOptions {
            policy: Some(quiet.clone()),
            policy_rate: 0.0,
            ..opts
        };
        checked(&inst, &solve(&inst, &budget, &NoObserver, &opts));
        assert_eq!(quiet.0.load(std::sync::atomic::Ordering::Relaxed), 0);
    }

    #[test]
    fn ft06_reaches_55_within_a_second() {
        let inst = bench("ft06");
        let t = Instant::now();
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(5))).with_target(Some(55.0)),
            &NoObserver,
            &TabuOptions::default(),
        );
        assert_eq!(checked(&inst, &r), 55);
        assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
        // 55 is not the trivial bound (52), so the status stays feasible.
        assert_eq!(r.status, Status::Feasible);
        assert_eq!(r.bound, Some(inst.trivial_lower_bound() as f64));
    }

    #[test]
    fn random_instances_improve_on_dispatch_and_check() {
        for (jobs, machines, seed, threads) in [(10, 5, 1, 1), (15, 10, 2, 2), (6, 3, 3, 1)] {
            let inst = random(jobs, machines, seed);
            let seen = Mutex::new(Vec::new());
            let obs = |e: &crate::engine::Improvement<'_>| seen.lock().unwrap().push(e.objective);
            let r = solve(
                &inst,
                &Budget::new(Some(Duration::from_millis(300))),
                &obs,
                &TabuOptions {
                    threads,
                    seed,
                    ..Default::default()
                },
            );
            let ms = checked(&inst, &r);
            let disp = ALL_RULES
                .iter()
                .map(|&rule| schedule(&inst, rule).1)
                .min()
                .unwrap();
            assert!(ms <= disp);
            assert!(ms >= inst.trivial_lower_bound());
            let seen = seen.into_inner().unwrap();
            assert_eq!(seen.last().copied(), Some(ms as f64));
            if ms == inst.trivial_lower_bound() {
                assert_eq!(r.status, Status::Optimal);
            }
        }
    }

    #[test]
    fn lower_bound_reached_means_optimal_and_stops() {
        // 10 jobs x 5 machines: the machine loads dominate, the bound is usually reached.
        let inst = random(20, 3, 9);
        let t = Instant::now();
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(20))),
            &NoObserver,
            &TabuOptions::default(),
        );
        let ms = checked(&inst, &r);
        assert_eq!(ms, inst.trivial_lower_bound());
        assert_eq!(r.status, Status::Optimal);
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn cancel_is_honoured() {
        let inst = random(30, 15, 5);
        let budget = Budget::new(Some(Duration::from_secs(60)));
        let b2 = budget.clone();
        let h = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            b2.cancel();
            Instant::now()
        });
        let r = solve(
            &inst,
            &budget,
            &NoObserver,
            &TabuOptions {
                threads: 2,
                ..Default::default()
            },
        );
        let at = h.join().unwrap();
        assert!(
            at.elapsed() < Duration::from_millis(50),
            "{:?}",
            at.elapsed()
        );
        checked(&inst, &r);
    }

    #[test]
    fn warm_start_and_edge_cases() {
        let inst = bench("ft06");
        let warm = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(1)),
            &NoObserver,
            &TabuOptions::default(),
        );
        let w = checked(&inst, &warm);
        let r = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(0)),
            &NoObserver,
            &TabuOptions {
                initial: warm.solution.clone(),
                ..Default::default()
            },
        );
        assert!(checked(&inst, &r) <= w);
        // A warm start of the wrong shape is ignored.
        let r = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(0)),
            &NoObserver,
            &TabuOptions {
                initial: Some(JsspSolution {
                    start: vec![vec![0]],
                }),
                ..Default::default()
            },
        );
        checked(&inst, &r);
        // Empty instance, zero durations, a job visiting a machine twice, a bad machine.
        let empty = JsspInstance {
            name: "e".into(),
            machines: 2,
            jobs: vec![vec![], vec![]],
        };
        let r = solve(
            &empty,
            &Budget::default(),
            &NoObserver,
            &TabuOptions::default(),
        );
        assert_eq!(r.status, Status::Optimal);
        checked(&empty, &r);
        let op = |machine, duration| quotient_problems::jssp::Operation { machine, duration };
        let odd = JsspInstance {
            name: "o".into(),
            machines: 2,
            jobs: vec![
                vec![op(0, 0), op(0, 3), op(1, 0), op(1, 2)],
                vec![op(1, 4), op(0, 0), op(0, 5)],
                vec![op(0, 0), op(1, 0)],
            ],
        };
        let r = solve(
            &odd,
            &Budget::new(Some(Duration::from_millis(100))),
            &NoObserver,
            &TabuOptions::default(),
        );
        checked(&odd, &r);
        let bad = JsspInstance {
            name: "b".into(),
            machines: 1,
            jobs: vec![vec![op(3, 1)]],
        };
        let r = solve(
            &bad,
            &Budget::default(),
            &NoObserver,
            &TabuOptions::default(),
        );
        assert_eq!(r.status, Status::Infeasible);
        let neg = JsspInstance {
            name: "n".into(),
            machines: 1,
            jobs: vec![vec![op(0, -1)]],
        };
        let r = solve(
            &neg,
            &Budget::default(),
            &NoObserver,
            &TabuOptions::default(),
        );
        assert_eq!(r.status, Status::Unknown);
    }

    #[test]
    fn zero_durations_sharing_a_start_time_convert_without_cycles() {
        // orb07 has a zero-length operation; sorting by start alone made a cycle there.
        let inst = bench("orb07");
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_millis(200))),
            &NoObserver,
            &TabuOptions::default(),
        );
        checked(&inst, &r);
        // Zero-length operations at one time on two machines, crossing jobs.
        let op = |machine, duration| quotient_problems::jssp::Operation { machine, duration };
        let inst = JsspInstance {
            name: "z".into(),
            machines: 2,
            jobs: vec![
                vec![op(1, 0), op(0, 0), op(0, 2)],
                vec![op(0, 0), op(1, 0), op(1, 3)],
            ],
        };
        let p = Problem::new(&inst).unwrap();
        let all_zero = JsspSolution {
            start: vec![vec![0, 0, 0], vec![0, 0, 2]],
        };
        let seq = p.seqs_from_starts(&all_zero).unwrap();
        assert!(Schedule::from_seqs(&p, seq).is_some());
        let r = solve(
            &inst,
            &Budget::default(),
            &NoObserver,
            &TabuOptions::default(),
        );
        assert_eq!(checked(&inst, &r), 3);
        assert_eq!(r.status, Status::Optimal);
    }

    /// Relinking and the incremental update (both off by default) give checked schedules no
    /// worse than the dispatching rules.
    #[test]
    fn relinking_and_incremental_options_work() {
        let inst = random(10, 5, 6);
        let disp = ALL_RULES
            .iter()
            .map(|&rule| schedule(&inst, rule).1)
            .min()
            .unwrap();
        for (relink, incremental) in [(true, false), (true, true), (false, true)] {
            let r = solve(
                &inst,
                &Budget::default().with_max_iterations(Some(30)),
                &NoObserver,
                &TabuOptions {
                    seed: 2,
                    phase_iters: 100,
                    relink: Some(relink),
                    incremental: Some(incremental),
                    ..Default::default()
                },
            );
            assert!(checked(&inst, &r) <= disp);
        }
    }

    #[test]
    fn hashed_tabu_table_works() {
        let inst = random(10, 5, 8);
        let r = solve_with(
            &inst,
            &Budget::new(Some(Duration::from_millis(200))),
            &NoObserver,
            &TabuOptions::default(),
            0,
        );
        let ms = checked(&inst, &r);
        let disp = ALL_RULES
            .iter()
            .map(|&rule| schedule(&inst, rule).1)
            .min()
            .unwrap();
        assert!(ms < disp);
    }

    #[test]
    fn single_thread_with_seed_is_deterministic() {
        let inst = random(10, 5, 4);
        let go = || {
            solve(
                &inst,
                &Budget::default().with_max_iterations(Some(5)),
                &NoObserver,
                &TabuOptions {
                    seed: 3,
                    phase_iters: 200,
                    ..Default::default()
                },
            )
        };
        assert_eq!(go().solution, go().solution);
    }

    /// la01 (666) and ft10 (930) in a few seconds: release builds only.
    #[test]
    #[ignore = "release-mode speed check: cargo test --release -- --ignored"]
    fn la01_and_ft10_reach_their_optima() {
        for (name, opt) in [("la01", 666), ("ft10", 930)] {
            let inst = bench(name);
            let r = solve(
                &inst,
                &Budget::new(Some(Duration::from_secs(10))).with_target(Some(opt as f64)),
                &NoObserver,
                &TabuOptions {
                    threads: 2,
                    ..Default::default()
                },
            );
            assert_eq!(checked(&inst, &r), opt, "{name}");
        }
    }
}

//! Graph policies for job shop over the disjunctive graph (ONNX, ort): a dispatching policy
//! (L2D style: which operation to schedule next) and an improvement policy (L2S style: which
//! move of the current schedule's critical blocks to make). Both networks have one signature
//! (`neural/train/gnn/model.py`): node features `x` [n, 5], job arcs and machine arcs [2, e],
//! candidate pairs [c, 2] -> one score per pair.
//!
//! The graph tensors are built here from the solver's own structures
//! ([`quotient_solvers::jssp::graph`]); the training data is written by the same code
//! (`neural/examples/jssp_data.rs`), so features can never drift between training and use.
//!
//! * Dispatching state ([`Dispatch`]): operations placed so far form a partial schedule; the
//!   candidates are the next operation of every unfinished job; placing one puts it into the
//!   earliest gap of its machine that fits after its job predecessor (left-shift insertion, so
//!   every schedule built is active-like and feasible). Features per operation: placed, lower
//!   bound of its completion time (placed: its end; a candidate: the end of its earliest slot;
//!   otherwise its job predecessor's bound plus its duration), duration, work left in its job
//!   from it on, candidate; times are divided by the instance's trivial lower bound. Machine arcs join consecutive placed operations per machine.
//! * Improvement state: a complete schedule; features head / makespan, tail / makespan,
//!   duration, on a critical path, position in the machine sequence; candidates are the N7 moves
//!   of one critical path (N5 swaps included) as (moved operation, operation at the target).

use crate::NeuralError;
use crate::runtime::{GraphTensors, Model};
use quotient_solvers::engine::Budget;
use quotient_solvers::engine::tabu::{RecentHashes, TabuMap, Tenure};
use quotient_solvers::jssp::graph::{NONE, Problem, Schedule};
use quotient_solvers::jssp::moves::{Move, acyclic, apply_or_undo, created_orders, critical_moves};
use rand::Rng;

/// Features per operation.
pub const FEATURES: usize = 5;

/// The registry name of the dispatching policy.
pub const DISPATCH_MODEL: &str = "jssp_dispatch_gnn";

/// The registry name of the improvement policy.
pub const IMPROVE_MODEL: &str = "jssp_improve_gnn";

/// One state as the network sees it, before flattening.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub x: Vec<[f32; FEATURES]>,
    pub job: Vec<(u32, u32)>,
    pub mach: Vec<(u32, u32)>,
    pub pairs: Vec<(u32, u32)>,
}

impl Graph {
    /// The model's input tensors. An empty arc set becomes one self-loop on operation 0 (the
    /// export does not take empty edge tensors; training data goes through this same function).
    pub fn tensors(&self) -> GraphTensors {
        let flat = |arcs: &[(u32, u32)]| -> Vec<i64> {
            if arcs.is_empty() {
                return vec![0, 0];
            }
            let mut v = Vec::with_capacity(2 * arcs.len());
            v.extend(arcs.iter().map(|a| i64::from(a.0)));
            v.extend(arcs.iter().map(|a| i64::from(a.1)));
            v
        };
        GraphTensors {
            n: self.x.len(),
            f: FEATURES,
            x: self.x.iter().flatten().copied().collect(),
            job: flat(&self.job),
            mach: flat(&self.mach),
            pairs: self
                .pairs
                .iter()
                .flat_map(|&(u, v)| [i64::from(u), i64::from(v)])
                .collect(),
        }
    }
}

/// The job arcs of `p` (operation -> job successor).
fn job_arcs(p: &Problem) -> Vec<(u32, u32)> {
    (0..p.num_ops() as u32)
        .filter_map(|o| {
            let s = p.jnext[o as usize];
            (s != NONE).then_some((o, s))
        })
        .collect()
}

/// Work left in each operation's job from it on (itself included).
fn work_left(p: &Problem) -> Vec<i64> {
    let mut w = vec![0i64; p.num_ops()];
    for j in 0..p.num_jobs() {
        let mut acc = 0i64;
        for o in (p.job_start[j]..p.job_start[j + 1]).rev() {
            acc = acc.saturating_add(p.dur[o]);
            w[o] = acc;
        }
    }
    w
}

/// The trivial lower bound of the makespan (largest job or machine load), at least 1.
fn scale(p: &Problem) -> f32 {
    let job = (0..p.num_jobs())
        .map(|j| {
            p.dur[p.job_start[j]..p.job_start[j + 1]]
                .iter()
                .sum::<i64>()
        })
        .max()
        .unwrap_or(0);
    let mut load = vec![0i64; p.machines];
    for o in 0..p.num_ops() {
        load[p.mach[o] as usize] += p.dur[o];
    }
    job.max(load.into_iter().max().unwrap_or(0)).max(1) as f32
}

fn max_dur(p: &Problem) -> f32 {
    p.dur.iter().copied().max().unwrap_or(0).max(1) as f32
}

/// Set `o`'s completion bound to `end` and its job successors' to `end` plus their durations.
fn set_completion(p: &Problem, lb: &mut [i64], o: u32, end: i64) {
    lb[o as usize] = end;
    let (mut x, mut prev) = (p.jnext[o as usize], end);
    while x != NONE {
        prev = prev.saturating_add(p.dur[x as usize]);
        lb[x as usize] = prev;
        x = p.jnext[x as usize];
    }
}

/// A partial schedule built one operation at a time (see the module documentation).
#[derive(Debug, Clone)]
pub struct Dispatch<'a> {
    p: &'a Problem,
    /// Next operation of each job, [`NONE`] when the job is done.
    next: Vec<u32>,
    placed: Vec<bool>,
    start: Vec<i64>,
    /// Lower bound of each operation's completion time.
    lb: Vec<i64>,
    work: Vec<i64>,
    /// Placed operations of each machine, by start time.
    timeline: Vec<Vec<u32>>,
    job_arcs: Vec<(u32, u32)>,
    scale: f32,
    max_dur: f32,
    left: usize,
}

impl<'a> Dispatch<'a> {
    pub fn new(p: &'a Problem) -> Dispatch<'a> {
        let n = p.num_ops();
        let mut lb = vec![0i64; n];
        for j in 0..p.num_jobs() {
            let mut acc = 0i64;
            let ops = p.job_start[j]..p.job_start[j + 1];
            for (slot, &d) in lb[ops.clone()].iter_mut().zip(&p.dur[ops]) {
                acc = acc.saturating_add(d);
                *slot = acc;
            }
        }
        let next = (0..p.num_jobs())
            .map(|j| {
                if p.job_start[j] < p.job_start[j + 1] {
                    p.job_start[j] as u32
                } else {
                    NONE
                }
            })
            .collect();
        Dispatch {
            p,
            next,
            placed: vec![false; n],
            start: vec![0; n],
            lb,
            work: work_left(p),
            timeline: vec![Vec::new(); p.machines],
            job_arcs: job_arcs(p),
            scale: scale(p),
            max_dur: max_dur(p),
            left: n,
        }
    }

    pub fn done(&self) -> bool {
        self.left == 0
    }

    /// The operations that may be placed next (one per unfinished job).
    pub fn candidates(&self) -> Vec<u32> {
        self.next.iter().copied().filter(|&o| o != NONE).collect()
    }

    fn end(&self, o: u32) -> i64 {
        self.start[o as usize] + self.p.dur[o as usize]
    }

    /// Earliest start of `o` in a gap of its machine after its job predecessor, and the index
    /// in the machine's timeline where it goes.
    pub fn slot(&self, o: u32) -> (i64, usize) {
        let p = self.p;
        let jp = p.jprev[o as usize];
        let ready = if jp == NONE { 0 } else { self.end(jp) };
        let d = p.dur[o as usize];
        let line = &self.timeline[p.mach[o as usize] as usize];
        let mut prev_end = 0i64;
        for (i, &x) in line.iter().enumerate() {
            let s = ready.max(prev_end);
            if s + d <= self.start[x as usize] {
                return (s, i);
            }
            prev_end = prev_end.max(self.end(x));
        }
        (ready.max(prev_end), line.len())
    }

    /// Place candidate `o` at its [`Dispatch::slot`]. `o` must be a candidate.
    pub fn place(&mut self, o: u32) {
        let p = self.p;
        let (s, i) = self.slot(o);
        let ou = o as usize;
        self.start[ou] = s;
        self.placed[ou] = true;
        self.timeline[p.mach[ou] as usize].insert(i, o);
        set_completion(p, &mut self.lb, o, s + p.dur[ou]);
        let j = p.job_start.partition_point(|&st| st <= ou) - 1;
        self.next[j] = p.jnext[ou];
        self.left -= 1;
    }

    /// The state with `cands` as the candidate pairs (o, o).
    pub fn graph(&self, cands: &[u32]) -> Graph {
        let p = self.p;
        let mut is_cand = vec![false; p.num_ops()];
        // Completion bounds with each candidate at its actual earliest slot (and its job's
        // later operations after it).
        let mut lb = self.lb.clone();
        for &c in cands {
            is_cand[c as usize] = true;
            set_completion(p, &mut lb, c, self.slot(c).0 + p.dur[c as usize]);
        }
        let x = (0..p.num_ops())
            .map(|o| {
                [
                    f32::from(u8::from(self.placed[o])),
                    lb[o] as f32 / self.scale,
                    p.dur[o] as f32 / self.max_dur,
                    self.work[o] as f32 / self.scale,
                    f32::from(u8::from(is_cand[o])),
                ]
            })
            .collect();
        let mach = self
            .timeline
            .iter()
            .flat_map(|line| line.windows(2).map(|w| (w[0], w[1])))
            .collect();
        Graph {
            x,
            job: self.job_arcs.clone(),
            mach,
            pairs: cands.iter().map(|&c| (c, c)).collect(),
        }
    }

    /// Start times per operation (meaningful once [`Dispatch::done`]).
    pub fn starts(&self) -> &[i64] {
        &self.start
    }

    /// The makespan of the operations placed so far.
    pub fn makespan(&self) -> i64 {
        (0..self.p.num_ops() as u32)
            .filter(|&o| self.placed[o as usize])
            .map(|o| self.end(o))
            .max()
            .unwrap_or(0)
    }
}

/// Build a schedule with `choose` picking among the candidates (an index into them); states
/// with one candidate are not offered to it.
pub fn dispatch_with<E>(
    p: &Problem,
    mut choose: impl FnMut(&Dispatch<'_>, &[u32]) -> Result<usize, E>,
) -> Result<Dispatch<'_>, E> {
    let mut d = Dispatch::new(p);
    while !d.done() {
        let cands = d.candidates();
        let k = if cands.len() == 1 {
            0
        } else {
            choose(&d, &cands)?.min(cands.len() - 1)
        };
        d.place(cands[k]);
    }
    Ok(d)
}

/// Index of the largest score (the first of equals); 0 for none.
pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// The dispatching policy, greedy. When the budget runs out before the end, the remaining
/// operations are placed earliest start first (no more model calls); the flag says so.
pub fn gnn_dispatch<'a>(
    model: &Model,
    p: &'a Problem,
    budget: &Budget,
) -> Result<(Dispatch<'a>, bool), NeuralError> {
    let mut cut = false;
    let d = dispatch_with(p, |d, cands| {
        if budget.is_exhausted() {
            cut = true;
            return Ok(earliest(d, cands));
        }
        let scores = model.run_graph(&d.graph(cands).tensors())?;
        Ok(argmax(&scores))
    })?;
    Ok((d, cut))
}

/// The candidate with the earliest start (ties: earliest completion, then index).
pub fn earliest(d: &Dispatch<'_>, cands: &[u32]) -> usize {
    let mut best = (i64::MAX, i64::MAX, 0usize);
    for (i, &o) in cands.iter().enumerate() {
        let s = d.slot(o).0;
        let key = (s, s + d.p.dur[o as usize], i);
        if key < best {
            best = key;
        }
    }
    best.2
}

/// The improvement state of a complete schedule with `moves` as candidates.
pub fn schedule_graph(p: &Problem, sch: &Schedule, moves: &[Move]) -> Graph {
    let c = sch.cmax.max(1) as f32;
    let md = max_dur(p);
    let x = (0..p.num_ops())
        .map(|o| {
            let m = p.mach[o] as usize;
            let crit = sch.head[o] + p.dur[o] + sch.tail[o] == sch.cmax;
            [
                sch.head[o] as f32 / c,
                sch.tail[o] as f32 / c,
                p.dur[o] as f32 / md,
                f32::from(u8::from(crit)),
                sch.pos[o] as f32 / p.mach_count[m].max(1) as f32,
            ]
        })
        .collect();
    let mach = sch
        .seq
        .iter()
        .flat_map(|s| s.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let pairs = moves
        .iter()
        .map(|mv| {
            let s = &sch.seq[mv.m as usize];
            (s[mv.from as usize], s[mv.to as usize])
        })
        .collect();
    Graph {
        x,
        job: job_arcs(p),
        mach,
        pairs,
    }
}

/// What [`improve`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImproveStats {
    pub steps: u64,
    /// Steps that took a random move to leave a cycle.
    pub escapes: u64,
    /// The search stopped because no move was left (or the lower bound was reached).
    pub exhausted: bool,
}

/// Improvement by a move-choosing policy (L2S style) with a short tabu memory: each step builds
/// a critical path, lists its acyclic N7 moves, drops those that restore an order reversed in
/// the last `L..1.4 L` steps (L = 10 + jobs / machines, as the tabu search) unless all are,
/// lets `choose` pick one (an index into them), applies it and keeps the best schedule. A
/// schedule seen again within 64 steps is left by a random move. Stops after `steps` steps,
/// when the budget runs out, at `stop_at`, or when the critical path has no move.
pub fn improve<R: Rng, E>(
    p: &Problem,
    start: Schedule,
    steps: u64,
    stop_at: i64,
    budget: &Budget,
    rng: &mut R,
    mut choose: impl FnMut(&Schedule, &[Move]) -> Result<usize, E>,
) -> Result<(Schedule, ImproveStats), E> {
    let mut sch = start;
    let mut best = sch.clone();
    let mut stats = ImproveStats::default();
    let base = 10 + (p.num_jobs() / p.machines.max(1)) as u64;
    let tenure = Tenure {
        min: base,
        max: base + (base * 2).div_ceil(5),
    };
    let mut tabu: TabuMap<(u32, u32)> = TabuMap::new(1 << 16);
    let mut recent = RecentHashes::<64>::default();
    let (mut path, mut by_machine, mut blocks, mut moves) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // The acyclic N7 moves of one critical path of `sch` into `moves`.
    let mut acyclic_moves = |sch: &Schedule, rng: &mut R, moves: &mut Vec<Move>| {
        critical_moves(p, sch, rng, &mut path, &mut by_machine, &mut blocks, moves);
        moves.retain(|&mv| acyclic(p, sch, mv));
    };
    while stats.steps < steps && best.cmax > stop_at && !budget.is_exhausted() {
        stats.steps += 1;
        let it = stats.steps;
        acyclic_moves(&sch, rng, &mut moves);
        if moves.is_empty() {
            stats.exhausted = true;
            break;
        }
        let is_tabu = |mv: &Move| created_orders(&sch, *mv).any(|o| tabu.is_tabu(&o, it));
        let free: Vec<Move> = moves.iter().copied().filter(|m| !is_tabu(m)).collect();
        let offered = if free.is_empty() { &moves } else { &free };
        let k = choose(&sch, offered)?.min(offered.len() - 1);
        let mv = offered[k];
        // Forbid restoring the orders this move reverses.
        let until = it + tenure.draw(rng);
        for (a, b) in created_orders(&sch, mv) {
            tabu.forbid((b, a), until);
        }
        if !apply_or_undo(p, &mut sch, mv) {
            continue;
        }
        if recent.contains(sch.hash) {
            // Leave the cycle by one random acyclic move of a critical path.
            stats.escapes += 1;
            acyclic_moves(&sch, rng, &mut moves);
            if !moves.is_empty() {
                let mv = moves[rng.random_range(0..moves.len())];
                apply_or_undo(p, &mut sch, mv);
            }
        }
        recent.record(it, sch.hash);
        if sch.cmax < best.cmax {
            best.clone_from(&sch);
        }
        tabu.prune(it);
    }
    if best.cmax <= stop_at {
        stats.exhausted = true;
    }
    Ok((best, stats))
}

/// The improvement policy's choice among `moves` of `sch`.
pub fn policy_move(
    model: &Model,
    p: &Problem,
    sch: &Schedule,
    moves: &[Move],
) -> Result<usize, NeuralError> {
    if moves.len() == 1 {
        return Ok(0);
    }
    let scores = model.run_graph(&schedule_graph(p, sch, moves).tensors())?;
    Ok(argmax(&scores))
}

/// The expert of the improvement policy's training: the moves whose exact makespan after the
/// move is the smallest (a cyclic move counts as infinitely bad), as a 0/1 vector, and the
/// makespans.
pub fn best_moves(p: &Problem, sch: &Schedule, moves: &[Move]) -> (Vec<f32>, Vec<i64>) {
    let c: Vec<i64> = moves
        .iter()
        .map(|&mv| quotient_solvers::jssp::moves::exact(p, sch, mv).map_or(i64::MAX, |s| s.cmax))
        .collect();
    let best = c.iter().copied().min().unwrap_or(i64::MAX);
    (
        c.iter().map(|&x| f32::from(u8::from(x == best))).collect(),
        c,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::jssp::{JsspInstance, check, generate::taillard};
    use quotient_solvers::engine::NoObserver;
    use quotient_solvers::jssp::tabu::{self, TabuOptions};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::time::Duration;

    fn instance(seed: u64) -> JsspInstance {
        taillard(6, 4, seed, seed + 100)
    }

    /// From-scratch twin of [`Dispatch::slot`]: the smallest start `t >= ready` (tried at
    /// `ready` and at every end on the machine) where `o` overlaps no placed operation.
    fn slot_twin(d: &Dispatch<'_>, o: u32) -> i64 {
        let p = d.p;
        let jp = p.jprev[o as usize];
        let ready = if jp == NONE { 0 } else { d.end(jp) };
        let dur = p.dur[o as usize];
        let line = &d.timeline[p.mach[o as usize] as usize];
        let mut times: Vec<i64> = std::iter::once(ready)
            .chain(line.iter().map(|&x| d.end(x)).filter(|&e| e >= ready))
            .collect();
        times.sort_unstable();
        times
            .into_iter()
            .find(|&t| {
                line.iter().all(|&x| {
                    let (s, e) = (d.start[x as usize], d.end(x));
                    !(t < e && s < t + dur)
                })
            })
            .unwrap()
    }

    #[test]
    fn slot_matches_its_from_scratch_twin_on_random_rollouts() {
        for seed in 0..20 {
            let inst = instance(seed);
            let p = Problem::new(&inst).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let d = dispatch_with(&p, |d, cands| {
                for &o in cands {
                    assert_eq!(d.slot(o).0, slot_twin(d, o), "seed {seed} op {o}");
                }
                Ok::<usize, ()>(rng.random_range(0..cands.len()))
            })
            .unwrap();
            let sol = p.starts_from_heads(d.starts());
            let rep = check(&inst, &sol);
            assert!(rep.is_feasible(), "seed {seed}: {:?}", rep.violations);
            assert_eq!(rep.objective, d.makespan() as f64);
        }
    }

    #[test]
    fn following_the_experts_start_order_rebuilds_a_schedule_no_longer() {
        for seed in 0..5 {
            let inst = instance(seed);
            let p = Problem::new(&inst).unwrap();
            let budget = Budget::new(Some(Duration::from_millis(100)));
            let r = tabu::solve(&inst, &budget, &NoObserver, &TabuOptions::default());
            let expert: Vec<i64> = r.solution.unwrap().start.concat();
            let d = dispatch_with(&p, |_, cands| {
                let k = (0..cands.len())
                    .min_by_key(|&k| expert[cands[k] as usize])
                    .unwrap();
                Ok::<usize, ()>(k)
            })
            .unwrap();
            assert!(d.makespan() as f64 <= r.objective.unwrap(), "seed {seed}");
            assert!(check(&inst, &p.starts_from_heads(d.starts())).is_feasible());
        }
    }

    #[test]
    fn graph_tensors_have_the_models_shapes_and_empty_arcs_become_a_self_loop() {
        let inst = instance(3);
        let p = Problem::new(&inst).unwrap();
        let d = Dispatch::new(&p);
        let cands = d.candidates();
        assert_eq!(cands.len(), 6);
        let t = d.graph(&cands).tensors();
        assert_eq!((t.n, t.f), (24, FEATURES));
        assert_eq!(t.x.len(), 24 * FEATURES);
        // Six jobs of four operations: 18 job arcs; nothing placed: no machine arc.
        assert_eq!(t.job.len(), 2 * 18);
        assert_eq!(t.mach, vec![0, 0]);
        assert_eq!(t.pairs.len(), 2 * cands.len());
        // Candidates are flagged, nothing is placed yet.
        for o in 0..24 {
            let row = &t.x[o * FEATURES..(o + 1) * FEATURES];
            assert_eq!(row[0], 0.0);
            assert_eq!(row[4] == 1.0, cands.contains(&(o as u32)));
        }
    }

    #[test]
    fn improve_with_the_exact_expert_never_returns_worse_and_stays_feasible() {
        for seed in 0..5 {
            let inst = instance(seed);
            let p = Problem::new(&inst).unwrap();
            let (sol, _) = quotient_solvers::jssp::dispatch::schedule(
                &inst,
                quotient_solvers::jssp::dispatch::Rule::Spt,
            );
            let start = Schedule::from_seqs(&p, p.seqs_from_starts(&sol).unwrap()).unwrap();
            let c0 = start.cmax;
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let budget = Budget::new(None);
            let (best, stats) = improve(
                &p,
                start,
                200,
                inst.trivial_lower_bound(),
                &budget,
                &mut rng,
                |sch, moves| {
                    let g = schedule_graph(&p, sch, moves);
                    assert_eq!(g.pairs.len(), moves.len());
                    for (mv, &(u, v)) in moves.iter().zip(&g.pairs) {
                        assert_eq!(sch.seq[mv.m as usize][mv.from as usize], u);
                        assert_eq!(sch.seq[mv.m as usize][mv.to as usize], v);
                    }
                    let (target, _) = best_moves(&p, sch, moves);
                    Ok::<usize, ()>(target.iter().position(|&t| t > 0.0).unwrap())
                },
            )
            .unwrap();
            assert!(best.cmax <= c0);
            assert!(stats.steps > 0);
            let mut again = best.clone();
            assert!(again.recompute(&p));
            assert_eq!(again.cmax, best.cmax);
            let rep = check(&inst, &p.starts_from_heads(&best.head));
            assert!(rep.is_feasible());
            assert_eq!(rep.objective, best.cmax as f64);
        }
    }
}

//! GNN dispatching policy for the blocking job shops (BJSSP, SBJSSP; ISBJSSP read as SBJSSP
//! offline), `jssp.blocking-gnn`: the graph network of `neural/train/gnn/model.py` (the one of
//! [`crate::jssp`]) over the disjunctive graph, choosing which job the feasible timetabling
//! decoder of [`quotient_solvers::jssp::blocking::timetable`] inserts next.
//!
//! Why jobs and not operations: in a blocking shop an operation-level dispatcher (the event
//! simulation of `jssp.blocking-dispatch`) can deadlock without swaps; the timetabling decoder
//! places a whole job at its earliest feasible times, so every sequence of choices gives a
//! schedule feasible for the variant, with or without swaps. The policy is thus a learned
//! job-order rule, in the family of the rules it is compared with (FIFO, SPT, MWKR, greedy
//! earliest completion, NEH).
//!
//! * State ([`Build`]): the timetable of the jobs inserted so far; the candidates are the jobs
//!   not inserted yet (those with at least one operation).
//! * Graph: one node per operation; job arcs (operation -> job successor) and machine arcs
//!   (consecutive operations of inserted jobs on each machine, by start). Features per
//!   operation ([`FEATURES`]; times over the instance's trivial lower bound, durations over
//!   the largest duration): job inserted; start (inserted: its start; a candidate job: its
//!   start if that job were inserted next — a trial insertion); duration; work left in its
//!   job from it on; occupation of the machine (start to the job's next start: processing
//!   plus blocking; inserted or trial); the job's completion (inserted or trial); the
//!   makespan if the job were inserted next (inserted jobs: the current one); the current
//!   makespan; swaps allowed. The candidates are scored as the pairs (first operation, last
//!   operation) of their jobs.
//! * Imitation target (`neural/examples/blocking_data.rs`): the expert is `jssp.blocking`'s
//!   iterated greedy order ([`quotient_solvers::jssp::blocking::ig::best_order`]); a candidate
//!   is a target when inserting it next and then the rest in the expert's order gives a
//!   makespan no larger than the expert's own next job does.
//!
//! The training data are written by this module's code, so features cannot drift between
//! training and use.

use crate::NeuralError;
use crate::runtime::{GraphTensors, Model};
use quotient_solvers::engine::Budget;
use quotient_solvers::jssp::blocking::timetable::{Problem, Timetable};

/// Features per operation.
pub const FEATURES: usize = 9;

/// The registry name of the blocking dispatching policy.
pub const MODEL: &str = "jssp_blocking_gnn";

/// One state as the network sees it (the model's input tensors).
pub type BlockGraph = GraphTensors;

/// A schedule built one job at a time by the timetabling decoder (see the module
/// documentation).
#[derive(Debug, Clone)]
pub struct Build<'a> {
    p: &'a Problem,
    tt: Timetable,
    placed: Vec<bool>,
    order: Vec<usize>,
    /// First operation (node) of each job.
    first: Vec<usize>,
    /// Work left in each operation's job from it on.
    work: Vec<i64>,
    job_arcs: Vec<(u32, u32)>,
    scale: f32,
    max_dur: f32,
}

/// The result of inserting one job into a timetable (a trial or the real one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trial {
    /// Start of each of its operations.
    pub start: Vec<i64>,
    /// Its completion time.
    pub done: i64,
    /// The makespan after it.
    pub makespan: i64,
}

impl<'a> Build<'a> {
    /// The empty state; jobs without operations count as inserted from the start.
    pub fn new(p: &'a Problem) -> Build<'a> {
        let n = p.num_jobs();
        let mut first = Vec::with_capacity(n + 1);
        let mut at = 0usize;
        for ops in &p.jobs {
            first.push(at);
            at += ops.len();
        }
        first.push(at);
        let mut work = vec![0i64; at];
        let mut job_arcs = Vec::new();
        for (j, ops) in p.jobs.iter().enumerate() {
            let mut acc = 0i64;
            for (k, &(_, d)) in ops.iter().enumerate().rev() {
                acc = acc.saturating_add(d);
                work[first[j] + k] = acc;
                if k + 1 < ops.len() {
                    job_arcs.push(((first[j] + k) as u32, (first[j] + k + 1) as u32));
                }
            }
        }
        let max_dur = p
            .jobs
            .iter()
            .flatten()
            .map(|&(_, d)| d)
            .max()
            .unwrap_or(0)
            .max(1) as f32;
        let mut b = Build {
            p,
            tt: Timetable::new(p),
            placed: vec![false; n],
            order: Vec::with_capacity(n),
            first,
            work,
            job_arcs,
            scale: p.lb.max(1) as f32,
            max_dur,
        };
        for (j, ops) in p.jobs.iter().enumerate() {
            if ops.is_empty() {
                b.place(j);
            }
        }
        b
    }

    /// Whether every job is inserted.
    pub fn done(&self) -> bool {
        self.order.len() == self.p.num_jobs()
    }

    /// The jobs that may be inserted next (every job not inserted yet), by index.
    pub fn candidates(&self) -> Vec<usize> {
        (0..self.p.num_jobs())
            .filter(|&j| !self.placed[j])
            .collect()
    }

    /// What inserting job `j` next would give (the state is unchanged).
    pub fn trial(&self, j: usize) -> Trial {
        let mut t = self.tt.clone();
        let done = t.insert(self.p, j);
        Trial {
            start: t.start[j].clone(),
            done,
            makespan: t.makespan,
        }
    }

    /// Insert job `j` (not inserted yet) at its earliest feasible times.
    pub fn place(&mut self, j: usize) {
        self.tt.insert(self.p, j);
        self.placed[j] = true;
        self.order.push(j);
    }

    /// The job order so far.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The timetable so far.
    pub fn timetable(&self) -> &Timetable {
        &self.tt
    }

    /// The makespan of the jobs inserted so far.
    pub fn makespan(&self) -> i64 {
        self.tt.makespan
    }

    /// The state with `cands` (jobs not inserted, with operations) as the candidates.
    pub fn graph(&self, cands: &[usize]) -> BlockGraph {
        let trials: Vec<(usize, Trial)> = cands.iter().map(|&j| (j, self.trial(j))).collect();
        self.graph_with(&trials)
    }

    /// [`Build::graph`] with the candidates' trial insertions given.
    pub fn graph_with(&self, trials: &[(usize, Trial)]) -> BlockGraph {
        let p = self.p;
        let n = self.work.len();
        let (sc, md) = (self.scale, self.max_dur);
        let cur = self.tt.makespan as f32 / sc;
        let swap = f32::from(u8::from(p.swap));
        let mut x = vec![0f32; n * FEATURES];
        // Rows of one job given its starts (inserted or trial), completion and makespan.
        let mut fill = |j: usize, start: &[i64], done: i64, mk: i64, placed: bool| {
            let ops = &p.jobs[j];
            for (k, &(_, d)) in ops.iter().enumerate() {
                let o = self.first[j] + k;
                let end = start.get(k + 1).copied().unwrap_or(start[k] + d);
                let row = &mut x[o * FEATURES..(o + 1) * FEATURES];
                row[0] = f32::from(u8::from(placed));
                row[1] = start[k] as f32 / sc;
                row[5] = done as f32 / sc;
                row[6] = mk as f32 / sc;
                row[4] = (end - start[k]) as f32 / md;
            }
        };
        for (j, ops) in p.jobs.iter().enumerate() {
            if self.placed[j] && !ops.is_empty() {
                let s = &self.tt.start[j];
                let (_, d) = ops[s.len() - 1];
                fill(j, s, s[s.len() - 1] + d, self.tt.makespan, true);
            }
        }
        for (j, t) in trials {
            fill(*j, &t.start, t.done, t.makespan, false);
        }
        for (j, ops) in p.jobs.iter().enumerate() {
            for (k, &(_, d)) in ops.iter().enumerate() {
                let o = self.first[j] + k;
                let row = &mut x[o * FEATURES..(o + 1) * FEATURES];
                row[2] = d as f32 / md;
                row[3] = self.work[o] as f32 / sc;
                row[7] = cur;
                row[8] = swap;
            }
        }
        // Machine arcs between consecutive operations of inserted jobs, by start.
        let mut lines: Vec<Vec<(i64, u32)>> = vec![Vec::new(); p.machines];
        for (j, ops) in p.jobs.iter().enumerate() {
            if !self.placed[j] {
                continue;
            }
            for (k, &(m, _)) in ops.iter().enumerate() {
                lines[m].push((self.tt.start[j][k], (self.first[j] + k) as u32));
            }
        }
        let mut mach = Vec::new();
        for line in &mut lines {
            line.sort_unstable();
            mach.extend(line.windows(2).map(|w| (w[0].1, w[1].1)));
        }
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
            n,
            f: FEATURES,
            x,
            job: flat(&self.job_arcs),
            mach: flat(&mach),
            pairs: trials
                .iter()
                .flat_map(|(j, _)| [self.first[*j] as i64, (self.first[*j + 1] - 1) as i64])
                .collect(),
        }
    }
}

/// Build a schedule with `choose` picking among the candidates (an index into them); states
/// with one candidate are not offered to it.
pub fn build_with<E>(
    p: &Problem,
    mut choose: impl FnMut(&Build<'_>, &[usize]) -> Result<usize, E>,
) -> Result<Build<'_>, E> {
    let mut b = Build::new(p);
    while !b.done() {
        let cands = b.candidates();
        let k = if cands.len() == 1 {
            0
        } else {
            choose(&b, &cands)?.min(cands.len() - 1)
        };
        b.place(cands[k]);
    }
    Ok(b)
}

/// The policy, greedy. When the budget runs out before the end, the remaining jobs are
/// inserted most work first (no more model calls); the flag says so.
pub fn gnn_build<'a>(
    model: &Model,
    p: &'a Problem,
    budget: &Budget,
) -> Result<(Build<'a>, bool), NeuralError> {
    let mut cut = false;
    let b = build_with(p, |b, cands| {
        if budget.is_exhausted() {
            cut = true;
            return Ok(most_work(p, cands));
        }
        let scores = model.run_graph(&b.graph(cands))?;
        Ok(crate::jssp::argmax(&scores))
    })?;
    Ok((b, cut))
}

/// The candidate with the most work (ties: the first).
pub fn most_work(p: &Problem, cands: &[usize]) -> usize {
    let mut best = 0;
    for (i, &j) in cands.iter().enumerate() {
        if p.work[j] > p.work[cands[best]] {
            best = i;
        }
    }
    best
}

/// The imitation targets of a state: 1 for each candidate `c` such that inserting `c` next
/// and then the other jobs of `rest` (the expert's order of the jobs not inserted, which must
/// list every candidate) gives a makespan no larger than following `rest` as it is; and those
/// makespans.
pub fn targets(b: &Build<'_>, cands: &[usize], rest: &[usize]) -> (Vec<f32>, Vec<i64>) {
    let finish = |c: usize| {
        let mut t = b.tt.clone();
        t.insert(b.p, c);
        for &j in rest.iter().filter(|&&j| j != c) {
            t.insert(b.p, j);
        }
        t.makespan
    };
    let expert = rest.first().map_or(i64::MAX, |&j| finish(j));
    let c: Vec<i64> = cands.iter().map(|&j| finish(j)).collect();
    (
        c.iter()
            .map(|&m| f32::from(u8::from(m <= expert)))
            .collect(),
        c,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::jssp::{JsspInstance, JsspVariant, check, generate::taillard};
    use quotient_solvers::engine::NoObserver;
    use quotient_solvers::jssp::blocking::ig::{IgOptions, best_order};
    use quotient_solvers::jssp::blocking::timetable::decode;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn instance(seed: u64, variant: JsspVariant) -> JsspInstance {
        let mut inst = taillard(7, 4, seed, seed + 100);
        inst.variant = variant;
        inst
    }

    #[test]
    fn trial_insertions_match_a_from_scratch_decode_and_rollouts_check() {
        for seed in 0..10 {
            for v in [JsspVariant::Blocking, JsspVariant::Swap] {
                let inst = instance(seed, v);
                let p = Problem::new(&inst).unwrap();
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let b = build_with(&p, |b, cands| {
                    for &c in cands {
                        // The trial's twin: decode the order so far plus c from scratch.
                        let mut o = b.order().to_vec();
                        o.push(c);
                        let tt = decode(&p, &o);
                        let t = b.trial(c);
                        assert_eq!(t.start, tt.start[c], "{v} seed {seed} job {c}");
                        assert_eq!(t.makespan, tt.makespan);
                        let (_, d) = *p.jobs[c].last().unwrap();
                        assert_eq!(t.done, tt.start[c].last().unwrap() + d);
                    }
                    Ok::<usize, ()>(rng.random_range(0..cands.len()))
                })
                .unwrap();
                let sol = b.timetable().to_solution();
                let rep = check(&inst, &sol);
                assert!(rep.is_feasible(), "{v} seed {seed}: {:?}", rep.violations);
                assert_eq!(rep.objective, b.makespan() as f64);
                assert_eq!(decode(&p, b.order()).makespan, b.makespan());
            }
        }
    }

    #[test]
    fn following_the_expert_order_rebuilds_its_makespan_and_is_always_a_target() {
        for seed in 0..4 {
            for v in [JsspVariant::Blocking, JsspVariant::Swap] {
                let inst = instance(seed, v);
                let p = Problem::new(&inst).unwrap();
                let budget = Budget::new(None).with_max_iterations(Some(5));
                let expert = best_order(&p, &budget, &NoObserver, &IgOptions::default()).unwrap();
                let want = decode(&p, &expert).makespan;
                let b = build_with(&p, |b, cands| {
                    let rest: Vec<usize> = expert
                        .iter()
                        .copied()
                        .filter(|&j| cands.contains(&j))
                        .collect();
                    let (target, ms) = targets(b, cands, &rest);
                    let k = cands.iter().position(|&c| c == rest[0]).unwrap();
                    assert_eq!(target[k], 1.0);
                    assert_eq!(ms[k], want, "{v} seed {seed}");
                    Ok::<usize, ()>(k)
                })
                .unwrap();
                assert_eq!(b.makespan(), want);
                assert_eq!(b.order(), expert.as_slice());
            }
        }
    }

    #[test]
    fn graph_tensors_have_the_models_shapes() {
        let inst = instance(3, JsspVariant::Swap);
        let p = Problem::new(&inst).unwrap();
        let mut b = Build::new(&p);
        b.place(2);
        let cands = b.candidates();
        assert_eq!(cands, vec![0, 1, 3, 4, 5, 6]);
        let t = b.graph(&cands);
        assert_eq!((t.n, t.f), (28, FEATURES));
        assert_eq!(t.x.len(), 28 * FEATURES);
        assert_eq!(t.job.len(), 2 * 21);
        // One job inserted, four machines, one operation each: no machine arc (a self-loop).
        assert_eq!(t.mach, vec![0, 0]);
        assert_eq!(t.pairs.len(), 2 * cands.len());
        assert_eq!(&t.pairs[..2], &[0, 3]);
        for o in 0..28 {
            let row = &t.x[o * FEATURES..(o + 1) * FEATURES];
            assert_eq!(row[0] == 1.0, (8..12).contains(&o), "op {o}");
            assert_eq!(row[8], 1.0);
            assert!(row.iter().all(|v| v.is_finite()));
        }
    }
}

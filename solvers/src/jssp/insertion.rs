//! Insertion construction (Werner & Winkler 1995; the start of Nowicki–Smutnicki's INSA):
//! operations are taken one at a time in a fixed order and each is inserted into its machine's
//! partial sequence at the position that gives the smallest makespan.
//!
//! The partial graph holds every job arc from the start (operations not yet inserted behave as
//! if their machine had unlimited capacity) and the machine arcs of the inserted operations.
//! Inserting `x` between `a` and `b` on its machine only adds paths through `x`, and the heads
//! of `x`'s predecessors and the tails of its successors do not change (else the insertion
//! would close a cycle), so the new makespan is exactly
//! `max(C, max(end(jp), end(a)) + p(x) + max(q'(js), q'(b)))` with the current heads and tails:
//! O(1) per position. The positions that keep the graph acyclic form one interval of the
//! sequence (after every operation that reaches `x`, before every one that `x` reaches), found
//! by two searches over the graph. After each insertion the heads and tails are recomputed
//! from scratch (O(operations)), so a whole construction costs O(operations²); on 100x20 (2000
//! operations) that is a few milliseconds per order.
//!
//! Two orders are built: longest operation first (ties by the job's total work), and job by
//! job (jobs by decreasing total work, each job's operations in route order).

use super::graph::{NONE, Problem, longest_paths, machine_next, machine_prev};

/// The order in which operations are inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Decreasing duration; ties by decreasing total work of the job, then index.
    LongestFirst,
    /// Jobs by decreasing total work, each job's operations in route order.
    JobWise,
}

pub const ALL_ORDERS: [Order; 2] = [Order::LongestFirst, Order::JobWise];

/// The partial disjunctive graph of an insertion construction.
#[derive(Debug, Clone)]
pub struct Partial {
    pub seq: Vec<Vec<u32>>,
    /// Position in the machine's partial sequence, [`NONE`] while not inserted.
    pub pos: Vec<u32>,
    pub head: Vec<i64>,
    /// Longest path after the end of each operation.
    pub tail: Vec<i64>,
    pub cmax: i64,
    order: Vec<u32>,
    indeg: Vec<u8>,
    mark: Vec<u32>,
    stamp: u32,
    stack: Vec<u32>,
}

impl Partial {
    /// The graph with job arcs only.
    pub fn new(p: &Problem) -> Partial {
        let n = p.num_ops();
        let mut g = Partial {
            seq: vec![Vec::new(); p.machines],
            pos: vec![NONE; n],
            head: vec![0; n],
            tail: vec![0; n],
            cmax: 0,
            order: Vec::with_capacity(n),
            indeg: vec![0; n],
            mark: vec![0; n],
            stamp: 0,
            stack: Vec::new(),
        };
        g.recompute(p);
        g
    }

    fn mprev(&self, p: &Problem, o: u32) -> u32 {
        machine_prev(p, &self.seq, &self.pos, o)
    }

    fn mnext(&self, p: &Problem, o: u32) -> u32 {
        machine_next(p, &self.seq, &self.pos, o)
    }

    fn end(&self, p: &Problem, o: u32) -> i64 {
        if o == NONE {
            0
        } else {
            self.head[o as usize] + p.dur[o as usize]
        }
    }

    fn tail_with(&self, p: &Problem, o: u32) -> i64 {
        if o == NONE {
            0
        } else {
            self.tail[o as usize] + p.dur[o as usize]
        }
    }

    /// Heads, tails and makespan from scratch along a topological order; false on a cycle
    /// (which the insertion never creates).
    pub fn recompute(&mut self, p: &Problem) -> bool {
        match longest_paths(
            p,
            &self.seq,
            &self.pos,
            &mut self.head,
            &mut self.tail,
            &mut self.order,
            &mut self.indeg,
        ) {
            Some(cmax) => {
                self.cmax = cmax;
                true
            }
            None => false,
        }
    }

    /// Mark (with a fresh stamp) every operation reachable from `from` (inclusive) along
    /// job and machine arcs, forwards or backwards.
    fn mark_reachable(&mut self, p: &Problem, from: u32, forward: bool) -> u32 {
        self.stamp += 1;
        let stamp = self.stamp;
        self.stack.clear();
        if from != NONE {
            self.mark[from as usize] = stamp;
            self.stack.push(from);
        }
        while let Some(o) = self.stack.pop() {
            let next = if forward {
                [p.jnext[o as usize], self.mnext(p, o)]
            } else {
                [p.jprev[o as usize], self.mprev(p, o)]
            };
            for s in next {
                if s != NONE && self.mark[s as usize] != stamp {
                    self.mark[s as usize] = stamp;
                    self.stack.push(s);
                }
            }
        }
        stamp
    }

    /// The positions of `x`'s machine sequence where `x` can go without closing a cycle: the
    /// interval `lo..=hi` (position `i` puts `x` before the operation now at `i`).
    pub fn valid_positions(&mut self, p: &Problem, x: u32) -> (usize, usize) {
        let m = p.mach[x as usize] as usize;
        let len = self.seq[m].len();
        // Operations that reach x: everything up to the last of them must stay before x.
        let before = self.mark_reachable(p, p.jprev[x as usize], false);
        let lo = self.seq[m]
            .iter()
            .rposition(|&o| self.mark[o as usize] == before)
            .map_or(0, |i| i + 1);
        // Operations x reaches: everything from the first of them must stay after x.
        let after = self.mark_reachable(p, p.jnext[x as usize], true);
        let hi = self.seq[m]
            .iter()
            .position(|&o| self.mark[o as usize] == after)
            .unwrap_or(len);
        (lo, hi.max(lo))
    }

    /// The exact makespan after inserting `x` at position `i` of its machine sequence (`i`
    /// inside [`Partial::valid_positions`]), from the current heads and tails in O(1).
    pub fn evaluate(&self, p: &Problem, x: u32, i: usize) -> i64 {
        let s = &self.seq[p.mach[x as usize] as usize];
        let a = if i == 0 { NONE } else { s[i - 1] };
        let b = s.get(i).copied().unwrap_or(NONE);
        let r = self.end(p, p.jprev[x as usize]).max(self.end(p, a));
        let q = self
            .tail_with(p, p.jnext[x as usize])
            .max(self.tail_with(p, b));
        self.cmax.max(r + p.dur[x as usize] + q)
    }

    /// Put `x` at position `i` of its machine sequence (heads and tails left stale).
    pub fn insert(&mut self, p: &Problem, x: u32, i: usize) {
        let s = &mut self.seq[p.mach[x as usize] as usize];
        s.insert(i, x);
        for (k, &o) in s.iter().enumerate().skip(i) {
            self.pos[o as usize] = k as u32;
        }
    }
}

/// The insertion order of the operations.
pub fn insertion_order(p: &Problem, order: Order) -> Vec<u32> {
    let work: Vec<i64> = (0..p.num_jobs())
        .map(|j| p.dur[p.job_start[j]..p.job_start[j + 1]].iter().sum())
        .collect();
    let job_of = |o: usize| p.job_start.partition_point(|&s| s <= o) - 1;
    let mut ops: Vec<u32> = (0..p.num_ops() as u32).collect();
    match order {
        Order::LongestFirst => {
            ops.sort_by_key(|&o| {
                let o = o as usize;
                (
                    std::cmp::Reverse(p.dur[o]),
                    std::cmp::Reverse(work[job_of(o)]),
                    o,
                )
            });
        }
        Order::JobWise => {
            ops.sort_by_key(|&o| {
                let o = o as usize;
                (std::cmp::Reverse(work[job_of(o)]), o)
            });
        }
    }
    ops
}

/// Machine sequences built by inserting the operations in `order`, each at the position of
/// smallest resulting makespan (ties: the smallest path through the operation, then the
/// earliest position). Always acyclic; returns the sequences and their makespan.
pub fn construct(p: &Problem, order: Order) -> (Vec<Vec<u32>>, i64) {
    // Never `None`: the stop test never answers true.
    construct_until(p, order, &|| false).unwrap_or_default()
}

/// [`construct`], abandoned (`None`) as soon as `stop` answers true; it is asked before
/// every insertion (each one recomputes the partial graph, so the test costs nothing).
pub fn construct_until(
    p: &Problem,
    order: Order,
    stop: &dyn Fn() -> bool,
) -> Option<(Vec<Vec<u32>>, i64)> {
    let mut g = Partial::new(p);
    for x in insertion_order(p, order) {
        if stop() {
            return None;
        }
        let (lo, hi) = g.valid_positions(p, x);
        let mut best = (i64::MAX, i64::MAX, lo);
        for i in lo..=hi {
            let c = g.evaluate(p, x, i);
            // Second key: the path through x (c equals cmax for every short enough path).
            let s = &g.seq[p.mach[x as usize] as usize];
            let a = if i == 0 { NONE } else { s[i - 1] };
            let b = s.get(i).copied().unwrap_or(NONE);
            let through = g.end(p, p.jprev[x as usize]).max(g.end(p, a))
                + g.tail_with(p, p.jnext[x as usize]).max(g.tail_with(p, b));
            if (c, through) < (best.0, best.1) {
                best = (c, through, i);
            }
        }
        g.insert(p, x, best.2);
        let acyclic = g.recompute(p);
        debug_assert!(
            acyclic,
            "an insertion inside the valid interval closed a cycle"
        );
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert!(
                acyclic && g.cmax == best.0,
                "insertion estimate {} != recomputed {}",
                best.0,
                g.cmax
            );
        }
    }
    Some((g.seq, g.cmax))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jssp::graph::Schedule;
    use quotient_problems::jssp::{JsspInstance, Operation, check, generate::random};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Longest paths of a partial graph by repeated relaxation over every arc; `None` on a
    /// cycle. The from-scratch twin of [`Partial::evaluate`].
    fn partial_cmax(p: &Problem, seq: &[Vec<u32>]) -> Option<i64> {
        let n = p.num_ops();
        let arcs = crate::jssp::graph::tests::all_arcs(p, seq);
        let mut head = vec![0i64; n];
        for round in 0..=n + 1 {
            let mut changed = false;
            for &(a, b) in &arcs {
                // A cycle of zero-length operations relaxes nothing: count arcs instead.
                let ha = head[a] + p.dur[a];
                if ha > head[b] {
                    head[b] = ha;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
            if round == n + 1 {
                return None;
            }
        }
        // Cycle test independent of durations: Kahn on the arcs.
        let mut indeg = vec![0usize; n];
        for &(_, b) in &arcs {
            indeg[b] += 1;
        }
        let mut stack: Vec<usize> = (0..n).filter(|&o| indeg[o] == 0).collect();
        let mut seen = 0;
        while let Some(o) = stack.pop() {
            seen += 1;
            for &(a, b) in &arcs {
                if a == o {
                    indeg[b] -= 1;
                    if indeg[b] == 0 {
                        stack.push(b);
                    }
                }
            }
        }
        (seen == n).then(|| (0..n).map(|o| head[o] + p.dur[o]).max().unwrap_or(0))
    }

    fn odd_instance() -> JsspInstance {
        let op = |machine, duration| Operation { machine, duration };
        JsspInstance {
            name: "odd".into(),
            machines: 2,
            jobs: vec![
                vec![op(0, 0), op(0, 3), op(1, 0), op(1, 2)],
                vec![op(1, 4), op(0, 0), op(0, 5)],
                vec![op(0, 0), op(1, 0)],
                vec![op(1, 2), op(0, 0), op(1, 1), op(0, 2)],
            ],
            variant: Default::default(),
        }
    }

    /// Every position of every insertion step of random-order constructions: the O(1)
    /// evaluation equals the makespan recomputed from scratch inside the valid interval, and
    /// every position outside it closes a cycle.
    #[test]
    fn evaluation_and_valid_interval_agree_with_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut insts: Vec<JsspInstance> = [(6, 4, 1), (8, 3, 2), (5, 5, 3)]
            .iter()
            .map(|&(j, m, s)| random(j, m, s))
            .collect();
        insts.push(odd_instance());
        let mut checked = 0usize;
        for inst in &insts {
            let p = Problem::new(inst).unwrap();
            for _ in 0..5 {
                let mut ops: Vec<u32> = (0..p.num_ops() as u32).collect();
                for i in (1..ops.len()).rev() {
                    ops.swap(i, rng.random_range(0..=i));
                }
                let mut g = Partial::new(&p);
                for &x in &ops {
                    let (lo, hi) = g.valid_positions(&p, x);
                    let m = p.mach[x as usize] as usize;
                    for i in 0..=g.seq[m].len() {
                        let mut seq = g.seq.clone();
                        seq[m].insert(i, x);
                        let full = partial_cmax(&p, &seq);
                        if (lo..=hi).contains(&i) {
                            assert_eq!(full, Some(g.evaluate(&p, x, i)));
                            checked += 1;
                        } else {
                            assert_eq!(full, None, "position {i} outside {lo}..={hi}");
                        }
                    }
                    let i = rng.random_range(lo..=hi);
                    g.insert(&p, x, i);
                    assert!(g.recompute(&p));
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn constructions_are_feasible_and_checked() {
        let mut insts: Vec<JsspInstance> = (0..10).map(|s| random(10, 5, s)).collect();
        insts.push(random(20, 10, 11));
        insts.push(odd_instance());
        for inst in &insts {
            let p = Problem::new(inst).unwrap();
            for order in ALL_ORDERS {
                let (seq, cmax) = construct(&p, order);
                let s = Schedule::from_seqs(&p, seq).unwrap();
                assert_eq!(s.cmax, cmax);
                let rep = check(inst, &p.starts_from_heads(&s.head));
                assert!(rep.is_feasible(), "{:?}", rep.violations);
                assert_eq!(rep.objective as i64, cmax);
                assert!(cmax >= inst.trivial_lower_bound());
            }
        }
    }
}

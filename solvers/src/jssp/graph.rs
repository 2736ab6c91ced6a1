//! The disjunctive graph of a job-shop schedule: operations numbered job by job, one sequence of
//! operations per machine, heads (earliest starts, `r`) and tails (longest path after the end of
//! an operation, `q`) computed in O(operations) along a topological order, the makespan
//! `max r + p + q`, the critical path and its blocks.

use quotient_problems::jssp::{JsspInstance, JsspSolution};
use rand::Rng;

/// "No such operation" in the predecessor / successor arrays.
pub const NONE: u32 = u32::MAX;

/// The instance, flattened: operation `o` of job `j` at index `job_start[j] + k`.
#[derive(Debug, Clone)]
pub struct Problem {
    pub machines: usize,
    pub dur: Vec<i64>,
    pub mach: Vec<u32>,
    pub jprev: Vec<u32>,
    pub jnext: Vec<u32>,
    /// Offsets of the jobs' first operations; `job_start[jobs]` is the number of operations.
    pub job_start: Vec<usize>,
    /// Index of each operation among the operations of its machine (instance order).
    pub local: Vec<u32>,
    /// Number of operations on each machine.
    pub mach_count: Vec<usize>,
}

impl Problem {
    /// Flatten `inst`; an error names the first thing the solver cannot handle.
    pub fn new(inst: &JsspInstance) -> Result<Problem, String> {
        let n = inst.num_ops();
        if n >= (NONE as usize) - 1 {
            return Err(format!("{n} operations is more than the solver handles"));
        }
        let mut p = Problem {
            machines: inst.machines,
            dur: Vec::with_capacity(n),
            mach: Vec::with_capacity(n),
            jprev: Vec::with_capacity(n),
            jnext: Vec::with_capacity(n),
            job_start: Vec::with_capacity(inst.num_jobs() + 1),
            local: Vec::with_capacity(n),
            mach_count: vec![0; inst.machines],
        };
        for (j, job) in inst.jobs.iter().enumerate() {
            p.job_start.push(p.dur.len());
            for (k, op) in job.iter().enumerate() {
                let o = p.dur.len() as u32;
                let Some(count) = p.mach_count.get_mut(op.machine) else {
                    return Err(format!(
                        "operation ({j}, {k}) names machine {} outside 0..{}",
                        op.machine, inst.machines
                    ));
                };
                if op.duration < 0 {
                    return Err(format!("operation ({j}, {k}) has a negative duration"));
                }
                p.local.push(*count as u32);
                *count += 1;
                p.dur.push(op.duration);
                p.mach.push(op.machine as u32);
                p.jprev.push(if k == 0 { NONE } else { o - 1 });
                p.jnext.push(if k + 1 == job.len() { NONE } else { o + 1 });
            }
        }
        p.job_start.push(p.dur.len());
        Ok(p)
    }

    pub fn num_ops(&self) -> usize {
        self.dur.len()
    }

    pub fn num_jobs(&self) -> usize {
        self.job_start.len().saturating_sub(1)
    }

    /// Machine sequences from start times, always acyclic: operations are placed one at a
    /// time, each time the one of smallest (start, end, index) among those whose job
    /// predecessor is placed, at the end of its machine's sequence. For a feasible schedule
    /// this is the order of (start, end) on every machine, and zero-length operations that
    /// share a start time cannot form a cycle. `None` when the solution's shape does not
    /// match the instance.
    pub fn seqs_from_starts(&self, sol: &JsspSolution) -> Option<Vec<Vec<u32>>> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        if sol.start.len() != self.num_jobs() {
            return None;
        }
        for (j, starts) in sol.start.iter().enumerate() {
            if starts.len() != self.job_start[j + 1] - self.job_start[j] {
                return None;
            }
        }
        let start_of = |o: usize| -> i64 {
            // o lies in job j's range by construction; partition_point finds j.
            let j = self.job_start.partition_point(|&s| s <= o) - 1;
            sol.start[j][o - self.job_start[j]]
        };
        let key = |o: usize| {
            let s = start_of(o);
            Reverse((s, s.saturating_add(self.dur[o]), o as u32))
        };
        let mut ready: BinaryHeap<Reverse<(i64, i64, u32)>> = BinaryHeap::new();
        for j in 0..self.num_jobs() {
            if self.job_start[j] < self.job_start[j + 1] {
                ready.push(key(self.job_start[j]));
            }
        }
        let mut seqs: Vec<Vec<u32>> = self
            .mach_count
            .iter()
            .map(|&c| Vec::with_capacity(c))
            .collect();
        while let Some(Reverse((_, _, o))) = ready.pop() {
            seqs[self.mach[o as usize] as usize].push(o);
            let next = self.jnext[o as usize];
            if next != NONE {
                ready.push(key(next as usize));
            }
        }
        Some(seqs)
    }

    /// Start times (`start[j][k]`) from per-operation heads.
    pub fn starts_from_heads(&self, head: &[i64]) -> JsspSolution {
        let start = (0..self.num_jobs())
            .map(|j| head[self.job_start[j]..self.job_start[j + 1]].to_vec())
            .collect();
        JsspSolution { start }
    }
}

/// A critical block: positions `s..=e` of machine `m`'s sequence, all on the critical path and
/// joined by machine arcs. `first` / `last`: the block holds the path's first / last operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub m: u32,
    pub s: u32,
    pub e: u32,
    pub first: bool,
    pub last: bool,
}

/// A schedule as machine sequences, with heads, tails and makespan kept up to date by
/// [`Schedule::recompute`].
#[derive(Debug, Clone)]
pub struct Schedule {
    pub seq: Vec<Vec<u32>>,
    /// Position of each operation in its machine's sequence.
    pub pos: Vec<u32>,
    pub head: Vec<i64>,
    pub tail: Vec<i64>,
    pub cmax: i64,
    /// A hash of the machine arcs (equal schedules hash equal), for cycling detection.
    pub hash: u64,
    order: Vec<u32>,
    indeg: Vec<u8>,
    /// Work queue and membership flags of [`Schedule::update`].
    queue: std::collections::VecDeque<u32>,
    queued: Vec<bool>,
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The machine predecessor of `o` in the sequences `seq` with positions `pos` ([`NONE`] when
/// `o` is first on its machine or not sequenced yet: `pos[o] == NONE`).
#[inline]
pub(crate) fn machine_prev(p: &Problem, seq: &[Vec<u32>], pos: &[u32], o: u32) -> u32 {
    match pos[o as usize] {
        NONE | 0 => NONE,
        i => seq[p.mach[o as usize] as usize][i as usize - 1],
    }
}

/// The machine successor of `o` (see [`machine_prev`]).
#[inline]
pub(crate) fn machine_next(p: &Problem, seq: &[Vec<u32>], pos: &[u32], o: u32) -> u32 {
    match pos[o as usize] {
        NONE => NONE,
        i => seq[p.mach[o as usize] as usize]
            .get(i as usize + 1)
            .copied()
            .unwrap_or(NONE),
    }
}

/// Heads, tails and the makespan of the graph of the job arcs and the machine arcs of `seq`
/// (operations with `pos == NONE` have no machine arcs), in O(operations) along a topological
/// order (Kahn; `order` and `indeg` are work buffers). `None` on a cycle, leaving heads and
/// tails meaningless. Shared by complete schedules ([`Schedule::recompute`]) and the partial
/// ones of the insertion construction.
pub(crate) fn longest_paths(
    p: &Problem,
    seq: &[Vec<u32>],
    pos: &[u32],
    head: &mut [i64],
    tail: &mut [i64],
    order: &mut Vec<u32>,
    indeg: &mut [u8],
) -> Option<i64> {
    let n = p.num_ops();
    order.clear();
    for (o, deg) in indeg.iter_mut().enumerate().take(n) {
        let d =
            u8::from(p.jprev[o] != NONE) + u8::from(machine_prev(p, seq, pos, o as u32) != NONE);
        *deg = d;
        if d == 0 {
            order.push(o as u32);
        }
    }
    let end = |head: &[i64], o: u32| {
        if o == NONE {
            0
        } else {
            head[o as usize] + p.dur[o as usize]
        }
    };
    let mut i = 0;
    while i < order.len() {
        let o = order[i];
        i += 1;
        let jp = p.jprev[o as usize];
        let mp = machine_prev(p, seq, pos, o);
        head[o as usize] = end(head, jp).max(end(head, mp));
        for s in [p.jnext[o as usize], machine_next(p, seq, pos, o)] {
            if s != NONE {
                let d = &mut indeg[s as usize];
                *d -= 1;
                if *d == 0 {
                    order.push(s);
                }
            }
        }
    }
    if order.len() != n {
        return None;
    }
    let tail_with = |tail: &[i64], o: u32| {
        if o == NONE {
            0
        } else {
            tail[o as usize] + p.dur[o as usize]
        }
    };
    let mut cmax = 0;
    for &o in order.iter().rev() {
        let t =
            tail_with(tail, p.jnext[o as usize]).max(tail_with(tail, machine_next(p, seq, pos, o)));
        tail[o as usize] = t;
        cmax = cmax.max(head[o as usize] + p.dur[o as usize] + t);
    }
    Some(cmax)
}

impl Schedule {
    /// A schedule from machine sequences; `None` if they are not a permutation of each
    /// machine's operations or if they create a cycle.
    pub fn from_seqs(p: &Problem, seq: Vec<Vec<u32>>) -> Option<Schedule> {
        let n = p.num_ops();
        if seq.len() != p.machines {
            return None;
        }
        let mut pos = vec![NONE; n];
        for (m, s) in seq.iter().enumerate() {
            if s.len() != p.mach_count[m] {
                return None;
            }
            for (i, &o) in s.iter().enumerate() {
                let slot = pos.get_mut(o as usize)?;
                if *slot != NONE || p.mach[o as usize] as usize != m {
                    return None;
                }
                *slot = i as u32;
            }
        }
        let mut sch = Schedule {
            seq,
            pos,
            head: vec![0; n],
            tail: vec![0; n],
            cmax: 0,
            hash: 0,
            order: Vec::with_capacity(n),
            indeg: vec![0; n],
            queue: std::collections::VecDeque::new(),
            queued: vec![false; n],
        };
        sch.recompute(p).then_some(sch)
    }

    /// Replace the sequences by `seq` (same shape, acyclic: a snapshot of a schedule of the
    /// same problem) and recompute.
    pub fn load(&mut self, p: &Problem, seq: &[Vec<u32>]) -> bool {
        for (dst, src) in self.seq.iter_mut().zip(seq) {
            dst.clone_from(src);
            for (i, &o) in dst.iter().enumerate() {
                self.pos[o as usize] = i as u32;
            }
        }
        self.recompute(p)
    }

    #[inline]
    pub fn mprev(&self, p: &Problem, o: u32) -> u32 {
        machine_prev(p, &self.seq, &self.pos, o)
    }

    #[inline]
    pub fn mnext(&self, p: &Problem, o: u32) -> u32 {
        machine_next(p, &self.seq, &self.pos, o)
    }

    /// End time (head + duration) of `o`, 0 for [`NONE`].
    #[inline]
    pub fn end(&self, p: &Problem, o: u32) -> i64 {
        if o == NONE {
            0
        } else {
            self.head[o as usize] + p.dur[o as usize]
        }
    }

    /// Tail including the duration (`q + p`) of `o`, 0 for [`NONE`].
    #[inline]
    pub fn tail_with(&self, p: &Problem, o: u32) -> i64 {
        if o == NONE {
            0
        } else {
            self.tail[o as usize] + p.dur[o as usize]
        }
    }

    /// Heads, tails, makespan and hash from the sequences, in O(operations) along a
    /// topological order (Kahn). Returns false, leaving heads and tails meaningless, when the
    /// sequences create a cycle.
    pub fn recompute(&mut self, p: &Problem) -> bool {
        let Some(cmax) = longest_paths(
            p,
            &self.seq,
            &self.pos,
            &mut self.head,
            &mut self.tail,
            &mut self.order,
            &mut self.indeg,
        ) else {
            return false;
        };
        self.cmax = cmax;
        let mut h = 0u64;
        for s in &self.seq {
            for w in s.windows(2) {
                h ^= mix((u64::from(w[0]) << 32) | u64::from(w[1]));
            }
        }
        self.hash = h;
        true
    }

    /// The part of [`Schedule::hash`] from the machine arcs that touch positions `lo..=hi` of
    /// machine `m` (arcs from `lo - 1` to `hi + 1`).
    pub fn arc_hash(&self, m: u32, lo: usize, hi: usize) -> u64 {
        let s = &self.seq[m as usize];
        let end = (hi + 1).min(s.len().saturating_sub(1));
        let mut h = 0u64;
        for i in lo.saturating_sub(1)..end {
            h ^= mix((u64::from(s[i]) << 32) | u64::from(s[i + 1]));
        }
        h
    }

    /// The incremental twin of [`Schedule::recompute`], after positions `lo..=hi` of machine
    /// `m` were reordered; `old_arcs` is [`Schedule::arc_hash`]`(m, lo, hi)` from before.
    /// Heads are propagated forwards from the operations whose machine predecessor changed
    /// (the segment and the operation after it), tails backwards from those whose machine
    /// successor changed (the segment and the operation before it), each operation
    /// re-evaluated from its two predecessors (successors) and its own successors queued only
    /// when its value changes (label correcting; in a DAG this ends at the longest paths).
    /// The makespan is the largest end of a job's last operation. Falls back to
    /// [`Schedule::recompute`] after `4 n` evaluations (a cycle of positive durations never
    /// settles). The caller must know the move keeps the graph acyclic when durations can be
    /// zero (a zero-length cycle settles; use [`Schedule::recompute`] there). Measured slower
    /// than [`Schedule::recompute`] inside `jssp.tabu` (2.3x on ta41): critical moves shift a
    /// large part of the graph and the FIFO order re-evaluates operations.
    pub fn update(&mut self, p: &Problem, m: u32, lo: usize, hi: usize, old_arcs: u64) -> bool {
        let n = p.num_ops();
        let limit = 4 * n + 16;
        let mut evals = 0usize;
        let len = self.seq[m as usize].len();
        // Heads from the segment and the operation after it, then tails from the segment and
        // the operation before it.
        if !self.propagate(p, m, lo, (hi + 2).min(len), true, &mut evals, limit)
            || !self.propagate(p, m, lo.saturating_sub(1), hi + 1, false, &mut evals, limit)
        {
            return self.recompute(p);
        }
        let mut cmax = 0;
        for j in 0..p.num_jobs() {
            let (a, b) = (p.job_start[j], p.job_start[j + 1]);
            if b > a {
                cmax = cmax.max(self.head[b - 1] + p.dur[b - 1]);
            }
        }
        self.cmax = cmax;
        self.hash ^= old_arcs ^ self.arc_hash(m, lo, hi);
        true
    }

    /// The label-correcting pass of [`Schedule::update`]: heads (`forward`) or tails,
    /// starting from the operations at positions `from..to` of machine `m`. Each evaluation
    /// counts towards `limit`; false (queue emptied) when the limit is passed.
    #[allow(clippy::too_many_arguments)]
    fn propagate(
        &mut self,
        p: &Problem,
        m: u32,
        from: usize,
        to: usize,
        forward: bool,
        evals: &mut usize,
        limit: usize,
    ) -> bool {
        self.queue.clear();
        for i in from..to {
            let o = self.seq[m as usize][i];
            self.queue.push_back(o);
            self.queued[o as usize] = true;
        }
        while let Some(o) = self.queue.pop_front() {
            self.queued[o as usize] = false;
            *evals += 1;
            if *evals > limit {
                self.queue.clear();
                self.queued.iter_mut().for_each(|q| *q = false);
                return false;
            }
            let (jp, jn) = (p.jprev[o as usize], p.jnext[o as usize]);
            let (mp, mn) = (self.mprev(p, o), self.mnext(p, o));
            let (value, after) = if forward {
                (self.end(p, jp).max(self.end(p, mp)), [jn, mn])
            } else {
                (self.tail_with(p, jn).max(self.tail_with(p, mn)), [jp, mp])
            };
            let slot = if forward {
                &mut self.head[o as usize]
            } else {
                &mut self.tail[o as usize]
            };
            if value != *slot {
                *slot = value;
                for s in after {
                    if s != NONE && !self.queued[s as usize] {
                        self.queued[s as usize] = true;
                        self.queue.push_back(s);
                    }
                }
            }
        }
        true
    }

    /// One critical path (first operation to last) into `path`, with `by_machine[i]` telling
    /// whether `path[i]` is reached from `path[i - 1]` by a machine arc. Ties between a job and
    /// a machine predecessor, and between ends, are broken at random.
    pub fn critical_path<R: Rng>(
        &self,
        p: &Problem,
        rng: &mut R,
        path: &mut Vec<u32>,
        by_machine: &mut Vec<bool>,
    ) {
        path.clear();
        by_machine.clear();
        let mut end = NONE;
        let mut seen = 0u32;
        for o in 0..p.num_ops() {
            if self.head[o] + p.dur[o] == self.cmax && self.tail[o] == 0 {
                seen += 1;
                if rng.random_range(0..seen) == 0 {
                    end = o as u32;
                }
            }
        }
        let mut cur = end;
        while cur != NONE {
            path.push(cur);
            let h = self.head[cur as usize];
            let jp = p.jprev[cur as usize];
            let mp = self.mprev(p, cur);
            let cj = jp != NONE && self.end(p, jp) == h;
            let cm = mp != NONE && self.end(p, mp) == h;
            let take_machine = match (cj, cm) {
                (true, true) => rng.random::<bool>(),
                (_, m) => m,
            };
            if take_machine {
                by_machine.push(true);
                cur = mp;
            } else if cj {
                by_machine.push(false);
                cur = jp;
            } else {
                by_machine.push(false);
                cur = NONE;
            }
        }
        // by_machine[i] describes the arc into path[i] (false for the first operation).
        path.reverse();
        by_machine.reverse();
    }

    /// The blocks (two operations or more) of a critical path from [`Schedule::critical_path`].
    pub fn blocks(&self, p: &Problem, path: &[u32], by_machine: &[bool], out: &mut Vec<Block>) {
        out.clear();
        let len = path.len();
        let mut i = 0;
        while i < len {
            let mut k = i;
            while k + 1 < len && by_machine[k + 1] {
                k += 1;
            }
            if k > i {
                let o = path[i];
                out.push(Block {
                    m: p.mach[o as usize],
                    s: self.pos[o as usize],
                    e: self.pos[path[k] as usize],
                    first: i == 0,
                    last: k + 1 == len,
                });
            }
            i = k + 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use quotient_problems::jssp::generate::random;
    use rand::SeedableRng;
    use rand::seq::IndexedRandom;
    use rand_chacha::ChaCha8Rng;

    /// A random acyclic schedule: machine sequences from a random topological order of the
    /// job chains (each step takes the next operation of a random unfinished job).
    pub(crate) fn random_schedule(p: &Problem, rng: &mut ChaCha8Rng) -> Schedule {
        let mut next: Vec<usize> = (0..p.num_jobs()).map(|j| p.job_start[j]).collect();
        let mut seq: Vec<Vec<u32>> = vec![Vec::new(); p.machines];
        let mut jobs: Vec<usize> = (0..p.num_jobs()).collect();
        loop {
            jobs.retain(|&j| next[j] < p.job_start[j + 1]);
            let Some(&j) = jobs.choose(rng) else { break };
            let o = next[j];
            seq[p.mach[o] as usize].push(o as u32);
            next[j] += 1;
        }
        Schedule::from_seqs(p, seq).unwrap()
    }

    /// Every arc of the disjunctive graph of (possibly partial) machine sequences `seq`: job
    /// arcs, then machine arcs between consecutive operations of each sequence.
    pub(crate) fn all_arcs(p: &Problem, seq: &[Vec<u32>]) -> Vec<(usize, usize)> {
        let mut arcs: Vec<(usize, usize)> = (0..p.num_ops())
            .filter(|&o| p.jnext[o] != NONE)
            .map(|o| (o, p.jnext[o] as usize))
            .collect();
        for s in seq {
            arcs.extend(s.windows(2).map(|w| (w[0] as usize, w[1] as usize)));
        }
        arcs
    }

    /// Heads and tails by plain repeated relaxation over every arc (Bellman–Ford style), with
    /// no topological order: the from-scratch twin of [`Schedule::recompute`].
    pub(crate) fn longest_paths(p: &Problem, seq: &[Vec<u32>]) -> (Vec<i64>, Vec<i64>, i64) {
        let n = p.num_ops();
        let arcs = all_arcs(p, seq);
        let mut head = vec![0i64; n];
        let mut tail = vec![0i64; n];
        loop {
            let mut changed = false;
            for &(a, b) in &arcs {
                if head[a] + p.dur[a] > head[b] {
                    head[b] = head[a] + p.dur[a];
                    changed = true;
                }
                if tail[b] + p.dur[b] > tail[a] {
                    tail[a] = tail[b] + p.dur[b];
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let cmax = (0..n).map(|o| head[o] + p.dur[o]).max().unwrap_or(0);
        (head, tail, cmax)
    }

    #[test]
    fn heads_and_tails_match_longest_paths() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (jobs, machines, seed) in [(10, 5, 1), (15, 10, 2), (6, 6, 3), (20, 5, 4), (3, 8, 5)] {
            let inst = random(jobs, machines, seed);
            let p = Problem::new(&inst).unwrap();
            for _ in 0..20 {
                let s = random_schedule(&p, &mut rng);
                let (h, t, c) = longest_paths(&p, &s.seq);
                assert_eq!(s.head, h);
                assert_eq!(s.tail, t);
                assert_eq!(s.cmax, c);
                // The schedule read back from its own start times is the same schedule.
                let sol = p.starts_from_heads(&s.head);
                let rep = quotient_problems::jssp::check(&inst, &sol);
                assert!(rep.is_feasible(), "{:?}", rep.violations);
                assert_eq!(rep.objective as i64, s.cmax);
                let back = Schedule::from_seqs(&p, p.seqs_from_starts(&sol).unwrap()).unwrap();
                assert_eq!(back.head, s.head);
                // The critical path has length cmax and its blocks are machine-contiguous.
                let (mut path, mut bym, mut blocks) = (Vec::new(), Vec::new(), Vec::new());
                s.critical_path(&p, &mut rng, &mut path, &mut bym);
                let len: i64 = path.iter().map(|&o| p.dur[o as usize]).sum();
                assert_eq!(len, s.cmax);
                assert_eq!(s.head[path[0] as usize], 0);
                s.blocks(&p, &path, &bym, &mut blocks);
                for b in &blocks {
                    assert!(b.e > b.s);
                    for i in b.s..b.e {
                        let sq = &s.seq[b.m as usize];
                        let (a, c) = (sq[i as usize] as usize, sq[i as usize + 1] as usize);
                        assert_eq!(s.head[a] + p.dur[a], s.head[c]);
                    }
                }
            }
        }
    }

    #[test]
    fn cycles_are_rejected() {
        // Two jobs on two machines in opposite orders; opposite sequences make a cycle.
        let inst = JsspInstance {
            name: "c".into(),
            machines: 2,
            jobs: vec![
                vec![
                    quotient_problems::jssp::Operation {
                        machine: 0,
                        duration: 3,
                    },
                    quotient_problems::jssp::Operation {
                        machine: 1,
                        duration: 2,
                    },
                ],
                vec![
                    quotient_problems::jssp::Operation {
                        machine: 1,
                        duration: 4,
                    },
                    quotient_problems::jssp::Operation {
                        machine: 0,
                        duration: 1,
                    },
                ],
            ],
            variant: Default::default(),
        };
        let p = Problem::new(&inst).unwrap();
        // ops: 0 = (0,0) m0, 1 = (0,1) m1, 2 = (1,0) m1, 3 = (1,1) m0.
        // m0: 3 before 0, m1: 1 before 2: 0 -> 1 -> 2 -> 3 -> 0 is a cycle.
        assert!(Schedule::from_seqs(&p, vec![vec![3, 0], vec![1, 2]]).is_none());
        let ok = Schedule::from_seqs(&p, vec![vec![0, 3], vec![2, 1]]).unwrap();
        assert_eq!(ok.cmax, 6);
        // Not a permutation: rejected.
        assert!(Schedule::from_seqs(&p, vec![vec![0, 0], vec![2, 1]]).is_none());
        assert!(Schedule::from_seqs(&p, vec![vec![0, 1], vec![2, 3]]).is_none());
    }
}

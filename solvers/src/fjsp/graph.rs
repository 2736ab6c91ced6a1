//! The flexible job shop as a disjunctive graph: operations numbered job by job, each with a
//! chosen machine (hence a duration) and a place in its machine's sequence. Heads (earliest
//! starts), tails (longest path after the operation's end) and the makespan are computed from
//! scratch over a topological order (Kahn); an assignment whose sequences make a cycle is
//! refused.

use quotient_problems::fjsp::{FjspInstance, FjspSolution};

/// No operation (no job or machine neighbour).
pub const NONE: u32 = u32::MAX;

/// The instance in solver form.
#[derive(Debug, Clone)]
pub struct Problem {
    pub machines: usize,
    /// Job of each operation.
    pub job: Vec<u32>,
    /// Index of each operation within its job.
    pub index: Vec<u32>,
    /// First operation of each job (and one past the last at the end).
    pub job_start: Vec<usize>,
    /// Job predecessor and successor ([`NONE`] at the ends).
    pub jp: Vec<u32>,
    pub js: Vec<u32>,
    /// Eligible machines with their durations.
    pub alts: Vec<Vec<(u32, i64)>>,
    /// Shortest work left in the job from each operation on (itself included).
    pub work_left: Vec<i64>,
    /// The instance's trivial lower bound.
    pub lb: i64,
}

impl Problem {
    /// The solver form of `inst`; an error names an operation without any eligible machine.
    pub fn new(inst: &FjspInstance) -> Result<Problem, String> {
        let n = inst.num_ops();
        let mut p = Problem {
            machines: inst.machines,
            job: Vec::with_capacity(n),
            index: Vec::with_capacity(n),
            job_start: Vec::with_capacity(inst.num_jobs() + 1),
            jp: Vec::with_capacity(n),
            js: Vec::with_capacity(n),
            alts: Vec::with_capacity(n),
            work_left: vec![0; n],
            lb: inst.trivial_lower_bound(),
        };
        for (j, job) in inst.jobs.iter().enumerate() {
            let first = p.job.len();
            p.job_start.push(first);
            for (k, op) in job.iter().enumerate() {
                if op.alternatives.is_empty() {
                    return Err(format!("operation {k} of job {j} has no eligible machine"));
                }
                let id = p.job.len() as u32;
                p.job.push(j as u32);
                p.index.push(k as u32);
                p.jp.push(if k == 0 { NONE } else { id - 1 });
                p.js.push(if k + 1 == job.len() { NONE } else { id + 1 });
                p.alts.push(
                    op.alternatives
                        .iter()
                        .map(|a| (a.machine as u32, a.duration))
                        .collect(),
                );
            }
            let mut left = 0;
            for op in (first..p.job.len()).rev() {
                left += p.alts[op].iter().map(|a| a.1).min().unwrap_or(0);
                p.work_left[op] = left;
            }
        }
        p.job_start.push(p.job.len());
        Ok(p)
    }
    pub fn num_ops(&self) -> usize {
        self.job.len()
    }
    /// The duration of `op` on `machine`, if eligible.
    pub fn duration_on(&self, op: usize, machine: u32) -> Option<i64> {
        self.alts[op].iter().find(|a| a.0 == machine).map(|a| a.1)
    }
}

/// A schedule: machine choices and sequences, with heads, tails and the makespan.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Machine of each operation.
    pub mach: Vec<u32>,
    /// Duration of each operation on its machine.
    pub dur: Vec<i64>,
    /// Each machine's operations in order.
    pub seq: Vec<Vec<u32>>,
    /// Place of each operation in its machine's sequence.
    pub pos: Vec<u32>,
    /// Earliest start of each operation.
    pub head: Vec<i64>,
    /// Longest path from each operation's end to the end of the schedule.
    pub tail: Vec<i64>,
    /// A topological order of the operations.
    pub order: Vec<u32>,
    /// Place of each operation in `order`.
    pub rank: Vec<u32>,
    /// `prefix_end[i]`: the latest end among `order[..=i]`.
    pub prefix_end: Vec<i64>,
    pub cmax: i64,
    indeg: Vec<u32>,
}

impl Schedule {
    /// The schedule of machine choices `mach` and sequences `seq`; `None` when they do not
    /// fit `p` (an ineligible machine, an operation missing or twice) or make a cycle.
    pub fn new(p: &Problem, mach: Vec<u32>, seq: Vec<Vec<u32>>) -> Option<Schedule> {
        let n = p.num_ops();
        if mach.len() != n || seq.len() != p.machines {
            return None;
        }
        let mut dur = Vec::with_capacity(n);
        for (op, &m) in mach.iter().enumerate() {
            dur.push(p.duration_on(op, m)?);
        }
        let mut pos = vec![NONE; n];
        for (m, s) in seq.iter().enumerate() {
            for (i, &op) in s.iter().enumerate() {
                let slot = pos.get_mut(op as usize)?;
                if *slot != NONE || mach[op as usize] as usize != m {
                    return None;
                }
                *slot = i as u32;
            }
        }
        if pos.contains(&NONE) {
            return None;
        }
        let mut s = Schedule {
            mach,
            dur,
            seq,
            pos,
            head: vec![0; n],
            tail: vec![0; n],
            order: Vec::with_capacity(n),
            rank: vec![0; n],
            prefix_end: vec![0; n],
            cmax: 0,
            indeg: vec![0; n],
        };
        s.recompute(p).then_some(s)
    }

    /// Machine predecessor of `op` ([`NONE`] when first).
    pub fn mp(&self, op: usize) -> u32 {
        let i = self.pos[op] as usize;
        if i == 0 {
            NONE
        } else {
            self.seq[self.mach[op] as usize][i - 1]
        }
    }
    /// Machine successor of `op` ([`NONE`] when last).
    pub fn ms(&self, op: usize) -> u32 {
        let s = &self.seq[self.mach[op] as usize];
        s.get(self.pos[op] as usize + 1).copied().unwrap_or(NONE)
    }

    /// Recompute the order, heads, tails and makespan from scratch; false when the graph has
    /// a cycle (heads and tails are then meaningless).
    pub fn recompute(&mut self, p: &Problem) -> bool {
        let n = p.num_ops();
        self.order.clear();
        for op in 0..n {
            self.indeg[op] = u32::from(p.jp[op] != NONE) + u32::from(self.pos[op] > 0);
            if self.indeg[op] == 0 {
                self.order.push(op as u32);
            }
        }
        let mut k = 0;
        while k < self.order.len() {
            let u = self.order[k] as usize;
            k += 1;
            for v in [p.js[u], self.ms(u)] {
                if v != NONE {
                    let d = &mut self.indeg[v as usize];
                    *d -= 1;
                    if *d == 0 {
                        self.order.push(v);
                    }
                }
            }
        }
        if self.order.len() != n {
            return false;
        }
        let mut cmax = 0;
        for (i, &u) in self.order.iter().enumerate() {
            let u = u as usize;
            self.rank[u] = i as u32;
            let mut h = 0;
            for x in [p.jp[u], self.mp(u)] {
                if x != NONE {
                    h = h.max(self.head[x as usize] + self.dur[x as usize]);
                }
            }
            self.head[u] = h;
            cmax = cmax.max(h + self.dur[u]);
            self.prefix_end[i] = cmax;
        }
        for &u in self.order.iter().rev() {
            let u = u as usize;
            let mut t = 0;
            for x in [p.js[u], self.ms(u)] {
                if x != NONE {
                    t = t.max(self.dur[x as usize] + self.tail[x as usize]);
                }
            }
            self.tail[u] = t;
        }
        self.cmax = cmax;
        true
    }

    /// Whether `op` lies on a longest path.
    pub fn is_critical(&self, op: usize) -> bool {
        self.head[op] + self.dur[op] + self.tail[op] == self.cmax
    }

    /// The public form: each operation on its machine at its head (a semi-active schedule).
    pub fn to_solution(&self, p: &Problem) -> FjspSolution {
        let jobs = p.job_start.len().saturating_sub(1);
        let mut machine = Vec::with_capacity(jobs);
        let mut start = Vec::with_capacity(jobs);
        for w in p.job_start.windows(2) {
            machine.push(self.mach[w[0]..w[1]].iter().map(|&m| m as usize).collect());
            start.push(self.head[w[0]..w[1]].to_vec());
        }
        FjspSolution { machine, start }
    }

    /// The schedule of a public solution: its machine choices, each machine's operations in
    /// start order (ties by job and operation). `None` when the solution does not fit `p` or
    /// its order makes a cycle.
    pub fn from_solution(p: &Problem, sol: &FjspSolution) -> Option<Schedule> {
        let n = p.num_ops();
        let jobs = p.job_start.len().saturating_sub(1);
        if sol.machine.len() != jobs || sol.start.len() != jobs {
            return None;
        }
        let mut mach = Vec::with_capacity(n);
        let mut keyed: Vec<(usize, i64, u32)> = Vec::with_capacity(n);
        for (j, w) in p.job_start.windows(2).enumerate() {
            let (ms, st) = (&sol.machine[j], &sol.start[j]);
            if ms.len() != w[1] - w[0] || st.len() != ms.len() {
                return None;
            }
            for (k, (&m, &s)) in ms.iter().zip(st).enumerate() {
                if m >= p.machines {
                    return None;
                }
                mach.push(m as u32);
                keyed.push((m, s, (w[0] + k) as u32));
            }
        }
        keyed.sort_unstable();
        let mut seq = vec![Vec::new(); p.machines];
        for (m, _, op) in keyed {
            seq[m].push(op);
        }
        Schedule::new(p, mach, seq)
    }
}

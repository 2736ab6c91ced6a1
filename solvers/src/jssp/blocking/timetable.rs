//! Job-by-job timetabling for the blocking job shops: a job order (a permutation of the jobs)
//! is decoded into a schedule by inserting the jobs one after another into the machines'
//! timelines, each at its earliest feasible times, without moving the jobs already placed.
//!
//! A job's operation `k` occupies its machine from its start `s_k` until `s_{k+1}` (its last
//! operation until it ends), so inserting a job is a search for start times such that
//! `s_{k+1} >= s_k + p_k` and every occupation lies in a free gap of its machine's timeline.
//! [`Timetable::insert`] goes forward taking for each operation the earliest start in a gap
//! long enough for its processing; when the next operation cannot start before the gap of the
//! current one closes, the current operation is moved to its machine's next gap (its lower
//! bound rises) and the pass resumes there. Lower bounds only rise and every timeline is free
//! after its last occupation, so the search ends, always with a feasible placement.
//!
//! Without swaps ([`quotient_problems::jssp::JsspVariant::Blocking`]) a hand-over at time `t`
//! where the job would both leave a machine that another job enters at `t` *and* enter a
//! machine that a moving job leaves at `t` is refused (that is the only way the new job can
//! close a cycle of simultaneous moves with the jobs already placed, whose moves form none):
//! so every decoded schedule is swap-free. With swaps, hand-overs are free.
//!
//! Every schedule decoded here is feasible for the instance's variant by construction; the
//! solvers still pass it to the independent checker in tests.

use quotient_problems::jssp::{JsspInstance, JsspSolution};

/// The job shop as the timetabler reads it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub machines: usize,
    /// `jobs[j][k] = (machine, duration)`.
    pub jobs: Vec<Vec<(usize, i64)>>,
    /// Whether jobs blocked in a cycle may swap.
    pub swap: bool,
    /// After a job's earliest placement, shift its operations but the last as late as the
    /// timelines allow without changing its completion ([`Timetable::insert`]): the job then
    /// blocks its machines for less time. On by default.
    pub right_shift: bool,
    /// Work of each job (sum of its durations).
    pub work: Vec<i64>,
    /// The trivial lower bound (largest job or machine load).
    pub lb: i64,
}

impl Problem {
    /// The instance as a timetabling problem, or why it cannot be one (a machine index out of
    /// range or a negative duration).
    pub fn new(inst: &JsspInstance) -> Result<Problem, String> {
        let mut jobs = Vec::with_capacity(inst.jobs.len());
        let mut load = vec![0i64; inst.machines];
        for (j, job) in inst.jobs.iter().enumerate() {
            let mut ops = Vec::with_capacity(job.len());
            for (k, op) in job.iter().enumerate() {
                if op.machine >= inst.machines {
                    return Err(format!(
                        "operation {k} of job {j} uses machine {} of {}",
                        op.machine, inst.machines
                    ));
                }
                if op.duration < 0 {
                    return Err(format!("operation {k} of job {j} has a negative duration"));
                }
                load[op.machine] += op.duration;
                ops.push((op.machine, op.duration));
            }
            jobs.push(ops);
        }
        let work: Vec<i64> = jobs
            .iter()
            .map(|o: &Vec<(usize, i64)>| o.iter().map(|&(_, d)| d).sum())
            .collect();
        let lb = work
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(load.into_iter().max().unwrap_or(0));
        Ok(Problem {
            machines: inst.machines,
            jobs,
            swap: inst.variant.allows_swap(),
            right_shift: true,
            work,
            lb,
        })
    }

    /// Number of jobs.
    pub fn num_jobs(&self) -> usize {
        self.jobs.len()
    }
}

/// One occupation of a machine: `[start, end)` by `job`; `moves`: the job goes on to its next
/// operation at `end` (false for a last operation, which ends by completing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occ {
    start: i64,
    end: i64,
    job: u32,
    moves: bool,
}

/// The machines' timelines (occupations sorted by start, disjoint) and the start times of
/// the jobs placed so far.
#[derive(Debug, Clone)]
pub struct Timetable {
    lines: Vec<Vec<Occ>>,
    /// `(machine, t)` where a job passed through the machine at `t` without occupying it
    /// (a zero-length operation started and left at `t`): it entered the machine at `t`, so
    /// a job leaving the machine at `t` hands it over.
    entries: std::collections::HashSet<(usize, i64)>,
    /// `start[j]`: the start of each operation of job j (empty until j is placed).
    pub start: Vec<Vec<i64>>,
    /// The largest completion time so far.
    pub makespan: i64,
}

/// The free gap of a timeline around time `t`: `(from, to)` with `to = i64::MAX` when the
/// timeline is free from `from` on; `None` when `t` is inside an occupation.
fn gap_at(line: &[Occ], t: i64) -> Option<(i64, i64, bool)> {
    let i = line.partition_point(|o| o.start <= t);
    let (from, moving) = match i.checked_sub(1).and_then(|p| line.get(p)) {
        Some(o) if o.end > t => return None,
        Some(o) => (o.end, o.moves),
        None => (i64::MIN, false),
    };
    let to = line.get(i).map_or(i64::MAX, |o| o.start);
    Some((from, to, moving))
}

/// The earliest `t' >= t` where a gap of `line` leaves at least `p` free from `t'`, with
/// that gap: `(t', from, to, moving_before)`; `moving_before`: the occupation that ends at
/// `from` is of a job that moves on then.
fn earliest_fit(line: &[Occ], mut t: i64, p: i64) -> (i64, i64, i64, bool) {
    loop {
        let i = line.partition_point(|o| o.start <= t);
        if let Some(o) = i.checked_sub(1).and_then(|q| line.get(q))
            && o.end > t
        {
            t = o.end;
            continue;
        }
        if let Some((from, to, moving)) = gap_at(line, t) {
            if to == i64::MAX || to - t >= p {
                return (t, from, to, moving);
            }
            t = to;
        }
    }
}

impl Timetable {
    /// An empty timetable for the problem `p`.
    pub fn new(p: &Problem) -> Timetable {
        Timetable {
            lines: vec![Vec::new(); p.machines],
            entries: std::collections::HashSet::new(),
            start: vec![Vec::new(); p.num_jobs()],
            makespan: 0,
        }
    }

    /// Insert job `j` at its earliest feasible times (see the module documentation) and
    /// return its completion time.
    pub fn insert(&mut self, p: &Problem, j: usize) -> i64 {
        let ops = &p.jobs[j];
        let n = ops.len();
        if n == 0 {
            self.start[j].clear();
            return 0;
        }
        let mut lb = vec![0i64; n];
        let mut s = vec![0i64; n];
        // The chosen gap of each operation: (from, to).
        let mut gap = vec![(0i64, 0i64); n];
        let mut k = 0usize;
        while k < n {
            let (m, d) = ops[k];
            let t = if k == 0 {
                lb[0]
            } else {
                lb[k].max(s[k - 1] + ops[k - 1].1)
            };
            let (sk, from, to, moving) = earliest_fit(&self.lines[m], t, d);
            if k > 0 {
                let (_, prev_to) = gap[k - 1];
                let tight_leave = (sk == prev_to && prev_to != i64::MAX)
                    || self.entries.contains(&(ops[k - 1].0, sk));
                let tight_enter = sk == from && moving;
                let refused = !p.swap && tight_leave && tight_enter;
                if refused && sk < prev_to {
                    // A later hand-over within the gap of operation k - 1: start k later.
                    lb[k] = sk + 1;
                    continue;
                }
                if sk > prev_to || refused {
                    // Operation k - 1 cannot hold its machine until k starts: move it to its
                    // machine's next gap.
                    lb[k - 1] = prev_to.saturating_add(if sk > prev_to { 0 } else { 1 });
                    k -= 1;
                    continue;
                }
            }
            s[k] = sk;
            gap[k] = (from, to);
            k += 1;
        }
        if p.right_shift {
            self.shift_right(p, ops, &mut s);
        }
        for (k, &(m, d)) in ops.iter().enumerate() {
            let (end, moves) = match s.get(k + 1) {
                Some(&next) => (next, true),
                None => (s[k] + d, false),
            };
            if end == s[k] {
                self.entries.insert((m, s[k]));
            } else {
                let line = &mut self.lines[m];
                let at = line.partition_point(|o| o.start < s[k]);
                line.insert(
                    at,
                    Occ {
                        start: s[k],
                        end,
                        job: j as u32,
                        moves,
                    },
                );
            }
        }
        let done = s[n - 1] + ops[n - 1].1;
        self.makespan = self.makespan.max(done);
        self.start[j] = s;
        done
    }

    /// Whether `[a, b)` meets no occupation of machine `m`.
    fn free(&self, m: usize, a: i64, b: i64) -> bool {
        if b <= a {
            return true;
        }
        let line = &self.lines[m];
        let i = line.partition_point(|o| o.start < b);
        i.checked_sub(1)
            .and_then(|q| line.get(q))
            .is_none_or(|o| o.end <= a)
    }

    /// Whether, without swaps, a hand-over at `t` from machine `from` (which the job leaves)
    /// to machine `to` (which it enters) is refused: a job enters `from` at `t` and a moving
    /// job leaves `to` at `t` (see the module documentation).
    fn tight(&self, p: &Problem, from: usize, to: usize, t: i64) -> bool {
        if p.swap {
            return false;
        }
        let enters_from =
            self.lines[from].iter().any(|o| o.start == t) || self.entries.contains(&(from, t));
        let leaves_to = self.lines[to].iter().any(|o| o.end == t && o.moves);
        enters_from && leaves_to
    }

    /// Right-shift a feasible placement `s` of a job: from the second-to-last operation back,
    /// each starts as late as its processing allows before the next one's (new) start, when
    /// that interval is free and the hand-over is allowed; otherwise it keeps its start if that
    /// is still feasible, else the whole placement stays as it was.
    fn shift_right(&self, p: &Problem, ops: &[(usize, i64)], s: &mut [i64]) {
        let n = ops.len();
        if n < 2 {
            return;
        }
        let mut t = s.to_vec();
        for k in (0..n - 1).rev() {
            let (m, d) = ops[k];
            let next = t[k + 1];
            let late = next - d;
            let ok =
                |a: i64| a >= 0 && self.free(m, a, next) && !self.tight(p, m, ops[k + 1].0, next);
            if late > t[k] && ok(late) {
                t[k] = late;
            } else if !ok(t[k]) {
                return;
            }
        }
        // The entries at the first operation (from the buffer) need no check; between the
        // operations every interval and hand-over was checked above.
        s.copy_from_slice(&t);
    }

    /// The schedule so far as a solution (jobs not placed have empty rows).
    pub fn to_solution(&self) -> JsspSolution {
        JsspSolution {
            start: self.start.clone(),
        }
    }
}

/// Decode a job order from scratch: the makespan of inserting the jobs in `order`.
pub fn decode(p: &Problem, order: &[usize]) -> Timetable {
    let mut tt = Timetable::new(p);
    for &j in order {
        tt.insert(p, j);
    }
    tt
}

/// The makespan of `order`, decoded from scratch.
pub fn makespan(p: &Problem, order: &[usize]) -> i64 {
    decode(p, order).makespan
}

/// The best place to insert job `x` into `order` (which must not hold it): `(position,
/// makespan)` with the smallest makespan, ties to the earliest position. Fast: the timetable of
/// each prefix is built once and extended, and a decode stops as soon as its partial makespan
/// reaches the best so far (makespans only grow as jobs are added). [`best_insertion_slow`]
/// is its from-scratch twin.
///
/// `stop` is asked before each position; when it answers true the search ends with `None`.
pub fn best_insertion(
    p: &Problem,
    order: &[usize],
    x: usize,
    stop: &dyn Fn() -> bool,
) -> Option<(usize, i64)> {
    let mut prefix = Timetable::new(p);
    let mut best = (0usize, i64::MAX);
    for pos in 0..=order.len() {
        if stop() {
            return None;
        }
        if prefix.makespan >= best.1 {
            break; // every later position starts from this prefix or a longer one
        }
        let mut tt = prefix.clone();
        tt.insert(p, x);
        let mut ok = tt.makespan < best.1;
        if ok {
            for &j in &order[pos..] {
                tt.insert(p, j);
                if tt.makespan >= best.1 {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            best = (pos, tt.makespan);
        }
        if let Some(&j) = order.get(pos) {
            prefix.insert(p, j);
        }
    }
    Some(best)
}

/// From-scratch twin of [`best_insertion`]: every position decoded in full.
pub fn best_insertion_slow(p: &Problem, order: &[usize], x: usize) -> (usize, i64) {
    let mut best = (0usize, i64::MAX);
    for pos in 0..=order.len() {
        let mut o = order.to_vec();
        o.insert(pos, x);
        let c = makespan(p, &o);
        if c < best.1 {
            best = (pos, c);
        }
    }
    best
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::jssp::{JsspVariant, check, generate::random};
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn every_decoded_order_passes_the_checker_in_every_blocking_variant() {
        for seed in 0..12 {
            for variant in [
                JsspVariant::Blocking,
                JsspVariant::Swap,
                JsspVariant::InterruptingSwap,
            ] {
                let mut inst = random(4 + (seed as usize % 5), 2 + (seed as usize % 4), seed);
                inst.variant = variant;
                let p = Problem::new(&inst).unwrap();
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                for _ in 0..10 {
                    let mut order: Vec<usize> = (0..p.num_jobs()).collect();
                    order.shuffle(&mut rng);
                    let tt = decode(&p, &order);
                    let r = check(&inst, &tt.to_solution());
                    assert!(r.is_feasible(), "{variant} seed {seed}: {:?}", r.violations);
                    assert_eq!(r.objective, tt.makespan as f64);
                    assert!(tt.makespan >= p.lb);
                }
            }
        }
    }

    #[test]
    fn the_fast_best_insertion_matches_its_from_scratch_twin() {
        for seed in 0..8 {
            let mut inst = random(7, 4, seed);
            inst.variant = if seed % 2 == 0 {
                JsspVariant::Blocking
            } else {
                JsspVariant::Swap
            };
            let p = Problem::new(&inst).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(seed + 50);
            for x in 0..p.num_jobs() {
                let mut order: Vec<usize> = (0..p.num_jobs()).filter(|&j| j != x).collect();
                order.shuffle(&mut rng);
                assert_eq!(
                    best_insertion(&p, &order, x, &|| false),
                    Some(best_insertion_slow(&p, &order, x)),
                    "seed {seed} job {x}"
                );
                assert_eq!(best_insertion(&p, &order, x, &|| true), None);
            }
        }
    }

    #[test]
    fn zero_durations_decode_to_checked_schedules() {
        use quotient_problems::jssp::{JsspInstance, Operation};
        let op = |machine, duration| Operation { machine, duration };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for seed in 0..40u64 {
            let mut inst = random(5, 3, seed);
            for (i, o) in inst.jobs.iter_mut().flatten().enumerate() {
                if (i as u64 + seed).is_multiple_of(3) {
                    o.duration = 0;
                }
            }
            for v in [JsspVariant::Blocking, JsspVariant::Swap] {
                inst.variant = v;
                let p = Problem::new(&inst).unwrap();
                let mut order: Vec<usize> = (0..5).collect();
                order.shuffle(&mut rng);
                let tt = decode(&p, &order);
                let r = check(&inst, &tt.to_solution());
                assert!(r.is_feasible(), "{v} seed {seed}: {:?}", r.violations);
            }
        }
        let zero = JsspInstance {
            name: "z".into(),
            machines: 2,
            jobs: vec![vec![op(0, 0), op(1, 0)], vec![op(1, 0), op(0, 0)]],
            variant: JsspVariant::Blocking,
        };
        let p = Problem::new(&zero).unwrap();
        let tt = decode(&p, &[1, 0]);
        assert_eq!(tt.makespan, 0);
        assert!(check(&zero, &tt.to_solution()).is_feasible());
    }

    #[test]
    fn swaps_happen_only_when_allowed() {
        // Two jobs crossing two machines in opposite directions with equal times: the
        // second job inserted can swap with the first only in the swap variants.
        use quotient_problems::jssp::{JsspInstance, Operation};
        let op = |machine, duration| Operation { machine, duration };
        let mut inst = JsspInstance {
            name: "x".into(),
            machines: 2,
            jobs: vec![vec![op(0, 2), op(1, 2)], vec![op(1, 2), op(0, 2)]],
            variant: JsspVariant::Swap,
        };
        let p = Problem::new(&inst).unwrap();
        let swap = decode(&p, &[0, 1]);
        assert!(check(&inst, &swap.to_solution()).is_feasible());
        inst.variant = JsspVariant::Blocking;
        let p = Problem::new(&inst).unwrap();
        let no_swap = decode(&p, &[0, 1]);
        let r = check(&inst, &no_swap.to_solution());
        assert!(r.is_feasible(), "{:?}", r.violations);
        // With the swap: job 1 on m1 [0,2) and m0 [2,4) while job 0 moves m0 -> m1 at 2.
        assert_eq!(swap.makespan, 4);
        // Without: job 1 waits until job 0 has left m1 at 4.
        assert_eq!(no_swap.makespan, 8);
    }
}

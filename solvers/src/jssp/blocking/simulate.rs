//! Operation-level dispatching by event simulation, the way the ISBJSSP paper's simulator
//! (Wong et al., arXiv 2302.02506) and its baseline rules schedule a blocking shop online:
//! time advances from event to event; whenever a machine is free, the jobs ready to enter it
//! (waiting in the input buffer for their first operation, or finished and blocking their
//! current machine) compete and a priority rule picks one, which moves at once (its old
//! machine is free from that instant, so moves chain). Jobs blocked in a cycle, each waiting
//! for the machine the next one holds, swap when the variant allows it; without swaps such a
//! cycle is a deadlock and the simulation gives up (`None`), which is why the no-swap variant
//! is scheduled by [`super::timetable`] instead.
//!
//! Moves at one instant happen one after another into machines free at that moment (or, for
//! a swap, around a cycle), so every schedule is feasible for its variant; tests check it.

use super::timetable::Problem;
use quotient_problems::jssp::JsspSolution;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The priority rules of the simulation (smallest key first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimRule {
    /// First in, first out: the job that has been ready longest.
    Fifo,
    /// Shortest processing time of the operation to start.
    Spt,
    /// Longest processing time of the operation to start.
    Lpt,
    /// Most work remaining in the job.
    Mwkr,
    /// Most operations remaining in the job.
    Mor,
    /// Uniformly random (seeded).
    Random,
}

/// Every event-simulation rule, in the order `jssp.blocking-dispatch` tries them.
pub const SIM_RULES: [SimRule; 6] = [
    SimRule::Fifo,
    SimRule::Spt,
    SimRule::Lpt,
    SimRule::Mwkr,
    SimRule::Mor,
    SimRule::Random,
];

impl SimRule {
    /// The rule's name as reported in messages.
    pub fn name(self) -> &'static str {
        match self {
            SimRule::Fifo => "sim-fifo",
            SimRule::Spt => "sim-spt",
            SimRule::Lpt => "sim-lpt",
            SimRule::Mwkr => "sim-mwkr",
            SimRule::Mor => "sim-mor",
            SimRule::Random => "sim-random",
        }
    }
}

/// Simulate the shop under `rule`; the schedule, or `None` on a deadlock (only without swaps)
/// or when `stop` answers true (asked at every event time).
pub fn simulate(
    p: &Problem,
    rule: SimRule,
    seed: u64,
    stop: &dyn Fn() -> bool,
) -> Option<JsspSolution> {
    let n = p.num_jobs();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut start: Vec<Vec<i64>> = p.jobs.iter().map(|o| vec![0; o.len()]).collect();
    let mut next = vec![0usize; n];
    let mut on: Vec<Option<usize>> = vec![None; n];
    let mut done_at = vec![0i64; n];
    let mut holder: Vec<Option<usize>> = vec![None; p.machines];
    let mut remaining: Vec<i64> = p.work.clone();
    let mut finished = p.jobs.iter().filter(|o| o.is_empty()).count();
    let mut t = 0i64;
    // (whether a job is ready to move at t): in the buffer, or done processing.
    let ready = |j: usize, next: &[usize], on: &[Option<usize>], done_at: &[i64], t: i64| {
        next[j] < p.jobs[j].len() && (on[j].is_none() || done_at[j] <= t)
    };
    while finished < n {
        if stop() {
            return None;
        }
        loop {
            let mut changed = false;
            // Jobs done with their last operation leave the shop.
            for (j, ops) in p.jobs.iter().enumerate() {
                if next[j] == ops.len()
                    && let Some(m) = on[j]
                    && done_at[j] <= t
                {
                    holder[m] = None;
                    on[j] = None;
                    finished += 1;
                    changed = true;
                }
            }
            // Free machines take the best ready job that wants them.
            for m in 0..p.machines {
                if holder[m].is_some() {
                    continue;
                }
                let mut best: Option<((i64, i64), usize)> = None;
                for j in 0..n {
                    if !ready(j, &next, &on, &done_at, t) || p.jobs[j][next[j]].0 != m {
                        continue;
                    }
                    let (_, d) = p.jobs[j][next[j]];
                    let since = if on[j].is_some() { done_at[j] } else { 0 };
                    let left = (p.jobs[j].len() - next[j]) as i64;
                    let key = match rule {
                        SimRule::Fifo => (since, j as i64),
                        SimRule::Spt => (d, j as i64),
                        SimRule::Lpt => (-d, j as i64),
                        SimRule::Mwkr => (-remaining[j], j as i64),
                        SimRule::Mor => (-left, -remaining[j]),
                        SimRule::Random => (rng.random_range(0..1_000_000), j as i64),
                    };
                    if best.is_none_or(|(b, _)| key < b) {
                        best = Some((key, j));
                    }
                }
                if let Some((_, j)) = best {
                    if let Some(old) = on[j] {
                        holder[old] = None;
                    }
                    let (_, d) = p.jobs[j][next[j]];
                    start[j][next[j]] = t;
                    holder[m] = Some(j);
                    on[j] = Some(m);
                    done_at[j] = t + d;
                    remaining[j] -= d;
                    next[j] += 1;
                    changed = true;
                }
            }
            // A re-entrant job waiting for the machine it holds moves on at once.
            for j in 0..n {
                if ready(j, &next, &on, &done_at, t)
                    && let Some(m) = on[j]
                    && p.jobs[j][next[j]].0 == m
                {
                    let (_, d) = p.jobs[j][next[j]];
                    start[j][next[j]] = t;
                    done_at[j] = t + d;
                    remaining[j] -= d;
                    next[j] += 1;
                    changed = true;
                }
            }
            if !changed && p.swap {
                changed = swap_one_cycle(
                    p,
                    t,
                    &mut next,
                    &mut on,
                    &mut done_at,
                    &mut holder,
                    &mut remaining,
                    &mut start,
                );
            }
            if !changed {
                break;
            }
        }
        if finished == n {
            break;
        }
        // The next completion after t.
        let soon = on
            .iter()
            .zip(&done_at)
            .filter(|&(o, &d)| o.is_some() && d > t)
            .map(|(_, &d)| d)
            .min()
            .unwrap_or(i64::MAX);
        if soon == i64::MAX {
            return None; // every job blocked and no swap: a deadlock
        }
        t = soon;
    }
    Some(JsspSolution { start })
}

/// The makespan of a simulated schedule (the last operations' ends).
pub fn makespan(p: &Problem, sol: &JsspSolution) -> i64 {
    p.jobs
        .iter()
        .zip(&sol.start)
        .filter_map(|(ops, st)| Some(st.last()? + ops.last()?.1))
        .max()
        .unwrap_or(0)
}

/// Find one cycle of blocked jobs (each finished and waiting for the machine the next one
/// holds, that one finished too) and move all of its jobs at `t`. Whether one was found.
#[allow(clippy::too_many_arguments)]
fn swap_one_cycle(
    p: &Problem,
    t: i64,
    next: &mut [usize],
    on: &mut [Option<usize>],
    done_at: &mut [i64],
    holder: &mut [Option<usize>],
    remaining: &mut [i64],
    start: &mut [Vec<i64>],
) -> bool {
    let n = p.num_jobs();
    // waits[j]: the job holding the machine j wants, when j is blocked (finished, on a
    // machine) and that holder is another blocked job.
    let blocked = |j: usize| next[j] < p.jobs[j].len() && on[j].is_some() && done_at[j] <= t;
    let waits: Vec<Option<usize>> = (0..n)
        .map(|j| {
            if !blocked(j) {
                return None;
            }
            let m = p.jobs[j][next[j]].0;
            holder[m].filter(|&h| h != j && blocked(h))
        })
        .collect();
    let mut seen = vec![false; n];
    for s in 0..n {
        if seen[s] || waits[s].is_none() {
            continue;
        }
        let mut path: Vec<usize> = Vec::new();
        let mut cur = s;
        loop {
            if seen[cur] {
                if let Some(i) = path.iter().position(|&x| x == cur) {
                    let cycle: Vec<usize> = path[i..].to_vec();
                    for &j in &cycle {
                        let (m, d) = p.jobs[j][next[j]];
                        start[j][next[j]] = t;
                        on[j] = Some(m);
                        holder[m] = Some(j);
                        done_at[j] = t + d;
                        remaining[j] -= d;
                        next[j] += 1;
                    }
                    return true;
                }
                break;
            }
            seen[cur] = true;
            path.push(cur);
            match waits[cur] {
                Some(h) => cur = h,
                None => break,
            }
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::jssp::{JsspInstance, JsspVariant, Operation, check, generate::random};

    #[test]
    fn every_rule_simulates_a_feasible_schedule_with_swaps() {
        for seed in 0..8u64 {
            for v in [JsspVariant::Swap, JsspVariant::InterruptingSwap] {
                let mut inst = random(6 + seed as usize % 4, 3 + seed as usize % 3, seed);
                inst.variant = v;
                let p = Problem::new(&inst).unwrap();
                for rule in SIM_RULES {
                    let sol = simulate(&p, rule, seed, &|| false)
                        .unwrap_or_else(|| panic!("{rule:?}: swaps end every deadlock"));
                    let r = check(&inst, &sol);
                    assert!(
                        r.is_feasible(),
                        "{v} {rule:?} seed {seed}: {:?}",
                        r.violations
                    );
                }
            }
        }
    }

    #[test]
    fn without_swaps_a_schedule_is_swap_free_or_the_simulation_gives_up() {
        let mut done = 0;
        for seed in 0..12u64 {
            let mut inst = random(5, 3, seed);
            inst.variant = JsspVariant::Blocking;
            let p = Problem::new(&inst).unwrap();
            for rule in SIM_RULES {
                if let Some(sol) = simulate(&p, rule, seed, &|| false) {
                    let r = check(&inst, &sol);
                    assert!(r.is_feasible(), "{rule:?} seed {seed}: {:?}", r.violations);
                    done += 1;
                }
            }
        }
        assert!(done > 0);
        // The crossing pair deadlocks without swaps when both start at once, and swaps with.
        let op = |machine, duration| Operation { machine, duration };
        let mut pair = JsspInstance {
            name: "pair".into(),
            machines: 2,
            jobs: vec![vec![op(0, 2), op(1, 2)], vec![op(1, 2), op(0, 2)]],
            variant: JsspVariant::Blocking,
        };
        let p = Problem::new(&pair).unwrap();
        assert!(simulate(&p, SimRule::Fifo, 0, &|| false).is_none());
        pair.variant = JsspVariant::Swap;
        let p = Problem::new(&pair).unwrap();
        let sol = simulate(&p, SimRule::Fifo, 0, &|| false).unwrap();
        assert_eq!(sol.start, vec![vec![0, 2], vec![0, 2]]);
        assert!(check(&pair, &sol).is_feasible());
        assert!(simulate(&p, SimRule::Fifo, 0, &|| true).is_none());
    }
}

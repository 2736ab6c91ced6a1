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

    /// The rule of a name as [`SimRule::name`] writes it (`sim-mwkr`, ...), if any.
    pub fn from_name(name: &str) -> Option<SimRule> {
        SIM_RULES.into_iter().find(|r| r.name() == name)
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
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    match run(
        p,
        &mut Dispatch::Rule(rule, &mut rng),
        &mut |_, _, _| 0,
        stop,
    ) {
        Ended::Done(run) => Some(run.solution),
        Ended::Deadlock | Ended::Stopped => None,
    }
}

/// Who chooses the job a free machine takes next in [`run`].
pub(crate) enum Dispatch<'a> {
    /// A priority rule over the jobs ready for the machine (its random draws from the rng).
    Rule(SimRule, &'a mut ChaCha8Rng),
    /// Fixed machine sequences: `seq[m]` lists the operations `(job, op)` machine `m` takes,
    /// in that order; a machine waits for its next operation's job.
    Sequences(&'a [Vec<(usize, usize)>]),
}

/// A finished run of [`run`]: the start times and each operation's realized duration (its
/// processing time plus the downtime it suffered).
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub solution: JsspSolution,
    pub durations: Vec<Vec<i64>>,
}

/// How [`run`] ended.
pub(crate) enum Ended {
    Done(Run),
    /// No job can move and none is being processed: a cycle of blocked jobs without swaps,
    /// or machine sequences that no schedule follows.
    Deadlock,
    /// `stop` answered true.
    Stopped,
}

/// The event simulation behind [`simulate`] and the online execution under shutdowns
/// ([`super::shutdown`]). `downtime(machine, start, duration)` is asked once per operation
/// when it starts and answers the time the machine is down while processing it (0 without
/// shutdowns): the operation then ends `duration + downtime` after its start. No decision
/// reads the end of an operation still being processed (the rules' keys use the nominal
/// processing times, the remaining nominal work and, for FIFO, the time a job became ready),
/// so answering at the start changes nothing that a decision could see before the end.
pub(crate) fn run(
    p: &Problem,
    dispatch: &mut Dispatch<'_>,
    downtime: &mut dyn FnMut(usize, i64, i64) -> i64,
    stop: &dyn Fn() -> bool,
) -> Ended {
    let n = p.num_jobs();
    let mut start: Vec<Vec<i64>> = p.jobs.iter().map(|o| vec![0; o.len()]).collect();
    let mut durations: Vec<Vec<i64>> = p
        .jobs
        .iter()
        .map(|o| o.iter().map(|&(_, d)| d).collect())
        .collect();
    let mut next = vec![0usize; n];
    let mut on: Vec<Option<usize>> = vec![None; n];
    let mut done_at = vec![0i64; n];
    let mut holder: Vec<Option<usize>> = vec![None; p.machines];
    let mut remaining: Vec<i64> = p.work.clone();
    // Sequences: how many operations of its sequence each machine has taken.
    let mut taken = vec![0usize; p.machines];
    let mut finished = p.jobs.iter().filter(|o| o.is_empty()).count();
    let mut t = 0i64;
    // (whether a job is ready to move at t): in the buffer, or done processing.
    let ready = |j: usize, next: &[usize], on: &[Option<usize>], done_at: &[i64], t: i64| {
        next[j] < p.jobs[j].len() && (on[j].is_none() || done_at[j] <= t)
    };
    // Whether the sequences (if any) let machine m take job j's next operation now.
    let allowed =
        |dispatch: &Dispatch<'_>, taken: &[usize], m: usize, j: usize, k: usize| match dispatch {
            Dispatch::Rule(..) => true,
            Dispatch::Sequences(seq) => seq[m].get(taken[m]) == Some(&(j, k)),
        };
    while finished < n {
        if stop() {
            return Ended::Stopped;
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
                let chosen = match dispatch {
                    Dispatch::Rule(rule, rng) => {
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
                        best.map(|(_, j)| j)
                    }
                    Dispatch::Sequences(seq) => seq[m].get(taken[m]).and_then(|&(j, k)| {
                        (next[j] == k && ready(j, &next, &on, &done_at, t)).then_some(j)
                    }),
                };
                if let Some(j) = chosen {
                    if let Some(old) = on[j] {
                        holder[old] = None;
                    }
                    let k = next[j];
                    let (_, d) = p.jobs[j][k];
                    let down = downtime(m, t, d);
                    start[j][k] = t;
                    durations[j][k] = d.saturating_add(down);
                    holder[m] = Some(j);
                    on[j] = Some(m);
                    done_at[j] = t.saturating_add(durations[j][k]);
                    remaining[j] -= d;
                    next[j] += 1;
                    taken[m] += 1;
                    changed = true;
                }
            }
            // A re-entrant job waiting for the machine it holds moves on at once.
            for j in 0..n {
                if ready(j, &next, &on, &done_at, t)
                    && let Some(m) = on[j]
                    && p.jobs[j][next[j]].0 == m
                    && allowed(dispatch, &taken, m, j, next[j])
                {
                    let k = next[j];
                    let (_, d) = p.jobs[j][k];
                    let down = downtime(m, t, d);
                    start[j][k] = t;
                    durations[j][k] = d.saturating_add(down);
                    done_at[j] = t.saturating_add(durations[j][k]);
                    remaining[j] -= d;
                    next[j] += 1;
                    taken[m] += 1;
                    changed = true;
                }
            }
            if !changed && p.swap {
                let wants = |j: usize, m: usize, k: usize| allowed(dispatch, &taken, m, j, k);
                if let Some(cycle) = blocked_cycle(p, t, &next, &on, &done_at, &holder, &wants) {
                    for &j in &cycle {
                        let k = next[j];
                        let (m, d) = p.jobs[j][k];
                        let down = downtime(m, t, d);
                        start[j][k] = t;
                        durations[j][k] = d.saturating_add(down);
                        on[j] = Some(m);
                        holder[m] = Some(j);
                        done_at[j] = t.saturating_add(durations[j][k]);
                        remaining[j] -= d;
                        next[j] += 1;
                        taken[m] += 1;
                    }
                    changed = true;
                }
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
            return Ended::Deadlock; // every job blocked and no swap
        }
        t = soon;
    }
    Ended::Done(Run {
        solution: JsspSolution { start },
        durations,
    })
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

/// One cycle of blocked jobs (each finished and waiting for the machine the next one holds,
/// that one finished too, and `wants(job, machine, op)` letting each take its machine), in
/// cycle order; the caller moves all of its jobs at `t`.
fn blocked_cycle(
    p: &Problem,
    t: i64,
    next: &[usize],
    on: &[Option<usize>],
    done_at: &[i64],
    holder: &[Option<usize>],
    wants: &dyn Fn(usize, usize, usize) -> bool,
) -> Option<Vec<usize>> {
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
            if !wants(j, m, next[j]) {
                return None;
            }
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
                    return Some(path[i..].to_vec());
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
    None
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

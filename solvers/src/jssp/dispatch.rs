//! Dispatching rules over Giffler–Thompson active schedules: the baseline job-shop solver
//! (`jssp.dispatch`). Rules: SPT, MWKR, MOR, FIFO, FDD/MWKR and MOPNR (most operations
//! remaining, ties by most work remaining); every rule is run and the best schedule is kept.
//! `jssp.tabu` starts from the best of these and of the insertion heuristic
//! ([`super::insertion`]).

use crate::engine::{Budget, Improvement, Observer, SolveResult};
use quotient_problems::jssp::{JsspInstance, JsspSolution};

/// Priority rules for choosing among the operations competing for a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Shortest processing time.
    Spt,
    /// Most work remaining in the job.
    Mwkr,
    /// Most operations remaining in the job.
    Mor,
    /// Earliest possible start first (first in, first out).
    Fifo,
    /// Smallest ratio of flow due date (work done + this op) to work remaining (FDD/MWKR).
    FddMwkr,
    /// Most operations remaining in the job (this one included), ties broken by most work
    /// remaining (MOPNR).
    Mopnr,
}

pub const ALL_RULES: [Rule; 6] = [
    Rule::Spt,
    Rule::Mwkr,
    Rule::Mor,
    Rule::Fifo,
    Rule::FddMwkr,
    Rule::Mopnr,
];

/// Build an active schedule with `rule`; returns the start times and the makespan.
pub fn schedule(inst: &JsspInstance, rule: Rule) -> (JsspSolution, i64) {
    // Never `None`: the stop test never answers true.
    schedule_until(inst, rule, &|| false).unwrap_or_else(|| (JsspSolution { start: Vec::new() }, 0))
}

/// How many operations [`schedule_until`] places between two looks at its stop test (each
/// placement scans every job twice: about 4 ms for 2 000 jobs in a debug build).
const STOP_POLL_OPS: usize = 64;

/// [`schedule`], abandoned (`None`) as soon as `stop` answers true; it is asked every
/// [`STOP_POLL_OPS`] operations.
pub fn schedule_until(
    inst: &JsspInstance,
    rule: Rule,
    stop: &dyn Fn() -> bool,
) -> Option<(JsspSolution, i64)> {
    let nj = inst.num_jobs();
    let mut next = vec![0usize; nj];
    let mut job_ready = vec![0i64; nj];
    let mut mach_ready = vec![0i64; inst.machines];
    let mut remaining: Vec<i64> = inst
        .jobs
        .iter()
        .map(|j| j.iter().map(|o| o.duration).sum())
        .collect();
    let mut done_work = vec![0i64; nj];
    let mut start: Vec<Vec<i64>> = inst.jobs.iter().map(|j| vec![0; j.len()]).collect();
    let total = inst.num_ops();
    let mut makespan = 0i64;
    for placed in 0..total {
        if placed % STOP_POLL_OPS == STOP_POLL_OPS - 1 && stop() {
            return None;
        }
        // Operation with the earliest completion time decides the machine (Giffler–Thompson).
        let mut best: Option<(i64, usize)> = None;
        for j in 0..nj {
            if let Some(op) = inst.jobs[j].get(next[j]) {
                let est = job_ready[j].max(mach_ready[op.machine]);
                let ect = est + op.duration;
                if best.is_none_or(|(c, _)| ect < c) {
                    best = Some((ect, j));
                }
            }
        }
        let Some((c_star, j_star)) = best else { break };
        let m_star = inst.jobs[j_star][next[j_star]].machine;
        // Conflict set: operations on that machine that could start before c_star.
        // (priority key to minimise, secondary key, earliest start, job)
        let mut chosen: Option<((i64, i64), i64, usize)> = None;
        for j in 0..nj {
            let Some(op) = inst.jobs[j].get(next[j]) else {
                continue;
            };
            if op.machine != m_star {
                continue;
            }
            let est = job_ready[j].max(mach_ready[m_star]);
            // The operation that defines c_star always competes (it may have zero duration,
            // so that its own start equals c_star).
            if est >= c_star && j != j_star {
                continue;
            }
            let ops_left = (inst.jobs[j].len() - next[j]) as i64;
            let key = match rule {
                Rule::Spt => (op.duration, 0),
                Rule::Mwkr => (-remaining[j], 0),
                Rule::Mor => (-ops_left, 0),
                Rule::Fifo => (est, 0),
                // Compare (done + p) / remaining by cross-multiplication-free scaled key.
                Rule::FddMwkr => (
                    ((done_work[j] + op.duration) * 1_000_000) / remaining[j].max(1),
                    0,
                ),
                Rule::Mopnr => (-ops_left, -remaining[j]),
            };
            if chosen.is_none_or(|(k, t, _)| (key, est) < (k, t)) {
                chosen = Some((key, est, j));
            }
        }
        let Some((_, _, j)) = chosen else { break };
        let op = inst.jobs[j][next[j]];
        let s = job_ready[j].max(mach_ready[op.machine]);
        start[j][next[j]] = s;
        job_ready[j] = s + op.duration;
        mach_ready[op.machine] = s + op.duration;
        makespan = makespan.max(s + op.duration);
        remaining[j] -= op.duration;
        done_work[j] += op.duration;
        next[j] += 1;
    }
    Some((JsspSolution { start }, makespan))
}

/// `jssp.dispatch`: every rule, best makespan kept.
pub fn solve(
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
) -> SolveResult<JsspSolution> {
    if inst
        .jobs
        .iter()
        .flatten()
        .any(|o| o.machine >= inst.machines)
    {
        return SolveResult::infeasible("an operation names a machine outside 0..machines");
    }
    let mut best: Option<(JsspSolution, i64)> = None;
    // A stop (cancel or deadline) abandons the rule in flight once one schedule is complete:
    // the first rule always finishes, so there is a schedule to return.
    for rule in ALL_RULES {
        if budget.is_exhausted() && best.is_some() {
            break;
        }
        let first = best.is_none();
        let stop = || !first && budget.is_exhausted();
        let Some((sol, ms)) = schedule_until(inst, rule, &stop) else {
            break;
        };
        if best.as_ref().is_none_or(|(_, b)| ms < *b) {
            observer.improved(&Improvement {
                objective: ms as f64,
                bound: None,
                elapsed: budget.elapsed(),
                source: "dispatch",
            });
            best = Some((sol, ms));
        }
    }
    match best {
        Some((sol, ms)) => {
            let lb = inst.trivial_lower_bound();
            let mut r = SolveResult::feasible(sol, ms as f64);
            r.bound = Some(lb as f64);
            if ms == lb {
                r.status = crate::engine::Status::Optimal;
            }
            r
        }
        None => SolveResult::unknown("no schedule built"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::jssp::{Operation, check};

    /// Regression (orb07): a zero-duration operation used to empty the conflict set and stop
    /// scheduling, leaving later operations at start 0.
    #[test]
    fn zero_duration_operations_are_scheduled() {
        let op = |machine, duration| Operation { machine, duration };
        let inst = JsspInstance {
            name: "zero".into(),
            machines: 2,
            jobs: vec![
                vec![op(0, 0), op(1, 3)],
                vec![op(1, 2), op(0, 0)],
                vec![op(0, 4), op(1, 0)],
            ],
            variant: Default::default(),
        };
        for rule in ALL_RULES {
            let (sol, ms) = schedule(&inst, rule);
            let rep = check::check(&inst, &sol);
            assert!(rep.is_feasible(), "{rule:?}: {:?}", rep.violations);
            assert_eq!(rep.objective, ms as f64);
        }
    }

    /// MOPNR breaks MOR's ties by the work remaining: job 1 (more work) goes first on machine
    /// 0, where MOR (ties by earliest start, then job order) takes job 0.
    #[test]
    fn mopnr_breaks_ties_by_work_remaining() {
        let op = |machine, duration| Operation { machine, duration };
        let inst = JsspInstance {
            name: "mopnr".into(),
            machines: 2,
            jobs: vec![vec![op(0, 2), op(1, 1)], vec![op(0, 3), op(1, 5)]],
            variant: Default::default(),
        };
        let (mor, _) = schedule(&inst, Rule::Mor);
        assert_eq!(mor.start[0][0], 0);
        assert_eq!(mor.start[1][0], 2);
        let (mopnr, ms) = schedule(&inst, Rule::Mopnr);
        assert_eq!(mopnr.start[1][0], 0);
        assert_eq!(mopnr.start[0][0], 3);
        let rep = check::check(&inst, &mopnr);
        assert!(rep.is_feasible());
        assert_eq!(rep.objective, ms as f64);
    }

    #[test]
    fn every_rule_gives_a_feasible_schedule_on_random_instances() {
        for seed in 0..20 {
            let inst = quotient_problems::jssp::generate::random(6, 4, seed);
            let r = solve(&inst, &Budget::default(), &crate::engine::NoObserver);
            let rep = check::check(&inst, r.solution.as_ref().unwrap());
            assert!(rep.is_feasible());
            assert_eq!(Some(rep.objective), r.objective);
            assert!(rep.objective >= inst.trivial_lower_bound() as f64);
        }
    }
}

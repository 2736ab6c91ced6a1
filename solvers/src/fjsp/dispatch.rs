//! Dispatching constructions for the flexible job shop (`fjsp.dispatch`): operations are
//! placed one at a time, each job's next operation competing; a rule picks the operation and
//! the machine, which appends it to that machine's sequence. Every rule is run and the best
//! schedule (makespan of its semi-active form) is kept; `fjsp.tabu` starts from them.

use super::graph::{Problem, Schedule};
use crate::engine::{Budget, Improvement, Observer, SolveResult, Status};
use quotient_problems::fjsp::{FjspInstance, FjspSolution};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// How an operation and its machine are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Earliest completion time over every (next operation, eligible machine) pair; ties by
    /// most work remaining in the job.
    Ect,
    /// The job with the most work remaining (shortest times), on its earliest-completing
    /// machine.
    Mwkr,
    /// The job with the most operations remaining, ties by most work remaining, on its
    /// earliest-completing machine.
    Mopnr,
    /// The pair with the earliest start, ties by the shortest time on that machine.
    EstSpt,
    /// Most work remaining minus the earliest completion (a blend of MWKR and ECT).
    MwkrEct,
}

pub const RULES: [Rule; 5] = [
    Rule::Ect,
    Rule::Mwkr,
    Rule::Mopnr,
    Rule::EstSpt,
    Rule::MwkrEct,
];

/// The schedule that `rule` builds.
pub fn construct(p: &Problem, rule: Rule) -> Option<Schedule> {
    build(p, rule, None, &|| false)
}

/// [`construct`] with random noise in the priorities (for diverse starts).
pub fn construct_noisy(p: &Problem, rule: Rule, rng: &mut ChaCha8Rng) -> Option<Schedule> {
    build(p, rule, Some(rng), &|| false)
}

/// How many operations [`build`] places between two looks at its stop test.
const STOP_POLL_OPS: usize = 64;

/// The schedule of `rule`, abandoned (`None`) as soon as `stop` answers true (asked every
/// [`STOP_POLL_OPS`] operations).
fn build(
    p: &Problem,
    rule: Rule,
    mut rng: Option<&mut ChaCha8Rng>,
    stop: &dyn Fn() -> bool,
) -> Option<Schedule> {
    let jobs = p.job_start.len().saturating_sub(1);
    let n = p.num_ops();
    let mut next: Vec<usize> = p.job_start[..jobs].to_vec();
    let mut job_ready = vec![0i64; jobs];
    let mut mach_ready = vec![0i64; p.machines];
    let mut mach = vec![0u32; n];
    let mut seq: Vec<Vec<u32>> = vec![Vec::new(); p.machines];
    for placed in 0..n {
        if placed % STOP_POLL_OPS == 0 && stop() {
            return None;
        }
        // (score, job, machine, duration): smallest score wins.
        let mut best: Option<(f64, usize, u32, i64)> = None;
        for j in 0..jobs {
            let op = next[j];
            if op >= p.job_start[j + 1] {
                continue;
            }
            let left = (p.job_start[j + 1] - op) as f64;
            for &(k, d) in &p.alts[op] {
                let start = job_ready[j].max(mach_ready[k as usize]);
                let end = (start + d) as f64;
                let work = p.work_left[op] as f64;
                let big = 1e12;
                let mut score = match rule {
                    Rule::Ect => end * big - work,
                    Rule::Mwkr => -work * big + end,
                    Rule::Mopnr => -left * big * big - work * big + end,
                    Rule::EstSpt => start as f64 * big + d as f64,
                    Rule::MwkrEct => end - work,
                };
                if let Some(r) = rng.as_deref_mut() {
                    score += score.abs().max(1.0) * r.random_range(0.0..0.2);
                }
                if best.is_none_or(|b| score < b.0) {
                    best = Some((score, j, k, d));
                }
            }
        }
        let (_, j, k, d) = best?;
        let op = next[j];
        let start = job_ready[j].max(mach_ready[k as usize]);
        job_ready[j] = start + d;
        mach_ready[k as usize] = start + d;
        mach[op] = k;
        seq[k as usize].push(op as u32);
        next[j] += 1;
    }
    // Appending in start order on every machine and along every job cannot make a cycle, so
    // this is `None` only if that reasoning is wrong; callers skip such a schedule.
    Schedule::new(p, mach, seq)
}

/// Every rule's schedule, best first (stops early, keeping what it has, when the budget ends
/// after the first).
pub fn all_rules(p: &Problem, budget: &Budget) -> Vec<Schedule> {
    let mut out: Vec<Schedule> = Vec::new();
    for rule in RULES {
        let first = out.is_empty();
        if !first && budget.is_exhausted() {
            break;
        }
        out.extend(build(p, rule, None, &|| !first && budget.is_exhausted()));
    }
    out.sort_by_key(|s| s.cmax);
    out
}

/// `fjsp.dispatch`: the best of the dispatching rules.
pub fn solve(
    inst: &FjspInstance,
    budget: &Budget,
    observer: &dyn Observer,
) -> SolveResult<FjspSolution> {
    let p = match Problem::new(inst) {
        Ok(p) => p,
        Err(msg) => return SolveResult::infeasible(msg),
    };
    let Some(best) = all_rules(&p, budget).into_iter().next() else {
        return SolveResult::unknown("no schedule was built");
    };
    observer.improved(&Improvement {
        objective: best.cmax as f64,
        bound: Some(p.lb as f64),
        elapsed: budget.elapsed(),
        source: "dispatch",
    });
    let mut r = SolveResult::feasible(best.to_solution(&p), best.cmax as f64);
    r.bound = Some(p.lb as f64);
    if best.cmax <= p.lb {
        r.status = Status::Optimal;
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::NoObserver;
    use quotient_problems::fjsp::{check, generate::random};
    use rand::SeedableRng;

    #[test]
    fn every_rule_gives_a_checked_schedule() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for seed in 0..6 {
            let inst = random(3 + seed as usize, 2 + seed as usize % 4, 0, 0.6, seed);
            let p = Problem::new(&inst).unwrap();
            for rule in RULES {
                let noisy = construct_noisy(&p, rule, &mut rng);
                for s in [construct(&p, rule).unwrap(), noisy.unwrap()] {
                    let r = check(&inst, &s.to_solution(&p));
                    assert!(r.is_feasible(), "{rule:?}: {:?}", r.violations);
                    assert_eq!(r.objective, s.cmax as f64);
                    assert!(s.cmax >= p.lb);
                }
            }
            let r = solve(&inst, &Budget::new(None), &NoObserver);
            let sol = r.solution.unwrap();
            assert!(check(&inst, &sol).is_feasible());
            assert_eq!(r.bound, Some(inst.trivial_lower_bound() as f64));
        }
    }
}

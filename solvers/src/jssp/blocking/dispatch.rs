//! Dispatching constructions for the blocking job shops (`jssp.blocking-dispatch`): a rule
//! orders the jobs and [`super::timetable`] inserts them in that order, each at its earliest
//! feasible times, so every schedule is feasible for the variant (no deadlock can arise: a job
//! is only placed where its whole route fits, and without swaps no cycle of moves is closed).
//! Every rule is run and the best schedule kept; `jssp.blocking` starts from them. The
//! operation-level rules of [`super::simulate`] (FIFO, SPT, LPT, MWKR, MOR, random in an event
//! simulation with swaps) run too, and their best schedule competes.

use super::simulate::{SIM_RULES, makespan as sim_makespan, simulate};
use super::timetable::{Problem, Timetable, best_insertion, decode};
use crate::engine::{Budget, Improvement, Observer, SolveResult, Status};
use quotient_problems::jssp::{JsspInstance, JsspSolution};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// How the job order is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// First in, first out: the jobs in their instance order.
    Fifo,
    /// Shortest processing time first: least total work first.
    Spt,
    /// Most work remaining (longest processing time) first.
    Mwkr,
    /// Greedy earliest completion: at each step the job whose insertion gives the smallest
    /// makespan (ties by its own completion, then the most work).
    Ect,
    /// NEH: jobs by decreasing work, each inserted at its best place in the order so far.
    Neh,
    /// A random order (seeded).
    Random,
}

/// Every job-order rule, in the order `jssp.blocking-dispatch` tries them.
pub const RULES: [Rule; 6] = [
    Rule::Fifo,
    Rule::Spt,
    Rule::Mwkr,
    Rule::Ect,
    Rule::Neh,
    Rule::Random,
];

impl Rule {
    /// The rule's name as reported in messages.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Fifo => "fifo",
            Rule::Spt => "spt",
            Rule::Mwkr => "mwkr",
            Rule::Ect => "ect",
            Rule::Neh => "neh",
            Rule::Random => "random",
        }
    }
}

/// The job order that `rule` builds (`seed` for [`Rule::Random`]); `None` when `stop`
/// answered true first (asked between steps of the rules that search: NEH, ECT).
pub fn order(p: &Problem, rule: Rule, seed: u64, stop: &dyn Fn() -> bool) -> Option<Vec<usize>> {
    let n = p.num_jobs();
    let mut jobs: Vec<usize> = (0..n).collect();
    Some(match rule {
        Rule::Fifo => jobs,
        Rule::Spt => {
            jobs.sort_by_key(|&j| (p.work[j], j));
            jobs
        }
        Rule::Mwkr => {
            jobs.sort_by_key(|&j| (std::cmp::Reverse(p.work[j]), j));
            jobs
        }
        Rule::Random => {
            jobs.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
            jobs
        }
        Rule::Neh => {
            jobs.sort_by_key(|&j| (std::cmp::Reverse(p.work[j]), j));
            let mut out: Vec<usize> = Vec::with_capacity(n);
            for j in jobs {
                let (pos, _) = best_insertion(p, &out, j, stop)?;
                out.insert(pos, j);
            }
            out
        }
        Rule::Ect => {
            let mut tt = Timetable::new(p);
            let mut left = jobs;
            let mut out = Vec::with_capacity(n);
            while !left.is_empty() {
                if stop() {
                    return None;
                }
                let mut best: Option<((i64, i64, i64), usize)> = None;
                for (i, &j) in left.iter().enumerate() {
                    let mut t = tt.clone();
                    let done = t.insert(p, j);
                    let key = (t.makespan, done, -p.work[j]);
                    if best.is_none_or(|(b, _)| key < b) {
                        best = Some((key, i));
                    }
                }
                let Some((_, i)) = best else { break };
                let j = left.remove(i);
                tt.insert(p, j);
                out.push(j);
            }
            out
        }
    })
}

/// Every rule's order with its makespan, best first (stops early, keeping what it has, when
/// the budget ends after the first).
pub fn all_rules(p: &Problem, budget: &Budget, seed: u64) -> Vec<(Vec<usize>, i64, Rule)> {
    let mut out = Vec::new();
    for rule in RULES {
        if !out.is_empty() && budget.is_exhausted() {
            break;
        }
        let Some(o) = order(p, rule, seed, &|| budget.is_exhausted()) else {
            break;
        };
        let c = decode(p, &o).makespan;
        out.push((o, c, rule));
    }
    out.sort_by_key(|(_, c, _)| *c);
    out
}

/// `jssp.blocking-dispatch`: the best schedule of the rules.
pub fn solve(
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
) -> SolveResult<JsspSolution> {
    if !inst.variant.is_blocking() {
        return SolveResult::infeasible(
            "jssp.blocking-dispatch schedules the blocking variants (blocking, swap, iswap)",
        );
    }
    let p = match Problem::new(inst) {
        Ok(p) => p,
        Err(msg) => return SolveResult::infeasible(msg),
    };
    let rules = all_rules(&p, budget, 1);
    let Some((order, c, rule)) = rules.first() else {
        return SolveResult::unknown("no rule ran");
    };
    let mut best = (*c, decode(&p, order).to_solution(), rule.name());
    // The simulation's operation-level rules (the ISBJSSP paper's kind of dispatching); with
    // swaps they never deadlock, without they may (then they give nothing).
    let stop = || budget.is_exhausted();
    for sim in SIM_RULES {
        if budget.is_exhausted() {
            break;
        }
        if let Some(sol) = simulate(&p, sim, 1, &stop) {
            let c = sim_makespan(&p, &sol);
            if c < best.0 {
                best = (c, sol, sim.name());
            }
        }
    }
    observer.improved(&Improvement {
        objective: best.0 as f64,
        bound: Some(p.lb as f64),
        elapsed: budget.elapsed(),
        source: best.2,
    });
    let mut r = SolveResult::feasible(best.1, best.0 as f64);
    r.bound = Some(p.lb as f64);
    if best.0 <= p.lb {
        r.status = Status::Optimal;
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::NoObserver;
    use quotient_problems::jssp::{JsspVariant, check, generate::random};

    #[test]
    fn every_rule_gives_a_checked_schedule_and_neh_is_not_worse_than_its_start() {
        for seed in 0..6 {
            for variant in [JsspVariant::Blocking, JsspVariant::Swap] {
                let mut inst = random(8, 5, seed);
                inst.variant = variant;
                let p = Problem::new(&inst).unwrap();
                let mut seen = Vec::new();
                for rule in RULES {
                    let o = order(&p, rule, seed, &|| false).unwrap();
                    let mut sorted = o.clone();
                    sorted.sort_unstable();
                    assert_eq!(sorted, (0..8).collect::<Vec<_>>(), "{rule:?}");
                    let tt = decode(&p, &o);
                    let r = check(&inst, &tt.to_solution());
                    assert!(r.is_feasible(), "{rule:?}: {:?}", r.violations);
                    seen.push((rule, tt.makespan));
                }
                let r = solve(&inst, &Budget::new(None), &NoObserver);
                let sol = r.solution.unwrap();
                let rep = check(&inst, &sol);
                assert!(rep.is_feasible());
                let best = seen.iter().map(|&(_, c)| c).min().unwrap();
                assert!(rep.objective <= best as f64);
                assert_eq!(r.objective, Some(rep.objective));
            }
        }
    }

    #[test]
    fn the_classic_job_shop_and_bad_instances_are_refused() {
        let inst = random(3, 3, 1);
        let r = solve(&inst, &Budget::new(None), &NoObserver);
        assert!(r.solution.is_none());
        let mut bad = random(2, 2, 1);
        bad.variant = JsspVariant::Blocking;
        bad.jobs[0][0].machine = 7;
        let r = solve(&bad, &Budget::new(None), &NoObserver);
        assert!(r.solution.is_none());
    }
}

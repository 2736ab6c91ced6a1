//! Independent flexible job-shop checker: from the machine choices and start times alone it
//! recomputes the makespan and lists every violated constraint. Shares no code with any solver
//! and never panics, whatever the shape of the solution.

use super::model::{FjspInstance, FjspSolution};
use crate::check::{CheckReport, Violation};
use serde::{Deserialize, Serialize};

/// One violated constraint. Operations are named by `(job, op)`, both 0-based.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FjspViolation {
    /// The solution has a different number of job rows (in `machine` or `start`) than the
    /// instance has jobs.
    WrongJobCount { expected: usize, found: usize },
    /// Job `job`'s row (in `machine` or `start`) has a different number of entries than the
    /// job has operations.
    WrongOperationCount {
        job: usize,
        expected: usize,
        found: usize,
    },
    /// The operation is assigned to a machine that is not among its eligible machines.
    IneligibleMachine {
        job: usize,
        op: usize,
        machine: usize,
    },
    /// An operation starts before time 0.
    NegativeStart { job: usize, op: usize, start: i64 },
    /// Operation `op` of `job` starts before the previous operation of the job ends
    /// (`earliest`); it would have to start `by` later.
    Precedence {
        job: usize,
        op: usize,
        start: i64,
        earliest: i64,
        by: i64,
    },
    /// Two operations on `machine` overlap in time: `first` starts no later than `second`, and
    /// `second` would have to start `by` later.
    Overlap {
        machine: usize,
        first: (usize, usize),
        second: (usize, usize),
        by: i64,
    },
}

impl Violation for FjspViolation {
    fn kind(&self) -> &'static str {
        match self {
            FjspViolation::WrongJobCount { .. } => "wrong_job_count",
            FjspViolation::WrongOperationCount { .. } => "wrong_operation_count",
            FjspViolation::IneligibleMachine { .. } => "ineligible_machine",
            FjspViolation::NegativeStart { .. } => "negative_start",
            FjspViolation::Precedence { .. } => "precedence",
            FjspViolation::Overlap { .. } => "overlap",
        }
    }

    fn is_structural(&self) -> bool {
        matches!(
            self,
            FjspViolation::WrongJobCount { .. }
                | FjspViolation::WrongOperationCount { .. }
                | FjspViolation::IneligibleMachine { .. }
        )
    }
}

/// Check `sol` against `inst`.
///
/// Each operation's processing time is the instance's time on the machine the solution
/// assigns (an ineligible machine is reported and its operation then takes no time in the
/// checks that follow). The objective is the makespan: the largest `start + time` over all
/// operations with an eligible machine and a start time, at least 0, with saturating
/// arithmetic. Precedence within each job and overlap on each machine (operations of positive
/// time sorted by start, neighbours compared) are checked as in the job shop.
pub fn check(inst: &FjspInstance, sol: &FjspSolution) -> CheckReport<FjspViolation> {
    let mut violations = Vec::new();
    let n = inst.jobs.len();
    for found in [sol.machine.len(), sol.start.len()] {
        if found != n {
            violations.push(FjspViolation::WrongJobCount { expected: n, found });
            break;
        }
    }
    let mut makespan: i64 = 0;
    let mut busy: Vec<(usize, i64, usize, usize, i64)> = Vec::new();
    for (j, (job, (machines, starts))) in inst
        .jobs
        .iter()
        .zip(sol.machine.iter().zip(&sol.start))
        .enumerate()
    {
        for found in [machines.len(), starts.len()] {
            if found != job.len() {
                violations.push(FjspViolation::WrongOperationCount {
                    job: j,
                    expected: job.len(),
                    found,
                });
                break;
            }
        }
        let mut prev_end: Option<i64> = None;
        for (k, (op, (&machine, &start))) in job.iter().zip(machines.iter().zip(starts)).enumerate()
        {
            let duration = match op.duration_on(machine) {
                Some(d) => d,
                None => {
                    violations.push(FjspViolation::IneligibleMachine {
                        job: j,
                        op: k,
                        machine,
                    });
                    0
                }
            };
            let end = start.saturating_add(duration);
            makespan = makespan.max(end);
            if start < 0 {
                violations.push(FjspViolation::NegativeStart {
                    job: j,
                    op: k,
                    start,
                });
            }
            if let Some(earliest) = prev_end
                && start < earliest
            {
                violations.push(FjspViolation::Precedence {
                    job: j,
                    op: k,
                    start,
                    earliest,
                    by: earliest.saturating_sub(start),
                });
            }
            prev_end = Some(end);
            if duration > 0 {
                busy.push((machine, start, j, k, end));
            }
        }
    }
    busy.sort_unstable();
    for pair in busy.windows(2) {
        if let [(ma, _, ja, ka, end_a), (mb, sb, jb, kb, _)] = *pair
            && ma == mb
            && end_a > sb
        {
            violations.push(FjspViolation::Overlap {
                machine: ma,
                first: (ja, ka),
                second: (jb, kb),
                by: end_a.saturating_sub(sb),
            });
        }
    }
    CheckReport {
        objective: makespan as f64,
        violations,
    }
}

/// Each machine's operations `(job, op)` in start order (ties by job, then op), for machines
/// `0..inst.machines`; operations without an entry, or on a machine out of range, are left out.
pub fn machine_sequences(inst: &FjspInstance, sol: &FjspSolution) -> Vec<Vec<(usize, usize)>> {
    let mut ops: Vec<(usize, i64, usize, usize)> = Vec::new();
    for (j, (job, (ms, st))) in inst
        .jobs
        .iter()
        .zip(sol.machine.iter().zip(&sol.start))
        .enumerate()
    {
        for (k, (&m, &s)) in ms.iter().zip(st).take(job.len()).enumerate() {
            if m < inst.machines {
                ops.push((m, s, j, k));
            }
        }
    }
    ops.sort_unstable();
    let mut seqs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); inst.machines];
    for (m, _, j, k) in ops {
        if let Some(seq) = seqs.get_mut(m) {
            seq.push((j, k));
        }
    }
    seqs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fjsp::model::FjspOperation;
    use crate::jssp::Operation;

    fn op(alts: &[(usize, i64)]) -> FjspOperation {
        FjspOperation {
            alternatives: alts
                .iter()
                .map(|&(machine, duration)| Operation { machine, duration })
                .collect(),
        }
    }

    fn inst() -> FjspInstance {
        FjspInstance {
            name: "t".into(),
            machines: 2,
            jobs: vec![
                vec![op(&[(0, 3), (1, 5)]), op(&[(1, 2)])],
                vec![op(&[(0, 2), (1, 1)]), op(&[(0, 1)])],
            ],
        }
    }

    fn sol(machine: Vec<Vec<usize>>, start: Vec<Vec<i64>>) -> FjspSolution {
        FjspSolution { machine, start }
    }

    #[test]
    fn feasible_schedule() {
        let s = sol(vec![vec![0, 1], vec![1, 0]], vec![vec![0, 3], vec![0, 3]]);
        let r = check(&inst(), &s);
        assert!(r.is_feasible(), "{:?}", r.violations);
        assert_eq!(r.objective, 5.0);
        assert_eq!(
            machine_sequences(&inst(), &s),
            vec![vec![(0, 0), (1, 1)], vec![(1, 0), (0, 1)]]
        );
    }

    #[test]
    fn every_violation_kind_is_reported() {
        // Job 0 op 0 on machine 1 (time 5) from -1; op 1 at 1 (precedence, by 3); job 1 op 0
        // on machine 1 from 0 overlaps job 0's first operation (the neighbour pair in start
        // order); job 1 op 1 on machine 1 is ineligible.
        let s = sol(vec![vec![1, 1], vec![1, 1]], vec![vec![-1, 1], vec![0, 2]]);
        let r = check(&inst(), &s);
        let kinds: Vec<&str> = r.violations.iter().map(Violation::kind).collect();
        assert_eq!(
            kinds,
            vec![
                "negative_start",
                "precedence",
                "ineligible_machine",
                "overlap"
            ],
            "{:?}",
            r.violations
        );
        assert!(r.violations.contains(&FjspViolation::Precedence {
            job: 0,
            op: 1,
            start: 1,
            earliest: 4,
            by: 3
        }));
        assert!(r.violations.contains(&FjspViolation::IneligibleMachine {
            job: 1,
            op: 1,
            machine: 1
        }));
        assert!(r.violations.contains(&FjspViolation::Overlap {
            machine: 1,
            first: (0, 0),
            second: (1, 0),
            by: 4
        }));
        assert_eq!(r.objective, 4.0);
    }

    #[test]
    fn malformed_solutions_do_not_panic() {
        let r = check(&inst(), &sol(vec![], vec![]));
        assert_eq!(
            r.violations,
            vec![FjspViolation::WrongJobCount {
                expected: 2,
                found: 0
            }]
        );
        let s = sol(
            vec![vec![usize::MAX, 0, 0], vec![0]],
            vec![vec![i64::MAX, i64::MIN], vec![0, 1, 2]],
        );
        let r = check(&inst(), &s);
        assert!(r.violations.contains(&FjspViolation::WrongOperationCount {
            job: 0,
            expected: 2,
            found: 3
        }));
        assert!(r.violations.iter().any(|v| v.is_structural()));
        let _ = machine_sequences(&inst(), &s);
    }
}

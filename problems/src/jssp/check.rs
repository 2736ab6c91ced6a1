//! Independent job-shop checker: recomputes the makespan from the start times alone and lists
//! every violated constraint. Shares no code with any solver and never panics, whatever the
//! shape of the solution.

use super::model::{JsspInstance, JsspSolution};
use crate::check::{CheckReport, Violation};
use serde::{Deserialize, Serialize};

/// One violated constraint. Operations are named by `(job, op)`, both 0-based.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JsspViolation {
    /// The solution has a different number of job rows than the instance has jobs.
    WrongJobCount { expected: usize, found: usize },
    /// Job `job`'s row has a different number of start times than the job has operations.
    WrongOperationCount {
        job: usize,
        expected: usize,
        found: usize,
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
    /// `second` would have to start `by` later (the end of `first` minus the start of `second`).
    Overlap {
        machine: usize,
        first: (usize, usize),
        second: (usize, usize),
        by: i64,
    },
    /// Blocking variants: `holder` occupies `machine` until `until` (the start of its job's
    /// next operation, or its own end for a last operation), and `second` starts on the
    /// machine at `start`, before that.
    Blocked {
        machine: usize,
        holder: (usize, usize),
        until: i64,
        second: (usize, usize),
        start: i64,
    },
    /// Blocking without swaps: the `jobs` (sorted) each enter, at `time`, the machine the next
    /// one leaves at `time`, in a cycle: a swap, which only the swap variants allow.
    Swap { time: i64, jobs: Vec<usize> },
}

impl Violation for JsspViolation {
    fn kind(&self) -> &'static str {
        match self {
            JsspViolation::WrongJobCount { .. } => "wrong_job_count",
            JsspViolation::WrongOperationCount { .. } => "wrong_operation_count",
            JsspViolation::NegativeStart { .. } => "negative_start",
            JsspViolation::Precedence { .. } => "precedence",
            JsspViolation::Overlap { .. } => "overlap",
            JsspViolation::Blocked { .. } => "blocked",
            JsspViolation::Swap { .. } => "swap",
        }
    }

    fn is_structural(&self) -> bool {
        matches!(
            self,
            JsspViolation::WrongJobCount { .. } | JsspViolation::WrongOperationCount { .. }
        )
    }
}

/// Check `sol` against `inst`.
///
/// The objective is the makespan: the largest `start + duration` over all operations that have
/// a start time, and at least 0 (the schedule begins at time 0), computed with saturating
/// arithmetic. Rows or entries
/// missing from, or surplus in, the solution are reported as count violations; every operation
/// that has both an instance entry and a start time is checked for a negative start, job
/// precedence and machine overlap. Overlaps are found by sorting each machine's operations of
/// positive duration by start and comparing neighbours (zero-length operations occupy no time),
/// so every overlapping neighbour pair is reported and an overlap is never missed.
///
/// For the blocking variants (`inst.variant`, see [`super::JsspVariant`]) the machine check
/// is on occupations instead (an operation holds its machine until its job's next operation
/// starts) and, without swaps, cycles of simultaneous hand-overs are reported: see
/// [`super::blocking`].
pub fn check(inst: &JsspInstance, sol: &JsspSolution) -> CheckReport<JsspViolation> {
    let mut violations = Vec::new();
    if sol.start.len() != inst.jobs.len() {
        violations.push(JsspViolation::WrongJobCount {
            expected: inst.jobs.len(),
            found: sol.start.len(),
        });
    }

    let mut makespan: i64 = 0;
    // (machine, start, job, op, end) of every checked operation with positive duration.
    let mut busy: Vec<(usize, i64, usize, usize, i64)> = Vec::new();
    for (j, (job, starts)) in inst.jobs.iter().zip(&sol.start).enumerate() {
        if job.len() != starts.len() {
            violations.push(JsspViolation::WrongOperationCount {
                job: j,
                expected: job.len(),
                found: starts.len(),
            });
        }
        let mut prev_end: Option<i64> = None;
        for (k, (op, &start)) in job.iter().zip(starts).enumerate() {
            let end = start.saturating_add(op.duration);
            makespan = makespan.max(end);
            if start < 0 {
                violations.push(JsspViolation::NegativeStart {
                    job: j,
                    op: k,
                    start,
                });
            }
            if let Some(earliest) = prev_end
                && start < earliest
            {
                violations.push(JsspViolation::Precedence {
                    job: j,
                    op: k,
                    start,
                    earliest,
                    by: earliest.saturating_sub(start),
                });
            }
            prev_end = Some(end);
            if op.duration > 0 {
                busy.push((op.machine, start, j, k, end));
            }
        }
    }

    if inst.variant.is_blocking() {
        super::blocking::blocking_violations(inst, sol, &mut violations);
        busy.clear();
    }
    busy.sort_unstable();
    for pair in busy.windows(2) {
        if let [(ma, _, ja, ka, end_a), (mb, sb, jb, kb, _)] = *pair
            && ma == mb
            && end_a > sb
        {
            violations.push(JsspViolation::Overlap {
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
/// `0..inst.machines`. Operations without a start time in `sol`, or on a machine index out of
/// range, are left out. Allocates one entry per machine of `inst` (the instance is trusted:
/// it comes from a reader, which caps the machine count).
pub fn machine_sequences(inst: &JsspInstance, sol: &JsspSolution) -> Vec<Vec<(usize, usize)>> {
    let mut ops: Vec<(usize, i64, usize, usize)> = Vec::new();
    for (j, (job, starts)) in inst.jobs.iter().zip(&sol.start).enumerate() {
        for (k, (op, &start)) in job.iter().zip(starts).enumerate() {
            if op.machine < inst.machines {
                ops.push((op.machine, start, j, k));
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
    use crate::jssp::model::Operation;

    fn op(machine: usize, duration: i64) -> Operation {
        Operation { machine, duration }
    }

    fn inst() -> JsspInstance {
        JsspInstance {
            name: "t".into(),
            machines: 2,
            jobs: vec![vec![op(0, 3), op(1, 2)], vec![op(1, 2), op(0, 1)]],
            variant: Default::default(),
        }
    }

    #[test]
    fn feasible_schedule() {
        let sol = JsspSolution {
            start: vec![vec![0, 3], vec![0, 3]],
        };
        let r = check(&inst(), &sol);
        assert!(r.is_feasible(), "{:?}", r.violations);
        assert_eq!(r.objective, 5.0);
        assert_eq!(
            machine_sequences(&inst(), &sol),
            vec![vec![(0, 0), (1, 1)], vec![(1, 0), (0, 1)]]
        );
    }

    #[test]
    fn every_violation_is_reported() {
        let sol = JsspSolution {
            start: vec![vec![-1, 1], vec![0, 1]],
        };
        let r = check(&inst(), &sol);
        assert_eq!(r.objective, 3.0);
        assert_eq!(
            r.violations,
            vec![
                JsspViolation::NegativeStart {
                    job: 0,
                    op: 0,
                    start: -1
                },
                JsspViolation::Precedence {
                    job: 0,
                    op: 1,
                    start: 1,
                    earliest: 2,
                    by: 1
                },
                JsspViolation::Precedence {
                    job: 1,
                    op: 1,
                    start: 1,
                    earliest: 2,
                    by: 1
                },
                JsspViolation::Overlap {
                    machine: 0,
                    first: (0, 0),
                    second: (1, 1),
                    by: 1
                },
                JsspViolation::Overlap {
                    machine: 1,
                    first: (1, 0),
                    second: (0, 1),
                    by: 1
                },
            ]
        );
    }

    #[test]
    fn malformed_solutions_do_not_panic() {
        let r = check(&inst(), &JsspSolution { start: vec![] });
        assert_eq!(
            r.violations,
            vec![JsspViolation::WrongJobCount {
                expected: 2,
                found: 0
            }]
        );
        assert_eq!(r.objective, 0.0);
        let sol = JsspSolution {
            start: vec![vec![i64::MAX, i64::MIN, 5], vec![0], vec![1, 2]],
        };
        let r = check(&inst(), &sol);
        assert_eq!(r.objective, i64::MAX as f64);
        assert!(r.violations.contains(&JsspViolation::WrongJobCount {
            expected: 2,
            found: 3
        }));
        assert!(r.violations.contains(&JsspViolation::WrongOperationCount {
            job: 1,
            expected: 2,
            found: 1
        }));
        let _ = machine_sequences(&inst(), &sol);
        let weird = JsspInstance {
            name: String::new(),
            machines: 1,
            jobs: vec![vec![op(usize::MAX, 5), op(0, -3)]],
            variant: Default::default(),
        };
        let _ = check(
            &weird,
            &JsspSolution {
                start: vec![vec![0, 0]],
            },
        );
        assert_eq!(
            machine_sequences(
                &weird,
                &JsspSolution {
                    start: vec![vec![0, 0]]
                }
            ),
            vec![vec![(0, 1)]]
        );
    }
}

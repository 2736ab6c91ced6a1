//! Job-shop data model: plain data, no format knowledge.

use serde::{Deserialize, Serialize};

/// One operation: the machine it runs on (0-based) and its processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Operation {
    pub machine: usize,
    pub duration: i64,
}

/// A job-shop instance: `jobs[j]` is job j's operations in their required order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsspInstance {
    pub name: String,
    pub machines: usize,
    pub jobs: Vec<Vec<Operation>>,
}

/// A schedule: `start[j][k]` is the start time of job j's k-th operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsspSolution {
    pub start: Vec<Vec<i64>>,
}

impl JsspInstance {
    pub fn num_jobs(&self) -> usize {
        self.jobs.len()
    }
    /// Total number of operations.
    pub fn num_ops(&self) -> usize {
        self.jobs.iter().map(Vec::len).sum()
    }
    /// Structural checks for an instance that did not come from a reader (JSON, hand
    /// construction), with the readers' caps: at most [`super::read::MAX_JOBS`] jobs,
    /// [`super::read::MAX_MACHINES`] machines and [`super::read::MAX_OPERATIONS`] operations,
    /// every operation on a machine in `0..machines` with a duration in
    /// `0..=`[`super::read::MAX_DURATION`]. The machine count is not backed by any data (a JSON
    /// file can claim any number), yet solvers and writers allocate per machine, and the duration
    /// cap keeps every sum of durations far from `i64` overflow. Everything `read_jssp` returns
    /// passes.
    pub fn validate(&self) -> Result<(), String> {
        use super::read::{MAX_DURATION, MAX_JOBS, MAX_MACHINES, MAX_OPERATIONS};
        if self.machines > MAX_MACHINES {
            return Err(format!(
                "{} machines, at most {MAX_MACHINES} allowed",
                self.machines
            ));
        }
        if self.jobs.len() > MAX_JOBS {
            return Err(format!(
                "{} jobs, at most {MAX_JOBS} allowed",
                self.jobs.len()
            ));
        }
        let ops = self.num_ops();
        if ops > MAX_OPERATIONS {
            return Err(format!(
                "{ops} operations, at most {MAX_OPERATIONS} allowed"
            ));
        }
        for (j, job) in self.jobs.iter().enumerate() {
            for (k, op) in job.iter().enumerate() {
                if op.machine >= self.machines {
                    return Err(format!(
                        "operation {k} of job {j} runs on machine {}, outside 0..{}",
                        op.machine, self.machines
                    ));
                }
                if !(0..=MAX_DURATION).contains(&op.duration) {
                    return Err(format!(
                        "operation {k} of job {j} has duration {}, outside 0..={MAX_DURATION}",
                        op.duration
                    ));
                }
            }
        }
        Ok(())
    }

    /// A simple lower bound: the largest job length or machine load.
    pub fn trivial_lower_bound(&self) -> i64 {
        let job = self
            .jobs
            .iter()
            .map(|j| j.iter().map(|o| o.duration).sum::<i64>())
            .max()
            .unwrap_or(0);
        let mut load = vec![0i64; self.machines];
        for op in self.jobs.iter().flatten() {
            if let Some(l) = load.get_mut(op.machine) {
                *l += op.duration;
            }
        }
        job.max(load.into_iter().max().unwrap_or(0))
    }
}

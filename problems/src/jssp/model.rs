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

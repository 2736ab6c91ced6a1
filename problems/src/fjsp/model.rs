//! Flexible job-shop data model: plain data, no format knowledge.

use crate::jssp::Operation;
use serde::{Deserialize, Serialize};

/// One operation of a job: the machines it may run on, each with its processing time there
/// (`machine` 0-based; each machine at most once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct FjspOperation {
    pub alternatives: Vec<Operation>,
}

impl FjspOperation {
    /// The processing time on `machine`, if the operation may run there.
    pub fn duration_on(&self, machine: usize) -> Option<i64> {
        self.alternatives
            .iter()
            .find(|a| a.machine == machine)
            .map(|a| a.duration)
    }
    /// The shortest processing time over the eligible machines (0 without any).
    pub fn min_duration(&self) -> i64 {
        self.alternatives
            .iter()
            .map(|a| a.duration)
            .min()
            .unwrap_or(0)
    }
}

/// A flexible job-shop instance: `jobs[j]` is job j's operations in their required order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct FjspInstance {
    pub name: String,
    pub machines: usize,
    pub jobs: Vec<Vec<FjspOperation>>,
}

/// A schedule: job j's k-th operation runs on machine `machine[j][k]` (0-based) from
/// `start[j][k]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct FjspSolution {
    pub machine: Vec<Vec<usize>>,
    pub start: Vec<Vec<i64>>,
}

impl FjspInstance {
    pub fn num_jobs(&self) -> usize {
        self.jobs.len()
    }
    /// Total number of operations.
    pub fn num_ops(&self) -> usize {
        self.jobs.iter().map(Vec::len).sum()
    }
    /// Total number of (operation, machine) alternatives.
    pub fn num_alternatives(&self) -> usize {
        self.jobs
            .iter()
            .flatten()
            .map(|o| o.alternatives.len())
            .sum()
    }
    /// A simple lower bound: the largest job length with every operation at its shortest
    /// time, or the total shortest work spread over all machines (rounded up), or the load of
    /// a machine from the operations that can run nowhere else.
    pub fn trivial_lower_bound(&self) -> i64 {
        let job = self
            .jobs
            .iter()
            .map(|j| j.iter().map(FjspOperation::min_duration).sum::<i64>())
            .max()
            .unwrap_or(0);
        let total: i64 = self.jobs.iter().flatten().map(|o| o.min_duration()).sum();
        let m = self.machines.max(1) as i64;
        let spread = (total + m - 1) / m;
        let mut fixed = vec![0i64; self.machines];
        for op in self.jobs.iter().flatten() {
            if let [only] = op.alternatives.as_slice()
                && let Some(l) = fixed.get_mut(only.machine)
            {
                *l += only.duration;
            }
        }
        job.max(spread).max(fixed.into_iter().max().unwrap_or(0))
    }
}

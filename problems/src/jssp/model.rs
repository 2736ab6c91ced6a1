//! Job-shop data model: plain data, no format knowledge.

use serde::{Deserialize, Serialize};

/// One operation: the machine it runs on (0-based) and its processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Operation {
    pub machine: usize,
    pub duration: i64,
}

/// Which job shop an instance states: the classic one (unlimited buffers between machines) or
/// one of the blocking job shops (no buffers at all).
///
/// In every blocking variant a job that has finished an operation on machine `m` stays on `m`,
/// blocking it, until its next operation starts on the next machine; only the job's last
/// operation releases its machine at completion. So operation `(j, k)` started at `s(j,k)`
/// *occupies* its machine during the half-open interval `[s(j,k), r(j,k))` with
/// `r(j,k) = s(j,k+1)` (the start of the job's next operation) and `r = s + p` for the last
/// operation, and no two occupations of one machine may overlap (Mascis & Pacciarelli,
/// "Job-shop scheduling with blocking and no-wait constraints", EJOR 143, 2002: the
/// alternative-graph formulation; Gröflin & Klinkert, "A new neighborhood and tabu search for
/// the blocking job shop", DAM 157, 2009). Jobs wait for their first machine in an unlimited
/// input buffer and leave the shop when their last operation ends.
///
/// A *hand-over* at time `t` is a job entering machine `m` at `t` as another job leaves `m`
/// at `t`. Hand-overs along a chain that ends at a free machine are physically sequential
/// and allowed in every variant. A *swap* is a cycle of hand-overs: jobs each waiting for the
/// machine held by the next one in the cycle, all moving at the same instant (a zero-length
/// cycle in the alternative graph).
///
/// * [`Classic`](JsspVariant::Classic): the classic job shop; an operation holds its machine
///   only while it is processed.
/// * [`Blocking`](JsspVariant::Blocking): BJSSP, the blocking job shop *without* swaps
///   (Mascis & Pacciarelli's "blocking, no swap"): occupations may not overlap and no set of
///   jobs may swap.
/// * [`Swap`](JsspVariant::Swap): SBJSSP, the blocking job shop with swaps allowed (Mascis &
///   Pacciarelli's "blocking with swap", Gröflin & Klinkert's BJS with swaps).
/// * [`InterruptingSwap`](JsspVariant::InterruptingSwap): ISBJSSP, the *interrupting
///   swap-allowed* blocking job shop of Wong, Kim, Park, Park & Law ("Generating dispatching
///   rules for the interrupting swap-allowed blocking job shop problem using graph neural
///   network and reinforcement learning", J. Manuf. Sci. Eng. 146(1), 2024; arXiv 2302.02506):
///   SBJSSP in a shop whose machines may be shut down at random while the schedule runs,
///   which is why it is solved by dispatching (online) rather than offline. An instance states
///   no shutdowns, so as an offline problem its feasible schedules are exactly SBJSSP's; the
///   tag says that the instance comes from that setting (and what the dispatching solvers
///   simulate).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum JsspVariant {
    #[default]
    Classic,
    /// BJSSP: blocking, no swaps.
    #[serde(alias = "bjssp")]
    Blocking,
    /// SBJSSP: blocking, swaps allowed.
    #[serde(alias = "sbjssp")]
    Swap,
    /// ISBJSSP: blocking, swaps allowed, machines subject to interruptions.
    #[serde(rename = "iswap", alias = "isbjssp")]
    InterruptingSwap,
}

impl JsspVariant {
    /// Every variant, in the order the CLI and the docs list them.
    pub const ALL: [JsspVariant; 4] = [
        JsspVariant::Classic,
        JsspVariant::Blocking,
        JsspVariant::Swap,
        JsspVariant::InterruptingSwap,
    ];
    /// The name used in files, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            JsspVariant::Classic => "classic",
            JsspVariant::Blocking => "blocking",
            JsspVariant::Swap => "swap",
            JsspVariant::InterruptingSwap => "iswap",
        }
    }
    /// Whether this is the classic job shop (no blocking).
    pub fn is_classic(&self) -> bool {
        *self == JsspVariant::Classic
    }
    /// Whether machines block (every variant but the classic one).
    pub fn is_blocking(self) -> bool {
        self != JsspVariant::Classic
    }
    /// Whether jobs blocked in a cycle may swap.
    pub fn allows_swap(self) -> bool {
        matches!(self, JsspVariant::Swap | JsspVariant::InterruptingSwap)
    }
}

impl std::fmt::Display for JsspVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for JsspVariant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "classic" | "jssp" => Ok(JsspVariant::Classic),
            "blocking" | "bjssp" | "block" => Ok(JsspVariant::Blocking),
            "swap" | "sbjssp" | "blocking-swap" => Ok(JsspVariant::Swap),
            "iswap" | "isbjssp" | "interrupting-swap" => Ok(JsspVariant::InterruptingSwap),
            other => Err(format!(
                "unknown job-shop variant `{other}` (expected classic, blocking, swap or iswap)"
            )),
        }
    }
}

/// A job-shop instance: `jobs[j]` is job j's operations in their required order; `variant`
/// says which job shop (classic when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JsspInstance {
    pub name: String,
    pub machines: usize,
    pub jobs: Vec<Vec<Operation>>,
    #[serde(default, skip_serializing_if = "JsspVariant::is_classic")]
    pub variant: JsspVariant,
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

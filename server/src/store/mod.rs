//! The job store: where jobs, their incumbents and their results live.
//!
//! [`JobStore`] is the one interface the HTTP handlers and the workers use; two implementations:
//! - [`MemoryStore`] (the default, `quotient serve` with no `--store`): one process, nothing to
//!   install, everything gone when the process ends.
//! - [`PgStore`] (`--store postgres://...`): jobs, incumbents and results in PostgreSQL, so any
//!   number of API nodes and workers on any number of machines share one queue, and nothing is
//!   lost when a process or a machine goes away.
//!
//! A job's life: [`JobStore::create`] (status `queued`) -> a worker's [`JobStore::claim`] (status
//! `running`, a lease that the worker renews with [`JobStore::heartbeat`]) -> incumbents with
//! [`JobStore::record`] -> [`JobStore::finish`] (`done`, `cancelled` or `failed`). Every call a
//! worker makes after its claim carries the claim's token: once a lease has expired and another
//! worker has claimed the job, the first worker's calls change nothing (completion is
//! idempotent, a late duplicate cannot overwrite a result).

mod memory;
mod postgres;

pub use memory::MemoryStore;
pub use postgres::{PgStore, PgStoreOptions};

use crate::api::{Incumbent, JobView};
use crate::error::ApiError;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Store-wide settings, the same for both implementations.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// How long finished jobs are kept (`--job-ttl`).
    pub job_ttl: Duration,
    /// How many finished jobs are kept at most (`--max-jobs`); the oldest go first.
    pub max_jobs: usize,
    /// How long a claim holds without a heartbeat (`--lease`).
    pub lease: Duration,
    /// How many times a job is started before a lost worker makes it `failed`
    /// (`--max-attempts`).
    pub max_attempts: u32,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            job_ttl: Duration::from_secs(3600),
            max_jobs: 1000,
            lease: Duration::from_secs(10),
            max_attempts: 3,
        }
    }
}

/// A store failure (the database is unreachable, a query failed); handlers answer 503.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused a query.
    #[error("job store unavailable: {0}")]
    Unavailable(String),
    /// Stored data that does not decode (a bug, or a foreign writer).
    #[error("job store holds unreadable data: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable(_) => "store.unavailable",
            StoreError::Corrupt(_) => "store.corrupt",
        }
    }
}

/// A job to create.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The owner (API key's tenant), or `None` on an open service.
    pub tenant: Option<String>,
    pub family: String,
    pub instance: String,
    pub solver: String,
    /// The request as received, JSON (instance text, format, options). Stored compressed by
    /// the durable store.
    pub request: Vec<u8>,
    /// At most this many queued + running jobs for the tenant (`--tenant-max-jobs`): checked
    /// atomically with the insert.
    pub quota: Option<u64>,
}

/// What a worker gets when it claims a job.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    /// Proves the claim in every later call; a new claim (after a lost lease) gets a new one.
    pub token: String,
    /// 1 for the first start, 2 after one lost worker...
    pub attempt: u32,
    /// The stored request (JSON).
    pub request: Vec<u8>,
    /// Improvements recorded so far (the next incumbent gets `seq = improvements + 1`).
    pub improvements: u64,
    /// Milliseconds solved by earlier attempts.
    pub solved_ms: u64,
    /// The best solution stored by an earlier attempt (a `solve --json` solution object): the
    /// warm start of a resumed job.
    pub warm: Option<Value>,
    /// A cancel was requested before this claim (the job ends at once with its best).
    pub cancel_requested: bool,
}

/// The solution stored with an incumbent, for a warm start after a lost worker.
#[derive(Debug, Clone)]
pub struct WarmStart {
    /// The checker's objective of `solution`.
    pub objective: f64,
    /// The `solve --json` solution object.
    pub solution: Value,
}

/// How a job ended.
#[derive(Debug, Clone)]
pub enum Ending {
    /// Solved; the `solve --json` object.
    Done(Value),
    /// Cancelled; the `solve --json` object when it had started.
    Cancelled(Option<Value>),
    Failed(ApiError),
}

/// What a heartbeat learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beat {
    /// The claim still holds (false: the lease expired and another worker took the job, or the
    /// job is gone); the worker should stop.
    pub alive: bool,
    /// A cancel was requested.
    pub cancel: bool,
}

/// Jobs by status, for `/healthz`, `/metrics` and admission.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub queued: u64,
    pub running: u64,
    /// Every job held, any status.
    pub stored: u64,
}

/// The incumbents of a job after some sequence number, and whether the job has ended.
#[derive(Debug, Clone)]
pub struct Progress {
    pub incumbents: Vec<Incumbent>,
    pub finished: bool,
}

/// Where jobs live. See the module documentation for a job's life.
#[async_trait::async_trait]
pub trait JobStore: Send + Sync + std::fmt::Debug {
    /// `memory` or `postgres`.
    fn kind(&self) -> &'static str;
    /// Whether jobs outlive this process (then a stopping worker hands its jobs back to the
    /// queue instead of cancelling them).
    fn durable(&self) -> bool;
    /// The settings in force.
    fn settings(&self) -> &StoreSettings;

    /// Create a queued job; returns its id, or `None` when the tenant already has `quota` jobs
    /// queued or running.
    async fn create(&self, job: NewJob) -> Result<Option<String>, StoreError>;
    /// A job's view, if it exists, belongs to `tenant` and has not expired.
    async fn get(&self, id: &str, tenant: Option<&str>) -> Result<Option<JobView>, StoreError>;
    /// The request a job was created with (JSON), under the same conditions as `get`.
    async fn request(&self, id: &str, tenant: Option<&str>) -> Result<Option<Vec<u8>>, StoreError>;
    /// The last solution a worker stored during the job (the `solve --json` solution object;
    /// `Some(None)` when none yet), under the same conditions as `get`. The result of an ended
    /// job is in its view.
    async fn latest_solution(
        &self,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<Option<Value>>, StoreError>;
    /// Cancel a job: a queued one ends at once (`cancelled`, no result); a running one is asked
    /// to stop (its worker answers within a second with its best). Returns the view after the
    /// request and whether the job had already ended; `None` when unknown.
    async fn cancel(
        &self,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<(JobView, bool)>, StoreError>;
    /// Delete a job: cancel it as [`JobStore::cancel`] does (a running one stops within 100 ms;
    /// its worker's later writes find nothing and change nothing), then forget it, incumbents
    /// and request included. Returns the view just before it was removed; `None` when unknown.
    async fn delete(&self, id: &str, tenant: Option<&str>) -> Result<Option<JobView>, StoreError>;
    /// Forget a job that is still queued (no worker has claimed it): `true` when it was
    /// queued and is now gone, `false` (and nothing changes) otherwise. How a divide-and-conquer
    /// solve takes back a sub-problem that no other worker has started (`quotient_solvers::farm`).
    async fn withdraw(&self, id: &str) -> Result<bool, StoreError>;
    /// Incumbents with `seq > after` still held, and whether the job has ended.
    async fn progress(
        &self,
        id: &str,
        tenant: Option<&str>,
        after: u64,
    ) -> Result<Option<Progress>, StoreError>;
    /// Jobs by status (all tenants).
    async fn counts(&self) -> Result<Counts, StoreError>;
    /// Queued + running jobs of one tenant.
    async fn active(&self, tenant: Option<&str>) -> Result<u64, StoreError>;

    /// Take the oldest queued job (or one whose worker's lease expired), or `None`.
    async fn claim(&self, worker: &str) -> Result<Option<Claim>, StoreError>;
    /// Renew a claim's lease; `run_ms` is how long this attempt has solved.
    async fn heartbeat(&self, id: &str, token: &str, run_ms: u64) -> Result<Beat, StoreError>;
    /// Append incumbents (with their `seq` already set) and, when given, the best solution for a
    /// warm start. Returns false when the claim no longer holds.
    async fn record(
        &self,
        id: &str,
        token: &str,
        incumbents: &[Incumbent],
        warm: Option<&WarmStart>,
    ) -> Result<bool, StoreError>;
    /// End a claimed job. Returns false (and changes nothing) when the claim no longer holds.
    async fn finish(
        &self,
        id: &str,
        token: &str,
        run_ms: u64,
        ending: Ending,
    ) -> Result<bool, StoreError>;
    /// Hand a claimed job back to the queue (a stopping worker), keeping its incumbents and
    /// `warm` as the next attempt's start; the attempt is not counted.
    async fn release(
        &self,
        id: &str,
        token: &str,
        run_ms: u64,
        warm: Option<&WarmStart>,
    ) -> Result<bool, StoreError>;
    /// Remove expired and surplus finished jobs; fail jobs whose workers were lost too often.
    /// Returns how many jobs were removed.
    async fn sweep(&self) -> Result<u64, StoreError>;

    /// Ids of jobs that changed (new incumbent, ended, cancel asked). Any node's change reaches
    /// every node's subscribers; `*` means "something may have been missed: re-read".
    fn changes(&self) -> broadcast::Receiver<Arc<str>>;
    /// Ids of running jobs whose cancel was requested (from any node).
    fn cancels(&self) -> broadcast::Receiver<Arc<str>>;
    /// Resolves when new work may be in the queue, or after `timeout`.
    async fn wait_for_work(&self, timeout: Duration);
}

/// Open the store named by `url`: `memory` (or empty) or `postgres://...` / `postgresql://...`.
pub async fn open(
    url: &str,
    settings: StoreSettings,
    pg: PgStoreOptions,
) -> Result<Arc<dyn JobStore>, StoreError> {
    let url = url.trim();
    if url.is_empty() || url == "memory" {
        return Ok(Arc::new(MemoryStore::new(settings)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(PgStore::connect(url, settings, pg).await?));
    }
    Err(StoreError::Unavailable(format!(
        "unknown store `{}`: expected `memory` or a postgres:// URL",
        redact(url)
    )))
}

/// A URL with its password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A fresh random id (128 bits, hex).
pub(crate) fn new_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}

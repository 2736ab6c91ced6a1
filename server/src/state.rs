//! Node state: configuration, the job store, admission, the solve pool and shutdown.
//!
//! A node is one `quotient serve` (HTTP, and a local worker unless `--api-only`) or one
//! `quotient worker` (a local worker only). Every solve runs on the node's rayon pool, one
//! thread per slot (`max_concurrent`; the solver's own workers run on the engine's pool),
//! never on a tokio thread. Slots are shared by synchronous solves (`POST /v1/solve`, run where
//! they arrive) and by the jobs this node's worker claims from the store.
//!
//! Admission: a request is refused with 429 when every slot is busy and the solves waiting
//! (jobs queued in the store, plus synchronous solves waiting here) already fill `queue`; with
//! a tenant quota, when the tenant already has that many jobs queued or running.

use crate::auth::ApiKeys;
use crate::error::ServerError;
use crate::metrics::Metrics;
use crate::store::{self, JobStore, MemoryStore, StoreSettings};
use quotient_core::{Options, Outcome, SolveError};
use quotient_problems::any::AnyInstance;
use quotient_solvers::engine::Observer;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};

/// Node settings (the `quotient serve` / `quotient worker` flags).
#[derive(Debug, Clone)]
pub struct Config {
    /// Solves running at once (`--max-concurrent`; default: the machine's cores).
    pub max_concurrent: usize,
    /// Solves waiting for a slot beyond which requests get 429 (`--queue`).
    pub queue: usize,
    /// Largest request body in bytes (`--max-body`).
    pub max_body: usize,
    /// Longest time a client may take to send a request body (`--body-timeout`; 408 after).
    pub body_timeout: Duration,
    /// Request body bytes read or decoded at once, all requests together
    /// (`--max-inflight-body`): a body reserves its `Content-Length` (without one, `max_body`)
    /// before it is read and holds it until it is decoded, so decoding memory is bounded by
    /// this times the decoder's expansion, whatever the number of connections. A request
    /// that finds no room waits up to `body_timeout` for it (then 503 `server.busy`), and has
    /// `body_timeout` to send its body once it has room.
    pub max_inflight_body: usize,
    /// Longest time a client may take to send a request's headers, or keep an idle connection
    /// before its next request (`--header-timeout`; the connection is closed after).
    pub header_timeout: Duration,
    /// Open connections at most (`--max-connections`); beyond, new ones wait in the listen
    /// backlog until one closes.
    pub max_connections: usize,
    /// What an instance in a request may declare or hold (`--limit NAME=VALUE`).
    pub read_limits: quotient_problems::ReadLimits,
    /// How long finished jobs are kept (`--job-ttl`).
    pub job_ttl: Duration,
    /// How many finished jobs are kept at most (`--max-jobs`); the oldest go first.
    pub max_jobs: usize,
    /// Cap on `time_limit` for `POST /v1/solve` (`--max-solve-time`).
    pub max_solve_time: Duration,
    /// Cap on `time_limit` for jobs (`--max-job-time`).
    pub max_job_time: Duration,
    /// Whether this node's worker claims jobs (false: `serve --api-only`).
    pub solve_jobs: bool,
    /// Cap on a job's solver threads on this node (`worker --threads`; `None`: the cores).
    pub job_threads: Option<usize>,
    /// A claim's lease without a heartbeat (`--lease`).
    pub lease: Duration,
    /// Starts of a job before a lost worker makes it `failed` (`--max-attempts`).
    pub max_attempts: u32,
    /// Queued + running jobs per tenant beyond which `POST /v1/jobs` gets 429
    /// (`--tenant-max-jobs`).
    pub tenant_max_jobs: Option<u64>,
    /// API keys (`--api-keys`); `None`: the service is open.
    pub api_keys: Option<Arc<ApiKeys>>,
    /// This node's name in claims and logs (default: host name and process id).
    pub node_name: String,
    /// On a durable store, whether this node's divide-and-conquer jobs (`tsp.dc`) offer their
    /// sub-problems to the other workers as jobs of their own (`--no-farm` turns it off).
    pub farm: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_concurrent: std::thread::available_parallelism().map_or(1, |n| n.get()),
            queue: 64,
            max_body: 16 << 20,
            body_timeout: Duration::from_secs(60),
            max_inflight_body: 64 << 20,
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            read_limits: quotient_problems::ReadLimits::default(),
            job_ttl: Duration::from_secs(3600),
            max_jobs: 1000,
            max_solve_time: Duration::from_secs(60),
            max_job_time: Duration::from_secs(3600),
            solve_jobs: true,
            job_threads: None,
            lease: Duration::from_secs(10),
            max_attempts: 3,
            tenant_max_jobs: None,
            api_keys: None,
            node_name: default_node_name(),
            farm: true,
        }
    }
}

fn default_node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".into());
    format!("{host}:{}", std::process::id())
}

impl Config {
    /// The store settings these flags give.
    pub fn store_settings(&self) -> StoreSettings {
        StoreSettings {
            job_ttl: self.job_ttl,
            max_jobs: self.max_jobs,
            lease: self.lease,
            max_attempts: self.max_attempts.max(1),
        }
    }
}

/// Shared node state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) store: Arc<dyn JobStore>,
    pub(crate) slots: Arc<Semaphore>,
    /// Synchronous solves admitted here (waiting or running).
    sync_pending: AtomicUsize,
    /// Synchronous solves running here.
    sync_running: AtomicUsize,
    /// Solves on the pool (decremented by the pool thread when the solve returns).
    running: Arc<AtomicUsize>,
    pool: rayon::ThreadPool,
    /// Cancel tokens of every solve on this node, for shutdown.
    live: Mutex<HashMap<u64, CancelToken>>,
    next_live: AtomicU64,
    /// Jobs this node's worker runs: id -> cancel token.
    pub(crate) jobs_running: Mutex<HashMap<String, CancelToken>>,
    /// Whether shutdown has begun; background loops wait on it.
    pub(crate) shutdown: watch::Sender<bool>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Why a solve was asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum CancelReason {
    /// `DELETE /v1/jobs/{id}` (from any node), or the client of a synchronous solve went away.
    User = 1,
    /// This node is shutting down.
    Shutdown = 2,
    /// The job's claim was lost (lease expired and another worker took it).
    Lost = 3,
}

/// The cancel flag the solver polls, plus a signal for a solve still waiting for a slot.
#[derive(Debug, Clone)]
pub(crate) struct CancelToken {
    flag: Arc<AtomicBool>,
    signal: watch::Sender<bool>,
    reason: Arc<AtomicU8>,
    requested: Arc<Mutex<Option<Instant>>>,
}

impl CancelToken {
    pub(crate) fn new() -> Self {
        CancelToken {
            flag: Arc::new(AtomicBool::new(false)),
            signal: watch::Sender::new(false),
            reason: Arc::new(AtomicU8::new(0)),
            requested: Arc::new(Mutex::new(None)),
        }
    }
    pub(crate) fn cancel(&self, reason: CancelReason) {
        lock(&self.requested).get_or_insert_with(Instant::now);
        let _ = self
            .reason
            .compare_exchange(0, reason as u8, Ordering::SeqCst, Ordering::SeqCst);
        self.flag.store(true, Ordering::SeqCst);
        self.signal.send_replace(true);
    }
    pub(crate) fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
    /// The first reason given.
    pub(crate) fn reason(&self) -> Option<CancelReason> {
        match self.reason.load(Ordering::SeqCst) {
            1 => Some(CancelReason::User),
            2 => Some(CancelReason::Shutdown),
            3 => Some(CancelReason::Lost),
            _ => None,
        }
    }
    pub(crate) fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }
    async fn cancelled(&self) {
        let mut rx = self.signal.subscribe();
        let _ = rx.wait_for(|c| *c).await;
    }
}

/// A solve registered for shutdown; unregistered on drop.
#[derive(Debug)]
pub(crate) struct LiveGuard {
    inner: Arc<Inner>,
    id: u64,
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        lock(&self.inner.live).remove(&self.id);
    }
}

/// A synchronous solve's place in the admission count; released on drop.
#[derive(Debug)]
pub(crate) struct Ticket {
    inner: Arc<Inner>,
    _live: LiveGuard,
    pub(crate) cancel: CancelToken,
}

impl Ticket {
    /// Whether a cancel was requested (client gone, shutdown).
    pub(crate) fn cancel_requested(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.inner.sync_pending.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sets the cancel flag when dropped unless disarmed: a synchronous solve whose client went
/// away stops instead of running to its time limit.
#[derive(Debug)]
pub(crate) struct CancelOnDrop(pub(crate) Option<CancelToken>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            t.cancel(CancelReason::User);
        }
    }
}

/// How a solve ended.
#[derive(Debug)]
pub(crate) enum SolveEnd {
    /// Cancelled before it started.
    CancelledInQueue,
    Finished(Result<Outcome, SolveError>),
    /// The solve thread died without answering (a bug).
    Lost,
}

impl SolveEnd {
    /// The `outcome` label of the `quotient_solves_total` metric: `cancelled` when the solve
    /// ended by a cancel (in the queue, or with its best so far), `ok`, or `failed`.
    pub(crate) fn outcome(&self, cancel_requested: bool) -> &'static str {
        match self {
            SolveEnd::Finished(Ok(_)) if cancel_requested => "cancelled",
            SolveEnd::Finished(Ok(_)) => "ok",
            SolveEnd::CancelledInQueue => "cancelled",
            SolveEnd::Finished(Err(_)) | SolveEnd::Lost => "failed",
        }
    }
}

impl AppState {
    /// A node over the in-process store (what `quotient serve` with no `--store` runs).
    /// Must be called within a tokio runtime (it starts the node's worker and sweeper).
    pub fn new(config: Config) -> std::io::Result<Self> {
        let store = Arc::new(MemoryStore::new(config.store_settings()));
        Self::with_store(config, store)
    }

    /// A node over `store`. Must be called within a tokio runtime (it starts the node's worker,
    /// unless `config.solve_jobs` is false, and its sweeper). Fails if the solve threads cannot
    /// start.
    pub fn with_store(config: Config, store: Arc<dyn JobStore>) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Handle::try_current().map_err(std::io::Error::other)?;
        let slots = config.max_concurrent.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(slots)
            .thread_name(|i| format!("quotient-solve-{i}"))
            .panic_handler(|_| tracing::error!("a solve thread panicked"))
            .build()
            .map_err(std::io::Error::other)?;
        let state = AppState {
            inner: Arc::new(Inner {
                slots: Arc::new(Semaphore::new(slots)),
                sync_pending: AtomicUsize::new(0),
                sync_running: AtomicUsize::new(0),
                running: Arc::new(AtomicUsize::new(0)),
                pool,
                live: Mutex::new(HashMap::new()),
                next_live: AtomicU64::new(0),
                jobs_running: Mutex::new(HashMap::new()),
                shutdown: watch::Sender::new(false),
                metrics: Arc::new(Metrics::default()),
                store,
                config: Config {
                    max_concurrent: slots,
                    ..config
                },
            }),
        };
        crate::worker::start(&state, &runtime);
        Ok(state)
    }

    /// The settings in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The job store.
    pub fn store(&self) -> &Arc<dyn JobStore> {
        &self.inner.store
    }

    pub(crate) fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Solves running now on this node.
    pub fn running(&self) -> usize {
        self.inner.running.load(Ordering::SeqCst)
    }

    /// Synchronous solves waiting for a slot on this node.
    fn sync_waiting(&self) -> usize {
        self.inner
            .sync_pending
            .load(Ordering::SeqCst)
            .saturating_sub(self.inner.sync_running.load(Ordering::SeqCst))
    }

    /// Solves waiting: jobs queued in the store (all nodes) plus synchronous solves waiting
    /// for a slot here.
    pub async fn queued(&self) -> Result<usize, ServerError> {
        let c = self.inner.store.counts().await?;
        Ok(usize::try_from(c.queued).unwrap_or(usize::MAX) + self.sync_waiting())
    }

    /// Jobs in the store (any status).
    pub async fn jobs_stored(&self) -> Result<usize, ServerError> {
        let c = self.inner.store.counts().await?;
        Ok(usize::try_from(c.stored).unwrap_or(usize::MAX))
    }

    /// Jobs this node's worker is running.
    pub fn jobs_running_here(&self) -> usize {
        lock(&self.inner.jobs_running).len()
    }

    /// Whether shutdown has begun.
    pub fn is_shutting_down(&self) -> bool {
        *self.inner.shutdown.borrow()
    }

    /// Begin shutdown: new solves get 503, the worker claims nothing more, and every running
    /// solve is stopped. Synchronous solves answer their clients with their best; jobs end
    /// `cancelled` with their best on the in-process store, and go back to the queue with
    /// their best as the next start on a durable store (another node resumes them).
    pub fn begin_shutdown(&self) {
        self.inner.shutdown.send_replace(true);
        let tokens: Vec<CancelToken> = lock(&self.inner.live).values().cloned().collect();
        for t in tokens {
            t.cancel(CancelReason::Shutdown);
        }
    }

    /// Wait (at most `timeout`) until the jobs this node runs have written their ends.
    pub async fn drain(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.jobs_running_here() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub(crate) fn register_live(&self, cancel: &CancelToken) -> LiveGuard {
        let id = self.inner.next_live.fetch_add(1, Ordering::SeqCst);
        lock(&self.inner.live).insert(id, cancel.clone());
        let guard = LiveGuard {
            inner: self.inner.clone(),
            id,
        };
        // Shutdown may have begun between the caller's check and the registration.
        if self.is_shutting_down() {
            cancel.cancel(CancelReason::Shutdown);
        }
        guard
    }

    fn refuse_shutting_down(&self) -> Result<(), ServerError> {
        if self.is_shutting_down() {
            self.metrics().rejected("shutting_down");
            return Err(ServerError::ShuttingDown);
        }
        Ok(())
    }

    fn queue_full(&self) -> ServerError {
        self.metrics().rejected("queue_full");
        ServerError::QueueFull {
            capacity: self.inner.config.max_concurrent + self.inner.config.queue,
        }
    }

    /// Whether the waiting solves leave room for one more.
    async fn room(&self, for_job: bool) -> bool {
        let cfg = &self.inner.config;
        let slot_free = self.inner.slots.available_permits() > 0;
        // Without the store's count (database down), a synchronous solve still runs here.
        let queued = match self.inner.store.counts().await {
            Ok(c) => usize::try_from(c.queued).unwrap_or(usize::MAX),
            Err(_) if !for_job => 0,
            Err(_) => return true,
        };
        let waiting = queued + self.sync_waiting();
        if waiting < cfg.queue {
            return true;
        }
        // A free slot here takes the solve at once.
        slot_free && (!for_job || (cfg.solve_jobs && queued == 0))
    }

    /// Take a place for a synchronous solve, or fail with 429 (full) / 503 (shutting down).
    pub(crate) async fn admit_sync(&self) -> Result<Ticket, ServerError> {
        self.refuse_shutting_down()?;
        if !self.room(false).await {
            return Err(self.queue_full());
        }
        self.inner.sync_pending.fetch_add(1, Ordering::SeqCst);
        let cancel = CancelToken::new();
        let live = self.register_live(&cancel);
        Ok(Ticket {
            inner: self.inner.clone(),
            _live: live,
            cancel,
        })
    }

    /// Check that a job may be queued (429 / 503 otherwise). The tenant quota is checked by
    /// the store when the job is created.
    pub(crate) async fn admit_job(&self) -> Result<(), ServerError> {
        self.refuse_shutting_down()?;
        if !self.room(true).await {
            return Err(self.queue_full());
        }
        Ok(())
    }

    /// Wait for a slot, then solve on the pool. The slot is held by the pool thread until the
    /// solver returns, even if this future is dropped (a client that went away: its
    /// `CancelOnDrop` stops the solver).
    pub(crate) async fn run_solve(
        &self,
        ticket: &Ticket,
        instance: Arc<AnyInstance>,
        options: Options,
        observer: Arc<dyn Observer>,
    ) -> SolveEnd {
        let permit = tokio::select! {
            biased;
            _ = ticket.cancel.cancelled() => return SolveEnd::CancelledInQueue,
            p = self.inner.slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => return SolveEnd::Lost,
            },
        };
        if ticket.cancel.is_cancelled() {
            return SolveEnd::CancelledInQueue;
        }
        self.inner.sync_running.fetch_add(1, Ordering::SeqCst);
        let end = self
            .run_on_pool(permit, &ticket.cancel, instance, options, observer)
            .await;
        self.inner.sync_running.fetch_sub(1, Ordering::SeqCst);
        end
    }

    /// Solve on the pool with a slot already held; `cancel` stops the solver.
    pub(crate) async fn run_on_pool(
        &self,
        permit: OwnedSemaphorePermit,
        cancel: &CancelToken,
        instance: Arc<AnyInstance>,
        mut options: Options,
        observer: Arc<dyn Observer>,
    ) -> SolveEnd {
        options.cancel = cancel.flag();
        let running = self.inner.running.clone();
        running.fetch_add(1, Ordering::SeqCst);
        let metrics = self.inner.metrics.clone();
        let (tx, rx) = oneshot::channel();
        self.inner.pool.spawn(move || {
            let started = Instant::now();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                quotient_core::solve_observed(&instance, &options, &*observer)
            }));
            // The observer goes before the answer: its receivers see every incumbent first.
            drop(observer);
            metrics.solve_seconds(started.elapsed());
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            // A panic outside the solver (the facade catches the solver's) drops `tx`.
            if let Ok(r) = r {
                let _ = tx.send(r);
            }
        });
        match rx.await {
            Ok(r) => SolveEnd::Finished(r),
            Err(_) => SolveEnd::Lost,
        }
    }
}

/// Open the store named by `url` (`memory`, or a postgres:// URL) with the settings of `config`.
pub async fn open_store(
    url: &str,
    config: &Config,
    pg: store::PgStoreOptions,
) -> Result<Arc<dyn JobStore>, store::StoreError> {
    store::open(url, config.store_settings(), pg).await
}

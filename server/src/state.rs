//! Server state: configuration, admission (slots + bounded queue), the solve pool, the job
//! store and shutdown.
//!
//! Every solve (synchronous or job) is admitted first: at most `max_concurrent` run and at most
//! `queue` more wait; beyond that the request gets 429. An admitted solve waits for a slot
//! (FIFO, `tokio::sync::Semaphore`), then runs on the server's rayon pool (one thread per slot;
//! the solver's own workers run on the engine's pool) — never on a tokio worker thread.

use crate::api::{Incumbent, JobStatus, JobView};
use crate::error::{ApiError, ServerError};
use crate::metrics::Metrics;
use quotient_core::{Options, Outcome, SolveError};
use quotient_problems::any::AnyInstance;
use quotient_solvers::engine::{Improvement, Observer};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, oneshot, watch};

/// Server limits (the `quotient serve` flags).
#[derive(Debug, Clone)]
pub struct Config {
    /// Solves running at once (`--max-concurrent`; default: the machine's cores).
    pub max_concurrent: usize,
    /// Solves waiting for a slot beyond which requests get 429 (`--queue`).
    pub queue: usize,
    /// Largest request body in bytes (`--max-body`).
    pub max_body: usize,
    /// How long finished jobs are kept (`--job-ttl`).
    pub job_ttl: Duration,
    /// How many finished jobs are kept at most (`--max-jobs`); the oldest go first.
    pub max_jobs: usize,
    /// Cap on `time_limit` for `POST /v1/solve` (`--max-solve-time`).
    pub max_solve_time: Duration,
    /// Cap on `time_limit` for jobs (`--max-job-time`).
    pub max_job_time: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_concurrent: std::thread::available_parallelism().map_or(1, |n| n.get()),
            queue: 64,
            max_body: 16 << 20,
            job_ttl: Duration::from_secs(3600),
            max_jobs: 1000,
            max_solve_time: Duration::from_secs(60),
            max_job_time: Duration::from_secs(3600),
        }
    }
}

/// Shared server state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) metrics: Arc<Metrics>,
    slots: Arc<Semaphore>,
    /// Admitted solves: queued + running.
    pending: AtomicUsize,
    /// Solves on the pool (decremented by the pool thread when the solve returns).
    running: Arc<AtomicUsize>,
    pool: rayon::ThreadPool,
    jobs: Mutex<JobTable>,
    /// Cancel tokens of every admitted solve, for shutdown.
    live: Mutex<HashMap<u64, CancelToken>>,
    next_live: AtomicU64,
    shutting_down: AtomicBool,
}

#[derive(Debug, Default)]
struct JobTable {
    map: HashMap<String, Arc<Job>>,
    /// Finished jobs, oldest first.
    finished: VecDeque<(String, Instant)>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The cancel flag the solver polls, plus a signal for a solve still waiting in the queue.
#[derive(Debug, Clone)]
pub(crate) struct CancelToken {
    flag: Arc<AtomicBool>,
    signal: watch::Sender<bool>,
    requested: Arc<Mutex<Option<Instant>>>,
}

impl CancelToken {
    fn new() -> Self {
        CancelToken {
            flag: Arc::new(AtomicBool::new(false)),
            signal: watch::Sender::new(false),
            requested: Arc::new(Mutex::new(None)),
        }
    }
    pub(crate) fn cancel(&self) {
        lock(&self.requested).get_or_insert_with(Instant::now);
        self.flag.store(true, Ordering::SeqCst);
        self.signal.send_replace(true);
    }
    fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
    fn requested_at(&self) -> Option<Instant> {
        *lock(&self.requested)
    }
    async fn cancelled(&self) {
        let mut rx = self.signal.subscribe();
        let _ = rx.wait_for(|c| *c).await;
    }
}

/// A place in the admission count; released on drop.
#[derive(Debug)]
pub(crate) struct Ticket {
    inner: Arc<Inner>,
    live_id: u64,
    pub(crate) cancel: CancelToken,
}

impl Ticket {
    /// Whether a cancel was requested (DELETE, client gone, shutdown).
    pub(crate) fn cancel_requested(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.inner.pending.fetch_sub(1, Ordering::SeqCst);
        lock(&self.inner.live).remove(&self.live_id);
    }
}

/// Sets the cancel flag when dropped unless disarmed: a synchronous solve whose client went
/// away stops instead of running to its time limit.
#[derive(Debug)]
pub(crate) struct CancelOnDrop(pub(crate) Option<CancelToken>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            t.cancel();
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
    /// State for a server with these limits. Fails only if the solve threads cannot start.
    pub fn new(config: Config) -> std::io::Result<Self> {
        let slots = config.max_concurrent.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(slots)
            .thread_name(|i| format!("quotient-solve-{i}"))
            .panic_handler(|_| tracing::error!("a solve thread panicked"))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                slots: Arc::new(Semaphore::new(slots)),
                pending: AtomicUsize::new(0),
                running: Arc::new(AtomicUsize::new(0)),
                pool,
                jobs: Mutex::new(JobTable::default()),
                live: Mutex::new(HashMap::new()),
                next_live: AtomicU64::new(0),
                shutting_down: AtomicBool::new(false),
                metrics: Arc::new(Metrics::default()),
                config: Config {
                    max_concurrent: slots,
                    ..config
                },
            }),
        })
    }

    /// The limits in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Solves running now.
    pub fn running(&self) -> usize {
        self.inner.running.load(Ordering::SeqCst)
    }

    /// Solves admitted and waiting for a slot.
    pub fn queued(&self) -> usize {
        self.inner
            .pending
            .load(Ordering::SeqCst)
            .saturating_sub(self.running())
    }

    /// Jobs in the store (any status).
    pub fn jobs_stored(&self) -> usize {
        lock(&self.inner.jobs).map.len()
    }

    /// Whether shutdown has begun.
    pub fn is_shutting_down(&self) -> bool {
        self.inner.shutting_down.load(Ordering::SeqCst)
    }

    /// Begin shutdown: new solves get 503, every queued or running solve is cancelled (running
    /// ones end with their best solution, which their clients receive).
    pub fn begin_shutdown(&self) {
        self.inner.shutting_down.store(true, Ordering::SeqCst);
        let tokens: Vec<CancelToken> = lock(&self.inner.live).values().cloned().collect();
        for t in tokens {
            t.cancel();
        }
    }

    /// Take a place in the queue, or fail with 429 (full) / 503 (shutting down).
    pub(crate) fn admit(&self) -> Result<Ticket, ServerError> {
        if self.is_shutting_down() {
            self.metrics().rejected("shutting_down");
            return Err(ServerError::ShuttingDown);
        }
        let capacity = self.inner.config.max_concurrent + self.inner.config.queue;
        let admitted = self
            .inner
            .pending
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |p| {
                (p < capacity).then_some(p + 1)
            });
        if admitted.is_err() {
            self.metrics().rejected("queue_full");
            return Err(ServerError::QueueFull { capacity });
        }
        let cancel = CancelToken::new();
        let live_id = self.inner.next_live.fetch_add(1, Ordering::SeqCst);
        lock(&self.inner.live).insert(live_id, cancel.clone());
        let ticket = Ticket {
            inner: self.inner.clone(),
            live_id,
            cancel,
        };
        // Shutdown may have begun between the check and the registration.
        if self.is_shutting_down() {
            ticket.cancel.cancel();
        }
        Ok(ticket)
    }

    /// Wait for a slot, then solve on the pool. `on_start` runs when the solve starts. The slot
    /// is held by the pool thread until the solver returns, even if this future is dropped
    /// (a client that went away: its `CancelOnDrop` stops the solver).
    pub(crate) async fn run_solve(
        &self,
        ticket: &Ticket,
        instance: Arc<AnyInstance>,
        mut options: Options,
        observer: Arc<dyn Observer>,
        on_start: impl FnOnce(),
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
        options.cancel = ticket.cancel.flag.clone();
        let running = self.inner.running.clone();
        running.fetch_add(1, Ordering::SeqCst);
        on_start();
        let metrics = self.inner.metrics.clone();
        let (tx, rx) = oneshot::channel();
        self.inner.pool.spawn(move || {
            let started = Instant::now();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                quotient_core::solve_observed(&instance, &options, &*observer)
            }));
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

    /// Create a job in the store (status queued).
    pub(crate) fn insert_job(
        &self,
        cancel: CancelToken,
        family: String,
        instance: String,
        solver: String,
    ) -> Arc<Job> {
        let id = format!("{:032x}", rand::random::<u128>());
        let job = Arc::new(Job {
            id: id.clone(),
            created: Instant::now(),
            cancel,
            family,
            instance,
            solver,
            state: Mutex::new(JobState::default()),
            version: watch::Sender::new(0),
        });
        let mut table = lock(&self.inner.jobs);
        self.prune(&mut table);
        table.map.insert(id, job.clone());
        job
    }

    /// A job by id.
    pub(crate) fn job(&self, id: &str) -> Result<Arc<Job>, ServerError> {
        let mut table = lock(&self.inner.jobs);
        self.prune(&mut table);
        table
            .map
            .get(id)
            .cloned()
            .ok_or_else(|| ServerError::JobNotFound { id: id.into() })
    }

    /// Record that a job has ended, and drop expired or surplus finished jobs.
    pub(crate) fn job_finished(&self, job: &Job) {
        let mut table = lock(&self.inner.jobs);
        table.finished.push_back((job.id.clone(), Instant::now()));
        self.prune(&mut table);
    }

    fn prune(&self, table: &mut JobTable) {
        let cfg = &self.inner.config;
        while let Some((id, at)) = table.finished.front() {
            if table.finished.len() > cfg.max_jobs || at.elapsed() >= cfg.job_ttl {
                let id = id.clone();
                table.map.remove(&id);
                table.finished.pop_front();
            } else {
                break;
            }
        }
    }
}

/// One asynchronous solve.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: String,
    created: Instant,
    pub(crate) cancel: CancelToken,
    family: String,
    instance: String,
    solver: String,
    state: Mutex<JobState>,
    /// Bumped on every change; SSE streams wait on it.
    version: watch::Sender<u64>,
}

/// How many recent incumbents a job keeps for SSE replay.
const RECENT_INCUMBENTS: usize = 256;

#[derive(Debug, Default)]
struct JobState {
    status: Option<JobStatus>,
    started: Option<Instant>,
    finished: Option<Instant>,
    cancel_latency: Option<Duration>,
    improvements: u64,
    recent: VecDeque<Incumbent>,
    result: Option<Value>,
    error: Option<ApiError>,
}

impl Job {
    fn update(&self, f: impl FnOnce(&mut JobState)) {
        f(&mut lock(&self.state));
        self.version.send_modify(|v| *v += 1);
    }

    pub(crate) fn mark_running(&self) {
        self.update(|s| {
            s.status = Some(JobStatus::Running);
            s.started = Some(Instant::now());
        });
    }

    /// Record the end of the job.
    pub(crate) fn finish(&self, end: SolveEnd, instance: &AnyInstance) {
        let cancelled = self.cancel.is_cancelled();
        let requested = self.cancel.requested_at();
        self.update(|s| {
            let now = Instant::now();
            s.finished = Some(now);
            if s.started.is_some() {
                s.cancel_latency = requested.map(|r| now.saturating_duration_since(r));
            }
            match end {
                SolveEnd::CancelledInQueue => s.status = Some(JobStatus::Cancelled),
                SolveEnd::Finished(Ok(outcome)) => {
                    s.status = Some(if cancelled {
                        JobStatus::Cancelled
                    } else {
                        JobStatus::Done
                    });
                    s.result = Some(outcome.to_json(instance));
                }
                SolveEnd::Finished(Err(e)) => {
                    s.status = Some(JobStatus::Failed);
                    s.error = Some(ApiError::from_solve(&e));
                }
                SolveEnd::Lost => {
                    s.status = Some(JobStatus::Failed);
                    s.error = Some(ApiError::new(
                        "server.internal",
                        "the solve thread ended without an answer",
                    ));
                }
            }
        });
    }

    /// The job's status view.
    pub(crate) fn view(&self) -> JobView {
        let s = lock(&self.state);
        let status = s.status.unwrap_or(JobStatus::Queued);
        let now = Instant::now();
        let queued_until = s.started.or(s.finished).unwrap_or(now);
        let elapsed = s
            .started
            .map(|st| s.finished.unwrap_or(now).saturating_duration_since(st))
            .unwrap_or_default();
        JobView {
            id: self.id.clone(),
            status,
            family: self.family.clone(),
            instance: self.instance.clone(),
            solver: self.solver.clone(),
            best: s.recent.back().cloned(),
            improvements: s.improvements,
            queued_ms: ms(queued_until.saturating_duration_since(self.created)),
            elapsed_ms: ms(elapsed),
            cancel_latency_ms: s.cancel_latency.map(ms),
            result: s.result.clone(),
            error: s.error.clone(),
        }
    }

    /// Incumbents after `seq` still held, and whether the job has ended.
    pub(crate) fn since(&self, seq: u64) -> (Vec<Incumbent>, bool) {
        let s = lock(&self.state);
        let news = s.recent.iter().filter(|i| i.seq > seq).cloned().collect();
        (news, s.status.is_some_and(JobStatus::is_final))
    }

    /// A receiver that changes whenever the job does.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Feeds a job's incumbents from the solver's threads.
#[derive(Debug)]
pub(crate) struct JobObserver(pub(crate) Arc<Job>);

impl Observer for JobObserver {
    fn improved(&self, ev: &Improvement<'_>) {
        self.0.update(|s| {
            s.improvements += 1;
            if s.recent.len() == RECENT_INCUMBENTS {
                s.recent.pop_front();
            }
            s.recent.push_back(Incumbent {
                seq: s.improvements,
                objective: ev.objective,
                bound: ev.bound,
                elapsed_ms: ms(ev.elapsed),
                source: ev.source.to_string(),
            });
        });
    }
}

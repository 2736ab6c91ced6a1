//! The in-process job store: the default, nothing to install; every job is gone when the
//! process ends. One mutex over a table; finished jobs beyond `max_jobs` or older than the TTL
//! are dropped whenever the table is touched.

use super::{
    Beat, Claim, Counts, Ending, JobStore, NewJob, Progress, StoreError, StoreSettings, WarmStart,
    new_id,
};
use crate::api::{Incumbent, JobStatus, JobView};
use crate::error::ApiError;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, broadcast};

/// How many recent incumbents a job keeps for SSE replay.
const RECENT_INCUMBENTS: usize = 256;

/// The in-process store (see the module documentation).
#[derive(Debug)]
pub struct MemoryStore {
    settings: StoreSettings,
    table: Mutex<Table>,
    changes: broadcast::Sender<Arc<str>>,
    cancels: broadcast::Sender<Arc<str>>,
    work: Notify,
}

#[derive(Debug, Default)]
struct Table {
    map: HashMap<String, MemJob>,
    /// Queued job ids, oldest first.
    queue: VecDeque<String>,
    /// Finished jobs, oldest first.
    finished: VecDeque<(String, Instant)>,
}

#[derive(Debug)]
struct MemJob {
    id: String,
    tenant: Option<String>,
    family: String,
    instance: String,
    solver: String,
    request: Arc<Vec<u8>>,
    status: JobStatus,
    created: Instant,
    first_started: Option<Instant>,
    started: Option<Instant>,
    finished: Option<Instant>,
    cancel_at: Option<Instant>,
    attempts: u32,
    token: Option<String>,
    improvements: u64,
    recent: VecDeque<Incumbent>,
    solved_ms: u64,
    warm: Option<WarmStart>,
    result: Option<Value>,
    error: Option<ApiError>,
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl MemJob {
    fn view(&self) -> JobView {
        let now = Instant::now();
        let queued_until = self.first_started.or(self.finished).unwrap_or(now);
        let this_run = self.started.map_or(0, |s| {
            ms(self.finished.unwrap_or(now).saturating_duration_since(s))
        });
        let cancel_latency_ms = match (self.started, self.cancel_at, self.finished) {
            (Some(_), Some(c), Some(f)) => Some(ms(f.saturating_duration_since(c))),
            _ => None,
        };
        JobView {
            id: self.id.clone(),
            status: self.status,
            family: self.family.clone(),
            instance: self.instance.clone(),
            solver: self.solver.clone(),
            best: self.recent.back().cloned(),
            improvements: self.improvements,
            queued_ms: ms(queued_until.saturating_duration_since(self.created)),
            elapsed_ms: self.solved_ms.saturating_add(this_run),
            cancel_latency_ms,
            attempts: self.attempts,
            result: self.result.clone(),
            error: self.error.clone(),
        }
    }

    fn visible_to(&self, tenant: Option<&str>) -> bool {
        self.tenant.as_deref() == tenant
    }

    fn holds(&self, token: &str) -> bool {
        self.status == JobStatus::Running && self.token.as_deref() == Some(token)
    }
}

impl Table {
    /// Queued + running jobs of one tenant.
    fn active(&self, tenant: Option<&str>) -> u64 {
        self.map
            .values()
            .filter(|j| j.visible_to(tenant) && !j.status.is_final())
            .count() as u64
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MemoryStore {
    /// An empty store.
    pub fn new(settings: StoreSettings) -> Self {
        MemoryStore {
            settings,
            table: Mutex::new(Table::default()),
            changes: broadcast::channel(1024).0,
            cancels: broadcast::channel(256).0,
            work: Notify::new(),
        }
    }

    /// The table, pruned of expired and surplus finished jobs.
    fn table(&self) -> MutexGuard<'_, Table> {
        let mut t = lock(&self.table);
        self.prune(&mut t);
        t
    }

    fn prune(&self, t: &mut Table) -> u64 {
        let mut removed = 0;
        while let Some((id, at)) = t.finished.front() {
            if t.finished.len() > self.settings.max_jobs || at.elapsed() >= self.settings.job_ttl {
                let id = id.clone();
                t.map.remove(&id);
                t.finished.pop_front();
                removed += 1;
            } else {
                break;
            }
        }
        removed
    }

    fn changed(&self, id: &str) {
        let _ = self.changes.send(Arc::from(id));
    }

    /// End a job (the table is locked by the caller).
    fn end(
        t: &mut Table,
        id: &str,
        status: JobStatus,
        result: Option<Value>,
        error: Option<ApiError>,
    ) {
        if let Some(j) = t.map.get_mut(id) {
            j.status = status;
            j.finished = Some(Instant::now());
            j.token = None;
            j.result = result;
            j.error = error;
            t.finished.push_back((id.to_string(), Instant::now()));
        }
    }
}

#[async_trait::async_trait]
impl JobStore for MemoryStore {
    fn kind(&self) -> &'static str {
        "memory"
    }

    fn durable(&self) -> bool {
        false
    }

    fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    async fn create(&self, job: NewJob) -> Result<Option<String>, StoreError> {
        let id = new_id();
        {
            let mut t = self.table();
            if job
                .quota
                .is_some_and(|q| t.active(job.tenant.as_deref()) >= q)
            {
                return Ok(None);
            }
            t.map.insert(
                id.clone(),
                MemJob {
                    id: id.clone(),
                    tenant: job.tenant,
                    family: job.family,
                    instance: job.instance,
                    solver: job.solver,
                    request: Arc::new(job.request),
                    status: JobStatus::Queued,
                    created: Instant::now(),
                    first_started: None,
                    started: None,
                    finished: None,
                    cancel_at: None,
                    attempts: 0,
                    token: None,
                    improvements: 0,
                    recent: VecDeque::new(),
                    solved_ms: 0,
                    warm: None,
                    result: None,
                    error: None,
                },
            );
            t.queue.push_back(id.clone());
        }
        self.work.notify_one();
        Ok(Some(id))
    }

    async fn get(&self, id: &str, tenant: Option<&str>) -> Result<Option<JobView>, StoreError> {
        let t = self.table();
        Ok(t.map
            .get(id)
            .filter(|j| j.visible_to(tenant))
            .map(MemJob::view))
    }

    async fn request(&self, id: &str, tenant: Option<&str>) -> Result<Option<Vec<u8>>, StoreError> {
        let req = {
            let t = self.table();
            t.map
                .get(id)
                .filter(|j| j.visible_to(tenant))
                .map(|j| j.request.clone())
        };
        Ok(req.map(|r| r.as_ref().clone()))
    }

    async fn latest_solution(
        &self,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<Option<Value>>, StoreError> {
        let t = self.table();
        Ok(t.map
            .get(id)
            .filter(|j| j.visible_to(tenant))
            .map(|j| j.warm.as_ref().map(|w| w.solution.clone())))
    }

    async fn cancel(
        &self,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<(JobView, bool)>, StoreError> {
        let mut t = self.table();
        let Some(j) = t.map.get_mut(id).filter(|j| j.visible_to(tenant)) else {
            return Ok(None);
        };
        if j.status.is_final() {
            return Ok(Some((j.view(), true)));
        }
        j.cancel_at.get_or_insert_with(Instant::now);
        let queued = j.status == JobStatus::Queued;
        if queued {
            t.queue.retain(|q| q != id);
            Self::end(&mut t, id, JobStatus::Cancelled, None, None);
        }
        let view = t.map.get(id).map(MemJob::view);
        drop(t);
        if !queued {
            let _ = self.cancels.send(Arc::from(id));
        }
        self.changed(id);
        Ok(view.map(|v| (v, false)))
    }

    async fn delete(&self, id: &str, tenant: Option<&str>) -> Result<Option<JobView>, StoreError> {
        let Some((view, _)) = self.cancel(id, tenant).await? else {
            return Ok(None);
        };
        {
            let mut t = self.table();
            t.map.remove(id);
            t.queue.retain(|q| q != id);
            t.finished.retain(|(f, _)| f != id);
        }
        self.changed(id);
        Ok(Some(view))
    }

    async fn withdraw(&self, id: &str) -> Result<bool, StoreError> {
        {
            let mut t = self.table();
            if t.map.get(id).is_none_or(|j| j.status != JobStatus::Queued) {
                return Ok(false);
            }
            t.map.remove(id);
            t.queue.retain(|q| q != id);
        }
        self.changed(id);
        Ok(true)
    }

    async fn progress(
        &self,
        id: &str,
        tenant: Option<&str>,
        after: u64,
    ) -> Result<Option<Progress>, StoreError> {
        let t = self.table();
        Ok(t.map
            .get(id)
            .filter(|j| j.visible_to(tenant))
            .map(|j| Progress {
                incumbents: j.recent.iter().filter(|i| i.seq > after).cloned().collect(),
                finished: j.status.is_final(),
            }))
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        let t = self.table();
        let mut c = Counts {
            stored: t.map.len() as u64,
            queued: t.queue.len() as u64,
            ..Counts::default()
        };
        c.running = t
            .map
            .values()
            .filter(|j| j.status == JobStatus::Running)
            .count() as u64;
        Ok(c)
    }

    async fn active(&self, tenant: Option<&str>) -> Result<u64, StoreError> {
        Ok(self.table().active(tenant))
    }

    async fn claim(&self, _worker: &str) -> Result<Option<Claim>, StoreError> {
        let mut t = self.table();
        while let Some(id) = t.queue.pop_front() {
            let Some(j) = t.map.get_mut(&id) else {
                continue;
            };
            if j.status != JobStatus::Queued {
                continue;
            }
            let now = Instant::now();
            let token = new_id();
            j.status = JobStatus::Running;
            j.attempts += 1;
            j.token = Some(token.clone());
            j.first_started.get_or_insert(now);
            j.started = Some(now);
            let claim = Claim {
                id: id.clone(),
                token,
                attempt: j.attempts,
                request: j.request.as_ref().clone(),
                improvements: j.improvements,
                solved_ms: j.solved_ms,
                warm: j.warm.as_ref().map(|w| w.solution.clone()),
                cancel_requested: j.cancel_at.is_some(),
            };
            drop(t);
            self.changed(&id);
            return Ok(Some(claim));
        }
        Ok(None)
    }

    async fn heartbeat(&self, id: &str, token: &str, _run_ms: u64) -> Result<Beat, StoreError> {
        let t = self.table();
        Ok(match t.map.get(id) {
            Some(j) if j.holds(token) => Beat {
                alive: true,
                cancel: j.cancel_at.is_some(),
            },
            _ => Beat {
                alive: false,
                cancel: false,
            },
        })
    }

    async fn record(
        &self,
        id: &str,
        token: &str,
        incumbents: &[Incumbent],
        warm: Option<&WarmStart>,
    ) -> Result<bool, StoreError> {
        {
            let mut t = self.table();
            let Some(j) = t.map.get_mut(id).filter(|j| j.holds(token)) else {
                return Ok(false);
            };
            for inc in incumbents {
                if j.recent.len() == RECENT_INCUMBENTS {
                    j.recent.pop_front();
                }
                j.improvements = j.improvements.max(inc.seq);
                j.recent.push_back(inc.clone());
            }
            if let Some(w) = warm {
                j.warm = Some(w.clone());
            }
        }
        self.changed(id);
        Ok(true)
    }

    async fn finish(
        &self,
        id: &str,
        token: &str,
        _run_ms: u64,
        ending: Ending,
    ) -> Result<bool, StoreError> {
        {
            let mut t = self.table();
            if !t.map.get(id).is_some_and(|j| j.holds(token)) {
                return Ok(false);
            }
            let (status, result, error) = match ending {
                Ending::Done(r) => (JobStatus::Done, Some(r), None),
                Ending::Cancelled(r) => (JobStatus::Cancelled, r, None),
                Ending::Failed(e) => (JobStatus::Failed, None, Some(e)),
            };
            Self::end(&mut t, id, status, result, error);
            self.prune(&mut t);
        }
        self.changed(id);
        Ok(true)
    }

    async fn release(
        &self,
        id: &str,
        token: &str,
        run_ms: u64,
        warm: Option<&WarmStart>,
    ) -> Result<bool, StoreError> {
        {
            let mut t = self.table();
            let Some(j) = t.map.get_mut(id).filter(|j| j.holds(token)) else {
                return Ok(false);
            };
            j.status = JobStatus::Queued;
            j.token = None;
            j.started = None;
            j.attempts = j.attempts.saturating_sub(1);
            j.solved_ms = j.solved_ms.saturating_add(run_ms);
            if let Some(w) = warm {
                j.warm = Some(w.clone());
            }
            t.queue.push_front(id.to_string());
        }
        self.work.notify_one();
        self.changed(id);
        Ok(true)
    }

    async fn sweep(&self) -> Result<u64, StoreError> {
        let mut t = lock(&self.table);
        Ok(self.prune(&mut t))
    }

    fn changes(&self) -> broadcast::Receiver<Arc<str>> {
        self.changes.subscribe()
    }

    fn cancels(&self) -> broadcast::Receiver<Arc<str>> {
        self.cancels.subscribe()
    }

    async fn wait_for_work(&self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.work.notified()).await;
    }
}

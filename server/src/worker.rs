//! A node's worker: claims jobs from the store while it has free slots, solves them on the
//! node's pool, streams their incumbents into the store, renews their leases, stops them when
//! a cancel arrives from any node, and writes their ends.
//!
//! Started by [`AppState::with_store`] (the worker of `quotient serve`, unless `--api-only`, and
//! all of `quotient worker`), together with the node's cancel router and sweeper.

use crate::api::{Incumbent, SolveRequest, build_options, parse_solution};
use crate::error::{ApiError, ServerError};
use crate::farm::StoreFarm;
use crate::state::{AppState, CancelReason, CancelToken, SolveEnd, lock};
use crate::store::{Claim, Ending, JobStore, WarmStart};
use quotient_core::Options;
use quotient_problems::any::{self, AnyInstance, AnySolution};
use quotient_solvers::engine::{Improvement, Observer, SolutionFn};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::sync::{OwnedSemaphorePermit, broadcast};

/// How long an idle worker waits for a notification before asking the store again.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// Incumbents are written at most this often per job (one write carries all since the last).
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// A solution is copied from the solver at most once per this many times the last copy took.
const SNAPSHOT_SHARE: u32 = 20;
/// The best solution (the live picture, a resume's warm start) is written at most this often;
/// the last one is always written, also when no improvement follows it.
const WARM_EVERY: Duration = Duration::from_millis(200);
/// A resumed job gets at least this much time (or its whole limit, if shorter).
const MIN_RESUME: Duration = Duration::from_secs(1);

/// Start the node's background tasks on `rt`.
pub(crate) fn start(state: &AppState, rt: &tokio::runtime::Handle) {
    if state.config().solve_jobs {
        rt.spawn(claim_loop(state.clone()));
    }
    rt.spawn(route_cancels(state.clone()));
    rt.spawn(sweep_loop(state.clone()));
}

/// Claim jobs while slots are free, until shutdown.
async fn claim_loop(state: AppState) {
    let store = state.store().clone();
    let mut shutdown = state.inner.shutdown.subscribe();
    let mut backoff = Duration::from_millis(100);
    loop {
        if state.is_shutting_down() {
            return;
        }
        let permit = tokio::select! {
            p = state.inner.slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => return,
            },
            _ = shutdown.wait_for(|s| *s) => return,
        };
        if state.is_shutting_down() {
            return;
        }
        match store.claim(&state.config().node_name).await {
            Ok(Some(claim)) => {
                backoff = Duration::from_millis(100);
                tracing::info!(job = %claim.id, attempt = claim.attempt, "claimed a job");
                tokio::spawn(run_claim(state.clone(), claim, permit));
            }
            Ok(None) => {
                drop(permit);
                tokio::select! {
                    () = store.wait_for_work(IDLE_POLL) => {}
                    _ = shutdown.wait_for(|s| *s) => return,
                }
            }
            Err(e) => {
                drop(permit);
                tracing::warn!("cannot claim jobs (retrying in {backoff:?}): {e}");
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    _ = shutdown.wait_for(|s| *s) => return,
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Cancels from any node reach the job's solver here.
async fn route_cancels(state: AppState) {
    let mut rx = state.store().cancels();
    loop {
        match rx.recv().await {
            Ok(id) => {
                if let Some(t) = lock(&state.inner.jobs_running).get(&*id) {
                    t.cancel(CancelReason::User);
                }
            }
            // Missed some: the heartbeats will tell.
            Err(broadcast::error::RecvError::Lagged(_)) => {}
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Remove expired jobs now and then (every node does; the first one wins).
async fn sweep_loop(state: AppState) {
    let every =
        (state.config().job_ttl / 4).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut shutdown = state.inner.shutdown.subscribe();
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        if let Err(e) = state.store().sweep().await {
            tracing::warn!("job sweep failed: {e}");
        }
    }
}

/// One incumbent on its way from the solver to the store.
#[derive(Debug)]
struct Event {
    incumbent: Incumbent,
    solution: Option<AnySolution>,
}

/// Feeds a job's incumbents from the solver's threads to its writer.
#[derive(Debug)]
struct JobObserver {
    tx: mpsc::UnboundedSender<Event>,
    /// Numbering and clock continue from earlier attempts.
    seq: Mutex<u64>,
    offset_ms: u64,
    /// When the last solution was copied from the solver, and what the copy cost.
    last_snapshot: Mutex<Option<(Instant, Duration)>>,
}

impl Observer for JobObserver {
    fn improved(&self, ev: &Improvement<'_>) {
        self.improved_with(ev, &|| None);
    }

    fn improved_with(&self, ev: &Improvement<'_>, solution: SolutionFn<'_>) {
        // Copy the solution (for the live picture and a resume) unless the copies would take
        // more than 1/SNAPSHOT_SHARE of the solver's time.
        let solution = {
            let mut last = lock(&self.last_snapshot);
            if last.is_none_or(|(t, cost)| t.elapsed() >= cost * SNAPSHOT_SHARE) {
                let t = Instant::now();
                let copy = solution()
                    .and_then(|b| b.downcast::<AnySolution>().ok())
                    .map(|b| *b);
                *last = Some((t, t.elapsed()));
                copy
            } else {
                None
            }
        };
        let elapsed_ms = u64::try_from(ev.elapsed.as_millis()).unwrap_or(u64::MAX);
        // Numbered and sent under one lock: the writer receives them in order.
        let mut seq = lock(&self.seq);
        *seq += 1;
        let _ = self.tx.send(Event {
            incumbent: Incumbent {
                seq: *seq,
                objective: ev.objective,
                bound: ev.bound,
                elapsed_ms: self.offset_ms.saturating_add(elapsed_ms),
                source: ev.source.to_string(),
            },
            solution,
        });
    }
}

/// Retry a store call with backoff until it answers or `give_up` passes.
async fn retry<T, F, Fut>(what: &str, give_up: Duration, mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::store::StoreError>>,
{
    let deadline = Instant::now() + give_up;
    let mut wait = Duration::from_millis(50);
    loop {
        match f().await {
            Ok(v) => return Some(v),
            Err(e) if Instant::now() < deadline => {
                tracing::warn!("{what} failed (retrying in {wait:?}): {e}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(2));
            }
            Err(e) => {
                tracing::error!("{what} failed, giving up: {e}");
                return None;
            }
        }
    }
}

/// Check a solution and make it a warm start (infeasible ones are not kept).
fn warm_start(inst: &AnyInstance, sol: &AnySolution) -> Option<WarmStart> {
    let rep = any::check(inst, sol);
    rep.feasible.then(|| WarmStart {
        objective: rep.objective,
        solution: any::solution_to_json(inst, sol),
    })
}

/// Write a job's incumbents as they come, batched, with the best solution at most every
/// [`WARM_EVERY`] (and the last one in any case). Stops the solve when the claim is lost.
async fn write_incumbents(
    store: Arc<dyn JobStore>,
    claim: (String, String),
    mut rx: mpsc::UnboundedReceiver<Event>,
    inst: Arc<AnyInstance>,
    cancel: CancelToken,
) {
    let (id, token) = claim;
    let mut lost = false;
    // The newest solution not yet written, and when one was last written.
    let mut pending: Option<AnySolution> = None;
    let mut written: Option<tokio::time::Instant> = None;
    let mut open = true;
    while open || pending.is_some() {
        let warm_due = written.map_or_else(tokio::time::Instant::now, |t| t + WARM_EVERY);
        let mut batch = Vec::new();
        tokio::select! {
            ev = rx.recv(), if open => match ev {
                Some(ev) => batch.push(ev),
                None => open = false,
            },
            () = tokio::time::sleep_until(warm_due), if pending.is_some() => {}
        }
        // Gather what arrives in the next moment into one write.
        if !batch.is_empty() {
            let until = tokio::time::Instant::now() + FLUSH_EVERY;
            loop {
                tokio::select! {
                    ev = rx.recv() => match ev {
                        Some(ev) => batch.push(ev),
                        None => { open = false; break }
                    },
                    () = tokio::time::sleep_until(until) => break,
                }
            }
        }
        if lost {
            pending = None;
            continue;
        }
        if let Some(sol) = batch.iter_mut().rev().find_map(|e| e.solution.take()) {
            pending = Some(sol);
        }
        if !open {
            // The solve has ended: its outcome carries the final solution.
            pending = None;
        }
        let due = written.is_none_or(|t| t.elapsed() >= WARM_EVERY);
        let warm = match pending.take_if(|_| due) {
            Some(sol) => {
                written = Some(tokio::time::Instant::now());
                let inst = inst.clone();
                tokio::task::spawn_blocking(move || warm_start(&inst, &sol))
                    .await
                    .ok()
                    .flatten()
            }
            None => None,
        };
        if batch.is_empty() && warm.is_none() {
            continue;
        }
        let incs: Vec<Incumbent> = batch.into_iter().map(|e| e.incumbent).collect();
        let held = retry("recording incumbents", Duration::from_secs(30), || {
            store.record(&id, &token, &incs, warm.as_ref())
        })
        .await;
        if held == Some(false) {
            tracing::warn!(job = %id, "the claim was lost (lease expired): stopping");
            cancel.cancel(CancelReason::Lost);
            lost = true;
        }
    }
}

/// Renew the lease and look for cancels until aborted.
async fn heartbeat(
    store: Arc<dyn JobStore>,
    claim: (String, String),
    cancel: CancelToken,
    started: Instant,
) {
    let (id, token) = claim;
    let lease = store.settings().lease;
    let every = (lease / 3).clamp(Duration::from_millis(50), Duration::from_secs(1));
    loop {
        tokio::time::sleep(every).await;
        let run_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match store.heartbeat(&id, &token, run_ms).await {
            Ok(b) if !b.alive => {
                tracing::warn!(job = %id, "the claim was lost (lease expired): stopping");
                cancel.cancel(CancelReason::Lost);
                return;
            }
            Ok(b) if b.cancel => cancel.cancel(CancelReason::User),
            Ok(_) => {}
            Err(e) => tracing::warn!(job = %id, "heartbeat failed: {e}"),
        }
    }
}

/// Decode a stored request into the instance and the options of this attempt.
fn prepare(
    claim: &Claim,
    cap: Duration,
    job_threads: Option<usize>,
    limits: &quotient_problems::ReadLimits,
) -> Result<(AnyInstance, Options), ServerError> {
    let req = SolveRequest::from_stored(&claim.id, &claim.request)?;
    let inst = req.parse_instance(limits)?;
    let mut options = build_options(&req.options, &inst, cap)?;
    if let Some(t) = job_threads {
        options.cap_threads(t);
    }
    // A resumed job: the rest of its time, from the best stored so far.
    if claim.solved_ms > 0
        && let Some(limit) = options.time_limit
    {
        let left = limit.saturating_sub(Duration::from_millis(claim.solved_ms));
        options.time_limit = Some(left.max(MIN_RESUME.min(limit)));
    }
    if let Some(w) = &claim.warm {
        match parse_solution(w, &inst) {
            Ok(sol) => options.initial = Some(sol),
            Err(e) => tracing::warn!(job = %claim.id, "stored warm start unusable: {e}"),
        }
    }
    Ok((inst, options))
}

/// Solve one claimed job to its end (or until the claim is lost / the node stops).
async fn run_claim(state: AppState, claim: Claim, permit: OwnedSemaphorePermit) {
    let store = state.store().clone();
    let id = claim.id.clone();
    let token = claim.token.clone();
    let cancel = CancelToken::new();
    let _live = state.register_live(&cancel);
    lock(&state.inner.jobs_running).insert(id.clone(), cancel.clone());
    if claim.cancel_requested {
        cancel.cancel(CancelReason::User);
    }
    let started = Instant::now();
    let cap = state.config().max_job_time;
    let threads = state.config().job_threads;
    let limits = state.config().read_limits;
    let prepared = tokio::task::spawn_blocking({
        let claim = claim.clone();
        move || prepare(&claim, cap, threads, &limits)
    })
    .await
    .unwrap_or_else(|e| Err(ServerError::Internal(format!("parse thread failed: {e}"))));
    let give_up = store.settings().lease.max(Duration::from_secs(30));
    let run_ms = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (inst, mut options) = match prepared {
        Ok(p) => p,
        Err(e) => {
            drop(permit);
            let err = e.body();
            retry("ending a job", give_up, || {
                store.finish(&id, &token, run_ms(), Ending::Failed(err.clone()))
            })
            .await;
            state.metrics().solve("job", "failed");
            lock(&state.inner.jobs_running).remove(&id);
            return;
        }
    };
    // On a durable store, a divide-and-conquer solve may hand sub-problems to other workers.
    if store.durable() && state.config().farm {
        options.farm = Some(Arc::new(StoreFarm::new(
            store.clone(),
            tokio::runtime::Handle::current(),
            id.clone(),
        )));
    }
    let inst = Arc::new(inst);
    let (tx, rx) = mpsc::unbounded_channel();
    let observer = Arc::new(JobObserver {
        tx,
        seq: Mutex::new(claim.improvements),
        offset_ms: claim.solved_ms,
        last_snapshot: Mutex::new(None),
    });
    let ids = (id.clone(), token.clone());
    let writer = tokio::spawn(write_incumbents(
        store.clone(),
        ids.clone(),
        rx,
        inst.clone(),
        cancel.clone(),
    ));
    let beat = tokio::spawn(heartbeat(store.clone(), ids, cancel.clone(), started));
    let end = state
        .run_on_pool(permit, &cancel, inst.clone(), options, observer)
        .await;
    // The pool thread dropped the observer: the writer drains and stops.
    let _ = writer.await;
    let reason = cancel.reason();
    state.metrics().solve(
        "job",
        end.outcome(reason == Some(CancelReason::User) || reason == Some(CancelReason::Shutdown)),
    );
    let result = |o: &quotient_core::Outcome| o.to_json(&inst);
    match (reason, end) {
        // Another worker owns the job now: write nothing.
        (Some(CancelReason::Lost), _) => {}
        // A durable store: hand the job back with its best; another node resumes it.
        (Some(CancelReason::Shutdown), SolveEnd::Finished(Ok(outcome))) if store.durable() => {
            let warm = outcome.solution.as_ref().and_then(|s| warm_start(&inst, s));
            let handed = retry("handing a job back", give_up, || {
                store.release(&id, &token, run_ms(), warm.as_ref())
            })
            .await;
            tracing::info!(job = %id, handed_back = ?handed, "node stopping: job back in the queue");
        }
        (reason, end) => {
            let ending = match end {
                SolveEnd::CancelledInQueue => Ending::Cancelled(None),
                SolveEnd::Finished(Ok(outcome)) if reason.is_some() => {
                    Ending::Cancelled(Some(result(&outcome)))
                }
                SolveEnd::Finished(Ok(outcome)) => Ending::Done(result(&outcome)),
                SolveEnd::Finished(Err(e)) => Ending::Failed(ApiError::from_solve(&e)),
                SolveEnd::Lost => Ending::Failed(ApiError::new(
                    "server.internal",
                    "the solve thread ended without an answer",
                )),
            };
            let written = retry("ending a job", give_up, || {
                store.finish(&id, &token, run_ms(), ending.clone())
            })
            .await;
            if written == Some(false) {
                tracing::warn!(job = %id, "the job's claim was lost before its end was written");
            }
        }
    }
    beat.abort();
    lock(&state.inner.jobs_running).remove(&id);
}

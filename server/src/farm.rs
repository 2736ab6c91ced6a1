//! The job store as a [`Farm`]: the sub-problems of a divide-and-conquer job become jobs of
//! their own, which any idle worker of any node claims like every other job.
//!
//! A sub-problem job is an ordinary solve request (the sub-instance in its standard text
//! format, the solver, its parameters, a warm start, one thread, a time limit) without a
//! tenant: no API key sees it, and no tenant quota counts it. Its parent takes it back while it
//! is still queued ([`JobStore::withdraw`]), or reads its result when it ends and then deletes
//! it; one that does not end in time is deleted too (its worker stops at its next heartbeat).
//! Only a durable store gets a farm: in one process the solver's own threads already do all
//! there is to do.

use crate::api::parse_solution;
use crate::api::{JobStatus, SolveOptions};
use crate::store::{JobStore, NewJob};
use quotient_problems::any::{self, AnyInstance, AnySolution};
use quotient_solvers::farm::{Farm, Offered, Piece};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// How often a waiting parent reads a sub-problem job's state when no change is announced.
const POLL: Duration = Duration::from_millis(200);

/// Sub-problems of the job `parent` as jobs of `store`.
#[derive(Debug)]
pub(crate) struct StoreFarm {
    store: Arc<dyn JobStore>,
    rt: Handle,
    parent: String,
}

impl StoreFarm {
    /// The farm of the job `parent`, whose solve thread calls it through `rt`.
    pub(crate) fn new(store: Arc<dyn JobStore>, rt: Handle, parent: String) -> StoreFarm {
        StoreFarm { store, rt, parent }
    }
}

/// The request body of a sub-problem job (as `POST /v1/jobs` takes it).
pub(crate) fn piece_request(piece: &Piece) -> Value {
    let params: Map<String, Value> = piece
        .params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let options = SolveOptions {
        solver: Some(piece.solver.clone()),
        time_limit: Some(piece.time_limit.as_secs_f64()),
        seed: Some(piece.seed),
        threads: Some(piece.threads.max(1)),
        initial: piece
            .initial
            .as_ref()
            .map(|s| any::solution_to_json(&piece.instance, s)),
        params: Some(params),
        ..SolveOptions::default()
    };
    json!({
        "family": piece.instance.family(),
        "name": piece.instance.name(),
        "instance": any::write_instance(&piece.instance),
        "options": options,
    })
}

impl Farm for StoreFarm {
    fn offer(&self, piece: &Piece) -> Option<Box<dyn Offered>> {
        let request = serde_json::to_vec(&piece_request(piece)).ok()?;
        let job = NewJob {
            tenant: None,
            family: piece.instance.family().to_string(),
            instance: format!("{} (part of job {})", piece.instance.name(), self.parent),
            solver: piece.solver.clone(),
            request,
            quota: None,
        };
        let store = self.store.clone();
        match self.rt.block_on(async move { store.create(job).await }) {
            Ok(Some(id)) => Some(Box::new(StoreOffer {
                store: self.store.clone(),
                rt: self.rt.clone(),
                id,
                instance: piece.instance.clone(),
            })),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(job = %self.parent, "cannot queue a sub-problem: {e}");
                None
            }
        }
    }
}

/// A sub-problem job.
struct StoreOffer {
    store: Arc<dyn JobStore>,
    rt: Handle,
    id: String,
    instance: AnyInstance,
}

impl StoreOffer {
    /// Forget the job (cancelling it if it still runs).
    fn forget(&self) {
        let (store, id) = (self.store.clone(), self.id.clone());
        if let Err(e) = self
            .rt
            .block_on(async move { store.delete(&id, None).await })
        {
            tracing::warn!(job = %self.id, "cannot delete a sub-problem job: {e}");
        }
    }
}

impl Offered for StoreOffer {
    fn withdraw(&mut self) -> bool {
        let (store, id) = (self.store.clone(), self.id.clone());
        self.rt
            .block_on(async move { store.withdraw(&id).await })
            .unwrap_or(false)
    }

    fn wait(
        self: Box<Self>,
        deadline: Instant,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<AnySolution> {
        let mut changes = self.store.changes();
        let view = loop {
            let (store, id) = (self.store.clone(), self.id.clone());
            match self.rt.block_on(async move { store.get(&id, None).await }) {
                Ok(Some(v)) if v.status.is_final() => break Some(v),
                Ok(Some(_)) => {}
                Ok(None) => break None,
                Err(e) => tracing::warn!(job = %self.id, "cannot read a sub-problem job: {e}"),
            }
            let now = Instant::now();
            if now >= deadline || cancelled() {
                break None;
            }
            // Until a change is announced, the poll interval, the deadline or a cancel
            // (checked at least every poll).
            let wake = POLL.min(deadline - now);
            let id = self.id.as_str();
            self.rt.block_on(async {
                let _ = tokio::time::timeout(wake, async {
                    loop {
                        match changes.recv().await {
                            Ok(changed) if &*changed == id || &*changed == "*" => return,
                            Ok(_) => {}
                            // Missed some: read again.
                            Err(_) => return,
                        }
                    }
                })
                .await;
            });
        };
        let solution = view
            .filter(|v| v.status == JobStatus::Done)
            .and_then(|v| v.result)
            .and_then(|r| match parse_solution(&r, &self.instance) {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::warn!(job = %self.id, "a sub-problem's result does not read: {e}");
                    None
                }
            });
        self.forget();
        solution
    }
}

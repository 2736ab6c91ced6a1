//! One behaviour suite for both job stores: every scenario runs against the in-process store
//! and against PostgreSQL (a fresh schema per test; skipped loudly without a server, except in
//! CI). Scenarios that need a worker to die (lease expiry) run on PostgreSQL only: with the
//! in-process store a worker cannot die without the store.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use quotient_server::api::{Incumbent, JobStatus};
use quotient_server::store::{Ending, NewJob, WarmStart};
use quotient_server::{ApiError, JobStore, MemoryStore, StoreSettings};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn settings() -> StoreSettings {
    StoreSettings {
        job_ttl: Duration::from_secs(60),
        max_jobs: 100,
        lease: Duration::from_secs(10),
        max_attempts: 3,
    }
}

fn job(tenant: Option<&str>) -> NewJob {
    NewJob {
        tenant: tenant.map(str::to_string),
        family: "tsp".into(),
        instance: "square".into(),
        solver: "tsp.nn".into(),
        request: serde_json::to_vec(&solve_body("tsplib", SQUARE, json!({}))).unwrap(),
        quota: None,
    }
}

fn inc(seq: u64, objective: f64) -> Incumbent {
    Incumbent {
        seq,
        objective,
        bound: None,
        elapsed_ms: seq * 10,
        source: "test".into(),
    }
}

/// Run `scenario` on both stores.
macro_rules! both {
    ($name:ident, $settings:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn memory() {
                let s: Arc<dyn JobStore> = Arc::new(MemoryStore::new($settings));
                super::$name(s).await;
            }
            #[tokio::test]
            async fn postgres() {
                let schema = fresh_schema();
                if let Some(s) = pg_store($settings, &schema).await {
                    super::$name(s).await;
                    drop_schema(&schema).await;
                }
            }
        }
    };
}

async fn create(store: &Arc<dyn JobStore>, tenant: Option<&str>) -> String {
    store.create(job(tenant)).await.unwrap().unwrap()
}

both!(lifecycle, settings());
async fn lifecycle(store: Arc<dyn JobStore>) {
    let id = create(&store, None).await;
    let v = store.get(&id, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Queued);
    assert_eq!(v.attempts, 0);
    assert!(v.best.is_none());
    assert_eq!(store.counts().await.unwrap().queued, 1);
    let c = store.claim("w1").await.unwrap().unwrap();
    assert_eq!(c.id, id);
    assert_eq!(c.attempt, 1);
    assert_eq!(c.improvements, 0);
    assert!(c.warm.is_none());
    assert!(!c.cancel_requested);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&c.request).unwrap(),
        solve_body("tsplib", SQUARE, json!({}))
    );
    assert!(store.claim("w2").await.unwrap().is_none(), "claimed twice");
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.queued, counts.running, counts.stored), (0, 1, 1));
    let beat = store.heartbeat(&id, &c.token, 5).await.unwrap();
    assert!(beat.alive && !beat.cancel);
    assert!(
        store
            .record(&id, &c.token, &[inc(1, 50.0), inc(2, 40.0)], None)
            .await
            .unwrap()
    );
    let v = store.get(&id, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Running);
    assert_eq!(v.improvements, 2);
    assert_eq!(v.best.as_ref().unwrap().objective, 40.0);
    let p = store.progress(&id, None, 1).await.unwrap().unwrap();
    assert_eq!(p.incumbents.len(), 1);
    assert_eq!(p.incumbents[0].seq, 2);
    assert!(!p.finished);
    let result = json!({"objective": 40.0, "status": "feasible"});
    assert!(
        store
            .finish(&id, &c.token, 30, Ending::Done(result.clone()))
            .await
            .unwrap()
    );
    let v = store.get(&id, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Done);
    assert_eq!(v.result, Some(result));
    assert!(
        store
            .progress(&id, None, 0)
            .await
            .unwrap()
            .unwrap()
            .finished
    );
    // Completion is idempotent: a second end (a late duplicate) changes nothing.
    assert!(
        !store
            .finish(
                &id,
                &c.token,
                30,
                Ending::Failed(ApiError::new("x", "late"))
            )
            .await
            .unwrap()
    );
    assert_eq!(
        store.get(&id, None).await.unwrap().unwrap().status,
        JobStatus::Done
    );
    assert!(
        !store
            .record(&id, &c.token, &[inc(3, 1.0)], None)
            .await
            .unwrap()
    );
    assert!(!store.heartbeat(&id, &c.token, 5).await.unwrap().alive);
    // Cancelling an ended job changes nothing.
    let (v, ended) = store.cancel(&id, None).await.unwrap().unwrap();
    assert!(ended);
    assert_eq!(v.status, JobStatus::Done);
    assert!(store.get("no-such-job", None).await.unwrap().is_none());
    assert!(store.cancel("no-such-job", None).await.unwrap().is_none());
}

both!(cancel_queued_and_running, settings());
async fn cancel_queued_and_running(store: Arc<dyn JobStore>) {
    let mut cancels = store.cancels();
    let queued = create(&store, None).await;
    let (v, ended) = store.cancel(&queued, None).await.unwrap().unwrap();
    assert!(!ended);
    assert_eq!(v.status, JobStatus::Cancelled);
    assert!(v.result.is_none());
    assert!(
        store.claim("w").await.unwrap().is_none(),
        "a cancelled job was claimed"
    );
    let running = create(&store, None).await;
    let c = store.claim("w").await.unwrap().unwrap();
    let (v, ended) = store.cancel(&running, None).await.unwrap().unwrap();
    assert!(!ended);
    assert_eq!(
        v.status,
        JobStatus::Running,
        "a running job ends when its worker stops"
    );
    let got = tokio::time::timeout(Duration::from_secs(5), cancels.recv())
        .await
        .expect("the cancel did not reach the subscribers")
        .unwrap();
    assert_eq!(&*got, running.as_str());
    assert!(store.heartbeat(&running, &c.token, 1).await.unwrap().cancel);
    let result = json!({"objective": 1.0});
    assert!(
        store
            .finish(
                &running,
                &c.token,
                10,
                Ending::Cancelled(Some(result.clone()))
            )
            .await
            .unwrap()
    );
    let v = store.get(&running, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Cancelled);
    assert_eq!(v.result, Some(result));
    assert!(v.cancel_latency_ms.is_some());
}

both!(tenants_see_only_their_jobs, settings());
async fn tenants_see_only_their_jobs(store: Arc<dyn JobStore>) {
    let a = create(&store, Some("acme")).await;
    assert!(store.get(&a, Some("acme")).await.unwrap().is_some());
    assert!(store.get(&a, Some("globex")).await.unwrap().is_none());
    assert!(store.get(&a, None).await.unwrap().is_none());
    assert!(store.request(&a, Some("globex")).await.unwrap().is_none());
    assert!(
        store
            .progress(&a, Some("globex"), 0)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.cancel(&a, Some("globex")).await.unwrap().is_none());
    assert_eq!(
        store.get(&a, Some("acme")).await.unwrap().unwrap().status,
        JobStatus::Queued,
        "another tenant's cancel reached the job"
    );
    assert_eq!(store.active(Some("acme")).await.unwrap(), 1);
    assert_eq!(store.active(Some("globex")).await.unwrap(), 0);
    // Quota: checked with the insert.
    let mut j = job(Some("acme"));
    j.quota = Some(1);
    assert!(store.create(j.clone()).await.unwrap().is_none());
    j.quota = Some(2);
    assert!(store.create(j.clone()).await.unwrap().is_some());
    j.tenant = Some("globex".into());
    j.quota = Some(1);
    assert!(store.create(j).await.unwrap().is_some());
}

both!(racing_claims_get_one_job_once, settings());
async fn racing_claims_get_one_job_once(store: Arc<dyn JobStore>) {
    for _ in 0..5 {
        let id = create(&store, None).await;
        let claims = futures_util::future::join_all((0..8).map(|w| {
            let store = store.clone();
            async move { store.claim(&format!("w{w}")).await.unwrap() }
        }))
        .await;
        let got: Vec<_> = claims.into_iter().flatten().collect();
        assert_eq!(got.len(), 1, "one job claimed {} times", got.len());
        assert_eq!(got[0].id, id);
        let done =
            futures_util::future::join_all((0..3).map(|_| {
                store.finish(&id, &got[0].token, 1, Ending::Done(json!({"objective": 1})))
            }))
            .await;
        assert_eq!(done.into_iter().filter(|d| *d.as_ref().unwrap()).count(), 1);
    }
}

both!(release_hands_back_with_the_warm_start, settings());
async fn release_hands_back_with_the_warm_start(store: Arc<dyn JobStore>) {
    let id = create(&store, None).await;
    let c = store.claim("w1").await.unwrap().unwrap();
    let warm = WarmStart {
        objective: 40.0,
        solution: json!({"tour": [0, 1, 2, 3]}),
    };
    assert!(
        store
            .record(&id, &c.token, &[inc(1, 40.0)], Some(&warm))
            .await
            .unwrap()
    );
    assert!(
        store
            .release(&id, &c.token, 700, Some(&warm))
            .await
            .unwrap()
    );
    let v = store.get(&id, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Queued);
    assert_eq!(v.attempts, 0, "a hand-back is not an attempt");
    let c2 = store.claim("w2").await.unwrap().unwrap();
    assert_eq!(c2.attempt, 1);
    assert_eq!(c2.improvements, 1);
    assert!(c2.solved_ms >= 700);
    assert_eq!(c2.warm, Some(json!({"tour": [0, 1, 2, 3]})));
    assert_ne!(c2.token, c.token);
    assert!(
        !store
            .finish(&id, &c.token, 1, Ending::Done(json!({})))
            .await
            .unwrap()
    );
    assert!(
        store
            .finish(&id, &c2.token, 1, Ending::Done(json!({})))
            .await
            .unwrap()
    );
}

both!(a_16_mib_instance_round_trips, settings());
async fn a_16_mib_instance_round_trips(store: Arc<dyn JobStore>) {
    let mut text = String::from(
        "NAME: big\nTYPE: TSP\nDIMENSION: 700000\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n",
    );
    let mut x: u64 = 12345;
    let mut i = 0;
    while text.len() < 16 << 20 {
        i += 1;
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        text.push_str(&format!(
            "{i} {} {}\n",
            (x >> 40) % 100_000,
            (x >> 20) % 100_000
        ));
    }
    text.push_str("EOF\n");
    let body = serde_json::to_vec(&solve_body("tsplib", &text, json!({}))).unwrap();
    assert!(body.len() >= 16 << 20);
    let mut j = job(None);
    j.request = body.clone();
    let id = store.create(j).await.unwrap().unwrap();
    assert_eq!(store.request(&id, None).await.unwrap().unwrap(), body);
    let c = store.claim("w").await.unwrap().unwrap();
    assert_eq!(c.request, body);
}

both!(
    finished_jobs_expire_and_surplus_goes,
    StoreSettings {
        job_ttl: Duration::from_millis(300),
        max_jobs: 2,
        ..settings()
    }
);
async fn finished_jobs_expire_and_surplus_goes(store: Arc<dyn JobStore>) {
    let mut ids = Vec::new();
    for _ in 0..4 {
        let id = create(&store, None).await;
        let c = store.claim("w").await.unwrap().unwrap();
        store
            .finish(&id, &c.token, 1, Ending::Done(json!({})))
            .await
            .unwrap();
        ids.push(id);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    store.sweep().await.unwrap();
    assert!(store.get(&ids[0], None).await.unwrap().is_none());
    assert!(store.get(&ids[1], None).await.unwrap().is_none());
    assert!(store.get(&ids[3], None).await.unwrap().is_some());
    // A queued job never expires.
    let open = create(&store, None).await;
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(
        store.get(&ids[3], None).await.unwrap().is_none(),
        "expired job still readable"
    );
    store.sweep().await.unwrap();
    assert_eq!(store.counts().await.unwrap().stored, 1);
    assert!(store.get(&open, None).await.unwrap().is_some());
}

// ---- PostgreSQL only: a lost worker ----

fn short_lease() -> StoreSettings {
    StoreSettings {
        lease: Duration::from_millis(300),
        max_attempts: 2,
        ..settings()
    }
}

#[tokio::test]
async fn postgres_lost_worker_job_is_resumed_then_failed_after_max_attempts() {
    let schema = fresh_schema();
    let Some(store) = pg_store(short_lease(), &schema).await else {
        return;
    };
    let id = create(&store, None).await;
    let c1 = store.claim("dead-worker").await.unwrap().unwrap();
    let warm = WarmStart {
        objective: 40.0,
        solution: json!({"tour": [3, 2, 1, 0]}),
    };
    assert!(
        store
            .record(&id, &c1.token, &[inc(1, 40.0)], Some(&warm))
            .await
            .unwrap()
    );
    assert!(store.heartbeat(&id, &c1.token, 250).await.unwrap().alive);
    // Within the lease nobody else gets it.
    assert!(store.claim("w2").await.unwrap().is_none());
    tokio::time::sleep(Duration::from_millis(400)).await;
    let c2 = store.claim("w2").await.unwrap().unwrap();
    assert_eq!(c2.id, id);
    assert_eq!(c2.attempt, 2);
    assert_eq!(c2.warm, Some(json!({"tour": [3, 2, 1, 0]})));
    assert_eq!(c2.improvements, 1);
    assert!(c2.solved_ms >= 250);
    // The first worker comes back late: none of its writes land.
    assert!(!store.heartbeat(&id, &c1.token, 500).await.unwrap().alive);
    assert!(
        !store
            .record(&id, &c1.token, &[inc(2, 1.0)], None)
            .await
            .unwrap()
    );
    assert!(
        !store
            .finish(&id, &c1.token, 1, Ending::Done(json!({})))
            .await
            .unwrap()
    );
    // The second is lost too: after max_attempts (2) the job fails with the reason.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(store.claim("w3").await.unwrap().is_none());
    let v = store.get(&id, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Failed);
    let e = v.error.unwrap();
    assert_eq!(e.code, "job.worker_lost");
    assert_eq!(e.detail["attempts"], 2);
    assert_eq!(e.detail["best_objective"], 40.0);
    drop_schema(&schema).await;
}

#[tokio::test]
async fn postgres_changes_reach_another_node() {
    let schema = fresh_schema();
    let Some(a) = pg_store(settings(), &schema).await else {
        return;
    };
    let b = pg_store(settings(), &schema).await.unwrap();
    let mut changes = b.changes();
    let mut cancels = b.cancels();
    let id = create(&a, None).await;
    let c = b.claim("on-b").await.unwrap().unwrap();
    assert_eq!(c.id, id);
    assert!(a.record(&id, &c.token, &[inc(1, 9.0)], None).await.unwrap());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let got = tokio::time::timeout_at(deadline, changes.recv())
            .await
            .unwrap()
            .unwrap();
        if &*got == id.as_str() {
            break;
        }
    }
    a.cancel(&id, None).await.unwrap().unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), cancels.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&*got, id.as_str());
    drop_schema(&schema).await;
}

#[tokio::test]
async fn postgres_bad_urls_and_schemas_are_clear_errors() {
    let settings = settings();
    let bad = quotient_server::PgStoreOptions {
        schema: "Robert'); DROP TABLE".into(),
        max_connections: 2,
    };
    let e = quotient_server::PgStore::connect(&pg_url(), settings.clone(), bad)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("schema"), "{e}");
    let e = quotient_server::PgStore::connect(
        "postgres://nobody:secret@127.0.0.1:1/none",
        settings,
        quotient_server::PgStoreOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(
        !e.to_string().contains("secret"),
        "password in the message: {e}"
    );
    assert_eq!(e.code(), "store.unavailable");
}

both!(delete_forgets_a_job_and_stops_its_worker, settings());
async fn delete_forgets_a_job_and_stops_its_worker(store: Arc<dyn JobStore>) {
    // A queued job: gone at once, never claimed.
    let queued = create(&store, None).await;
    let v = store.delete(&queued, None).await.unwrap().unwrap();
    assert_eq!(v.status, JobStatus::Cancelled);
    assert!(store.get(&queued, None).await.unwrap().is_none());
    assert!(store.request(&queued, None).await.unwrap().is_none());
    assert!(store.delete(&queued, None).await.unwrap().is_none());
    assert!(store.claim("w").await.unwrap().is_none());
    // A running job: its worker's claim is gone, so its writes change nothing.
    let running = create(&store, None).await;
    let c = store.claim("w").await.unwrap().unwrap();
    assert!(
        store
            .record(&running, &c.token, &[inc(1, 5.0)], None)
            .await
            .unwrap()
    );
    // Another tenant cannot delete it.
    assert!(
        store
            .delete(&running, Some("acme"))
            .await
            .unwrap()
            .is_none()
    );
    let v = store.delete(&running, None).await.unwrap().unwrap();
    assert_eq!(v.id, running);
    assert!(store.get(&running, None).await.unwrap().is_none());
    assert!(store.progress(&running, None, 0).await.unwrap().is_none());
    assert!(
        !store
            .record(&running, &c.token, &[inc(2, 4.0)], None)
            .await
            .unwrap()
    );
    let ended = store
        .finish(&running, &c.token, 10, Ending::Cancelled(None))
        .await
        .unwrap();
    assert!(!ended, "a deleted job was finished");
    assert!(store.get(&running, None).await.unwrap().is_none());
    assert_eq!(store.active(None).await.unwrap(), 0);
}

both!(withdraw_takes_back_only_a_queued_job, settings());
async fn withdraw_takes_back_only_a_queued_job(store: Arc<dyn JobStore>) {
    // Queued: gone, never claimed, not counted.
    let queued = create(&store, None).await;
    assert!(store.withdraw(&queued).await.unwrap());
    assert!(store.get(&queued, None).await.unwrap().is_none());
    assert!(store.claim("w").await.unwrap().is_none());
    assert!(!store.withdraw(&queued).await.unwrap(), "withdrawn twice");
    assert_eq!(store.counts().await.unwrap().stored, 0);
    // Claimed (running) or ended: stays as it is.
    let running = create(&store, None).await;
    let c = store.claim("w").await.unwrap().unwrap();
    assert!(!store.withdraw(&running).await.unwrap());
    assert_eq!(
        store.get(&running, None).await.unwrap().unwrap().status,
        JobStatus::Running
    );
    assert!(
        store
            .finish(&running, &c.token, 10, Ending::Cancelled(None))
            .await
            .unwrap()
    );
    assert!(!store.withdraw(&running).await.unwrap());
    assert!(store.get(&running, None).await.unwrap().is_some());
    // Unknown ids: nothing to take back.
    assert!(!store.withdraw("no-such-job").await.unwrap());
}

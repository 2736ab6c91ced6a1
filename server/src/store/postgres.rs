//! The PostgreSQL job store (`--store postgres://...`).
//!
//! - Tables `jobs` and `incumbents` in one schema (`--store-schema`, default `quotient`),
//!   created by embedded, versioned migrations (`server/migrations/`) at start-up.
//! - Claiming: `FOR UPDATE SKIP LOCKED` over queued jobs and running jobs whose lease has
//!   expired (their worker is gone); each claim gets a fresh token that every later write of
//!   the worker must present, so a late duplicate changes nothing.
//! - Changes reach every node through `LISTEN/NOTIFY` (channels `<schema>_job`,
//!   `<schema>_cancel`, `<schema>_work`); readers also poll, so a lost notification (a dropped
//!   connection) only delays them.
//! - Requests and warm-start solutions are stored gzip-compressed.

use super::{
    Beat, Claim, Counts, Ending, JobStore, NewJob, Progress, StoreError, StoreSettings, WarmStart,
    new_id, redact,
};
use crate::api::{Incumbent, JobStatus, JobView};
use crate::error::ApiError;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Connection, Row};
use std::io::{Read, Write};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// Connection settings of the PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgStoreOptions {
    /// The schema holding quotient's tables (`--store-schema`); several deployments (or tests)
    /// can share one database.
    pub schema: String,
    /// Connections in this process's pool.
    pub max_connections: u32,
}

impl Default for PgStoreOptions {
    fn default() -> Self {
        PgStoreOptions {
            schema: "quotient".into(),
            max_connections: 8,
        }
    }
}

/// The PostgreSQL store (see the module documentation).
#[derive(Debug)]
pub struct PgStore {
    pool: PgPool,
    settings: StoreSettings,
    schema: String,
    changes: broadcast::Sender<Arc<str>>,
    cancels: broadcast::Sender<Arc<str>>,
    work: Arc<Notify>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn valid_schema(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 48
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(
        Vec::with_capacity(bytes.len() / 4 + 64),
        Compression::fast(),
    );
    // Writing to a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(bytes.len() * 4);
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| StoreError::Corrupt(format!("compressed column: {e}")))?;
    Ok(out)
}

/// CPU work off the async threads.
async fn cpu<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Unavailable(format!("worker thread failed: {e}")))
}

/// A stored warm-start solution, unpacked.
fn unpack_warm(packed: &[u8]) -> Result<Value, StoreError> {
    serde_json::from_slice::<Value>(&gunzip(packed)?)
        .map_err(|e| StoreError::Corrupt(format!("warm solution: {e}")))
}

/// A warm start as stored: its objective and its solution, gzip'd JSON.
async fn pack_warm(warm: Option<&WarmStart>) -> Result<Option<(f64, Vec<u8>)>, StoreError> {
    let Some(w) = warm else {
        return Ok(None);
    };
    let text = serde_json::to_vec(&w.solution)
        .map_err(|e| StoreError::Corrupt(format!("warm solution: {e}")))?;
    Ok(Some((w.objective, cpu(move || gzip(&text)).await?)))
}

fn ms_i64(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

fn ms_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn dur_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The columns a [`JobView`] is read from (with the TTL as `$3` in milliseconds).
const VIEW_COLUMNS: &str = "id, status, family, instance, solver, best, improvements, attempts, \
    result, error, \
    (EXTRACT(EPOCH FROM (coalesce(first_started_at, finished_at, clock_timestamp()) - created_at)) * 1000)::bigint AS queued_ms, \
    (solved_ms + CASE WHEN started_at IS NULL THEN 0 ELSE \
        (EXTRACT(EPOCH FROM (coalesce(finished_at, clock_timestamp()) - started_at)) * 1000)::bigint END) AS elapsed_ms, \
    CASE WHEN first_started_at IS NOT NULL AND cancel_requested_at IS NOT NULL AND finished_at IS NOT NULL \
        THEN (EXTRACT(EPOCH FROM (finished_at - cancel_requested_at)) * 1000)::bigint END AS cancel_latency_ms";

/// A job visible to a tenant and not expired: `$1` id, `$2` tenant, `$3` TTL in ms.
const VISIBLE: &str = "id = $1 AND tenant IS NOT DISTINCT FROM $2 \
    AND (finished_at IS NULL OR finished_at > clock_timestamp() - $3 * interval '1 millisecond')";

/// Queued + running jobs of the tenant `$1`.
const ACTIVE: &str = "SELECT count(*) FROM jobs WHERE tenant IS NOT DISTINCT FROM $1 \
    AND status IN ('queued', 'running')";

fn status_of(s: &str) -> Result<JobStatus, StoreError> {
    Ok(match s {
        "queued" => JobStatus::Queued,
        "running" => JobStatus::Running,
        "done" => JobStatus::Done,
        "cancelled" => JobStatus::Cancelled,
        "failed" => JobStatus::Failed,
        other => return Err(StoreError::Corrupt(format!("job status `{other}`"))),
    })
}

fn view_of(row: &PgRow) -> Result<JobView, StoreError> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
    let best: Option<Value> = row.try_get("best").map_err(corrupt)?;
    let error: Option<Value> = row.try_get("error").map_err(corrupt)?;
    let attempts: i32 = row.try_get("attempts").map_err(corrupt)?;
    Ok(JobView {
        id: row.try_get("id").map_err(corrupt)?,
        status: status_of(row.try_get::<&str, _>("status").map_err(corrupt)?)?,
        family: row.try_get("family").map_err(corrupt)?,
        instance: row.try_get("instance").map_err(corrupt)?,
        solver: row.try_get("solver").map_err(corrupt)?,
        best: best
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("best: {e}")))?,
        improvements: ms_u64(row.try_get("improvements").map_err(corrupt)?),
        queued_ms: ms_u64(row.try_get("queued_ms").map_err(corrupt)?),
        elapsed_ms: ms_u64(row.try_get("elapsed_ms").map_err(corrupt)?),
        cancel_latency_ms: row
            .try_get::<Option<i64>, _>("cancel_latency_ms")
            .map_err(corrupt)?
            .map(ms_u64),
        attempts: u32::try_from(attempts).unwrap_or(0),
        result: row.try_get("result").map_err(corrupt)?,
        error: error
            .map(serde_json::from_value::<ApiError>)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("error: {e}")))?,
    })
}

impl PgStore {
    /// Connect, create the schema if needed, apply the migrations and start listening.
    pub async fn connect(
        url: &str,
        settings: StoreSettings,
        opts: PgStoreOptions,
    ) -> Result<Self, StoreError> {
        if !valid_schema(&opts.schema) {
            return Err(StoreError::Unavailable(format!(
                "store schema `{}`: expected lowercase letters, digits and _, at most 48",
                opts.schema
            )));
        }
        let base = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("store URL {}: {e}", redact(url))))?;
        // The schema first, on a plain connection (search_path cannot name a missing schema).
        let mut conn = base.connect().await.map_err(|e| {
            StoreError::Unavailable(format!("cannot connect to {}: {e}", redact(url)))
        })?;
        let created = sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {}", opts.schema))
            .execute(&mut conn)
            .await;
        if let Err(e) = created {
            // Two nodes starting at once may race on the catalogue; fine if it now exists.
            let exists: Option<i32> =
                sqlx::query_scalar("SELECT 1 FROM pg_namespace WHERE nspname = $1")
                    .bind(&opts.schema)
                    .fetch_optional(&mut conn)
                    .await
                    .map_err(db)?;
            if exists.is_none() {
                return Err(db(e));
            }
        }
        let _ = conn.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(opts.max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(
                base.options([("search_path", opts.schema.as_str())])
                    // Operators (and tests) can find this deployment's connections.
                    .application_name(&format!("quotient:{}", opts.schema)),
            )
            .await
            .map_err(|e| {
                StoreError::Unavailable(format!("cannot connect to {}: {e}", redact(url)))
            })?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations failed: {e}")))?;
        let changes = broadcast::channel(4096).0;
        let cancels = broadcast::channel(1024).0;
        let work = Arc::new(Notify::new());
        let listener = tokio::spawn(listen(
            pool.clone(),
            opts.schema.clone(),
            changes.clone(),
            cancels.clone(),
            work.clone(),
        ));
        Ok(PgStore {
            pool,
            settings,
            schema: opts.schema,
            changes,
            cancels,
            work,
            listener,
        })
    }

    /// The connection pool (tests use it to look inside and to break connections).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn channel(&self, what: &str) -> String {
        format!("{}_{what}", self.schema)
    }

    fn ttl_ms(&self) -> i64 {
        dur_ms(self.settings.job_ttl)
    }

    async fn notify(&self, what: &str, id: &str) {
        let r = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(self.channel(what))
            .bind(id)
            .execute(&self.pool)
            .await;
        if let Err(e) = r {
            tracing::warn!("pg_notify failed (readers will poll): {e}");
        }
    }

    /// One column of a job visible to `tenant` (see [`VISIBLE`]).
    async fn visible_column<T>(
        &self,
        column: &str,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<T>, StoreError>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        sqlx::query_scalar(&format!("SELECT {column} FROM jobs WHERE {VISIBLE}"))
            .bind(id)
            .bind(tenant)
            .bind(self.ttl_ms())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)
    }

    /// NOTIFY within a transaction (delivered when it commits).
    async fn notify_in(
        &self,
        tx: &mut sqlx::PgConnection,
        what: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(self.channel(what))
            .bind(id)
            .execute(tx)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Delete finished jobs beyond the newest `max_jobs`.
    async fn drop_surplus(&self) -> Result<u64, StoreError> {
        let r = sqlx::query(
            "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at IS NOT NULL \
             ORDER BY finished_at DESC, id OFFSET $1)",
        )
        .bind(i64::try_from(self.settings.max_jobs).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(r.rows_affected())
    }

    /// Fail the running jobs whose lease expired after their last allowed attempt.
    async fn fail_exhausted(&self) -> Result<(), StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "UPDATE jobs SET status = 'failed', finished_at = clock_timestamp(), \
               solved_ms = solved_ms + run_ms, run_ms = 0, started_at = NULL, \
               claim_token = NULL, lease_until = NULL, \
               error = jsonb_build_object('code', 'job.worker_lost', \
                 'message', format('the job was started %s times and its worker was lost each \
                   time (lease expired without a heartbeat); giving up', attempts), \
                 'detail', jsonb_build_object('attempts', attempts, 'worker', worker, \
                   'best_objective', warm_objective)) \
             WHERE status = 'running' AND lease_until < clock_timestamp() AND attempts >= $1 \
             RETURNING id",
        )
        .bind(i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        for id in ids {
            tracing::warn!(job = %id, "job failed: its worker was lost too often");
            self.notify("job", &id).await;
        }
        Ok(())
    }
}

/// Forward notifications to the node's subscribers; after a lost connection, tell them to
/// re-read (`*`) and wake the workers.
async fn listen(
    pool: PgPool,
    schema: String,
    changes: broadcast::Sender<Arc<str>>,
    cancels: broadcast::Sender<Arc<str>>,
    work: Arc<Notify>,
) {
    let job_ch = format!("{schema}_job");
    let cancel_ch = format!("{schema}_cancel");
    let work_ch = format!("{schema}_work");
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("store listener cannot connect (retrying): {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        if let Err(e) = listener
            .listen_all([job_ch.as_str(), cancel_ch.as_str(), work_ch.as_str()])
            .await
        {
            tracing::warn!("store listener cannot LISTEN (retrying): {e}");
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    let id: Arc<str> = Arc::from(n.payload());
                    if n.channel() == job_ch {
                        let _ = changes.send(id);
                    } else if n.channel() == cancel_ch {
                        let _ = cancels.send(id);
                    } else {
                        work.notify_one();
                    }
                }
                Ok(None) => {
                    // The connection was lost; the next try_recv reconnects and re-listens.
                    tracing::warn!("store listener lost its connection; reconnecting");
                    let _ = changes.send(Arc::from("*"));
                    work.notify_one();
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    tracing::warn!("store listener failed (reconnecting): {e}");
                    let _ = changes.send(Arc::from("*"));
                    work.notify_one();
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    break;
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl JobStore for PgStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn durable(&self) -> bool {
        true
    }

    fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    async fn create(&self, job: NewJob) -> Result<Option<String>, StoreError> {
        let id = new_id();
        let raw_len = i64::try_from(job.request.len()).unwrap_or(i64::MAX);
        let request = job.request;
        let packed = cpu(move || gzip(&request)).await?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        if let Some(q) = job.quota {
            // One creator per tenant at a time, so the count and the insert agree.
            sqlx::query(
                "SELECT pg_advisory_xact_lock(hashtext('quotient.tenant.' || coalesce($1, '')))",
            )
            .bind(&job.tenant)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            let active: i64 = sqlx::query_scalar(ACTIVE)
                .bind(&job.tenant)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            if ms_u64(active) >= q {
                return Ok(None);
            }
        }
        sqlx::query(
            "INSERT INTO jobs (id, tenant, family, instance, solver, request, request_bytes, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued')",
        )
        .bind(&id)
        .bind(&job.tenant)
        .bind(&job.family)
        .bind(&job.instance)
        .bind(&job.solver)
        .bind(packed)
        .bind(raw_len)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        self.notify_in(&mut tx, "work", &id).await?;
        tx.commit().await.map_err(db)?;
        Ok(Some(id))
    }

    async fn get(&self, id: &str, tenant: Option<&str>) -> Result<Option<JobView>, StoreError> {
        let row = sqlx::query(&format!("SELECT {VIEW_COLUMNS} FROM jobs WHERE {VISIBLE}"))
            .bind(id)
            .bind(tenant)
            .bind(self.ttl_ms())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(view_of).transpose()
    }

    async fn request(&self, id: &str, tenant: Option<&str>) -> Result<Option<Vec<u8>>, StoreError> {
        match self
            .visible_column::<Vec<u8>>("request", id, tenant)
            .await?
        {
            Some(p) => Ok(Some(cpu(move || gunzip(&p)).await??)),
            None => Ok(None),
        }
    }

    async fn latest_solution(
        &self,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<Option<Value>>, StoreError> {
        match self
            .visible_column::<Option<Vec<u8>>>("warm_solution", id, tenant)
            .await?
        {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(p)) => {
                let v = cpu(move || unpack_warm(&p)).await??;
                Ok(Some(Some(v)))
            }
        }
    }

    async fn cancel(
        &self,
        id: &str,
        tenant: Option<&str>,
    ) -> Result<Option<(JobView, bool)>, StoreError> {
        let new_status: Option<String> = sqlx::query_scalar(&format!(
            "UPDATE jobs SET \
               cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp()), \
               finished_at = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE finished_at END, \
               status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END \
             WHERE {VISIBLE} AND status IN ('queued', 'running') RETURNING status"
        ))
        .bind(id)
        .bind(tenant)
        .bind(self.ttl_ms())
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let ended_before = new_status.is_none();
        if new_status.as_deref() == Some("running") {
            self.notify("cancel", id).await;
        }
        if !ended_before {
            self.notify("job", id).await;
        }
        Ok(self.get(id, tenant).await?.map(|v| (v, ended_before)))
    }

    async fn delete(&self, id: &str, tenant: Option<&str>) -> Result<Option<JobView>, StoreError> {
        let Some((view, _)) = self.cancel(id, tenant).await? else {
            return Ok(None);
        };
        // Incumbents go with the job (ON DELETE CASCADE); the worker's heartbeat then finds no
        // claim and stops, and its writes match no row.
        sqlx::query("DELETE FROM jobs WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        self.notify("job", id).await;
        Ok(Some(view))
    }

    async fn withdraw(&self, id: &str) -> Result<bool, StoreError> {
        let gone = sqlx::query("DELETE FROM jobs WHERE id = $1 AND status = 'queued'")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db)?
            .rows_affected()
            == 1;
        if gone {
            self.notify("job", id).await;
        }
        Ok(gone)
    }

    async fn progress(
        &self,
        id: &str,
        tenant: Option<&str>,
        after: u64,
    ) -> Result<Option<Progress>, StoreError> {
        let Some(status) = self.visible_column::<String>("status", id, tenant).await? else {
            return Ok(None);
        };
        // Read after the status: a job that ended has all its incumbents written already.
        let rows = sqlx::query(
            "SELECT seq, objective, bound, elapsed_ms, source FROM incumbents \
             WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT 10000",
        )
        .bind(id)
        .bind(ms_i64(after))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
        let incumbents = rows
            .iter()
            .map(|r| {
                Ok(Incumbent {
                    seq: ms_u64(r.try_get("seq").map_err(corrupt)?),
                    objective: r.try_get("objective").map_err(corrupt)?,
                    bound: r.try_get("bound").map_err(corrupt)?,
                    elapsed_ms: ms_u64(r.try_get("elapsed_ms").map_err(corrupt)?),
                    source: r.try_get("source").map_err(corrupt)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(Progress {
            incumbents,
            finished: status_of(&status)?.is_final(),
        }))
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        let row = sqlx::query(
            "SELECT count(*) FILTER (WHERE status = 'queued') AS queued, \
                    count(*) FILTER (WHERE status = 'running') AS running, \
                    count(*) AS stored FROM jobs",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        let get = |c: &str| row.try_get::<i64, _>(c).map(ms_u64).map_err(db);
        Ok(Counts {
            queued: get("queued")?,
            running: get("running")?,
            stored: get("stored")?,
        })
    }

    async fn active(&self, tenant: Option<&str>) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(ACTIVE)
            .bind(tenant)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        Ok(ms_u64(n))
    }

    async fn claim(&self, worker: &str) -> Result<Option<Claim>, StoreError> {
        self.fail_exhausted().await?;
        let token = new_id();
        let row = sqlx::query(
            "WITH c AS ( \
               SELECT id FROM jobs \
               WHERE status = 'queued' \
                  OR (status = 'running' AND lease_until < clock_timestamp() AND attempts < $3) \
               ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
             UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, \
               claim_token = $1, worker = $2, \
               lease_until = clock_timestamp() + $4 * interval '1 millisecond', \
               solved_ms = j.solved_ms + j.run_ms, run_ms = 0, \
               started_at = clock_timestamp(), \
               first_started_at = coalesce(j.first_started_at, clock_timestamp()) \
             FROM c WHERE j.id = c.id \
             RETURNING j.id, j.attempts, j.request, j.improvements, j.solved_ms, \
               j.warm_solution, (j.cancel_requested_at IS NOT NULL) AS cancel_requested",
        )
        .bind(&token)
        .bind(worker)
        .bind(i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX))
        .bind(dur_ms(self.settings.lease))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
        let id: String = row.try_get("id").map_err(corrupt)?;
        let packed: Vec<u8> = row.try_get("request").map_err(corrupt)?;
        let warm_packed: Option<Vec<u8>> = row.try_get("warm_solution").map_err(corrupt)?;
        let (request, warm) = cpu(move || {
            let request = gunzip(&packed)?;
            let warm = match warm_packed {
                Some(w) => Some(unpack_warm(&w)?),
                None => None,
            };
            Ok::<_, StoreError>((request, warm))
        })
        .await??;
        let attempts: i32 = row.try_get("attempts").map_err(corrupt)?;
        let claim = Claim {
            id,
            token,
            attempt: u32::try_from(attempts).unwrap_or(0),
            request,
            improvements: ms_u64(row.try_get("improvements").map_err(corrupt)?),
            solved_ms: ms_u64(row.try_get("solved_ms").map_err(corrupt)?),
            warm,
            cancel_requested: row.try_get("cancel_requested").map_err(corrupt)?,
        };
        self.notify("job", &claim.id).await;
        Ok(Some(claim))
    }

    async fn heartbeat(&self, id: &str, token: &str, run_ms: u64) -> Result<Beat, StoreError> {
        let cancel: Option<bool> = sqlx::query_scalar(
            "UPDATE jobs SET lease_until = clock_timestamp() + $3 * interval '1 millisecond', \
               run_ms = $4 \
             WHERE id = $1 AND claim_token = $2 AND status = 'running' \
             RETURNING cancel_requested_at IS NOT NULL",
        )
        .bind(id)
        .bind(token)
        .bind(dur_ms(self.settings.lease))
        .bind(ms_i64(run_ms))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        Ok(Beat {
            alive: cancel.is_some(),
            cancel: cancel.unwrap_or(false),
        })
    }

    async fn record(
        &self,
        id: &str,
        token: &str,
        incumbents: &[Incumbent],
        warm: Option<&WarmStart>,
    ) -> Result<bool, StoreError> {
        let warm = pack_warm(warm).await?;
        let best = incumbents
            .last()
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("incumbent: {e}")))?;
        let last_seq = incumbents.last().map_or(0, |i| ms_i64(i.seq));
        let mut tx = self.pool.begin().await.map_err(db)?;
        let held: Option<i32> = sqlx::query_scalar(
            "UPDATE jobs SET improvements = greatest(improvements, $3), \
               best = coalesce($4, best), \
               warm_objective = CASE WHEN $5::bytea IS NULL THEN warm_objective ELSE $6 END, \
               warm_solution = coalesce($5, warm_solution) \
             WHERE id = $1 AND claim_token = $2 AND status = 'running' RETURNING 1",
        )
        .bind(id)
        .bind(token)
        .bind(last_seq)
        .bind(best)
        .bind(warm.as_ref().map(|w| w.1.as_slice()))
        .bind(warm.as_ref().map(|w| w.0))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if held.is_none() {
            return Ok(false);
        }
        if !incumbents.is_empty() {
            let seqs: Vec<i64> = incumbents.iter().map(|i| ms_i64(i.seq)).collect();
            let objs: Vec<f64> = incumbents.iter().map(|i| i.objective).collect();
            let bounds: Vec<Option<f64>> = incumbents.iter().map(|i| i.bound).collect();
            let els: Vec<i64> = incumbents.iter().map(|i| ms_i64(i.elapsed_ms)).collect();
            let srcs: Vec<String> = incumbents.iter().map(|i| i.source.clone()).collect();
            sqlx::query(
                "INSERT INTO incumbents (job_id, seq, objective, bound, elapsed_ms, source) \
                 SELECT $1, * FROM UNNEST($2::bigint[], $3::float8[], $4::float8[], \
                   $5::bigint[], $6::text[]) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(seqs)
            .bind(objs)
            .bind(bounds)
            .bind(els)
            .bind(srcs)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        self.notify_in(&mut tx, "job", id).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn finish(
        &self,
        id: &str,
        token: &str,
        run_ms: u64,
        ending: Ending,
    ) -> Result<bool, StoreError> {
        let (status, result, error) = match ending {
            Ending::Done(r) => ("done", Some(r), None),
            Ending::Cancelled(r) => ("cancelled", r, None),
            Ending::Failed(e) => (
                "failed",
                None,
                Some(serde_json::to_value(e).unwrap_or(Value::Null)),
            ),
        };
        let done: Option<i32> = sqlx::query_scalar(
            "UPDATE jobs SET status = $3, result = $4, error = $5, run_ms = $6, \
               finished_at = clock_timestamp(), claim_token = NULL, lease_until = NULL \
             WHERE id = $1 AND claim_token = $2 AND status = 'running' RETURNING 1",
        )
        .bind(id)
        .bind(token)
        .bind(status)
        .bind(result)
        .bind(error)
        .bind(ms_i64(run_ms))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        if done.is_none() {
            return Ok(false);
        }
        self.notify("job", id).await;
        if let Err(e) = self.drop_surplus().await {
            tracing::warn!("cannot drop surplus finished jobs: {e}");
        }
        Ok(true)
    }

    async fn release(
        &self,
        id: &str,
        token: &str,
        run_ms: u64,
        warm: Option<&WarmStart>,
    ) -> Result<bool, StoreError> {
        let warm = pack_warm(warm).await?;
        let done: Option<i32> = sqlx::query_scalar(
            "UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), \
               solved_ms = solved_ms + $3, run_ms = 0, started_at = NULL, \
               claim_token = NULL, lease_until = NULL, worker = NULL, \
               warm_objective = CASE WHEN $4::bytea IS NULL THEN warm_objective ELSE $5 END, \
               warm_solution = coalesce($4, warm_solution) \
             WHERE id = $1 AND claim_token = $2 AND status = 'running' RETURNING 1",
        )
        .bind(id)
        .bind(token)
        .bind(ms_i64(run_ms))
        .bind(warm.as_ref().map(|w| w.1.as_slice()))
        .bind(warm.as_ref().map(|w| w.0))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        if done.is_none() {
            return Ok(false);
        }
        self.notify("work", id).await;
        self.notify("job", id).await;
        Ok(true)
    }

    async fn sweep(&self) -> Result<u64, StoreError> {
        self.fail_exhausted().await?;
        let expired = sqlx::query(
            "DELETE FROM jobs WHERE finished_at IS NOT NULL \
             AND finished_at <= clock_timestamp() - $1 * interval '1 millisecond'",
        )
        .bind(self.ttl_ms())
        .execute(&self.pool)
        .await
        .map_err(db)?
        .rows_affected();
        Ok(expired + self.drop_surplus().await?)
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

//! `quotient serve` (the REST service) and `quotient worker` (a node that only solves jobs
//! from a shared PostgreSQL store).

use anyhow::{Context, Result};
use quotient_server::{ApiKeys, AppState, Config, PgStoreOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Where jobs are kept, and how long; shared by `serve` and `worker`.
#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// The job store: `memory` (in this process, the default) or a PostgreSQL URL
    /// (`postgres://user@host:5432/db`), shared by any number of `serve` and `worker` nodes.
    #[arg(
        long,
        env = "QUOTIENT_STORE",
        default_value = "memory",
        hide_env_values = true
    )]
    pub store: String,
    /// PostgreSQL schema holding quotient's tables (created with the migrations at start-up).
    #[arg(long, default_value = "quotient")]
    pub store_schema: String,
    /// Connections this node keeps to PostgreSQL at most.
    #[arg(long, default_value_t = 8)]
    pub store_connections: u32,
    /// Seconds a claimed job is held without a heartbeat; after that, another worker resumes it
    /// from its best stored solution.
    #[arg(long, default_value_t = 10.0)]
    pub lease: f64,
    /// Starts of a job after which a lost worker makes it `failed`.
    #[arg(long, default_value_t = 3)]
    pub max_attempts: u32,
    /// Seconds a finished job is kept.
    #[arg(long, default_value_t = 3600)]
    pub job_ttl: u64,
    /// Finished jobs kept at most (the oldest are dropped first).
    #[arg(long, default_value_t = 1000)]
    pub max_jobs: usize,
    /// Cap in seconds on `time_limit` for jobs.
    #[arg(long, default_value_t = 3600.0)]
    pub max_job_time: f64,
    /// This node's name in claims and logs (default: host name and process id).
    #[arg(long)]
    pub node_name: Option<String>,
    /// Keep the sub-problems of this node's divide-and-conquer jobs (`tsp.dc`) on this node
    /// (by default, on a PostgreSQL store, they are offered to every worker as jobs of their own).
    #[arg(long)]
    pub no_farm: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Solves running at once on this node (default: the number of cores).
    #[arg(long)]
    pub max_concurrent: Option<usize>,
    /// Solves that may wait for a slot; beyond this, requests get 429.
    #[arg(long, default_value_t = 64)]
    pub queue: usize,
    /// Largest request body in bytes (413 above).
    #[arg(long, default_value_t = 16 << 20)]
    pub max_body: usize,
    /// Request body bytes read or decoded at once, all requests together; a request beyond
    /// waits up to --body-timeout, then gets 503 (at least --max-body).
    #[arg(long, default_value_t = 64 << 20)]
    pub max_inflight_body: usize,
    /// Cap in seconds on `time_limit` for POST /v1/solve.
    #[arg(long, default_value_t = 60.0)]
    pub max_solve_time: f64,
    /// Seconds a client may take to send a request body (408 after).
    #[arg(long, default_value_t = 60.0)]
    pub body_timeout: f64,
    /// Seconds a client may take to send a request's headers, or stay idle between requests
    /// (the connection is closed after).
    #[arg(long, default_value_t = 10.0)]
    pub header_timeout: f64,
    /// Open connections at most; further clients wait until one closes.
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Only answer HTTP: run synchronous solves, but leave jobs to `quotient worker` nodes.
    #[arg(long)]
    pub api_only: bool,
    /// API keys, one `tenant key` per line: every /v1 route then needs
    /// `Authorization: Bearer KEY`, and each tenant sees only its own jobs.
    #[arg(long)]
    pub api_keys: Option<PathBuf>,
    /// With --api-keys: /metrics needs a key too.
    #[arg(long, requires = "api_keys")]
    pub metrics_need_key: bool,
    /// Queued + running jobs a tenant may have at once (429 beyond).
    #[arg(long)]
    pub tenant_max_jobs: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    /// Jobs solved at once (default: the number of cores).
    #[arg(long)]
    pub max_concurrent: Option<usize>,
    /// Solver threads per job at most (default: as the job asks, up to the cores).
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub store: StoreArgs,
}

fn secs(name: &str, s: f64) -> Result<Duration> {
    if s.is_finite() && s > 0.0 && s <= quotient::MAX_TIME_LIMIT_SECS {
        Ok(Duration::from_secs_f64(s))
    } else {
        anyhow::bail!(
            "--{name} {s}: expected seconds in (0, {}]",
            quotient::MAX_TIME_LIMIT_SECS
        )
    }
}

fn base_config(store: &StoreArgs, max_concurrent: Option<usize>) -> Result<Config> {
    let defaults = Config::default();
    if store.max_attempts == 0 {
        anyhow::bail!("--max-attempts 0: a job must be allowed at least one start");
    }
    Ok(Config {
        read_limits: super::common::read_limits(),
        max_concurrent: max_concurrent.unwrap_or(defaults.max_concurrent).max(1),
        job_ttl: Duration::from_secs(store.job_ttl),
        max_jobs: store.max_jobs,
        max_job_time: secs("max-job-time", store.max_job_time)?,
        lease: secs("lease", store.lease)?,
        max_attempts: store.max_attempts,
        node_name: store
            .node_name
            .clone()
            .unwrap_or(defaults.node_name.clone()),
        farm: !store.no_farm,
        ..defaults
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn open(store: &StoreArgs, config: &Config) -> Result<Arc<dyn quotient_server::JobStore>> {
    let pg = PgStoreOptions {
        schema: store.store_schema.clone(),
        max_connections: store.store_connections,
    };
    quotient_server::open_store(&store.store, config, pg)
        .await
        .context("cannot open the job store")
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let mut config = Config {
        queue: args.queue,
        max_body: args.max_body,
        max_inflight_body: if args.max_inflight_body < args.max_body {
            anyhow::bail!(
                "--max-inflight-body {} is below --max-body {}: a body at the limit could never be read",
                args.max_inflight_body,
                args.max_body
            )
        } else {
            args.max_inflight_body
        },
        max_solve_time: secs("max-solve-time", args.max_solve_time)?,
        body_timeout: secs("body-timeout", args.body_timeout)?,
        header_timeout: secs("header-timeout", args.header_timeout)?,
        max_connections: match args.max_connections {
            0 => anyhow::bail!("--max-connections 0: the service must accept a connection"),
            n => n,
        },
        solve_jobs: !args.api_only,
        tenant_max_jobs: args.tenant_max_jobs,
        ..base_config(&args.store, args.max_concurrent)?
    };
    if let Some(path) = &args.api_keys {
        let mut keys = ApiKeys::load(path)?;
        keys.protect_metrics = args.metrics_need_key;
        config.api_keys = Some(Arc::new(keys));
    }
    runtime()?.block_on(async move {
        let store = open(&args.store, &config).await?;
        let kind = store.kind();
        if kind == "memory" && args.api_only {
            anyhow::bail!("--api-only needs a shared store (--store postgres://...): with the in-process store nothing would solve the jobs");
        }
        let state =
            AppState::with_store(config.clone(), store).context("cannot start the solve threads")?;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        let auth = match &config.api_keys {
            Some(k) => format!(
                "API keys on ({} keys, {} tenants{})",
                k.len(),
                k.tenants(),
                if k.protect_metrics { ", /metrics too" } else { "" }
            ),
            None => "OPEN: no API keys, anyone who reaches the port can read and cancel every job".into(),
        };
        eprintln!(
            "quotient serve: listening on http://{local} ({} concurrent solves{}, queue {}, body limit {} bytes, store {kind}; {auth})",
            config.max_concurrent,
            if config.solve_jobs { "" } else { ", jobs left to workers" },
            config.queue,
            config.max_body
        );
        quotient_server::serve(listener, state, quotient_server::shutdown_signal())
            .await
            .context("server error")?;
        eprintln!("quotient serve: stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_worker(args: WorkerArgs) -> Result<ExitCode> {
    let config = Config {
        job_threads: args.threads.map(|t| t.max(1)),
        ..base_config(&args.store, args.max_concurrent)?
    };
    runtime()?.block_on(async move {
        let store = open(&args.store, &config).await?;
        if !store.durable() {
            anyhow::bail!(
                "quotient worker needs a shared store: --store postgres://... (or QUOTIENT_STORE)"
            );
        }
        let state =
            AppState::with_store(config.clone(), store).context("cannot start the solve threads")?;
        eprintln!(
            "quotient worker {}: solving up to {} jobs at once from the postgres store (lease {:?})",
            config.node_name, config.max_concurrent, config.lease
        );
        quotient_server::work(state, quotient_server::shutdown_signal()).await;
        eprintln!("quotient worker: stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

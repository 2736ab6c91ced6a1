//! `quotient serve`: the REST service.

use anyhow::{Context, Result};
use quotient_server::{AppState, Config};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Solves running at once (default: the number of cores).
    #[arg(long)]
    pub max_concurrent: Option<usize>,
    /// Solves that may wait for a slot; beyond this, requests get 429.
    #[arg(long, default_value_t = 64)]
    pub queue: usize,
    /// Largest request body in bytes (413 above).
    #[arg(long, default_value_t = 16 << 20)]
    pub max_body: usize,
    /// Seconds a finished job is kept.
    #[arg(long, default_value_t = 3600)]
    pub job_ttl: u64,
    /// Finished jobs kept at most (the oldest are dropped first).
    #[arg(long, default_value_t = 1000)]
    pub max_jobs: usize,
    /// Cap in seconds on `time_limit` for POST /v1/solve.
    #[arg(long, default_value_t = 60.0)]
    pub max_solve_time: f64,
    /// Cap in seconds on `time_limit` for jobs.
    #[arg(long, default_value_t = 3600.0)]
    pub max_job_time: f64,
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

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let defaults = Config::default();
    let config = Config {
        max_concurrent: args
            .max_concurrent
            .unwrap_or(defaults.max_concurrent)
            .max(1),
        queue: args.queue,
        max_body: args.max_body,
        job_ttl: Duration::from_secs(args.job_ttl),
        max_jobs: args.max_jobs,
        max_solve_time: secs("max-solve-time", args.max_solve_time)?,
        max_job_time: secs("max-job-time", args.max_job_time)?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let state = AppState::new(config.clone()).context("cannot start the solve threads")?;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        eprintln!(
            "quotient serve: listening on http://{local} ({} concurrent solves, queue {}, body limit {} bytes)",
            config.max_concurrent, config.queue, config.max_body
        );
        quotient_server::serve(listener, state, quotient_server::shutdown_signal())
            .await
            .context("server error")?;
        eprintln!("quotient serve: stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

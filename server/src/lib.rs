//! quotient-server: the REST service behind `quotient serve`.
//!
//! [`app`] builds the axum router over an [`AppState`] (limits, job store, solve pool,
//! metrics); [`serve`] runs it on a listener with graceful shutdown. Handlers only translate
//! between HTTP and the library facade (`quotient_core::solve_observed`); every error is the one
//! [`ApiError`] shape `{"code", "message", "detail"}`.
//!
//! Jobs live in a [`JobStore`]: in process by default, or in PostgreSQL, where any number of
//! API nodes and workers (`quotient worker`, [`work`]) share one queue.
//!
//! Routes: `POST /v1/solve`, `POST /v1/jobs`, `GET|DELETE /v1/jobs/{id}`,
//! `GET /v1/jobs/{id}/request`, `GET /v1/jobs/{id}/events` (SSE), `POST /v1/validate`, `GET /v1/solvers`, `GET /healthz`,
//! `GET /metrics`, `GET /openapi.json`; for the web page at `/`: `GET /v1/jobs/{id}/plot.svg`,
//! `GET /v1/jobs/{id}/solution`, `GET /v1/examples[/{name}]` (see `page.rs`).

pub mod api;
pub mod auth;
mod error;
mod metrics;
mod page;
mod routes;
mod state;
pub mod store;
mod worker;

pub use auth::{ApiKeys, KeyFileError};
pub use error::{ApiError, ServerError};
pub use routes::{ApiDoc, app};
pub use state::{AppState, Config, open_store};
pub use store::{JobStore, MemoryStore, PgStore, PgStoreOptions, StoreError, StoreSettings};

use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;

/// Serve `state` on `listener` until `shutdown` resolves; then stop accepting, cancel every
/// queued and running solve (running ones answer their clients with their best solution),
/// and return once open connections have finished.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state.clone());
    let stopping = state.clone();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: stopping running solves");
            stopping.begin_shutdown();
        })
        .await?;
    // Jobs this node ran write their ends (or go back to the queue) before the process exits.
    state.drain(Duration::from_secs(30)).await;
    Ok(())
}

/// Run a worker-only node (`quotient worker`) until `shutdown` resolves; then stop claiming,
/// hand running jobs back to the queue (a durable store) and return once they are written.
pub async fn work(state: AppState, shutdown: impl Future<Output = ()>) {
    shutdown.await;
    tracing::info!("worker stopping: handing running jobs back");
    state.begin_shutdown();
    state.drain(Duration::from_secs(30)).await;
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

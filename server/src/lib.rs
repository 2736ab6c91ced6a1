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
mod contract;
mod error;
mod farm;
#[doc(hidden)]
pub mod fuzzing;
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
///
/// Each connection is served by hyper with the node's limits: at most
/// [`Config::max_connections`] at once (further ones wait in the listen backlog), headers
/// within [`Config::header_timeout`] (a client that trickles them, or idles between requests,
/// is disconnected), bodies within [`Config::body_timeout`] (408, enforced by the body
/// extractor).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let config = state.config().clone();
    let router = app(state.clone());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A free connection slot first: at the limit, new clients wait in the backlog.
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait, then try again.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone().map_request(
            |req: axum::http::Request<hyper::body::Incoming>| req.map(axum::body::Body::new),
        ));
        // HTTP/1.1 only: its header deadline runs from the connection's first moment (the
        // version-sniffing auto builder would wait for a first byte without one).
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(config.header_timeout);
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection ended: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("shutting down: stopping running solves");
    state.begin_shutdown();
    graceful.shutdown().await;
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

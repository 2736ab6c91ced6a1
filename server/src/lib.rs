//! quotient-server: the REST service behind `quotient serve`.
//!
//! [`app`] builds the axum router over an [`AppState`] (limits, job store, solve pool,
//! metrics); [`serve`] runs it on a listener with graceful shutdown. Handlers only translate
//! between HTTP and the library facade (`quotient_core::solve_observed`); every error is the one
//! [`ApiError`] shape `{"code", "message", "detail"}`.
//!
//! Routes: `POST /v1/solve`, `POST /v1/jobs`, `GET|DELETE /v1/jobs/{id}`,
//! `GET /v1/jobs/{id}/events` (SSE), `POST /v1/validate`, `GET /v1/solvers`, `GET /healthz`,
//! `GET /metrics`, `GET /openapi.json`.

pub mod api;
mod error;
mod metrics;
mod routes;
mod state;

pub use error::{ApiError, ServerError};
pub use routes::{ApiDoc, app};
pub use state::{AppState, Config};

use std::future::Future;
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
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: cancelling running solves");
            state.begin_shutdown();
        })
        .await
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

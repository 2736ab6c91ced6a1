//! Every route, its handler and the middleware, in one file. Handlers only translate between
//! HTTP and the library (`quotient_core::solve_observed`); parsing runs on tokio's blocking
//! threads and solving on the server's rayon pool (see `state.rs`).

use crate::api::{
    CheckResult, Health, JobCreated, JobStatus, JobView, JsonBody, ModelEntry, SolveRequest,
    SolveResponse, SolverEntry, SolversResponse, ValidateRequest, ValidateResponse, build_options,
    parse_instance, parse_solution,
};
use crate::error::{ApiError, ServerError};
use crate::metrics::Gauges;
use crate::state::{AppState, CancelOnDrop, JobObserver, SolveEnd, Ticket};
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use futures_util::Stream;
use quotient_core::Options;
use quotient_problems::any;
use quotient_problems::any::AnyInstance;
use quotient_solvers::engine::NoObserver;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

/// The service: every route with its middleware, over `state`.
pub fn app(state: AppState) -> Router {
    let limit = state.config().max_body;
    Router::new()
        .route("/v1/solve", post(solve))
        .route("/v1/jobs", post(create_job))
        .route("/v1/jobs/{id}", get(get_job).delete(cancel_job))
        .route("/v1/jobs/{id}/events", get(job_events))
        .route("/v1/validate", post(validate))
        .route("/v1/solvers", get(solvers))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(limit))
        .layer(Extension(crate::api::BodyLimit(limit)))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(|_| {
            ServerError::Internal("a handler panicked".into()).into_response()
        }))
        .with_state(state)
}

/// Counts every answered request by method, route template and status.
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = match *req.method() {
        Method::GET
        | Method::POST
        | Method::DELETE
        | Method::PUT
        | Method::PATCH
        | Method::HEAD => req.method().as_str().to_string(),
        _ => "other".into(),
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let resp = next.run(req).await;
    state
        .metrics()
        .request(&method, &route, resp.status().as_u16());
    resp
}

async fn not_found(method: Method, uri: axum::http::Uri) -> ServerError {
    ServerError::RouteNotFound {
        method: method.to_string(),
        path: uri.path().chars().take(200).collect(),
    }
}

async fn method_not_allowed() -> ServerError {
    ServerError::MethodNotAllowed
}

/// Run CPU work (parsing, checking) on tokio's blocking threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, ServerError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServerError::Internal(format!("parse thread failed: {e}")))?
}

/// Admit a solve (or refuse it, 429 / 503, before any work), then parse its instance and
/// options on a blocking thread (time limit capped at `cap`). The ticket is released if parsing
/// fails.
async fn admit_and_parse(
    state: &AppState,
    req: SolveRequest,
    cap: Duration,
) -> Result<(Ticket, AnyInstance, Options), ServerError> {
    let ticket = state.admit()?;
    let (inst, options) = blocking(move || {
        let inst = parse_instance(
            req.family.as_deref(),
            req.format.as_deref(),
            req.name.as_deref(),
            &req.instance,
        )?;
        let options = build_options(&req.options, &inst, cap)?;
        Ok((inst, options))
    })
    .await?;
    Ok((ticket, inst, options))
}

/// Solve an instance and wait for the answer (time limit capped by `--max-solve-time`).
#[utoipa::path(
    post, path = "/v1/solve", tag = "solve",
    request_body = SolveRequest,
    responses(
        (status = 200, description = "The `quotient solve --json` object", body = SolveResponse),
        (status = 400, description = "Malformed JSON or wrong body shape", body = ApiError),
        (status = 413, description = "Body above `--max-body`", body = ApiError),
        (status = 422, description = "Instance does not parse (parser's code and line), unknown solver, bad option", body = ApiError),
        (status = 429, description = "Queue full", body = ApiError),
        (status = 500, description = "The solver failed (a bug)", body = ApiError),
        (status = 503, description = "Shutting down", body = ApiError),
    )
)]
async fn solve(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SolveRequest>,
) -> Result<Json<serde_json::Value>, ServerError> {
    let (ticket, inst, options) =
        admit_and_parse(&state, req, state.config().max_solve_time).await?;
    let inst = Arc::new(inst);
    // If the client goes away, this future is dropped and the solve is cancelled.
    let mut guard = CancelOnDrop(Some(ticket.cancel.clone()));
    let end = state
        .run_solve(&ticket, inst.clone(), options, Arc::new(NoObserver), || {})
        .await;
    guard.0 = None;
    state
        .metrics()
        .solve("sync", end.outcome(ticket.cancel_requested()));
    match end {
        SolveEnd::Finished(Ok(outcome)) => {
            let body = blocking(move || Ok(outcome.to_json(&inst))).await?;
            Ok(Json(body))
        }
        SolveEnd::Finished(Err(e)) => Err(e.into()),
        SolveEnd::CancelledInQueue => Err(ServerError::ShuttingDown),
        SolveEnd::Lost => Err(ServerError::Internal(
            "the solve thread ended without an answer".into(),
        )),
    }
}

/// Submit a solve as a job; poll `GET /v1/jobs/{id}` or follow its events.
#[utoipa::path(
    post, path = "/v1/jobs", tag = "jobs",
    request_body = SolveRequest,
    responses(
        (status = 202, description = "Job accepted", body = JobCreated),
        (status = 400, description = "Malformed JSON or wrong body shape", body = ApiError),
        (status = 413, description = "Body above `--max-body`", body = ApiError),
        (status = 422, description = "Instance does not parse, unknown solver, bad option", body = ApiError),
        (status = 429, description = "Queue full", body = ApiError),
        (status = 503, description = "Shutting down", body = ApiError),
    )
)]
async fn create_job(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SolveRequest>,
) -> Result<Response, ServerError> {
    let (ticket, inst, options) = admit_and_parse(&state, req, state.config().max_job_time).await?;
    let job = state.insert_job(
        ticket.cancel.clone(),
        inst.family().to_string(),
        inst.name().to_string(),
        options.solver.clone(),
    );
    let href = format!("/v1/jobs/{}", job.id);
    let created = JobCreated {
        id: job.id.clone(),
        href: href.clone(),
    };
    let inst = Arc::new(inst);
    tokio::spawn(async move {
        let observer = Arc::new(JobObserver(job.clone()));
        let starting = job.clone();
        let end = state
            .run_solve(&ticket, inst.clone(), options, observer, move || {
                starting.mark_running()
            })
            .await;
        state
            .metrics()
            .solve("job", end.outcome(ticket.cancel_requested()));
        job.finish(end, &inst);
        drop(ticket);
        state.job_finished(&job);
    });
    let mut resp = (StatusCode::ACCEPTED, Json(created)).into_response();
    if let Ok(v) = HeaderValue::from_str(&href) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// A job's status and best solution so far; its result once it has ended.
#[utoipa::path(
    get, path = "/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id from `POST /v1/jobs`")),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn get_job(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ServerError> {
    Ok(Json(state.job(&id)?.view()))
}

/// Cancel a job: it stops within 100 ms and keeps the best solution found (status
/// `cancelled`, `result` set when it had started). Cancelling an ended job changes nothing.
#[utoipa::path(
    delete, path = "/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 202, description = "Cancel requested; poll the job for its end", body = JobView),
        (status = 200, description = "The job had already ended", body = JobView),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn cancel_job(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<JobView>), ServerError> {
    let job = state.job(&id)?;
    if job.view().status.is_final() {
        return Ok((StatusCode::OK, Json(job.view())));
    }
    job.cancel.cancel();
    Ok((StatusCode::ACCEPTED, Json(job.view())))
}

/// Server-Sent Events: `incumbent` for each new best (`Incumbent` JSON, id = its seq), then
/// one `final` event with the job's view, then the stream ends. A late subscriber first gets
/// the last 256 incumbents.
#[utoipa::path(
    get, path = "/v1/jobs/{id}/events", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "text/event-stream of `incumbent` events then one `final` event", content_type = "text/event-stream", body = String),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn job_events(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServerError> {
    let job = state.job(&id)?;
    let rx = job.subscribe();
    struct Follow {
        job: Arc<crate::state::Job>,
        rx: tokio::sync::watch::Receiver<u64>,
        seq: u64,
        pending: VecDeque<Event>,
        done: bool,
    }
    let start = Follow {
        job,
        rx,
        seq: 0,
        pending: VecDeque::new(),
        done: false,
    };
    let stream = futures_util::stream::unfold(start, |mut st| async move {
        loop {
            if let Some(ev) = st.pending.pop_front() {
                return Some((Ok::<Event, Infallible>(ev), st));
            }
            if st.done {
                return None;
            }
            // Mark the current version seen before reading, so no change is missed.
            st.rx.borrow_and_update();
            let (news, finished) = st.job.since(st.seq);
            for inc in news {
                st.seq = inc.seq;
                st.pending
                    .push_back(json_event("incumbent", &inc).id(inc.seq.to_string()));
            }
            if finished {
                st.pending.push_back(json_event("final", &st.job.view()));
                st.done = true;
            } else if st.pending.is_empty() && st.rx.changed().await.is_err() {
                st.done = true;
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

fn json_event<T: serde::Serialize>(name: &str, data: &T) -> Event {
    let text = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    Event::default().event(name).data(text)
}

/// Parse and check an instance, and a solution when given, without solving.
#[utoipa::path(
    post, path = "/v1/validate", tag = "solve",
    request_body = ValidateRequest,
    responses(
        (status = 200, description = "The instance parses; the solution's check, when given", body = ValidateResponse),
        (status = 400, description = "Malformed JSON or wrong body shape", body = ApiError),
        (status = 413, description = "Body above `--max-body`", body = ApiError),
        (status = 422, description = "Instance or solution does not parse", body = ApiError),
    )
)]
async fn validate(
    JsonBody(req): JsonBody<ValidateRequest>,
) -> Result<Json<ValidateResponse>, ServerError> {
    let resp = blocking(move || {
        let inst = parse_instance(
            req.family.as_deref(),
            req.format.as_deref(),
            req.name.as_deref(),
            &req.instance,
        )?;
        let solution = match &req.solution {
            Some(v) => {
                let sol = parse_solution(v, &inst)?;
                let rep = any::check(&inst, &sol);
                Some(CheckResult {
                    feasible: rep.feasible,
                    objective: rep.objective,
                    violations: rep.violations,
                })
            }
            None => None,
        };
        Ok(ValidateResponse {
            valid: true,
            family: inst.family().to_string(),
            instance: inst.name().to_string(),
            size: inst.size(),
            solution,
        })
    })
    .await?;
    Ok(Json(resp))
}

/// Solvers and shipped models.
#[utoipa::path(
    get, path = "/v1/solvers", tag = "info",
    responses((status = 200, description = "Solvers and models", body = SolversResponse))
)]
async fn solvers() -> Result<Json<SolversResponse>, ServerError> {
    // Blocking: the first call loads ONNX Runtime and hashes the model files.
    blocking(|| Ok(solvers_now())).await.map(Json)
}

fn solvers_now() -> SolversResponse {
    let solvers = quotient_core::available_solvers()
        .into_iter()
        .map(|(s, available)| SolverEntry {
            name: s.name.into(),
            family: s.family.to_string(),
            kind: serde_json::to_value(s.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            available: available.is_ok(),
            unavailable_because: available.err(),
            description: s.description.into(),
        })
        .collect();
    let models = quotient_neural::Registry::shipped()
        .map(|r| r.models)
        .unwrap_or_default()
        .into_iter()
        .map(|m| ModelEntry {
            name: m.name,
            family: m.family,
            file: m.file,
            trained_sizes: m.trained_sizes,
        })
        .collect();
    SolversResponse {
        solvers,
        models,
        onnx_runtime: quotient_neural::runtime::runtime_available().is_ok(),
    }
}

fn health(state: &AppState) -> Health {
    Health {
        status: if state.is_shutting_down() {
            "shutting_down".into()
        } else {
            "ok".into()
        },
        running: state.running(),
        queued: state.queued(),
        max_concurrent: state.config().max_concurrent,
        queue_capacity: state.config().queue,
        jobs_stored: state.jobs_stored(),
    }
}

/// Liveness and load: 200 while serving, 503 once shutdown has begun.
#[utoipa::path(
    get, path = "/healthz", tag = "info",
    responses(
        (status = 200, description = "Serving", body = Health),
        (status = 503, description = "Shutting down", body = Health),
    )
)]
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let code = if state.is_shutting_down() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (code, Json(health(&state)))
}

/// Prometheus text: requests, solves, rejections, queue depth, solve seconds.
#[utoipa::path(
    get, path = "/metrics", tag = "info",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain", body = String))
)]
async fn metrics(State(state): State<AppState>) -> Response {
    let text = state.metrics().render(Gauges {
        running: state.running(),
        queued: state.queued(),
        jobs_stored: state.jobs_stored(),
        max_concurrent: state.config().max_concurrent,
        queue_capacity: state.config().queue,
    });
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// This document.
#[utoipa::path(
    get, path = "/openapi.json", tag = "info",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object))
)]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The OpenAPI document of the service.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "quotient",
        description = "Combinatorial-optimization solver service: TSP/ATSP, CVRP, job shop, MILP. Every error is `{code, message, detail}`."
    ),
    paths(
        solve, create_job, get_job, cancel_job, job_events, validate, solvers, healthz, metrics,
        openapi
    ),
    components(schemas(JobStatus))
)]
pub struct ApiDoc;

impl ApiDoc {
    /// The document as pretty JSON (what `server/openapi.json` holds).
    pub fn openapi_json() -> String {
        let mut s = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
        s.push('\n');
        s
    }
}

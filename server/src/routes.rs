//! Every route, its handler and the middleware, in one file. Handlers only translate between
//! HTTP and the library (`quotient_core::solve_observed`); parsing runs on tokio's blocking
//! threads and solving on the server's rayon pool (see `state.rs`).

use crate::api::{
    CheckResult, Health, JobCreated, JobEvent, JobStatus, JobView, JsonBody, ModelEntry,
    ParamEntry, SolveRequest, SolveResponse, SolverEntry, SolversResponse, ValidateRequest,
    ValidateResponse, build_options, parse_solution,
};
use crate::auth::Tenant;
use crate::contract::{ErrorResponses, FamilyDiscriminator, IntegerRanges};
use crate::error::{ApiError, ServerError};
use crate::metrics::Gauges;
use crate::state::{AppState, CancelOnDrop, SolveEnd, Ticket};
use crate::store::NewJob;
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
        .route("/v1/jobs/{id}", get(get_job).delete(delete_job))
        .route("/v1/jobs/{id}/cancel", post(cancel_job))
        .route("/v1/jobs/{id}/events", get(job_events))
        .route("/v1/jobs/{id}/request", get(job_request))
        .route("/v1/validate", post(validate))
        .route("/v1/solvers", get(solvers))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .merge(crate::page::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(limit))
        .layer(Extension(crate::api::BodyLimit(limit)))
        .layer(Extension(crate::api::BodyBudget::new(
            state.config().max_inflight_body,
        )))
        .layer(Extension(crate::api::BodyTimeout(
            state.config().body_timeout,
        )))
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

/// `Authorization: Bearer KEY` on every `/v1` route (and `/metrics` when asked) when API keys
/// are on: 401 without a known key; the key's tenant goes into the request for the handlers.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(keys) = state.config().api_keys.clone() else {
        req.extensions_mut().insert(Tenant(None));
        return next.run(req).await;
    };
    let path = req.uri().path();
    let guarded = path.starts_with("/v1/") || (keys.protect_metrics && path == "/metrics");
    let key = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, key) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
        });
    let tenant = key.and_then(|k| keys.tenant(k)).map(str::to_string);
    if guarded && tenant.is_none() {
        let missing = key.is_none();
        state
            .metrics()
            .rejected(if missing { "no_api_key" } else { "bad_api_key" });
        return ServerError::Unauthorized { missing }.into_response();
    }
    req.extensions_mut().insert(Tenant(tenant));
    next.run(req).await
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

/// Run CPU work (parsing, checking, drawing) on tokio's blocking threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, ServerError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServerError::Internal(format!("parse thread failed: {e}")))?
}

/// Parse a request's instance and options on a blocking thread (time limit capped at `cap`).
async fn parse_request(
    req: SolveRequest,
    cap: Duration,
    limits: quotient_problems::ReadLimits,
) -> Result<(SolveRequest, AnyInstance, Options), ServerError> {
    blocking(move || {
        let inst = req.parse_instance(&limits)?;
        let options = build_options(&req.options, &inst, cap)?;
        Ok((req, inst, options))
    })
    .await
}

/// Admit a synchronous solve (or refuse it, 429 / 503, before any work), then parse it. The
/// ticket is released if parsing fails.
async fn admit_and_parse(
    state: &AppState,
    req: SolveRequest,
    cap: Duration,
) -> Result<(Ticket, AnyInstance, Options), ServerError> {
    let ticket = state.admit_sync().await?;
    let (_, inst, options) = parse_request(req, cap, state.config().read_limits).await?;
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
) -> Result<Json<SolveResponse>, ServerError> {
    let (ticket, inst, options) =
        admit_and_parse(&state, req, state.config().max_solve_time).await?;
    let inst = Arc::new(inst);
    // If the client goes away, this future is dropped and the solve is cancelled.
    let mut guard = CancelOnDrop(Some(ticket.cancel.clone()));
    let end = state
        .run_solve(&ticket, inst.clone(), options, Arc::new(NoObserver))
        .await;
    guard.0 = None;
    state
        .metrics()
        .solve("sync", end.outcome(ticket.cancel_requested()));
    match end {
        SolveEnd::Finished(Ok(outcome)) => {
            let body = blocking(move || Ok(outcome.response(&inst))).await?;
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
        (status = 202, description = "Job accepted", body = JobCreated,
            links(
                ("GetJob" = (operation_id = "get_job", parameters(("id" = "$response.body#/id")),
                    description = "The job's status, best so far and (once ended) result")),
                ("CancelJob" = (operation_id = "cancel_job", parameters(("id" = "$response.body#/id")),
                    description = "Cancel the job (its best solution is kept)")),
                ("DeleteJob" = (operation_id = "delete_job", parameters(("id" = "$response.body#/id")),
                    description = "Delete the job (cancelled first if it has not ended)")),
                ("JobEvents" = (operation_id = "job_events", parameters(("id" = "$response.body#/id")),
                    description = "The job's incumbents and its end, as server-sent events")),
                ("JobRequest" = (operation_id = "job_request", parameters(("id" = "$response.body#/id")),
                    description = "The request as stored")),
                ("JobSolution" = (operation_id = "job_solution", parameters(("id" = "$response.body#/id")),
                    description = "The best solution so far, as a file")),
                ("JobPlot" = (operation_id = "job_plot", parameters(("id" = "$response.body#/id")),
                    description = "A picture of the best solution so far")),
            )
        ),
        (status = 400, description = "Malformed JSON or wrong body shape", body = ApiError),
        (status = 413, description = "Body above `--max-body`", body = ApiError),
        (status = 422, description = "Instance does not parse, unknown solver, bad option", body = ApiError),
        (status = 429, description = "Queue full, or the tenant's job quota is reached", body = ApiError),
        (status = 503, description = "Shutting down, or the job store is unreachable", body = ApiError),
    )
)]
async fn create_job(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    JsonBody(req): JsonBody<SolveRequest>,
) -> Result<Response, ServerError> {
    state.admit_job().await?;
    // Parsed here so that a bad instance or option is the client's 422 now, not a failed job.
    let (req, inst, options) =
        parse_request(req, state.config().max_job_time, state.config().read_limits).await?;
    let request = blocking(move || {
        serde_json::to_vec(&req)
            .map_err(|e| ServerError::Internal(format!("cannot store the request: {e}")))
    })
    .await?;
    let quota = state.config().tenant_max_jobs;
    let job = NewJob {
        tenant: tenant.0.clone(),
        family: inst.family().to_string(),
        instance: inst.name().to_string(),
        solver: options.solver.clone(),
        request,
        quota,
    };
    let Some(id) = state.store().create(job).await? else {
        state.metrics().rejected("quota");
        return Err(ServerError::QuotaExceeded {
            limit: quota.unwrap_or(0),
        });
    };
    let href = format!("/v1/jobs/{id}");
    let created = JobCreated {
        id,
        href: href.clone(),
    };
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
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ServerError> {
    match state.store().get(&id, tenant.as_deref()).await? {
        Some(v) => Ok(Json(v)),
        None => Err(ServerError::JobNotFound { id }),
    }
}

/// The request a job was created with (instance text, format, options), as stored.
#[utoipa::path(
    get, path = "/v1/jobs/{id}/request", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "The `POST /v1/jobs` body as stored", body = Object),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn job_request(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
) -> Result<Response, ServerError> {
    match state.store().request(&id, tenant.as_deref()).await? {
        Some(body) => Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()),
        None => Err(ServerError::JobNotFound { id }),
    }
}

/// Cancel a job: it stops within 100 ms and keeps the best solution found (status
/// `cancelled`, `result` set when it had started), readable until the job expires. Cancelling
/// an ended job changes nothing.
#[utoipa::path(
    post, path = "/v1/jobs/{id}/cancel", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 202, description = "Cancel requested; poll the job for its end", body = JobView),
        (status = 200, description = "The job had already ended", body = JobView),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn cancel_job(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<JobView>), ServerError> {
    match state.store().cancel(&id, tenant.as_deref()).await? {
        Some((view, true)) => Ok((StatusCode::OK, Json(view))),
        Some((view, false)) => Ok((StatusCode::ACCEPTED, Json(view))),
        None => Err(ServerError::JobNotFound { id }),
    }
}

/// Delete a job: a queued or running one is cancelled first (as `POST /v1/jobs/{id}/cancel`),
/// then the job, its incumbents and its request are forgotten: it answers 404 from then on.
/// The answer is the job's view just before (to keep a running job's best solution, cancel it
/// and read it before deleting).
#[utoipa::path(
    delete, path = "/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "Deleted; the job as it was", body = JobView),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn delete_job(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ServerError> {
    match state.store().delete(&id, tenant.as_deref()).await? {
        Some(view) => Ok(Json(view)),
        None => Err(ServerError::JobNotFound { id }),
    }
}

/// Server-Sent Events: `incumbent` for each new best (`Incumbent` JSON, id = its seq), then
/// one `final` event with the job's view, then the stream ends. A late subscriber first gets
/// the last 256 incumbents.
#[utoipa::path(
    get, path = "/v1/jobs/{id}/events", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "text/event-stream of `incumbent` events then one `final` event", content_type = "text/event-stream", body = JobEvent),
        (status = 404, description = "Unknown or expired job", body = ApiError),
    )
)]
async fn job_events(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServerError> {
    // A reconnecting client resumes after the last incumbent it saw.
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let store = state.store().clone();
    // Subscribe before the first read, so no change between the two is missed.
    let rx = store.changes();
    if store.get(&id, tenant.as_deref()).await?.is_none() {
        return Err(ServerError::JobNotFound { id });
    }
    struct Follow {
        store: Arc<dyn crate::store::JobStore>,
        id: String,
        tenant: Option<String>,
        rx: tokio::sync::broadcast::Receiver<Arc<str>>,
        seq: u64,
        pending: VecDeque<Event>,
        done: bool,
    }
    let start = Follow {
        store,
        id,
        tenant: tenant.0,
        rx,
        seq: after,
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
            let tenant = st.tenant.as_deref();
            match st.store.progress(&st.id, tenant, st.seq).await {
                Ok(Some(p)) => {
                    for inc in p.incumbents {
                        st.seq = st.seq.max(inc.seq);
                        st.pending
                            .push_back(json_event("incumbent", &inc).id(inc.seq.to_string()));
                    }
                    if p.finished {
                        match st.store.get(&st.id, tenant).await {
                            Ok(Some(view)) => st.pending.push_back(json_event("final", &view)),
                            Ok(None) => {}
                            Err(e) => st.pending.push_back(json_event(
                                "error",
                                &ApiError::new(e.code(), e.to_string()),
                            )),
                        }
                        st.done = true;
                        continue;
                    }
                }
                // Expired or removed while followed.
                Ok(None) => return None,
                // The store is unreachable for now: wait and read again.
                Err(e) => tracing::warn!(job = %st.id, "event stream cannot read the store: {e}"),
            }
            if st.pending.is_empty() {
                wait_for_change(&mut st.rx, &st.id).await;
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Wait until job `id` may have changed: its notification, a resync (`*`, or missed
/// notifications), or a second without news (notifications can be lost with a connection).
async fn wait_for_change(rx: &mut tokio::sync::broadcast::Receiver<Arc<str>>, id: &str) {
    let poll = tokio::time::sleep(Duration::from_secs(1));
    tokio::pin!(poll);
    loop {
        tokio::select! {
            () = &mut poll => return,
            m = rx.recv() => match m {
                Ok(changed) if &*changed == id || &*changed == "*" => return,
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => return,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                    poll.as_mut().await;
                    return;
                }
            },
        }
    }
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
    State(state): State<AppState>,
    JsonBody(req): JsonBody<ValidateRequest>,
) -> Result<Json<ValidateResponse>, ServerError> {
    let limits = state.config().read_limits;
    let resp = blocking(move || {
        let inst = req.parse_instance(&limits)?;
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
            params: s.params.iter().map(ParamEntry::from).collect(),
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

/// Health and load; `Err` when the job store does not answer.
async fn health(state: &AppState) -> (StatusCode, Health) {
    let counts = state.store().counts().await;
    let status = if state.is_shutting_down() {
        "shutting_down"
    } else if counts.is_err() {
        "store_unavailable"
    } else {
        "ok"
    };
    let c = counts.unwrap_or_default();
    let code = if status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let health = Health {
        status: status.into(),
        store: state.store().kind().into(),
        running: state.running(),
        queued: usize::try_from(c.queued).unwrap_or(usize::MAX),
        jobs_running: usize::try_from(c.running).unwrap_or(usize::MAX),
        max_concurrent: state.config().max_concurrent,
        queue_capacity: state.config().queue,
        jobs_stored: usize::try_from(c.stored).unwrap_or(usize::MAX),
    };
    (code, health)
}

/// Liveness and load: 200 while serving, 503 once shutdown has begun.
#[utoipa::path(
    get, path = "/healthz", tag = "info",
    responses(
        (status = 200, description = "Serving", body = Health),
        (status = 503, description = "Shutting down, or the job store is unreachable", body = Health),
    )
)]
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let (code, h) = health(&state).await;
    (code, Json(h))
}

/// Prometheus text: requests, solves, rejections, queue depth, solve seconds.
#[utoipa::path(
    get, path = "/metrics", tag = "info",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain", body = String))
)]
async fn metrics(State(state): State<AppState>) -> Response {
    let (_, h) = health(&state).await;
    let text = state.metrics().render(Gauges {
        running: h.running,
        queued: h.queued,
        jobs_stored: h.jobs_stored,
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
async fn openapi() -> Json<serde_json::Value> {
    Json(ApiDoc::document())
}

/// The OpenAPI document of the service.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "quotient",
        description = "Combinatorial-optimization solver service: TSP/ATSP, CVRP, job shop, MILP. Every error is `{code, message, detail}`."
    ),
    paths(
        solve, create_job, get_job, job_request, cancel_job, delete_job, job_events, validate, solvers, healthz, metrics,
        openapi, crate::page::job_plot, crate::page::job_solution, crate::page::examples,
        crate::page::example
    ),
    components(schemas(JobStatus, crate::page::PlotView, crate::page::SolutionFormat)),
    modifiers(&BearerKeys, &SolverNames, &ErrorResponses, &IntegerRanges, &FamilyDiscriminator),
    security((), ("api_key" = []))
)]
pub struct ApiDoc;

/// The `api_key` security scheme: `Authorization: Bearer KEY` when the service runs with
/// `--api-keys` (every `/v1` route then needs it); an open service needs none.
struct BearerKeys;

impl utoipa::Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "With `quotient serve --api-keys FILE`: the tenant's key. Without a key: \
                         401; another tenant's job: 404.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The registered solver names in the description of `SolveOptions.solver` (from the one
/// registry, so the document and the service agree).
struct SolverNames;

impl utoipa::Modify for SolverNames {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::Schema;
        let names: Vec<String> = quotient_core::registry()
            .map(|s| format!("`{}`", s.info.name))
            .collect();
        let Some(RefOr::T(Schema::Object(options))) = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("SolveOptions"))
        else {
            return;
        };
        if let Some(RefOr::T(Schema::Object(solver))) = options.properties.get_mut("solver") {
            solver.description = Some(format!(
                "`auto` (default: chosen by family and size) or a solver name: {}. \
                 `GET /v1/solvers` says which can run on this server.",
                names.join(", ")
            ));
            let mut values = vec![serde_json::Value::Null, "auto".into()];
            values.extend(quotient_core::registry().map(|s| s.info.name.into()));
            solver.enum_values = Some(values);
        }
    }
}

impl ApiDoc {
    /// The document as served: utoipa's, with the link fields spelled as OpenAPI spells them.
    pub fn document() -> serde_json::Value {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        crate::contract::link_field_names(&mut doc);
        doc
    }

    /// The document as pretty JSON (what `server/openapi.json` holds).
    pub fn openapi_json() -> String {
        let mut s = serde_json::to_string_pretty(&ApiDoc::document()).unwrap_or_default();
        s.push('\n');
        s
    }
}

//! The web page at `/` and the routes behind its pictures: the shipped example instances, a
//! job's picture (`plot.svg`) and its solution in the family's native format. The page's files
//! are embedded in the binary (no CDN, no build step): `assets/index.html`, `app.js`,
//! `app.css`, written without a framework.

use crate::api::{SolveRequest, parse_solution};
use crate::auth::Tenant;
use crate::error::{ApiError, ServerError};
use crate::routes::blocking;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use quotient_plot::{Style, Trace, TracePoint};
use quotient_problems::any::{self, AnyInstance, AnySolution, Family};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// The page's routes (merged into [`crate::app`]).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/assets/app.js", get(app_js))
        .route("/assets/app.css", get(app_css))
        .route("/v1/examples", get(examples))
        .route("/v1/examples/{name}", get(example))
        .route("/v1/jobs/{id}/plot.svg", get(job_plot))
        .route("/v1/jobs/{id}/solution", get(job_solution))
}

/// The page's security policy: its own files only; pictures from blob URLs.
const CSP: &str = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; \
                   script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   frame-ancestors 'none'";

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn index() -> Response {
    asset(
        include_str!("../assets/index.html"),
        "text/html; charset=utf-8",
    )
}

async fn app_js() -> Response {
    asset(
        include_str!("../assets/app.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn app_css() -> Response {
    asset(include_str!("../assets/app.css"), "text/css; charset=utf-8")
}

/// An instance shipped with quotient (the files of the repository's `instances/`).
struct Example {
    name: &'static str,
    family: Family,
    format: &'static str,
    text: &'static str,
}

macro_rules! example {
    ($family:ident, $format:literal, $dir:literal, $file:literal) => {
        Example {
            name: $file,
            family: Family::$family,
            format: $format,
            text: include_str!(concat!("../../instances/", $dir, "/", $file)),
        }
    };
}

const EXAMPLES: &[Example] = &[
    example!(Tsp, "tsplib", "tsp", "uniform-n200-s1.tsp"),
    example!(Tsp, "tsplib", "tsp", "clustered-n1000-s1.tsp"),
    example!(Cvrp, "cvrplib", "cvrp", "X-style-n100-s1.vrp"),
    example!(Jssp, "jssp", "jssp", "ta-style-10x10-s1.txt"),
    example!(Milp, "lp", "milp", "cfl-30x10-s1.lp"),
    example!(Milp, "mps", "milp", "setcover-100x200-s1.mps"),
];

/// One shipped example in `GET /v1/examples`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExampleEntry {
    /// File name; `GET /v1/examples/{name}` returns its text.
    pub name: String,
    /// `tsp`, `cvrp`, `jssp` or `milp`.
    pub family: String,
    /// The `format` to send with it in `POST /v1/jobs`.
    pub format: String,
    /// Size of the file.
    pub bytes: usize,
}

/// The example instances shipped with the service, for the page (and for trying the API).
#[utoipa::path(
    get, path = "/v1/examples", tag = "page",
    responses((status = 200, description = "The shipped examples", body = Vec<ExampleEntry>))
)]
pub(crate) async fn examples() -> Json<Vec<ExampleEntry>> {
    Json(
        EXAMPLES
            .iter()
            .map(|e| ExampleEntry {
                name: e.name.into(),
                family: e.family.as_str().into(),
                format: e.format.into(),
                bytes: e.text.len(),
            })
            .collect(),
    )
}

/// The text of a shipped example instance.
#[utoipa::path(
    get, path = "/v1/examples/{name}", tag = "page",
    params(("name" = String, Path, description = "Example file name from `GET /v1/examples`")),
    responses(
        (status = 200, description = "The instance file", content_type = "text/plain", body = String),
        (status = 404, description = "No such example", body = ApiError),
    )
)]
pub(crate) async fn example(Path(name): Path<String>) -> Result<Response, ServerError> {
    let e =
        EXAMPLES
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| ServerError::ExampleNotFound {
                name: name.chars().take(100).collect(),
            })?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        e.text,
    )
        .into_response())
}

/// What `plot.svg` draws.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlotView {
    /// The best solution so far (TSP tour, CVRP routes, JSSP Gantt chart).
    #[default]
    Solution,
    /// The incumbent and bound against seconds (any family).
    Trace,
}

/// Query of `GET /v1/jobs/{id}/plot.svg`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlotQuery {
    /// `solution` (default) or `trace`.
    #[serde(default)]
    #[param(inline)]
    pub view: PlotView,
    /// Width in pixels (200..=8000, default 1000).
    #[serde(default)]
    pub width: Option<u32>,
}

/// A query string, or 400 with what is wrong in it.
fn query_params<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ServerError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ServerError::BadRequest {
            code: "request.invalid_query",
            message: e.body_text(),
            detail: Value::Null,
        })
}

/// The job's stored request, parsed.
async fn job_instance(
    state: &AppState,
    id: &str,
    tenant: Option<&str>,
) -> Result<AnyInstance, ServerError> {
    let body = state
        .store()
        .request(id, tenant)
        .await?
        .ok_or_else(|| ServerError::JobNotFound { id: id.into() })?;
    let id = id.to_string();
    let limits = state.config().read_limits;
    blocking(move || SolveRequest::from_stored(&id, &body)?.parse_instance(&limits)).await
}

/// The job's best solution so far (the result's once the job has ended, else the last one a
/// worker stored during the solve), with the job's bound, or 409 when there is none yet.
async fn job_best(
    state: &AppState,
    id: &str,
    tenant: Option<&str>,
) -> Result<(Value, Option<f64>), ServerError> {
    let view = state
        .store()
        .get(id, tenant)
        .await?
        .ok_or_else(|| ServerError::JobNotFound { id: id.into() })?;
    let from_result = view
        .result
        .as_ref()
        .and_then(|r| r.get("solution"))
        .filter(|s| !s.is_null())
        .cloned();
    let bound = view
        .result
        .as_ref()
        .and_then(|r| r.get("bound"))
        .and_then(Value::as_f64)
        .or_else(|| view.best.as_ref().and_then(|b| b.bound));
    let solution = match from_result {
        Some(s) => Some(s),
        None if view.status.is_final() => None,
        None => state.store().latest_solution(id, tenant).await?.flatten(),
    };
    solution
        .map(|s| (s, bound))
        .ok_or_else(|| ServerError::NoSolutionYet {
            id: id.into(),
            status: view.status,
        })
}

fn svg_response(svg: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        svg,
    )
        .into_response()
}

/// A picture of the job: its best solution so far (TSP tour, CVRP routes, JSSP Gantt chart;
/// refreshed while the job runs), or with `view=trace` the incumbent and bound against seconds.
#[utoipa::path(
    get, path = "/v1/jobs/{id}/plot.svg", tag = "jobs",
    params(("id" = String, Path, description = "Job id"), PlotQuery),
    responses(
        (status = 200, description = "SVG", content_type = "image/svg+xml", body = String),
        (status = 404, description = "Unknown or expired job", body = ApiError),
        (status = 409, description = "No solution (or no improvement, for the trace) yet", body = ApiError),
        (status = 422, description = "This family has no picture (MILP), or the instance has no coordinates", body = ApiError),
    )
)]
pub(crate) async fn job_plot(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
    query: Result<Query<PlotQuery>, QueryRejection>,
) -> Result<Response, ServerError> {
    let query = query_params(query)?;
    let style = Style::new(None, query.width)?;
    let tenant = tenant.as_deref();
    if query.view == PlotView::Trace {
        let view = state
            .store()
            .get(&id, tenant)
            .await?
            .ok_or_else(|| ServerError::JobNotFound { id: id.clone() })?;
        let progress = state
            .store()
            .progress(&id, tenant, 0)
            .await?
            .ok_or_else(|| ServerError::JobNotFound { id: id.clone() })?;
        let trace = Trace {
            family: view.family.parse().map_err(ServerError::Internal)?,
            instance: view.instance.clone(),
            solver: view.solver.clone(),
            improvements: progress
                .incumbents
                .iter()
                .map(|i| TracePoint {
                    elapsed_ms: i.elapsed_ms,
                    objective: i.objective,
                    bound: i.bound,
                    source: i.source.clone(),
                })
                .collect(),
            elapsed_ms: Some(view.elapsed_ms),
            objective: view.best.as_ref().map(|b| b.objective),
            bound: view.best.as_ref().and_then(|b| b.bound),
        };
        if trace.improvements.is_empty() {
            return Err(ServerError::NoSolutionYet {
                id,
                status: view.status,
            });
        }
        let svg = blocking(move || Ok(quotient_plot::trace_svg(&trace, &style)?)).await?;
        return Ok(svg_response(svg));
    }
    let inst = job_instance(&state, &id, tenant).await?;
    quotient_plot::can_draw(&inst)?;
    let (solution, bound) = job_best(&state, &id, tenant).await?;
    let svg = blocking(move || {
        let sol = stored_solution(&solution, &inst)?;
        let style = Style { bound, ..style };
        Ok(quotient_plot::solution_svg(&inst, &sol, &style)?)
    })
    .await?;
    Ok(svg_response(svg))
}

/// A stored solution object, read back against its instance.
fn stored_solution(solution: &Value, inst: &AnyInstance) -> Result<AnySolution, ServerError> {
    parse_solution(solution, inst)
        .map_err(|e| ServerError::Internal(format!("a stored solution does not read back: {e}")))
}

/// How `GET /v1/jobs/{id}/solution` writes the solution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SolutionFormat {
    /// The family's file format: TSPLIB `.tour`, CVRPLIB `.sol`, the JSSP schedule, MILP
    /// `name value` lines.
    #[default]
    Native,
    /// The `solution` object of a `solve --json` answer.
    Json,
}

/// Query of `GET /v1/jobs/{id}/solution`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SolutionQuery {
    /// `native` (default) or `json`.
    #[serde(default)]
    #[param(inline)]
    pub format: SolutionFormat,
}

/// The job's best solution so far (its final one once ended) as a download: in the family's
/// native format (what `quotient check` reads) or as JSON.
#[utoipa::path(
    get, path = "/v1/jobs/{id}/solution", tag = "jobs",
    params(("id" = String, Path, description = "Job id"), SolutionQuery),
    responses(
        (status = 200, description = "The solution file (`Content-Disposition: attachment`): native text, or with `format=json` the JSON solution object",
            content(
                (String = "text/plain"),
                (crate::api::SolutionObject = "application/json"),
            )
        ),
        (status = 404, description = "Unknown or expired job", body = ApiError),
        (status = 409, description = "No solution yet", body = ApiError),
    )
)]
pub(crate) async fn job_solution(
    State(state): State<AppState>,
    Extension(tenant): Extension<Tenant>,
    Path(id): Path<String>,
    query: Result<Query<SolutionQuery>, QueryRejection>,
) -> Result<Response, ServerError> {
    let query = query_params(query)?;
    let tenant = tenant.as_deref();
    let inst = job_instance(&state, &id, tenant).await?;
    let (solution, _) = job_best(&state, &id, tenant).await?;
    let (body, content_type, ext) = blocking(move || {
        let sol = stored_solution(&solution, &inst)?;
        Ok(match query.format {
            SolutionFormat::Json => (
                serde_json::to_string_pretty(&any::solution_to_json(&inst, &sol))
                    .map_err(|e| ServerError::Internal(e.to_string()))?,
                "application/json",
                "json".to_string(),
            ),
            SolutionFormat::Native => (
                any::write_solution(&inst, &sol).map_err(ServerError::Internal)?,
                "text/plain; charset=utf-8",
                native_extension(inst.family()).to_string(),
            ),
        })
    })
    .await?;
    let file = format!("{}.{ext}", safe_file_stem(&id));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

/// The file extension of a family's native solution format.
fn native_extension(family: Family) -> &'static str {
    match family {
        Family::Tsp => "tour",
        Family::Cvrp => "sol",
        Family::Jssp | Family::Fjsp => "schedule.txt",
        Family::Milp => "sol.txt",
    }
}

/// A job id cut down to the characters a file name can safely hold.
fn safe_file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    if s.is_empty() { "solution".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_reads_as_its_family() {
        for e in EXAMPLES {
            let inst = any::read_instance(e.text.as_bytes(), e.name, None)
                .unwrap_or_else(|err| panic!("{}: {err}", e.name));
            assert_eq!(inst.family(), e.family, "{}", e.name);
        }
    }

    #[test]
    fn file_names_keep_safe_characters_only() {
        assert_eq!(safe_file_stem("job-1_a"), "job-1_a");
        assert_eq!(safe_file_stem("../\"x"), "x");
        assert_eq!(safe_file_stem("\"/"), "solution");
    }
}

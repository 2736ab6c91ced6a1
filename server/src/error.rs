//! The one error shape every endpoint answers with, `{"code", "message", "detail"}`, and the
//! server's error enum that maps each failure to its HTTP status.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quotient_core::SolveError;
use quotient_problems::ParseError;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// The JSON body of every error response: `{"code", "message", "detail"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// A stable machine-readable code (e.g. `parse.invalid_number`).
    pub code: String,
    /// A human-readable sentence.
    pub message: String,
    /// Structured detail (line, field, violated constraints), or `null`.
    #[serde(default)]
    #[schema(value_type = Object, nullable)]
    pub detail: Value,
}

impl ApiError {
    /// An error body with no detail.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
            detail: Value::Null,
        }
    }

    /// The error body for an instance that does not parse (HTTP 422).
    pub fn from_parse(e: &ParseError) -> Self {
        ApiError {
            code: e.code().to_string(),
            message: e.to_string(),
            detail: serde_json::to_value(e).unwrap_or(Value::Null),
        }
    }

    /// The error body for a solve that could not be carried out.
    pub fn from_solve(e: &SolveError) -> Self {
        ApiError {
            code: e.code().to_string(),
            message: e.to_string(),
            detail: e.detail(),
        }
    }
}

/// Everything a request can fail with; each variant knows its status code.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The body is not JSON, or not the expected shape (400).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        detail: Value,
    },
    /// The client did not send the whole body within `--body-timeout` (408).
    #[error("the request body did not arrive within {} s", deadline.as_secs_f64())]
    BodyTimeout { deadline: std::time::Duration },
    /// The body is larger than `--max-body` (413).
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// The instance or solution does not parse (422, with the parser's code and line).
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A field has a value the server cannot use (unknown family, format mismatch...) (422).
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// The solve cannot be carried out: unknown solver, wrong family, bad option or warm start
    /// (422); a solver that failed or returned a rejected solution (500).
    #[error("{0}")]
    Solve(#[from] SolveError),
    /// No such job (404).
    #[error("no job `{id}` (unknown, or expired and removed)")]
    JobNotFound { id: String },
    /// No such shipped example (404).
    #[error("no example `{name}` (see GET /v1/examples)")]
    ExampleNotFound { name: String },
    /// The job has no solution to show or download yet (409).
    #[error("job `{id}` has no solution yet (it is {})", format!("{status:?}").to_lowercase())]
    NoSolutionYet {
        id: String,
        status: crate::api::JobStatus,
    },
    /// A picture cannot be drawn: no picture for the family, no coordinates, bad width (422).
    #[error("{0}")]
    Plot(#[from] quotient_plot::PlotError),
    /// No such route (404).
    #[error("no route {method} {path}")]
    RouteNotFound { method: String, path: String },
    /// The route exists but not with this method (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Every solve slot is busy and the queue is full (429).
    #[error("the solve queue is full ({capacity} solves running or queued); retry later")]
    QueueFull { capacity: usize },
    /// The server is shutting down (503).
    #[error("the server is shutting down")]
    ShuttingDown,
    /// The request bodies being read or decoded already take `--max-inflight-body` bytes, and
    /// none ended within `--body-timeout` (503).
    #[error("the server is reading {limit} bytes of other request bodies; retry later")]
    BodiesInFlight { limit: usize },
    /// No API key, or an unknown one, where keys are required (401).
    #[error("{}", if *missing { "this service needs an API key: send `Authorization: Bearer KEY`" } else { "unknown API key" })]
    Unauthorized { missing: bool },
    /// The tenant already has its quota of queued + running jobs (429).
    #[error("this tenant already has {limit} jobs queued or running; retry when one has ended")]
    QuotaExceeded { limit: u64 },
    /// The job store cannot be reached (503).
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    /// A bug: a panic in a handler or a lost solve thread (500). Details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServerError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ServerError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::Parse(_) | ServerError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ServerError::Solve(e) => match e {
                SolveError::CheckFailed { .. } | SolveError::SolverPanicked { .. } => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
                SolveError::SolverUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
            ServerError::JobNotFound { .. }
            | ServerError::RouteNotFound { .. }
            | ServerError::ExampleNotFound { .. } => StatusCode::NOT_FOUND,
            ServerError::NoSolutionYet { .. } => StatusCode::CONFLICT,
            ServerError::Plot(quotient_plot::PlotError::Draw(_)) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ServerError::Plot(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServerError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ServerError::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ServerError::QueueFull { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServerError::ShuttingDown | ServerError::BodiesInFlight { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ServerError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ServerError::QuotaExceeded { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServerError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The response body.
    pub fn body(&self) -> ApiError {
        match self {
            ServerError::BadRequest {
                code,
                message,
                detail,
            } => ApiError {
                code: (*code).into(),
                message: message.clone(),
                detail: detail.clone(),
            },
            ServerError::BodyTimeout { deadline } => ApiError {
                code: "request.body_timeout".into(),
                message: self.to_string(),
                detail: json!({ "timeout_seconds": deadline.as_secs_f64() }),
            },
            ServerError::PayloadTooLarge { limit } => ApiError {
                code: "request.too_large".into(),
                message: self.to_string(),
                detail: json!({ "limit_bytes": limit }),
            },
            ServerError::Parse(e) => ApiError::from_parse(e),
            ServerError::Invalid { code, .. } => ApiError::new(*code, self.to_string()),
            ServerError::Solve(e) => ApiError::from_solve(e),
            ServerError::JobNotFound { id } => ApiError {
                code: "job.not_found".into(),
                message: self.to_string(),
                detail: json!({ "id": id }),
            },
            ServerError::ExampleNotFound { name } => ApiError {
                code: "example.not_found".into(),
                message: self.to_string(),
                detail: json!({ "name": name }),
            },
            ServerError::NoSolutionYet { id, status } => ApiError {
                code: "job.no_solution_yet".into(),
                message: self.to_string(),
                detail: json!({ "id": id, "status": status }),
            },
            ServerError::Plot(e) => ApiError::new(e.code(), e.to_string()),
            ServerError::RouteNotFound { .. } => ApiError::new("route.not_found", self.to_string()),
            ServerError::MethodNotAllowed => {
                ApiError::new("route.method_not_allowed", self.to_string())
            }
            ServerError::QueueFull { capacity } => ApiError {
                code: "queue.full".into(),
                message: self.to_string(),
                detail: json!({ "capacity": capacity }),
            },
            ServerError::ShuttingDown => ApiError::new("server.shutting_down", self.to_string()),
            ServerError::BodiesInFlight { limit } => ApiError {
                code: "server.busy".into(),
                message: self.to_string(),
                detail: json!({ "max_inflight_body_bytes": limit }),
            },
            ServerError::Unauthorized { missing } => ApiError::new(
                if *missing {
                    "auth.missing_key"
                } else {
                    "auth.invalid_key"
                },
                self.to_string(),
            ),
            ServerError::QuotaExceeded { limit } => ApiError {
                code: "quota.exceeded".into(),
                message: self.to_string(),
                detail: json!({ "limit": limit }),
            },
            ServerError::Store(e) => ApiError::new(e.code(), e.to_string()),
            ServerError::Internal(_) => {
                ApiError::new("server.internal", "internal error (see the server log)")
            }
        }
    }

    /// A 422 for a field value the server cannot use.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ServerError::Invalid {
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut resp = (status, Json(self.body())).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body is not read: the connection cannot carry another request.
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::{Format, ParseError};

    #[test]
    fn parse_errors_keep_code_and_line() {
        let e = ParseError::invalid_number(Format::Tsplib, 7, "x coordinate", "abc");
        let a = ApiError::from_parse(&e);
        assert_eq!(a.code, "parse.invalid_number");
        assert_eq!(a.detail["line"], 7);
        let back: ApiError = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back, a);
        assert_eq!(
            ServerError::Parse(e).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn solver_failures_are_server_errors_and_option_errors_are_not() {
        let panicked = SolveError::SolverPanicked {
            solver: "tsp.ils".into(),
            reason: "boom".into(),
        };
        assert_eq!(
            ServerError::Solve(panicked).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        let unknown = SolveError::UnknownSolver { name: "x".into() };
        assert_eq!(
            ServerError::Solve(unknown).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}

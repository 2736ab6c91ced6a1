//! Request and response bodies, and their translation to and from the library's types.

use crate::error::{ApiError, ServerError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use quotient_core::{Limits, Options, OptionsInput};
use quotient_problems::ReadLimits;
use quotient_problems::any::{self, AnyInstance, AnySolution, Family, InputFormat};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;

/// `POST /v1/solve` and `POST /v1/jobs`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveRequest {
    /// The instance's family; optional when the format or the content tells.
    #[serde(default)]
    #[schema(value_type = Option<Family>)]
    pub family: Option<String>,
    /// The instance's format; detected when absent.
    #[serde(default)]
    #[schema(value_type = Option<InputFormat>)]
    pub format: Option<String>,
    /// Instance name for formats that carry none (JSSP, LP).
    #[serde(default)]
    pub name: Option<String>,
    /// Job-shop variant: `classic` (default), `blocking` (BJSSP), `swap` (SBJSSP) or `iswap`
    /// (ISBJSSP); overrides the instance's own (a `# variant:` line or the JSON field) and
    /// makes the instance a job shop. Refused for other families.
    #[serde(default)]
    #[schema(value_type = Option<quotient_problems::jssp::JsspVariant>)]
    pub variant: Option<String>,
    /// Kept as the body's JSON text (no JSON tree): the reader parses it once, streaming.
    #[schema(value_type = InstanceInput)]
    pub instance: Box<RawValue>,
    #[serde(default)]
    pub options: SolveOptions,
}

impl SolveRequest {
    /// A request as the job store holds it (the `POST /v1/jobs` body); a body that does not
    /// decode is the store's fault, not the client's.
    pub fn from_stored(job: &str, body: &[u8]) -> Result<SolveRequest, ServerError> {
        serde_json::from_slice(body).map_err(|e| {
            ServerError::Internal(format!("stored request of job {job} does not decode: {e}"))
        })
    }

    /// The request's instance, parsed under `limits` (family and format checked against each
    /// other).
    pub fn parse_instance(&self, limits: &ReadLimits) -> Result<AnyInstance, ServerError> {
        parse_instance_with_variant(
            self.family.as_deref(),
            self.format.as_deref(),
            self.name.as_deref(),
            self.variant.as_deref(),
            &self.instance,
            limits,
        )
    }
}

/// Solve options, as `quotient solve` takes them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveOptions {
    /// A solver name (`GET /v1/solvers`) or `auto` (default).
    #[serde(default)]
    pub solver: Option<String>,
    /// Seconds; capped by the server (`--max-solve-time` for `/v1/solve`, `--max-job-time`
    /// for jobs).
    #[serde(default)]
    pub time_limit: Option<f64>,
    #[serde(default)]
    pub seed: Option<u64>,
    /// Worker threads for this solve (0 = all cores; capped at the machine's cores).
    #[serde(default)]
    pub threads: Option<usize>,
    /// A warm start: the `solution` object of a `solve --json` answer, or native solution text.
    #[serde(default)]
    #[schema(value_type = Option<SolutionInput>)]
    pub initial: Option<Value>,
    /// Beam width of a neural policy's decoding (`tsp.bq`; 0 or 1: greedy): the older form of
    /// `"params": {"beam": K}`, refused by a solver without that parameter (0 is accepted).
    #[serde(default)]
    pub beam: Option<usize>,
    /// Tours sampled from a neural policy instead (0: none): the older form of
    /// `"params": {"samples": K}`, refused by a solver without that parameter (0 is accepted).
    #[serde(default)]
    pub samples: Option<usize>,
    /// Improvement steps of a step-counted neural solver (`jssp.l2s`; default 5000): the older
    /// form of `"params": {"steps": N}`, refused by a solver without that parameter.
    #[serde(default)]
    pub steps: Option<u64>,
    /// The solver's own parameters by name (`GET /v1/solvers` lists them), e.g.
    /// `{"beam": 16}`; values are integers (or their text). They take precedence over
    /// `beam`, `samples` and `steps`.
    #[serde(default)]
    #[schema(value_type = Option<std::collections::HashMap<String, ParamValue>>)]
    pub params: Option<serde_json::Map<String, Value>>,
}

/// The `instance` of a request (for the OpenAPI document; the server reads it as JSON and
/// dispatches by its type): the text of a standard file — TSPLIB, CVRPLIB, OR-Library or
/// Taillard job shop, MPS (plain), LP; `format` names it or the content tells — or a JSON
/// instance object, whose `family` says which shape it has. What JSON Schema cannot state
/// (text that parses, indices in range, sizes that agree) is checked by the readers: 422 with
/// the reader's code and line.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum InstanceInput {
    Text(String),
    Json(AnyInstance),
}

/// A solution in a request (for the OpenAPI document): the text of a solution file (TSPLIB
/// `.tour`, CVRPLIB `.sol`, a job-shop schedule, MILP `name value` lines), or the JSON solution
/// object of the instance's family (also accepted: a whole `solve --json` answer, whose
/// `solution` field is read).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum SolutionInput {
    Text(String),
    Json(SolutionObject),
}

/// A solution's JSON object, as `solve --json` writes it, `GET /v1/jobs/{id}/solution?format=json`
/// downloads it and requests give it (for the OpenAPI document): TSP `{"tour"}` (0-based
/// nodes), CVRP `{"routes"}` (customers `1..n`, the depot implicit), job shop `{"start"}`
/// (per job, per operation), flexible job shop `{"machine", "start"}` (per job, per operation:
/// the chosen machine, 0-based, and the start time), MILP `{"values": {name: value}}` (variables left out are 0).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum SolutionObject {
    Tsp(quotient_problems::tsp::TspSolution),
    Cvrp(quotient_problems::cvrp::CvrpSolution),
    Fjsp(quotient_problems::fjsp::FjspSolution),
    Jssp(quotient_problems::jssp::JsspSolution),
    Milp(MilpValues),
}

/// A MILP solution's JSON object: values by variable name; variables left out are 0.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct MilpValues {
    pub values: std::collections::HashMap<String, f64>,
}

/// A value of `params`: an integer, or its decimal text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum ParamValue {
    Integer(u64),
    Text(String),
}

/// `POST /v1/validate`: an instance and optionally a solution to check; nothing is solved.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// As in `SolveRequest`.
    #[serde(default)]
    #[schema(value_type = Option<Family>)]
    pub family: Option<String>,
    /// As in `SolveRequest`.
    #[serde(default)]
    #[schema(value_type = Option<InputFormat>)]
    pub format: Option<String>,
    /// As in `SolveRequest`.
    #[serde(default)]
    pub name: Option<String>,
    /// As in `SolveRequest`.
    #[serde(default)]
    #[schema(value_type = Option<quotient_problems::jssp::JsspVariant>)]
    pub variant: Option<String>,
    /// As in `SolveRequest`.
    #[schema(value_type = InstanceInput)]
    pub instance: Box<RawValue>,
    /// A solution to check against the instance.
    #[serde(default)]
    #[schema(value_type = Option<SolutionInput>)]
    pub solution: Option<Value>,
}

impl ValidateRequest {
    /// The request's instance, parsed under `limits`, as [`SolveRequest::parse_instance`].
    pub fn parse_instance(&self, limits: &ReadLimits) -> Result<AnyInstance, ServerError> {
        parse_instance_with_variant(
            self.family.as_deref(),
            self.format.as_deref(),
            self.name.as_deref(),
            self.variant.as_deref(),
            &self.instance,
            limits,
        )
    }
}

/// The answer of `POST /v1/solve`: the library's one response type (also what `quotient solve
/// --json` prints and a job's `result`).
pub use quotient_core::SolveResponse;

/// The answer of `POST /v1/validate`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ValidateResponse {
    pub valid: bool,
    pub family: String,
    pub instance: String,
    /// Nodes (TSP, CVRP incl. depot), operations (JSSP) or variables (MILP).
    pub size: usize,
    /// The check of the given solution, when there was one.
    #[serde(default)]
    pub solution: Option<CheckResult>,
}

/// An independent check of a solution.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckResult {
    pub feasible: bool,
    /// The objective recomputed by the checker.
    pub objective: f64,
    #[schema(value_type = Vec<Object>)]
    pub violations: Vec<Value>,
}

/// `202` answer of `POST /v1/jobs`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JobCreated {
    pub id: String,
    /// Where to poll: `/v1/jobs/{id}`.
    pub href: String,
}

/// One event of `GET /v1/jobs/{id}/events` (for the OpenAPI document: the server writes them as
/// `text/event-stream`). `incumbent`: `data` is an `Incumbent` and `id` its `seq`; `final`: the
/// job's `JobView`, the last event; `error`: an `ApiError` when the job store failed at the end.
/// Comments (`:`) keep the connection alive.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct JobEvent {
    pub event: JobEventName,
    /// JSON text.
    #[schema(content_media_type = "application/json")]
    pub data: String,
    /// The incumbent's `seq` (only on `incumbent` events).
    #[serde(default)]
    pub id: Option<String>,
}

/// The kinds of [`JobEvent`].
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum JobEventName {
    Incumbent,
    Final,
    Error,
}

/// A new best solution found during a job.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Incumbent {
    /// 1 for the first improvement, then 2, 3...
    pub seq: u64,
    pub objective: f64,
    pub bound: Option<f64>,
    /// Milliseconds since the solve started.
    pub elapsed_ms: u64,
    /// The solver component that found it.
    pub source: String,
}

/// A job's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Cancelled,
    Failed,
}

impl JobStatus {
    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobStatus::Done | JobStatus::Cancelled | JobStatus::Failed
        )
    }
}

/// `GET /v1/jobs/{id}`: status and best so far.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JobView {
    pub id: String,
    pub status: JobStatus,
    pub family: String,
    pub instance: String,
    pub solver: String,
    /// The best solution found so far (objective and time), `null` before the first.
    pub best: Option<Incumbent>,
    /// How many improvements the solver reported.
    pub improvements: u64,
    /// Milliseconds in the queue before the solve started (or until now / cancel).
    pub queued_ms: u64,
    /// Milliseconds the solve has run (or ran).
    pub elapsed_ms: u64,
    /// For a job cancelled while running: milliseconds from the cancel request to its end.
    #[serde(default)]
    pub cancel_latency_ms: Option<u64>,
    /// How many times a worker started the job (more than 1 after a worker was lost: the job
    /// resumed from its best stored solution).
    #[serde(default)]
    pub attempts: u32,
    /// Once done or cancelled after starting: the `quotient solve --json` object.
    #[serde(default)]
    #[schema(value_type = Object, nullable)]
    pub result: Option<Value>,
    /// Once failed: why.
    #[serde(default)]
    pub error: Option<ApiError>,
}

/// `GET /healthz`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`, or `shutting_down` / `store_unavailable` (with status 503).
    pub status: String,
    /// The job store: `memory` or `postgres`.
    pub store: String,
    /// Solves running on this node.
    pub running: usize,
    /// Jobs waiting in the store for a worker (all nodes).
    pub queued: usize,
    /// Jobs running in the store (all nodes).
    pub jobs_running: usize,
    pub max_concurrent: usize,
    pub queue_capacity: usize,
    pub jobs_stored: usize,
}

/// One solver in `GET /v1/solvers`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SolverEntry {
    pub name: String,
    pub family: String,
    /// `exact`, `heuristic` or `neural`.
    pub kind: String,
    pub available: bool,
    /// Why a neural solver cannot run here (missing ONNX Runtime or model), when it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable_because: Option<String>,
    pub description: String,
    /// The solver's own parameters (`"params"` in the solve options).
    #[serde(default)]
    pub params: Vec<ParamEntry>,
}

/// One of a solver's own parameters: an integer in `min..=max`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ParamEntry {
    pub name: String,
    pub description: String,
    pub min: u64,
    pub max: u64,
    /// The value used when none is given; `null`: the parameter is off.
    pub default: Option<u64>,
}

impl From<&quotient_core::ParamSpec> for ParamEntry {
    fn from(p: &quotient_core::ParamSpec) -> Self {
        ParamEntry {
            name: p.name.into(),
            description: p.description.into(),
            min: p.min,
            max: p.max,
            default: p.default,
        }
    }
}

/// One shipped model in `GET /v1/solvers`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModelEntry {
    pub name: String,
    pub family: String,
    pub file: String,
    pub trained_sizes: Vec<usize>,
}

/// `GET /v1/solvers`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SolversResponse {
    pub solvers: Vec<SolverEntry>,
    pub models: Vec<ModelEntry>,
    /// Whether the ONNX Runtime library loads (neural solvers need it).
    pub onnx_runtime: bool,
}

/// A JSON body extractor whose rejections use the server's error shape: 413 above the body
/// limit, 400 for malformed JSON or a body of the wrong shape. It ignores the content type.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send + 'static,
{
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req
            .extensions()
            .get::<BodyLimit>()
            .map_or(usize::MAX, |l| l.0);
        let deadline = req
            .extensions()
            .get::<BodyTimeout>()
            .map_or(Duration::MAX, |t| t.0);
        // A declared length above the limit is refused before anything is read.
        let declared = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(ServerError::PayloadTooLarge { limit });
        }
        // Room for the body among all bodies in flight, held until it is decoded; waiting for
        // it and reading the body each have `--body-timeout`.
        let _room = match req.extensions().get::<BodyBudget>().cloned() {
            Some(budget) => Some(
                budget
                    .reserve(declared.unwrap_or(limit as u64), deadline)
                    .await?,
            ),
            None => None,
        };
        let read = tokio::time::timeout(deadline, Bytes::from_request(req, state));
        let bytes = read
            .await
            .map_err(|_| ServerError::BodyTimeout { deadline })?;
        let bytes = bytes.map_err(|rej| {
            if rej.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ServerError::PayloadTooLarge { limit }
            } else {
                ServerError::BadRequest {
                    code: "request.unreadable_body",
                    message: rej.body_text(),
                    detail: Value::Null,
                }
            }
        })?;
        // Decoding a body of up to `--max-body` bytes is CPU work: off the async threads.
        crate::routes::blocking(move || decode_json(&bytes).map(JsonBody)).await
    }
}

/// Decode a JSON body: syntax errors name the line and column, shape errors the field's path
/// (`options.samples`). Numbers are read as JSON Schema reads them: `459.0` is the integer 459
/// (see [`integral_floats_as_integers`]). The body is decoded in one streaming pass into the
/// request type (an instance stays text, see [`SolveRequest::instance`]), so a large instance
/// costs about its size again, not a JSON tree of it.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ServerError> {
    let text = integral_floats_as_integers(bytes);
    let mut de = serde_json::Deserializer::from_slice(&text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        use serde_json::error::Category;
        if e.inner().classify() != Category::Data {
            return json_rejection(e.inner());
        }
        let path = e.path().to_string();
        ServerError::BadRequest {
            code: "request.invalid_body",
            message: format!(
                "the body does not have the expected fields: {path}: {}",
                e.inner()
            ),
            detail: json!({ "path": path, "line": e.inner().line(), "column": e.inner().column() }),
        }
    })?;
    // Nothing but whitespace after the value.
    de.end().map_err(|e| json_rejection(&e))?;
    Ok(value)
}

/// The JSON text with every number that has a fraction or an exponent and an exact integer
/// value in the 64-bit range (`459.0`, `1e3`, `-2.50e1`, and `-0`) written as that integer. JSON Schema
/// 2020-12 (and so the OpenAPI document) counts them as integers; serde would refuse them for
/// integer fields. Fields of float type read integers unchanged, so nothing else moves. Other
/// numbers (`0.5`, `1e400`), strings and everything that is not a valid JSON number are left
/// as they are (the parser reports those). A rewritten number is padded with spaces to its old
/// length where it is shorter, so error columns still point into the client's text. Borrowed
/// when nothing changes.
pub fn integral_floats_as_integers(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // 2^63 and 2^64 are exact in f64; the casts below are exact inside them.
    let (two63, two64) = (2f64.powi(63), 2f64.powi(64));
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            b'"' => i = string_end(json, i + 1),
            b'-' | b'0'..=b'9' => {
                let end = json[i..]
                    .iter()
                    .position(|b| !matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                    .map_or(json.len(), |p| i + p);
                let token = &json[i..end];
                let integer = json_float_token(token)
                    .and_then(|t| t.parse::<f64>().ok())
                    .filter(|f| f.fract() == 0.0)
                    .and_then(|f| {
                        if (-two63..two63).contains(&f) {
                            Some((f as i64).to_string())
                        } else if (0.0..two64).contains(&f) {
                            Some((f as u64).to_string())
                        } else {
                            None
                        }
                    });
                if let Some(int) = integer {
                    let o = out.get_or_insert_with(|| Vec::with_capacity(json.len()));
                    o.extend_from_slice(&json[copied..i]);
                    o.extend_from_slice(int.as_bytes());
                    o.resize(o.len() + token.len().saturating_sub(int.len()), b' ');
                    copied = end;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    match out {
        Some(mut o) => {
            o.extend_from_slice(&json[copied..]);
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(json),
    }
}

/// The index after the string whose contents start at `i` (after its opening quote).
fn string_end(json: &[u8], mut i: usize) -> usize {
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    json.len()
}

/// `token` as text when it is a JSON number with a fraction or an exponent:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, one of the last two present; or `-0`,
/// which serde_json reads as the float -0.0.
fn json_float_token(token: &[u8]) -> Option<&str> {
    let digits = |from: usize| {
        token[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(token.first() == Some(&b'-'));
    let int = digits(i);
    if int == 0 || (int > 1 && token[i] == b'0') {
        return None;
    }
    i += int;
    let mut float = false;
    if token.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        if frac == 0 {
            return None;
        }
        i += 1 + frac;
        float = true;
    }
    if matches!(token.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(token.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(i);
        if exp == 0 {
            return None;
        }
        i += exp;
        float = true;
    }
    ((float || token == b"-0") && i == token.len())
        .then(|| std::str::from_utf8(token).ok())
        .flatten()
}

/// The configured body limit, put in request extensions so the extractor can report it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// The configured body deadline (`--body-timeout`), put in request extensions for the extractor.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// The bytes of request bodies that may be read or decoded at once (`--max-inflight-body`),
/// shared by every request (in request extensions). Counted in KiB so that a 4 GiB budget fits
/// the semaphore's `u32` permits.
#[derive(Debug, Clone)]
pub struct BodyBudget {
    room: Arc<tokio::sync::Semaphore>,
    bytes: usize,
    kib: u32,
}

impl BodyBudget {
    /// A budget of `bytes` (at least 1 KiB), all of it free.
    pub fn new(bytes: usize) -> Self {
        let kib = u32::try_from(bytes.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .clamp(1, tokio::sync::Semaphore::MAX_PERMITS as u32);
        BodyBudget {
            room: Arc::new(tokio::sync::Semaphore::new(kib as usize)),
            bytes,
            kib,
        }
    }

    /// Reserve room for a body of `len` bytes (at most the whole budget), waiting up to `wait`
    /// for other bodies to be done; the room is given back when the permit is dropped.
    pub async fn reserve(
        &self,
        len: u64,
        wait: Duration,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, ServerError> {
        let kib = u32::try_from(len.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .clamp(1, self.kib);
        match tokio::time::timeout(wait, self.room.clone().acquire_many_owned(kib)).await {
            Ok(Ok(permit)) => Ok(permit),
            // Timed out, or the semaphore was closed (never: it is not closed).
            _ => Err(ServerError::BodiesInFlight { limit: self.bytes }),
        }
    }
}

fn json_rejection(e: &serde_json::Error) -> ServerError {
    use serde_json::error::Category;
    let (code, what) = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ("request.malformed_json", "the body is not valid JSON")
        }
        Category::Data => (
            "request.invalid_body",
            "the body does not have the expected fields",
        ),
    };
    ServerError::BadRequest {
        code,
        message: format!("{what}: {e}"),
        detail: json!({ "line": e.line(), "column": e.column() }),
    }
}

fn parse_family(family: Option<&str>) -> Result<Option<Family>, ServerError> {
    canonical(
        family,
        "request.invalid_family",
        "family",
        "tsp, cvrp, jssp, fjsp or milp",
    )
}

fn parse_format(format: Option<&str>) -> Result<Option<InputFormat>, ServerError> {
    canonical(
        format,
        "request.invalid_format",
        "format",
        "tsplib, cvrplib, jssp, taillard, fjsp, mps, lp or json",
    )
}

/// A request's name for one of the library's enums: the documented (serde) names exactly; the
/// CLI also takes aliases and any case.
fn canonical<T: DeserializeOwned>(
    name: Option<&str>,
    code: &'static str,
    what: &str,
    expected: &str,
) -> Result<Option<T>, ServerError> {
    name.map(|n| {
        serde_json::from_value(Value::String(n.to_string())).map_err(|_| {
            ServerError::invalid(code, format!("unknown {what} `{n}` (expected {expected})"))
        })
    })
    .transpose()
}

/// Parse the `instance` field given `family`, `format` and `name` (CPU work: call it off the
/// async runtime's threads).
/// [`parse_instance`], then the request's job-shop `variant` (when given) set on the instance
/// (`request.invalid_variant` for an unknown name or an instance that is not a job shop).
pub fn parse_instance_with_variant(
    family: Option<&str>,
    format: Option<&str>,
    name: Option<&str>,
    variant: Option<&str>,
    instance: &RawValue,
    limits: &ReadLimits,
) -> Result<AnyInstance, ServerError> {
    let Some(v) = variant else {
        return parse_instance(family, format, name, instance, limits);
    };
    let v: quotient_problems::jssp::JsspVariant = v
        .parse()
        .map_err(|e: String| ServerError::invalid("request.invalid_variant", e))?;
    let mut inst = parse_instance(family.or(Some("jssp")), format, name, instance, limits)?;
    inst.set_jssp_variant(v)
        .map_err(|e| ServerError::invalid("request.invalid_variant", e))?;
    Ok(inst)
}

pub fn parse_instance(
    family: Option<&str>,
    format: Option<&str>,
    name: Option<&str>,
    instance: &RawValue,
    limits: &ReadLimits,
) -> Result<AnyInstance, ServerError> {
    let family = parse_family(family)?;
    let format = parse_format(format)?;
    if let (Some(fam), Some(fmt_fam)) = (family, format.and_then(InputFormat::family))
        && fam != fmt_fam
    {
        return Err(ServerError::invalid(
            "request.family_mismatch",
            format!("family {fam} does not match format {}", fmt_fam.as_str()),
        ));
    }
    let name = name.unwrap_or("instance");
    let raw = instance.get();
    // The text of a file: the JSON string unescaped (its size again).
    let text = || -> Result<String, ServerError> {
        serde_json::from_str(raw).map_err(|e| {
            ServerError::invalid(
                "request.invalid_instance",
                format!("`instance` is not a valid JSON string: {e}"),
            )
        })
    };
    let inst = match (raw.as_bytes().first(), format) {
        (Some(b'"'), Some(InputFormat::Json)) => {
            any::read_json_instance_with_limits(&text()?, family, limits)?
        }
        (Some(b'"'), Some(fmt)) => {
            any::read_instance_text_with_limits(&text()?, fmt, name, limits)?
        }
        (Some(b'"'), None) => {
            any::read_instance_with_limits(text()?.as_bytes(), name, family, limits)?
        }
        // A JSON object, read from the body's own text (one JSON path for text and objects);
        // its reader's line numbers count from the object's first line.
        (Some(b'{'), None | Some(InputFormat::Json)) => {
            any::read_json_instance_with_limits(raw, family, limits)?
        }
        (Some(b'{'), Some(_)) => {
            return Err(ServerError::invalid(
                "request.invalid_instance",
                "a JSON object instance needs format `json` (or none); text formats take a string",
            ));
        }
        _ => {
            return Err(ServerError::invalid(
                "request.invalid_instance",
                "`instance` must be the text of an instance file (a string) or a JSON instance object",
            ));
        }
    };
    if let Some(f) = family
        && inst.family() != f
    {
        return Err(ServerError::invalid(
            "request.family_mismatch",
            format!("the instance is {}, not {f}", inst.family()),
        ));
    }
    Ok(inst)
}

/// Parse a solution given as JSON (object) or native text (string).
pub fn parse_solution(value: &Value, inst: &AnyInstance) -> Result<AnySolution, ServerError> {
    match value {
        Value::String(text) => Ok(any::read_solution(text, inst)?),
        Value::Object(_) => Ok(any::read_solution(&value.to_string(), inst)?),
        _ => Err(ServerError::invalid(
            "request.invalid_solution",
            "a solution must be a JSON solution object or the text of a solution file",
        )),
    }
}

/// Options for the library from the request's, with the time limit capped at `cap` and the
/// threads at the machine's cores (the library's one path: [`OptionsInput::resolve`]). Without
/// a time limit, improvement heuristics get the library's default (10 s) and others `cap`.
pub fn build_options(
    req: &SolveOptions,
    inst: &AnyInstance,
    cap: Duration,
) -> Result<Options, ServerError> {
    // The solver's own parameters as `(name, value text)`; values are numbers or strings.
    let params = req
        .params
        .iter()
        .flatten()
        .map(|(k, v)| match v {
            Value::Number(n) => Ok((k.clone(), n.to_string())),
            Value::String(s) => Ok((k.clone(), s.clone())),
            other => Err(quotient_core::SolveError::InvalidOption {
                option: "params",
                reason: format!("{k}: {other} is not a number"),
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The documented names exactly (`auto` or a registry name; the CLI also takes any case).
    if let Some(name) = req.solver.as_deref()
        && name != "auto"
        && quotient_core::registry().all(|s| s.info.name != name)
    {
        return Err(quotient_core::SolveError::UnknownSolver { name: name.into() }.into());
    }
    let count = |v: Option<usize>| v.map(|v| u64::try_from(v).unwrap_or(u64::MAX));
    let input = OptionsInput {
        solver: req.solver.clone(),
        time_limit: req.time_limit,
        seed: req.seed,
        threads: req.threads,
        initial: None,
        params,
        beam: count(req.beam),
        samples: count(req.samples),
        steps: req.steps,
    };
    let limits = Limits {
        max_time: Some(cap),
        max_threads: Some(std::thread::available_parallelism().map_or(1, |n| n.get())),
    };
    let mut options = input.resolve(inst, limits, Default::default())?;
    options.initial = req
        .initial
        .as_ref()
        .map(|v| parse_solution(v, inst))
        .transpose()?;
    Ok(options)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The from-scratch twin of [`integral_floats_as_integers`]: parse the whole document and
    /// rewrite integral floats in the tree.
    fn twin(text: &str) -> Value {
        let (two63, two64) = (2f64.powi(63), 2f64.powi(64));
        let mut value: Value = serde_json::from_str(text).unwrap();
        let mut stack = vec![&mut value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Number(n) if n.is_f64() => {
                    let f = n.as_f64().unwrap();
                    if f.fract() == 0.0 && (-two63..two63).contains(&f) {
                        *v = Value::from(f as i64);
                    } else if f.fract() == 0.0 && (0.0..two64).contains(&f) {
                        *v = Value::from(f as u64);
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(fields) => stack.extend(fields.values_mut()),
                _ => {}
            }
        }
        value
    }

    fn rewritten(text: &str) -> String {
        String::from_utf8(integral_floats_as_integers(text.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn integral_floats_become_integers_in_place() {
        assert_eq!(rewritten("[459.0, 1e3, -2.50e1]"), "[459  , 1000, -25    ]");
        assert_eq!(
            rewritten("[0.5, 1e400, -0.0, 1E+2, -0]"),
            "[0.5, 1e400, 0   , 100 , 0 ]"
        );
        // 2^63 needs u64; 2^64 is out of range and stays a float.
        assert_eq!(
            rewritten("[9.223372036854775808e18, 1.8446744073709551616e19]"),
            "[9223372036854775808    , 1.8446744073709551616e19]"
        );
        // Strings, escaped quotes included, are left alone.
        assert_eq!(
            rewritten(r#"{"a\"1.0": "2.0", "b": 3.0}"#),
            r#"{"a\"1.0": "2.0", "b": 3  }"#
        );
        // Not JSON numbers: left for the parser to report.
        assert_eq!(
            rewritten("[1., .5, 01.0, 1.0e, --1.0]"),
            "[1., .5, 01.0, 1.0e, --1.0]"
        );
        // Nothing to change: the input itself.
        assert!(matches!(
            integral_floats_as_integers(b"[1, 2.5, \"3.0\"]"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// Generated documents: the rewritten text parses to what the tree-walking twin makes of
    /// the original, and the rewrite keeps every line's length where it pads.
    #[test]
    fn the_rewrite_agrees_with_the_tree_walk() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let tokens = [
            "0",
            "-0",
            "7",
            "7.0",
            "7.25",
            "-3.0",
            "1e2",
            "1E-2",
            "2.5e1",
            "-1.0e0",
            "0.0e5",
            "1e19",
            "1.5e19",
            "-9.223372036854775808e18",
            "1e-400",
            "123456789.000",
            "\"4.0\"",
            "\"a\\\"5.0\"",
            "true",
            "null",
        ];
        for _ in 0..500 {
            let len = 1 + (next() % 12) as usize;
            let mut doc = String::from("{\"x\": [");
            for k in 0..len {
                if k > 0 {
                    doc.push_str(if next() % 3 == 0 { ",\n" } else { ", " });
                }
                match next() % 4 {
                    0 => doc.push_str(&format!("{{\"k{k}\": {}}}", tokens[(next() % 20) as usize])),
                    1 => doc.push_str(&format!("[{}]", tokens[(next() % 20) as usize])),
                    _ => doc.push_str(tokens[(next() % 20) as usize]),
                }
            }
            doc.push_str("]}");
            let out = rewritten(&doc);
            let parsed: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(parsed, twin(&doc), "{doc}\n{out}");
            assert_eq!(doc.lines().count(), out.lines().count());
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        n: u32,
        instance: Box<RawValue>,
    }

    #[test]
    fn decode_errors_name_the_field_or_the_place() {
        let p: Probe = decode_json(br#"{"n": 4.0, "instance": {"a": [1.0, 2]}}"#).unwrap();
        assert_eq!(p.n, 4);
        assert_eq!(p.instance.get(), r#"{"a": [1  , 2]}"#);
        let err = |body: &[u8]| decode_json::<Probe>(body).unwrap_err().body();
        let e = err(br#"{"n": 4.5, "instance": 1}"#);
        assert_eq!(e.code, "request.invalid_body");
        assert_eq!(e.detail["path"], "n");
        let e = err(b"{\"n\": 4,\n \"instance\": [1, }");
        assert_eq!(e.code, "request.malformed_json");
        assert_eq!(e.detail["line"], 2);
        let e = err(br#"{"n": 4, "instance": 1} x"#);
        assert_eq!(e.code, "request.malformed_json");
        let e = err(br#"{"n": 4, "instance": 1, "extra": 2}"#);
        assert_eq!(e.code, "request.invalid_body");
    }
}

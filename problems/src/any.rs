//! The types that cross the CLI and HTTP boundaries: a family tag, an instance or solution of
//! any family, format detection, reading, writing, JSON shapes and checking.

use crate::check::Violation;
use crate::cvrp::{self, CvrpInstance, CvrpSolution};
use crate::error::{Format, ParseError};
use crate::fjsp::{self, FjspInstance, FjspSolution};
use crate::jssp::{self, JsspInstance, JsspSolution};
use crate::limits::ReadLimits;
use crate::milp::{self, MilpInstance, MilpSolution};
use crate::tsp::{self, TspInstance, TspSolution};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::fmt;
use std::str::FromStr;

/// The five problem families.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Tsp,
    Cvrp,
    Jssp,
    Fjsp,
    Milp,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Tsp,
        Family::Cvrp,
        Family::Jssp,
        Family::Fjsp,
        Family::Milp,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Tsp => "tsp",
            Family::Cvrp => "cvrp",
            Family::Jssp => "jssp",
            Family::Fjsp => "fjsp",
            Family::Milp => "milp",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Family {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "tsp" | "atsp" => Ok(Family::Tsp),
            "cvrp" | "vrp" => Ok(Family::Cvrp),
            "jssp" | "jsp" | "jobshop" | "job-shop" => Ok(Family::Jssp),
            "fjsp" | "fjs" | "flexible-job-shop" => Ok(Family::Fjsp),
            "milp" | "mip" | "lp" => Ok(Family::Milp),
            other => Err(format!(
                "unknown family `{other}` (expected tsp, cvrp, jssp, fjsp or milp)"
            )),
        }
    }
}

/// An instance of any family.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum AnyInstance {
    Tsp(TspInstance),
    Cvrp(CvrpInstance),
    Jssp(JsspInstance),
    Fjsp(FjspInstance),
    Milp(MilpInstance),
}

impl AnyInstance {
    pub fn family(&self) -> Family {
        match self {
            AnyInstance::Tsp(_) => Family::Tsp,
            AnyInstance::Cvrp(_) => Family::Cvrp,
            AnyInstance::Jssp(_) => Family::Jssp,
            AnyInstance::Fjsp(_) => Family::Fjsp,
            AnyInstance::Milp(_) => Family::Milp,
        }
    }
    pub fn name(&self) -> &str {
        match self {
            AnyInstance::Tsp(i) => &i.name,
            AnyInstance::Cvrp(i) => &i.name,
            AnyInstance::Jssp(i) => &i.name,
            AnyInstance::Fjsp(i) => &i.name,
            AnyInstance::Milp(i) => &i.name,
        }
    }
    /// A size figure for tables: nodes (TSP, CVRP incl. depot), operations (JSSP, FJSP), variables (MILP).
    pub fn size(&self) -> usize {
        match self {
            AnyInstance::Tsp(i) => i.n(),
            AnyInstance::Cvrp(i) => i.n(),
            AnyInstance::Jssp(i) => i.num_ops(),
            AnyInstance::Fjsp(i) => i.num_ops(),
            AnyInstance::Milp(i) => i.vars.len(),
        }
    }
    /// Set the job-shop variant (`--variant`, the JSON `variant` field of a request). Only a
    /// job-shop instance has one: for any other family this returns why not.
    pub fn set_jssp_variant(&mut self, variant: jssp::JsspVariant) -> Result<(), String> {
        match self {
            AnyInstance::Jssp(i) => {
                i.variant = variant;
                Ok(())
            }
            other => Err(format!(
                "a variant ({variant}) applies to job-shop instances only, not to {}",
                other.family()
            )),
        }
    }
    /// Whether a smaller objective is better.
    pub fn minimize(&self) -> bool {
        match self {
            AnyInstance::Milp(m) => m.sense == milp::Sense::Minimize,
            _ => true,
        }
    }
}

/// A solution of any family.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum AnySolution {
    Tsp(TspSolution),
    Cvrp(CvrpSolution),
    Jssp(JsspSolution),
    Fjsp(FjspSolution),
    Milp(MilpSolution),
}

/// Input formats, as named by the CLI `--format` and the HTTP `format` field.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Tsplib,
    Cvrplib,
    Jssp,
    Taillard,
    Fjsp,
    Mps,
    Lp,
    Json,
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "tsplib" | "tsp" | "atsp" => Ok(InputFormat::Tsplib),
            "cvrplib" | "vrplib" | "vrp" => Ok(InputFormat::Cvrplib),
            "jssp" | "orlib" => Ok(InputFormat::Jssp),
            "taillard" => Ok(InputFormat::Taillard),
            "fjsp" | "fjs" | "brandimarte" | "hurink" => Ok(InputFormat::Fjsp),
            "mps" => Ok(InputFormat::Mps),
            "lp" => Ok(InputFormat::Lp),
            "json" => Ok(InputFormat::Json),
            other => Err(format!("unknown format `{other}`")),
        }
    }
}

impl InputFormat {
    pub fn family(self) -> Option<Family> {
        match self {
            InputFormat::Tsplib => Some(Family::Tsp),
            InputFormat::Cvrplib => Some(Family::Cvrp),
            InputFormat::Jssp | InputFormat::Taillard => Some(Family::Jssp),
            InputFormat::Fjsp => Some(Family::Fjsp),
            InputFormat::Mps | InputFormat::Lp => Some(Family::Milp),
            InputFormat::Json => None,
        }
    }
}

fn strip_gz(name: &str) -> &str {
    name.strip_suffix(".gz").unwrap_or(name)
}

/// The family suggested by a file name's extension.
pub fn family_from_name(name: &str) -> Option<Family> {
    let lower = name.to_ascii_lowercase();
    let base = strip_gz(&lower);
    let ext = base.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "tsp" | "atsp" => Some(Family::Tsp),
        "vrp" => Some(Family::Cvrp),
        "mps" | "lp" | "qps" => Some(Family::Milp),
        "jss" | "jsp" | "jssp" => Some(Family::Jssp),
        "fjs" | "fjsp" => Some(Family::Fjsp),
        _ => None,
    }
}

/// The family suggested by a text's content.
pub fn family_from_text(text: &str) -> Option<Family> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return json_family_tag(trimmed).ok()??.parse().ok();
    }
    for line in text.lines().take(60) {
        let l = line.trim();
        if let Some((key, value)) = crate::text::split_header(l) {
            if key == "TYPE" {
                let v = value.to_ascii_uppercase();
                if v.starts_with("CVRP") {
                    return Some(Family::Cvrp);
                }
                if v == "TSP" || v == "ATSP" {
                    return Some(Family::Tsp);
                }
            }
            if key == "CAPACITY" {
                return Some(Family::Cvrp);
            }
        }
        let upper = l.to_ascii_uppercase();
        if upper == "ROWS" || upper.starts_with("OBJSENSE") || upper == "COLUMNS" {
            return Some(Family::Milp);
        }
        if upper.starts_with("SUBJECT TO")
            || upper == "ST"
            || upper == "S.T."
            || upper.starts_with("MINIMIZE")
            || upper.starts_with("MAXIMIZE")
        {
            return Some(Family::Milp);
        }
        if upper.starts_with("NB OF JOBS") {
            return Some(Family::Jssp);
        }
    }
    // `n m avg`, or `n m` and a first job line of FJSP shape: the flexible job shop.
    if fjsp::read::looks_like_fjsp(text) {
        return Some(Family::Fjsp);
    }
    // A first data line of exactly two integers is the job-shop header.
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let toks: Vec<&str> = first.split_whitespace().collect();
    if toks.len() == 2 && toks.iter().all(|t| t.parse::<u64>().is_ok()) {
        return Some(Family::Jssp);
    }
    None
}

/// Read an instance from raw bytes (gzip allowed). `name` is the file name (used for the
/// family, the format and the instance name); `family` overrides detection. Default
/// [`ReadLimits`].
pub fn read_instance(
    bytes: &[u8],
    name: &str,
    family: Option<Family>,
) -> Result<AnyInstance, ParseError> {
    read_instance_with_limits(bytes, name, family, &ReadLimits::default())
}

/// [`read_instance`] under `limits`: every reader it dispatches to (including JSON) applies
/// them. Plain input is not copied (only gzip input is inflated, at most `max_text_bytes`).
pub fn read_instance_with_limits(
    bytes: &[u8],
    name: &str,
    family: Option<Family>,
    limits: &ReadLimits,
) -> Result<AnyInstance, ParseError> {
    let stem = instance_stem(name);
    let lower = name.to_ascii_lowercase();
    let text_of = |format| crate::text::decode_with_limits(bytes, format, limits);
    let family = match family.or_else(|| family_from_name(name)) {
        Some(f) => f,
        None => {
            let text = text_of(Format::Json)?;
            family_from_text(&text).ok_or_else(|| {
                ParseError::unsupported(
                    Format::Json,
                    0,
                    "input",
                    "cannot tell the problem family; pass --family",
                )
            })?
        }
    };
    let trimmed_json = |t: &str| t.trim_start().starts_with('{');
    match family {
        Family::Tsp => {
            let text = text_of(Format::Tsplib)?;
            if trimmed_json(&text) {
                return read_json_instance_with_limits(&text, Some(Family::Tsp), limits);
            }
            tsp::read::read_tsplib_with_limits(&text, limits).map(AnyInstance::Tsp)
        }
        Family::Cvrp => {
            let text = text_of(Format::Cvrplib)?;
            if trimmed_json(&text) {
                return read_json_instance_with_limits(&text, Some(Family::Cvrp), limits);
            }
            cvrp::read::read_cvrplib_with_limits(&text, None, limits).map(AnyInstance::Cvrp)
        }
        Family::Jssp => {
            let text = text_of(Format::Jssp)?;
            if trimmed_json(&text) {
                return read_json_instance_with_limits(&text, Some(Family::Jssp), limits);
            }
            jssp::read::read_jssp_with_limits(&text, &stem, limits).map(AnyInstance::Jssp)
        }
        Family::Fjsp => {
            let text = text_of(Format::Fjsp)?;
            if trimmed_json(&text) {
                return read_json_instance_with_limits(&text, Some(Family::Fjsp), limits);
            }
            fjsp::read::read_fjsp_with_limits(&text, &stem, limits).map(AnyInstance::Fjsp)
        }
        Family::Milp => {
            if strip_gz(&lower).ends_with(".json") {
                let text = text_of(Format::Json)?;
                return read_json_instance_with_limits(&text, Some(Family::Milp), limits);
            }
            milp::read::read_milp_with_limits(bytes, name, limits).map(|mut m| {
                if m.name.is_empty() {
                    m.name = stem.clone();
                }
                AnyInstance::Milp(m)
            })
        }
    }
}

/// Read an instance given as text in an explicit format (the HTTP `format` field); default
/// [`ReadLimits`].
pub fn read_instance_text(
    text: &str,
    format: InputFormat,
    name: &str,
) -> Result<AnyInstance, ParseError> {
    read_instance_text_with_limits(text, format, name, &ReadLimits::default())
}

/// [`read_instance_text`] under `limits` (`max_text_bytes` applies to `text` too).
pub fn read_instance_text_with_limits(
    text: &str,
    format: InputFormat,
    name: &str,
    limits: &ReadLimits,
) -> Result<AnyInstance, ParseError> {
    let text = crate::text::decode_with_limits(text.as_bytes(), Format::Json, limits)?;
    let text = text.as_ref();
    match format {
        InputFormat::Tsplib => {
            tsp::read::read_tsplib_with_limits(text, limits).map(AnyInstance::Tsp)
        }
        InputFormat::Cvrplib => {
            cvrp::read::read_cvrplib_with_limits(text, None, limits).map(AnyInstance::Cvrp)
        }
        InputFormat::Jssp => {
            jssp::read::read_orlib_with_limits(text, name, limits).map(AnyInstance::Jssp)
        }
        InputFormat::Taillard => {
            jssp::read::read_taillard_with_limits(text, name, limits).map(AnyInstance::Jssp)
        }
        InputFormat::Fjsp => {
            fjsp::read::read_fjsp_with_limits(text, name, limits).map(AnyInstance::Fjsp)
        }
        InputFormat::Mps => milp::read::read_mps_with_limits(text, limits).map(AnyInstance::Milp),
        InputFormat::Lp => milp::read::read_lp_with_limits(text, limits).map(AnyInstance::Milp),
        InputFormat::Json => read_json_instance_with_limits(text, None, limits),
    }
}

/// An instance as JSON: `{"family": "tsp", ...model fields}`; default [`ReadLimits`].
pub fn read_json_instance(text: &str, family: Option<Family>) -> Result<AnyInstance, ParseError> {
    read_json_instance_with_limits(text, family, &ReadLimits::default())
}

/// [`read_json_instance`] under `limits`: the text is at most `max_text_bytes`, serde_json
/// refuses nesting deeper than 128 levels, arrays grow only as their elements arrive, and the
/// decoded instance passes [`validate_with_limits`].
pub fn read_json_instance_with_limits(
    text: &str,
    family: Option<Family>,
    limits: &ReadLimits,
) -> Result<AnyInstance, ParseError> {
    if text.len() as u64 > limits.max_text_bytes {
        return Err(ParseError::out_of_range(
            Format::Json,
            0,
            "input size",
            format!("{} bytes", text.len()),
            format!(
                "at most {} bytes (read limit max_text_bytes)",
                limits.max_text_bytes
            ),
        ));
    }
    // The model is read directly once the tag is known, TSP and CVRP through the streaming
    // forms of `json_stream`: deserializing the internally tagged `AnyInstance` (and the
    // internally tagged `weights`) buffers the document in serde's generic content first (a
    // 120 MB coordinate list took 3.8 GB and 32 s that way).
    let parse = |r: Result<AnyInstance, serde_json::Error>| r.map_err(|e| json_error(&e));
    let inst: AnyInstance = match json_family_tag(text)
        .map_err(|e| json_error(&e))?
        .as_deref()
    {
        Some("tsp") => parse(crate::json_stream::tsp_instance(text).map(AnyInstance::Tsp))?,
        Some("cvrp") => parse(crate::json_stream::cvrp_instance(text).map(AnyInstance::Cvrp))?,
        Some("jssp") => parse(serde_json::from_str(text).map(AnyInstance::Jssp))?,
        Some("fjsp") => parse(serde_json::from_str(text).map(AnyInstance::Fjsp))?,
        Some("milp") => parse(serde_json::from_str(text).map(AnyInstance::Milp))?,
        // No or an unknown tag: serde's own message.
        _ => parse(serde_json::from_str(text))?,
    };
    if let Some(f) = family
        && inst.family() != f
    {
        return Err(ParseError::inconsistent(
            Format::Json,
            0,
            format!("expected a {f} instance, found {}", inst.family()),
        ));
    }
    validate_with_limits(&inst, limits)?;
    Ok(inst)
}

/// The `family` field of a JSON object, read without building the document (the other fields
/// are skipped, not stored).
fn json_family_tag(text: &str) -> Result<Option<String>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Tag {
        #[serde(default)]
        family: Option<String>,
    }
    serde_json::from_str::<Tag>(text).map(|t| t.family)
}

fn json_error(e: &serde_json::Error) -> ParseError {
    ParseError::malformed(Format::Json, e.line(), e.to_string())
}

/// Structural checks on an instance that did not come through a reader (JSON), under the
/// default [`ReadLimits`]: see [`validate_with_limits`].
pub fn validate(inst: &AnyInstance) -> Result<(), ParseError> {
    validate_with_limits(inst, &ReadLimits::default())
}

/// A size above its cap. JSON instances report every violation of their structure, caps
/// included, as `parse.inconsistent` (the code they always had); the detail names the limit.
fn too_many(what: &str, value: usize, max: usize, limit: &str) -> ParseError {
    ParseError::inconsistent(
        Format::Json,
        0,
        format!("{value} {what}, at most {max} allowed (read limit {limit})"),
    )
}

/// Structural checks on an instance that did not come through a reader (JSON): the readers'
/// caps from `limits` (a count such as `machines` or a matrix's `n` is not backed by data, so
/// it is checked before anything is sized from it), then indices in range and sizes
/// consistent, so that solvers, checkers and writers can index without checking. Every
/// failure is `parse.inconsistent`; a cap's detail names its [`ReadLimits`] field.
pub fn validate_with_limits(inst: &AnyInstance, limits: &ReadLimits) -> Result<(), ParseError> {
    let bad = |detail: String| Err(ParseError::inconsistent(Format::Json, 0, detail));
    let finite = |p: &[f64; 2]| p[0].is_finite() && p[1].is_finite();
    match inst {
        AnyInstance::Tsp(t) => validate_tsp(t, limits)?,
        AnyInstance::Cvrp(c) => {
            let n = c.n();
            let (max, limit) = match c.weights {
                cvrp::CvrpWeights::Coords { .. } => (limits.max_cvrp_nodes, "max_cvrp_nodes"),
                cvrp::CvrpWeights::Matrix { .. } => {
                    (limits.max_cvrp_explicit_nodes, "max_cvrp_explicit_nodes")
                }
            };
            if n > max {
                return Err(too_many("number of nodes", n, max, limit));
            }
            if n == 0 || c.demands[0] != 0 {
                return bad("demands must start with the depot's demand 0".into());
            }
            if c.capacity < 0 || c.demands.iter().any(|&d| d < 0) {
                return bad("capacity and demands must be non-negative".into());
            }
            if c.distance_limit
                .is_some_and(|d| !(d.is_finite() && d >= 0.0))
                || c.service_time.is_some_and(|s| !(s.is_finite() && s >= 0.0))
            {
                return bad(
                    "distance_limit and service_time must be finite and non-negative".into(),
                );
            }
            if let Some(d) = &c.display
                && (d.len() != n || !d.iter().all(finite))
            {
                return bad(format!("display data must be {n} finite points"));
            }
            match &c.weights {
                cvrp::CvrpWeights::Coords { coords, .. } => {
                    if coords.len() != n {
                        return bad(format!("{} coordinates for {n} nodes", coords.len()));
                    }
                    if !coords.iter().all(finite) {
                        return bad("coordinates must be finite".into());
                    }
                }
                cvrp::CvrpWeights::Matrix { n: m, matrix } => {
                    if *m != n || m.checked_mul(*m) != Some(matrix.len()) {
                        return bad(format!("matrix size does not match {n} nodes"));
                    }
                    if !matrix.iter().all(|w| w.is_finite()) {
                        return bad("matrix entries must be finite".into());
                    }
                }
            }
        }
        AnyInstance::Jssp(j) => {
            if j.machines > limits.max_machines {
                return Err(too_many(
                    "number of machines",
                    j.machines,
                    limits.max_machines,
                    "max_machines",
                ));
            }
            if j.jobs.len() > limits.max_jobs {
                return Err(too_many(
                    "number of jobs",
                    j.jobs.len(),
                    limits.max_jobs,
                    "max_jobs",
                ));
            }
            let ops = j
                .jobs
                .iter()
                .map(Vec::len)
                .fold(0usize, usize::saturating_add);
            if ops > limits.max_operations {
                return Err(too_many(
                    "number of operations",
                    ops,
                    limits.max_operations,
                    "max_operations",
                ));
            }
            for (jn, job) in j.jobs.iter().enumerate() {
                for (k, op) in job.iter().enumerate() {
                    if op.machine >= j.machines {
                        return bad(format!(
                            "operation {k} of job {jn} runs on machine {}, outside 0..{}",
                            op.machine, j.machines
                        ));
                    }
                    if !(0..=limits.max_duration).contains(&op.duration) {
                        return bad(format!(
                            "operation {k} of job {jn} has duration {}, outside 0..={} (read limit max_duration)",
                            op.duration, limits.max_duration
                        ));
                    }
                }
            }
        }
        AnyInstance::Fjsp(f) => validate_fjsp(f, limits)?,
        AnyInstance::Milp(m) => {
            let nv = m.vars.len();
            if nv > limits.max_vars {
                return Err(too_many(
                    "number of variables",
                    nv,
                    limits.max_vars,
                    "max_vars",
                ));
            }
            if m.rows.len() > limits.max_rows {
                return Err(too_many(
                    "number of rows",
                    m.rows.len(),
                    limits.max_rows,
                    "max_rows",
                ));
            }
            let nnz = m
                .rows
                .iter()
                .map(|r| r.coefs.len())
                .fold(0usize, usize::saturating_add);
            if nnz > limits.max_nonzeros {
                return Err(too_many(
                    "number of nonzeros",
                    nnz,
                    limits.max_nonzeros,
                    "max_nonzeros",
                ));
            }
            for r in &m.rows {
                if let Some((j, _)) = r.coefs.iter().find(|(j, c)| *j >= nv || !c.is_finite()) {
                    return bad(format!(
                        "row {} refers to variable {j} (of {nv}) or has a non-finite coefficient",
                        r.name
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The FJSP part of [`validate_with_limits`]: the job-shop caps (machines, jobs, total
/// operations), then every operation has at least one alternative, each on a machine in range,
/// no machine twice, times in `0..=max_duration`.
fn validate_fjsp(f: &FjspInstance, limits: &ReadLimits) -> Result<(), ParseError> {
    let bad = |detail: String| Err(ParseError::inconsistent(Format::Json, 0, detail));
    if f.machines > limits.max_machines {
        return Err(too_many(
            "number of machines",
            f.machines,
            limits.max_machines,
            "max_machines",
        ));
    }
    if f.machines == 0 {
        return bad("the instance has no machines".into());
    }
    if f.jobs.len() > limits.max_jobs {
        return Err(too_many(
            "number of jobs",
            f.jobs.len(),
            limits.max_jobs,
            "max_jobs",
        ));
    }
    let ops = f
        .jobs
        .iter()
        .map(Vec::len)
        .fold(0usize, usize::saturating_add);
    if ops > limits.max_operations {
        return Err(too_many(
            "number of operations",
            ops,
            limits.max_operations,
            "max_operations",
        ));
    }
    for (jn, job) in f.jobs.iter().enumerate() {
        for (k, op) in job.iter().enumerate() {
            if op.alternatives.is_empty() {
                return bad(format!("operation {k} of job {jn} has no eligible machine"));
            }
            let mut seen: Vec<usize> = op.alternatives.iter().map(|a| a.machine).collect();
            seen.sort_unstable();
            if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
                return bad(format!(
                    "operation {k} of job {jn} lists machine {} twice",
                    w[0]
                ));
            }
            for a in &op.alternatives {
                if a.machine >= f.machines {
                    return bad(format!(
                        "operation {k} of job {jn} may run on machine {}, outside 0..{}",
                        a.machine, f.machines
                    ));
                }
                if !(0..=limits.max_duration).contains(&a.duration) {
                    return bad(format!(
                        "operation {k} of job {jn} has duration {} on machine {}, outside 0..={} (read limit max_duration)",
                        a.duration, a.machine, limits.max_duration
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The TSP part of [`validate_with_limits`] (also used by `tsp::read::read_json`).
pub(crate) fn validate_tsp(t: &TspInstance, limits: &ReadLimits) -> Result<(), ParseError> {
    let bad = |detail: String| Err(ParseError::inconsistent(Format::Json, 0, detail));
    let finite = |p: &[f64; 2]| p[0].is_finite() && p[1].is_finite();
    let n = t.n();
    if n == 0 {
        return bad("the instance has no nodes".into());
    }
    match &t.weights {
        tsp::Weights::Coords { coords, .. } => {
            if n > limits.max_coord_nodes {
                return Err(too_many(
                    "number of nodes",
                    n,
                    limits.max_coord_nodes,
                    "max_coord_nodes",
                ));
            }
            if let Some(k) = coords.iter().position(|p| !finite(p)) {
                return bad(format!("coordinates of node {k} are not finite"));
            }
            let max = limits.max_abs_coord as f64;
            if let Some(k) = coords
                .iter()
                .position(|p| p[0].abs() > max || p[1].abs() > max)
            {
                return bad(format!(
                    "coordinates of node {k} exceed {} in absolute value (read limit max_abs_coord)",
                    limits.max_abs_coord
                ));
            }
        }
        tsp::Weights::Matrix { n, matrix } => {
            if *n > limits.max_explicit_nodes {
                return Err(too_many(
                    "number of nodes with explicit weights",
                    *n,
                    limits.max_explicit_nodes,
                    "max_explicit_nodes",
                ));
            }
            if n.checked_mul(*n) != Some(matrix.len()) {
                return bad(format!(
                    "matrix has {} entries, expected n*n = {n}*{n}",
                    matrix.len()
                ));
            }
            let max = limits.max_abs_weight.unsigned_abs();
            if let Some(k) = matrix.iter().position(|w| w.unsigned_abs() > max) {
                return bad(format!(
                    "weight {} at ({}, {}) exceeds {} in absolute value (read limit max_abs_weight)",
                    matrix[k],
                    k / n,
                    k % n,
                    limits.max_abs_weight
                ));
            }
        }
    }
    if let Some(d) = &t.display {
        if d.len() != n {
            return bad(format!("display data for {} nodes, expected {n}", d.len()));
        }
        if !d.iter().all(finite) {
            return bad("display coordinates are not finite".into());
        }
    }
    if let Some((a, b)) = t
        .fixed_edges
        .iter()
        .find(|(a, b)| *a >= n || *b >= n || a == b)
    {
        return bad(format!("fixed edge ({a}, {b}) is not an edge of {n} nodes"));
    }
    Ok(())
}

/// The instance name from a path: file name without directories and extensions.
pub fn instance_stem(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let file = strip_gz(file);
    match file.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => file.to_string(),
    }
}

/// Read a solution for `inst`: JSON (the `solve --json` shape, or the whole `solve --json`
/// object with a `solution` field) or the family's native format.
pub fn read_solution(text: &str, inst: &AnyInstance) -> Result<AnySolution, ParseError> {
    if text.trim_start().starts_with('{') {
        let v: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        let v = v.get("solution").cloned().unwrap_or(v);
        return solution_from_json(&v, inst);
    }
    match inst {
        AnyInstance::Tsp(t) => tsp::read::read_tour(text, t.n()).map(AnySolution::Tsp),
        AnyInstance::Cvrp(c) => cvrp::read::read_sol(text, c).map(AnySolution::Cvrp),
        AnyInstance::Jssp(j) => jssp::read::read_schedule(text, j).map(AnySolution::Jssp),
        AnyInstance::Fjsp(f) => fjsp::read::read_schedule(text, f).map(AnySolution::Fjsp),
        AnyInstance::Milp(m) => milp::read::read_solution(text, m).map(AnySolution::Milp),
    }
}

fn de<T: serde::de::DeserializeOwned>(name: &str, val: &Value) -> Result<T, ParseError> {
    T::deserialize(val)
        .map_err(|e| ParseError::malformed(Format::Json, 0, format!("field `{name}`: {e}")))
}

/// Parse the JSON solution shape of `inst`'s family.
pub fn solution_from_json(v: &Value, inst: &AnyInstance) -> Result<AnySolution, ParseError> {
    let field = |name: &str| {
        v.get(name)
            .ok_or_else(|| ParseError::missing(Format::Json, 0, format!("field `{name}`")))
    };
    match inst {
        AnyInstance::Tsp(_) => Ok(AnySolution::Tsp(TspSolution {
            tour: de("tour", field("tour")?)?,
        })),
        AnyInstance::Cvrp(_) => Ok(AnySolution::Cvrp(CvrpSolution {
            routes: de("routes", field("routes")?)?,
        })),
        AnyInstance::Jssp(_) => Ok(AnySolution::Jssp(JsspSolution {
            start: de("start", field("start")?)?,
        })),
        AnyInstance::Fjsp(_) => Ok(AnySolution::Fjsp(FjspSolution {
            machine: de("machine", field("machine")?)?,
            start: de("start", field("start")?)?,
        })),
        AnyInstance::Milp(m) => {
            let obj = field("values")?.as_object().ok_or_else(|| {
                ParseError::unexpected(
                    Format::Json,
                    0,
                    "an object of variable values",
                    "another JSON type",
                )
            })?;
            let index: std::collections::HashMap<&str, usize> = m
                .vars
                .iter()
                .enumerate()
                .map(|(i, v)| (v.name.as_str(), i))
                .collect();
            let mut values = vec![0.0; m.vars.len()];
            for (name, val) in obj {
                let &i = index.get(name.as_str()).ok_or_else(|| {
                    ParseError::inconsistent(Format::Json, 0, format!("unknown variable `{name}`"))
                })?;
                values[i] = val.as_f64().ok_or_else(|| {
                    ParseError::invalid_number(
                        Format::Json,
                        0,
                        format!("value of `{name}`"),
                        val.to_string(),
                    )
                })?;
            }
            Ok(AnySolution::Milp(MilpSolution { values }))
        }
    }
}

/// The JSON shape of a solution, as in `quotient solve --json`: TSP `{"tour"}`, CVRP
/// `{"routes"}`, JSSP `{"start"}`, FJSP `{"machine", "start"}`, MILP `{"values": {name: value}}` (nonzero values only).
pub fn solution_to_json(inst: &AnyInstance, sol: &AnySolution) -> Value {
    match (inst, sol) {
        (_, AnySolution::Tsp(s)) => json!({ "tour": s.tour }),
        (_, AnySolution::Cvrp(s)) => json!({ "routes": s.routes }),
        (_, AnySolution::Jssp(s)) => json!({ "start": s.start }),
        (_, AnySolution::Fjsp(s)) => json!({ "machine": s.machine, "start": s.start }),
        (AnyInstance::Milp(m), AnySolution::Milp(s)) => {
            let mut map = Map::new();
            for (v, x) in m.vars.iter().zip(&s.values) {
                if *x != 0.0 {
                    map.insert(v.name.clone(), json!(x));
                }
            }
            json!({ "values": map })
        }
        (_, AnySolution::Milp(s)) => json!({ "values": s.values }),
    }
}

/// Write a solution in the family's native format.
pub fn write_solution(inst: &AnyInstance, sol: &AnySolution) -> Result<String, String> {
    match (inst, sol) {
        (AnyInstance::Tsp(i), AnySolution::Tsp(s)) => Ok(tsp::write::write_tour(i, s)),
        (AnyInstance::Cvrp(i), AnySolution::Cvrp(s)) => Ok(cvrp::write::write_sol(i, s)),
        (AnyInstance::Jssp(i), AnySolution::Jssp(s)) => Ok(jssp::write::write_schedule(i, s)),
        (AnyInstance::Fjsp(i), AnySolution::Fjsp(s)) => Ok(fjsp::write::write_schedule(i, s)),
        (AnyInstance::Milp(i), AnySolution::Milp(s)) => {
            let obj = milp::check::check(i, s).objective;
            Ok(milp::write::write_solution(i, s, obj))
        }
        _ => Err(format!(
            "a {} solution does not fit a {} instance",
            solution_family(sol),
            inst.family()
        )),
    }
}

/// Write an instance in the family's standard format.
pub fn write_instance(inst: &AnyInstance) -> String {
    match inst {
        AnyInstance::Tsp(i) => tsp::write::write_tsplib(i),
        AnyInstance::Cvrp(i) => cvrp::write::write_cvrplib(i),
        AnyInstance::Jssp(i) => jssp::write::write_orlib(i),
        AnyInstance::Fjsp(i) => fjsp::write::write_fjsp(i),
        AnyInstance::Milp(i) => milp::write::write_mps(i),
    }
}

impl AnySolution {
    /// The TSP solution, if this is one.
    pub fn as_tsp(&self) -> Option<&TspSolution> {
        match self {
            AnySolution::Tsp(s) => Some(s),
            _ => None,
        }
    }

    /// The CVRP solution, if this is one.
    pub fn as_cvrp(&self) -> Option<&CvrpSolution> {
        match self {
            AnySolution::Cvrp(s) => Some(s),
            _ => None,
        }
    }

    /// The job-shop solution, if this is one.
    pub fn as_jssp(&self) -> Option<&JsspSolution> {
        match self {
            AnySolution::Jssp(s) => Some(s),
            _ => None,
        }
    }

    /// The flexible job-shop solution, if this is one.
    pub fn as_fjsp(&self) -> Option<&FjspSolution> {
        match self {
            AnySolution::Fjsp(s) => Some(s),
            _ => None,
        }
    }

    /// The MILP solution, if this is one.
    pub fn as_milp(&self) -> Option<&MilpSolution> {
        match self {
            AnySolution::Milp(s) => Some(s),
            _ => None,
        }
    }
}

pub fn solution_family(sol: &AnySolution) -> Family {
    match sol {
        AnySolution::Tsp(_) => Family::Tsp,
        AnySolution::Cvrp(_) => Family::Cvrp,
        AnySolution::Jssp(_) => Family::Jssp,
        AnySolution::Fjsp(_) => Family::Fjsp,
        AnySolution::Milp(_) => Family::Milp,
    }
}

/// A violation of any family, or of the family pairing itself. Serialises as the family's
/// violation does: `{"kind": "snake_case", ...fields}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnyViolation {
    Tsp(tsp::check::TspViolation),
    Cvrp(cvrp::check::CvrpViolation),
    Jssp(jssp::check::JsspViolation),
    Fjsp(fjsp::check::FjspViolation),
    Milp(milp::check::MilpViolation),
    Pairing(PairingViolation),
}

/// The solution is of another family than the instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PairingViolation {
    WrongFamily { instance: Family, solution: Family },
}

impl Violation for AnyViolation {
    fn kind(&self) -> &'static str {
        match self {
            AnyViolation::Tsp(v) => v.kind(),
            AnyViolation::Cvrp(v) => v.kind(),
            AnyViolation::Jssp(v) => v.kind(),
            AnyViolation::Fjsp(v) => v.kind(),
            AnyViolation::Milp(v) => v.kind(),
            AnyViolation::Pairing(PairingViolation::WrongFamily { .. }) => "wrong_family",
        }
    }

    fn is_structural(&self) -> bool {
        match self {
            AnyViolation::Tsp(v) => v.is_structural(),
            AnyViolation::Cvrp(v) => v.is_structural(),
            AnyViolation::Jssp(v) => v.is_structural(),
            AnyViolation::Fjsp(v) => v.is_structural(),
            AnyViolation::Milp(v) => v.is_structural(),
            AnyViolation::Pairing(_) => true,
        }
    }
}

impl fmt::Display for AnyViolation {
    /// The JSON object on one line (as in [`AnyReport::violations`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self) {
            Ok(v) => write!(f, "{v}"),
            Err(_) => f.write_str(self.kind()),
        }
    }
}

/// A family-independent check report: the recomputed objective and every violation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnyReport {
    pub objective: f64,
    pub feasible: bool,
    /// Every violation as its JSON object (`{"kind": "snake_case", ...}`): the form that
    /// `quotient check --json` and the REST service's `/v1/validate` show. The same list as
    /// [`AnyReport::typed`], made from it by [`AnyReport::new`].
    pub violations: Vec<Value>,
    /// Every violation, typed.
    #[serde(skip)]
    pub typed: Vec<AnyViolation>,
}

impl AnyReport {
    /// A report of `violations` (feasible when there are none).
    pub fn new(objective: f64, typed: Vec<AnyViolation>) -> AnyReport {
        AnyReport {
            objective,
            feasible: typed.is_empty(),
            violations: typed
                .iter()
                .map(|v| serde_json::to_value(v).unwrap_or_else(|_| json!({ "kind": v.kind() })))
                .collect(),
            typed,
        }
    }
}

fn report<V>(r: crate::CheckReport<V>, wrap: fn(V) -> AnyViolation) -> AnyReport {
    AnyReport::new(r.objective, r.violations.into_iter().map(wrap).collect())
}

/// Check `sol` against `inst` with the family's independent checker.
pub fn check(inst: &AnyInstance, sol: &AnySolution) -> AnyReport {
    match (inst, sol) {
        (AnyInstance::Tsp(i), AnySolution::Tsp(s)) => {
            report(tsp::check::check(i, s), AnyViolation::Tsp)
        }
        (AnyInstance::Cvrp(i), AnySolution::Cvrp(s)) => {
            report(cvrp::check::check(i, s), AnyViolation::Cvrp)
        }
        (AnyInstance::Jssp(i), AnySolution::Jssp(s)) => {
            report(jssp::check::check(i, s), AnyViolation::Jssp)
        }
        (AnyInstance::Fjsp(i), AnySolution::Fjsp(s)) => {
            report(fjsp::check::check(i, s), AnyViolation::Fjsp)
        }
        (AnyInstance::Milp(i), AnySolution::Milp(s)) => {
            report(milp::check::check(i, s), AnyViolation::Milp)
        }
        _ => AnyReport::new(
            f64::NAN,
            vec![AnyViolation::Pairing(PairingViolation::WrongFamily {
                instance: inst.family(),
                solution: solution_family(sol),
            })],
        ),
    }
}

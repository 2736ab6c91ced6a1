//! The one shape of a solve's answer: `quotient solve --json`, `quotient batch`'s lines, the
//! body of `POST /v1/solve` and a job's result. With the `schema` feature it also describes
//! itself for the OpenAPI document (`utoipa::ToSchema`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The answer of `POST /v1/solve`: the same object `quotient solve --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SolveResponse {
    pub instance: String,
    pub family: String,
    pub solver: String,
    /// `optimal`, `feasible`, `infeasible`, `unbounded` or `unknown`.
    pub status: String,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub elapsed_ms: u64,
    /// TSP `{"tour"}`, CVRP `{"routes"}`, JSSP `{"start"}`, MILP `{"values"}`.
    #[cfg_attr(feature = "schema", schema(value_type = Object, nullable))]
    pub solution: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

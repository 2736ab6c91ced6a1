use serde::{Deserialize, Serialize};

/// What a solve established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The solution is optimal, with a proof (the bound equals the objective).
    Optimal,
    /// A feasible solution, best found within the budget.
    Feasible,
    /// The instance has no feasible solution (proven, or evident from the data).
    Infeasible,
    /// The objective is unbounded (MILP).
    Unbounded,
    /// The budget ended before anything was established.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::Unbounded => "unbounded",
            Status::Unknown => "unknown",
        }
    }
}

/// The result of one solver run on one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveResult<S> {
    pub status: Status,
    pub solution: Option<S>,
    /// The solver's own objective value (the facade re-checks it independently).
    pub objective: Option<f64>,
    /// A proven bound on the optimum, when known.
    pub bound: Option<f64>,
    /// Why, for `infeasible` / `unknown` (e.g. "customer 7 demand 120 exceeds capacity 100").
    pub message: Option<String>,
}

impl<S> SolveResult<S> {
    pub fn feasible(solution: S, objective: f64) -> Self {
        SolveResult {
            status: Status::Feasible,
            solution: Some(solution),
            objective: Some(objective),
            bound: None,
            message: None,
        }
    }
    pub fn infeasible(message: impl Into<String>) -> Self {
        SolveResult {
            status: Status::Infeasible,
            solution: None,
            objective: None,
            bound: None,
            message: Some(message.into()),
        }
    }
    pub fn unknown(message: impl Into<String>) -> Self {
        SolveResult {
            status: Status::Unknown,
            solution: None,
            objective: None,
            bound: None,
            message: Some(message.into()),
        }
    }
}

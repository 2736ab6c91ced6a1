//! Every solver quotient has, by name (`family.method`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverKind {
    Exact,
    Heuristic,
    Neural,
}

#[derive(Debug, Clone, Serialize)]
pub struct SolverInfo {
    pub name: &'static str,
    pub family: &'static str,
    pub kind: SolverKind,
    pub description: &'static str,
}

/// The classical solvers (neural ones are listed by the neural crate with their availability).
pub const CLASSICAL: &[SolverInfo] = &[
    SolverInfo {
        name: "tsp.nn",
        family: "tsp",
        kind: SolverKind::Heuristic,
        description: "nearest-neighbour construction (TSP and ATSP)",
    },
    SolverInfo {
        name: "cvrp.savings",
        family: "cvrp",
        kind: SolverKind::Heuristic,
        description: "Clarke-Wright parallel savings with capacity and route-length limits",
    },
    SolverInfo {
        name: "jssp.dispatch",
        family: "jssp",
        kind: SolverKind::Heuristic,
        description: "Giffler-Thompson active schedules with SPT/MWKR/MOR/FIFO/FDD-MWKR rules, best kept",
    },
    SolverInfo {
        name: "milp.highs",
        family: "milp",
        kind: SolverKind::Exact,
        description: "HiGHS branch-and-cut on the model built with good_lp",
    },
];

/// The solver `auto` picks for a family.
pub fn default_for(family: &str) -> Option<&'static str> {
    match family {
        "tsp" => Some("tsp.nn"),
        "cvrp" => Some("cvrp.savings"),
        "jssp" => Some("jssp.dispatch"),
        "milp" => Some("milp.highs"),
        _ => None,
    }
}

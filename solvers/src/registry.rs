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
        name: "tsp.ils",
        family: "tsp",
        kind: SolverKind::Heuristic,
        description: "iterated Lin-Kernighan style local search (2-opt, Or-opt, LK chains, segment double-bridge) on the parallel engine",
    },
    SolverInfo {
        name: "tsp.exact",
        family: "tsp",
        kind: SolverKind::Exact,
        description: "HiGHS with lazily added subtour elimination constraints; proves optimality for small n",
    },
    SolverInfo {
        name: "cvrp.sisr",
        family: "cvrp",
        kind: SolverKind::Heuristic,
        description: "SISR ruin-and-recreate with annealing plus granular local search, on the parallel engine",
    },
    SolverInfo {
        name: "jssp.tabu",
        family: "jssp",
        kind: SolverKind::Heuristic,
        description: "tabu search with N5/N7 neighbourhoods on the disjunctive graph, on the parallel engine",
    },
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
        description: "HiGHS branch-and-cut (proves optimality; gap 1e-6)",
    },
    SolverInfo {
        name: "milp.alns",
        family: "milp",
        kind: SolverKind::Heuristic,
        description: "Balans-style adaptive LNS: HiGHS sub-MIPs around the incumbent, 8 destroy operators x 3 sizes chosen by Thompson sampling, annealing acceptance, parallel chains",
    },
];

/// Largest TSP/ATSP that `auto` sends to the exact solver.
pub const AUTO_EXACT_TSP_MAX_N: usize = 100;

/// The solver `auto` picks for a family and an instance size (nodes, operations, variables).
pub fn default_for(family: &str, size: usize) -> Option<&'static str> {
    match family {
        "tsp" if size <= AUTO_EXACT_TSP_MAX_N => Some("tsp.exact"),
        "tsp" => Some("tsp.ils"),
        "cvrp" => Some("cvrp.sisr"),
        "jssp" => Some("jssp.tabu"),
        "milp" => Some("milp.highs"),
        _ => None,
    }
}

/// Solvers that improve until their time limit: they get a default limit when none is given.
pub fn runs_until_time_limit(name: &str) -> bool {
    matches!(name, "tsp.ils" | "cvrp.sisr" | "jssp.tabu" | "milp.alns")
}

//! Every classical solver quotient has, by name (`family.method`), with its typed family and
//! whether it improves until its time limit; and the `auto` choice.

use quotient_problems::any::Family;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverKind {
    Exact,
    Heuristic,
    Neural,
}

/// What a solver is: its name, family, kind and description, and whether it improves until
/// its time limit (such a solver gets a default limit when none is given).
#[derive(Debug, Clone, Serialize)]
pub struct SolverInfo {
    pub name: &'static str,
    pub family: Family,
    pub kind: SolverKind,
    pub description: &'static str,
    #[serde(skip)]
    pub runs_until_time_limit: bool,
}

/// The classical solvers (neural ones are listed by the neural crate with their availability).
pub const CLASSICAL: &[SolverInfo] = &[
    SolverInfo {
        name: "tsp.ils",
        family: Family::Tsp,
        kind: SolverKind::Heuristic,
        description: "iterated Lin-Kernighan style local search (2-opt, Or-opt, LK chains, segment double-bridge) on the parallel engine",
        runs_until_time_limit: true,
    },
    SolverInfo {
        name: "tsp.exact",
        family: Family::Tsp,
        kind: SolverKind::Exact,
        description: "HiGHS with lazily added subtour elimination constraints; proves optimality for small n",
        runs_until_time_limit: false,
    },
    SolverInfo {
        name: "cvrp.sisr",
        family: Family::Cvrp,
        kind: SolverKind::Heuristic,
        description: "SISR ruin-and-recreate with annealing plus granular local search, on the parallel engine",
        runs_until_time_limit: true,
    },
    SolverInfo {
        name: "jssp.tabu",
        family: Family::Jssp,
        kind: SolverKind::Heuristic,
        description: "tabu search with N5/N7 neighbourhoods on the disjunctive graph, on the parallel engine",
        runs_until_time_limit: true,
    },
    SolverInfo {
        name: "tsp.nn",
        family: Family::Tsp,
        kind: SolverKind::Heuristic,
        description: "nearest-neighbour construction (TSP and ATSP)",
        runs_until_time_limit: false,
    },
    SolverInfo {
        name: "cvrp.savings",
        family: Family::Cvrp,
        kind: SolverKind::Heuristic,
        description: "Clarke-Wright parallel savings with capacity and route-length limits",
        runs_until_time_limit: false,
    },
    SolverInfo {
        name: "jssp.dispatch",
        family: Family::Jssp,
        kind: SolverKind::Heuristic,
        description: "Giffler-Thompson active schedules with SPT/MWKR/MOR/FIFO/FDD-MWKR rules, best kept",
        runs_until_time_limit: false,
    },
    SolverInfo {
        name: "milp.highs",
        family: Family::Milp,
        kind: SolverKind::Exact,
        description: "HiGHS branch-and-cut (proves optimality; gap 1e-6)",
        runs_until_time_limit: false,
    },
    SolverInfo {
        name: "milp.alns",
        family: Family::Milp,
        kind: SolverKind::Heuristic,
        description: "Balans-style adaptive LNS: HiGHS sub-MIPs around the incumbent, 8 destroy operators x 3 sizes chosen by Thompson sampling, annealing acceptance, parallel chains",
        runs_until_time_limit: true,
    },
];

/// Largest TSP/ATSP that `auto` sends to the exact solver.
pub const AUTO_EXACT_TSP_MAX_N: usize = 100;

/// The solver `auto` picks for a family and an instance size (nodes, operations, variables).
pub fn default_for(family: Family, size: usize) -> &'static str {
    match family {
        Family::Tsp if size <= AUTO_EXACT_TSP_MAX_N => "tsp.exact",
        Family::Tsp => "tsp.ils",
        Family::Cvrp => "cvrp.sisr",
        Family::Jssp => "jssp.tabu",
        Family::Milp => "milp.highs",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_prefixed_by_their_family_and_auto_picks_listed_solvers() {
        for (i, s) in CLASSICAL.iter().enumerate() {
            assert!(s.name.starts_with(&format!("{}.", s.family)), "{}", s.name);
            assert!(
                CLASSICAL[..i].iter().all(|t| t.name != s.name),
                "{}",
                s.name
            );
        }
        for family in Family::ALL {
            for size in [10, 100_000] {
                let name = default_for(family, size);
                assert!(
                    CLASSICAL
                        .iter()
                        .any(|s| s.name == name && s.family == family)
                );
            }
        }
        let improving: Vec<&str> = CLASSICAL
            .iter()
            .filter(|s| s.runs_until_time_limit)
            .map(|s| s.name)
            .collect();
        assert_eq!(
            improving,
            ["tsp.ils", "cvrp.sisr", "jssp.tabu", "milp.alns"]
        );
    }
}

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

/// What a solver is: its name, family, kind and description, whether it improves until its
/// time limit (such a solver gets a default limit when none is given), and its own parameters.
#[derive(Debug, Clone, Serialize)]
pub struct SolverInfo {
    pub name: &'static str,
    pub family: Family,
    pub kind: SolverKind,
    pub description: &'static str,
    #[serde(skip)]
    pub runs_until_time_limit: bool,
    /// The parameters this solver takes (`--param name=value`, `"params": {...}`).
    #[serde(skip)]
    pub params: &'static [ParamSpec],
}

/// One of a solver's own parameters, an integer: its name, meaning, range and default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParamSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub min: u64,
    pub max: u64,
    /// The value the solver uses when none is given.
    pub default: u64,
}

impl ParamSpec {
    /// `value` as this parameter's value, or why not (for an error message).
    pub fn parse(&self, value: &str) -> Result<u64, String> {
        let v: u64 = value
            .trim()
            .parse()
            .map_err(|_| format!("{}: `{value}` is not a non-negative integer", self.name))?;
        if !(self.min..=self.max).contains(&v) {
            return Err(format!(
                "{}: {v} is outside {}..={}",
                self.name, self.min, self.max
            ));
        }
        Ok(v)
    }
}

/// The classical solvers (neural ones are listed by the neural crate with their availability).
pub const CLASSICAL: &[SolverInfo] = &[
    SolverInfo {
        name: "tsp.ils",
        family: Family::Tsp,
        kind: SolverKind::Heuristic,
        description: "iterated Lin-Kernighan style local search (2-opt, Or-opt, LK chains, segment double-bridge) on the parallel engine",
        runs_until_time_limit: true,
        params: &[],
    },
    SolverInfo {
        name: "tsp.exact",
        family: Family::Tsp,
        kind: SolverKind::Exact,
        description: "HiGHS with lazily added subtour elimination constraints; proves optimality for small n",
        runs_until_time_limit: false,
        params: &[],
    },
    SolverInfo {
        name: "cvrp.sisr",
        family: Family::Cvrp,
        kind: SolverKind::Heuristic,
        description: "SISR ruin-and-recreate with annealing plus granular local search, on the parallel engine",
        runs_until_time_limit: true,
        params: &[],
    },
    SolverInfo {
        name: "jssp.tabu",
        family: Family::Jssp,
        kind: SolverKind::Heuristic,
        description: "tabu search with N5/N7 neighbourhoods on the disjunctive graph, on the parallel engine",
        runs_until_time_limit: true,
        params: &[],
    },
    SolverInfo {
        name: "tsp.nn",
        family: Family::Tsp,
        kind: SolverKind::Heuristic,
        description: "nearest-neighbour construction (TSP and ATSP)",
        runs_until_time_limit: false,
        params: &[],
    },
    SolverInfo {
        name: "cvrp.savings",
        family: Family::Cvrp,
        kind: SolverKind::Heuristic,
        description: "Clarke-Wright parallel savings with capacity and route-length limits",
        runs_until_time_limit: false,
        params: &[],
    },
    SolverInfo {
        name: "jssp.dispatch",
        family: Family::Jssp,
        kind: SolverKind::Heuristic,
        description: "Giffler-Thompson active schedules with SPT/MWKR/MOR/FIFO/FDD-MWKR rules, best kept",
        runs_until_time_limit: false,
        params: &[],
    },
    SolverInfo {
        name: "milp.highs",
        family: Family::Milp,
        kind: SolverKind::Exact,
        description: "HiGHS branch-and-cut (proves optimality; gap 1e-6)",
        runs_until_time_limit: false,
        params: &[],
    },
    SolverInfo {
        name: "milp.alns",
        family: Family::Milp,
        kind: SolverKind::Heuristic,
        description: "Balans-style adaptive LNS: HiGHS sub-MIPs around the incumbent, 8 destroy operators x 3 sizes chosen by Thompson sampling, annealing acceptance, parallel chains",
        runs_until_time_limit: true,
        params: &[],
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn params_parse_within_their_range() {
        let p = ParamSpec {
            name: "beam",
            description: "",
            min: 0,
            max: 8,
            default: 0,
        };
        assert_eq!(p.parse(" 8"), Ok(8));
        assert!(p.parse("9").unwrap_err().contains("outside 0..=8"));
        assert!(
            p.parse("-1")
                .unwrap_err()
                .contains("not a non-negative integer")
        );
        assert!(p.parse("x").is_err());
    }

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

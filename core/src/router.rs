//! The one solver registry and the router: the classical solvers (registered by
//! `quotient-solvers`) chained with the neural ones (registered by `quotient-neural`); `auto`
//! picks by family and size. Every choice is visible in the outcome's `solver` field. Nothing
//! here knows a solver by name: each [`Solver`] carries its info and its run function.

use crate::SolveError;
use quotient_neural::solvers::NEURAL;
use quotient_problems::any::AnyInstance;
use quotient_solvers::registry::{
    self, AnyResult, CLASSICAL, RunContext, RunError, Solver, SolverInfo,
};

/// Every solver, classical ones first.
pub fn registry() -> impl Iterator<Item = &'static Solver> {
    CLASSICAL.iter().chain(NEURAL.iter())
}

/// The solver called `name` (ASCII case ignored).
pub fn find_solver(name: &str) -> Option<&'static Solver> {
    registry().find(|s| s.info.name.eq_ignore_ascii_case(name))
}

/// Every solver's info with its availability on this machine: classical ones always; a neural
/// one when the ONNX Runtime library loads and its models are present with the registry's
/// sha256 (otherwise the reason, with its code).
pub fn available_solvers() -> Vec<(&'static SolverInfo, Result<(), String>)> {
    registry()
        .map(|s| {
            let ok = (s.available)().map_err(|e| format!("{e} [{}]", e.code()));
            (&s.info, ok)
        })
        .collect()
}

/// Whether solver `name` improves until its time limit (it gets a default limit when none is
/// given).
pub fn runs_until_time_limit(name: &str) -> bool {
    find_solver(name).is_some_and(|s| s.info.runs_until_time_limit)
}

/// Resolve `requested` (a name or `auto`) for `instance`: the solver, of the instance's
/// family, usable here.
pub fn choose_solver(
    instance: &AnyInstance,
    requested: &str,
) -> Result<&'static Solver, SolveError> {
    let family = instance.family();
    let name = if requested.is_empty() || requested.eq_ignore_ascii_case("auto") {
        registry::default_for_instance(instance)
    } else {
        requested
    };
    let solver = find_solver(name).ok_or_else(|| SolveError::UnknownSolver {
        name: requested.into(),
    })?;
    if solver.info.family != family {
        return Err(SolveError::WrongFamily {
            solver: solver.info.name.into(),
            solver_family: solver.info.family,
            family,
        });
    }
    (solver.available)().map_err(|e| run_error(solver, e))?;
    Ok(solver)
}

/// A run function's failure as a solve error.
fn run_error(solver: &Solver, e: RunError) -> SolveError {
    match e {
        RunError::Unsupported(reason) => SolveError::Unsupported {
            solver: solver.info.name.into(),
            reason,
        },
        RunError::Unavailable { reason, code } => SolveError::SolverUnavailable {
            solver: solver.info.name.into(),
            reason,
            code,
        },
    }
}

/// Run `solver` in `cx`.
pub(crate) fn run(solver: &Solver, cx: &RunContext<'_>) -> Result<AnyResult, SolveError> {
    (solver.run)(cx).map_err(|e| run_error(solver, e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::any::Family;

    #[test]
    fn the_registry_holds_every_solver_once_with_its_family_prefix() {
        let names: Vec<&str> = registry().map(|s| s.info.name).collect();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n} registered twice");
        }
        for s in registry() {
            assert!(s.info.name.starts_with(&format!("{}.", s.info.family)));
        }
        // Both crates' lists are in it, classical ones first.
        assert_eq!(names.first(), Some(&"tsp.ils"));
        assert!(names.contains(&"jssp.l2s") && names.contains(&"milp.alns"));
        assert_eq!(find_solver("TSP.NN").unwrap().info.name, "tsp.nn");
        assert!(find_solver("tsp.none").is_none());
        assert!(runs_until_time_limit("cvrp.sisr") && !runs_until_time_limit("cvrp.savings"));
        assert!(runs_until_time_limit("tsp.bq+ils") && !runs_until_time_limit("tsp.bq"));
        let l2s = find_solver("jssp.l2s").unwrap();
        assert_eq!(l2s.info.family, Family::Jssp);
        assert_eq!(
            l2s.info.params.iter().map(|p| p.name).collect::<Vec<_>>(),
            ["steps"]
        );
    }
}

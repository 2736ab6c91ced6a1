//! quotient-solvers: the solvers of each family. Solvers take a problem model and return a
//! [`engine::SolveResult`]; the facade checks every solution independently before returning it.
//! The family-agnostic parts (budget, observer, outcome, worker pool, incumbent, acceptance,
//! tabu memory, bandit) are the `quotient-engine` crate, re-exported here as [`engine`].

pub use quotient_engine as engine;

pub mod cvrp;
pub mod farm;
pub mod fjsp;
pub mod jssp;
pub mod milp;
pub mod registry;
pub(crate) mod spatial;
pub mod tsp;

/// Whether the run-time twin checks are on: each applied move's fast evaluation asserted against
/// its from-scratch recomputation. Always with the `check-deltas` feature; in this crate's unit
/// tests also when `QUOTIENT_CHECK_DELTAS=1`, so that `scripts/test` runs the unit-test binary it
/// has already built a second time with the checks on instead of rebuilding the workspace with
/// the feature (9 minutes of CI).
#[cfg(any(test, feature = "check-deltas"))]
#[inline]
pub(crate) fn check_deltas() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    cfg!(feature = "check-deltas")
        || *ON.get_or_init(|| std::env::var_os("QUOTIENT_CHECK_DELTAS").is_some_and(|v| v == "1"))
}

#[cfg(test)]
mod tests {
    /// The run-time twin checks are on exactly with the feature or `QUOTIENT_CHECK_DELTAS=1`
    /// (`scripts/test` runs this binary once more with it set: a switch that is not read would
    /// let that run check nothing).
    #[test]
    fn the_twin_checks_follow_the_feature_and_the_environment() {
        let env = std::env::var_os("QUOTIENT_CHECK_DELTAS").is_some_and(|v| v == "1");
        assert_eq!(super::check_deltas(), cfg!(feature = "check-deltas") || env);
    }
}

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

//! quotient-solvers: the family-agnostic engine (budget, observer, outcome) and the solvers of
//! each family. Solvers take a problem model and return a [`engine::SolveResult`]; the facade
//! checks every solution independently before returning it.

pub mod cvrp;
pub mod engine;
pub mod jssp;
pub mod milp;
pub mod registry;
pub mod tsp;

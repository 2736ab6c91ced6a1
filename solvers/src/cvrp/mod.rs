//! CVRP solvers.

pub mod dc;
pub mod savings;
pub mod sisr;

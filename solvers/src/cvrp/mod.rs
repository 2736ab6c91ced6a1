//! CVRP solvers.

pub mod savings;
pub mod sisr;

//! CVRP solvers.

pub mod savings;

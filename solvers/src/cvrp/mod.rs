//! CVRP solvers.

pub mod dc;
mod near;
pub mod savings;
pub mod sisr;

//! Job-shop solvers.

pub mod dispatch;
pub mod graph;
pub mod moves;
pub mod tabu;

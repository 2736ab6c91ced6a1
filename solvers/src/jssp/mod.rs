//! Job-shop solvers.

pub mod blocking;
pub mod dispatch;
pub mod graph;
pub mod insertion;
pub mod moves;
pub mod relink;
pub mod tabu;

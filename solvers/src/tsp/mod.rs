//! TSP / ATSP solvers.

pub mod exact;
mod construct;
mod graph;
pub mod ils;
mod ls;
pub mod nearest;
mod tour;

//! TSP / ATSP solvers.

pub mod nearest;

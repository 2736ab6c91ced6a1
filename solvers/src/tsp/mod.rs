//! TSP / ATSP solvers.

mod bridge;
mod construct;
pub mod dc;
pub mod exact;
mod graph;
pub mod ils;
mod ls;
mod merge;
pub mod nearest;
mod tour;

pub use graph::{CandidateOrder, nearest_lists};

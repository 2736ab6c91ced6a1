//! The family-agnostic part of solving: budgets (deadline, iteration cap, target, cancel flag),
//! observers of new incumbents, and the outcome of a solve. Knows nothing about any family.

mod budget;
mod observer;
mod outcome;
pub mod search;

pub use budget::Budget;
pub use observer::{Improvement, NoObserver, Observer, SolutionFn};
pub use outcome::{SolveResult, Status};
pub use search::{Acceptance, EngineConfig, EngineResult, Search};

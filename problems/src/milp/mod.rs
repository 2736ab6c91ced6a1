//! The MILP family: model, readers, writers, independent checker, generators.

pub mod check;
pub mod generate;
pub mod inf_serde;
pub mod model;
pub mod read;
pub mod write;

pub use model::*;

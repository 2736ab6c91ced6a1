//! The MILP family: model, readers (MPS, CPLEX LP, solutions), writers, independent checker and
//! seeded generators.

pub mod check;
pub mod dmip;
pub mod generate;
pub mod inf_serde;
pub mod lp;
pub mod model;
pub mod mps;
pub mod read;
pub mod write;

pub use check::{MilpViolation, check, check_with_tolerance};
pub use model::*;
pub use read::{read_lp, read_milp, read_mps, read_solution};
pub use write::{write_lp, write_mps, write_solution};

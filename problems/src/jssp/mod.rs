//! The JSSP family: model, readers, writers, independent checker, generators.

pub mod blocking;
pub mod check;
pub mod generate;

pub mod model;
pub mod read;
pub mod write;

pub use check::{JsspViolation, check, machine_sequences};
pub use model::*;
pub use read::{read_jssp, read_orlib, read_schedule, read_taillard};
pub use write::{write_orlib, write_schedule, write_taillard};

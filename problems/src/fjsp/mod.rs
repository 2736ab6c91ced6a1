//! The flexible job shop (FJSP) family: each operation of a job runs on one machine chosen from
//! its eligible machines, with a processing time that depends on the machine. Model, reader and
//! writer of the Brandimarte / Hurink text format, independent checker, generator.

pub mod check;
pub mod generate;
pub mod model;
pub mod read;
pub mod write;

pub use check::{FjspViolation, check, machine_sequences};
pub use model::*;
pub use read::{read_fjsp, read_fjsp_with_limits, read_schedule};
pub use write::{write_fjsp, write_schedule};

//! The TSP family: model, readers, writers, independent checker, generators.

pub mod check;
pub mod generate;

pub mod model;
pub mod read;
pub mod write;

pub use check::{TspViolation, check, tour_length};
pub use generate::{clustered, uniform};
pub use model::*;
pub use read::{read_json, read_tour, read_tsplib};
pub use write::{write_tour, write_tsplib};

//! The CVRP family: model, readers, writers, independent checker, generators.

pub mod check;
pub mod generate;

pub mod model;
pub mod read;
pub mod write;

pub use check::{CheckOptions, CvrpViolation, check, check_with};
pub use generate::{CustomerPos, DemandKind, DepotPos, XParams, uniform, x_style};
pub use model::*;
pub use read::{read_cvrplib, read_sol, read_sol_with_cost};
pub use write::{write_cvrplib, write_sol};

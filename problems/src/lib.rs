//! quotient-problems: the five problem families (TSP/ATSP, CVRP, JSSP, FJSP, MILP), each with a plain
//! data model, readers and writers for its standard formats, an independent checker and seeded
//! generators. Nothing here knows about solvers.

pub mod any;
pub mod check;
pub mod cvrp;
pub mod error;
pub mod fjsp;
#[doc(hidden)]
pub mod fuzzing;
mod json_stream;
pub mod jssp;
pub mod limits;
pub mod milp;
pub mod text;
pub mod tsp;

pub use check::CheckReport;
pub use error::{Format, ParseError, ParseErrorKind};
pub use limits::ReadLimits;

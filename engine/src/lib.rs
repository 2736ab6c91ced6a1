//! quotient-engine: what every family's search shares, and nothing family-specific (this
//! crate depends on no family code, so the compiler keeps it that way).
//!
//! * [`Budget`] (deadline, iteration cap, target, cancel flag), [`Observer`] of new
//!   incumbents, [`SolveResult`] / [`Status`];
//! * the worker pool ([`pool::run_workers`]) and per-worker seeds ([`pool::worker_seed`]);
//! * the shared incumbent ([`SharedIncumbent`]) and an elite pool ([`ElitePool`]);
//! * acceptance criteria as values with an `accept` method ([`accept`]);
//! * a tabu memory, tenures and a cycle memory ([`tabu`]);
//! * operator feedback: a Thompson-sampling bandit over operators ([`feedback`]);
//! * the parallel improvement loop over a family's [`Search`] ([`search::run`]).
//!
//! `quotient-solvers` re-exports this crate as `quotient_solvers::engine`.

pub mod accept;
mod budget;
pub mod elite;
pub mod feedback;
pub mod incumbent;
mod observer;
mod outcome;
pub mod pool;
pub mod search;
pub mod tabu;

pub use accept::{Acceptance, Annealing, Criterion};
pub use budget::Budget;
pub use elite::ElitePool;
pub use incumbent::SharedIncumbent;
pub use observer::{Improvement, NoObserver, Observer, SolutionFn};
pub use outcome::{SolveResult, Status};
pub use search::{EngineConfig, EngineResult, Search};

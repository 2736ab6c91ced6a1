//! Solvers for the blocking job shops (`JsspVariant::Blocking` / `Swap` / `InterruptingSwap`:
//! BJSSP, SBJSSP, ISBJSSP; see `quotient_problems::jssp::JsspVariant` for the definitions).
//!
//! * [`timetable`]: decodes a job order into a schedule feasible for the variant (job-by-job
//!   insertion into the machines' timelines; no deadlock, no forbidden swap).
//! * [`dispatch`]: `jssp.blocking-dispatch`, dispatching rules on job orders (FIFO, SPT, MWKR,
//!   greedy earliest completion, NEH, random) and the operation-level rules of [`simulate`]
//!   (event simulation with swaps, the ISBJSSP paper's setting), best kept.
//! * [`ig`]: `jssp.blocking`, iterated greedy over job orders on the parallel engine; its
//!   best order ([`ig::best_order`]) is the expert that `jssp.blocking-gnn` (the GNN job-order
//!   policy in `quotient_neural::blocking`) imitates.
//! * [`shutdown`]: the interrupting part of ISBJSSP: random machine shutdowns while the shop
//!   runs, and online execution under them of every `sim-*` rule and of an offline schedule's
//!   machine sequences, each realized schedule checked (`quotient simulate`).

pub mod dispatch;
pub mod ig;
pub mod shutdown;
pub mod simulate;
pub mod timetable;

//! Flexible job-shop solvers: the disjunctive graph with machine assignments ([`graph`]), the
//! reassignment / reinsertion neighbourhood with its exact evaluation ([`moves`]), dispatching
//! constructions ([`dispatch`], `fjsp.dispatch`) and the tabu search ([`tabu`], `fjsp.tabu`).

pub mod dispatch;
pub mod graph;
pub mod moves;
pub mod tabu;

//! The result of an independent check: the objective recomputed from scratch and every violated
//! constraint as structured data. Checkers share no code with any solver.

use serde::{Deserialize, Serialize};

/// Objective recomputed from the solution alone, and every violation found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport<V> {
    /// The objective value of the solution as given (even when it is infeasible, where defined).
    pub objective: f64,
    /// Every violated constraint; empty means feasible.
    pub violations: Vec<V>,
}

impl<V> CheckReport<V> {
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

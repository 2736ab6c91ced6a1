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

/// What every family's violation type tells about itself. Each serialises in one style,
/// `{"kind": "snake_case", ...fields}`, and [`Violation::kind`] is that same stable code.
pub trait Violation {
    /// The stable code of this kind of violation (the `kind` field of its JSON form).
    fn kind(&self) -> &'static str;
    /// Whether the solution is not even shaped for the instance (wrong length or count, an
    /// index out of range), as opposed to a constraint a shaped solution may break (a
    /// capacity excess, a missing customer): a warm start may be repaired from the latter,
    /// not from the former.
    fn is_structural(&self) -> bool;
}

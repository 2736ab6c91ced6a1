//! Capacity by penalty (as in HGS-CVRP and PyVRP's penalty manager): routes may carry more than
//! the capacity, and each unit above it costs `weight` in the objective the search minimises.
//! The weight of each worker is adapted every [`UPDATE_EVERY`] candidates towards a target
//! share of feasible candidates: raised when too few were feasible, lowered when too many.
//! The route-length limit stays exact, and only feasible solutions become the incumbent
//! ([`crate::engine::search::Search::feasible`]).

use super::data::Data;

/// Candidates between two updates of the weight.
pub(crate) const UPDATE_EVERY: u32 = 100;
/// Factor applied to the weight when too few candidates were feasible.
const RAISE: f64 = 1.2;
/// Factor applied when too many were.
const LOWER: f64 = 0.85;
/// Bounds of the weight, as multiples of the start weight.
const RANGE: (f64, f64) = (1e-3, 1e3);

/// The penalty policy of a solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Policy {
    /// Start weight of a unit of excess load.
    pub start: f64,
    /// Target share of feasible candidates: `[min_feasible, max_feasible]`.
    pub min_feasible: f64,
    pub max_feasible: f64,
}

impl Policy {
    /// Start weight as in HGS-CVRP: the longest depot edge over the largest demand, so that
    /// one unit of excess costs about as much as the detour to carry it separately.
    pub fn new(data: &Data<'_>, min_feasible: f64, max_feasible: f64) -> Self {
        let far = (1..data.n)
            .map(|c| data.d(0, c).max(data.d(c, 0)))
            .fold(0.0, f64::max);
        let demand = data.demand.iter().copied().max().unwrap_or(1).max(1);
        Policy {
            start: (far / demand as f64).clamp(1e-3, 1e6),
            min_feasible,
            max_feasible,
        }
    }

    /// The weight after a window with `feasible` of `seen` candidates feasible.
    pub fn adapted(&self, weight: f64, seen: u32, feasible: u32) -> f64 {
        let share = f64::from(feasible) / f64::from(seen.max(1));
        let w = if share < self.min_feasible {
            weight * RAISE
        } else if share > self.max_feasible {
            weight * LOWER
        } else {
            weight
        };
        w.clamp(self.start * RANGE.0, self.start * RANGE.1)
    }
}

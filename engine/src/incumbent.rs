//! The best solution shared by all workers of a search.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The shared incumbent of a minimisation: a lock-free "is this better?" test on the cost's
/// bits, and the solution behind a mutex. A candidate replaces it only when its cost is below
/// the incumbent's by more than the tolerance (none by default; see
/// [`SharedIncumbent::with_tolerance`]).
#[derive(Debug)]
pub struct SharedIncumbent<S> {
    cost_bits: AtomicU64,
    best: Mutex<Option<(f64, S)>>,
    tolerance: f64,
}

impl<S: Clone> Default for SharedIncumbent<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Clone> SharedIncumbent<S> {
    /// No incumbent yet (cost +infinity); any finite cost is an improvement.
    pub fn new() -> Self {
        SharedIncumbent {
            cost_bits: AtomicU64::new(f64::INFINITY.to_bits()),
            best: Mutex::new(None),
            tolerance: 0.0,
        }
    }

    /// Starting from a known solution.
    pub fn with_initial(cost: f64, solution: S) -> Self {
        SharedIncumbent {
            cost_bits: AtomicU64::new(cost.to_bits()),
            best: Mutex::new(Some((cost, solution))),
            tolerance: 0.0,
        }
    }

    /// Count a candidate as better only when it is below the incumbent by more than
    /// `relative * max(|cost|, 1)` (for objectives computed in floating point, where a
    /// rounding difference is no progress).
    pub fn with_tolerance(mut self, relative: f64) -> Self {
        self.tolerance = relative;
        self
    }

    /// The smallest gain that counts as better, for a candidate of cost `cost`.
    pub fn margin(&self, cost: f64) -> f64 {
        if self.tolerance == 0.0 {
            0.0
        } else {
            self.tolerance * cost.abs().max(1.0)
        }
    }

    /// The incumbent's cost (+infinity when there is none).
    pub fn cost(&self) -> f64 {
        f64::from_bits(self.cost_bits.load(Ordering::Acquire))
    }

    /// Publish the solution made by `solution` if `cost` beats the incumbent; true when it
    /// did (`solution` is called only then).
    pub fn offer(&self, cost: f64, solution: impl FnOnce() -> S) -> bool {
        let margin = self.margin(cost);
        if cost >= self.cost() - margin {
            return false;
        }
        let Ok(mut guard) = self.best.lock() else {
            return false;
        };
        if guard.as_ref().is_some_and(|(c, _)| cost >= *c - margin) {
            return false;
        }
        *guard = Some((cost, solution()));
        self.cost_bits.store(cost.to_bits(), Ordering::Release);
        true
    }

    /// A copy of the incumbent and its cost.
    pub fn get(&self) -> Option<(f64, S)> {
        self.best.lock().ok().and_then(|g| g.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_strict_improvements_replace_it() {
        let inc = SharedIncumbent::new();
        assert_eq!(inc.cost(), f64::INFINITY);
        assert!(inc.get().is_none());
        assert!(inc.offer(5.0, || "a"));
        assert!(!inc.offer(5.0, || "b"));
        assert!(!inc.offer(f64::INFINITY, || "c"));
        assert!(inc.offer(4.0, || "d"));
        assert_eq!(inc.get(), Some((4.0, "d")));
    }

    #[test]
    fn tolerance_ignores_rounding_sized_gains() {
        let inc = SharedIncumbent::with_initial(100.0, 0).with_tolerance(1e-9);
        assert!(!inc.offer(100.0 - 1e-8, || 1));
        assert!(inc.offer(99.0, || 2));
        assert_eq!(inc.get(), Some((99.0, 2)));
        assert_eq!(inc.margin(-1000.0), 1e-9 * 1000.0);
        assert_eq!(SharedIncumbent::<u8>::new().margin(f64::INFINITY), 0.0);
    }
}

//! The tabu memory's layout: which slot of a worker's [`TabuTable`] holds the ordered pair
//! "operation a before operation b" (exact pairs per machine when they fit, else hashed), the
//! tenure range, and the length of the cycle memory.

use super::search::{State, Tabu};
#[cfg(doc)]
use crate::engine::tabu::TabuTable;
use crate::engine::tabu::Tenure;
use crate::jssp::graph::Problem;
use crate::jssp::moves::{Move, created_orders};

/// Largest tabu table (slots of one `u64`, per worker): 8 MiB.
pub(super) const DENSE_TABU: usize = 1 << 20;

/// Iterations whose schedules are remembered to detect cycling.
pub(super) const RECENT: usize = 64;

/// Where the ordered pairs live in a worker's tabu table.
#[derive(Debug, Clone)]
pub(super) struct PairSlots {
    /// One slot per ordered pair of operations on one machine (a `k x k` block per machine
    /// at `offset[machine]`); otherwise pairs are hashed into [`DENSE_TABU`] slots.
    dense: bool,
    offset: Vec<usize>,
    len: usize,
}

impl PairSlots {
    /// The exact layout when it needs at most `dense_limit` (and [`DENSE_TABU`]) slots, else
    /// the hashed one.
    pub(super) fn new(p: &Problem, dense_limit: usize) -> PairSlots {
        let mut offset = Vec::with_capacity(p.machines);
        let mut pairs = 0usize;
        for &k in &p.mach_count {
            offset.push(pairs);
            pairs = pairs.saturating_add(k.saturating_mul(k));
        }
        let dense = pairs <= dense_limit.min(DENSE_TABU);
        PairSlots {
            dense,
            offset,
            len: if dense { pairs } else { DENSE_TABU },
        }
    }

    /// Slots a worker's table needs.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Slot of the ordered pair (a before b), both on one machine: one slot per pair when
    /// dense, else a hash into a table of [`DENSE_TABU`] slots (a collision can only make a
    /// move tabu by mistake).
    pub(super) fn slot(&self, p: &Problem, a: u32, b: u32) -> usize {
        if self.dense {
            let m = p.mach[a as usize] as usize;
            let k = p.mach_count[m];
            self.offset[m] + p.local[a as usize] as usize * k + p.local[b as usize] as usize
        } else {
            let h = (u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (h >> 40) as usize % DENSE_TABU
        }
    }
}

/// The tenure range `[L, 1.4 L]` (or `1.5 L` when jobs > 2 machines), `L = 10 + jobs /
/// machines` (Zhang et al.).
pub(super) fn tenure(p: &Problem) -> Tenure {
    let jobs = p.num_jobs() as u64;
    let machines = (p.machines as u64).max(1);
    let min = 10 + jobs / machines;
    let max = if jobs <= 2 * machines {
        min * 14 / 10
    } else {
        min * 15 / 10
    };
    Tenure { min, max }
}

impl Tabu<'_> {
    /// Whether `mv` restores an order that is still tabu.
    pub(super) fn is_tabu(&self, st: &State, mv: Move) -> bool {
        created_orders(&st.sch, mv)
            .any(|(a, b)| st.tabu.is_tabu(self.slots.slot(self.p, a, b), st.iter))
    }
    /// Forbid undoing `mv` (to be called before applying it).
    pub(super) fn make_tabu(&self, st: &mut State, mv: Move, tenure: u64) {
        let until = st.iter + tenure;
        for (a, b) in created_orders(&st.sch, mv) {
            st.tabu.forbid(self.slots.slot(self.p, b, a), until);
        }
    }
}

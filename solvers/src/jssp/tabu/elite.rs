//! The worker's elite schedules (its best distinct phase results): remembering them, and path
//! relinking towards one of them.

use super::search::{State, Tabu};
use crate::jssp::relink::{distance, positions, walk};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Elite schedules a worker keeps.
pub(super) const ELITE: usize = 8;

/// With relinking on, one perturbation in this many relinks (when two elite schedules exist).
pub(super) const RELINK_ODDS: u32 = 3;

impl Tabu<'_> {
    /// Path relinking between the current schedule and elite schedule `i`: from the current
    /// one towards the elite one or the other way round (at random), stopping after 1/3 to 1/2
    /// of the distance. False (state unchanged) when they are equal.
    pub(super) fn relink_towards(&self, st: &mut State, i: usize, rng: &mut ChaCha8Rng) -> bool {
        let Some((_, (_, elite))) = st.elite.get(i) else {
            return false;
        };
        if rng.random::<bool>() {
            positions(elite, &mut st.tpos);
        } else {
            positions(&st.sch.seq, &mut st.tpos);
            st.sch.load(self.p, elite);
        }
        let d = distance(&st.sch.seq, &st.tpos);
        if d == 0 {
            return false;
        }
        let steps = (d * rng.random_range(33..=50) / 100).max(1);
        walk(self.p, &mut st.sch, &st.tpos, steps, rng, &mut st.sc);
        true
    }

    /// Keep the current schedule among the elite when it is distinct and good enough.
    pub(super) fn remember_elite(st: &mut State) {
        let h = st.sch.hash;
        st.elite
            .insert(st.sch.cmax, (h, st.sch.seq.clone()), |e| e.0 == h);
    }
}

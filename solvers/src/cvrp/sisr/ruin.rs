//! SISR ruin: adjacent string removal (Christiaens & Vanden Berghe 2020, section 5.1).
//!
//! * `l_s_max = min(L_max, average route cardinality)`, `k_s_max = 4 c̄ / (1 + l_s_max) - 1`,
//!   `k_s = floor(U(1, k_s_max + 1))` strings are removed;
//! * a random seed customer and its nearest neighbours are scanned; for each customer whose
//!   route is not ruined yet a string of cardinality `l = floor(U(1, min(|t|, l_s_max) + 1))`
//!   containing it is removed from its route, either as one string or (probability
//!   `split_rate`, when `l < |t|`) as a split string: a string of `l + m` customers with `m`
//!   consecutive ones preserved, `m` grown from 1 while `U(0,1) > split_depth`.

use super::data::Data;
use super::state::{NONE, State};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// SISR parameters (the paper's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SisrParams {
    /// c̄: average number of removed customers.
    pub avg_removed: f64,
    /// L_max: largest string cardinality.
    pub max_string: f64,
    /// Probability of the split-string procedure.
    pub split_rate: f64,
    /// β of the split string: probability to stop growing the preserved part.
    pub split_depth: f64,
    /// Blink rate of the greedy insertion: probability to skip a position.
    pub blink: f64,
}

impl Default for SisrParams {
    fn default() -> Self {
        SisrParams {
            avg_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            split_depth: 0.01,
            blink: 0.01,
        }
    }
}

/// Remove strings; the removed customers are left in `st.removed` (their `route_of` is
/// `NONE`); emptied routes stay in place until the recreate compacts them.
pub(crate) fn ruin(data: &Data<'_>, st: &mut State, rng: &mut ChaCha8Rng, p: &SisrParams) {
    st.removed.clear();
    let customers = data.n - 1;
    let routes = st.routes.iter().filter(|r| !r.nodes.is_empty()).count();
    if customers == 0 || routes == 0 {
        return;
    }
    let avg_card = customers as f64 / routes as f64;
    let ls_max = p.max_string.min(avg_card).max(1.0);
    let ks_max = (4.0 * p.avg_removed / (1.0 + ls_max) - 1.0).max(1.0);
    let ks = (rng.random_range(1.0..ks_max + 1.0).floor() as usize).max(1);
    let seed = rng.random_range(1..data.n) as u32;
    let stamp = st.next_stamp();
    let mut ruined = 0usize;
    let near = &data.near[seed as usize];
    for idx in 0..=near.len() {
        if ruined >= ks {
            break;
        }
        let c = if idx == 0 { seed } else { near[idx - 1] };
        let r = st.route_of[c as usize];
        if r == NONE || st.stamp[r as usize] == stamp {
            continue;
        }
        let r = r as usize;
        st.stamp[r] = stamp;
        ruined += 1;
        let t = st.routes[r].nodes.len();
        let lt_max = (t as f64).min(ls_max);
        let lt = (rng.random_range(1.0..lt_max + 1.0).floor() as usize).clamp(1, t);
        let pc = st.pos[c as usize] as usize;
        if lt < t && rng.random::<f64>() < p.split_rate {
            let mut m = 1;
            while lt + m < t && rng.random::<f64>() > p.split_depth {
                m += 1;
            }
            let total = lt + m;
            let start = string_start(rng, pc, total, t);
            let keep = start + rng.random_range(0..=lt);
            remove_positions(data, st, r, start, total, Some((keep, m)));
        } else {
            let start = string_start(rng, pc, lt, t);
            remove_positions(data, st, r, start, lt, None);
        }
    }
}

/// A uniform start of a window of `len` positions inside `0..t` that contains `pc`.
fn string_start(rng: &mut ChaCha8Rng, pc: usize, len: usize, t: usize) -> usize {
    let lo = (pc + 1).saturating_sub(len);
    let hi = pc.min(t - len);
    if lo >= hi {
        lo.min(hi)
    } else {
        rng.random_range(lo..=hi)
    }
}

/// Remove positions `start..start + len` of route `r`, except `keep.0..keep.0 + keep.1`.
fn remove_positions(
    data: &Data<'_>,
    st: &mut State,
    r: usize,
    start: usize,
    len: usize,
    keep: Option<(usize, usize)>,
) {
    let kept = |p: usize| keep.is_some_and(|(k, m)| p >= k && p < k + m);
    let nodes = std::mem::take(&mut st.routes[r].nodes);
    let mut out = Vec::with_capacity(nodes.len());
    for (p, &c) in nodes.iter().enumerate() {
        if p >= start && p < start + len && !kept(p) {
            st.removed.push(c);
            st.route_of[c as usize] = NONE;
        } else {
            out.push(c);
        }
    }
    st.routes[r].nodes = out;
    st.refresh(data, r);
}

//! SWAP* (Vidal, "Hybrid genetic search for the CVRP: open-source implementation and SWAP*
//! neighborhood", Computers & Operations Research 140, 2022): for two routes whose polar
//! sectors around the depot overlap, exchange a customer `u` of one with a customer `v` of the
//! other, each inserted at its best position in the other route (not necessarily where the
//! other was).
//!
//! For a pair of routes the three cheapest insertion positions of every customer in the other
//! route are computed first. The best position of `v` in `u`'s route once `u` is out is then
//! either where `u` was, or the cheapest of those three that does not touch `u` (at most two of
//! them do), so the best exchange of the pair is found exactly in `O(|r1| |r2|)`. The
//! route-length limit is checked exactly (for a given pair `(u, v)` the cheapest insertion also
//! gives the shortest route), and so is capacity, or its penalty, which depends on `(u, v)`
//! only. The move found is a [`Move::SwapStar`]: [`ls::evaluate`]
//! prices it and [`ls::scratch`] is its from-scratch twin, like every other move;
//! [`best_scratch`] (tests) is the twin of the whole search, trying every exchange and every
//! pair of positions.

use super::data::{ANGLE_UNITS, Data};
use super::ls::{self, Move, Prefix};
use super::state::State;
use crate::engine::Budget;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// A circular sector of polar angles (HGS-CVRP's `CircleSector`): from `start`
/// counter-clockwise to `end`, in `0..ANGLE_UNITS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sector {
    start: i32,
    end: i32,
}

#[inline]
fn turn(a: i32) -> i32 {
    a.rem_euclid(ANGLE_UNITS)
}

impl Sector {
    fn point(a: i32) -> Self {
        Sector { start: a, end: a }
    }

    fn encloses(&self, a: i32) -> bool {
        turn(a - self.start) <= turn(self.end - self.start)
    }

    /// Grow the sector by the smaller of the two arcs that reach `a`.
    fn extend(&mut self, a: i32) {
        if !self.encloses(a) {
            if turn(a - self.end) <= turn(self.start - a) {
                self.end = a;
            } else {
                self.start = a;
            }
        }
    }

    pub(crate) fn overlaps(&self, other: &Sector) -> bool {
        turn(other.start - self.start) <= turn(self.end - self.start)
            || turn(self.start - other.start) <= turn(other.end - other.start)
    }

    /// The sector of a non-empty route (`None` for an empty one).
    pub(crate) fn of_route(angle: &[i32], nodes: &[u32]) -> Option<Self> {
        let (&first, rest) = nodes.split_first()?;
        let mut s = Sector::point(angle[first as usize]);
        for &c in rest {
            s.extend(angle[c as usize]);
        }
        Some(s)
    }
}

/// The three cheapest insertions `(cost, after)` of one customer into one route (`after == 0`:
/// at the start), cheapest first; unused slots have an infinite cost.
type Top3 = [(f64, u32); 3];

/// The three cheapest insertion positions of every customer of `from` into route `into`.
fn top3(data: &Data<'_>, st: &State, from: usize, into: usize, out: &mut Vec<Top3>) {
    out.clear();
    let target = &st.routes[into].nodes;
    for &c in &st.routes[from].nodes {
        let mut best: Top3 = [(f64::INFINITY, 0); 3];
        let mut prev = 0u32;
        for k in 0..=target.len() {
            let next = target.get(k).copied().unwrap_or(0);
            let cost = data.du(prev, c) + data.du(c, next) - data.du(prev, next);
            if cost < best[2].0 {
                best[2] = (cost, prev);
                if best[2].0 < best[1].0 {
                    best.swap(1, 2);
                    if best[1].0 < best[0].0 {
                        best.swap(0, 1);
                    }
                }
            }
            prev = next;
        }
        out.push(best);
    }
}

/// Scratch buffers of [`best_for_pair`].
#[derive(Debug, Default)]
pub(crate) struct Buffers {
    into_b: Vec<Top3>,
    into_a: Vec<Top3>,
}

/// The cheapest way to put `x` into the route of `gone` once `gone` is out: where `gone` was
/// (after its predecessor `p_gone`, before its successor `s_gone`), or the cheapest of `x`'s
/// three best positions that does not touch `gone`. Returns `(cost, after)`.
#[inline]
fn insert_without(
    data: &Data<'_>,
    x: u32,
    top: &Top3,
    gone: u32,
    p_gone: u32,
    s_gone: u32,
) -> (f64, u32) {
    let mut best = (
        data.du(p_gone, x) + data.du(x, s_gone) - data.du(p_gone, s_gone),
        p_gone,
    );
    if let Some(&(cost, after)) = top.iter().find(|&&(_, a)| a != gone && a != p_gone)
        && cost < best.0
    {
        best = (cost, after);
    }
    best
}

/// The best SWAP* between routes `ra` and `rb` (different, non-empty) that keeps both routes
/// feasible, with its cost delta; `None` when no exchange fits.
pub(crate) fn best_for_pair(
    data: &Data<'_>,
    st: &State,
    ra: usize,
    rb: usize,
    buf: &mut Buffers,
) -> Option<(Move, f64)> {
    top3(data, st, ra, rb, &mut buf.into_b);
    top3(data, st, rb, ra, &mut buf.into_a);
    let (a, b) = (&st.routes[ra], &st.routes[rb]);
    let d = |x: u32, y: u32| data.du(x, y);
    let mut best: Option<(Move, f64)> = None;
    for (i, &u) in a.nodes.iter().enumerate() {
        let (pu, su) = (st.pred(u), st.succ(u));
        let rem_u = d(pu, su) - d(pu, u) - d(u, su);
        let qu = data.q(u);
        for (j, &v) in b.nodes.iter().enumerate() {
            let qv = data.q(v);
            let (Some(la), Some(lb)) = (
                data.load_cost(st.penalty, a.load, a.load - qu + qv),
                data.load_cost(st.penalty, b.load, b.load - qv + qu),
            ) else {
                continue;
            };
            let (pv, sv) = (st.pred(v), st.succ(v));
            let rem_v = d(pv, sv) - d(pv, v) - d(v, sv);
            let (ins_v, v_after) = insert_without(data, v, &buf.into_a[j], u, pu, su);
            let (ins_u, u_after) = insert_without(data, u, &buf.into_b[i], v, pv, sv);
            let (da, db) = (rem_u + ins_v, rem_v + ins_u);
            let delta = da + db + la + lb;
            if best.as_ref().is_some_and(|&(_, known)| known <= delta)
                || !data.length_ok(a.travel + da, a.nodes.len())
                || !data.length_ok(b.travel + db, b.nodes.len())
            {
                continue;
            }
            let mv = Move::SwapStar {
                u,
                v,
                u_after,
                v_after,
            };
            best = Some((mv, delta));
        }
    }
    best
}

/// From-scratch twin of [`best_for_pair`]: every exchange, every pair of positions, each new
/// route built and measured. Returns the best feasible delta.
#[cfg(test)]
pub(crate) fn best_scratch(data: &Data<'_>, st: &State, ra: usize, rb: usize) -> Option<f64> {
    let (a, b) = (&st.routes[ra].nodes, &st.routes[rb].nodes);
    let mut best: Option<f64> = None;
    for &u in a {
        for &v in b {
            for &u_after in std::iter::once(&0).chain(b.iter()).filter(|&&x| x != v) {
                for &v_after in std::iter::once(&0).chain(a.iter()).filter(|&&x| x != u) {
                    let mv = Move::SwapStar {
                        u,
                        v,
                        u_after,
                        v_after,
                    };
                    if let Some((delta, true)) = ls::scratch(data, st, mv)
                        && best.is_none_or(|known| delta < known)
                    {
                        best = Some(delta);
                    }
                }
            }
        }
    }
    best
}

/// One SWAP* pass: every pair of non-empty routes whose sectors overlap (every pair without
/// coordinates), in random order; the best exchange of a pair is applied when it improves by
/// more than `eps`. Returns whether anything was applied.
pub(crate) fn pass(
    data: &Data<'_>,
    st: &mut State,
    pre: &mut Prefix,
    rng: &mut ChaCha8Rng,
    budget: &Budget,
    eps: f64,
) -> bool {
    let k = st.routes.len();
    let sector = |st: &State, r: usize| {
        data.angle
            .as_ref()
            .and_then(|angle| Sector::of_route(angle, &st.routes[r].nodes))
    };
    let mut sectors: Vec<Option<Sector>> = (0..k).map(|r| sector(st, r)).collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.shuffle(rng);
    let mut buf = Buffers::default();
    let mut improved = false;
    for (idx, &ra) in order.iter().enumerate() {
        if budget.is_exhausted() {
            break;
        }
        for &rb in &order[idx + 1..] {
            if st.routes[ra].nodes.is_empty() || st.routes[rb].nodes.is_empty() {
                continue;
            }
            if let (Some(sa), Some(sb)) = (&sectors[ra], &sectors[rb])
                && !sa.overlaps(sb)
            {
                continue;
            }
            if let Some((mv, delta)) = best_for_pair(data, st, ra, rb, &mut buf)
                && delta < -eps
            {
                ls::apply(data, st, pre, mv, delta);
                sectors[ra] = sector(st, ra);
                sectors[rb] = sector(st, rb);
                improved = true;
            }
        }
    }
    improved
}

//! Granular local search (Toth & Vigo's granular neighbourhoods): for each customer `u` and
//! each of its nearest neighbours `v`, the moves that create an edge next to `(u, v)`:
//! relocate `u` after / before `v`, swap `u` and `v`, 2-opt* (exchange tails so that `v`
//! follows `u`, or the reversing variant that links `u`–`v` and their successors), and 2-opt
//! within a route, and (when enabled) cross-exchange of segments of up to 3 customers. First
//! improvement, until no move improves or the budget ends; then SWAP* over pairs of routes
//! ([`super::swap_star`], when enabled), and again while that improves.
//!
//! Every move is priced first ([`evaluate`], O(1) from prefix loads and prefix travel of each
//! route) and applied second; [`scratch`] is its from-scratch twin (build the new routes, measure
//! them), compared in the tests and, with the `check-deltas` feature, at every applied move.

use super::data::Data;
use super::state::State;
use crate::engine::Budget;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// A local-search move between customer `u` and its neighbour `v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    /// Move `u` next to `v` (just after it, or just before it).
    Relocate { u: u32, v: u32, after: bool },
    /// Exchange `u` and `v` (different routes).
    Swap { u: u32, v: u32 },
    /// 2-opt*: route of `u` keeps its head up to `u` then takes `v` and the rest of `v`'s route;
    /// `v`'s route keeps its head before `v` then takes `u`'s old tail (different routes).
    Tails { u: u32, v: u32 },
    /// 2-opt* with reversal: head up to `u` + reversed head up to `v`; reversed tail after `u` +
    /// tail after `v` (different routes, symmetric distances).
    TailsReversed { u: u32, v: u32 },
    /// 2-opt: reverse the segment between `u` and `v` in their route (symmetric distances).
    Reverse { u: u32, v: u32 },
    /// Cross-exchange: the `lu` customers just after `u` (in `u`'s route) and the `lv`
    /// customers from `v` on (in `v`'s route) change places, so that `v` follows `u`; both
    /// segments keep their orientation (different routes, both segments inside their routes).
    Cross { u: u32, v: u32, lu: u8, lv: u8 },
    /// SWAP*: `u` and `v` (different routes) change routes, each inserted anywhere in the
    /// other's route: `u` goes after `u_after` in `v`'s route without `v`, `v` after `v_after`
    /// in `u`'s route without `u` (0: at the start of the route). Found by
    /// [`super::swap_star`], not by [`Move::nth`].
    SwapStar {
        u: u32,
        v: u32,
        u_after: u32,
        v_after: u32,
    },
}

impl Move {
    /// Granular move kinds without cross-exchange ([`Move::nth`] for `k < BASIC_KINDS`).
    pub(crate) const BASIC_KINDS: usize = 6;
    /// Longest segment of a cross-exchange.
    pub(crate) const CROSS_MAX: usize = 3;
    /// Granular move kinds with cross-exchange.
    pub(crate) const KINDS: usize = Self::BASIC_KINDS + Self::CROSS_MAX * Self::CROSS_MAX;

    /// The `k`-th move kind for the pair `(u, v)`.
    pub(crate) fn nth(k: usize, u: u32, v: u32) -> Move {
        match k {
            0 => Move::Relocate { u, v, after: true },
            1 => Move::Relocate { u, v, after: false },
            2 => Move::Swap { u, v },
            3 => Move::Tails { u, v },
            4 => Move::TailsReversed { u, v },
            5 => Move::Reverse { u, v },
            _ => {
                let c = (k - Self::BASIC_KINDS) % (Self::CROSS_MAX * Self::CROSS_MAX);
                Move::Cross {
                    u,
                    v,
                    lu: (c / Self::CROSS_MAX + 1) as u8,
                    lv: (c % Self::CROSS_MAX + 1) as u8,
                }
            }
        }
    }
}

/// Prefix loads and prefix travel of every route (depot to the customer at each position).
#[derive(Debug, Default)]
pub(crate) struct Prefix {
    load: Vec<Vec<i64>>,
    dist: Vec<Vec<f64>>,
}

impl Prefix {
    pub(crate) fn new(data: &Data<'_>, st: &State) -> Self {
        let mut p = Prefix::default();
        for r in 0..st.routes.len() {
            p.load.push(Vec::new());
            p.dist.push(Vec::new());
            p.update(data, st, r);
        }
        p
    }

    pub(crate) fn update(&mut self, data: &Data<'_>, st: &State, r: usize) {
        let (pl, pd) = (&mut self.load[r], &mut self.dist[r]);
        pl.clear();
        pd.clear();
        let (mut l, mut t, mut prev) = (0i64, 0.0f64, 0u32);
        for &c in &st.routes[r].nodes {
            l += data.q(c);
            t += data.du(prev, c);
            pl.push(l);
            pd.push(t);
            prev = c;
        }
    }

    /// Load of the first `k` customers of route `r`.
    #[inline]
    fn head_load(&self, r: usize, k: usize) -> i64 {
        if k == 0 { 0 } else { self.load[r][k - 1] }
    }

    /// Travel from the depot to the `k`-th customer of route `r` (0 when `k == 0`).
    #[inline]
    fn head_dist(&self, r: usize, k: usize) -> f64 {
        if k == 0 { 0.0 } else { self.dist[r][k - 1] }
    }

    /// Travel from customer `k` of route `r` to the depot (0 when the tail is empty).
    #[inline]
    fn tail_dist(&self, st: &State, r: usize, k: usize) -> f64 {
        if k >= st.routes[r].nodes.len() {
            0.0
        } else {
            st.routes[r].travel - self.dist[r][k]
        }
    }
}

/// Whether `mv` is a real move in this state (not a no-op, right route relation, distances
/// symmetric where the move reverses a path). [`evaluate`] and [`scratch`] agree on this.
pub(crate) fn applicable(data: &Data<'_>, st: &State, mv: Move) -> bool {
    let same = |u: u32, v: u32| st.route_of[u as usize] == st.route_of[v as usize];
    match mv {
        Move::Relocate { u, v, after } => {
            u != v
                && (!same(u, v)
                    || if after {
                        st.pred(u) != v
                    } else {
                        st.succ(u) != v
                    })
        }
        Move::Swap { u, v } | Move::Tails { u, v } => !same(u, v),
        Move::TailsReversed { u, v } => data.symmetric && !same(u, v),
        Move::Reverse { u, v } => {
            let (i, j) = (st.pos[u as usize], st.pos[v as usize]);
            data.symmetric && same(u, v) && i.abs_diff(j) > 1
        }
        Move::Cross { u, v, lu, lv } => {
            let len = |c: u32| st.routes[st.route_of[c as usize] as usize].nodes.len();
            u != v
                && !same(u, v)
                && (1..=Move::CROSS_MAX as u8).contains(&lu)
                && (1..=Move::CROSS_MAX as u8).contains(&lv)
                && st.pos[u as usize] as usize + (lu as usize) < len(u)
                && st.pos[v as usize] as usize + lv as usize <= len(v)
        }
        Move::SwapStar {
            u,
            v,
            u_after,
            v_after,
        } => {
            let in_route_without = |a: u32, r: u32, x: u32| {
                a == 0 || ((a as usize) < data.n && st.route_of[a as usize] == r && a != x)
            };
            u != v
                && !same(u, v)
                && in_route_without(u_after, st.route_of[v as usize], v)
                && in_route_without(v_after, st.route_of[u as usize], u)
        }
    }
}

/// The customer after `a` in route `r` once `x` (a customer of `r`) is taken out; `a == 0`
/// stands for the start of the route, and 0 is returned for its end.
fn succ_without(st: &State, r: usize, a: u32, x: u32) -> u32 {
    let nodes = &st.routes[r].nodes;
    let next = |k: usize| nodes.get(k).copied().unwrap_or(0);
    let k = if a == 0 {
        0
    } else {
        st.pos[a as usize] as usize + 1
    };
    let s = next(k);
    if s == x { next(k + 1) } else { s }
}

/// Cost delta of `mv` (travel, plus the penalised change of excess load when capacity is
/// handled by penalty) when it is applicable and keeps every route feasible (within capacity
/// too when capacity is exact), else `None`.
pub(crate) fn evaluate(data: &Data<'_>, st: &State, pre: &Prefix, mv: Move) -> Option<f64> {
    if !applicable(data, st, mv) {
        return None;
    }
    let d = |a: u32, b: u32| data.du(a, b);
    let ok = |travel: f64, count: usize| data.length_ok(travel, count);
    // Capacity term of two routes whose loads change (see `Data::load_cost`).
    let loads = |a_old: i64, a_new: i64, b_old: i64, b_new: i64| -> Option<f64> {
        Some(data.load_cost(st.penalty, a_old, a_new)? + data.load_cost(st.penalty, b_old, b_new)?)
    };
    match mv {
        Move::Relocate { u, v, after } => {
            let (ru, rv) = (
                st.route_of[u as usize] as usize,
                st.route_of[v as usize] as usize,
            );
            let (pu, su) = (st.pred(u), st.succ(u));
            let (a, b) = if after {
                let s = st.succ(v);
                (v, if s == u { su } else { s })
            } else {
                let p = st.pred(v);
                (if p == u { pu } else { p }, v)
            };
            let rem = d(pu, su) - d(pu, u) - d(u, su);
            let ins = d(a, u) + d(u, b) - d(a, b);
            let (a_route, b_route) = (&st.routes[ru], &st.routes[rv]);
            if ru == rv {
                ok(a_route.travel + rem + ins, a_route.nodes.len()).then_some(rem + ins)
            } else {
                let q = data.q(u);
                let lc = loads(
                    a_route.load,
                    a_route.load - q,
                    b_route.load,
                    b_route.load + q,
                )?;
                let fits = ok(a_route.travel + rem, a_route.nodes.len() - 1)
                    && ok(b_route.travel + ins, b_route.nodes.len() + 1);
                fits.then_some(rem + ins + lc)
            }
        }
        Move::Swap { u, v } => {
            let (ru, rv) = (
                st.route_of[u as usize] as usize,
                st.route_of[v as usize] as usize,
            );
            let (pu, su, pv, sv) = (st.pred(u), st.succ(u), st.pred(v), st.succ(v));
            let da = d(pu, v) + d(v, su) - d(pu, u) - d(u, su);
            let db = d(pv, u) + d(u, sv) - d(pv, v) - d(v, sv);
            let (a, b) = (&st.routes[ru], &st.routes[rv]);
            let (qu, qv) = (data.q(u), data.q(v));
            let lc = loads(a.load, a.load - qu + qv, b.load, b.load - qv + qu)?;
            let fits = ok(a.travel + da, a.nodes.len()) && ok(b.travel + db, b.nodes.len());
            fits.then_some(da + db + lc)
        }
        Move::Tails { u, v } => {
            let (ra, rb) = (
                st.route_of[u as usize] as usize,
                st.route_of[v as usize] as usize,
            );
            let (su, pv) = (st.succ(u), st.pred(v));
            let ka = st.pos[u as usize] as usize + 1;
            let kb = st.pos[v as usize] as usize;
            let (a, b) = (&st.routes[ra], &st.routes[rb]);
            let (ma, mb) = (a.nodes.len(), b.nodes.len());
            let (la, lb) = (pre.head_load(ra, ka), pre.head_load(rb, kb));
            let new_a_load = la + (b.load - lb);
            let new_b_load = lb + (a.load - la);
            let new_a = pre.head_dist(ra, ka) + d(u, v) + pre.tail_dist(st, rb, kb);
            let new_b = pre.head_dist(rb, kb) + d(pv, su) + pre.tail_dist(st, ra, ka);
            let lc = loads(a.load, new_a_load, b.load, new_b_load)?;
            let fits = ok(new_a, ka + mb - kb) && ok(new_b, kb + ma - ka);
            let delta = d(u, v) + d(pv, su) - d(u, su) - d(pv, v);
            fits.then_some(delta + lc)
        }
        Move::TailsReversed { u, v } => {
            let (ra, rb) = (
                st.route_of[u as usize] as usize,
                st.route_of[v as usize] as usize,
            );
            let (su, sv) = (st.succ(u), st.succ(v));
            let ka = st.pos[u as usize] as usize + 1;
            let kb = st.pos[v as usize] as usize + 1;
            let (a, b) = (&st.routes[ra], &st.routes[rb]);
            let (ma, mb) = (a.nodes.len(), b.nodes.len());
            let (la, lb) = (pre.head_load(ra, ka), pre.head_load(rb, kb));
            let new_a_load = la + lb;
            let new_b_load = (a.load - la) + (b.load - lb);
            let new_a = pre.head_dist(ra, ka) + d(u, v) + pre.head_dist(rb, kb);
            let new_b = pre.tail_dist(st, ra, ka) + d(su, sv) + pre.tail_dist(st, rb, kb);
            let lc = loads(a.load, new_a_load, b.load, new_b_load)?;
            let fits = ok(new_a, ka + kb) && ok(new_b, (ma - ka) + (mb - kb));
            let delta = d(u, v) + d(su, sv) - d(u, su) - d(v, sv);
            fits.then_some(delta + lc)
        }
        Move::Reverse { u, v } => {
            let r = st.route_of[u as usize] as usize;
            let (x, y) = if st.pos[u as usize] < st.pos[v as usize] {
                (u, v)
            } else {
                (v, u)
            };
            let (sx, sy) = (st.succ(x), st.succ(y));
            let delta = d(x, y) + d(sx, sy) - d(x, sx) - d(y, sy);
            let route = &st.routes[r];
            ok(route.travel + delta, route.nodes.len()).then_some(delta)
        }
        Move::Cross { u, v, lu, lv } => {
            let (ra, rb) = (
                st.route_of[u as usize] as usize,
                st.route_of[v as usize] as usize,
            );
            let (a, b) = (&st.routes[ra], &st.routes[rb]);
            let (a0, b0) = (st.pos[u as usize] as usize + 1, st.pos[v as usize] as usize);
            let (a1, b1) = (a0 + lu as usize, b0 + lv as usize);
            let (a_first, a_last) = (a.nodes[a0], a.nodes[a1 - 1]);
            let a_next = a.nodes.get(a1).copied().unwrap_or(0);
            let (b_last, b_next, pv) = (
                b.nodes[b1 - 1],
                b.nodes.get(b1).copied().unwrap_or(0),
                st.pred(v),
            );
            // Travel inside a segment [k0, k1) of route r, which the move does not change.
            let inner =
                |r: usize, k0: usize, k1: usize| pre.head_dist(r, k1) - pre.head_dist(r, k0 + 1);
            let (in_a, in_b) = (inner(ra, a0, a1), inner(rb, b0, b1));
            let da = d(u, v) + in_b + d(b_last, a_next) - d(u, a_first) - in_a - d(a_last, a_next);
            let db =
                d(pv, a_first) + in_a + d(a_last, b_next) - d(pv, v) - in_b - d(b_last, b_next);
            let qa = pre.head_load(ra, a1) - pre.head_load(ra, a0);
            let qb = pre.head_load(rb, b1) - pre.head_load(rb, b0);
            let (lu, lv) = (lu as usize, lv as usize);
            let lc = loads(a.load, a.load - qa + qb, b.load, b.load - qb + qa)?;
            let fits = ok(a.travel + da, a.nodes.len() - lu + lv)
                && ok(b.travel + db, b.nodes.len() - lv + lu);
            fits.then_some(da + db + lc)
        }
        Move::SwapStar {
            u,
            v,
            u_after,
            v_after,
        } => {
            let (ru, rv) = (
                st.route_of[u as usize] as usize,
                st.route_of[v as usize] as usize,
            );
            let (a, b) = (&st.routes[ru], &st.routes[rv]);
            let (pu, su, pv, sv) = (st.pred(u), st.succ(u), st.pred(v), st.succ(v));
            let (nu, nv) = (
                succ_without(st, rv, u_after, v),
                succ_without(st, ru, v_after, u),
            );
            let da = d(pu, su) - d(pu, u) - d(u, su) + d(v_after, v) + d(v, nv) - d(v_after, nv);
            let db = d(pv, sv) - d(pv, v) - d(v, sv) + d(u_after, u) + d(u, nu) - d(u_after, nu);
            let (qu, qv) = (data.q(u), data.q(v));
            let lc = loads(a.load, a.load - qu + qv, b.load, b.load - qv + qu)?;
            let fits = ok(a.travel + da, a.nodes.len()) && ok(b.travel + db, b.nodes.len());
            fits.then_some(da + db + lc)
        }
    }
}

/// The routes `mv` rewrites, as `(route index, new customer sequence)`; `None` when not
/// applicable. Shared by [`apply`] and the from-scratch twin [`scratch`].
pub(crate) fn new_routes(data: &Data<'_>, st: &State, mv: Move) -> Option<Vec<(usize, Vec<u32>)>> {
    if !applicable(data, st, mv) {
        return None;
    }
    let route = |c: u32| st.route_of[c as usize] as usize;
    let pos = |c: u32| st.pos[c as usize] as usize;
    let nodes = |r: usize| &st.routes[r].nodes;
    Some(match mv {
        Move::Relocate { u, v, after } => {
            let (ru, rv) = (route(u), route(v));
            let mut a: Vec<u32> = nodes(ru).iter().copied().filter(|&c| c != u).collect();
            if ru == rv {
                let at = a.iter().position(|&c| c == v)? + usize::from(after);
                a.insert(at, u);
                vec![(ru, a)]
            } else {
                let mut b = nodes(rv).clone();
                b.insert(pos(v) + usize::from(after), u);
                vec![(ru, a), (rv, b)]
            }
        }
        Move::Swap { u, v } => {
            let (ru, rv) = (route(u), route(v));
            let mut a = nodes(ru).clone();
            let mut b = nodes(rv).clone();
            a[pos(u)] = v;
            b[pos(v)] = u;
            vec![(ru, a), (rv, b)]
        }
        Move::Tails { u, v } => {
            let (ra, rb) = (route(u), route(v));
            let (ka, kb) = (pos(u) + 1, pos(v));
            let (a, b) = (nodes(ra), nodes(rb));
            let new_a = a[..ka].iter().chain(&b[kb..]).copied().collect();
            let new_b = b[..kb].iter().chain(&a[ka..]).copied().collect();
            vec![(ra, new_a), (rb, new_b)]
        }
        Move::TailsReversed { u, v } => {
            let (ra, rb) = (route(u), route(v));
            let (ka, kb) = (pos(u) + 1, pos(v) + 1);
            let (a, b) = (nodes(ra), nodes(rb));
            let new_a = a[..ka]
                .iter()
                .chain(b[..kb].iter().rev())
                .copied()
                .collect();
            let new_b = a[ka..].iter().rev().chain(&b[kb..]).copied().collect();
            vec![(ra, new_a), (rb, new_b)]
        }
        Move::Reverse { u, v } => {
            let r = route(u);
            let (i, j) = (pos(u).min(pos(v)), pos(u).max(pos(v)));
            let mut a = nodes(r).clone();
            a[i + 1..=j].reverse();
            vec![(r, a)]
        }
        Move::Cross { u, v, lu, lv } => {
            let (ra, rb) = (route(u), route(v));
            let (a0, b0) = (pos(u) + 1, pos(v));
            let (a1, b1) = (a0 + lu as usize, b0 + lv as usize);
            let (a, b) = (nodes(ra), nodes(rb));
            let new_a = a[..a0]
                .iter()
                .chain(&b[b0..b1])
                .chain(&a[a1..])
                .copied()
                .collect();
            let new_b = b[..b0]
                .iter()
                .chain(&a[a0..a1])
                .chain(&b[b1..])
                .copied()
                .collect();
            vec![(ra, new_a), (rb, new_b)]
        }
        Move::SwapStar {
            u,
            v,
            u_after,
            v_after,
        } => {
            // Take `x` out of `seq` and put `y` after `after` (0: at the start).
            let exchange = |seq: &[u32], x: u32, y: u32, after: u32| -> Option<Vec<u32>> {
                let mut out: Vec<u32> = seq.iter().copied().filter(|&c| c != x).collect();
                let at = if after == 0 {
                    0
                } else {
                    out.iter().position(|&c| c == after)? + 1
                };
                out.insert(at, y);
                Some(out)
            };
            let (ru, rv) = (route(u), route(v));
            vec![
                (ru, exchange(nodes(ru), u, v, v_after)?),
                (rv, exchange(nodes(rv), v, u, u_after)?),
            ]
        }
    })
}

/// From-scratch twin of [`evaluate`]: build the new routes and measure them. `Some((delta,
/// feasible))` when applicable; under a capacity penalty the delta includes the penalised
/// change of excess load and `feasible` is about the route-length limit only.
#[cfg(any(test, feature = "check-deltas"))]
pub(crate) fn scratch(data: &Data<'_>, st: &State, mv: Move) -> Option<(f64, bool)> {
    let routes = new_routes(data, st, mv)?;
    let mut delta = 0.0;
    let mut feasible = true;
    for (r, seq) in &routes {
        let old = &st.routes[*r].nodes;
        let travel = data.route_travel(seq);
        delta += travel - data.route_travel(old);
        feasible &= data.length_ok(travel, seq.len());
        let (old_load, new_load) = (data.route_load(old), data.route_load(seq));
        match st.penalty {
            Some(w) => delta += w * (data.excess(new_load) - data.excess(old_load)) as f64,
            None => feasible &= new_load <= data.capacity,
        }
    }
    Some((delta, feasible))
}

/// Apply `mv` (priced at `delta` by [`evaluate`]); empty routes stay until [`State::compact`].
pub(crate) fn apply(data: &Data<'_>, st: &mut State, pre: &mut Prefix, mv: Move, delta: f64) {
    #[cfg(any(test, feature = "check-deltas"))]
    if crate::check_deltas()
        && let Some((d, feasible)) = scratch(data, st, mv)
    {
        assert!(
            feasible && (d - delta).abs() <= 1e-6 * d.abs().max(1.0),
            "{mv:?}: delta {delta} != recomputed {d} (feasible {feasible})"
        );
    }
    let _ = delta;
    let Some(routes) = new_routes(data, st, mv) else {
        return;
    };
    for (r, seq) in routes {
        st.routes[r].nodes = seq;
        st.refresh(data, r);
        pre.update(data, st, r);
    }
}

/// Descend until a local optimum or the budget ends: the granular moves until none improves,
/// then a SWAP* pass over pairs of routes (when enabled); again while SWAP* improves.
pub(crate) fn local_search(data: &Data<'_>, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
    let mut pre = Prefix::new(data, st);
    let mut order: Vec<u32> = (1..data.n as u32).collect();
    order.shuffle(rng);
    let eps = 1e-9 * st.cost.abs().max(1.0);
    let kinds = if data.cross {
        Move::KINDS
    } else {
        Move::BASIC_KINDS
    };
    let mut polls = 0u32;
    'outer: loop {
        let mut improved = false;
        for &u in &order {
            polls += 1;
            if polls.is_multiple_of(32) && budget.is_exhausted() {
                break 'outer;
            }
            'moves: for &v in data.near[u as usize].iter().take(data.granular) {
                for k in 0..kinds {
                    let mv = Move::nth(k, u, v);
                    if let Some(delta) = evaluate(data, st, &pre, mv)
                        && delta < -eps
                    {
                        apply(data, st, &mut pre, mv, delta);
                        improved = true;
                        break 'moves;
                    }
                }
            }
        }
        if improved {
            continue;
        }
        if !data.swap_star || !super::swap_star::pass(data, st, &mut pre, rng, budget, eps) {
            break;
        }
    }
    st.compact();
    st.update_cost(data);
}

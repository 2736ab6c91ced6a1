//! Granular local search (Toth & Vigo's granular neighbourhoods): for each customer `u` and
//! each of its nearest neighbours `v`, the moves that create an edge next to `(u, v)`:
//! relocate `u` after / before `v`, swap `u` and `v`, 2-opt* (exchange tails so that `v`
//! follows `u`, or the reversing variant that links `u`–`v` and their successors), and 2-opt
//! within a route. First improvement, until no move improves or the budget ends.
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
}

impl Move {
    pub(crate) const KINDS: usize = 6;

    /// The `k`-th move kind for the pair `(u, v)`.
    pub(crate) fn nth(k: usize, u: u32, v: u32) -> Move {
        match k {
            0 => Move::Relocate { u, v, after: true },
            1 => Move::Relocate { u, v, after: false },
            2 => Move::Swap { u, v },
            3 => Move::Tails { u, v },
            4 => Move::TailsReversed { u, v },
            _ => Move::Reverse { u, v },
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
    }
}

/// Cost delta of `mv` when it is applicable and keeps every route feasible, else `None`.
pub(crate) fn evaluate(data: &Data<'_>, st: &State, pre: &Prefix, mv: Move) -> Option<f64> {
    if !applicable(data, st, mv) {
        return None;
    }
    let d = |a: u32, b: u32| data.du(a, b);
    let ok = |travel: f64, count: usize| data.length_ok(travel, count);
    let cap = data.capacity;
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
                let fits = b_route.load + data.q(u) <= cap
                    && ok(a_route.travel + rem, a_route.nodes.len() - 1)
                    && ok(b_route.travel + ins, b_route.nodes.len() + 1);
                fits.then_some(rem + ins)
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
            let fits = a.load - qu + qv <= cap
                && b.load - qv + qu <= cap
                && ok(a.travel + da, a.nodes.len())
                && ok(b.travel + db, b.nodes.len());
            fits.then_some(da + db)
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
            let fits = new_a_load <= cap
                && new_b_load <= cap
                && ok(new_a, ka + mb - kb)
                && ok(new_b, kb + ma - ka);
            let delta = d(u, v) + d(pv, su) - d(u, su) - d(pv, v);
            fits.then_some(delta)
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
            let fits = new_a_load <= cap
                && new_b_load <= cap
                && ok(new_a, ka + kb)
                && ok(new_b, (ma - ka) + (mb - kb));
            let delta = d(u, v) + d(su, sv) - d(u, su) - d(v, sv);
            fits.then_some(delta)
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
    })
}

/// From-scratch twin of [`evaluate`]: build the new routes and measure them. `Some((delta,
/// feasible))` when applicable.
#[cfg(any(test, feature = "check-deltas"))]
pub(crate) fn scratch(data: &Data<'_>, st: &State, mv: Move) -> Option<(f64, bool)> {
    let routes = new_routes(data, st, mv)?;
    let mut delta = 0.0;
    let mut feasible = true;
    for (r, seq) in &routes {
        delta += data.route_travel(seq) - data.route_travel(&st.routes[*r].nodes);
        feasible &= data.route_feasible(seq);
    }
    Some((delta, feasible))
}

/// Apply `mv` (priced at `delta` by [`evaluate`]); empty routes stay until [`State::compact`].
fn apply(data: &Data<'_>, st: &mut State, pre: &mut Prefix, mv: Move, delta: f64) {
    #[cfg(feature = "check-deltas")]
    if let Some((d, feasible)) = scratch(data, st, mv) {
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

/// Descend with the granular neighbourhood until a local optimum or the budget ends.
pub(crate) fn local_search(data: &Data<'_>, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
    let mut pre = Prefix::new(data, st);
    let mut order: Vec<u32> = (1..data.n as u32).collect();
    order.shuffle(rng);
    let eps = 1e-9 * st.cost.abs().max(1.0);
    let mut polls = 0u32;
    'outer: loop {
        let mut improved = false;
        for &u in &order {
            polls += 1;
            if polls.is_multiple_of(32) && budget.is_exhausted() {
                break 'outer;
            }
            'moves: for &v in data.near[u as usize].iter().take(data.granular) {
                for k in 0..Move::KINDS {
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
        if !improved {
            break;
        }
    }
    st.compact();
    st.update_cost();
}

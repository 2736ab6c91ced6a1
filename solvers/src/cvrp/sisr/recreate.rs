//! SISR recreate: greedy insertion with blinks (Christiaens & Vanden Berghe 2020, section 5.2).
//! The removed customers are sorted (random 4, demand 4, far 2, close 1 — the paper's weights)
//! and each goes to its cheapest feasible position, every position being skipped with
//! probability `blink`; a new route is opened when that is cheaper or nothing fits. Under a
//! capacity penalty a position may overload its route, at the penalised cost of the excess.

use super::data::Data;
use super::ruin::SisrParams;
use super::state::{NONE, Route, State};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Above this many customers, only routes of a customer's nearest neighbours are tried.
const ALL_ROUTES_MAX: usize = 400;
/// How many nearest neighbours give the candidate routes on large instances.
const CANDIDATE_NEIGHBOURS: usize = 40;

/// Cost of inserting `c` between `prev` and `next`.
#[inline]
pub(crate) fn insertion_delta(data: &Data<'_>, prev: u32, c: u32, next: u32) -> f64 {
    data.du(prev, c) + data.du(c, next) - data.du(prev, next)
}

/// From-scratch twin of [`insertion_delta`] at position `p` of `nodes`.
#[cfg(any(test, feature = "check-deltas"))]
pub(crate) fn insertion_delta_scratch(data: &Data<'_>, nodes: &[u32], p: usize, c: u32) -> f64 {
    let mut v = nodes.to_vec();
    v.insert(p, c);
    data.route_travel(&v) - data.route_travel(nodes)
}

/// Sort `st.removed` by one of the paper's orders.
fn order(data: &Data<'_>, st: &mut State, rng: &mut ChaCha8Rng) {
    let removed = &mut st.removed;
    match rng.random_range(0..11) {
        0..4 => removed.shuffle(rng),
        4..8 => removed.sort_by_key(|&c| std::cmp::Reverse(data.q(c))),
        8..10 => removed.sort_by(|&a, &b| data.du(0, b).total_cmp(&data.du(0, a))),
        _ => removed.sort_by(|&a, &b| data.du(0, a).total_cmp(&data.du(0, b))),
    }
}

/// Insert every customer of `st.removed`, then drop empty routes and refresh the touched ones.
pub(crate) fn recreate(data: &Data<'_>, st: &mut State, rng: &mut ChaCha8Rng, p: &SisrParams) {
    order(data, st, rng);
    let removed = std::mem::take(&mut st.removed);
    let mut touched: Vec<usize> = Vec::with_capacity(removed.len());
    let mut cands: Vec<usize> = Vec::new();
    for &c in &removed {
        cands.clear();
        if data.n <= ALL_ROUTES_MAX + 1 {
            cands.extend(0..st.routes.len());
        } else {
            let stamp = st.next_stamp();
            for &v in data.near[c as usize].iter().take(CANDIDATE_NEIGHBOURS) {
                let r = st.route_of[v as usize];
                if r != NONE && st.stamp[r as usize] != stamp {
                    st.stamp[r as usize] = stamp;
                    cands.push(r as usize);
                }
            }
        }
        let q = data.q(c);
        // (cost with the capacity term, travel delta, route, position)
        let mut best = (f64::INFINITY, 0.0, usize::MAX, 0usize);
        for &r in &cands {
            let route = &st.routes[r];
            let Some(load_cost) = data.load_cost(st.penalty, route.load, route.load + q) else {
                continue;
            };
            let m = route.nodes.len();
            let mut prev = 0u32;
            for pos in 0..=m {
                let next = route.nodes.get(pos).copied().unwrap_or(0);
                if rng.random::<f64>() >= p.blink {
                    let delta = insertion_delta(data, prev, c, next);
                    if delta + load_cost < best.0 && data.length_ok(route.travel + delta, m + 1) {
                        best = (delta + load_cost, delta, r, pos);
                    }
                }
                prev = next;
            }
        }
        let alone = data.du(0, c) + data.du(c, 0);
        if best.2 == usize::MAX || alone < best.0 {
            st.routes.push(Route {
                nodes: vec![c],
                load: q,
                travel: alone,
            });
            let r = st.routes.len() - 1;
            st.route_of[c as usize] = r as u32;
            st.pos[c as usize] = 0;
            touched.push(r);
            continue;
        }
        let (_, delta, r, pos) = best;
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            let scratch = insertion_delta_scratch(data, &st.routes[r].nodes, pos, c);
            assert!(
                (scratch - delta).abs() <= 1e-6 * scratch.abs().max(1.0),
                "insertion delta {delta} != recomputed {scratch}"
            );
        }
        let route = &mut st.routes[r];
        route.nodes.insert(pos, c);
        route.load += q;
        route.travel += delta;
        st.route_of[c as usize] = r as u32;
        for (i, &v) in st.routes[r].nodes.iter().enumerate().skip(pos) {
            st.pos[v as usize] = i as u32;
        }
        touched.push(r);
    }
    st.removed = removed;
    st.removed.clear();
    touched.sort_unstable();
    touched.dedup();
    for r in touched {
        st.refresh(data, r);
    }
    st.compact();
    st.update_cost(data);
}

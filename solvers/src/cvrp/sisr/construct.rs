//! Start solutions: the sweep heuristic (Gillett & Miller) and the repair of a warm start.
//! Clarke–Wright savings comes from [`crate::cvrp::savings`].

use super::data::Data;
use super::recreate::recreate;
use super::ruin::SisrParams;
use super::state::{NONE, State};
use quotient_problems::cvrp::CvrpSolution;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Sweep: customers by polar angle around the depot from a random ray, cut into routes
/// greedily (capacity and length limit respected). `None` without coordinates.
pub(crate) fn sweep(data: &Data<'_>, rng: &mut ChaCha8Rng) -> Option<Vec<Vec<u32>>> {
    let coords = data.inst.coords()?;
    if coords.len() != data.n {
        return None;
    }
    let [dx, dy] = coords[0];
    let offset = rng.random_range(0.0..std::f64::consts::TAU);
    let angle = |c: u32| {
        let [x, y] = coords[c as usize];
        ((y - dy).atan2(x - dx) - offset).rem_euclid(std::f64::consts::TAU)
    };
    let mut order: Vec<(f64, u32)> = (1..data.n as u32).map(|c| (angle(c), c)).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut routes = Vec::new();
    let mut cur: Vec<u32> = Vec::new();
    let (mut load, mut travel_open) = (0i64, 0.0f64);
    for (_, c) in order {
        let last = cur.last().copied().unwrap_or(0);
        let t = travel_open + data.du(last, c);
        let fits =
            load + data.q(c) <= data.capacity && data.length_ok(t + data.du(c, 0), cur.len() + 1);
        if fits {
            cur.push(c);
            load += data.q(c);
            travel_open = t;
        } else {
            if !cur.is_empty() {
                routes.push(std::mem::take(&mut cur));
            }
            cur.push(c);
            load = data.q(c);
            travel_open = data.du(0, c);
        }
    }
    if !cur.is_empty() {
        routes.push(cur);
    }
    Some(routes)
}

/// A feasible state from a possibly broken warm start: out-of-range nodes and repeats are
/// dropped, infeasible routes are dissolved, and every customer left out is inserted greedily.
pub(crate) fn repair(data: &Data<'_>, sol: &CvrpSolution, rng: &mut ChaCha8Rng) -> State {
    let mut seen = vec![false; data.n];
    let mut routes: Vec<Vec<u32>> = Vec::new();
    for r in &sol.routes {
        let mut route = Vec::with_capacity(r.len());
        for &c in r {
            if c != 0 && c < data.n && !seen[c] {
                seen[c] = true;
                route.push(c as u32);
            }
        }
        if data.route_feasible(&route) {
            routes.push(route);
        } else {
            for &c in &route {
                seen[c as usize] = false;
            }
        }
    }
    let mut st = State::from_routes(data, routes);
    st.removed = (1..data.n as u32).filter(|&c| !seen[c as usize]).collect();
    debug_assert!(st.removed.iter().all(|&c| st.route_of[c as usize] == NONE));
    let params = SisrParams {
        blink: 0.0,
        ..SisrParams::default()
    };
    // The repaired solution respects capacity even when the search works with a penalty.
    let penalty = st.penalty.take();
    recreate(data, &mut st, rng, &params);
    st.penalty = penalty;
    st.update_cost(data);
    st
}

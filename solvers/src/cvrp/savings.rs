//! Clarke–Wright parallel savings: the baseline CVRP solver (`cvrp.savings`). Respects vehicle
//! capacity and the route-length limit (travel + service time). For large instances only the
//! savings between each customer and its nearest neighbours are considered (O(n k) memory;
//! the lists come from a k-d tree on coordinate instances, see [`super::near`]).

use super::near;
use crate::engine::{Budget, Improvement, Observer, SolveResult};
use quotient_problems::cvrp::{CvrpInstance, CvrpSolution};

/// Above this many customers, savings are restricted to each customer's nearest neighbours.
const FULL_SAVINGS_MAX: usize = 2000;
const NEIGHBOURS: usize = 60;

/// Reasons the instance cannot be served at all (demand above capacity, unreachable customers).
pub fn infeasibility_reason(inst: &CvrpInstance) -> Option<String> {
    for i in 1..inst.n() {
        let q = inst.demands[i];
        if q > inst.capacity {
            return Some(format!(
                "customer {i} has demand {q} above the vehicle capacity {}",
                inst.capacity
            ));
        }
        if let Some(limit) = inst.distance_limit {
            let len = inst.dist(0, i) + inst.dist(i, 0) + inst.service(i);
            if len > limit * (1.0 + 1e-9) {
                return Some(format!(
                    "customer {i} cannot be served within the route-length limit {limit} (round trip {len})"
                ));
            }
        }
    }
    None
}

struct Route {
    nodes: std::collections::VecDeque<usize>,
    load: i64,
    /// Travel plus service time.
    length: f64,
    alive: bool,
}

/// Total travel cost of routes (depot implicit), without service time.
pub fn solution_cost(inst: &CvrpInstance, routes: &[Vec<usize>]) -> f64 {
    routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let mut c = inst.dist(0, r[0]) + inst.dist(r[r.len() - 1], 0);
            for w in r.windows(2) {
                c += inst.dist(w[0], w[1]);
            }
            c
        })
        .sum()
}

/// The saving of serving `j` right after `i` instead of by two routes.
fn saving(inst: &CvrpInstance, i: usize, j: usize) -> f64 {
    inst.dist(i, 0) + inst.dist(0, j) - inst.dist(i, j)
}

/// The savings of every pair `(i, j)`, `i < j`, where one is in the other's neighbour list,
/// each pair once.
fn neighbour_savings(inst: &CvrpInstance, near: &[Vec<u32>]) -> Vec<(f64, u32, u32)> {
    let mut savings: Vec<(f64, u32, u32)> = Vec::with_capacity(near.len() * NEIGHBOURS);
    for (i, list) in near.iter().enumerate() {
        for &j in list {
            let (a, b) = (i.min(j as usize), i.max(j as usize));
            savings.push((saving(inst, a, b), a as u32, b as u32));
        }
    }
    savings.sort_unstable_by_key(|a| (a.1, a.2));
    savings.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
    savings
}

/// `cvrp.savings`.
pub fn solve(
    inst: &CvrpInstance,
    budget: &Budget,
    observer: &dyn Observer,
) -> SolveResult<CvrpSolution> {
    if let Some(reason) = infeasibility_reason(inst) {
        return SolveResult::infeasible(reason);
    }
    let n = inst.n();
    let mut routes: Vec<Route> = Vec::with_capacity(n);
    let mut route_of = vec![usize::MAX; n];
    for (i, slot) in route_of.iter_mut().enumerate().skip(1) {
        *slot = routes.len();
        routes.push(Route {
            nodes: std::collections::VecDeque::from([i]),
            load: inst.demands[i],
            length: inst.dist(0, i) + inst.dist(i, 0) + inst.service(i),
            alive: true,
        });
    }
    let mut savings: Vec<(f64, u32, u32)> = Vec::new();
    if n - 1 <= FULL_SAVINGS_MAX {
        for i in 1..n {
            if i % 128 == 0 && budget.is_exhausted() {
                return SolveResult::unknown("stopped (cancel or time limit) during construction");
            }
            for j in (i + 1)..n {
                savings.push((saving(inst, i, j), i as u32, j as u32));
            }
        }
    } else {
        let Some(near) =
            near::customer_neighbours(inst, NEIGHBOURS, |i, j| inst.dist(i, j), budget)
        else {
            return SolveResult::unknown("stopped (cancel or time limit) during construction");
        };
        savings = neighbour_savings(inst, &near);
    }
    savings.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));

    let limit = inst.distance_limit.map(|l| l * (1.0 + 1e-9));
    for (idx, &(s, i, j)) in savings.iter().enumerate() {
        if s <= 0.0 {
            break;
        }
        if idx % 4096 == 0 && budget.is_exhausted() {
            return SolveResult::unknown("stopped (cancel or time limit) during construction");
        }
        let (i, j) = (i as usize, j as usize);
        let (ri, rj) = (route_of[i], route_of[j]);
        if ri == rj {
            continue;
        }
        let (a, b) = (&routes[ri], &routes[rj]);
        let i_end = a.nodes.back() == Some(&i);
        let i_start = a.nodes.front() == Some(&i);
        let j_end = b.nodes.back() == Some(&j);
        let j_start = b.nodes.front() == Some(&j);
        if !(i_end || i_start) || !(j_end || j_start) {
            continue;
        }
        if a.load + b.load > inst.capacity {
            continue;
        }
        let new_len = a.length + b.length - s;
        if limit.is_some_and(|l| new_len > l) {
            continue;
        }
        // Orient so that route A ends with i and route B starts with j, then append B to A.
        let mut a_nodes = std::mem::take(&mut routes[ri].nodes);
        let mut b_nodes = std::mem::take(&mut routes[rj].nodes);
        if a_nodes.back() != Some(&i) {
            a_nodes.make_contiguous().reverse();
        }
        if b_nodes.front() != Some(&j) {
            b_nodes.make_contiguous().reverse();
        }
        for &v in &b_nodes {
            route_of[v] = ri;
        }
        a_nodes.extend(b_nodes);
        let load = routes[ri].load + routes[rj].load;
        routes[ri] = Route {
            nodes: a_nodes,
            load,
            length: new_len,
            alive: true,
        };
        routes[rj].alive = false;
    }
    let out: Vec<Vec<usize>> = routes
        .into_iter()
        .filter(|r| r.alive && !r.nodes.is_empty())
        .map(|r| r.nodes.into_iter().collect())
        .collect();
    let cost = solution_cost(inst, &out);
    observer.improved(&Improvement {
        objective: cost,
        bound: None,
        elapsed: budget.elapsed(),
        source: "savings",
    });
    SolveResult::feasible(CvrpSolution { routes: out }, cost)
}

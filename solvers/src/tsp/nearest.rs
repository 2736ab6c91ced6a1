//! Nearest-neighbour construction: the baseline TSP/ATSP solver (`tsp.nn`) and a start for
//! improvement. O(n^2) time, O(n) memory: no distance matrix is built.

use crate::engine::{Budget, Improvement, Observer, SolveResult};
use quotient_problems::tsp::{TspInstance, TspSolution};

/// Build a nearest-neighbour tour from `start`. Returns `None` if the budget ran out first.
pub fn nearest_neighbour_tour(
    inst: &TspInstance,
    start: usize,
    budget: &Budget,
) -> Option<Vec<usize>> {
    let n = inst.n();
    if n == 0 {
        return Some(Vec::new());
    }
    let start = start % n;
    // Fixed edges (TSPLIB FIXED_EDGES_SECTION) must be in the tour: from a node with an
    // unvisited fixed partner, go there first.
    let mut fixed: Vec<Vec<usize>> =
        vec![Vec::new(); if inst.fixed_edges.is_empty() { 0 } else { n }];
    for &(a, b) in &inst.fixed_edges {
        if a < n && b < n && a != b {
            fixed[a].push(b);
            fixed[b].push(a);
        }
    }
    let mut pos_of: Vec<usize> = (0..n)
        .map(|v| if v < start { v } else { v.wrapping_sub(1) })
        .collect();
    let mut unvisited: Vec<usize> = (0..n).filter(|&v| v != start).collect();
    let mut tour = Vec::with_capacity(n);
    tour.push(start);
    let mut current = start;
    while !unvisited.is_empty() {
        if tour.len() % 256 == 0 && budget.is_exhausted() {
            return None;
        }
        let forced = fixed.get(current).and_then(|ps| {
            ps.iter()
                .copied()
                .find(|&p| p != start && pos_of[p] < unvisited.len() && unvisited[pos_of[p]] == p)
        });
        let pos = match forced {
            Some(p) => pos_of[p],
            None => {
                // Never enter a fixed chain in its interior (a node with two fixed partners).
                let interior = |v: usize| fixed.get(v).is_some_and(|ps| ps.len() >= 2);
                unvisited
                    .iter()
                    .enumerate()
                    .filter(|&(_, &v)| !interior(v))
                    .map(|(p, &v)| (p, inst.dist(current, v)))
                    .min_by_key(|&(p, d)| (d, p))
                    .or_else(|| {
                        unvisited
                            .iter()
                            .enumerate()
                            .map(|(p, &v)| (p, inst.dist(current, v)))
                            .min_by_key(|&(p, d)| (d, p))
                    })?
                    .0
            }
        };
        current = unvisited.swap_remove(pos);
        if let Some(&moved) = unvisited.get(pos) {
            pos_of[moved] = pos;
        }
        pos_of[current] = usize::MAX;
        tour.push(current);
    }
    Some(tour)
}

/// Closed tour length, summed in i64.
pub fn tour_cost(inst: &TspInstance, tour: &[usize]) -> i64 {
    let n = tour.len();
    (0..n).map(|i| inst.dist(tour[i], tour[(i + 1) % n])).sum()
}

/// `tsp.nn`: nearest neighbour from node 0.
pub fn solve(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
) -> SolveResult<TspSolution> {
    match nearest_neighbour_tour(inst, 0, budget) {
        Some(tour) => {
            let cost = tour_cost(inst, &tour) as f64;
            observer.improved(&Improvement {
                objective: cost,
                bound: None,
                elapsed: budget.elapsed(),
                source: "nearest-neighbour",
            });
            SolveResult::feasible(TspSolution { tour }, cost)
        }
        None => SolveResult::unknown("stopped (cancel or time limit) before a tour was built"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::{CoordMetric, TspKind, Weights};

    fn square() -> TspInstance {
        TspInstance {
            name: "sq".into(),
            comment: String::new(),
            kind: TspKind::Tsp,
            weights: Weights::Coords {
                metric: CoordMetric::Euc2d,
                coords: vec![[0.0, 0.0], [10.0, 10.0], [0.0, 10.0], [10.0, 0.0]],
            },
            fixed_edges: vec![],
            display: None,
            edge_weight_format: None,
        }
    }

    #[test]
    fn nn_visits_every_node_once_and_finds_the_square() {
        let inst = square();
        let r = solve(&inst, &Budget::default(), &crate::engine::NoObserver);
        let mut t = r.solution.unwrap().tour;
        assert_eq!(r.objective, Some(40.0));
        t.sort_unstable();
        assert_eq!(t, vec![0, 1, 2, 3]);
    }

    /// Regression (linhp318): the tour must contain every fixed edge.
    #[test]
    fn fixed_edges_are_kept() {
        let mut inst = square();
        inst.fixed_edges = vec![(0, 1), (2, 3)];
        let r = solve(&inst, &Budget::default(), &crate::engine::NoObserver);
        let sol = r.solution.unwrap();
        let rep = quotient_problems::tsp::check::check(&inst, &sol);
        assert!(rep.is_feasible(), "{:?}", rep.violations);
    }

    #[test]
    fn cancelled_budget_gives_unknown() {
        let mut coords = Vec::new();
        for i in 0..2000 {
            coords.push([i as f64, (i * 7 % 13) as f64]);
        }
        let inst = TspInstance {
            weights: Weights::Coords {
                metric: CoordMetric::Euc2d,
                coords,
            },
            ..square()
        };
        let b = Budget::default();
        b.cancel();
        let r = solve(&inst, &b, &crate::engine::NoObserver);
        assert_eq!(r.status, crate::engine::Status::Unknown);
    }
}

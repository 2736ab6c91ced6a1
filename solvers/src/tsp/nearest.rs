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
    let mut unvisited: Vec<usize> = (0..n).filter(|&v| v != start).collect();
    let mut tour = Vec::with_capacity(n);
    tour.push(start);
    let mut current = start;
    while !unvisited.is_empty() {
        if tour.len() % 256 == 0 && budget.is_cancelled() {
            return None;
        }
        let (pos, _) = unvisited
            .iter()
            .enumerate()
            .map(|(p, &v)| (p, inst.dist(current, v)))
            .min_by_key(|&(p, d)| (d, p))?;
        current = unvisited.swap_remove(pos);
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
        None => SolveResult::unknown("cancelled before a tour was built"),
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

//! Customer neighbour lists of a CVRP instance (the savings' candidate pairs, SISR's string
//! seeds, insertion candidates and granular moves): through the shared k-d tree
//! ([`crate::spatial::PointIndex`]) when the costs are Euclidean distances between
//! coordinates, by the brute-force scan otherwise (explicit matrices; non-finite coordinates).

use crate::engine::Budget;
use crate::spatial::{PointIndex, brute_k_nearest};
use quotient_problems::cvrp::{CvrpInstance, CvrpWeights};

/// How often (in customers) the budget is polled while the lists are built.
const POLL_EVERY: usize = 64;

/// `lists[c]` for every customer `c` (`lists[0]`, the depot's, is empty): the `k` customers
/// other than `c` that are least by `(cost(c, j), j)`, nearest first; `None` when the budget
/// ran out. `cost(c, j)` must be a non-decreasing function of `inst.dist(c, j)` on coordinate
/// instances (the distance itself, or `dist(c, j) + dist(j, c)`), so that the k-d tree ranks
/// as the scan does; the lists are then exactly [`customer_neighbours_scan`]'s, in about
/// `n k log n` instead of `n^2`.
pub(crate) fn customer_neighbours(
    inst: &CvrpInstance,
    k: usize,
    cost: impl Fn(usize, usize) -> f64,
    budget: &Budget,
) -> Option<Vec<Vec<u32>>> {
    let index = match &inst.weights {
        CvrpWeights::Coords { coords, .. } if coords.len() == inst.n() => PointIndex::new(coords),
        _ => None,
    };
    let Some(index) = index else {
        return customer_neighbours_scan(inst, k, cost, budget);
    };
    lists(inst.n(), budget, |c, out| {
        index.k_nearest(c, k, |j| j != 0, |j| cost(c, j), out);
    })
}

/// The from-scratch twin of [`customer_neighbours`] (and its way for explicit matrices):
/// every customer against every other, O(n^2).
pub(crate) fn customer_neighbours_scan(
    inst: &CvrpInstance,
    k: usize,
    cost: impl Fn(usize, usize) -> f64,
    budget: &Budget,
) -> Option<Vec<Vec<u32>>> {
    let n = inst.n();
    lists(n, budget, |c, out| {
        brute_k_nearest(n, c, k, |j| j != 0, |j| cost(c, j), out);
    })
}

/// One list per customer from `fill(c, buffer)`, polling the budget.
fn lists(
    n: usize,
    budget: &Budget,
    fill: impl Fn(usize, &mut Vec<(f64, usize)>),
) -> Option<Vec<Vec<u32>>> {
    let mut near = vec![Vec::new(); n];
    let mut buf: Vec<(f64, usize)> = Vec::new();
    for (c, list) in near.iter_mut().enumerate().skip(1) {
        if c.is_multiple_of(POLL_EVERY) && budget.is_exhausted() {
            return None;
        }
        fill(c, &mut buf);
        *list = buf.iter().map(|&(_, j)| j as u32).collect();
    }
    Some(near)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::cvrp::Rounding;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Customers on a `grid x grid` lattice (duplicates when dense), a block of them on the
    /// depot's point, and every fifth one at a point of its own elsewhere.
    fn inst(n: usize, grid: i64, rounding: Rounding, seed: u64) -> CvrpInstance {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut coords: Vec<[f64; 2]> = (0..n)
            .map(|_| {
                [
                    rng.random_range(0..=grid) as f64,
                    rng.random_range(0..=grid) as f64,
                ]
            })
            .collect();
        for c in coords.iter_mut().skip(1).step_by(11).take(40) {
            *c = coords_of_depot(grid);
        }
        coords[0] = coords_of_depot(grid);
        CvrpInstance {
            name: "near".into(),
            comment: String::new(),
            capacity: 10,
            demands: (0..n).map(|i| i64::from(i > 0)).collect(),
            weights: CvrpWeights::Coords { rounding, coords },
            distance_limit: None,
            service_time: None,
            vehicles: None,
            display: None,
        }
    }

    fn coords_of_depot(grid: i64) -> [f64; 2] {
        [(grid / 2) as f64, (grid / 2) as f64]
    }

    fn both(inst: &CvrpInstance, k: usize, sum: bool) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
        let budget = Budget::new(None);
        let cost = |i: usize, j: usize| {
            if sum {
                inst.dist(i, j) + inst.dist(j, i)
            } else {
                inst.dist(i, j)
            }
        };
        (
            customer_neighbours(inst, k, cost, &budget).unwrap(),
            customer_neighbours_scan(inst, k, cost, &budget).unwrap(),
        )
    }

    #[test]
    fn k_d_lists_equal_the_scan() {
        let cases = [
            (1500, 1000, Rounding::Nearest, 1),
            (1500, 40, Rounding::Nearest, 2),
            (900, 12, Rounding::Ceil, 3),
            (900, 1000, Rounding::Exact, 4),
            (60, 5, Rounding::Nearest, 5),
        ];
        for (n, grid, rounding, seed) in cases {
            let inst = inst(n, grid, rounding, seed);
            for k in [1, 8, 60, n - 2, n - 1, n + 3] {
                for sum in [false, true] {
                    let (kd, scan) = both(&inst, k, sum);
                    assert_eq!(kd, scan, "n {n} grid {grid} k {k} sum {sum}");
                    assert!(kd[0].is_empty());
                    for (c, list) in kd.iter().enumerate().skip(1) {
                        assert_eq!(list.len(), k.min(n - 2), "customer {c}");
                        assert!(list.iter().all(|&j| j != 0 && j as usize != c));
                    }
                }
            }
        }
    }

    #[test]
    fn explicit_matrices_and_display_coordinates_use_the_scan() {
        // The matrix is not Euclidean in the display coordinates: the lists follow the matrix.
        let n = 30;
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut matrix = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..i {
                let d = f64::from(rng.random_range(1..50u32));
                matrix[i * n + j] = d;
                matrix[j * n + i] = d;
            }
        }
        let mut m = inst(n, 100, Rounding::Nearest, 7);
        m.display = m.coords().map(<[_]>::to_vec);
        m.weights = CvrpWeights::Matrix { n, matrix };
        let (got, scan) = both(&m, 5, false);
        assert_eq!(got, scan);
        for (c, list) in got.iter().enumerate().skip(1) {
            let mut want: Vec<(f64, usize)> = (1..n)
                .filter(|&j| j != c)
                .map(|j| (m.dist(c, j), j))
                .collect();
            want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let want: Vec<u32> = want[..5].iter().map(|&(_, j)| j as u32).collect();
            assert_eq!(list, &want, "customer {c}");
        }
        // Non-finite coordinates: the scan, no panic.
        let mut bad = inst(20, 10, Rounding::Exact, 8);
        if let CvrpWeights::Coords { coords, .. } = &mut bad.weights {
            coords[3] = [f64::INFINITY, 0.0];
        }
        let (kd, scan) = both(&bad, 4, false);
        assert_eq!(kd, scan);
    }

    #[test]
    fn an_exhausted_budget_stops_the_lists() {
        let inst = inst(400, 100, Rounding::Nearest, 3);
        let budget = Budget::new(None);
        budget.cancel();
        assert!(customer_neighbours(&inst, 5, |i, j| inst.dist(i, j), &budget).is_none());
        assert!(customer_neighbours_scan(&inst, 5, |i, j| inst.dist(i, j), &budget).is_none());
    }
}

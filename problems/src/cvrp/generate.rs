//! Seeded CVRP instance generators.
//!
//! # [`x_style`]: the X-set generator of Uchoa et al. (2017)
//! Uchoa, Pecin, Pessoa, Poggi, Vidal, Subramanian, "New benchmark instances for the
//! Capacitated Vehicle Routing Problem", EJOR 257 (2017). Implemented from the paper:
//! * integer points on the `[0, 1000] x [0, 1000]` grid, `EUC_2D` rounded to the nearest integer;
//! * depot: central `(500, 500)`, eccentric `(0, 0)`, or random;
//! * customers: random (uniform), clustered (`S ~ U{3..8}` seed customers placed uniformly, then
//!   each further customer drawn uniformly and accepted with probability
//!   `min(1, Σ_s exp(-d(i, s) / 40))`), or random-clustered (half of the customers clustered, the
//!   others random);
//! * demands: unitary (1), 1-10, 5-10, 1-100, 50-100, quadrant-dependent (1-50 in the
//!   bottom-left and top-right quadrants of the grid, 51-100 in the two others), or many
//!   small / few large (a fraction `f ~ U[0.70, 0.95]`: each customer gets 1-10 with probability
//!   `f`, else 50-100);
//! * capacity `Q = ceil(r * Σ q / n)` with `r` the requested average route size.
//!
//! Simplifications (documented choices where the paper leaves room): `r` is a parameter rather
//! than drawn from the paper's triangular distribution; `Q` is raised to the largest demand so
//! that every instance is feasible; customer (and depot) locations are all distinct when
//! `n <= 100_000` and may repeat above; `n` is capped at [`crate::cvrp::read::MAX_NODES`] - 1
//! so the written file reads back; a clustered customer set gets `min(S, n)` seeds.
//!
//! # [`uniform`]: the neural-CVRP benchmark distribution
//! Depot and customers uniform in the unit square, demands uniform in `1..=9` (Nazari et al.
//! 2018, Kool et al. 2019; they use capacity 30/40/50 for n = 20/50/100), unrounded distances.
//! Coordinates are quantised to multiples of 1e-6 so that they survive text and JSON round trips
//! bit for bit.

use super::model::{CvrpInstance, CvrpWeights, Rounding};
use super::read::MAX_NODES;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Grid size of the X generator.
pub const X_GRID: i64 = 1000;
/// Above this many customers locations are no longer forced to be distinct.
pub const X_DISTINCT_UP_TO: usize = 100_000;

/// Depot positioning of the X generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepotPos {
    /// `(500, 500)`.
    Central,
    /// `(0, 0)`.
    Eccentric,
    /// Uniform on the grid.
    Random,
}

/// Customer positioning of the X generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerPos {
    Random,
    Clustered,
    RandomClustered,
}

/// Demand distribution of the X generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandKind {
    /// All demands 1.
    Unitary,
    /// Small values, large variance: `1..=10`.
    SmallLargeVar,
    /// Small values, small variance: `5..=10`.
    SmallSmallVar,
    /// Large values, large variance: `1..=100`.
    LargeLargeVar,
    /// Large values, small variance: `50..=100`.
    LargeSmallVar,
    /// `1..=50` or `51..=100` depending on the quadrant of the grid.
    Quadrant,
    /// Many small (`1..=10`), few large (`50..=100`).
    ManySmallFewLarge,
}

/// Parameters of [`x_style`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct XParams {
    /// Number of customers (the instance has `n + 1` nodes).
    pub n: usize,
    pub depot: DepotPos,
    pub customers: CustomerPos,
    pub demand: DemandKind,
    /// Average number of customers per route `r` (the paper draws it in `[3, 25]`).
    pub route_size: f64,
}

fn grid_point(rng: &mut ChaCha8Rng) -> [i64; 2] {
    [rng.random_range(0..=X_GRID), rng.random_range(0..=X_GRID)]
}

/// An X-style instance (see the module documentation). Named `X-style-n{n}-s{seed}`.
pub fn x_style(params: XParams, seed: u64) -> CvrpInstance {
    let n = params.n.min(MAX_NODES - 1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let distinct = n <= X_DISTINCT_UP_TO;

    let depot = match params.depot {
        DepotPos::Central => [X_GRID / 2, X_GRID / 2],
        DepotPos::Eccentric => [0, 0],
        DepotPos::Random => grid_point(&mut rng),
    };
    let mut used: HashSet<[i64; 2]> = HashSet::new();
    used.insert(depot);
    let mut points: Vec<[i64; 2]> = vec![depot];
    // Adds p unless it must be distinct and is taken.
    let mut take = |p: [i64; 2], points: &mut Vec<[i64; 2]>| -> bool {
        if distinct && !used.insert(p) {
            return false;
        }
        points.push(p);
        true
    };

    let clustered = match params.customers {
        CustomerPos::Random => 0,
        CustomerPos::Clustered => n,
        CustomerPos::RandomClustered => n / 2,
    };
    if clustered > 0 {
        let s = rng.random_range(3..=8usize).min(clustered);
        let mut seeds = Vec::new();
        while seeds.len() < s {
            let p = grid_point(&mut rng);
            if take(p, &mut points) {
                seeds.push(p);
            }
        }
        let mut placed = s;
        while placed < clustered {
            let p = grid_point(&mut rng);
            let attraction: f64 = seeds
                .iter()
                .map(|q| {
                    let dx = (p[0] - q[0]) as f64;
                    let dy = (p[1] - q[1]) as f64;
                    (-(dx * dx + dy * dy).sqrt() / 40.0).exp()
                })
                .sum();
            if rng.random::<f64>() < attraction.min(1.0) && take(p, &mut points) {
                placed += 1;
            }
        }
    }
    while points.len() < n + 1 {
        let p = grid_point(&mut rng);
        take(p, &mut points);
    }

    let mut demands = vec![0i64];
    let small_share: f64 = rng.random_range(0.70..=0.95);
    for p in points.iter().skip(1) {
        let q = match params.demand {
            DemandKind::Unitary => 1,
            DemandKind::SmallLargeVar => rng.random_range(1..=10),
            DemandKind::SmallSmallVar => rng.random_range(5..=10),
            DemandKind::LargeLargeVar => rng.random_range(1..=100),
            DemandKind::LargeSmallVar => rng.random_range(50..=100),
            DemandKind::Quadrant => {
                let half = X_GRID / 2;
                if (p[0] < half) == (p[1] < half) {
                    rng.random_range(1..=50)
                } else {
                    rng.random_range(51..=100)
                }
            }
            DemandKind::ManySmallFewLarge => {
                if rng.random::<f64>() < small_share {
                    rng.random_range(1..=10)
                } else {
                    rng.random_range(50..=100)
                }
            }
        };
        demands.push(q);
    }
    let total: i64 = demands.iter().sum();
    let max_q = demands.iter().copied().max().unwrap_or(0);
    let r = if params.route_size.is_finite() && params.route_size > 0.0 {
        params.route_size
    } else {
        1.0
    };
    let q = if n == 0 {
        1
    } else {
        (r * total as f64 / n as f64).ceil() as i64
    };
    let capacity = q.max(max_q).max(1);

    CvrpInstance {
        name: format!("X-style-n{n}-s{seed}"),
        comment: format!(
            "X-style generator (Uchoa et al. 2017): depot {:?}, customers {:?}, demand {:?}, r {}, seed {seed}",
            params.depot, params.customers, params.demand, r
        ),
        capacity,
        demands,
        weights: CvrpWeights::Coords {
            rounding: Rounding::Nearest,
            coords: points.iter().map(|&[x, y]| [x as f64, y as f64]).collect(),
        },
        distance_limit: None,
        service_time: None,
        vehicles: None,
        display: None,
    }
}

/// A uniform unit-square instance with `n` customers and demands `1..=9` (see the module
/// documentation). A capacity below 9 is raised to 9. Named `uniform-n{n}-s{seed}`.
pub fn uniform(n: usize, capacity: i64, seed: u64) -> CvrpInstance {
    let n = n.min(MAX_NODES - 1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pt = |rng: &mut ChaCha8Rng| {
        [
            rng.random_range(0..1_000_000u32) as f64 / 1e6,
            rng.random_range(0..1_000_000u32) as f64 / 1e6,
        ]
    };
    let mut coords = Vec::with_capacity(n + 1);
    let mut demands = Vec::with_capacity(n + 1);
    coords.push(pt(&mut rng));
    demands.push(0);
    for _ in 0..n {
        coords.push(pt(&mut rng));
        demands.push(rng.random_range(1..=9i64));
    }
    CvrpInstance {
        name: format!("uniform-n{n}-s{seed}"),
        comment: format!("uniform unit square, demand 1-9, seed {seed}"),
        capacity: capacity.max(9),
        demands,
        weights: CvrpWeights::Coords {
            rounding: Rounding::Exact,
            coords,
        },
        distance_limit: None,
        service_time: None,
        vehicles: None,
        display: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn params(customers: CustomerPos, demand: DemandKind) -> XParams {
        XParams {
            n: 200,
            depot: DepotPos::Random,
            customers,
            demand,
            route_size: 8.0,
        }
    }

    #[test]
    fn deterministic_and_sane() {
        for c in [
            CustomerPos::Random,
            CustomerPos::Clustered,
            CustomerPos::RandomClustered,
        ] {
            for d in [
                DemandKind::Unitary,
                DemandKind::SmallLargeVar,
                DemandKind::SmallSmallVar,
                DemandKind::LargeLargeVar,
                DemandKind::LargeSmallVar,
                DemandKind::Quadrant,
                DemandKind::ManySmallFewLarge,
            ] {
                let a = x_style(params(c, d), 7);
                assert_eq!(a, x_style(params(c, d), 7));
                assert_eq!(a.n(), 201);
                assert_eq!(a.demands[0], 0);
                assert!(a.demands[1..].iter().all(|&q| (1..=100).contains(&q)));
                let pts: HashSet<_> = a
                    .coords()
                    .unwrap()
                    .iter()
                    .map(|p| (p[0] as i64, p[1] as i64))
                    .collect();
                assert_eq!(pts.len(), 201);
                let total: i64 = a.demands.iter().sum();
                let max_q = *a.demands.iter().max().unwrap();
                assert_eq!(
                    a.capacity,
                    (((8.0 * total as f64) / 200.0).ceil() as i64).max(max_q)
                );
            }
        }
        assert_ne!(
            x_style(params(CustomerPos::Random, DemandKind::Unitary), 1),
            x_style(params(CustomerPos::Random, DemandKind::Unitary), 2)
        );
        let p = XParams {
            depot: DepotPos::Central,
            ..params(CustomerPos::Random, DemandKind::Unitary)
        };
        assert_eq!(x_style(p, 1).coords().unwrap()[0], [500.0, 500.0]);
        assert_eq!(x_style(p, 1).name, "X-style-n200-s1");
    }

    #[test]
    fn uniform_instance() {
        let u = uniform(100, 50, 3);
        assert_eq!(u, uniform(100, 50, 3));
        assert_eq!(u.n(), 101);
        assert_eq!(u.capacity, 50);
        assert!(u.demands[1..].iter().all(|&q| (1..=9).contains(&q)));
        assert!(
            u.coords()
                .unwrap()
                .iter()
                .all(|p| (0.0..1.0).contains(&p[0]) && (0.0..1.0).contains(&p[1]))
        );
    }
}

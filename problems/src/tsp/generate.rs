//! Seeded TSP instance generators (EUC_2D, integer coordinates). The same `(n, seed)` gives the
//! same instance on every platform (ChaCha8).

use super::model::{CoordMetric, TspInstance, TspKind, Weights};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// Side of the square the generators draw from: coordinates are integers in `[0, 10^6)`.
pub const SIDE: u32 = 1_000_000;

fn instance(name: String, comment: String, coords: Vec<[f64; 2]>) -> TspInstance {
    TspInstance {
        name,
        comment,
        kind: TspKind::Tsp,
        weights: Weights::Coords {
            metric: CoordMetric::Euc2d,
            coords,
        },
        fixed_edges: Vec::new(),
        display: None,
        edge_weight_format: None,
    }
}

/// `n` points with integer coordinates uniform in `[0, 10^6)^2` (DIMACS "uniform"), EUC_2D.
/// Named `uniform-n{n}-s{seed}`.
pub fn uniform(n: usize, seed: u64) -> TspInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let coords = (0..n)
        .map(|_| {
            [
                rng.random_range(0..SIDE) as f64,
                rng.random_range(0..SIDE) as f64,
            ]
        })
        .collect();
    instance(
        format!("uniform-n{n}-s{seed}"),
        format!("{n} points uniform in [0,1000000)^2, integer coordinates, seed {seed}"),
        coords,
    )
}

/// DIMACS-style clustered instance: `clusters` centres uniform in `[0, 10^6)^2`, each point
/// picks a centre uniformly and is placed normally around it with standard deviation
/// `10^6 / sqrt(n)` per axis, rounded to the nearest integer (points may fall slightly outside
/// the square). `clusters = 0` is treated as 1. Named `clustered-n{n}-c{clusters}-s{seed}`.
pub fn clustered(n: usize, clusters: usize, seed: u64) -> TspInstance {
    let clusters = clusters.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres: Vec<[f64; 2]> = (0..clusters)
        .map(|_| {
            [
                rng.random_range(0..SIDE) as f64,
                rng.random_range(0..SIDE) as f64,
            ]
        })
        .collect();
    let sigma = f64::from(SIDE) / (n.max(1) as f64).sqrt();
    let normal = Normal::new(0.0, sigma).expect("sigma is finite and positive");
    let coords = (0..n)
        .map(|_| {
            let c = centres[rng.random_range(0..clusters)];
            [
                (c[0] + normal.sample(&mut rng)).round(),
                (c[1] + normal.sample(&mut rng)).round(),
            ]
        })
        .collect();
    instance(
        format!("clustered-n{n}-c{clusters}-s{seed}"),
        format!(
            "{n} points in {clusters} normal clusters (sigma {sigma:.1}) around centres uniform in \
             [0,1000000)^2, seed {seed}"
        ),
        coords,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let a = uniform(200, 7);
        assert_eq!(a, uniform(200, 7));
        assert_ne!(a, uniform(200, 8));
        assert_eq!(a.name, "uniform-n200-s7");
        assert_eq!(a.n(), 200);
        let Weights::Coords { coords, .. } = &a.weights else {
            panic!("coords expected")
        };
        assert!(
            coords
                .iter()
                .flatten()
                .all(|&v| (0.0..1e6).contains(&v) && v.fract() == 0.0)
        );
        let c = clustered(300, 5, 3);
        assert_eq!(c, clustered(300, 5, 3));
        assert_eq!(c.name, "clustered-n300-c5-s3");
        assert_eq!(c.n(), 300);
        assert_eq!(clustered(10, 0, 1).n(), 10);
        assert_eq!(uniform(0, 1).n(), 0);
    }
}

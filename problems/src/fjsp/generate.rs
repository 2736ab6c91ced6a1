//! Seeded flexible job-shop generator.

use super::model::{FjspInstance, FjspOperation};
use crate::jssp::Operation;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random instance from `ChaCha8Rng::seed_from_u64(seed)`, in the spirit of Brandimarte's
/// sets: every job has `operations` operations (`0` means as many as machines); each operation
/// has between 1 and `max(1, round(flexibility * machines))` eligible machines (`flexibility`
/// clamped to `0..=1`; 1 = every machine may be eligible), drawn without repetition; a base
/// time uniform in `1..=99`, and on each eligible machine a time uniform in
/// `base..=base + base / 2`. `jobs` and `machines` are clamped to at least 1. Named
/// `fjsp-{jobs}x{machines}-f{flexibility}-s{seed}`.
pub fn random(
    jobs: usize,
    machines: usize,
    operations: usize,
    flexibility: f64,
    seed: u64,
) -> FjspInstance {
    let n = jobs.max(1);
    let m = machines.max(1);
    let k = if operations == 0 { m } else { operations };
    let f = if flexibility.is_finite() {
        flexibility.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let max_alts = ((f * m as f64).round() as usize).clamp(1, m);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let jobs_ops = (0..n)
        .map(|_| {
            (0..k)
                .map(|_| {
                    let c = rng.random_range(1..=max_alts);
                    let base: i64 = rng.random_range(1..=99);
                    let mut chosen: Vec<usize> = sample(&mut rng, m, c).into_vec();
                    chosen.sort_unstable();
                    FjspOperation {
                        alternatives: chosen
                            .into_iter()
                            .map(|machine| Operation {
                                machine,
                                duration: rng.random_range(base..=base + base / 2),
                            })
                            .collect(),
                    }
                })
                .collect()
        })
        .collect();
    FjspInstance {
        name: format!("fjsp-{n}x{m}-f{f}-s{seed}"),
        machines: m,
        jobs: jobs_ops,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fjsp::read::read_fjsp;
    use crate::fjsp::write::write_fjsp;

    #[test]
    fn deterministic_readable_and_within_the_parameters() {
        for (n, m, k, f, s) in [
            (1, 1, 0, 0.5, 0),
            (3, 5, 4, 0.4, 1),
            (10, 6, 0, 1.0, 42),
            (0, 0, 0, f64::NAN, 7),
        ] {
            let a = random(n, m, k, f, s);
            assert_eq!(a, random(n, m, k, f, s));
            assert_eq!(read_fjsp(&write_fjsp(&a), &a.name).unwrap(), a);
            let ops = if k == 0 { m.max(1) } else { k };
            for job in &a.jobs {
                assert_eq!(job.len(), ops);
                for op in job {
                    assert!(!op.alternatives.is_empty());
                    let mut ms: Vec<usize> = op.alternatives.iter().map(|x| x.machine).collect();
                    ms.dedup();
                    assert_eq!(ms.len(), op.alternatives.len());
                    assert!(ms.iter().all(|&x| x < a.machines));
                    assert!(
                        op.alternatives
                            .iter()
                            .all(|x| (1..=148).contains(&x.duration))
                    );
                }
            }
        }
        assert_ne!(random(5, 5, 0, 0.5, 1), random(5, 5, 0, 0.5, 2));
        let flexible = random(20, 8, 0, 1.0, 3);
        assert!(
            flexible
                .jobs
                .iter()
                .flatten()
                .any(|o| o.alternatives.len() > 4)
        );
        assert_eq!(random(10, 6, 0, 0.5, 1).name, "fjsp-10x6-f0.5-s1");
    }
}

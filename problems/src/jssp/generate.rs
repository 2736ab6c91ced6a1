//! Seeded job-shop instance generators.
//!
//! * [`taillard`]: Taillard's own generator (E. Taillard, "Benchmarks for basic scheduling
//!   problems", EJOR 64, 1993), bit for bit: with the published seeds it reproduces his
//!   instances (ta01 = 15x15, time seed 840612802, machine seed 398197754).
//! * [`random`]: the same distribution (durations uniform in 1..=99, each job a random machine
//!   permutation) driven by `ChaCha8Rng::seed_from_u64(seed)`.
//!
//! Both clamp `jobs` and `machines` to at least 1 (the readers reject empty instances).

use super::model::{JsspInstance, Operation};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Taillard's portable linear congruential generator (Lehmer, a = 16807, m = 2^31 - 1, computed
/// with Schrage's method): advances `seed` and returns an integer uniform in `low..=high`.
fn unif(seed: &mut i64, low: i64, high: i64) -> i64 {
    const M: i64 = 2_147_483_647;
    const A: i64 = 16_807;
    const B: i64 = 127_773;
    const C: i64 = 2_836;
    let k = *seed / B;
    *seed = A * (*seed % B) - k * C;
    if *seed < 0 {
        *seed += M;
    }
    let value_0_1 = *seed as f64 / M as f64;
    low + (value_0_1 * (high - low + 1) as f64).floor() as i64
}

/// Taillard's job-shop generator: processing times `unif(time_seed, 1, 99)` job by job, then
/// for each job the identity machine order with position `k` swapped with
/// `unif(machine_seed, k, m - 1)` for `k = 0..m`.
///
/// Seeds are taken modulo 2^31 - 1 (Taillard's seeds are all below it). Named
/// `taillard-{jobs}x{machines}-{time_seed}-{machine_seed}`.
pub fn taillard(jobs: usize, machines: usize, time_seed: u64, machine_seed: u64) -> JsspInstance {
    let n = jobs.max(1);
    let m = machines.max(1);
    let modulus = 2_147_483_647u64;
    let mut ts = (time_seed % modulus) as i64;
    let mut ms = (machine_seed % modulus) as i64;
    let times: Vec<Vec<i64>> = (0..n)
        .map(|_| (0..m).map(|_| unif(&mut ts, 1, 99)).collect())
        .collect();
    let hi = m as i64 - 1;
    let jobs_ops = times
        .into_iter()
        .map(|row| {
            let mut order: Vec<usize> = (0..m).collect();
            for k in 0..m {
                let r = unif(&mut ms, k as i64, hi);
                // r is in k..=m-1 by construction; clamp anyway so no input can index out.
                let r = (r.max(0) as usize).min(m - 1);
                order.swap(k, r);
            }
            order
                .into_iter()
                .zip(row)
                .map(|(machine, duration)| Operation { machine, duration })
                .collect()
        })
        .collect();
    JsspInstance {
        name: format!("taillard-{n}x{m}-{time_seed}-{machine_seed}"),
        machines: m,
        jobs: jobs_ops,
        variant: Default::default(),
    }
}

/// A Taillard-style random instance from `ChaCha8Rng::seed_from_u64(seed)`: each job visits
/// every machine once in a random order, durations uniform in `1..=99`. Named
/// `ta-style-{jobs}x{machines}-s{seed}`.
pub fn random(jobs: usize, machines: usize, seed: u64) -> JsspInstance {
    let n = jobs.max(1);
    let m = machines.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let jobs_ops = (0..n)
        .map(|_| {
            let mut order: Vec<usize> = (0..m).collect();
            order.shuffle(&mut rng);
            order
                .into_iter()
                .map(|machine| Operation {
                    machine,
                    duration: rng.random_range(1..=99),
                })
                .collect()
        })
        .collect();
    JsspInstance {
        name: format!("ta-style-{n}x{m}-s{seed}"),
        machines: m,
        jobs: jobs_ops,
        variant: Default::default(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jssp::read::read_jssp;
    use crate::jssp::write::{write_orlib, write_taillard};

    #[test]
    fn taillard_first_job_of_ta01() {
        let i = taillard(15, 15, 840_612_802, 398_197_754);
        let first: Vec<(usize, i64)> = i.jobs[0].iter().map(|o| (o.machine, o.duration)).collect();
        assert_eq!(
            first,
            vec![
                (6, 94),
                (12, 66),
                (4, 10),
                (7, 53),
                (3, 26),
                (2, 15),
                (10, 65),
                (11, 82),
                (8, 10),
                (14, 27),
                (9, 93),
                (13, 92),
                (5, 96),
                (0, 70),
                (1, 83)
            ]
        );
    }

    #[test]
    fn generators_are_deterministic_and_readable() {
        for (n, m, s) in [(1, 1, 0), (3, 5, 1), (10, 4, 42), (0, 0, 7)] {
            let a = random(n, m, s);
            assert_eq!(a, random(n, m, s));
            let b = taillard(n, m, s, s + 1);
            assert_eq!(b, taillard(n, m, s, s + 1));
            for i in [a, b] {
                let mut back = read_jssp(&write_orlib(&i), &i.name).unwrap();
                assert_eq!(back, i);
                back = read_jssp(&write_taillard(&i), &i.name).unwrap();
                assert_eq!(back, i);
                for job in &i.jobs {
                    let mut ms: Vec<usize> = job.iter().map(|o| o.machine).collect();
                    ms.sort_unstable();
                    assert_eq!(ms, (0..i.machines).collect::<Vec<_>>());
                    assert!(job.iter().all(|o| (1..=99).contains(&o.duration)));
                }
            }
        }
        assert_ne!(random(5, 5, 1), random(5, 5, 2));
        assert_eq!(random(15, 15, 1).name, "ta-style-15x15-s1");
    }
}

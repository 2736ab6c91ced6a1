//! Path relinking between schedules (i-TSAB style, Nowicki–Smutnicki 2005): walk from one
//! schedule towards another by adjacent swaps of operations whose order differs in the two,
//! each step bringing the schedules one pair closer, and stop part way (`jssp.tabu` then runs a
//! tabu phase from the point reached).
//!
//! The distance between two schedules is the number of pairs of operations of one machine that
//! they order differently. An adjacent swap of such a pair lowers it by exactly one. Each step
//! takes, among the swaps towards the target that keep the graph acyclic, the one with the
//! smallest makespan estimate ([`super::moves::estimate`], exact or a lower bound for a swap),
//! ties at random, then recomputes heads and tails.

use super::graph::{Problem, Schedule};
use super::moves::{Move, Scratch, acyclic, apply, estimate};
use rand::Rng;

/// Position of every operation in its machine sequence of `seq`, into `pos`.
pub fn positions(seq: &[Vec<u32>], pos: &mut Vec<u32>) {
    let n = seq.iter().map(Vec::len).sum();
    pos.clear();
    pos.resize(n, 0);
    for s in seq {
        for (i, &o) in s.iter().enumerate() {
            pos[o as usize] = i as u32;
        }
    }
}

/// The number of pairs of operations (on one machine) that `seq` orders differently from the
/// schedule whose positions are `target_pos`.
pub fn distance(seq: &[Vec<u32>], target_pos: &[u32]) -> usize {
    let mut d = 0;
    for s in seq {
        for (i, &a) in s.iter().enumerate() {
            let ta = target_pos[a as usize];
            d += s[i + 1..]
                .iter()
                .filter(|&&b| target_pos[b as usize] < ta)
                .count();
        }
    }
    d
}

/// At most `steps` swaps from `sch` towards the schedule whose positions are `target_pos`
/// (heads and tails of `sch` kept up to date). Returns the number of swaps made: fewer than
/// `steps` when the target is reached or every swap towards it would close a cycle.
pub fn walk<R: Rng>(
    p: &Problem,
    sch: &mut Schedule,
    target_pos: &[u32],
    steps: usize,
    rng: &mut R,
    sc: &mut Scratch,
) -> usize {
    for done in 0..steps {
        let mut best: Option<(i64, Move)> = None;
        let mut ties = 0u32;
        for (m, s) in sch.seq.iter().enumerate() {
            for i in 1..s.len() {
                if target_pos[s[i - 1] as usize] < target_pos[s[i] as usize] {
                    continue;
                }
                let mv = Move {
                    m: m as u32,
                    from: i as u32 - 1,
                    to: i as u32,
                };
                if !acyclic(p, sch, mv) {
                    continue;
                }
                let est = estimate(p, sch, mv, sc);
                match best {
                    Some((b, _)) if est > b => {}
                    Some((b, _)) if est == b => {
                        ties += 1;
                        if rng.random_range(0..ties) == 0 {
                            best = Some((est, mv));
                        }
                    }
                    _ => {
                        best = Some((est, mv));
                        ties = 1;
                    }
                }
            }
        }
        let Some((_, mv)) = best else {
            return done;
        };
        apply(sch, mv);
        if !sch.recompute(p) {
            // The acyclicity test is exact for swaps; stay safe all the same.
            apply(sch, mv.inverse());
            sch.recompute(p);
            return done;
        }
    }
    steps
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jssp::graph::tests::{longest_paths, random_schedule};
    use quotient_problems::jssp::generate::random;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Walks between random schedules: every swap lowers the distance by one, heads and tails
    /// stay exact, and a walk without a step limit reaches the target.
    #[test]
    fn walks_approach_the_target_one_pair_at_a_time() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut sc = Scratch::default();
        let mut tpos = Vec::new();
        let (mut reached, mut walks, mut progress) = (0, 0, 0.0);
        for (jobs, machines, seed) in [(6, 4, 1), (10, 5, 2), (8, 8, 3)] {
            let inst = random(jobs, machines, seed);
            let p = Problem::new(&inst).unwrap();
            for _ in 0..20 {
                let mut a = random_schedule(&p, &mut rng);
                let b = random_schedule(&p, &mut rng);
                positions(&b.seq, &mut tpos);
                let mut d = distance(&a.seq, &tpos);
                let d0 = d;
                assert_eq!(distance(&b.seq, &tpos), 0);
                while d > 0 {
                    let k = rng.random_range(1..=5);
                    let done = walk(&p, &mut a, &tpos, k, &mut rng, &mut sc);
                    let d2 = distance(&a.seq, &tpos);
                    assert_eq!(d2 + done, d);
                    let (h, t, c) = longest_paths(&p, &a.seq);
                    assert_eq!((&a.head, &a.tail, a.cmax), (&h, &t, c));
                    d = d2;
                    if done < k {
                        break;
                    }
                }
                walks += 1;
                progress += (d0 - d) as f64 / d0.max(1) as f64;
                if d == 0 {
                    assert_eq!(a.seq, b.seq);
                    reached += 1;
                }
            }
        }
        // Adjacent swaps can be blocked (every swap towards the target closing a cycle), but
        // walks between random schedules mostly get most of the way.
        let mean = progress / walks as f64;
        eprintln!("{reached} of {walks} walks reached the target, mean progress {mean:.2}");
        assert!(
            reached > 0 && mean > 0.5,
            "{reached} of {walks}, progress {mean:.2}"
        );
    }
}

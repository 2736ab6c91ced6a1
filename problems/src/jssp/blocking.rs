//! The blocking part of the independent job-shop checker (variants `blocking`, `swap`,
//! `iswap`; see [`JsspVariant`] for the definitions). Called by [`super::check::check`]
//! after the count, start and precedence checks; shares no code with any solver and never
//! panics.
//!
//! * Occupation: operation `(j, k)` started at `s` holds its machine over `[s, r)` with `r`
//!   the start of `(j, k + 1)` (the later of that and `s + p`, so a precedence violation,
//!   reported on its own, does not also shorten the occupation) and `r = s + p` for the job's
//!   last operation. Empty occupations hold nothing. Occupations of one machine are swept in
//!   start order against the one reaching furthest so far, so every occupation that starts
//!   inside an earlier one is reported ([`JsspViolation::Blocked`]).
//! * Swaps (only for [`JsspVariant::Blocking`]): a job that leaves machine `m` at `t` (its
//!   next operation starts at `t`) *moves* at `t`; it waits for job `y` when `y`'s occupation
//!   of the machine it enters ends at `t` and `y` moves at `t` too. A cycle of such waits is a
//!   swap and is reported once, with its jobs ([`JsspViolation::Swap`]). Chains (the first job
//!   enters a free machine, or the last one finishes and leaves the shop) are allowed.

use super::check::JsspViolation;
use super::model::{JsspInstance, JsspSolution, JsspVariant};
use std::collections::HashMap;

/// One non-empty occupation: `(machine, start, release, job, op, moves)`; `moves`: the job
/// goes on to its next operation at `release` (false for its last operation).
type Occupation = (usize, i64, i64, usize, usize, bool);

/// Append the blocking violations of `sol` (occupation overlaps, and for
/// [`JsspVariant::Blocking`] swaps) to `out`.
pub(crate) fn blocking_violations(
    inst: &JsspInstance,
    sol: &JsspSolution,
    out: &mut Vec<JsspViolation>,
) {
    let mut occ: Vec<Occupation> = Vec::new();
    for (j, (job, starts)) in inst.jobs.iter().zip(&sol.start).enumerate() {
        for (k, (op, &start)) in job.iter().zip(starts).enumerate() {
            let end = start.saturating_add(op.duration.max(0));
            let (release, moves) = match (job.get(k + 1), starts.get(k + 1)) {
                (Some(_), Some(&next)) => (next.max(end), true),
                _ => (end, false),
            };
            if release > start {
                occ.push((op.machine, start, release, j, k, moves));
            }
        }
    }
    occ.sort_unstable();

    // Overlaps: sweep each machine against the occupation that reaches furthest.
    let mut reach: Option<Occupation> = None;
    for &o in &occ {
        let (m, s, _, j, k, _) = o;
        match reach {
            Some(h) if h.0 == m => {
                if h.2 > s {
                    out.push(JsspViolation::Blocked {
                        machine: m,
                        holder: (h.3, h.4),
                        until: h.2,
                        second: (j, k),
                        start: s,
                    });
                }
                if o.2 > h.2 {
                    reach = Some(o);
                }
            }
            _ => reach = Some(o),
        }
    }

    if inst.variant != JsspVariant::Blocking {
        return;
    }
    // Swaps. `leaving[(m, t)]`: the job whose occupation of m ends at t as it moves on.
    let mut leaving: HashMap<(usize, i64), usize> = HashMap::new();
    for &(m, _, r, j, _, moves) in &occ {
        if moves {
            leaving.entry((m, r)).or_insert(j);
        }
    }
    // waits[(job, t)]: the job it waits for as it moves at t.
    let mut waits: HashMap<(usize, i64), usize> = HashMap::new();
    for &(_, _, r, j, k, moves) in &occ {
        if !moves {
            continue;
        }
        let Some(next) = inst.jobs.get(j).and_then(|job| job.get(k + 1)) else {
            continue;
        };
        if let Some(&y) = leaving.get(&(next.machine, r))
            && y != j
        {
            waits.insert((j, r), y);
        }
    }
    // Each node waits for at most one other: follow the chains, colouring visited nodes.
    let mut keys: Vec<(usize, i64)> = waits.keys().copied().collect();
    keys.sort_unstable();
    let mut done: HashMap<(usize, i64), bool> = HashMap::new();
    for key in keys {
        if done.contains_key(&key) {
            continue;
        }
        let mut path: Vec<(usize, i64)> = Vec::new();
        let mut on_path: HashMap<(usize, i64), usize> = HashMap::new();
        let mut cur = key;
        loop {
            if done.contains_key(&cur) {
                break;
            }
            if let Some(&at) = on_path.get(&cur) {
                let mut jobs: Vec<usize> = path[at..].iter().map(|&(j, _)| j).collect();
                jobs.sort_unstable();
                out.push(JsspViolation::Swap { time: cur.1, jobs });
                break;
            }
            on_path.insert(cur, path.len());
            path.push(cur);
            match waits.get(&cur) {
                Some(&y) => cur = (y, cur.1),
                None => break,
            }
        }
        for p in path {
            done.insert(p, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::Violation;
    use crate::jssp::check::{JsspViolation, check};
    use crate::jssp::model::{JsspInstance, JsspSolution, JsspVariant, Operation};

    fn op(machine: usize, duration: i64) -> Operation {
        Operation { machine, duration }
    }

    /// Two jobs crossing two machines: job 0 goes 0 -> 1, job 1 goes 1 -> 0.
    fn cross(variant: JsspVariant) -> JsspInstance {
        JsspInstance {
            name: "cross".into(),
            machines: 2,
            jobs: vec![vec![op(0, 2), op(1, 3)], vec![op(1, 2), op(0, 3)]],
            variant,
        }
    }

    fn sol(start: Vec<Vec<i64>>) -> JsspSolution {
        JsspSolution { start }
    }

    #[test]
    fn a_swap_is_feasible_only_in_the_swap_variants() {
        // Job 0: m0 (2) then m1 (3); job 1: m1 (4) then m0 (1).
        let inst = JsspInstance {
            name: "pair".into(),
            machines: 2,
            jobs: vec![vec![op(0, 2), op(1, 3)], vec![op(1, 4), op(0, 1)]],
            variant: JsspVariant::Blocking,
        };
        let mut classic = inst.clone();
        classic.variant = JsspVariant::Classic;
        // Job 0 holds m0 [0,4) waiting for m1, job 1 holds m1 [0,4): at 4 they exchange
        // machines at the same instant, a swap.
        let swapped = sol(vec![vec![0, 4], vec![0, 4]]);
        assert!(check(&classic, &swapped).is_feasible());
        let r = check(&inst, &swapped);
        assert_eq!(
            r.violations,
            vec![JsspViolation::Swap {
                time: 4,
                jobs: vec![0, 1]
            }]
        );
        assert_eq!(r.violations[0].kind(), "swap");
        assert!(!r.violations[0].is_structural());
        for v in [JsspVariant::Swap, JsspVariant::InterruptingSwap] {
            let mut s = inst.clone();
            s.variant = v;
            let r = check(&s, &swapped);
            assert!(r.is_feasible(), "{v}: {:?}", r.violations);
            assert_eq!(r.objective, 7.0);
        }
        // Classic-feasible, blocking-infeasible: job 0 holds m0 until 5 (it enters m1 at 5),
        // job 1 starts on m0 at 4.
        let early = sol(vec![vec![0, 5], vec![0, 4]]);
        assert!(check(&classic, &early).is_feasible());
        let r = check(&inst, &early);
        assert_eq!(
            r.violations,
            vec![JsspViolation::Blocked {
                machine: 0,
                holder: (0, 0),
                until: 5,
                second: (1, 1),
                start: 4
            }]
        );
        assert_eq!(r.violations[0].kind(), "blocked");
        // Without a swap: job 1 passes both machines, then job 0 starts.
        let r = check(&inst, &sol(vec![vec![5, 7], vec![0, 4]]));
        assert!(r.is_feasible(), "{:?}", r.violations);
        assert_eq!(r.objective, 10.0);
    }

    #[test]
    fn sequential_schedules_are_feasible_in_every_variant() {
        for v in JsspVariant::ALL {
            let inst = cross(v);
            // Job 0 runs alone, then job 1 runs alone.
            let r = check(&inst, &sol(vec![vec![0, 2], vec![5, 7]]));
            assert!(r.is_feasible(), "{v}: {:?}", r.violations);
            assert_eq!(r.objective, 10.0);
        }
    }

    #[test]
    fn an_occupation_spans_the_wait_for_the_next_machine() {
        let inst = cross(JsspVariant::Blocking);
        // Job 0 on m0 [0,2) waits until 6 for m1 (start 6): it holds m0 [0,6). Job 1 on m1
        // [0,2) then enters m0 at 2: overlaps job 0's hold.
        let r = check(&inst, &sol(vec![vec![0, 6], vec![0, 2]]));
        assert!(
            r.violations.contains(&JsspViolation::Blocked {
                machine: 0,
                holder: (0, 0),
                until: 6,
                second: (1, 1),
                start: 2
            }),
            "{:?}",
            r.violations
        );
        // Classic reading of the same schedule: machine 1 is free from 2, so only the
        // processing overlap of m0 [2,5) with... none: classic-feasible.
        let mut c = inst.clone();
        c.variant = JsspVariant::Classic;
        assert!(check(&c, &sol(vec![vec![0, 6], vec![0, 2]])).is_feasible());
        // Overlap with a non-neighbour is found too: a long hold over two short ones.
        let long = JsspInstance {
            name: "long".into(),
            machines: 2,
            jobs: vec![vec![op(0, 1), op(1, 1)], vec![op(0, 1)], vec![op(0, 1)]],
            variant: JsspVariant::Swap,
        };
        let r = check(&long, &sol(vec![vec![0, 10], vec![2], vec![5]]));
        let blocked: Vec<_> = r
            .violations
            .iter()
            .filter(|v| matches!(v, JsspViolation::Blocked { .. }))
            .collect();
        assert_eq!(blocked.len(), 2, "{:?}", r.violations);
    }

    #[test]
    fn a_chain_of_hand_overs_is_no_swap() {
        // Job 0: m0 then m1. Job 1: m1 then m2. At t=3 job 1 leaves m1 for the free m2 and
        // job 0 enters m1 as job 1 leaves: a chain, allowed without swaps.
        let inst = JsspInstance {
            name: "chain".into(),
            machines: 3,
            jobs: vec![vec![op(0, 1), op(1, 2)], vec![op(1, 3), op(2, 2)]],
            variant: JsspVariant::Blocking,
        };
        let r = check(&inst, &sol(vec![vec![0, 3], vec![0, 3]]));
        assert!(r.is_feasible(), "{:?}", r.violations);
        assert_eq!(r.objective, 5.0);
        // Three jobs in a cycle over three machines, all moving at 2: a swap.
        let three = JsspInstance {
            name: "three".into(),
            machines: 3,
            jobs: vec![
                vec![op(0, 2), op(1, 1)],
                vec![op(1, 2), op(2, 1)],
                vec![op(2, 2), op(0, 1)],
            ],
            variant: JsspVariant::Blocking,
        };
        let cyc = sol(vec![vec![0, 2], vec![0, 2], vec![0, 2]]);
        let r = check(&three, &cyc);
        assert_eq!(
            r.violations,
            vec![JsspViolation::Swap {
                time: 2,
                jobs: vec![0, 1, 2]
            }]
        );
        let mut s = three.clone();
        s.variant = JsspVariant::Swap;
        assert!(check(&s, &cyc).is_feasible());
    }

    #[test]
    fn malformed_blocking_solutions_do_not_panic() {
        let inst = cross(JsspVariant::Blocking);
        for start in [
            vec![],
            vec![vec![0]],
            vec![vec![i64::MAX, i64::MIN], vec![i64::MIN, i64::MAX]],
            vec![vec![0, 0, 0], vec![0, 0], vec![1]],
        ] {
            let _ = check(&inst, &sol(start));
        }
    }
}

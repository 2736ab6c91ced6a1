//! The FJSP neighbourhood: take an operation off a longest path out of its machine sequence and
//! put it back on any eligible machine (its own included) at any place where no cycle can
//! arise. This holds the reassignment moves and, on the operation's own machine, every
//! N5/N7-style move of a critical operation within or to the ends of its block (a swap of
//! adjacent operations is the reinsertion of one of them one place further).
//!
//! Evaluation is exact (Mastrolilli & Gambardella, 2000): with the heads `r⁻` and tails `q⁻`
//! of the graph without the operation `v` (its job neighbours joined by an arc), inserting `v`
//! on machine `k` between `a` and `b` gives the makespan
//! `max(Cmax⁻, max(r⁻(JP)+p(JP), r⁻(a)+p(a)) + p_k(v) + max(p(JS)+q⁻(JS), p(b)+q⁻(b)))`:
//! a longest path either avoids `v` (a path of the reduced graph) or passes through it, and
//! the heads before `v` and tails after it are those of the reduced graph when the insertion
//! is acyclic. The insertion is acyclic when no path leads from `JS` to `a` nor from `b` to
//! `JP`, which [`evaluate`] ensures by `a ≠ JS`, `r⁻(a) < r⁻(JS) + p(JS)` and `b ≠ JP`,
//! `q⁻(b) < q⁻(JP) + p(JP)` (a path from `x` to `y` implies `r(y) ≥ r(x) + p(x)` and
//! `q(x) ≥ p(y) + q(y)`). Its from-scratch twin is [`apply`] followed by
//! [`Schedule::recompute`]; tests compare the two on every move.

use super::graph::{NONE, Problem, Schedule};

/// Put operation `op` on `machine` at place `at` of that machine's sequence without `op`;
/// `est` is the makespan afterwards, `through` the longest path through `op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub op: u32,
    pub machine: u32,
    pub at: u32,
    pub est: i64,
    pub through: i64,
}

/// Buffers for the reduced graph's heads and tails.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    head: Vec<i64>,
    tail: Vec<i64>,
}

/// Heads and tails of the graph without `v` into `sc`; returns its makespan. Only operations
/// after `v` in the topological order can lose head (a path from `v` reaches them only from
/// there), only those before it tail: the others keep the schedule's values.
fn reduced(p: &Problem, s: &Schedule, v: usize, sc: &mut Scratch) -> i64 {
    sc.head.clear();
    sc.head.extend_from_slice(&s.head);
    sc.tail.clear();
    sc.tail.extend_from_slice(&s.tail);
    let (jpv, jsv, mpv, msv) = (p.jp[v], p.js[v], s.mp(v), s.ms(v));
    let r = s.rank[v] as usize;
    let mut cmax = if r == 0 { 0 } else { s.prefix_end[r - 1] };
    for &u in &s.order[r + 1..] {
        let u = u as usize;
        let mut h = 0;
        let jp = if p.jp[u] as usize == v { jpv } else { p.jp[u] };
        let mp = match s.mp(u) {
            x if x as usize == v => mpv,
            x => x,
        };
        for x in [jp, mp] {
            if x != NONE {
                h = h.max(sc.head[x as usize] + s.dur[x as usize]);
            }
        }
        sc.head[u] = h;
        cmax = cmax.max(h + s.dur[u]);
    }
    for &u in s.order[..r].iter().rev() {
        let u = u as usize;
        let mut t = 0;
        let js = if p.js[u] as usize == v { jsv } else { p.js[u] };
        let ms = match s.ms(u) {
            x if x as usize == v => msv,
            x => x,
        };
        for x in [js, ms] {
            if x != NONE {
                t = t.max(s.dur[x as usize] + sc.tail[x as usize]);
            }
        }
        sc.tail[u] = t;
    }
    cmax
}

/// Every acyclic reinsertion of operation `v` (other than where it is), evaluated exactly,
/// appended to `out`.
pub fn evaluate(p: &Problem, s: &Schedule, v: usize, sc: &mut Scratch, out: &mut Vec<Move>) {
    let cmax_r = reduced(p, s, v, sc);
    let (jp, js) = (p.jp[v], p.js[v]);
    let end = |x: u32, sc: &Scratch| {
        if x == NONE {
            0
        } else {
            sc.head[x as usize] + s.dur[x as usize]
        }
    };
    let after = |x: u32, sc: &Scratch| {
        if x == NONE {
            0
        } else {
            s.dur[x as usize] + sc.tail[x as usize]
        }
    };
    let jp_end = end(jp, sc);
    let js_after = after(js, sc);
    // a may precede v unless a path JS -> a may exist.
    let a_ok = |a: u32, sc: &Scratch| {
        a == NONE
            || js == NONE
            || (a != js && sc.head[a as usize] < sc.head[js as usize] + s.dur[js as usize])
    };
    let b_ok = |b: u32, sc: &Scratch| {
        b == NONE
            || jp == NONE
            || (b != jp && sc.tail[b as usize] < sc.tail[jp as usize] + s.dur[jp as usize])
    };
    let (own, own_at) = (s.mach[v], s.pos[v]);
    for &(k, pk) in &p.alts[v] {
        let line = &s.seq[k as usize];
        // The sequence without v, as an iterator over places 0..=len.
        let reduced_len = line.len() - usize::from(k == own);
        let get = |i: usize| -> u32 {
            let i = if k == own && i >= own_at as usize {
                i + 1
            } else {
                i
            };
            line.get(i).copied().unwrap_or(NONE)
        };
        for at in 0..=reduced_len {
            if k == own && at == own_at as usize {
                continue; // where v is now
            }
            let a = if at == 0 { NONE } else { get(at - 1) };
            if !a_ok(a, sc) {
                // Heads grow along the sequence: no later place passes either.
                break;
            }
            let b = get(at);
            if !b_ok(b, sc) {
                continue;
            }
            let through = jp_end.max(end(a, sc)) + pk + js_after.max(after(b, sc));
            out.push(Move {
                op: v as u32,
                machine: k,
                at: at as u32,
                est: cmax_r.max(through),
                through,
            });
        }
    }
}

/// The moves of every operation on a longest path, into `out` (cleared first).
pub fn neighbourhood(p: &Problem, s: &Schedule, sc: &mut Scratch, out: &mut Vec<Move>) {
    out.clear();
    for v in 0..p.num_ops() {
        if s.is_critical(v) {
            evaluate(p, s, v, sc, out);
        }
    }
}

/// Apply `mv` to the sequences and the machine choice (heads and tails are not updated: call
/// [`Schedule::recompute`]). Returns the undo information: the machine and place `mv.op` came
/// from.
pub fn apply(p: &Problem, s: &mut Schedule, mv: Move) -> (u32, u32) {
    let v = mv.op as usize;
    let (from, from_at) = (s.mach[v], s.pos[v]);
    let line = &mut s.seq[from as usize];
    line.remove(from_at as usize);
    for (i, &x) in line.iter().enumerate().skip(from_at as usize) {
        s.pos[x as usize] = i as u32;
    }
    let line = &mut s.seq[mv.machine as usize];
    let at = (mv.at as usize).min(line.len());
    line.insert(at, mv.op);
    for (i, &x) in line.iter().enumerate().skip(at) {
        s.pos[x as usize] = i as u32;
    }
    s.mach[v] = mv.machine;
    s.dur[v] = p.duration_on(v, mv.machine).unwrap_or(s.dur[v]);
    (from, from_at)
}

/// Apply `mv` and recompute; if the result has a cycle (not expected: [`evaluate`] only
/// offers acyclic places), undo it and return false.
pub fn apply_checked(p: &Problem, s: &mut Schedule, mv: Move) -> bool {
    let (from, from_at) = apply(p, s, mv);
    if s.recompute(p) {
        return true;
    }
    let back = Move {
        op: mv.op,
        machine: from,
        at: from_at,
        est: 0,
        through: 0,
    };
    apply(p, s, back);
    s.recompute(p);
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fjsp::dispatch::{RULES, construct};
    use quotient_problems::fjsp::generate::random;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The exact evaluation of every move against applying it and recomputing from scratch,
    /// along random walks on generated instances (zero durations included).
    #[test]
    fn every_evaluation_equals_its_from_scratch_twin() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut checked = 0;
        for (seed, (n, m, f)) in [(4, 3, 0.7), (6, 4, 0.5), (8, 5, 1.0), (5, 2, 1.0)]
            .into_iter()
            .enumerate()
        {
            let mut inst = random(n, m, 0, f, seed as u64);
            if seed == 3 {
                // Some zero processing times.
                for op in inst.jobs.iter_mut().flatten().step_by(3) {
                    op.alternatives[0].duration = 0;
                }
            }
            let p = Problem::new(&inst).unwrap();
            let mut s = construct(&p, RULES[seed % RULES.len()]).unwrap();
            let mut sc = Scratch::default();
            let mut moves = Vec::new();
            for _ in 0..40 {
                // Every operation's moves, not only the critical ones.
                moves.clear();
                for v in 0..p.num_ops() {
                    evaluate(&p, &s, v, &mut sc, &mut moves);
                }
                for &mv in &moves {
                    let mut t = s.clone();
                    apply(&p, &mut t, mv);
                    assert!(t.recompute(&p), "{mv:?} made a cycle");
                    assert_eq!(t.cmax, mv.est, "{mv:?}");
                    let v = mv.op as usize;
                    assert_eq!(t.head[v] + t.dur[v] + t.tail[v], mv.through, "{mv:?}");
                    checked += 1;
                }
                if moves.is_empty() {
                    break;
                }
                let mv = moves[rng.random_range(0..moves.len())];
                assert!(apply_checked(&p, &mut s, mv));
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn critical_moves_come_from_longest_paths() {
        let inst = random(6, 4, 0, 0.6, 9);
        let p = Problem::new(&inst).unwrap();
        let s = construct(&p, RULES[0]).unwrap();
        let mut sc = Scratch::default();
        let mut moves = Vec::new();
        neighbourhood(&p, &s, &mut sc, &mut moves);
        assert!(!moves.is_empty());
        assert!(moves.iter().all(|mv| s.is_critical(mv.op as usize)));
        assert!(moves.iter().all(|mv| mv.est >= p.lb));
    }
}

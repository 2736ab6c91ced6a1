//! Moves on critical blocks: N5 (Nowicki–Smutnicki: swap the first two / last two operations of
//! a block, except the first block's first pair and the last block's last pair) and N7 (Zhang
//! et al.: move an operation to the start or end of its block, or the first / last operation
//! into the block's interior), with acyclicity tests and fast makespan estimates.
//!
//! Every move relocates one operation inside its machine sequence; the estimate recomputes the
//! heads and tails of the reordered segment from the unchanged heads of their job neighbours
//! and of the segment's outer machine neighbours (Balas–Vazacopoulos / Taillard). For an
//! adjacent swap these are the exact new heads and tails of the two operations, so the estimate
//! is a lower bound of the new makespan; for longer moves it is an approximation. The exact
//! twin, [`exact`], applies the move and recomputes everything.

use super::graph::{Block, NONE, Problem, Schedule};
use rand::Rng;

/// Relocate the operation at position `from` of machine `m` to position `to` (the others of
/// the segment shift by one). `from + 1 == to` or `to + 1 == from` is an adjacent swap (N5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub m: u32,
    pub from: u32,
    pub to: u32,
}

impl Move {
    pub fn is_swap(self) -> bool {
        self.from.abs_diff(self.to) == 1
    }
    /// The move that undoes this one.
    pub fn inverse(self) -> Move {
        Move {
            m: self.m,
            from: self.to,
            to: self.from,
        }
    }
    fn lo_hi(self) -> (usize, usize) {
        (
            self.from.min(self.to) as usize,
            self.from.max(self.to) as usize,
        )
    }
}

/// The N7 moves of `block` (N5 swaps included), without duplicates, skipping those that
/// cannot shorten the path: in the first block a move must change the block's last operation,
/// in the last block its first one.
pub fn block_moves(b: &Block, out: &mut Vec<Move>) {
    let (s, e, m) = (b.s, b.e, b.m);
    let useful = |mv: Move| {
        (!b.first || mv.from == e || mv.to == e) && (!b.last || mv.from == s || mv.to == s)
    };
    let mut push = |mv: Move| {
        if useful(mv) {
            out.push(mv);
        }
    };
    if e == s + 1 {
        push(Move { m, from: s, to: e });
        return;
    }
    // Each operation after the first to the front.
    for i in s + 1..=e {
        push(Move { m, from: i, to: s });
    }
    // Each operation before the last to the end.
    for i in s..e {
        push(Move { m, from: i, to: e });
    }
    // The first into the interior (after the second is the swap already listed).
    for j in s + 2..e {
        push(Move { m, from: s, to: j });
    }
    // The last into the interior (before the second to last is the swap already listed).
    for j in s + 1..e.saturating_sub(1) {
        push(Move { m, from: e, to: j });
    }
}

/// The N7 moves of one critical path of `sch` (ties between paths broken by `rng`) into `moves`;
/// `path`, `by_machine` and `blocks` are scratch space.
pub fn critical_moves<R: Rng>(
    p: &Problem,
    sch: &Schedule,
    rng: &mut R,
    path: &mut Vec<u32>,
    by_machine: &mut Vec<bool>,
    blocks: &mut Vec<Block>,
    moves: &mut Vec<Move>,
) {
    sch.critical_path(p, rng, path, by_machine);
    sch.blocks(p, path, by_machine, blocks);
    moves.clear();
    for b in blocks.iter() {
        block_moves(b, moves);
    }
}

/// The machine orders `(a, b)` ("a before b") that `mv` creates on its machine of `sch`: the
/// moved operation after (or before) each operation it passes. Undoing the move restores the
/// reversed pairs; a tabu list forbids re-creating those.
pub fn created_orders(sch: &Schedule, mv: Move) -> impl Iterator<Item = (u32, u32)> + '_ {
    let seq = &sch.seq[mv.m as usize];
    let (from, to) = (mv.from as usize, mv.to as usize);
    let u = seq[from];
    let (passed, forward) = if from < to {
        (&seq[from + 1..=to], true)
    } else {
        (&seq[to..from], false)
    };
    passed
        .iter()
        .map(move |&w| if forward { (w, u) } else { (u, w) })
}

/// Apply `mv` and recompute heads and tails; when the move made a cycle, undo it and return
/// false.
pub fn apply_or_undo(p: &Problem, sch: &mut Schedule, mv: Move) -> bool {
    apply(sch, mv);
    if sch.recompute(p) {
        return true;
    }
    apply(sch, mv.inverse());
    sch.recompute(p);
    false
}

/// Whether `mv` keeps the graph acyclic, by the head/tail test (exact for non-negative
/// durations): moving `u` after `v` creates a cycle only if a path leads from `u`'s job
/// successor to `v`, which needs `q[js] >= q[v] + p[v]`; moving `u` before `v` only if a path
/// leads from `v` to `u`'s job predecessor, which needs `r[jp] >= r[v] + p[v]`.
pub fn acyclic(p: &Problem, sch: &Schedule, mv: Move) -> bool {
    let seq = &sch.seq[mv.m as usize];
    let (Some(&u), Some(&v)) = (seq.get(mv.from as usize), seq.get(mv.to as usize)) else {
        return false;
    };
    let (lo, hi) = mv.lo_hi();
    let in_segment =
        |x: u32| p.mach[x as usize] == mv.m && (lo..=hi).contains(&(sch.pos[x as usize] as usize));
    if mv.from < mv.to {
        let js = p.jnext[u as usize];
        js == NONE || (!in_segment(js) && sch.tail[js as usize] < sch.tail_with(p, v))
    } else {
        let jp = p.jprev[u as usize];
        jp == NONE || (!in_segment(jp) && sch.head[jp as usize] < sch.end(p, v))
    }
}

/// Scratch space for [`estimate`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    /// The segment in its new order.
    pub ops: Vec<u32>,
    /// Estimated heads and tails of `ops`.
    pub head: Vec<i64>,
    pub tail: Vec<i64>,
}

/// Estimated makespan after `mv`: heads of the reordered segment forward and tails backward,
/// from the current heads / tails of their job neighbours and of the segment's outer machine
/// neighbours; the largest `r + p + q` over the segment. Fills `sc` with the segment's new
/// order and its estimated heads and tails.
pub fn estimate(p: &Problem, sch: &Schedule, mv: Move, sc: &mut Scratch) -> i64 {
    let seq = &sch.seq[mv.m as usize];
    let (lo, hi) = mv.lo_hi();
    let (from, to) = (mv.from as usize, mv.to as usize);
    sc.ops.clear();
    if from < to {
        sc.ops.extend_from_slice(&seq[from + 1..=to]);
        sc.ops.push(seq[from]);
    } else {
        sc.ops.push(seq[from]);
        sc.ops.extend_from_slice(&seq[to..from]);
    }
    let k = sc.ops.len();
    sc.head.resize(k, 0);
    sc.tail.resize(k, 0);
    let mut prev_end = if lo > 0 { sch.end(p, seq[lo - 1]) } else { 0 };
    for i in 0..k {
        let x = sc.ops[i] as usize;
        let r = prev_end.max(sch.end(p, p.jprev[x]));
        sc.head[i] = r;
        prev_end = r + p.dur[x];
    }
    let mut next = seq.get(hi + 1).map_or(0, |&y| sch.tail_with(p, y));
    let mut est = 0;
    for i in (0..k).rev() {
        let x = sc.ops[i] as usize;
        let q = next.max(sch.tail_with(p, p.jnext[x]));
        sc.tail[i] = q;
        next = q + p.dur[x];
        est = est.max(sc.head[i] + p.dur[x] + q);
    }
    est
}

/// Reorder the sequence and positions (heads and tails are left stale: call
/// [`Schedule::recompute`]).
pub fn apply(sch: &mut Schedule, mv: Move) {
    let (lo, hi) = mv.lo_hi();
    let seq = &mut sch.seq[mv.m as usize];
    if mv.from < mv.to {
        seq[lo..=hi].rotate_left(1);
    } else {
        seq[lo..=hi].rotate_right(1);
    }
    for (i, &o) in seq.iter().enumerate().take(hi + 1).skip(lo) {
        sch.pos[o as usize] = i as u32;
    }
}

/// [`apply`] and the incremental update of heads, tails, makespan and hash
/// ([`Schedule::update`]); false when the move made a cycle (heads and tails then meaningless).
/// Only for instances whose durations are all positive (see [`Schedule::update`]).
pub fn apply_update(p: &Problem, sch: &mut Schedule, mv: Move) -> bool {
    let (lo, hi) = mv.lo_hi();
    let old = sch.arc_hash(mv.m, lo, hi);
    apply(sch, mv);
    sch.update(p, mv.m, lo, hi, old)
}

/// The exact twin of [`estimate`]: the makespan after applying `mv` to a copy and recomputing
/// every head and tail; `None` if the move creates a cycle.
pub fn exact(p: &Problem, sch: &Schedule, mv: Move) -> Option<Schedule> {
    let mut c = sch.clone();
    apply(&mut c, mv);
    c.recompute(p).then_some(c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jssp::graph::tests::{longest_paths, random_schedule};
    use quotient_problems::jssp::generate::random;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Every move of the critical blocks of many random schedules: the acyclicity test agrees
    /// with a recomputation, swaps give the exact new heads and tails of both operations and a
    /// lower bound, and the moved operation's estimated head (moved forward in time: tail) is
    /// exact for every N7 move.
    #[test]
    fn estimates_agree_with_exact_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let (mut path, mut bym, mut blocks, mut moves) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut sc = Scratch::default();
        let (mut swaps, mut inserts, mut equal) = (0usize, 0usize, 0usize);
        for (jobs, machines, seed) in [(10, 5, 1), (15, 10, 2), (20, 5, 3), (8, 8, 4)] {
            let inst = random(jobs, machines, seed);
            let p = Problem::new(&inst).unwrap();
            for _ in 0..40 {
                let mut s = random_schedule(&p, &mut rng);
                // Walk a little so that schedules are not all random ones.
                for _ in 0..rng.random_range(0..20) {
                    s.critical_path(&p, &mut rng, &mut path, &mut bym);
                    s.blocks(&p, &path, &bym, &mut blocks);
                    moves.clear();
                    for b in &blocks {
                        block_moves(b, &mut moves);
                    }
                    moves.retain(|&mv| acyclic(&p, &s, mv));
                    if moves.is_empty() {
                        break;
                    }
                    let mv = moves[rng.random_range(0..moves.len())];
                    s = exact(&p, &s, mv).unwrap();
                }
                s.critical_path(&p, &mut rng, &mut path, &mut bym);
                s.blocks(&p, &path, &bym, &mut blocks);
                moves.clear();
                for b in &blocks {
                    block_moves(b, &mut moves);
                }
                for &mv in &moves {
                    let ok = acyclic(&p, &s, mv);
                    let ex = exact(&p, &s, mv);
                    if mv.is_swap() {
                        // N5 / N7 swaps on a critical block never create a cycle.
                        assert!(ok && ex.is_some());
                    }
                    if !ok {
                        continue;
                    }
                    let ex = ex.unwrap();
                    let (h, t, c) = longest_paths(&p, &ex.seq);
                    assert_eq!((ex.head.clone(), ex.tail.clone(), ex.cmax), (h, t, c));
                    let est = estimate(&p, &s, mv, &mut sc);
                    if est == ex.cmax {
                        equal += 1;
                    }
                    if mv.is_swap() {
                        swaps += 1;
                        assert!(est <= ex.cmax, "swap estimate {est} > exact {}", ex.cmax);
                        for (i, &x) in sc.ops.iter().enumerate() {
                            assert_eq!(sc.head[i], ex.head[x as usize]);
                            assert_eq!(sc.tail[i], ex.tail[x as usize]);
                        }
                        let on_path = sc.ops.iter().any(|&x| {
                            ex.head[x as usize] + p.dur[x as usize] + ex.tail[x as usize] == ex.cmax
                        });
                        if on_path {
                            assert_eq!(est, ex.cmax);
                        }
                    } else {
                        inserts += 1;
                        if mv.from > mv.to {
                            assert_eq!(sc.head[0], ex.head[sc.ops[0] as usize]);
                        } else {
                            let last = sc.ops.len() - 1;
                            assert_eq!(sc.tail[last], ex.tail[sc.ops[last] as usize]);
                        }
                    }
                }
            }
        }
        assert!(
            swaps > 500 && inserts > 500,
            "{swaps} swaps, {inserts} inserts"
        );
        assert!(
            equal * 2 > swaps + inserts,
            "estimates exact in {equal} cases only"
        );
    }

    /// The incremental update after a move against the from-scratch recomputation: heads,
    /// tails, makespan and hash, over random walks of random N7 moves (all durations positive).
    #[test]
    fn incremental_update_matches_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let (mut path, mut bym, mut blocks, mut moves) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut applied = 0usize;
        for (jobs, machines, seed) in [(10, 5, 1), (15, 10, 2), (20, 5, 3), (8, 8, 4)] {
            let inst = random(jobs, machines, seed);
            let p = Problem::new(&inst).unwrap();
            assert!(p.dur.iter().all(|&d| d > 0));
            for _ in 0..10 {
                let mut s = random_schedule(&p, &mut rng);
                for _ in 0..50 {
                    s.critical_path(&p, &mut rng, &mut path, &mut bym);
                    s.blocks(&p, &path, &bym, &mut blocks);
                    moves.clear();
                    for b in &blocks {
                        block_moves(b, &mut moves);
                    }
                    moves.retain(|&mv| acyclic(&p, &s, mv));
                    // Every other step an arbitrary relocation (off the critical path too).
                    let m = rng.random_range(0..p.machines as u32);
                    let k = s.seq[m as usize].len() as u32;
                    let any = Move {
                        m,
                        from: rng.random_range(0..k),
                        to: rng.random_range(0..k),
                    };
                    let mv = if rng.random::<bool>() && any.from != any.to {
                        any
                    } else if let Some(&mv) = moves.get(rng.random_range(0..moves.len().max(1))) {
                        mv
                    } else {
                        break;
                    };
                    let Some(full) = exact(&p, &s, mv) else {
                        continue;
                    };
                    assert!(apply_update(&p, &mut s, mv));
                    assert_eq!(s.seq, full.seq);
                    assert_eq!(s.head, full.head);
                    assert_eq!(s.tail, full.tail);
                    assert_eq!(s.cmax, full.cmax);
                    assert_eq!(s.hash, full.hash);
                    applied += 1;
                }
            }
        }
        assert!(applied > 1000, "{applied}");
    }

    #[test]
    fn block_moves_are_distinct_and_respect_n5_exclusions() {
        for (s, e) in [(0u32, 1u32), (3, 5), (2, 8)] {
            for (first, last) in [(false, false), (true, false), (false, true), (true, true)] {
                let b = Block {
                    m: 0,
                    s,
                    e,
                    first,
                    last,
                };
                let mut out = Vec::new();
                block_moves(&b, &mut out);
                // Distinct resulting orders.
                let orders: Vec<Vec<u32>> = out
                    .iter()
                    .map(|mv| {
                        let mut v: Vec<u32> = (0..=e).collect();
                        let (lo, hi) = mv.lo_hi();
                        if mv.from < mv.to {
                            v[lo..=hi].rotate_left(1);
                        } else {
                            v[lo..=hi].rotate_right(1);
                        }
                        v
                    })
                    .collect();
                for i in 0..orders.len() {
                    for j in i + 1..orders.len() {
                        assert_ne!(orders[i], orders[j]);
                    }
                }
                let first_pair = Move {
                    m: 0,
                    from: s + 1,
                    to: s,
                };
                let first_pair_b = Move {
                    m: 0,
                    from: s,
                    to: s + 1,
                };
                let last_pair = Move {
                    m: 0,
                    from: e - 1,
                    to: e,
                };
                let last_pair_b = Move {
                    m: 0,
                    from: e,
                    to: e - 1,
                };
                if e > s + 1 {
                    assert_eq!(out.contains(&first_pair), !first);
                    assert_eq!(out.contains(&last_pair), !last);
                }
                if first && e > s + 1 {
                    assert!(!out.contains(&first_pair) && !out.contains(&first_pair_b));
                }
                if last && e > s + 1 {
                    assert!(!out.contains(&last_pair) && !out.contains(&last_pair_b));
                }
                if !first && !last {
                    let k = (e - s + 1) as usize;
                    let expect = if k == 2 { 1 } else { 2 * (k - 1) + 2 * (k - 3) };
                    assert_eq!(out.len(), expect);
                }
            }
        }
    }
}

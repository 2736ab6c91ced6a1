//! Non-sequential moves for the Lin–Kernighan search, after LKH's `Gain23` (Helsgaun 2009,
//! "General k-opt submoves for the Lin–Kernighan TSP heuristic", section 5): a gainful
//! *infeasible* 2-opt move, which splits the tour into two cycles, followed by a 2-exchange that
//! joins them again — a non-sequential 4-opt move (the double bridge is one). Sequential chains
//! cannot reach these moves: they fix the order in which a tour visits far-apart groups of nodes
//! (on clustered instances, which cluster follows which), where the kicks only ever move short
//! segments.
//!
//! The first move removes `s1 - s2` and `s3 - s4` (`s2` after `s1` and `s4` after `s3` in one
//! orientation) and adds `s2 - s3` and `s4 - s1`: cycle A is the path `s2 .. s3` closed by
//! `s3 - s2`, cycle B the path `s4 .. s1` closed by `s1 - s4`. The bridge removes an edge
//! `a - a2` of the smaller cycle and an edge `b - b2` of the other (not the added ones) and adds
//! `a - b` and `a2 - b2`: whatever the edges, the result is one cycle. `b` is a candidate of
//! `a`; each partial sum must stay positive (the gain criterion). The first move with a
//! positive total gain is taken.

use super::graph::Graph;
use super::tour::Tour;
use crate::engine::Budget;

/// A non-sequential 4-opt move: the infeasible 2-opt `s` and the bridge `a - a2`, `b - b2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bridge {
    /// `s1, s2, s3, s4`.
    pub s: [usize; 4],
    /// The orientation in which `s2` follows `s1` and `s4` follows `s3`.
    pub fwd: bool,
    /// The bridge: `a - a2` removed from the smaller cycle, `b - b2` from the other, `a - b`
    /// and `a2 - b2` added.
    pub a: usize,
    pub a2: usize,
    pub b: usize,
    pub b2: usize,
}

impl Bridge {
    /// The eight nodes at the exchanged edges.
    pub fn nodes(&self) -> [usize; 8] {
        let [s1, s2, s3, s4] = self.s;
        [s1, s2, s3, s4, self.a, self.a2, self.b, self.b2]
    }
}

/// The two cycles of the infeasible 2-opt move `s` on the tour `t`.
struct Cycles<'t> {
    t: &'t Tour,
    s: [usize; 4],
    fwd: bool,
    /// Position of `s2`, and the offset of `s3` from it in the orientation (A's length - 1).
    base: usize,
    a_last: usize,
}

impl<'t> Cycles<'t> {
    /// The cycles of the move `s` made in the orientation `fwd` of `t`.
    fn new(t: &'t Tour, s: [usize; 4], fwd: bool) -> Self {
        let mut c = Cycles {
            t,
            s,
            fwd,
            base: t.pos(s[1]),
            a_last: 0,
        };
        c.a_last = c.offset(s[2]);
        c
    }

    fn offset(&self, x: usize) -> usize {
        let n = self.t.len();
        let p = self.t.pos(x);
        if self.fwd {
            (p + n - self.base) % n
        } else {
            (self.base + n - p) % n
        }
    }

    fn in_a(&self, x: usize) -> bool {
        self.offset(x) <= self.a_last
    }

    fn len_a(&self) -> usize {
        self.a_last + 1
    }

    /// The next node of `x`'s cycle (A: `s2 .. s3` then `s2`; B: `s4 .. s1` then `s4`).
    fn next(&self, x: usize) -> usize {
        let [s1, s2, s3, s4] = self.s;
        match x {
            _ if x == s3 => s2,
            _ if x == s1 => s4,
            _ => self.t.step(x, self.fwd),
        }
    }

    fn prev(&self, x: usize) -> usize {
        let [s1, s2, s3, s4] = self.s;
        match x {
            _ if x == s2 => s3,
            _ if x == s4 => s1,
            _ => self.t.step(x, !self.fwd),
        }
    }

    /// Whether the cycle edge `x - y` may be removed: not one of the two added edges.
    fn removable(&self, x: usize, y: usize) -> bool {
        let [s1, s2, s3, s4] = self.s;
        let is = |p: usize, q: usize| (x == p && y == q) || (x == q && y == p);
        !is(s2, s3) && !is(s4, s1)
    }
}

/// Cost change of the move (negative: better), from its eight edges: the twin of the gain
/// that [`find`] sums along the way.
#[cfg(any(test, feature = "check-deltas"))]
pub(crate) fn delta(g: &Graph<'_>, m: &Bridge) -> i64 {
    let [s1, s2, s3, s4] = m.s;
    g.d(s2, s3) + g.d(s4, s1) + g.d(m.a, m.b) + g.d(m.a2, m.b2)
        - g.d(s1, s2)
        - g.d(s3, s4)
        - g.d(m.a, m.a2)
        - g.d(m.b, m.b2)
}

/// The first gainful move found by scanning `s1` over the tour from position `from`, both
/// orientations, `s3` among the first `breadth` candidates of `s2`. Returns the gain, the move
/// and the position to start the next scan from; `None` when there is none (or the budget
/// ended). Fixed edges are never removed.
pub(crate) fn find(
    g: &Graph<'_>,
    t: &Tour,
    from: usize,
    breadth: usize,
    budget: &Budget,
) -> Option<(i64, Bridge, usize)> {
    let n = t.len();
    if n < 8 {
        return None;
    }
    for i in 0..n {
        if i % 64 == 63 && budget.is_exhausted() {
            return None;
        }
        let s1 = t.at((from + i) % n);
        for fwd in [true, false] {
            if let Some((gain, m)) = from_s1(g, t, s1, fwd, breadth) {
                return Some((gain, m, (from + i + 1) % n));
            }
        }
    }
    None
}

fn from_s1(g: &Graph<'_>, t: &Tour, s1: usize, fwd: bool, breadth: usize) -> Option<(i64, Bridge)> {
    let n = t.len();
    let s2 = t.step(s1, fwd);
    if g.is_fixed(s1, s2) {
        return None;
    }
    let g0 = g.d(s1, s2);
    for s3 in g.cands(s2).take(breadth) {
        let g1 = g0 - g.d(s2, s3);
        if g1 <= 0 {
            if g.by_cost {
                break;
            }
            continue;
        }
        if s3 == s1 || s3 == t.step(s2, fwd) {
            continue;
        }
        let s4 = t.step(s3, fwd);
        if s4 == s1 || g.is_fixed(s3, s4) {
            continue;
        }
        let g3 = g1 + g.d(s3, s4) - g.d(s4, s1);
        if g3 <= 0 {
            continue;
        }
        let c = Cycles::new(t, [s1, s2, s3, s4], fwd);
        // The smaller cycle's edges, each with the candidates of its ends in the other.
        let small_is_a = 2 * c.len_a() <= n;
        let (first, last) = if small_is_a { (s2, s3) } else { (s4, s1) };
        let mut a = first;
        loop {
            for a2 in [c.next(a), c.prev(a)] {
                if !c.removable(a, a2) || g.is_fixed(a, a2) {
                    continue;
                }
                let ga = g3 + g.d(a, a2);
                for b in g.cands(a) {
                    let gb = ga - g.d(a, b);
                    if gb <= 0 {
                        if g.by_cost {
                            break;
                        }
                        continue;
                    }
                    if c.in_a(b) == small_is_a {
                        continue;
                    }
                    for b2 in [c.next(b), c.prev(b)] {
                        if !c.removable(b, b2) || g.is_fixed(b, b2) {
                            continue;
                        }
                        let gain = gb + g.d(b, b2) - g.d(a2, b2);
                        if gain > 0 {
                            return Some((
                                gain,
                                Bridge {
                                    s: [s1, s2, s3, s4],
                                    fwd,
                                    a,
                                    a2,
                                    b,
                                    b2,
                                },
                            ));
                        }
                    }
                }
            }
            if a == last {
                break;
            }
            a = c.next(a);
        }
    }
    None
}

/// Make the move `m` (found on `t` as it is now): the tour `a2 .. a, b .. b2`, each path along
/// its cycle away from the removed edge. O(n).
pub(crate) fn apply(t: &mut Tour, m: &Bridge) {
    let n = t.len();
    let c = Cycles::new(t, m.s, m.fwd);
    let mut order: Vec<u32> = Vec::with_capacity(n);
    // From `x` to its cycle neighbour `end` the long way round (cycles have >= 3 nodes).
    let walk = |x: usize, end: usize, order: &mut Vec<u32>| {
        let forward = c.prev(x) == end;
        let mut v = x;
        loop {
            order.push(v as u32);
            if v == end {
                break;
            }
            v = if forward { c.next(v) } else { c.prev(v) };
        }
    };
    walk(m.a2, m.a, &mut order);
    walk(m.b, m.b2, &mut order);
    debug_assert_eq!(order.len(), n, "a bridge gives one cycle");
    t.set(&order);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::tsp::tour::tests::random_inst;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Every move found on random tours: its fast gain is the checker's (the tour's cost
    /// recomputed after `apply`, from scratch), the result is a permutation, and the moves go on
    /// until none is left.
    #[test]
    fn bridge_gains_match_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut found = 0;
        for case in 0..30 {
            let n = rng.random_range(8..120);
            let inst = random_inst(n, false, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let mut order: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            let mut t = Tour::new(order);
            let mut from = rng.random_range(0..n);
            for _ in 0..200 {
                let Some((gain, m, next)) = find(&g, &t, from, 6, &Budget::default()) else {
                    break;
                };
                from = next;
                assert!(gain > 0, "case {case}");
                assert_eq!(gain, -delta(&g, &m), "case {case}: fast gain");
                let before = t.cost(&g);
                apply(&mut t, &m);
                let mut s = t.order().to_vec();
                s.sort_unstable();
                assert!(s.iter().enumerate().all(|(i, &v)| i == v as usize));
                assert_eq!(before - t.cost(&g), gain, "case {case}: {m:?}");
                found += 1;
            }
        }
        assert!(found > 50, "only {found} moves found");
    }
}

//! Array tour with a position index. Every move is a sequence of 2-opt reversals; a reversal
//! flips the shorter side of the cycle, so orientation (which neighbour is `next`) may change
//! after any move: moves are written in terms of edges, never of a fixed direction.

use super::graph::Graph;

#[derive(Debug, Clone)]
pub(crate) struct Tour {
    order: Vec<u32>,
    pos: Vec<u32>,
}

impl Tour {
    /// A tour from a permutation of `0..order.len()` (the caller guarantees it is one).
    pub fn new(order: Vec<u32>) -> Self {
        let mut pos = vec![0u32; order.len()];
        for (i, &v) in order.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
        Tour { order, pos }
    }

    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Replace the tour by `order` (same length), rebuilding the position index.
    pub fn set(&mut self, order: &[u32]) {
        self.order.clear();
        self.order.extend_from_slice(order);
        self.pos.resize(order.len(), 0);
        for (i, &v) in order.iter().enumerate() {
            self.pos[v as usize] = i as u32;
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    #[inline]
    pub fn pos(&self, v: usize) -> usize {
        self.pos[v] as usize
    }

    #[inline]
    pub fn at(&self, i: usize) -> usize {
        self.order[i] as usize
    }

    #[inline]
    pub fn next(&self, v: usize) -> usize {
        let i = self.pos[v] as usize + 1;
        if i == self.order.len() {
            self.order[0] as usize
        } else {
            self.order[i] as usize
        }
    }

    #[inline]
    pub fn prev(&self, v: usize) -> usize {
        let i = self.pos[v] as usize;
        if i == 0 {
            self.order[self.order.len() - 1] as usize
        } else {
            self.order[i - 1] as usize
        }
    }

    /// `next` when `fwd`, else `prev`.
    #[inline]
    pub fn step(&self, v: usize, fwd: bool) -> usize {
        if fwd { self.next(v) } else { self.prev(v) }
    }

    /// Closed tour cost.
    pub fn cost(&self, g: &Graph<'_>) -> i64 {
        let n = self.order.len();
        (0..n)
            .map(|i| g.d(self.order[i] as usize, self.order[(i + 1) % n] as usize))
            .sum()
    }

    /// Reverse the path `a .. b` (following `next`), or the complementary path when that is
    /// shorter: both give the same cycle.
    pub fn reverse_path(&mut self, a: usize, b: usize) {
        let n = self.order.len();
        let (i, j) = (self.pos[a] as usize, self.pos[b] as usize);
        let len = (j + n - i) % n + 1;
        let (mut i, mut j, len) = if 2 * len > n {
            ((j + 1) % n, (i + n - 1) % n, n - len)
        } else {
            (i, j, len)
        };
        for _ in 0..len / 2 {
            let (vi, vj) = (self.order[i], self.order[j]);
            self.order[i] = vj;
            self.order[j] = vi;
            self.pos[vj as usize] = i as u32;
            self.pos[vi as usize] = j as u32;
            i = if i + 1 == n { 0 } else { i + 1 };
            j = if j == 0 { n - 1 } else { j - 1 };
        }
    }

    /// 2-opt on the edges `a - b` and `c - d`, where `b` follows `a` and `d` follows `c` in
    /// the same direction: they become `a - c` and `b - d`.
    pub fn two_opt_move(&mut self, a: usize, b: usize, c: usize, d: usize) {
        debug_assert!(
            (self.next(a) == b && self.next(c) == d) || (self.prev(a) == b && self.prev(c) == d)
        );
        if self.next(a) == b {
            self.reverse_path(b, c);
        } else {
            self.reverse_path(c, b);
        }
    }

    /// Move the segment `s1 .. s2` (the path from `s1` to `s2` following `next` when `fwd`,
    /// else `prev`) between the adjacent nodes `c` and `e`, so that `c - s1` and `s2 - e`
    /// become edges and the segment's two outside neighbours are joined. `c`, `e` lie outside
    /// the segment and neither is the neighbour of `s1` outside it.
    pub fn or_move(&mut self, s1: usize, s2: usize, fwd: bool, c: usize, e: usize) {
        let p = self.step(s1, !fwd);
        let x = self.step(s2, fwd);
        if self.step(c, fwd) == e {
            // p [s1..s2] x ... c e ...
            self.two_opt_move(p, s1, c, e);
            self.two_opt_move(p, c, x, s2);
            self.two_opt_move(c, s2, s1, e);
        } else {
            // p [s1..s2] x ... e c ...
            self.two_opt_move(p, s1, e, c);
            self.two_opt_move(p, e, x, s2);
        }
    }

    /// Steps from `from` to `x` following `next` when `fwd`, else `prev` (0 for `x == from`).
    #[inline]
    pub fn rel(&self, from: usize, x: usize, fwd: bool) -> usize {
        let n = self.order.len();
        let (a, b) = (self.pos[from] as usize, self.pos[x] as usize);
        if fwd {
            (b + n - a) % n
        } else {
            (a + n - b) % n
        }
    }

    /// Sequential 3-opt move: remove `t1 - t2`, `t3 - t4`, `t5 - t6` and add `t2 - t3`,
    /// `t4 - t5`, `t6 - t1` (all three removed edges are tour edges; the caller has checked
    /// that the result is a tour: see `ls::LocalSearch::best_3opt` for the cases). Applied as
    /// two or three 2-opt moves, which are appended to `done` (for an undo in reverse order
    /// with [`Tour::undo_two_opt`]).
    pub fn three_opt_move(&mut self, t: [usize; 6], done: &mut Vec<[usize; 4]>) {
        let [t1, t2, t3, t4, t5, t6] = t;
        let fwd = self.next(t1) == t2;
        let mut two = |tour: &mut Tour, m: [usize; 4]| {
            tour.two_opt_move(m[0], m[1], m[2], m[3]);
            done.push(m);
        };
        if self.step(t3, !fwd) == t4 {
            // t1 t2 .. t4 t3 ..: a 2-opt to t1 t4 .. t2 t3, then a second one from t1 - t4.
            two(self, [t1, t2, t4, t3]);
            two(self, [t1, t4, t6, t5]);
        } else if self.step(t5, !fwd) == t6 {
            // t1 [t2 .. t6] [t5 .. t3] t4: both segments reversed in place.
            two(self, [t1, t2, t6, t5]);
            two(self, [t2, t5, t3, t4]);
        } else {
            // t1 [t2 .. t5] [t6 .. t3] t4: the two segments swap places.
            two(self, [t1, t2, t3, t4]);
            two(self, [t1, t3, t6, t5]);
            two(self, [t3, t5, t2, t4]);
        }
    }

    /// Undo `two_opt_move(a, b, c, d)` (the last move applied).
    #[inline]
    pub fn undo_two_opt(&mut self, m: [usize; 4]) {
        let [a, b, c, d] = m;
        self.two_opt_move(a, c, b, d);
    }

    /// The plan of the sequential k-opt move `ts = [t1, t2, .., t2k]` (`2 <= k <= MAX_K`): the
    /// removed edges are `t(2i-1) - t(2i)`, the added ones `t(2i) - t(2i+1)` and `t2k - t1`.
    /// `None` when a removed pair is not a tour edge, an edge is removed twice, or the result is
    /// not one cycle. The check sorts the removed edges by tour position (the tour falls into `k`
    /// segments between them) and walks the result: an added edge, then a whole segment, and so
    /// on; the move makes a tour exactly when the walk from `t1` passes all `k` segments before
    /// it returns.
    pub fn k_opt_plan(&self, ts: &[usize]) -> Option<KOptPlan> {
        let k = ts.len() / 2;
        if !(2..=MAX_K).contains(&k) || ts.len() != 2 * k {
            return None;
        }
        let n = self.order.len();
        let mut plan = KOptPlan {
            k,
            slot_pos: [0; 2 * MAX_K],
            second: [false; 2 * MAX_K],
            seg_other: [0; 2 * MAX_K],
            partner: [0; 2 * MAX_K],
            edges: [(0, 0, 0); MAX_K],
        };
        for (s, &v) in ts.iter().enumerate() {
            plan.slot_pos[s] = self.pos[v] as usize;
        }
        // Each removed edge as (position of its first end in array order, first slot, second slot).
        for i in 0..k {
            let (a, b) = (2 * i, 2 * i + 1);
            let (pa, pb) = (plan.slot_pos[a], plan.slot_pos[b]);
            plan.edges[i] = if (pa + 1) % n == pb {
                (pa, a, b)
            } else if (pb + 1) % n == pa {
                (pb, b, a)
            } else {
                return None;
            };
        }
        let edges = &mut plan.edges[..k];
        edges.sort_unstable_by_key(|e| e.0);
        if edges.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        for r in 0..k {
            let (_, _, s) = plan.edges[r];
            let (_, e, _) = plan.edges[(r + 1) % k];
            plan.second[s] = true;
            plan.seg_other[s] = e;
            plan.seg_other[e] = s;
        }
        for i in 0..k - 1 {
            plan.partner[2 * i + 1] = 2 * i + 2;
            plan.partner[2 * i + 2] = 2 * i + 1;
        }
        plan.partner[2 * k - 1] = 0;
        plan.partner[0] = 2 * k - 1;
        let mut s = 0;
        let mut segments = 0;
        loop {
            s = plan.seg_other[plan.partner[s]];
            segments += 1;
            if s == 0 || segments > k {
                break;
            }
        }
        (segments == k && s == 0).then_some(plan)
    }

    /// Whether the sequential k-opt move `ts` (see [`Tour::k_opt_plan`]) gives one tour.
    #[inline]
    pub fn k_opt_valid(&self, ts: &[usize]) -> bool {
        self.k_opt_plan(ts).is_some()
    }

    /// Make the sequential k-opt move `ts` (see [`Tour::k_opt_plan`]); `false` (and nothing
    /// changed) when it does not give one tour. The longest of the `k` segments stays in place;
    /// the rest of the array (the other segments, reversed or not, in their new order) is
    /// rewritten, and its old contents are pushed on `log` for [`Tour::undo_k_opt`].
    pub fn k_opt_move(&mut self, ts: &[usize], log: &mut KOptLog) -> bool {
        let Some(p) = self.k_opt_plan(ts) else {
            return false;
        };
        let n = self.order.len();
        let k = p.k;
        // The longest segment: from edge r's second end to edge r+1's first end.
        let len = |r: usize| (p.edges[(r + 1) % k].0 + n - p.edges[r].0) % n;
        let r = (0..k).max_by_key(|&r| len(r)).unwrap_or(0);
        let (keep_start, keep_end) = (p.edges[r].2, p.edges[(r + 1) % k].1);
        let start = (p.slot_pos[keep_end] + 1) % n;
        let width = n - len(r);
        let base = log.buf.len();
        log.buf
            .extend((0..width).map(|j| self.order[(start + j) % n]));
        log.moves.push((start as u32, width as u32));
        let old = |q: usize| log.buf[base + (q + n - start) % n];
        let mut at = start;
        let mut s = keep_end;
        loop {
            let entry = p.partner[s];
            if entry == keep_start {
                break;
            }
            let exit = p.seg_other[entry];
            let (from, to) = (p.slot_pos[entry], p.slot_pos[exit]);
            if p.second[entry] {
                let count = (to + n - from) % n + 1;
                for j in 0..count {
                    let v = old((from + j) % n);
                    self.order[at] = v;
                    self.pos[v as usize] = at as u32;
                    at = if at + 1 == n { 0 } else { at + 1 };
                }
            } else {
                let count = (from + n - to) % n + 1;
                for j in 0..count {
                    let v = old((from + n - j) % n);
                    self.order[at] = v;
                    self.pos[v as usize] = at as u32;
                    at = if at + 1 == n { 0 } else { at + 1 };
                }
            }
            s = exit;
        }
        debug_assert_eq!(at, (start + width) % n);
        true
    }

    /// Undo the last move recorded in `log` (by [`Tour::k_opt_move`]). `false` when it is empty.
    pub fn undo_k_opt(&mut self, log: &mut KOptLog) -> bool {
        let Some((start, width)) = log.moves.pop() else {
            return false;
        };
        let n = self.order.len();
        let (start, width) = (start as usize, width as usize);
        let base = log.buf.len() - width;
        for j in 0..width {
            let at = (start + j) % n;
            let v = log.buf[base + j];
            self.order[at] = v;
            self.pos[v as usize] = at as u32;
        }
        log.buf.truncate(base);
        true
    }

    /// Segment-local double bridge at positions: with `B = order[i+1 ..= i+l1]` and
    /// `C = order[i+l1+1 ..= i+l1+l2]` (cyclic), the tour `A B C D` becomes `A C B D`.
    /// Only the `l1 + l2` entries are rewritten. Needs `l1, l2 >= 1` and `l1 + l2 + 2 <= n`.
    pub fn double_bridge(&mut self, i: usize, l1: usize, l2: usize) {
        let n = self.order.len();
        let idx = |k: usize| (i + 1 + k) % n;
        let seg: Vec<u32> = (0..l1 + l2).map(|k| self.order[idx(k)]).collect();
        for (k, &v) in seg[l1..].iter().chain(seg[..l1].iter()).enumerate() {
            let at = idx(k);
            self.order[at] = v;
            self.pos[v as usize] = at as u32;
        }
    }
}

/// Most edges exchanged by one sequential k-opt move (LKH's 5-opt basic move).
pub(crate) const MAX_K: usize = 5;

/// A checked sequential k-opt move (see [`Tour::k_opt_plan`]): slots `0..2k` are `t1..t2k`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KOptPlan {
    k: usize,
    /// Array position of each slot's node before the move.
    slot_pos: [usize; 2 * MAX_K],
    /// Whether the slot is the second end (in array order) of its removed edge, i.e. the
    /// first node of the segment that follows the edge.
    second: [bool; 2 * MAX_K],
    /// The slot at the other end of the slot's segment.
    seg_other: [usize; 2 * MAX_K],
    /// The slot at the other end of the slot's added edge.
    partner: [usize; 2 * MAX_K],
    /// Removed edges sorted by array position: (position of the first end, first slot,
    /// second slot).
    edges: [(usize, usize, usize); MAX_K],
}

/// Undo records of [`Tour::k_opt_move`]: each move's rewritten window (start, width) and its
/// old contents.
#[derive(Debug, Clone, Default)]
pub(crate) struct KOptLog {
    moves: Vec<(u32, u32)>,
    buf: Vec<u32>,
}

impl KOptLog {
    /// Moves logged since the last [`KOptLog::clear`].
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.moves.len()
    }

    /// Forget the logged moves (they can no longer be undone).
    pub fn clear(&mut self) {
        self.moves.clear();
        self.buf.clear();
    }
}

/// From-scratch twins of the move deltas: apply to a copy, recompute the whole cost.
#[cfg(any(test, feature = "check-deltas"))]
pub(crate) mod scratch {
    use super::*;

    pub fn two_opt(g: &Graph<'_>, t: &Tour, a: usize, b: usize, c: usize, d: usize) -> i64 {
        let mut u = t.clone();
        u.two_opt_move(a, b, c, d);
        u.cost(g) - t.cost(g)
    }

    pub fn or_opt(
        g: &Graph<'_>,
        t: &Tour,
        s1: usize,
        s2: usize,
        fwd: bool,
        c: usize,
        e: usize,
    ) -> i64 {
        let mut u = t.clone();
        u.or_move(s1, s2, fwd, c, e);
        u.cost(g) - t.cost(g)
    }

    pub fn three_opt(g: &Graph<'_>, t: &Tour, m: [usize; 6]) -> i64 {
        let mut u = t.clone();
        u.three_opt_move(m, &mut Vec::new());
        u.cost(g) - t.cost(g)
    }

    /// The sequential k-opt move `ts` applied to a copy; `None` when it gives no tour.
    pub fn k_opt(g: &Graph<'_>, t: &Tour, ts: &[usize]) -> Option<i64> {
        let mut u = t.clone();
        u.k_opt_move(ts, &mut KOptLog::default())
            .then(|| u.cost(g) - t.cost(g))
    }

    pub fn double_bridge(g: &Graph<'_>, t: &Tour, i: usize, l1: usize, l2: usize) -> i64 {
        let mut u = t.clone();
        u.double_bridge(i, l1, l2);
        u.cost(g) - t.cost(g)
    }
}

/// Incremental deltas of the moves (the solver's fast path).
pub(crate) mod delta {
    use super::*;

    pub fn two_opt(g: &Graph<'_>, a: usize, b: usize, c: usize, d: usize) -> i64 {
        g.d(a, c) + g.d(b, d) - g.d(a, b) - g.d(c, d)
    }

    /// `p`, `x`: the segment's outside neighbours.
    pub fn or_opt(
        g: &Graph<'_>,
        p: usize,
        s1: usize,
        s2: usize,
        x: usize,
        c: usize,
        e: usize,
    ) -> i64 {
        g.d(p, x) + g.d(c, s1) + g.d(s2, e) - g.d(p, s1) - g.d(s2, x) - g.d(c, e)
    }

    /// Sequential 3-opt: `t1 - t2`, `t3 - t4`, `t5 - t6` out; `t2 - t3`, `t4 - t5`, `t6 - t1` in.
    pub fn three_opt(g: &Graph<'_>, m: [usize; 6]) -> i64 {
        let [t1, t2, t3, t4, t5, t6] = m;
        g.d(t2, t3) + g.d(t4, t5) + g.d(t6, t1) - g.d(t1, t2) - g.d(t3, t4) - g.d(t5, t6)
    }

    /// Sequential k-opt `ts = [t1 .. t2k]`: `t(2i-1) - t(2i)` out, `t(2i) - t(2i+1)` and
    /// `t2k - t1` in.
    pub fn k_opt(g: &Graph<'_>, ts: &[usize]) -> i64 {
        let k = ts.len() / 2;
        (0..k)
            .map(|i| g.d(ts[2 * i + 1], ts[(2 * i + 2) % (2 * k)]) - g.d(ts[2 * i], ts[2 * i + 1]))
            .sum()
    }

    pub fn double_bridge(g: &Graph<'_>, t: &Tour, i: usize, l1: usize, l2: usize) -> i64 {
        let n = t.len();
        let a2 = t.at(i % n);
        let b1 = t.at((i + 1) % n);
        let b2 = t.at((i + l1) % n);
        let c1 = t.at((i + l1 + 1) % n);
        let c2 = t.at((i + l1 + l2) % n);
        let d1 = t.at((i + l1 + l2 + 1) % n);
        g.d(a2, c1) + g.d(c2, b1) + g.d(b2, d1) - g.d(a2, b1) - g.d(b2, c1) - g.d(c2, d1)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use quotient_problems::tsp::{CoordMetric, TspInstance, TspKind, Weights};
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    pub fn random_inst(n: usize, atsp: bool, rng: &mut ChaCha8Rng) -> TspInstance {
        let weights = if atsp {
            Weights::Matrix {
                n,
                matrix: (0..n * n).map(|_| rng.random_range(1..1000)).collect(),
            }
        } else {
            Weights::Coords {
                metric: CoordMetric::Euc2d,
                coords: (0..n)
                    .map(|_| [rng.random_range(0.0..1000.0), rng.random_range(0.0..1000.0)])
                    .collect(),
            }
        };
        TspInstance {
            name: "r".into(),
            comment: String::new(),
            kind: if atsp { TspKind::Atsp } else { TspKind::Tsp },
            weights,
            fixed_edges: vec![],
            display: None,
            edge_weight_format: None,
        }
    }

    fn random_tour(n: usize, rng: &mut ChaCha8Rng) -> Tour {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.shuffle(rng);
        Tour::new(order)
    }

    fn is_perm(t: &Tour) -> bool {
        let mut o = t.order().to_vec();
        o.sort_unstable();
        o.iter().enumerate().all(|(i, &v)| i == v as usize)
            && (0..t.len()).all(|i| t.pos(t.at(i)) == i)
    }

    #[test]
    fn reverse_path_keeps_a_cycle_and_reverses() {
        let mut t = Tour::new((0..10).collect());
        t.reverse_path(2, 5);
        assert!(is_perm(&t));
        let mut u = Tour::new((0..10).collect());
        u.reverse_path(6, 1); // wraps; complement is shorter
        assert!(is_perm(&u));
        // Edges of the cycle: 5-6 and 1-2 broken, 5-1 and 6-2 joined.
        assert!(u.next(5) == 1 || u.prev(5) == 1);
        assert!(u.next(6) == 2 || u.prev(6) == 2);
    }

    #[test]
    fn two_opt_delta_matches_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for case in 0..400 {
            let atsp = case % 2 == 1;
            let n0 = rng.random_range(5..30);
            let inst = random_inst(n0, atsp, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let mut t = random_tour(g.n, &mut rng);
            for _ in 0..5 {
                let a = rng.random_range(0..g.n);
                let c = rng.random_range(0..g.n);
                let fwd = rng.random::<bool>();
                let b = t.step(a, fwd);
                let d = t.step(c, fwd);
                if a == c || b == c || a == d {
                    continue;
                }
                let want = scratch::two_opt(&g, &t, a, b, c, d);
                assert_eq!(delta::two_opt(&g, a, b, c, d), want);
                let before = t.cost(&g);
                t.two_opt_move(a, b, c, d);
                assert!(is_perm(&t));
                assert_eq!(t.cost(&g) - before, want);
            }
        }
    }

    #[test]
    fn or_opt_delta_matches_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut done = 0;
        for case in 0..600 {
            let atsp = case % 2 == 1;
            let n0 = rng.random_range(5..25);
            let inst = random_inst(n0, atsp, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let mut t = random_tour(g.n, &mut rng);
            let len = rng.random_range(1..=3usize.min(g.n - 4));
            let fwd = rng.random::<bool>();
            let s1 = rng.random_range(0..g.n);
            let mut seg = vec![s1];
            for _ in 1..len {
                seg.push(t.step(*seg.last().unwrap(), fwd));
            }
            let s2 = *seg.last().unwrap();
            let p = t.step(s1, !fwd);
            let x = t.step(s2, fwd);
            let c = rng.random_range(0..g.n);
            let e = t.step(c, rng.random::<bool>());
            if seg.contains(&c) || seg.contains(&e) || c == p || e == p {
                continue;
            }
            let want = scratch::or_opt(&g, &t, s1, s2, fwd, c, e);
            assert_eq!(delta::or_opt(&g, p, s1, s2, x, c, e), want, "case {case}");
            t.or_move(s1, s2, fwd, c, e);
            assert!(is_perm(&t));
            // The segment sits between c and e, in the asked orientation.
            assert!(t.next(c) == s1 || t.prev(c) == s1);
            assert!(t.next(s2) == e || t.prev(s2) == e);
            done += 1;
        }
        assert!(done > 300);
    }

    /// Every sequential 3-opt move of the three reconnection cases (found by brute force over
    /// all node sextuples of small random tours): the incremental delta equals the
    /// recomputation, the result is a tour with exactly the asked edges, and undoing the 2-opt
    /// steps restores the tour.
    #[test]
    fn three_opt_delta_matches_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut seen = [0usize; 3];
        for case in 0..40 {
            let n = rng.random_range(6..11);
            let inst = random_inst(n, case % 4 == 3, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let t = random_tour(g.n, &mut rng);
            let m = g.n;
            let edge = |u: &Tour, a: usize, b: usize| u.next(a) == b || u.prev(a) == b;
            for t1 in 0..m {
                for fwd in [true, false] {
                    let t2 = t.step(t1, fwd);
                    for t3 in 0..m {
                        if [t1, t2, t.step(t2, fwd)].contains(&t3) {
                            continue;
                        }
                        let r3 = t.rel(t1, t3, fwd);
                        for after in [false, true] {
                            let t4 = t.step(t3, after == fwd);
                            if t4 == t1 {
                                continue;
                            }
                            let r4 = t.rel(t1, t4, fwd);
                            for t5 in 0..m {
                                if t5 == t1 || edge(&t, t4, t5) || t5 == t4 {
                                    continue;
                                }
                                let r5 = t.rel(t1, t5, fwd);
                                let t6s = if !after {
                                    let f = r5 < r4;
                                    vec![t.step(t5, f == fwd)]
                                } else if r5 >= r3 {
                                    continue;
                                } else {
                                    let mut v = vec![t.step(t5, fwd)];
                                    if r5 > 1 {
                                        v.push(t.step(t5, !fwd));
                                    }
                                    v
                                };
                                for t6 in t6s {
                                    if t6 == t2 {
                                        continue;
                                    }
                                    let mv = [t1, t2, t3, t4, t5, t6];
                                    let want = scratch::three_opt(&g, &t, mv);
                                    assert_eq!(delta::three_opt(&g, mv), want, "{mv:?}");
                                    let mut u = t.clone();
                                    let mut done = Vec::new();
                                    u.three_opt_move(mv, &mut done);
                                    assert!(is_perm(&u));
                                    for (a, b) in [(t2, t3), (t4, t5), (t6, t1)] {
                                        assert!(edge(&u, a, b), "{mv:?}: {a}-{b} missing");
                                    }
                                    for (a, b) in [(t1, t2), (t3, t4), (t5, t6)] {
                                        assert!(!edge(&u, a, b), "{mv:?}: {a}-{b} kept");
                                    }
                                    let kind = if !after {
                                        0
                                    } else if done.len() == 2 {
                                        1
                                    } else {
                                        2
                                    };
                                    seen[kind] += 1;
                                    while let Some(d) = done.pop() {
                                        u.undo_two_opt(d);
                                    }
                                    let cyc = |x: &Tour| -> Vec<[usize; 2]> {
                                        (0..m)
                                            .map(|v| {
                                                let mut p = [x.prev(v), x.next(v)];
                                                p.sort_unstable();
                                                p
                                            })
                                            .collect()
                                    };
                                    assert_eq!(cyc(&u), cyc(&t), "undo of {mv:?}");
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(seen.iter().all(|&s| s > 1000), "{seen:?}");
    }

    /// The tour's edges as sorted pairs, sorted (a multiset).
    fn edge_multiset(edges: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
        let mut e: Vec<_> = edges.map(|(a, b)| (a.min(b), a.max(b))).collect();
        e.sort_unstable();
        e
    }

    /// Independent of `k_opt_plan`: the edges of `t` with the removed pairs of `ts` taken out
    /// (each must be there) and the added ones put in, and whether they form one Hamiltonian
    /// cycle (every degree 2, one connected component).
    fn k_opt_by_edges(t: &Tour, ts: &[usize]) -> (Vec<(usize, usize)>, bool) {
        let n = t.len();
        let k = ts.len() / 2;
        let mut edges = edge_multiset((0..n).map(|i| (t.at(i), t.at((i + 1) % n))));
        for i in 0..k {
            let (a, b) = (ts[2 * i], ts[2 * i + 1]);
            match edges.iter().position(|&e| e == (a.min(b), a.max(b))) {
                Some(j) => {
                    edges.remove(j);
                }
                None => return (edges, false),
            }
        }
        for i in 0..k {
            edges.push((ts[2 * i + 1], ts[(2 * i + 2) % (2 * k)]));
        }
        let edges = edge_multiset(edges.into_iter());
        let mut degree = vec![0usize; n];
        let mut root: Vec<usize> = (0..n).collect();
        fn find(root: &mut [usize], mut v: usize) -> usize {
            while root[v] != v {
                root[v] = root[root[v]];
                v = root[v];
            }
            v
        }
        for &(a, b) in &edges {
            degree[a] += 1;
            degree[b] += 1;
            let (ra, rb) = (find(&mut root, a), find(&mut root, b));
            root[ra] = rb;
        }
        let components = (0..n).filter(|&v| find(&mut root, v) == v).count();
        let ok = degree.iter().all(|&d| d == 2) && components == 1;
        (edges, ok)
    }

    /// Random sequential k-opt node sequences (k = 2..=5; each removed pair a tour edge, the
    /// rest random) on small random tours: the validity check agrees with applying the
    /// exchange to the edge set and counting cycles; for a valid move the incremental delta
    /// equals the recomputation, the array tour has exactly the expected edges, and the undo
    /// restores the array.
    #[test]
    fn k_opt_validity_matches_cycle_count_and_delta_matches_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let mut valid = [0usize; MAX_K + 1];
        let mut invalid = [0usize; MAX_K + 1];
        for case in 0..30_000 {
            let n0 = rng.random_range(5..12);
            let inst = random_inst(n0, case % 5 == 4, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let t = random_tour(g.n, &mut rng);
            let k = rng.random_range(2..=MAX_K);
            let mut ts = Vec::with_capacity(2 * k);
            for _ in 0..k {
                let a = rng.random_range(0..g.n);
                ts.push(a);
                ts.push(t.step(a, rng.random::<bool>()));
            }
            let (want_edges, want_ok) = k_opt_by_edges(&t, &ts);
            assert_eq!(t.k_opt_valid(&ts), want_ok, "{ts:?} on {:?}", t.order());
            if !want_ok {
                invalid[k] += 1;
                let mut u = t.clone();
                assert!(!u.k_opt_move(&ts, &mut KOptLog::default()));
                assert_eq!(u.order(), t.order());
                continue;
            }
            valid[k] += 1;
            let want = scratch::k_opt(&g, &t, &ts).unwrap();
            assert_eq!(delta::k_opt(&g, &ts), want, "{ts:?}");
            let mut u = t.clone();
            let mut log = KOptLog::default();
            // A second move on top, to check the undo of a stack of two.
            assert!(u.k_opt_move(&ts, &mut log));
            assert!(is_perm(&u));
            let m = u.len();
            let got = edge_multiset((0..m).map(|i| (u.at(i), u.at((i + 1) % m))));
            assert_eq!(got, want_edges, "{ts:?}");
            let v = u.clone();
            let a = rng.random_range(0..m);
            let b = rng.random_range(0..m);
            let more = [a, u.next(a), u.next(b), b];
            let second = u.k_opt_move(&more, &mut log);
            assert_eq!(log.len(), 1 + usize::from(second));
            if second {
                assert!(u.undo_k_opt(&mut log));
                assert_eq!(u.order(), v.order());
            }
            assert!(u.undo_k_opt(&mut log));
            assert_eq!(u.order(), t.order());
            assert!(is_perm(&u));
            assert!(!u.undo_k_opt(&mut log));
        }
        for k in 2..=MAX_K {
            assert!(valid[k] > 100 && invalid[k] > 100, "{valid:?} {invalid:?}");
        }
    }

    #[test]
    fn double_bridge_delta_matches_recomputation() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for case in 0..300 {
            let inst = random_inst(rng.random_range(8..40), case % 2 == 0, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let mut t = random_tour(g.n, &mut rng);
            let l1 = rng.random_range(1..=(g.n - 2) / 2);
            let l2 = rng.random_range(1..=(g.n - 2) / 2);
            let i = rng.random_range(0..g.n);
            let want = scratch::double_bridge(&g, &t, i, l1, l2);
            assert_eq!(delta::double_bridge(&g, &t, i, l1, l2), want);
            t.double_bridge(i, l1, l2);
            assert!(is_perm(&t));
        }
    }
}

//! Local search on the working graph: 2-opt and Or-opt with neighbour lists, and a
//! Lin–Kernighan chain of 2-opt steps (variable depth, gain criterion, one-level breadth), all
//! driven by a queue of "active" nodes (don't-look bits: a node leaves the queue when no move
//! from it improves, and comes back when one of its tour edges changes). Plus LKH's basic moves:
//! chains of sequential 3-opt moves ([`LkMove::ThreeOpt`]) and of sequential k-opt moves with
//! k <= 5 ([`LkMove::FiveOpt`], LKH's default 5-opt move: any sequential exchange whose node
//! sequence makes one tour, checked by [`Tour::k_opt_valid`]). Plus the segment-local
//! double-bridge kick. Fixed edges are never removed.
//!
//! Every scan of a candidate list skips candidates whose first partial gain `g1` is not
//! positive (the gain criterion). With lists in cost order (`Graph::by_cost`) the first such
//! candidate ends the scan, since all later ones are at least as far. Alpha-ordered lists are
//! not in cost order: a far candidate can precede a near one, so the scan goes on to the end of
//! the (short, 5-entry) list instead, as in LKH; the moves found are the same as with the list
//! sorted by cost, and the extra cost is a few comparisons per scan.

use super::graph::{EdgeSet, Graph};
use super::tour::{KOptLog, MAX_K, Tour, delta};
use crate::engine::Budget;
use rand::Rng;
use std::collections::VecDeque;
use std::sync::Arc;

/// The Lin–Kernighan move of the local search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LkMove {
    /// LKH's basic move at depth 3: chains of sequential 3-opt moves, each the best of all
    /// candidate combinations (both reconnection cases), closing at the first positive gain.
    #[default]
    ThreeOpt,
    /// 2-opt, Or-opt, then chains of 2-opt steps (breadth 5/3/1).
    TwoOptChain,
    /// 2-opt, Or-opt, then chains of 3-opt moves.
    OrThreeOpt,
    /// LKH's default basic move: chains of sequential 5-opt moves (k-opt with
    /// [`LsParams::kopt_k`] exchanged edges), each the first improving closure at any depth
    /// 2..=k, or else the best non-improving k-opt move that makes a tour.
    FiveOpt,
}

impl LkMove {
    pub fn as_str(self) -> &'static str {
        match self {
            LkMove::ThreeOpt => "3-opt",
            LkMove::TwoOptChain => "2-opt chain",
            LkMove::OrThreeOpt => "2-opt + Or-opt + 3-opt",
            LkMove::FiveOpt => "5-opt",
        }
    }
}

/// One step of a k-opt chain from the tour edge `t1 - t2`, as LKH's `BestKOptMove`: `t3` a
/// candidate of `t2` (not a tour neighbour) with `G1 = G0 - d(t2, t3) > 0`, `t4` either tour
/// neighbour of `t3`, `G2 = G1 + d(t3, t4)`, and so on to `t2k`; at every depth the closure
/// `t2i - t1` is tried when its gain `G2i - d(t2i, t1)` is positive and the exchange makes a
/// tour ([`Tour::k_opt_valid`]: intermediate depths need not); the first such is taken. At
/// depth k, the valid move with the largest `G2k` from which a further step can still gain is
/// kept as the step to go on from. No edge is removed twice or added twice in one move, nor is
/// an edge added earlier in the chain removed, nor a fixed edge.
struct KSearch<'s, 'a> {
    g: &'s Graph<'a>,
    t: &'s Tour,
    kadded: &'s [[u32; 2]],
    k: usize,
    breadth: usize,
    ts: [usize; 2 * MAX_K],
    /// The best non-improving k-opt move: `G2k` and its nodes.
    best: Option<(i64, [usize; 2 * MAX_K])>,
    /// The improving closure: its gain, its length `2i` and its nodes.
    found: Option<(i64, usize, [usize; 2 * MAX_K])>,
}

impl KSearch<'_, '_> {
    fn chain_added(&self, a: usize, b: usize) -> bool {
        self.kadded[a].contains(&(b as u32))
    }

    /// Extend `ts[..2i]` (i edges removed, `g0 = G(2i-2) + d(t(2i-1), t2i)`). `true` when an
    /// improving closure was found.
    fn step(&mut self, i: usize, g0: i64) -> bool {
        let (g, t) = (self.g, self.t);
        let t1 = self.ts[0];
        let t2 = self.ts[2 * i - 1];
        for t3 in g.cands(t2).take(self.breadth) {
            let g1 = g0 - g.d(t2, t3);
            if g1 <= 0 {
                if g.by_cost {
                    break;
                }
                continue;
            }
            if t3 == t1 || t3 == t.next(t2) || t3 == t.prev(t2) {
                continue;
            }
            // Added twice in this move?
            if (0..i - 1).any(|j| {
                let (a, b) = (self.ts[2 * j + 1], self.ts[2 * j + 2]);
                (a == t2 && b == t3) || (a == t3 && b == t2)
            }) {
                continue;
            }
            for t4 in [t.next(t3), t.prev(t3)] {
                if t4 == t1 || g.is_fixed(t3, t4) || self.chain_added(t3, t4) {
                    continue;
                }
                // Removed twice in this move?
                if (0..i).any(|j| {
                    let (a, b) = (self.ts[2 * j], self.ts[2 * j + 1]);
                    (a == t3 && b == t4) || (a == t4 && b == t3)
                }) {
                    continue;
                }
                let g2 = g1 + g.d(t3, t4);
                self.ts[2 * i] = t3;
                self.ts[2 * i + 1] = t4;
                let len = 2 * i + 2;
                let closed = g2 - g.d(t4, t1);
                if t4 != t2 && closed > 0 && t.k_opt_valid(&self.ts[..len]) {
                    self.found = Some((closed, len, self.ts));
                    return true;
                }
                if i + 1 < self.k {
                    if self.step(i + 1, g2) {
                        return true;
                    }
                } else if t4 != t2
                    && self.best.is_none_or(|(b, _)| g2 > b)
                    && g.cands(t4).any(|c| c != t3 && g2 - g.d(t4, c) > 0)
                    && t.k_opt_valid(&self.ts[..len])
                {
                    self.best = Some((g2, self.ts));
                }
            }
        }
        false
    }
}

/// What [`LocalSearch::best_3opt`] found from `t1 - t2`.
// Returned by value once per chain level and never stored: the size of `Go` costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy)]
enum Step3 {
    /// An improving 2-opt closure `[t1, t2, t4, t3]` (for `Tour::two_opt_move`).
    Close2([usize; 4]),
    /// An improving 3-opt move `[t1 .. t6]`.
    Close3([usize; 6]),
    /// No improving closure: the best 3-opt moves to go on from (their `G4`), best first,
    /// the first `.1` of them.
    Go([(i64, [usize; 6]); MAX_BREADTH], usize),
    None,
}

/// Most alternatives tried at one level of an LK chain.
const MAX_BREADTH: usize = 8;

/// Tuning of the local search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LsParams {
    /// Longest Or-opt segment.
    pub or_max: usize,
    /// Most 2-opt steps in one LK chain.
    pub lk_depth: usize,
    /// Alternatives tried at the first, second and deeper levels of an LK chain.
    pub lk_breadth: [usize; 3],
    /// The Lin–Kernighan move.
    pub lk_move: LkMove,
    /// Most 3-opt moves in one chain of [`LkMove::ThreeOpt`].
    pub lk3_depth: usize,
    /// Non-improving 3-opt moves tried (best `G4` first, backtracking) at the first, second
    /// and deeper levels of a 3-opt chain; LKH's scheme is `[1, 1, 1]`.
    pub lk3_breadth: [usize; 3],
    /// Edges exchanged by one move of [`LkMove::FiveOpt`] (2..=5; LKH's default 5).
    pub kopt_k: usize,
    /// Candidates tried per level by [`LkMove::FiveOpt`] (the first of each list; LKH: 5).
    pub kopt_breadth: usize,
    /// Longest segment of a double-bridge kick.
    pub kick_len: usize,
    /// One kick in this many (on average) is a global double bridge.
    pub global_every: u32,
    /// One kick in this many (on average) is a spatial double bridge (three cuts near each
    /// other in space, anywhere along the tour; see [`LocalSearch::spatial_cuts`]); 0: never.
    pub spatial_every: u32,
    /// With a heatmap: the first cut of a kick is the least-scored tour edge among this many
    /// random positions (1: uniform).
    pub kick_tournament: usize,
}

impl LsParams {
    pub fn for_graph(g: &Graph<'_>) -> Self {
        LsParams {
            // ATSP nodes are pairs in the working graph.
            or_max: if g.atsp { 6 } else { 3 },
            lk_depth: 12,
            lk_breadth: [5, 3, 1],
            lk_move: LkMove::default(),
            lk3_depth: 30,
            lk3_breadth: [1, 1, 1],
            kopt_k: MAX_K,
            kopt_breadth: 5,
            kick_len: if g.atsp { 30 } else { 50 },
            global_every: 20,
            spatial_every: 0,
            kick_tournament: 1,
        }
    }
}

/// Local search state: the active-node queue and LK scratch space.
#[derive(Debug, Clone)]
pub(crate) struct LocalSearch {
    queue: VecDeque<u32>,
    queued: Vec<bool>,
    moves: Vec<[usize; 4]>,
    added: Vec<(usize, usize)>,
    /// Undo log of a k-opt chain.
    klog: KOptLog,
    /// Nodes of the moves of a k-opt chain (to activate, and to clear `kadded`).
    touched: Vec<usize>,
    /// Per node, the (at most two) edges added by the k-opt chain so far (`u32::MAX`: none).
    kadded: Vec<[u32; 2]>,
    /// Edges a chain may not remove first (LKH's restricted search), when set.
    protected: Option<Arc<EdgeSet>>,
    /// Whether a search that runs out of active nodes tries the non-sequential moves of
    /// [`super::bridge`] (and goes on from their nodes after one), and where their next scan
    /// starts.
    bridges: bool,
    bridge_from: usize,
    pub params: LsParams,
}

/// The segment `s1 .. s2` of an Or-opt move and where it goes.
#[derive(Debug, Clone, Copy)]
struct OrMove {
    s1: usize,
    s2: usize,
    fwd: bool,
    c: usize,
    e: usize,
}

impl LocalSearch {
    pub fn new(n: usize, params: LsParams) -> Self {
        LocalSearch {
            queue: VecDeque::with_capacity(n),
            queued: vec![false; n],
            moves: Vec::new(),
            added: Vec::new(),
            klog: KOptLog::default(),
            touched: Vec::new(),
            kadded: vec![[u32::MAX; 2]; n],
            protected: None,
            bridges: false,
            bridge_from: 0,
            params,
        }
    }

    /// Set (or clear) the edges that no chain removes first.
    pub fn set_protected(&mut self, p: Option<Arc<EdgeSet>>) {
        self.protected = p;
    }

    /// Turn the non-sequential moves at the end of a search on or off.
    pub fn set_bridges(&mut self, on: bool) {
        self.bridges = on;
    }

    /// Whether a chain may not start by removing `a - b`: fixed or protected.
    fn no_start(&self, g: &Graph<'_>, a: usize, b: usize) -> bool {
        g.is_fixed(a, b) || self.protected.as_ref().is_some_and(|p| p.contains(a, b))
    }

    #[inline]
    pub fn push(&mut self, v: usize) {
        if !self.queued[v] {
            self.queued[v] = true;
            self.queue.push_back(v as u32);
        }
    }

    /// Activate every node, in the tour's order starting at a random position.
    pub fn push_all(&mut self, t: &Tour, rng: &mut impl Rng) {
        let n = t.len();
        let s = rng.random_range(0..n.max(1));
        for i in 0..n {
            self.push(t.at((s + i) % n));
        }
    }

    pub fn clear(&mut self) {
        while let Some(v) = self.queue.pop_front() {
            self.queued[v as usize] = false;
        }
    }

    /// Improve until no active node is left (and, with bridges on, no non-sequential move
    /// gains) or the budget is exhausted. `cost` is kept equal to the tour's cost.
    pub fn run(&mut self, g: &Graph<'_>, t: &mut Tour, cost: &mut i64, budget: &Budget) {
        loop {
            self.run_queue(g, t, cost, budget);
            if !self.bridges || budget.is_exhausted() {
                return;
            }
            let breadth = self.params.kopt_breadth.max(1);
            let Some((gain, m, next)) =
                super::bridge::find(g, t, self.bridge_from, breadth, budget)
            else {
                return;
            };
            self.bridge_from = next;
            super::bridge::apply(t, &m);
            *cost -= gain;
            #[cfg(any(test, feature = "check-deltas"))]
            if crate::check_deltas() {
                assert_eq!(gain, -super::bridge::delta(g, &m), "bridge gain");
                assert_eq!(t.cost(g), *cost, "bridge delta differs from recomputation");
            }
            for v in m.nodes() {
                self.push(v);
            }
        }
    }

    /// Improve from the active nodes until none is left or the budget is exhausted.
    fn run_queue(&mut self, g: &Graph<'_>, t: &mut Tour, cost: &mut i64, budget: &Budget) {
        let mut polls = 0u32;
        while let Some(a) = self.queue.pop_front() {
            let a = a as usize;
            self.queued[a] = false;
            polls = polls.wrapping_add(1);
            if polls.is_multiple_of(8) && budget.is_exhausted() {
                return;
            }
            let gain = match self.params.lk_move {
                LkMove::ThreeOpt => self.lk3(g, t, a),
                LkMove::FiveOpt => self.lk5(g, t, a),
                m => {
                    if let Some(gain) = self.two_opt(g, t, a) {
                        gain
                    } else if let Some(gain) = self.or_opt(g, t, a) {
                        gain
                    } else if m == LkMove::OrThreeOpt {
                        self.lk3(g, t, a)
                    } else {
                        self.lk(g, t, a)
                    }
                }
            };
            if gain > 0 {
                *cost -= gain;
                self.push(a);
                #[cfg(any(test, feature = "check-deltas"))]
                if crate::check_deltas() {
                    assert_eq!(
                        t.cost(g),
                        *cost,
                        "local search delta differs from recomputation"
                    );
                }
            }
        }
    }

    /// Best improving 2-opt move with a new edge from a tour neighbour of `a` to one of its
    /// candidates. Returns the gain.
    fn two_opt(&mut self, g: &Graph<'_>, t: &mut Tour, a: usize) -> Option<i64> {
        let mut best: Option<(i64, [usize; 4])> = None;
        for fwd in [true, false] {
            let b = t.step(a, fwd);
            if g.is_fixed(a, b) {
                continue;
            }
            let dab = g.d(a, b);
            for c in g.cands(b) {
                let g1 = dab - g.d(b, c);
                if g1 <= 0 {
                    if g.by_cost {
                        break;
                    }
                    continue;
                }
                let d = t.step(c, !fwd);
                if c == a || d == b || g.is_fixed(c, d) {
                    continue;
                }
                let dl = delta::two_opt(g, a, b, d, c);
                if dl < 0 && best.is_none_or(|(bd, _)| dl < bd) {
                    best = Some((dl, [a, b, d, c]));
                }
            }
        }
        let (dl, [a, b, d, c]) = best?;
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert_eq!(
                dl,
                super::tour::scratch::two_opt(g, t, a, b, d, c),
                "2-opt delta"
            );
        }
        t.two_opt_move(a, b, d, c);
        for v in [a, b, c, d] {
            self.push(v);
        }
        Some(-dl)
    }

    /// Best improving Or-opt move of a segment of 1..=or_max nodes starting at `a` (either
    /// direction), inserted in either orientation next to a candidate of one of its ends.
    fn or_opt(&mut self, g: &Graph<'_>, t: &mut Tour, a: usize) -> Option<i64> {
        let n = t.len();
        let max_len = self.params.or_max.min(n.saturating_sub(4));
        let mut best: Option<(i64, OrMove)> = None;
        let mut seg = [0usize; 8];
        for fwd in [true, false] {
            let p = t.step(a, !fwd);
            let mut s2 = a;
            for len in 1..=max_len {
                if len > 1 {
                    s2 = t.step(s2, fwd);
                }
                seg[len - 1] = s2;
                let x = t.step(s2, fwd);
                if x == p || g.is_fixed(p, a) || g.is_fixed(s2, x) {
                    continue;
                }
                let removed = g.d(p, a) + g.d(s2, x) - g.d(p, x);
                if removed <= 0 {
                    continue;
                }
                let in_seg = |v: usize| seg[..len].contains(&v);
                // Ends: (end next to c, other end, its outside neighbour, direction s1 -> s2).
                for (s1e, s2e, outside, dir) in [(a, s2, p, fwd), (s2, a, x, !fwd)] {
                    for c in g.cands(s1e) {
                        let g1 = removed - g.d(c, s1e);
                        if g1 <= 0 {
                            if g.by_cost {
                                break;
                            }
                            continue;
                        }
                        if in_seg(c) || c == outside {
                            continue;
                        }
                        for e in [t.next(c), t.prev(c)] {
                            if in_seg(e) || e == outside || g.is_fixed(c, e) {
                                continue;
                            }
                            let dl = g.d(c, s1e) + g.d(s2e, e) - g.d(c, e) - removed;
                            if dl < 0 && best.is_none_or(|(bd, _)| dl < bd) {
                                best = Some((
                                    dl,
                                    OrMove {
                                        s1: s1e,
                                        s2: s2e,
                                        fwd: dir,
                                        c,
                                        e,
                                    },
                                ));
                            }
                        }
                    }
                }
            }
        }
        let (dl, m) = best?;
        let p = t.step(m.s1, !m.fwd);
        let x = t.step(m.s2, m.fwd);
        debug_assert_eq!(dl, delta::or_opt(g, p, m.s1, m.s2, x, m.c, m.e));
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert_eq!(
                dl,
                super::tour::scratch::or_opt(g, t, m.s1, m.s2, m.fwd, m.c, m.e),
                "Or-opt delta"
            );
        }
        t.or_move(m.s1, m.s2, m.fwd, m.c, m.e);
        for v in [p, x, m.s1, m.s2, m.c, m.e] {
            self.push(v);
        }
        Some(-dl)
    }

    /// Lin–Kernighan chain from `t1`: remove `t1 - t2`, add `t2 - t3`, remove `t3 - t4` and
    /// close with `t4 - t1` (a 2-opt step), then go on from `t1 - t4` while the partial gain
    /// stays positive, up to `lk_depth` steps, trying `lk_breadth[level]` alternatives (best
    /// look-ahead first) at the first levels and backtracking; the first chain whose closed
    /// gain is positive is kept. Added edges are never removed again in the same chain.
    /// Returns the gain (0: no move).
    fn lk(&mut self, g: &Graph<'_>, t: &mut Tour, t1: usize) -> i64 {
        for fwd0 in [true, false] {
            let t2 = t.step(t1, fwd0);
            if g.is_fixed(t1, t2) {
                continue;
            }
            self.moves.clear();
            self.added.clear();
            let gain = self.lk_step(g, t, t1, t2, g.d(t1, t2), 0);
            if gain > 0 {
                self.push_moved();
                return gain;
            }
        }
        0
    }

    /// One level of the chain: `t1 - t2` is the tour edge to break, `big_g` the partial gain
    /// so far (removed minus added, `t1 - t2` counted as removed).
    fn lk_step(
        &mut self,
        g: &Graph<'_>,
        t: &mut Tour,
        t1: usize,
        t2: usize,
        big_g: i64,
        level: usize,
    ) -> i64 {
        let fwd = t.next(t1) == t2;
        let breadth = self.params.lk_breadth[level.min(2)].clamp(1, MAX_BREADTH);
        let mut alts = [(i64::MIN, 0usize, 0usize); MAX_BREADTH];
        let mut count = 0usize;
        for c in g.cands(t2) {
            let g1 = big_g - g.d(t2, c);
            if g1 <= 0 {
                if g.by_cost {
                    break;
                }
                continue;
            }
            if c == t1 {
                continue;
            }
            let d = t.step(c, !fwd);
            if d == t2 || g.is_fixed(c, d) || self.is_added(c, d) {
                continue;
            }
            let score = g1 + g.d(c, d);
            // Insert into the sorted top-`breadth` list.
            if count < breadth || score > alts[count - 1].0 {
                let mut i = count.min(breadth - 1);
                while i > 0 && alts[i - 1].0 < score {
                    alts[i] = alts[i - 1];
                    i -= 1;
                }
                alts[i] = (score, c, d);
                count = (count + 1).min(breadth);
            }
        }
        for &(_, t3, t4) in &alts[..count] {
            let g1 = big_g - g.d(t2, t3);
            t.two_opt_move(t1, t2, t4, t3);
            self.moves.push([t1, t2, t4, t3]);
            self.added.push((t2, t3));
            let g2 = g1 + g.d(t3, t4);
            let closed = g2 - g.d(t4, t1);
            if closed > 0 {
                return closed;
            }
            if level + 1 < self.params.lk_depth && !g.is_fixed(t1, t4) {
                let r = self.lk_step(g, t, t1, t4, g2, level + 1);
                if r > 0 {
                    return r;
                }
            }
            self.moves.pop();
            self.added.pop();
            t.two_opt_move(t1, t4, t2, t3);
        }
        0
    }

    /// Lin–Kernighan from `t1` with sequential 3-opt basic moves (LKH's scheme at depth 3):
    /// break `t1 - t2`, take the first improving 2-opt or 3-opt closure of
    /// [`Self::best_3opt`]; without one, make its best non-improving 3-opt move and go on from
    /// the new tour edge `t1 - t6`, up to `lk3_depth` moves; an edge added in the chain is never
    /// removed again. A chain without gain is undone. Returns the gain (0: no move).
    fn lk3(&mut self, g: &Graph<'_>, t: &mut Tour, t1: usize) -> i64 {
        for fwd0 in [true, false] {
            let t2 = t.step(t1, fwd0);
            if self.no_start(g, t1, t2) {
                continue;
            }
            self.moves.clear();
            self.added.clear();
            let gain = self.lk3_step(g, t, t1, t2, g.d(t1, t2), 0);
            if gain > 0 {
                self.push_moved();
                return gain;
            }
            debug_assert!(self.moves.is_empty());
        }
        0
    }

    /// One level of a 3-opt chain from the tour edge `t1 - t2` (`g0`: the chain's gain so far
    /// with `t1 - t2` removed). Returns the chain's gain when a closure improves (its moves
    /// stay applied and recorded in `moves`); otherwise 0, with every move of this level and
    /// below undone. Without an improving closure, up to `lk3_breadth[level]` non-improving
    /// moves are tried in turn, best `G4` first.
    fn lk3_step(
        &mut self,
        g: &Graph<'_>,
        t: &mut Tour,
        t1: usize,
        t2: usize,
        g0: i64,
        level: usize,
    ) -> i64 {
        let breadth = self.params.lk3_breadth[level.min(2)].clamp(1, MAX_BREADTH);
        match self.best_3opt(g, t, t1, t2, g0, breadth) {
            Step3::Close2(m) => {
                let [a, b, c, d] = m;
                let gain = g0 - g.d(t1, t2) - delta::two_opt(g, a, b, c, d);
                #[cfg(any(test, feature = "check-deltas"))]
                if crate::check_deltas() {
                    assert_eq!(
                        delta::two_opt(g, a, b, c, d),
                        super::tour::scratch::two_opt(g, t, a, b, c, d),
                        "3-opt chain: 2-opt closure delta"
                    );
                }
                t.two_opt_move(a, b, c, d);
                self.moves.push(m);
                gain
            }
            Step3::Close3(m) => {
                let gain = g0 - g.d(t1, t2) - delta::three_opt(g, m);
                self.apply3(g, t, m);
                gain
            }
            // The chain's last level: no move to go on from.
            Step3::Go(..) if level + 1 >= self.params.lk3_depth.max(1) => 0,
            Step3::Go(alts, count) => {
                for &(g4, m) in &alts[..count] {
                    let (moves, added) = (self.moves.len(), self.added.len());
                    self.apply3(g, t, m);
                    self.added.push((m[1], m[2]));
                    self.added.push((m[3], m[4]));
                    let gain = self.lk3_step(g, t, t1, m[5], g4, level + 1);
                    if gain > 0 {
                        return gain;
                    }
                    while self.moves.len() > moves {
                        if let Some(mv) = self.moves.pop() {
                            t.undo_two_opt(mv);
                        }
                    }
                    self.added.truncate(added);
                }
                0
            }
            Step3::None => 0,
        }
    }

    /// Apply the 3-opt move `m` (recording its 2-opt steps in `moves`).
    fn apply3(&mut self, g: &Graph<'_>, t: &mut Tour, m: [usize; 6]) {
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert_eq!(
                delta::three_opt(g, m),
                super::tour::scratch::three_opt(g, t, m),
                "3-opt delta"
            );
        }
        #[cfg(not(any(test, feature = "check-deltas")))]
        let _ = g;
        t.three_opt_move(m, &mut self.moves);
    }

    /// The sequential 3-opt moves from the tour edge `t1 - t2` (`g0`: the chain's gain so far
    /// with `t1 - t2` removed), as in LKH's `Best3OptMove`: `t3` a candidate of `t2` with
    /// `g1 = g0 - d(t2, t3) > 0`, `t4` either tour neighbour of `t3`, `t5` a candidate of `t4`
    /// with `g3 = g1 + d(t3, t4) - d(t4, t5) > 0`, and `t6` each neighbour of `t5` that makes a
    /// tour. With `t2` after `t1`:
    /// - `t4` before `t3`: `t1 - t4` would close a 2-opt move (tried first); `t6` follows `t5`
    ///   when `t5` lies between `t2` and `t4`, else precedes it (two 2-opt moves in a row);
    /// - `t4` after `t3` (`t2 .. t3` closes into a cycle): `t5` lies between `t2` and `t3`, and
    ///   `t6` is either of its neighbours (the segment-insertion cases, reversed or not).
    ///
    /// The first improving closure is returned; otherwise the move with the largest `g4` among
    /// those from which a step can still gain (`g4` above the cheapest candidate edge of `t6`).
    fn best_3opt(
        &self,
        g: &Graph<'_>,
        t: &Tour,
        t1: usize,
        t2: usize,
        g0: i64,
        breadth: usize,
    ) -> Step3 {
        let fwd = t.next(t1) == t2;
        let t2_next = t.step(t2, fwd);
        let breadth = breadth.clamp(1, MAX_BREADTH);
        let mut alts = [(i64::MIN, [0usize; 6]); MAX_BREADTH];
        let mut count = 0usize;
        for t3 in g.cands(t2) {
            let g1 = g0 - g.d(t2, t3);
            if g1 <= 0 {
                if g.by_cost {
                    break;
                }
                continue;
            }
            if t3 == t1 || t3 == t2_next {
                continue;
            }
            let r3 = t.rel(t1, t3, fwd);
            for after in [false, true] {
                let t4 = t.step(t3, after == fwd);
                if t4 == t1 || g.is_fixed(t3, t4) || self.is_added(t3, t4) {
                    continue;
                }
                let g2 = g1 + g.d(t3, t4);
                if !after && g2 - g.d(t4, t1) > 0 {
                    return Step3::Close2([t1, t2, t4, t3]);
                }
                let r4 = t.rel(t1, t4, fwd);
                for t5 in g.cands(t4) {
                    let g3 = g2 - g.d(t4, t5);
                    if g3 <= 0 {
                        if g.by_cost {
                            break;
                        }
                        continue;
                    }
                    if t5 == t1 || t5 == t.next(t4) || t5 == t.prev(t4) {
                        continue;
                    }
                    let r5 = t.rel(t1, t5, fwd);
                    let t6s = if !after {
                        if r5 < r4 {
                            [Some(t.step(t5, fwd)), None]
                        } else {
                            [Some(t.step(t5, !fwd)), None]
                        }
                    } else if r5 > r3 {
                        continue;
                    } else {
                        [
                            (r5 < r3).then(|| t.step(t5, fwd)),
                            (r5 > 1).then(|| t.step(t5, !fwd)),
                        ]
                    };
                    for t6 in t6s.into_iter().flatten() {
                        if t6 == t2 || g.is_fixed(t5, t6) || self.is_added(t5, t6) {
                            continue;
                        }
                        let g4 = g3 + g.d(t5, t6);
                        let m = [t1, t2, t3, t4, t5, t6];
                        if g4 - g.d(t6, t1) > 0 {
                            return Step3::Close3(m);
                        }
                        if (count < breadth || g4 > alts[count - 1].0)
                            && g.cands(t6).any(|c| c != t5 && g4 - g.d(t6, c) > 0)
                        {
                            // Into the sorted top-`breadth` list (ties keep the first found).
                            let mut i = count.min(breadth - 1);
                            while i > 0 && alts[i - 1].0 < g4 {
                                alts[i] = alts[i - 1];
                                i -= 1;
                            }
                            alts[i] = (g4, m);
                            count = (count + 1).min(breadth);
                        }
                    }
                }
            }
        }
        if count == 0 {
            Step3::None
        } else {
            Step3::Go(alts, count)
        }
    }

    /// Lin–Kernighan from `t1` with sequential k-opt basic moves (LKH's scheme with
    /// `MOVE_TYPE = 5`): break `t1 - t2`; [`KSearch`] returns the first improving closure of
    /// depth 2..=k, which is made, or else the best non-improving k-opt move, which is made and
    /// the chain goes on from the new tour edge `t1 - t2k`, up to `lk3_depth` moves; an edge
    /// added in the chain is never removed again. A chain without gain is undone. Returns the
    /// gain (0: no move).
    fn lk5(&mut self, g: &Graph<'_>, t: &mut Tour, t1: usize) -> i64 {
        let k = self.params.kopt_k.clamp(2, MAX_K);
        let depth = self.params.lk3_depth.max(1);
        for fwd0 in [true, false] {
            let mut t2 = t.step(t1, fwd0);
            if self.no_start(g, t1, t2) {
                continue;
            }
            self.klog.clear();
            self.touched.clear();
            let mut g0 = g.d(t1, t2);
            let mut gain = 0;
            for level in 0..depth {
                let mut s = KSearch {
                    g,
                    t,
                    kadded: &self.kadded,
                    k,
                    breadth: self.params.kopt_breadth.max(1),
                    ts: [0; 2 * MAX_K],
                    best: None,
                    found: None,
                };
                s.ts[0] = t1;
                s.ts[1] = t2;
                s.step(1, g0);
                let (found, best) = (s.found, s.best);
                if let Some((closed, len, ts)) = found {
                    debug_assert_eq!(closed, g0 - g.d(t1, t2) - delta::k_opt(g, &ts[..len]));
                    self.apply_k(g, t, &ts[..len]);
                    gain = closed;
                    break;
                }
                let Some((g2k, ts)) = best else { break };
                if level + 1 == depth {
                    break;
                }
                self.apply_k(g, t, &ts[..2 * k]);
                for j in 0..k - 1 {
                    self.mark_added(ts[2 * j + 1], ts[2 * j + 2]);
                }
                t2 = ts[2 * k - 1];
                g0 = g2k;
            }
            for &v in &self.touched {
                self.kadded[v] = [u32::MAX; 2];
            }
            if gain > 0 {
                self.klog.clear();
                for i in 0..self.touched.len() {
                    let v = self.touched[i];
                    self.push(v);
                }
                return gain;
            }
            while t.undo_k_opt(&mut self.klog) {}
        }
        0
    }

    /// Make the k-opt move `ts` (checked by the caller), logged for an undo.
    fn apply_k(&mut self, g: &Graph<'_>, t: &mut Tour, ts: &[usize]) {
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert_eq!(
                Some(delta::k_opt(g, ts)),
                super::tour::scratch::k_opt(g, t, ts),
                "k-opt delta"
            );
        }
        #[cfg(not(any(test, feature = "check-deltas")))]
        let _ = g;
        let made = t.k_opt_move(ts, &mut self.klog);
        debug_assert!(made, "k-opt move {ts:?} gives no tour");
        self.touched.extend_from_slice(ts);
    }

    /// Record `a - b` as added by the current k-opt chain.
    fn mark_added(&mut self, a: usize, b: usize) {
        for (x, y) in [(a, b), (b, a)] {
            let m = &mut self.kadded[x];
            if m[0] == u32::MAX {
                m[0] = y as u32;
            } else {
                debug_assert_eq!(m[1], u32::MAX, "a third added edge at {x}");
                m[1] = y as u32;
            }
        }
    }

    /// Activate every endpoint of the 2-opt steps in `moves` (the chain just made).
    fn push_moved(&mut self) {
        for i in 0..self.moves.len() {
            let m = self.moves[i];
            for v in m {
                self.push(v);
            }
        }
    }

    fn is_added(&self, a: usize, b: usize) -> bool {
        self.added
            .iter()
            .any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
    }

    /// Segment-local double bridge: two short adjacent segments after a random position swap
    /// places. Only the six nodes at the three changed edges are activated. Returns the cost
    /// change, or `None` when no kick avoiding the fixed edges was found.
    pub fn kick(&mut self, g: &Graph<'_>, t: &mut Tour, rng: &mut impl Rng) -> Option<i64> {
        let n = t.len();
        if n < 8 {
            return None;
        }
        if self.params.spatial_every > 0
            && rng.random_range(0..self.params.spatial_every) == 0
            && let Some((i, l1, l2)) = self.spatial_cuts(g, t, rng)
        {
            return Some(self.double_bridge(g, t, i, l1, l2));
        }
        // Mostly segment-local; now and then a global double bridge to leave deep valleys.
        let global = rng.random_range(0..self.params.global_every.max(1)) == 0;
        let max_len = if global {
            (n - 2) / 3
        } else {
            self.params.kick_len.min((n - 2) / 3).max(1)
        };
        let free = |t: &Tour, k: usize| !g.is_fixed(t.at(k % n), t.at((k + 1) % n));
        let tournament = if g.has_scores() {
            self.params.kick_tournament.max(1)
        } else {
            1
        };
        for _ in 0..32 {
            let mut i = rng.random_range(0..n);
            for _ in 1..tournament {
                let j = rng.random_range(0..n);
                let score = |k: usize| g.edge_score(t.at(k), t.at((k + 1) % n)).unwrap_or(0.0);
                if score(j) < score(i) {
                    i = j;
                }
            }
            let mut l1 = rng.random_range(1..=max_len);
            let mut l2 = rng.random_range(1..=max_len);
            // Slide each cut by one off a fixed edge (ATSP pairs alternate fixed edges).
            if !free(t, i) {
                i = (i + 1) % n;
            }
            if !free(t, i + l1) {
                l1 += 1;
            }
            if !free(t, i + l1 + l2) {
                l2 += 1;
            }
            if l1 + l2 + 2 > n || !free(t, i) || !free(t, i + l1) || !free(t, i + l1 + l2) {
                continue;
            }
            return Some(self.double_bridge(g, t, i, l1, l2));
        }
        None
    }

    /// Make the double bridge `(i, l1, l2)` (see [`Tour::double_bridge`]) and activate the six
    /// nodes at its cuts. Returns the cost change.
    fn double_bridge(
        &mut self,
        g: &Graph<'_>,
        t: &mut Tour,
        i: usize,
        l1: usize,
        l2: usize,
    ) -> i64 {
        let n = t.len();
        let dl = delta::double_bridge(g, t, i, l1, l2);
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert_eq!(
                dl,
                super::tour::scratch::double_bridge(g, t, i, l1, l2),
                "double-bridge delta"
            );
        }
        for k in [i, i + 1, i + l1, i + l1 + 1, i + l1 + l2, i + l1 + l2 + 1] {
            let v = t.at(k % n);
            self.push(v);
        }
        t.double_bridge(i, l1, l2);
        dl
    }

    /// The cuts of a spatial double bridge: a random node `v1`, a random candidate `v2` of it
    /// and a random candidate `v3` of `v1` or `v2`; each cuts its tour edge to its successor,
    /// however far apart the three lie along the tour (so parts of the tour that are near in
    /// space but far along it get reconnected: clustered instances). As `(i, l1, l2)` for
    /// [`Tour::double_bridge`], starting after the longest of the three segments (fewest
    /// entries rewritten). `None` when a few draws found no three distinct cuts off fixed
    /// edges.
    pub(crate) fn spatial_cuts(
        &self,
        g: &Graph<'_>,
        t: &Tour,
        rng: &mut impl Rng,
    ) -> Option<(usize, usize, usize)> {
        let n = t.len();
        if n < 8 {
            return None;
        }
        let pick = |v: usize, rng: &mut dyn rand::RngCore| {
            let k = g.cands(v).count();
            (k > 0)
                .then(|| g.cands(v).nth(rng.random_range(0..k)))
                .flatten()
        };
        for _ in 0..8 {
            let v1 = rng.random_range(0..n);
            let Some(v2) = pick(v1, rng) else { continue };
            let from = if rng.random_bool(0.5) { v1 } else { v2 };
            let Some(v3) = pick(from, rng) else { continue };
            let mut p = [t.pos(v1), t.pos(v2), t.pos(v3)];
            p.sort_unstable();
            if p[0] == p[1] || p[1] == p[2] {
                continue;
            }
            let seg = [p[1] - p[0], p[2] - p[1], n - p[2] + p[0]];
            let (i, l1, l2) = if seg[2] >= seg[0] && seg[2] >= seg[1] {
                (p[0], seg[0], seg[1])
            } else if seg[0] >= seg[1] {
                (p[1], seg[1], seg[2])
            } else {
                (p[2], seg[2], seg[0])
            };
            let free = |k: usize| !g.is_fixed(t.at(k % n), t.at((k + 1) % n));
            if l1 + l2 + 2 <= n && free(i) && free(i + l1) && free(i + l1 + l2) {
                return Some((i, l1, l2));
            }
        }
        None
    }
}

//! Minimum 1-trees, the Held–Karp subgradient ascent and alpha-nearness candidate lists, after
//! Helsgaun, "An effective implementation of the Lin–Kernighan traveling salesman heuristic"
//! (EJOR 126, 2000), sections 4.1–4.3, on the working graph (so an ATSP instance goes through
//! its 2n-node transformation).
//!
//! Costs are scaled integers: with node penalties `pi`, the penalised cost of `a - b` is
//! `PREC d(a, b) + pi_a + pi_b`. A 1-tree is a spanning tree of the nodes other than a special
//! node `s` plus two edges at `s`; `W(pi) = w(T_pi) - 2 sum pi` is a lower bound on every tour
//! (scaled by `PREC`), and the ascent raises it by subgradient steps on `v = degree - 2`.
//!
//! Fixed edges are forced into every 1-tree: for the comparisons (Prim, the choice of `s`'s
//! edges, alpha) a fixed edge's key is its cost minus [`FORCE`]; weights use the real costs.
//! Fixed edges form a forest (`Graph::set_fixed` refuses shorter cycles), so the 1-tree is the
//! cheapest one among those that contain them, and `W(pi)` bounds every tour that keeps them.
//! For ATSP, the tours of the working graph that keep the fixed edges include all ATSP tours
//! (same cost), so `W(pi)` bounds the ATSP optimum too; same-side (`BIG`) edges are ordinary
//! (very expensive) edges here.
//!
//! `alpha(a, b)` is the weight of the cheapest 1-tree (same `s`) that contains `a - b`, minus the
//! weight of the minimum 1-tree, by keys. It is computed for every pair in O(n^2) time and O(n)
//! memory with the topological-order "beta" pass of section 4.2: `beta(a, b)` is the largest
//! key on the tree path from `a` to `b`, and `alpha = key(a, b) - beta(a, b)`.

use super::{Graph, NONE};
use crate::engine::Budget;
use std::time::Instant;

/// Scale of the penalised costs (penalties are multiples of `1 / PREC` of a cost unit).
pub(crate) const PREC: i64 = 100;
/// Subtracted from a fixed edge's key so that it precedes every other edge.
const FORCE: i64 = 1 << 52;
/// Larger than any key difference.
const NEG: i64 = i64::MIN / 4;
/// Alpha-nearest neighbours per node of the sparse graph the ascent works on (plus the first
/// 1-tree's edges and the fixed edges).
pub(crate) const ASCENT_CANDIDATES: usize = 30;

/// Penalised costs.
struct Pen<'g, 'a> {
    g: &'g Graph<'a>,
    pi: &'g [i64],
}

/// The transformed cost `PREC d + pi_a + pi_b` of an edge of cost `d` between nodes of
/// penalties `pi_a`, `pi_b` (in `1 / PREC` cost units): the ascent's, and the local search's
/// under `Graph::set_penalties`.
#[inline]
pub(crate) fn transformed(d: i64, pi_a: i64, pi_b: i64) -> i64 {
    PREC * d + pi_a + pi_b
}

impl Pen<'_, '_> {
    #[inline]
    fn cost(&self, a: usize, b: usize) -> i64 {
        transformed(self.g.raw_d(a, b), self.pi[a], self.pi[b])
    }
    #[inline]
    fn key(&self, a: usize, b: usize) -> i64 {
        let c = self.cost(a, b);
        if self.g.is_fixed(a, b) { c - FORCE } else { c }
    }
}

/// A minimum spanning tree of all nodes as Prim leaves it: `dad` (root: `NONE`), the key and
/// penalised cost of each node's edge to its dad, and the nodes in the order they joined (a
/// topological order: every node after its dad).
#[derive(Debug)]
struct Mst {
    dad: Vec<u32>,
    key: Vec<i64>,
    cost: Vec<i64>,
    order: Vec<u32>,
}

/// A minimum 1-tree.
#[derive(Debug, Clone)]
pub(crate) struct OneTree {
    /// The special node.
    pub special: usize,
    /// The special node's two edges: its tree neighbour and its second (costlier) edge's end.
    pub s_near: usize,
    pub s_far: usize,
    s_far_key: i64,
    /// Parent of each node in the spanning tree of the other nodes (`NONE`: its root, and `s`).
    pub dad: Vec<u32>,
    /// Key of the edge to the parent.
    dad_key: Vec<i64>,
    /// The nodes other than `s`, every node after its parent.
    order: Vec<u32>,
    /// Penalised weight of the `n` edges.
    pub weight: i64,
    /// Degree of each node in the 1-tree.
    pub degree: Vec<u32>,
}

impl OneTree {
    /// The `n` edges, each once.
    pub fn edges(&self) -> Vec<(usize, usize)> {
        let mut e: Vec<(usize, usize)> = self
            .order
            .iter()
            .map(|&v| v as usize)
            .filter(|&v| self.dad[v] != NONE)
            .map(|v| (v, self.dad[v] as usize))
            .collect();
        e.push((self.special, self.s_near));
        e.push((self.special, self.s_far));
        e
    }

    /// Alpha of the edge from the special node to `u` of key `key`: 0 for the special node's
    /// two edges, else the key over its costlier one.
    fn alpha_at_special(&self, u: usize, key: i64) -> i64 {
        if u == self.s_near || u == self.s_far {
            0
        } else {
            key - self.s_far_key
        }
    }

    /// `sum (degree - 2)^2`: 0 when the 1-tree is a tour.
    pub fn norm(&self) -> i64 {
        self.degree.iter().map(|&d| (i64::from(d) - 2).pow(2)).sum()
    }
}

/// The 1-tree from a minimum spanning tree of all nodes: the special node is the leaf whose
/// second-cheapest edge (by key, `second(leaf, its tree neighbour)`: `(node, key, cost)`) costs
/// most (removing a leaf of a minimum spanning tree leaves a minimum spanning tree of the other
/// nodes, and a leaf's tree edge is its cheapest), so the bound is the best of those 1-trees.
fn one_tree_from_mst(
    m: Mst,
    second: impl Fn(usize, usize) -> Option<(usize, i64, i64)>,
) -> Option<OneTree> {
    let n = m.dad.len();
    let mut degree = vec![0u32; n];
    for v in 0..n {
        if m.dad[v] != NONE {
            degree[v] += 1;
            degree[m.dad[v] as usize] += 1;
        }
    }
    let root = *m.order.first()? as usize;
    let near_of = |s: usize| {
        if s == root {
            m.order.get(1).map(|&c| c as usize)
        } else {
            Some(m.dad[s] as usize)
        }
    };
    let mut best: Option<(i64, usize, usize, usize, i64)> = None;
    for (s, &d) in degree.iter().enumerate() {
        if d != 1 {
            continue;
        }
        let Some(near) = near_of(s) else { continue };
        if let Some((far, key, cost)) = second(s, near)
            && best.is_none_or(|b| cost > b.0)
        {
            best = Some((cost, s, near, far, key));
        }
    }
    let (far_cost, s, near, far, far_key) = best?;
    let mut dad = m.dad;
    let mut dad_key = m.key;
    dad[s] = NONE;
    if s == root {
        dad[near] = NONE;
    }
    dad_key[s] = 0;
    let weight = (0..n)
        .filter(|&v| v != root)
        .map(|v| m.cost[v])
        .sum::<i64>()
        + far_cost;
    degree[s] += 1;
    degree[far] += 1;
    let order = m.order.into_iter().filter(|&v| v as usize != s).collect();
    Some(OneTree {
        special: s,
        s_near: near,
        s_far: far,
        s_far_key: far_key,
        dad,
        dad_key,
        order,
        weight,
        degree,
    })
}

/// Minimum 1-tree over all pairs: O(n^2) Prim. `None` when `stop` says so midway.
fn one_tree_dense(g: &Graph<'_>, pi: &[i64], stop: &dyn Fn() -> bool) -> Option<OneTree> {
    let n = g.n;
    if n < 3 {
        return None;
    }
    let pen = Pen { g, pi };
    let mut dad = vec![NONE; n];
    let mut key = vec![i64::MAX; n];
    let mut order = Vec::with_capacity(n);
    let mut rest: Vec<u32> = (1..n as u32).collect();
    let mut v = 0usize;
    order.push(0u32);
    while !rest.is_empty() {
        if order.len().is_multiple_of(64) && stop() {
            return None;
        }
        let mut bi = 0usize;
        let mut bk = i64::MAX;
        for (i, &u) in rest.iter().enumerate() {
            let u = u as usize;
            let k = pen.key(v, u);
            if k < key[u] {
                key[u] = k;
                dad[u] = v as u32;
            }
            if key[u] < bk {
                bk = key[u];
                bi = i;
            }
        }
        v = rest.swap_remove(bi) as usize;
        order.push(v as u32);
    }
    let cost = (0..n)
        .map(|v| {
            if dad[v] == NONE {
                0
            } else {
                pen.cost(v, dad[v] as usize)
            }
        })
        .collect();
    let m = Mst {
        dad,
        key,
        cost,
        order,
    };
    let t = one_tree_from_mst(m, |s, near| {
        if stop() {
            return None;
        }
        (0..n)
            .filter(|&u| u != s && u != near)
            .map(|u| (pen.key(s, u), u))
            .min()
            .map(|(k, u)| (u, k, pen.cost(s, u)))
    });
    if stop() { None } else { t }
}

/// A sparse graph for the ascent: symmetric adjacency lists with each edge's scaled cost.
#[derive(Debug, Clone)]
pub(crate) struct Sparse {
    start: Vec<usize>,
    adj: Vec<u32>,
    /// `PREC d(a, b)`, minus `FORCE` for a fixed edge.
    base: Vec<i64>,
    fixed: Vec<bool>,
}

impl Sparse {
    /// The symmetric closure of `edges` (repeats dropped), rows built by counting sort.
    /// `None` when `stop` says so midway.
    fn new(g: &Graph<'_>, edges: &[(usize, usize)], stop: &dyn Fn() -> bool) -> Option<Self> {
        let n = g.n;
        let (start, mut adj) = super::symmetric_rows(n, edges);
        // Sort and deduplicate each row, compacting in place.
        let mut out_start = vec![0usize; n + 1];
        let mut w = 0usize;
        for a in 0..n {
            if a % 256 == 255 && stop() {
                return None;
            }
            let row = &mut adj[start[a]..start[a + 1]];
            row.sort_unstable();
            let mut last = NONE;
            for r in start[a]..start[a + 1] {
                let b = adj[r];
                if b != last {
                    adj[w] = b;
                    w += 1;
                    last = b;
                }
            }
            out_start[a + 1] = w;
        }
        adj.truncate(w);
        let mut fixed = Vec::with_capacity(w);
        let mut base = Vec::with_capacity(w);
        for a in 0..n {
            for &b in &adj[out_start[a]..out_start[a + 1]] {
                let f = g.is_fixed(a, b as usize);
                fixed.push(f);
                base.push(PREC * g.raw_d(a, b as usize) - if f { FORCE } else { 0 });
            }
        }
        Some(Sparse {
            start: out_start,
            adj,
            base,
            fixed,
        })
    }

    fn n(&self) -> usize {
        self.start.len() - 1
    }
}

/// Minimum 1-tree on a sparse graph: Prim with an indexed binary heap. `None` if the graph
/// does not connect all nodes.
fn one_tree_sparse(sp: &Sparse, pi: &[i64]) -> Option<OneTree> {
    let n = sp.n();
    if n < 3 {
        return None;
    }
    let cost_of = |e: usize, k: i64| if sp.fixed[e] { k + FORCE } else { k };
    let mut dad = vec![NONE; n];
    let mut key = vec![i64::MAX; n];
    let mut cost = vec![0i64; n];
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut heap = Heap::new(n);
    key[0] = 0;
    heap.update(0, &key);
    while let Some(v) = heap.pop(&key) {
        done[v] = true;
        order.push(v as u32);
        for e in sp.start[v]..sp.start[v + 1] {
            let u = sp.adj[e] as usize;
            if done[u] {
                continue;
            }
            let k = sp.base[e] + pi[v] + pi[u];
            if k < key[u] {
                key[u] = k;
                dad[u] = v as u32;
                cost[u] = cost_of(e, k);
                heap.update(u, &key);
            }
        }
    }
    if order.len() != n {
        return None;
    }
    dad[0] = NONE;
    cost[0] = 0;
    let m = Mst {
        dad,
        key,
        cost,
        order,
    };
    one_tree_from_mst(m, |s, near| {
        (sp.start[s]..sp.start[s + 1])
            .filter(|&e| sp.adj[e] as usize != near)
            .map(|e| {
                let u = sp.adj[e] as usize;
                let k = sp.base[e] + pi[s] + pi[u];
                (k, u, cost_of(e, k))
            })
            .min()
            .map(|(k, u, c)| (u, k, c))
    })
}

/// Indexed binary min-heap of nodes by `key[node]` (a node's key only decreases while it is
/// in the heap).
#[derive(Debug)]
struct Heap {
    items: Vec<u32>,
    pos: Vec<u32>,
}

impl Heap {
    fn new(n: usize) -> Self {
        Heap {
            items: Vec::with_capacity(n),
            pos: vec![NONE; n],
        }
    }

    /// Insert `v`, or move it up after its key decreased.
    fn update(&mut self, v: usize, key: &[i64]) {
        if self.pos[v] == NONE {
            self.pos[v] = self.items.len() as u32;
            self.items.push(v as u32);
        }
        let mut i = self.pos[v] as usize;
        while i > 0 {
            let p = (i - 1) / 2;
            let pv = self.items[p] as usize;
            if key[pv] <= key[v] {
                break;
            }
            self.items[i] = pv as u32;
            self.pos[pv] = i as u32;
            i = p;
        }
        self.items[i] = v as u32;
        self.pos[v] = i as u32;
    }

    /// Remove and return the node of least key.
    fn pop(&mut self, key: &[i64]) -> Option<usize> {
        let top = *self.items.first()? as usize;
        let last = self.items.pop()? as usize;
        let len = self.items.len();
        if len > 0 {
            let mut i = 0usize;
            loop {
                let l = 2 * i + 1;
                if l >= len {
                    break;
                }
                let r = l + 1;
                let c = if r < len && key[self.items[r] as usize] < key[self.items[l] as usize] {
                    r
                } else {
                    l
                };
                let cv = self.items[c] as usize;
                if key[cv] >= key[last] {
                    break;
                }
                self.items[i] = cv as u32;
                self.pos[cv] = i as u32;
                i = c;
            }
            self.items[i] = last as u32;
            self.pos[last] = i as u32;
        }
        Some(top)
    }
}

/// Alpha values of `a` to every node (`alpha[a]` itself is meaningless), into `out`, with
/// `beta` and `mark` as scratch (length n). O(n) time and memory.
fn alpha_row(
    pen: &Pen<'_, '_>,
    t: &OneTree,
    a: usize,
    beta: &mut [i64],
    mark: &mut [u32],
    out: &mut [i64],
) {
    let n = t.dad.len();
    let s = t.special;
    let at_s = |u: usize, k: i64| t.alpha_at_special(u, k);
    if a == s {
        for (u, o) in out.iter_mut().enumerate().take(n) {
            *o = if u == s { 0 } else { at_s(u, pen.key(s, u)) };
        }
        return;
    }
    // beta along the path from a to the root, then for every other node from its parent's.
    beta[a] = NEG;
    mark[a] = a as u32;
    let mut j = a;
    while t.dad[j] != NONE {
        let p = t.dad[j] as usize;
        beta[p] = beta[j].max(t.dad_key[j]);
        mark[p] = a as u32;
        j = p;
    }
    for &v in &t.order {
        let v = v as usize;
        if mark[v] != a as u32 {
            let p = t.dad[v] as usize;
            beta[v] = beta[p].max(t.dad_key[v]);
        }
    }
    for u in 0..n {
        out[u] = if u == a {
            0
        } else if u == s {
            at_s(a, pen.key(a, s))
        } else {
            pen.key(a, u) - beta[u]
        };
    }
}

/// Whether `a - b` may be a candidate edge: not a fixed edge (always in the tour, so never
/// added by a move) and not a same-side edge of the ATSP transformation.
fn candidate_edge(g: &Graph<'_>, a: usize, b: usize) -> bool {
    a != b && !g.is_fixed(a, b) && !(g.atsp && (a < g.n_orig) == (b < g.n_orig))
}

/// The `k` alpha-nearest candidates of every node (ties by cost, then index), `n k` slots
/// (short lists padded with `NONE`), each list in alpha order. `None` when `stop` says so.
fn alpha_lists(
    g: &Graph<'_>,
    pi: &[i64],
    t: &OneTree,
    k: usize,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<u32>> {
    let n = g.n;
    let pen = Pen { g, pi };
    let mut beta = vec![0i64; n];
    let mut mark = vec![NONE; n];
    let mut row = vec![0i64; n];
    let mut buf: Vec<(i64, i64, u32)> = Vec::with_capacity(n);
    let mut out = vec![NONE; n * k];
    for a in 0..n {
        if a % 64 == 63 && stop() {
            return None;
        }
        alpha_row(&pen, t, a, &mut beta, &mut mark, &mut row);
        buf.clear();
        buf.extend(
            (0..n)
                .filter(|&b| candidate_edge(g, a, b))
                .map(|b| (row[b], g.raw_d(a, b), b as u32)),
        );
        let m = k.min(buf.len());
        if m == 0 {
            continue;
        }
        if buf.len() > m {
            buf.select_nth_unstable(m - 1);
        }
        let top = &mut buf[..m];
        top.sort_unstable();
        for (slot, &(_, _, b)) in out[a * k..(a + 1) * k].iter_mut().zip(top.iter()) {
            *slot = b;
        }
    }
    Some(out)
}

/// What the ascent established.
#[derive(Debug, Clone)]
pub(crate) struct Ascent {
    /// The best penalties found.
    pub pi: Vec<i64>,
    /// The minimum 1-tree (over all pairs) under `pi`.
    pub tree: OneTree,
    /// The Held–Karp lower bound: the ceiling of the larger of `W(0)` and `W(pi)` over all
    /// pairs, in cost units. A lower bound on every tour of the working graph that keeps the
    /// fixed edges. `None` from [`ascent_sparse`] without its dense final 1-tree.
    pub bound: Option<i64>,
    /// Subgradient steps taken.
    pub iterations: usize,
    /// A 1-tree was a tour: the bound is the optimum.
    pub tour: bool,
    /// The time cap (or the budget) ended the ascent before its schedule did.
    pub capped: bool,
    /// The steps started from the given penalties ([`ascent_from`]).
    pub warm: bool,
    /// The sparse graph of [`ascent_sparse`]: the candidates are chosen among its edges.
    pub sparse: Option<Sparse>,
}

/// Longest initial period, in multiples of Helsgaun's `max(n / 2, 100)`.
pub(crate) const PERIOD_FACTOR_MAX: usize = 4;

/// An ascent takes about this many steps per step of its initial period (measured on TSPLIB
/// n <= 1000: 2.5 to 3.1).
const STEPS_PER_PERIOD: f64 = 3.0;

/// The initial period: Helsgaun's `max(n / 2, 100)`, lengthened up to [`PERIOD_FACTOR_MAX`]
/// times while the whole ascent (about [`STEPS_PER_PERIOD`] steps per step of the initial
/// period, each taking about `step_secs`) fits in half of the time `left` before the cap
/// (always the longest without a cap). Longer periods converge much closer on clustered
/// instances (TSPLIB n <= 1000, mean gap of the bound: 1.19 % at 1x, 0.86 % at 4x).
fn initial_period(n: usize, left: Option<std::time::Duration>, step_secs: f64) -> usize {
    let base = (n / 2).max(100);
    let Some(left) = left else {
        return PERIOD_FACTOR_MAX * base;
    };
    let fit = 0.5 * left.as_secs_f64() / (STEPS_PER_PERIOD * step_secs.max(1e-9));
    (fit.min((PERIOD_FACTOR_MAX * base) as f64) as usize).max(base)
}

/// `ceil(w / PREC)`.
fn ceil_div(w: i64) -> i64 {
    -((-w).div_euclid(PREC))
}

/// [`ascent_from`] from zero with the default schedule.
#[cfg(test)]
pub(crate) fn ascent(g: &Graph<'_>, budget: &Budget, cap: Option<Instant>) -> Option<Ascent> {
    ascent_from(g, budget, cap, DEFAULT_COMPRESS, None)
}

/// Whether the ascent shortens its periods to fit its time cap (measured: BENCHMARKS.md,
/// issue 20, session 13).
pub(crate) const DEFAULT_COMPRESS: bool = true;

/// A warm start's initial period is the cold one divided by this (chosen, not tuned: session
/// 17 measured this value only, BENCHMARKS.md issue 20).
pub(crate) const WARM_PERIOD_DIV: usize = 4;

/// The Held–Karp subgradient ascent (section 4.3): `pi += t (0.7 v + 0.3 v_prev)` with
/// `v = degree - 2`; the step `t` starts at 1 (`PREC`) and doubles while `W` improves in the
/// initial phase; periods start at [`initial_period`] (Helsgaun: `max(n / 2, 100)`) and are
/// halved, with `t`, after each; a period is doubled (up to the initial one) when its last step
/// still improved. Stops at a tour (`v = 0`), when `t` or
/// the period reaches 0, at `cap`, or when the budget ends. The first 1-tree is over all
/// pairs; the steps run on the sparse graph of its [`ASCENT_CANDIDATES`] alpha-nearest
/// neighbours; the final 1-tree (bound and alpha) is over all pairs again. `None` when the
/// budget ended during one of the two full 1-trees.
///
/// With `compress` (the default, [`DEFAULT_COMPRESS`]), under a cap the current period is
/// shortened so that the rest of the schedule fits the time left (see the loop).
///
/// The steps start from zero, or from the penalties `start` (scaled by [`PREC`], one per node;
/// a learned ascent's prediction) when `W(start)` on the sparse graph is above `W(0)`: then
/// the initial period is divided by [`WARM_PERIOD_DIV`]. A `start` of the wrong length is not
/// used. The sparse graph is the same either way.
pub(crate) fn ascent_from(
    g: &Graph<'_>,
    budget: &Budget,
    cap: Option<Instant>,
    compress: bool,
    start: Option<&[i64]>,
) -> Option<Ascent> {
    let n = g.n;
    let stop = || budget.is_exhausted();
    let zero = vec![0i64; n];
    let t0 = one_tree_dense(g, &zero, &stop)?;
    let w0 = t0.weight;
    if t0.norm() == 0 {
        return Some(Ascent {
            pi: zero,
            bound: Some(ceil_div(w0)),
            tree: t0,
            iterations: 0,
            tour: true,
            capped: false,
            warm: false,
            sparse: None,
        });
    }
    // The sparse graph: alpha-nearest, the first 1-tree, the fixed edges.
    let lists = alpha_lists(g, &zero, &t0, ASCENT_CANDIDATES, &stop)?;
    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(n * (ASCENT_CANDIDATES + 2));
    for a in 0..n {
        for &b in &lists[a * ASCENT_CANDIDATES..(a + 1) * ASCENT_CANDIDATES] {
            if b != NONE {
                edges.push((a, b as usize));
            }
        }
    }
    edges.extend(t0.edges());
    edges.extend(g.fixed_edges());
    let sp = Sparse::new(g, &edges, &stop)?;
    let steps = subgradient(&sp, Some(t0), cap, compress, start, budget)?;
    let tree = one_tree_dense(g, &steps.pi, &stop)?;
    let w = tree.weight - 2 * steps.pi.iter().sum::<i64>();
    Some(Ascent {
        bound: Some(ceil_div(w.max(w0))),
        tour: tree.norm() == 0,
        pi: steps.pi,
        tree,
        iterations: steps.iterations,
        capped: steps.capped,
        warm: steps.warm,
        sparse: None,
    })
}

/// Most nodes for which [`ascent_sparse`] computes the final 1-tree over all pairs (O(n^2),
/// about 2 s at this size) to report a Held–Karp bound; above, the ascent gives no bound.
pub(crate) const SPARSE_BOUND_MAX_N: usize = 30_000;

/// The ascent for large instances, with nothing in O(n^2) except, up to
/// [`SPARSE_BOUND_MAX_N`] nodes and when `with_bound`, the final 1-tree that gives the
/// Held–Karp bound: its steps run on the sparse graph of `edges` (e.g. nearest + quadrant
/// neighbours) and of the tour `tour` (a permutation of the nodes that keeps the fixed edges;
/// they are added too), as LKH's do on its Delaunay, quadrant or POPMUSIC candidate graph,
/// from zero or from `start` (see [`ascent_from`]). The tour matters: on a graph without one
/// the steps' `W` grows without limit (a node the graph leaves as a leaf has its penalty
/// lowered forever). The 1-trees of a sparse graph are at least as heavy as those over all
/// pairs, so their `W` is no bound: the bound is the dense 1-tree's under the final penalties
/// when computed, else `None`. The candidate lists ([`candidates`]) are then the
/// alpha-nearest among the sparse neighbours. `None` when `tour` is not a permutation of the
/// nodes, or when the budget ends first.
#[allow(clippy::too_many_arguments)]
pub(crate) fn ascent_sparse(
    g: &Graph<'_>,
    budget: &Budget,
    cap: Option<Instant>,
    compress: bool,
    start: Option<&[i64]>,
    edges: &[(usize, usize)],
    tour: &[u32],
    with_bound: bool,
) -> Option<Ascent> {
    let n = g.n;
    let stop = || budget.is_exhausted();
    let mut seen = vec![false; n];
    if tour.len() != n {
        return None;
    }
    for &v in tour {
        if std::mem::replace(seen.get_mut(v as usize)?, true) {
            return None;
        }
    }
    let mut all: Vec<(usize, usize)> = edges.to_vec();
    all.extend((0..n).map(|i| (tour[i] as usize, tour[(i + 1) % n] as usize)));
    all.extend(g.fixed_edges());
    let sp = Sparse::new(g, &all, &stop)?;
    let zero = vec![0i64; n];
    let steps = subgradient(&sp, None, cap, compress, start, budget)?;
    let sum: i64 = steps.pi.iter().sum();
    let (tree, bound) = if with_bound && n <= SPARSE_BOUND_MAX_N {
        let tree = one_tree_dense(g, &steps.pi, &stop)?;
        let mut w = tree.weight - 2 * sum;
        // Penalties raised on the sparse graph may do worse over all pairs than none: then
        // the bound is W(0) over all pairs (at most the sparse one, so only then computed).
        if w < steps.w0 {
            w = w.max(one_tree_dense(g, &zero, &stop)?.weight);
        }
        let bound = Some(ceil_div(w));
        (tree, bound)
    } else {
        (one_tree_sparse(&sp, &steps.pi)?, None)
    };
    Some(Ascent {
        tour: bound.is_some() && tree.norm() == 0,
        bound,
        pi: steps.pi,
        tree,
        iterations: steps.iterations,
        capped: steps.capped,
        warm: steps.warm,
        sparse: Some(sp),
    })
}

/// What the subgradient steps leave.
struct Steps {
    /// `W(0)` of the sparse graph (of the fallback 1-tree when the graph does not span).
    w0: i64,
    pi: Vec<i64>,
    iterations: usize,
    capped: bool,
    warm: bool,
}

/// The subgradient steps of the ascent (section 4.3) on the sparse graph `sp`, from the
/// zero penalties (or from `start` when its sparse 1-tree's `W` is higher; `first`: the
/// 1-tree under zero penalties to use if the sparse graph does not connect all nodes; `None`
/// then when it is not given): the best penalties found.
fn subgradient(
    sp: &Sparse,
    first: Option<OneTree>,
    cap: Option<Instant>,
    compress: bool,
    start: Option<&[i64]>,
    budget: &Budget,
) -> Option<Steps> {
    let n = sp.n();
    let capped_now = || budget.is_exhausted() || cap.is_some_and(|c| Instant::now() >= c);
    let deg_v = |t: &OneTree| -> Vec<i64> { t.degree.iter().map(|&d| i64::from(d) - 2).collect() };
    // Steps are steered by the sparse 1-trees' W (at least the full one's for the same pi).
    let step_start = Instant::now();
    let zero = vec![0i64; n];
    let (mut best_w, mut v, mut norm) = match one_tree_sparse(sp, &zero) {
        Some(ts) => (ts.weight, deg_v(&ts), ts.norm()),
        None => first.map(|t| (t.weight, deg_v(&t), t.norm()))?,
    };
    let step_secs = step_start.elapsed().as_secs_f64();
    let w0 = best_w;
    let mut pi = zero.clone();
    let mut best_pi = zero;
    // A warm start that beats W(0) on the sparse graph replaces the zero penalties.
    let mut warm = false;
    if let Some(start) = start.filter(|s| s.len() == n) {
        let sum: i64 = start.iter().sum();
        if let Some(ts) = one_tree_sparse(sp, start) {
            let w = ts.weight - 2 * sum;
            if w > best_w {
                (best_w, v, norm) = (w, deg_v(&ts), ts.norm());
                pi = start.to_vec();
                best_pi = pi.clone();
                warm = true;
            }
        }
    }
    let mut last_v = v.clone();
    let initial_period = (initial_period(
        n,
        cap.map(|c| c.saturating_duration_since(Instant::now())),
        step_secs,
    ) / if warm { WARM_PERIOD_DIV } else { 1 })
    .max(1);
    let mut period = initial_period;
    let mut t = PREC;
    let mut initial = true;
    let mut iterations = 0usize;
    let mut capped = false;
    // Under a cap, the current period is shortened (every few steps) so that the rest of the
    // schedule (what is left of this period, then about one period more: the halvings) fits
    // the time left at the steps' mean speed: the ascent then ends with small steps instead of
    // being cut in the middle of large ones.
    let steps_start = Instant::now();
    let fit = |iterations: usize, p: usize, period: usize| -> usize {
        match cap {
            Some(c) if compress && iterations > 0 => {
                let per_step = steps_start.elapsed().as_secs_f64() / iterations as f64;
                let left = c.saturating_duration_since(Instant::now()).as_secs_f64();
                let steps = (left / per_step.max(1e-9)).min(1e12) as usize;
                period.min((steps + p) / 2).max(p).max(1)
            }
            _ => period,
        }
    };
    'outer: while period > 0 && t > 0 && norm != 0 {
        period = fit(iterations, 1, period);
        let mut p = 1usize;
        while t > 0 && p <= period && norm != 0 {
            if capped_now() {
                capped = true;
                break 'outer;
            }
            for i in 0..n {
                if v[i] != 0 || last_v[i] != 0 {
                    pi[i] += t * (7 * v[i] + 3 * last_v[i]) / 10;
                }
            }
            last_v.clone_from(&v);
            iterations += 1;
            let Some(tree) = one_tree_sparse(sp, &pi) else {
                break 'outer;
            };
            let w = tree.weight - 2 * pi.iter().sum::<i64>();
            v = deg_v(&tree);
            norm = tree.norm();
            if w > best_w {
                best_w = w;
                best_pi.clone_from(&pi);
                if initial {
                    t = t.saturating_mul(2);
                }
                if p == period {
                    period = fit(iterations, p, (2 * period).min(initial_period));
                }
            } else if initial && p > period / 2 {
                initial = false;
                p = 0;
                t = 3 * t / 4;
            }
            p += 1;
            if p.is_multiple_of(16) {
                period = fit(iterations, p, period);
            }
        }
        period /= 2;
        t /= 2;
    }
    Some(Steps {
        w0,
        pi: best_pi,
        iterations,
        capped,
        warm,
    })
}

/// Candidate lists of the `k` alpha-nearest per node under the ascent's penalties, in alpha
/// order. `None` when the budget ends first.
pub(crate) fn candidates(g: &Graph<'_>, a: &Ascent, k: usize, budget: &Budget) -> Option<Vec<u32>> {
    let stop = || budget.is_exhausted();
    match &a.sparse {
        Some(sp) => sparse_alpha_lists(g, &a.pi, &a.tree, sp, k, &stop),
        None => alpha_lists(g, &a.pi, &a.tree, k, &stop),
    }
}

/// The `k` alpha-nearest candidates of every node among its neighbours in `sp`, as
/// [`alpha_lists`] gives them among all nodes (same ties, same layout). `beta(a, b)` is found
/// by walking both ends up the tree to their common ancestor (depths from the topological
/// order), as LKH does for sparse candidate graphs: O(path length) per edge, nothing in n^2.
fn sparse_alpha_lists(
    g: &Graph<'_>,
    pi: &[i64],
    t: &OneTree,
    sp: &Sparse,
    k: usize,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<u32>> {
    let n = g.n;
    let pen = Pen { g, pi };
    let s = t.special;
    let mut depth = vec![0u32; n];
    for &v in &t.order {
        let v = v as usize;
        if t.dad[v] != NONE {
            depth[v] = depth[t.dad[v] as usize] + 1;
        }
    }
    let beta = |mut a: usize, mut b: usize| -> i64 {
        let mut m = NEG;
        while a != b {
            let up_a = depth[a] >= depth[b];
            let v = if up_a { a } else { b };
            let p = t.dad[v];
            if p == NONE {
                break;
            }
            m = m.max(t.dad_key[v]);
            if up_a {
                a = p as usize;
            } else {
                b = p as usize;
            }
        }
        m
    };
    let at_s = |u: usize, key: i64| t.alpha_at_special(u, key);
    let mut buf: Vec<(i64, i64, u32)> = Vec::new();
    let mut out = vec![NONE; n * k];
    for a in 0..n {
        if a % 256 == 255 && stop() {
            return None;
        }
        buf.clear();
        for &b in &sp.adj[sp.start[a]..sp.start[a + 1]] {
            let b = b as usize;
            if !candidate_edge(g, a, b) {
                continue;
            }
            let key = pen.key(a, b);
            let alpha = if a == s {
                at_s(b, key)
            } else if b == s {
                at_s(a, key)
            } else {
                key - beta(a, b)
            };
            buf.push((alpha, g.raw_d(a, b), b as u32));
        }
        buf.sort_unstable();
        for (slot, &(_, _, b)) in out[a * k..(a + 1) * k].iter_mut().zip(buf.iter()) {
            *slot = b;
        }
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

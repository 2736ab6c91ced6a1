//! The symmetric graph the local search works on, its fixed edges and its candidate neighbour
//! lists.
//!
//! A symmetric instance is used as it is. An ATSP instance of `n` nodes is turned into a
//! symmetric one of `2n` nodes (Jonker–Volgenant): node `i` becomes an "in" node `i` and an "out"
//! node `n + i` joined by a fixed edge of cost 0; the edge `out(i) - in(j)` costs `c(i, j)`; edges
//! between two in nodes or two out nodes cost [`BIG`]. A tour of the symmetric graph that keeps
//! the fixed edges and uses no `BIG` edge alternates in/out nodes and is an ATSP tour of the same
//! cost, so every symmetric move (2-opt, Or-opt with reversal, LK chains) is available for ATSP.
//!
//! The candidate lists (nearest, quadrant, SoftDist and heatmap choices) are [`candidates`]'s;
//! the alpha-nearness lists, the 1-trees and the Held–Karp ascent are [`alpha`]'s.

pub(crate) mod alpha;
mod candidates;

pub use candidates::{CandidateOrder, nearest_lists};

use quotient_problems::tsp::TspInstance;
#[cfg(test)]
use quotient_problems::tsp::{CoordMetric, Weights};

/// Cost of an edge that no tour may use (same-side edges of the ATSP transformation). Large
/// enough that a move adding one never looks improving, small enough that sums of a few
/// thousand of them stay far from `i64` overflow.
pub(crate) const BIG: i64 = 1 << 40;

/// "No fixed partner".
const NONE: u32 = u32::MAX;

/// The working graph: costs, fixed edges, candidate lists.
#[derive(Debug)]
pub(crate) struct Graph<'a> {
    inst: &'a TspInstance,
    /// Number of nodes of the original instance.
    pub n_orig: usize,
    /// Number of nodes of the working graph (`n_orig`, or `2 n_orig` for ATSP).
    pub n: usize,
    /// ATSP transformed into a symmetric graph of `2n` nodes.
    pub atsp: bool,
    /// Up to two fixed partners per node.
    fixed: Vec<[u32; 2]>,
    pub has_fixed: bool,
    /// Candidate neighbours, `k` per node (fewer padded with `NONE`), best first.
    cands: Vec<u32>,
    k: usize,
    /// The lists are in cost order (nearest first), so a scan may stop at the first candidate
    /// too far away; false for alpha-ordered lists, which are scanned whole.
    pub by_cost: bool,
    /// Candidate lists mix the nearest of each quadrant (coordinate instances).
    quadrants: bool,
    /// Heatmap scores per node, `(neighbour, score)` sorted by neighbour (empty: no heatmap).
    scores: Vec<Vec<(u32, f32)>>,
    /// The full cost matrix of a symmetric GEO instance of at most [`GEO_MATRIX_MAX_N`] nodes
    /// (each GEO distance takes three cosines and an arc cosine; empty otherwise).
    matrix: Vec<i32>,
    /// Node penalties of a Held–Karp ascent, in `1 / PREC` cost units (empty: none). When set,
    /// [`Graph::d`] is LKH's transformed cost `PREC d(a, b) + pi_a + pi_b`; see
    /// [`Graph::set_penalties`].
    pen: Vec<i64>,
    /// `2 sum(pi)`: a tour's transformed cost is `PREC` times its cost plus this.
    pen_offset: i64,
}

/// Largest symmetric GEO instance whose costs [`Graph`] keeps in a matrix (4 MB at 1 000).
pub(crate) const GEO_MATRIX_MAX_N: usize = 1000;

impl<'a> Graph<'a> {
    /// Build the graph with `k` candidates per node. `Err` when the fixed edges cannot be part
    /// of one tour (a node with three fixed edges, or a fixed cycle shorter than the tour).
    #[cfg(test)]
    pub fn new(inst: &'a TspInstance, k: usize) -> Result<Self, String> {
        Self::with_options(inst, k, false, &CandidateOrder::Distance)
    }

    /// The graph without fixed edges, candidate lists or scores.
    fn bare(inst: &'a TspInstance, k: usize, quadrants: bool) -> Self {
        let n_orig = inst.n();
        let atsp = !inst.is_symmetric();
        let n = if atsp { 2 * n_orig } else { n_orig };
        let geo = matches!(
            inst.weights,
            quotient_problems::tsp::Weights::Coords {
                metric: quotient_problems::tsp::CoordMetric::Geo,
                ..
            }
        );
        let matrix = if geo && !atsp && n <= GEO_MATRIX_MAX_N {
            let mut m = vec![0i32; n * n];
            // The diagonal too: TSPLIB's GEO formula gives 1, not 0, for a node to itself.
            for a in 0..n {
                for b in a..n {
                    // GEO distances are below 20 100 (km on the earth): they fit.
                    let d = i32::try_from(inst.dist(a, b)).unwrap_or(i32::MAX);
                    m[a * n + b] = d;
                    m[b * n + a] = d;
                }
            }
            m
        } else {
            Vec::new()
        };
        Graph {
            inst,
            n_orig,
            n,
            atsp,
            fixed: vec![[NONE; 2]; n],
            has_fixed: false,
            cands: Vec::new(),
            k: k.max(1),
            by_cost: true,
            quadrants,
            scores: Vec::new(),
            matrix,
            pen: Vec::new(),
            pen_offset: 0,
        }
    }

    pub fn inst(&self) -> &'a TspInstance {
        self.inst
    }

    /// The graph with fixed edges and without candidate lists (the ascent's input).
    pub fn fixed_only(inst: &'a TspInstance) -> Result<Self, String> {
        let mut g = Graph::bare(inst, 1, false);
        g.set_fixed()?;
        Ok(g)
    }

    /// The graph with fixed edges and empty candidate lists: what is left when the budget
    /// ends before any list is built (the greedy start then joins fragments in index order).
    pub fn without_candidates(inst: &'a TspInstance) -> Result<Self, String> {
        let mut g = Graph::fixed_only(inst)?;
        let n = g.n;
        g.set_ranked_candidates(vec![NONE; n], 1);
        Ok(g)
    }

    /// Use `cands` (`k` slots per node, `NONE`-padded, best first, not in cost order) as the
    /// candidate lists.
    pub fn set_ranked_candidates(&mut self, cands: Vec<u32>, k: usize) {
        debug_assert_eq!(cands.len(), self.n * k);
        self.cands = cands;
        self.k = k.max(1);
        self.by_cost = false;
    }

    /// Whether the fixed edges already form the whole tour.
    pub fn fixed_tour(&self) -> bool {
        self.has_fixed && self.fixed_edges().len() == self.n
    }

    /// Search with the transformed costs `PREC d(a, b) + pi_a + pi_b` of the penalties `pi`
    /// (in `1 / PREC` cost units, one per node of a symmetric graph), as LKH's Lin–Kernighan
    /// does after its ascent: every node keeps degree 2 in a tour and in every closed move, so
    /// a tour costs `PREC` times its cost plus `2 sum(pi)` ([`Graph::real`] gives it back) and a
    /// move's gain is `PREC` times its gain; only the partial sums of an LK chain (the gain
    /// criterion, the best non-improving move) see the penalties. Ignored (`false`) for an
    /// ATSP working graph or penalties not one per node.
    pub fn set_penalties(&mut self, pi: &[i64]) -> bool {
        if self.atsp || pi.len() != self.n {
            return false;
        }
        self.pen = pi.to_vec();
        self.pen_offset = 2 * pi.iter().sum::<i64>();
        true
    }

    /// The cost of a tour whose cost under [`Graph::d`] is `c` (the same when no penalties are
    /// set).
    pub fn real(&self, c: i64) -> i64 {
        if self.pen.is_empty() {
            c
        } else {
            (c - self.pen_offset) / alpha::PREC
        }
    }

    /// Cost of the edge `a - b` of the working graph: its cost, or its transformed cost under
    /// the penalties of [`Graph::set_penalties`].
    #[inline]
    pub fn d(&self, a: usize, b: usize) -> i64 {
        let c = self.raw_d(a, b);
        if self.pen.is_empty() {
            c
        } else {
            alpha::transformed(c, self.pen[a], self.pen[b])
        }
    }

    /// Cost of the edge `a - b` of the working graph, without penalties.
    #[inline]
    pub fn raw_d(&self, a: usize, b: usize) -> i64 {
        if !self.matrix.is_empty() {
            return i64::from(self.matrix[a * self.n + b]);
        }
        if !self.atsp {
            return self.inst.dist(a, b);
        }
        if a == b {
            return 0;
        }
        let n = self.n_orig;
        match (a < n, b < n) {
            (true, false) => {
                // a = in(a), b = out(b - n): the arc b - n -> a.
                if b - n == a {
                    0
                } else {
                    self.inst.dist(b - n, a)
                }
            }
            (false, true) => {
                if a - n == b {
                    0
                } else {
                    self.inst.dist(a - n, b)
                }
            }
            _ => BIG,
        }
    }

    /// True when `a - b` is a fixed edge (never removed by a move).
    #[inline]
    pub fn is_fixed(&self, a: usize, b: usize) -> bool {
        let f = self.fixed[a];
        f[0] == b as u32 || f[1] == b as u32
    }

    /// The candidate neighbours of `a`, best first.
    #[inline]
    pub fn cands(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        self.cands[a * self.k..(a + 1) * self.k]
            .iter()
            .take_while(|&&c| c != NONE)
            .map(|&c| c as usize)
    }

    /// The fixed edges of the working graph, each once.
    pub fn fixed_edges(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (a, f) in self.fixed.iter().enumerate() {
            for &b in f {
                if b != NONE && (a as u32) < b {
                    out.push((a, b as usize));
                }
            }
        }
        out
    }

    fn add_fixed(&mut self, a: usize, b: usize) -> Result<(), String> {
        if a == b || a >= self.n || b >= self.n {
            return Err(format!("fixed edge ({a}, {b}) is not an edge"));
        }
        if self.is_fixed(a, b) {
            return Ok(());
        }
        for (x, y) in [(a, b), (b, a)] {
            let f = &mut self.fixed[x];
            if f[0] == NONE {
                f[0] = y as u32;
            } else if f[1] == NONE {
                f[1] = y as u32;
            } else {
                return Err(format!("node {x} has more than two fixed edges"));
            }
        }
        Ok(())
    }

    fn set_fixed(&mut self) -> Result<(), String> {
        let n = self.n_orig;
        if self.atsp {
            for i in 0..n {
                self.add_fixed(i, n + i)?;
            }
            for &(a, b) in &self.inst.fixed_edges {
                if a >= n || b >= n {
                    return Err(format!("fixed arc ({a}, {b}) is out of range"));
                }
                // The arc a -> b is the edge out(a) - in(b).
                self.add_fixed(n + a, b)
                    .map_err(|_| format!("node {a} or {b} has more than one fixed arc"))?;
            }
        } else {
            for &(a, b) in &self.inst.fixed_edges {
                self.add_fixed(a, b)?;
            }
        }
        self.has_fixed = !self.inst.fixed_edges.is_empty();
        // A cycle of fixed edges is only allowed if it is the whole tour.
        let mut uf = UnionFind::new(self.n);
        let edges = self.fixed_edges();
        for &(a, b) in &edges {
            if !uf.union(a, b) && edges.len() != self.n {
                return Err("the fixed edges contain a cycle shorter than the tour".into());
            }
        }
        Ok(())
    }
}

/// Union-find with path halving.
#[derive(Debug, Clone)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }
    pub fn find(&mut self, mut a: usize) -> usize {
        while self.parent[a] as usize != a {
            let p = self.parent[a] as usize;
            self.parent[a] = self.parent[p];
            a = p;
        }
        a
    }
    /// Join the sets of `a` and `b`; false if they were already one set.
    pub fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        self.parent[ra] = rb as u32;
        true
    }
}

/// A set of undirected edges by node (CSR adjacency): the edges that LKH's restricted search
/// does not remove first (the 1-tree's in a first descent, the best tour's in a trial's), the
/// edges at alpha value zero of the trial starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct EdgeSet {
    start: Vec<usize>,
    adj: Vec<u32>,
}

/// The symmetric closure of `edges` on `n` nodes as rows (`adj[start[a]..start[a + 1]]`: the
/// other ends at `a`, in input order, repeats kept), built by counting sort; loops and ends out
/// of range are dropped.
pub(crate) fn symmetric_rows(n: usize, edges: &[(usize, usize)]) -> (Vec<usize>, Vec<u32>) {
    let ok = |&&(a, b): &&(usize, usize)| a < n && b < n && a != b;
    let mut start = vec![0usize; n + 1];
    for &(a, b) in edges.iter().filter(ok) {
        start[a + 1] += 1;
        start[b + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut adj = vec![0u32; start[n]];
    for &(a, b) in edges.iter().filter(ok) {
        for (x, y) in [(a, b), (b, a)] {
            adj[fill[x]] = y as u32;
            fill[x] += 1;
        }
    }
    (start, adj)
}

impl EdgeSet {
    /// The edges `edges` of an `n`-node graph (either direction; ends out of range ignored).
    pub fn from_edges(n: usize, edges: &[(usize, usize)]) -> Self {
        let (start, adj) = symmetric_rows(n, edges);
        EdgeSet { start, adj }
    }

    /// The edges of the tour `order`.
    pub fn from_tour(order: &[u32]) -> Self {
        let n = order.len();
        let edges: Vec<(usize, usize)> = (0..n)
            .map(|i| (order[i] as usize, order[(i + 1) % n] as usize))
            .collect();
        Self::from_edges(n, &edges)
    }

    /// Whether `a - b` is one of the edges.
    pub fn contains(&self, a: usize, b: usize) -> bool {
        a + 1 < self.start.len() && self.adj[self.start[a]..self.start[a + 1]].contains(&(b as u32))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::TspKind;

    /// A GEO instance's cost matrix gives the metric's own distances.
    #[test]
    fn geo_matrix_matches_the_metric() {
        let coords: Vec<[f64; 2]> = (0..40)
            .map(|i| {
                let x = i as f64;
                [(x * 7.31) % 170.0 - 85.0, (x * 13.7) % 350.0 - 175.0]
            })
            .collect();
        let mut inst = coords_inst(coords);
        inst.weights = match inst.weights {
            Weights::Coords { coords, .. } => Weights::Coords {
                metric: CoordMetric::Geo,
                coords,
            },
            w => w,
        };
        let g = Graph::new(&inst, 5).unwrap();
        assert_eq!(g.matrix.len(), 40 * 40);
        for a in 0..40 {
            for b in 0..40 {
                assert_eq!(g.d(a, b), inst.dist(a, b), "{a} {b}");
            }
        }
    }

    pub(super) fn coords_inst(coords: Vec<[f64; 2]>) -> TspInstance {
        TspInstance {
            name: "t".into(),
            comment: String::new(),
            kind: TspKind::Tsp,
            weights: Weights::Coords {
                metric: CoordMetric::Euc2d,
                coords,
            },
            fixed_edges: vec![],
            display: None,
            edge_weight_format: None,
        }
    }

    #[test]
    fn atsp_transformation_costs() {
        let m = vec![0, 1, 2, 3, 0, 4, 5, 6, 0];
        let inst = TspInstance {
            kind: TspKind::Atsp,
            weights: Weights::Matrix { n: 3, matrix: m },
            ..coords_inst(vec![])
        };
        let g = Graph::new(&inst, 4).unwrap();
        assert_eq!(g.n, 6);
        assert_eq!(g.d(3, 1), 1); // out(0) -> in(1): c(0,1)
        assert_eq!(g.d(1, 3), 1);
        assert_eq!(g.d(4, 0), 3); // c(1,0)
        assert_eq!(g.d(0, 3), 0);
        assert!(g.is_fixed(0, 3));
        assert_eq!(g.d(0, 1), BIG);
        assert_eq!(g.d(3, 4), BIG);
        assert!(g.cands(3).all(|b| b < 3 && b != 0));
    }

    #[test]
    fn bad_fixed_edges_are_refused() {
        let mut inst = coords_inst((0..6).map(|i| [i as f64, 0.0]).collect());
        inst.fixed_edges = vec![(0, 1), (1, 2), (2, 0)];
        assert!(Graph::new(&inst, 4).is_err());
        inst.fixed_edges = vec![(0, 1), (0, 2), (0, 3)];
        assert!(Graph::new(&inst, 4).is_err());
        inst.fixed_edges = vec![(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0)];
        assert!(Graph::new(&inst, 4).is_ok());
    }
}

//! Start tours on the working graph: greedy edge over the candidate edges (fixed edges first),
//! with the fragments then joined by greedy matching of their ends (LKH's scheme). O(n k
//! log(n k)) plus O(F^2) for F fragments (a few percent of n); no distance matrix.

use super::graph::{EdgeSet, Graph, UnionFind};
use crate::engine::Budget;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const NONE: u32 = u32::MAX;

/// Edges at `a` in the fragments `adj` (two slots per node, `NONE` when free).
fn deg(adj: &[[u32; 2]], a: usize) -> usize {
    adj[a].iter().filter(|&&v| v != NONE).count()
}

/// Add the edge `a - b` to the fragments `adj` (both ends have a free slot).
fn link(adj: &mut [[u32; 2]], a: usize, b: usize) {
    for (x, y) in [(a, b), (b, a)] {
        let slot = if adj[x][0] == NONE { 0 } else { 1 };
        adj[x][slot] = y as u32;
    }
}

/// A greedy-edge tour of the working graph (a permutation of `0..g.n`) that contains every
/// fixed edge. When the budget is exhausted or cancelled before the fragments are joined, the
/// remaining ones are joined in index order, in one pass.
pub(crate) fn greedy(g: &Graph<'_>, budget: &Budget) -> Vec<u32> {
    greedy_noisy(g, budget, None)
}

/// [`greedy`] with the candidate edges taken in the order of their costs each scaled by a
/// random factor in `[1, 1 + noise)` (`Some((rng, noise))`): other fragments, so another
/// start for another search (the joins stay by cost).
pub(crate) fn greedy_noisy(
    g: &Graph<'_>,
    budget: &Budget,
    mut noise: Option<(&mut ChaCha8Rng, f64)>,
) -> Vec<u32> {
    let n = g.n;
    if n <= 3 {
        return (0..n as u32).collect();
    }
    let mut adj = vec![[NONE; 2]; n];
    let mut uf = UnionFind::new(n);
    for (a, b) in g.fixed_edges() {
        // A fixed Hamiltonian cycle: leave its last edge to the closing step.
        if uf.union(a, b) {
            link(&mut adj, a, b);
        }
    }
    let mut edges: Vec<(i64, u32, u32)> = Vec::with_capacity(n * 8);
    for a in 0..n {
        for b in g.cands(a) {
            let (x, y) = if a < b { (a, b) } else { (b, a) };
            edges.push((g.d(x, y), x as u32, y as u32));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    if let Some((rng, noise)) = noise.as_mut() {
        let noise = noise.clamp(0.0, 10.0);
        for e in &mut edges {
            e.0 = (e.0 as f64 * (1.0 + noise * rng.random::<f64>())) as i64;
        }
        edges.sort_unstable();
    }
    for &(_, a, b) in &edges {
        let (a, b) = (a as usize, b as usize);
        if deg(&adj, a) < 2 && deg(&adj, b) < 2 && uf.union(a, b) {
            link(&mut adj, a, b);
        }
    }
    join_fragments(g, budget, &mut adj, &mut uf);
    // One cycle now (or, after a cancel, paths joined in index order): walk it.
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut used = vec![false; n];
    let walk = |start: usize, order: &mut Vec<u32>, used: &mut Vec<bool>| {
        let mut prev = NONE as usize;
        let mut v = start;
        loop {
            used[v] = true;
            order.push(v as u32);
            let next = adj[v]
                .iter()
                .map(|&u| u as usize)
                .find(|&u| u != NONE as usize && u != prev && !used[u]);
            match next {
                Some(u) => {
                    prev = v;
                    v = u;
                }
                None => return,
            }
        }
    };
    // Paths from their ends first (a cancelled join leaves some), then the cycle.
    for v in 0..n {
        if !used[v] && deg(&adj, v) < 2 {
            walk(v, &mut order, &mut used);
        }
    }
    for v in 0..n {
        if !used[v] {
            walk(v, &mut order, &mut used);
        }
    }
    order
}

/// Join the greedy fragments (paths of `adj`, single nodes included) into one cycle, as LKH
/// does: greedy matching of the fragment ends, the shortest edge between the ends of two
/// different fragments first (each end keeps its nearest such end in a heap, recomputed
/// when it is taken), the last edge closing the cycle. O(F^2) for F fragments. Left as paths
/// (joined in index order by the caller) when the budget is exhausted or cancelled.
fn join_fragments(g: &Graph<'_>, budget: &Budget, adj: &mut [[u32; 2]], uf: &mut UnionFind) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = adj.len();
    let mut ends: Vec<u32> = (0..n as u32)
        .filter(|&v| deg(adj, v as usize) < 2)
        .collect();
    if ends.is_empty() || budget.is_exhausted() {
        return;
    }
    let mut edges = n - ends
        .iter()
        .map(|&v| 2 - deg(adj, v as usize))
        .sum::<usize>()
        / 2;
    // The nearest end that `v` may be joined to (another fragment; its own only to close the
    // cycle with the last edge).
    let nearest = |adj: &[[u32; 2]], uf: &mut UnionFind, ends: &[u32], edges: usize, v: usize| {
        let last = edges + 1 == n;
        let rv = uf.find(v);
        let mut best: Option<(i64, u32)> = None;
        for &u in ends {
            let u = u as usize;
            if u == v || deg(adj, u) == 2 || (!last && uf.find(u) == rv) {
                continue;
            }
            let d = g.d(v, u);
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, u as u32));
            }
        }
        best
    };
    let mut heap = BinaryHeap::with_capacity(ends.len());
    for (i, &v) in ends.iter().enumerate() {
        if i % 256 == 255 && budget.is_exhausted() {
            return;
        }
        if let Some((d, u)) = nearest(adj, uf, &ends, edges, v as usize) {
            heap.push(Reverse((d, v, u)));
        }
    }
    let mut pops = 0u32;
    while edges < n {
        let Some(Reverse((_, v, u))) = heap.pop() else {
            break;
        };
        pops = pops.wrapping_add(1);
        if pops.is_multiple_of(256) && budget.is_exhausted() {
            return;
        }
        let (v, u) = (v as usize, u as usize);
        if deg(adj, v) == 2 {
            continue;
        }
        let last = edges + 1 == n;
        if deg(adj, u) < 2 && u != v && (last || uf.find(u) != uf.find(v)) {
            link(adj, v, u);
            uf.union(u, v);
            edges += 1;
            if deg(adj, u) == 2 || deg(adj, v) == 2 {
                ends.retain(|&w| deg(adj, w as usize) < 2);
            }
        }
        // `v` still needs an edge: its nearest again.
        if deg(adj, v) < 2
            && let Some((d, w)) = nearest(adj, uf, &ends, edges, v)
        {
            heap.push(Reverse((d, v as u32, w)));
        }
    }
}

/// LKH's start for a trial after the first (Helsgaun 2006, "ChooseInitialTour"): a walk from a
/// random node that goes on, where it can, along an edge of one of `tours` whose alpha value is
/// zero (in `zero`, e.g. the minimum 1-tree's edges),
/// else to a random unvisited candidate, else to the first unvisited node along the first tour
/// from the walk's start (LKH's "not really a random choice": mostly the node that follows the
/// last fragment in that tour, where a random node would add a long edge). The tours' parts that
/// the 1-tree confirms are kept; where they end, the walk rejoins them at random, so the new
/// tour has another global structure for the local search and the merges to work with.
/// Symmetric working graphs without fixed edges, one tour at least (`None` otherwise, or on
/// wrong lengths).
pub(crate) fn trial_walk(
    g: &Graph<'_>,
    zero: &EdgeSet,
    tours: &[&[u32]],
    rng: &mut ChaCha8Rng,
) -> Option<Vec<u32>> {
    let n = g.n;
    if g.atsp || g.has_fixed || tours.iter().any(|t| t.len() != n) || n < 3 {
        return None;
    }
    // Each tour's two neighbours of every node.
    let nbs: Vec<Vec<[u32; 2]>> = tours
        .iter()
        .map(|t| {
            let mut nb = vec![[NONE; 2]; n];
            for (i, &v) in t.iter().enumerate() {
                nb[v as usize] = [t[(i + n - 1) % n], t[(i + 1) % n]];
            }
            nb
        })
        .collect();
    if nbs.iter().flatten().any(|p| p.contains(&NONE)) {
        return None;
    }
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut choice: Vec<u32> = Vec::with_capacity(8);
    // The first tour from the start on, read from a cursor past the visited nodes.
    let first = tours.first()?;
    let mut cursor = rng.random_range(0..n);
    let mut v = first[cursor] as usize;
    loop {
        visited[v] = true;
        order.push(v as u32);
        if order.len() == n {
            return Some(order);
        }
        choice.clear();
        for nb in &nbs {
            for &w in &nb[v] {
                if !visited[w as usize] && zero.contains(v, w as usize) && !choice.contains(&w) {
                    choice.push(w);
                }
            }
        }
        if choice.is_empty() {
            choice.extend(g.cands(v).filter(|&w| !visited[w]).map(|w| w as u32));
        }
        v = if choice.is_empty() {
            while visited[first[cursor] as usize] {
                cursor = (cursor + 1) % n;
            }
            first[cursor] as usize
        } else {
            choice[rng.random_range(0..choice.len())] as usize
        };
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::tsp::tour::tests::random_inst;
    use quotient_problems::tsp::{CoordMetric, TspInstance, TspKind, Weights};
    use rand::SeedableRng;

    #[test]
    fn greedy_gives_a_permutation_with_the_fixed_edges() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for case in 0..40 {
            let n = rng.random_range(4..200);
            let atsp = case % 3 == 0;
            let mut inst = TspInstance {
                name: "g".into(),
                comment: String::new(),
                kind: if atsp { TspKind::Atsp } else { TspKind::Tsp },
                weights: if atsp {
                    Weights::Matrix {
                        n,
                        matrix: (0..n * n).map(|_| rng.random_range(0..100)).collect(),
                    }
                } else {
                    Weights::Coords {
                        metric: CoordMetric::Euc2d,
                        coords: (0..n)
                            .map(|_| [rng.random_range(0.0..100.0), rng.random_range(0.0..100.0)])
                            .collect(),
                    }
                },
                fixed_edges: vec![],
                display: None,
                edge_weight_format: None,
            };
            if case % 2 == 0 {
                inst.fixed_edges = vec![(0, n - 1), (1, 2)];
            }
            let g = Graph::new(&inst, 8).unwrap();
            let plain = greedy(&g, &Budget::default());
            let noisy = greedy_noisy(&g, &Budget::default(), Some((&mut rng.clone(), 0.5)));
            for order in [plain, noisy] {
                let mut s = order.clone();
                s.sort_unstable();
                assert!(s.iter().enumerate().all(|(i, &v)| i == v as usize));
                let t = super::super::tour::Tour::new(order);
                for (a, b) in g.fixed_edges() {
                    assert!(
                        t.next(a) == b || t.prev(a) == b,
                        "fixed edge {a}-{b} missing"
                    );
                }
                assert!(
                    t.cost(&g) < super::super::graph::BIG,
                    "a forbidden edge was used"
                );
            }
        }
    }

    #[test]
    fn trial_walk_keeps_zero_alpha_tour_edges_and_gives_a_permutation() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for case in 0..30 {
            let n = rng.random_range(5..300);
            let inst = random_inst(n, false, &mut rng);
            let g = Graph::new(&inst, 5).unwrap();
            let mut tour: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                tour.swap(i, rng.random_range(0..=i));
            }
            let edge_set = |o: &[u32]| {
                let mut e: Vec<(u32, u32)> = (0..o.len())
                    .map(|i| {
                        let (a, b) = (o[i], o[(i + 1) % o.len()]);
                        (a.min(b), a.max(b))
                    })
                    .collect();
                e.sort_unstable();
                e
            };
            // Every tour edge at alpha zero: the walk is the tour itself.
            let zero = EdgeSet::from_tour(&tour);
            let w = trial_walk(&g, &zero, &[&tour], &mut rng).unwrap();
            assert_eq!(edge_set(&w), edge_set(&tour), "case {case}");
            // Half of them: a permutation that keeps every zero edge that it can (the walk
            // leaves a node along a zero tour edge whenever one leads to an unvisited node).
            let pairs: Vec<(usize, usize)> = (0..n)
                .step_by(2)
                .map(|i| (tour[i] as usize, tour[(i + 1) % n] as usize))
                .collect();
            let half = EdgeSet::from_edges(n, &pairs);
            let other: Vec<u32> = tour.iter().rev().copied().collect();
            let w = trial_walk(&g, &half, &[&tour, &other], &mut rng).unwrap();
            let mut s = w.clone();
            s.sort_unstable();
            assert!(s.iter().enumerate().all(|(i, &v)| i == v as usize));
            let mut seen = vec![false; n];
            for i in 0..n - 1 {
                let v = w[i] as usize;
                seen[v] = true;
                let open = (0..n).any(|z| half.contains(v, z) && !seen[z]);
                if open {
                    assert!(
                        half.contains(v, w[i + 1] as usize),
                        "case {case}: a zero edge was skipped"
                    );
                }
            }
        }
        // Refused: fixed edges.
        let mut inst = random_inst(10, false, &mut rng);
        inst.fixed_edges = vec![(0, 1)];
        let g = Graph::new(&inst, 5).unwrap();
        let t: Vec<u32> = (0..10).collect();
        assert!(trial_walk(&g, &EdgeSet::default(), &[&t], &mut rng).is_none());
    }

    /// The join's twin: the global greedy matching of fragment ends by a scan of every pair of
    /// ends at every step (the shortest edge between two different fragments; the last edge
    /// closes the cycle), from the same fragments.
    fn join_naive(g: &Graph<'_>, adj: &mut [[u32; 2]], uf: &mut UnionFind) {
        let n = adj.len();
        loop {
            let ends: Vec<usize> = (0..n).filter(|&v| deg(adj, v) < 2).collect();
            let edges = n - ends.iter().map(|&v| 2 - deg(adj, v)).sum::<usize>() / 2;
            if edges == n {
                return;
            }
            let last = edges + 1 == n;
            let mut best: Option<(i64, usize, usize)> = None;
            for (i, &v) in ends.iter().enumerate() {
                for &u in &ends[i + 1..] {
                    if (last || uf.find(u) != uf.find(v)) && best.is_none_or(|b| g.d(v, u) < b.0) {
                        best = Some((g.d(v, u), v, u));
                    }
                }
            }
            let (_, v, u) = best.unwrap();
            link(adj, v, u);
            uf.union(u, v);
        }
    }

    #[test]
    fn fragment_join_matches_the_naive_greedy_matching() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        for case in 0..30 {
            let n = rng.random_range(5..160);
            // Coordinates to 1e6 (ties between distances are rare); clusters now and then.
            let inst = if case % 2 == 0 {
                quotient_problems::tsp::uniform(n, case)
            } else {
                quotient_problems::tsp::clustered(n, 1 + n / 20, case)
            };
            // Fragments: a random matching of each node with one candidate (paths and single
            // nodes; no cycle).
            let g = Graph::new(&inst, 3).unwrap();
            let mut adj = vec![[NONE; 2]; n];
            let mut uf = UnionFind::new(n);
            for a in 0..n {
                let b = rng.random_range(0..n);
                if a != b
                    && deg(&adj, a) < 2
                    && deg(&adj, b) < 2
                    && rng.random_bool(0.7)
                    && uf.union(a, b)
                {
                    link(&mut adj, a, b);
                }
            }
            let (mut adj2, mut uf2) = (adj.clone(), uf.clone());
            join_fragments(&g, &Budget::default(), &mut adj, &mut uf);
            join_naive(&g, &mut adj2, &mut uf2);
            let g = &g;
            let cost = |adj: &[[u32; 2]]| -> i64 {
                (0..n)
                    .flat_map(|a| adj[a].iter().map(move |&b| g.d(a, b as usize)))
                    .sum()
            };
            assert!(
                adj.iter().all(|e| e.iter().all(|&v| v != NONE)),
                "case {case}: not joined"
            );
            assert_eq!(cost(&adj), cost(&adj2), "case {case}");
            // One cycle through every node.
            let order = {
                let (mut prev, mut v, mut order) = (NONE as usize, 0usize, vec![0u32]);
                loop {
                    let next = adj[v]
                        .iter()
                        .map(|&u| u as usize)
                        .find(|&u| u != prev)
                        .unwrap();
                    if next == 0 {
                        break order;
                    }
                    order.push(next as u32);
                    (prev, v) = (v, next);
                }
            };
            assert_eq!(order.len(), n, "case {case}: more than one cycle");
        }
    }
}

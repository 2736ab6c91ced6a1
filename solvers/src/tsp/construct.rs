//! Start tours on the working graph: greedy edge over the candidate edges (fixed edges first),
//! with the fragments then joined nearest-endpoint first. O(n k log(n k)) plus O(F^2) for F
//! fragments (a few percent of n); no distance matrix.

use super::graph::{Graph, UnionFind};
use crate::engine::Budget;

const NONE: u32 = u32::MAX;

/// A greedy-edge tour of the working graph (a permutation of `0..g.n`) that contains every
/// fixed edge. When the budget is cancelled midway the remaining fragments are joined in index
/// order, in one pass.
pub(crate) fn greedy(g: &Graph<'_>, budget: &Budget) -> Vec<u32> {
    let n = g.n;
    if n <= 3 {
        return (0..n as u32).collect();
    }
    let mut adj = vec![[NONE; 2]; n];
    let mut uf = UnionFind::new(n);
    let link = |adj: &mut Vec<[u32; 2]>, a: usize, b: usize| {
        for (x, y) in [(a, b), (b, a)] {
            if adj[x][0] == NONE {
                adj[x][0] = y as u32;
            } else {
                adj[x][1] = y as u32;
            }
        }
    };
    let deg = |adj: &Vec<[u32; 2]>, a: usize| adj[a].iter().filter(|&&v| v != NONE).count();
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
    for &(_, a, b) in &edges {
        let (a, b) = (a as usize, b as usize);
        if deg(&adj, a) < 2 && deg(&adj, b) < 2 && uf.union(a, b) {
            link(&mut adj, a, b);
        }
    }
    // Fragments: walk each from one end; join to the nearest free endpoint.
    let mut endpoints: Vec<u32> = (0..n as u32)
        .filter(|&v| deg(&adj, v as usize) < 2)
        .collect();
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut used = vec![false; n];
    let walk = |start: usize, order: &mut Vec<u32>, used: &mut Vec<bool>| -> usize {
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
                None => return v,
            }
        }
    };
    if endpoints.is_empty() {
        // Only a fixed Hamiltonian cycle can leave no endpoint.
        walk(0, &mut order, &mut used);
        return order;
    }
    let first = endpoints.swap_remove(0) as usize;
    let mut end = walk(first, &mut order, &mut used);
    let mut joins = 0u32;
    loop {
        endpoints.retain(|&v| !used[v as usize]);
        if endpoints.is_empty() {
            break;
        }
        joins = joins.wrapping_add(1);
        if joins.is_multiple_of(64) && budget.is_cancelled() {
            // The rest in index order, in one pass.
            for &v in &endpoints {
                if !used[v as usize] {
                    walk(v as usize, &mut order, &mut used);
                }
            }
            break;
        }
        let pick = {
            let mut best = (i64::MAX, 0usize);
            for (k, &v) in endpoints.iter().enumerate() {
                let d = g.d(end, v as usize);
                if d < best.0 {
                    best = (d, k);
                }
            }
            best.1
        };
        let start = endpoints.swap_remove(pick) as usize;
        end = walk(start, &mut order, &mut used);
    }
    order
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::{CoordMetric, TspInstance, TspKind, Weights};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

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
            let order = greedy(&g, &Budget::default());
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

//! From-scratch twins: Kruskal 1-trees for Prim's (dense and sparse), the O(n^3)-and-worse
//! definition of alpha for the beta pass, enumeration for the bound.

use super::*;
use crate::tsp::graph::UnionFind;
use crate::tsp::ils::brute_force;
use crate::tsp::tour::tests::random_inst;
use quotient_problems::tsp::{TspInstance, read_tsplib};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::PathBuf;

/// Minimum spanning tree (by key) of the nodes other than `s`, with the edges of `first`
/// taken before all others: `(key sum, cost sum)`, `None` if it does not span.
fn kruskal(pen: &Pen<'_, '_>, n: usize, s: usize, first: &[(usize, usize)]) -> Option<(i64, i64)> {
    let mut uf = UnionFind::new(n);
    let (mut keys, mut costs, mut count) = (0i64, 0i64, 0usize);
    let mut edges: Vec<(i64, usize, usize)> =
        first.iter().map(|&(a, b)| (i64::MIN, a, b)).collect();
    let mut rest: Vec<(i64, usize, usize)> = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            if a != s && b != s {
                rest.push((pen.key(a, b), a, b));
            }
        }
    }
    rest.sort_unstable();
    edges.extend(rest);
    for (_, a, b) in edges {
        if uf.union(a, b) {
            keys += pen.key(a, b);
            costs += pen.cost(a, b);
            count += 1;
        }
    }
    (count == n - 2).then_some((keys, costs))
}

/// The cheapest 1-tree with special node `s` (by key) that contains `e` (if given):
/// `(key sum, cost sum)`.
fn naive_one_tree(pen: &Pen<'_, '_>, n: usize, s: usize, e: Option<(usize, usize)>) -> (i64, i64) {
    // The `m` cheapest edges at s, other than to `skip`.
    let at_s = |skip: Option<usize>, m: usize| -> (i64, i64) {
        let mut v: Vec<(i64, i64)> = (0..n)
            .filter(|&u| u != s && Some(u) != skip)
            .map(|u| (pen.key(s, u), pen.cost(s, u)))
            .collect();
        v.sort_unstable();
        v[..m]
            .iter()
            .fold((0, 0), |acc, x| (acc.0 + x.0, acc.1 + x.1))
    };
    let add = |x: (i64, i64), y: (i64, i64)| (x.0 + y.0, x.1 + y.1);
    match e {
        Some((a, b)) if a == s || b == s => {
            let u = if a == s { b } else { a };
            let tree = kruskal(pen, n, s, &[]).unwrap();
            add(add(tree, (pen.key(s, u), pen.cost(s, u))), at_s(Some(u), 1))
        }
        Some((a, b)) => add(kruskal(pen, n, s, &[(a, b)]).unwrap(), at_s(None, 2)),
        None => add(kruskal(pen, n, s, &[]).unwrap(), at_s(None, 2)),
    }
}

/// Checks that `t` is a 1-tree of `n` nodes: `n` edges, the tree part spanning the nodes other
/// than the special node, degrees as listed.
fn assert_is_one_tree(t: &OneTree, n: usize) {
    let edges = t.edges();
    assert_eq!(edges.len(), n);
    let mut uf = UnionFind::new(n);
    let mut deg = vec![0u32; n];
    for &(a, b) in &edges {
        deg[a] += 1;
        deg[b] += 1;
        if a != t.special && b != t.special {
            assert!(uf.union(a, b), "cycle in the tree part");
        }
    }
    assert_eq!(deg, t.degree);
    assert_eq!(deg[t.special], 2);
}

/// Random instances: symmetric (coordinates) or ATSP, some with fixed edges, with random
/// penalties.
fn cases(seed: u64, count: usize) -> Vec<(TspInstance, Vec<i64>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|case| {
            let atsp = case % 2 == 1;
            let n = if atsp {
                rng.random_range(3..7)
            } else {
                rng.random_range(4..11)
            };
            let mut inst = random_inst(n, atsp, &mut rng);
            if case % 3 == 0 {
                inst.fixed_edges = vec![(0, 1)];
                if n > 4 {
                    inst.fixed_edges.push((2, 3));
                }
            }
            let nw = if atsp { 2 * n } else { n };
            let pi = (0..nw)
                .map(|_| {
                    if case % 4 == 0 {
                        0
                    } else {
                        rng.random_range(-3000..3000)
                    }
                })
                .collect();
            (inst, pi)
        })
        .collect()
}

#[test]
fn prim_one_trees_match_kruskal() {
    for (case, (inst, pi)) in cases(1, 80).into_iter().enumerate() {
        let g = Graph::fixed_only(&inst).unwrap();
        let pen = Pen { g: &g, pi: &pi };
        let n = g.n;
        let never = || false;
        let dense = one_tree_dense(&g, &pi, &never).unwrap();
        assert_is_one_tree(&dense, n);
        let want = naive_one_tree(&pen, n, dense.special, None);
        assert_eq!(dense.weight, want.1, "case {case}: dense weight");
        // Fixed edges are in the 1-tree.
        let edges = dense.edges();
        for (a, b) in g.fixed_edges() {
            assert!(
                edges.contains(&(a, b)) || edges.contains(&(b, a)),
                "case {case}: fixed edge {a}-{b} not in the 1-tree"
            );
        }
        // The sparse Prim on the complete graph finds a minimum 1-tree too.
        let all: Vec<(usize, usize)> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect();
        let sp = Sparse::new(&g, &all, &|| false).unwrap();
        let sparse = one_tree_sparse(&sp, &pi).unwrap();
        assert_is_one_tree(&sparse, n);
        let want = naive_one_tree(&pen, n, sparse.special, None);
        assert_eq!(sparse.weight, want.1, "case {case}: sparse weight");
        // With distinct keys the minimum spanning tree is unique, and both pick the same leaf
        // (the one whose second edge costs most) and the same 1-tree.
        let mut keys: Vec<i64> = all.iter().map(|&(a, b)| pen.key(a, b)).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.len() == all.len() {
            assert_eq!(sparse.special, dense.special, "case {case}");
            assert_eq!(sparse.weight, dense.weight, "case {case}");
        }
    }
}

#[test]
fn alpha_values_match_their_definition() {
    for (case, (inst, pi)) in cases(2, 60).into_iter().enumerate() {
        let g = Graph::fixed_only(&inst).unwrap();
        let pen = Pen { g: &g, pi: &pi };
        let n = g.n;
        let t = one_tree_dense(&g, &pi, &|| false).unwrap();
        let base = naive_one_tree(&pen, n, t.special, None).0;
        let (mut beta, mut mark, mut row) = (vec![0; n], vec![NONE; n], vec![0; n]);
        for a in 0..n {
            alpha_row(&pen, &t, a, &mut beta, &mut mark, &mut row);
            for b in (0..n).filter(|&b| b != a) {
                let want = naive_one_tree(&pen, n, t.special, Some((a, b))).0 - base;
                assert_eq!(row[b], want, "case {case}: alpha({a}, {b})");
                assert!(row[b] >= 0);
            }
        }
        // The lists: the k smallest alpha (ties by cost), in that order, candidate edges only.
        let k = 3;
        let lists = alpha_lists(&g, &pi, &t, k, &|| false).unwrap();
        for a in 0..n {
            alpha_row(&pen, &t, a, &mut beta, &mut mark, &mut row);
            let mut want: Vec<(i64, i64, usize)> = (0..n)
                .filter(|&b| candidate_edge(&g, a, b))
                .map(|b| (row[b], g.d(a, b), b))
                .collect();
            want.sort_unstable();
            let want: Vec<u32> = want.iter().take(k).map(|x| x.2 as u32).collect();
            let got: Vec<u32> = lists[a * k..(a + 1) * k]
                .iter()
                .copied()
                .filter(|&b| b != NONE)
                .collect();
            assert_eq!(got, want, "case {case}: list of {a}");
        }
    }
}

#[test]
fn held_karp_bound_is_at_most_the_optimum() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut tours = 0;
    for case in 0..60 {
        let atsp = case % 2 == 1;
        let n = rng.random_range(4..9);
        let mut inst = random_inst(n, atsp, &mut rng);
        if case % 3 == 0 {
            inst.fixed_edges = vec![(0, 1), (2, 3)];
        }
        let Some((_, opt)) = brute_force(&inst) else {
            continue;
        };
        let g = Graph::fixed_only(&inst).unwrap();
        let a = ascent(&g, &Budget::default(), None).unwrap();
        assert!(
            a.bound.unwrap() <= opt,
            "case {case}: bound {} > optimum {opt}",
            a.bound.unwrap()
        );
        assert!(a.bound.unwrap() > 0, "case {case}");
        assert_is_one_tree(&a.tree, g.n);
        if a.tour {
            tours += 1;
            assert_eq!(
                a.bound.unwrap(),
                opt,
                "case {case}: a 1-tree tour is optimal"
            );
        }
        // The bound is the ceiling of W(pi) of the full 1-tree, or of W(0).
        let w = a.tree.weight - 2 * a.pi.iter().sum::<i64>();
        assert!(a.bound.unwrap() >= ceil_div(w), "case {case}");
    }
    assert!(tours > 0, "no 1-tree tour on any small instance");
    assert_eq!(ceil_div(0), 0);
    assert_eq!(ceil_div(1), 1);
    assert_eq!(ceil_div(100), 1);
    assert_eq!(ceil_div(-1), 0);
    assert_eq!(ceil_div(-101), -1);
}

#[test]
fn held_karp_bound_on_tsplib_is_valid_and_close() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench");
    if !dir.exists() {
        println!("SKIPPED: ../shared/bench not found");
        return;
    }
    for (sub, name, max_gap) in [
        ("tsp", "eil51", 1.0),
        ("tsp", "berlin52", 1.0),
        ("tsp", "kroA100", 1.7), // its Held-Karp bound is 20936.5
        ("tsp", "gr96", 2.0),
        ("atsp", "br17", 100.0),
        ("atsp", "ftv33", 20.0),
    ] {
        let ext = if sub == "tsp" { "tsp" } else { "atsp" };
        let text = std::fs::read_to_string(dir.join(sub).join(format!("{name}.{ext}"))).unwrap();
        let inst = read_tsplib(&text).unwrap();
        let csv = std::fs::read_to_string(dir.join(sub).join("optimal.csv")).unwrap();
        let opt: i64 = csv
            .lines()
            .find_map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0] == name).then(|| f[3].trim().parse::<i64>().unwrap())
            })
            .unwrap();
        let g = Graph::fixed_only(&inst).unwrap();
        let a = ascent(&g, &Budget::default(), None).unwrap();
        let gap = 100.0 * (opt - a.bound.unwrap()) as f64 / opt as f64;
        println!(
            "{name}: bound {} optimum {opt} gap {gap:.3} % ({} steps)",
            a.bound.unwrap(),
            a.iterations
        );
        assert!(a.bound.unwrap() <= opt, "{name}");
        assert!(gap <= max_gap, "{name}: gap {gap:.3} %");
    }
}

#[test]
fn the_ascent_stops_at_its_cap_and_on_cancel() {
    let inst = quotient_problems::tsp::uniform(400, 5);
    let g = Graph::fixed_only(&inst).unwrap();
    let full = ascent(&g, &Budget::default(), None).unwrap();
    assert!(!full.capped);
    let capped = ascent(&g, &Budget::default(), Some(Instant::now())).unwrap();
    assert!(capped.capped);
    assert_eq!(capped.iterations, 0);
    assert!(capped.bound.unwrap() <= full.bound.unwrap());
    let cancelled = Budget::default();
    cancelled.cancel();
    assert!(ascent(&g, &cancelled, None).is_none());
}

/// Under a cap, the compressed schedule still gives a valid bound (at most the optimum, at
/// least `W(0)`), with or without compression, whether or not the cap cut it.
#[test]
fn compressed_ascent_under_a_cap_keeps_a_valid_bound() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    for case in 0..30 {
        let n = rng.random_range(5..9);
        let inst = random_inst(n, case % 2 == 1, &mut rng);
        let Some((_, opt)) = brute_force(&inst) else {
            continue;
        };
        let g = Graph::fixed_only(&inst).unwrap();
        let w0 = ascent_from(&g, &Budget::default(), Some(Instant::now()), false, None)
            .unwrap()
            .bound
            .unwrap();
        for compress in [true, false] {
            let cap = Some(Instant::now() + std::time::Duration::from_micros(300));
            let a = ascent_from(&g, &Budget::default(), cap, compress, None).unwrap();
            assert!(
                a.bound.unwrap() <= opt,
                "case {case}: bound {} > {opt}",
                a.bound.unwrap()
            );
            assert!(a.bound.unwrap() >= w0, "case {case}: bound below W(0)");
            assert_is_one_tree(&a.tree, g.n);
        }
    }
}

/// The sparse alpha lists are the dense pass's alpha values restricted to each node's sparse
/// neighbours (the from-scratch twin: `alpha_row`, itself checked against the definition
/// above), on complete and on random sparse graphs, under the dense and the sparse 1-trees.
#[test]
fn sparse_alpha_lists_match_the_dense_values() {
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    for (case, (inst, pi)) in cases(5, 60).into_iter().enumerate() {
        let g = Graph::fixed_only(&inst).unwrap();
        let pen = Pen { g: &g, pi: &pi };
        let n = g.n;
        let all: Vec<(usize, usize)> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect();
        let k = 3;
        // A spanning path keeps a random subgraph connected; then about half the other pairs.
        let mut some: Vec<(usize, usize)> = (1..n).map(|a| (a - 1, a)).collect();
        some.extend(all.iter().copied().filter(|_| rng.random_bool(0.5)));
        for (what, edges) in [("complete", &all), ("random", &some)] {
            let sp = Sparse::new(&g, edges, &|| false).unwrap();
            let dense = one_tree_dense(&g, &pi, &|| false).unwrap();
            let sparse_tree = one_tree_sparse(&sp, &pi).unwrap();
            for (tree_what, t) in [("dense tree", &dense), ("sparse tree", &sparse_tree)] {
                let got = sparse_alpha_lists(&g, &pi, t, &sp, k, &|| false).unwrap();
                let (mut beta, mut mark, mut row) = (vec![0; n], vec![NONE; n], vec![0; n]);
                for a in 0..n {
                    alpha_row(&pen, t, a, &mut beta, &mut mark, &mut row);
                    let nb = &sp.adj[sp.start[a]..sp.start[a + 1]];
                    let mut want: Vec<(i64, i64, u32)> = nb
                        .iter()
                        .map(|&b| b as usize)
                        .filter(|&b| candidate_edge(&g, a, b))
                        .map(|b| (row[b], g.d(a, b), b as u32))
                        .collect();
                    want.sort_unstable();
                    let want: Vec<u32> = want.iter().take(k).map(|x| x.2).collect();
                    let row_got: Vec<u32> = got[a * k..(a + 1) * k]
                        .iter()
                        .copied()
                        .filter(|&b| b != NONE)
                        .collect();
                    assert_eq!(row_got, want, "case {case}, {what}, {tree_what}: node {a}");
                }
                if what == "complete" && std::ptr::eq(t, &dense) {
                    let lists = alpha_lists(&g, &pi, t, k, &|| false).unwrap();
                    assert_eq!(got, lists, "case {case}: complete graph = dense lists");
                }
            }
        }
    }
}

/// The sparse ascent: its bound (from the dense final 1-tree) is at most the optimum, with and
/// without fixed edges; without the bound it gives none; its candidates are sparse edges; a
/// `tour` that is not a permutation gives no ascent.
#[test]
fn sparse_ascent_bound_is_valid() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let mut checked = 0;
    for case in 0..40 {
        let n = rng.random_range(5..9);
        let mut inst = random_inst(n, false, &mut rng);
        if case % 3 == 0 {
            inst.fixed_edges = vec![(0, 1)];
        }
        let Some((opt_tour, opt)) = brute_force(&inst) else {
            continue;
        };
        let g = Graph::fixed_only(&inst).unwrap();
        // Each node with its 2 nearest, and the identity tour (which keeps the fixed edge).
        let edges: Vec<(usize, usize)> = (0..n)
            .flat_map(|a| {
                let mut by: Vec<usize> = (0..n).filter(|&b| b != a).collect();
                by.sort_by_key(|&b| g.d(a, b));
                by.into_iter().take(2).map(move |b| (a, b))
            })
            .collect();
        let tour: Vec<u32> = (0..n as u32).collect();
        let budget = Budget::default();
        let a = ascent_sparse(&g, &budget, None, true, None, &edges, &tour, true).unwrap();
        let b = a.bound.expect("a bound below SPARSE_BOUND_MAX_N");
        assert!(b <= opt, "case {case}: sparse bound {b} > optimum {opt}");
        assert!(b > 0, "case {case}");
        assert_is_one_tree(&a.tree, n);
        let in_graph = |x: usize, y: usize| {
            edges.contains(&(x, y))
                || edges.contains(&(y, x))
                || (x + 1) % n == y
                || (y + 1) % n == x
        };
        let lists = candidates(&g, &a, 2, &budget).unwrap();
        for (i, &c) in lists.iter().enumerate() {
            if c != NONE {
                assert!(
                    in_graph(i / 2, c as usize),
                    "case {case}: candidate not sparse"
                );
            }
        }
        let nb = ascent_sparse(&g, &budget, None, true, None, &edges, &tour, false).unwrap();
        assert_eq!(nb.bound, None);
        assert!(!nb.tour);
        // The optimal tour as the graph's tour: still a valid bound.
        let opt_tour: Vec<u32> = opt_tour.iter().map(|&v| v as u32).collect();
        let a = ascent_sparse(&g, &budget, None, true, None, &edges, &opt_tour, true).unwrap();
        assert!(a.bound.unwrap() <= opt, "case {case}");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} cases");
    let inst = random_inst(6, false, &mut rng);
    let g = Graph::fixed_only(&inst).unwrap();
    let budget = Budget::default();
    for bad in [
        vec![0u32, 1, 2, 3, 4],
        vec![0, 1, 2, 3, 4, 4],
        vec![0, 1, 2, 3, 4, 9],
    ] {
        assert!(ascent_sparse(&g, &budget, None, true, None, &[], &bad, true).is_none());
    }
}

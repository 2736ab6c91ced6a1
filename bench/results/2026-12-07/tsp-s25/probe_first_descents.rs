// Diagnostic of session 25 (issue 20), not compiled: paste at the end of solvers/src/tsp/ils/tests.rs and run
//   CARGO_TARGET_DIR=/work/target-rel cargo test --release --locked -p quotient-solvers --lib --no-run
//   QPROBE=/tmp/tsp-fresh/c10k-s1.tsp taskset -c 0 <the test binary> probe_first --ignored --nocapture
// First descents (one ascent, as tsp.ils builds it at -t 100: a 25 s cap) from the greedy start and from LKH's
// WALK start, with 3-opt and 5-opt chains of depth 30 or 1000, each then repeated in whole passes until none gains.

/// Probe: first descents on the instance in `QPROBE` (prints them; asserts nothing).
#[test]
#[ignore]
fn probe_first_descents() {
    let Ok(path) = std::env::var("QPROBE") else {
        return;
    };
    let inst = read_tsplib(std::fs::read_to_string(&path).unwrap().as_str()).unwrap();
    let budget = Budget::new(Some(Duration::from_secs(100)));
    let (mut g, ascent, msg) = working_graph(&inst, &budget, &IlsOptions::default()).unwrap();
    eprintln!("{msg}");
    let a = ascent.unwrap();
    assert!(g.set_penalties(&a.pi));
    let zero = EdgeSet::from_edges(g.n, &a.tree.edges());
    let greedy = construct::greedy(&g, &Budget::default());
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    // LKH's WALK start: a random walk along alpha-zero candidate edges, else a random unvisited
    // candidate, else the next unvisited node by index.
    let walk = |rng: &mut ChaCha8Rng| {
        let n = g.n;
        let mut vis = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut v = rng.random_range(0..n);
        let mut cursor = 0;
        loop {
            vis[v] = true;
            order.push(v as u32);
            if order.len() == n {
                return order;
            }
            let z: Vec<usize> = g.cands(v).filter(|&w| !vis[w] && zero.contains(v, w)).collect();
            let c: Vec<usize> = if z.is_empty() { g.cands(v).filter(|&w| !vis[w]).collect() } else { z };
            v = if c.is_empty() {
                while vis[cursor] {
                    cursor += 1;
                }
                cursor
            } else {
                c[rng.random_range(0..c.len())]
            };
        }
    };
    let base = LsParams::for_graph(&g);
    for (name, start, mv, restricted, bridges, depth) in [
        ("greedy 5-opt", 0, LkMove::FiveOpt, false, false, 30),
        ("greedy 5-opt d1000", 0, LkMove::FiveOpt, false, false, 1000),
        ("greedy 3-opt d1000", 0, LkMove::ThreeOpt, false, false, 1000),
        ("walk 5-opt", 1, LkMove::FiveOpt, false, false, 30),
        ("walk 5-opt d1000", 1, LkMove::FiveOpt, false, false, 1000),
        ("walk 5-opt", 2, LkMove::FiveOpt, false, false, 30),
        ("walk 5-opt d1000", 2, LkMove::FiveOpt, false, false, 1000),
        ("walk 5-opt", 3, LkMove::FiveOpt, false, false, 30),
        ("walk 5-opt d1000", 3, LkMove::FiveOpt, false, false, 1000),
    ] {
        let order = if start == 0 {
            greedy.clone()
        } else {
            walk(&mut ChaCha8Rng::seed_from_u64(start))
        };
        let mut t = Tour::new(order);
        let c0 = g.real(t.cost(&g));
        let mut cost = t.cost(&g);
        let mut ls = LocalSearch::new(g.n, LsParams { lk_move: mv, lk3_depth: depth, ..base });
        if restricted {
            ls.set_protected(Some(Arc::new(EdgeSet::from_edges(g.n, &a.tree.edges()))));
        }
        ls.set_bridges(bridges);
        let t0 = Instant::now();
        ls.push_all(&t, &mut rng);
        ls.run(&g, &mut t, &mut cost, &Budget::default());
        let mid = g.real(cost);
        let ms1 = t0.elapsed().as_millis();
        ls.set_protected(None);
        let mut passes = 0;
        loop {
            let before = cost;
            ls.push_all(&t, &mut rng);
            ls.run(&g, &mut t, &mut cost, &Budget::default());
            passes += 1;
            if cost == before || passes > 20 {
                break;
            }
        }
        eprintln!(
            "{name:28} start {c0:>10} -> {mid:>10} ({ms1} ms) -> {:>10} in {} ms, {passes} passes",
            g.real(cost),
            t0.elapsed().as_millis()
        );
    }
}

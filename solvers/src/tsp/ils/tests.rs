use super::*;
use crate::engine::NoObserver;
use crate::tsp::exact::solve_exact;
use crate::tsp::tour::tests::random_inst;
use quotient_problems::tsp::{check, read_tsplib};
use rand::{Rng, SeedableRng};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The greedy tour taken to a local optimum of `params`, with its cost (checked from scratch).
/// Don't-look bits may leave a move whose edges changed after its `t1` was checked: whole
/// passes run until one finds nothing.
fn local_optimum(g: &Graph<'_>, params: LsParams, rng: &mut impl Rng) -> (Tour, i64) {
    let mut t = Tour::new(construct::greedy(g, &Budget::default()));
    let mut cost = t.cost(g);
    let mut ls = LocalSearch::new(g.n, params);
    loop {
        let before = cost;
        ls.push_all(&t, rng);
        ls.run(g, &mut t, &mut cost, &Budget::default());
        if cost == before {
            break;
        }
    }
    assert_eq!(cost, t.cost(g));
    (t, cost)
}

fn bench_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench");
    if d.exists() {
        Some(d)
    } else {
        println!("SKIPPED: ../shared/bench not found");
        None
    }
}

/// The instance and its reference optimum.
fn bench(name: &str) -> Option<(TspInstance, f64)> {
    let dir = bench_dir()?;
    for sub in ["tsp", "atsp"] {
        for ext in ["tsp", "atsp"] {
            let p = dir.join(sub).join(format!("{name}.{ext}"));
            if let Ok(text) = std::fs::read_to_string(&p) {
                let inst = read_tsplib(&text).unwrap();
                let csv = std::fs::read_to_string(dir.join(sub).join("optimal.csv")).unwrap();
                let opt = csv
                    .lines()
                    .find_map(|l| {
                        let f: Vec<&str> = l.split(',').collect();
                        (f[0] == name).then(|| f[3].trim().parse::<f64>().unwrap())
                    })
                    .unwrap();
                return Some((inst, opt));
            }
        }
    }
    panic!("{name} not found");
}

/// Check a result with the independent checker; returns the objective.
fn checked(inst: &TspInstance, r: &SolveResult<TspSolution>) -> f64 {
    let sol = r.solution.as_ref().expect("a solution");
    let rep = check(inst, sol);
    assert!(rep.violations.is_empty(), "{:?}", rep.violations);
    assert_eq!(r.objective, Some(rep.objective), "reported objective");
    rep.objective
}

/// The Lin–Kernighan moves in turn (3-opt, 2-opt chains, 5-opt, 4-opt), two cases each.
fn both_moves(case: usize) -> (LkMove, usize) {
    match case % 8 {
        0 | 1 => (LkMove::ThreeOpt, 5),
        2 | 3 => (LkMove::TwoOptChain, 5),
        4 | 5 => (LkMove::FiveOpt, 5),
        _ => (LkMove::FiveOpt, 4),
    }
}

#[test]
fn local_search_and_kicks_keep_cost_equal_to_recomputation() {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    for case in 0..60 {
        let atsp = case % 2 == 1;
        let n = rng.random_range(9..80);
        let mut inst = random_inst(n, atsp, &mut rng);
        if case % 3 == 0 {
            inst.fixed_edges = vec![(0, 1), (2, 5)];
        }
        // Some symmetric cases take SoftDist lists and heatmap-biased kicks.
        let scored = case % 6 == 2;
        let order = if scored {
            super::super::graph::CandidateOrder::SoftDist(1.0)
        } else {
            Default::default()
        };
        let g = Graph::with_options(&inst, 6, case % 4 == 0, &order).unwrap();
        assert_eq!(g.edge_score(0, 1).is_some(), scored, "case {case}");
        let mut order = construct::greedy(&g, &Budget::default());
        if case % 5 == 0 {
            // A random start (still keeping the fixed edges for the moves' sake).
            use rand::seq::SliceRandom;
            if !g.has_fixed && !g.atsp {
                order.shuffle(&mut rng);
            }
        }
        let mut t = Tour::new(order);
        let mut cost = t.cost(&g);
        let params = LsParams {
            kick_tournament: if scored { 3 } else { 1 },
            lk3_breadth: if case % 4 == 1 { [4, 2, 1] } else { [1, 1, 1] },
            spatial_every: if case % 3 == 1 { 2 } else { 0 },
            ..case_params(&g, case)
        };
        let mut ls = LocalSearch::new(g.n, params);
        ls.push_all(&t, &mut rng);
        ls.run(&g, &mut t, &mut cost, &Budget::default());
        assert_eq!(cost, t.cost(&g), "case {case} after local search");
        for _ in 0..30 {
            if let Some(d) = ls.kick(&g, &mut t, &mut rng) {
                cost += d;
            }
            assert_eq!(cost, t.cost(&g), "case {case} after kick");
            ls.run(&g, &mut t, &mut cost, &Budget::default());
            assert_eq!(cost, t.cost(&g), "case {case} after local search");
        }
        for (a, b) in g.fixed_edges() {
            assert!(t.next(a) == b || t.prev(a) == b, "fixed edge lost");
        }
        assert!(cost < super::super::graph::BIG);
        let tour = from_working(&g, t.order());
        assert!(valid_tour(&inst, &tour));
        assert_eq!(tour_cost(&inst, &tour), cost);
    }
}

#[test]
fn ils_reaches_the_optimum_of_small_bench_instances() {
    for name in [
        "burma14", "eil51", "berlin52", "st70", "kroA100", "br17", "ftv33",
    ] {
        let Some((inst, opt)) = bench(name) else {
            return;
        };
        let budget = Budget::new(Some(Duration::from_secs(10))).with_target(Some(opt));
        let t0 = Instant::now();
        let r = solve(
            &inst,
            &budget,
            &NoObserver,
            &IlsOptions {
                seed: 3,
                ..Default::default()
            },
        );
        assert_eq!(checked(&inst, &r), opt, "{name}");
        println!("{name}: optimum in {:?}", t0.elapsed());
    }
}

#[test]
fn fixed_edges_are_kept_on_linhp318() {
    let Some((inst, _)) = bench("linhp318") else {
        return;
    };
    assert!(!inst.fixed_edges.is_empty());
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_millis(300))),
        &NoObserver,
        &IlsOptions::default(),
    );
    checked(&inst, &r);
}

#[test]
fn single_thread_with_seed_and_iteration_cap_is_deterministic() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for atsp in [false, true] {
        let inst = random_inst(120, atsp, &mut rng);
        let run = || {
            solve(
                &inst,
                &Budget::default().with_max_iterations(Some(300)),
                &NoObserver,
                &IlsOptions {
                    seed: 42,
                    ..Default::default()
                },
            )
        };
        let (a, b) = (run(), run());
        checked(&inst, &a);
        assert_eq!(a.solution, b.solution);
        assert_eq!(a.objective, b.objective);
    }
}

#[test]
fn cancel_is_honoured_within_50ms() {
    let inst = quotient_problems::tsp::uniform(3000, 4);
    let budget = Budget::new(Some(Duration::from_secs(60)));
    let b2 = budget.clone();
    let h = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        b2.cancel();
        Instant::now()
    });
    let r = solve(
        &inst,
        &budget,
        &NoObserver,
        &IlsOptions {
            threads: 2,
            ..Default::default()
        },
    );
    let done = Instant::now();
    let cancelled = h.join().unwrap();
    assert!(
        done.duration_since(cancelled) < Duration::from_millis(50),
        "stopped {:?} after the cancel",
        done.duration_since(cancelled)
    );
    checked(&inst, &r);
}

#[test]
fn warm_start_and_tiny_instances() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for n in 1..=9 {
        for atsp in [false, true] {
            let inst = random_inst(n, atsp, &mut rng);
            let r = solve(
                &inst,
                &Budget::default().with_max_iterations(Some(50)),
                &NoObserver,
                &IlsOptions::default(),
            );
            let obj = checked(&inst, &r);
            if n <= 8 {
                assert_eq!(r.status, Status::Optimal);
                assert_eq!(r.bound, Some(obj));
            }
        }
    }
    // A warm start that is already optimal comes back unchanged in cost.
    let inst = random_inst(30, false, &mut rng);
    let first = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(2000)),
        &NoObserver,
        &IlsOptions::default(),
    );
    let obj = checked(&inst, &first);
    let seen = std::sync::Mutex::new(Vec::new());
    let obs = |e: &Improvement<'_>| seen.lock().unwrap().push(e.objective);
    let again = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(1)),
        &obs,
        &IlsOptions {
            initial: first.solution.clone(),
            ..Default::default()
        },
    );
    assert!(checked(&inst, &again) <= obj);
    assert_eq!(seen.lock().unwrap().first(), Some(&obj));
}

#[test]
fn impossible_fixed_edges_are_infeasible() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut inst = random_inst(12, false, &mut rng);
    inst.fixed_edges = vec![(0, 1), (1, 2), (2, 0)];
    let r = solve(
        &inst,
        &Budget::default(),
        &NoObserver,
        &IlsOptions::default(),
    );
    assert_eq!(r.status, Status::Infeasible);
    let mut small = random_inst(5, false, &mut rng);
    small.fixed_edges = vec![(0, 1), (0, 2), (0, 3)];
    let r = solve(
        &small,
        &Budget::default(),
        &NoObserver,
        &IlsOptions::default(),
    );
    assert_eq!(r.status, Status::Infeasible);
}

#[test]
fn exact_proves_the_optimum() {
    for name in ["burma14", "ulysses16", "eil51", "br17"] {
        let Some((inst, opt)) = bench(name) else {
            return;
        };
        let t0 = Instant::now();
        let r = solve_exact(
            &inst,
            &Budget::new(Some(Duration::from_secs(30))),
            &NoObserver,
            1,
        );
        assert_eq!(r.status, Status::Optimal, "{name}: {:?}", r.message);
        assert_eq!(checked(&inst, &r), opt, "{name}");
        assert_eq!(r.bound, Some(opt));
        println!("{name}: proven in {:?} ({:?})", t0.elapsed(), r.message);
    }
}

#[test]
fn exact_on_random_instances_matches_enumeration_and_ils() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for case in 0..6 {
        let atsp = case % 2 == 1;
        let mut inst = random_inst(8, atsp, &mut rng);
        if case >= 4 {
            inst.fixed_edges = vec![(0, 3)];
        }
        let (_, best) = brute_force(&inst).unwrap();
        // n = 8 goes through enumeration; n = 12 through HiGHS with cuts.
        let r = solve_exact(&inst, &Budget::default(), &NoObserver, 1);
        assert_eq!(checked(&inst, &r), best as f64);
        let big = random_inst(12, atsp, &mut rng);
        let e = solve_exact(
            &big,
            &Budget::new(Some(Duration::from_secs(20))),
            &NoObserver,
            1,
        );
        assert_eq!(e.status, Status::Optimal);
        let h = solve(
            &big,
            &Budget::default().with_max_iterations(Some(3000)),
            &NoObserver,
            &IlsOptions::default(),
        );
        assert!(checked(&big, &h) >= checked(&big, &e));
    }
}

/// The graph of `inst` with its 5 alpha-nearest lists, and the ascent.
fn alpha_graph(inst: &TspInstance) -> (Graph<'_>, Ascent) {
    let mut g = Graph::fixed_only(inst).unwrap();
    let a = alpha::ascent(&g, &Budget::default(), None).unwrap();
    let c = alpha::candidates(&g, &a, 5, &Budget::default()).unwrap();
    g.set_ranked_candidates(c, 5);
    (g, a)
}

/// The local search's parameters for test case `case` (the move of [`both_moves`]).
fn case_params(g: &Graph<'_>, case: usize) -> LsParams {
    LsParams {
        lk_move: both_moves(case).0,
        kopt_k: both_moves(case).1,
        ..LsParams::for_graph(g)
    }
}

#[test]
fn alpha_lists_keep_local_search_costs_equal_to_recomputation() {
    // Alpha-ordered lists are scanned whole (no cut at the first non-positive g1): the moves
    // stay exact, fixed edges stay.
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    for case in 0..30 {
        let atsp = case % 2 == 1;
        let n = rng.random_range(9..70);
        let mut inst = random_inst(n, atsp, &mut rng);
        if case % 3 == 0 {
            inst.fixed_edges = vec![(0, 1), (2, 5)];
        }
        let (g, a) = alpha_graph(&inst);
        assert!(!g.by_cost);
        let mut t = Tour::new(construct::greedy(&g, &Budget::default()));
        let mut cost = t.cost(&g);
        let params = case_params(&g, case);
        let mut ls = LocalSearch::new(g.n, params);
        ls.push_all(&t, &mut rng);
        ls.run(&g, &mut t, &mut cost, &Budget::default());
        assert_eq!(cost, t.cost(&g), "case {case} after local search");
        for _ in 0..30 {
            if let Some(d) = ls.kick(&g, &mut t, &mut rng) {
                cost += d;
            }
            ls.run(&g, &mut t, &mut cost, &Budget::default());
            assert_eq!(cost, t.cost(&g), "case {case} after kick + local search");
        }
        for (x, y) in g.fixed_edges() {
            assert!(t.next(x) == y || t.prev(x) == y, "fixed edge lost");
        }
        let tour = from_working(&g, t.order());
        assert!(valid_tour(&inst, &tour));
        assert_eq!(tour_cost(&inst, &tour), cost);
        assert!(a.bound.unwrap() <= cost, "case {case}: bound over a tour");
    }
}

#[test]
fn ils_reports_the_held_karp_bound_and_its_choice_of_lists() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    for atsp in [false, true] {
        let inst = random_inst(40, atsp, &mut rng);
        let seen = std::sync::Mutex::new(Vec::new());
        let obs = |e: &Improvement<'_>| seen.lock().unwrap().push(e.bound);
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(2))).with_max_iterations(Some(2000)),
            &obs,
            &IlsOptions::default(),
        );
        let obj = checked(&inst, &r);
        let bound = r.bound.expect("a bound");
        assert!(bound <= obj);
        assert_eq!(r.status == Status::Optimal, bound == obj);
        let msg = r.message.unwrap();
        let lists = if atsp {
            "nearest lists (alpha lists lost on ATSP)"
        } else {
            "alpha lists (5 per node"
        };
        assert!(msg.starts_with(lists), "{msg}");
        assert!(msg.contains(&format!("Held-Karp bound {bound}")), "{msg}");
        assert_eq!(seen.lock().unwrap().last(), Some(&Some(bound)));
        // Off: the distance lists, no bound, and the message says so.
        let r = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(200)),
            &NoObserver,
            &IlsOptions {
                alpha: Some(false),
                ..Default::default()
            },
        );
        checked(&inst, &r);
        assert_eq!(r.bound, None);
        assert!(r.message.unwrap().contains("alpha lists off"));
    }
    // The automatic choice by size, time limit and move.
    let s = |x: u64| Some(Duration::from_secs(x));
    for m in [LkMove::TwoOptChain, LkMove::ThreeOpt] {
        assert!(alpha_pays(1000, s(10), m, false));
        assert!(alpha_pays(300, s(1), m, false));
        assert!(!alpha_pays(500, s(1), m, false));
        assert!(alpha_pays(ALPHA_MAX_N, None, m, false));
    }
    assert!(!alpha_pays(1100, s(10), LkMove::TwoOptChain, false));
    assert!(alpha_pays(1577, s(10), LkMove::ThreeOpt, false));
    assert!(alpha_pays(2103, s(10), LkMove::ThreeOpt, false));
    assert!(!alpha_pays(2392, s(10), LkMove::ThreeOpt, false));
    let two = LkMove::TwoOptChain;
    assert!(!alpha_pays(ALPHA_MAX_N + 1, None, two, false));
    assert!(!alpha_pays(ALPHA_MAX_N + 1, s(100_000), two, false));
    assert!(!alpha_pays(3038, s(60), two, false));
    let three = LkMove::ThreeOpt;
    assert!(alpha_pays(3038, s(60), three, false));
    assert!(alpha_pays(5915, s(60), three, false));
    assert!(!alpha_pays(3038, s(10), three, false));
    assert!(alpha_pays(ALPHA_MAX_N_3OPT, None, three, false));
    assert!(!alpha_pays(ALPHA_MAX_N_3OPT + 1, s(100_000), three, false));
    // Above that, with the sparse ascent (coordinates): by the sparse rule, never with 2-opt.
    assert!(alpha_pays(10_000, s(30), three, true));
    assert!(!alpha_pays(10_000, s(20), three, true));
    assert!(alpha_pays(100_000, s(300), three, true));
    assert!(alpha_pays(100_000, None, three, true));
    assert!(!alpha_pays(10_000, s(100), two, true));
    // At or below ALPHA_MAX_N_3OPT the dense rule decides, sparse or not.
    assert!(!alpha_pays(5915, s(20), three, true));
}

#[test]
fn ils_with_alpha_lists_reaches_small_optima_and_bounds_them() {
    for name in ["eil51", "st70", "kroA100", "linhp318", "br17", "ftv33"] {
        let Some((inst, opt)) = bench(name) else {
            return;
        };
        // linhp318's reference is the path: the tour adds the fixed edge.
        let opt = opt
            + inst
                .fixed_edges
                .iter()
                .map(|&(a, b)| inst.dist(a, b) as f64)
                .sum::<f64>();
        let budget = Budget::new(Some(Duration::from_secs(20))).with_target(Some(opt));
        let r = solve(
            &inst,
            &budget,
            &NoObserver,
            &IlsOptions {
                alpha: Some(true),
                ..Default::default()
            },
        );
        let obj = checked(&inst, &r);
        let bound = r.bound.expect("a bound");
        println!(
            "{name}: {obj} (optimum {opt}), bound {bound}: {:?}",
            r.message
        );
        assert!(bound <= opt, "{name}: bound {bound} over the optimum {opt}");
        if name != "linhp318" {
            assert_eq!(obj, opt, "{name}");
        }
    }
}

/// After the 3-opt local search has emptied its queue, no sequential 2-opt or 3-opt move that
/// its gain criterion admits (`t3` a candidate of `t2` with `g1 > 0`, `t5` a candidate of `t4`
/// with `g3 > 0`) improves the tour: checked by enumerating all of them independently, with
/// the gain of each recomputed from the whole tour.
#[test]
fn three_opt_local_search_leaves_no_improving_candidate_move() {
    let mut rng = ChaCha8Rng::seed_from_u64(41);
    let mut checked_moves = 0usize;
    for case in 0..24 {
        let atsp = case % 3 == 2;
        let n = rng.random_range(12..60);
        let mut inst = random_inst(n, atsp, &mut rng);
        if case % 4 == 1 {
            inst.fixed_edges = vec![(0, 1), (3, 7)];
        }
        let g = Graph::with_options(&inst, 6, case % 2 == 0, &Default::default()).unwrap();
        // Half the cases backtrack over several non-improving moves at the first levels.
        let params = LsParams {
            lk_move: LkMove::ThreeOpt,
            lk3_breadth: if case % 2 == 1 { [3, 2, 1] } else { [1, 1, 1] },
            ..LsParams::for_graph(&g)
        };
        let (t, cost) = local_optimum(&g, params, &mut rng);
        let free = |a: usize, b: usize| !g.is_fixed(a, b);
        let adjacent = |a: usize, b: usize| t.next(a) == b || t.prev(a) == b;
        for t1 in 0..g.n {
            for fwd in [true, false] {
                let t2 = t.step(t1, fwd);
                if !free(t1, t2) {
                    continue;
                }
                for t3 in g.cands(t2) {
                    let g1 = g.d(t1, t2) - g.d(t2, t3);
                    if g1 <= 0 || adjacent(t2, t3) {
                        continue;
                    }
                    for after in [false, true] {
                        let t4 = t.step(t3, after == fwd);
                        if t4 == t1 || !free(t3, t4) {
                            continue;
                        }
                        if !after {
                            let mut u = t.clone();
                            u.two_opt_move(t1, t2, t4, t3);
                            checked_moves += 1;
                            assert!(u.cost(&g) >= cost, "case {case}: improving 2-opt left");
                        }
                        for t5 in g.cands(t4) {
                            let g3 = g1 + g.d(t3, t4) - g.d(t4, t5);
                            if g3 <= 0 || t5 == t1 || adjacent(t4, t5) {
                                continue;
                            }
                            let (r3, r4, r5) =
                                (t.rel(t1, t3, fwd), t.rel(t1, t4, fwd), t.rel(t1, t5, fwd));
                            let mut t6s = Vec::new();
                            if !after {
                                t6s.push(t.step(t5, (r5 < r4) == fwd));
                            } else if r5 < r3 {
                                t6s.push(t.step(t5, fwd));
                                if r5 > 1 {
                                    t6s.push(t.step(t5, !fwd));
                                }
                            }
                            for t6 in t6s {
                                if t6 == t2 || !free(t5, t6) {
                                    continue;
                                }
                                let mut u = t.clone();
                                u.three_opt_move([t1, t2, t3, t4, t5, t6], &mut Vec::new());
                                checked_moves += 1;
                                assert!(u.cost(&g) >= cost, "case {case}: improving 3-opt left");
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked_moves > 2000, "{checked_moves}");
}

#[test]
fn transformed_costs_keep_tours_and_gains_exact() {
    // Under the ascent's penalties every move's gain is PREC times its gain on the costs: the
    // tracked cost stays equal to the recomputed transformed cost, and `real` gives back the
    // tour's cost as the checker computes it.
    let mut rng = ChaCha8Rng::seed_from_u64(43);
    for case in 0..24 {
        let n = rng.random_range(9..90);
        let mut inst = random_inst(n, false, &mut rng);
        if case % 3 == 0 {
            inst.fixed_edges = vec![(0, 1), (2, 5)];
        }
        let (mut g, a) = alpha_graph(&inst);
        assert!(
            !g.set_penalties(&a.pi[1..]),
            "penalties not one per node are refused"
        );
        assert!(g.set_penalties(&a.pi));
        let mut t = Tour::new(construct::greedy(&g, &Budget::default()));
        let mut cost = t.cost(&g);
        let offset: i64 = 2 * a.pi.iter().sum::<i64>();
        let params = case_params(&g, case);
        let mut ls = LocalSearch::new(g.n, params);
        ls.push_all(&t, &mut rng);
        ls.run(&g, &mut t, &mut cost, &Budget::default());
        for _ in 0..20 {
            if let Some(d) = ls.kick(&g, &mut t, &mut rng) {
                cost += d;
            }
            ls.run(&g, &mut t, &mut cost, &Budget::default());
            assert_eq!(cost, t.cost(&g), "case {case}: tracked vs recomputed");
            let tour = from_working(&g, t.order());
            assert_eq!(
                cost,
                alpha::PREC * tour_cost(&inst, &tour) + offset,
                "case {case}"
            );
            assert_eq!(g.real(cost), tour_cost(&inst, &tour), "case {case}");
        }
        for (x, y) in g.fixed_edges() {
            assert!(t.next(x) == y || t.prev(x) == y, "fixed edge lost");
        }
    }
    // An ATSP working graph keeps its costs.
    let inst = random_inst(12, true, &mut rng);
    let mut g = Graph::fixed_only(&inst).unwrap();
    let n = g.n;
    assert!(!g.set_penalties(&vec![1; n]));
    // The solver with them: checked tours, the bound below, the message says so.
    let inst = quotient_problems::tsp::clustered(400, 8, 5);
    for pi_costs in [false, true] {
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(5))).with_max_iterations(Some(400)),
            &NoObserver,
            &IlsOptions {
                alpha: Some(true),
                pi_costs: Some(pi_costs),
                ..Default::default()
            },
        );
        let obj = checked(&inst, &r);
        assert!(r.bound.is_some_and(|b| b <= obj));
        let msg = r.message.unwrap_or_default();
        assert_eq!(msg.contains("transformed costs"), pi_costs, "{msg}");
    }
}

/// The measurement options (alpha lists with nearest + quadrant neighbours mixed in, 3-opt
/// chains with backtracking, spatial double bridges, the ascent with and without its
/// compressed schedule, 5-opt first descents) give checked tours, and the message says when lists were
/// mixed and which move the first descents take.
#[test]
fn measurement_options_give_checked_tours() {
    let inst = quotient_problems::tsp::clustered(300, 6, 3);
    for (mix, breadth, spatial, compress, first) in [
        (Some(3), Some([3, 2, 1]), Some(3), Some(true), None),
        (
            Some(0),
            Some([1, 1, 1]),
            Some(1),
            Some(false),
            Some(LkMove::FiveOpt),
        ),
    ] {
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(5))).with_max_iterations(Some(300)),
            &NoObserver,
            &IlsOptions {
                alpha: Some(true),
                alpha_mix: mix,
                lk3_breadth: breadth,
                kick_spatial: spatial,
                ascent_compress: compress,
                first_move: first,
                first_depth: first.map(|_| 100),
                ..Default::default()
            },
        );
        let obj = checked(&inst, &r);
        assert!(r.bound.is_some_and(|b| b <= obj));
        let msg = r.message.unwrap_or_default();
        assert_eq!(msg.contains("nearest/quadrant"), mix == Some(3), "{msg}");
        assert_eq!(
            msg.contains(
                "first descents from constructed tours with 5-opt moves in chains of up to 100"
            ),
            first.is_some(),
            "{msg}"
        );
    }
}

/// After the k-opt local search (k = 4 or 5) has emptied its queue, no sequential k'-opt move
/// (k' = 2..=k) that its gain criterion admits (`t(2i+1)` among the first 5 candidates of
/// `t(2i)` with a positive partial gain, `t(2i+2)` either tour neighbour, no edge removed or
/// added twice) and that makes a tour improves it: enumerated independently, each applied to a
/// copy and its cost recomputed from the whole tour.
#[test]
fn kopt_local_search_leaves_no_improving_candidate_move() {
    #[allow(clippy::too_many_arguments)]
    fn enumerate(
        g: &Graph<'_>,
        t: &Tour,
        ts: &mut Vec<usize>,
        g0: i64,
        k: usize,
        cost: i64,
        seen: &mut usize,
        case: usize,
    ) {
        let i = ts.len() / 2;
        let (t1, t2) = (ts[0], ts[2 * i - 1]);
        let adjacent = |a: usize, b: usize| t.next(a) == b || t.prev(a) == b;
        let same =
            |a: usize, b: usize, x: usize, y: usize| (a == x && b == y) || (a == y && b == x);
        for t3 in g.cands(t2).take(5) {
            let g1 = g0 - g.d(t2, t3);
            if g1 <= 0 || t3 == t1 || adjacent(t2, t3) {
                continue;
            }
            if (0..i - 1).any(|j| same(ts[2 * j + 1], ts[2 * j + 2], t2, t3)) {
                continue;
            }
            for t4 in [t.next(t3), t.prev(t3)] {
                if t4 == t1 || g.is_fixed(t3, t4) {
                    continue;
                }
                if (0..i).any(|j| same(ts[2 * j], ts[2 * j + 1], t3, t4)) {
                    continue;
                }
                ts.push(t3);
                ts.push(t4);
                if t4 != t2 && t.k_opt_valid(ts) {
                    let mut u = t.clone();
                    let mut log = Default::default();
                    assert!(u.k_opt_move(ts, &mut log));
                    *seen += 1;
                    assert!(
                        u.cost(g) >= cost,
                        "case {case}: improving {}-opt move {ts:?} left",
                        ts.len() / 2
                    );
                }
                if i + 1 < k {
                    enumerate(g, t, ts, g1 + g.d(t3, t4), k, cost, seen, case);
                }
                ts.truncate(2 * i);
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(43);
    let mut seen = 0usize;
    for case in 0..12 {
        let atsp = case % 3 == 2;
        let n = rng.random_range(12..40);
        let mut inst = random_inst(n, atsp, &mut rng);
        if case % 4 == 1 {
            inst.fixed_edges = vec![(0, 1), (3, 7)];
        }
        let g = Graph::with_options(&inst, 6, case % 2 == 0, &Default::default()).unwrap();
        let k = if case % 2 == 0 { 5 } else { 4 };
        let params = LsParams {
            lk_move: LkMove::FiveOpt,
            kopt_k: k,
            kopt_breadth: 5,
            ..LsParams::for_graph(&g)
        };
        let (t, cost) = local_optimum(&g, params, &mut rng);
        for t1 in 0..g.n {
            for fwd in [true, false] {
                let t2 = t.step(t1, fwd);
                if g.is_fixed(t1, t2) {
                    continue;
                }
                let mut ts = vec![t1, t2];
                enumerate(&g, &t, &mut ts, g.d(t1, t2), k, cost, &mut seen, case);
            }
        }
    }
    assert!(seen > 2000, "{seen}");
}

/// `tsp.ils` with the 5-opt (and 4-opt) move: optimal on small bench instances within a few
/// seconds, tours through the checker, the message names the move.
#[test]
fn five_opt_ils_reaches_small_optima() {
    for (name, k) in [("eil51", 5), ("berlin52", 4), ("kroA100", 5), ("ftv33", 5)] {
        let Some((inst, opt)) = bench(name) else {
            return;
        };
        let budget = Budget::new(Some(Duration::from_secs(10))).with_target(Some(opt));
        let r = solve(
            &inst,
            &budget,
            &NoObserver,
            &IlsOptions {
                seed: 3,
                lk_move: Some(LkMove::FiveOpt),
                kopt_k: Some(k),
                ..Default::default()
            },
        );
        assert_eq!(checked(&inst, &r), opt, "{name}");
        let msg = r.message.unwrap_or_default();
        assert!(msg.contains(&format!("{k}-opt moves")), "{msg}");
    }
}

/// The number that follows `marker` in a solve's message.
fn number_after(msg: &str, marker: &str) -> Option<usize> {
    msg.split(marker)
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
}

/// Walkers merged by partition crossover: checked tours (TSP, ATSP, fixed edges) whose
/// reported improvements only go down, merges that find better children on a clustered
/// instance, and the iteration budget shared over the epochs.
#[test]
fn walkers_give_checked_tours_and_merge() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for case in 0..6 {
        let mut inst = random_inst(40 + 20 * case, case % 3 == 1, &mut rng);
        if case % 3 == 2 {
            inst.fixed_edges = vec![(0, 1), (2, 5)];
        }
        let seen = std::sync::Mutex::new(Vec::new());
        let observer = |e: &Improvement<'_>| seen.lock().unwrap().push(e.objective);
        let r = solve(
            &inst,
            &Budget::new(None).with_max_iterations(Some(600)),
            &observer,
            &IlsOptions {
                walkers: Some(3),
                epochs: Some(4),
                seed: case as u64,
                // Noisy greedy starts for the walkers after the first, every other case.
                start_noise: Some(if case % 2 == 0 { 0.0 } else { 0.3 }),
                ..Default::default()
            },
        );
        let obj = checked(&inst, &r);
        let seen = seen.into_inner().unwrap();
        // The held-karp line repeats the final objective with its bound.
        let mut strict: Vec<f64> = seen.clone();
        strict.dedup();
        assert!(strict.windows(2).all(|w| w[1] < w[0]), "{seen:?}");
        assert_eq!(seen.last().copied(), Some(obj));
        let msg = r.message.unwrap_or_default();
        assert!(msg.contains("3 walker(s) merged"), "{msg}");
    }
    let inst = quotient_problems::tsp::clustered(400, 8, 5);
    // Trial starts (alpha lists): checked tours, and the epochs do start from trial walks.
    for (trial, least) in [(TrialStarts::Every, 3), (TrialStarts::Stuck, 0)] {
        let r = solve(
            &inst,
            &Budget::new(None).with_max_iterations(Some(2000)),
            &NoObserver,
            &IlsOptions {
                walkers: Some(3),
                epochs: Some(4),
                alpha: Some(true),
                trial: Some(trial),
                ..Default::default()
            },
        );
        checked(&inst, &r);
        let msg = r.message.unwrap_or_default();
        let trials = number_after(&msg, "shaken, ");
        assert!(trials.is_some_and(|t| t >= least), "{msg}");
    }
    // A clustered instance where the walkers' tours differ: some merge gives a better tour.
    let r = solve(
        &inst,
        &Budget::new(None).with_max_iterations(Some(3000)),
        &NoObserver,
        &IlsOptions {
            walkers: Some(4),
            epochs: Some(6),
            alpha: Some(false),
            ..Default::default()
        },
    );
    checked(&inst, &r);
    let msg = r.message.unwrap_or_default();
    let better = number_after(&msg, "partition crossover: ").unwrap_or(0);
    assert!(better >= 1, "{msg}");
    // The epochs share the iteration cap exactly (no bound without the ascent: no early stop).
    assert!(msg.contains("; 3000 iterations"), "{msg}");
    // Two threads: the walkers of a round side by side, by time.
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_millis(600))),
        &NoObserver,
        &IlsOptions {
            walkers: Some(4),
            threads: 2,
            alpha: Some(false),
            ..Default::default()
        },
    );
    checked(&inst, &r);
    let msg = r.message.unwrap_or_default();
    assert!(msg.contains("4 walker(s) merged"), "{msg}");
}

/// The learned ascent's warm start (`held_karp` / `IlsOptions::ascent_start`): every bound is
/// below the optimum (HiGHS with cuts); a start of the wrong length or of zeros is exactly the
/// cold ascent; a start shifted by a constant (which leaves `W(pi)` unchanged) gives the same
/// bound and steps, its penalties shifted by that constant; `tsp.ils` warm-started returns a
/// checked tour and says where its ascent started.
#[test]
fn ascent_warm_start_is_a_bound_and_shift_invariant() {
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    for case in 0..6 {
        let n = rng.random_range(10..14);
        let inst = random_inst(n, false, &mut rng);
        let opt = solve_exact(
            &inst,
            &Budget::new(Some(Duration::from_secs(20))),
            &NoObserver,
            1,
        );
        assert_eq!(opt.status, Status::Optimal, "case {case}");
        let opt = checked(&inst, &opt);
        let b = Budget::default();
        let cold = held_karp(&inst, &b, None, None).unwrap();
        assert!(!cold.warm);
        assert!(cold.bound as f64 <= opt, "case {case}");
        for junk in [vec![5.0; n + 1], vec![0.0; n]] {
            let j = held_karp(&inst, &b, None, Some(&junk)).unwrap();
            assert_eq!(
                j, cold,
                "case {case}: a start that cannot help is the cold ascent"
            );
        }
        let warm = held_karp(&inst, &b, None, Some(&cold.pi)).unwrap();
        assert!(warm.bound as f64 <= opt, "case {case}");
        let shifted: Vec<f64> = cold.pi.iter().map(|p| p + 7.0).collect();
        let w2 = held_karp(&inst, &b, None, Some(&shifted)).unwrap();
        assert_eq!(
            (w2.bound, w2.iterations, w2.warm),
            (warm.bound, warm.iterations, warm.warm)
        );
        for (a, c) in w2.pi.iter().zip(&warm.pi) {
            assert!(
                (a - c - if warm.warm { 7.0 } else { 0.0 }).abs() < 1e-9,
                "case {case}"
            );
        }
        let opts = IlsOptions {
            alpha: Some(true),
            ascent_start: Some(Arc::new(cold.pi.clone())),
            walkers: Some(0),
            ..Default::default()
        };
        let r = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(200)),
            &NoObserver,
            &opts,
        );
        let cost = checked(&inst, &r);
        assert!(cost >= opt - 1e-9);
        let msg = r.message.unwrap_or_default();
        assert!(msg.contains("ascent from"), "case {case}: {msg}");
    }
    // An ATSP instance: no ascent of its own here.
    assert!(
        held_karp(
            &random_inst(12, true, &mut rng),
            &Budget::default(),
            None,
            None
        )
        .is_none()
    );
}

/// Above `ALPHA_SPARSE_MIN_N` nodes the alpha lists come from the sparse ascent: said in the
/// message, a bound at most the (checked) tour's cost, and the lists drawn from the sparse
/// graph: clustered (whose nearest lists alone may not connect) and uniform; the first descents
/// take the 5-opt move.
#[test]
fn large_instances_take_the_sparse_ascent() {
    const _: () = assert!(FIRST_5OPT_MIN_N <= ALPHA_SPARSE_MIN_N);
    let n = ALPHA_SPARSE_MIN_N + 500;
    for inst in [
        quotient_problems::tsp::clustered(n, n / 100, 7),
        quotient_problems::tsp::uniform(n, 7),
    ] {
        let budget = Budget::new(Some(Duration::from_secs(4)));
        let r = solve(
            &inst,
            &budget,
            &NoObserver,
            &IlsOptions {
                alpha: Some(true),
                ..Default::default()
            },
        );
        let cost = checked(&inst, &r);
        let msg = r.message.clone().unwrap_or_default();
        assert!(
            msg.contains("alpha lists") && msg.contains("sparse ascent"),
            "{msg}"
        );
        // Above FIRST_5OPT_MIN_N nodes the first descents take the 5-opt move by default.
        assert!(
            msg.contains("3-opt moves (the default), the first descents from constructed tours with 5-opt moves"),
            "{msg}"
        );
        let b = r.bound.expect("a bound below SPARSE_BOUND_MAX_N nodes");
        // The tour may be little more than the greedy one on a slow build (the check-deltas
        // run), the bound at least the 1-tree over all pairs under no penalties (about 0.9 of the
        // optimum on uniform instances, less on clustered ones).
        assert!(b <= cost && b > 0.6 * cost, "bound {b}, tour {cost}: {msg}");
    }
}

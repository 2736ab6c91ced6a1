#![allow(clippy::unwrap_used)]

use super::data::Data;
use super::ls::{Move, Prefix, evaluate, local_search, scratch};
use super::recreate::{insertion_delta, insertion_delta_scratch, recreate};
use super::ruin::{SisrParams, ruin};
use super::state::State;
use super::*;
use crate::engine::{Budget, Improvement, Status};
use quotient_problems::cvrp::{
    CustomerPos, CvrpWeights, DemandKind, DepotPos, XParams, check, read_cvrplib, uniform, x_style,
};
use rand::Rng;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Small random instances of every kind the deltas must handle: rounded (X-style), unrounded
/// (uniform), with a route-length limit and service time, and an asymmetric explicit matrix.
fn instances() -> Vec<CvrpInstance> {
    let mut out = Vec::new();
    let demands = [
        DemandKind::Unitary,
        DemandKind::SmallLargeVar,
        DemandKind::LargeSmallVar,
        DemandKind::ManySmallFewLarge,
    ];
    for (s, demand) in demands.into_iter().enumerate() {
        let params = XParams {
            n: 25 + 10 * s,
            depot: if s % 2 == 0 {
                DepotPos::Central
            } else {
                DepotPos::Eccentric
            },
            customers: if s < 2 {
                CustomerPos::Random
            } else {
                CustomerPos::Clustered
            },
            demand,
            route_size: 4.0 + 2.0 * s as f64,
        };
        out.push(x_style(params, 11 + s as u64));
    }
    out.push(uniform(30, 30, 5));
    // With a route-length limit and service time.
    for base in [out[1].clone(), out[4].clone()] {
        let mut i = base;
        let service = if matches!(
            i.weights,
            CvrpWeights::Coords {
                rounding: quotient_problems::cvrp::Rounding::Exact,
                ..
            }
        ) {
            0.05
        } else {
            10.0
        };
        i.service_time = Some(service);
        let worst = (1..i.n())
            .map(|c| i.dist(0, c) + i.dist(c, 0) + service)
            .fold(0.0, f64::max);
        i.distance_limit = Some(worst * 1.6);
        out.push(i);
    }
    // Asymmetric explicit matrix.
    let n = 20;
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let matrix = (0..n * n)
        .map(|k| {
            if k / n == k % n {
                0.0
            } else {
                f64::from(rng.random_range(1..100))
            }
        })
        .collect();
    let mut demands: Vec<i64> = (0..n).map(|_| rng.random_range(1..10)).collect();
    demands[0] = 0;
    out.push(CvrpInstance {
        name: "asym".into(),
        comment: String::new(),
        capacity: 30,
        demands,
        weights: CvrpWeights::Matrix { n, matrix },
        distance_limit: Some(400.0),
        service_time: None,
        vehicles: None,
        display: None,
    });
    out
}

fn data(inst: &CvrpInstance) -> Data<'_> {
    let mut d = Data::new(inst, &Budget::default(), 60, 12).unwrap();
    d.cross = true;
    d.swap_star = true;
    d
}

/// A random move of any kind: a granular one (cross-exchange included) or a SWAP* with random
/// insertion points (often not applicable, which the twins must agree on too).
fn random_move(d: &Data<'_>, st: &State, rng: &mut ChaCha8Rng) -> Move {
    let u = rng.random_range(1..d.n) as u32;
    let v = if rng.random_bool(0.5) {
        d.near[u as usize][rng.random_range(0..d.granular)]
    } else {
        rng.random_range(1..d.n) as u32
    };
    if rng.random_bool(0.8) {
        return Move::nth(rng.random_range(0..Move::KINDS), u, v);
    }
    // Insertion points: mostly customers of the right route, sometimes anything.
    let mut after = |x: u32| -> u32 {
        let nodes = &st.routes[st.route_of[x as usize] as usize].nodes;
        match rng.random_range(0..10) {
            0 => 0,
            1 => rng.random_range(0..d.n) as u32,
            _ => nodes[rng.random_range(0..nodes.len())],
        }
    };
    let (u_after, v_after) = (after(v), after(u));
    Move::SwapStar {
        u,
        v,
        u_after,
        v_after,
    }
}

/// A state from savings shaken by a few ruin-and-recreate rounds: feasible, or (`penalised`)
/// under a low capacity penalty, so that some routes are usually overloaded.
fn random_state(d: &Data<'_>, rng: &mut ChaCha8Rng, penalised: bool) -> State {
    let sol = savings::solve(d.inst, &Budget::default(), &NoObserver)
        .solution
        .unwrap();
    let routes = sol
        .routes
        .iter()
        .map(|r| r.iter().map(|&c| c as u32).collect())
        .collect();
    let mut st = State::from_routes(d, routes);
    if penalised {
        st.penalty = Some(0.05 * super::penalty::Policy::new(d, 0.2, 0.45).start);
        st.update_cost(d);
    }
    let rounds = rng.random_range(0..20) + if penalised { 5 } else { 0 };
    for _ in 0..rounds {
        ruin(d, &mut st, rng, &SisrParams::default());
        recreate(d, &mut st, rng, &SisrParams::default());
    }
    st
}

fn assert_checked(inst: &CvrpInstance, routes: &[Vec<usize>], cost: f64) {
    let rep = check(
        inst,
        &CvrpSolution {
            routes: routes.to_vec(),
        },
    );
    assert!(rep.is_feasible(), "{}: {:?}", inst.name, rep.violations);
    assert!(
        (rep.objective - cost).abs() <= 1e-6 * cost.abs().max(1.0),
        "{} vs {cost}",
        rep.objective
    );
}

#[test]
fn move_deltas_match_recomputation() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut compared, mut feasible_seen, mut infeasible_seen) = (0usize, 0usize, 0usize);
    // Feasible moves compared per kind: basic granular, cross-exchange, SWAP*.
    let mut seen_kinds = [0usize; 3];
    // Penalised states with an overloaded route.
    let mut overloaded_seen = 0usize;
    for inst in instances() {
        let d = data(&inst);
        for round in 0..6 {
            let mut st = random_state(&d, &mut rng, round % 2 == 1);
            overloaded_seen += usize::from(st.excess > 0);
            let mut pre = Prefix::new(&d, &st);
            for _ in 0..2500 {
                let mv = random_move(&d, &st, &mut rng);
                let fast = evaluate(&d, &st, &pre, mv);
                let Some((delta, feasible)) = scratch(&d, &st, mv) else {
                    assert!(fast.is_none(), "{mv:?} priced but not applicable");
                    continue;
                };
                compared += 1;
                let kind = match mv {
                    Move::Cross { .. } => 1,
                    Move::SwapStar { .. } => 2,
                    _ => 0,
                };
                seen_kinds[kind] += usize::from(fast.is_some());
                match fast {
                    Some(f) => {
                        assert!(feasible, "{}: {mv:?} priced as feasible", inst.name);
                        assert!(
                            (f - delta).abs() <= 1e-7 * delta.abs().max(1.0),
                            "{mv:?}: {f} vs {delta}"
                        );
                        feasible_seen += 1;
                        // Apply now and then so that states drift.
                        if rng.random_bool(0.2) {
                            for (r, seq) in super::ls::new_routes(&d, &st, mv).unwrap() {
                                st.routes[r].nodes = seq;
                                st.refresh(&d, r);
                                pre.update(&d, &st, r);
                            }
                            st.update_cost(&d);
                        }
                    }
                    None => {
                        assert!(!feasible, "{}: {mv:?} feasible but refused", inst.name);
                        infeasible_seen += 1;
                    }
                }
            }
            st.compact();
            st.consistent(&d).unwrap();
        }
    }
    assert!(
        compared > 20_000 && feasible_seen > 2_000 && infeasible_seen > 500,
        "{compared} {feasible_seen} {infeasible_seen}"
    );
    for (kind, n) in seen_kinds.iter().enumerate() {
        assert!(*n > 100, "move kind {kind} compared only {n} times");
    }
    assert!(overloaded_seen > 10, "{overloaded_seen}");
}

#[test]
fn swap_star_best_matches_exhaustive_search() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut buf = super::swap_star::Buffers::default();
    let (mut pairs, mut found, mut improving) = (0usize, 0usize, 0usize);
    for inst in instances() {
        let d = data(&inst);
        for round in 0..4 {
            let mut st = random_state(&d, &mut rng, round % 2 == 1);
            st.compact();
            for _ in 0..25 {
                let k = st.routes.len();
                if k < 2 {
                    break;
                }
                let ra = rng.random_range(0..k);
                let rb = (ra + rng.random_range(1..k)) % k;
                if st.routes[ra].nodes.len() + st.routes[rb].nodes.len() > 24 {
                    continue;
                }
                pairs += 1;
                let fast = super::swap_star::best_for_pair(&d, &st, ra, rb, &mut buf);
                let slow = super::swap_star::best_scratch(&d, &st, ra, rb);
                match (fast, slow) {
                    (None, None) => {}
                    (Some((mv, delta)), Some(best)) => {
                        found += 1;
                        assert!(
                            (delta - best).abs() <= 1e-7 * best.abs().max(1.0),
                            "{}: SWAP* {delta} vs exhaustive {best}",
                            inst.name
                        );
                        let pre = Prefix::new(&d, &st);
                        let priced = evaluate(&d, &st, &pre, mv).unwrap();
                        assert!((priced - delta).abs() <= 1e-7 * delta.abs().max(1.0));
                        let (measured, feasible) = scratch(&d, &st, mv).unwrap();
                        assert!(
                            feasible && (measured - delta).abs() <= 1e-7 * delta.abs().max(1.0)
                        );
                        if delta < -1e-9 {
                            improving += 1;
                            for (r, seq) in super::ls::new_routes(&d, &st, mv).unwrap() {
                                st.routes[r].nodes = seq;
                                st.refresh(&d, r);
                            }
                            st.update_cost(&d);
                            st.consistent(&d).unwrap();
                        }
                    }
                    (fast, slow) => panic!("{}: {fast:?} vs {slow:?}", inst.name),
                }
            }
        }
    }
    assert!(
        pairs > 300 && found > 200 && improving > 20,
        "{pairs} {found} {improving}"
    );
}

#[test]
fn sectors_overlap_like_arcs() {
    use super::swap_star::Sector;
    let angle: Vec<i32> = vec![0, 100, 200, 65_000, 30_000, 31_000, 32_768];
    let s = |nodes: &[u32]| Sector::of_route(&angle, nodes).unwrap();
    // [65000, 200] wraps around 0; [30000, 31000] is far from it.
    let wrap = s(&[1, 2, 3]);
    let far = s(&[4, 5]);
    assert!(!wrap.overlaps(&far) && !far.overlaps(&wrap));
    assert!(wrap.overlaps(&s(&[1])) && s(&[1]).overlaps(&wrap));
    assert!(far.overlaps(&s(&[5, 6])) && s(&[5, 6]).overlaps(&far));
    assert!(!far.overlaps(&s(&[6])));
    assert!(Sector::of_route(&angle, &[]).is_none());
}

#[test]
fn insertion_deltas_match_recomputation() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for inst in instances() {
        let d = data(&inst);
        let st = random_state(&d, &mut rng, false);
        for _ in 0..500 {
            let r = rng.random_range(0..st.routes.len());
            let nodes = &st.routes[r].nodes;
            let c = rng.random_range(1..d.n) as u32;
            let p = rng.random_range(0..=nodes.len());
            let prev = if p == 0 { 0 } else { nodes[p - 1] };
            let next = nodes.get(p).copied().unwrap_or(0);
            let fast = insertion_delta(&d, prev, c, next);
            let slow = insertion_delta_scratch(&d, nodes, p, c);
            assert!((fast - slow).abs() <= 1e-7 * slow.abs().max(1.0));
        }
    }
}

#[test]
fn ruin_recreate_and_local_search_keep_every_customer_once_and_feasible() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for (i, inst) in instances().into_iter().enumerate() {
        let d = data(&inst);
        // Every other instance under a capacity penalty: overloads allowed, but tracked.
        let penalised = i % 2 == 1;
        let mut st = random_state(&d, &mut rng, penalised);
        for it in 0..400 {
            ruin(&d, &mut st, &mut rng, &SisrParams::default());
            assert!(!st.removed.is_empty());
            recreate(&d, &mut st, &mut rng, &SisrParams::default());
            st.consistent(&d).unwrap();
            if it % 50 == 0 {
                let before = st.cost;
                local_search(&d, &mut st, &mut rng, &Budget::default());
                st.consistent(&d).unwrap();
                assert!(st.cost <= before + 1e-9 * before);
            }
            if it % 100 == 0 && st.excess == 0 {
                assert_checked(&inst, &st.snapshot().routes(), st.cost);
            }
        }
        assert_eq!(st.penalty.is_some(), penalised);
    }
}

#[test]
fn penalty_weight_moves_towards_the_target_share() {
    let inst = &instances()[0];
    let d = data(inst);
    let p = super::penalty::Policy::new(&d, 0.2, 0.45);
    assert!(p.start > 0.0);
    assert!(p.adapted(1.0, 100, 5) > 1.0);
    assert!(p.adapted(1.0, 100, 90) < 1.0);
    assert_eq!(p.adapted(1.0, 100, 30), 1.0);
    // Bounded on both sides.
    let mut w = p.start;
    for _ in 0..1000 {
        w = p.adapted(w, 100, 0);
    }
    assert!(w.is_finite() && w <= p.start * 1e3 * (1.0 + 1e-12));
}

#[test]
fn penalty_variant_returns_feasible_solutions_only() {
    for (i, inst) in instances().iter().enumerate() {
        let seen = Mutex::new(Vec::new());
        let obs = |e: &Improvement<'_>| seen.lock().unwrap().push(e.objective);
        let opts = SisrOptions {
            seed: i as u64,
            threads: 1 + i % 2,
            capacity: Capacity::Penalty {
                min_feasible: 0.2,
                max_feasible: 0.45,
            },
            ..SisrOptions::default()
        };
        let r = solve(
            inst,
            &Budget::default().with_max_iterations(Some(1500)),
            &obs,
            &opts,
        );
        assert_eq!(r.status, Status::Feasible);
        let cost = r.objective.unwrap();
        assert_checked(inst, &r.solution.unwrap().routes, cost);
        let seen = seen.into_inner().unwrap();
        let last = *seen.last().unwrap();
        assert!((last - cost).abs() <= 1e-6 * cost.max(1.0), "{}", inst.name);
    }
}

#[test]
fn warm_start_is_repaired_and_used() {
    let inst = &instances()[1];
    let broken = CvrpSolution {
        routes: vec![vec![1, 2, 2, 0, 9999], (3..inst.n()).collect(), vec![]],
    };
    let seen = Mutex::new(Vec::new());
    let obs = |e: &Improvement<'_>| seen.lock().unwrap().push(e.objective);
    let opts = SisrOptions {
        initial: Some(broken),
        ..SisrOptions::default()
    };
    let r = solve(
        inst,
        &Budget::default().with_max_iterations(Some(2000)),
        &obs,
        &opts,
    );
    assert_eq!(r.status, Status::Feasible);
    let sol = r.solution.unwrap();
    assert_checked(inst, &sol.routes, r.objective.unwrap());
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty() && seen.windows(2).all(|w| w[1] < w[0]));
}

#[test]
fn single_thread_with_seed_is_deterministic_and_threads_work() {
    let inst = &instances()[2];
    let run = |threads| {
        let opts = SisrOptions {
            threads,
            seed: 5,
            ..SisrOptions::default()
        };
        solve(
            inst,
            &Budget::default().with_max_iterations(Some(3000)),
            &NoObserver,
            &opts,
        )
    };
    let (a, b) = (run(1), run(1));
    assert_eq!(a.solution, b.solution);
    let c = run(2);
    assert_checked(inst, &c.solution.unwrap().routes, c.objective.unwrap());
}

#[test]
fn infeasible_and_trivial_inputs() {
    let mut inst = instances()[0].clone();
    inst.demands[3] = inst.capacity + 1;
    let r = solve(
        &inst,
        &Budget::default(),
        &NoObserver,
        &SisrOptions::default(),
    );
    assert_eq!(r.status, Status::Infeasible);
    assert!(r.message.unwrap().contains("customer 3"));

    let mut inst = instances()[0].clone();
    inst.distance_limit = Some(1.0);
    let r = solve(
        &inst,
        &Budget::default(),
        &NoObserver,
        &SisrOptions::default(),
    );
    assert_eq!(r.status, Status::Infeasible);

    let mut inst = instances()[0].clone();
    inst.demands.truncate(1);
    if let CvrpWeights::Coords { coords, .. } = &mut inst.weights {
        coords.truncate(1);
    }
    let r = solve(
        &inst,
        &Budget::default(),
        &NoObserver,
        &SisrOptions::default(),
    );
    assert_eq!((r.status, r.objective), (Status::Feasible, Some(0.0)));

    let mut inst = instances()[0].clone();
    inst.demands.truncate(2);
    if let CvrpWeights::Coords { coords, .. } = &mut inst.weights {
        coords.truncate(2);
    }
    let r = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(50)),
        &NoObserver,
        &SisrOptions::default(),
    );
    assert_checked(&inst, &r.solution.unwrap().routes, r.objective.unwrap());
}

#[test]
fn cancel_is_honoured_within_50ms() {
    let inst = x_style(
        XParams {
            n: 300,
            depot: DepotPos::Random,
            customers: CustomerPos::RandomClustered,
            demand: DemandKind::SmallLargeVar,
            route_size: 12.0,
        },
        4,
    );
    let budget = Budget::new(Some(Duration::from_secs(60)));
    let b2 = budget.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        b2.cancel();
        Instant::now()
    });
    let opts = SisrOptions {
        threads: 2,
        ..SisrOptions::default()
    };
    let r = solve(&inst, &budget, &NoObserver, &opts);
    let cancelled_at = t.join().unwrap();
    assert!(
        cancelled_at.elapsed() < Duration::from_millis(50),
        "{:?}",
        cancelled_at.elapsed()
    );
    assert_checked(&inst, &r.solution.unwrap().routes, r.objective.unwrap());
}

fn bench_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/cvrp");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("SKIPPED: ../shared/bench not found");
        None
    }
}

fn load(dir: &Path, name: &str) -> Option<CvrpInstance> {
    let text = std::fs::read_to_string(dir.join(format!("{name}.vrp"))).ok()?;
    Some(read_cvrplib(&text, None).unwrap())
}

#[test]
fn small_bench_instances_reach_bks() {
    let Some(dir) = bench_dir() else { return };
    for (name, bks) in [
        ("P-n16-k8", 450.0),
        ("E-n22-k4", 375.0),
        ("A-n32-k5", 784.0),
    ] {
        let Some(inst) = load(&dir, name) else {
            eprintln!("SKIPPED: {name} not found");
            continue;
        };
        let budget = Budget::new(Some(Duration::from_secs(20))).with_target(Some(bks + 1e-6));
        let r = solve(&inst, &budget, &NoObserver, &SisrOptions::default());
        let cost = r.objective.unwrap();
        assert_checked(&inst, &r.solution.unwrap().routes, cost);
        assert!(cost <= bks + 1e-6, "{name}: {cost} vs BKS {bks}");
        eprintln!("{name}: BKS {bks} in {:?}", budget.elapsed());
    }
}

#[test]
fn cmt6_with_route_limit_stays_feasible() {
    let Some(dir) = bench_dir() else { return };
    let Some(inst) = load(&dir, "CMT6") else {
        return;
    };
    assert!(inst.distance_limit.is_some());
    let budget = Budget::new(Some(Duration::from_secs(3)));
    let r = solve(&inst, &budget, &NoObserver, &SisrOptions::default());
    let cost = r.objective.unwrap();
    assert_checked(&inst, &r.solution.unwrap().routes, cost);
    assert!(cost < 555.43 * 1.05, "{cost}");
}

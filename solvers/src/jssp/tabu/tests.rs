//! Tests of `jssp.tabu`.

use super::*;
use crate::engine::NoObserver;
use crate::jssp::dispatch::{ALL_RULES, schedule};
use crate::jssp::moves::acyclic;
use quotient_problems::jssp::{check, generate::random, read_jssp};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn bench(name: &str) -> JsspInstance {
    let path = format!(
        "{}/../../shared/bench/jssp/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    read_jssp(&text, name).unwrap()
}

fn checked(inst: &JsspInstance, r: &SolveResult<JsspSolution>) -> i64 {
    let sol = r.solution.as_ref().unwrap();
    let rep = check(inst, sol);
    assert!(rep.is_feasible(), "{:?}", rep.violations);
    assert_eq!(Some(rep.objective), r.objective);
    rep.objective as i64
}

/// A policy that counts its calls and picks the last admissible move.
#[derive(Debug, Default)]
struct Last(std::sync::atomic::AtomicU64);

impl MovePolicy for Last {
    fn choose(&self, p: &Problem, sch: &Schedule, moves: &[Move]) -> Option<usize> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        assert!(!moves.is_empty());
        assert!(moves.iter().all(|&mv| acyclic(p, sch, mv)));
        Some(moves.len() - 1)
    }
}

#[test]
fn a_move_policy_is_consulted_at_its_rate_and_schedules_stay_feasible() {
    let inst = random(10, 5, 3);
    let policy = Arc::new(Last::default());
    let opts = TabuOptions {
        threads: 1,
        seed: 2,
        phase_iters: Some(300),
        policy: Some(policy.clone()),
        policy_rate: 0.25,
        ..Default::default()
    };
    let budget = Budget::new(Some(Duration::from_secs(2))).with_max_iterations(Some(3));
    let r = solve(&inst, &budget, &NoObserver, &opts);
    checked(&inst, &r);
    let calls = policy.0.load(std::sync::atomic::Ordering::Relaxed);
    assert!(calls > 0, "the policy was never consulted");
    // Rate 0 switches it off.
    let quiet = Arc::new(Last::default());
    let opts = TabuOptions {
        policy: Some(quiet.clone()),
        policy_rate: 0.0,
        ..opts
    };
    checked(&inst, &solve(&inst, &budget, &NoObserver, &opts));
    assert_eq!(quiet.0.load(std::sync::atomic::Ordering::Relaxed), 0);
}

#[test]
fn ft06_reaches_55_within_a_second() {
    let inst = bench("ft06");
    let t = Instant::now();
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_secs(5))).with_target(Some(55.0)),
        &NoObserver,
        &TabuOptions::default(),
    );
    assert_eq!(checked(&inst, &r), 55);
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    // 55 is not the trivial bound (52), so the status stays feasible.
    assert_eq!(r.status, Status::Feasible);
    assert_eq!(r.bound, Some(inst.trivial_lower_bound() as f64));
}

#[test]
fn random_instances_improve_on_dispatch_and_check() {
    for (jobs, machines, seed, threads) in [(10, 5, 1, 1), (15, 10, 2, 2), (6, 3, 3, 1)] {
        let inst = random(jobs, machines, seed);
        let seen = Mutex::new(Vec::new());
        let obs = |e: &crate::engine::Improvement<'_>| seen.lock().unwrap().push(e.objective);
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_millis(300))),
            &obs,
            &TabuOptions {
                threads,
                seed,
                ..Default::default()
            },
        );
        let ms = checked(&inst, &r);
        let disp = ALL_RULES
            .iter()
            .map(|&rule| schedule(&inst, rule).1)
            .min()
            .unwrap();
        assert!(ms <= disp);
        assert!(ms >= inst.trivial_lower_bound());
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.last().copied(), Some(ms as f64));
        if ms == inst.trivial_lower_bound() {
            assert_eq!(r.status, Status::Optimal);
        }
    }
}

#[test]
fn lower_bound_reached_means_optimal_and_stops() {
    // 10 jobs x 5 machines: the machine loads dominate, the bound is usually reached.
    let inst = random(20, 3, 9);
    let t = Instant::now();
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_secs(20))),
        &NoObserver,
        &TabuOptions::default(),
    );
    let ms = checked(&inst, &r);
    assert_eq!(ms, inst.trivial_lower_bound());
    assert_eq!(r.status, Status::Optimal);
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn cancel_is_honoured() {
    let inst = random(30, 15, 5);
    let budget = Budget::new(Some(Duration::from_secs(60)));
    let b2 = budget.clone();
    let h = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        b2.cancel();
        Instant::now()
    });
    let r = solve(
        &inst,
        &budget,
        &NoObserver,
        &TabuOptions {
            threads: 2,
            ..Default::default()
        },
    );
    let at = h.join().unwrap();
    assert!(
        at.elapsed() < Duration::from_millis(50),
        "{:?}",
        at.elapsed()
    );
    checked(&inst, &r);
}

#[test]
fn warm_start_and_edge_cases() {
    let inst = bench("ft06");
    let warm = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(1)),
        &NoObserver,
        &TabuOptions::default(),
    );
    let w = checked(&inst, &warm);
    let r = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(0)),
        &NoObserver,
        &TabuOptions {
            initial: warm.solution.clone(),
            ..Default::default()
        },
    );
    assert!(checked(&inst, &r) <= w);
    // A warm start of the wrong shape is ignored.
    let r = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(0)),
        &NoObserver,
        &TabuOptions {
            initial: Some(JsspSolution {
                start: vec![vec![0]],
            }),
            ..Default::default()
        },
    );
    checked(&inst, &r);
    // Empty instance, zero durations, a job visiting a machine twice, a bad machine.
    let empty = JsspInstance {
        name: "e".into(),
        machines: 2,
        jobs: vec![vec![], vec![]],
        variant: Default::default(),
    };
    let r = solve(
        &empty,
        &Budget::default(),
        &NoObserver,
        &TabuOptions::default(),
    );
    assert_eq!(r.status, Status::Optimal);
    checked(&empty, &r);
    let op = |machine, duration| quotient_problems::jssp::Operation { machine, duration };
    let odd = JsspInstance {
        name: "o".into(),
        machines: 2,
        jobs: vec![
            vec![op(0, 0), op(0, 3), op(1, 0), op(1, 2)],
            vec![op(1, 4), op(0, 0), op(0, 5)],
            vec![op(0, 0), op(1, 0)],
        ],
        variant: Default::default(),
    };
    let r = solve(
        &odd,
        &Budget::new(Some(Duration::from_millis(100))),
        &NoObserver,
        &TabuOptions::default(),
    );
    checked(&odd, &r);
    let bad = JsspInstance {
        name: "b".into(),
        machines: 1,
        jobs: vec![vec![op(3, 1)]],
        variant: Default::default(),
    };
    let r = solve(
        &bad,
        &Budget::default(),
        &NoObserver,
        &TabuOptions::default(),
    );
    assert_eq!(r.status, Status::Infeasible);
    let neg = JsspInstance {
        name: "n".into(),
        machines: 1,
        jobs: vec![vec![op(0, -1)]],
        variant: Default::default(),
    };
    let r = solve(
        &neg,
        &Budget::default(),
        &NoObserver,
        &TabuOptions::default(),
    );
    assert_eq!(r.status, Status::Unknown);
}

#[test]
fn zero_durations_sharing_a_start_time_convert_without_cycles() {
    // orb07 has a zero-length operation; sorting by start alone made a cycle there.
    let inst = bench("orb07");
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_millis(200))),
        &NoObserver,
        &TabuOptions::default(),
    );
    checked(&inst, &r);
    // Zero-length operations at one time on two machines, crossing jobs.
    let op = |machine, duration| quotient_problems::jssp::Operation { machine, duration };
    let inst = JsspInstance {
        name: "z".into(),
        machines: 2,
        jobs: vec![
            vec![op(1, 0), op(0, 0), op(0, 2)],
            vec![op(0, 0), op(1, 0), op(1, 3)],
        ],
        variant: Default::default(),
    };
    let p = Problem::new(&inst).unwrap();
    let all_zero = JsspSolution {
        start: vec![vec![0, 0, 0], vec![0, 0, 2]],
    };
    let seq = p.seqs_from_starts(&all_zero).unwrap();
    assert!(Schedule::from_seqs(&p, seq).is_some());
    let r = solve(
        &inst,
        &Budget::default(),
        &NoObserver,
        &TabuOptions::default(),
    );
    assert_eq!(checked(&inst, &r), 3);
    assert_eq!(r.status, Status::Optimal);
}

/// Relinking and the incremental update (both off by default) give checked schedules no
/// worse than the dispatching rules.
#[test]
fn relinking_and_incremental_options_work() {
    let inst = random(10, 5, 6);
    let disp = ALL_RULES
        .iter()
        .map(|&rule| schedule(&inst, rule).1)
        .min()
        .unwrap();
    for (relink, incremental) in [(true, false), (true, true), (false, true)] {
        let r = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(30)),
            &NoObserver,
            &TabuOptions {
                seed: 2,
                phase_iters: Some(100),
                relink: Some(relink),
                incremental: Some(incremental),
                ..Default::default()
            },
        );
        assert!(checked(&inst, &r) <= disp);
    }
}

#[test]
fn hashed_tabu_table_works() {
    let inst = random(10, 5, 8);
    let r = solve_with(
        &inst,
        &Budget::new(Some(Duration::from_millis(200))),
        &NoObserver,
        &TabuOptions::default(),
        0,
    );
    let ms = checked(&inst, &r);
    let disp = ALL_RULES
        .iter()
        .map(|&rule| schedule(&inst, rule).1)
        .min()
        .unwrap();
    assert!(ms < disp);
}

#[test]
fn single_thread_with_seed_is_deterministic() {
    let inst = random(10, 5, 4);
    let go = || {
        solve(
            &inst,
            &Budget::default().with_max_iterations(Some(5)),
            &NoObserver,
            &TabuOptions {
                seed: 3,
                phase_iters: Some(200),
                ..Default::default()
            },
        )
    };
    assert_eq!(go().solution, go().solution);
}

/// la01 (666) and ft10 (930) in a few seconds: release builds only.
#[test]
#[ignore = "release-mode speed check: cargo test --release -- --ignored"]
fn la01_and_ft10_reach_their_optima() {
    for (name, opt) in [("la01", 666), ("ft10", 930)] {
        let inst = bench(name);
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(10))).with_target(Some(opt as f64)),
            &NoObserver,
            &TabuOptions {
                threads: 2,
                ..Default::default()
            },
        );
        assert_eq!(checked(&inst, &r), opt, "{name}");
    }
}

use super::operators::{Arm, Context, FIX_SHARE, Operator, arms, destroy, hamming_row};
use super::*;
use crate::engine::NoObserver;
use crate::milp::highs_model::{MipSettings, MipStatus, solve_once};
use quotient_problems::milp::{check, generate, read_milp};
use std::path::PathBuf;
use std::time::Instant;

/// A small set-cover model with an LP solution and two different feasible solutions.
struct Fixture {
    base: LinearModel,
    ints: Vec<usize>,
    bins: Vec<usize>,
    lp: Vec<f64>,
    cur: Vec<f64>,
    cur_obj: f64,
    other: Vec<f64>,
    bound: f64,
    col_rows: Vec<Vec<usize>>,
}

fn fixture() -> Fixture {
    fixture_of(&generate::set_cover(60, 120, 0.05, 3), |base| {
        // Another solution: every column chosen (always a cover).
        vec![1.0; base.num_cols()]
    })
}

/// `inst` with its LP solution, its optimum as the current solution and `other` as the second.
fn fixture_of(inst: &MilpInstance, other: impl Fn(&LinearModel) -> Vec<f64>) -> Fixture {
    let base = LinearModel::from_instance(inst);
    let lp = solve_once(
        &base,
        &MipSettings {
            relax: true,
            ..Default::default()
        },
        None,
        &Budget::default(),
    );
    assert_eq!(lp.status, MipStatus::Optimal);
    let opt = solve_once(&base, &MipSettings::default(), None, &Budget::default());
    let cur = opt.x.unwrap();
    let other = other(&base);
    Fixture {
        ints: base.integer_columns(),
        bins: base.binary_columns(),
        lp: lp.x.unwrap(),
        cur_obj: base.objective(&cur),
        cur,
        other,
        bound: lp.bound.unwrap(),
        col_rows: super::operators::column_rows(&base),
        base,
    }
}

impl Fixture {
    fn ctx(&self) -> Context<'_> {
        Context {
            base: &self.base,
            ints: &self.ints,
            bins: &self.bins,
            lp: Some(&self.lp),
            current: &self.cur,
            current_obj: self.cur_obj,
            other: Some(&self.other),
            bound: Some(self.bound),
            fix_centre: super::operators::FIX_CENTRE,
            col_rows: &self.col_rows,
            assignment: None,
        }
    }
}

/// Columns fixed to one value in `m` but free in `base`.
fn newly_fixed(base: &LinearModel, m: &LinearModel) -> Vec<usize> {
    (0..base.num_cols())
        .filter(|&j| m.lower[j] == m.upper[j] && base.lower[j] != base.upper[j])
        .collect()
}

/// The integer columns of `f` not in `fixed`.
fn free_columns(f: &Fixture, fixed: &[usize]) -> Vec<usize> {
    f.ints
        .iter()
        .copied()
        .filter(|j| !fixed.contains(j))
        .collect()
}

/// Every neighbourhood is a restriction of the model: its solutions solve the model. Repair it
/// with HiGHS and check the result against the base model's rows.
fn repair_is_feasible_for_base(f: &Fixture, arm: Arm, seed: u64) -> Option<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let nb = destroy(arm, &f.ctx(), &mut rng)?;
    let r = solve_once(
        &nb.model,
        &MipSettings::default(),
        nb.start.as_deref(),
        &Budget::default(),
    );
    let x = r.x?;
    for row in &f.base.rows {
        let act: f64 = row.coefs.iter().map(|&(j, c)| c * x[j]).sum();
        assert!(
            act >= row.lower - 1e-6 && act <= row.upper + 1e-6,
            "{}",
            arm.name()
        );
    }
    Some(f.base.objective(&x))
}

#[test]
fn fixing_operators_fix_their_share_to_the_current_values() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for (size, share) in FIX_SHARE.iter().enumerate() {
        let arm = Arm {
            op: Operator::Random,
            size,
        };
        let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
        let fixed = newly_fixed(&f.base, &nb.model);
        assert_eq!(fixed.len(), (share * f.ints.len() as f64).round() as usize);
        assert_eq!(nb.fixed, fixed.len());
        assert!(fixed.iter().all(|&j| nb.model.lower[j] == f.cur[j].round()));
        assert_eq!(nb.start.as_deref(), Some(&f.cur[..]));
        // Warm started from the current solution: never worse.
        let obj = repair_is_feasible_for_base(&f, arm, 1).unwrap();
        assert!(obj <= f.cur_obj + 1e-9);
    }
}

#[test]
fn mutation_flips_some_fixed_binaries() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let arm = Arm {
        op: Operator::Mutation,
        size: 1,
    };
    let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
    let flipped = newly_fixed(&f.base, &nb.model)
        .into_iter()
        .filter(|&j| nb.model.lower[j] != f.cur[j].round())
        .count();
    assert!(flipped >= 1);
    assert!(nb.start.is_none());
}

#[test]
fn rins_fixes_only_where_lp_and_current_agree() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for size in 0..3 {
        let nb = destroy(
            Arm {
                op: Operator::Rins,
                size,
            },
            &f.ctx(),
            &mut rng,
        )
        .unwrap();
        for j in newly_fixed(&f.base, &nb.model) {
            assert!((f.lp[j] - f.cur[j]).abs() < 1e-6);
        }
    }
    // Without an LP solution RINS does not apply.
    let mut ctx = f.ctx();
    ctx.lp = None;
    let arm = Arm {
        op: Operator::Rins,
        size: 0,
    };
    assert!(destroy(arm, &ctx, &mut rng).is_none());
}

#[test]
fn rens_bounds_follow_the_lp_rounding() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let nb = destroy(
        Arm {
            op: Operator::Rens,
            size: 0,
        },
        &f.ctx(),
        &mut rng,
    )
    .unwrap();
    for &j in &f.ints {
        assert!(nb.model.lower[j] >= f.lp[j].floor() - 1e-9);
        assert!(nb.model.upper[j] <= f.lp[j].ceil() + 1e-9);
    }
    let _ = repair_is_feasible_for_base(
        &f,
        Arm {
            op: Operator::Rens,
            size: 0,
        },
        4,
    );
}

#[test]
fn local_branching_adds_a_hamming_row() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let arm = Arm {
        op: Operator::LocalBranching,
        size: 2,
    };
    let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
    assert_eq!(nb.model.rows.len(), f.base.rows.len() + 1);
    assert_eq!(nb.fixed, 0);
    // The row's activity at x is the Hamming distance to cur minus #ones(cur).
    let row = hamming_row(&f.base, &f.cur, &f.bins, 3.0);
    let ones = f.cur.iter().filter(|&&v| v > 0.5).count() as f64;
    let act = |x: &[f64]| row.coefs.iter().map(|&(j, c)| c * x[j]).sum::<f64>();
    assert!((act(&f.cur) + ones).abs() < 1e-9);
    let mut y = f.cur.clone();
    y[0] = 1.0 - y[0];
    y[1] = 1.0 - y[1];
    assert!((act(&y) + ones - 2.0).abs() < 1e-9);
    assert!(repair_is_feasible_for_base(&f, arm, 5).unwrap() <= f.cur_obj + 1e-9);
}

#[test]
fn proximity_requires_an_improvement_and_minimises_distance() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    // Current = the "all columns" cover: proximity must find something cheaper.
    let all_obj = f.base.objective(&f.other);
    let mut ctx = f.ctx();
    ctx.current = &f.other;
    ctx.current_obj = all_obj;
    ctx.other = Some(&f.cur);
    let nb = destroy(
        Arm {
            op: Operator::Proximity,
            size: 2,
        },
        &ctx,
        &mut rng,
    )
    .unwrap();
    assert!(nb.objective_replaced);
    let r = solve_once(&nb.model, &MipSettings::default(), None, &Budget::default());
    let x = r.x.unwrap();
    let obj = f.base.objective(&x);
    assert!(
        obj <= all_obj - 1.0 + 1e-9,
        "integral objective: at least 1 better"
    );
    // Minimal distance: dropping one column is enough when the cutoff is tiny.
    let dist: f64 = (0..x.len()).map(|j| (x[j] - f.other[j]).abs()).sum();
    assert!(dist.round() >= 1.0);
    // At the optimum nothing better exists: the neighbourhood is infeasible.
    let nb = destroy(
        Arm {
            op: Operator::Proximity,
            size: 2,
        },
        &f.ctx(),
        &mut rng,
    )
    .unwrap();
    let r = solve_once(&nb.model, &MipSettings::default(), None, &Budget::default());
    assert!(r.x.is_none());
}

#[test]
fn crossover_fixes_where_two_solutions_agree() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let arm = Arm {
        op: Operator::Crossover,
        size: 0,
    };
    let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
    for j in newly_fixed(&f.base, &nb.model) {
        assert_eq!(f.cur[j].round(), f.other[j].round());
    }
    let mut ctx = f.ctx();
    ctx.other = None;
    assert!(destroy(arm, &ctx, &mut rng).is_none());
}

#[test]
fn dins_fixes_binaries_near_the_lp() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let arm = Arm {
        op: Operator::Dins,
        size: 1,
    };
    let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
    for j in newly_fixed(&f.base, &nb.model) {
        assert!((f.cur[j] - f.lp[j]).abs() < 0.5);
    }
    assert!(repair_is_feasible_for_base(&f, arm, 8).unwrap() <= f.cur_obj + 1e-9);
}

#[test]
fn every_arm_has_a_distinct_name() {
    let names: std::collections::BTreeSet<&str> = arms().iter().map(|a| a.name()).collect();
    assert_eq!(names.len(), 36);
}

/// The closure operator on a GISP model (edge-removal variables are column singletons): it
/// fixes its share of the node variables, frees an edge variable exactly when one of its
/// nodes is free, keeps the current solution feasible, and its sub-MIP improves a poor
/// solution with a solution of the whole model.
#[test]
fn closure_frees_each_singleton_with_its_row() {
    let inst = quotient_problems::milp::dmip::gisp(40, 0.5, 0.75, 7);
    let mut f = fixture_of(&inst, |base| vec![0.0; base.num_cols()]);
    // A poor current solution: no node chosen (feasible, objective 0).
    f.cur = vec![0.0; f.base.num_cols()];
    f.cur_obj = f.base.objective(&f.cur);
    let singleton = |j: usize| f.col_rows[j].len() == 1;
    let nodes: Vec<usize> = f.ints.iter().copied().filter(|&j| !singleton(j)).collect();
    assert_eq!(nodes.len(), 40);
    assert!(f.ints.len() > nodes.len(), "the model has edge variables");
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for (size, share) in FIX_SHARE.iter().enumerate() {
        let arm = Arm {
            op: Operator::Closure,
            size,
        };
        let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
        let fixed = newly_fixed(&f.base, &nb.model);
        let fixed_nodes = nodes.iter().filter(|j| fixed.contains(j)).count();
        assert_eq!(fixed_nodes, (share * 40.0).round() as usize, "size {size}");
        assert_eq!(nb.fixed, fixed.len());
        assert!(fixed.iter().all(|&j| nb.model.lower[j] == f.cur[j]));
        for &j in f.ints.iter().filter(|&&j| singleton(j)) {
            let row = &f.base.rows[f.col_rows[j][0]];
            let node_free = row
                .coefs
                .iter()
                .any(|&(k, _)| k != j && !singleton(k) && !fixed.contains(&k));
            assert_eq!(
                !fixed.contains(&j),
                node_free,
                "edge column {j}, size {size}"
            );
        }
        assert!(super::operators::within_bounds(
            &nb.model,
            nb.start.as_deref().unwrap()
        ));
        let obj = repair_is_feasible_for_base(&f, arm, 3).unwrap();
        assert!(
            obj < f.cur_obj - 1.0,
            "size {size}: {obj} from {}",
            f.cur_obj
        );
    }
}

fn assert_checked(inst: &MilpInstance, r: &SolveResult<MilpSolution>) -> f64 {
    let sol = r.solution.as_ref().expect("a solution");
    let report = check(inst, sol);
    assert!(report.is_feasible(), "{:?}", report.violations);
    let obj = r.objective.unwrap();
    assert!((report.objective - obj).abs() <= 1e-6 * obj.abs().max(1.0));
    obj
}

/// The four generator families at small sizes: a checked feasible solution, and `feasible`
/// never better than the bound.
#[test]
fn finds_checked_solutions_on_generated_instances() {
    let instances = [
        generate::set_cover(200, 400, 0.05, 1),
        generate::combinatorial_auction(60, 300, 1),
        generate::capacitated_facility_location(40, 15, 5.0, 1),
        generate::independent_set(150, 4, 1),
    ];
    for inst in &instances {
        let budget = Budget::new(Some(Duration::from_secs(3)));
        let t = Instant::now();
        let r = solve(
            inst,
            &budget,
            &NoObserver,
            &AlnsOptions {
                threads: 2,
                initial_time: Some(Duration::from_millis(300)),
                sub_time: Some(Duration::from_millis(300)),
                ..Default::default()
            },
        );
        assert!(
            t.elapsed() < Duration::from_millis(4500),
            "{}: {:?}",
            inst.name,
            t.elapsed()
        );
        assert!(
            matches!(r.status, Status::Optimal | Status::Feasible),
            "{}: {r:?}",
            inst.name
        );
        let obj = assert_checked(inst, &r);
        if let Some(b) = r.bound {
            let ok = match inst.sense {
                quotient_problems::milp::Sense::Minimize => b <= obj + 1e-6,
                quotient_problems::milp::Sense::Maximize => b >= obj - 1e-6,
            };
            assert!(ok, "{}: bound {b} objective {obj}", inst.name);
        }
    }
}

/// The search itself improves on the first feasible solution (the first HiGHS run is stopped
/// at its first solution).
#[test]
fn improves_on_the_first_feasible_solution() {
    let inst = generate::set_cover(300, 600, 0.03, 2);
    let first = crate::milp::highs_model::solve_once(
        &LinearModel::from_instance(&inst),
        &MipSettings {
            max_improving_sols: Some(1),
            ..Default::default()
        },
        None,
        &Budget::default(),
    );
    let first_obj = first.objective.unwrap();
    let r = solve(
        &inst,
        &Budget::default().with_max_iterations(Some(20)),
        &NoObserver,
        &AlnsOptions {
            initial_solutions: Some(1),
            // The LNS alone: HiGHS's own search is not interleaved.
            highs_share: 0,
            ..Default::default()
        },
    );
    let obj = assert_checked(&inst, &r);
    assert!(obj < first_obj, "{obj} vs first {first_obj}");
    assert!(r.message.unwrap().contains("20 sub-MIPs"));
}

/// With one thread, a seed, an iteration cap and sub-MIPs that finish before their time limit,
/// the run is deterministic (HiGHS is deterministic on one thread without a time limit).
#[test]
fn single_thread_with_seed_and_iteration_cap_is_deterministic() {
    let inst = generate::combinatorial_auction(30, 150, 4);
    let run = || {
        let seen = Mutex::new(Vec::new());
        let obs = |e: &Improvement<'_>| {
            if let Ok(mut s) = seen.lock() {
                s.push((e.objective, e.source.to_string()));
            }
        };
        let r = solve(
            &inst,
            &Budget::default().with_max_iterations(Some(15)),
            &obs,
            &AlnsOptions {
                seed: 11,
                initial_solutions: Some(1),
                // Interleaving HiGHS's own search goes by the clock: not deterministic.
                highs_share: 0,
                ..Default::default()
            },
        );
        (
            r.solution.map(|s| s.values),
            r.objective,
            seen.into_inner().unwrap_or_default(),
        )
    };
    assert_eq!(run(), run());
}

/// Cancelling stops the search within one sub-MIP time limit (the cancel comes once the search
/// has started: during the first whole-model run it is seen at HiGHS's own polling, tested in
/// `highs_model`).
#[test]
fn cancel_stops_the_search() {
    let inst = generate::set_cover(400, 800, 0.03, 5);
    let budget = Budget::new(Some(Duration::from_secs(60)));
    let b2 = budget.clone();
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s2 = started.clone();
    let t = std::thread::spawn(move || {
        while !s2.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(1000));
        b2.cancel();
        Instant::now()
    });
    let obs = |_: &Improvement<'_>| started.store(true, std::sync::atomic::Ordering::Relaxed);
    let r = solve(
        &inst,
        &budget,
        &obs,
        &AlnsOptions {
            threads: 2,
            initial_solutions: Some(1),
            sub_time: Some(Duration::from_millis(300)),
            ..Default::default()
        },
    );
    // Unblock the thread if the solve ended without reporting (it then fails below).
    started.store(true, std::sync::atomic::Ordering::Relaxed);
    let at = t.join().unwrap_or_else(|_| Instant::now());
    assert!(
        at.elapsed() < Duration::from_millis(800),
        "{:?}",
        at.elapsed()
    );
    assert_checked(&inst, &r);
}

/// Interleaved with HiGHS's own search (`highs_share`): checked solutions, both HiGHS's
/// slices and sub-MIPs run, and a model HiGHS solves in a slice is reported optimal with
/// HiGHS's optimum.
#[test]
fn interleaved_with_highs_gives_checked_solutions() {
    let inst = generate::set_cover(400, 800, 0.03, 5);
    // 4 s with short sub-MIPs and rounds: on time and checked; the message, unless optimal.
    let run = |opts: AlnsOptions| {
        let t = Instant::now();
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(4))),
            &NoObserver,
            &AlnsOptions {
                initial_solutions: Some(1),
                sub_time: Some(Duration::from_millis(200)),
                round: Some(Duration::from_millis(600)),
                ..opts
            },
        );
        assert!(
            t.elapsed() < Duration::from_millis(5500),
            "{:?}",
            t.elapsed()
        );
        assert_checked(&inst, &r);
        (r.status != Status::Optimal).then(|| r.message.clone().unwrap_or_default())
    };
    if let Some(msg) = run(AlnsOptions {
        highs_share: 50,
        ..Default::default()
    }) {
        assert!(msg.contains("HiGHS's own search interleaved"), "{msg}");
        assert!(!msg.contains("interleaved: 0 slices"), "{msg}");
        assert!(msg.contains("share 50 %"), "{msg}");
    }

    // The share that follows the rewards: checked, and the message says so.
    if let Some(msg) = run(AlnsOptions {
        adapt_share: true,
        ..Default::default()
    }) {
        assert!(msg.contains("share adaptive (mean"), "{msg}");
    }

    let small = generate::combinatorial_auction(30, 150, 4);
    let opt = solve_once(
        &LinearModel::from_instance(&small),
        &MipSettings::default(),
        None,
        &Budget::default(),
    );
    assert_eq!(opt.status, MipStatus::Optimal);
    let r = solve(
        &small,
        &Budget::new(Some(Duration::from_secs(30))),
        &NoObserver,
        &AlnsOptions {
            highs_share: 50,
            initial_solutions: Some(1),
            sub_time: Some(Duration::from_millis(100)),
            round: Some(Duration::from_millis(200)),
            ..Default::default()
        },
    );
    let obj = assert_checked(&small, &r);
    assert_eq!(r.status, Status::Optimal, "{:?}", r.message);
    let want = to_instance_objective(small.sense, opt.objective.unwrap());
    assert!(
        (obj - want).abs() <= 1e-6 * want.abs().max(1.0),
        "{obj} vs {want}"
    );
}

fn bench_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/milp");
    if d.exists() {
        Some(d)
    } else {
        println!("SKIPPED: ../shared/bench not found");
        None
    }
}

/// A MIPLIB instance HiGHS does not solve in 60 s (pk1) and one it solves in about a second
/// (p0201): a checked solution, near the reference on the easy one. (ALNS proves nothing by
/// itself: when the first HiGHS run stops before its proof, p0201 comes back `feasible`.)
#[test]
fn bench_instances_get_checked_solutions() {
    let Some(dir) = bench_dir() else { return };
    for (name, reference, limit) in [("pk1", 11.0, 4), ("p0201", 7615.0, 10)] {
        let path = dir.join(format!("{name}.mps.gz"));
        let Ok(bytes) = std::fs::read(&path) else {
            println!("SKIPPED: {} not found", path.display());
            continue;
        };
        let inst = read_milp(&bytes, &format!("{name}.mps.gz")).unwrap();
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(limit))),
            &NoObserver,
            &AlnsOptions {
                threads: 2,
                ..Default::default()
            },
        );
        let obj = assert_checked(&inst, &r);
        assert!(obj >= reference - 1e-6, "{name}: {obj} below the optimum");
        println!("{name}: {:?} {obj} (reference {reference})", r.status);
        if name == "p0201" {
            // Loose: this machine may give the test little CPU.
            assert!(obj <= reference * 1.1, "{name}: {obj}");
        }
    }
}

#[test]
fn neighbourhood_sizes_adapt_to_sub_mip_outcomes() {
    use super::operators::{FIX_CENTRE, FIX_CENTRE_RANGE, fix_share, lb_share};
    // At the start the sizes are the fixed shares of before.
    for (size, (&fix, &lb)) in FIX_SHARE
        .iter()
        .zip(super::operators::LB_SHARE.iter())
        .enumerate()
    {
        assert!((fix_share(FIX_CENTRE, size) - fix).abs() < 1e-12);
        assert!((lb_share(FIX_CENTRE, size) - lb).abs() < 1e-12);
    }
    let c = FIX_CENTRE;
    // Solved to optimality without improving: the neighbourhood was too small, fix less.
    assert!(adapt_centre(c, Some(MipStatus::Optimal), Outcome::Rejected) < c);
    assert!(adapt_centre(c, Some(MipStatus::Optimal), Outcome::Accepted) < c);
    // Stopped at its limit without improving: too large, fix more.
    assert!(adapt_centre(c, Some(MipStatus::Stopped), Outcome::Rejected) > c);
    // An improvement, an infeasible neighbourhood, or no sub-MIP: unchanged.
    assert_eq!(
        adapt_centre(c, Some(MipStatus::Stopped), Outcome::NewBest),
        c
    );
    assert_eq!(
        adapt_centre(c, Some(MipStatus::Optimal), Outcome::Improvement),
        c
    );
    assert_eq!(
        adapt_centre(c, Some(MipStatus::Infeasible), Outcome::Rejected),
        c
    );
    assert_eq!(adapt_centre(c, None, Outcome::Rejected), c);
    // It stays within its range however long one outcome repeats.
    let (lo, hi) = FIX_CENTRE_RANGE;
    let mut up = c;
    let mut down = c;
    for _ in 0..100 {
        up = adapt_centre(up, Some(MipStatus::Stopped), Outcome::Rejected);
        down = adapt_centre(down, Some(MipStatus::Optimal), Outcome::Rejected);
    }
    assert_eq!((up, down), (hi, lo));
    // More fixing at a higher centre, and every share a proper fraction.
    assert!(fix_share(hi, 0) > fix_share(lo, 0));
    assert!(lb_share(hi, 1) < lb_share(lo, 1));
    assert!((0..3).all(|s| (0.0..1.0).contains(&fix_share(hi, s))));
}

#[test]
fn graph_operator_frees_a_connected_share() {
    let f = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    for (size, share) in FIX_SHARE.iter().enumerate() {
        let arm = Arm {
            op: Operator::Graph,
            size,
        };
        let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
        let fixed = newly_fixed(&f.base, &nb.model);
        let target = (share * f.ints.len() as f64).round() as usize;
        assert_eq!(fixed.len(), target, "size {size}");
        assert!(fixed.iter().all(|&j| nb.model.lower[j] == f.cur[j].round()));
        // The free columns hang together: each shares a row with another free one (the walk
        // starts again elsewhere only when it runs dry, which a connected cover does not).
        let free = free_columns(&f, &fixed);
        let is_free = |k: usize| free.contains(&k);
        assert!(free.iter().all(|&j| {
            f.col_rows[j].iter().any(|&i| {
                f.base.rows[i]
                    .coefs
                    .iter()
                    .any(|&(k, _)| k != j && is_free(k))
            })
        }));
        let obj = repair_is_feasible_for_base(&f, arm, 2).unwrap();
        assert!(obj <= f.cur_obj + 1e-9);
    }
}

/// The residual set-packing operator on a combinatorial auction from a greedy solution: the
/// free columns are exactly the released ones (at 1) and the columns at 0 that share a packing
/// row with a released one and fit into the spare capacity left, recomputed from scratch (the
/// twin of the operator's running count); the rest is fixed at the current values; the
/// sub-MIPs return solutions of the whole model, never worse, and better from some start.
#[test]
fn packing_frees_the_released_columns_and_what_then_fits() {
    use super::operators::{packing_rows, spare_capacity};
    let inst = generate::combinatorial_auction(40, 200, 11);
    let mut f = fixture_of(&inst, |base| vec![0.0; base.num_cols()]);
    let packing = packing_rows(&f.base);
    assert!(
        f.base
            .rows
            .iter()
            .zip(&packing)
            .all(|(row, &p)| p || row.coefs.is_empty()),
        "every auction row packs"
    );
    // A greedy solution: bids in index order, each taken when it fits.
    let mut x = vec![0.0; f.base.num_cols()];
    let mut used = vec![0.0; f.base.rows.len()];
    for &j in &f.bins {
        let rows = &f.col_rows[j];
        if rows
            .iter()
            .all(|&i| used[i] + 1.0 <= f.base.rows[i].upper + 1e-9)
        {
            x[j] = 1.0;
            for &i in rows {
                used[i] += 1.0;
            }
        }
    }
    f.cur_obj = f.base.objective(&x);
    f.cur = x;
    let mut improved = 0;
    for seed in 0..5 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for size in 0..3 {
            let arm = Arm {
                op: Operator::Packing,
                size,
            };
            let nb = destroy(arm, &f.ctx(), &mut rng).unwrap();
            let fixed = newly_fixed(&f.base, &nb.model);
            assert_eq!(nb.fixed, fixed.len());
            assert!(fixed.iter().all(|&j| nb.model.lower[j] == f.cur[j]));
            let free = free_columns(&f, &fixed);
            let mut released = vec![false; f.base.num_cols()];
            for &j in free.iter().filter(|&&j| f.cur[j] > 0.5) {
                released[j] = true;
            }
            assert!(released.iter().any(|&r| r), "seed {seed} size {size}");
            let spare = spare_capacity(&f.base, &packing, &f.cur, &released);
            let expected: Vec<usize> = f
                .ints
                .iter()
                .copied()
                .filter(|&k| f.cur[k] < 0.5)
                .filter(|&k| {
                    let rows = &f.col_rows[k];
                    rows.iter().all(|&i| 1.0 <= spare[i] + 1e-9)
                        && rows
                            .iter()
                            .any(|&i| f.base.rows[i].coefs.iter().any(|&(s, _)| released[s]))
                })
                .collect();
            let free_at_zero: Vec<usize> =
                free.iter().copied().filter(|&k| f.cur[k] < 0.5).collect();
            assert_eq!(free_at_zero, expected, "seed {seed} size {size}");
            assert!(!expected.is_empty(), "seed {seed} size {size}");
            assert!(super::operators::within_bounds(
                &nb.model,
                nb.start.as_deref().unwrap()
            ));
            let obj = repair_is_feasible_for_base(&f, arm, seed).unwrap();
            assert!(obj <= f.cur_obj + 1e-9, "seed {seed} size {size}");
            if obj < f.cur_obj - 1e-6 {
                improved += 1;
            }
        }
    }
    assert!(improved > 0, "no sub-MIP improved the greedy solution");
}

/// The rule of the first run's pause: past `time`, and HiGHS's root node done or past `root`;
/// past `root` with the root node not done, on while HiGHS's gap is at least `far`'s, up to its
/// time.
#[test]
fn first_run_pauses_after_its_root_node_or_at_the_root_time() {
    let s = Duration::from_secs;
    let limits = FirstLimits {
        time: s(6),
        solutions: None,
        root: s(15),
        far: None,
    };
    let small = Some(0.5);
    // Before `time`: never, root done or not.
    assert!(!limits.past(s(5), true, small));
    assert!(!limits.past(s(5), false, small));
    // Past `time`: once the root node is done, or at `root` without it.
    assert!(limits.past(s(6), true, small));
    assert!(!limits.past(s(10), false, small));
    assert!(limits.past(s(15), false, small));
    // `root` no later than `time` (`root_time` 0): the old rule, past `time` wherever HiGHS is.
    let old = FirstLimits {
        root: s(6),
        ..limits
    };
    assert!(old.past(s(6), false, small));
    assert!(!old.past(s(5), false, small));
    // With a far gap of 1 000 % up to 30 s: past `root`, a run with a gap of 2 700 % goes on
    // (to 30 s), one with 96 % (or no gap seen yet) pauses at `root` as before; a root node
    // done still ends it, whatever the gap.
    let far = FirstLimits {
        far: Some((10.0, s(30))),
        ..limits
    };
    let huge = Some(27.0);
    assert!(!far.past(s(15), false, huge));
    assert!(!far.past(s(29), false, huge));
    assert!(far.past(s(30), false, huge));
    assert!(far.past(s(15), false, Some(0.96)));
    assert!(far.past(s(15), false, None));
    assert!(far.past(s(16), true, huge));
    assert!(!far.past(s(5), true, huge));
    // A gap of exactly the threshold counts as far; an infinite one (no incumbent) too.
    assert!(!far.past(s(20), false, Some(10.0)));
    assert!(!far.past(s(20), false, Some(f64::INFINITY)));
}

/// Seconds after `key` in a message: `... key 9.1 ...` or `key 9.1-10.4` (the first number).
fn secs_after(msg: &str, key: &str) -> Option<f64> {
    let rest = &msg[msg.find(key)? + key.len()..];
    let num: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    num.parse().ok()
}

/// The start-up when interleaved: the first HiGHS run comes before any LNS work and is not
/// paused before its root node is done (or its root time has passed); the LP relaxation
/// follows it, the first sub-MIP follows the LP; the message says when each happened and how
/// much CPU HiGHS's thread had.
#[test]
fn highs_root_comes_before_any_lns_work() {
    let inst = generate::set_cover(400, 800, 0.03, 5);
    let root_time = Duration::from_millis(2500);
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_secs(6))),
        &NoObserver,
        &AlnsOptions {
            // Pause as early as the root allows: the root rule alone decides.
            initial_time: Some(Duration::from_millis(1)),
            root_time: Some(root_time),
            sub_time: Some(Duration::from_millis(200)),
            round: Some(Duration::from_millis(600)),
            ..Default::default()
        },
    );
    assert_checked(&inst, &r);
    if r.status == Status::Optimal {
        return; // HiGHS proved it in its first run: there was no LNS.
    }
    let msg = r.message.clone().unwrap_or_default();
    let first = secs_after(&msg, "first HiGHS run 0-").expect(&msg);
    match secs_after(&msg, "root node done at") {
        // Paused only after the root: the times are printed to 0.1 s.
        Some(root) if root <= first + 0.05 => {}
        Some(_) => assert!(first >= root_time.as_secs_f64() - 0.05, "{msg}"),
        None => {
            assert!(msg.contains("root node not done"), "{msg}");
            assert!(first >= root_time.as_secs_f64() - 0.05, "{msg}");
        }
    }
    let lp = secs_after(&msg, "LP relaxation").expect(&msg);
    assert!(lp >= first - 0.05, "{msg}");
    let lp_end = secs_after(&msg, &format!("LP relaxation {lp:.1}-")).expect(&msg);
    if let Some(sub) = secs_after(&msg, "first sub-MIP at") {
        assert!(sub >= lp_end - 0.05, "{msg}");
    }
    // HiGHS's CPU time is noted when it parks or ends; a HiGHS that never parked within the
    // budget (the whole 6 s spent waiting for it) has none yet.
    if std::path::Path::new("/proc/thread-self/schedstat").exists() && !msg.contains("0 slices") {
        assert!(msg.contains("s CPU and"), "{msg}");
    }
}

/// A short interleaved run (3 s, sub-MIPs of 200 ms, rounds of 600 ms, the first run paused at
/// its first solution) on a set cover with the options `tweak` sets, checked.
fn short_interleaved(tweak: impl FnOnce(&mut AlnsOptions)) -> SolveResult<MilpSolution> {
    let inst = generate::set_cover(300, 600, 0.03, 7);
    let mut opts = AlnsOptions {
        initial_solutions: Some(1),
        root_time: Some(Duration::ZERO),
        sub_time: Some(Duration::from_millis(200)),
        round: Some(Duration::from_millis(600)),
        ..Default::default()
    };
    tweak(&mut opts);
    let r = solve(
        &inst,
        &Budget::new(Some(Duration::from_secs(3))),
        &NoObserver,
        &opts,
    );
    assert_checked(&inst, &r);
    r
}

/// With `hand_in` off the run is still checked and interleaved (the LNS's bests stay its own).
#[test]
fn interleaved_without_hand_in_gives_checked_solutions() {
    let r = short_interleaved(|o| o.hand_in = false);
    if r.status != Status::Optimal {
        let msg = r.message.unwrap_or_default();
        assert!(msg.contains("HiGHS's own search interleaved"), "{msg}");
    }
}

/// The rising share: the LNS's part halves every `period` sub-MIPs without a new best,
/// never below `1 - MAX_SHARE`, never rising a share that starts above that.
#[test]
fn the_share_rises_while_the_lns_finds_nothing() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let p = STALE_HALVING;
    assert!(close(risen_share(0.5, 0, p), 0.5));
    assert!(close(risen_share(0.5, 4, p), 0.75));
    assert!(close(risen_share(0.5, 8, p), 0.875));
    assert!(close(risen_share(0.5, 1000, p), share::MAX_SHARE));
    assert!(close(risen_share(0.95, 7, p), 0.95));
    assert!(close(risen_share(0.0, 4, p), 0.5));
    // A longer period: the same halving takes longer.
    assert!(close(risen_share(0.5, 15, 15.0), 0.75));
    // A period below one sub-MIP is taken as one.
    assert!(close(risen_share(0.5, 1, 0.0), 0.75));
    let mut last = 0.0;
    for stale in 0..40 {
        let s = risen_share(0.3, stale, p);
        assert!(s >= last && s <= share::MAX_SHARE + 1e-12, "{stale}: {s}");
        last = s;
    }
}

/// The halving period follows the LNS's record: [`STALE_HALVING`] while it has found nothing
/// (qiu), twice its sub-MIPs per new best otherwise (gisp-1001's default: 10 new bests in 76
/// sub-MIPs, about 15), never below [`STALE_HALVING`].
#[test]
fn the_halving_period_follows_the_lns_record() {
    assert_eq!(halving_period(0, 0), STALE_HALVING);
    assert_eq!(halving_period(44, 0), STALE_HALVING);
    assert!((halving_period(76, 10) - 15.2).abs() < 1e-12);
    assert_eq!(halving_period(3, 2), STALE_HALVING);
    assert_eq!(halving_period(18, 1), 36.0);
}

/// HiGHS's part of a round by use: its share of what the LNS's part actually took when that
/// ran over (nw04's two 1 s sub-MIPs of 16 s), its share of the round otherwise.
#[test]
fn highs_gets_its_share_of_the_time_the_lns_took() {
    let round = Duration::from_secs(4);
    let lns = Duration::from_secs(16);
    assert_eq!(highs_slice(round, 0.5, lns, false), Duration::from_secs(2));
    assert_eq!(highs_slice(round, 0.5, lns, true), Duration::from_secs(16));
    let s = highs_slice(round, 0.75, lns, true).as_secs_f64();
    assert!((s - 48.0).abs() < 1e-9, "{s}");
    // An LNS part within its time: the round's share.
    let short = Duration::from_millis(1500);
    assert_eq!(highs_slice(round, 0.5, short, true), Duration::from_secs(2));
    // A share of 1 (HiGHS only) is not divided by zero.
    assert_eq!(highs_slice(round, 1.0, lns, true), round);
}

/// With the share rising and HiGHS's part by use, the run is still checked and interleaved,
/// and the message says how the share moved.
#[test]
fn interleaved_with_a_rising_share_gives_checked_solutions() {
    let r = short_interleaved(|o| {
        o.share_rise = true;
        o.share_by_use = true;
    });
    let msg = r.message.unwrap_or_default();
    if r.status != Status::Optimal && !msg.contains("0 slices") {
        assert!(
            msg.contains("rising while the LNS finds no new best"),
            "{msg}"
        );
    }
}

/// With the share rising, every arm is played [`EXPLORE_PLAYS`] times in turn before the
/// bandit chooses, and no sub-MIP counts towards the rise before that; without, the bandit
/// chooses from the first step and every sub-MIP counts.
#[test]
fn the_arms_take_turns_before_the_share_rises() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let arms = 3;
    let bandit = ThompsonBandit::new(arms);
    let turns: Vec<usize> = (1..=6)
        .map(|step| next_arm(true, step, &bandit, arms, &mut rng))
        .collect();
    assert_eq!(turns, [0, 1, 2, 0, 1, 2]);
    for step in 0..=6 {
        assert!(!explored(true, step, arms), "{step}");
        assert!(explored(false, step, arms), "{step}");
    }
    assert!(explored(true, 7, arms));
    // Past its turns (and without them) the bandit's choice: an arm that always wins is
    // chosen almost always.
    let mut bandit = ThompsonBandit::new(arms);
    for _ in 0..50 {
        bandit.update(2, Outcome::NewBest);
        bandit.update(0, Outcome::Rejected);
        bandit.update(1, Outcome::Rejected);
    }
    for explore in [true, false] {
        let picks = (7..107)
            .filter(|&step| next_arm(explore, step, &bandit, arms, &mut rng) == 2)
            .count();
        assert!(picks >= 90, "{explore}: {picks}");
    }
    // No arms: nothing to take turns over (the bandit is not asked either way here).
    assert!(explored(true, 1, 0));
}

/// The assignment structure is found on the models that assign items to resources (one choice
/// row per item, one resource row per bin / machine / knapsack) and on no other generated
/// family.
#[test]
fn assignment_structure_is_found_where_items_are_assigned() {
    use super::assignment::Assignment;
    use quotient_problems::milp::dmip;
    let found = |inst: &MilpInstance| Assignment::detect(&LinearModel::from_instance(inst));
    // Bin packing: 30 items, the capacity rows (the order rows link no items).
    let bp = dmip::bin_packing(30, 1);
    let a = found(&bp).expect("bin packing");
    let bins = bp
        .rows
        .iter()
        .filter(|r| r.name.starts_with("capacity_"))
        .count();
    assert_eq!(a.size(), (30, bins));
    assert_eq!(
        found(&dmip::load_balancing(40, 6, 1)).map(|a| a.size()),
        Some((40, 6))
    );
    assert_eq!(
        found(&dmip::multiple_knapsack(30, 4, 1)).map(|a| a.size()),
        Some((30, 4))
    );
    // Item placement: one resource row per bin and resource (capacity) and the utilisation
    // rows that link the items too.
    let a = found(&dmip::item_placement(42, 4, 1)).expect("item placement");
    assert_eq!(a.size().0, 42);
    // Facility location serves fractions of a customer (continuous x, demand rows >= 1): no
    // choice rows.
    for inst in [
        generate::capacitated_facility_location(20, 6, 5.0, 1),
        generate::set_cover(60, 120, 0.05, 1),
        generate::combinatorial_auction(30, 100, 1),
        generate::independent_set(60, 4, 1),
        dmip::gisp(40, 0.3, 0.75, 1),
    ] {
        assert!(found(&inst).is_none(), "{}", inst.name);
    }
    // Choice rows that hold less than half of the integer columns: not an assignment model.
    let mut mixed = dmip::load_balancing(10, 3, 1);
    let first = mixed.vars.len();
    for k in 0..40 {
        mixed.vars.push(quotient_problems::milp::Variable {
            name: format!("other_{k}"),
            kind: quotient_problems::milp::VarKind::Integer,
            lower: 0.0,
            upper: 1.0,
            obj: 1.0,
        });
    }
    mixed.rows.push(quotient_problems::milp::Row {
        name: "others".into(),
        coefs: (first..first + 40).map(|j| (j, 1.0)).collect(),
        lower: f64::NEG_INFINITY,
        upper: 20.0,
    });
    assert!(found(&mixed).is_none());
    mixed.rows.pop();
    mixed.vars.truncate(first + 20);
    assert!(found(&mixed).is_some(), "30 choice columns of 50 integers");
}

/// The assignment neighbourhood against its from-scratch definition: a column is free exactly
/// when it lies in a picked resource row and either its item is assigned in a picked row, or
/// not assigned, or it is an integer outside every choice row; the tightest row (the machine at
/// the makespan) comes first; every other integer is fixed at its value; and the repair is a
/// solution of the model.
#[test]
fn assignment_frees_the_picked_resources_items() {
    use super::assignment::Assignment;
    use quotient_problems::milp::dmip;
    for inst in [
        dmip::load_balancing(40, 6, 2),
        dmip::bin_packing(24, 2),
        dmip::multiple_knapsack(30, 4, 2),
    ] {
        // A first feasible solution (HiGHS's), so that there is room to improve.
        let base = LinearModel::from_instance(&inst);
        let first = solve_once(
            &base,
            &MipSettings {
                max_improving_sols: Some(1),
                ..Default::default()
            },
            None,
            &Budget::default(),
        );
        let x = first.x.expect("a first solution");
        let f = Fixture {
            ints: base.integer_columns(),
            bins: base.binary_columns(),
            lp: x.clone(),
            cur_obj: base.objective(&x),
            cur: x.clone(),
            other: x.clone(),
            bound: f64::NEG_INFINITY,
            col_rows: super::operators::column_rows(&base),
            base,
        };
        let a = Assignment::detect(&f.base).expect("an assignment model");
        let slack = a.slacks(&f.base, &x);
        for seed in 0..6 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let picked = a.pick_rows(&f.base, &x, 3, &mut rng);
            assert_eq!(picked.len(), 3, "{}", inst.name);
            let least = picked
                .iter()
                .map(|&r| slack[r])
                .fold(f64::INFINITY, f64::min);
            assert!(slack[picked[0]] <= least + 1e-9, "{}", inst.name);
            let is_free = a.free_columns(&f.base, &x, &picked);
            let rows: Vec<usize> = picked.iter().map(|&r| a.resource_rows()[r]).collect();
            let in_picked = |j: usize| f.col_rows[j].iter().any(|i| rows.contains(i));
            assert_eq!(is_free.len(), f.base.num_cols());
            for (j, &free) in is_free.iter().enumerate() {
                let expect = in_picked(j)
                    && match a.choice_of(j) {
                        Some(c) => {
                            let row = f
                                .base
                                .rows
                                .iter()
                                .enumerate()
                                .find(|(_, r)| {
                                    r.coefs.len() >= 2
                                        && r.coefs.iter().all(|&(k, _)| a.choice_of(k) == Some(c))
                                })
                                .map(|(i, _)| i)
                                .expect("the choice row");
                            let at_one: Vec<usize> = f.base.rows[row]
                                .coefs
                                .iter()
                                .map(|&(k, _)| k)
                                .filter(|&k| x[k] >= 0.5)
                                .collect();
                            at_one.first().is_none_or(|&k| in_picked(k))
                        }
                        None => f.base.integer[j],
                    };
                assert_eq!(free, expect, "{} column {j}", inst.name);
            }
        }
        // Through destroy: the non-free integers are fixed at their values, the repair is
        // feasible and no worse.
        for seed in 0..4 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let ctx = Context {
                assignment: Some(&a),
                ..f.ctx()
            };
            let arm = Arm {
                op: Operator::Assignment,
                size: 1,
            };
            let nb = destroy(arm, &ctx, &mut rng).expect("a neighbourhood");
            for j in newly_fixed(&f.base, &nb.model) {
                assert_eq!(nb.model.lower[j], x[j].round(), "{}", inst.name);
            }
            assert!(nb.fixed > 0 && nb.fixed < f.ints.len(), "{}", inst.name);
            let r = solve_once(
                &nb.model,
                &MipSettings {
                    time_cap: Some(Duration::from_secs(2)),
                    ..Default::default()
                },
                nb.start.as_deref(),
                &Budget::default(),
            );
            let y = r.x.expect("the current solution is in the neighbourhood");
            for row in &f.base.rows {
                let act: f64 = row.coefs.iter().map(|&(j, c)| c * y[j]).sum();
                assert!(
                    act >= row.lower - 1e-6 && act <= row.upper + 1e-6,
                    "{}",
                    inst.name
                );
            }
            assert!(f.base.objective(&y) <= f.cur_obj + 1e-6, "{}", inst.name);
        }
    }
}

/// The assignment arm is played where the structure is there (and switched on), and a solve
/// of a load-balancing model with it gives checked answers.
#[test]
fn the_assignment_arm_is_played_on_assignment_models() {
    use super::assignment::Assignment;
    use quotient_problems::milp::dmip;
    let lb = dmip::load_balancing(120, 10, 3);
    let has = |inst: &MilpInstance| Assignment::detect(&LinearModel::from_instance(inst)).is_some();
    let plays = |opts: &AlnsOptions, structure: bool| {
        played_arms(opts, structure)
            .iter()
            .any(|a| a.op == Operator::Assignment)
    };
    let on = AlnsOptions::default();
    assert!(plays(&on, has(&lb)));
    assert!(!plays(&on, has(&generate::set_cover(200, 400, 0.05, 1))));
    let off = AlnsOptions {
        assignment: false,
        ..Default::default()
    };
    assert!(!plays(&off, has(&lb)));
    let r = solve(
        &lb,
        &Budget::new(Some(Duration::from_secs(3))),
        &NoObserver,
        &AlnsOptions {
            initial_time: Some(Duration::from_millis(300)),
            sub_time: Some(Duration::from_millis(200)),
            root_time: Some(Duration::ZERO),
            ..Default::default()
        },
    );
    assert_checked(&lb, &r);
}

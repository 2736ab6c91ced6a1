//! `tsp.exact`: the degree-constrained integer program solved by HiGHS (through the shared
//! driver `milp::highs_model`) again and again, with a subtour elimination constraint appended
//! to the same HiGHS model for every subtour of the last solution, until the solution is one
//! tour. One deadline covers every round. Symmetric: binary `x_ij` (i < j), degree 2.
//! ATSP: binary arcs `x_ij`, in- and out-degree 1. An `tsp.ils` tour warm-starts every solve
//! (it satisfies every cut) and serves as the answer when the time runs out. Meant for n up to
//! about 150; refuses more than [`MAX_EXACT_NODES`].

use super::ils::{self, IlsOptions, tour_cost};
use crate::engine::{Budget, Improvement, NoObserver, Observer, SolveResult, Status};
use crate::milp::highs_callback::load_detachable;
use crate::milp::highs_model::{
    ABANDON_AFTER_CANCEL, LinearModel, LinearRow, MipError, MipSettings, MipStatus,
};
use quotient_problems::tsp::{TspInstance, TspSolution};
use std::time::Duration;

/// Largest instance `solve_exact` accepts.
pub const MAX_EXACT_NODES: usize = 1000;

/// Time given to the `tsp.ils` warm start: a tenth of the limit, at most 0.2 s + 2 ms per node
/// and never more than 2 s (ILS finds the optimum of small instances in milliseconds; the rest
/// of the time is better spent proving it).
fn warm_start_time(n: usize, remaining: Option<Duration>) -> Duration {
    let cap = (Duration::from_millis(200) + Duration::from_millis(2) * n as u32)
        .min(Duration::from_secs(2));
    remaining.map_or(cap, |r| (r / 10).min(cap))
}

/// Iterations given to the `tsp.ils` warm start besides its time: on small instances ILS
/// settles in far fewer iterations than its time allows (12 nodes: a few milliseconds instead
/// of 0.2 s), and the rest is better spent proving.
fn warm_start_iterations(n: usize) -> u64 {
    (100 * n as u64).max(1_000)
}

/// The variables of the model: edges `(i, j)`, `i < j` (symmetric) or arcs `i != j` (ATSP).
fn arcs(inst: &TspInstance) -> Vec<(usize, usize)> {
    let n = inst.n();
    let sym = inst.is_symmetric();
    let mut out = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            if i != j && (!sym || i < j) {
                out.push((i, j));
            }
        }
    }
    out
}

/// The index in [`arcs`]'s order of the arc `i -> j` (of the edge `{i, j}` when `sym`), without
/// a table: row `i` of the symmetric order holds `j = i+1 .. n`, of the asymmetric order every
/// `j != i`. `None` for a loop or a node out of range.
fn arc_index(n: usize, sym: bool, i: usize, j: usize) -> Option<usize> {
    if i == j || i >= n || j >= n {
        return None;
    }
    if sym {
        let (i, j) = (i.min(j), i.max(j));
        // Rows 0..i hold (n-1) + (n-2) + ... + (n-i) arcs.
        Some(i * n - i * (i + 1) / 2 + (j - i - 1))
    } else {
        Some(i * (n - 1) + if j < i { j } else { j - 1 })
    }
}

/// Connected components of the support `x > 0.5`.
fn components(n: usize, arcs: &[(usize, usize)], x: &[f64]) -> Vec<Vec<usize>> {
    let mut uf = super::graph::UnionFind::new(n);
    for (k, &(i, j)) in arcs.iter().enumerate() {
        if x.get(k).copied().unwrap_or(0.0) > 0.5 {
            uf.union(i, j);
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for v in 0..n {
        by_root.entry(uf.find(v)).or_default().push(v);
    }
    by_root.into_values().collect()
}

/// Follow the chosen edges/arcs from node 0 into a tour (`None` if they are not one tour).
fn tour_from(n: usize, sym: bool, arcs: &[(usize, usize)], x: &[f64]) -> Option<Vec<usize>> {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, &(i, j)) in arcs.iter().enumerate() {
        if x.get(k).copied().unwrap_or(0.0) > 0.5 {
            adj[i].push(j);
            if sym {
                adj[j].push(i);
            }
        }
    }
    let mut tour = vec![0usize];
    let mut seen = vec![false; n];
    seen[0] = true;
    let mut prev = usize::MAX;
    let mut v = 0;
    while tour.len() < n {
        let next = *adj[v].iter().find(|&&u| u != prev && !seen[u])?;
        seen[next] = true;
        tour.push(next);
        prev = v;
        v = next;
    }
    Some(tour)
}

/// Solve to proven optimality within the budget. `Optimal` with `bound = objective` when the
/// last integer solution is one tour (or the heuristic tour meets the bound). When time runs
/// out: `Feasible` with the warm-start tour and the last bound, or `Unknown` with the bound.
pub fn solve_exact(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    threads: usize,
) -> SolveResult<TspSolution> {
    let n = inst.n();
    if n == 0 {
        return SolveResult::infeasible("the instance has no nodes");
    }
    if n <= 8 {
        return ils::solve(inst, budget, observer, &IlsOptions::default());
    }
    if n > MAX_EXACT_NODES {
        return SolveResult::unknown(format!(
            "{n} nodes: tsp.exact handles at most {MAX_EXACT_NODES}"
        ));
    }
    let sym = inst.is_symmetric();
    let heur_time = warm_start_time(n, budget.remaining());
    let heur_budget = Budget::new(Some(heur_time))
        .with_max_iterations(Some(warm_start_iterations(n)))
        .with_cancel(budget.cancel_flag().clone());
    let heur = ils::solve(
        inst,
        &heur_budget,
        &NoObserver,
        &IlsOptions {
            threads,
            seed: 1,
            ..Default::default()
        },
    );
    if heur.status == Status::Infeasible {
        return heur;
    }
    let heur_tour = heur.solution.map(|s| s.tour);
    let heur_cost = heur_tour.as_ref().map(|t| tour_cost(inst, t));
    if let Some(c) = heur_cost {
        observer.improved(&Improvement {
            objective: c as f64,
            bound: None,
            elapsed: budget.elapsed(),
            source: "ils",
        });
    }

    // A stop (cancel or deadline) during the warm start, or while the model is built, ends
    // here with the warm start's tour: building and loading the model of 1 000 nodes takes
    // about a second, and HiGHS's presolve (which does not look at the cancel flag) more.
    let stopped = || budget.is_exhausted();
    let before_highs = "stopped before HiGHS";
    if stopped() {
        return warm_start_result(inst, heur_tour, None, before_highs, 0);
    }
    let arcs = arcs(inst);
    let arc_index = |i: usize, j: usize| arc_index(n, sym, i, j);
    let mut lm = LinearModel {
        cost: arcs.iter().map(|&(i, j)| inst.dist(i, j) as f64).collect(),
        lower: vec![0.0; arcs.len()],
        upper: vec![1.0; arcs.len()],
        integer: vec![true; arcs.len()],
        rows: Vec::new(),
        offset: 0.0,
    };
    for &(a, b) in &inst.fixed_edges {
        if let Some(k) = arc_index(a, b) {
            lm.lower[k] = 1.0;
        }
    }
    let initial: Option<Vec<f64>> = heur_tour.as_ref().map(|t| {
        let mut x = vec![0.0; arcs.len()];
        for i in 0..n {
            if let Some(k) = arc_index(t[i], t[(i + 1) % n]) {
                x[k] = 1.0;
            }
        }
        x
    });
    if stopped() {
        return warm_start_result(inst, heur_tour, None, before_highs, 0);
    }
    // Degree rows.
    let degree_row = |terms: Vec<usize>, rhs: f64| LinearRow {
        coefs: terms.into_iter().map(|k| (k, 1.0)).collect(),
        lower: rhs,
        upper: rhs,
    };
    for v in 0..n {
        if v % 64 == 63 && stopped() {
            return warm_start_result(inst, heur_tour, None, before_highs, 0);
        }
        if sym {
            let terms: Vec<usize> = (0..n)
                .filter(|&u| u != v)
                .filter_map(|u| arc_index(u, v))
                .collect();
            lm.rows.push(degree_row(terms, 2.0));
        } else {
            let out: Vec<usize> = (0..n)
                .filter(|&u| u != v)
                .filter_map(|u| arc_index(v, u))
                .collect();
            let inn: Vec<usize> = (0..n)
                .filter(|&u| u != v)
                .filter_map(|u| arc_index(u, v))
                .collect();
            lm.rows.push(degree_row(out, 1.0));
            lm.rows.push(degree_row(inn, 1.0));
        }
    }
    // Integer costs: a gap below 1 proves optimality.
    let settings = MipSettings {
        threads,
        mip_rel_gap: 0.0,
        mip_abs_gap: Some(0.999),
        // The warm start's tour is the answer when HiGHS is still in its presolve at a cancel.
        abandon_after_cancel: Some(ABANDON_AFTER_CANCEL),
        ..Default::default()
    };
    if stopped() {
        return warm_start_result(inst, heur_tour, None, before_highs, 0);
    }
    // Loaded on a thread of its own: a stop during good_lp's conversion or HiGHS's load (steps
    // that cannot look at it) returns with the warm start's tour 30 ms later.
    let mut mip = match load_detachable(lm, settings, &stopped, ABANDON_AFTER_CANCEL) {
        Ok(m) => m,
        Err(MipError::Stopped) => {
            return warm_start_result(inst, heur_tour, None, before_highs, 0);
        }
        Err(e) => return SolveResult::unknown(e.to_string()),
    };
    let mut bound: Option<f64> = None;
    let mut rounds = 0usize;
    let finish_optimal = |tour: Vec<usize>, rounds: usize| {
        let cost = tour_cost(inst, &tour) as f64;
        observer.improved(&Improvement {
            objective: cost,
            bound: Some(cost),
            elapsed: budget.elapsed(),
            source: "highs",
        });
        let mut r = SolveResult::feasible(TspSolution { tour }, cost);
        r.status = Status::Optimal;
        r.bound = Some(cost);
        r.message = Some(format!("{rounds} rounds of subtour cuts"));
        r
    };
    let stop_message = loop {
        if budget.is_exhausted() {
            break "time limit".to_string();
        }
        rounds += 1;
        if let Some(x) = &initial {
            mip.set_start(x);
        }
        let r = mip.solve(budget);
        match r.status {
            MipStatus::Infeasible | MipStatus::InfeasibleOrUnbounded => {
                return SolveResult::infeasible("no tour contains all the fixed edges");
            }
            MipStatus::Unbounded | MipStatus::Stopped => {
                if let Some(b) = r.bound {
                    bound = Some(bound.map_or(b, |old: f64| old.max(b)));
                }
                break format!("HiGHS stopped: {}", r.detail);
            }
            MipStatus::Optimal => {
                let (Some(obj), Some(x)) = (r.objective, r.x) else {
                    break "HiGHS returned no solution".to_string();
                };
                bound = Some(bound.map_or(obj, |old: f64| old.max(obj)));
                let comps = components(n, &arcs, &x);
                if comps.len() == 1
                    && let Some(tour) = tour_from(n, sym, &arcs, &x)
                {
                    return finish_optimal(tour, rounds);
                }
                if let (Some(t), Some(c)) = (&heur_tour, heur_cost)
                    && obj.ceil() >= c as f64 - 1e-6
                {
                    return finish_optimal(t.clone(), rounds);
                }
                for comp in comps {
                    let mut terms = Vec::new();
                    for (a, &i) in comp.iter().enumerate() {
                        for &j in &comp[a + 1..] {
                            terms.extend(arc_index(i, j));
                            if !sym {
                                terms.extend(arc_index(j, i));
                            }
                        }
                    }
                    let coefs: Vec<(usize, f64)> = terms.into_iter().map(|k| (k, 1.0)).collect();
                    if let Err(e) = mip.add_row(&coefs, f64::NEG_INFINITY, comp.len() as f64 - 1.0)
                    {
                        return SolveResult::unknown(e.to_string());
                    }
                }
            }
        }
    };
    warm_start_result(inst, heur_tour, bound, &stop_message, rounds)
}

/// The answer when HiGHS did not finish (stopped, or never started because the budget ended
/// first): the warm start's tour, optimal only when the bound meets it.
fn warm_start_result(
    inst: &TspInstance,
    heur_tour: Option<Vec<usize>>,
    bound: Option<f64>,
    stop_message: &str,
    rounds: usize,
) -> SolveResult<TspSolution> {
    let bound = bound.map(f64::ceil);
    match heur_tour {
        Some(tour) => {
            let cost = tour_cost(inst, &tour) as f64;
            let mut r = SolveResult::feasible(TspSolution { tour }, cost);
            if bound.is_some_and(|b| b >= cost) {
                r.status = Status::Optimal;
                r.bound = Some(cost);
            } else {
                r.bound = bound;
            }
            r.message = Some(format!(
                "{stop_message} after {rounds} rounds; the tour is the warm start's"
            ));
            r
        }
        None => {
            let mut r = SolveResult::unknown(format!("{stop_message} after {rounds} rounds"));
            r.bound = bound;
            r
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::generate;
    use std::time::Instant;

    /// The computed arc index is the position in `arcs`'s list (its from-scratch twin).
    #[test]
    fn arc_index_is_the_position_in_the_arc_list() {
        for n in [1, 2, 3, 7, 20] {
            for sym in [true, false] {
                let list: Vec<(usize, usize)> = (0..n)
                    .flat_map(|i| (0..n).map(move |j| (i, j)))
                    .filter(|&(i, j)| i != j && (!sym || i < j))
                    .collect();
                for (k, &(i, j)) in list.iter().enumerate() {
                    assert_eq!(
                        arc_index(n, sym, i, j),
                        Some(k),
                        "n {n} sym {sym} ({i}, {j})"
                    );
                    if sym {
                        assert_eq!(arc_index(n, sym, j, i), Some(k));
                    }
                }
                assert_eq!(arc_index(n, sym, 0, 0), None);
                assert_eq!(arc_index(n, sym, 0, n), None);
            }
        }
    }

    #[test]
    fn warm_start_time_is_short() {
        assert_eq!(
            warm_start_time(50, None),
            Duration::from_millis(300),
            "0.2 s + 2 ms per node"
        );
        assert_eq!(warm_start_time(5000, None), Duration::from_secs(2));
        assert_eq!(
            warm_start_time(100, Some(Duration::from_secs(1))),
            Duration::from_millis(100)
        );
    }

    /// One deadline covers the warm start and every round of cuts: the solve returns within
    /// its limit plus a small slack (HiGHS stops on its own time limit; the slack covers model
    /// loading and the last round's clean-up on a loaded machine: before the shared driver,
    /// every round got the whole remaining time and solves overran by seconds).
    #[test]
    fn time_limited_solve_returns_within_limit() {
        let inst = generate::uniform(250, 7);
        for limit_ms in [300u64, 1500] {
            let limit = Duration::from_millis(limit_ms);
            let t = Instant::now();
            let r = solve_exact(&inst, &Budget::new(Some(limit)), &NoObserver, 1);
            let took = t.elapsed();
            let slack = Duration::from_secs(1).max(limit / 2);
            assert!(took < limit + slack, "limit {limit:?}, took {took:?}");
            assert!(matches!(r.status, Status::Feasible | Status::Optimal));
            assert!(r.solution.is_some());
        }
    }
}

//! `tsp.exact`: the degree-constrained integer program solved by HiGHS (through good_lp) again
//! and again, with a subtour elimination constraint added for every subtour of the last
//! solution, until the solution is one tour. Symmetric: binary `x_ij` (i < j), degree 2.
//! ATSP: binary arcs `x_ij`, in- and out-degree 1. An `tsp.ils` tour warm-starts every solve
//! (it satisfies every cut) and serves as the answer when the time runs out. Meant for n up to
//! about 150; refuses more than [`MAX_EXACT_NODES`].

use super::ils::{self, IlsOptions, tour_cost};
use crate::engine::{Budget, Improvement, NoObserver, Observer, SolveResult, Status};
use good_lp::solvers::highs::highs as highs_solver;
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, variable};
use highs::{HighsModelStatus, HighsSolutionStatus};
use quotient_problems::tsp::{TspInstance, TspSolution};
use std::time::Duration;

/// Largest instance `solve_exact` accepts.
pub const MAX_EXACT_NODES: usize = 1000;

/// How a good_lp/HiGHS solve ended.
#[derive(Debug)]
enum MipOutcome {
    /// Proven optimal: objective and column values.
    Optimal(f64, Vec<f64>),
    Infeasible,
    /// Stopped early (time limit, interrupt), with HiGHS's dual bound when it has one.
    Stopped(Option<f64>, String),
}

/// Build-solve-read for one binary minimisation model: `costs[j]` per variable, constraints
/// as `(terms, lower, upper)`, optional initial values, within `budget`'s remaining time.
fn solve_binary_model(
    costs: &[f64],
    lower_one: &[bool],
    rows: &[(Vec<usize>, f64, f64)],
    initial: Option<&[f64]>,
    budget: &Budget,
    threads: usize,
) -> MipOutcome {
    let mut pv = ProblemVariables::new();
    let vars: Vec<Variable> = costs
        .iter()
        .enumerate()
        .map(|(j, _)| {
            let mut def = variable().binary();
            if lower_one.get(j).copied().unwrap_or(false) {
                def = def.min(1.0);
            }
            if let Some(v) = initial.and_then(|x| x.get(j)) {
                def = def.initial(*v);
            }
            pv.add(def)
        })
        .collect();
    let mut objective = Expression::with_capacity(costs.len());
    for (c, v) in costs.iter().zip(&vars) {
        objective.add_mul(*c, *v);
    }
    let mut problem = highs_solver(pv.minimise(objective));
    for (terms, lo, hi) in rows {
        let mut e = Expression::with_capacity(terms.len());
        for &j in terms {
            if let Some(v) = vars.get(j) {
                e.add_mul(1.0, *v);
            }
        }
        if lo == hi {
            problem.add_constraint(e.eq(*lo));
        } else {
            if lo.is_finite() {
                problem.add_constraint(e.clone().geq(*lo));
            }
            if hi.is_finite() {
                problem.add_constraint(e.leq(*hi));
            }
        }
    }
    let mut problem = problem.set_threads(threads.clamp(1, 256) as u32);
    if let Some(rem) = budget.remaining() {
        problem = problem.set_time_limit(rem.as_secs_f64().max(0.001));
    }
    problem.set_verbose(false);
    // Integer costs: a gap below 1 proves optimality.
    let problem = problem
        .set_option("mip_rel_gap", 0.0)
        .set_option("mip_abs_gap", 0.999);
    let mut model = match problem.try_into_inner() {
        Ok(m) => m,
        Err(e) => return MipOutcome::Stopped(None, format!("HiGHS rejected the model: {e}")),
    };
    model.make_quiet();
    let solved = match model.try_solve() {
        Ok(s) => s,
        Err(e) => return MipOutcome::Stopped(None, format!("HiGHS failed: {e:?}")),
    };
    let status = solved.status();
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    match status {
        HighsModelStatus::Optimal
            if solved.primal_solution_status() == HighsSolutionStatus::Feasible =>
        {
            let values = solved.get_solution().columns().to_vec();
            MipOutcome::Optimal(solved.objective_value(), values)
        }
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            MipOutcome::Infeasible
        }
        other => MipOutcome::Stopped(bound, format!("HiGHS stopped: {other:?}")),
    }
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
    // Warm start: a short ILS run (a tenth of the time, at most 2 s).
    let heur_time = budget.remaining().map_or(Duration::from_secs(2), |r| {
        (r / 10).min(Duration::from_secs(2))
    });
    let heur_budget = Budget::new(Some(heur_time)).with_cancel(budget.cancel_flag().clone());
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

    let arcs = arcs(inst);
    let index: std::collections::HashMap<(usize, usize), usize> =
        arcs.iter().enumerate().map(|(k, &a)| (a, k)).collect();
    let arc_index = |i: usize, j: usize| {
        let key = if sym && i > j { (j, i) } else { (i, j) };
        index.get(&key).copied()
    };
    let costs: Vec<f64> = arcs.iter().map(|&(i, j)| inst.dist(i, j) as f64).collect();
    let mut lower_one = vec![false; arcs.len()];
    for &(a, b) in &inst.fixed_edges {
        if let Some(k) = arc_index(a, b) {
            lower_one[k] = true;
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
    // Degree rows.
    let mut rows: Vec<(Vec<usize>, f64, f64)> = Vec::new();
    for v in 0..n {
        if sym {
            let terms: Vec<usize> = (0..n)
                .filter(|&u| u != v)
                .filter_map(|u| arc_index(u, v))
                .collect();
            rows.push((terms, 2.0, 2.0));
        } else {
            let out: Vec<usize> = (0..n)
                .filter(|&u| u != v)
                .filter_map(|u| arc_index(v, u))
                .collect();
            let inn: Vec<usize> = (0..n)
                .filter(|&u| u != v)
                .filter_map(|u| arc_index(u, v))
                .collect();
            rows.push((out, 1.0, 1.0));
            rows.push((inn, 1.0, 1.0));
        }
    }
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
        match solve_binary_model(
            &costs,
            &lower_one,
            &rows,
            initial.as_deref(),
            budget,
            threads,
        ) {
            MipOutcome::Infeasible => {
                return SolveResult::infeasible("no tour contains all the fixed edges");
            }
            MipOutcome::Stopped(b, msg) => {
                if let Some(b) = b {
                    bound = Some(bound.map_or(b, |old: f64| old.max(b)));
                }
                break msg;
            }
            MipOutcome::Optimal(obj, x) => {
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
                    rows.push((terms, f64::NEG_INFINITY, comp.len() as f64 - 1.0));
                }
            }
        }
    };
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

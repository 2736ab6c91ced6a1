//! Seeded random MILP generators, after the four classic families used by Gasse et al. (2019)
//! and Ecole. Every generator is deterministic in its arguments (ChaCha8 seeded with `seed`),
//! never panics (degenerate sizes give small or empty models), and names its instance after its
//! arguments, e.g. `setcover-500x1000-s1`. The further Distributional-MIPLIB-style domains
//! (GISP, multiple knapsack, load balancing, bin packing, item placement) are in
//! [`super::dmip`] and re-exported here.

pub use super::dmip::{bin_packing, gisp, item_placement, load_balancing, multiple_knapsack};
use super::model::{MilpInstance, Row, Sense, VarKind, Variable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeSet, HashSet};

/// A binary variable (an integer in [0, 1]) with this objective coefficient.
pub(super) fn binary(name: String, obj: f64) -> Variable {
    Variable {
        name,
        kind: VarKind::Integer,
        lower: 0.0,
        upper: 1.0,
        obj,
    }
}

/// Set cover (Balas & Ho 1980 style, as in Gasse et al. 2019): `rows` elements, `cols` sets,
/// about `rows * cols * density` incidences; every column covers at least one row and every row
/// is covered by at least two columns (when `cols >= 2`). Costs are integers in `1..=100`.
/// Minimise the cost of the chosen sets subject to `sum_{j covers i} x_j >= 1`, `x` binary.
pub fn set_cover(rows: usize, cols: usize, density: f64, seed: u64) -> MilpInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let density = if density.is_nan() {
        0.0
    } else {
        density.clamp(0.0, 1.0)
    };
    let cells = rows.saturating_mul(cols);
    let target = ((cells as f64) * density) as usize;
    let mut sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); rows];
    let mut nnz = 0usize;
    if rows > 0 {
        // every column covers at least one row
        for j in 0..cols {
            let i = rng.random_range(0..rows);
            if let Some(s) = sets.get_mut(i)
                && s.insert(j)
            {
                nnz += 1;
            }
        }
    }
    // every row is covered by at least two columns
    let need = cols.min(2);
    for s in sets.iter_mut() {
        while s.len() < need {
            if s.insert(rng.random_range(0..cols)) {
                nnz += 1;
            }
        }
    }
    // fill up to the target density with random incidences
    let target = target.min(cells);
    let mut tries = 0usize;
    while nnz < target && tries < target.saturating_mul(4) && rows > 0 && cols > 0 {
        tries += 1;
        let i = rng.random_range(0..rows);
        let j = rng.random_range(0..cols);
        if let Some(s) = sets.get_mut(i)
            && s.insert(j)
        {
            nnz += 1;
        }
    }
    let vars = (0..cols)
        .map(|j| binary(format!("x{j}"), rng.random_range(1..=100) as f64))
        .collect();
    let rows_out = sets
        .into_iter()
        .enumerate()
        .map(|(i, s)| Row {
            name: format!("c{i}"),
            coefs: s.into_iter().map(|j| (j, 1.0)).collect(),
            lower: 1.0,
            upper: f64::INFINITY,
        })
        .collect();
    MilpInstance {
        name: format!("setcover-{rows}x{cols}-s{seed}"),
        sense: Sense::Minimize,
        objective_name: "cost".into(),
        obj_constant: 0.0,
        vars,
        rows: rows_out,
    }
}

/// Combinatorial auction, a simplified version of Leyton-Brown et al.'s "arbitrary
/// relationships" distribution (as used by Ecole): items have common values in `[1, 100]` and a
/// random symmetric compatibility in `[0, 1]`; each bid starts from a random item and keeps
/// adding, with probability 0.65 per step, an item drawn proportionally to its compatibility
/// with the bundle; its price is the sum of private values (common value times a factor in
/// `[0.8, 1.2]`) times `|bundle|^0.2` (complementarity), rounded to cents. Maximise revenue;
/// one row per item: the bids containing it sum to at most 1. Bids are binary.
pub fn combinatorial_auction(items: usize, bids: usize, seed: u64) -> MilpInstance {
    const ADD_ITEM_PROB: f64 = 0.65;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let values: Vec<f64> = (0..items).map(|_| rng.random_range(1.0..=100.0)).collect();
    // compat[i][k], symmetric, zero diagonal
    let mut compat = vec![vec![0.0f64; items]; items];
    for i in 0..items {
        for k in (i + 1)..items {
            let c: f64 = rng.random();
            if let Some(row) = compat.get_mut(i)
                && let Some(x) = row.get_mut(k)
            {
                *x = c;
            }
            if let Some(row) = compat.get_mut(k)
                && let Some(x) = row.get_mut(i)
            {
                *x = c;
            }
        }
    }
    let mut item_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); items];
    let mut vars = Vec::with_capacity(bids);
    for b in 0..bids {
        let mut price = 0.0;
        if items > 0 {
            let mut in_bundle = vec![false; items];
            let mut weight = vec![0.0f64; items];
            let mut bundle = Vec::new();
            let mut next = rng.random_range(0..items);
            loop {
                if let Some(f) = in_bundle.get_mut(next) {
                    *f = true;
                }
                bundle.push(next);
                if let Some(row) = compat.get(next) {
                    for (w, c) in weight.iter_mut().zip(row) {
                        *w += c;
                    }
                }
                if bundle.len() >= items || rng.random::<f64>() >= ADD_ITEM_PROB {
                    break;
                }
                let total: f64 = weight
                    .iter()
                    .zip(&in_bundle)
                    .filter(|(_, f)| !**f)
                    .map(|(w, _)| *w)
                    .sum();
                if total <= 0.0 {
                    break;
                }
                let mut r = rng.random::<f64>() * total;
                let mut pick = None;
                for (i, (w, f)) in weight.iter().zip(&in_bundle).enumerate() {
                    if *f {
                        continue;
                    }
                    pick = Some(i);
                    if r < *w {
                        break;
                    }
                    r -= w;
                }
                match pick {
                    Some(p) => next = p,
                    None => break,
                }
            }
            bundle.sort_unstable();
            let private: f64 = bundle
                .iter()
                .map(|&i| values.get(i).copied().unwrap_or(0.0) * rng.random_range(0.8..=1.2))
                .sum();
            price = (private * (bundle.len() as f64).powf(0.2) * 100.0).round() / 100.0;
            for &i in &bundle {
                if let Some(r) = item_rows.get_mut(i) {
                    r.push((b, 1.0));
                }
            }
        }
        vars.push(binary(format!("b{b}"), price));
    }
    let rows = item_rows
        .into_iter()
        .enumerate()
        .map(|(i, coefs)| Row {
            name: format!("item{i}"),
            coefs,
            lower: f64::NEG_INFINITY,
            upper: 1.0,
        })
        .collect();
    MilpInstance {
        name: format!("cauction-{items}x{bids}-s{seed}"),
        sense: Sense::Maximize,
        objective_name: "revenue".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

/// Capacitated facility location (Cornuejols, Sridharan & Thizy 1991, as in Ecole): customers
/// and facilities at random points of the unit square, demands in `5..=35`, capacities in
/// `10..=160` rescaled so that total capacity is `ratio` times total demand, fixed costs
/// `U{100..110} * sqrt(capacity) + U{0..90}`, transport cost `10 * distance * demand`.
/// Variables: `x_i_j` in `[0, 1]` (fraction of customer i served by j), `y_j` binary (open).
/// Rows: demand (`sum_j x_ij >= 1`), capacity (`sum_i d_i x_ij - s_j y_j <= 0`), total capacity
/// (`sum_j s_j y_j >= sum_i d_i`) and tightening (`x_ij - y_j <= 0`). Minimise total cost.
pub fn capacitated_facility_location(
    customers: usize,
    facilities: usize,
    ratio: f64,
    seed: u64,
) -> MilpInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let ratio = if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    };
    let cxy: Vec<(f64, f64)> = (0..customers)
        .map(|_| (rng.random::<f64>(), rng.random::<f64>()))
        .collect();
    let fxy: Vec<(f64, f64)> = (0..facilities)
        .map(|_| (rng.random::<f64>(), rng.random::<f64>()))
        .collect();
    let demands: Vec<f64> = (0..customers)
        .map(|_| rng.random_range(5..=35) as f64)
        .collect();
    let raw_caps: Vec<f64> = (0..facilities)
        .map(|_| rng.random_range(10..=160) as f64)
        .collect();
    let fixed: Vec<f64> = raw_caps
        .iter()
        .map(|c| {
            let a = rng.random_range(100..=110) as f64;
            let b = rng.random_range(0..=90) as f64;
            (a * c.sqrt() + b).floor()
        })
        .collect();
    let total_demand: f64 = demands.iter().sum();
    let total_raw: f64 = raw_caps.iter().sum();
    let caps: Vec<f64> = raw_caps
        .iter()
        .map(|c| {
            if total_raw > 0.0 {
                (c * ratio * total_demand / total_raw).floor()
            } else {
                0.0
            }
        })
        .collect();
    let n_x = customers.saturating_mul(facilities);
    let xi = |i: usize, j: usize| i * facilities + j;
    let yj = |j: usize| n_x + j;
    let mut vars = Vec::with_capacity(n_x + facilities);
    for (i, &(cx, cy)) in cxy.iter().enumerate() {
        for (j, &(fx, fy)) in fxy.iter().enumerate() {
            let d = ((cx - fx).powi(2) + (cy - fy).powi(2)).sqrt();
            let cost = d * 10.0 * demands.get(i).copied().unwrap_or(0.0);
            vars.push(Variable {
                name: format!("x_{i}_{j}"),
                kind: VarKind::Continuous,
                lower: 0.0,
                upper: 1.0,
                obj: cost,
            });
        }
    }
    for (j, &f) in fixed.iter().enumerate() {
        vars.push(binary(format!("y_{j}"), f));
    }
    let mut rows = Vec::new();
    for i in 0..customers {
        rows.push(Row {
            name: format!("demand_{i}"),
            coefs: (0..facilities).map(|j| (xi(i, j), 1.0)).collect(),
            lower: 1.0,
            upper: f64::INFINITY,
        });
    }
    for (j, &cap) in caps.iter().enumerate() {
        let mut coefs: Vec<(usize, f64)> = demands
            .iter()
            .enumerate()
            .map(|(i, &d)| (xi(i, j), d))
            .collect();
        coefs.push((yj(j), -cap));
        coefs.retain(|c| c.1 != 0.0);
        rows.push(Row {
            name: format!("capacity_{j}"),
            coefs,
            lower: f64::NEG_INFINITY,
            upper: 0.0,
        });
    }
    rows.push(Row {
        name: "total_capacity".into(),
        coefs: caps
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0.0)
            .map(|(j, &c)| (yj(j), c))
            .collect(),
        lower: total_demand,
        upper: f64::INFINITY,
    });
    for i in 0..customers {
        for j in 0..facilities {
            rows.push(Row {
                name: format!("tight_{i}_{j}"),
                coefs: vec![(xi(i, j), 1.0), (yj(j), -1.0)],
                lower: f64::NEG_INFINITY,
                upper: 0.0,
            });
        }
    }
    MilpInstance {
        name: format!("cfl-{customers}x{facilities}-s{seed}"),
        sense: Sense::Minimize,
        objective_name: "cost".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

/// Maximum independent set on a Barabási–Albert graph (`nodes` nodes, each new node attached
/// to `affinity` existing ones by preferential attachment, the first `affinity + 1` nodes
/// forming a clique), formulated with clique-partition inequalities as in Gasse et al. / Ecole:
/// a greedy partition of the nodes into cliques (highest degree first); one `sum <= 1` row per
/// clique of two or more nodes plus one `x_u + x_v <= 1` row per edge not inside a clique.
/// Maximise the number of chosen nodes; `x` binary.
pub fn independent_set(nodes: usize, affinity: usize, seed: u64) -> MilpInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let m = affinity.min(nodes.saturating_sub(1));
    let mut adj: Vec<HashSet<usize>> = vec![HashSet::new(); nodes];
    let mut degree = vec![0usize; nodes];
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut add_edge =
        |u: usize, v: usize, adj: &mut Vec<HashSet<usize>>, degree: &mut Vec<usize>| {
            let (a, b) = if u < v { (u, v) } else { (v, u) };
            if a != b && edges.insert((a, b)) {
                if let Some(s) = adj.get_mut(a) {
                    s.insert(b);
                }
                if let Some(s) = adj.get_mut(b) {
                    s.insert(a);
                }
                if let Some(d) = degree.get_mut(a) {
                    *d += 1;
                }
                if let Some(d) = degree.get_mut(b) {
                    *d += 1;
                }
            }
        };
    if m > 0 {
        for i in 0..=m {
            for j in (i + 1)..=m {
                add_edge(i, j, &mut adj, &mut degree);
            }
        }
        for new in (m + 1)..nodes {
            // m distinct targets among 0..new, drawn proportionally to degree
            let mut chosen: Vec<usize> = Vec::with_capacity(m);
            for _ in 0..m {
                let total: usize = (0..new)
                    .filter(|u| !chosen.contains(u))
                    .map(|u| degree.get(u).copied().unwrap_or(0))
                    .sum();
                let pick = if total == 0 {
                    (0..new).find(|u| !chosen.contains(u))
                } else {
                    let mut r = rng.random_range(0..total);
                    let mut p = None;
                    for u in (0..new).filter(|u| !chosen.contains(u)) {
                        let d = degree.get(u).copied().unwrap_or(0);
                        if r < d {
                            p = Some(u);
                            break;
                        }
                        r -= d;
                    }
                    p
                };
                match pick {
                    Some(u) => chosen.push(u),
                    None => break,
                }
            }
            for u in chosen {
                add_edge(new, u, &mut adj, &mut degree);
            }
        }
    }
    // greedy clique partition, highest degree first (ties by index)
    let mut order: Vec<usize> = (0..nodes).collect();
    order.sort_by_key(|&u| (std::cmp::Reverse(degree.get(u).copied().unwrap_or(0)), u));
    let mut assigned = vec![false; nodes];
    let mut cliques: Vec<Vec<usize>> = Vec::new();
    for &center in &order {
        if assigned.get(center).copied().unwrap_or(true) {
            continue;
        }
        let mut clique = vec![center];
        if let Some(a) = assigned.get_mut(center) {
            *a = true;
        }
        let mut nbrs: Vec<usize> = adj
            .get(center)
            .map(|s| {
                s.iter()
                    .copied()
                    .filter(|&v| !assigned.get(v).copied().unwrap_or(true))
                    .collect()
            })
            .unwrap_or_default();
        nbrs.sort_by_key(|&u| (std::cmp::Reverse(degree.get(u).copied().unwrap_or(0)), u));
        for v in nbrs {
            let ok = clique
                .iter()
                .all(|&c| adj.get(c).is_some_and(|s| s.contains(&v)));
            if ok {
                clique.push(v);
                if let Some(a) = assigned.get_mut(v) {
                    *a = true;
                }
            }
        }
        clique.sort_unstable();
        cliques.push(clique);
    }
    let mut remaining = edges;
    let mut rows = Vec::new();
    for clique in &cliques {
        if clique.len() < 2 {
            continue;
        }
        for (k, &a) in clique.iter().enumerate() {
            for &b in clique.iter().skip(k + 1) {
                remaining.remove(&(a, b));
            }
        }
        rows.push(Row {
            name: format!("clique_{}", rows.len()),
            coefs: clique.iter().map(|&u| (u, 1.0)).collect(),
            lower: f64::NEG_INFINITY,
            upper: 1.0,
        });
    }
    for (a, b) in remaining {
        rows.push(Row {
            name: format!("edge_{a}_{b}"),
            coefs: vec![(a, 1.0), (b, 1.0)],
            lower: f64::NEG_INFINITY,
            upper: 1.0,
        });
    }
    let vars = (0..nodes).map(|u| binary(format!("x{u}"), 1.0)).collect();
    MilpInstance {
        name: format!("indset-{nodes}-a{affinity}-s{seed}"),
        sense: Sense::Maximize,
        objective_name: "size".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milp::check::check;
    use crate::milp::model::MilpSolution;

    #[test]
    fn deterministic_and_well_formed() {
        let a = set_cover(50, 80, 0.05, 3);
        assert_eq!(a, set_cover(50, 80, 0.05, 3));
        assert_ne!(a, set_cover(50, 80, 0.05, 4));
        assert_eq!(a.name, "setcover-50x80-s3");
        assert!(a.rows.iter().all(|r| r.coefs.len() >= 2));
        for j in 0..80 {
            assert!(a.rows.iter().any(|r| r.coefs.iter().any(|c| c.0 == j)));
        }
        // all-ones covers everything
        let sol = MilpSolution {
            values: vec![1.0; 80],
        };
        assert!(check(&a, &sol).is_feasible());

        let ca = combinatorial_auction(20, 50, 1);
        assert_eq!(ca, combinatorial_auction(20, 50, 1));
        assert_eq!(ca.rows.len(), 20);
        assert!(ca.vars.iter().all(|v| v.obj > 0.0));
        let zero = MilpSolution {
            values: vec![0.0; 50],
        };
        assert!(check(&ca, &zero).is_feasible());

        let fl = capacitated_facility_location(10, 5, 2.0, 7);
        assert_eq!(fl.vars.len(), 55);
        assert_eq!(fl.rows.len(), 10 + 5 + 1 + 50);
        // open everything, spread every customer evenly: feasible since capacity >= demand * 2
        let mut v = vec![0.2; 50];
        v.extend(std::iter::repeat_n(1.0, 5));
        let r = check(&fl, &MilpSolution { values: v });
        assert!(r.is_feasible(), "{:?}", r.violations);

        let is = independent_set(60, 4, 2);
        assert_eq!(is, independent_set(60, 4, 2));
        assert!(
            check(
                &is,
                &MilpSolution {
                    values: vec![0.0; 60]
                }
            )
            .is_feasible()
        );
    }

    #[test]
    fn degenerate_sizes_do_not_panic() {
        for s in 0..3 {
            let _ = set_cover(0, 0, 0.5, s);
            let _ = set_cover(3, 1, f64::NAN, s);
            let _ = set_cover(1, 5, 2.0, s);
            let _ = combinatorial_auction(0, 3, s);
            let _ = combinatorial_auction(1, 0, s);
            let _ = capacitated_facility_location(0, 0, 0.0, s);
            let _ = capacitated_facility_location(2, 0, f64::NAN, s);
            let _ = independent_set(0, 3, s);
            let _ = independent_set(1, 3, s);
            let _ = independent_set(5, 10, s);
        }
    }
}

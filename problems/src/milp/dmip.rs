//! Seeded generators of the further Distributional-MIPLIB-style domains: generalized independent
//! set (GISP), multiple knapsack, load balancing (makespan on unrelated machines), bin packing and
//! item placement (the ML4CO competition's balancing model). Re-exported by
//! [`super::generate`].
//!
//! As there, every generator is deterministic in its arguments (ChaCha8 seeded with `seed`),
//! never panics on degenerate sizes (empty or tiny models come back) and names its instance after
//! its arguments. Sizes are the caller's to bound: the models have about `rows * cols` variables
//! (GISP: one per removable edge, `nodes^2 * edge_prob / 2` edges on average).

use super::generate::binary;
use super::model::{MilpInstance, Row, Sense, VarKind, Variable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn continuous(name: String, lower: f64, upper: f64, obj: f64) -> Variable {
    Variable {
        name,
        kind: VarKind::Continuous,
        lower,
        upper,
        obj,
    }
}

fn row(name: String, coefs: Vec<(usize, f64)>, lower: f64, upper: f64) -> Row {
    Row {
        name,
        coefs,
        lower,
        upper,
    }
}

/// A probability argument: NaN is 0, the rest clamped to `[0, 1]`.
fn probability(p: f64) -> f64 {
    if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }
}

/// The edges `(u, v)`, `u < v`, of an Erdős–Rényi graph G(n, p), in lexicographic order, drawn
/// by geometric skips (Batagelj & Brandes 2005): time proportional to `n` plus the edges.
fn erdos_renyi(n: usize, p: f64, rng: &mut ChaCha8Rng) -> Vec<(usize, usize)> {
    let mut edges = Vec::new();
    if n < 2 || p <= 0.0 {
        return edges;
    }
    if p >= 1.0 {
        for v in 1..n {
            for u in 0..v {
                edges.push((u, v));
            }
        }
        edges.sort_unstable();
        return edges;
    }
    let log_q = (1.0 - p).ln();
    // Walk the lower triangle row by row: `v` the larger end, `w` the smaller.
    let (mut v, mut w) = (1usize, -1i64);
    while v < n {
        let r: f64 = rng.random();
        let skip = ((1.0 - r).ln() / log_q).floor();
        w += 1 + if skip.is_finite() && skip < 1e12 {
            skip as i64
        } else {
            i64::MAX / 4
        };
        while v < n && w >= v as i64 {
            w -= v as i64;
            v += 1;
        }
        if v < n {
            edges.push((w as usize, v));
        }
    }
    edges.sort_unstable();
    edges
}

/// Generalized independent set (Colombi, Mansini & Savelsbergh 2017; the Distributional MIPLIB
/// generator's defaults): an Erdős–Rényi graph G(`nodes`, `edge_prob`) whose edges are each
/// *removable* with probability `alpha`. Every node earns 100, every removable edge with both
/// ends chosen costs 1. Maximise `100 sum x_v - sum y_e` subject to `x_u + x_v <= 1` on
/// permanent edges and `x_u + x_v - y_e <= 1` on removable ones; `x`, `y` binary. The knobs of
/// difficulty are `nodes` and `edge_prob`.
pub fn gisp(nodes: usize, edge_prob: f64, alpha: f64, seed: u64) -> MilpInstance {
    const REVENUE: f64 = 100.0;
    const REMOVAL_COST: f64 = 1.0;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let p = probability(edge_prob);
    let alpha = probability(alpha);
    let edges = erdos_renyi(nodes, p, &mut rng);
    let mut vars: Vec<Variable> = (0..nodes)
        .map(|v| binary(format!("node_{v}"), REVENUE))
        .collect();
    let mut rows = Vec::with_capacity(edges.len());
    for (u, v) in edges {
        if rng.random::<f64>() < alpha {
            let y = vars.len();
            vars.push(binary(format!("edge_{u}_{v}"), -REMOVAL_COST));
            rows.push(row(
                format!("removable_{u}_{v}"),
                vec![(u, 1.0), (v, 1.0), (y, -1.0)],
                f64::NEG_INFINITY,
                1.0,
            ));
        } else {
            rows.push(row(
                format!("permanent_{u}_{v}"),
                vec![(u, 1.0), (v, 1.0)],
                f64::NEG_INFINITY,
                1.0,
            ));
        }
    }
    MilpInstance {
        name: format!("gisp-{nodes}-p{}-s{seed}", (p * 100.0).round() as u64),
        sense: Sense::Maximize,
        objective_name: "net_revenue".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

/// Multiple knapsack (Pisinger's weakly correlated class with similar capacities): weights in
/// `10..=1000`, profits `weight + U{-100..=100}` (at least 1), knapsack capacities drawn in
/// `[0.4, 0.6] * W / knapsacks` where `W` is the total weight (so about half the weight fits).
/// `x_i_k` binary (item i in knapsack k). Maximise profit; every item in at most one knapsack,
/// every knapsack within its capacity. The knobs are `items` and `knapsacks`.
pub fn multiple_knapsack(items: usize, knapsacks: usize, seed: u64) -> MilpInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let weights: Vec<f64> = (0..items)
        .map(|_| rng.random_range(10..=1000) as f64)
        .collect();
    let profits: Vec<f64> = weights
        .iter()
        .map(|&w| (w + rng.random_range(-100..=100) as f64).max(1.0))
        .collect();
    let total: f64 = weights.iter().sum();
    let per = if knapsacks > 0 {
        total / knapsacks as f64
    } else {
        0.0
    };
    let caps: Vec<f64> = (0..knapsacks)
        .map(|_| (rng.random_range(0.4..=0.6) * per).floor())
        .collect();
    let x = |i: usize, k: usize| i * knapsacks + k;
    let mut vars = Vec::with_capacity(items.saturating_mul(knapsacks));
    for (i, &p) in profits.iter().enumerate() {
        for k in 0..knapsacks {
            vars.push(binary(format!("x_{i}_{k}"), p));
        }
    }
    let mut rows = Vec::with_capacity(items + knapsacks);
    for i in 0..items {
        rows.push(row(
            format!("item_{i}"),
            (0..knapsacks).map(|k| (x(i, k), 1.0)).collect(),
            f64::NEG_INFINITY,
            1.0,
        ));
    }
    for (k, &c) in caps.iter().enumerate() {
        rows.push(row(
            format!("capacity_{k}"),
            weights
                .iter()
                .enumerate()
                .map(|(i, &w)| (x(i, k), w))
                .collect(),
            f64::NEG_INFINITY,
            c,
        ));
    }
    MilpInstance {
        name: format!("mknap-{items}x{knapsacks}-s{seed}"),
        sense: Sense::Maximize,
        objective_name: "profit".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

/// Load balancing on unrelated machines (R||Cmax): processing times `p_ij` in `10..=100`,
/// each job on exactly one machine, minimise the largest machine load `C` (a continuous
/// variable, `sum_i p_ij x_ij <= C` per machine). The knobs are `jobs` and `machines`; the LP
/// bound is weak, so HiGHS rarely closes the gap on a few hundred jobs.
pub fn load_balancing(jobs: usize, machines: usize, seed: u64) -> MilpInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let times: Vec<Vec<f64>> = (0..jobs)
        .map(|_| {
            (0..machines)
                .map(|_| rng.random_range(10..=100) as f64)
                .collect()
        })
        .collect();
    let x = |i: usize, j: usize| i * machines + j;
    let c = jobs.saturating_mul(machines);
    let mut vars = Vec::with_capacity(c + 1);
    for i in 0..jobs {
        for j in 0..machines {
            vars.push(binary(format!("x_{i}_{j}"), 0.0));
        }
    }
    vars.push(continuous("makespan".into(), 0.0, f64::INFINITY, 1.0));
    let mut rows = Vec::with_capacity(jobs + machines);
    for i in 0..jobs {
        rows.push(row(
            format!("assign_{i}"),
            (0..machines).map(|j| (x(i, j), 1.0)).collect(),
            1.0,
            1.0,
        ));
    }
    for j in 0..machines {
        let mut coefs: Vec<(usize, f64)> = times
            .iter()
            .enumerate()
            .map(|(i, t)| (x(i, j), t[j]))
            .collect();
        coefs.push((c, -1.0));
        rows.push(row(format!("load_{j}"), coefs, f64::NEG_INFINITY, 0.0));
    }
    MilpInstance {
        name: format!("loadbal-{jobs}x{machines}-s{seed}"),
        sense: Sense::Minimize,
        objective_name: "makespan".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

/// Bin packing (Falkenauer's uniform class): item sizes in `20..=100`, bin capacity 150, a fifth
/// more bins than first fit decreasing needs (rounded up; with exactly that many, HiGHS found no
/// packing of 150 items in 60 s: the model is then about feasibility, not about the bins used).
/// `x_i_j` binary (item i in bin j),
/// `y_j` binary (bin j used); every item in one bin, `sum_i s_i x_ij <= 150 y_j`, symmetry
/// breaking `y_j >= y_{j+1}`. Minimise the bins used. The knob is `items`.
pub fn bin_packing(items: usize, seed: u64) -> MilpInstance {
    const CAPACITY: f64 = 150.0;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sizes: Vec<f64> = (0..items)
        .map(|_| rng.random_range(20..=100) as f64)
        .collect();
    // First fit decreasing, for the number of bins offered.
    let mut sorted = sizes.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let mut loads: Vec<f64> = Vec::new();
    for s in sorted {
        match loads.iter_mut().find(|l| **l + s <= CAPACITY) {
            Some(l) => *l += s,
            None => loads.push(s),
        }
    }
    let bins = loads.len() + loads.len().div_ceil(5);
    let x = |i: usize, j: usize| i * bins + j;
    let y = |j: usize| items * bins + j;
    let mut vars = Vec::with_capacity(items * bins + bins);
    for i in 0..items {
        for j in 0..bins {
            vars.push(binary(format!("x_{i}_{j}"), 0.0));
        }
    }
    for j in 0..bins {
        vars.push(binary(format!("y_{j}"), 1.0));
    }
    let mut rows = Vec::with_capacity(items + 2 * bins);
    for i in 0..items {
        rows.push(row(
            format!("assign_{i}"),
            (0..bins).map(|j| (x(i, j), 1.0)).collect(),
            1.0,
            1.0,
        ));
    }
    for j in 0..bins {
        let mut coefs: Vec<(usize, f64)> = sizes
            .iter()
            .enumerate()
            .map(|(i, &s)| (x(i, j), s))
            .collect();
        coefs.push((y(j), -CAPACITY));
        rows.push(row(format!("capacity_{j}"), coefs, f64::NEG_INFINITY, 0.0));
    }
    for j in 1..bins {
        rows.push(row(
            format!("order_{j}"),
            vec![(y(j - 1), 1.0), (y(j), -1.0)],
            0.0,
            f64::INFINITY,
        ));
    }
    MilpInstance {
        name: format!("binpack-{items}-s{seed}"),
        sense: Sense::Minimize,
        objective_name: "bins".into(),
        obj_constant: 0.0,
        vars,
        rows,
    }
}

/// Resources per item in [`item_placement`].
pub const PLACEMENT_RESOURCES: usize = 3;

/// Item placement, after the ML4CO competition's balanced multi-dimensional multiple knapsack:
/// `items` items with demands on 3 resources (one in 21 a "big" item, demands in `[0.5, 1]`;
/// the others "small", demands in `[0, 0.1]`), `bins` bins whose capacities per resource add up
/// to twice the total demand (each bin's share drawn in `[0.8, 1.2]`, normalised). Every item
/// is placed in exactly one bin, within capacity; the utilisation `u_br` of bin b in resource r
/// should be the same everywhere (`t_r`, half). Continuous `e_br >= |u_br - t_r|` and
/// `s_r >= e_br`; minimise `sum_r s_r + sum_br e_br / bins` (L-infinity plus mean L1 deviation).
/// The knobs are `items` and `bins`.
pub fn item_placement(items: usize, bins: usize, seed: u64) -> MilpInstance {
    const R: usize = PLACEMENT_RESOURCES;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let demand: Vec<[f64; R]> = (0..items)
        .map(|i| {
            let (lo, hi) = if i % 21 == 20 { (0.5, 1.0) } else { (0.0, 0.1) };
            let mut d = [0.0; R];
            for v in d.iter_mut() {
                *v = (rng.random_range(lo..=hi) * 1e4_f64).round() / 1e4;
            }
            d
        })
        .collect();
    let shares: Vec<f64> = (0..bins).map(|_| rng.random_range(0.8..=1.2)).collect();
    let share_sum: f64 = shares.iter().sum();
    let total: [f64; R] = std::array::from_fn(|r| demand.iter().map(|d| d[r]).sum());
    // cap[b][r]; zero only when nothing is demanded of r.
    let cap: Vec<[f64; R]> = shares
        .iter()
        .map(|s| std::array::from_fn(|r| 2.0 * total[r] * s / share_sum))
        .collect();
    let x = |i: usize, b: usize| i * bins + b;
    let nx = items.saturating_mul(bins);
    let e = |b: usize, r: usize| nx + b * R + r;
    let s = |r: usize| nx + bins * R + r;
    let mut vars = Vec::with_capacity(nx + bins * R + R);
    for i in 0..items {
        for b in 0..bins {
            vars.push(binary(format!("x_{i}_{b}"), 0.0));
        }
    }
    let mean = if bins > 0 { 1.0 / bins as f64 } else { 0.0 };
    for b in 0..bins {
        for r in 0..R {
            vars.push(continuous(format!("dev_{b}_{r}"), 0.0, f64::INFINITY, mean));
        }
    }
    for r in 0..R {
        vars.push(continuous(format!("maxdev_{r}"), 0.0, f64::INFINITY, 1.0));
    }
    let mut rows = Vec::new();
    for i in 0..items {
        rows.push(row(
            format!("place_{i}"),
            (0..bins).map(|b| (x(i, b), 1.0)).collect(),
            1.0,
            1.0,
        ));
    }
    for (b, c) in cap.iter().enumerate() {
        for r in 0..R {
            let usage = |scale: f64| -> Vec<(usize, f64)> {
                demand
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d[r] != 0.0)
                    .map(|(i, d)| (x(i, b), d[r] * scale))
                    .collect()
            };
            rows.push(row(
                format!("capacity_{b}_{r}"),
                usage(1.0),
                f64::NEG_INFINITY,
                c[r],
            ));
            if c[r] <= 0.0 {
                continue;
            }
            // u_br - e_br <= t_r and u_br + e_br >= t_r, with u_br = usage / cap.
            let target = 0.5;
            let mut over = usage(1.0 / c[r]);
            over.push((e(b, r), -1.0));
            rows.push(row(
                format!("over_{b}_{r}"),
                over,
                f64::NEG_INFINITY,
                target,
            ));
            let mut under = usage(1.0 / c[r]);
            under.push((e(b, r), 1.0));
            rows.push(row(format!("under_{b}_{r}"), under, target, f64::INFINITY));
            rows.push(row(
                format!("max_{b}_{r}"),
                vec![(e(b, r), 1.0), (s(r), -1.0)],
                f64::NEG_INFINITY,
                0.0,
            ));
        }
    }
    MilpInstance {
        name: format!("placement-{items}x{bins}-s{seed}"),
        sense: Sense::Minimize,
        objective_name: "imbalance".into(),
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

    fn feasible(inst: &MilpInstance, values: Vec<f64>) -> bool {
        let r = check(inst, &MilpSolution { values });
        r.is_feasible()
    }

    #[test]
    fn erdos_renyi_matches_its_edge_probability() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let e = erdos_renyi(200, 0.1, &mut rng);
        let pairs = 200.0 * 199.0 / 2.0;
        let share = e.len() as f64 / pairs;
        assert!((share - 0.1).abs() < 0.01, "{share}");
        assert!(e.iter().all(|&(u, v)| u < v && v < 200));
        assert!(e.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        assert_eq!(erdos_renyi(6, 1.0, &mut rng).len(), 15);
    }

    #[test]
    fn gisp_is_deterministic_and_well_formed() {
        let g = gisp(40, 0.3, 0.75, 2);
        assert_eq!(g, gisp(40, 0.3, 0.75, 2));
        assert_ne!(g, gisp(40, 0.3, 0.75, 3));
        assert_eq!(g.name, "gisp-40-p30-s2");
        let removable = g.vars.len() - 40;
        let permanent = g.rows.len() - removable;
        assert!(removable > 0 && permanent > 0);
        assert_eq!(
            g.rows.iter().filter(|r| r.coefs.len() == 3).count(),
            removable
        );
        // Every node chosen and every removable edge paid for is feasible; so is nothing.
        let mut all = vec![1.0; g.vars.len()];
        assert!(!feasible(&g, all.clone()) || permanent == 0);
        assert!(feasible(&g, vec![0.0; g.vars.len()]));
        // One node alone is always feasible.
        all.iter_mut().for_each(|v| *v = 0.0);
        all[0] = 1.0;
        assert!(feasible(&g, all));
    }

    #[test]
    fn knapsack_and_load_balancing_are_well_formed() {
        let k = multiple_knapsack(30, 4, 1);
        assert_eq!(k, multiple_knapsack(30, 4, 1));
        assert_ne!(k, multiple_knapsack(30, 4, 2));
        assert_eq!((k.vars.len(), k.rows.len()), (120, 34));
        assert!(k.vars.iter().all(|v| v.obj >= 1.0));
        assert!(feasible(&k, vec![0.0; 120]));
        // All capacities together hold about half the weight: everything packed is infeasible.
        let mut first = vec![0.0; 120];
        (0..30).for_each(|i| first[i * 4] = 1.0);
        assert!(!feasible(&k, first));

        let l = load_balancing(20, 3, 7);
        assert_eq!(l, load_balancing(20, 3, 7));
        assert_eq!((l.vars.len(), l.rows.len()), (61, 23));
        // All jobs on machine 0, makespan its load.
        let mut v = vec![0.0; 61];
        (0..20).for_each(|i| v[i * 3] = 1.0);
        let load: f64 = (0..20)
            .map(|i| {
                l.rows[20]
                    .coefs
                    .iter()
                    .find(|c| c.0 == i * 3)
                    .map_or(0.0, |c| c.1)
            })
            .sum();
        v[60] = load;
        assert!(feasible(&l, v.clone()));
        v[60] = load - 1.0;
        assert!(!feasible(&l, v));
    }

    #[test]
    fn bin_packing_offers_enough_bins() {
        let b = bin_packing(40, 3);
        assert_eq!(b, bin_packing(40, 3));
        let bins = (b.vars.len()) / 41;
        assert_eq!(b.vars.len(), 40 * bins + bins);
        // Lower bound: total size / capacity; first fit decreasing is within 11/9 of optimal + 1,
        // and a fifth more are offered.
        let sizes: Vec<f64> = (0..40).map(|i| b.rows[40].coefs[i].1).collect();
        let lb = (sizes.iter().sum::<f64>() / 150.0).ceil() as usize;
        assert!(
            bins > lb && bins <= (lb * 11 / 9 + 1) * 6 / 5 + 1,
            "{bins} vs {lb}"
        );
        // Item i alone in bin i % bins is not a solution in general; one item per bin on the
        // greedy order is, when bins >= items: check the all-in-own-bin fallback on 3 items.
        let small = bin_packing(3, 1);
        let nb = small.vars.len() / 4;
        let mut v = vec![0.0; small.vars.len()];
        // Each item in the first bin that the model offers: feasible when all three fit.
        let total: f64 = (0..3).map(|i| small.rows[3].coefs[i].1).sum();
        for i in 0..3 {
            v[i * nb] = 1.0;
        }
        v[3 * nb] = 1.0;
        assert_eq!(feasible(&small, v), total <= 150.0);
    }

    #[test]
    fn item_placement_is_well_formed() {
        let p = item_placement(42, 2, 9);
        assert_eq!(p, item_placement(42, 2, 9));
        assert_ne!(p, item_placement(42, 2, 10));
        assert_eq!(p.vars.len(), 42 * 2 + 2 * 3 + 3);
        assert_eq!(p.rows.len(), 42 + 2 * 3 * 4);
        // Alternating (each bin gets one big item and half the small ones; capacities are at
        // least 0.8 of an even share of twice the demand) with the deviations set to what they
        // must be is feasible.
        let mut v = vec![0.0; p.vars.len()];
        (0..42).for_each(|i| v[i * 2 + i % 2] = 1.0);
        let base = 42 * 2;
        for b in 0..2 {
            for r in 0..3 {
                let over = p
                    .rows
                    .iter()
                    .find(|row| row.name == format!("over_{b}_{r}"))
                    .unwrap_or_else(|| panic!("over_{b}_{r}"));
                let u: f64 = over
                    .coefs
                    .iter()
                    .filter(|c| c.0 < base)
                    .map(|c| c.1 * v[c.0])
                    .sum();
                v[base + b * 3 + r] = (u - 0.5).abs();
            }
        }
        for r in 0..3 {
            v[base + 6 + r] = (0..2).map(|b| v[base + b * 3 + r]).fold(0.0, f64::max);
        }
        let rep = check(&p, &MilpSolution { values: v });
        assert!(rep.is_feasible(), "{:?}", rep.violations);
    }

    #[test]
    fn degenerate_sizes_do_not_panic() {
        for s in 0..3 {
            let _ = gisp(0, 0.5, 0.75, s);
            let _ = gisp(1, f64::NAN, f64::NAN, s);
            let _ = gisp(5, 2.0, -1.0, s);
            let _ = gisp(5, 1e-300, 1.0, s);
            let _ = multiple_knapsack(0, 0, s);
            let _ = multiple_knapsack(3, 0, s);
            let _ = multiple_knapsack(0, 3, s);
            let _ = load_balancing(0, 0, s);
            let _ = load_balancing(2, 0, s);
            let _ = load_balancing(0, 2, s);
            let _ = bin_packing(0, s);
            let _ = bin_packing(1, s);
            let _ = item_placement(0, 0, s);
            let _ = item_placement(3, 0, s);
            let _ = item_placement(0, 3, s);
        }
    }
}

//! Destroy operators: each turns the worker's current solution into a neighbourhood, a modified
//! copy of the model (bounds fixed or tightened, a row appended, or the objective replaced)
//! whose solutions are solutions of the original model. The repair step is HiGHS on that copy.

use super::assignment::Assignment;
use crate::milp::highs_model::{LinearModel, LinearRow};
use rand::Rng;
use rand::seq::SliceRandom;
use rand::seq::index::sample;

/// The destroy operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// Fix a random share of the integer variables to their current values.
    Random,
    /// Random, then fix a few of the fixed binaries to the opposite value (may be worse or
    /// infeasible; the annealing rule decides).
    Mutation,
    /// RINS: fix variables where the current solution and the LP relaxation agree.
    Rins,
    /// RENS: fix variables whose LP value is integral to it, bound the others to the floor and
    /// ceiling of their LP value.
    Rens,
    /// Local branching: no fixing, at most `k` binaries may change (Hamming distance row).
    LocalBranching,
    /// Proximity search: minimise the Hamming distance to the current solution subject to an
    /// objective cutoff row `objective <= current - delta`.
    Proximity,
    /// Crossover: fix variables where the current solution and another elite solution agree.
    Crossover,
    /// DINS: fix binaries whose LP value is within 0.5 of the current value, bound general
    /// integers to the current value +- their distance to the LP value.
    Dins,
    /// Graph-induced (after SCIP's GINS): from a random integer variable, a breadth-first walk
    /// over the rows collects the variables to free; every other integer is fixed. The free
    /// part hangs together (variables that share rows), where random fixing scatters it.
    Graph,
    /// Random over the integer columns that appear in more than one row; a column singleton
    /// (an integer variable of one row only, such as GISP's edge-removal variables or a slack
    /// with a cost) is freed with its row whenever another integer of that row is free. Plain
    /// random fixing on packing structures (GISP, auctions) fixes those singletons at 0 and so
    /// forbids every change of the variables they link: the sub-MIPs came back optimal in a few
    /// milliseconds without an improvement (issue 26, session 19).
    Closure,
    /// The residual set-packing neighbourhood (after the winner-removal moves of local search
    /// for set packing): over the *packing rows* (positive coefficients on binaries only, an
    /// upper limit), a connected group of the columns at 1 is released, and exactly the
    /// columns at 0 that then fit into the rows' spare capacity and share a row with a
    /// released column are freed; every other integer is fixed. Random fixing on an auction
    /// frees bids that a fixed winning bid blocks anyway, so its sub-MIPs hold almost nothing
    /// (issue 26); here every freed column is a real alternative. Off by default (`packing`).
    Packing,
    /// The assignment neighbourhood ([`super::assignment`]): on models of items assigned to
    /// resources, a few resource rows (tightest first, then loose and random ones) are freed
    /// and the items that use them, and the unassigned ones, may move between exactly those;
    /// every other integer is fixed. Played only where the model has that structure.
    Assignment,
}

pub const OPERATORS: [Operator; 12] = [
    Operator::Random,
    Operator::Mutation,
    Operator::Rins,
    Operator::Rens,
    Operator::LocalBranching,
    Operator::Proximity,
    Operator::Crossover,
    Operator::Dins,
    Operator::Graph,
    Operator::Closure,
    Operator::Packing,
    Operator::Assignment,
];

/// Share of the integer variables fixed by the fixing operators, per size, when the adaptive
/// centre is at its start ([`FIX_CENTRE`]).
pub const FIX_SHARE: [f64; 3] = [0.5, 0.7, 0.9];
/// Local branching: share of the binaries allowed to change, per size, at the start.
pub const LB_SHARE: [f64; 3] = [0.2, 0.1, 0.05];
/// Where the fixing shares start: the middle size fixes this share.
pub const FIX_CENTRE: f64 = 0.7;
/// The range the centre adapts within (sizes beyond it are clamped to `[0.1, 0.99]`).
pub const FIX_CENTRE_RANGE: (f64, f64) = (0.3, 0.97);

/// The share fixed by an arm of `size` when the centre is `centre`: the three sizes sit 0.2
/// apart around it (0.5, 0.7, 0.9 at the start).
pub fn fix_share(centre: f64, size: usize) -> f64 {
    (centre + 0.2 * (size.min(2) as f64 - 1.0)).clamp(0.1, 0.99)
}

/// Local branching's share of binaries allowed to change: [`LB_SHARE`] scaled with the free
/// share `1 - centre` (unchanged at the start).
pub fn lb_share(centre: f64, size: usize) -> f64 {
    LB_SHARE[size.min(2)] * (1.0 - centre).max(0.01) / (1.0 - FIX_CENTRE)
}
/// Proximity: required improvement as a share of the gap to the dual bound, per size.
pub const PROX_SHARE: [f64; 3] = [0.3, 0.1, 0.01];

/// One arm of the bandit: an operator at one size (0 = largest neighbourhood).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arm {
    pub op: Operator,
    pub size: usize,
}

impl Arm {
    /// A stable name (`rins-70`, `local-branching-10`, ...) for observers and messages: the
    /// size is the share at the start (sizes adapt, see [`fix_share`]).
    pub fn name(self) -> &'static str {
        const NAMES: [[&str; 3]; 12] = [
            ["random-50", "random-70", "random-90"],
            ["mutation-50", "mutation-70", "mutation-90"],
            ["rins-50", "rins-70", "rins-90"],
            ["rens-50", "rens-70", "rens-90"],
            [
                "local-branching-20",
                "local-branching-10",
                "local-branching-5",
            ],
            ["proximity-30", "proximity-10", "proximity-1"],
            ["crossover-50", "crossover-70", "crossover-90"],
            ["dins-50", "dins-70", "dins-90"],
            ["graph-50", "graph-70", "graph-90"],
            ["closure-50", "closure-70", "closure-90"],
            ["packing-50", "packing-70", "packing-90"],
            ["assignment-50", "assignment-70", "assignment-90"],
        ];
        NAMES[self.op.index()][self.size.min(2)]
    }
}

impl Operator {
    /// This operator's position in [`OPERATORS`].
    pub fn index(self) -> usize {
        OPERATORS.iter().position(|&o| o == self).unwrap_or(0)
    }

    /// Whether the neighbourhood's size follows the adaptive centre (all but proximity, whose
    /// size is a required improvement).
    pub fn sized(self) -> bool {
        self != Operator::Proximity
    }
}

/// Every arm: 12 operators x 3 sizes.
pub fn arms() -> Vec<Arm> {
    OPERATORS
        .iter()
        .flat_map(|&op| (0..3).map(move |size| Arm { op, size }))
        .collect()
}

/// What the operators may look at.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The original model (minimised).
    pub base: &'a LinearModel,
    /// Integer and binary columns of `base`.
    pub ints: &'a [usize],
    pub bins: &'a [usize],
    /// The root LP relaxation's solution, when it was solved.
    pub lp: Option<&'a [f64]>,
    pub current: &'a [f64],
    pub current_obj: f64,
    /// Another elite solution (for crossover), different from `current`.
    pub other: Option<&'a [f64]>,
    /// Best proven lower bound (minimised), when known.
    pub bound: Option<f64>,
    /// The adaptive centre of the neighbourhood sizes ([`fix_share`], [`lb_share`]).
    pub fix_centre: f64,
    /// For each column of `base`, the rows it appears in (the graph operator's walk).
    pub col_rows: &'a [Vec<usize>],
    /// The model's assignment structure, when it has one ([`Operator::Assignment`]).
    pub assignment: Option<&'a Assignment>,
}

/// For each column of `m`, the rows it appears in.
pub fn column_rows(m: &LinearModel) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); m.num_cols()];
    for (i, row) in m.rows.iter().enumerate() {
        for &(j, _) in &row.coefs {
            if let Some(v) = out.get_mut(j) {
                v.push(i);
            }
        }
    }
    out
}

/// The integer columns a breadth-first walk from a random integer column reaches over the rows
/// of `ctx.base`, up to `free` of them (rows and their columns taken in random order; a new
/// random start when the walk runs dry).
fn graph_free<R: Rng>(ctx: &Context<'_>, free: usize, rng: &mut R) -> Vec<bool> {
    let base = ctx.base;
    let mut seen_col = vec![false; base.num_cols()];
    let mut seen_row = vec![false; base.rows.len()];
    let mut is_free = vec![false; base.num_cols()];
    let mut freed = 0usize;
    let mut queue = std::collections::VecDeque::new();
    let mut starts = 0usize;
    while freed < free && starts < 8 {
        if queue.is_empty() {
            let j = ctx.ints[rng.random_range(0..ctx.ints.len())];
            starts += 1;
            if seen_col[j] {
                continue;
            }
            seen_col[j] = true;
            queue.push_back(j);
        }
        let Some(j) = queue.pop_front() else { break };
        if base.integer[j] && !is_free[j] {
            is_free[j] = true;
            freed += 1;
        }
        let mut rows: Vec<usize> = ctx
            .col_rows
            .get(j)
            .map(|r| r.iter().copied().filter(|&i| !seen_row[i]).collect())
            .unwrap_or_default();
        rows.shuffle(rng);
        for i in rows {
            seen_row[i] = true;
            let mut cols: Vec<usize> = base.rows[i]
                .coefs
                .iter()
                .map(|&(k, _)| k)
                .filter(|&k| !seen_col[k])
                .collect();
            cols.shuffle(rng);
            for k in cols {
                seen_col[k] = true;
                queue.push_back(k);
            }
            if queue.len() >= 4 * free {
                break;
            }
        }
    }
    is_free
}

/// The packing rows of `m`: a finite upper limit and positive coefficients on binary columns
/// only (set packing, knapsack and assignment rows).
pub(super) fn packing_rows(m: &LinearModel) -> Vec<bool> {
    m.rows
        .iter()
        .map(|row| {
            row.upper.is_finite()
                && !row.coefs.is_empty()
                && row
                    .coefs
                    .iter()
                    .all(|&(j, a)| a > 0.0 && j < m.num_cols() && m.is_binary(j))
        })
        .collect()
}

/// The spare capacity of each packing row of `m` at `x` with the columns in `released` taken
/// out (0 on other rows). The from-scratch count that [`packing_free`] keeps up as it
/// releases columns.
pub(super) fn spare_capacity(
    m: &LinearModel,
    packing: &[bool],
    x: &[f64],
    released: &[bool],
) -> Vec<f64> {
    m.rows
        .iter()
        .zip(packing)
        .map(|(row, &p)| {
            if !p {
                return 0.0;
            }
            let used: f64 = row
                .coefs
                .iter()
                .filter(|&&(j, _)| !released[j])
                .map(|&(j, a)| a * rounded(m, x, j))
                .sum();
            row.upper - used
        })
        .collect()
}

/// Slack allowed when a column's coefficient is compared with a row's spare capacity.
const FIT_TOLERANCE: f64 = 1e-9;

/// The residual set-packing neighbourhood ([`Operator::Packing`]): which columns are free
/// (`is_free`), with up to about `free` of them. Columns at 1 in the current solution that
/// lie in packing rows are released in groups: a *wish* (a column at 0 that the rows'
/// capacity blocks, taken next to the columns released so far when there is one) releases
/// every column at 1 in its packing rows. The free columns are the released ones and every
/// column at 0 that shares a packing row with a released column and fits into the spare
/// capacity of all its packing rows (the spare capacity only grows, so a column is looked at
/// again whenever one of its rows gains some). `None` when the model has no packing row with
/// a column at 1.
pub(super) fn packing_free<R: Rng>(
    ctx: &Context<'_>,
    free: usize,
    rng: &mut R,
) -> Option<Vec<bool>> {
    let base = ctx.base;
    let n = base.num_cols();
    let packing = packing_rows(base);
    // Each column's packing rows with its coefficient there.
    let mut col_packing: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (i, row) in base.rows.iter().enumerate() {
        if packing[i] {
            for &(j, a) in &row.coefs {
                col_packing[j].push((i, a));
            }
        }
    }
    let one = |j: usize| rounded(base, ctx.current, j) >= 0.5;
    let candidates: Vec<usize> = ctx
        .bins
        .iter()
        .copied()
        .filter(|&j| !col_packing[j].is_empty() && !one(j))
        .collect();
    if candidates.is_empty()
        || !ctx
            .bins
            .iter()
            .any(|&j| one(j) && !col_packing[j].is_empty())
    {
        return None;
    }
    let mut spare = spare_capacity(base, &packing, ctx.current, &vec![false; n]);
    let fits = |j: usize, spare: &[f64]| {
        col_packing[j]
            .iter()
            .all(|&(i, a)| a <= spare[i] + FIT_TOLERANCE)
    };
    let mut is_free = vec![false; n];
    let mut wished = vec![false; n];
    let mut count = 0usize;
    // Columns at 0 next to a released column that do not fit yet: the next wishes.
    let mut frontier: Vec<usize> = Vec::new();
    let mut tries = 0usize;
    while count < free && tries < 4 * free.max(8) {
        tries += 1;
        let wish = if frontier.is_empty() {
            candidates[rng.random_range(0..candidates.len())]
        } else {
            frontier.swap_remove(rng.random_range(0..frontier.len()))
        };
        if wished[wish] || is_free[wish] {
            continue;
        }
        wished[wish] = true;
        // A wish that cannot fit even into empty rows releases nothing.
        if !col_packing[wish]
            .iter()
            .all(|&(i, a)| a <= base.rows[i].upper + FIT_TOLERANCE)
        {
            continue;
        }
        let release: Vec<usize> = col_packing[wish]
            .iter()
            .flat_map(|&(i, _)| base.rows[i].coefs.iter().map(|&(k, _)| k))
            .filter(|&k| one(k) && !is_free[k])
            .collect();
        for s in release {
            if is_free[s] {
                continue;
            }
            is_free[s] = true;
            count += 1;
            for &(i, a) in &col_packing[s] {
                spare[i] += a;
            }
            for &(i, _) in &col_packing[s] {
                for &(k, _) in &base.rows[i].coefs {
                    if is_free[k] || one(k) {
                        continue;
                    }
                    if fits(k, &spare) {
                        is_free[k] = true;
                        count += 1;
                    } else if !wished[k] {
                        frontier.push(k);
                    }
                }
            }
        }
    }
    is_free.iter().any(|&f| f).then_some(is_free)
}

/// A neighbourhood: the model to repair, a start solution for HiGHS, and what was done.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    pub model: LinearModel,
    pub start: Option<Vec<f64>>,
    /// Integer variables whose bounds were fixed to one value.
    pub fixed: usize,
    /// The objective was replaced (proximity): judge the result with the base objective.
    pub objective_replaced: bool,
}

/// `x[j]` rounded and clamped to `j`'s bounds in `m`.
fn rounded(m: &LinearModel, x: &[f64], j: usize) -> f64 {
    x[j].round().clamp(m.lower[j], m.upper[j])
}

fn fix(m: &mut LinearModel, j: usize, v: f64) {
    m.lower[j] = v;
    m.upper[j] = v;
}

/// Fix each column of `ints` that `is_free` leaves out at its value in `cur`; how many.
fn fix_all_but(
    m: &mut LinearModel,
    base: &LinearModel,
    cur: &[f64],
    ints: &[usize],
    is_free: &[bool],
) -> usize {
    let mut fixed = 0;
    for &j in ints {
        if !is_free[j] {
            fix(m, j, rounded(base, cur, j));
            fixed += 1;
        }
    }
    fixed
}

/// Choose `k` of `from` at random (all of them when `k >= from.len()`), in a stable order.
fn pick<R: Rng>(from: &[usize], k: usize, rng: &mut R) -> Vec<usize> {
    if k >= from.len() {
        return from.to_vec();
    }
    let mut idx: Vec<usize> = sample(rng, from.len(), k).into_iter().collect();
    idx.sort_unstable();
    idx.into_iter().map(|i| from[i]).collect()
}

fn target(share: f64, n: usize) -> usize {
    ((share * n as f64).round() as usize).min(n)
}

/// Whether `x` lies within the column bounds of `m` (used to keep a start only when valid).
pub(super) fn within_bounds(m: &LinearModel, x: &[f64]) -> bool {
    x.iter()
        .enumerate()
        .all(|(j, &v)| v >= m.lower[j] - 1e-9 && v <= m.upper[j] + 1e-9)
}

/// Build the neighbourhood of `arm`, or `None` when the operator does not apply (no LP
/// solution, no second solution, no binaries, nothing to fix).
pub fn destroy<R: Rng>(arm: Arm, ctx: &Context<'_>, rng: &mut R) -> Option<Neighbourhood> {
    let base = ctx.base;
    let cur = ctx.current;
    let size = arm.size.min(2);
    let fix_target = target(fix_share(ctx.fix_centre, size), ctx.ints.len());
    let mut m = base.clone();
    let mut fixed = 0usize;
    let mut start = Some(cur.to_vec());
    let mut objective_replaced = false;
    match arm.op {
        Operator::Random | Operator::Mutation => {
            let chosen = pick(ctx.ints, fix_target, rng);
            if chosen.is_empty() {
                return None;
            }
            for &j in &chosen {
                fix(&mut m, j, rounded(base, cur, j));
            }
            fixed = chosen.len();
            if arm.op == Operator::Mutation {
                let fixed_bins: Vec<usize> = chosen
                    .iter()
                    .copied()
                    .filter(|&j| base.lower[j] == 0.0 && base.upper[j] == 1.0)
                    .collect();
                if fixed_bins.is_empty() {
                    return None;
                }
                let flips = ((fixed_bins.len() as f64 * 0.02).round() as usize).max(1);
                for j in pick(&fixed_bins, flips, rng) {
                    let v = 1.0 - rounded(base, cur, j);
                    fix(&mut m, j, v);
                }
                start = None;
            }
        }
        Operator::Rins | Operator::Dins => {
            let lp = ctx.lp?;
            let tol = if arm.op == Operator::Rins { 1e-6 } else { 0.5 };
            let pool: &[usize] = if arm.op == Operator::Rins {
                ctx.ints
            } else {
                ctx.bins
            };
            let agree: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|&j| (cur[j] - lp[j]).abs() < tol)
                .collect();
            let chosen = pick(&agree, fix_target, rng);
            for &j in &chosen {
                fix(&mut m, j, rounded(base, cur, j));
            }
            fixed = chosen.len();
            if arm.op == Operator::Dins {
                // General integers: current value +- the distance to the LP value.
                for &j in ctx.ints {
                    if base.lower[j] >= 0.0 && base.upper[j] <= 1.0 {
                        continue;
                    }
                    let c = rounded(base, cur, j);
                    let d = (c - lp[j]).abs();
                    if d >= 0.5 {
                        let d = d.ceil();
                        m.lower[j] = base.lower[j].max(c - d);
                        m.upper[j] = base.upper[j].min(c + d);
                    }
                }
            }
            if fixed == 0 {
                return None;
            }
        }
        Operator::Rens => {
            let lp = ctx.lp?;
            let integral: Vec<usize> = ctx
                .ints
                .iter()
                .copied()
                .filter(|&j| (lp[j] - lp[j].round()).abs() < 1e-6)
                .collect();
            let chosen = pick(&integral, fix_target, rng);
            let mut is_fixed = vec![false; base.num_cols()];
            for &j in &chosen {
                fix(&mut m, j, lp[j].round().clamp(base.lower[j], base.upper[j]));
                is_fixed[j] = true;
            }
            fixed = chosen.len();
            for &j in ctx.ints {
                if !is_fixed[j] {
                    m.lower[j] = base.lower[j].max(lp[j].floor());
                    m.upper[j] = base.upper[j].min(lp[j].ceil());
                }
            }
            if !within_bounds(&m, cur) {
                start = None;
            }
        }
        Operator::LocalBranching => {
            if ctx.bins.is_empty() {
                return None;
            }
            let k = (lb_share(ctx.fix_centre, size) * ctx.bins.len() as f64)
                .round()
                .max(2.0);
            m.rows.push(hamming_row(base, cur, ctx.bins, k));
        }
        Operator::Proximity => {
            let gap = ctx
                .bound
                .map(|b| ctx.current_obj - b)
                .filter(|g| g.is_finite() && *g > 0.0)
                .unwrap_or(ctx.current_obj.abs() * 0.1);
            let mut delta = PROX_SHARE[size] * gap;
            if base.has_integral_objective() {
                delta = delta.ceil().max(1.0);
            } else {
                delta = delta.max(1e-6 * ctx.current_obj.abs().max(1.0));
            }
            // Original objective <= current - delta.
            m.rows.push(LinearRow {
                coefs: (0..base.num_cols())
                    .filter(|&j| base.cost[j] != 0.0)
                    .map(|j| (j, base.cost[j]))
                    .collect(),
                lower: f64::NEG_INFINITY,
                upper: ctx.current_obj - delta - base.offset,
            });
            // Objective: Hamming distance to the current solution over the binaries.
            m.cost = vec![0.0; base.num_cols()];
            m.offset = 0.0;
            for &j in ctx.bins {
                if rounded(base, cur, j) >= 0.5 {
                    m.cost[j] = -1.0;
                    m.offset += 1.0;
                } else {
                    m.cost[j] = 1.0;
                }
            }
            objective_replaced = true;
            start = None;
        }
        Operator::Graph => {
            if ctx.ints.is_empty() {
                return None;
            }
            let free = ctx.ints.len() - fix_target;
            let is_free = graph_free(ctx, free.max(1), rng);
            fixed = fix_all_but(&mut m, base, cur, ctx.ints, &is_free);
            if fixed == 0 {
                return None;
            }
        }
        Operator::Closure => {
            let singleton = |j: usize| ctx.col_rows.get(j).is_some_and(|r| r.len() == 1);
            let linked: Vec<usize> = ctx
                .ints
                .iter()
                .copied()
                .filter(|&j| !singleton(j))
                .collect();
            let chosen = pick(
                &linked,
                target(fix_share(ctx.fix_centre, size), linked.len()),
                rng,
            );
            let mut is_fixed = vec![false; base.num_cols()];
            for &j in &chosen {
                fix(&mut m, j, rounded(base, cur, j));
                is_fixed[j] = true;
            }
            fixed = chosen.len();
            for &j in ctx.ints {
                if !singleton(j) {
                    continue;
                }
                let row = &base.rows[ctx.col_rows[j][0]];
                let linked_free = row
                    .coefs
                    .iter()
                    .any(|&(k, _)| k != j && base.integer[k] && !singleton(k) && !is_fixed[k]);
                if !linked_free {
                    fix(&mut m, j, rounded(base, cur, j));
                    fixed += 1;
                }
            }
            if fixed == 0 {
                return None;
            }
        }
        Operator::Packing => {
            let free = ctx.ints.len().saturating_sub(fix_target).max(1);
            let is_free = packing_free(ctx, free, rng)?;
            fixed = fix_all_but(&mut m, base, cur, ctx.ints, &is_free);
            if fixed == 0 {
                return None;
            }
        }
        Operator::Assignment => {
            let free_share = 1.0 - fix_share(ctx.fix_centre, size);
            let is_free = ctx.assignment?.free(base, cur, free_share, rng)?;
            fixed = fix_all_but(&mut m, base, cur, ctx.ints, &is_free);
            if fixed == 0 {
                return None;
            }
        }
        Operator::Crossover => {
            let other = ctx.other?;
            let agree: Vec<usize> = ctx
                .ints
                .iter()
                .copied()
                .filter(|&j| rounded(base, cur, j) == rounded(base, other, j))
                .collect();
            let chosen = pick(&agree, fix_target, rng);
            if chosen.is_empty() {
                return None;
            }
            for &j in &chosen {
                fix(&mut m, j, rounded(base, cur, j));
            }
            fixed = chosen.len();
        }
    }
    Some(Neighbourhood {
        model: m,
        start,
        fixed,
        objective_replaced,
    })
}

/// The row `sum_{x_j = 0} x_j + sum_{x_j = 1} (1 - x_j) <= k` over `bins`.
pub fn hamming_row(base: &LinearModel, cur: &[f64], bins: &[usize], k: f64) -> LinearRow {
    let mut ones = 0.0;
    let coefs = bins
        .iter()
        .map(|&j| {
            if rounded(base, cur, j) >= 0.5 {
                ones += 1.0;
                (j, -1.0)
            } else {
                (j, 1.0)
            }
        })
        .collect();
    LinearRow {
        coefs,
        lower: f64::NEG_INFINITY,
        upper: k - ones,
    }
}

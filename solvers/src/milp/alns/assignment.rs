//! The assignment neighbourhood ([`super::operators::Operator::Assignment`]): on models where
//! items are assigned to resources (bin packing, load balancing, multiple knapsack, facility
//! location, item placement, generalised assignment), a sub-MIP that frees a few resources and
//! lets the items that use them (and the items not assigned at all) move between exactly those
//! resources, every other assignment fixed.
//!
//! The structure is read off the rows, not told: a *choice row* is a row `sum x_j = 1` or
//! `sum x_j <= 1` over binary columns with coefficients 1 whose columns lie in no other such
//! row (an item's "in exactly / at most one place"); the choice rows are disjoint. A *resource
//! row* is any other row with columns of at least two choice rows (a bin's capacity, a
//! machine's load, a knapsack). The neighbourhood picks a set `R` of resource rows, tightest
//! first (the machines at the makespan, the full bins: where the objective or the packing is
//! decided), then alternately among the loosest (where there is room) and at random; a choice
//! row *moves* when its chosen column lies in a row of `R` or when it has no chosen column;
//! the free columns are the moving choice rows' columns that lie in a row of `R`, and the
//! integer columns outside every choice row that lie in a row of `R` (a bin's "used" variable).
//! Random fixing on these models fixes almost every item in place and leaves free columns
//! that cannot move without moving a fixed one (an item's other bin is full of fixed items):
//! on bin packing and load balancing its sub-MIPs found nothing in 60 s (issue 26).

use crate::milp::highs_model::LinearModel;
use rand::Rng;
use rand::seq::SliceRandom;

/// The assignment structure of a model, found once per solve ([`Assignment::detect`]).
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The columns of each choice row.
    choices: Vec<Vec<usize>>,
    /// For each column, its choice row (an index into `choices`), if any.
    choice_of: Vec<Option<usize>>,
    /// The resource rows (indices into the model's rows).
    resources: Vec<usize>,
    /// For each column, the resource rows it lies in (indices into `resources`).
    col_res: Vec<Vec<usize>>,
    /// For each resource row, the mean absolute coefficient of its choice columns: the unit of
    /// its slack.
    scale: Vec<f64>,
}

/// The least share of the integer columns that the choice rows must hold for
/// [`Assignment::detect`] to see an assignment model.
pub const MIN_COVERAGE: f64 = 0.5;

/// Tolerance of the coefficient and bound tests of [`Assignment::detect`].
const EPS: f64 = 1e-9;

impl Assignment {
    /// The assignment structure of `m`, or `None` when it has fewer than two choice rows, when
    /// they hold less than [`MIN_COVERAGE`] of the integer columns, or when it has fewer than
    /// two resource rows.
    pub fn detect(m: &LinearModel) -> Option<Assignment> {
        let n = m.num_cols();
        let candidate: Vec<bool> = m
            .rows
            .iter()
            .map(|row| {
                row.coefs.len() >= 2
                    && (row.upper - 1.0).abs() <= EPS
                    && row.lower <= 1.0 + EPS
                    && row
                        .coefs
                        .iter()
                        .all(|&(j, a)| (a - 1.0).abs() <= EPS && j < n && m.is_binary(j))
            })
            .collect();
        let mut in_candidates = vec![0u32; n];
        for (row, _) in m.rows.iter().zip(&candidate).filter(|(_, c)| **c) {
            for &(j, _) in &row.coefs {
                in_candidates[j] = in_candidates[j].saturating_add(1);
            }
        }
        let mut choices = Vec::new();
        let mut choice_of = vec![None; n];
        let mut is_choice_row = vec![false; m.rows.len()];
        for (i, row) in m.rows.iter().enumerate() {
            // A column listed twice in one row counts twice and disqualifies it.
            if candidate[i] && row.coefs.iter().all(|&(j, _)| in_candidates[j] == 1) {
                is_choice_row[i] = true;
                for &(j, _) in &row.coefs {
                    choice_of[j] = Some(choices.len());
                }
                choices.push(row.coefs.iter().map(|&(j, _)| j).collect::<Vec<_>>());
            }
        }
        // A model with a few choice rows beside many other integers is not an assignment
        // model: there the operator's sub-MIPs fix almost everything else.
        let choice_cols: usize = choices.iter().map(Vec::len).sum();
        let ints = (0..n).filter(|&j| m.integer[j]).count();
        if choices.len() < 2 || (choice_cols as f64) < MIN_COVERAGE * ints as f64 {
            return None;
        }
        let mut resources = Vec::new();
        let mut col_res = vec![Vec::new(); n];
        let mut scale = Vec::new();
        for (i, row) in m.rows.iter().enumerate() {
            if is_choice_row[i] {
                continue;
            }
            // The row's choice columns: their choice rows and coefficients.
            let linked: Vec<(usize, f64)> = row
                .coefs
                .iter()
                .filter_map(|&(j, a)| choice_of.get(j).copied().flatten().map(|c| (c, a.abs())))
                .collect();
            let mut distinct: Vec<usize> = linked.iter().map(|&(c, _)| c).collect();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() < 2 {
                continue;
            }
            let sum: f64 = linked.iter().map(|&(_, a)| a).sum();
            let r = resources.len();
            resources.push(i);
            scale.push((sum / linked.len() as f64).max(EPS));
            for &(j, _) in &row.coefs {
                if col_res[j].last() != Some(&r) {
                    col_res[j].push(r);
                }
            }
        }
        if resources.len() < 2 {
            return None;
        }
        Some(Assignment {
            choices,
            choice_of,
            resources,
            col_res,
            scale,
        })
    }

    /// How many choice rows and resource rows the structure has.
    pub fn size(&self) -> (usize, usize) {
        (self.choices.len(), self.resources.len())
    }

    /// Each resource row's slack at `x` in units of its [`Assignment::scale`]: the distance of
    /// its activity to the nearer finite side (infinite for a row without one).
    pub fn slacks(&self, m: &LinearModel, x: &[f64]) -> Vec<f64> {
        self.resources
            .iter()
            .zip(&self.scale)
            .map(|(&i, &s)| {
                let row = &m.rows[i];
                let act: f64 = row.coefs.iter().map(|&(j, a)| a * x[j]).sum();
                let mut slack = f64::INFINITY;
                if row.upper.is_finite() {
                    slack = slack.min(row.upper - act);
                }
                if row.lower.is_finite() {
                    slack = slack.min(act - row.lower);
                }
                slack.max(0.0) / s
            })
            .collect()
    }

    /// For each choice row, its chosen column at `x` (the first at 1), if any.
    fn chosen(&self, x: &[f64]) -> Vec<Option<usize>> {
        self.choices
            .iter()
            .map(|cols| cols.iter().copied().find(|&j| x[j] >= 0.5))
            .collect()
    }

    /// For each resource row, whether a chosen column at `x` lies in it.
    fn used(&self, x: &[f64]) -> Vec<bool> {
        let mut used = vec![false; self.resources.len()];
        for j in self.chosen(x).into_iter().flatten() {
            for &r in &self.col_res[j] {
                used[r] = true;
            }
        }
        used
    }

    /// The resource rows (indices into the structure's list) in the order the neighbourhood
    /// takes them, `rows` of those that hold a chosen column at `x`: the tightest (by
    /// [`Assignment::slacks`], ties in random order) up to half of them, then alternately one
    /// of the loosest quarter of the rest and one at random.
    pub fn pick_rows<R: Rng>(
        &self,
        m: &LinearModel,
        x: &[f64],
        rows: usize,
        rng: &mut R,
    ) -> Vec<usize> {
        self.pick_among(&self.used(x), &self.slacks(m, x), rows, rng)
    }

    /// [`Assignment::pick_rows`] given which rows are used and their slacks.
    fn pick_among<R: Rng>(
        &self,
        used: &[bool],
        slack: &[f64],
        rows: usize,
        rng: &mut R,
    ) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.resources.len()).filter(|&r| used[r]).collect();
        order.shuffle(rng);
        order.sort_by(|&a, &b| slack[a].total_cmp(&slack[b]));
        let rows = rows.min(order.len());
        let mut out = Vec::with_capacity(rows);
        if rows == 0 {
            return out;
        }
        // The tightest rows: all those at the least slack, up to half of the pick (at least one).
        let least = slack[order[0]];
        let tol = 1e-6 * (1.0 + least.abs());
        let tight = order
            .iter()
            .take_while(|&&r| slack[r] <= least + tol)
            .count()
            .clamp(1, rows.div_ceil(2));
        out.extend(order.drain(..tight));
        // The rest: alternately one of the loosest quarter and one at random.
        let mut loose = true;
        while out.len() < rows && !order.is_empty() {
            let k = if loose {
                let quarter = order.len().div_ceil(4);
                order.len() - 1 - rng.random_range(0..quarter)
            } else {
                rng.random_range(0..order.len())
            };
            out.push(order.remove(k));
            loose = !loose;
        }
        out
    }

    /// The free columns of the neighbourhood over the resource rows `picked` at `x`: the
    /// moving choice rows' columns that lie in a picked row and the integer columns outside
    /// every choice row that lie in one.
    pub fn free_columns(&self, m: &LinearModel, x: &[f64], picked: &[usize]) -> Vec<bool> {
        let n = m.num_cols();
        let mut in_r = vec![false; self.resources.len()];
        for &r in picked {
            in_r[r] = true;
        }
        let touches = |j: usize| self.col_res[j].iter().any(|&r| in_r[r]);
        let mut is_free = vec![false; n];
        for (cols, chosen) in self.choices.iter().zip(self.chosen(x)) {
            if chosen.is_some_and(|c| !touches(c)) {
                continue;
            }
            for &j in cols {
                if touches(j) {
                    is_free[j] = true;
                }
            }
        }
        for &r in picked {
            for &(j, _) in &m.rows[self.resources[r]].coefs {
                if m.integer[j] && self.choice_of[j].is_none() {
                    is_free[j] = true;
                }
            }
        }
        is_free
    }

    /// The neighbourhood of a free share `free_share` of the used resource rows (at least
    /// two): which columns are free. `None` when fewer than two resource rows hold a chosen
    /// column.
    pub fn free<R: Rng>(
        &self,
        m: &LinearModel,
        x: &[f64],
        free_share: f64,
        rng: &mut R,
    ) -> Option<Vec<bool>> {
        let used = self.used(x);
        let count = used.iter().filter(|&&u| u).count();
        if count < 2 {
            return None;
        }
        let rows = ((free_share * count as f64).round() as usize).clamp(2, count);
        let picked = self.pick_among(&used, &self.slacks(m, x), rows, rng);
        Some(self.free_columns(m, x, &picked))
    }

    /// The resource rows' indices in the model, in the structure's order.
    pub fn resource_rows(&self) -> &[usize] {
        &self.resources
    }

    /// The choice row of column `j`, if any.
    pub fn choice_of(&self, j: usize) -> Option<usize> {
        self.choice_of.get(j).copied().flatten()
    }
}

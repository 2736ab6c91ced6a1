//! The one HiGHS driver of quotient. Every solver that needs a MIP or an LP (`milp.highs`,
//! `milp.alns`, `tsp.exact`) describes its model as a [`LinearModel`] (plain data, always a
//! minimisation, cheap to clone and modify), hands it to a [`HighsMip`] with [`MipSettings`], and
//! reads a [`MipResult`]: HiGHS's own status, the primal solution, the objective and the dual
//! bound. A [`HighsMip`] stays alive across solves, so a cut loop appends rows
//! ([`HighsMip::add_row`]) and re-solves without rebuilding; every solve takes its time limit
//! from the caller's [`Budget`], so one deadline covers all rounds.
//!
//! The model is built as a good_lp problem on good_lp's HiGHS backend; the HiGHS model is then
//! taken out of it (`HighsProblem::try_into_inner`) so that the driver can keep it between
//! solves, append rows and set HiGHS options good_lp does not expose.

use super::highs_callback::{
    CallbackState, Detached, OnImproving, Steer, SteerEvent, solve_detachable,
    solve_with_callbacks, spawn_steered,
};
use crate::engine::Budget;
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, constraint, variable};
use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem};
use quotient_problems::milp::{MilpInstance, Sense, VarKind};
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A row `lower <= sum(coef * x) <= upper` (infinite bounds allowed).
#[derive(Debug, Clone, PartialEq)]
pub struct LinearRow {
    pub coefs: Vec<(usize, f64)>,
    pub lower: f64,
    pub upper: f64,
}

/// A mixed-integer linear model, minimised: `min cost . x + offset` subject to the rows and the
/// column bounds, with `integer[j]` marking integer columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinearModel {
    pub cost: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub integer: Vec<bool>,
    pub rows: Vec<LinearRow>,
    pub offset: f64,
}

impl LinearModel {
    /// The model of a [`MilpInstance`], turned into a minimisation: a maximised objective is
    /// negated ([`LinearModel::to_instance_objective`] turns values back).
    pub fn from_instance(inst: &MilpInstance) -> Self {
        let sign = sense_sign(inst.sense);
        let n = inst.vars.len();
        let rows = inst
            .rows
            .iter()
            .map(|r| LinearRow {
                coefs: r.coefs.iter().copied().filter(|&(j, _)| j < n).collect(),
                lower: r.lower,
                upper: r.upper,
            })
            .collect();
        LinearModel {
            cost: inst.vars.iter().map(|v| sign * v.obj).collect(),
            lower: inst.vars.iter().map(|v| v.lower).collect(),
            upper: inst.vars.iter().map(|v| v.upper).collect(),
            integer: inst
                .vars
                .iter()
                .map(|v| v.kind == VarKind::Integer)
                .collect(),
            rows,
            offset: sign * inst.obj_constant,
        }
    }

    pub fn num_cols(&self) -> usize {
        self.cost.len()
    }

    /// The (minimised) objective of `x`, offset included.
    pub fn objective(&self, x: &[f64]) -> f64 {
        self.offset + self.cost.iter().zip(x).map(|(c, v)| c * v).sum::<f64>()
    }

    /// Whether every integer column has an integral objective coefficient and every continuous
    /// column none: then every objective value is an integer plus the offset.
    pub fn has_integral_objective(&self) -> bool {
        self.cost
            .iter()
            .zip(&self.integer)
            .all(|(&c, &int)| if int { c.fract() == 0.0 } else { c == 0.0 })
    }

    /// Indices of the integer columns.
    pub fn integer_columns(&self) -> Vec<usize> {
        (0..self.num_cols()).filter(|&j| self.integer[j]).collect()
    }

    /// Indices of the binary columns (integer with bounds within [0, 1]).
    pub fn binary_columns(&self) -> Vec<usize> {
        (0..self.num_cols())
            .filter(|&j| self.is_binary(j))
            .collect()
    }

    /// Whether column `j` is an integer column within `[0, 1]`.
    pub fn is_binary(&self, j: usize) -> bool {
        self.integer[j] && self.lower[j] >= 0.0 && self.upper[j] <= 1.0
    }
}

/// +1 for minimisation, -1 for maximisation: `instance objective = sign * model objective`.
pub fn sense_sign(sense: Sense) -> f64 {
    match sense {
        Sense::Minimize => 1.0,
        Sense::Maximize => -1.0,
    }
}

/// Turn a minimised model value (objective or bound) back into the instance's sense.
pub fn to_instance_objective(sense: Sense, value: f64) -> f64 {
    sense_sign(sense) * value
}

/// The usual [`MipSettings::abandon_after_cancel`]: how long after a cancel a caller that holds
/// a solution of its own waits for HiGHS to stop.
pub const ABANDON_AFTER_CANCEL: Duration = Duration::from_millis(30);

/// Options passed to HiGHS for one solve.
#[derive(Debug, Clone, PartialEq)]
pub struct MipSettings {
    pub threads: usize,
    pub seed: u64,
    /// Relative gap at which the MIP solver stops.
    pub mip_rel_gap: f64,
    /// Absolute gap at which the MIP solver stops (`None`: HiGHS's default).
    pub mip_abs_gap: Option<f64>,
    pub presolve: bool,
    /// Stop after this many improving solutions (1 = the first feasible solution).
    pub max_improving_sols: Option<u32>,
    /// Stop after this many branch-and-bound nodes.
    pub max_nodes: Option<u32>,
    /// Objective cutoff: only solutions with a (minimised) objective below it are looked for.
    pub cutoff: Option<f64>,
    /// Solve the LP relaxation (integrality ignored).
    pub relax: bool,
    /// A cap on the time of each solve, below the budget's remaining time.
    pub time_cap: Option<Duration>,
    /// A soft time limit: past it, the MIP solve stops as soon as it has a feasible solution
    /// (it runs on, up to the hard limit, while it has none).
    pub soft_time: Option<Duration>,
    pub verbose: bool,
    /// Solve on a thread of its own and, this long after a cancel or the budget's deadline,
    /// return without waiting for HiGHS when it has not stopped (its presolve, and some phases
    /// of its MIP solver, look neither at the interrupt callbacks nor at the time limit: two
    /// seconds of presolve on a 1 000-node TSP model, 1.8 s in a `milp.alns` sub-MIP). An
    /// abandoned solve returns `Stopped` with the last improving solution HiGHS reported, if
    /// any (callers such as `tsp.exact` and `milp.alns` also hold a solution of their own).
    /// `None` (the default): HiGHS runs on the caller's thread and is always waited for.
    pub abandon_after_cancel: Option<Duration>,
}

impl Default for MipSettings {
    fn default() -> Self {
        MipSettings {
            threads: 1,
            seed: 0,
            mip_rel_gap: 1e-6,
            mip_abs_gap: None,
            presolve: true,
            max_improving_sols: None,
            max_nodes: None,
            cutoff: None,
            relax: false,
            time_cap: None,
            soft_time: None,
            verbose: false,
            abandon_after_cancel: None,
        }
    }
}

/// How a solve ended, in HiGHS's own words reduced to what callers act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MipStatus {
    /// Proven optimal (within the gaps).
    Optimal,
    /// Proven infeasible (or, with a cutoff, nothing below the cutoff).
    Infeasible,
    /// Proven unbounded.
    Unbounded,
    /// Infeasible or unbounded, HiGHS did not say which.
    InfeasibleOrUnbounded,
    /// Stopped by a limit (time, nodes, solutions) or an error; see `detail`.
    Stopped,
}

/// What one solve returned. Objective and bound are in the model's (minimised) terms, offset
/// included.
#[derive(Debug, Clone, PartialEq)]
pub struct MipResult {
    pub status: MipStatus,
    /// Column values when HiGHS has a feasible solution.
    pub x: Option<Vec<f64>>,
    pub objective: Option<f64>,
    /// Proven lower bound (MIP dual bound, or the LP optimum for a relaxation).
    pub bound: Option<f64>,
    /// HiGHS's model status, for messages.
    pub detail: String,
}

impl MipResult {
    fn stopped(detail: impl Into<String>) -> Self {
        MipResult {
            status: MipStatus::Stopped,
            x: None,
            objective: None,
            bound: None,
            detail: detail.into(),
        }
    }
}

/// Why a model could not be handed to HiGHS.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MipError {
    #[error("HiGHS rejected the model: {0}")]
    Rejected(String),
    #[error("HiGHS rejected option {0}")]
    Option(&'static str),
    #[error("row refers to column {col} of a model with {cols} columns")]
    BadColumn { col: usize, cols: usize },
    #[error("stopped while the model was being built")]
    Stopped,
}

/// A model loaded into HiGHS, kept between solves (rows can be appended, a start given).
#[derive(Debug)]
pub struct HighsMip {
    /// `None` only while HiGHS runs (the crate's solve consumes the model and gives it back).
    model: Option<highs::Model>,
    settings: MipSettings,
    /// HiGHS's handles of the columns (the crate builds them only while loading).
    cols: Vec<highs::Col>,
    offset: f64,
    num_cols: usize,
    has_integers: bool,
    /// Integer columns (all false for an LP relaxation): their values are snapped to the
    /// nearest integer when HiGHS returns them within its feasibility tolerance of one.
    integer: Vec<bool>,
    /// A model without columns (HiGHS cannot report a solution status for one): whether
    /// every row's range holds 0, so the empty point is optimal; `None` when there are columns.
    empty_feasible: Option<bool>,
}

/// HiGHS's default `mip_feasibility_tolerance`: an integer column within this of an integer
/// is integral to HiGHS, and is returned as that integer.
const INTEGRALITY_SNAP: f64 = 1e-6;

/// Shortest time limit handed to HiGHS (it treats 0 as "stop at once" anyway).
const MIN_TIME_LIMIT: f64 = 0.001;

impl HighsMip {
    /// Load `lm` into HiGHS with `settings`.
    pub fn new(lm: &LinearModel, settings: &MipSettings) -> Result<Self, MipError> {
        Self::new_unless(lm, settings, &|| false)
    }

    /// [`HighsMip::new`], giving up with [`MipError::Stopped`] as soon as `stop` says so
    /// (asked every few thousand columns and rows while the model is built: a model of
    /// 500 000 columns takes about a second to build; HiGHS's own load is one call).
    pub fn new_unless(
        lm: &LinearModel,
        settings: &MipSettings,
        stop: &dyn Fn() -> bool,
    ) -> Result<Self, MipError> {
        let n = lm.num_cols();
        if let Some(col) = lm
            .rows
            .iter()
            .flat_map(|r| r.coefs.iter().map(|&(j, _)| j))
            .find(|&j| j >= n)
        {
            return Err(MipError::BadColumn { col, cols: n });
        }
        let relax = settings.relax;
        let mut model = build_with_good_lp(lm, relax, stop)?;
        let cols = column_handles(n);
        model.make_quiet();
        if settings.verbose {
            set(&mut model, "output_flag", true, "output_flag")?;
            set(&mut model, "log_to_console", true, "log_to_console")?;
        }
        let threads = settings.threads.clamp(1, 256) as i32;
        set(&mut model, "threads", threads, "threads")?;
        set(
            &mut model,
            "random_seed",
            (settings.seed % (i32::MAX as u64)) as i32,
            "random_seed",
        )?;
        set(
            &mut model,
            "mip_rel_gap",
            settings.mip_rel_gap,
            "mip_rel_gap",
        )?;
        if let Some(g) = settings.mip_abs_gap {
            set(&mut model, "mip_abs_gap", g, "mip_abs_gap")?;
        }
        if !settings.presolve {
            set(&mut model, "presolve", "off", "presolve")?;
        }
        if let Some(k) = settings.max_improving_sols {
            let k = k.clamp(1, i32::MAX as u32) as i32;
            set(
                &mut model,
                "mip_max_improving_sols",
                k,
                "mip_max_improving_sols",
            )?;
        }
        if let Some(k) = settings.max_nodes {
            let k = k.min(i32::MAX as u32) as i32;
            set(&mut model, "mip_max_nodes", k, "mip_max_nodes")?;
        }
        if let Some(c) = settings.cutoff {
            // HiGHS compares its own objective (without our offset) with the bound.
            set(
                &mut model,
                "objective_bound",
                c - lm.offset,
                "objective_bound",
            )?;
        }
        let empty_feasible =
            (n == 0).then(|| lm.rows.iter().all(|r| r.lower <= 0.0 && 0.0 <= r.upper));
        Ok(HighsMip {
            model: Some(model),
            settings: settings.clone(),
            cols,
            offset: lm.offset,
            empty_feasible,
            num_cols: n,
            has_integers: !relax && lm.integer.iter().any(|&b| b),
            integer: if relax {
                vec![false; n]
            } else {
                lm.integer.clone()
            },
        })
    }

    /// Append the row `lower <= sum(coef * x) <= upper` (kept for every later solve).
    pub fn add_row(
        &mut self,
        coefs: &[(usize, f64)],
        lower: f64,
        upper: f64,
    ) -> Result<(), MipError> {
        if let Some(&(col, _)) = coefs.iter().find(|(j, _)| *j >= self.num_cols) {
            return Err(MipError::BadColumn {
                col,
                cols: self.num_cols,
            });
        }
        let cols = &self.cols;
        let model = self
            .model
            .as_mut()
            .ok_or_else(|| MipError::Rejected("model lost after a failed solve".into()))?;
        model
            .try_add_row(lower..=upper, coefs.iter().map(|&(j, c)| (cols[j], c)))
            .map(|_| ())
            .map_err(|e| MipError::Rejected(format!("{e:?}")))
    }

    /// Give HiGHS a start solution (ignored by HiGHS when it is infeasible). Returns false when
    /// `x` has the wrong length.
    pub fn set_start(&mut self, x: &[f64]) -> bool {
        if x.len() != self.num_cols {
            return false;
        }
        self.model
            .as_mut()
            .is_some_and(|m| m.try_set_solution(Some(x), None, None, None).is_ok())
    }

    /// Solve within the budget's remaining time (capped by `settings.time_cap`). A budget that
    /// is already exhausted returns `Stopped` without calling HiGHS.
    pub fn solve(&mut self, budget: &Budget) -> MipResult {
        self.solve_observed(budget, None)
    }

    /// [`HighsMip::solve`], calling `on_improving` with the (minimised, offset included)
    /// objective of every improving MIP solution while HiGHS runs. The budget's cancel flag
    /// interrupts HiGHS itself (its simplex, IPM and MIP interrupt callbacks), so a cancel stops
    /// a solve within HiGHS's polling interval, not at its time limit.
    pub fn solve_observed(
        &mut self,
        budget: &Budget,
        on_improving: Option<&(dyn Fn(f64) + Sync)>,
    ) -> MipResult {
        if let Some(feasible) = self.empty_feasible {
            let value = feasible.then_some(self.offset);
            return MipResult {
                status: if feasible {
                    MipStatus::Optimal
                } else {
                    MipStatus::Infeasible
                },
                x: feasible.then(Vec::new),
                objective: value,
                bound: value,
                detail: "no columns".into(),
            };
        }
        if budget.is_exhausted() {
            return MipResult::stopped("time limit");
        }
        let Some(mut model) = self.model.take() else {
            return MipResult::stopped("model lost after a failed solve");
        };
        let limit = match (budget.remaining(), self.settings.time_cap) {
            (Some(r), Some(c)) => Some(r.min(c)),
            (r, c) => r.or(c),
        };
        let limit = limit.map_or(f64::INFINITY, |d| d.as_secs_f64().max(MIN_TIME_LIMIT));
        if model.try_set_option("time_limit", limit).is_err() {
            self.model = Some(model);
            return MipResult::stopped("HiGHS rejected option time_limit");
        }
        let offset = self.offset;
        if let Some(grace) = self.settings.abandon_after_cancel {
            let integer = self.integer.clone();
            let has_integers = self.has_integers;
            let read = move |solved: &highs::SolvedModel| {
                read_solved(solved, &integer, offset, has_integers)
            };
            let report = on_improving.map(|f| move |obj: f64| f(obj + offset));
            return match solve_detachable(
                model,
                budget.cancel_flag().clone(),
                budget.remaining().map(|r| Instant::now() + r),
                self.settings.soft_time.map(|t| Instant::now() + t),
                report.as_ref().map(|f| f as &(dyn Fn(f64) + Sync)),
                grace,
                read,
            ) {
                Detached::Solved(result, model) => {
                    self.model = Some(model);
                    result
                }
                Detached::Failed(e) => MipResult::stopped(format!("HiGHS failed: {e:?}")),
                Detached::Abandoned(incumbent) => {
                    let detail = format!(
                        "{}; HiGHS had not stopped {} ms later (its presolve, and some phases of its MIP, do not look at the interrupt callbacks) and was left to stop on its own{}",
                        if budget.is_cancelled() {
                            "cancelled"
                        } else {
                            "time limit"
                        },
                        grace.as_millis(),
                        if incumbent.is_some() {
                            "; its last improving solution is returned"
                        } else {
                            ""
                        }
                    );
                    match incumbent.filter(|(_, x)| x.len() == self.num_cols) {
                        Some((obj, mut x)) => {
                            snap_integers(&mut x, &self.integer);
                            MipResult {
                                status: MipStatus::Stopped,
                                x: Some(x),
                                objective: Some(obj + offset),
                                bound: None,
                                detail,
                            }
                        }
                        None => MipResult::stopped(detail),
                    }
                }
            };
        }
        let report = on_improving.map(|f| move |obj: f64, _: &[f64]| f(obj + offset));
        let state = CallbackState {
            cancel: budget.cancel_flag(),
            soft_deadline: self.settings.soft_time.map(|t| Instant::now() + t),
            on_improving: report.as_ref().map(|f| f as &OnImproving<'_>),
            steer: None,
        };
        let solved = match solve_with_callbacks(model, &state) {
            Ok(s) => s,
            Err(e) => return MipResult::stopped(format!("HiGHS failed: {e:?}")),
        };
        let result = self.read(&solved);
        self.model = Some(highs::Model::from(solved));
        result
    }

    /// Solve on a thread of its own within the budget's remaining time, steered by `steer`
    /// (pause, resume, solutions handed in, finish: [`Steer`]); improving solutions and the
    /// result come through the returned channel. `Err` when the solve cannot start.
    pub(crate) fn spawn_steered(
        mut self,
        budget: &Budget,
        steer: Arc<Steer>,
    ) -> Result<Receiver<SteerEvent<MipResult>>, String> {
        if self.empty_feasible.is_some() {
            return Err("a model without columns".into());
        }
        let Some(mut model) = self.model.take() else {
            return Err("model lost after a failed solve".into());
        };
        let limit = budget
            .remaining()
            .map_or(f64::INFINITY, |d| d.as_secs_f64().max(MIN_TIME_LIMIT));
        if model.try_set_option("time_limit", limit).is_err() {
            return Err("HiGHS rejected option time_limit".into());
        }
        let (integer, offset, has_integers) =
            (self.integer.clone(), self.offset, self.has_integers);
        spawn_steered(
            model,
            budget.cancel_flag().clone(),
            steer,
            move |solved: &highs::SolvedModel| read_solved(solved, &integer, offset, has_integers),
        )
        .ok_or_else(|| "cannot start HiGHS's thread".into())
    }

    fn read(&self, solved: &highs::SolvedModel) -> MipResult {
        read_solved(solved, &self.integer, self.offset, self.has_integers)
    }
}

/// Integer columns within HiGHS's feasibility tolerance of an integer become that integer.
fn snap_integers(x: &mut [f64], integer: &[bool]) {
    for (v, &int) in x.iter_mut().zip(integer) {
        if int && (*v - v.round()).abs() <= INTEGRALITY_SNAP {
            *v = v.round();
        }
    }
}

/// A solved model's result: integer columns snapped, the offset added back.
fn read_solved(
    solved: &highs::SolvedModel,
    integer: &[bool],
    offset: f64,
    has_integers: bool,
) -> MipResult {
    let status = solved.status();
    let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
    let x = has_solution.then(|| {
        let mut x = solved.get_solution().columns().to_vec();
        snap_integers(&mut x, integer);
        x
    });
    let objective = has_solution.then(|| solved.objective_value() + offset);
    let bound = if has_integers {
        solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
            .map(|b| b + offset)
    } else if status == HighsModelStatus::Optimal {
        objective
    } else {
        None
    };
    let mip_status = match status {
        HighsModelStatus::Optimal if has_solution => MipStatus::Optimal,
        HighsModelStatus::Infeasible => MipStatus::Infeasible,
        HighsModelStatus::Unbounded => MipStatus::Unbounded,
        HighsModelStatus::UnboundedOrInfeasible => MipStatus::InfeasibleOrUnbounded,
        HighsModelStatus::ObjectiveBound if !has_solution => MipStatus::Infeasible,
        _ => MipStatus::Stopped,
    };
    MipResult {
        status: mip_status,
        x,
        objective,
        bound,
        detail: format!("{status:?}"),
    }
}

/// Build `lm` as a good_lp problem on its HiGHS backend and take HiGHS's model out of it.
/// Columns keep their order (good_lp adds one HiGHS column per variable, in creation order);
/// a ranged row becomes a `>=` and a `<=` row, a row free on both sides is left out.
fn build_with_good_lp(
    lm: &LinearModel,
    relax: bool,
    stop: &dyn Fn() -> bool,
) -> Result<highs::Model, MipError> {
    /// Columns or rows between two looks at `stop`.
    const POLL: usize = 4096;
    let n = lm.num_cols();
    let mut vars = ProblemVariables::new();
    let mut xs: Vec<Variable> = Vec::with_capacity(n);
    for j in 0..n {
        if j % POLL == POLL - 1 && stop() {
            return Err(MipError::Stopped);
        }
        let lo = lm.lower.get(j).copied().unwrap_or(f64::NEG_INFINITY);
        let hi = lm.upper.get(j).copied().unwrap_or(f64::INFINITY);
        let def = variable().min(lo).max(hi);
        let int = !relax && lm.integer.get(j).copied().unwrap_or(false);
        xs.push(vars.add(if int { def.integer() } else { def }));
    }
    let mut objective = Expression::with_capacity(n);
    for (&c, &x) in lm.cost.iter().zip(&xs) {
        if c != 0.0 {
            objective.add_mul(c, x);
        }
    }
    let mut problem = vars
        .minimise(objective)
        .using(good_lp::solvers::highs::highs);
    for (i, row) in lm.rows.iter().enumerate() {
        if i % POLL == POLL - 1 && stop() {
            return Err(MipError::Stopped);
        }
        let mut e = Expression::with_capacity(row.coefs.len());
        for &(j, c) in &row.coefs {
            e.add_mul(c, xs[j]);
        }
        match (row.lower.is_finite(), row.upper.is_finite()) {
            (true, true) if row.lower == row.upper => {
                problem.add_constraint(constraint::eq(e, row.upper));
            }
            (true, true) => {
                problem.add_constraint(constraint::geq(e.clone(), row.lower));
                problem.add_constraint(constraint::leq(e, row.upper));
            }
            (true, false) => {
                problem.add_constraint(constraint::geq(e, row.lower));
            }
            (false, true) => {
                problem.add_constraint(constraint::leq(e, row.upper));
            }
            (false, false) => {}
        }
    }
    if stop() {
        return Err(MipError::Stopped);
    }
    problem
        .try_into_inner()
        .map_err(|e| MipError::Rejected(e.to_string()))
}

/// HiGHS's handles of columns `0..n`. The `highs` crate makes them only while adding columns,
/// and a handle is nothing but the column's index, so a scratch row-wise problem with `n`
/// columns yields the handles of the model good_lp built (same columns, same order).
fn column_handles(n: usize) -> Vec<highs::Col> {
    let mut scratch = RowProblem::default();
    (0..n).map(|_| scratch.add_column(0.0, 0.0..=0.0)).collect()
}

fn set<V: highs::HighsOptionValue>(
    model: &mut highs::Model,
    key: &str,
    value: V,
    name: &'static str,
) -> Result<(), MipError> {
    model
        .try_set_option(key, value)
        .map_err(|_| MipError::Option(name))
}

/// Load, optionally warm start, and solve once.
pub fn solve_once(
    lm: &LinearModel,
    settings: &MipSettings,
    start: Option<&[f64]>,
    budget: &Budget,
) -> MipResult {
    solve_once_observed(lm, settings, start, budget, None)
}

/// HiGHS answers "infeasible or unbounded" (`InfeasibleOrUnbounded`) when its presolve or LP
/// finds a ray along which the objective improves without limit before it has found a feasible
/// point; reporting that as infeasible was wrong for unbounded models. This decides which: the
/// same model without its objective is solved within the same budget; feasible means unbounded
/// (the model is one of the two), infeasible means infeasible. Any other result `r` is returned
/// as it is, and so is `r` when the second solve does not decide (the budget ended).
pub fn settle_infeasible_or_unbounded(
    lm: &LinearModel,
    settings: &MipSettings,
    budget: &Budget,
    r: MipResult,
) -> MipResult {
    if r.status != MipStatus::InfeasibleOrUnbounded {
        return r;
    }
    let feasibility = LinearModel {
        cost: vec![0.0; lm.cost.len()],
        offset: 0.0,
        ..lm.clone()
    };
    let plain = MipSettings {
        cutoff: None,
        soft_time: None,
        max_improving_sols: None,
        max_nodes: None,
        ..settings.clone()
    };
    let f = solve_once(&feasibility, &plain, None, budget);
    let settled = |status: MipStatus, what: &str| MipResult {
        status,
        x: None,
        objective: None,
        bound: None,
        detail: format!(
            "{what} (HiGHS said infeasible or unbounded; the model without its objective is {})",
            if status == MipStatus::Unbounded {
                "feasible"
            } else {
                "infeasible"
            }
        ),
    };
    match f.status {
        MipStatus::Infeasible => settled(MipStatus::Infeasible, "infeasible"),
        MipStatus::Optimal => settled(MipStatus::Unbounded, "unbounded"),
        _ => r,
    }
}

/// [`solve_once`], reporting improving solutions as [`HighsMip::solve_observed`] does.
pub fn solve_once_observed(
    lm: &LinearModel,
    settings: &MipSettings,
    start: Option<&[f64]>,
    budget: &Budget,
    on_improving: Option<&(dyn Fn(f64) + Sync)>,
) -> MipResult {
    match HighsMip::new(lm, settings) {
        Ok(mut mip) => {
            if let Some(x) = start {
                mip.set_start(x);
            }
            mip.solve_observed(budget, on_improving)
        }
        Err(e) => MipResult::stopped(e.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// max x + y, x + 2y <= 4, 3x + y <= 6, x, y >= 0 integer (optimum 2, LP optimum 2.8 at
    /// (1.6, 1.2)), as the minimisation of 10 - (x + y).
    fn small() -> LinearModel {
        LinearModel {
            cost: vec![-1.0, -1.0],
            lower: vec![0.0, 0.0],
            upper: vec![f64::INFINITY, f64::INFINITY],
            integer: vec![true, true],
            rows: vec![
                LinearRow {
                    coefs: vec![(0, 1.0), (1, 2.0)],
                    lower: f64::NEG_INFINITY,
                    upper: 4.0,
                },
                LinearRow {
                    coefs: vec![(0, 3.0), (1, 1.0)],
                    lower: f64::NEG_INFINITY,
                    upper: 6.0,
                },
            ],
            offset: 10.0,
        }
    }

    #[test]
    fn solves_a_small_mip_and_its_relaxation() {
        let r = solve_once(&small(), &MipSettings::default(), None, &Budget::default());
        assert_eq!(r.status, MipStatus::Optimal);
        assert!((r.objective.unwrap() - 8.0).abs() < 1e-9);
        assert!((r.bound.unwrap() - 8.0).abs() < 1e-6);
        let lp = solve_once(
            &small(),
            &MipSettings {
                relax: true,
                ..Default::default()
            },
            None,
            &Budget::default(),
        );
        assert_eq!(lp.status, MipStatus::Optimal);
        // LP optimum x = 1.6, y = 1.2.
        assert!((lp.objective.unwrap() - 7.2).abs() < 1e-6);
        assert_eq!(lp.bound, lp.objective);
    }

    #[test]
    fn a_model_without_columns_is_solved_without_highs() {
        let empty = |rows: Vec<LinearRow>| LinearModel {
            rows,
            offset: 3.0,
            ..LinearModel::default()
        };
        let r = solve_once(
            &empty(vec![]),
            &MipSettings::default(),
            None,
            &Budget::default(),
        );
        assert_eq!(r.status, MipStatus::Optimal, "{r:?}");
        assert_eq!(r.x, Some(vec![]));
        assert_eq!(r.objective, Some(3.0));
        let row = |lower: f64, upper: f64| LinearRow {
            coefs: vec![],
            lower,
            upper,
        };
        let holds = empty(vec![row(f64::NEG_INFINITY, 0.0), row(-1.0, 1.0)]);
        let r = solve_once(&holds, &MipSettings::default(), None, &Budget::default());
        assert_eq!(r.status, MipStatus::Optimal, "{r:?}");
        let fails = empty(vec![row(1.0, f64::INFINITY)]);
        let r = solve_once(&fails, &MipSettings::default(), None, &Budget::default());
        assert_eq!(r.status, MipStatus::Infeasible, "{r:?}");
        assert!(r.x.is_none());
        // One column and no rows goes to HiGHS as usual.
        let one = LinearModel {
            cost: vec![1.0],
            lower: vec![-2.0],
            upper: vec![5.0],
            integer: vec![true],
            rows: vec![],
            offset: 0.0,
        };
        let r = solve_once(&one, &MipSettings::default(), None, &Budget::default());
        assert_eq!(r.status, MipStatus::Optimal, "{r:?}");
        assert_eq!(r.x, Some(vec![-2.0]));
    }

    #[test]
    fn appended_rows_change_the_next_solve() {
        let mut mip = HighsMip::new(&small(), &MipSettings::default()).unwrap();
        let r = mip.solve(&Budget::default());
        assert!((r.objective.unwrap() - 8.0).abs() < 1e-9);
        mip.add_row(&[(0, 1.0), (1, 1.0)], f64::NEG_INFINITY, 1.0)
            .unwrap();
        let r = mip.solve(&Budget::default());
        assert_eq!(r.status, MipStatus::Optimal);
        assert!((r.objective.unwrap() - 9.0).abs() < 1e-9);
        mip.add_row(&[(0, 1.0)], 5.0, f64::INFINITY).unwrap();
        let r = mip.solve(&Budget::default());
        assert_eq!(r.status, MipStatus::Infeasible);
        assert!(mip.add_row(&[(7, 1.0)], 0.0, 1.0).is_err());
    }

    #[test]
    fn cutoff_below_the_optimum_is_infeasible() {
        let r = solve_once(
            &small(),
            &MipSettings {
                cutoff: Some(7.5),
                ..Default::default()
            },
            None,
            &Budget::default(),
        );
        assert_eq!(r.status, MipStatus::Infeasible, "{r:?}");
        assert!(r.x.is_none());
    }

    #[test]
    fn an_exhausted_budget_does_not_call_highs() {
        let b = Budget::new(Some(Duration::ZERO));
        let t = Instant::now();
        let r = solve_once(&small(), &MipSettings::default(), None, &b);
        assert_eq!(r.status, MipStatus::Stopped);
        assert!(t.elapsed() < Duration::from_millis(100));
    }

    /// The cancel flag reaches HiGHS through its interrupt callbacks: a solve with a 60 s limit
    /// on a model HiGHS does not finish in seconds stops soon after the flag is set, and the
    /// improving solutions found before are reported while HiGHS runs.
    #[test]
    fn cancel_interrupts_a_running_highs_solve() {
        let inst = quotient_problems::milp::generate::set_cover(500, 1000, 0.05, 1);
        let lm = LinearModel::from_instance(&inst);
        let budget = Budget::new(Some(Duration::from_secs(60)));
        let cancel = budget.cancel_flag().clone();
        let improvements = std::sync::Mutex::new(Vec::new());
        let report = |obj: f64| improvements.lock().unwrap().push(obj);
        let cancelled_at = std::sync::Mutex::new(None);
        let r = std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(1500));
                *cancelled_at.lock().unwrap() = Some(Instant::now());
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            });
            solve_once_observed(&lm, &MipSettings::default(), None, &budget, Some(&report))
        });
        // Measured from the cancel, with room for a loaded machine (a debug build beside
        // benchmarks took 7.7 s once); the budget left was over 58 s.
        let secs = cancelled_at
            .lock()
            .unwrap()
            .map_or(0.0, |t| t.elapsed().as_secs_f64());
        assert!(
            secs < 20.0,
            "the solve ran {secs:.2} s after the cancel: {r:?}"
        );
        assert_ne!(
            r.status,
            MipStatus::Optimal,
            "solved before the cancel; pick a harder model"
        );
        assert_eq!(r.detail, "ReachedInterrupt", "{r:?}");
        let seen = improvements.lock().unwrap().clone();
        assert!(!seen.is_empty(), "no improving solution reported");
        // Reported objectives improve, and the returned one is the last reported.
        assert!(seen.windows(2).all(|w| w[1] <= w[0] + 1e-9), "{seen:?}");
        if let Some(obj) = r.objective {
            assert!(
                (obj - seen[seen.len() - 1]).abs() < 1e-6,
                "{obj} vs {seen:?}"
            );
        }
    }

    /// A soft time limit stops the solve once it has passed and a feasible solution exists:
    /// with a zero soft limit, at the first feasible solution, long before the hard limit.
    #[test]
    fn a_soft_time_limit_stops_at_the_first_solution_past_it() {
        let inst = quotient_problems::milp::generate::set_cover(500, 1000, 0.05, 1);
        let lm = LinearModel::from_instance(&inst);
        let budget = Budget::new(Some(Duration::from_secs(60)));
        let t = Instant::now();
        let r = solve_once(
            &lm,
            &MipSettings {
                soft_time: Some(Duration::ZERO),
                ..Default::default()
            },
            None,
            &budget,
        );
        assert!(t.elapsed() < Duration::from_secs(30), "{:?}", t.elapsed());
        assert_eq!(r.status, MipStatus::Stopped, "{r:?}");
        assert_eq!(r.detail, "ReachedInterrupt", "{r:?}");
        assert!(r.x.is_some() && r.objective.is_some(), "{r:?}");
        // Without a soft limit the same solve runs on (here: to a 3 s cap) and is no worse.
        let longer = solve_once(
            &lm,
            &MipSettings {
                time_cap: Some(Duration::from_secs(3)),
                ..Default::default()
            },
            None,
            &budget,
        );
        assert!(longer.objective.unwrap() <= r.objective.unwrap() + 1e-9);
    }

    #[test]
    fn from_instance_negates_a_maximisation() {
        let inst = quotient_problems::milp::generate::combinatorial_auction(10, 20, 3);
        assert_eq!(inst.sense, Sense::Maximize);
        let lm = LinearModel::from_instance(&inst);
        let r = solve_once(&lm, &MipSettings::default(), None, &Budget::default());
        assert_eq!(r.status, MipStatus::Optimal);
        let x = r.x.unwrap();
        let value = to_instance_objective(inst.sense, lm.objective(&x));
        assert!(value > 0.0);
        let report = quotient_problems::milp::check(
            &inst,
            &quotient_problems::milp::MilpSolution { values: x },
        );
        assert!(report.is_feasible());
        assert!((report.objective - value).abs() < 1e-6);
    }

    /// A steered solve takes a solution handed in before it starts as its first incumbent,
    /// waits in a callback while paused (reporting nothing), and ends when told to.
    #[test]
    fn a_steered_solve_takes_offers_pauses_and_finishes() {
        use super::super::highs_callback::{Steer, SteerEvent};
        let inst = quotient_problems::milp::generate::set_cover(500, 1000, 0.05, 1);
        let lm = LinearModel::from_instance(&inst);
        let mip = HighsMip::new(&lm, &MipSettings::default()).unwrap();
        let steer = Arc::new(Steer::default());
        // Every column chosen: a cover, worse than anything HiGHS finds itself.
        let all = vec![1.0; lm.num_cols()];
        steer.offer(all.clone());
        let rx = mip
            .spawn_steered(&Budget::new(Some(Duration::from_secs(60))), steer.clone())
            .unwrap();
        let first = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(SteerEvent::Improving(x)) => x,
            _ => panic!("no improving solution"),
        };
        // HiGHS takes it through its presolve, which may set a dominated column to 0: the first
        // incumbent is the offered solution but for such columns.
        let differ = first
            .iter()
            .zip(&all)
            .filter(|(a, b)| (*a - *b).abs() > 1e-9)
            .count();
        assert!(
            first.len() == all.len() && differ * 100 <= all.len(),
            "the first incumbent is not the offered solution: {differ} columns differ"
        );
        steer.pause();
        assert!(
            steer.wait_parked(Duration::from_secs(10)),
            "HiGHS did not wait"
        );
        while rx.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(300));
        assert!(steer.is_parked());
        assert!(rx.try_recv().is_err(), "HiGHS went on while paused");
        steer.resume();
        steer.finish();
        let t = Instant::now();
        loop {
            match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(SteerEvent::Done(r)) => {
                    let r = r.unwrap();
                    assert_eq!(r.status, MipStatus::Stopped);
                    let x = r.x.unwrap();
                    let report = quotient_problems::milp::check(
                        &inst,
                        &quotient_problems::milp::MilpSolution { values: x },
                    );
                    assert!(report.is_feasible());
                    break;
                }
                Ok(SteerEvent::Improving(_)) => {}
                Err(e) => panic!("no end: {e:?}"),
            }
        }
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    }
}

//! `milp.highs`: the instance is built as a good_lp problem, handed to HiGHS, and the result is
//! read back with HiGHS's own model status so that `optimal` is reported only with a proof.

use crate::engine::{Budget, Improvement, Observer, SolveResult, Status};
use good_lp::solvers::highs::highs as highs_solver;
use good_lp::{Expression, ProblemVariables, SolverModel, variable};
use highs::HighsModelStatus;
use quotient_problems::milp::{MilpInstance, MilpSolution, Sense, VarKind};

/// Options passed through to HiGHS.
#[derive(Debug, Clone)]
pub struct HighsOptions {
    pub threads: usize,
    pub seed: u64,
    /// Relative MIP gap at which HiGHS stops (default: 1e-6, below HiGHS's 1e-4, so `optimal`
    /// matches the reference values the benchmarks use).
    pub mip_rel_gap: f64,
    pub initial: Option<Vec<f64>>,
    pub verbose: bool,
}

impl Default for HighsOptions {
    fn default() -> Self {
        HighsOptions {
            threads: 1,
            seed: 0,
            mip_rel_gap: 1e-6,
            initial: None,
            verbose: false,
        }
    }
}

/// Solve with HiGHS within the budget's time limit.
pub fn solve(
    inst: &MilpInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &HighsOptions,
) -> SolveResult<MilpSolution> {
    let mut pv = ProblemVariables::new();
    let mut vars = Vec::with_capacity(inst.vars.len());
    for v in &inst.vars {
        let mut def = variable().name(v.name.clone());
        if v.lower.is_finite() {
            def = def.min(v.lower);
        }
        if v.upper.is_finite() {
            def = def.max(v.upper);
        }
        if v.kind == VarKind::Integer {
            def = def.integer();
        }
        if let Some(init) = opts.initial.as_ref().and_then(|x| x.get(vars.len())) {
            def = def.initial(*init);
        }
        vars.push(pv.add(def));
    }
    let mut objective = Expression::with_capacity(inst.vars.len());
    for (v, var) in inst.vars.iter().zip(&vars) {
        if v.obj != 0.0 {
            objective.add_mul(v.obj, *var);
        }
    }
    let unsolved = match inst.sense {
        Sense::Minimize => pv.minimise(objective),
        Sense::Maximize => pv.maximise(objective),
    };
    let mut problem = highs_solver(unsolved);
    for row in &inst.rows {
        let mut e = Expression::with_capacity(row.coefs.len());
        for &(j, c) in &row.coefs {
            if let Some(var) = vars.get(j) {
                e.add_mul(c, *var);
            }
        }
        if row.lower == row.upper {
            problem.add_constraint(e.eq(row.lower));
        } else {
            if row.lower.is_finite() {
                problem.add_constraint(e.clone().geq(row.lower));
            }
            if row.upper.is_finite() {
                problem.add_constraint(e.leq(row.upper));
            }
        }
    }
    let remaining = budget.remaining().map(|d| d.as_secs_f64().max(0.001));
    let mut problem = problem.set_threads(opts.threads.clamp(1, 256) as u32);
    if let Some(secs) = remaining {
        problem = problem.set_time_limit(secs);
    }
    problem.set_verbose(opts.verbose);
    let problem = problem
        .set_option("mip_rel_gap", opts.mip_rel_gap)
        .set_option("random_seed", (opts.seed % (i32::MAX as u64)) as i32);
    let mut model = match problem.try_into_inner() {
        Ok(m) => m,
        Err(e) => return SolveResult::unknown(format!("HiGHS rejected the model: {e}")),
    };
    if !opts.verbose {
        model.make_quiet();
    }
    let solved = match model.try_solve() {
        Ok(s) => s,
        Err(e) => return SolveResult::unknown(format!("HiGHS failed: {e:?}")),
    };
    let status = solved.status();
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let objective = inst.obj_constant + solved.objective_value();
    let bound = bound.map(|b| b + inst.obj_constant);
    let mut result = match status {
        HighsModelStatus::Infeasible => {
            return SolveResult::infeasible("HiGHS proved the model infeasible");
        }
        HighsModelStatus::Unbounded => {
            return SolveResult {
                status: Status::Unbounded,
                solution: None,
                objective: None,
                bound: None,
                message: Some("HiGHS proved the model unbounded".into()),
            };
        }
        HighsModelStatus::UnboundedOrInfeasible => {
            return SolveResult::infeasible("HiGHS: the model is infeasible or unbounded");
        }
        _ if !has_solution => {
            return SolveResult::unknown(format!("no feasible solution found ({status:?})"));
        }
        HighsModelStatus::Optimal => {
            let mut r = SolveResult::feasible(MilpSolution { values: Vec::new() }, objective);
            r.status = Status::Optimal;
            r.bound = Some(bound.unwrap_or(objective));
            r
        }
        _ => {
            let mut r = SolveResult::feasible(MilpSolution { values: Vec::new() }, objective);
            r.bound = bound;
            r.message = Some(format!("HiGHS stopped: {status:?}"));
            r
        }
    };
    let values: Vec<f64> = solved.get_solution().columns().to_vec();
    observer.improved(&Improvement {
        objective,
        bound: result.bound,
        elapsed: budget.elapsed(),
        source: "highs",
    });
    result.solution = Some(MilpSolution { values });
    result
}

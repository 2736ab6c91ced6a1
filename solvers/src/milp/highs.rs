//! `milp.highs`: the instance goes to HiGHS through the shared driver
//! ([`super::highs_model`]) and the result is read back with HiGHS's own model status, so that
//! `optimal` is reported only with a proof.

use super::highs_model::{
    ABANDON_AFTER_CANCEL, LinearModel, MipResult, MipSettings, MipStatus,
    settle_infeasible_or_unbounded, solve_once_observed, to_instance_objective,
};
use crate::engine::{Budget, Improvement, Observer, SolveResult, Status};
use quotient_problems::milp::{MilpInstance, MilpSolution};

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
    let lm = LinearModel::from_instance(inst);
    let settings = MipSettings {
        threads: opts.threads,
        seed: opts.seed,
        mip_rel_gap: opts.mip_rel_gap,
        verbose: opts.verbose,
        // A cancel returns within this long even while HiGHS is in a phase that does not poll
        // its interrupt callbacks (presolve), with the last improving solution it reported.
        abandon_after_cancel: Some(ABANDON_AFTER_CANCEL),
        ..Default::default()
    };
    let start = opts.initial.as_deref().filter(|x| x.len() == lm.num_cols());
    // Every improving solution HiGHS finds is reported while it runs (live incumbents for
    // `quotient solve -v` and the server's job events); the final one once more with its bound.
    let report = |obj: f64| {
        observer.improved(&Improvement {
            objective: to_instance_objective(inst.sense, obj),
            bound: None,
            elapsed: budget.elapsed(),
            source: "highs",
        })
    };
    let r = solve_once_observed(&lm, &settings, start, budget, Some(&report));
    let r = settle_infeasible_or_unbounded(&lm, &settings, budget, r);
    let result = to_solve_result(inst, &r);
    if let Some(objective) = result.objective {
        observer.improved(&Improvement {
            objective,
            bound: result.bound,
            elapsed: budget.elapsed(),
            source: "highs",
        });
    }
    result
}

/// Translate a HiGHS result on the whole instance into a [`SolveResult`] in the instance's sense.
pub(crate) fn to_solve_result(inst: &MilpInstance, r: &MipResult) -> SolveResult<MilpSolution> {
    let back = |v: f64| to_instance_objective(inst.sense, v);
    match (r.status, &r.x, r.objective) {
        (MipStatus::Infeasible, _, _) => {
            SolveResult::infeasible("HiGHS proved the model infeasible")
        }
        (MipStatus::Unbounded, _, _) => SolveResult {
            status: Status::Unbounded,
            solution: None,
            objective: None,
            bound: None,
            message: Some("HiGHS proved the model unbounded".into()),
        },
        // Not settled by `settle_infeasible_or_unbounded` (the budget ended first): neither
        // status is proven.
        (MipStatus::InfeasibleOrUnbounded, _, _) => SolveResult::unknown(
            "HiGHS: the model is infeasible or unbounded; the budget ended before it told which",
        ),
        (status, Some(x), Some(obj)) => {
            let objective = back(obj);
            let mut res = SolveResult::feasible(MilpSolution { values: x.clone() }, objective);
            if status == MipStatus::Optimal {
                res.status = Status::Optimal;
                res.bound = Some(r.bound.map_or(objective, back));
            } else {
                res.bound = r.bound.map(back);
                res.message = Some(format!("HiGHS stopped: {}", r.detail));
            }
            res
        }
        _ => {
            let mut res =
                SolveResult::unknown(format!("no feasible solution found ({})", r.detail));
            res.bound = r.bound.map(back);
            res
        }
    }
}

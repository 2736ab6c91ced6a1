//! Independent checker: recomputes the objective from the solution alone and reports every
//! violated bound, integrality requirement and row. Shares no code with readers or solvers.

use super::model::{MilpInstance, MilpSolution, VarKind};
use crate::check::{CheckReport, Violation};
use serde::{Deserialize, Serialize};

/// Default feasibility tolerance: a bound or row is violated when it is exceeded by more than
/// `1e-6 * max(1, |bound|)`; an integer variable when it is more than `1e-6` from an integer.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// One violated requirement. `lower`/`upper` are written as `null` in JSON when infinite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MilpViolation {
    /// The solution has a different number of values than the instance has variables.
    WrongLength { expected: usize, found: usize },
    /// A value that is NaN or infinite.
    NotFinite { var: String, value: f64 },
    /// A variable outside its bounds, by `by`.
    BoundViolated {
        var: String,
        value: f64,
        #[serde(with = "crate::milp::inf_serde::neg")]
        lower: f64,
        #[serde(with = "crate::milp::inf_serde::pos")]
        upper: f64,
        by: f64,
    },
    /// An integer variable `by` away from the nearest integer.
    NotIntegral { var: String, value: f64, by: f64 },
    /// A row activity outside the row's range, by `by`.
    RowViolated {
        row: String,
        activity: f64,
        #[serde(with = "crate::milp::inf_serde::neg")]
        lower: f64,
        #[serde(with = "crate::milp::inf_serde::pos")]
        upper: f64,
        by: f64,
    },
}

impl Violation for MilpViolation {
    fn kind(&self) -> &'static str {
        match self {
            MilpViolation::WrongLength { .. } => "wrong_length",
            MilpViolation::NotFinite { .. } => "not_finite",
            MilpViolation::BoundViolated { .. } => "bound_violated",
            MilpViolation::NotIntegral { .. } => "not_integral",
            MilpViolation::RowViolated { .. } => "row_violated",
        }
    }

    fn is_structural(&self) -> bool {
        matches!(self, MilpViolation::WrongLength { .. })
    }
}

/// Compensated (Neumaier) sum.
#[derive(Debug, Default, Clone, Copy)]
struct Sum {
    s: f64,
    c: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }
    fn value(self) -> f64 {
        if self.s.is_finite() {
            self.s + self.c
        } else {
            self.s
        }
    }
}

fn excess(bound: f64, by: f64, tol: f64) -> bool {
    by > tol * bound.abs().max(1.0)
}

/// Check with the default tolerance ([`DEFAULT_TOLERANCE`]).
pub fn check(inst: &MilpInstance, sol: &MilpSolution) -> CheckReport<MilpViolation> {
    check_with_tolerance(inst, sol, DEFAULT_TOLERANCE)
}

/// Check with tolerance `tol` (negative or NaN counts as 0). The objective is
/// `obj_constant + sum(obj_j * x_j)`; with a wrong length, missing values count as 0 for the
/// objective and only the `WrongLength` violation is reported.
pub fn check_with_tolerance(
    inst: &MilpInstance,
    sol: &MilpSolution,
    tol: f64,
) -> CheckReport<MilpViolation> {
    let tol = if tol.is_nan() { 0.0 } else { tol.max(0.0) };
    let x = |j: usize| sol.values.get(j).copied().unwrap_or(0.0);
    let mut obj = Sum::default();
    obj.add(inst.obj_constant);
    for (j, v) in inst.vars.iter().enumerate() {
        if v.obj != 0.0 {
            obj.add(v.obj * x(j));
        }
    }
    let objective = obj.value();
    let mut violations = Vec::new();
    if sol.values.len() != inst.vars.len() {
        violations.push(MilpViolation::WrongLength {
            expected: inst.vars.len(),
            found: sol.values.len(),
        });
        return CheckReport {
            objective,
            violations,
        };
    }
    let mut any_non_finite = false;
    for (v, &value) in inst.vars.iter().zip(&sol.values) {
        if !value.is_finite() {
            any_non_finite = true;
            violations.push(MilpViolation::NotFinite {
                var: v.name.clone(),
                value,
            });
            continue;
        }
        let below = v.lower - value;
        let above = value - v.upper;
        let by = if excess(v.lower, below, tol) {
            Some(below)
        } else if excess(v.upper, above, tol) {
            Some(above)
        } else {
            None
        };
        if let Some(by) = by {
            violations.push(MilpViolation::BoundViolated {
                var: v.name.clone(),
                value,
                lower: v.lower,
                upper: v.upper,
                by,
            });
        }
        if v.kind == VarKind::Integer {
            let by = (value - value.round()).abs();
            if by > tol {
                violations.push(MilpViolation::NotIntegral {
                    var: v.name.clone(),
                    value,
                    by,
                });
            }
        }
    }
    for row in &inst.rows {
        let mut act = Sum::default();
        for &(j, a) in &row.coefs {
            act.add(a * x(j));
        }
        let activity = act.value();
        if !activity.is_finite() && any_non_finite {
            continue; // already reported as NotFinite
        }
        let below = row.lower - activity;
        let above = activity - row.upper;
        let by = if excess(row.lower, below, tol) || below.is_nan() {
            Some(below)
        } else if excess(row.upper, above, tol) {
            Some(above)
        } else {
            None
        };
        if let Some(by) = by {
            violations.push(MilpViolation::RowViolated {
                row: row.name.clone(),
                activity,
                lower: row.lower,
                upper: row.upper,
                by,
            });
        }
    }
    CheckReport {
        objective,
        violations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milp::model::{Row, Sense, Variable};

    #[test]
    fn compensated_sum_and_bad_indices() {
        let mut s = Sum::default();
        for x in [1e16, 1.0, -1e16, 1.0] {
            s.add(x);
        }
        assert_eq!(s.value(), 2.0);
        let inst = MilpInstance {
            name: "t".into(),
            sense: Sense::Minimize,
            objective_name: "obj".into(),
            obj_constant: 0.0,
            vars: vec![Variable {
                name: "x".into(),
                kind: VarKind::Continuous,
                lower: 0.0,
                upper: 1.0,
                obj: 1.0,
            }],
            rows: vec![Row {
                name: "r".into(),
                coefs: vec![(0, 1.0), (7, 5.0)],
                lower: 1e9,
                upper: f64::INFINITY,
            }],
        };
        let r = check(&inst, &MilpSolution { values: vec![1.0] });
        // the out-of-range index (7) counts as 0; activity 1 is far below 1e9, but within
        // the tolerance of a lower bound 1 + 1e-7
        assert_eq!(r.violations.len(), 1);
        let mut near = inst.clone();
        near.rows[0].lower = 1.0 + 1e-7;
        assert!(check(&near, &MilpSolution { values: vec![1.0] }).is_feasible());
    }
}

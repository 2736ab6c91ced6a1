//! MILP data model: plain data, no format knowledge. Every row is a range
//! `lower <= sum(coef * x) <= upper`; infinite bounds are `f64::INFINITY` / `NEG_INFINITY`
//! (written as `null` in JSON).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sense {
    Minimize,
    Maximize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum VarKind {
    Continuous,
    /// Integer (binaries are integers with bounds [0, 1]).
    Integer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Variable {
    pub name: String,
    pub kind: VarKind,
    /// `null`: minus infinity.
    #[serde(with = "crate::milp::inf_serde::neg")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<f64>, required = true))]
    pub lower: f64,
    /// `null`: plus infinity.
    #[serde(with = "crate::milp::inf_serde::pos")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<f64>, required = true))]
    pub upper: f64,
    /// Objective coefficient.
    #[serde(default)]
    pub obj: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Row {
    pub name: String,
    /// Sparse coefficients `(variable index, value)`, one entry per variable.
    pub coefs: Vec<(usize, f64)>,
    /// `null`: minus infinity.
    #[serde(with = "crate::milp::inf_serde::neg")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<f64>, required = true))]
    pub lower: f64,
    /// `null`: plus infinity.
    #[serde(with = "crate::milp::inf_serde::pos")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<f64>, required = true))]
    pub upper: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct MilpInstance {
    pub name: String,
    pub sense: Sense,
    /// Name of the objective row (MPS `N` row), kept for writers.
    #[serde(default)]
    pub objective_name: String,
    /// Constant term of the objective (MPS: minus the RHS of the objective row).
    #[serde(default)]
    pub obj_constant: f64,
    pub vars: Vec<Variable>,
    pub rows: Vec<Row>,
}

/// A value for every variable, in the order of `MilpInstance::vars`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct MilpSolution {
    pub values: Vec<f64>,
}

impl MilpInstance {
    /// Index of the variable with this name (linear scan; build a map for repeated look-ups).
    pub fn var_index(&self, name: &str) -> Option<usize> {
        self.vars.iter().position(|v| v.name == name)
    }
    pub fn num_integers(&self) -> usize {
        self.vars
            .iter()
            .filter(|v| v.kind == VarKind::Integer)
            .count()
    }
}

//! Writers: free MPS and CPLEX LP (see [`super::mps`], [`super::lp`]) and solution files.

use super::model::{MilpInstance, MilpSolution};
use std::fmt::Write as _;

pub use super::lp::write_lp;
pub use super::mps::{fmt_num, write_mps};

/// Write a solution: a `# objective <v>` line, then `name value` for every variable in order
/// (zeros included, so the file is complete on its own). Values are written with full
/// precision. Values missing from `sol` (too short) are skipped; extra values are ignored.
pub fn write_solution(inst: &MilpInstance, sol: &MilpSolution, objective: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# objective {}", fmt_num(objective));
    for (var, &v) in inst.vars.iter().zip(&sol.values) {
        let _ = writeln!(out, "{} {}", var.name, fmt_num(v));
    }
    out
}

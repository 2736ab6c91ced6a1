//! Writers for CVRPLIB instances (`.vrp`) and solutions (`.sol`).
//!
//! Numbers are written with Rust's shortest round-trip formatting, so reading the output back
//! gives the same `f64`s (integral values are written without a decimal point). The depot is
//! node 1 in the file. The distance convention is carried by `EDGE_WEIGHT_TYPE`: `EUC_2D` for
//! [`Rounding::Nearest`], `CEIL_2D` for [`Rounding::Ceil`], `EXACT_2D` for [`Rounding::Exact`]
//! (so a CMT instance written here reads back exact). Explicit matrices are written as
//! `LOWER_ROW` when symmetric with a zero diagonal, else as `FULL_MATRIX`.
//! Round trip: `read_cvrplib(&write_cvrplib(&i), None) == Ok(i)` for every instance the reader
//! or the generators produce (see the reader's note on `Nearest` instances named `CMT*`).

use super::check::check;
use super::model::{CvrpInstance, CvrpSolution, CvrpWeights, Rounding};
use std::fmt::Write as _;

/// A header value made safe for one line; a value wrapped in quotes gets one more pair, since
/// the reader strips one.
fn header_value(v: &str) -> String {
    let v: String = v
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        format!("\"{v}\"")
    } else {
        v
    }
}

fn matrix_at(matrix: &[f64], n: usize, i: usize, j: usize) -> f64 {
    i.checked_mul(n)
        .and_then(|r| r.checked_add(j))
        .and_then(|k| matrix.get(k))
        .copied()
        .unwrap_or(0.0)
}

/// Write `inst` as a CVRPLIB `.vrp` file.
pub fn write_cvrplib(inst: &CvrpInstance) -> String {
    let n = inst.n();
    let mut s = String::new();
    // `write!` into a String cannot fail.
    let _ = writeln!(s, "NAME : {}", header_value(&inst.name));
    for c in inst.comment.split('\n') {
        if !inst.comment.is_empty() {
            let _ = writeln!(s, "COMMENT : {}", header_value(c));
        }
    }
    let _ = writeln!(s, "TYPE : CVRP");
    let _ = writeln!(s, "DIMENSION : {n}");
    if let Some(v) = inst.vehicles {
        let _ = writeln!(s, "VEHICLES : {v}");
    }
    let _ = writeln!(s, "CAPACITY : {}", inst.capacity);
    if let Some(d) = inst.distance_limit {
        let _ = writeln!(s, "DISTANCE : {d}");
    }
    if let Some(t) = inst.service_time {
        let _ = writeln!(s, "SERVICE_TIME : {t}");
    }
    match &inst.weights {
        CvrpWeights::Coords { rounding, coords } => {
            let t = match rounding {
                Rounding::Nearest => "EUC_2D",
                Rounding::Ceil => "CEIL_2D",
                Rounding::Exact => "EXACT_2D",
            };
            let _ = writeln!(s, "EDGE_WEIGHT_TYPE : {t}");
            if inst.display.is_some() {
                let _ = writeln!(s, "DISPLAY_DATA_TYPE : TWOD_DISPLAY");
            }
            let _ = writeln!(s, "NODE_COORD_SECTION");
            for (i, [x, y]) in coords.iter().enumerate() {
                let _ = writeln!(s, "{} {x} {y}", i + 1);
            }
        }
        CvrpWeights::Matrix { n: m, matrix } => {
            let at = |i, j| matrix_at(matrix, *m, i, j);
            let symmetric = (0..n).all(|i| at(i, i) == 0.0 && (0..i).all(|j| at(i, j) == at(j, i)));
            let _ = writeln!(s, "EDGE_WEIGHT_TYPE : EXPLICIT");
            let _ = writeln!(
                s,
                "EDGE_WEIGHT_FORMAT : {}",
                if symmetric {
                    "LOWER_ROW"
                } else {
                    "FULL_MATRIX"
                }
            );
            let _ = writeln!(
                s,
                "DISPLAY_DATA_TYPE : {}",
                if inst.display.is_some() {
                    "TWOD_DISPLAY"
                } else {
                    "NO_DISPLAY"
                }
            );
            let _ = writeln!(s, "EDGE_WEIGHT_SECTION");
            for i in 0..n {
                let cols = if symmetric { 0..i } else { 0..n };
                if cols.is_empty() {
                    continue;
                }
                let row: Vec<String> = cols.map(|j| at(i, j).to_string()).collect();
                let _ = writeln!(s, "{}", row.join(" "));
            }
        }
    }
    if let Some(d) = &inst.display {
        let _ = writeln!(s, "DISPLAY_DATA_SECTION");
        for (i, [x, y]) in d.iter().enumerate() {
            let _ = writeln!(s, "{} {x} {y}", i + 1);
        }
    }
    let _ = writeln!(s, "DEMAND_SECTION");
    for (i, d) in inst.demands.iter().enumerate() {
        let _ = writeln!(s, "{} {d}", i + 1);
    }
    let _ = writeln!(s, "DEPOT_SECTION");
    let _ = writeln!(s, "1");
    let _ = writeln!(s, "-1");
    let _ = writeln!(s, "EOF");
    s
}

/// Write `sol` as a CVRPLIB `.sol` file: the non-empty routes as `Route #k: ...` (numbered
/// from 1), then `Cost X` with the travel cost recomputed by the checker (an integer for the
/// rounded conventions, the full-precision value for exact ones).
pub fn write_sol(inst: &CvrpInstance, sol: &CvrpSolution) -> String {
    let mut s = String::new();
    for (k, r) in sol.routes.iter().filter(|r| !r.is_empty()).enumerate() {
        let _ = write!(s, "Route #{}:", k + 1);
        for c in r {
            let _ = write!(s, " {c}");
        }
        s.push('\n');
    }
    let _ = writeln!(s, "Cost {}", check(inst, sol).objective);
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cvrp::read::{read_cvrplib, read_sol_with_cost};

    fn inst(weights: CvrpWeights) -> CvrpInstance {
        CvrpInstance {
            name: "\"quoted\"".into(),
            comment: "line one\nline two".into(),
            capacity: 7,
            demands: vec![0, 3, 4],
            weights,
            distance_limit: Some(12.5),
            service_time: Some(0.25),
            vehicles: Some(2),
            display: None,
        }
    }

    #[test]
    fn round_trips() {
        let cases = [
            CvrpWeights::Coords {
                rounding: Rounding::Exact,
                coords: vec![[0.1, 0.2], [1.0 / 3.0, 1e-7], [-5.5, 1e12]],
            },
            CvrpWeights::Coords {
                rounding: Rounding::Ceil,
                coords: vec![[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]],
            },
            CvrpWeights::Matrix {
                n: 3,
                matrix: vec![0.0, 1.5, 2.0, 1.5, 0.0, 3.0, 2.0, 3.0, 0.0],
            },
            CvrpWeights::Matrix {
                n: 3,
                matrix: vec![0.0, 1.0, 2.0, 4.0, 0.0, 3.0, 2.0, 3.0, 0.0],
            },
        ];
        for w in cases {
            let mut i = inst(w);
            for display in [None, Some(vec![[1.0, 2.0], [3.0, 4.0], [0.5, 0.25]])] {
                i.display = display;
                let text = write_cvrplib(&i);
                assert_eq!(read_cvrplib(&text, None).unwrap(), i, "{text}");
            }
        }
    }

    #[test]
    fn sol_round_trip_and_cost() {
        let i = inst(CvrpWeights::Coords {
            rounding: Rounding::Nearest,
            coords: vec![[0.0, 0.0], [3.0, 4.0], [0.0, 2.2]],
        });
        let sol = CvrpSolution {
            routes: vec![vec![1], vec![], vec![2]],
        };
        let text = write_sol(&i, &sol);
        assert_eq!(text, "Route #1: 1\nRoute #2: 2\nCost 14\n");
        let (back, cost) = read_sol_with_cost(&text, &i).unwrap();
        assert_eq!(back.routes, vec![vec![1], vec![2]]);
        assert_eq!(cost, Some(14.0));
    }
}

//! TSPLIB 95 writers: instances (`.tsp` / `.atsp`) and tours (`.tour`).
//!
//! Coordinates are written with Rust's shortest round-trip float formatting, so
//! `read_tsplib(&write_tsplib(x)) == x` for every instance the reader can produce.

use super::check::tour_length;
use super::model::{TspInstance, TspKind, TspSolution, Weights};
use super::read::EXPLICIT_FORMATS;
use std::fmt::Write as _;

/// A header value as the reader will read it back: on one line (a line break would start a
/// new, bogus line), trimmed, and with one extra pair of quotes when it is itself quoted
/// (the reader strips one pair of surrounding quotes).
fn one_line(s: &str) -> String {
    let v = s.replace('\n', " ");
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

/// A float in a form `f64::from_str` reads back bit-for-bit (up to the sign of zero):
/// plain decimals in the usual range, exponent notation for very large or small magnitudes.
pub fn fmt_f64(v: f64) -> String {
    let mut s = String::new();
    push_f64(&mut s, v);
    s
}

fn push_f64(out: &mut String, v: f64) {
    let a = v.abs();
    let _ = if a == 0.0 || (1e-5..1e16).contains(&a) {
        write!(out, "{v}")
    } else {
        write!(out, "{v:e}")
    };
}

/// `id x y` lines, 1-based ids.
fn push_points(out: &mut String, pts: &[[f64; 2]]) {
    for (i, p) in pts.iter().enumerate() {
        let _ = write!(out, "{} ", i + 1);
        push_f64(out, p[0]);
        out.push(' ');
        push_f64(out, p[1]);
        out.push('\n');
    }
}

/// Is `fmt` a format that can represent this matrix exactly?
fn format_fits(fmt: &str, kind: TspKind, n: usize, m: &[i64]) -> bool {
    if !EXPLICIT_FORMATS.contains(&fmt) || m.len() != n * n {
        return false;
    }
    if fmt == "FULL_MATRIX" {
        return true;
    }
    if kind != TspKind::Tsp {
        return false;
    }
    for i in 0..n {
        for j in 0..i {
            if m[i * n + j] != m[j * n + i] {
                return false;
            }
        }
    }
    if !fmt.contains("DIAG") && (0..n).any(|i| m[i * n + i] != 0) {
        return false;
    }
    true
}

/// The entries of a symmetric-format section, one output line per row (or column).
fn matrix_lines(fmt: &str, n: usize, m: &[i64], out: &mut String) {
    let row_fmt = match fmt {
        "UPPER_COL" => "LOWER_ROW",
        "LOWER_COL" => "UPPER_ROW",
        "UPPER_DIAG_COL" => "LOWER_DIAG_ROW",
        "LOWER_DIAG_COL" => "UPPER_DIAG_ROW",
        other => other,
    };
    for i in 0..n {
        let cols = match row_fmt {
            "FULL_MATRIX" => 0..n,
            "UPPER_ROW" => i + 1..n,
            "LOWER_ROW" => 0..i,
            "UPPER_DIAG_ROW" => i..n,
            _ => 0..i + 1,
        };
        if cols.is_empty() {
            continue;
        }
        let mut first = true;
        for j in cols {
            if !first {
                out.push(' ');
            }
            first = false;
            let _ = write!(out, "{}", m[i * n + j]);
        }
        out.push('\n');
    }
}

/// Write an instance in TSPLIB 95 format. Coordinate instances get NODE_COORD_SECTION;
/// explicit ones keep their original EDGE_WEIGHT_FORMAT when it can represent the matrix
/// exactly, FULL_MATRIX otherwise.
pub fn write_tsplib(inst: &TspInstance) -> String {
    let n = inst.n();
    let mut out = String::new();
    let _ = writeln!(out, "NAME : {}", one_line(&inst.name));
    let _ = writeln!(
        out,
        "TYPE : {}",
        match inst.kind {
            TspKind::Tsp => "TSP",
            TspKind::Atsp => "ATSP",
        }
    );
    if !inst.comment.is_empty() {
        for line in inst.comment.split('\n') {
            let _ = writeln!(out, "COMMENT : {}", one_line(line));
        }
    }
    let _ = writeln!(out, "DIMENSION : {n}");
    match &inst.weights {
        Weights::Coords { metric, coords } => {
            let _ = writeln!(out, "EDGE_WEIGHT_TYPE : {}", metric.keyword());
            out.push_str("NODE_COORD_SECTION\n");
            push_points(&mut out, coords);
        }
        Weights::Matrix { n, matrix } => {
            let fmt = inst
                .edge_weight_format
                .as_deref()
                .map(str::to_ascii_uppercase)
                .filter(|f| format_fits(f, inst.kind, *n, matrix))
                .unwrap_or_else(|| "FULL_MATRIX".to_string());
            out.push_str("EDGE_WEIGHT_TYPE : EXPLICIT\n");
            let _ = writeln!(out, "EDGE_WEIGHT_FORMAT : {fmt}");
            let display = inst.display.as_ref().filter(|d| d.len() == *n);
            if display.is_some() {
                out.push_str("DISPLAY_DATA_TYPE : TWOD_DISPLAY\n");
            }
            out.push_str("EDGE_WEIGHT_SECTION\n");
            if matrix.len() == n * n {
                matrix_lines(&fmt, *n, matrix, &mut out);
            }
            if let Some(d) = display {
                out.push_str("DISPLAY_DATA_SECTION\n");
                push_points(&mut out, d);
            }
        }
    }
    if !inst.fixed_edges.is_empty() {
        out.push_str("FIXED_EDGES_SECTION\n");
        for &(a, b) in &inst.fixed_edges {
            let _ = writeln!(out, "{} {}", a + 1, b + 1);
        }
        out.push_str("-1\n");
    }
    out.push_str("EOF\n");
    out
}

/// Write a tour in TSPLIB `.tour` format (1-based ids, `-1`, `EOF`); the COMMENT gives the
/// closed tour length as recomputed by the checker's summation.
pub fn write_tour(inst: &TspInstance, sol: &TspSolution) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "NAME : {}", one_line(&format!("{}.tour", inst.name)));
    match tour_length(inst, &sol.tour) {
        Some(len) => {
            let _ = writeln!(out, "COMMENT : Length {len}");
        }
        None => out.push_str("COMMENT : Length unknown (tour has nodes out of range)\n"),
    }
    out.push_str("TYPE : TOUR\n");
    let _ = writeln!(out, "DIMENSION : {}", inst.n());
    out.push_str("TOUR_SECTION\n");
    for &v in &sol.tour {
        let _ = writeln!(out, "{}", v as u128 + 1);
    }
    out.push_str("-1\nEOF\n");
    out
}

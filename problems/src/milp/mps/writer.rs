//! The MPS writer (free MPS, ranged rows as RANGES, infinite bounds as 1e30 markers).

use super::*;

/// Format a number so that parsing it gives back exactly the same `f64`.
pub fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || (1e-4..1e15).contains(&a) || !v.is_finite() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// How a row with two finite, different bounds is written: row type, RHS and RANGES value.
/// Picks a representation that reads back to exactly `[lower, upper]` when one exists among
/// `L` (upper exact) and `G` (lower exact) with a range within a few ulps of `upper - lower`.
pub(super) fn ranged_row(lower: f64, upper: f64) -> (char, f64, f64) {
    let base = upper - lower;
    let mut cands = vec![base];
    let (mut up, mut down) = (base, base);
    for _ in 0..4 {
        up = up.next_up();
        down = down.next_down();
        cands.push(up);
        cands.push(down);
    }
    for &r in &cands {
        if r > 0.0 && upper - r == lower {
            return ('L', upper, r);
        }
    }
    for &r in &cands {
        if r > 0.0 && lower + r == upper {
            return ('G', lower, r);
        }
    }
    ('L', upper, base)
}

/// Write free MPS. Names are written as they are: they must be non-empty and free of
/// whitespace for the file to read back. Matrix entries with a variable index out of range are
/// skipped. Rows with both bounds infinite are written as `L` rows with RHS `1e30`; infinite
/// finite-looking values (`|v| >= 1e30`) read back as infinite.
pub fn write_mps(inst: &MilpInstance) -> String {
    let mut out = String::new();
    let n = inst.vars.len();
    let obj_name = objective_row_name(&inst.objective_name, &inst.rows);
    let _ = writeln!(out, "NAME {}", inst.name);
    if inst.sense == Sense::Maximize {
        out.push_str("OBJSENSE\n    MAX\n");
    }
    out.push_str("ROWS\n");
    let _ = writeln!(out, " N  {obj_name}");
    // row type, rhs, range
    let mut kinds: Vec<(char, f64, Option<f64>)> = Vec::with_capacity(inst.rows.len());
    for row in &inst.rows {
        let (lo, up) = (row.lower, row.upper);
        let k = if lo == up && lo.is_finite() {
            ('E', lo, None)
        } else if lo == f64::NEG_INFINITY && up == f64::INFINITY {
            ('L', f64::INFINITY, None)
        } else if lo == f64::NEG_INFINITY || lo.is_nan() {
            ('L', up, None)
        } else if up == f64::INFINITY || up.is_nan() {
            ('G', lo, None)
        } else {
            let (t, rhs, r) = ranged_row(lo, up);
            (t, rhs, Some(r))
        };
        let _ = writeln!(out, " {}  {}", k.0, row.name);
        kinds.push(k);
    }
    // column-wise matrix
    let mut cols: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (r, row) in inst.rows.iter().enumerate() {
        for &(j, v) in &row.coefs {
            if let Some(c) = cols.get_mut(j) {
                c.push((r, v));
            }
        }
    }
    out.push_str("COLUMNS\n");
    let mut in_int = false;
    let mut markers = 0usize;
    for (j, var) in inst.vars.iter().enumerate() {
        let is_int = var.kind == VarKind::Integer;
        if is_int != in_int {
            let tag = if is_int { "INTORG" } else { "INTEND" };
            let _ = writeln!(out, "    MARKER{markers} 'MARKER' '{tag}'");
            markers += 1;
            in_int = is_int;
        }
        let entries = cols.get(j).map(Vec::as_slice).unwrap_or(&[]);
        if var.obj != 0.0 || entries.is_empty() {
            let _ = writeln!(out, "    {} {} {}", var.name, obj_name, fmt_num(var.obj));
        }
        for &(r, v) in entries {
            if let Some(row) = inst.rows.get(r) {
                let _ = writeln!(out, "    {} {} {}", var.name, row.name, fmt_num(v));
            }
        }
    }
    if in_int {
        let _ = writeln!(out, "    MARKER{markers} 'MARKER' 'INTEND'");
    }
    out.push_str("RHS\n");
    if inst.obj_constant != 0.0 {
        let _ = writeln!(out, "    RHS {} {}", obj_name, fmt_num(-inst.obj_constant));
    }
    for (row, k) in inst.rows.iter().zip(&kinds) {
        if k.1 == f64::INFINITY {
            let _ = writeln!(out, "    RHS {} 1e30", row.name);
        } else if k.1 != 0.0 && k.1.is_finite() {
            let _ = writeln!(out, "    RHS {} {}", row.name, fmt_num(k.1));
        }
    }
    if kinds.iter().any(|k| k.2.is_some()) {
        out.push_str("RANGES\n");
        for (row, k) in inst.rows.iter().zip(&kinds) {
            if let Some(r) = k.2 {
                let _ = writeln!(out, "    RNG {} {}", row.name, fmt_num(r));
            }
        }
    }
    let mut bounds = String::new();
    for var in &inst.vars {
        let (l, u) = (var.lower, var.upper);
        let name = &var.name;
        let is_int = var.kind == VarKind::Integer;
        if l == f64::NEG_INFINITY && u == f64::INFINITY {
            let _ = writeln!(bounds, " FR BND {name}");
        } else if l == u && l.is_finite() {
            let _ = writeln!(bounds, " FX BND {name} {}", fmt_num(l));
        } else {
            if l == f64::NEG_INFINITY {
                let _ = writeln!(bounds, " MI BND {name}");
            } else if l != 0.0 || (u < 0.0) {
                let _ = writeln!(bounds, " LO BND {name} {}", fmt_num(l));
            }
            if u.is_finite() {
                let _ = writeln!(bounds, " UP BND {name} {}", fmt_num(u));
            } else if is_int {
                let _ = writeln!(bounds, " PL BND {name}");
            }
        }
    }
    if !bounds.is_empty() {
        out.push_str("BOUNDS\n");
        out.push_str(&bounds);
    }
    out.push_str("ENDATA\n");
    out
}

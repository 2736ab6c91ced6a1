//! The CPLEX LP writer (names checked with `lp_name_ok`, ranged rows as double inequalities).

use super::*;

pub(super) const TERMS_PER_LINE: usize = 8;

pub(super) fn write_terms(out: &mut String, terms: impl Iterator<Item = (f64, String)>) -> bool {
    let mut any = false;
    for (k, (v, name)) in terms.enumerate() {
        if k > 0 && k % TERMS_PER_LINE == 0 {
            out.push_str("\n   ");
        }
        let neg = v.is_sign_negative();
        let a = v.abs();
        if k == 0 {
            if neg {
                out.push_str(" -");
            }
        } else {
            out.push_str(if neg { " -" } else { " +" });
        }
        if a == 1.0 {
            let _ = write!(out, " {name}");
        } else {
            let _ = write!(out, " {} {name}", fmt_num(a));
        }
        any = true;
    }
    any
}

pub(super) fn lp_value(v: f64) -> String {
    if v == f64::INFINITY {
        "+inf".into()
    } else if v == f64::NEG_INFINITY {
        "-inf".into()
    } else {
        fmt_num(v)
    }
}

/// Write CPLEX LP. Names are written as they are; use [`lp_name_ok`] to know whether they read
/// back (names starting with a digit, containing operators or equal to keywords do not). The
/// objective lists every variable (zero coefficients included) so that variable order is kept.
/// Matrix entries with a variable index out of range are skipped.
pub fn write_lp(inst: &MilpInstance) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\\Problem name: {}", inst.name);
    out.push_str(match inst.sense {
        Sense::Minimize => "Minimize\n",
        Sense::Maximize => "Maximize\n",
    });
    let oname = if inst.objective_name.is_empty() {
        "obj"
    } else {
        inst.objective_name.as_str()
    };
    let _ = write!(out, " {oname}:");
    let any = write_terms(&mut out, inst.vars.iter().map(|v| (v.obj, v.name.clone())));
    if inst.obj_constant != 0.0 || !any {
        let c = inst.obj_constant;
        let sign = if c.is_sign_negative() {
            " -"
        } else if any {
            " +"
        } else {
            ""
        };
        let _ = write!(out, "{sign} {}", fmt_num(c.abs()));
    }
    out.push_str("\nSubject To\n");
    for row in &inst.rows {
        let _ = write!(out, " {}:", row.name);
        let (lo, up) = (row.lower, row.upper);
        let ranged = lo.is_finite() && up.is_finite() && lo != up;
        if ranged {
            let _ = write!(out, " {} <=", lp_value(lo));
        }
        let terms = row
            .coefs
            .iter()
            .filter_map(|&(j, v)| inst.vars.get(j).map(|var| (v, var.name.clone())));
        if !write_terms(&mut out, terms) {
            match inst.vars.first() {
                Some(v) => {
                    let _ = write!(out, " 0 {}", v.name);
                }
                None => out.push_str(" 0"),
            }
        }
        if ranged {
            let _ = writeln!(out, " <= {}", lp_value(up));
        } else if lo == up {
            let _ = writeln!(out, " = {}", lp_value(lo));
        } else if up.is_finite() {
            let _ = writeln!(out, " <= {}", lp_value(up));
        } else {
            let _ = writeln!(out, " >= {}", lp_value(lo));
        }
    }
    let is_binary = |v: &Variable| v.kind == VarKind::Integer && v.lower == 0.0 && v.upper == 1.0;
    let mut bounds = String::new();
    for v in &inst.vars {
        if is_binary(v) || (v.lower == 0.0 && v.upper == f64::INFINITY) {
            continue;
        }
        if v.lower == f64::NEG_INFINITY && v.upper == f64::INFINITY {
            let _ = writeln!(bounds, " {} free", v.name);
        } else if v.lower == v.upper {
            let _ = writeln!(bounds, " {} = {}", v.name, lp_value(v.lower));
        } else {
            let _ = writeln!(
                bounds,
                " {} <= {} <= {}",
                lp_value(v.lower),
                v.name,
                lp_value(v.upper)
            );
        }
    }
    if !bounds.is_empty() {
        out.push_str("Bounds\n");
        out.push_str(&bounds);
    }
    let mut list = |title: &str, pick: &dyn Fn(&Variable) -> bool| {
        let names: Vec<&str> = inst
            .vars
            .iter()
            .filter(|v| pick(v))
            .map(|v| v.name.as_str())
            .collect();
        if !names.is_empty() {
            let _ = writeln!(out, "{title}");
            for chunk in names.chunks(TERMS_PER_LINE) {
                let _ = writeln!(out, " {}", chunk.join(" "));
            }
        }
    };
    list("Generals", &|v| v.kind == VarKind::Integer && !is_binary(v));
    list("Binaries", &|v| is_binary(v));
    out.push_str("End\n");
    out
}

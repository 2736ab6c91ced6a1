//! Readers: MPS (free and fixed, see [`super::mps`]), CPLEX LP (see [`super::lp`]), detection of
//! the format of raw (possibly gzipped) bytes, and solution files (`name value` lines).

use super::model::{MilpInstance, MilpSolution};
use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use crate::text::{decode_with_limits, numbered_lines};
use std::collections::HashMap;

pub use super::lp::{read_lp, read_lp_with_limits};
pub use super::mps::{read_mps, read_mps_with_limits};

/// Which text format a MILP file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MilpFormat {
    Mps,
    Lp,
}

fn format_from_hint(name_hint: &str) -> Option<MilpFormat> {
    let lower = name_hint.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    if base.ends_with(".lp") {
        Some(MilpFormat::Lp)
    } else if base.ends_with(".mps") || base.ends_with(".fmps") || base.ends_with(".fixed") {
        Some(MilpFormat::Mps)
    } else {
        None
    }
}

/// Guess the format from the content: LP files start with `\` comments or an objective-sense
/// keyword; MPS files with `*` comments or a section keyword (NAME, ROWS, ...).
pub fn detect_format(text: &str) -> Option<MilpFormat> {
    for (_, line) in numbered_lines(text) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('\\') {
            return Some(MilpFormat::Lp);
        }
        if line.starts_with('*') {
            return Some(MilpFormat::Mps);
        }
        let first = t
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        return match first.as_str() {
            "NAME" | "ROWS" | "OBJSENSE" | "OBJSENCE" | "OBJNAME" => Some(MilpFormat::Mps),
            "MINIMIZE" | "MINIMISE" | "MINIMUM" | "MIN" | "MAXIMIZE" | "MAXIMISE" | "MAXIMUM"
            | "MAX" => Some(MilpFormat::Lp),
            _ => None,
        };
    }
    None
}

/// Read a MILP file from raw bytes: gunzip when gzipped, then MPS or LP, decided from the
/// content ([`detect_format`]) or else from the file name (`.lp`, `.mps`, `.mps.gz`, ...).
pub fn read_milp(bytes: &[u8], name_hint: &str) -> Result<MilpInstance, ParseError> {
    read_milp_with_limits(bytes, name_hint, &ReadLimits::default())
}

/// [`read_milp`] under `limits` (`max_text_bytes` for the decoded text, then the MPS / LP
/// caps).
pub fn read_milp_with_limits(
    bytes: &[u8],
    name_hint: &str,
    limits: &ReadLimits,
) -> Result<MilpInstance, ParseError> {
    let hint = format_from_hint(name_hint);
    let err_format = match hint {
        Some(MilpFormat::Lp) => Format::Lp,
        _ => Format::Mps,
    };
    let text = decode_with_limits(bytes, err_format, limits)?;
    match detect_format(&text).or(hint) {
        Some(MilpFormat::Mps) => read_mps_with_limits(&text, limits),
        Some(MilpFormat::Lp) => read_lp_with_limits(&text, limits),
        None => {
            let (ln, first) = numbered_lines(&text)
                .find(|(_, l)| !l.trim().is_empty())
                .unwrap_or((1, ""));
            Err(ParseError::unexpected(
                err_format,
                ln,
                "an MPS or CPLEX LP model",
                first.trim(),
            ))
        }
    }
}

fn is_header_line(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    lower.starts_with("=obj=")
        || lower.starts_with("objective")
        || lower.starts_with("solution status")
        || lower.starts_with("obj:")
}

/// Read a solution: one `name value` line per variable, in any order; variables not listed are
/// 0. Blank lines and `#` comments are ignored, and so are header lines as written by MIPLIB,
/// HiGHS or SCIP (`=obj= 123`, `objective value: 123`, `solution status: ...`). A third field
/// in parentheses (SCIP's `(obj:5)`) is ignored. Unknown names, repeated names and values that
/// are not finite numbers are errors.
pub fn read_solution(text: &str, inst: &MilpInstance) -> Result<MilpSolution, ParseError> {
    const F: Format = Format::MilpSolution;
    let index: HashMap<&str, usize> = inst
        .vars
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.as_str(), i))
        .collect();
    let mut values = vec![0.0; inst.vars.len()];
    let mut seen = vec![false; inst.vars.len()];
    for (ln, line) in numbered_lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || is_header_line(t) {
            continue;
        }
        let mut it = t.split_whitespace();
        let (Some(name), Some(val)) = (it.next(), it.next()) else {
            return Err(ParseError::unexpected(F, ln, "`name value`", t));
        };
        if let Some(extra) = it.next()
            && !(extra.starts_with('(') && it.next().is_none())
        {
            return Err(ParseError::unexpected(F, ln, "`name value`", t));
        }
        let Some(&j) = index.get(name) else {
            return Err(ParseError::unexpected(
                F,
                ln,
                "a variable of the instance",
                name,
            ));
        };
        let v = match val.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => return Err(ParseError::invalid_number(F, ln, "a finite value", val)),
        };
        match (seen.get_mut(j), values.get_mut(j)) {
            (Some(s), Some(x)) => {
                if *s {
                    return Err(ParseError::duplicate(F, ln, format!("variable `{name}`")));
                }
                *s = true;
                *x = v;
            }
            _ => {
                return Err(ParseError::inconsistent(
                    F,
                    ln,
                    "variable index out of range",
                ));
            }
        }
    }
    Ok(MilpSolution { values })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect_format("\n* c\nNAME x\n"), Some(MilpFormat::Mps));
        assert_eq!(detect_format("ROWS\n"), Some(MilpFormat::Mps));
        assert_eq!(detect_format("\\ c\nMinimize\n"), Some(MilpFormat::Lp));
        assert_eq!(detect_format("  maximize\n x\n"), Some(MilpFormat::Lp));
        assert_eq!(detect_format("hello\n"), None);
        assert_eq!(format_from_hint("A.MPS.GZ"), Some(MilpFormat::Mps));
        assert_eq!(format_from_hint("a.lp"), Some(MilpFormat::Lp));
        assert_eq!(format_from_hint("a.txt"), None);
    }
}

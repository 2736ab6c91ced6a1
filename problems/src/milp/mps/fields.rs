//! The MPS lexer: a line's fields (free or fixed layout, quoted names), numbers
//! (coefficients, bounds with the 1e30 infinity convention) and `OBJSENSE` words.

use super::*;

/// Parse a value from RHS, RANGES or BOUNDS: `|v| >= 1e30` and `inf`/`infinity` mean infinity.
pub(super) fn parse_bound_value(tok: &str, what: &str, ln: usize) -> Result<f64, ParseError> {
    match tok.parse::<f64>() {
        Ok(v) if v.is_nan() => Err(ParseError::invalid_number(F, ln, what, tok)),
        Ok(v) if v >= INFINITE_BOUND => Ok(f64::INFINITY),
        Ok(v) if v <= -INFINITE_BOUND => Ok(f64::NEG_INFINITY),
        Ok(v) => Ok(v),
        Err(_) => Err(ParseError::invalid_number(F, ln, what, tok)),
    }
}

/// Parse a matrix or objective coefficient (finite).
pub(super) fn parse_coef(tok: &str, ln: usize) -> Result<f64, ParseError> {
    match tok.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(ParseError::invalid_number(
            F,
            ln,
            "a finite coefficient",
            tok,
        )),
    }
}

pub(super) fn strip_quotes(s: &str) -> &str {
    s.trim_matches('\'').trim_matches('"')
}

/// Split a data line into its fields.
pub(super) fn fields<'a>(
    line: &'a str,
    layout: Layout,
    ln: usize,
    out: &mut Vec<&'a str>,
) -> Result<(), ParseError> {
    out.clear();
    match layout {
        Layout::Free => out.extend(line.split_whitespace()),
        Layout::Fixed => {
            const SPANS: [(usize, usize); 6] =
                [(1, 3), (4, 12), (14, 22), (24, 36), (39, 47), (49, 61)];
            let bad = || ParseError::unexpected(F, ln, "fixed-format MPS fields", line);
            let len = line.len();
            let mut pos = 0usize;
            for &(a, b) in &SPANS {
                let gap = line.get(pos.min(len)..a.min(len)).ok_or_else(bad)?;
                if !gap.trim().is_empty() {
                    return Err(bad());
                }
                let f = line.get(a.min(len)..b.min(len)).ok_or_else(bad)?.trim();
                if !f.is_empty() {
                    out.push(f);
                }
                pos = b;
            }
            let rest = line.get(pos.min(len)..).ok_or_else(bad)?;
            if !rest.trim().is_empty() {
                return Err(bad());
            }
        }
    }
    Ok(())
}

pub(super) fn parse_sense(word: &str) -> Option<Sense> {
    match word.to_ascii_uppercase().as_str() {
        "MAX" | "MAXIMIZE" | "MAXIMISE" => Some(Sense::Maximize),
        "MIN" | "MINIMIZE" | "MINIMISE" => Some(Sense::Minimize),
        _ => None,
    }
}

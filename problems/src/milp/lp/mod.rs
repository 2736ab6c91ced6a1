//! CPLEX LP reader and writer.
//!
//! Supported: `\` comments (a first comment `\Problem name: X` gives the model name), the
//! objective sense (`Minimize`/`Minimise`/`Minimum`/`Min`, `Maximize`/...), an objective with an
//! optional `name:` and an optional constant term, `Subject To`/`such that`/`st`/`s.t.`,
//! constraints with optional names (unnamed ones become `c1`, `c2`, ... by position, skipping
//! names in use), operators `<=`, `=<`, `<`, `>=`, `=>`, `>`, `=`, variables and constants on
//! both sides (moved to the left/right as usual), double inequalities `l <= expr <= u` (also with
//! `>=`), expressions over several lines, coefficients written `2 x`, `2x`, `- x`, `+2.5e3 x`,
//! `Bounds` (`x <= 4`, `x >= -inf`, `-inf <= x <= inf`, `0 <= x <= 10`, `4 >= x`, `x = 3`,
//! `x free`; `|v| >= 1e30` and `inf`/`infinity` mean infinity), `General`/`Generals`/`Gen`/
//! `Integer`/`Integers`, `Binary`/`Binaries`/`Bin` (integer with bounds `[0, 1]`), and `End`
//! (anything after it is ignored; a missing `End` is accepted). Keywords are case-insensitive and
//! recognised at the start of a line. Variables get default bounds `[0, +inf]` and are numbered
//! in order of first appearance. Repeated variables in one expression are summed; zero
//! coefficients are dropped from constraints. Semi-continuous variables, SOS and quadratic terms
//! are reported as unsupported.

mod lex;
mod sections;
mod writer;

use super::model::{MilpInstance, Row, Sense, VarKind, Variable};
use super::mps::{INFINITE_BOUND, fmt_num};
use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use crate::text::numbered_lines;
use lex::*;
use sections::*;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
pub use writer::write_lp;

const F: Format = Format::Lp;

/// A section: its kind, the line of its keyword and its tokens with their lines.
type Section<'a> = (SectionKind, usize, Vec<(usize, Tok<'a>)>);

/// Whether `name` can be written as an LP variable or row name that reads back unchanged: not
/// empty, made of name characters, not starting with a digit or `.`, and not a keyword.
pub fn lp_name_ok(name: &str) -> bool {
    let Some(first) = name.chars().next() else {
        return false;
    };
    name.chars().all(is_name_char)
        && !first.is_ascii_digit()
        && first != '.'
        && !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// Read a CPLEX LP model under the default [`ReadLimits`]. See the module documentation for
/// what is supported.
pub fn read_lp(text: &str) -> Result<MilpInstance, ParseError> {
    read_lp_with_limits(text, &ReadLimits::default())
}

/// [`read_lp`] under `limits`: at most `max_rows` constraints, `max_vars` variables and
/// `max_nonzeros` constraint terms.
pub fn read_lp_with_limits(text: &str, limits: &ReadLimits) -> Result<MilpInstance, ParseError> {
    let mut name = String::new();
    let mut name_seen = false;
    let mut sections: Vec<Section<'_>> = Vec::new();
    let mut sense: Option<Sense> = None;
    let mut last_line = 0usize;
    for (ln, raw) in numbered_lines(text) {
        last_line = ln;
        let (content, comment) = match raw.find('\\') {
            Some(p) => (raw.get(..p).unwrap_or(""), raw.get(p + 1..)),
            None => (raw, None),
        };
        if let Some(cm) = comment
            && !name_seen
            && content.trim().is_empty()
        {
            let cm = cm.trim_start_matches('*').trim();
            if cm.len() >= 13
                && cm
                    .get(..13)
                    .is_some_and(|p| p.eq_ignore_ascii_case("problem name:"))
            {
                name = cm.get(13..).unwrap_or("").trim().to_string();
                name_seen = true;
            }
        }
        if content.trim().is_empty() {
            continue;
        }
        let mut rest = content;
        if let Some((kind, s, r)) = section_keyword(content) {
            let word = content.split_whitespace().next().unwrap_or("");
            match kind {
                Ok(SectionKind::Objective) => {
                    if sense.is_some() {
                        return Err(ParseError::duplicate(F, ln, "objective section"));
                    }
                    sense = s;
                    sections.push((SectionKind::Objective, ln, Vec::new()));
                }
                Ok(k) => {
                    if sense.is_none() {
                        return Err(ParseError::unexpected(
                            F,
                            ln,
                            "Minimize or Maximize first",
                            word,
                        ));
                    }
                    sections.push((k, ln, Vec::new()));
                }
                Err(kw) if kw == "end" => {
                    if sense.is_none() {
                        return Err(ParseError::unexpected(
                            F,
                            ln,
                            "Minimize or Maximize first",
                            word,
                        ));
                    }
                    break;
                }
                Err(kw) => {
                    return Err(ParseError::unsupported(F, ln, "LP section", kw));
                }
            }
            rest = r;
        }
        let Some(sec) = sections.last_mut() else {
            return Err(ParseError::unexpected(
                F,
                ln,
                "Minimize or Maximize",
                content.trim(),
            ));
        };
        lex_line(rest, ln, &mut sec.2)?;
    }
    let Some(sense) = sense else {
        return Err(ParseError::missing(
            F,
            last_line.max(1),
            "objective section (Minimize or Maximize)",
        ));
    };
    let mut b = Builder {
        vars: Vec::new(),
        var_index: HashMap::new(),
        max_vars: limits.max_vars,
    };
    let mut nnz = 0usize;
    let mut objective_name = String::from("obj");
    let mut obj_constant = 0.0;
    let mut rows: Vec<(Option<&str>, usize, Row)> = Vec::new();
    for (kind, sec_line, toks) in &sections {
        let mut c = Cursor {
            toks,
            pos: 0,
            section_line: *sec_line,
        };
        match kind {
            SectionKind::Objective => {
                if let Some(Tok::Label(n)) = c.peek() {
                    objective_name = n.to_string();
                    c.pos += 1;
                }
                if !c.at_end() {
                    let ln = c.line();
                    let e = parse_expr(&mut c, &mut b, false)?;
                    obj_constant = finite_constant(&e, ln, "a finite objective constant")?;
                    for (j, v) in e.terms {
                        if let Some(var) = b.vars.get_mut(j) {
                            var.obj += v;
                        }
                    }
                    if !c.at_end() {
                        return Err(c.err_found("the end of the objective"));
                    }
                }
            }
            SectionKind::Constraints => {
                while !c.at_end() {
                    if rows.len() >= limits.max_rows {
                        return Err(ParseError::out_of_range(
                            F,
                            c.line(),
                            "number of constraints",
                            rows.len() + 1,
                            format!("at most {} (read limit max_rows)", limits.max_rows),
                        ));
                    }
                    let row = parse_constraint(&mut c, &mut b)?;
                    nnz = nnz.saturating_add(row.2.coefs.len());
                    if nnz > limits.max_nonzeros {
                        return Err(ParseError::out_of_range(
                            F,
                            c.line(),
                            "number of constraint terms",
                            nnz,
                            format!("at most {} (read limit max_nonzeros)", limits.max_nonzeros),
                        ));
                    }
                    rows.push(row);
                }
            }
            SectionKind::Bounds => {
                while !c.at_end() {
                    parse_bound(&mut c, &mut b)?;
                }
            }
            SectionKind::Generals | SectionKind::Binaries => {
                while let Some(t) = c.peek() {
                    let ln = c.line();
                    let Tok::Ident(n) = t else {
                        return Err(c.err_found("a variable name"));
                    };
                    c.pos += 1;
                    let j = b.var(n, ln)?;
                    if let Some(v) = b.vars.get_mut(j) {
                        v.kind = VarKind::Integer;
                        if *kind == SectionKind::Binaries {
                            v.lower = 0.0;
                            v.upper = 1.0;
                        }
                    }
                }
            }
        }
    }
    // names: explicit ones must be unique; unnamed rows get c<k> avoiding explicit names
    let mut taken: HashSet<&str> = HashSet::new();
    for (n, ln, _) in &rows {
        if let Some(n) = n
            && !taken.insert(n)
        {
            return Err(ParseError::duplicate(
                F,
                *ln,
                format!("constraint name `{n}`"),
            ));
        }
    }
    let mut out_rows = Vec::with_capacity(rows.len());
    for (k, (n, _, mut row)) in rows.into_iter().enumerate() {
        row.name = match n {
            Some(n) => n.to_string(),
            None => {
                let mut cand = format!("c{}", k + 1);
                let mut extra = 0usize;
                while taken.contains(cand.as_str()) {
                    extra += 1;
                    cand = format!("c{}_{extra}", k + 1);
                }
                cand
            }
        };
        out_rows.push(row);
    }
    Ok(MilpInstance {
        name,
        sense,
        objective_name,
        obj_constant,
        vars: b.vars,
        rows: out_rows,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lexes_glued_coefficients_and_labels() {
        let mut v = Vec::new();
        lex_line("c1: 3x + 2e3y - .5 z >= -1e-2", 1, &mut v).unwrap();
        let t: Vec<Tok<'_>> = v.into_iter().map(|x| x.1).collect();
        assert_eq!(t[0], Tok::Label("c1"));
        assert_eq!(t[1], Tok::Num(3.0, "3"));
        assert_eq!(t[2], Tok::Ident("x"));
        assert_eq!(t[4], Tok::Num(2000.0, "2e3"));
        assert_eq!(t[5], Tok::Ident("y"));
        assert_eq!(t[7], Tok::Num(0.5, ".5"));
        assert_eq!(t[9], Tok::Op(Cmp::Ge));
    }

    #[test]
    fn names() {
        assert!(lp_name_ok("x_1(a,b)"));
        assert!(!lp_name_ok("1x"));
        assert!(!lp_name_ok("free"));
        assert!(!lp_name_ok("a-b"));
        assert!(!lp_name_ok(""));
    }
}

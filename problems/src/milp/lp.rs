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

use super::model::{MilpInstance, Row, Sense, VarKind, Variable};
use super::mps::{INFINITE_BOUND, fmt_num};
use crate::error::{Format, ParseError};
use crate::text::numbered_lines;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

const F: Format = Format::Lp;

/// Most variables an LP file may declare.
pub const MAX_VARS: usize = 50_000_000;
/// Most constraints an LP file may declare.
pub const MAX_ROWS: usize = 50_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Le,
    Ge,
    Eq,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Num(f64, &'a str),
    Ident(&'a str),
    Label(&'a str),
    Plus,
    Minus,
    Op(Cmp),
}

/// A section: its kind, the line of its keyword and its tokens with their lines.
type Section<'a> = (SectionKind, usize, Vec<(usize, Tok<'a>)>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionKind {
    Objective,
    Constraints,
    Bounds,
    Generals,
    Binaries,
}

const KEYWORDS: &[&str] = &[
    "minimize",
    "minimise",
    "minimum",
    "min",
    "maximize",
    "maximise",
    "maximum",
    "max",
    "subject",
    "such",
    "st",
    "s.t.",
    "st.",
    "bounds",
    "bound",
    "general",
    "generals",
    "gen",
    "integer",
    "integers",
    "binary",
    "binaries",
    "bin",
    "semi-continuous",
    "semicontinuous",
    "semis",
    "semi",
    "sos",
    "sos1",
    "sos2",
    "end",
    "free",
    "inf",
    "infinity",
];

fn is_name_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '+' | '-' | '*' | '^' | '<' | '>' | '=' | ':' | '[' | ']' | '\\'
        )
}

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

fn is_inf_word(s: &str) -> bool {
    s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("infinity")
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

fn lex_line<'a>(s: &'a str, ln: usize, out: &mut Vec<(usize, Tok<'a>)>) -> Result<(), ParseError> {
    let mut i = 0usize;
    while let Some(c) = char_at(s, i) {
        let w = c.len_utf8();
        if c.is_whitespace() {
            i += w;
            continue;
        }
        match c {
            '+' => {
                out.push((ln, Tok::Plus));
                i += 1;
            }
            '-' => {
                out.push((ln, Tok::Minus));
                i += 1;
            }
            '<' | '>' | '=' => {
                i += 1;
                let next = char_at(s, i);
                let op = match (c, next) {
                    ('<', Some('=')) | ('=', Some('<')) => {
                        i += 1;
                        Cmp::Le
                    }
                    ('>', Some('=')) | ('=', Some('>')) => {
                        i += 1;
                        Cmp::Ge
                    }
                    ('<', _) => Cmp::Le,
                    ('>', _) => Cmp::Ge,
                    _ => Cmp::Eq,
                };
                out.push((ln, Tok::Op(op)));
            }
            '[' | ']' | '^' | '*' => {
                return Err(ParseError::unsupported(
                    F,
                    ln,
                    "quadratic or product term",
                    c.to_string(),
                ));
            }
            _ if is_name_char(c) => {
                let start = i;
                let mut j = i;
                while let Some(ch) = char_at(s, j) {
                    if !is_name_char(ch) {
                        break;
                    }
                    j += ch.len_utf8();
                }
                let run = s.get(start..j).unwrap_or("");
                let mut k = j;
                while let Some(ch) = char_at(s, k) {
                    if !ch.is_whitespace() {
                        break;
                    }
                    k += ch.len_utf8();
                }
                if char_at(s, k) == Some(':') {
                    out.push((ln, Tok::Label(run)));
                    i = k + 1;
                    continue;
                }
                if c.is_ascii_digit() || c == '.' {
                    let b = s.as_bytes();
                    let mut p = start;
                    while b.get(p).is_some_and(|x| x.is_ascii_digit()) {
                        p += 1;
                    }
                    if b.get(p) == Some(&b'.') {
                        p += 1;
                        while b.get(p).is_some_and(|x| x.is_ascii_digit()) {
                            p += 1;
                        }
                    }
                    if matches!(b.get(p), Some(b'e' | b'E')) {
                        let mut q = p + 1;
                        if matches!(b.get(q), Some(b'+' | b'-')) {
                            q += 1;
                        }
                        if b.get(q).is_some_and(|x| x.is_ascii_digit()) {
                            while b.get(q).is_some_and(|x| x.is_ascii_digit()) {
                                q += 1;
                            }
                            p = q;
                        }
                    }
                    let text = s.get(start..p).unwrap_or("");
                    let v: f64 = text
                        .parse()
                        .map_err(|_| ParseError::invalid_number(F, ln, "a number", run))?;
                    out.push((ln, Tok::Num(v, text)));
                    i = p;
                } else {
                    out.push((ln, Tok::Ident(run)));
                    i = j;
                }
            }
            _ => {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    "a name, number or operator",
                    c.to_string(),
                ));
            }
        }
    }
    Ok(())
}

/// Recognise a section keyword at the start of a line: the section and the rest of the line.
fn section_keyword(line: &str) -> Option<(Result<SectionKind, String>, Option<Sense>, &str)> {
    let t = line.trim_start();
    let end = t.find(char::is_whitespace).unwrap_or(t.len());
    let first = t.get(..end)?;
    let rest = t.get(end..).unwrap_or("");
    let lower = first.to_ascii_lowercase();
    let two = |second: &str| -> Option<&str> {
        let r = rest.trim_start();
        let e = r.find(char::is_whitespace).unwrap_or(r.len());
        let w = r.get(..e)?;
        w.eq_ignore_ascii_case(second)
            .then(|| r.get(e..).unwrap_or(""))
    };
    let obj = |s| Some((Ok(SectionKind::Objective), Some(s), rest));
    match lower.as_str() {
        "minimize" | "minimise" | "minimum" | "min" => obj(Sense::Minimize),
        "maximize" | "maximise" | "maximum" | "max" => obj(Sense::Maximize),
        "st" | "s.t." | "st." => Some((Ok(SectionKind::Constraints), None, rest)),
        "subject" => two("to").map(|r| (Ok(SectionKind::Constraints), None, r)),
        "such" => two("that").map(|r| (Ok(SectionKind::Constraints), None, r)),
        "bounds" | "bound" => Some((Ok(SectionKind::Bounds), None, rest)),
        "general" | "generals" | "gen" | "integer" | "integers" => {
            Some((Ok(SectionKind::Generals), None, rest))
        }
        "binary" | "binaries" | "bin" => Some((Ok(SectionKind::Binaries), None, rest)),
        "semi-continuous" | "semicontinuous" | "semis" | "semi" | "sos" | "sos1" | "sos2"
        | "end" => Some((Err(lower), None, rest)),
        _ => None,
    }
}

#[derive(Debug, Default)]
struct Expr {
    terms: Vec<(usize, f64)>,
    constant: f64,
}

impl Expr {
    fn has_vars(&self) -> bool {
        !self.terms.is_empty()
    }
}

#[derive(Debug)]
struct Builder<'a> {
    vars: Vec<Variable>,
    var_index: HashMap<&'a str, usize>,
}

impl<'a> Builder<'a> {
    fn var(&mut self, name: &'a str, ln: usize) -> Result<usize, ParseError> {
        if let Some(&i) = self.var_index.get(name) {
            return Ok(i);
        }
        if self.vars.len() >= MAX_VARS {
            return Err(ParseError::out_of_range(
                F,
                ln,
                "number of variables",
                self.vars.len() + 1,
                format!("at most {MAX_VARS}"),
            ));
        }
        self.vars.push(Variable {
            name: name.to_string(),
            kind: VarKind::Continuous,
            lower: 0.0,
            upper: f64::INFINITY,
            obj: 0.0,
        });
        let i = self.vars.len() - 1;
        self.var_index.insert(name, i);
        Ok(i)
    }
}

struct Cursor<'t, 'a> {
    toks: &'t [(usize, Tok<'a>)],
    pos: usize,
    section_line: usize,
}

impl<'a> Cursor<'_, 'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).map(|t| t.1)
    }
    fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(self.section_line, |t| t.0)
    }
    fn bump(&mut self) -> Option<Tok<'a>> {
        let t = self.peek();
        self.pos += 1;
        t
    }
    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }
    fn err_found(&self, expected: &str) -> ParseError {
        match self.toks.get(self.pos) {
            Some(&(ln, t)) => ParseError::unexpected(F, ln, expected, tok_text(t)),
            None => ParseError::eof(F, self.line(), expected),
        }
    }
}

fn tok_text(t: Tok<'_>) -> String {
    match t {
        Tok::Num(_, s) | Tok::Ident(s) => s.to_string(),
        Tok::Label(s) => format!("{s}:"),
        Tok::Plus => "+".into(),
        Tok::Minus => "-".into(),
        Tok::Op(Cmp::Le) => "<=".into(),
        Tok::Op(Cmp::Ge) => ">=".into(),
        Tok::Op(Cmp::Eq) => "=".into(),
    }
}

/// Signs before a term: returns the sign, and whether any sign was present.
fn signs(c: &mut Cursor<'_, '_>) -> (f64, bool) {
    let mut s = 1.0;
    let mut any = false;
    loop {
        match c.peek() {
            Some(Tok::Plus) => {}
            Some(Tok::Minus) => s = -s,
            _ => return (s, any),
        }
        any = true;
        c.pos += 1;
    }
}

/// Parse a linear expression. With `stop_after_constant`, the expression ends after a term that
/// is a plain constant (the right-hand side of a constraint). Infinite constants are allowed
/// (callers decide); infinite coefficients are not.
fn parse_expr<'a>(
    c: &mut Cursor<'_, 'a>,
    b: &mut Builder<'a>,
    stop_after_constant: bool,
) -> Result<Expr, ParseError> {
    let mut e = Expr::default();
    let mut first = true;
    let mut pos_of: HashMap<usize, usize> = HashMap::new();
    loop {
        let save = c.pos;
        let (sign, had_sign) = signs(c);
        if !first && !had_sign {
            c.pos = save;
            break;
        }
        let ln = c.line();
        let (coef, var) = match c.peek() {
            Some(Tok::Num(v, text)) => {
                c.pos += 1;
                let same_line = c.toks.get(c.pos).is_some_and(|t| t.0 == ln);
                match c.peek() {
                    Some(Tok::Ident(name))
                        if !is_inf_word(name) && (same_line || !stop_after_constant) =>
                    {
                        c.pos += 1;
                        if !v.is_finite() {
                            return Err(ParseError::invalid_number(
                                F,
                                ln,
                                "a finite coefficient",
                                text,
                            ));
                        }
                        (sign * v, Some(name))
                    }
                    _ => (sign * v, None),
                }
            }
            Some(Tok::Ident(name)) if is_inf_word(name) => {
                c.pos += 1;
                (sign * f64::INFINITY, None)
            }
            Some(Tok::Ident(name)) => {
                c.pos += 1;
                (sign, Some(name))
            }
            _ => {
                if first && !had_sign {
                    return Err(c.err_found("a term (number or variable)"));
                }
                return Err(c.err_found("a term after the sign"));
            }
        };
        first = false;
        match var {
            Some(name) => {
                let j = b.var(name, ln)?;
                match pos_of.get(&j) {
                    Some(&p) => {
                        if let Some(t) = e.terms.get_mut(p) {
                            t.1 += coef;
                        }
                    }
                    None => {
                        pos_of.insert(j, e.terms.len());
                        e.terms.push((j, coef));
                    }
                }
            }
            None => {
                e.constant += if coef.abs() >= INFINITE_BOUND {
                    coef.signum() * f64::INFINITY
                } else {
                    coef
                };
                if e.constant.is_nan() {
                    return Err(ParseError::invalid_number(F, ln, "a constant", "inf - inf"));
                }
                if stop_after_constant {
                    break;
                }
            }
        }
    }
    Ok(e)
}

fn finite_constant(e: &Expr, ln: usize, what: &str) -> Result<f64, ParseError> {
    if e.constant.is_finite() {
        Ok(e.constant)
    } else {
        Err(ParseError::invalid_number(
            F,
            ln,
            what,
            e.constant.to_string(),
        ))
    }
}

/// `a - b` on sparse term lists, in order of first appearance, zero results dropped.
fn combine(a: Vec<(usize, f64)>, b: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
    let mut out = a;
    let mut pos: HashMap<usize, usize> = out.iter().enumerate().map(|(p, t)| (t.0, p)).collect();
    for (j, v) in b {
        match pos.get(&j) {
            Some(&p) => {
                if let Some(t) = out.get_mut(p) {
                    t.1 -= v;
                }
            }
            None => {
                pos.insert(j, out.len());
                out.push((j, -v));
            }
        }
    }
    out.retain(|t| t.1 != 0.0);
    out
}

fn check_range(lo: f64, up: f64, ln: usize, what: &str) -> Result<(), ParseError> {
    if lo.is_nan() || up.is_nan() || lo == f64::INFINITY || up == f64::NEG_INFINITY {
        return Err(ParseError::inconsistent(
            F,
            ln,
            format!("{what} gets the empty range [{lo}, {up}]"),
        ));
    }
    Ok(())
}

fn flip(op: Cmp) -> Cmp {
    match op {
        Cmp::Le => Cmp::Ge,
        Cmp::Ge => Cmp::Le,
        Cmp::Eq => Cmp::Eq,
    }
}

/// One constraint: coefficients and range.
fn parse_constraint<'a>(
    c: &mut Cursor<'_, 'a>,
    b: &mut Builder<'a>,
) -> Result<(Option<&'a str>, usize, Row), ParseError> {
    let name = match c.peek() {
        Some(Tok::Label(n)) => {
            c.pos += 1;
            Some(n)
        }
        _ => None,
    };
    let ln = c.line();
    let e1 = parse_expr(c, b, false)?;
    let Some(Tok::Op(op1)) = c.peek() else {
        return Err(c.err_found("a comparison operator (<=, >=, =)"));
    };
    c.pos += 1;
    let e2 = parse_expr(c, b, true)?;
    let (coefs, lo, up) = if let Some(Tok::Op(op2)) = c.peek() {
        c.pos += 1;
        let e3 = parse_expr(c, b, true)?;
        if e1.has_vars() || e3.has_vars() || op1 != op2 || op1 == Cmp::Eq {
            return Err(ParseError::unexpected(
                F,
                ln,
                "a double inequality `l <= expression <= u` (or with >=) with constant ends",
                "another form",
            ));
        }
        let k = finite_constant(&e2, ln, "a finite constant in a ranged constraint")?;
        let (a, z) = (e1.constant - k, e3.constant - k);
        let (lo, up) = if op1 == Cmp::Le { (a, z) } else { (z, a) };
        (combine(e2.terms, Vec::new()), lo, up)
    } else {
        let (e1, e2, op) = if !e1.has_vars() && e2.has_vars() {
            (e2, e1, flip(op1))
        } else {
            (e1, e2, op1)
        };
        let k1 = finite_constant(&e1, ln, "a finite constant on the left-hand side")?;
        let rhs = e2.constant - k1;
        let coefs = combine(e1.terms, e2.terms);
        match op {
            Cmp::Le => (coefs, f64::NEG_INFINITY, rhs),
            Cmp::Ge => (coefs, rhs, f64::INFINITY),
            Cmp::Eq => {
                if !rhs.is_finite() {
                    return Err(ParseError::invalid_number(
                        F,
                        ln,
                        "a finite right-hand side for `=`",
                        rhs.to_string(),
                    ));
                }
                (coefs, rhs, rhs)
            }
        }
    };
    check_range(lo, up, ln, "constraint")?;
    Ok((
        name,
        ln,
        Row {
            name: String::new(),
            coefs,
            lower: lo,
            upper: up,
        },
    ))
}

/// A bound value: signs then a number or `inf`.
fn bound_value(c: &mut Cursor<'_, '_>) -> Result<f64, ParseError> {
    let (s, _) = signs(c);
    let v = match c.peek() {
        Some(Tok::Num(v, _)) => v,
        Some(Tok::Ident(n)) if is_inf_word(n) => f64::INFINITY,
        _ => return Err(c.err_found("a bound value")),
    };
    c.pos += 1;
    let v = s * v;
    Ok(if v >= INFINITE_BOUND {
        f64::INFINITY
    } else if v <= -INFINITE_BOUND {
        f64::NEG_INFINITY
    } else {
        v
    })
}

fn parse_bound<'a>(c: &mut Cursor<'_, 'a>, b: &mut Builder<'a>) -> Result<(), ParseError> {
    let ln = c.line();
    let starts_with_var = matches!(c.peek(), Some(Tok::Ident(n)) if !is_inf_word(n));
    let (j, lo, up) = if starts_with_var {
        let Some(Tok::Ident(name)) = c.bump() else {
            return Err(c.err_found("a variable"));
        };
        let j = b.var(name, ln)?;
        let (cur_lo, cur_up) = b
            .vars
            .get(j)
            .map_or((0.0, f64::INFINITY), |v| (v.lower, v.upper));
        match c.bump() {
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("free") => {
                (j, f64::NEG_INFINITY, f64::INFINITY)
            }
            Some(Tok::Op(op)) => {
                let v = bound_value(c)?;
                match op {
                    Cmp::Le => (j, cur_lo, v),
                    Cmp::Ge => (j, v, cur_up),
                    Cmp::Eq => (j, v, v),
                }
            }
            _ => {
                c.pos = c.pos.saturating_sub(1);
                return Err(c.err_found("`free` or a comparison after the variable"));
            }
        }
    } else {
        let v1 = bound_value(c)?;
        let Some(Tok::Op(op1)) = c.bump() else {
            c.pos = c.pos.saturating_sub(1);
            return Err(c.err_found("a comparison operator"));
        };
        let Some(Tok::Ident(name)) = c.bump() else {
            c.pos = c.pos.saturating_sub(1);
            return Err(c.err_found("a variable"));
        };
        let j = b.var(name, ln)?;
        let (cur_lo, cur_up) = b
            .vars
            .get(j)
            .map_or((0.0, f64::INFINITY), |v| (v.lower, v.upper));
        if let Some(Tok::Op(op2)) = c.peek() {
            c.pos += 1;
            let v2 = bound_value(c)?;
            match (op1, op2) {
                (Cmp::Le, Cmp::Le) => (j, v1, v2),
                (Cmp::Ge, Cmp::Ge) => (j, v2, v1),
                _ => {
                    return Err(ParseError::unexpected(
                        F,
                        ln,
                        "`l <= x <= u` or `u >= x >= l`",
                        "mixed comparison operators",
                    ));
                }
            }
        } else {
            match op1 {
                Cmp::Le => (j, v1, cur_up),
                Cmp::Ge => (j, cur_lo, v1),
                Cmp::Eq => (j, v1, v1),
            }
        }
    };
    if lo == f64::INFINITY || up == f64::NEG_INFINITY || (lo == up && !lo.is_finite()) {
        return Err(ParseError::inconsistent(
            F,
            ln,
            format!("bounds [{lo}, {up}] of a variable"),
        ));
    }
    if let Some(v) = b.vars.get_mut(j) {
        v.lower = lo;
        v.upper = up;
    }
    Ok(())
}

/// Read a CPLEX LP model. See the module documentation for what is supported.
pub fn read_lp(text: &str) -> Result<MilpInstance, ParseError> {
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
    };
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
                    if rows.len() >= MAX_ROWS {
                        return Err(ParseError::out_of_range(
                            F,
                            c.line(),
                            "number of constraints",
                            rows.len() + 1,
                            format!("at most {MAX_ROWS}"),
                        ));
                    }
                    rows.push(parse_constraint(&mut c, &mut b)?);
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

const TERMS_PER_LINE: usize = 8;

fn write_terms(out: &mut String, terms: impl Iterator<Item = (f64, String)>) -> bool {
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

fn lp_value(v: f64) -> String {
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

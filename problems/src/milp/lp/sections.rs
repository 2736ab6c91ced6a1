//! Parsing the LP sections over the token stream: linear expressions, constraints (ranges and
//! double inequalities), bounds; the variable table they fill.

use super::*;

#[derive(Debug, Default)]
pub(super) struct Expr {
    pub(super) terms: Vec<(usize, f64)>,
    pub(super) constant: f64,
}

impl Expr {
    pub(super) fn has_vars(&self) -> bool {
        !self.terms.is_empty()
    }
}

#[derive(Debug)]
pub(super) struct Builder<'a> {
    pub(super) vars: Vec<Variable>,
    pub(super) var_index: HashMap<&'a str, usize>,
    /// `ReadLimits::max_vars`.
    pub(super) max_vars: usize,
}

impl<'a> Builder<'a> {
    pub(super) fn var(&mut self, name: &'a str, ln: usize) -> Result<usize, ParseError> {
        if let Some(&i) = self.var_index.get(name) {
            return Ok(i);
        }
        if self.vars.len() >= self.max_vars {
            return Err(ParseError::out_of_range(
                F,
                ln,
                "number of variables",
                self.vars.len() + 1,
                format!("at most {} (read limit max_vars)", self.max_vars),
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

pub(super) struct Cursor<'t, 'a> {
    pub(super) toks: &'t [(usize, Tok<'a>)],
    pub(super) pos: usize,
    pub(super) section_line: usize,
}

impl<'a> Cursor<'_, 'a> {
    pub(super) fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).map(|t| t.1)
    }
    pub(super) fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(self.section_line, |t| t.0)
    }
    pub(super) fn bump(&mut self) -> Option<Tok<'a>> {
        let t = self.peek();
        self.pos += 1;
        t
    }
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }
    pub(super) fn err_found(&self, expected: &str) -> ParseError {
        match self.toks.get(self.pos) {
            Some(&(ln, t)) => ParseError::unexpected(F, ln, expected, tok_text(t)),
            None => ParseError::eof(F, self.line(), expected),
        }
    }
}

/// Signs before a term: returns the sign, and whether any sign was present.
pub(super) fn signs(c: &mut Cursor<'_, '_>) -> (f64, bool) {
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
pub(super) fn parse_expr<'a>(
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

pub(super) fn finite_constant(e: &Expr, ln: usize, what: &str) -> Result<f64, ParseError> {
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
pub(super) fn combine(a: Vec<(usize, f64)>, b: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
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

pub(super) fn check_range(lo: f64, up: f64, ln: usize, what: &str) -> Result<(), ParseError> {
    if lo.is_nan() || up.is_nan() || lo == f64::INFINITY || up == f64::NEG_INFINITY {
        return Err(ParseError::inconsistent(
            F,
            ln,
            format!("{what} gets the empty range [{lo}, {up}]"),
        ));
    }
    Ok(())
}

pub(super) fn flip(op: Cmp) -> Cmp {
    match op {
        Cmp::Le => Cmp::Ge,
        Cmp::Ge => Cmp::Le,
        Cmp::Eq => Cmp::Eq,
    }
}

/// One constraint: coefficients and range.
pub(super) fn parse_constraint<'a>(
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
pub(super) fn bound_value(c: &mut Cursor<'_, '_>) -> Result<f64, ParseError> {
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

pub(super) fn parse_bound<'a>(
    c: &mut Cursor<'_, 'a>,
    b: &mut Builder<'a>,
) -> Result<(), ParseError> {
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

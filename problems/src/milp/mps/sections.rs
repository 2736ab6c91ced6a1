//! The MPS sections after the header: ROWS, COLUMNS (with MARKER blocks), RHS and RANGES,
//! BOUNDS; one method per section line kind.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn row_line(&mut self, ln: usize, f: &[&'a str]) -> Result<(), ParseError> {
        let [kind, name] = f else {
            return Err(ParseError::unexpected(
                F,
                ln,
                "a row type and a row name",
                f.join(" "),
            ));
        };
        let kind = match kind.to_ascii_uppercase().as_str() {
            "N" => None,
            "L" => Some(RowKind::L),
            "G" => Some(RowKind::G),
            "E" => Some(RowKind::E),
            _ => {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    "row type N, L, G or E",
                    *kind,
                ));
            }
        };
        if self.row_index.contains_key(name) {
            return Err(ParseError::duplicate(F, ln, format!("row name `{name}`")));
        }
        let r = match kind {
            None => {
                let is_obj = self.objective.is_none() && self.objname.is_none_or(|o| o == *name);
                if is_obj {
                    self.objective = Some((*name).to_string());
                    RowRef::Objective
                } else {
                    RowRef::Free
                }
            }
            Some(kind) => {
                if self.rows.len() >= self.limits.max_rows {
                    return Err(ParseError::out_of_range(
                        F,
                        ln,
                        "number of rows",
                        self.rows.len() + 1,
                        format!("at most {} (read limit max_rows)", self.limits.max_rows),
                    ));
                }
                self.rows.push(Row {
                    name: (*name).to_string(),
                    coefs: Vec::new(),
                    lower: f64::NEG_INFINITY,
                    upper: f64::INFINITY,
                });
                self.row_info.push(RowInfo {
                    kind,
                    rhs: 0.0,
                    range: None,
                    rhs_seen: false,
                    line: ln,
                });
                RowRef::Con(self.rows.len() - 1)
            }
        };
        self.row_index.insert(name, r);
        Ok(())
    }

    pub(super) fn marker(&mut self, ln: usize, kind: &str) -> Result<(), ParseError> {
        match (kind, self.intorg_line) {
            ("INTORG", None) => {
                self.intorg_line = Some(ln);
                Ok(())
            }
            ("INTEND", Some(_)) => {
                self.intorg_line = None;
                Ok(())
            }
            ("INTORG", Some(_)) => Err(ParseError::unexpected(
                F,
                ln,
                "'INTEND' closing the open 'INTORG' marker",
                kind,
            )),
            ("INTEND", None) => Err(ParseError::unexpected(
                F,
                ln,
                "'INTORG' before 'INTEND'",
                kind,
            )),
            _ => Err(ParseError::unsupported(F, ln, "MARKER kind", kind)),
        }
    }

    pub(super) fn lookup_row(&self, ln: usize, name: &str) -> Result<RowRef, ParseError> {
        self.row_index
            .get(name)
            .copied()
            .ok_or_else(|| ParseError::unexpected(F, ln, "a row name declared in ROWS", name))
    }

    pub(super) fn column_line(&mut self, ln: usize, f: &[&'a str]) -> Result<(), ParseError> {
        if f.len() != 3 && f.len() != 5 {
            return Err(ParseError::unexpected(
                F,
                ln,
                "a column name and one or two (row, value) pairs",
                f.join(" "),
            ));
        }
        let col_name = f[0];
        let c = match self.current_col {
            Some(c) if self.vars.get(c).is_some_and(|v| v.name == col_name) => c,
            _ => {
                if self.col_index.contains_key(col_name) {
                    return Err(ParseError::duplicate(
                        F,
                        ln,
                        format!("column `{col_name}` (its entries must be contiguous)"),
                    ));
                }
                if self.vars.len() >= self.limits.max_vars {
                    return Err(ParseError::out_of_range(
                        F,
                        ln,
                        "number of columns",
                        self.vars.len() + 1,
                        format!("at most {} (read limit max_vars)", self.limits.max_vars),
                    ));
                }
                let integer = self.intorg_line.is_some();
                self.vars.push(Variable {
                    name: col_name.to_string(),
                    kind: if integer {
                        VarKind::Integer
                    } else {
                        VarKind::Continuous
                    },
                    lower: 0.0,
                    upper: f64::INFINITY,
                    obj: 0.0,
                });
                self.col_info.push(ColInfo {
                    default_binary: integer,
                    ..ColInfo::default()
                });
                let c = self.vars.len() - 1;
                self.col_index.insert(col_name, c);
                self.current_col = Some(c);
                self.obj_mark = false;
                c
            }
        };
        for pair in f[1..].chunks_exact(2) {
            let (row_name, val) = (pair[0], pair[1]);
            let r = self.lookup_row(ln, row_name)?;
            let v = parse_coef(val, ln)?;
            match r {
                RowRef::Free => {}
                RowRef::Objective => {
                    if self.obj_mark {
                        return Err(ParseError::duplicate(
                            F,
                            ln,
                            format!("objective entry for column `{col_name}`"),
                        ));
                    }
                    self.obj_mark = true;
                    if let Some(var) = self.vars.get_mut(c) {
                        var.obj = v;
                    }
                }
                RowRef::Con(r) => {
                    let (Some(mark), Some(row)) = (self.row_mark.get_mut(r), self.rows.get_mut(r))
                    else {
                        return Err(ParseError::inconsistent(F, ln, "row index out of range"));
                    };
                    if *mark == c + 1 {
                        return Err(ParseError::duplicate(
                            F,
                            ln,
                            format!("entry for row `{row_name}` in column `{col_name}`"),
                        ));
                    }
                    *mark = c + 1;
                    if v != 0.0 {
                        if self.nnz >= self.limits.max_nonzeros {
                            return Err(ParseError::out_of_range(
                                F,
                                ln,
                                "number of nonzeros",
                                self.nnz + 1,
                                format!(
                                    "at most {} (read limit max_nonzeros)",
                                    self.limits.max_nonzeros
                                ),
                            ));
                        }
                        self.nnz += 1;
                        row.coefs.push((c, v));
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn end_columns(&mut self, ln: usize) -> Result<(), ParseError> {
        if let Some(open) = self.intorg_line {
            return Err(ParseError::unexpected(
                F,
                ln,
                format!("'MARKER' 'INTEND' closing the 'INTORG' of line {open}"),
                "end of COLUMNS",
            ));
        }
        self.current_col = None;
        Ok(())
    }

    /// An RHS or RANGES line: `[set] row value [row value]`.
    pub(super) fn rhs_line(
        &mut self,
        ln: usize,
        f: &[&'a str],
        ranges: bool,
    ) -> Result<(), ParseError> {
        let what = if ranges { "RANGES" } else { "RHS" };
        let pairs = match f.len() {
            2 | 4 => f,
            3 | 5 => &f[1..],
            _ => {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    format!("{what} entries: [set name] row value [row value]"),
                    f.join(" "),
                ));
            }
        };
        for pair in pairs.chunks_exact(2) {
            let (row_name, val) = (pair[0], pair[1]);
            let r = self.lookup_row(ln, row_name)?;
            let v = parse_bound_value(val, &format!("{what} value"), ln)?;
            match (r, ranges) {
                (RowRef::Free, _) | (RowRef::Objective, true) => {}
                (RowRef::Objective, false) => {
                    if self.obj_rhs_seen {
                        return Err(ParseError::duplicate(F, ln, "RHS entry for the objective"));
                    }
                    if !v.is_finite() {
                        return Err(ParseError::invalid_number(
                            F,
                            ln,
                            "a finite objective constant",
                            val,
                        ));
                    }
                    self.obj_rhs_seen = true;
                    self.obj_constant = -v;
                }
                (RowRef::Con(r), _) => {
                    let Some(info) = self.row_info.get_mut(r) else {
                        return Err(ParseError::inconsistent(F, ln, "row index out of range"));
                    };
                    if ranges {
                        if info.range.is_some() {
                            return Err(ParseError::duplicate(
                                F,
                                ln,
                                format!("RANGES entry for row `{row_name}`"),
                            ));
                        }
                        info.range = Some(v);
                    } else {
                        if info.rhs_seen {
                            return Err(ParseError::duplicate(
                                F,
                                ln,
                                format!("RHS entry for row `{row_name}`"),
                            ));
                        }
                        info.rhs_seen = true;
                        info.rhs = v;
                    }
                    info.line = ln;
                }
            }
        }
        Ok(())
    }

    pub(super) fn bound_line(&mut self, ln: usize, f: &[&'a str]) -> Result<(), ParseError> {
        let Some(&btype) = f.first() else {
            return Ok(());
        };
        let bt = btype.to_ascii_uppercase();
        let needs_value = match bt.as_str() {
            "UP" | "LO" | "FX" | "LI" | "UI" => true,
            "FR" | "MI" | "PL" | "BV" => false,
            "SC" | "SI" => return Err(ParseError::unsupported(F, ln, "bound type", btype)),
            _ => {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    "a bound type (UP, LO, FX, FR, MI, PL, BV, LI, UI)",
                    btype,
                ));
            }
        };
        let known = |s: &str| self.col_index.contains_key(s);
        let (col, val) = match (needs_value, f.len()) {
            (true, 3) => (f[1], Some(f[2])),
            (true, 4) => (f[2], Some(f[3])),
            (false, 2) => (f[1], None),
            (false, 3) if known(f[2]) || !known(f[1]) => (f[2], None),
            (false, 3) => (f[1], None),
            (false, 4) => (f[2], None),
            _ => {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    format!(
                        "{bt} bound: type [bound name] column{}",
                        if needs_value { " value" } else { "" }
                    ),
                    f.join(" "),
                ));
            }
        };
        let Some(&c) = self.col_index.get(col) else {
            return Err(ParseError::unexpected(
                F,
                ln,
                "a column name declared in COLUMNS",
                col,
            ));
        };
        let value = match val {
            Some(t) => parse_bound_value(t, &format!("{bt} bound"), ln)?,
            None => 0.0,
        };
        let (Some(var), Some(info)) = (self.vars.get_mut(c), self.col_info.get_mut(c)) else {
            return Err(ParseError::inconsistent(F, ln, "column index out of range"));
        };
        let (sets_lower, sets_upper) = match bt.as_str() {
            "UP" | "UI" | "PL" => (false, true),
            "LO" | "LI" | "MI" => (true, false),
            _ => (true, true),
        };
        if (sets_lower && info.has_lower) || (sets_upper && info.has_upper) {
            return Err(ParseError::duplicate(
                F,
                ln,
                format!(
                    "{} bound for column `{col}`",
                    if sets_lower { "lower" } else { "upper" }
                ),
            ));
        }
        if sets_lower && value == f64::INFINITY {
            return Err(ParseError::invalid_number(
                F,
                ln,
                "a lower bound below +infinity",
                val.unwrap_or(""),
            ));
        }
        if sets_upper && value == f64::NEG_INFINITY {
            return Err(ParseError::invalid_number(
                F,
                ln,
                "an upper bound above -infinity",
                val.unwrap_or(""),
            ));
        }
        match bt.as_str() {
            "UP" | "UI" => {
                var.upper = value;
                if value < 0.0 && !info.has_lower && var.lower == 0.0 {
                    var.lower = f64::NEG_INFINITY;
                }
            }
            "LO" | "LI" => var.lower = value,
            "FX" => {
                var.lower = value;
                var.upper = value;
            }
            "FR" => {
                var.lower = f64::NEG_INFINITY;
                var.upper = f64::INFINITY;
            }
            "MI" => var.lower = f64::NEG_INFINITY,
            "PL" => var.upper = f64::INFINITY,
            _ => {
                // BV
                var.lower = 0.0;
                var.upper = 1.0;
            }
        }
        if matches!(bt.as_str(), "UI" | "LI" | "BV") {
            var.kind = VarKind::Integer;
        }
        info.has_lower |= sets_lower;
        info.has_upper |= sets_upper;
        info.default_binary = false;
        Ok(())
    }
}

//! MPS reader and writer.
//!
//! The reader accepts free MPS (fields separated by whitespace) and fixed MPS. It first reads a
//! file as free MPS (every classic fixed-format file whose names contain no spaces is also valid
//! free MPS); when that fails it retries with the classic fixed column positions (fields at
//! columns 2-3, 5-12, 15-22, 25-36, 40-47, 50-61), which allows names with spaces. If both fail,
//! the error of the free-format attempt is returned.
//!
//! Conventions (following HiGHS where formats are ambiguous):
//! * The first `N` row is the objective (or the one named in an `OBJNAME` section); further `N`
//!   rows are free rows and are dropped together with their coefficients, RHS and RANGES entries.
//! * Columns between `'MARKER' 'INTORG'` and `'MARKER' 'INTEND'` are integer. An integer column
//!   from a MARKER block that gets no entry at all in BOUNDS is binary, bounds `[0, 1]` (the
//!   original IBM convention, also used by HiGHS, CPLEX, Gurobi and GLPK); any BOUNDS entry for
//!   the column replaces that default by `[0, +inf]` modified by the entry.
//! * An `UP` (or `UI`) bound below zero on a column whose lower bound was not given explicitly
//!   makes the lower bound `-inf` (HiGHS and CPLEX do this with a warning).
//! * Values with `|v| >= 1e30` (and `inf`/`infinity`) in RHS, RANGES and BOUNDS mean infinity.
//! * Matrix and objective coefficients must be finite; zero coefficients are dropped.
//! * Stricter than HiGHS: names that are not declared (rows in COLUMNS/RHS/RANGES, columns in
//!   BOUNDS), a second entry for the same (column, row), a second RHS/RANGES entry for a row, a
//!   second lower or upper bound for a column, a column whose entries are not contiguous, and an
//!   unterminated `INTORG` block are errors. `SC`/`SI` bounds and quadratic, SOS, indicator and
//!   cone sections are reported as unsupported. Everything after `ENDATA` is ignored.

use super::model::{MilpInstance, Row, Sense, VarKind, Variable};
use crate::error::{Format, ParseError};
use crate::text::numbered_lines;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

const F: Format = Format::Mps;

/// Most constraint rows an MPS file may declare.
pub const MAX_ROWS: usize = 50_000_000;
/// Most columns an MPS file may declare.
pub const MAX_COLS: usize = 50_000_000;
/// Most nonzero matrix coefficients.
pub const MAX_NONZEROS: usize = 500_000_000;
/// Values at least this large in absolute value stand for infinity in RHS, RANGES and BOUNDS.
pub const INFINITE_BOUND: f64 = 1e30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Free,
    Fixed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Objsense,
    Objname,
    Rows,
    Columns,
    Rhs,
    Ranges,
    Bounds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    L,
    G,
    E,
}

#[derive(Debug, Clone, Copy)]
enum RowRef {
    Objective,
    Free,
    Con(usize),
}

#[derive(Debug, Clone)]
struct RowInfo {
    kind: RowKind,
    rhs: f64,
    range: Option<f64>,
    rhs_seen: bool,
    line: usize,
}

#[derive(Debug, Clone, Default)]
struct ColInfo {
    has_lower: bool,
    has_upper: bool,
    default_binary: bool,
}

/// Read an MPS model (free or fixed format). See the module documentation for the conventions.
pub fn read_mps(text: &str) -> Result<MilpInstance, ParseError> {
    match Parser::new(Layout::Free).run(text) {
        Ok(m) => Ok(m),
        Err(free_err) => match Parser::new(Layout::Fixed).run(text) {
            Ok(m) => Ok(m),
            Err(_) => Err(free_err),
        },
    }
}

/// A name for the objective row that no constraint row uses: `objective_name` when it is
/// non-empty and free, else the first of `obj`, `obj_1`, `obj_2`, ... that is free.
/// Linear in the number of rows: the names are hashed once (a scan of all rows per candidate
/// made a file whose rows are `obj`, `obj_1`, ..., `obj_k` quadratic to read).
pub fn objective_row_name(objective_name: &str, rows: &[Row]) -> String {
    let taken: HashSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    if !objective_name.is_empty() && !taken.contains(objective_name) {
        return objective_name.to_string();
    }
    if !taken.contains("obj") {
        return "obj".to_string();
    }
    // At most `rows.len()` candidates are taken, so this ends within `rows.len() + 1` steps.
    let mut k = 1usize;
    loop {
        let cand = format!("obj_{k}");
        if !taken.contains(cand.as_str()) {
            return cand;
        }
        k += 1;
    }
}

/// Parse a value from RHS, RANGES or BOUNDS: `|v| >= 1e30` and `inf`/`infinity` mean infinity.
fn parse_bound_value(tok: &str, what: &str, ln: usize) -> Result<f64, ParseError> {
    match tok.parse::<f64>() {
        Ok(v) if v.is_nan() => Err(ParseError::invalid_number(F, ln, what, tok)),
        Ok(v) if v >= INFINITE_BOUND => Ok(f64::INFINITY),
        Ok(v) if v <= -INFINITE_BOUND => Ok(f64::NEG_INFINITY),
        Ok(v) => Ok(v),
        Err(_) => Err(ParseError::invalid_number(F, ln, what, tok)),
    }
}

/// Parse a matrix or objective coefficient (finite).
fn parse_coef(tok: &str, ln: usize) -> Result<f64, ParseError> {
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

fn strip_quotes(s: &str) -> &str {
    s.trim_matches('\'').trim_matches('"')
}

/// Split a data line into its fields.
fn fields<'a>(
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

fn parse_sense(word: &str) -> Option<Sense> {
    match word.to_ascii_uppercase().as_str() {
        "MAX" | "MAXIMIZE" | "MAXIMISE" => Some(Sense::Maximize),
        "MIN" | "MINIMIZE" | "MINIMISE" => Some(Sense::Minimize),
        _ => None,
    }
}

struct Parser<'a> {
    layout: Layout,
    name: String,
    sense: Sense,
    section: Section,
    seen_rows: bool,
    seen_columns: bool,
    seen_rhs: bool,
    seen_ranges: bool,
    seen_bounds: bool,
    objname: Option<&'a str>,
    objective: Option<String>,
    row_index: HashMap<&'a str, RowRef>,
    rows: Vec<Row>,
    row_info: Vec<RowInfo>,
    col_index: HashMap<&'a str, usize>,
    vars: Vec<Variable>,
    col_info: Vec<ColInfo>,
    obj_constant: f64,
    obj_rhs_seen: bool,
    intorg_line: Option<usize>,
    current_col: Option<usize>,
    row_mark: Vec<usize>,
    obj_mark: bool,
    nnz: usize,
}

impl<'a> Parser<'a> {
    fn new(layout: Layout) -> Self {
        Parser {
            layout,
            name: String::new(),
            sense: Sense::Minimize,
            section: Section::None,
            seen_rows: false,
            seen_columns: false,
            seen_rhs: false,
            seen_ranges: false,
            seen_bounds: false,
            objname: None,
            objective: None,
            row_index: HashMap::new(),
            rows: Vec::new(),
            row_info: Vec::new(),
            col_index: HashMap::new(),
            vars: Vec::new(),
            col_info: Vec::new(),
            obj_constant: 0.0,
            obj_rhs_seen: false,
            intorg_line: None,
            current_col: None,
            row_mark: Vec::new(),
            obj_mark: false,
            nnz: 0,
        }
    }

    fn run(mut self, text: &'a str) -> Result<MilpInstance, ParseError> {
        let mut buf: Vec<&'a str> = Vec::with_capacity(8);
        let mut ended = false;
        let mut last_line = 0usize;
        for (ln, raw) in numbered_lines(text) {
            last_line = ln;
            if raw.starts_with('*') {
                continue;
            }
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let starts_blank = raw.starts_with(|c: char| c.is_whitespace());
            if !starts_blank {
                if self.header(ln, trimmed)? {
                    ended = true;
                    break;
                }
                continue;
            }
            match self.section {
                Section::None => {
                    return Err(ParseError::unexpected(
                        F,
                        ln,
                        "a section keyword (NAME, ROWS, ...)",
                        trimmed,
                    ));
                }
                Section::Objsense => match parse_sense(trimmed) {
                    Some(s) => self.sense = s,
                    None => {
                        return Err(ParseError::unexpected(F, ln, "MIN or MAX", trimmed));
                    }
                },
                Section::Objname => {
                    if self.objname.is_some() {
                        return Err(ParseError::duplicate(F, ln, "OBJNAME entry"));
                    }
                    self.objname = Some(trimmed);
                }
                Section::Rows => {
                    fields(raw, self.layout, ln, &mut buf)?;
                    self.row_line(ln, &buf)?;
                }
                Section::Columns => {
                    let mut ws = trimmed.split_whitespace();
                    let _ = ws.next();
                    if ws.next().map(strip_quotes) == Some("MARKER") {
                        let kind = ws.next().map(strip_quotes).unwrap_or("");
                        self.marker(ln, kind)?;
                    } else {
                        fields(raw, self.layout, ln, &mut buf)?;
                        self.column_line(ln, &buf)?;
                    }
                }
                Section::Rhs => {
                    fields(raw, self.layout, ln, &mut buf)?;
                    self.rhs_line(ln, &buf, false)?;
                }
                Section::Ranges => {
                    fields(raw, self.layout, ln, &mut buf)?;
                    self.rhs_line(ln, &buf, true)?;
                }
                Section::Bounds => {
                    fields(raw, self.layout, ln, &mut buf)?;
                    self.bound_line(ln, &buf)?;
                }
            }
        }
        if !ended {
            return Err(ParseError::eof(F, last_line.max(1), "ENDATA"));
        }
        self.finish(last_line)
    }

    /// Handle a section header line; returns true at ENDATA.
    fn header(&mut self, ln: usize, line: &'a str) -> Result<bool, ParseError> {
        let mut words = line.split_whitespace();
        let kw = words.next().unwrap_or("");
        let upper = kw.to_ascii_uppercase();
        if self.section == Section::Columns {
            self.end_columns(ln)?;
        }
        match upper.as_str() {
            "NAME" => {
                self.name = line[kw.len()..].trim().to_string();
                self.section = Section::None;
            }
            "OBJSENSE" | "OBJSENCE" => {
                if self.seen_columns {
                    return Err(ParseError::unexpected(F, ln, "OBJSENSE before COLUMNS", kw));
                }
                if let Some(w) = words.next() {
                    self.sense = parse_sense(w)
                        .ok_or_else(|| ParseError::unexpected(F, ln, "MIN or MAX", w))?;
                }
                self.section = Section::Objsense;
            }
            "OBJNAME" => {
                if self.seen_rows {
                    return Err(ParseError::unexpected(F, ln, "OBJNAME before ROWS", kw));
                }
                if let Some(w) = words.next() {
                    self.objname = Some(w);
                }
                self.section = Section::Objname;
            }
            "MAX" | "MIN" | "MAXIMIZE" | "MINIMIZE" | "MAXIMISE" | "MINIMISE"
                if self.section == Section::Objsense =>
            {
                self.sense = parse_sense(kw).unwrap_or(Sense::Minimize);
            }
            "ROWS" => {
                if self.seen_rows {
                    return Err(ParseError::duplicate(F, ln, "ROWS section"));
                }
                if self.seen_columns {
                    return Err(ParseError::unexpected(F, ln, "ROWS before COLUMNS", kw));
                }
                self.seen_rows = true;
                self.section = Section::Rows;
            }
            "COLUMNS" => {
                if self.seen_columns {
                    return Err(ParseError::duplicate(F, ln, "COLUMNS section"));
                }
                if !self.seen_rows {
                    return Err(ParseError::unexpected(
                        F,
                        ln,
                        "the ROWS section before COLUMNS",
                        kw,
                    ));
                }
                self.seen_columns = true;
                self.row_mark = vec![0; self.rows.len()];
                self.section = Section::Columns;
            }
            "RHS" | "RANGES" | "BOUNDS" => {
                if !self.seen_columns {
                    return Err(ParseError::unexpected(
                        F,
                        ln,
                        format!("the COLUMNS section before {upper}"),
                        kw,
                    ));
                }
                let (seen, sec) = match upper.as_str() {
                    "RHS" => (&mut self.seen_rhs, Section::Rhs),
                    "RANGES" => (&mut self.seen_ranges, Section::Ranges),
                    _ => (&mut self.seen_bounds, Section::Bounds),
                };
                if *seen {
                    return Err(ParseError::duplicate(F, ln, format!("{upper} section")));
                }
                *seen = true;
                self.section = sec;
            }
            "ENDATA" => return Ok(true),
            "QMATRIX" | "QUADOBJ" | "QSECTION" | "QCMATRIX" | "CSECTION" | "SOS" | "SETS"
            | "INDICATORS" | "DELAYEDROWS" | "MODELCUTS" | "USERCUTS" | "LAZYCONS" | "GENCONS"
            | "PWLOBJ" | "PWLNAM" | "PWLCON" | "BRANCH" => {
                return Err(ParseError::unsupported(F, ln, "MPS section", kw));
            }
            _ => {
                return Err(ParseError::unexpected(F, ln, "an MPS section keyword", kw));
            }
        }
        Ok(false)
    }

    fn row_line(&mut self, ln: usize, f: &[&'a str]) -> Result<(), ParseError> {
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
                if self.rows.len() >= MAX_ROWS {
                    return Err(ParseError::out_of_range(
                        F,
                        ln,
                        "number of rows",
                        self.rows.len() + 1,
                        format!("at most {MAX_ROWS}"),
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

    fn marker(&mut self, ln: usize, kind: &str) -> Result<(), ParseError> {
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

    fn lookup_row(&self, ln: usize, name: &str) -> Result<RowRef, ParseError> {
        self.row_index
            .get(name)
            .copied()
            .ok_or_else(|| ParseError::unexpected(F, ln, "a row name declared in ROWS", name))
    }

    fn column_line(&mut self, ln: usize, f: &[&'a str]) -> Result<(), ParseError> {
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
                if self.vars.len() >= MAX_COLS {
                    return Err(ParseError::out_of_range(
                        F,
                        ln,
                        "number of columns",
                        self.vars.len() + 1,
                        format!("at most {MAX_COLS}"),
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
                        if self.nnz >= MAX_NONZEROS {
                            return Err(ParseError::out_of_range(
                                F,
                                ln,
                                "number of nonzeros",
                                self.nnz + 1,
                                format!("at most {MAX_NONZEROS}"),
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

    fn end_columns(&mut self, ln: usize) -> Result<(), ParseError> {
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
    fn rhs_line(&mut self, ln: usize, f: &[&'a str], ranges: bool) -> Result<(), ParseError> {
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

    fn bound_line(&mut self, ln: usize, f: &[&'a str]) -> Result<(), ParseError> {
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

    fn finish(mut self, last_line: usize) -> Result<MilpInstance, ParseError> {
        if !self.seen_rows {
            return Err(ParseError::missing(F, last_line.max(1), "ROWS section"));
        }
        if let Some(o) = self.objname
            && self.objective.is_none()
        {
            return Err(ParseError::missing(
                F,
                last_line.max(1),
                format!("N row `{o}` named in OBJNAME"),
            ));
        }
        for (var, info) in self.vars.iter_mut().zip(&self.col_info) {
            if info.default_binary {
                var.lower = 0.0;
                var.upper = 1.0;
            }
        }
        for (row, info) in self.rows.iter_mut().zip(&self.row_info) {
            let rhs = info.rhs;
            let (lo, up) = match (info.kind, info.range) {
                (RowKind::L, None) => (f64::NEG_INFINITY, rhs),
                (RowKind::G, None) => (rhs, f64::INFINITY),
                (RowKind::E, None) => (rhs, rhs),
                (RowKind::L, Some(r)) => (rhs - r.abs(), rhs),
                (RowKind::G, Some(r)) => (rhs, rhs + r.abs()),
                (RowKind::E, Some(r)) if r < 0.0 => (rhs - r.abs(), rhs),
                (RowKind::E, Some(r)) => (rhs, rhs + r.abs()),
            };
            if lo.is_nan() || up.is_nan() || lo == f64::INFINITY || up == f64::NEG_INFINITY {
                return Err(ParseError::inconsistent(
                    F,
                    info.line,
                    format!("row `{}` gets the empty range [{lo}, {up}]", row.name),
                ));
            }
            row.lower = lo;
            row.upper = up;
        }
        let objective_name = match self.objective {
            Some(o) => o,
            None => objective_row_name("", &self.rows),
        };
        Ok(MilpInstance {
            name: self.name,
            sense: self.sense,
            objective_name,
            obj_constant: self.obj_constant,
            vars: self.vars,
            rows: self.rows,
        })
    }
}

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
fn ranged_row(lower: f64, upper: f64) -> (char, f64, f64) {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ranged_rows_round_trip_exactly() {
        for &(lo, up) in &[
            (0.3, 1.1),
            (-1e20, 1e-5),
            (1e-5, 1e20),
            (-3.7, -0.1),
            (0.1, 0.7),
            (-123456.789, 0.001),
        ] {
            let (t, rhs, r) = ranged_row(lo, up);
            let (l2, u2) = if t == 'L' {
                (rhs - r.abs(), rhs)
            } else {
                (rhs, rhs + r.abs())
            };
            assert_eq!((l2, u2), (lo, up), "{lo} {up}");
        }
    }

    #[test]
    fn fmt_num_round_trips() {
        for &v in &[
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-300,
            1e300,
            123456789012345678.0,
            -2.5e-7,
        ] {
            assert_eq!(fmt_num(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
    }

    #[test]
    fn fixed_fields_with_spaces() {
        let mut buf = Vec::new();
        let line = "    X 1       ROW A        1.5         ROW B        -2";
        fields(line, Layout::Fixed, 1, &mut buf).unwrap();
        assert_eq!(buf, vec!["X 1", "ROW A", "1.5", "ROW B", "-2"]);
    }
}

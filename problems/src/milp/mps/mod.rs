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

mod fields;
mod sections;
mod writer;

use super::model::{MilpInstance, Row, Sense, VarKind, Variable};
use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use crate::text::numbered_lines;
use fields::*;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
pub use writer::{fmt_num, write_mps};

const F: Format = Format::Mps;

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

/// Read an MPS model (free or fixed format) under the default [`ReadLimits`]. See the module
/// documentation for the conventions.
pub fn read_mps(text: &str) -> Result<MilpInstance, ParseError> {
    read_mps_with_limits(text, &ReadLimits::default())
}

/// [`read_mps`] under `limits`: at most `max_rows` constraint rows, `max_vars` columns and
/// `max_nonzeros` matrix coefficients (counted as they are read, so a refusal comes at the
/// line that passes the cap, without reading the rest).
pub fn read_mps_with_limits(text: &str, limits: &ReadLimits) -> Result<MilpInstance, ParseError> {
    match Parser::new(Layout::Free, limits).run(text) {
        Ok(m) => Ok(m),
        // A cap is no layout question: the fixed layout would pass it too.
        Err(free_err) if free_err.code() == "parse.out_of_range" => Err(free_err),
        Err(free_err) => match Parser::new(Layout::Fixed, limits).run(text) {
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
    limits: ReadLimits,
}

impl<'a> Parser<'a> {
    fn new(layout: Layout, limits: &ReadLimits) -> Self {
        Parser {
            layout,
            limits: *limits,
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::writer::ranged_row;
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

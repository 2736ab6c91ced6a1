//! Parse errors shared by every reader: a stable code, the 1-based line, and what was expected.

use serde::Serialize;
use std::fmt;

/// Which file format a reader was parsing when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Tsplib,
    Tour,
    Cvrplib,
    CvrpSol,
    Jssp,
    Taillard,
    JsspSchedule,
    Fjsp,
    FjspSchedule,
    Mps,
    Lp,
    MilpSolution,
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Format::Tsplib => "TSPLIB",
            Format::Tour => "TSPLIB tour",
            Format::Cvrplib => "CVRPLIB",
            Format::CvrpSol => "CVRPLIB solution",
            Format::Jssp => "JSSP (OR-Library)",
            Format::Taillard => "JSSP (Taillard)",
            Format::JsspSchedule => "JSSP schedule",
            Format::Fjsp => "FJSP (Brandimarte / Hurink)",
            Format::FjspSchedule => "FJSP schedule",
            Format::Mps => "MPS",
            Format::Lp => "CPLEX LP",
            Format::MilpSolution => "MILP solution",
            Format::Json => "JSON",
        };
        f.write_str(s)
    }
}

/// What went wrong. Every variant has a stable code (see [`ParseErrorKind::code`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ParseErrorKind {
    /// The input ended while something was still expected.
    #[error("unexpected end of input, expected {expected}")]
    UnexpectedEof { expected: String },
    /// A token or line of the wrong shape.
    #[error("expected {expected}, found `{found}`")]
    Unexpected { expected: String, found: String },
    /// A number that does not parse, or is NaN / infinite where a finite value is required.
    #[error("invalid number `{found}` for {what}")]
    InvalidNumber { what: String, found: String },
    /// A number outside the range the format or quotient allows (e.g. a hostile DIMENSION).
    #[error("{what} = {value} is out of range: {limit}")]
    OutOfRange {
        what: String,
        value: String,
        limit: String,
    },
    /// A required header, section or field is absent.
    #[error("missing {what}")]
    Missing { what: String },
    /// A keyword or value that is valid in the format but not supported here.
    #[error("unsupported {what}: `{value}`")]
    Unsupported { what: String, value: String },
    /// Something that may appear once appeared twice.
    #[error("duplicate {what}")]
    Duplicate { what: String },
    /// Counts or references that disagree (e.g. fewer coordinates than DIMENSION).
    #[error("inconsistent input: {detail}")]
    Inconsistent { detail: String },
    /// The bytes are not valid (gzip, UTF-8, JSON syntax).
    #[error("malformed input: {detail}")]
    Malformed { detail: String },
}

impl ParseErrorKind {
    /// A stable machine-readable code, used by the CLI exit reports and the HTTP error body.
    pub fn code(&self) -> &'static str {
        match self {
            ParseErrorKind::UnexpectedEof { .. } => "parse.unexpected_eof",
            ParseErrorKind::Unexpected { .. } => "parse.unexpected_token",
            ParseErrorKind::InvalidNumber { .. } => "parse.invalid_number",
            ParseErrorKind::OutOfRange { .. } => "parse.out_of_range",
            ParseErrorKind::Missing { .. } => "parse.missing",
            ParseErrorKind::Unsupported { .. } => "parse.unsupported",
            ParseErrorKind::Duplicate { .. } => "parse.duplicate",
            ParseErrorKind::Inconsistent { .. } => "parse.inconsistent",
            ParseErrorKind::Malformed { .. } => "parse.malformed",
        }
    }
}

/// A reader failure: format, 1-based line (0 when it concerns the whole input), and the kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[error("{format} line {line}: {kind}")]
pub struct ParseError {
    pub format: Format,
    pub line: usize,
    pub kind: ParseErrorKind,
}

impl ParseError {
    pub fn new(format: Format, line: usize, kind: ParseErrorKind) -> Self {
        ParseError { format, line, kind }
    }
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
    /// Name the [`crate::ReadLimits`] field behind an out-of-range error (`(read limit NAME)`
    /// after the limit), so that a user knows which setting would admit the input. Other
    /// kinds are returned unchanged.
    pub fn with_limit_hint(mut self, limit_name: &str) -> Self {
        if let ParseErrorKind::OutOfRange { limit, .. } = &mut self.kind {
            limit.push_str(&format!(" (read limit {limit_name})"));
        }
        self
    }
    pub fn eof(format: Format, line: usize, expected: impl Into<String>) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::UnexpectedEof {
                expected: expected.into(),
            },
        )
    }
    pub fn unexpected(
        format: Format,
        line: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::Unexpected {
                expected: expected.into(),
                found: truncate(found.into()),
            },
        )
    }
    pub fn invalid_number(
        format: Format,
        line: usize,
        what: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::InvalidNumber {
                what: what.into(),
                found: truncate(found.into()),
            },
        )
    }
    pub fn out_of_range(
        format: Format,
        line: usize,
        what: impl Into<String>,
        value: impl ToString,
        limit: impl Into<String>,
    ) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::OutOfRange {
                what: what.into(),
                value: truncate(value.to_string()),
                limit: limit.into(),
            },
        )
    }
    pub fn missing(format: Format, line: usize, what: impl Into<String>) -> Self {
        Self::new(format, line, ParseErrorKind::Missing { what: what.into() })
    }
    pub fn unsupported(
        format: Format,
        line: usize,
        what: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::Unsupported {
                what: what.into(),
                value: truncate(value.into()),
            },
        )
    }
    pub fn duplicate(format: Format, line: usize, what: impl Into<String>) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::Duplicate { what: what.into() },
        )
    }
    pub fn inconsistent(format: Format, line: usize, detail: impl Into<String>) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::Inconsistent {
                detail: detail.into(),
            },
        )
    }
    pub fn malformed(format: Format, line: usize, detail: impl Into<String>) -> Self {
        Self::new(
            format,
            line,
            ParseErrorKind::Malformed {
                detail: detail.into(),
            },
        )
    }
}

/// Keep echoed user text short: error messages quote at most 60 characters of input.
fn truncate(s: String) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

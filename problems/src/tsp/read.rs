//! TSPLIB 95 readers: `.tsp` / `.atsp` instances and `.tour` solutions.
//!
//! The reader first splits the text into header entries (`KEY : value`) and data sections
//! (a section keyword followed by data lines up to the next keyword), then interprets them.
//! Sections may therefore come in any order (e.g. `linhp318` puts FIXED_EDGES_SECTION before
//! NODE_COORD_SECTION). Nothing is allocated from DIMENSION alone beyond a modest amount: large
//! buffers grow only as data actually arrives.

use super::model::{CoordMetric, TspInstance, TspKind, TspSolution, Weights};
use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use crate::text::{
    NumberedLines, ParseNum, Tokens, numbered_lines, offset_in, parse_num, split_header,
};

/// Largest DIMENSION accepted for coordinate instances by default
/// ([`ReadLimits::max_coord_nodes`]).
pub const MAX_COORD_NODES: usize = ReadLimits::DEFAULT.max_coord_nodes;
/// Largest DIMENSION accepted for explicit (matrix) instances by default: the full n x n matrix
/// is stored ([`ReadLimits::max_explicit_nodes`]).
pub const MAX_EXPLICIT_NODES: usize = ReadLimits::DEFAULT.max_explicit_nodes;
/// Largest absolute explicit edge weight accepted by default (keeps tour sums far from i64
/// overflow; [`ReadLimits::max_abs_weight`]).
pub const MAX_ABS_WEIGHT: i64 = ReadLimits::DEFAULT.max_abs_weight;
/// Initial capacity cap for buffers whose final size DIMENSION announces.
const PREALLOC_CAP: usize = 1 << 16;

const F: Format = Format::Tsplib;
const FT: Format = Format::Tour;

/// Header keys the instance reader knows.
const HEADER_KEYS: &[&str] = &[
    "NAME",
    "TYPE",
    "COMMENT",
    "DIMENSION",
    "EDGE_WEIGHT_TYPE",
    "EDGE_WEIGHT_FORMAT",
    "NODE_COORD_TYPE",
    "DISPLAY_DATA_TYPE",
    "CAPACITY",
    "EDGE_DATA_FORMAT",
];

/// Section keywords the instance reader knows.
const SECTION_KEYS: &[&str] = &[
    "NODE_COORD_SECTION",
    "EDGE_WEIGHT_SECTION",
    "DISPLAY_DATA_SECTION",
    "FIXED_EDGES_SECTION",
    "TOUR_SECTION",
    "EDGE_DATA_SECTION",
    "DEMAND_SECTION",
    "DEPOT_SECTION",
];

/// The TSPLIB explicit EDGE_WEIGHT_FORMATs.
pub const EXPLICIT_FORMATS: &[&str] = &[
    "FULL_MATRIX",
    "UPPER_ROW",
    "LOWER_ROW",
    "UPPER_DIAG_ROW",
    "LOWER_DIAG_ROW",
    "UPPER_COL",
    "LOWER_COL",
    "UPPER_DIAG_COL",
    "LOWER_DIAG_COL",
];

/// A header entry: key (upper case), value (trimmed), line.
#[derive(Debug)]
struct Header<'a> {
    key: String,
    value: &'a str,
    line: usize,
}

/// A data section: keyword, the keyword's line, its data (the text from the first data line
/// to the end of the last one, with the first one's number: tokenized lazily, so many short
/// lines cost no memory beyond the input), the last data line, and whether it ran to the end
/// of the input (no later keyword and no `EOF`), which makes a short section a truncation.
#[derive(Debug)]
struct Section<'a> {
    name: String,
    line: usize,
    data: Option<(usize, &'a str)>,
    last_data_line: Option<usize>,
    to_end: bool,
}

impl<'a> Section<'a> {
    /// Extend the data to the end of `part` (a data line, or the rest of the keyword line) of
    /// `text`, line `ln`.
    fn extend(&mut self, text: &'a str, ln: usize, part: &'a str) {
        let end = offset_in(text, part) + part.len();
        let (first, start) = match self.data {
            Some((first, d)) => (first, offset_in(text, d)),
            None => (ln, offset_in(text, part)),
        };
        self.data = Some((first, text.get(start..end).unwrap_or("")));
        self.last_data_line = Some(ln);
    }
}

/// How a line starts: the leading keyword (upper case) and the rest after an optional `:`.
fn leading_keyword(line: &str) -> Option<(String, &str)> {
    let t = line.trim_start();
    let end = t
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(t.len());
    let word = &t[..end];
    if word.is_empty() || !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let rest = t[end..].trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    Some((word.to_ascii_uppercase(), rest))
}

/// First pass: split into headers and sections. `header_keys` / `section_keys` decide which
/// leading words are keywords; `EOF` ends the input. Unknown `KEY : value` lines outside a
/// section are ignored (forward compatible); other unknown lines outside a section are errors.
fn split_text<'a>(
    text: &'a str,
    format: Format,
    header_keys: &[&str],
    section_keys: &[&str],
) -> Result<Split<'a>, ParseError> {
    let mut headers = Vec::new();
    let mut sections: Vec<Section<'a>> = Vec::new();
    let mut in_section = false;
    let mut last_line = 0;
    let mut ended = false;
    for (ln, line) in numbered_lines(text) {
        last_line = ln;
        if line.trim().is_empty() {
            continue;
        }
        let kw = leading_keyword(line);
        if let Some((word, rest)) = &kw {
            if word == "EOF" {
                ended = true;
                break;
            }
            if section_keys.contains(&word.as_str()) {
                let mut section = Section {
                    name: word.clone(),
                    line: ln,
                    data: None,
                    last_data_line: None,
                    to_end: false,
                };
                if !rest.trim().is_empty() {
                    section.extend(text, ln, rest);
                }
                sections.push(section);
                in_section = true;
                continue;
            }
            if word.ends_with("_SECTION") {
                return Err(ParseError::unsupported(format, ln, "section", word.clone()));
            }
            if header_keys.contains(&word.as_str()) {
                let (key, value) = split_header(line).unwrap_or((word.clone(), rest.trim()));
                headers.push(Header {
                    key,
                    value,
                    line: ln,
                });
                in_section = false;
                continue;
            }
        }
        if in_section {
            if let Some(s) = sections.last_mut() {
                s.extend(text, ln, line);
            }
            continue;
        }
        match (kw, split_header(line)) {
            // An unknown `KEY : value` header line: ignored.
            (Some(_), Some(_)) => continue,
            _ => {
                return Err(ParseError::unexpected(
                    format,
                    ln,
                    "a `KEY : value` header line or a section keyword",
                    line.trim(),
                ));
            }
        }
    }
    if !ended
        && in_section
        && let Some(s) = sections.last_mut()
    {
        s.to_end = true;
    }
    Ok(Split {
        headers,
        sections,
        last_line,
        ended,
    })
}

/// The first pass's result.
#[derive(Debug)]
struct Split<'a> {
    headers: Vec<Header<'a>>,
    sections: Vec<Section<'a>>,
    /// Number of the last line looked at.
    last_line: usize,
    /// Whether an `EOF` keyword ended the input.
    ended: bool,
}

/// Remove and return the section called `key` (sections are unique by then).
fn take<'a>(sections: &mut Vec<Section<'a>>, key: &str) -> Option<Section<'a>> {
    let k = sections.iter().position(|s| s.name == key)?;
    Some(sections.remove(k))
}

/// Parse a count such as DIMENSION: non-numbers are invalid numbers, negative or huge integers
/// are out of range, and so is anything above `max` or below `min`.
fn parse_count(
    value: &str,
    what: &str,
    line: usize,
    min: usize,
    max: usize,
    format: Format,
) -> Result<usize, ParseError> {
    let tok = value.split_whitespace().next().unwrap_or("");
    if tok.is_empty() {
        return Err(ParseError::missing(format, line, format!("{what} value")));
    }
    let digits = tok.strip_prefix(['-', '+']).unwrap_or(tok);
    let limit = format!("must be between {min} and {max}");
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // A well-formed integer: anything not in range is out of range (not invalid).
        return match tok.parse::<i128>() {
            Ok(v) if v >= min as i128 && v <= max as i128 => Ok(v as usize),
            _ => Err(ParseError::out_of_range(format, line, what, tok, limit)),
        };
    }
    let v: f64 = parse_num(tok, what, line, format)?;
    if v.fract() != 0.0 {
        return Err(ParseError::invalid_number(format, line, what, tok));
    }
    if v < min as f64 || v > max as f64 {
        return Err(ParseError::out_of_range(format, line, what, tok, limit));
    }
    Ok(v as usize)
}

/// First whitespace token of a header value, upper case.
fn keyword_value(v: &str) -> String {
    v.split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// What EDGE_WEIGHT_TYPE says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum WeightType {
    Metric(CoordMetric),
    Explicit,
}

/// Read a TSPLIB 95 `.tsp` or `.atsp` instance under the default [`ReadLimits`].
pub fn read_tsplib(text: &str) -> Result<TspInstance, ParseError> {
    read_tsplib_with_limits(text, &ReadLimits::default())
}

/// Read a TSPLIB 95 `.tsp` or `.atsp` instance: DIMENSION at most `limits.max_coord_nodes`
/// (coordinates) or `limits.max_explicit_nodes` (EXPLICIT), explicit weights at most
/// `limits.max_abs_weight` in absolute value.
pub fn read_tsplib_with_limits(text: &str, limits: &ReadLimits) -> Result<TspInstance, ParseError> {
    let Split {
        headers,
        mut sections,
        last_line,
        ended,
    } = split_text(text, F, HEADER_KEYS, SECTION_KEYS)?;
    if headers.is_empty() && sections.is_empty() {
        return Err(ParseError::eof(F, last_line.max(1), "a TSPLIB header"));
    }

    let mut name: Option<String> = None;
    let mut comments: Vec<&str> = Vec::new();
    let mut kind: Option<TspKind> = None;
    let mut dim_raw: Option<(&str, usize)> = None;
    let mut wtype: Option<(WeightType, usize)> = None;
    let mut wformat: Option<(String, usize)> = None;
    let mut seen: Vec<&str> = Vec::new();
    for h in &headers {
        if h.key != "COMMENT" {
            if seen.contains(&h.key.as_str()) {
                return Err(ParseError::duplicate(
                    F,
                    h.line,
                    format!("header {}", h.key),
                ));
            }
            seen.push(h.key.as_str());
        }
        match h.key.as_str() {
            "NAME" => name = Some(h.value.to_string()),
            "COMMENT" => comments.push(h.value),
            "TYPE" => {
                let v = keyword_value(h.value);
                kind = Some(match v.as_str() {
                    "TSP" => TspKind::Tsp,
                    "ATSP" => TspKind::Atsp,
                    "" => return Err(ParseError::missing(F, h.line, "TYPE value")),
                    _ => return Err(ParseError::unsupported(F, h.line, "TYPE", v)),
                });
            }
            "DIMENSION" => dim_raw = Some((h.value, h.line)),
            "EDGE_WEIGHT_TYPE" => {
                let v = keyword_value(h.value);
                let t = match v.as_str() {
                    "EUC_2D" => WeightType::Metric(CoordMetric::Euc2d),
                    "CEIL_2D" => WeightType::Metric(CoordMetric::Ceil2d),
                    "ATT" => WeightType::Metric(CoordMetric::Att),
                    "GEO" => WeightType::Metric(CoordMetric::Geo),
                    "MAN_2D" => WeightType::Metric(CoordMetric::Man2d),
                    "MAX_2D" => WeightType::Metric(CoordMetric::Max2d),
                    "EXPLICIT" => WeightType::Explicit,
                    "" => return Err(ParseError::missing(F, h.line, "EDGE_WEIGHT_TYPE value")),
                    _ => return Err(ParseError::unsupported(F, h.line, "EDGE_WEIGHT_TYPE", v)),
                };
                wtype = Some((t, h.line));
            }
            "EDGE_WEIGHT_FORMAT" => {
                let v = keyword_value(h.value);
                if v != "FUNCTION" && !EXPLICIT_FORMATS.contains(&v.as_str()) {
                    return Err(ParseError::unsupported(F, h.line, "EDGE_WEIGHT_FORMAT", v));
                }
                wformat = Some((v, h.line));
            }
            "NODE_COORD_TYPE" => {
                let v = keyword_value(h.value);
                if v != "TWOD_COORDS" && v != "NO_COORDS" {
                    return Err(ParseError::unsupported(F, h.line, "NODE_COORD_TYPE", v));
                }
            }
            "DISPLAY_DATA_TYPE" => {
                let v = keyword_value(h.value);
                if !matches!(v.as_str(), "COORD_DISPLAY" | "TWOD_DISPLAY" | "NO_DISPLAY") {
                    return Err(ParseError::unsupported(F, h.line, "DISPLAY_DATA_TYPE", v));
                }
            }
            "EDGE_DATA_FORMAT" => {
                return Err(ParseError::unsupported(
                    F,
                    h.line,
                    "EDGE_DATA_FORMAT",
                    keyword_value(h.value),
                ));
            }
            // CAPACITY and anything else: ignored.
            _ => {}
        }
    }

    if sections.is_empty() && !ended {
        return Err(ParseError::eof(
            F,
            last_line.max(1),
            "a data section (NODE_COORD_SECTION or EDGE_WEIGHT_SECTION)",
        ));
    }
    let (wtype, wtype_line) =
        wtype.ok_or_else(|| ParseError::missing(F, 0, "EDGE_WEIGHT_TYPE header"))?;
    let (dim_value, dim_line) =
        dim_raw.ok_or_else(|| ParseError::missing(F, 0, "DIMENSION header"))?;
    let (max_n, limit_name) = match wtype {
        WeightType::Explicit => (limits.max_explicit_nodes, "max_explicit_nodes"),
        WeightType::Metric(_) => (limits.max_coord_nodes, "max_coord_nodes"),
    };
    let n = parse_count(dim_value, "DIMENSION", dim_line, 1, max_n, F)
        .map_err(|e| e.with_limit_hint(limit_name))?;
    let kind = kind.unwrap_or(TspKind::Tsp);

    // Sections: each at most once.
    for (k, s) in sections.iter().enumerate() {
        if sections[..k].iter().any(|t| t.name == s.name) {
            return Err(ParseError::duplicate(F, s.line, s.name.clone()));
        }
    }
    for s in &sections {
        if matches!(
            s.name.as_str(),
            "EDGE_DATA_SECTION" | "DEMAND_SECTION" | "DEPOT_SECTION"
        ) {
            return Err(ParseError::unsupported(
                F,
                s.line,
                "section",
                s.name.clone(),
            ));
        }
    }

    let fixed_edges = match take(&mut sections, "FIXED_EDGES_SECTION") {
        Some(s) => read_fixed_edges(s, n)?,
        None => Vec::new(),
    };

    let (weights, display, edge_weight_format) = match wtype {
        WeightType::Metric(metric) => {
            if let Some((f, line)) = &wformat
                && f != "FUNCTION"
            {
                return Err(ParseError::inconsistent(
                    F,
                    *line,
                    format!(
                        "EDGE_WEIGHT_FORMAT {f} with EDGE_WEIGHT_TYPE {}",
                        metric.keyword()
                    ),
                ));
            }
            if let Some(s) = take(&mut sections, "EDGE_WEIGHT_SECTION") {
                return Err(ParseError::inconsistent(
                    F,
                    s.line,
                    format!(
                        "EDGE_WEIGHT_SECTION with EDGE_WEIGHT_TYPE {}",
                        metric.keyword()
                    ),
                ));
            }
            let s = take(&mut sections, "NODE_COORD_SECTION")
                .ok_or_else(|| ParseError::missing(F, 0, "NODE_COORD_SECTION"))?;
            let coords = read_points(s, n, "node coordinate", limits.max_abs_coord)?;
            (Weights::Coords { metric, coords }, None, None)
        }
        WeightType::Explicit => {
            let (fmt, fmt_line) = wformat.ok_or_else(|| {
                ParseError::missing(
                    F,
                    wtype_line,
                    "EDGE_WEIGHT_FORMAT header (EXPLICIT weights)",
                )
            })?;
            if fmt == "FUNCTION" {
                return Err(ParseError::inconsistent(
                    F,
                    fmt_line,
                    "EDGE_WEIGHT_FORMAT FUNCTION with EDGE_WEIGHT_TYPE EXPLICIT",
                ));
            }
            if kind == TspKind::Atsp && fmt != "FULL_MATRIX" {
                return Err(ParseError::unsupported(
                    F,
                    fmt_line,
                    "EDGE_WEIGHT_FORMAT for ATSP (only FULL_MATRIX)",
                    fmt,
                ));
            }
            let s = take(&mut sections, "EDGE_WEIGHT_SECTION")
                .ok_or_else(|| ParseError::missing(F, 0, "EDGE_WEIGHT_SECTION"))?;
            let matrix = read_matrix(s, n, &fmt, limits.max_abs_weight)?;
            let display_sec = match take(&mut sections, "DISPLAY_DATA_SECTION") {
                Some(s) => Some(s),
                None => take(&mut sections, "NODE_COORD_SECTION"),
            };
            let display = match display_sec {
                Some(s) => Some(read_points(
                    s,
                    n,
                    "display coordinate",
                    limits.max_abs_coord,
                )?),
                None => None,
            };
            (Weights::Matrix { n, matrix }, display, Some(fmt))
        }
    };

    Ok(TspInstance {
        name: name.unwrap_or_default(),
        comment: comments.join("\n"),
        kind,
        weights,
        fixed_edges,
        display,
        edge_weight_format,
    })
}

/// What errors need to know about a section once its data lines went to the tokenizer.
#[derive(Debug)]
struct SectionInfo {
    name: String,
    line: usize,
    last_data_line: Option<usize>,
    to_end: bool,
}

/// Split a section into its description and a token stream over its data.
fn open_section<'a>(s: Section<'a>, format: Format) -> (SectionInfo, Tokens<'a>) {
    let info = SectionInfo {
        name: s.name,
        line: s.line,
        last_data_line: s.last_data_line,
        to_end: s.to_end,
    };
    let (first, data) = s.data.unwrap_or((s.line, ""));
    (
        info,
        Tokens::of_lines(NumberedLines::new(data, first), format),
    )
}

/// Error for a section that ended before `expected` was complete.
fn short_section(s: &SectionInfo, format: Format, expected: String, found: String) -> ParseError {
    let line = s.last_data_line.unwrap_or(s.line);
    if s.to_end {
        ParseError::eof(format, line, expected)
    } else {
        ParseError::inconsistent(format, line, format!("{} ended early: {found}", s.name))
    }
}

/// `id x y` records, ids 1..=n each exactly once in any order.
fn read_points(
    s: Section<'_>,
    n: usize,
    what: &str,
    max_abs_coord: i64,
) -> Result<Vec<[f64; 2]>, ParseError> {
    let (s, mut toks) = open_section(s, F);
    let cap = n.min(PREALLOC_CAP);
    let mut ids: Vec<u32> = Vec::with_capacity(cap);
    let mut lines: Vec<usize> = Vec::with_capacity(cap);
    let mut pts: Vec<[f64; 2]> = Vec::with_capacity(cap);
    let mut in_order = true;
    while let Some((ln, tok)) = toks.next_token() {
        // Labels are only formatted on the error paths: this loop runs millions of times.
        let id: i64 = i64::parse_tok(tok)
            .ok_or_else(|| ParseError::invalid_number(F, ln, format!("{what} node id"), tok))?;
        if id < 1 || id as u64 > n as u64 {
            return Err(ParseError::out_of_range(
                F,
                ln,
                format!("{} node id", s.name),
                id,
                format!("must be between 1 and DIMENSION = {n}"),
            ));
        }
        let mut xy = [0.0; 2];
        for (k, axis) in ["x", "y"].iter().enumerate() {
            let label = || format!("{what} {axis} of node {id}");
            let Some((l2, t)) = toks.next_token() else {
                return Err(short_section(
                    &s,
                    F,
                    label(),
                    format!("record of node {id} has no {axis}"),
                ));
            };
            if l2 != ln {
                return Err(ParseError::unexpected(
                    F,
                    ln,
                    format!("`id x y` on one line ({} missing)", label()),
                    format!("a line with {} value(s)", k + 1),
                ));
            }
            xy[k] =
                f64::parse_tok(t).ok_or_else(|| ParseError::invalid_number(F, l2, label(), t))?;
            if xy[k].abs() > max_abs_coord as f64 {
                return Err(ParseError::out_of_range(
                    F,
                    l2,
                    label(),
                    t,
                    format!("absolute value at most {max_abs_coord} (read limit max_abs_coord)"),
                ));
            }
        }
        if ids.len() as u64 != id as u64 - 1 {
            in_order = false;
        }
        ids.push(id as u32);
        lines.push(ln);
        pts.push(xy);
    }
    if !in_order {
        // Duplicates: sort positions by id and compare neighbours (memory proportional to input).
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&k| (ids[k], k));
        for w in order.windows(2) {
            if ids[w[0]] == ids[w[1]] {
                return Err(ParseError::duplicate(
                    F,
                    lines[w[1]],
                    format!(
                        "{} node id {} (first at line {})",
                        s.name, ids[w[0]], lines[w[0]]
                    ),
                ));
            }
        }
    }
    if ids.len() < n {
        return Err(short_section(
            &s,
            F,
            format!("{} more {what}s (DIMENSION = {n})", n - ids.len()),
            format!("{} of {n} nodes given", ids.len()),
        ));
    }
    if in_order {
        return Ok(pts);
    }
    // Distinct ids in 1..=n and exactly n of them: a permutation.
    let mut out = vec![[0.0; 2]; n];
    for (k, id) in ids.iter().enumerate() {
        out[*id as usize - 1] = pts[k];
    }
    Ok(out)
}

/// The numbers of EDGE_WEIGHT_SECTION expanded to a full row-major n x n matrix.
fn read_matrix(
    s: Section<'_>,
    n: usize,
    fmt: &str,
    max_abs_weight: i64,
) -> Result<Vec<i64>, ParseError> {
    // n <= max_explicit_nodes, which a caller may raise: n * n must not overflow.
    let full = n.checked_mul(n).ok_or_else(|| {
        ParseError::out_of_range(F, s.line, "DIMENSION", n, "a matrix that fits in memory")
    })?;
    let expected: usize = match fmt {
        "FULL_MATRIX" => full,
        "UPPER_ROW" | "LOWER_ROW" | "UPPER_COL" | "LOWER_COL" => n * (n - 1) / 2,
        _ => n * (n - 1) / 2 + n,
    };
    let (s, mut toks) = open_section(s, F);
    // Values are stored only when the section holds all of them (counted first, storing
    // nothing): a section that stops short is still checked token by token for the first
    // error, but costs no memory beyond the input.
    let complete = toks.count_up_to(expected) == expected;
    let mut vals: Vec<i64> = Vec::with_capacity(if complete { expected } else { 0 });
    let mut got = 0usize;
    while got < expected {
        let Some((ln, tok)) = toks.next_token() else {
            return Err(short_section(
                &s,
                F,
                format!(
                    "{} more edge weights ({fmt}, DIMENSION = {n})",
                    expected - got
                ),
                format!("{got} of {expected} edge weights given"),
            ));
        };
        let v: i64 = parse_num(tok, "edge weight (an integer)", ln, F)?;
        if v.unsigned_abs() > max_abs_weight.unsigned_abs() {
            return Err(ParseError::out_of_range(
                F,
                ln,
                "edge weight",
                v,
                format!("absolute value at most {max_abs_weight} (read limit max_abs_weight)"),
            ));
        }
        got += 1;
        if complete {
            vals.push(v);
        }
    }
    if let Some((ln, tok)) = toks.next_token() {
        return Err(ParseError::unexpected(
            F,
            ln,
            format!("end of EDGE_WEIGHT_SECTION after {expected} weights ({fmt}, DIMENSION = {n})"),
            tok,
        ));
    }
    if fmt == "FULL_MATRIX" {
        return Ok(vals);
    }
    // Columns of a symmetric matrix are rows of its transpose: *_COL equals the other row form.
    let row_fmt = match fmt {
        "UPPER_COL" => "LOWER_ROW",
        "LOWER_COL" => "UPPER_ROW",
        "UPPER_DIAG_COL" => "LOWER_DIAG_ROW",
        "LOWER_DIAG_COL" => "UPPER_DIAG_ROW",
        other => other,
    };
    let mut m = vec![0i64; full];
    let mut it = vals.into_iter();
    for i in 0..n {
        let cols = match row_fmt {
            "UPPER_ROW" => i + 1..n,
            "LOWER_ROW" => 0..i,
            "UPPER_DIAG_ROW" => i..n,
            _ => 0..i + 1, // LOWER_DIAG_ROW
        };
        for j in cols {
            let v = it.next().unwrap_or(0);
            m[i * n + j] = v;
            m[j * n + i] = v;
        }
    }
    Ok(m)
}

/// FIXED_EDGES_SECTION: pairs of 1-based ids, terminated by `-1` (or the section's end).
fn read_fixed_edges(s: Section<'_>, n: usize) -> Result<Vec<(usize, usize)>, ParseError> {
    let (s, mut toks) = open_section(s, F);
    let mut out = Vec::new();
    let node = |tok: &str, ln: usize| -> Result<usize, ParseError> {
        let v: i64 = parse_num(tok, "fixed edge node id", ln, F)?;
        if v < 1 || v as u64 > n as u64 {
            return Err(ParseError::out_of_range(
                F,
                ln,
                "fixed edge node id",
                v,
                format!("must be between 1 and DIMENSION = {n}"),
            ));
        }
        Ok(v as usize - 1)
    };
    while let Some((ln, tok)) = toks.next_token() {
        if tok == "-1" {
            if let Some((l2, t2)) = toks.next_token() {
                return Err(ParseError::unexpected(
                    F,
                    l2,
                    "end of FIXED_EDGES_SECTION after -1",
                    t2,
                ));
            }
            break;
        }
        let a = node(tok, ln)?;
        let (l2, t2) = match toks.next_token() {
            Some(v) => v,
            None => {
                return Err(short_section(
                    &s,
                    F,
                    "second node of a fixed edge".into(),
                    format!("fixed edge from node {} has no second node", a + 1),
                ));
            }
        };
        let b = node(t2, l2)?;
        if a == b {
            return Err(ParseError::inconsistent(
                F,
                l2,
                format!("fixed edge {} - {} is a loop", a + 1, b + 1),
            ));
        }
        out.push((a, b));
    }
    Ok(out)
}

/// Header keys of a `.tour` file.
const TOUR_HEADER_KEYS: &[&str] = &["NAME", "TYPE", "DIMENSION", "COMMENT"];

/// Read a TSPLIB `.tour` file for an instance with `n` nodes; returns 0-based node indices.
/// Checks only that ids are in `1..=n` (permutation-ness is the checker's job).
pub fn read_tour(text: &str, n: usize) -> Result<TspSolution, ParseError> {
    let Split {
        headers,
        sections,
        last_line,
        ..
    } = split_text(text, FT, TOUR_HEADER_KEYS, &["TOUR_SECTION"])?;
    let mut seen: Vec<&str> = Vec::new();
    for h in &headers {
        if h.key != "COMMENT" {
            if seen.contains(&h.key.as_str()) {
                return Err(ParseError::duplicate(
                    FT,
                    h.line,
                    format!("header {}", h.key),
                ));
            }
            seen.push(h.key.as_str());
        }
        match h.key.as_str() {
            "TYPE" => {
                let v = keyword_value(h.value);
                if v != "TOUR" {
                    return Err(ParseError::unsupported(
                        FT,
                        h.line,
                        "TYPE (expected TOUR)",
                        v,
                    ));
                }
            }
            "DIMENSION" => {
                let d = parse_count(h.value, "DIMENSION", h.line, 0, usize::MAX, FT)?;
                if d != n {
                    return Err(ParseError::inconsistent(
                        FT,
                        h.line,
                        format!("tour DIMENSION {d} but the instance has {n} nodes"),
                    ));
                }
            }
            _ => {}
        }
    }
    if let Some(s) = sections.get(1) {
        return Err(ParseError::duplicate(FT, s.line, "TOUR_SECTION"));
    }
    let Some(s) = sections.into_iter().next() else {
        if headers.is_empty() {
            return Err(ParseError::eof(FT, last_line.max(1), "a TSPLIB tour"));
        }
        return Err(ParseError::missing(FT, 0, "TOUR_SECTION"));
    };
    let (_, mut toks) = open_section(s, FT);
    let mut tour = Vec::with_capacity(n.min(PREALLOC_CAP));
    while let Some((ln, tok)) = toks.next_token() {
        let v: i64 = parse_num(tok, "tour node id", ln, FT)?;
        if v == -1 {
            // End of the (first) tour; anything after it (further tours) is ignored.
            break;
        }
        if v < 1 || v as u64 > n as u64 {
            return Err(ParseError::out_of_range(
                FT,
                ln,
                "tour node id",
                v,
                format!("must be between 1 and {n}"),
            ));
        }
        tour.push(v as usize - 1);
    }
    Ok(TspSolution { tour })
}

/// Read an instance from its JSON form (the model's serde layout) and check it as
/// [`crate::any::validate`] does, so that hand-written JSON cannot smuggle in a malformed
/// matrix or coordinates whose distances overflow.
pub fn read_json(text: &str) -> Result<TspInstance, ParseError> {
    let inst = crate::json_stream::tsp_instance(text)
        .map_err(|e| ParseError::malformed(Format::Json, e.line(), e.to_string()))?;
    crate::any::validate_tsp(&inst, &ReadLimits::default())?;
    Ok(inst)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Symmetric 4 x 4 with d01=1 d02=2 d03=3 d12=4 d13=5 d23=6 and diagonal 9.
    fn read_fmt(fmt: &str, data: &str) -> Vec<i64> {
        let text = format!(
            "NAME : m\nTYPE : TSP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
             EDGE_WEIGHT_FORMAT : {fmt}\nEDGE_WEIGHT_SECTION\n{data}\nEOF\n"
        );
        let inst = read_tsplib(&text).unwrap_or_else(|e| panic!("{fmt}: {e}"));
        assert_eq!(inst.edge_weight_format.as_deref(), Some(fmt));
        match inst.weights {
            Weights::Matrix { matrix, .. } => matrix,
            Weights::Coords { .. } => panic!("matrix expected"),
        }
    }

    #[test]
    fn every_explicit_format_expands_to_the_same_matrix() {
        let want_nodiag = vec![0, 1, 2, 3, 1, 0, 4, 5, 2, 4, 0, 6, 3, 5, 6, 0];
        let mut want_diag = want_nodiag.clone();
        for i in 0..4 {
            want_diag[i * 4 + i] = 9;
        }
        assert_eq!(read_fmt("UPPER_ROW", "1 2 3\n4 5\n6"), want_nodiag);
        assert_eq!(read_fmt("LOWER_ROW", "1\n2 4\n3 5 6"), want_nodiag);
        assert_eq!(read_fmt("UPPER_COL", "1\n2 4\n3 5 6"), want_nodiag);
        assert_eq!(read_fmt("LOWER_COL", "1 2 3\n4 5\n6"), want_nodiag);
        assert_eq!(
            read_fmt("UPPER_DIAG_ROW", "9 1 2 3\n9 4 5\n9 6\n9"),
            want_diag
        );
        assert_eq!(
            read_fmt("LOWER_DIAG_ROW", "9\n1 9\n2 4 9\n3 5 6 9"),
            want_diag
        );
        assert_eq!(
            read_fmt("UPPER_DIAG_COL", "9\n1 9\n2 4 9\n3 5 6 9"),
            want_diag
        );
        assert_eq!(
            read_fmt("LOWER_DIAG_COL", "9 1 2 3\n9 4 5\n9 6\n9"),
            want_diag
        );
        // Line breaks carry no meaning.
        assert_eq!(read_fmt("UPPER_ROW", "1\n2\n3 4\n5 6"), want_nodiag);
        let full = want_diag
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(read_fmt("FULL_MATRIX", &full), want_diag);
    }

    #[test]
    fn keywords_and_counts() {
        assert_eq!(leading_keyword("NAME : x"), Some(("NAME".into(), " x")));
        assert_eq!(
            leading_keyword("node_coord_section:"),
            Some(("NODE_COORD_SECTION".into(), ""))
        );
        assert_eq!(leading_keyword(" 1 2 3"), None);
        assert_eq!(leading_keyword("-1"), None);
        let f = Format::Tsplib;
        assert_eq!(parse_count("12", "D", 1, 1, 100, f), Ok(12));
        assert_eq!(parse_count("1e1 ", "D", 1, 1, 100, f), Ok(10));
        assert_eq!(parse_count("+7", "D", 1, 1, 100, f), Ok(7));
        assert_eq!(
            parse_count("-5", "D", 1, 1, 100, f).map_err(|e| e.code()),
            Err("parse.out_of_range")
        );
        assert_eq!(
            parse_count("101", "D", 1, 1, 100, f).map_err(|e| e.code()),
            Err("parse.out_of_range")
        );
        assert_eq!(
            parse_count("1".repeat(60).as_str(), "D", 1, 1, 100, f).map_err(|e| e.code()),
            Err("parse.out_of_range")
        );
        assert_eq!(
            parse_count("1e300", "D", 1, 1, 100, f).map_err(|e| e.code()),
            Err("parse.out_of_range")
        );
        assert_eq!(
            parse_count("x", "D", 1, 1, 100, f).map_err(|e| e.code()),
            Err("parse.invalid_number")
        );
        assert_eq!(
            parse_count("", "D", 1, 1, 100, f).map_err(|e| e.code()),
            Err("parse.missing")
        );
    }

    #[test]
    fn display_data_and_fixed_edges_before_coords() {
        let text = "NAME: e\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\n\
                    EDGE_WEIGHT_FORMAT: UPPER_ROW\nDISPLAY_DATA_TYPE: TWOD_DISPLAY\n\
                    FIXED_EDGES_SECTION\n2 1\n-1\nEDGE_WEIGHT_SECTION:\n 17\n\
                    DISPLAY_DATA_SECTION\n2 5.5 6\n1 1 2\nEOF\n";
        let inst = read_tsplib(text).expect("parses");
        assert_eq!(inst.fixed_edges, vec![(1, 0)]);
        assert_eq!(inst.dist(0, 1), 17);
        assert_eq!(inst.display, Some(vec![[1.0, 2.0], [5.5, 6.0]]));
        assert_eq!(inst.coords(), Some(&[[1.0, 2.0], [5.5, 6.0]][..]));
    }
}

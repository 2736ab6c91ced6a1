//! Readers for CVRPLIB / VRPLIB instances (`.vrp`) and CVRPLIB solutions (`.sol`).
//!
//! # Instance files
//! TSPLIB-style `KEY : value` headers (also `KEY: value`, `KEY:value`, TABs around the value,
//! surrounding quotes, CRLF line ends), then data sections, optionally ended by `EOF`.
//! Headers: `NAME`, `COMMENT` (may repeat; the lines are joined with `\n`), `TYPE` (only `CVRP`;
//! anything else such as `VRPTW` is `Unsupported`; a missing `TYPE` is taken as `CVRP`),
//! `DIMENSION` (nodes including the depot), `CAPACITY`, `EDGE_WEIGHT_TYPE` (`EUC_2D`, `CEIL_2D`,
//! `EXACT_2D`, `EXPLICIT`), `EDGE_WEIGHT_FORMAT` (`FUNCTION`, `FULL_MATRIX`, `LOWER_ROW`,
//! `LOWER_DIAG_ROW`, `UPPER_ROW`, `UPPER_DIAG_ROW`, and the column-wise `*_COL` spellings, which
//! list the same numbers for a symmetric matrix), `DISPLAY_DATA_TYPE`, `NODE_COORD_TYPE`
//! (`TWOD_COORDS`), `DISTANCE` (route-length limit), `SERVICE_TIME`, `VEHICLES`. Other header keys
//! are ignored. Sections: `NODE_COORD_SECTION`, `EDGE_WEIGHT_SECTION`, `DEMAND_SECTION`,
//! `DEPOT_SECTION` (depot ids, then `-1`), `DISPLAY_DATA_SECTION`; any other `*_SECTION` is
//! `Unsupported`. Headers and sections may come in any order.
//!
//! * Node ids in a section may come in any order but each of `1..=DIMENSION` exactly once.
//! * An explicit matrix has its diagonal ignored (stored as 0) and is stored as a full matrix.
//!   With `EXPLICIT` weights a `NODE_COORD_SECTION` (or `DISPLAY_DATA_SECTION`) is kept as
//!   display coordinates.
//! * Demands and the capacity must be non-negative integers (negative ones are parse errors).
//!   A demand above the capacity is *not* a parse error: the instance is read and is infeasible.
//!   `DISTANCE` and `SERVICE_TIME` must be finite and non-negative.
//! * Sizes are capped before anything is allocated from them: [`ReadLimits::max_cvrp_nodes`]
//!   nodes with coordinates, [`ReadLimits::max_cvrp_explicit_nodes`] with an explicit matrix
//!   (defaults [`MAX_NODES`], [`MAX_EXPLICIT_NODES`]); the full matrix is only built once the
//!   file has actually supplied all its entries.
//!
//! # Depot
//! Exactly one depot is supported (more is `Unsupported`). Without a `DEPOT_SECTION` the depot
//! is node 1 (the universal CVRPLIB convention). The model puts the depot at index 0: node id
//! `d` (the depot) becomes index 0 and every other node keeps its relative order, so id `k`
//! becomes index `k` when `k < d` and `k - 1` when `k > d`. With the usual depot 1 this is simply
//! id `k` -> index `k - 1`. The depot's demand must be 0 (else `Inconsistent`).
//!
//! # Distance convention
//! The `rounding` argument, when given, decides for coordinate instances. Otherwise:
//! `EXACT_2D` -> [`Rounding::Exact`], `CEIL_2D` -> [`Rounding::Ceil`], `EUC_2D` ->
//! [`Rounding::Nearest`] (TSPLIB `nint`, as CVRPLIB uses for X, A, B, E, F, M, P), **except**
//! instances whose `NAME` starts with `CMT` (ASCII case-insensitive), which CVRPLIB evaluates on
//! unrounded distances -> [`Rounding::Exact`]. `rounding` is ignored for `EXPLICIT` instances.
//! The writer emits `EXACT_2D` for exact instances, so exact instances (CMT included) read back
//! exact. The one case where a written file does not carry its convention is a `Nearest`
//! instance whose name starts with `CMT`: read it back with `Some(Rounding::Nearest)`.
//!
//! # Solution files
//! `Route #k: c1 c2 ...` (the word `Route` in any case; `#` optional; `k` is not checked),
//! customers numbered as node index (CVRPLIB numbering: node id - 1, depot implicit), then
//! `Cost <value>` (optional `:`). Blank lines and other lines starting with a letter (e.g.
//! `Time 3.2`) are ignored; empty routes are dropped. A customer number outside `1..n` is
//! `OutOfRange`; duplicates and missing customers are left to the checker.

use super::model::{CvrpInstance, CvrpSolution, CvrpWeights, Rounding};
use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use crate::text::{NumberedLines, Tokens, numbered_lines, offset_in, parse_num, split_header};

/// Largest DIMENSION accepted by default for instances with coordinates
/// ([`ReadLimits::max_cvrp_nodes`]).
pub const MAX_NODES: usize = ReadLimits::DEFAULT.max_cvrp_nodes;
/// Largest DIMENSION accepted by default for instances with an explicit matrix (n² entries are
/// stored; [`ReadLimits::max_cvrp_explicit_nodes`]).
pub const MAX_EXPLICIT_NODES: usize = ReadLimits::DEFAULT.max_cvrp_explicit_nodes;

const F: Format = Format::Cvrplib;
const FS: Format = Format::CvrpSol;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WeightType {
    Euc2d,
    Ceil2d,
    Exact2d,
    Explicit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Function,
    Full,
    LowerRow,
    LowerDiagRow,
    UpperRow,
    UpperDiagRow,
}

#[derive(Debug, Clone, Copy)]
enum SectionEnd {
    /// The section ended because another keyword line (given) started.
    Keyword(usize),
    /// The input ended (the given line is the section's last line with data).
    Input(usize),
}

/// A section: keyword, its line, its data (the text of its lines with the first one's number,
/// tokenized lazily so that many short lines cost no memory beyond the input), and its end.
#[derive(Debug)]
struct Section<'a> {
    name: &'static str,
    start: usize,
    lines: (usize, &'a str),
    end: SectionEnd,
}

impl Section<'_> {
    fn tokens(&self) -> Tokens<'_> {
        Tokens::of_lines(NumberedLines::new(self.lines.1, self.lines.0), F)
    }

    /// The section has fewer entries than expected.
    fn short(&self, got: usize, want: usize, unit: &str) -> ParseError {
        match self.end {
            SectionEnd::Input(line) => ParseError::eof(
                F,
                line.max(1),
                format!("{want} {unit} in {} (got {got})", self.name),
            ),
            SectionEnd::Keyword(line) => ParseError::inconsistent(
                F,
                line,
                format!(
                    "{} has {got} complete {unit}, DIMENSION requires {want}",
                    self.name
                ),
            ),
        }
    }
}

const SECTION_NAMES: [&str; 5] = [
    "NODE_COORD_SECTION",
    "EDGE_WEIGHT_SECTION",
    "DEMAND_SECTION",
    "DEPOT_SECTION",
    "DISPLAY_DATA_SECTION",
];

#[derive(Debug, Default)]
struct Headers<'a> {
    name: Option<(usize, &'a str)>,
    comment: Vec<&'a str>,
    dimension: Option<(usize, &'a str)>,
    capacity: Option<(usize, &'a str)>,
    edge_weight_type: Option<(usize, &'a str)>,
    edge_weight_format: Option<(usize, &'a str)>,
    distance: Option<(usize, &'a str)>,
    service_time: Option<(usize, &'a str)>,
    vehicles: Option<(usize, &'a str)>,
    typ: Option<(usize, &'a str)>,
}

fn set_once<'a>(
    slot: &mut Option<(usize, &'a str)>,
    key: &str,
    line: usize,
    value: &'a str,
) -> Result<(), ParseError> {
    if slot.is_some() {
        return Err(ParseError::duplicate(F, line, format!("header {key}")));
    }
    *slot = Some((line, value));
    Ok(())
}

/// Parse a non-negative integer header/count: a number that is not an integer is
/// `InvalidNumber`, a negative or huge one is `OutOfRange`.
fn parse_count(
    tok: &str,
    what: &str,
    line: usize,
    max: u64,
    fmt: Format,
) -> Result<u64, ParseError> {
    match parse_num::<i64>(tok, what, line, fmt) {
        Ok(v) if v < 0 => Err(ParseError::out_of_range(
            fmt,
            line,
            what,
            v,
            format!("0..={max}"),
        )),
        Ok(v) if v as u64 > max => Err(ParseError::out_of_range(
            fmt,
            line,
            what,
            v,
            format!("0..={max}"),
        )),
        Ok(v) => Ok(v as u64),
        Err(e) => match tok.parse::<f64>() {
            // A well-formed integer too large for i64 (or a huge integral float).
            Ok(f) if f.is_finite() && f.fract() == 0.0 => Err(ParseError::out_of_range(
                fmt,
                line,
                what,
                tok,
                format!("0..={max}"),
            )),
            _ => Err(e),
        },
    }
}

fn parse_nonneg_f64(tok: &str, what: &str, line: usize) -> Result<f64, ParseError> {
    let v: f64 = parse_num(tok, what, line, F)?;
    if v < 0.0 {
        return Err(ParseError::out_of_range(F, line, what, tok, "at least 0"));
    }
    Ok(v)
}

/// Read a CVRPLIB / VRPLIB `.vrp` instance. See the module documentation for the accepted
/// dialect, the depot re-indexing and the distance convention (`rounding` overrides it).
///
/// In steps: [`scan`] splits the text into headers and sections, [`interpret_headers`]
/// checks the headers, one reader per section ([`read_weights`], [`read_points`],
/// [`read_demands`], [`read_depot`]) reads the data, and [`depot_first`] re-indexes.
pub fn read_cvrplib(text: &str, rounding: Option<Rounding>) -> Result<CvrpInstance, ParseError> {
    read_cvrplib_with_limits(text, rounding, &ReadLimits::default())
}

/// [`read_cvrplib`] under `limits` (`max_cvrp_nodes`, `max_cvrp_explicit_nodes`).
pub fn read_cvrplib_with_limits(
    text: &str,
    rounding: Option<Rounding>,
    limits: &ReadLimits,
) -> Result<CvrpInstance, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::eof(
            F,
            1,
            "a CVRPLIB header (NAME, DIMENSION, ...)",
        ));
    }
    let (h, sections) = scan(text)?;
    let [coord_sec, weight_sec, demand_sec, depot_sec, display_sec] = sections;
    let hd = interpret_headers(&h, limits)?;
    let n = hd.n;

    // Weights and display coordinates (indexed by node id - 1 for now).
    let mut display = match &display_sec {
        Some(s) => Some(read_points(s, n)?),
        None => None,
    };
    let name = h.name.map_or("", |x| x.1);
    let weights_by_id = read_weights(
        &hd,
        name,
        rounding,
        weight_sec.as_ref(),
        coord_sec.as_ref(),
        &mut display,
    )?;

    let dsec = demand_sec
        .as_ref()
        .ok_or_else(|| ParseError::missing(F, 0, "DEMAND_SECTION"))?;
    let demands = read_demands(dsec, n)?;

    let depot = match &depot_sec {
        Some(s) => read_depot(s, n)?,
        None => 1,
    };
    let depot_idx = depot - 1;
    if let Some(&(dem, line)) = demands.get(depot_idx)
        && dem != 0
    {
        return Err(ParseError::inconsistent(
            F,
            line,
            format!("the depot (node {depot}) has demand {dem}, must be 0"),
        ));
    }
    let (weights, demands, display) = depot_first(n, depot_idx, weights_by_id, &demands, display);

    Ok(CvrpInstance {
        name: h.name.map_or_else(String::new, |x| x.1.to_string()),
        comment: h.comment.join("\n"),
        capacity: hd.capacity,
        demands,
        weights,
        distance_limit: hd.distance_limit,
        service_time: hd.service_time,
        vehicles: hd.vehicles,
        display,
    })
}

/// The sections of a `.vrp` text, in [`SECTION_NAMES`] order.
type Sections<'a> = [Option<Section<'a>>; 5];

/// Split the lines into `KEY : value` headers and sections (up to `EOF` or the end).
fn scan<'a>(text: &'a str) -> Result<(Headers<'a>, Sections<'a>), ParseError> {
    let mut h = Headers::default();
    let mut sections: Sections<'a> = Default::default();
    let mut lines = numbered_lines(text).peekable();
    while let Some((ln, raw)) = lines.next() {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if !t.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(ParseError::unexpected(
                F,
                ln,
                "a `KEY : value` header or a section keyword",
                t,
            ));
        }
        let word = t
            .split(|c: char| c.is_whitespace() || c == ':')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if word == "EOF" {
            break;
        }
        if word.ends_with("_SECTION") {
            take_section(text, &mut lines, (ln, t), &word, &mut sections)?;
        } else {
            header_line(&mut h, ln, t)?;
        }
    }
    Ok((h, sections))
}

/// The section that keyword line `t` (line `ln`, keyword `word`) starts: its data lines, from
/// the next of `lines` up to the next keyword line (`lines` moves past them).
fn take_section<'a>(
    text: &'a str,
    lines: &mut std::iter::Peekable<NumberedLines<'a>>,
    (ln, t): (usize, &'a str),
    word: &str,
    sections: &mut Sections<'a>,
) -> Result<(), ParseError> {
    let Some(slot) = SECTION_NAMES.iter().position(|s| *s == word) else {
        return Err(ParseError::unsupported(F, ln, "section", word));
    };
    let rest = t.get(word.len()..).unwrap_or("").trim();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    if !rest.is_empty() {
        return Err(ParseError::unexpected(
            F,
            ln,
            format!("data on the lines after {word}"),
            rest,
        ));
    }
    let mut data: Option<(usize, usize, usize)> = None; // first line, start, end offsets
    let mut last_data = ln;
    let mut end = None;
    while let Some(&(dl, d)) = lines.peek() {
        let dt = d.trim_start();
        if dt.starts_with(|c: char| c.is_ascii_alphabetic()) {
            end = Some(SectionEnd::Keyword(dl));
            break;
        }
        if !dt.is_empty() {
            last_data = dl;
        }
        let (start, stop) = (offset_in(text, d), offset_in(text, d) + d.len());
        data = Some(match data {
            Some((first, s, _)) => (first, s, stop),
            None => (dl, start, stop),
        });
        lines.next();
    }
    let data = match data {
        Some((first, s, e)) => (first, text.get(s..e).unwrap_or("")),
        None => (ln + 1, ""),
    };
    // Running out of input is reported at the last line that had data.
    let end = end.unwrap_or(SectionEnd::Input(last_data));
    let (Some(cell), Some(name)) = (sections.get_mut(slot), SECTION_NAMES.get(slot)) else {
        return Ok(());
    };
    if cell.is_some() {
        return Err(ParseError::duplicate(F, ln, format!("section {word}")));
    }
    *cell = Some(Section {
        name,
        start: ln,
        lines: data,
        end,
    });
    Ok(())
}

/// One `KEY : value` header line.
fn header_line<'a>(h: &mut Headers<'a>, ln: usize, t: &'a str) -> Result<(), ParseError> {
    let Some((key, value)) = split_header(t) else {
        return Err(ParseError::unexpected(
            F,
            ln,
            "a `KEY : value` header or a section keyword",
            t,
        ));
    };
    match key.as_str() {
        "NAME" => set_once(&mut h.name, &key, ln, value)?,
        "COMMENT" => h.comment.push(value),
        "TYPE" => {
            set_once(&mut h.typ, &key, ln, value)?;
            if !value.eq_ignore_ascii_case("CVRP") {
                return Err(ParseError::unsupported(F, ln, "problem TYPE", value));
            }
        }
        "DIMENSION" => set_once(&mut h.dimension, &key, ln, value)?,
        "CAPACITY" => set_once(&mut h.capacity, &key, ln, value)?,
        "EDGE_WEIGHT_TYPE" => set_once(&mut h.edge_weight_type, &key, ln, value)?,
        "EDGE_WEIGHT_FORMAT" => set_once(&mut h.edge_weight_format, &key, ln, value)?,
        "DISTANCE" => set_once(&mut h.distance, &key, ln, value)?,
        "SERVICE_TIME" => set_once(&mut h.service_time, &key, ln, value)?,
        "VEHICLES" => set_once(&mut h.vehicles, &key, ln, value)?,
        "DISPLAY_DATA_TYPE" => {
            let v = value.to_ascii_uppercase();
            if !matches!(v.as_str(), "COORD_DISPLAY" | "TWOD_DISPLAY" | "NO_DISPLAY") {
                return Err(ParseError::unsupported(F, ln, "DISPLAY_DATA_TYPE", value));
            }
        }
        "NODE_COORD_TYPE" => {
            let v = value.to_ascii_uppercase();
            if !matches!(v.as_str(), "TWOD_COORDS" | "NO_COORDS") {
                return Err(ParseError::unsupported(F, ln, "NODE_COORD_TYPE", value));
            }
        }
        _ => {}
    }
    Ok(())
}

/// The headers, checked and parsed.
#[derive(Debug)]
struct Header {
    n: usize,
    capacity: i64,
    wtype: WeightType,
    /// `EDGE_WEIGHT_FORMAT` and its line.
    layout: Option<(usize, Layout)>,
    distance_limit: Option<f64>,
    service_time: Option<f64>,
    vehicles: Option<usize>,
}

/// Check and parse the headers (DIMENSION, EDGE_WEIGHT_TYPE, CAPACITY, EDGE_WEIGHT_FORMAT,
/// DISTANCE, SERVICE_TIME, VEHICLES), in that order of error reporting.
fn interpret_headers(h: &Headers<'_>, limits: &ReadLimits) -> Result<Header, ParseError> {
    // DIMENSION
    let (dim_line, dim_tok) = h
        .dimension
        .ok_or_else(|| ParseError::missing(F, 0, "DIMENSION header"))?;
    // Weight type (decides the cap on DIMENSION).
    let (ewt_line, ewt_tok) = h
        .edge_weight_type
        .ok_or_else(|| ParseError::missing(F, 0, "EDGE_WEIGHT_TYPE header"))?;
    let wtype = match ewt_tok.to_ascii_uppercase().as_str() {
        "EUC_2D" => WeightType::Euc2d,
        "CEIL_2D" => WeightType::Ceil2d,
        "EXACT_2D" => WeightType::Exact2d,
        "EXPLICIT" => WeightType::Explicit,
        _ => {
            return Err(ParseError::unsupported(
                F,
                ewt_line,
                "EDGE_WEIGHT_TYPE",
                ewt_tok,
            ));
        }
    };
    let (cap, limit_name) = if wtype == WeightType::Explicit {
        (limits.max_cvrp_explicit_nodes, "max_cvrp_explicit_nodes")
    } else {
        (limits.max_cvrp_nodes, "max_cvrp_nodes")
    };
    let n = parse_count(dim_tok, "DIMENSION", dim_line, cap as u64, F)
        .map_err(|e| e.with_limit_hint(limit_name))? as usize;
    if n == 0 {
        return Err(ParseError::out_of_range(
            F,
            dim_line,
            "DIMENSION",
            0,
            format!("1..={cap} (the depot counts)"),
        ));
    }

    let (cap_line, cap_tok) = h
        .capacity
        .ok_or_else(|| ParseError::missing(F, 0, "CAPACITY header"))?;
    let capacity = parse_count(cap_tok, "CAPACITY", cap_line, i64::MAX as u64, F)? as i64;

    let layout = match h.edge_weight_format {
        None => None,
        Some((l, v)) => Some((
            l,
            match v.to_ascii_uppercase().as_str() {
                "FUNCTION" => Layout::Function,
                "FULL_MATRIX" => Layout::Full,
                "LOWER_ROW" | "UPPER_COL" => Layout::LowerRow,
                "LOWER_DIAG_ROW" | "UPPER_DIAG_COL" => Layout::LowerDiagRow,
                "UPPER_ROW" | "LOWER_COL" => Layout::UpperRow,
                "UPPER_DIAG_ROW" | "LOWER_DIAG_COL" => Layout::UpperDiagRow,
                _ => return Err(ParseError::unsupported(F, l, "EDGE_WEIGHT_FORMAT", v)),
            },
        )),
    };

    let distance_limit = match h.distance {
        Some((l, v)) => Some(parse_nonneg_f64(v, "DISTANCE", l)?),
        None => None,
    };
    let service_time = match h.service_time {
        Some((l, v)) => Some(parse_nonneg_f64(v, "SERVICE_TIME", l)?),
        None => None,
    };
    let vehicles = match h.vehicles {
        Some((l, v)) => Some(parse_count(v, "VEHICLES", l, u32::MAX as u64, F)? as usize),
        None => None,
    };

    Ok(Header {
        n,
        capacity,
        wtype,
        layout,
        distance_limit,
        service_time,
        vehicles,
    })
}

/// The edge weights: the EDGE_WEIGHT_SECTION matrix (coordinates then only for display), or
/// the NODE_COORD_SECTION with the distance convention (`rounding`, else by type and name).
fn read_weights(
    hd: &Header,
    name: &str,
    rounding: Option<Rounding>,
    weight_sec: Option<&Section<'_>>,
    coord_sec: Option<&Section<'_>>,
    display: &mut Option<Vec<[f64; 2]>>,
) -> Result<CvrpWeights, ParseError> {
    let (n, wtype, layout) = (hd.n, hd.wtype, hd.layout);
    Ok(match wtype {
        WeightType::Explicit => {
            let (fl, layout) = layout
                .ok_or_else(|| ParseError::missing(F, 0, "EDGE_WEIGHT_FORMAT header (EXPLICIT)"))?;
            if layout == Layout::Function {
                return Err(ParseError::inconsistent(
                    F,
                    fl,
                    "EDGE_WEIGHT_FORMAT FUNCTION with EDGE_WEIGHT_TYPE EXPLICIT",
                ));
            }
            let sec = weight_sec.ok_or_else(|| ParseError::missing(F, 0, "EDGE_WEIGHT_SECTION"))?;
            let matrix = read_matrix(sec, n, layout)?;
            if let Some(cs) = coord_sec {
                let pts = read_points(cs, n)?;
                if display.is_none() {
                    *display = Some(pts);
                }
            }
            CvrpWeights::Matrix { n, matrix }
        }
        _ => {
            if let Some((fl, l)) = layout
                && l != Layout::Function
            {
                return Err(ParseError::inconsistent(
                    F,
                    fl,
                    "an explicit EDGE_WEIGHT_FORMAT with a coordinate EDGE_WEIGHT_TYPE",
                ));
            }
            if let Some(ws) = weight_sec {
                return Err(ParseError::inconsistent(
                    F,
                    ws.start,
                    "EDGE_WEIGHT_SECTION with a coordinate EDGE_WEIGHT_TYPE",
                ));
            }
            let sec = coord_sec.ok_or_else(|| ParseError::missing(F, 0, "NODE_COORD_SECTION"))?;
            let coords = read_points(sec, n)?;
            let r = rounding.unwrap_or(match wtype {
                WeightType::Exact2d => Rounding::Exact,
                WeightType::Ceil2d => Rounding::Ceil,
                _ if is_cmt_name(name) => Rounding::Exact,
                _ => Rounding::Nearest,
            });
            CvrpWeights::Coords {
                rounding: r,
                coords,
            }
        }
    })
}

/// Re-index so that the depot (`depot_idx`, by node id - 1) is node 0 and the others keep
/// their relative order: weights, demands and display coordinates.
fn depot_first(
    n: usize,
    depot_idx: usize,
    weights_by_id: CvrpWeights,
    demands: &[(i64, usize)],
    display: Option<Vec<[f64; 2]>>,
) -> (CvrpWeights, Vec<i64>, Option<Vec<[f64; 2]>>) {
    // Re-index: the depot first, the others in their relative order.
    let order: Vec<usize> = std::iter::once(depot_idx)
        .chain((0..n).filter(|&k| k != depot_idx))
        .collect();
    let permute_pts = |v: Vec<[f64; 2]>| -> Vec<[f64; 2]> {
        if depot_idx == 0 {
            v
        } else {
            order.iter().filter_map(|&k| v.get(k).copied()).collect()
        }
    };
    let weights = match weights_by_id {
        CvrpWeights::Coords { rounding, coords } => CvrpWeights::Coords {
            rounding,
            coords: permute_pts(coords),
        },
        CvrpWeights::Matrix { n, matrix } if depot_idx != 0 => {
            let mut m = Vec::new();
            for &a in &order {
                for &b in &order {
                    m.push(matrix.get(a * n + b).copied().unwrap_or(0.0));
                }
            }
            CvrpWeights::Matrix { n, matrix: m }
        }
        w => w,
    };
    let demands: Vec<i64> = order
        .iter()
        .filter_map(|&k| demands.get(k).map(|d| d.0))
        .collect();
    let display = display.map(permute_pts);

    (weights, demands, display)
}

/// `true` for names of the CMT set (`CMT1` ... `CMT14`), which CVRPLIB evaluates unrounded.
pub fn is_cmt_name(name: &str) -> bool {
    name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("CMT"))
}

/// A node id token: an integer in `1..=n`.
fn parse_id(tok: &str, line: usize, n: usize, section: &str) -> Result<usize, ParseError> {
    let what = format!("node id in {section}");
    let v: i64 = parse_num(tok, &what, line, F)?;
    if v < 1 || v as u64 > n as u64 {
        return Err(ParseError::out_of_range(
            F,
            line,
            what,
            v,
            format!("1..={n} (DIMENSION)"),
        ));
    }
    Ok(v as usize)
}

/// Place `(id, line, value)` entries into a vector indexed by `id - 1`; each id exactly once.
/// Called only after exactly `n` entries were read, so the allocation is backed by input.
fn place<T: Clone>(
    entries: Vec<(usize, usize, T)>,
    n: usize,
    section: &str,
) -> Result<Vec<T>, ParseError> {
    let mut slots: Vec<Option<T>> = vec![None; n];
    for (id, line, v) in entries {
        match slots.get_mut(id - 1) {
            Some(s @ None) => *s = Some(v),
            _ => {
                return Err(ParseError::duplicate(
                    F,
                    line,
                    format!("node id {id} in {section}"),
                ));
            }
        }
    }
    // n distinct ids in 1..=n: every slot is filled.
    Ok(slots.into_iter().flatten().collect())
}

/// Read `n` lines `id x y` (NODE_COORD_SECTION or DISPLAY_DATA_SECTION).
fn read_points(sec: &Section<'_>, n: usize) -> Result<Vec<[f64; 2]>, ParseError> {
    let mut toks = sec.tokens();
    let mut entries = Vec::new();
    while entries.len() < n {
        let Some((ln, tok)) = toks.next_token() else {
            return Err(sec.short(entries.len(), n, "nodes"));
        };
        let id = parse_id(tok, ln, n, sec.name)?;
        let mut xy = [0.0; 2];
        for (c, what) in xy.iter_mut().zip(["x coordinate", "y coordinate"]) {
            let Some((l, t)) = toks.next_token() else {
                return Err(sec.short(entries.len(), n, "nodes"));
            };
            *c = parse_num(t, what, l, F)?;
        }
        entries.push((id, ln, xy));
    }
    if let Some((ln, tok)) = toks.next_token() {
        return Err(ParseError::unexpected(
            F,
            ln,
            format!("the end of {} after {n} nodes (DIMENSION)", sec.name),
            tok,
        ));
    }
    place(entries, n, sec.name)
}

/// Read `n` lines `id demand`; returns `(demand, line)` per node id - 1.
fn read_demands(sec: &Section<'_>, n: usize) -> Result<Vec<(i64, usize)>, ParseError> {
    let mut toks = sec.tokens();
    let mut entries = Vec::new();
    while entries.len() < n {
        let Some((ln, tok)) = toks.next_token() else {
            return Err(sec.short(entries.len(), n, "demands"));
        };
        let id = parse_id(tok, ln, n, sec.name)?;
        let Some((l, t)) = toks.next_token() else {
            return Err(sec.short(entries.len(), n, "demands"));
        };
        let d = parse_count(t, "demand", l, i64::MAX as u64, F)? as i64;
        entries.push((id, ln, (d, l)));
    }
    if let Some((ln, tok)) = toks.next_token() {
        return Err(ParseError::unexpected(
            F,
            ln,
            format!("the end of DEMAND_SECTION after {n} demands (DIMENSION)"),
            tok,
        ));
    }
    place(entries, n, sec.name)
}

/// Read the depot ids up to `-1`; exactly one depot is supported. Returns the node id.
fn read_depot(sec: &Section<'_>, n: usize) -> Result<usize, ParseError> {
    let mut toks = sec.tokens();
    let mut depot: Option<usize> = None;
    loop {
        let Some((ln, tok)) = toks.next_token() else {
            return Err(match sec.end {
                SectionEnd::Input(l) => {
                    ParseError::eof(F, l.max(1), "depot ids and `-1` in DEPOT_SECTION")
                }
                SectionEnd::Keyword(l) => {
                    ParseError::missing(F, l, "`-1` terminating DEPOT_SECTION")
                }
            });
        };
        if tok == "-1" {
            break;
        }
        let id = parse_id(tok, ln, n, "DEPOT_SECTION")?;
        if depot.is_some() {
            return Err(ParseError::unsupported(
                F,
                ln,
                "more than one depot; second depot id",
                tok,
            ));
        }
        depot = Some(id);
    }
    if let Some((ln, tok)) = toks.next_token() {
        return Err(ParseError::unexpected(
            F,
            ln,
            "the end of DEPOT_SECTION after `-1`",
            tok,
        ));
    }
    depot.ok_or_else(|| ParseError::missing(F, sec.start, "depot id in DEPOT_SECTION"))
}

/// Read an explicit matrix in the given layout into a full symmetric (or, for FULL_MATRIX,
/// possibly asymmetric) row-major matrix with a zero diagonal.
fn read_matrix(sec: &Section<'_>, n: usize, layout: Layout) -> Result<Vec<f64>, ParseError> {
    let count = match layout {
        Layout::Full => n.checked_mul(n),
        Layout::LowerRow | Layout::UpperRow => n.checked_mul(n.saturating_sub(1)).map(|x| x / 2),
        Layout::LowerDiagRow | Layout::UpperDiagRow => n.checked_mul(n + 1).map(|x| x / 2),
        Layout::Function => Some(0),
    }
    .ok_or_else(|| ParseError::out_of_range(F, sec.start, "matrix size", n, "fits in memory"))?;
    let mut toks = sec.tokens();
    // Stored only when the section holds all `count` values (counted first, storing
    // nothing), so a section that stops short costs no memory beyond the input.
    let complete = toks.count_up_to(count) == count;
    let mut vals: Vec<f64> = Vec::with_capacity(if complete { count } else { 0 });
    let mut got = 0usize;
    while got < count {
        let Some((ln, tok)) = toks.next_token() else {
            return Err(sec.short(got, count, "edge weights"));
        };
        let v: f64 = parse_num(tok, "edge weight", ln, F)?;
        if v < 0.0 {
            return Err(ParseError::out_of_range(
                F,
                ln,
                "edge weight",
                tok,
                "at least 0",
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
            format!("the end of EDGE_WEIGHT_SECTION after {count} weights"),
            tok,
        ));
    }
    // All entries are present: the n*n matrix is backed by input.
    let mut m = vec![0.0; n * n];
    let mut it = vals.into_iter();
    let mut set = |i: usize, j: usize, v: f64, sym: bool| {
        if i != j {
            m[i * n + j] = v;
            if sym {
                m[j * n + i] = v;
            }
        }
    };
    for i in 0..n {
        let cols = match layout {
            Layout::Full => 0..n,
            Layout::LowerRow => 0..i,
            Layout::LowerDiagRow => 0..i + 1,
            Layout::UpperRow => i + 1..n,
            Layout::UpperDiagRow => i..n,
            Layout::Function => 0..0,
        };
        for j in cols {
            let v = it.next().unwrap_or(0.0);
            set(i, j, v, layout != Layout::Full);
        }
    }
    Ok(m)
}

/// Read a CVRPLIB `.sol` solution for `inst` (see the module documentation).
pub fn read_sol(text: &str, inst: &CvrpInstance) -> Result<CvrpSolution, ParseError> {
    read_sol_with_cost(text, inst).map(|(s, _)| s)
}

/// Read a CVRPLIB `.sol` solution and the value of its `Cost` line, if any.
pub fn read_sol_with_cost(
    text: &str,
    inst: &CvrpInstance,
) -> Result<(CvrpSolution, Option<f64>), ParseError> {
    let n = inst.n();
    let mut routes: Vec<Vec<usize>> = Vec::new();
    let mut saw_route = false;
    let mut cost: Option<f64> = None;
    for (ln, raw) in numbered_lines(text) {
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if !t.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(ParseError::unexpected(
                FS,
                ln,
                "`Route #k: customers` or `Cost value`",
                t,
            ));
        }
        let word = t
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        let rest = t.get(word.len()..).unwrap_or("");
        if word.eq_ignore_ascii_case("route") {
            let Some((label, body)) = rest.split_once(':') else {
                return Err(ParseError::unexpected(FS, ln, "`Route #k:`", t));
            };
            let label = label.trim();
            let label = label.strip_prefix('#').unwrap_or(label).trim();
            if label.is_empty() || !label.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::unexpected(
                    FS,
                    ln,
                    "a route number after `Route #`",
                    label,
                ));
            }
            saw_route = true;
            let mut route = Vec::new();
            for tok in body.split_whitespace() {
                let c: i64 = parse_num(tok, "customer number", ln, FS)?;
                if c < 1 || c as u64 >= n as u64 {
                    return Err(ParseError::out_of_range(
                        FS,
                        ln,
                        "customer number",
                        c,
                        format!("1..={} (customers of the instance)", n.saturating_sub(1)),
                    ));
                }
                route.push(c as usize);
            }
            if !route.is_empty() {
                routes.push(route);
            }
        } else if word.eq_ignore_ascii_case("cost") {
            if cost.is_some() {
                return Err(ParseError::duplicate(FS, ln, "Cost line"));
            }
            let v = rest.trim();
            let v = v.strip_prefix(':').unwrap_or(v).trim();
            cost = Some(parse_num(v, "cost", ln, FS)?);
        }
        // Other lines starting with a word (e.g. `Time 1.2`) carry nothing for the model.
    }
    if !saw_route && n > 1 {
        return Err(ParseError::missing(FS, 0, "`Route #k:` lines"));
    }
    Ok((CvrpSolution { routes }, cost))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SMALL: &str = "NAME : t1\nCOMMENT : \"a test\"\nTYPE : CVRP\nDIMENSION : 4\n\
        EDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 1.4\n4 6 8\n\
        DEMAND_SECTION\n1 0\n2 5\n3 5\n4 9\nDEPOT_SECTION\n1\n-1\nEOF\n";

    #[test]
    fn reads_small() {
        let i = read_cvrplib(SMALL, None).unwrap();
        assert_eq!(i.name, "t1");
        assert_eq!(i.comment, "a test");
        assert_eq!(i.n(), 4);
        assert_eq!(i.capacity, 10);
        assert_eq!(i.demands, vec![0, 5, 5, 9]);
        assert_eq!(i.dist(0, 1), 5.0);
        assert_eq!(i.dist(0, 2), 1.0);
        assert_eq!(i.dist(1, 3), 5.0);
    }

    #[test]
    fn tabs_crlf_and_header_spellings() {
        let t = SMALL
            .replace("NAME : t1", "NAME:\tt1\t")
            .replace("CAPACITY : 10", "CAPACITY: \t10")
            .replace("TYPE : CVRP", "TYPE:\"CVRP \"")
            .replace('\n', "\r\n");
        let i = read_cvrplib(&t, None).unwrap();
        assert_eq!(i, read_cvrplib(SMALL, None).unwrap());
    }

    #[test]
    fn rounding_rules() {
        let r = |t: &str, o| match read_cvrplib(t, o).unwrap().weights {
            CvrpWeights::Coords { rounding, .. } => rounding,
            CvrpWeights::Matrix { .. } => panic!("matrix"),
        };
        assert_eq!(r(SMALL, None), Rounding::Nearest);
        assert_eq!(r(&SMALL.replace("t1", "CMT9"), None), Rounding::Exact);
        assert_eq!(r(&SMALL.replace("EUC_2D", "CEIL_2D"), None), Rounding::Ceil);
        assert_eq!(
            r(&SMALL.replace("EUC_2D", "EXACT_2D"), None),
            Rounding::Exact
        );
        assert_eq!(
            r(&SMALL.replace("t1", "CMT9"), Some(Rounding::Nearest)),
            Rounding::Nearest
        );
    }

    #[test]
    fn depot_elsewhere_is_reindexed() {
        let t = SMALL
            .replace("DEPOT_SECTION\n1\n", "DEPOT_SECTION\n3\n")
            .replace("1 0\n2 5\n3 5\n4 9", "1 2\n2 5\n3 0\n4 9");
        let i = read_cvrplib(&t, None).unwrap();
        // ids 3,1,2,4 -> indices 0,1,2,3
        assert_eq!(i.demands, vec![0, 2, 5, 9]);
        assert_eq!(i.coords().unwrap()[0], [0.0, 1.4]);
        assert_eq!(i.coords().unwrap()[1], [0.0, 0.0]);
        assert_eq!(i.coords().unwrap()[3], [6.0, 8.0]);
    }

    #[test]
    fn explicit_layouts_agree() {
        // 3 nodes: d(1,2)=1, d(1,3)=2, d(2,3)=3
        let base = "NAME : m\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
            EDGE_WEIGHT_FORMAT : @F@\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n@W@\nDEMAND_SECTION\n1 0\n2 1\n3 1\n\
            DEPOT_SECTION\n1\n-1\nEOF\n";
        let cases = [
            ("FULL_MATRIX", "0 1 2\n1 0 3\n2 3 0"),
            ("LOWER_ROW", "1\n2 3"),
            ("LOWER_DIAG_ROW", "0\n1 0\n2 3 0"),
            ("UPPER_ROW", "1 2\n3"),
            ("UPPER_DIAG_ROW", "0 1 2\n0 3\n0"),
        ];
        for (fmt, w) in cases {
            let i = read_cvrplib(&base.replace("@F@", fmt).replace("@W@", w), None).unwrap();
            assert_eq!(
                i.weights,
                CvrpWeights::Matrix {
                    n: 3,
                    matrix: vec![0., 1., 2., 1., 0., 3., 2., 3., 0.]
                },
                "{fmt}"
            );
        }
    }

    #[test]
    fn explicit_depot_elsewhere_permutes_the_matrix() {
        // d(1,2)=1, d(1,3)=2, d(2,3)=3 (asymmetric: d(3,1)=7); depot is node 2.
        let t = "NAME : m\nCOMMENT : one\nCOMMENT : two\nTYPE : CVRP\nDIMENSION : 3\n\
            EDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\nCAPACITY : 5\n\
            EDGE_WEIGHT_SECTION\n9 1 2\n1 9 3\n7 3 9\nDEMAND_SECTION\n1 1\n2 0\n3 2\n\
            DEPOT_SECTION\n2\n-1\nEOF\n";
        let i = read_cvrplib(t, None).unwrap();
        assert_eq!(i.comment, "one\ntwo");
        assert_eq!(i.demands, vec![0, 1, 2]);
        // new order: ids 2, 1, 3
        assert_eq!(
            i.weights,
            CvrpWeights::Matrix {
                n: 3,
                matrix: vec![0., 1., 3., 1., 0., 2., 3., 7., 0.]
            }
        );
    }

    #[test]
    fn errors_have_codes() {
        let code = |t: &str| read_cvrplib(t, None).unwrap_err().code();
        assert_eq!(code(""), "parse.unexpected_eof");
        assert_eq!(code(&SMALL.replace("CVRP", "VRPTW")), "parse.unsupported");
        assert_eq!(
            code(&SMALL.replace("DIMENSION : 4", "DIMENSION : -4")),
            "parse.out_of_range"
        );
        assert_eq!(
            code(&SMALL.replace("DIMENSION : 4", "DIMENSION : 99999999999999999999999")),
            "parse.out_of_range"
        );
        assert_eq!(
            code(&SMALL.replace("CAPACITY : 10", "CAPACITY : -1")),
            "parse.out_of_range"
        );
        assert_eq!(
            code(&SMALL.replace("3 0 1.4", "3 NaN 1.4")),
            "parse.invalid_number"
        );
        assert_eq!(code(&SMALL.replace("4 9\n", "")), "parse.inconsistent");
        assert_eq!(code(&SMALL.replace("-1\n", "")), "parse.missing");
        assert_eq!(
            code(&SMALL.replace("1\n-1", "1 2\n-1")),
            "parse.unsupported"
        );
        assert_eq!(
            code(&SMALL.replace("1 0\n2 5", "1 3\n2 5")),
            "parse.inconsistent"
        );
        assert_eq!(
            code(&SMALL.replace("2 5\n", "2 -5\n")),
            "parse.out_of_range"
        );
        assert_eq!(
            code(&SMALL.replace("4 6 8", "4 6 8 9")),
            "parse.unexpected_token"
        );
        assert_eq!(code(&SMALL.replace("4 6 8", "2 6 8")), "parse.duplicate");
        assert_eq!(code(&SMALL.replace("4 6 8", "5 6 8")), "parse.out_of_range");
        assert_eq!(
            code(&SMALL[..SMALL.find("3 5").unwrap()]),
            "parse.unexpected_eof"
        );
        assert_eq!(
            code(&SMALL.replace("DEMAND_SECTION", "TIME_WINDOW_SECTION")),
            "parse.unsupported"
        );
    }

    #[test]
    fn demand_over_capacity_is_not_a_parse_error() {
        let i = read_cvrplib(&SMALL.replace("4 9", "4 99"), None).unwrap();
        assert_eq!(i.demands[3], 99);
    }

    #[test]
    fn sol_reading() {
        let inst = read_cvrplib(SMALL, None).unwrap();
        let (s, c) = read_sol_with_cost(
            "route #1: 1 2\n\nRoute #2:\nRoute 3: 3\nTime 1\nCost: 17\n",
            &inst,
        )
        .unwrap();
        assert_eq!(s.routes, vec![vec![1, 2], vec![3]]);
        assert_eq!(c, Some(17.0));
        let code = |t: &str| read_sol(t, &inst).unwrap_err().code();
        assert_eq!(code("Route #1: 1 4\n"), "parse.out_of_range");
        assert_eq!(code("Route #1: 0 1\n"), "parse.out_of_range");
        assert_eq!(code("Route #1: x\n"), "parse.invalid_number");
        assert_eq!(code(""), "parse.missing");
        assert_eq!(code("Route #1: 1\nCost 1\nCost 2\n"), "parse.duplicate");
        assert_eq!(code("1 2 3\n"), "parse.unexpected_token");
    }
}

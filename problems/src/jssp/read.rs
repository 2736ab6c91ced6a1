//! Readers for job-shop instances (OR-Library and Taillard formats) and quotient's schedule format.
//!
//! # Instance formats
//!
//! **OR-Library "standard specification"** ([`read_orlib`], [`Format::Jssp`]):
//! ```text
//! n_jobs n_machines
//! m t m t m t ...        <- one line per job: exactly n_machines (machine, time) pairs, in order
//! ```
//! Machines are 0-based. Lines before the `n m` line are skipped when they do not look like
//! numbers (the wrapping of OR-Library's `jobshop1.txt`: `instance ft06`, `+++++`, a description
//! line, `#` comments). After the n job lines, blank lines are allowed, and a line starting with
//! `+`, `#` or `instance` ends the instance (the next instance of a collection file); anything
//! else is an error.
//!
//! **Taillard** ([`read_taillard`], [`Format::Taillard`]):
//! ```text
//! n m                    (or: a `Nb of jobs, Nb of Machines, ...` line, then `n m seeds bounds`)
//! Times
//! n rows of m processing times
//! Machines
//! n rows of m machine numbers, 1-based
//! ```
//! The `Times` / `Machines` lines may be absent (the "bare" variant). A file holding several
//! instances (as on Taillard's page) yields the first; later content must start with another
//! `Nb of jobs` header.
//!
//! [`read_jssp`] detects the format: after the header, a `Times` line or rows of `m` numbers
//! mean Taillard, rows of `2m` numbers mean OR-Library.
//!
//! **Variant line** (both formats): the blocking variants ([`crate::jssp::JsspVariant`]) are
//! stated by one line before the `n m` header, `# variant: blocking` (or `variant blocking`,
//! `variant = swap`; names `classic`, `blocking`/`bjssp`, `swap`/`sbjssp`,
//! `iswap`/`isbjssp`). Without it the instance is the classic job shop, so every standard file
//! reads unchanged; an unknown name is an error.
//!
//! Both formats: every job has exactly `m` operations, durations are integers in
//! `0..=MAX_DURATION`, a job may visit a machine more than once (the model allows it).
//!
//! # Schedule format ([`read_schedule`], [`Format::JsspSchedule`], written by
//! [`crate::jssp::write::write_schedule`])
//! ```text
//! # quotient JSSP schedule      <- any number of `#` comment lines, anywhere
//! # makespan 55
//! n m                           <- must equal the instance's jobs and machines
//! s s s ...                     <- one line per job: the start time of each of its operations
//! machine sequences             <- optional block, one line per machine:
//! 0: 1/0 3/2 ...                <- `machine: job/op job/op ...` (0-based) in start order
//! ```
//! The job lines must have exactly as many integers as the job has operations. When the
//! `machine sequences` block is present it is verified: machine `i`'s line must list exactly
//! the operations that run on machine `i`, each once, in non-decreasing start order.

use super::model::{JsspInstance, JsspSolution, JsspVariant, Operation};
use crate::error::{Format, ParseError};
use crate::limits::ReadLimits;
use crate::text::{NumberedLines, numbered_lines, parse_num};

/// Most jobs an instance may have.
pub const MAX_JOBS: usize = ReadLimits::DEFAULT.max_jobs;
/// Most machines an instance may have.
pub const MAX_MACHINES: usize = ReadLimits::DEFAULT.max_machines;
/// Most operations (`jobs * machines`) an instance may have.
pub const MAX_OPERATIONS: usize = ReadLimits::DEFAULT.max_operations;
/// Largest processing time accepted (keeps every sum of durations far from `i64` overflow).
pub const MAX_DURATION: i64 = ReadLimits::DEFAULT.max_duration;

type Line<'a> = (usize, &'a str);

/// Read a job-shop instance in OR-Library or Taillard format, detecting which (default
/// [`ReadLimits`]).
pub fn read_jssp(text: &str, name: &str) -> Result<JsspInstance, ParseError> {
    read_jssp_with_limits(text, name, &ReadLimits::default())
}

/// [`read_jssp`] under `limits` (`max_jobs`, `max_machines`, `max_operations`,
/// `max_duration`).
pub fn read_jssp_with_limits(
    text: &str,
    name: &str,
    limits: &ReadLimits,
) -> Result<JsspInstance, ParseError> {
    let variant = preamble_variant(text, Format::Jssp)?;
    let head = header(text, Format::Jssp, limits)?;
    if head.taillard_header {
        return taillard_body(head, name).map(|i| with_variant(i, variant));
    }
    let first = head.rest.clone().find(|(_, l)| !l.trim().is_empty());
    let taillard = match first {
        Some((_, l)) => {
            let mut toks = l.split_whitespace();
            let is_times = toks.next().is_some_and(|t| t.eq_ignore_ascii_case("times"));
            is_times || l.split_whitespace().count() == head.machines
        }
        None => false,
    };
    if taillard {
        taillard_body(head, name)
    } else {
        orlib_body(head, name)
    }
    .map(|i| with_variant(i, variant))
}

/// Read a job-shop instance in the OR-Library standard specification (default
/// [`ReadLimits`]).
pub fn read_orlib(text: &str, name: &str) -> Result<JsspInstance, ParseError> {
    read_orlib_with_limits(text, name, &ReadLimits::default())
}

/// [`read_orlib`] under `limits`.
pub fn read_orlib_with_limits(
    text: &str,
    name: &str,
    limits: &ReadLimits,
) -> Result<JsspInstance, ParseError> {
    let variant = preamble_variant(text, Format::Jssp)?;
    let head = header(text, Format::Jssp, limits)?;
    if head.taillard_header {
        return Err(ParseError::unexpected(
            Format::Jssp,
            head.line,
            "`n_jobs n_machines`",
            "a Taillard `Nb of jobs` header",
        ));
    }
    orlib_body(head, name).map(|i| with_variant(i, variant))
}

/// Read a job-shop instance in Taillard's format (with or without `Times` / `Machines` lines;
/// default [`ReadLimits`]).
pub fn read_taillard(text: &str, name: &str) -> Result<JsspInstance, ParseError> {
    read_taillard_with_limits(text, name, &ReadLimits::default())
}

/// [`read_taillard`] under `limits`.
pub fn read_taillard_with_limits(
    text: &str,
    name: &str,
    limits: &ReadLimits,
) -> Result<JsspInstance, ParseError> {
    let variant = preamble_variant(text, Format::Taillard)?;
    let head = header(text, Format::Taillard, limits)?;
    taillard_body(head, name).map(|i| with_variant(i, variant))
}

fn with_variant(mut inst: JsspInstance, variant: JsspVariant) -> JsspInstance {
    inst.variant = variant;
    inst
}

/// The variant stated before the `n m` header (`# variant: blocking`, `variant swap`, ...),
/// classic when none is. Scanning stops at the first line of numbers or a Taillard
/// `Nb of jobs` line.
pub fn preamble_variant(text: &str, fmt: Format) -> Result<JsspVariant, ParseError> {
    for (ln, raw) in numbered_lines(text) {
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let lower = l.to_ascii_lowercase();
        if lower.starts_with("nb of jobs") || l.split_whitespace().take(7).all(looks_numeric) {
            break;
        }
        let body = lower.trim_start_matches('#').trim_start();
        let Some(rest) = body.strip_prefix("variant") else {
            continue;
        };
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `variants ...`: some other word
        }
        let value = rest.trim_start().trim_start_matches([':', '=']).trim();
        let mut toks = value.split_whitespace();
        let (Some(name), None) = (toks.next(), toks.next()) else {
            continue; // `variant of ...`: a description line, not a variant statement
        };
        return name.parse::<JsspVariant>().map_err(|_| {
            ParseError::unexpected(fmt, ln, "a variant: classic, blocking, swap or iswap", name)
        });
    }
    Ok(JsspVariant::Classic)
}

/// The `n m` header: where it is and what it says.
#[derive(Debug, Clone)]
struct Header<'a> {
    jobs: usize,
    machines: usize,
    /// 1-based line of the numbers.
    line: usize,
    /// The lines after the header (read lazily).
    rest: NumberedLines<'a>,
    /// Whether a Taillard `Nb of jobs, ...` line preceded the numbers.
    taillard_header: bool,
    /// The largest processing time accepted (`ReadLimits::max_duration`).
    max_duration: i64,
}

fn looks_numeric(tok: &str) -> bool {
    tok.parse::<f64>().is_ok()
}

/// Find and validate the `n m` line, skipping a preamble of non-numeric lines.
fn header<'a>(text: &'a str, fmt: Format, limits: &ReadLimits) -> Result<Header<'a>, ParseError> {
    let mut taillard_header = false;
    let mut lines = numbered_lines(text);
    let mut last = 1;
    while let Some((ln, raw)) = lines.next() {
        last = ln;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.to_ascii_lowercase().starts_with("nb of jobs") {
            taillard_header = true;
            continue;
        }
        let toks: Vec<&str> = l.split_whitespace().take(7).collect();
        if taillard_header {
            // `n m time_seed machine_seed upper lower`: only n and m matter.
            if !toks.iter().all(|t| looks_numeric(t)) {
                return Err(ParseError::unexpected(
                    fmt,
                    ln,
                    "`n_jobs n_machines time_seed machine_seed upper_bound lower_bound`",
                    l,
                ));
            }
        } else {
            if !toks.iter().all(|t| looks_numeric(t)) {
                continue; // preamble: `instance ft06`, `+++`, a description line
            }
            if toks.len() != 2 {
                return Err(ParseError::unexpected(
                    fmt,
                    ln,
                    "a header line `n_jobs n_machines`",
                    l,
                ));
            }
        }
        let (jobs, machines) = match (toks.first(), toks.get(1)) {
            (Some(a), Some(b)) => (
                size(a, "number of jobs", limits.max_jobs, ln, fmt)
                    .map_err(|e| e.with_limit_hint("max_jobs"))?,
                size(b, "number of machines", limits.max_machines, ln, fmt)
                    .map_err(|e| e.with_limit_hint("max_machines"))?,
            ),
            _ => {
                return Err(ParseError::unexpected(
                    fmt,
                    ln,
                    "a header line `n_jobs n_machines`",
                    l,
                ));
            }
        };
        match jobs.checked_mul(machines) {
            Some(ops) if ops <= limits.max_operations => {}
            _ => {
                return Err(ParseError::out_of_range(
                    fmt,
                    ln,
                    "number of operations (jobs * machines)",
                    format!("{jobs} * {machines}"),
                    format!(
                        "at most {} (read limit max_operations)",
                        limits.max_operations
                    ),
                ));
            }
        }
        return Ok(Header {
            jobs,
            machines,
            line: ln,
            rest: lines,
            taillard_header,
            max_duration: limits.max_duration,
        });
    }
    if taillard_header {
        Err(ParseError::eof(
            fmt,
            last,
            "the line `n_jobs n_machines ...` after the `Nb of jobs` header",
        ))
    } else {
        Err(ParseError::missing(
            fmt,
            last,
            "header line `n_jobs n_machines`",
        ))
    }
}

/// A job or machine count: an integer in `1..=max`.
fn size(tok: &str, what: &str, max: usize, ln: usize, fmt: Format) -> Result<usize, ParseError> {
    let v: i64 = parse_num(tok, what, ln, fmt)?;
    if v < 1 || v as u64 > max as u64 {
        return Err(ParseError::out_of_range(
            fmt,
            ln,
            what,
            v,
            format!("1..={max}"),
        ));
    }
    Ok(v as usize)
}

fn duration(tok: &str, max: i64, ln: usize, fmt: Format) -> Result<i64, ParseError> {
    let v: i64 = parse_num(tok, "processing time", ln, fmt)?;
    if !(0..=max).contains(&v) {
        return Err(ParseError::out_of_range(
            fmt,
            ln,
            "processing time",
            v,
            format!("0..={max} (read limit max_duration)"),
        ));
    }
    Ok(v)
}

/// A machine index; `base` is 0 (OR-Library) or 1 (Taillard). Returns the 0-based index.
fn machine(tok: &str, m: usize, base: usize, ln: usize, fmt: Format) -> Result<usize, ParseError> {
    let v: i64 = parse_num(tok, "machine number", ln, fmt)?;
    let lo = base as i64;
    let hi = (m + base - 1) as i64;
    if v < lo || v > hi {
        return Err(ParseError::out_of_range(
            fmt,
            ln,
            "machine number",
            v,
            format!("{lo}..={hi}"),
        ));
    }
    Ok(v as usize - base)
}

/// Non-blank lines (and, for schedules, not `#` comments), as an iterator that remembers the
/// last line number seen. Lines are read lazily: nothing is stored per line.
struct Rows<'a> {
    lines: NumberedLines<'a>,
    last: usize,
    skip_comments: bool,
}

fn is_comment(l: &str) -> bool {
    l.trim_start().starts_with('#')
}

impl<'a> Rows<'a> {
    fn new(lines: NumberedLines<'a>, last: usize, skip_comments: bool) -> Self {
        Rows {
            lines,
            last,
            skip_comments,
        }
    }
    fn next_row(&mut self) -> Option<Line<'a>> {
        for (ln, l) in self.lines.by_ref() {
            if self.skip_comments && is_comment(l) {
                continue;
            }
            self.last = ln;
            if !l.trim().is_empty() {
                return Some((ln, l.trim()));
            }
        }
        None
    }
    fn expect_row(&mut self, fmt: Format, expected: &str) -> Result<Line<'a>, ParseError> {
        let last = self.last;
        self.next_row()
            .ok_or_else(|| ParseError::eof(fmt, last.max(1), expected))
    }
}

/// The tokens of a row, required to be exactly `count` many.
fn row_tokens<'a>(
    (ln, l): Line<'a>,
    count: usize,
    what: &str,
    fmt: Format,
) -> Result<Vec<&'a str>, ParseError> {
    // Take at most count + 1 tokens so a hostile long line cannot make us collect it all.
    let toks: Vec<&str> = l.split_whitespace().take(count.saturating_add(1)).collect();
    if toks.len() != count {
        let found = if toks.len() > count {
            "more".to_string()
        } else {
            toks.len().to_string()
        };
        return Err(ParseError::inconsistent(
            fmt,
            ln,
            format!("{what}: expected {count} numbers, found {found}"),
        ));
    }
    Ok(toks)
}

fn orlib_body(head: Header<'_>, name: &str) -> Result<JsspInstance, ParseError> {
    let fmt = Format::Jssp;
    let (n, m) = (head.jobs, head.machines);
    let mut rows = Rows::new(head.rest.clone(), head.line, false);
    let mut jobs = Vec::new();
    for j in 0..n {
        let row = rows.expect_row(fmt, &format!("job {j} of {n} (`machine time` pairs)"))?;
        let ln = row.0;
        let toks = row_tokens(
            row,
            2 * m,
            &format!("job {j} ({m} `machine time` pairs)"),
            fmt,
        )?;
        let mut ops = Vec::with_capacity(m);
        for pair in toks.chunks_exact(2) {
            if let [mt, dt] = pair {
                ops.push(Operation {
                    machine: machine(mt, m, 0, ln, fmt)?,
                    duration: duration(dt, head.max_duration, ln, fmt)?,
                });
            }
        }
        jobs.push(ops);
    }
    trailing(&mut rows, fmt, |l| {
        l.starts_with('+') || l.starts_with('#') || l.to_ascii_lowercase().starts_with("instance")
    })?;
    Ok(JsspInstance {
        name: name.to_string(),
        machines: m,
        jobs,
        variant: Default::default(),
    })
}

/// After the data: blank lines, or a line accepted by `next_instance` (which ends reading).
fn trailing(
    rows: &mut Rows<'_>,
    fmt: Format,
    next_instance: impl Fn(&str) -> bool,
) -> Result<(), ParseError> {
    match rows.next_row() {
        None => Ok(()),
        Some((_, l)) if next_instance(l) => Ok(()),
        Some((ln, l)) => Err(ParseError::unexpected(
            fmt,
            ln,
            "end of input after the last job",
            l,
        )),
    }
}

fn taillard_body(head: Header<'_>, name: &str) -> Result<JsspInstance, ParseError> {
    let fmt = Format::Taillard;
    let (n, m) = (head.jobs, head.machines);
    let mut rows = Rows::new(head.rest.clone(), head.line, false);

    // Optional `Times` keyword; the first row tells.
    let mut first = rows.expect_row(fmt, "`Times` or the first row of processing times")?;
    let labelled = keyword(first.1, "times");
    if labelled {
        first = rows.expect_row(fmt, "the first row of processing times")?;
    }
    let mut times: Vec<Vec<i64>> = Vec::new();
    for j in 0..n {
        let row = if j == 0 {
            first
        } else {
            rows.expect_row(fmt, &format!("row {j} of {n} of processing times"))?
        };
        let ln = row.0;
        let toks = row_tokens(row, m, &format!("processing times of job {j}"), fmt)?;
        let mut r = Vec::with_capacity(m);
        for t in toks {
            r.push(duration(t, head.max_duration, ln, fmt)?);
        }
        times.push(r);
    }

    let mut first = rows.expect_row(
        fmt,
        if labelled {
            "`Machines`"
        } else {
            "the first row of machine numbers"
        },
    )?;
    if labelled {
        if !keyword(first.1, "machines") {
            return Err(ParseError::unexpected(fmt, first.0, "`Machines`", first.1));
        }
        first = rows.expect_row(fmt, "the first row of machine numbers")?;
    } else if keyword(first.1, "machines") {
        return Err(ParseError::unexpected(
            fmt,
            first.0,
            "machine numbers (no `Machines` line without a `Times` line)",
            first.1,
        ));
    }
    let mut jobs = Vec::new();
    for (j, trow) in times.into_iter().enumerate() {
        let row = if j == 0 {
            first
        } else {
            rows.expect_row(fmt, &format!("row {j} of {n} of machine numbers"))?
        };
        let ln = row.0;
        let toks = row_tokens(row, m, &format!("machine numbers of job {j}"), fmt)?;
        let mut ops = Vec::with_capacity(m);
        for (t, d) in toks.into_iter().zip(trow) {
            ops.push(Operation {
                machine: machine(t, m, 1, ln, fmt)?,
                duration: d,
            });
        }
        jobs.push(ops);
    }
    trailing(&mut rows, fmt, |l| {
        l.to_ascii_lowercase().starts_with("nb of jobs")
    })?;
    Ok(JsspInstance {
        name: name.to_string(),
        machines: m,
        jobs,
        variant: Default::default(),
    })
}

/// Whether a line is exactly the keyword (case-insensitive, optional trailing colon).
fn keyword(line: &str, word: &str) -> bool {
    let l = line.trim();
    let l = l.strip_suffix(':').unwrap_or(l).trim_end();
    l.eq_ignore_ascii_case(word)
}

/// Read a schedule in quotient's schedule format (see the module documentation) for `inst`.
pub fn read_schedule(text: &str, inst: &JsspInstance) -> Result<JsspSolution, ParseError> {
    let fmt = Format::JsspSchedule;
    let mut rows = Rows::new(numbered_lines(text), 0, true);
    let n = inst.num_jobs();
    let m = inst.machines;

    let (ln, l) = rows.expect_row(fmt, "header line `n_jobs n_machines`")?;
    let toks = row_tokens((ln, l), 2, "header `n_jobs n_machines`", fmt)?;
    let hn: i64 = parse_num(
        toks.first().copied().unwrap_or(""),
        "number of jobs",
        ln,
        fmt,
    )?;
    let hm: i64 = parse_num(
        toks.get(1).copied().unwrap_or(""),
        "number of machines",
        ln,
        fmt,
    )?;
    if hn != n as i64 || hm != m as i64 {
        return Err(ParseError::inconsistent(
            fmt,
            ln,
            format!("schedule is for {hn} jobs x {hm} machines, the instance has {n} x {m}"),
        ));
    }

    let mut start: Vec<Vec<i64>> = Vec::new();
    for (j, job) in inst.jobs.iter().enumerate() {
        let row = rows.expect_row(fmt, &format!("start times of job {j} of {n}"))?;
        let ln = row.0;
        let toks = row_tokens(row, job.len(), &format!("start times of job {j}"), fmt)?;
        let mut r = Vec::with_capacity(job.len());
        for t in toks {
            r.push(parse_num::<i64>(t, "start time", ln, fmt)?);
        }
        start.push(r);
    }
    let sol = JsspSolution { start };

    match rows.next_row() {
        None => {}
        Some((_, l)) if keyword(l, "machine sequences") => {
            verify_sequences(&mut rows, inst, &sol)?;
        }
        Some((ln, l)) => {
            return Err(ParseError::unexpected(
                fmt,
                ln,
                "`machine sequences` or end of input after the last job",
                l,
            ));
        }
    }
    Ok(sol)
}

/// Check the optional `machine sequences` block against the start times.
fn verify_sequences(
    rows: &mut Rows<'_>,
    inst: &JsspInstance,
    sol: &JsspSolution,
) -> Result<(), ParseError> {
    let fmt = Format::JsspSchedule;
    let m = inst.machines;
    // One line per machine must follow: do not allocate for more machines than lines remain.
    let remaining = rows
        .lines
        .clone()
        .filter(|(_, l)| !is_comment(l))
        .take(m)
        .count();
    if m > remaining {
        return Err(ParseError::eof(
            fmt,
            rows.last.max(1),
            format!("{m} machine sequence lines, found at most {remaining}"),
        ));
    }
    // How many operations each machine has (ops with an out-of-range machine belong to none).
    let mut count = vec![0usize; m];
    for op in inst.jobs.iter().flatten() {
        if let Some(c) = count.get_mut(op.machine) {
            *c += 1;
        }
    }
    // seen[j][k]: listed already.
    let mut seen: Vec<Vec<bool>> = inst.jobs.iter().map(|j| vec![false; j.len()]).collect();
    for (i, &cnt) in count.iter().enumerate() {
        let (ln, l) = rows.expect_row(fmt, &format!("sequence of machine {i} of {m}"))?;
        let rest = l
            .split_once(':')
            .and_then(|(k, rest)| (k.trim().parse::<usize>().ok() == Some(i)).then_some(rest))
            .ok_or_else(|| ParseError::unexpected(fmt, ln, format!("`{i}: job/op ...`"), l))?;
        let toks = row_tokens(
            (ln, rest),
            cnt,
            &format!("sequence of machine {i} (job/op pairs)"),
            fmt,
        )?;
        let mut prev: Option<i64> = None;
        for t in toks {
            let bad = || ParseError::unexpected(fmt, ln, "`job/op` (0-based)", t);
            let (js, ks) = t.split_once('/').ok_or_else(bad)?;
            let j: usize = js.parse().map_err(|_| bad())?;
            let k: usize = ks.parse().map_err(|_| bad())?;
            let on_machine = inst
                .jobs
                .get(j)
                .and_then(|job| job.get(k))
                .is_some_and(|op| op.machine == i);
            if !on_machine {
                return Err(ParseError::inconsistent(
                    fmt,
                    ln,
                    format!("operation {j}/{k} does not run on machine {i}"),
                ));
            }
            match seen.get_mut(j).and_then(|r| r.get_mut(k)) {
                Some(s) if !*s => *s = true,
                _ => {
                    return Err(ParseError::duplicate(
                        fmt,
                        ln,
                        format!("operation {j}/{k} in the sequence of machine {i}"),
                    ));
                }
            }
            let s = sol
                .start
                .get(j)
                .and_then(|r| r.get(k))
                .copied()
                .unwrap_or(0);
            if prev.is_some_and(|p| p > s) {
                return Err(ParseError::inconsistent(
                    fmt,
                    ln,
                    format!(
                        "machine {i}: operation {j}/{k} starts at {s}, before the operation listed before it"
                    ),
                ));
            }
            prev = Some(s);
        }
    }
    match rows.next_row() {
        None => Ok(()),
        Some((ln, l)) => Err(ParseError::unexpected(
            fmt,
            ln,
            "end of input after the machine sequences",
            l,
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::error::ParseErrorKind;

    const FT06: &str = "6 6
2 1 0 3 1 6 3 7 5 3 4 6
1 8 2 5 4 10 5 10 0 10 3 4
2 5 3 4 5 8 0 9 1 1 4 7
1 5 0 5 2 5 3 3 4 8 5 9
2 9 1 3 4 5 5 4 0 3 3 1
1 3 3 3 5 9 0 10 4 4 2 1
";

    #[test]
    fn reads_orlib() {
        let i = read_jssp(FT06, "ft06").unwrap();
        assert_eq!(i.num_jobs(), 6);
        assert_eq!(i.machines, 6);
        assert_eq!(
            i.jobs[0][0],
            Operation {
                machine: 2,
                duration: 1
            }
        );
        assert_eq!(i.trivial_lower_bound(), 47); // job 1: 8+5+10+10+10+4
        assert_eq!(read_orlib(FT06, "ft06").unwrap(), i);
    }

    #[test]
    fn reads_jobshop1_wrapping() {
        let text = format!(
            " +++++++++++++++++++++++++++++\n \n instance ft06\n \n +++++++++++++++++++++++++++++\n Fisher and Thompson 6x6 instance, alternate name (mt06)\n{FT06} +++++++++++++++++++++++++++++\n \n instance ft10\n"
        );
        let i = read_jssp(&text, "ft06").unwrap();
        assert_eq!(i, read_jssp(FT06, "ft06").unwrap());
        let text = format!("# comment\n# 6 6 in a comment\n{FT06}");
        assert_eq!(read_jssp(&text, "ft06").unwrap().num_jobs(), 6);
    }

    #[test]
    fn reads_taillard_variants() {
        let labelled = "Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound\n  2 3 840612802 398197754 20 10\nTimes\n 1 2 3\n 4 5 6\nMachines\n 1 2 3\n 3 2 1\nNb of jobs, Nb of Machines\n 9 9 1 1 1 1\n";
        let i = read_jssp(labelled, "t").unwrap();
        assert_eq!(i.machines, 3);
        assert_eq!(
            i.jobs[1],
            vec![
                Operation {
                    machine: 2,
                    duration: 4
                },
                Operation {
                    machine: 1,
                    duration: 5
                },
                Operation {
                    machine: 0,
                    duration: 6
                }
            ]
        );
        let plain = "2 3\nTimes\n1 2 3\n4 5 6\nMachines\n1 2 3\n3 2 1\n";
        let bare = "2 3\n1 2 3\n4 5 6\n1 2 3\n3 2 1\n";
        assert_eq!(read_jssp(plain, "t").unwrap(), i);
        assert_eq!(read_jssp(bare, "t").unwrap(), i);
        assert_eq!(read_taillard(bare, "t").unwrap(), i);
        assert_eq!(read_taillard(labelled, "t").unwrap(), i);
    }

    fn err(text: &str) -> ParseError {
        read_jssp(text, "x").unwrap_err()
    }

    #[test]
    fn rejects_bad_input_with_lines() {
        let e = err("");
        assert_eq!(e.code(), "parse.missing");
        let e = err("2 2\n0 1 1 2\n0 1\n");
        assert_eq!(e.line, 3);
        assert!(matches!(e.kind, ParseErrorKind::Inconsistent { .. }));
        let e = err("2 2\n0 1 1 2\n0 1 2 2\n");
        assert_eq!((e.line, e.code()), (3, "parse.out_of_range"));
        let e = err("2 2\n0 1 1 2\n0 1 1 -2\n");
        assert_eq!((e.line, e.code()), (3, "parse.out_of_range"));
        let e = err("2 2\n0 1 1 2\n");
        assert_eq!(e.code(), "parse.unexpected_eof");
        let e = err("-2 2\n");
        assert_eq!(e.code(), "parse.out_of_range");
        let e = err("1000000 1000000\n");
        assert_eq!(e.code(), "parse.out_of_range");
        let e = err("NaN 2\n");
        assert_eq!(e.code(), "parse.invalid_number");
        let e = err("2 2\n0 1 1 x\n0 1 1 1\n");
        assert_eq!((e.line, e.code()), (2, "parse.invalid_number"));
        let e = err("1 2\n0 1 1 1\n7 7 7 7\n");
        assert_eq!((e.line, e.code()), (3, "parse.unexpected_token"));
        let e = read_taillard("1 2\n1 1\n1 3\n", "x").unwrap_err();
        assert_eq!(
            (e.format, e.line, e.code()),
            (Format::Taillard, 3, "parse.out_of_range")
        );
    }

    #[test]
    fn repeated_machine_is_accepted() {
        let i = read_jssp("1 2\n0 1 0 2\n", "x").unwrap();
        assert_eq!(i.jobs[0][1].machine, 0);
    }

    #[test]
    fn schedule_block_is_verified() {
        let inst = read_jssp("2 2\n0 3 1 2\n1 2 0 1\n", "x").unwrap();
        let ok = "# makespan 5\n2 2\n0 3\n0 3\nmachine sequences\n0: 0/0 1/1\n1: 1/0 0/1\n";
        let s = read_schedule(ok, &inst).unwrap();
        assert_eq!(s.start, vec![vec![0, 3], vec![0, 3]]);
        let wrong_order = "2 2\n0 3\n0 3\nmachine sequences\n0: 1/1 0/0\n1: 1/0 0/1\n";
        assert_eq!(read_schedule(wrong_order, &inst).unwrap_err().line, 5);
        let wrong_machine = "2 2\n0 3\n0 3\nmachine sequences\n0: 0/0 1/0\n1: 1/1 0/1\n";
        assert_eq!(read_schedule(wrong_machine, &inst).unwrap_err().line, 5);
        let dup = "2 2\n0 3\n0 3\nmachine sequences\n0: 0/0 0/0\n1: 1/0 0/1\n";
        assert_eq!(
            read_schedule(dup, &inst).unwrap_err().code(),
            "parse.duplicate"
        );
        let short = "2 2\n0 3\n0\n";
        assert_eq!(read_schedule(short, &inst).unwrap_err().line, 3);
        let dims = "3 2\n0 3\n0 3\n";
        assert_eq!(
            read_schedule(dims, &inst).unwrap_err().code(),
            "parse.inconsistent"
        );
    }
}

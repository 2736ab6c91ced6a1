//! Readers for flexible job-shop instances (Brandimarte / Hurink text format) and quotient's
//! FJSP schedule format.
//!
//! # Instance format ([`read_fjsp`], [`Format::Fjsp`])
//! ```text
//! n_jobs n_machines [average machines per operation]
//! k  c m t m t ...  c m t ...     <- one line per job: k operations, each c alternatives
//! ```
//! Each job line holds the number of operations `k`, then for each operation the number of
//! eligible machines `c` (`1..=n_machines`) followed by `c` pairs `machine time`. The third
//! header number (Brandimarte's average flexibility) is optional and ignored. Blank lines and
//! `#` comment lines are skipped.
//!
//! Machine numbering: the published files number machines from 1; some collections (e.g. the
//! SchedulingLab copies) from 0. The reader decides from the content: a machine number `0`
//! anywhere means 0-based, otherwise numbers are 1-based; a file holding both `0` and
//! `n_machines` fits neither and is refused. (A 0-based file that never uses machine 0 is read
//! as 1-based: the same instance with machines renumbered, which changes no makespan.)
//! A machine may appear once per operation; times are integers in `0..=max_duration`.
//! A job may have no operations; the total number of operations is capped by `max_operations`.
//!
//! # Schedule format ([`read_schedule`], [`Format::FjspSchedule`], written by
//! [`crate::fjsp::write::write_schedule`])
//! ```text
//! # quotient FJSP schedule      <- any number of `#` comment lines, anywhere
//! # makespan 40
//! n m                           <- must equal the instance's jobs and machines
//! m s m s ...                   <- one line per job: per operation its machine (0-based) and start
//! ```

use super::model::{FjspInstance, FjspOperation, FjspSolution};
use crate::error::{Format, ParseError};
use crate::jssp::Operation;
use crate::limits::ReadLimits;
use crate::text::{NumberedLines, numbered_lines, parse_num};

const FMT: Format = Format::Fjsp;

/// Read a flexible job-shop instance (default [`ReadLimits`]).
pub fn read_fjsp(text: &str, name: &str) -> Result<FjspInstance, ParseError> {
    read_fjsp_with_limits(text, name, &ReadLimits::default())
}

/// Non-blank, non-comment lines, trimmed, remembering the last line number seen.
struct Rows<'a> {
    lines: NumberedLines<'a>,
    last: usize,
}

impl<'a> Rows<'a> {
    fn next_row(&mut self) -> Option<(usize, &'a str)> {
        for (ln, l) in self.lines.by_ref() {
            self.last = ln;
            let l = l.trim();
            if !l.is_empty() && !l.starts_with('#') {
                return Some((ln, l));
            }
        }
        None
    }
    fn expect_row(&mut self, fmt: Format, expected: &str) -> Result<(usize, &'a str), ParseError> {
        let last = self.last;
        self.next_row()
            .ok_or_else(|| ParseError::eof(fmt, last.max(1), expected))
    }
}

/// A count in `lo..=max` read from `tok`.
fn count(
    tok: &str,
    what: &str,
    lo: usize,
    max: usize,
    ln: usize,
    fmt: Format,
) -> Result<usize, ParseError> {
    let v: i64 = parse_num(tok, what, ln, fmt)?;
    if v < lo as i64 || v as u64 > max as u64 {
        return Err(ParseError::out_of_range(
            fmt,
            ln,
            what,
            v,
            format!("{lo}..={max}"),
        ));
    }
    Ok(v as usize)
}

/// The `n m [avg]` header.
fn header(rows: &mut Rows<'_>, limits: &ReadLimits) -> Result<(usize, usize), ParseError> {
    let (ln, l) = rows.next_row().ok_or_else(|| {
        ParseError::missing(
            FMT,
            rows.last.max(1),
            "header line `n_jobs n_machines [avg]`",
        )
    })?;
    let toks: Vec<&str> = l.split_whitespace().take(4).collect();
    let (Some(a), Some(b), 2..=3) = (toks.first(), toks.get(1), toks.len()) else {
        return Err(ParseError::unexpected(
            FMT,
            ln,
            "a header line `n_jobs n_machines [avg]`",
            l,
        ));
    };
    let jobs = count(a, "number of jobs", 1, limits.max_jobs, ln, FMT)
        .map_err(|e| e.with_limit_hint("max_jobs"))?;
    let machines = count(b, "number of machines", 1, limits.max_machines, ln, FMT)
        .map_err(|e| e.with_limit_hint("max_machines"))?;
    if let Some(avg) = toks.get(2) {
        parse_num::<f64>(avg, "average machines per operation", ln, FMT)?;
    }
    Ok((jobs, machines))
}

/// [`read_fjsp`] under `limits` (`max_jobs`, `max_machines`, `max_operations` for the total
/// number of operations, `max_duration`). Nothing is allocated from a declared count: jobs,
/// operations and alternatives grow only as their numbers are read.
pub fn read_fjsp_with_limits(
    text: &str,
    name: &str,
    limits: &ReadLimits,
) -> Result<FjspInstance, ParseError> {
    let mut rows = Rows {
        lines: numbered_lines(text),
        last: 0,
    };
    let (n, m) = header(&mut rows, limits)?;
    let mut total_ops = 0usize;
    // Lines where machine number 0 and machine number m were first seen.
    let (mut zero_at, mut top_at) = (None, None);
    let mut jobs: Vec<Vec<FjspOperation>> = Vec::new();
    for j in 0..n {
        let (ln, l) = rows.expect_row(FMT, &format!("the line of job {j} of {n}"))?;
        let mut toks = l.split_whitespace();
        let mut next = |what: &str| {
            toks.next().ok_or_else(|| {
                ParseError::inconsistent(FMT, ln, format!("job {j}: the line ends before {what}"))
            })
        };
        let k = count(
            next("the number of operations")?,
            "number of operations",
            0,
            limits.max_operations,
            ln,
            FMT,
        )?;
        total_ops = total_ops.saturating_add(k);
        if total_ops > limits.max_operations {
            return Err(ParseError::out_of_range(
                FMT,
                ln,
                "total number of operations",
                total_ops,
                format!(
                    "at most {} (read limit max_operations)",
                    limits.max_operations
                ),
            ));
        }
        let mut ops = Vec::new();
        for o in 0..k {
            let c = count(
                next(&format!("operation {o}'s number of machines"))?,
                &format!("number of machines of operation {o} of job {j}"),
                1,
                m,
                ln,
                FMT,
            )?;
            let mut alternatives = Vec::new();
            for _ in 0..c {
                let mt = next(&format!("a machine of operation {o}"))?;
                let v: i64 = parse_num(mt, "machine number", ln, FMT)?;
                if v < 0 || v > m as i64 {
                    return Err(ParseError::out_of_range(
                        FMT,
                        ln,
                        "machine number",
                        v,
                        format!("0..={m} (0-based or 1-based numbering)"),
                    ));
                }
                if v == 0 {
                    zero_at.get_or_insert(ln);
                }
                if v == m as i64 {
                    top_at.get_or_insert(ln);
                }
                let dt = next(&format!("the time of operation {o} on machine {v}"))?;
                let d: i64 = parse_num(dt, "processing time", ln, FMT)?;
                if !(0..=limits.max_duration).contains(&d) {
                    return Err(ParseError::out_of_range(
                        FMT,
                        ln,
                        "processing time",
                        d,
                        format!("0..={} (read limit max_duration)", limits.max_duration),
                    ));
                }
                alternatives.push(Operation {
                    machine: v as usize,
                    duration: d,
                });
            }
            let mut seen: Vec<usize> = alternatives.iter().map(|a| a.machine).collect();
            seen.sort_unstable();
            if let Some(w) = seen.windows(2).find(|w| w[0] == w[1]) {
                return Err(ParseError::duplicate(
                    FMT,
                    ln,
                    format!("machine {} in operation {o} of job {j}", w[0]),
                ));
            }
            ops.push(FjspOperation { alternatives });
        }
        if let Some(extra) = toks.next() {
            return Err(ParseError::unexpected(
                FMT,
                ln,
                format!("end of job {j}'s line after its {k} operations"),
                extra,
            ));
        }
        jobs.push(ops);
    }
    if let Some((ln, l)) = rows.next_row() {
        return Err(ParseError::unexpected(
            FMT,
            ln,
            "end of input after the last job",
            l,
        ));
    }
    match (zero_at, top_at) {
        (Some(z), Some(t)) => {
            return Err(ParseError::inconsistent(
                FMT,
                z.max(t),
                format!(
                    "machine numbers 0 (line {z}) and {m} (line {t}) with {m} machines: neither 0-based nor 1-based"
                ),
            ));
        }
        (Some(_), None) => {}
        (None, _) => {
            for a in jobs
                .iter_mut()
                .flatten()
                .flat_map(|o| o.alternatives.iter_mut())
            {
                a.machine -= 1; // every number is >= 1 here
            }
        }
    }
    Ok(FjspInstance {
        name: name.to_string(),
        machines: m,
        jobs,
    })
}

/// Whether `text` looks like an FJSP instance rather than a classical job shop: a header of
/// `n m avg`, or a first job line that parses as `k` operations with their alternatives and
/// does not have the `2m` (OR-Library) or `m` (Taillard) numbers of a job-shop row.
pub fn looks_like_fjsp(text: &str) -> bool {
    let mut rows = Rows {
        lines: numbered_lines(text),
        last: 0,
    };
    let Some((_, head)) = rows.next_row() else {
        return false;
    };
    let toks: Vec<&str> = head.split_whitespace().take(4).collect();
    let ints = |t: &&str| t.parse::<u64>().is_ok();
    match toks.as_slice() {
        [a, b, avg] if ints(a) && ints(b) => avg.parse::<f64>().is_ok_and(f64::is_finite),
        [a, b] if ints(a) && ints(b) => {
            let Ok(m) = b.parse::<u64>() else {
                return false;
            };
            let Some((_, row)) = rows.next_row() else {
                return false;
            };
            let nums: Vec<u64> = row
                .split_whitespace()
                .map_while(|t| t.parse::<u64>().ok())
                .take(1 << 20)
                .collect();
            let len = nums.len() as u64;
            if len == 2 * m || len == m || len != row.split_whitespace().count() as u64 {
                return false;
            }
            fjsp_row_fits(&nums, m)
        }
        _ => false,
    }
}

/// Whether `nums` is exactly one FJSP job row for `m` machines.
fn fjsp_row_fits(nums: &[u64], m: u64) -> bool {
    let Some((&k, mut rest)) = nums.split_first() else {
        return false;
    };
    for _ in 0..k {
        let Some((&c, tail)) = rest.split_first() else {
            return false;
        };
        if c == 0 || c > m {
            return false;
        }
        let len = 2 * c as usize;
        let Some((pairs, tail)) = tail.split_at_checked(len) else {
            return false;
        };
        if pairs.chunks_exact(2).any(|p| p[0] > m) {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// Read a schedule in quotient's FJSP schedule format (see the module documentation) for
/// `inst`.
pub fn read_schedule(text: &str, inst: &FjspInstance) -> Result<FjspSolution, ParseError> {
    let fmt = Format::FjspSchedule;
    let mut rows = Rows {
        lines: numbered_lines(text),
        last: 0,
    };
    let (n, m) = (inst.num_jobs(), inst.machines);
    let (ln, l) = rows.expect_row(fmt, "header line `n_jobs n_machines`")?;
    let toks: Vec<&str> = l.split_whitespace().take(3).collect();
    let [a, b] = toks.as_slice() else {
        return Err(ParseError::unexpected(
            fmt,
            ln,
            "header line `n_jobs n_machines`",
            l,
        ));
    };
    let hn: i64 = parse_num(a, "number of jobs", ln, fmt)?;
    let hm: i64 = parse_num(b, "number of machines", ln, fmt)?;
    if hn != n as i64 || hm != m as i64 {
        return Err(ParseError::inconsistent(
            fmt,
            ln,
            format!("schedule is for {hn} jobs x {hm} machines, the instance has {n} x {m}"),
        ));
    }
    let mut machine = Vec::new();
    let mut start = Vec::new();
    for (j, job) in inst.jobs.iter().enumerate() {
        let (ln, l) = rows.expect_row(fmt, &format!("the line of job {j} of {n}"))?;
        let toks: Vec<&str> = l
            .split_whitespace()
            .take(2 * job.len().saturating_add(1))
            .collect();
        if toks.len() != 2 * job.len() {
            return Err(ParseError::inconsistent(
                fmt,
                ln,
                format!(
                    "job {j}: expected {} `machine start` pairs ({} numbers), found {}",
                    job.len(),
                    2 * job.len(),
                    if toks.len() > 2 * job.len() {
                        "more".to_string()
                    } else {
                        toks.len().to_string()
                    }
                ),
            ));
        }
        let mut mr = Vec::with_capacity(job.len());
        let mut sr = Vec::with_capacity(job.len());
        for pair in toks.chunks_exact(2) {
            let v: u64 = parse_num(pair[0], "machine number", ln, fmt)?;
            if v >= m as u64 {
                return Err(ParseError::out_of_range(
                    fmt,
                    ln,
                    "machine number",
                    v,
                    format!("0..={} (0-based)", m.saturating_sub(1)),
                ));
            }
            mr.push(v as usize);
            sr.push(parse_num::<i64>(pair[1], "start time", ln, fmt)?);
        }
        machine.push(mr);
        start.push(sr);
    }
    if let Some((ln, l)) = rows.next_row() {
        return Err(ParseError::unexpected(
            fmt,
            ln,
            "end of input after the last job",
            l,
        ));
    }
    Ok(FjspSolution { machine, start })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Two jobs, three machines, 1-based with the average in the header.
    const SMALL: &str = "2 3 1.5\n2 2 1 4 3 5 1 2 6\n1 2 2 3 3 2\n";

    fn alt(machine: usize, duration: i64) -> Operation {
        Operation { machine, duration }
    }

    #[test]
    fn reads_one_based_with_average() {
        let i = read_fjsp(SMALL, "s").unwrap();
        assert_eq!(i.machines, 3);
        assert_eq!(i.num_jobs(), 2);
        assert_eq!(i.jobs[0][0].alternatives, vec![alt(0, 4), alt(2, 5)]);
        assert_eq!(i.jobs[0][1].alternatives, vec![alt(1, 6)]);
        assert_eq!(i.jobs[1][0].alternatives, vec![alt(1, 3), alt(2, 2)]);
        assert_eq!(i.num_alternatives(), 5);
    }

    #[test]
    fn reads_zero_based_and_comments() {
        let text = "# a comment\n\n2 3\n2 2 0 4 2 5 1 1 6\n\n1 2 1 3 2 2\n\n";
        let i = read_fjsp(text, "s").unwrap();
        assert_eq!(i, read_fjsp(SMALL, "s").unwrap());
        // Without machine 0 the numbers are 1-based.
        let i = read_fjsp("1 3\n1 1 2 7\n", "x").unwrap();
        assert_eq!(i.jobs[0][0].alternatives, vec![alt(1, 7)]);
        // A job with no operations.
        let i = read_fjsp("2 1\n0\n1 1 1 3\n", "x").unwrap();
        assert!(i.jobs[0].is_empty());
    }

    fn err(text: &str) -> ParseError {
        read_fjsp(text, "x").unwrap_err()
    }

    #[test]
    fn every_error_has_its_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 1, "parse.missing"),
            ("\n\n# only a comment\n", 4, "parse.missing"),
            ("2\n", 1, "parse.unexpected_token"),
            ("2 3 1 9\n", 1, "parse.unexpected_token"),
            ("0 3\n", 1, "parse.out_of_range"),
            ("2 -3\n", 1, "parse.out_of_range"),
            ("9999999999 3\n", 1, "parse.out_of_range"),
            ("2 9999999999\n", 1, "parse.out_of_range"),
            ("x 3\n", 1, "parse.invalid_number"),
            ("2 3 nan\n", 1, "parse.invalid_number"),
            ("2 3\n1 1 1 4\n", 2, "parse.unexpected_eof"),
            ("1 3\n\n2 1 1 4 1\n", 3, "parse.inconsistent"),
            ("1 3\n2 1 1 4\n", 2, "parse.inconsistent"),
            ("1 3\n1 0 1 4\n", 2, "parse.out_of_range"),
            ("1 3\n1 4 1 4 2 4 3 4 1 4\n", 2, "parse.out_of_range"),
            ("1 3\n1 1 4 4\n", 2, "parse.out_of_range"),
            ("1 3\n1 1 -1 4\n", 2, "parse.out_of_range"),
            ("1 3\n1 1 1 -4\n", 2, "parse.out_of_range"),
            ("1 3\n1 1 1 2000000000\n", 2, "parse.out_of_range"),
            ("1 3\n1 1 1 x\n", 2, "parse.invalid_number"),
            ("1 3\n1 2 1 4 1 5\n", 2, "parse.duplicate"),
            ("1 3\n1 1 1 4 7\n", 2, "parse.unexpected_token"),
            ("1 3\n1 1 1 4\n1 1 1 4\n", 3, "parse.unexpected_token"),
            ("2 3\n1 1 0 4\n1 1 3 4\n", 3, "parse.inconsistent"),
            ("1 3\n-1\n", 2, "parse.out_of_range"),
        ];
        for (text, line, code) in cases {
            let e = err(text);
            assert_eq!((e.line, e.code()), (*line, *code), "{text:?}: {e}");
            assert_eq!(e.format, Format::Fjsp);
        }
    }

    #[test]
    fn hostile_counts_are_refused_before_allocating() {
        let mut limits = ReadLimits::default();
        limits.set("max_operations", "3").unwrap();
        let e =
            read_fjsp_with_limits("2 3\n2 1 1 1 1 1 1\n2 1 1 1 1 1 1\n", "x", &limits).unwrap_err();
        assert_eq!((e.line, e.code()), (3, "parse.out_of_range"));
        // A declared count far beyond the line's numbers ends at the line's end.
        let e = err("1 3\n1000000 1 1 4\n");
        assert_eq!((e.line, e.code()), (2, "parse.inconsistent"));
        let e = err("1000000 3\n1 1 1 4\n");
        assert_eq!(e.code(), "parse.unexpected_eof");
    }

    #[test]
    fn detection_tells_fjsp_from_jssp() {
        assert!(looks_like_fjsp(SMALL));
        assert!(looks_like_fjsp("2 3\n2 2 1 4 3 5 1 2 6\n1 2 2 3 3 2\n"));
        // A job-shop row of 2m numbers, a Taillard row of m numbers.
        assert!(!looks_like_fjsp("2 2\n0 1 1 2\n1 1 0 2\n"));
        assert!(!looks_like_fjsp("2 3\n1 2 3\n4 5 6\n"));
        assert!(!looks_like_fjsp("NAME : x\n"));
        assert!(!looks_like_fjsp(""));
    }

    #[test]
    fn schedule_errors_have_lines() {
        let i = read_fjsp(SMALL, "s").unwrap();
        let ok = "# makespan 11\n2 3\n0 0 1 4\n2 0\n";
        let s = read_schedule(ok, &i).unwrap();
        assert_eq!(s.machine, vec![vec![0, 1], vec![2]]);
        assert_eq!(s.start, vec![vec![0, 4], vec![0]]);
        let cases: &[(&str, usize, &str)] = &[
            ("", 1, "parse.unexpected_eof"),
            ("2 3 4\n", 1, "parse.unexpected_token"),
            ("3 3\n", 1, "parse.inconsistent"),
            ("2 3\n0 0 1\n", 2, "parse.inconsistent"),
            ("2 3\n0 0 3 4\n2 0\n", 2, "parse.out_of_range"),
            ("2 3\n0 0 1 x\n2 0\n", 2, "parse.invalid_number"),
            ("2 3\n0 0 1 4\n", 2, "parse.unexpected_eof"),
            ("2 3\n0 0 1 4\n2 0\n1\n", 4, "parse.unexpected_token"),
        ];
        for (text, line, code) in cases {
            let e = read_schedule(text, &i).unwrap_err();
            assert_eq!((e.line, e.code()), (*line, *code), "{text:?}: {e}");
        }
    }
}

//! Writers for job-shop instances (OR-Library, Taillard) and quotient's schedule format.
//!
//! The formats are described in [`crate::jssp::read`]. Output re-reads to an equal model
//! whenever the instance is one the readers accept (every job has exactly `machines`
//! operations, machine indices `< machines`, durations in `0..=MAX_DURATION`).

use super::check::machine_sequences;
use super::model::{JsspInstance, JsspSolution};
use std::fmt::Write as _;

/// `# variant: NAME` and a newline for a blocking variant, nothing for the classic job shop
/// (so classic output is the standard format byte for byte).
fn variant_line(inst: &JsspInstance) -> String {
    if inst.variant.is_classic() {
        String::new()
    } else {
        format!("# variant: {}\n", inst.variant)
    }
}

/// The OR-Library standard specification: `n m`, then one line of `machine time` pairs per job.
pub fn write_orlib(inst: &JsspInstance) -> String {
    let mut s = variant_line(inst);
    let _ = writeln!(s, "{} {}", inst.num_jobs(), inst.machines);
    for job in &inst.jobs {
        let line: Vec<String> = job
            .iter()
            .map(|op| format!("{} {}", op.machine, op.duration))
            .collect();
        let _ = writeln!(s, "{}", line.join(" "));
    }
    s
}

/// Taillard's format: `n m`, a `Times` block (n rows of m processing times) and a `Machines`
/// block (n rows of m 1-based machine numbers).
///
/// The format needs every job to have exactly `machines` operations on machines
/// `0..machines`; for any other instance this returns [`write_orlib`]'s text instead
/// (which [`crate::jssp::read::read_jssp`] reads, but `read_taillard` does not).
pub fn write_taillard(inst: &JsspInstance) -> String {
    let m = inst.machines;
    let fits = inst
        .jobs
        .iter()
        .all(|job| job.len() == m && job.iter().all(|op| op.machine < m));
    if !fits {
        return write_orlib(inst);
    }
    let mut s = variant_line(inst);
    let _ = writeln!(s, "{} {}", inst.num_jobs(), m);
    s.push_str("Times\n");
    for job in &inst.jobs {
        let row: Vec<String> = job.iter().map(|op| op.duration.to_string()).collect();
        let _ = writeln!(s, "{}", row.join(" "));
    }
    s.push_str("Machines\n");
    for job in &inst.jobs {
        let row: Vec<String> = job.iter().map(|op| (op.machine + 1).to_string()).collect();
        let _ = writeln!(s, "{}", row.join(" "));
    }
    s
}

/// quotient's schedule format: a `# makespan` comment, `n m`, one line of start times per job,
/// then a `machine sequences` block (each machine's `job/op` in start order).
///
/// Rows of `sol.start` beyond the instance's jobs are not written; missing rows are written
/// empty (the reader then rejects the text, as the solution does not fit the instance).
pub fn write_schedule(inst: &JsspInstance, sol: &JsspSolution) -> String {
    let mut s = String::new();
    let makespan = inst
        .jobs
        .iter()
        .zip(&sol.start)
        .flat_map(|(job, st)| job.iter().zip(st))
        .map(|(op, &t)| t.saturating_add(op.duration))
        .max()
        .unwrap_or(0);
    let _ = writeln!(s, "# quotient JSSP schedule for {}", inst.name);
    let _ = writeln!(s, "# makespan {makespan}");
    let _ = writeln!(s, "{} {}", inst.num_jobs(), inst.machines);
    for j in 0..inst.num_jobs() {
        let row: Vec<String> = sol
            .start
            .get(j)
            .map(|r| r.iter().map(i64::to_string).collect())
            .unwrap_or_default();
        let _ = writeln!(s, "{}", row.join(" "));
    }
    s.push_str("machine sequences\n");
    for (i, seq) in machine_sequences(inst, sol).iter().enumerate() {
        let row: Vec<String> = seq.iter().map(|(j, k)| format!("{j}/{k}")).collect();
        if row.is_empty() {
            let _ = writeln!(s, "{i}:");
        } else {
            let _ = writeln!(s, "{i}: {}", row.join(" "));
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::jssp::model::Operation;
    use crate::jssp::read::{read_jssp, read_orlib, read_schedule, read_taillard};

    fn inst() -> JsspInstance {
        JsspInstance {
            name: "t".into(),
            machines: 3,
            jobs: vec![
                vec![
                    Operation {
                        machine: 1,
                        duration: 4,
                    },
                    Operation {
                        machine: 0,
                        duration: 0,
                    },
                    Operation {
                        machine: 2,
                        duration: 7,
                    },
                ],
                vec![
                    Operation {
                        machine: 2,
                        duration: 2,
                    },
                    Operation {
                        machine: 2,
                        duration: 5,
                    },
                    Operation {
                        machine: 1,
                        duration: 1,
                    },
                ],
            ],
            variant: Default::default(),
        }
    }

    #[test]
    fn round_trips() {
        let i = inst();
        assert_eq!(read_orlib(&write_orlib(&i), "t").unwrap(), i);
        assert_eq!(read_jssp(&write_orlib(&i), "t").unwrap(), i);
        let t = write_taillard(&i);
        assert!(t.contains("Times\n") && t.contains("Machines\n"));
        assert_eq!(read_taillard(&t, "t").unwrap(), i);
        assert_eq!(read_jssp(&t, "t").unwrap(), i);
        let sol = JsspSolution {
            start: vec![vec![0, 4, 9], vec![0, 2, 7]],
        };
        let text = write_schedule(&i, &sol);
        assert!(text.contains("# makespan 16"));
        assert_eq!(read_schedule(&text, &i).unwrap(), sol);
    }

    #[test]
    fn taillard_falls_back_for_short_jobs() {
        let mut i = inst();
        i.jobs[1].pop();
        assert_eq!(write_taillard(&i), write_orlib(&i));
    }
}

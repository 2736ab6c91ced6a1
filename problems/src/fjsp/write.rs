//! Writers for flexible job-shop instances (Brandimarte / Hurink text format) and quotient's
//! FJSP schedule format; both are described in [`crate::fjsp::read`].

use super::model::{FjspInstance, FjspSolution};
use std::fmt::Write as _;

/// The Brandimarte / Hurink text format with 1-based machines: `n m avg` (the average number
/// of eligible machines per operation, two decimals), then one line per job. Re-reads to an
/// equal model for every instance the reader accepts.
pub fn write_fjsp(inst: &FjspInstance) -> String {
    let mut s = String::new();
    let ops = inst.num_ops();
    let avg = if ops == 0 {
        0.0
    } else {
        inst.num_alternatives() as f64 / ops as f64
    };
    let _ = writeln!(s, "{} {} {avg:.2}", inst.num_jobs(), inst.machines);
    for job in &inst.jobs {
        let _ = write!(s, "{}", job.len());
        for op in job {
            let _ = write!(s, "  {}", op.alternatives.len());
            for a in &op.alternatives {
                let _ = write!(s, " {} {}", a.machine + 1, a.duration);
            }
        }
        s.push('\n');
    }
    s
}

/// quotient's FJSP schedule format: `#` comments with the instance name and makespan, `n m`,
/// then per job one line of `machine start` pairs (machines 0-based). Rows of the solution
/// beyond the instance's jobs are not written; missing entries leave a row short (the reader
/// then rejects the text, as the solution does not fit the instance).
pub fn write_schedule(inst: &FjspInstance, sol: &FjspSolution) -> String {
    let mut s = String::new();
    let makespan = inst
        .jobs
        .iter()
        .zip(sol.machine.iter().zip(&sol.start))
        .flat_map(|(job, (ms, st))| job.iter().zip(ms.iter().zip(st)))
        .map(|(op, (&m, &t))| t.saturating_add(op.duration_on(m).unwrap_or(0)))
        .max()
        .unwrap_or(0);
    let _ = writeln!(s, "# quotient FJSP schedule for {}", inst.name);
    let _ = writeln!(s, "# makespan {makespan}");
    let _ = writeln!(s, "{} {}", inst.num_jobs(), inst.machines);
    for j in 0..inst.num_jobs() {
        let ms = sol.machine.get(j).map(Vec::as_slice).unwrap_or(&[]);
        let st = sol.start.get(j).map(Vec::as_slice).unwrap_or(&[]);
        let row: Vec<String> = ms.iter().zip(st).map(|(m, t)| format!("{m} {t}")).collect();
        let _ = writeln!(s, "{}", row.join("  "));
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fjsp::read::{read_fjsp, read_schedule};

    #[test]
    fn instance_and_schedule_round_trip() {
        let text = "2 3\n2 2 0 4 2 5 1 1 6\n1 2 1 3 2 2\n";
        let i = read_fjsp(text, "s").unwrap();
        let w = write_fjsp(&i);
        assert!(w.starts_with("2 3 1.67\n"), "{w}");
        assert_eq!(read_fjsp(&w, "s").unwrap(), i);
        let sol = FjspSolution {
            machine: vec![vec![0, 1], vec![2]],
            start: vec![vec![0, 4], vec![0]],
        };
        let s = write_schedule(&i, &sol);
        assert!(s.contains("# makespan 10"), "{s}");
        assert_eq!(read_schedule(&s, &i).unwrap(), sol);
    }
}

//! Prometheus counters, written in the text exposition format by hand (no extra crate).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Upper bounds (seconds) of the solve-time histogram buckets.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0,
];

#[derive(Debug, Default)]
pub(crate) struct Metrics {
    inner: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    /// (method, route, status) -> count
    requests: BTreeMap<(String, String, u16), u64>,
    /// (kind, outcome) -> count
    solves: BTreeMap<(&'static str, &'static str), u64>,
    /// reason -> count
    rejected: BTreeMap<&'static str, u64>,
    solve_buckets: [u64; BUCKETS.len()],
    solve_count: u64,
    solve_sum: f64,
}

/// Gauges read at scrape time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gauges {
    pub running: usize,
    pub queued: usize,
    pub jobs_stored: usize,
    pub max_concurrent: usize,
    pub queue_capacity: usize,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Counters) -> R) -> R {
        f(&mut self.inner.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub(crate) fn request(&self, method: &str, route: &str, status: u16) {
        self.with(|c| {
            *c.requests
                .entry((method.to_string(), route.to_string(), status))
                .or_default() += 1;
        });
    }

    /// `kind`: `sync` or `job`; `outcome`: `ok`, `cancelled`, `failed`.
    pub(crate) fn solve(&self, kind: &'static str, outcome: &'static str) {
        self.with(|c| *c.solves.entry((kind, outcome)).or_default() += 1);
    }

    pub(crate) fn rejected(&self, reason: &'static str) {
        self.with(|c| *c.rejected.entry(reason).or_default() += 1);
    }

    pub(crate) fn solve_seconds(&self, d: Duration) {
        let s = d.as_secs_f64();
        self.with(|c| {
            for (b, le) in c.solve_buckets.iter_mut().zip(BUCKETS) {
                if s <= le {
                    *b += 1;
                }
            }
            c.solve_count += 1;
            c.solve_sum += s;
        });
    }

    /// The Prometheus text exposition.
    pub(crate) fn render(&self, g: Gauges) -> String {
        self.with(|c| {
            let mut out = String::new();
            let _ = render_into(&mut out, c, g);
            out
        })
    }
}

fn render_into(out: &mut String, c: &Counters, g: Gauges) -> std::fmt::Result {
    writeln!(
        out,
        "# HELP quotient_http_requests_total HTTP requests answered."
    )?;
    writeln!(out, "# TYPE quotient_http_requests_total counter")?;
    for ((method, route, status), n) in &c.requests {
        writeln!(
            out,
            "quotient_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
            escape(method),
            escape(route)
        )?;
    }
    writeln!(
        out,
        "# HELP quotient_solves_total Solves finished, by kind (sync, job) and outcome."
    )?;
    writeln!(out, "# TYPE quotient_solves_total counter")?;
    for ((kind, outcome), n) in &c.solves {
        writeln!(
            out,
            "quotient_solves_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {n}"
        )?;
    }
    writeln!(
        out,
        "# HELP quotient_rejected_total Solves refused (queue_full, shutting_down)."
    )?;
    writeln!(out, "# TYPE quotient_rejected_total counter")?;
    for (reason, n) in &c.rejected {
        writeln!(out, "quotient_rejected_total{{reason=\"{reason}\"}} {n}")?;
    }
    writeln!(
        out,
        "# HELP quotient_solve_seconds Wall time of solves on the pool."
    )?;
    writeln!(out, "# TYPE quotient_solve_seconds histogram")?;
    for (le, n) in BUCKETS.iter().zip(c.solve_buckets) {
        writeln!(out, "quotient_solve_seconds_bucket{{le=\"{le}\"}} {n}")?;
    }
    writeln!(
        out,
        "quotient_solve_seconds_bucket{{le=\"+Inf\"}} {}",
        c.solve_count
    )?;
    writeln!(out, "quotient_solve_seconds_sum {}", c.solve_sum)?;
    writeln!(out, "quotient_solve_seconds_count {}", c.solve_count)?;
    let gauges = [
        (
            "quotient_queue_depth",
            "Solves waiting for a slot.",
            g.queued,
        ),
        ("quotient_solves_running", "Solves running now.", g.running),
        (
            "quotient_jobs_stored",
            "Jobs in the job store.",
            g.jobs_stored,
        ),
        ("quotient_max_concurrent", "Solve slots.", g.max_concurrent),
        (
            "quotient_queue_capacity",
            "Solves that may wait beyond the slots.",
            g.queue_capacity,
        ),
    ];
    for (name, help, v) in gauges {
        writeln!(out, "# HELP {name} {help}")?;
        writeln!(out, "# TYPE {name} gauge")?;
        writeln!(out, "{name} {v}")?;
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative_and_labels_escaped() {
        let m = Metrics::default();
        m.solve_seconds(Duration::from_millis(20));
        m.solve_seconds(Duration::from_secs(2));
        m.request("GET", "/a\"b", 200);
        let g = Gauges {
            running: 1,
            queued: 2,
            jobs_stored: 3,
            max_concurrent: 4,
            queue_capacity: 5,
        };
        let text = m.render(g);
        assert!(text.contains("quotient_solve_seconds_bucket{le=\"0.05\"} 1"));
        assert!(text.contains("quotient_solve_seconds_bucket{le=\"5\"} 2"));
        assert!(text.contains("quotient_solve_seconds_count 2"));
        assert!(text.contains("route=\"/a\\\"b\""));
        assert!(text.contains("quotient_queue_depth 2"));
    }
}

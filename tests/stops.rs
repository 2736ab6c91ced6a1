//! Stops are prompt (issue 23): for every registered solver, a cancel (the flag that Ctrl-C, a
//! job cancel and a server shutdown set) and a time limit end `quotient::solve` within
//! [`STOP`] of the stop plus the independent checker's time, measured here by checking the
//! returned solution again. The CLI's Ctrl-C and `-t` paths are measured the same way on the
//! binary.
//!
//! Margins: [`STOP`] is the promise; [`SLACK`] is what a slow, shared 2-core CI machine adds
//! (scheduling of the solver's worker threads and the canceller under parallel load, a debug
//! build). The measured latencies are printed (`cargo test --test stops -- --nocapture`).
//! Neural solvers run when the ONNX Runtime is available and are skipped loudly otherwise.
#![allow(clippy::unwrap_used)]

use quotient::problems::any::{self, AnyInstance, Family};
use quotient::problems::{cvrp, fjsp, jssp, milp, tsp};
use quotient::solvers::engine::Status;
use quotient::{Options, Solver, registry, solve};
use std::io::Read;
use std::num::NonZeroUsize;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The promise: a solve returns within this long after a stop, plus the checker's time.
const STOP: Duration = Duration::from_millis(100);
/// What the slow shared CI machine may add (see the module documentation).
const SLACK: Duration = Duration::from_millis(150);
/// When the cancel flag is set, after the solve started.
const CANCEL_AFTER: Duration = Duration::from_millis(400);
/// The time limit of the time-limit case.
const LIMIT: Duration = Duration::from_millis(500);

/// The timing tests of this file run one at a time so that they do not load each other.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// The neural configuration a binary resolves in the repository (`ORT_DYLIB_PATH`, else the
/// `.venv` of `scripts/setup`).
fn configure_neural() {
    let config = quotient::neural::NeuralConfig::resolve(
        std::env::var_os("ORT_DYLIB_PATH")
            .filter(|v| !v.is_empty())
            .map(Into::into),
        std::env::var("QUOTIENT_ORT_PROVIDER").ok(),
        None,
        &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv")],
    );
    let _ = quotient::neural::init(config);
}

/// An instance of `solver`'s family big enough that the solver is still working when stopped
/// (constructions get instances that take them seconds).
fn big_instance(solver: &Solver) -> AnyInstance {
    let name = solver.info.name;
    match solver.info.family {
        Family::Tsp => AnyInstance::Tsp(match name {
            "tsp.nn" => tsp::generate::uniform(12_000, 1),
            "tsp.exact" => tsp::generate::uniform(700, 1),
            "tsp.bq" | "tsp.bq+ils" => tsp::generate::uniform(1_000, 1),
            _ => tsp::generate::uniform(4_000, 1),
        }),
        Family::Cvrp => AnyInstance::Cvrp(match name {
            "cvrp.savings" => cvrp::generate::uniform(8_000, 50, 1),
            _ => cvrp::generate::uniform(1_000, 50, 1),
        }),
        Family::Jssp => AnyInstance::Jssp(match name {
            "jssp.dispatch" => jssp::generate::random(600, 60, 1),
            // Blocking job shops (issue 25): the NEH and ECT rules take seconds on 300 x 20.
            "jssp.blocking-dispatch" => jssp::JsspInstance {
                variant: jssp::JsspVariant::Blocking,
                ..jssp::generate::random(300, 20, 1)
            },
            // About 0.8 s for the GNN's 100 job choices in a debug build: stopped while working.
            "jssp.blocking-gnn" => jssp::JsspInstance {
                variant: jssp::JsspVariant::Blocking,
                ..jssp::generate::random(100, 20, 1)
            },
            "jssp.blocking" => jssp::JsspInstance {
                variant: jssp::JsspVariant::Swap,
                ..jssp::generate::taillard(20, 20, 840_612_802, 1_314_640_371)
            },
            // 20x20 from Taillard's generator: the tabu search stays above its trivial bound.
            _ => jssp::generate::taillard(20, 20, 840_612_802, 1_314_640_371),
        }),
        Family::Fjsp => AnyInstance::Fjsp(match name {
            // About 0.2 s per rule in a debug build: the first rule ends before the stop.
            "fjsp.dispatch" => fjsp::generate::random(300, 40, 20, 0.5, 1),
            _ => fjsp::generate::random(30, 10, 0, 0.5, 1),
        }),
        Family::Milp => AnyInstance::Milp(milp::generate::combinatorial_auction(300, 1_500, 1)),
    }
}

/// One measured stop.
#[derive(Debug)]
struct Measured {
    /// From the stop (cancel flag set, or the deadline) to `solve` returning; zero when the
    /// solve ended on its own before the stop.
    latency: Duration,
    /// The independent checker's time on the returned solution.
    check: Duration,
    /// Whether the solver was still working at the stop.
    stopped: bool,
    status: Status,
    objective: Option<f64>,
}

impl Measured {
    fn line(&self, name: &str, how: &str) -> String {
        format!(
            "{name:14} {how:6} latency {:7.1} ms  checker {:6.1} ms  {}  status {} objective {:?}",
            self.latency.as_secs_f64() * 1e3,
            self.check.as_secs_f64() * 1e3,
            if self.stopped {
                "stopped while working"
            } else {
                "finished before the stop"
            },
            self.status.as_str(),
            self.objective,
        )
    }

    fn assert_prompt(&self, name: &str, how: &str) {
        let allowed = STOP + self.check + SLACK;
        assert!(
            self.latency <= allowed,
            "{name} ({how}): returned {:.1} ms after the stop, above {:.1} ms ({} ms + checker {:.1} ms + slack {} ms)",
            self.latency.as_secs_f64() * 1e3,
            allowed.as_secs_f64() * 1e3,
            STOP.as_millis(),
            self.check.as_secs_f64() * 1e3,
            SLACK.as_millis(),
        );
    }
}

fn options(solver: &str, time_limit: Duration, cancel: Arc<AtomicBool>) -> Options {
    Options {
        solver: solver.into(),
        time_limit: Some(time_limit),
        seed: 1,
        threads: NonZeroUsize::new(2),
        cancel,
        ..Options::default()
    }
}

/// The checker's time on the outcome's solution (zero without one).
fn checker_time(inst: &AnyInstance, outcome: &quotient::Outcome) -> Duration {
    outcome.solution.as_ref().map_or(Duration::ZERO, |sol| {
        let t = Instant::now();
        let rep = any::check(inst, sol);
        let d = t.elapsed();
        assert!(rep.feasible);
        d
    })
}

/// Solve with a long time limit and set the cancel flag from another thread after `after`.
fn cancel_after(inst: &AnyInstance, solver: &str, after: Duration) -> Measured {
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = options(solver, Duration::from_secs(60), cancel.clone());
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let canceller = std::thread::spawn(move || {
        // Wake early when the solve ended on its own.
        let _ = rx.recv_timeout(after);
        let at = Instant::now();
        cancel.store(true, Ordering::SeqCst);
        at
    });
    let outcome = solve(inst, &opts);
    let end = Instant::now();
    let _ = tx.send(());
    let at = canceller.join().unwrap();
    let outcome = outcome.unwrap_or_else(|e| panic!("{solver}: {e} [{}]", e.code()));
    Measured {
        latency: end.saturating_duration_since(at),
        check: checker_time(inst, &outcome),
        stopped: end > at,
        status: outcome.status,
        objective: outcome.objective,
    }
}

/// Solve with time limit `limit`.
fn time_limited(inst: &AnyInstance, solver: &str, limit: Duration) -> Measured {
    let opts = options(solver, limit, Arc::new(AtomicBool::new(false)));
    let start = Instant::now();
    let outcome = solve(inst, &opts);
    let elapsed = start.elapsed();
    let outcome = outcome.unwrap_or_else(|e| panic!("{solver}: {e} [{}]", e.code()));
    Measured {
        latency: elapsed.saturating_sub(limit),
        check: checker_time(inst, &outcome),
        stopped: elapsed >= limit,
        status: outcome.status,
        objective: outcome.objective,
    }
}

/// The solvers that can run here; the others are named on stderr.
fn runnable() -> Vec<&'static Solver> {
    configure_neural();
    registry()
        .filter(|s| match (s.available)() {
            Ok(()) => true,
            Err(e) => {
                eprintln!("SKIPPED: {}: {e} [{}]", s.info.name, e.code());
                false
            }
        })
        .collect()
}

#[test]
fn every_solver_returns_promptly_after_a_cancel() {
    let _serial = serial();
    let mut failures = Vec::new();
    for s in runnable() {
        let inst = big_instance(s);
        let m = cancel_after(&inst, s.info.name, CANCEL_AFTER);
        eprintln!("{}", m.line(s.info.name, "cancel"));
        if let Err(e) = std::panic::catch_unwind(|| m.assert_prompt(s.info.name, "cancel")) {
            failures.push(e);
        }
    }
    if let Some(e) = failures.into_iter().next() {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn every_solver_returns_promptly_at_its_time_limit() {
    let _serial = serial();
    let mut failures = Vec::new();
    for s in runnable() {
        let inst = big_instance(s);
        let m = time_limited(&inst, s.info.name, LIMIT);
        eprintln!("{}", m.line(s.info.name, "limit"));
        if let Err(e) = std::panic::catch_unwind(|| m.assert_prompt(s.info.name, "limit")) {
            failures.push(e);
        }
    }
    if let Some(e) = failures.into_iter().next() {
        std::panic::resume_unwind(e);
    }
}

/// `tsp.exact` on 1 000 nodes: a 2 s warm start, about a second building the model, then
/// HiGHS's presolve (seconds, deaf to the cancel flag); a cancel at 3.2 s lands in the model
/// build or the presolve, and the warm start's tour comes back at once either way.
#[test]
fn tsp_exact_returns_promptly_when_cancelled_in_highs_presolve() {
    let _serial = serial();
    let inst = AnyInstance::Tsp(tsp::generate::uniform(1_000, 2));
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = options("tsp.exact", Duration::from_secs(60), cancel.clone());
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(3_200));
        let at = Instant::now();
        cancel.store(true, Ordering::SeqCst);
        at
    });
    let outcome = solve(&inst, &opts).unwrap();
    let end = Instant::now();
    let at = canceller.join().unwrap();
    let m = Measured {
        latency: end.saturating_duration_since(at),
        check: checker_time(&inst, &outcome),
        stopped: end > at,
        status: outcome.status,
        objective: outcome.objective,
    };
    eprintln!("{} ({:?})", m.line("tsp.exact", "cancel"), outcome.message);
    assert!(m.stopped, "tsp.exact finished before the cancel");
    m.assert_prompt("tsp.exact", "cancel in presolve");
}

/// `milp.highs` and `milp.alns` on a 1 000-item, 6 000-bid auction, cancelled at several
/// moments of HiGHS's run (presolve, the root, the tree: phases that often do not poll the
/// interrupt callbacks for a second or more): each returns within the promise, with the last
/// incumbent HiGHS reported when it had one, and that solution passes the checker.
#[test]
fn milp_solvers_return_promptly_when_cancelled_inside_highs() {
    let _serial = serial();
    let inst = AnyInstance::Milp(milp::generate::combinatorial_auction(1_000, 6_000, 1));
    for solver in ["milp.highs", "milp.alns"] {
        for after_ms in [300, 1_000, 2_000] {
            let m = cancel_after(&inst, solver, Duration::from_millis(after_ms));
            eprintln!("{} (cancel at {after_ms} ms)", m.line(solver, "cancel"));
            if m.stopped {
                m.assert_prompt(solver, &format!("cancel at {after_ms} ms"));
            }
        }
    }
}

/// `quotient gen tsp -n N` into `dir`.
fn generated_tsp(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let path = dir.join(format!("uniform-n{n}.tsp"));
    let o = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["gen", "tsp", "-n", &n.to_string(), "--seed", "3", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    path
}

/// The checker's time on the tour of a `solve --json` object.
fn tour_check_time(inst: &std::path::Path, v: &serde_json::Value) -> Duration {
    let bytes = std::fs::read(inst).unwrap();
    let inst = any::read_instance(&bytes, "x.tsp", None).unwrap();
    let sol = any::solution_from_json(&v["solution"], &inst).unwrap();
    let t = Instant::now();
    let rep = any::check(&inst, &sol);
    let d = t.elapsed();
    assert!(rep.feasible);
    assert_eq!(v["objective"].as_f64(), Some(rep.objective));
    d
}

/// One `quotient solve` on `file` interrupted after 1.5 s: the exit latency after SIGINT and
/// the checker's time on the printed tour, after asserting what the CLI documents (exit 0,
/// the best tour printed and written).
fn interrupted_cli_solve(dir: &std::path::Path, file: &std::path::Path) -> (Duration, Duration) {
    let out = dir.join("best.tour");
    let _ = std::fs::remove_file(&out);
    let mut child = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args([
            "solve", "-t", "30", "--solver", "tsp.ils", "--json", "--out",
        ])
        .arg(&out)
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1_500));
    let at = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let latency = at.elapsed();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    // Exit 0 with the best tour so far (README: Ctrl-C keeps the best solution).
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["status"], "feasible", "{v}");
    assert_eq!(v["solution"]["tour"].as_array().map(Vec::len), Some(4_000));
    assert!(out.exists(), "the best tour was not written");
    let check = tour_check_time(file, &v);
    eprintln!(
        "cli ctrl-c: exit {:.1} ms after SIGINT, checker {:.1} ms, elapsed_ms {}",
        latency.as_secs_f64() * 1e3,
        check.as_secs_f64() * 1e3,
        v["elapsed_ms"]
    );
    (latency, check)
}

/// A process on a shared 2-core machine can be descheduled for a few hundred ms (one run in
/// ten under a load average of 7: 461 ms): the promise must hold in one of two tries.
#[test]
fn ctrl_c_on_the_cli_keeps_the_best_tour_and_exits_promptly() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = generated_tsp(dir.path(), 4_000);
    let mut tries = Vec::new();
    for _ in 0..2 {
        let (latency, check) = interrupted_cli_solve(dir.path(), &file);
        // Writing the JSON and the tour file is part of the CLI's work after the stop.
        let allowed = STOP + check + SLACK + Duration::from_millis(100);
        if latency <= allowed {
            return;
        }
        tries.push((latency, allowed));
    }
    panic!("quotient solve exited late after SIGINT in both tries (latency, allowed): {tries:?}");
}

#[test]
fn the_cli_time_limit_is_kept() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let file = generated_tsp(dir.path(), 4_000);
    let start = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["solve", "-t", "1", "--solver", "tsp.ils", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    let wall = start.elapsed();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "feasible", "{v}");
    let check = tour_check_time(&file, &v);
    eprintln!(
        "cli -t 1: wall {:.1} ms, elapsed_ms {}, checker {:.1} ms",
        wall.as_secs_f64() * 1e3,
        v["elapsed_ms"],
        check.as_secs_f64() * 1e3
    );
    // The solve itself (`elapsed_ms`, from the options to the solver's return) keeps the
    // limit; the process adds start-up, reading 4 000 nodes, the check and printing.
    let elapsed = Duration::from_millis(v["elapsed_ms"].as_u64().unwrap());
    assert!(
        elapsed <= Duration::from_secs(1) + STOP + SLACK,
        "elapsed_ms {elapsed:?}"
    );
    let allowed = Duration::from_secs(1) + STOP + check + SLACK + Duration::from_millis(300);
    assert!(
        wall <= allowed,
        "quotient solve -t 1 took {:.1} ms, above {:.1} ms",
        wall.as_secs_f64() * 1e3,
        allowed.as_secs_f64() * 1e3
    );
}

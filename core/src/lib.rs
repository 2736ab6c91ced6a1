//! quotient-core: the library facade that the CLI, the REST service and library users share.
//! It is re-exported whole as the `quotient` crate; use it under that name.
//!
//! The entry point is [`solve`]: give it an instance of any family and [`Options`], get an
//! [`Outcome`] whose solution has passed the family's independent checker.

pub use quotient_neural as neural;
pub use quotient_problems as problems;
pub use quotient_solvers as solvers;

mod options;
mod response;
mod router;

pub use options::{Limits, OptionsInput, time_limit_from_secs};
pub use response::SolveResponse;
pub use router::{available_solvers, choose_solver, find_solver, registry, runs_until_time_limit};
pub use solvers::registry::{ParamSpec, Solver, SolverInfo, SolverKind};

use problems::any::{self, AnyInstance, AnySolution, AnyViolation, Family};
use problems::check::Violation;
use serde_json::{Value, json};
use solvers::engine::{Budget, NoObserver, Observer, Status};
use solvers::registry::RunContext;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Largest time limit quotient accepts (one week), so absurd options are rejected clearly.
pub const MAX_TIME_LIMIT_SECS: f64 = 7.0 * 24.0 * 3600.0;

/// Most worker threads a solve may ask for.
pub const MAX_THREADS: usize = 1024;

/// Time limit of the improvement heuristics (`tsp.ils`, `cvrp.sisr`, `jssp.tabu`) when none is given.
pub const DEFAULT_TIME_LIMIT_SECS: f64 = 10.0;

/// How to solve.
#[derive(Debug, Clone)]
pub struct Options {
    /// A solver name (`family.method`, see `quotient solvers`) or `auto`.
    pub solver: String,
    /// Wall-clock limit; `None` lets the solver decide: constructions and exact solvers finish
    /// on their own, improvement heuristics stop after [`DEFAULT_TIME_LIMIT_SECS`].
    pub time_limit: Option<Duration>,
    pub seed: u64,
    /// Worker threads (`None`: all cores; at most [`MAX_THREADS`]).
    pub threads: Option<NonZeroUsize>,
    /// A warm start.
    pub initial: Option<AnySolution>,
    /// The solver's own parameters, `(name, value)` as given (`--param name=value` on the
    /// CLI, `"params"` in JSON), checked against the chosen solver's [`ParamSpec`]s (see
    /// `quotient solvers`): an unknown, repeated, malformed or out-of-range one is
    /// [`SolveError::InvalidOption`].
    pub params: Vec<(String, String)>,
    /// Set to `true` from outside (Ctrl-C, job cancel) to stop and get the best so far.
    pub cancel: Arc<AtomicBool>,
    /// Where a divide-and-conquer solver may hand sub-problems to other workers (set by the
    /// job service's worker on a durable store); `None`: all on this process.
    pub farm: Option<Arc<dyn solvers::farm::Farm>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            solver: "auto".into(),
            time_limit: None,
            seed: 1,
            threads: None,
            initial: None,
            params: Vec::new(),
            cancel: Arc::new(AtomicBool::new(false)),
            farm: None,
        }
    }
}

impl Options {
    /// The worker threads a solve runs with: [`Options::threads`], or all cores.
    pub fn thread_count(&self) -> usize {
        self.threads
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get)
    }

    /// Run with at most `max` worker threads (at least one).
    pub fn cap_threads(&mut self, max: usize) {
        let capped = self.thread_count().min(max.max(1));
        self.threads = NonZeroUsize::new(capped);
    }
}

/// Why a solve could not be carried out (as opposed to an `infeasible` or `unknown` outcome).
#[derive(Debug, Clone, thiserror::Error)]
pub enum SolveError {
    #[error("unknown solver `{name}` (see `quotient solvers`)")]
    UnknownSolver { name: String },
    #[error("solver `{solver}` is for {solver_family} instances, not {family}")]
    WrongFamily {
        solver: String,
        solver_family: Family,
        family: Family,
    },
    #[error("invalid option {option}: {reason}")]
    InvalidOption {
        option: &'static str,
        reason: String,
    },
    #[error("the warm start does not fit the instance: {reason}")]
    BadInitial { reason: String },
    #[error(
        "solver `{solver}` returned a solution the independent checker rejects: {}",
        summarize(violations)
    )]
    CheckFailed {
        solver: String,
        violations: Vec<AnyViolation>,
    },
    #[error("solver `{solver}` failed: {reason}")]
    SolverPanicked { solver: String, reason: String },
    #[error("solver `{solver}` is not available here: {reason} [{code}]")]
    SolverUnavailable {
        solver: String,
        reason: String,
        /// The neural crate's error code (`neural.runtime_missing`, `neural.model_missing`, ...).
        code: &'static str,
    },
    #[error("solver `{solver}` cannot solve this instance: {reason}")]
    Unsupported { solver: String, reason: String },
}

impl SolveError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SolveError::UnknownSolver { .. } => "solve.unknown_solver",
            SolveError::WrongFamily { .. } => "solve.wrong_family",
            SolveError::InvalidOption { .. } => "solve.invalid_option",
            SolveError::BadInitial { .. } => "solve.bad_initial",
            SolveError::CheckFailed { .. } => "solve.check_failed",
            SolveError::SolverPanicked { .. } => "solve.solver_failed",
            SolveError::SolverUnavailable { .. } => "solve.solver_unavailable",
            SolveError::Unsupported { .. } => "solve.unsupported",
        }
    }

    /// Structured detail for an error response (`null` when the message says it all):
    /// `solve.check_failed` carries `{"solver", "violations": [{"kind", ...}, ...]}`.
    pub fn detail(&self) -> Value {
        match self {
            SolveError::CheckFailed { solver, violations } => {
                json!({ "solver": solver, "violations": violations })
            }
            _ => Value::Null,
        }
    }
}

/// What a solve produced. The objective is the checker's recomputation, never the solver's claim.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub instance: String,
    pub family: Family,
    pub solver: String,
    pub status: Status,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub elapsed: Duration,
    pub solution: Option<AnySolution>,
    pub message: Option<String>,
}

impl Outcome {
    /// The answer's one shape: what `quotient solve --json` prints and `POST /v1/solve`
    /// returns.
    pub fn response(&self, inst: &AnyInstance) -> SolveResponse {
        SolveResponse {
            instance: self.instance.clone(),
            family: self.family.to_string(),
            solver: self.solver.clone(),
            status: self.status.as_str().to_string(),
            objective: self.objective,
            bound: self.bound,
            elapsed_ms: u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            solution: self
                .solution
                .as_ref()
                .map_or(Value::Null, |s| any::solution_to_json(inst, s)),
            message: self.message.clone(),
        }
    }

    /// [`Outcome::response`] as a JSON value (the `quotient solve --json` object).
    pub fn to_json(&self, inst: &AnyInstance) -> Value {
        serde_json::to_value(self.response(inst)).unwrap_or(Value::Null)
    }
}

/// Solve `instance` with `options`. See [`solve_observed`] to follow the incumbents.
///
/// This is the function behind `quotient solve`, `quotient batch` and the REST service's
/// `POST /v1/solve` and `POST /v1/jobs`. It validates the options, picks the solver (`auto` by
/// family and size, or the one named in [`Options::solver`]), runs it within the time limit and
/// the cancel flag, catches a panicking solver ([`SolveError::SolverPanicked`]) and checks the
/// solution with the family's independent checker: the reported objective is the checker's.
///
/// # Errors
/// [`SolveError`] when the solve cannot be carried out (unknown solver, wrong family, invalid
/// option, a warm start that does not fit, a solver failure). An infeasible instance or a time
/// limit without any solution is not an error: see [`Outcome::status`].
///
/// # Example
/// ```
/// # use quotient_core as quotient; // the `quotient` crate re-exports this one whole
/// use quotient::problems::any::{InputFormat, read_instance_text};
/// use quotient::solvers::engine::Status;
/// use quotient::{Options, solve};
/// use std::time::Duration;
///
/// // A 4-city TSPLIB instance: the square's perimeter is the optimal tour.
/// let text = "NAME: square\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
///             NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";
/// let instance = read_instance_text(text, InputFormat::Tsplib, "square")?;
/// let options = Options {
///     solver: "tsp.ils".into(),
///     time_limit: Some(Duration::from_millis(200)),
///     threads: std::num::NonZeroUsize::new(1),
///     ..Options::default()
/// };
/// let outcome = solve(&instance, &options)?;
/// assert_eq!(outcome.solver, "tsp.ils");
/// assert_eq!(outcome.objective, Some(40.0));
/// assert!(matches!(outcome.status, Status::Feasible | Status::Optimal));
/// // The same JSON object that `quotient solve --json` prints:
/// let json = outcome.to_json(&instance);
/// assert_eq!(json["solution"]["tour"].as_array().map(Vec::len), Some(4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn solve(instance: &AnyInstance, options: &Options) -> Result<Outcome, SolveError> {
    solve_observed(instance, options, &NoObserver)
}

/// Solve and report every new best to `observer`.
pub fn solve_observed(
    instance: &AnyInstance,
    options: &Options,
    observer: &dyn Observer,
) -> Result<Outcome, SolveError> {
    let start = Instant::now();
    if let Some(t) = options.time_limit
        && t.as_secs_f64() > MAX_TIME_LIMIT_SECS
    {
        return Err(SolveError::InvalidOption {
            option: "time_limit",
            reason: format!(
                "{} s is above the maximum {MAX_TIME_LIMIT_SECS} s",
                t.as_secs_f64()
            ),
        });
    }
    if let Some(t) = options.threads
        && t.get() > MAX_THREADS
    {
        return Err(SolveError::InvalidOption {
            option: "threads",
            reason: format!("{t} is above {MAX_THREADS}"),
        });
    }
    let solver = choose_solver(instance, &options.solver)?;
    let params =
        solver
            .info
            .parse_params(&options.params)
            .map_err(|e| SolveError::InvalidOption {
                option: "params",
                reason: e.to_string(),
            })?;
    if let Some(init) = &options.initial {
        let rep = any::check(instance, init);
        if any::solution_family(init) != instance.family()
            || rep.typed.iter().any(Violation::is_structural)
        {
            return Err(SolveError::BadInitial {
                reason: summarize(&rep.typed),
            });
        }
    }
    let time_limit = options.time_limit.or_else(|| {
        solver
            .info
            .runs_until_time_limit
            .then_some(Duration::from_secs_f64(DEFAULT_TIME_LIMIT_SECS))
    });
    let budget = Budget::new(time_limit).with_cancel(options.cancel.clone());
    let cx = RunContext {
        instance,
        budget: &budget,
        observer,
        seed: options.seed,
        threads: options.thread_count(),
        initial: options.initial.as_ref(),
        params: &params,
        farm: options.farm.as_deref(),
    };
    let name = solver.info.name;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| router::run(solver, &cx)));
    let result = run.map_err(|p| SolveError::SolverPanicked {
        solver: name.to_string(),
        reason: panic_text(&p),
    })??;
    let mut outcome = Outcome {
        instance: instance.name().to_string(),
        family: instance.family(),
        solver: name.to_string(),
        status: result.status,
        objective: None,
        bound: result.bound,
        elapsed: start.elapsed(),
        solution: None,
        message: result.message,
    };
    let status = result.status;
    if let Some(sol) = result.solution {
        let rep = any::check(instance, &sol);
        if !rep.feasible {
            return Err(SolveError::CheckFailed {
                solver: name.to_string(),
                violations: rep.typed,
            });
        }
        outcome.objective = Some(rep.objective);
        outcome.solution = Some(sol);
    } else if matches!(status, Status::Optimal | Status::Feasible) {
        outcome.status = Status::Unknown;
    }
    Ok(outcome)
}

/// The first five violations as JSON objects, and how many more there are.
fn summarize(violations: &[AnyViolation]) -> String {
    let shown: Vec<String> = violations.iter().take(5).map(|v| v.to_string()).collect();
    let more = violations.len().saturating_sub(5);
    if more > 0 {
        format!("{} (and {more} more)", shown.join("; "))
    } else {
        shown.join("; ")
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use problems::jssp::check::JsspViolation;

    #[test]
    fn check_failed_carries_the_structured_violations_in_its_detail() {
        let v = AnyViolation::Jssp(JsspViolation::Precedence {
            job: 1,
            op: 2,
            start: 3,
            earliest: 5,
            by: 2,
        });
        let e = SolveError::CheckFailed {
            solver: "jssp.tabu".into(),
            violations: vec![v.clone(); 7],
        };
        assert_eq!(e.code(), "solve.check_failed");
        let detail = e.detail();
        assert_eq!(detail["solver"], "jssp.tabu");
        assert_eq!(detail["violations"].as_array().map(Vec::len), Some(7));
        assert_eq!(detail["violations"][0]["kind"], "precedence");
        assert_eq!(detail["violations"][0]["earliest"], 5);
        // The message shows the first five and counts the rest.
        let msg = e.to_string();
        assert!(
            msg.contains(&v.to_string()) && msg.ends_with("(and 2 more)"),
            "{msg}"
        );
        assert_eq!(
            SolveError::UnknownSolver { name: "x".into() }.detail(),
            Value::Null
        );
    }
    #[test]
    fn solver_params_are_checked_against_the_chosen_solver() {
        use problems::any::{InputFormat, read_instance_text};
        let text = "NAME: square\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
                    NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";
        let inst = read_instance_text(text, InputFormat::Tsplib, "square").unwrap();
        let with = |solver: &str, params: &[(&str, &str)]| Options {
            solver: solver.into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Options::default()
        };
        let reason = |o: Options| match solve(&inst, &o) {
            Err(SolveError::InvalidOption { option, reason }) => {
                assert_eq!(option, "params");
                reason
            }
            other => panic!("{other:?}"),
        };
        // (A neural solver missing its runtime is refused before its parameters are read, so
        // the checks run on a classical solver; the messages come from SolverInfo::parse_params.)
        let r = reason(with("tsp.nn", &[("beam", "2")]));
        assert!(
            r.contains("solver `tsp.nn` has no parameter `beam` (it takes none)"),
            "{r}"
        );
        let o = solve(&inst, &with("tsp.nn", &[])).unwrap();
        assert_eq!(o.objective, Some(40.0));
    }
}

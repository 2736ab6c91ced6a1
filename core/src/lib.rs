//! quotient-core: the library facade that the CLI, the REST service and library users share.
//! It is re-exported whole as the `quotient` crate; use it under that name.
//!
//! The entry point is [`solve`]: give it an instance of any family and [`Options`], get an
//! [`Outcome`] whose solution has passed the family's independent checker.

pub use quotient_neural as neural;
pub use quotient_problems as problems;
pub use quotient_solvers as solvers;

mod router;

pub use router::{SolverChoice, available_solvers, choose_solver, runs_until_time_limit};

use problems::any::{self, AnyInstance, AnySolution, AnyViolation, Family};
use problems::check::Violation;
use serde_json::{Value, json};
use solvers::engine::{Budget, NoObserver, Observer, SolveResult, Status};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Largest time limit quotient accepts (one week), so absurd options are rejected clearly.
pub const MAX_TIME_LIMIT_SECS: f64 = 7.0 * 24.0 * 3600.0;

/// Largest beam width of neural decoding.
pub const MAX_BEAM: usize = quotient_neural::solvers::BEAM.max as usize;

/// Most tours sampled from a neural policy.
pub const MAX_SAMPLES: usize = quotient_neural::solvers::SAMPLES.max as usize;

/// Most improvement steps of a step-counted policy (`jssp.l2s --steps`).
pub const MAX_STEPS: u64 = quotient_neural::solvers::STEPS.max;

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
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// A warm start.
    pub initial: Option<AnySolution>,
    /// Beam width of the neural policies' decoding (0 or 1: greedy).
    pub beam: usize,
    /// Tours sampled from a neural policy instead of greedy/beam decoding (0: none).
    pub samples: usize,
    /// Improvement steps of a step-counted neural solver (`jssp.l2s`; `None`: its default).
    pub steps: Option<u64>,
    /// The solver's own parameters, `(name, value)` as given (`--param name=value` on the
    /// CLI), checked against the chosen solver's parameters (see `quotient solvers --json`).
    /// `beam`, `samples` and `steps` given here take precedence over the fields above.
    pub params: Vec<(String, String)>,
    /// Set to `true` from outside (Ctrl-C, job cancel) to stop and get the best so far.
    pub cancel: Arc<AtomicBool>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            solver: "auto".into(),
            time_limit: None,
            seed: 1,
            threads: 0,
            initial: None,
            beam: 0,
            samples: 0,
            steps: None,
            params: Vec::new(),
            cancel: Arc::new(AtomicBool::new(false)),
        }
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
    /// The `quotient solve --json` object.
    pub fn to_json(&self, inst: &AnyInstance) -> Value {
        let mut v = json!({
            "instance": self.instance,
            "family": self.family,
            "solver": self.solver,
            "status": self.status.as_str(),
            "objective": self.objective,
            "bound": self.bound,
            "elapsed_ms": self.elapsed.as_millis() as u64,
            "solution": self.solution.as_ref().map(|s| any::solution_to_json(inst, s)),
        });
        if let (Some(msg), Some(obj)) = (&self.message, v.as_object_mut()) {
            obj.insert("message".into(), json!(msg));
        }
        v
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
///     threads: 1,
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
    if options.threads > 1024 {
        return Err(SolveError::InvalidOption {
            option: "threads",
            reason: format!("{} is above 1024", options.threads),
        });
    }
    if options.beam > MAX_BEAM {
        return Err(SolveError::InvalidOption {
            option: "beam",
            reason: format!("{} is above {MAX_BEAM}", options.beam),
        });
    }
    if options.samples > MAX_SAMPLES {
        return Err(SolveError::InvalidOption {
            option: "samples",
            reason: format!("{} is above {MAX_SAMPLES}", options.samples),
        });
    }
    if let Some(steps) = options.steps
        && !(1..=MAX_STEPS).contains(&steps)
    {
        return Err(SolveError::InvalidOption {
            option: "steps",
            reason: format!("{steps} is outside 1..={MAX_STEPS}"),
        });
    }
    let choice = choose_solver(instance, &options.solver)?;
    let knobs = solver_params(&choice, options)?;
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
        runs_until_time_limit(choice.name)
            .then_some(Duration::from_secs_f64(DEFAULT_TIME_LIMIT_SECS))
    });
    let budget = Budget::new(time_limit).with_cancel(options.cancel.clone());
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        router::run(
            &choice, instance, &budget, observer, options, &knobs, threads,
        )
    }));
    let result = run.map_err(|p| SolveError::SolverPanicked {
        solver: choice.name.to_string(),
        reason: panic_text(&p),
    })??;
    let (status, solution, bound, message) = result;
    let mut outcome = Outcome {
        instance: instance.name().to_string(),
        family: instance.family(),
        solver: choice.name.to_string(),
        status,
        objective: None,
        bound,
        elapsed: start.elapsed(),
        solution: None,
        message,
    };
    if let Some(sol) = solution {
        let rep = any::check(instance, &sol);
        if !rep.feasible {
            return Err(SolveError::CheckFailed {
                solver: choice.name.to_string(),
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

/// The values of the solver-specific settings a solve runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Knobs {
    pub beam: usize,
    pub samples: usize,
    pub steps: Option<u64>,
}

/// Check `options.params` against the chosen solver's parameters (known name, given once,
/// value in range) and merge them with the older fields `beam`, `samples`, `steps`.
fn solver_params(choice: &SolverChoice, options: &Options) -> Result<Knobs, SolveError> {
    let mut knobs = Knobs {
        beam: options.beam,
        samples: options.samples,
        steps: options.steps,
    };
    let specs = router::info(choice.name).map_or(&[][..], |i| i.params);
    for (i, (name, value)) in options.params.iter().enumerate() {
        let invalid = |reason: String| SolveError::InvalidOption {
            option: "params",
            reason,
        };
        let Some(spec) = specs.iter().find(|s| s.name == name) else {
            let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
            return Err(invalid(format!(
                "solver `{}` has no parameter `{name}` ({})",
                choice.name,
                if known.is_empty() {
                    "it takes none".to_string()
                } else {
                    format!("it takes {}", known.join(", "))
                }
            )));
        };
        if options.params[..i].iter().any(|(n, _)| n == name) {
            return Err(invalid(format!("`{name}` is given twice")));
        }
        let v = spec.parse(value).map_err(invalid)?;
        match spec.name {
            "beam" => knobs.beam = v as usize,
            "samples" => knobs.samples = v as usize,
            "steps" => knobs.steps = Some(v),
            other => {
                return Err(invalid(format!(
                    "parameter `{other}` of `{}` is not wired to the solver",
                    choice.name
                )));
            }
        }
    }
    Ok(knobs)
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

pub(crate) type RunResult = (Status, Option<AnySolution>, Option<f64>, Option<String>);

pub(crate) fn lift<S>(r: SolveResult<S>, wrap: fn(S) -> AnySolution) -> RunResult {
    (r.status, r.solution.map(wrap), r.bound, r.message)
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
    fn solver_params_are_checked_against_the_solver_and_override_the_old_fields() {
        let l2s = SolverChoice {
            name: "jssp.l2s",
            family: Family::Jssp,
        };
        let with = |params: &[(&str, &str)]| Options {
            steps: Some(7),
            beam: 3,
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Options::default()
        };
        let k = solver_params(&l2s, &with(&[])).unwrap();
        assert_eq!((k.beam, k.samples, k.steps), (3, 0, Some(7)));
        let k = solver_params(&l2s, &with(&[("steps", "300")])).unwrap();
        assert_eq!(k.steps, Some(300));
        let reason = |params: &[(&str, &str)]| match solver_params(&l2s, &with(params)) {
            Err(SolveError::InvalidOption { option, reason }) => {
                assert_eq!(option, "params");
                reason
            }
            other => panic!("{other:?}"),
        };
        assert!(reason(&[("beam", "2")]).contains("has no parameter `beam` (it takes steps)"));
        assert!(reason(&[("steps", "0")]).contains("outside 1..=100000000"));
        assert!(reason(&[("steps", "x")]).contains("not a non-negative integer"));
        assert!(reason(&[("steps", "5"), ("steps", "6")]).contains("given twice"));
        let nn = SolverChoice {
            name: "tsp.nn",
            family: Family::Tsp,
        };
        assert!(matches!(
            solver_params(&nn, &with(&[("beam", "2")])),
            Err(SolveError::InvalidOption { .. })
        ));
    }
}

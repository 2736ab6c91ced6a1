//! The router: which solver runs an instance. `auto` picks by family (and later by size, time
//! budget and the models present); every choice is visible in the outcome's `solver` field.

use crate::{Knobs, Options, RunResult, SolveError, lift};
use quotient_neural::NeuralError;
use quotient_neural::solvers::{self as neural, BqOptions, NEURAL};
use quotient_problems::any::{AnyInstance, AnySolution, Family};
use quotient_solvers::engine::{Budget, Observer};
use quotient_solvers::registry::{self, SolverInfo};
use quotient_solvers::{cvrp, jssp, milp, tsp};

/// A resolved solver.
#[derive(Debug, Clone, Copy)]
pub struct SolverChoice {
    pub name: &'static str,
    pub family: Family,
}

/// Every solver with its availability on this machine: classical ones always; a neural one
/// when the ONNX Runtime library loads and its model is present with the registry's sha256
/// (otherwise the reason).
pub fn available_solvers() -> Vec<(SolverInfo, Result<(), String>)> {
    let mut all: Vec<(SolverInfo, Result<(), String>)> = registry::CLASSICAL
        .iter()
        .map(|s| (s.clone(), Ok(())))
        .collect();
    for (info, models) in NEURAL {
        let ok = neural::all_available(models)
            .map(|_| ())
            .map_err(|e| format!("{e} [{}]", e.code()));
        all.push((info.clone(), ok));
    }
    all
}

/// Every solver's info, classical ones first.
fn all_infos() -> impl Iterator<Item = &'static SolverInfo> {
    registry::CLASSICAL
        .iter()
        .chain(NEURAL.iter().map(|(s, _)| s))
}

/// The info of solver `name`.
pub(crate) fn info(name: &str) -> Option<&'static SolverInfo> {
    all_infos().find(|s| s.name == name)
}

/// Whether solver `name` improves until its time limit (it gets a default limit when none is
/// given).
pub fn runs_until_time_limit(name: &str) -> bool {
    all_infos().any(|s| s.name == name && s.runs_until_time_limit)
}

/// Resolve `requested` (a name or `auto`) for `instance`.
pub fn choose_solver(instance: &AnyInstance, requested: &str) -> Result<SolverChoice, SolveError> {
    let family = instance.family();
    let name = if requested.is_empty() || requested.eq_ignore_ascii_case("auto") {
        registry::default_for(family, instance.size())
    } else {
        let neural_model = NEURAL
            .iter()
            .find(|(s, _)| s.name.eq_ignore_ascii_case(requested));
        let info = registry::CLASSICAL
            .iter()
            .chain(neural_model.map(|(s, _)| s))
            .find(|s| s.name.eq_ignore_ascii_case(requested))
            .ok_or_else(|| SolveError::UnknownSolver {
                name: requested.into(),
            })?;
        if info.family != family {
            return Err(SolveError::WrongFamily {
                solver: info.name.into(),
                solver_family: info.family,
                family,
            });
        }
        if let Some((_, model)) = neural_model
            && let Err(e) = neural::all_available(model)
        {
            return Err(neural_error(info.name, e));
        }
        info.name
    };
    Ok(SolverChoice { name, family })
}

/// A neural solver's failure as a solve error: the instance is outside what the policy handles,
/// or the runtime / model is not usable here.
fn neural_error(solver: &str, e: NeuralError) -> SolveError {
    match e {
        NeuralError::Unsupported(reason) => SolveError::Unsupported {
            solver: solver.into(),
            reason,
        },
        e => SolveError::SolverUnavailable {
            solver: solver.into(),
            reason: e.to_string(),
            code: e.code(),
        },
    }
}

pub(crate) fn run(
    choice: &SolverChoice,
    instance: &AnyInstance,
    budget: &Budget,
    observer: &dyn Observer,
    options: &Options,
    knobs: &Knobs,
    threads: usize,
) -> Result<RunResult, SolveError> {
    let neural_err = |e: NeuralError| neural_error(choice.name, e);
    // The warm start, for the solvers of its family.
    let initial = options.initial.as_ref();
    let bq = BqOptions {
        beam: knobs.beam,
        samples: knobs.samples,
        seed: options.seed,
        threads,
        steps: knobs.steps,
        initial: initial.and_then(AnySolution::as_jssp).cloned(),
        policy_rate: None,
    };
    let improve = runs_until_time_limit(choice.name);
    Ok(match (choice.name, instance) {
        ("tsp.nn", AnyInstance::Tsp(i)) => {
            lift(tsp::nearest::solve(i, budget, observer), AnySolution::Tsp)
        }
        ("cvrp.savings", AnyInstance::Cvrp(i)) => {
            lift(cvrp::savings::solve(i, budget, observer), AnySolution::Cvrp)
        }
        ("jssp.dispatch", AnyInstance::Jssp(i)) => lift(
            jssp::dispatch::solve(i, budget, observer),
            AnySolution::Jssp,
        ),
        ("jssp.tabu", AnyInstance::Jssp(i)) => {
            let opts = jssp::tabu::TabuOptions {
                threads,
                seed: options.seed,
                initial: initial.and_then(AnySolution::as_jssp).cloned(),
                ..Default::default()
            };
            lift(
                jssp::tabu::solve(i, budget, observer, &opts),
                AnySolution::Jssp,
            )
        }
        ("cvrp.sisr", AnyInstance::Cvrp(i)) => {
            let opts = cvrp::sisr::SisrOptions {
                threads,
                seed: options.seed,
                initial: initial.and_then(AnySolution::as_cvrp).cloned(),
                ..Default::default()
            };
            lift(
                cvrp::sisr::solve(i, budget, observer, &opts),
                AnySolution::Cvrp,
            )
        }
        ("tsp.ils", AnyInstance::Tsp(i)) => {
            let opts = tsp::ils::IlsOptions {
                threads,
                seed: options.seed,
                initial: initial.and_then(AnySolution::as_tsp).cloned(),
                ..Default::default()
            };
            lift(
                tsp::ils::solve(i, budget, observer, &opts),
                AnySolution::Tsp,
            )
        }
        ("tsp.exact", AnyInstance::Tsp(i)) => lift(
            tsp::exact::solve_exact(i, budget, observer, threads),
            AnySolution::Tsp,
        ),
        ("milp.highs", AnyInstance::Milp(i)) => {
            let opts = milp::highs::HighsOptions {
                threads,
                seed: options.seed,
                initial: initial
                    .and_then(AnySolution::as_milp)
                    .map(|s| s.values.clone()),
                ..Default::default()
            };
            lift(
                milp::highs::solve(i, budget, observer, &opts),
                AnySolution::Milp,
            )
        }
        ("milp.alns", AnyInstance::Milp(i)) => {
            let opts = milp::alns::AlnsOptions {
                threads,
                seed: options.seed,
                initial: initial
                    .and_then(AnySolution::as_milp)
                    .map(|s| s.values.clone()),
                ..Default::default()
            };
            lift(
                milp::alns::solve(i, budget, observer, &opts),
                AnySolution::Milp,
            )
        }
        ("tsp.bq" | "tsp.bq+ils", AnyInstance::Tsp(i)) => lift(
            neural::solve_tsp(i, budget, observer, &bq, improve).map_err(neural_err)?,
            AnySolution::Tsp,
        ),
        ("tsp.heat+ils", AnyInstance::Tsp(i)) => lift(
            neural::solve_tsp_heat(i, budget, observer, &bq).map_err(neural_err)?,
            AnySolution::Tsp,
        ),
        ("cvrp.bq" | "cvrp.bq+ils", AnyInstance::Cvrp(i)) => lift(
            neural::solve_cvrp(i, budget, observer, &bq, improve).map_err(neural_err)?,
            AnySolution::Cvrp,
        ),
        (name @ ("jssp.gnn" | "jssp.l2s" | "jssp.gnn+tabu"), AnyInstance::Jssp(i)) => lift(
            neural::solve_jssp(name, i, budget, observer, &bq).map_err(neural_err)?,
            AnySolution::Jssp,
        ),
        (name, inst) => (
            quotient_solvers::engine::Status::Unknown,
            None,
            None,
            Some(format!(
                "solver {name} cannot run a {} instance",
                inst.family()
            )),
        ),
    })
}

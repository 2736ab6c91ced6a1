//! The one path from options as callers give them (the CLI's flags, the REST service's
//! `options` object: plain numbers and text) to the library's checked [`Options`]: the time
//! limit and its default under a cap, threads (0: all cores), the seed, the solver's own
//! parameters, and the older `beam` / `samples` / `steps` flags and fields translated into
//! parameters of the chosen solver.

use crate::{DEFAULT_TIME_LIMIT_SECS, MAX_TIME_LIMIT_SECS, Options, SolveError, choose_solver};
use quotient_problems::any::{AnyInstance, AnySolution};
use quotient_solvers::registry::{ParamError, SolverInfo};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Solve options as plain values, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct OptionsInput {
    /// A solver name or `auto` (`None`: `auto`).
    pub solver: Option<String>,
    /// Seconds.
    pub time_limit: Option<f64>,
    /// `None`: 1.
    pub seed: Option<u64>,
    /// Worker threads; `None` or 0: all cores.
    pub threads: Option<usize>,
    /// A warm start.
    pub initial: Option<AnySolution>,
    /// The solver's own parameters, `(name, value text)` (`--param`, `"params"`).
    pub params: Vec<(String, String)>,
    /// The older ways to give three parameters (`--beam`, `--samples`, `--steps` on the CLI,
    /// `"beam"`, `"samples"`, `"steps"` in JSON): each becomes the parameter of that name unless
    /// [`OptionsInput::params`] has it; `beam` and `samples` of 0 mean "off", as they always
    /// did, and add nothing. A solver without that parameter refuses it
    /// ([`SolveError::InvalidOption`] naming the option).
    pub beam: Option<u64>,
    pub samples: Option<u64>,
    pub steps: Option<u64>,
}

/// What the caller allows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Longest time limit: a longer one is cut to it, and a solve without one gets it (an
    /// improvement heuristic gets [`DEFAULT_TIME_LIMIT_SECS`] if that is shorter). `None`: no
    /// cap, and no time limit stays none (the library's rule decides).
    pub max_time: Option<Duration>,
    /// Most worker threads (`None`: as asked, up to [`crate::MAX_THREADS`]).
    pub max_threads: Option<usize>,
}

/// A time limit in seconds as a duration: positive and finite; above the largest allowed
/// ([`MAX_TIME_LIMIT_SECS`]) it is cut to `cap` when there is one, else refused.
pub fn time_limit_from_secs(secs: f64, cap: Option<Duration>) -> Result<Duration, SolveError> {
    if !(secs.is_finite() && secs > 0.0) {
        return Err(SolveError::InvalidOption {
            option: "time_limit",
            reason: format!("{secs}: expected a positive number of seconds"),
        });
    }
    match cap {
        Some(cap) => Ok(Duration::from_secs_f64(secs.min(MAX_TIME_LIMIT_SECS)).min(cap)),
        None if secs > MAX_TIME_LIMIT_SECS => Err(SolveError::InvalidOption {
            option: "time_limit",
            reason: format!("{secs} s is above the maximum {MAX_TIME_LIMIT_SECS} s"),
        }),
        None => Ok(Duration::from_secs_f64(secs)),
    }
}

impl OptionsInput {
    /// The checked options for `instance`: the solver resolved (`auto` to a name; unknown,
    /// wrong-family and unavailable solvers refused here), the time limit checked and capped,
    /// threads resolved, the older parameter fields translated. The parameters themselves are
    /// checked by the solve against the solver's [`crate::ParamSpec`]s.
    pub fn resolve(
        self,
        instance: &AnyInstance,
        limits: Limits,
        cancel: Arc<AtomicBool>,
    ) -> Result<Options, SolveError> {
        let requested = self.solver.as_deref().unwrap_or("auto");
        let solver = choose_solver(instance, requested)?;
        let info = &solver.info;
        let time_limit = match (self.time_limit, limits.max_time) {
            (Some(s), cap) => Some(time_limit_from_secs(s, cap)?),
            (None, Some(cap)) if info.runs_until_time_limit => {
                Some(Duration::from_secs_f64(DEFAULT_TIME_LIMIT_SECS).min(cap))
            }
            (None, cap) => cap,
        };
        let threads = self
            .threads
            .and_then(NonZeroUsize::new)
            .map(|t| match limits.max_threads {
                Some(max) => t.min(NonZeroUsize::new(max).unwrap_or(NonZeroUsize::MIN)),
                None => t,
            });
        let params = with_older(
            info,
            self.params,
            [
                ("beam", self.beam.filter(|&b| b > 0)),
                ("samples", self.samples.filter(|&s| s > 0)),
                ("steps", self.steps),
            ],
        )?;
        let mut options = Options {
            solver: info.name.to_string(),
            time_limit,
            seed: self.seed.unwrap_or(1),
            threads,
            initial: self.initial,
            params,
            cancel,
            farm: None,
        };
        if let Some(max) = limits.max_threads
            && threads.is_none()
        {
            options.cap_threads(max);
        }
        Ok(options)
    }
}

/// `params` with the older fields' values added (those it does not have already); an older
/// field the solver has no parameter for is refused, naming the field.
fn with_older(
    info: &SolverInfo,
    mut params: Vec<(String, String)>,
    older: [(&'static str, Option<u64>); 3],
) -> Result<Vec<(String, String)>, SolveError> {
    for (name, value) in older {
        let Some(value) = value else { continue };
        if !info.params.iter().any(|p| p.name == name) {
            let e = ParamError::Unknown {
                solver: info.name,
                name: name.to_string(),
                known: info.params.iter().map(|p| p.name).collect(),
            };
            return Err(SolveError::InvalidOption {
                option: name,
                reason: e.to_string(),
            });
        }
        if !params.iter().any(|(n, _)| n == name) {
            params.push((name.to_string(), value.to_string()));
        }
    }
    Ok(params)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::any::{InputFormat, read_instance_text};

    fn square() -> AnyInstance {
        let text = "NAME: square\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n\
                    NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n";
        read_instance_text(text, InputFormat::Tsplib, "square").unwrap()
    }

    fn resolve(input: OptionsInput, limits: Limits) -> Result<Options, SolveError> {
        input.resolve(&square(), limits, Arc::default())
    }

    #[test]
    fn time_limits_are_checked_capped_and_defaulted_by_the_solver() {
        let cap = Limits {
            max_time: Some(Duration::from_secs(5)),
            max_threads: None,
        };
        let input = |solver: &str, t: Option<f64>| OptionsInput {
            solver: Some(solver.into()),
            time_limit: t,
            ..OptionsInput::default()
        };
        // No cap: none stays none (the solve's rule), too long is refused.
        let o = resolve(input("tsp.ils", None), Limits::default()).unwrap();
        assert_eq!(o.time_limit, None);
        let e = resolve(input("tsp.ils", Some(1e300)), Limits::default()).unwrap_err();
        assert_eq!(e.code(), "solve.invalid_option");
        // A cap: longer limits are cut; without one, improvers get the default, others the cap.
        let o = resolve(input("tsp.ils", Some(1e300)), cap).unwrap();
        assert_eq!(o.time_limit, Some(Duration::from_secs(5)));
        let o = resolve(input("tsp.ils", None), cap).unwrap();
        assert_eq!(o.time_limit, Some(Duration::from_secs(5)));
        let long = Limits {
            max_time: Some(Duration::from_secs(60)),
            ..cap
        };
        let o = resolve(input("tsp.ils", None), long).unwrap();
        assert_eq!(o.time_limit, Some(Duration::from_secs(10)));
        let o = resolve(input("tsp.nn", None), long).unwrap();
        assert_eq!(o.time_limit, Some(Duration::from_secs(60)));
        for bad in [-3.0, 0.0, f64::NAN] {
            let e = resolve(input("tsp.nn", Some(bad)), cap).unwrap_err();
            assert!(
                matches!(
                    e,
                    SolveError::InvalidOption {
                        option: "time_limit",
                        ..
                    }
                ),
                "{e}"
            );
        }
        // `auto` is resolved to the solver's name.
        let o = resolve(OptionsInput::default(), cap).unwrap();
        assert_eq!(o.solver, "tsp.exact");
        assert_eq!(o.seed, 1);
        let e = resolve(input("tsp.none", None), cap).unwrap_err();
        assert_eq!(e.code(), "solve.unknown_solver");
    }

    #[test]
    fn zero_threads_mean_all_cores_and_a_cap_holds() {
        let threads = |t: Option<usize>, max: Option<usize>| {
            resolve(
                OptionsInput {
                    threads: t,
                    ..OptionsInput::default()
                },
                Limits {
                    max_time: None,
                    max_threads: max,
                },
            )
            .unwrap()
            .threads
        };
        assert_eq!(threads(None, None), None);
        assert_eq!(threads(Some(0), None), None);
        assert_eq!(threads(Some(3), None), NonZeroUsize::new(3));
        assert_eq!(threads(Some(3), Some(2)), NonZeroUsize::new(2));
        let cores = std::thread::available_parallelism().unwrap().get();
        assert_eq!(threads(Some(0), Some(1_000_000)), NonZeroUsize::new(cores));
    }

    #[test]
    fn the_older_fields_become_parameters_of_the_solver_that_takes_them() {
        let input = |beam: Option<u64>, samples: Option<u64>, steps: Option<u64>| OptionsInput {
            solver: Some("tsp.nn".into()),
            beam,
            samples,
            steps,
            ..OptionsInput::default()
        };
        // Off (0) adds nothing, for any solver, as before.
        let o = resolve(input(Some(0), Some(0), None), Limits::default()).unwrap();
        assert!(o.params.is_empty());
        // A solver without the parameter refuses it, naming the option.
        for (i, name) in [
            (input(Some(3), None, None), "beam"),
            (input(None, Some(2), None), "samples"),
            (input(None, None, Some(9)), "steps"),
        ] {
            match resolve(i, Limits::default()) {
                Err(SolveError::InvalidOption { option, reason }) => {
                    assert_eq!(option, name);
                    assert!(
                        reason.contains(&format!(
                            "`tsp.nn` has no parameter `{name}` (it takes none)"
                        )),
                        "{reason}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
        // A solver that takes them: added, unless given as parameters (which win).
        let bq = &crate::find_solver("tsp.bq").unwrap().info;
        let given = vec![("beam".to_string(), "5".to_string())];
        let p = with_older(
            bq,
            given,
            [("beam", Some(3)), ("samples", Some(2)), ("steps", None)],
        )
        .unwrap();
        assert_eq!(
            p,
            [
                ("beam".to_string(), "5".to_string()),
                ("samples".to_string(), "2".to_string())
            ]
        );
        let l2s = &crate::find_solver("jssp.l2s").unwrap().info;
        let p = with_older(
            l2s,
            Vec::new(),
            [("beam", None), ("samples", None), ("steps", Some(7))],
        )
        .unwrap();
        assert_eq!(p, [("steps".to_string(), "7".to_string())]);
        let e = with_older(
            l2s,
            Vec::new(),
            [("beam", Some(2)), ("samples", None), ("steps", None)],
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("has no parameter `beam` (it takes steps)"),
            "{e}"
        );
    }
}

//! Solutions, solve results, check reports, and the functions that make them: `solve` (the GIL
//! released, Ctrl-C and callback exceptions stopping the solve with the best so far), `check`,
//! `plot` and `solvers`.

use crate::errors::{invalid, json_to_py, parse_error, plot_error, solve_error};
use crate::instance::PyInstance;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use quotient_core::problems::any::{self, AnyInstance, AnySolution};
use quotient_core::solvers::engine::{Improvement, Observer};
use quotient_core::{Options, Outcome, SolveError};
use serde_json::{Value, json};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// A solution of one instance: `tour` (TSP), `routes` (CVRP), `start` (job shops; with
/// `machine` for the flexible job shop) or `values` (MILP).
#[pyclass(module = "quotient", name = "Solution", frozen)]
#[derive(Debug)]
pub struct PySolution {
    pub inner: AnySolution,
    pub instance: Arc<AnyInstance>,
}

fn no_field(family: &str, field: &str) -> PyErr {
    pyo3::exceptions::PyAttributeError::new_err(format!("a {family} solution has no `{field}`"))
}

#[pymethods]
impl PySolution {
    /// The family of the instance it solves.
    #[getter]
    fn family(&self) -> &'static str {
        any::solution_family(&self.inner).as_str()
    }

    /// TSP: the tour, every node once (closed implicitly).
    #[getter]
    fn tour<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<i64>>> {
        match &self.inner {
            AnySolution::Tsp(s) => Ok(PyArray1::from_vec(
                py,
                s.tour.iter().map(|&i| i as i64).collect(),
            )),
            _ => Err(no_field(self.family(), "tour")),
        }
    }

    /// CVRP: the routes, each a list of customers (the depot, 0, implicit at both ends).
    #[getter]
    fn routes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        match &self.inner {
            AnySolution::Cvrp(s) => {
                let list = PyList::empty(py);
                for r in &s.routes {
                    let r: Vec<usize> = r.clone();
                    list.append(r)?;
                }
                Ok(list)
            }
            _ => Err(no_field(self.family(), "routes")),
        }
    }

    /// Job shops: `start[j][k]`, the start time of job `j`'s `k`-th operation (an array when
    /// every job has as many operations, else a list of arrays).
    #[getter]
    fn start(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &self.inner {
            AnySolution::Jssp(s) => crate::arrays::table_to_py(py, &s.start),
            AnySolution::Fjsp(s) => crate::arrays::table_to_py(py, &s.start),
            _ => Err(no_field(self.family(), "start")),
        }
    }

    /// Flexible job shop: `machine[j][k]`, the machine chosen for job `j`'s `k`-th operation.
    #[getter]
    fn machine(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &self.inner {
            AnySolution::Fjsp(s) => {
                let rows: Vec<Vec<i64>> = s
                    .machine
                    .iter()
                    .map(|r| r.iter().map(|&m| m as i64).collect())
                    .collect();
                crate::arrays::table_to_py(py, &rows)
            }
            _ => Err(no_field(self.family(), "machine")),
        }
    }

    /// MILP: the value of every variable, in the instance's order.
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        match &self.inner {
            AnySolution::Milp(s) => Ok(PyArray1::from_vec(py, s.values.clone())),
            _ => Err(no_field(self.family(), "values")),
        }
    }

    /// The solution in its family's native format (`.tour`, CVRPLIB `.sol`, schedule, MILP
    /// solution file).
    fn to_text(&self, py: Python<'_>) -> PyResult<String> {
        any::write_solution(&self.instance, &self.inner).map_err(|e| invalid(py, "solution", e))
    }

    /// The solution as the JSON object the REST service returns.
    fn to_json(&self) -> String {
        any::solution_to_json(&self.instance, &self.inner).to_string()
    }

    fn __repr__(&self) -> String {
        let what = match &self.inner {
            AnySolution::Tsp(s) => format!("tour of {} nodes", s.tour.len()),
            AnySolution::Cvrp(s) => format!("{} routes", s.routes.len()),
            AnySolution::Jssp(s) => format!("schedule of {} jobs", s.start.len()),
            AnySolution::Fjsp(s) => format!("schedule of {} jobs", s.start.len()),
            AnySolution::Milp(s) => format!("values of {} variables", s.values.len()),
        };
        format!("<quotient.Solution: {what}>")
    }
}

/// What `solve` returns: the checker's objective, never the solver's claim.
#[pyclass(module = "quotient", name = "Result", frozen)]
#[derive(Debug)]
pub struct PyResult_ {
    outcome: Outcome,
    instance: Arc<AnyInstance>,
    interrupted: bool,
}

#[pymethods]
impl PyResult_ {
    /// `"optimal"`, `"feasible"`, `"infeasible"`, `"unbounded"` or `"unknown"`.
    #[getter]
    fn status(&self) -> &'static str {
        self.outcome.status.as_str()
    }

    /// The objective of `solution` as the independent checker computed it (`None` without a
    /// solution).
    #[getter]
    fn objective(&self) -> Option<f64> {
        self.outcome.objective
    }

    /// A proven bound on the optimum, when the solver has one.
    #[getter]
    fn bound(&self) -> Option<f64> {
        self.outcome.bound
    }

    /// The best solution found (it passed the checker), or `None`.
    #[getter]
    fn solution(&self, py: Python<'_>) -> PyResult<Option<Py<PySolution>>> {
        self.outcome
            .solution
            .as_ref()
            .map(|s| {
                Py::new(
                    py,
                    PySolution {
                        inner: s.clone(),
                        instance: self.instance.clone(),
                    },
                )
            })
            .transpose()
    }

    /// Wall-clock seconds the solve took.
    #[getter]
    fn elapsed(&self) -> f64 {
        self.outcome.elapsed.as_secs_f64()
    }

    /// The solver that ran (`auto` resolved).
    #[getter]
    fn solver(&self) -> String {
        self.outcome.solver.clone()
    }

    /// The solver's message (what it chose and why), if any.
    #[getter]
    fn message(&self) -> Option<String> {
        self.outcome.message.clone()
    }

    /// `True` when Ctrl-C stopped the solve (the result is the best found until then).
    #[getter]
    fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// The result as `quotient solve --json` prints it.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.outcome.response(&self.instance)).unwrap_or_default()
    }

    fn __repr__(&self) -> String {
        format!(
            "<quotient.Result {} objective={} bound={} solver={} elapsed={:.3}s>",
            self.outcome.status.as_str(),
            self.outcome
                .objective
                .map_or("None".to_string(), |v| v.to_string()),
            self.outcome
                .bound
                .map_or("None".to_string(), |v| v.to_string()),
            self.outcome.solver,
            self.outcome.elapsed.as_secs_f64()
        )
    }
}

/// The independent checker's verdict on a solution.
#[pyclass(module = "quotient", name = "Report", frozen)]
#[derive(Debug)]
pub struct PyReport {
    report: any::AnyReport,
}

#[pymethods]
impl PyReport {
    /// `True` when the solution violates nothing.
    #[getter]
    fn feasible(&self) -> bool {
        self.report.feasible
    }

    /// The objective recomputed from the solution.
    #[getter]
    fn objective(&self) -> f64 {
        self.report.objective
    }

    /// Every violation as a record: `{"kind": "capacity", "route": 3, ...}` (the kinds and
    /// fields of `quotient check --json`).
    #[getter]
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &Value::Array(self.report.violations.clone()))
    }

    fn __repr__(&self) -> String {
        format!(
            "<quotient.Report feasible={} objective={} violations={}>",
            if self.report.feasible {
                "True"
            } else {
                "False"
            },
            self.report.objective,
            self.report.violations.len()
        )
    }
}

/// A new best during a solve, as `on_improvement` receives it.
#[pyclass(module = "quotient", name = "Improvement", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct PyImprovement {
    /// The new best objective (the solver's value).
    objective: f64,
    /// A proven bound, when the solver has one.
    bound: Option<f64>,
    /// Seconds since the solve started.
    elapsed: f64,
    /// Which part of the solver found it (e.g. `"construction"`, `"2opt"`, `"highs"`).
    source: String,
}

#[pymethods]
impl PyImprovement {
    fn __repr__(&self) -> String {
        format!(
            "<quotient.Improvement objective={} elapsed={:.3}s source={:?}>",
            self.objective, self.elapsed, self.source
        )
    }
}

/// Calls the Python callback on every new best; its first exception cancels the solve and is
/// raised by `solve` afterwards.
struct PyObserver {
    callback: Option<Py<PyAny>>,
    cancel: Arc<AtomicBool>,
    error: Mutex<Option<PyErr>>,
}

impl Observer for PyObserver {
    fn improved(&self, event: &Improvement<'_>) {
        let Some(callback) = &self.callback else {
            return;
        };
        let failed = self.error.lock().map(|e| e.is_some()).unwrap_or(true);
        if failed {
            return;
        }
        let imp = PyImprovement {
            objective: event.objective,
            bound: event.bound,
            elapsed: event.elapsed.as_secs_f64(),
            source: event.source.to_string(),
        };
        let result = Python::attach(|py| callback.call1(py, (imp,)).map(drop));
        if let Err(e) = result {
            if let Ok(mut slot) = self.error.lock() {
                slot.get_or_insert(e);
            }
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

fn instance_of(py: Python<'_>, instance: &Bound<'_, PyAny>) -> PyResult<Arc<AnyInstance>> {
    let inst = instance.cast::<PyInstance>().map_err(|_| {
        invalid(
            py,
            "instance",
            format!(
                "expected a quotient instance (quotient.read, quotient.Tsp, ...), got {}",
                instance
                    .get_type()
                    .name()
                    .map_or("?".to_string(), |n| n.to_string())
            ),
        )
    })?;
    Ok(inst.get().inner.clone())
}

/// `value` as a solution of `inst`: a `Solution`, a `Result`, solution text (native format or
/// JSON), a dict of the JSON shape, or the family's plain data (a tour, a list of routes, a
/// table of start times, `(machine, start)`, a vector of values).
fn solution_of(
    py: Python<'_>,
    inst: &AnyInstance,
    value: &Bound<'_, PyAny>,
) -> PyResult<AnySolution> {
    if let Ok(s) = value.cast::<PySolution>() {
        return Ok(s.get().inner.clone());
    }
    if let Ok(r) = value.cast::<PyResult_>() {
        return r
            .get()
            .outcome
            .solution
            .clone()
            .ok_or_else(|| invalid(py, "solution", "the result holds no solution"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        let text = s.to_cow()?;
        return any::read_solution(&text, inst).map_err(|e| parse_error(py, &e));
    }
    let json_text = |v: &Bound<'_, PyAny>| -> PyResult<String> {
        py.import("json")?
            .getattr("dumps")?
            .call1((v,))?
            .extract::<String>()
    };
    let v: Value = if value.cast::<PyDict>().is_ok() {
        serde_json::from_str(&json_text(value)?)
            .map_err(|e| invalid(py, "solution", e.to_string()))?
    } else {
        let ints = |v: &Bound<'_, PyAny>, field: &str| -> PyResult<Value> {
            let rows: Vec<Vec<i64>> = crate::arrays::i64_table(py, v, field)?;
            Ok(json!(rows))
        };
        match inst {
            AnyInstance::Tsp(_) => {
                let tour = crate::arrays::i64_vec(py, value, "tour")?;
                json!({ "tour": tour })
            }
            AnyInstance::Cvrp(_) => json!({ "routes": ints(value, "routes")? }),
            AnyInstance::Jssp(_) => json!({ "start": ints(value, "start")? }),
            AnyInstance::Fjsp(_) => {
                let (machine, start): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                    value.extract().map_err(|_| {
                        invalid(
                            py,
                            "solution",
                            "a flexible job-shop solution is `(machine, start)` or a Solution",
                        )
                    })?;
                json!({ "machine": ints(&machine, "machine")?, "start": ints(&start, "start")? })
            }
            AnyInstance::Milp(m) => {
                let arr = py
                    .import("quotient._convert")?
                    .getattr("float_array")?
                    .call1((value, 1, "values"))?;
                let values: Vec<f64> = arr.call_method0("tolist")?.extract()?;
                if values.len() != m.vars.len() {
                    return Err(invalid(
                        py,
                        "values",
                        format!("{} values for {} variables", values.len(), m.vars.len()),
                    ));
                }
                let named: serde_json::Map<String, Value> = m
                    .vars
                    .iter()
                    .zip(values)
                    .map(|(v, x)| (v.name.clone(), json!(x)))
                    .collect();
                json!({ "values": named })
            }
        }
    };
    let v = v.get("solution").cloned().unwrap_or(v);
    any::solution_from_json(&v, inst).map_err(|e| parse_error(py, &e))
}

/// Solve `instance`. See the package documentation (`help(quotient.solve)`).
#[pyfunction]
#[pyo3(signature = (instance, solver="auto", time_limit=None, seed=1, threads=None, initial=None, params=None, on_improvement=None))]
#[allow(clippy::too_many_arguments)]
pub fn solve(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    solver: &str,
    time_limit: Option<f64>,
    seed: u64,
    threads: Option<usize>,
    initial: Option<&Bound<'_, PyAny>>,
    params: Option<&Bound<'_, PyDict>>,
    on_improvement: Option<Py<PyAny>>,
) -> PyResult<PyResult_> {
    let inst = instance_of(py, instance)?;
    let time_limit = time_limit
        .map(|t| quotient_core::time_limit_from_secs(t, None))
        .transpose()
        .map_err(|e| solve_error(py, &e))?;
    let threads = match threads {
        None => None,
        Some(t) => Some(NonZeroUsize::new(t).ok_or_else(|| {
            solve_error(
                py,
                &SolveError::InvalidOption {
                    option: "threads",
                    reason: "0: expected at least one thread".into(),
                },
            )
        })?),
    };
    let initial = initial.map(|v| solution_of(py, &inst, v)).transpose()?;
    let mut param_list = Vec::new();
    if let Some(params) = params {
        for (k, v) in params.iter() {
            param_list.push((k.str()?.to_string(), v.str()?.to_string()));
        }
    }
    if let Some(cb) = &on_improvement
        && !cb.bind(py).is_callable()
    {
        return Err(invalid(py, "on_improvement", "expected a callable"));
    }
    crate::neural_config::ensure(py)?;
    let options = Options {
        solver: solver.to_string(),
        time_limit,
        seed,
        threads,
        initial,
        params: param_list,
        ..Options::default()
    };
    let cancel = options.cancel.clone();
    let observer = PyObserver {
        callback: on_improvement,
        cancel: cancel.clone(),
        error: Mutex::new(None),
    };
    let mut interrupted = false;
    let result = py.detach(|| {
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            let inst = &inst;
            let options = &options;
            let observer = &observer;
            scope.spawn(move || {
                let out = quotient_core::solve_observed(inst, options, observer);
                let _ = tx.send(out);
            });
            loop {
                match rx.recv_timeout(Duration::from_millis(25)) {
                    Ok(out) => return Some(out),
                    Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        // Python runs signal handlers only when asked: a Ctrl-C raises
                        // KeyboardInterrupt here, which stops the solve.
                        let signal = Python::attach(|py| py.check_signals());
                        if signal.is_err() && !interrupted {
                            interrupted = true;
                            cancel.store(true, Ordering::SeqCst);
                        }
                    }
                }
            }
        })
    });
    if let Some(err) = observer.error.lock().ok().and_then(|mut e| e.take()) {
        return Err(err);
    }
    let outcome = match result {
        Some(r) => r.map_err(|e| solve_error(py, &e))?,
        None => {
            return Err(solve_error(
                py,
                &SolveError::SolverPanicked {
                    solver: solver.to_string(),
                    reason: "the solve thread ended without a result".into(),
                },
            ));
        }
    };
    Ok(PyResult_ {
        outcome,
        instance: inst,
        interrupted,
    })
}

/// Check `solution` against `instance` with the family's independent checker.
#[pyfunction]
pub fn check(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    solution: &Bound<'_, PyAny>,
) -> PyResult<PyReport> {
    let inst = instance_of(py, instance)?;
    let sol = solution_of(py, &inst, solution)?;
    let report = py.detach(|| any::check(&inst, &sol));
    Ok(PyReport { report })
}

/// The picture of `solution` for `instance` as SVG text.
#[pyfunction]
#[pyo3(signature = (instance, solution, title=None, width=None))]
pub fn plot_svg(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    solution: &Bound<'_, PyAny>,
    title: Option<String>,
    width: Option<u32>,
) -> PyResult<String> {
    let inst = instance_of(py, instance)?;
    let sol = solution_of(py, &inst, solution)?;
    let style = quotient_plot::Style::new(title, width).map_err(|e| plot_error(py, &e))?;
    py.detach(|| quotient_plot::solution_svg(&inst, &sol, &style))
        .map_err(|e| plot_error(py, &e))
}

/// Every solver: name, family, kind, description, whether it is available here (and why not),
/// and its parameters.
#[pyfunction]
pub fn solvers(py: Python<'_>) -> PyResult<Py<PyAny>> {
    crate::neural_config::ensure(py)?;
    let list: Vec<Value> = quotient_core::available_solvers()
        .into_iter()
        .map(|(info, ok)| {
            json!({
                "name": info.name,
                "family": info.family.as_str(),
                "kind": info.kind,
                "description": info.description,
                "available": ok.is_ok(),
                "unavailable_reason": ok.err(),
                "params": info.params,
            })
        })
        .collect();
    json_to_py(py, &Value::Array(list))
}

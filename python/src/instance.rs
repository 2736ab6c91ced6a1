//! Instances: one Python class per family (`Tsp`, `Cvrp`, `JobShop`, `FlexibleJobShop`,
//! `Milp`), all subclasses of `Instance`, over the library's immutable `AnyInstance`. Flat
//! numeric fields are numpy views of the instance's own memory (read-only, no copy); nested
//! ones (job-shop operations, MILP rows) are built on demand.

use crate::arrays::{f64_matrix_view, i64_vec_view, rows_of};
use crate::errors::{invalid, parse_error};
use numpy::{PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};
use quotient_core::problems::any::{self, AnyInstance, Family, InputFormat};
use quotient_core::problems::cvrp::{CvrpInstance, CvrpWeights, Rounding};
use quotient_core::problems::error::Format;
use quotient_core::problems::fjsp::FjspInstance;
use quotient_core::problems::jssp::{JsspInstance, Operation};
use quotient_core::problems::milp::{MilpInstance, Sense, VarKind};
use quotient_core::problems::tsp::{CoordMetric, TspInstance, TspKind, Weights};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

/// A problem instance of any family (the base class of `Tsp`, `Cvrp`, `JobShop`,
/// `FlexibleJobShop` and `Milp`). Immutable.
#[pyclass(module = "quotient", name = "Instance", subclass, frozen)]
#[derive(Debug)]
pub struct PyInstance {
    pub inner: Arc<AnyInstance>,
}

#[pymethods]
impl PyInstance {
    /// The family: `"tsp"`, `"cvrp"`, `"jssp"`, `"fjsp"` or `"milp"`.
    #[getter]
    fn family(&self) -> &'static str {
        self.inner.family().as_str()
    }

    /// The instance's name (from the file, or as given).
    #[getter]
    fn name(&self) -> String {
        self.inner.name().to_string()
    }

    /// Its size: nodes (TSP, CVRP with the depot), operations (job shops), variables (MILP).
    #[getter]
    fn size(&self) -> usize {
        self.inner.size()
    }

    /// The instance in its family's native format (TSPLIB, CVRPLIB, OR-Library job shop,
    /// Brandimarte, MPS).
    fn to_text(&self) -> String {
        any::write_instance(&self.inner)
    }

    /// The instance as the JSON object the REST service takes (`{"family": ..., ...}`).
    fn to_json(&self) -> String {
        serde_json::to_string(&*self.inner).unwrap_or_default()
    }

    fn __repr__(&self) -> String {
        format!(
            "<quotient.{} {:?}: {} {}>",
            class_name(self.inner.family()),
            self.inner.name(),
            self.inner.size(),
            match self.inner.family() {
                Family::Tsp | Family::Cvrp => "nodes",
                Family::Jssp | Family::Fjsp => "operations",
                Family::Milp => "variables",
            }
        )
    }
}

fn class_name(family: Family) -> &'static str {
    match family {
        Family::Tsp => "Tsp",
        Family::Cvrp => "Cvrp",
        Family::Jssp => "JobShop",
        Family::Fjsp => "FlexibleJobShop",
        Family::Milp => "Milp",
    }
}

/// The Python object of `inst`: an instance of its family's class.
pub fn wrap(py: Python<'_>, inst: AnyInstance) -> PyResult<Py<PyAny>> {
    let family = inst.family();
    let base = PyClassInitializer::from(PyInstance {
        inner: Arc::new(inst),
    });
    Ok(match family {
        Family::Tsp => Py::new(py, base.add_subclass(Tsp))?.into_any(),
        Family::Cvrp => Py::new(
            py,
            base.add_subclass(Cvrp {
                original_index: None,
            }),
        )?
        .into_any(),
        Family::Jssp => Py::new(py, base.add_subclass(JobShop))?.into_any(),
        Family::Fjsp => Py::new(py, base.add_subclass(FlexibleJobShop))?.into_any(),
        Family::Milp => Py::new(py, base.add_subclass(Milp))?.into_any(),
    })
}

/// Checked like a read instance (sizes, finite numbers, ...); the error names the field.
fn validated(py: Python<'_>, inst: AnyInstance) -> PyResult<PyClassInitializer<PyInstance>> {
    any::validate(&inst).map_err(|e| parse_error(py, &e))?;
    Ok(PyClassInitializer::from(PyInstance {
        inner: Arc::new(inst),
    }))
}

/// Read an instance: `source` is a path (`str` without a line break, or `os.PathLike`), the
/// text itself, or `bytes` (gzip allowed). `format` (`"tsplib"`, `"cvrplib"`, `"jssp"`,
/// `"taillard"`, `"fjsp"`, `"mps"`, `"lp"`, `"json"`) overrides detection; `family` names the
/// family when the content cannot tell.
#[pyfunction]
#[pyo3(signature = (source, format=None, family=None, name=None))]
pub fn read(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    format: Option<&str>,
    family: Option<&str>,
    name: Option<String>,
) -> PyResult<Py<PyAny>> {
    let format = format
        .map(|f| InputFormat::from_str(f).map_err(|e| invalid(py, "format", e)))
        .transpose()?;
    let family = family
        .map(|f| Family::from_str(f).map_err(|e| invalid(py, "family", e)))
        .transpose()?;
    let (bytes, file_name) = source_bytes(py, source)?;
    let file_name = name.clone().or(file_name).unwrap_or_default();
    let inst = py
        .detach(
            || -> Result<AnyInstance, quotient_core::problems::error::ParseError> {
                match format {
                    Some(format) => {
                        let text = quotient_core::problems::text::decode(&bytes, Format::Json)?;
                        let stem = any::instance_stem(&file_name);
                        any::read_instance_text(&text, format, &stem)
                    }
                    None => {
                        let family = match family {
                            Some(f) => Some(f),
                            None if any::family_from_name(&file_name).is_none() => {
                                let text =
                                    quotient_core::problems::text::decode(&bytes, Format::Json)?;
                                any::family_from_text(&text)
                            }
                            None => None,
                        };
                        any::read_instance(&bytes, &file_name, family)
                    }
                }
            },
        )
        .map_err(|e| parse_error(py, &e))?;
    let mut inst = inst;
    if let Some(n) = name {
        set_name(&mut inst, n);
    }
    wrap(py, inst)
}

/// The bytes of `source` and its file name when it is a path.
fn source_bytes(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, Option<String>)> {
    if let Ok(b) = source.cast::<PyBytes>() {
        return Ok((b.as_bytes().to_vec(), None));
    }
    let path = if let Ok(s) = source.cast::<PyString>() {
        let s = s.to_cow()?;
        let looks_like_text = s.contains('\n') || s.trim_start().starts_with('{');
        if looks_like_text {
            return Ok((s.as_bytes().to_vec(), None));
        }
        PathBuf::from(s.as_ref())
    } else {
        let os = py.import("os")?;
        let fspath = os.getattr("fspath")?.call1((source,)).map_err(|_| {
            invalid(
                py,
                "source",
                "expected a path (str or os.PathLike), the instance text, or bytes",
            )
        })?;
        PathBuf::from(fspath.extract::<String>()?)
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        pyo3::exceptions::PyOSError::new_err(format!("cannot read {}: {e}", path.display()))
    })?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok((bytes, file_name))
}

fn set_name(inst: &mut AnyInstance, name: String) {
    match inst {
        AnyInstance::Tsp(i) => i.name = name,
        AnyInstance::Cvrp(i) => i.name = name,
        AnyInstance::Jssp(i) => i.name = name,
        AnyInstance::Fjsp(i) => i.name = name,
        AnyInstance::Milp(i) => i.name = name,
    }
}

/// The library's instance behind a family class.
fn base<'a>(slf: &'a Bound<'_, PyInstance>) -> &'a AnyInstance {
    &slf.get().inner
}

/// A TSP or ATSP instance (TSPLIB). Nodes are `0..n`.
#[pyclass(module = "quotient", extends = PyInstance, frozen)]
#[derive(Debug)]
pub struct Tsp;

impl Tsp {
    fn model<'a>(slf: &'a Bound<'_, Self>) -> &'a TspInstance {
        match base(slf.as_super()) {
            AnyInstance::Tsp(t) => t,
            _ => unreachable_family(),
        }
    }
}

fn unreachable_family() -> ! {
    // A family class is only ever built around its own family (see `wrap` and the
    // constructors), so this cannot happen.
    panic!("quotient: a family class holds another family's instance")
}

#[pymethods]
impl Tsp {
    /// A symmetric TSP over points `xy` (an n x 2 array) with a TSPLIB distance function
    /// (`"EUC_2D"`: rounded Euclidean, `"CEIL_2D"`, `"ATT"`, `"GEO"`, `"MAN_2D"`, `"MAX_2D"`).
    #[staticmethod]
    #[pyo3(signature = (xy, metric="EUC_2D", name="tsp"))]
    fn from_coords(
        py: Python<'_>,
        xy: &Bound<'_, PyAny>,
        metric: &str,
        name: &str,
    ) -> PyResult<Py<Tsp>> {
        let coords = rows_of::<2>(py, xy, "xy")?;
        let metric: CoordMetric = serde_json::from_value(serde_json::Value::String(
            metric.to_ascii_uppercase(),
        ))
        .map_err(|_| {
            invalid(
                py,
                "metric",
                format!("unknown metric `{metric}` (EUC_2D, CEIL_2D, ATT, GEO, MAN_2D or MAX_2D)"),
            )
        })?;
        let inst = TspInstance {
            name: name.to_string(),
            comment: String::new(),
            kind: TspKind::Tsp,
            weights: Weights::Coords { metric, coords },
            fixed_edges: Vec::new(),
            display: None,
            edge_weight_format: None,
        };
        Py::new(py, validated(py, AnyInstance::Tsp(inst))?.add_subclass(Tsp))
    }

    /// A TSP over an explicit n x n matrix of integer distances; asymmetric matrices make an
    /// ATSP.
    #[staticmethod]
    #[pyo3(signature = (matrix, name="tsp"))]
    fn from_matrix(py: Python<'_>, matrix: &Bound<'_, PyAny>, name: &str) -> PyResult<Py<Tsp>> {
        let (n, values) = crate::arrays::square_i64(py, matrix, "matrix")?;
        let symmetric = (0..n).all(|i| (0..i).all(|j| values[i * n + j] == values[j * n + i]));
        let inst = TspInstance {
            name: name.to_string(),
            comment: String::new(),
            kind: if symmetric {
                TspKind::Tsp
            } else {
                TspKind::Atsp
            },
            weights: Weights::Matrix { n, matrix: values },
            fixed_edges: Vec::new(),
            display: None,
            edge_weight_format: Some("FULL_MATRIX".into()),
        };
        Py::new(py, validated(py, AnyInstance::Tsp(inst))?.add_subclass(Tsp))
    }

    /// `"tsp"` or `"atsp"`.
    #[getter]
    fn kind(slf: &Bound<'_, Self>) -> &'static str {
        match Self::model(slf).kind {
            TspKind::Tsp => "tsp",
            TspKind::Atsp => "atsp",
        }
    }

    /// Number of nodes.
    #[getter]
    fn n(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).n()
    }

    /// The node coordinates (n x 2, read-only view), or `None` for an explicit matrix.
    #[getter]
    fn coords<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyArray2<f64>>>> {
        match &Self::model(slf).weights {
            Weights::Coords { coords, .. } => f64_matrix_view(slf.as_any(), coords).map(Some),
            Weights::Matrix { .. } => Ok(None),
        }
    }

    /// The TSPLIB distance function of a coordinate instance, else `None`.
    #[getter]
    fn metric(slf: &Bound<'_, Self>) -> Option<String> {
        match &Self::model(slf).weights {
            Weights::Coords { metric, .. } => serde_json::to_value(metric)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string)),
            Weights::Matrix { .. } => None,
        }
    }

    /// The explicit distance matrix (n x n, read-only view), or `None` for coordinates.
    #[getter]
    fn matrix<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyArray2<i64>>>> {
        match &Self::model(slf).weights {
            Weights::Matrix { n, matrix } => {
                crate::arrays::square_view(slf.as_any(), matrix, *n).map(Some)
            }
            Weights::Coords { .. } => Ok(None),
        }
    }

    /// Edges every tour must contain (k x 2), 0-based.
    #[getter]
    fn fixed_edges<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray2<i64>>> {
        let rows: Vec<Vec<i64>> = Self::model(slf)
            .fixed_edges
            .iter()
            .map(|&(a, b)| vec![a as i64, b as i64])
            .collect();
        crate::arrays::i64_rows(slf.py(), &rows, 2)
    }

    /// The distance from node `i` to node `j` as the checker counts it.
    fn distance(slf: &Bound<'_, Self>, i: usize, j: usize) -> PyResult<i64> {
        let t = Self::model(slf);
        let n = t.n();
        if i >= n || j >= n {
            return Err(invalid(
                slf.py(),
                "node",
                format!("({i}, {j}) is outside 0..{n}"),
            ));
        }
        Ok(t.dist(i, j))
    }
}

/// A capacitated VRP instance (CVRPLIB). Node 0 is the depot, customers are `1..n`.
#[pyclass(module = "quotient", extends = PyInstance, frozen)]
#[derive(Debug)]
pub struct Cvrp {
    /// For an instance built with `depot != 0`: node `i` of the instance is node
    /// `original_index[i]` of the arrays given.
    original_index: Option<Vec<i64>>,
}

impl Cvrp {
    fn model<'a>(slf: &'a Bound<'_, Self>) -> &'a CvrpInstance {
        match base(slf.as_super()) {
            AnyInstance::Cvrp(c) => c,
            _ => unreachable_family(),
        }
    }
}

#[pymethods]
impl Cvrp {
    /// A CVRP over points `coords` (n x 2, depot included) with integer `demands` (n; the
    /// depot's is ignored) and vehicle `capacity`. Distances are Euclidean, rounded to the
    /// nearest integer as in CVRPLIB's X set (`rounding="exact"` keeps them unrounded,
    /// `"ceil"` rounds up). The depot becomes node 0: when `depot` is another index the nodes
    /// are reordered (depot first, the others in their order) and `original_index` maps them
    /// back.
    #[new]
    #[pyo3(signature = (coords, demands, capacity, depot=0, rounding="nearest", name="cvrp"))]
    fn new(
        py: Python<'_>,
        coords: &Bound<'_, PyAny>,
        demands: &Bound<'_, PyAny>,
        capacity: i64,
        depot: usize,
        rounding: &str,
        name: &str,
    ) -> PyResult<PyClassInitializer<Self>> {
        let coords = rows_of::<2>(py, coords, "coords")?;
        let demands = crate::arrays::i64_vec(py, demands, "demands")?;
        let n = coords.len();
        if demands.len() != n {
            return Err(invalid(
                py,
                "demands",
                format!("{} demands for {n} nodes", demands.len()),
            ));
        }
        if depot >= n {
            return Err(invalid(py, "depot", format!("{depot} is outside 0..{n}")));
        }
        let rounding: Rounding =
            serde_json::from_value(serde_json::Value::String(rounding.to_ascii_lowercase()))
                .map_err(|_| {
                    invalid(
                        py,
                        "rounding",
                        format!("unknown rounding `{rounding}` (nearest, exact or ceil)"),
                    )
                })?;
        let order: Vec<usize> = std::iter::once(depot)
            .chain((0..n).filter(|&i| i != depot))
            .collect();
        let mut demands: Vec<i64> = order.iter().map(|&i| demands[i]).collect();
        if let Some(d) = demands.first_mut() {
            *d = 0;
        }
        let inst = CvrpInstance {
            name: name.to_string(),
            comment: String::new(),
            capacity,
            demands,
            weights: CvrpWeights::Coords {
                rounding,
                coords: order.iter().map(|&i| coords[i]).collect(),
            },
            distance_limit: None,
            service_time: None,
            vehicles: None,
            display: None,
        };
        let original_index = (depot != 0).then(|| order.iter().map(|&i| i as i64).collect());
        Ok(validated(py, AnyInstance::Cvrp(inst))?.add_subclass(Cvrp { original_index }))
    }

    /// Number of nodes, the depot included.
    #[getter]
    fn n(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).n()
    }

    /// The depot's index (always 0).
    #[getter]
    fn depot(_slf: &Bound<'_, Self>) -> usize {
        0
    }

    /// The vehicle capacity.
    #[getter]
    fn capacity(slf: &Bound<'_, Self>) -> i64 {
        Self::model(slf).capacity
    }

    /// Demand per node (n, read-only view; the depot's is 0).
    #[getter]
    fn demands<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray1<i64>>> {
        i64_vec_view(slf.as_any(), &Self::model(slf).demands)
    }

    /// The node coordinates (n x 2, read-only view), or `None` for an explicit matrix.
    #[getter]
    fn coords<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyArray2<f64>>>> {
        match &Self::model(slf).weights {
            CvrpWeights::Coords { coords, .. } => f64_matrix_view(slf.as_any(), coords).map(Some),
            CvrpWeights::Matrix { .. } => Ok(None),
        }
    }

    /// The explicit cost matrix (n x n, read-only view), or `None` for coordinates.
    #[getter]
    fn matrix<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyArray2<f64>>>> {
        match &Self::model(slf).weights {
            CvrpWeights::Matrix { n, matrix } => {
                crate::arrays::square_view(slf.as_any(), matrix, *n).map(Some)
            }
            CvrpWeights::Coords { .. } => Ok(None),
        }
    }

    /// Route-length limit (travel plus service time), if the instance has one.
    #[getter]
    fn distance_limit(slf: &Bound<'_, Self>) -> Option<f64> {
        Self::model(slf).distance_limit
    }

    /// Service time per customer, if any.
    #[getter]
    fn service_time(slf: &Bound<'_, Self>) -> Option<f64> {
        Self::model(slf).service_time
    }

    /// The number of vehicles when the instance fixes it.
    #[getter]
    fn vehicles(slf: &Bound<'_, Self>) -> Option<usize> {
        Self::model(slf).vehicles
    }

    /// For an instance built with `depot != 0`: `original_index[i]` is node `i`'s index in
    /// the arrays given to the constructor; else `None`.
    #[getter]
    fn original_index<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyArray1<i64>>>> {
        match &slf.get().original_index {
            Some(v) => i64_vec_view(slf.as_any(), v).map(Some),
            None => Ok(None),
        }
    }

    /// The cost from node `i` to node `j` as the checker counts it.
    fn distance(slf: &Bound<'_, Self>, i: usize, j: usize) -> PyResult<f64> {
        let c = Self::model(slf);
        let n = c.n();
        if i >= n || j >= n {
            return Err(invalid(
                slf.py(),
                "node",
                format!("({i}, {j}) is outside 0..{n}"),
            ));
        }
        Ok(c.dist(i, j))
    }
}

/// A job shop (OR-Library / Taillard): every job visits machines in its own order.
#[pyclass(module = "quotient", extends = PyInstance, frozen)]
#[derive(Debug)]
pub struct JobShop;

impl JobShop {
    fn model<'a>(slf: &'a Bound<'_, Self>) -> &'a JsspInstance {
        match base(slf.as_super()) {
            AnyInstance::Jssp(j) => j,
            _ => unreachable_family(),
        }
    }
}

#[pymethods]
impl JobShop {
    /// A job shop from `machines[j][k]`, the machine (0-based) of job `j`'s `k`-th operation,
    /// and `durations[j][k]`, its processing time (both jobs x operations, integers).
    #[new]
    #[pyo3(signature = (machines, durations, name="jssp"))]
    fn new(
        py: Python<'_>,
        machines: &Bound<'_, PyAny>,
        durations: &Bound<'_, PyAny>,
        name: &str,
    ) -> PyResult<PyClassInitializer<Self>> {
        let m = crate::arrays::i64_table(py, machines, "machines")?;
        let d = crate::arrays::i64_table(py, durations, "durations")?;
        if m.len() != d.len() {
            return Err(invalid(
                py,
                "durations",
                format!(
                    "{} jobs of durations for {} jobs of machines",
                    d.len(),
                    m.len()
                ),
            ));
        }
        let mut jobs = Vec::with_capacity(m.len());
        let mut n_machines = 0usize;
        for (j, (mrow, drow)) in m.iter().zip(&d).enumerate() {
            if mrow.len() != drow.len() {
                return Err(invalid(
                    py,
                    "durations",
                    format!(
                        "job {j}: {} durations for {} machines",
                        drow.len(),
                        mrow.len()
                    ),
                ));
            }
            let mut ops = Vec::with_capacity(mrow.len());
            for (k, (&mach, &dur)) in mrow.iter().zip(drow).enumerate() {
                let machine = usize::try_from(mach).map_err(|_| {
                    invalid(
                        py,
                        "machines",
                        format!("job {j} operation {k}: machine {mach} is negative"),
                    )
                })?;
                n_machines = n_machines.max(machine.saturating_add(1));
                ops.push(Operation {
                    machine,
                    duration: dur,
                });
            }
            jobs.push(ops);
        }
        let inst = JsspInstance {
            name: name.to_string(),
            machines: n_machines,
            jobs,
            variant: Default::default(),
        };
        Ok(validated(py, AnyInstance::Jssp(inst))?.add_subclass(JobShop))
    }

    /// Number of jobs.
    #[getter]
    fn num_jobs(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).jobs.len()
    }

    /// Number of machines.
    #[getter]
    fn num_machines(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).machines
    }

    /// `machines[j][k]`: the machine of job `j`'s `k`-th operation (a jobs x operations array
    /// when every job has as many operations, else a list of arrays).
    #[getter]
    fn machines(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let rows: Vec<Vec<i64>> = Self::model(slf)
            .jobs
            .iter()
            .map(|ops| ops.iter().map(|o| o.machine as i64).collect())
            .collect();
        crate::arrays::table_to_py(slf.py(), &rows)
    }

    /// `durations[j][k]`: the processing time of job `j`'s `k`-th operation (same shape as
    /// `machines`).
    #[getter]
    fn durations(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let rows: Vec<Vec<i64>> = Self::model(slf)
            .jobs
            .iter()
            .map(|ops| ops.iter().map(|o| o.duration).collect())
            .collect();
        crate::arrays::table_to_py(slf.py(), &rows)
    }
}

/// A flexible job shop (Brandimarte / Hurink): each operation runs on one of several eligible
/// machines, each with its own processing time.
#[pyclass(module = "quotient", extends = PyInstance, frozen)]
#[derive(Debug)]
pub struct FlexibleJobShop;

impl FlexibleJobShop {
    fn model<'a>(slf: &'a Bound<'_, Self>) -> &'a FjspInstance {
        match base(slf.as_super()) {
            AnyInstance::Fjsp(f) => f,
            _ => unreachable_family(),
        }
    }
}

#[pymethods]
impl FlexibleJobShop {
    /// Number of jobs.
    #[getter]
    fn num_jobs(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).jobs.len()
    }

    /// Number of machines.
    #[getter]
    fn num_machines(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).machines
    }

    /// `operations[j][k]`: the `(machine, time)` alternatives of job `j`'s `k`-th operation.
    #[getter]
    fn operations<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let py = slf.py();
        let f = Self::model(slf);
        let jobs = PyList::empty(py);
        for job in &f.jobs {
            let ops = PyList::empty(py);
            for op in job {
                let alts: Vec<(usize, i64)> = op
                    .alternatives
                    .iter()
                    .map(|a| (a.machine, a.duration))
                    .collect();
                ops.append(alts)?;
            }
            jobs.append(ops)?;
        }
        Ok(jobs)
    }
}

/// A constraint matrix in CSR form: `(indptr, indices, data)`.
type Csr<'py> = (
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<f64>>,
);

/// A mixed-integer linear program (MPS / LP): minimise or maximise `c x + constant` subject to
/// `row_lower <= A x <= row_upper`, `lower <= x <= upper`, some `x` integer.
#[pyclass(module = "quotient", extends = PyInstance, frozen)]
#[derive(Debug)]
pub struct Milp;

impl Milp {
    fn model<'a>(slf: &'a Bound<'_, Self>) -> &'a MilpInstance {
        match base(slf.as_super()) {
            AnyInstance::Milp(m) => m,
            _ => unreachable_family(),
        }
    }
}

#[pymethods]
impl Milp {
    /// `"min"` or `"max"`.
    #[getter]
    fn sense(slf: &Bound<'_, Self>) -> &'static str {
        match Self::model(slf).sense {
            Sense::Minimize => "min",
            Sense::Maximize => "max",
        }
    }

    /// Number of variables.
    #[getter]
    fn num_vars(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).vars.len()
    }

    /// Number of rows (constraints).
    #[getter]
    fn num_rows(slf: &Bound<'_, Self>) -> usize {
        Self::model(slf).rows.len()
    }

    /// The objective's constant term.
    #[getter]
    fn objective_constant(slf: &Bound<'_, Self>) -> f64 {
        Self::model(slf).obj_constant
    }

    /// The objective coefficients `c`.
    #[getter]
    fn objective<'py>(slf: &Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let v: Vec<f64> = Self::model(slf).vars.iter().map(|v| v.obj).collect();
        PyArray1::from_vec(slf.py(), v)
    }

    /// Variable lower bounds (`-inf` where unbounded).
    #[getter]
    fn lower<'py>(slf: &Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let v: Vec<f64> = Self::model(slf).vars.iter().map(|v| v.lower).collect();
        PyArray1::from_vec(slf.py(), v)
    }

    /// Variable upper bounds (`inf` where unbounded).
    #[getter]
    fn upper<'py>(slf: &Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let v: Vec<f64> = Self::model(slf).vars.iter().map(|v| v.upper).collect();
        PyArray1::from_vec(slf.py(), v)
    }

    /// `True` for integer variables (binaries included).
    #[getter]
    fn integrality<'py>(slf: &Bound<'py, Self>) -> Bound<'py, PyArray1<bool>> {
        let v: Vec<bool> = Self::model(slf)
            .vars
            .iter()
            .map(|v| matches!(v.kind, VarKind::Integer))
            .collect();
        PyArray1::from_vec(slf.py(), v)
    }

    /// Variable names.
    #[getter]
    fn var_names(slf: &Bound<'_, Self>) -> Vec<String> {
        Self::model(slf)
            .vars
            .iter()
            .map(|v| v.name.clone())
            .collect()
    }

    /// Row names.
    #[getter]
    fn row_names(slf: &Bound<'_, Self>) -> Vec<String> {
        Self::model(slf)
            .rows
            .iter()
            .map(|r| r.name.clone())
            .collect()
    }

    /// Row lower bounds (`-inf` where none).
    #[getter]
    fn row_lower<'py>(slf: &Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let v: Vec<f64> = Self::model(slf).rows.iter().map(|r| r.lower).collect();
        PyArray1::from_vec(slf.py(), v)
    }

    /// Row upper bounds (`inf` where none).
    #[getter]
    fn row_upper<'py>(slf: &Bound<'py, Self>) -> Bound<'py, PyArray1<f64>> {
        let v: Vec<f64> = Self::model(slf).rows.iter().map(|r| r.upper).collect();
        PyArray1::from_vec(slf.py(), v)
    }

    /// The constraint matrix in CSR form `(indptr, indices, data)`, as
    /// `scipy.sparse.csr_matrix((data, indices, indptr), shape=(num_rows, num_vars))` takes it.
    fn csr<'py>(slf: &Bound<'py, Self>) -> Csr<'py> {
        let m = Self::model(slf);
        let mut indptr = Vec::with_capacity(m.rows.len() + 1);
        let mut indices = Vec::new();
        let mut data = Vec::new();
        indptr.push(0i64);
        for row in &m.rows {
            for &(j, a) in &row.coefs {
                indices.push(j as i64);
                data.push(a);
            }
            indptr.push(indices.len() as i64);
        }
        let py = slf.py();
        (
            PyArray1::from_vec(py, indptr),
            PyArray1::from_vec(py, indices),
            PyArray1::from_vec(py, data),
        )
    }
}

//! The library's errors as the Python exceptions of `quotient._errors` (stable `code`, message,
//! structured `detail` with the line or field).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use quotient_core::SolveError;
use quotient_core::problems::error::ParseError;
use quotient_plot::PlotError;
use serde_json::{Value, json};

/// An exception of class `class` (in `quotient._errors`) with `message`, `code` and `detail`.
fn raise(py: Python<'_>, class: &str, message: String, code: &str, detail: Value) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("quotient._errors")?;
        let detail = json_to_py(py, &detail)?;
        let err = module
            .getattr(class)?
            .call1((message.clone(), code, detail))?;
        Ok(PyErr::from_value(err))
    };
    build().unwrap_or_else(|e| e)
}

/// A parse error: `ParseError` with `line`, `format` and `kind`.
pub fn parse_error(py: Python<'_>, e: &ParseError) -> PyErr {
    let mut detail = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Some(map) = detail.as_object_mut() {
        map.insert("format".into(), json!(e.format.to_string()));
    }
    raise(py, "ParseError", e.to_string(), e.code(), detail)
}

/// A solve error: `SolveError`, with `field` for an invalid option and the violations of a
/// failed check in `detail`.
pub fn solve_error(py: Python<'_>, e: &SolveError) -> PyErr {
    let mut detail = e.detail();
    if let SolveError::InvalidOption { option, .. } = e {
        detail = json!({ "field": option });
    }
    raise(py, "SolveError", e.to_string(), e.code(), detail)
}

/// A plotting error: `PlotError`.
pub fn plot_error(py: Python<'_>, e: &PlotError) -> PyErr {
    raise(py, "PlotError", e.to_string(), e.code(), Value::Null)
}

/// Input given from Python that does not fit: `InvalidInput` naming `field`.
pub fn invalid(py: Python<'_>, field: &str, message: impl Into<String>) -> PyErr {
    let message = message.into();
    raise(
        py,
        "InvalidInput",
        format!("{field}: {message}"),
        "input.invalid",
        json!({ "field": field }),
    )
}

/// A JSON value as the Python object `json.loads` would make.
pub fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(u), _) => u.into_pyobject(py)?.into_any().unbind(),
            (_, _, Some(f)) => f.into_pyobject(py)?.into_any().unbind(),
            _ => py.None(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = pyo3::types::PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

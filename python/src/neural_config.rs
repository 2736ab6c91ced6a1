//! The neural solvers' configuration for a Python process: the ONNX Runtime library named by
//! `ORT_DYLIB_PATH`, else the one of the `onnxruntime` package importable from this Python
//! (`pip install quotient[neural]`), else the `.venv` of this environment; provider and models
//! from `QUOTIENT_ORT_PROVIDER` / `QUOTIENT_MODELS`. Resolved once, at the first solve.

use pyo3::prelude::*;
use quotient_core::neural::{self, NeuralConfig};
use std::path::PathBuf;
use std::sync::OnceLock;

static DONE: OnceLock<()> = OnceLock::new();

/// Resolve and install the configuration, once per process.
pub fn ensure(py: Python<'_>) -> PyResult<()> {
    if DONE.get().is_some() {
        return Ok(());
    }
    let found: Option<String> = py
        .import("quotient._runtime")?
        .getattr("onnxruntime_library")?
        .call0()?
        .extract()?;
    let provider: Option<String> = env(py, "QUOTIENT_ORT_PROVIDER")?;
    let models: Option<String> = env(py, "QUOTIENT_MODELS")?;
    let prefix: String = py.import("sys")?.getattr("prefix")?.extract()?;
    let config = NeuralConfig::resolve(
        found.map(PathBuf::from),
        provider,
        models.map(PathBuf::from),
        &[PathBuf::from(prefix)],
    );
    // A second `init` (another thread got here first) keeps the first configuration.
    let _ = neural::init(config);
    let _ = DONE.set(());
    Ok(())
}

fn env(py: Python<'_>, name: &str) -> PyResult<Option<String>> {
    let value: Option<String> = py
        .import("os")?
        .getattr("environ")?
        .call_method1("get", (name,))?
        .extract()?;
    Ok(value.filter(|v| !v.is_empty()))
}

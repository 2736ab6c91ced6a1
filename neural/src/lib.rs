//! quotient-neural: the neural heuristics' runtime side: the model registry
//! (`neural/models/models.json`), ONNX Runtime sessions through `ort` ([`runtime`]), and the
//! BQ-MDP policy decoders ([`tsp`]) with the solvers built on them ([`solvers`]).
//!
//! The ONNX Runtime shared library is loaded at run time (`ort`'s `load-dynamic`) from the wheel
//! that `scripts/setup` installs into the project's `.venv`, or from `ORT_DYLIB_PATH`. When it
//! or a model is missing, the neural solvers return a clear error; nothing else depends on it.

pub mod cvrp;
pub mod decode;
pub mod heatmap;
pub mod jssp;
pub mod runtime;
pub mod solvers;
pub mod tsp;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Errors with stable codes.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NeuralError {
    #[error("cannot read the model registry {path}: {source}")]
    RegistryIo {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },
    #[error("the model registry {path} is malformed: {detail}")]
    RegistryMalformed { path: PathBuf, detail: String },
    #[error("the ONNX Runtime library was not found (run scripts/setup, or set ORT_DYLIB_PATH)")]
    RuntimeMissing,
    #[error("the ONNX Runtime library {path} could not be loaded: {detail}")]
    RuntimeLoad { path: PathBuf, detail: String },
    #[error("no model named `{name}` in the registry (see `quotient solvers`)")]
    ModelUnknown { name: String },
    #[error("model `{name}`: file {path} is missing")]
    ModelMissing { name: String, path: PathBuf },
    #[error("cannot read model file {path}: {source}")]
    ModelIo {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },
    #[error("model `{name}`: sha256 {found} does not match the registry's {expected}")]
    ModelChecksum {
        name: String,
        expected: String,
        found: String,
    },
    #[error("model `{name}`: ONNX Runtime failed: {detail}")]
    Session { name: String, detail: String },
    #[error(
        "model `{name}` returned an output of unexpected shape {shape:?} (expected {expected})"
    )]
    BadOutput {
        name: String,
        shape: Vec<usize>,
        expected: String,
    },
    #[error(
        "QUOTIENT_ORT_PROVIDER={given:?}: expected `auto` (CUDA when the runtime has it, else CPU), `cpu` or `cuda`"
    )]
    ProviderUnknown { given: String },
    #[error(
        "QUOTIENT_ORT_PROVIDER=cuda, but the ONNX Runtime library {path} has no CUDA execution provider (install the GPU wheel: QUOTIENT_ORT=gpu scripts/setup)"
    )]
    CudaMissing { path: PathBuf },
    #[error("{0}")]
    Unsupported(String),
}

impl NeuralError {
    pub fn code(&self) -> &'static str {
        match self {
            NeuralError::RegistryIo { .. } => "neural.registry_io",
            NeuralError::RegistryMalformed { .. } => "neural.registry_malformed",
            NeuralError::RuntimeMissing => "neural.runtime_missing",
            NeuralError::RuntimeLoad { .. } => "neural.runtime_load",
            NeuralError::ModelUnknown { .. } => "neural.model_unknown",
            NeuralError::ModelMissing { .. } => "neural.model_missing",
            NeuralError::ModelIo { .. } => "neural.model_io",
            NeuralError::ModelChecksum { .. } => "neural.model_checksum",
            NeuralError::Session { .. } => "neural.session",
            NeuralError::BadOutput { .. } => "neural.bad_output",
            NeuralError::ProviderUnknown { .. } => "neural.provider_unknown",
            NeuralError::CudaMissing { .. } => "neural.cuda_missing",
            NeuralError::Unsupported(_) => "neural.unsupported",
        }
    }
}

/// One shipped model, as described in `models.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelEntry {
    pub name: String,
    pub family: String,
    pub file: String,
    pub sha256: String,
    #[serde(default)]
    pub trained_sizes: Vec<usize>,
    #[serde(default)]
    pub inputs: Vec<String>,
    #[serde(default)]
    pub outputs: Vec<String>,
    #[serde(default)]
    pub training_command: String,
    /// `bq` (BQ-MDP policy), ...
    #[serde(default)]
    pub kind: String,
    /// The network's hyper-parameters, as the training script wrote them.
    #[serde(default)]
    pub config: serde_json::Value,
    /// A JSON file beside the model with inputs and PyTorch's outputs (the parity test).
    #[serde(default)]
    pub parity: Option<String>,
    #[serde(default)]
    pub trained_steps: u64,
    /// Figures measured when the model was exported.
    #[serde(default)]
    pub metrics: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Registry {
    pub models: Vec<ModelEntry>,
}

impl Registry {
    /// Read a registry file.
    pub fn load(path: &Path) -> Result<Registry, NeuralError> {
        let text = std::fs::read_to_string(path).map_err(|source| NeuralError::RegistryIo {
            path: path.into(),
            source: Arc::new(source),
        })?;
        serde_json::from_str(&text).map_err(|e| NeuralError::RegistryMalformed {
            path: path.into(),
            detail: e.to_string(),
        })
    }

    /// The registry of [`runtime::models_dir`] (the source tree's `neural/models` unless
    /// `QUOTIENT_MODELS` says otherwise).
    pub fn shipped() -> Result<Registry, NeuralError> {
        Self::load(&runtime::models_dir().join("models.json"))
    }
}

/// Where the ONNX Runtime shared library is: `ORT_DYLIB_PATH` when set, else the wheel in the
/// project's `.venv` (installed by `scripts/setup`).
pub fn runtime_library() -> Result<PathBuf, NeuralError> {
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(NeuralError::RuntimeMissing)
        };
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/lib");
    let venv = venv.canonicalize().unwrap_or(venv);
    let Ok(entries) = std::fs::read_dir(&venv) else {
        return Err(NeuralError::RuntimeMissing);
    };
    for e in entries.flatten() {
        let capi = e.path().join("site-packages/onnxruntime/capi");
        if let Ok(files) = std::fs::read_dir(&capi) {
            let mut libs: Vec<PathBuf> = files
                .flatten()
                .map(|f| f.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("libonnxruntime.so"))
                })
                .collect();
            libs.sort();
            if let Some(l) = libs.pop() {
                return Ok(l);
            }
        }
    }
    Err(NeuralError::RuntimeMissing)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shipped_registry_parses() {
        let r = Registry::shipped().unwrap();
        for m in &r.models {
            assert!(!m.sha256.is_empty(), "{} has no sha256", m.name);
        }
    }

    #[test]
    fn malformed_registry_is_an_error_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("quotient-neural-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("models.json");
        std::fs::write(&p, "{\"models\": 3}").unwrap();
        let e = Registry::load(&p).unwrap_err();
        assert_eq!(e.code(), "neural.registry_malformed");
        let e = Registry::load(&dir.join("absent.json")).unwrap_err();
        assert_eq!(e.code(), "neural.registry_io");
    }
}

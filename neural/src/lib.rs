//! quotient-neural: the neural heuristics' runtime side: the model registry
//! (`neural/models/models.json`), ONNX Runtime sessions through `ort` ([`runtime`]), and the
//! BQ-MDP policy decoders ([`tsp`]) with the solvers built on them ([`solvers`]).
//!
//! The ONNX Runtime shared library is loaded at run time (`ort`'s `load-dynamic`) from the path
//! in the [`NeuralConfig`] that the binary (CLI, server) resolves once at start-up and hands to
//! [`init`]; this crate reads no environment variable. The shipped models are embedded in the
//! binary ([`models`]) unless the configuration names a models directory. When the runtime or a
//! model is missing, the neural solvers return a clear error; nothing else depends on them.

pub mod blocking;
pub mod cvrp;
pub mod decode;
pub mod heatmap;
pub mod jssp;
pub mod models;
pub mod pi;
pub mod runtime;
pub mod solvers;
pub mod tsp;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where the neural solvers find the ONNX Runtime library and their models, and where they
/// run: resolved once by the binary (from its flags, environment and install layout) and
/// handed to [`init`]. The default finds no runtime (the neural solvers are unavailable),
/// picks the execution provider automatically and uses the embedded models.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeuralConfig {
    /// The ONNX Runtime shared library (`libonnxruntime.so*`); `None`: none was found.
    pub runtime_library: Option<PathBuf>,
    /// Where the runtime library was looked for, for the error when it is missing (e.g.
    /// `ORT_DYLIB_PATH=...`, a `.venv`).
    pub runtime_searched: Vec<String>,
    /// The execution provider asked for: `auto` (or `None`), `cpu` or `cuda`; checked when the
    /// runtime is loaded ([`NeuralError::ProviderUnknown`]).
    pub provider: Option<String>,
    /// Where the models are read from.
    pub models: models::ModelSource,
}

impl NeuralConfig {
    /// The configuration from settings the binary read (it reads the environment; this crate
    /// never does): `ort_dylib_path` (`ORT_DYLIB_PATH`) names the runtime library when given,
    /// else the first of `venvs` holding the `onnxruntime` wheel provides it ([`runtime_in_venv`]);
    /// `provider` (`QUOTIENT_ORT_PROVIDER`) as given; `models_dir` (`QUOTIENT_MODELS`) a models
    /// directory instead of the embedded models.
    pub fn resolve(
        ort_dylib_path: Option<PathBuf>,
        provider: Option<String>,
        models_dir: Option<PathBuf>,
        venvs: &[PathBuf],
    ) -> NeuralConfig {
        let (runtime_library, runtime_searched) = match ort_dylib_path {
            Some(p) => {
                let searched = vec![format!("ORT_DYLIB_PATH={}", p.display())];
                (Some(p), searched)
            }
            None => (
                venvs.iter().find_map(|v| runtime_in_venv(v)),
                venvs.iter().map(|v| v.display().to_string()).collect(),
            ),
        };
        NeuralConfig {
            runtime_library,
            runtime_searched,
            provider,
            models: models_dir.map_or(models::ModelSource::Embedded, models::ModelSource::Dir),
        }
    }
}

static CONFIG: OnceLock<NeuralConfig> = OnceLock::new();

/// Set the process's neural configuration, once, before the first neural solve. A second call
/// changes nothing and returns the configuration already in force as the error.
pub fn init(config: NeuralConfig) -> Result<(), Box<NeuralConfig>> {
    let mut given = Some(config);
    let set = CONFIG.get_or_init(|| given.take().unwrap_or_default());
    match given {
        None => Ok(()),
        Some(_) => Err(Box::new(set.clone())),
    }
}

/// The configuration in force: the one given to [`init`], else [`NeuralConfig::default`].
pub fn config() -> &'static NeuralConfig {
    CONFIG.get_or_init(NeuralConfig::default)
}

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
    #[error(
        "the ONNX Runtime library was not found (looked in: {}; run scripts/setup, or set ORT_DYLIB_PATH)",
        places(searched)
    )]
    RuntimeMissing { searched: Vec<String> },
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
    /// The run was stopped by the caller's cancel flag (see `Model::run_edges_until`).
    #[error("model `{name}`: stopped by a cancel")]
    Stopped { name: String },
}

/// The places searched, for [`NeuralError::RuntimeMissing`].
fn places(searched: &[String]) -> String {
    if searched.is_empty() {
        "nowhere".to_string()
    } else {
        searched.join(", ")
    }
}

impl NeuralError {
    pub fn code(&self) -> &'static str {
        match self {
            NeuralError::RegistryIo { .. } => "neural.registry_io",
            NeuralError::RegistryMalformed { .. } => "neural.registry_malformed",
            NeuralError::RuntimeMissing { .. } => "neural.runtime_missing",
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
            NeuralError::Stopped { .. } => "neural.stopped",
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
        Self::parse(&text, path)
    }

    /// The registry of the configured models ([`NeuralConfig::models`]): the embedded
    /// `models.json`, or the one in the configured directory.
    pub fn shipped() -> Result<Registry, NeuralError> {
        config().models.registry()
    }

    /// Parse a registry's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Registry, NeuralError> {
        serde_json::from_str(text).map_err(|e| NeuralError::RegistryMalformed {
            path: path.into(),
            detail: e.to_string(),
        })
    }
}

/// The ONNX Runtime library of a Python virtualenv with the `onnxruntime` wheel (what
/// `scripts/setup` installs): `VENV/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so*`,
/// the last by name when there are several.
pub fn runtime_in_venv(venv: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(venv.join("lib")).ok()?;
    let mut pythons: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    pythons.sort();
    for python in pythons {
        let capi = python.join("site-packages/onnxruntime/capi");
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
                return Some(l);
            }
        }
    }
    None
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

    #[test]
    fn the_runtime_is_found_in_a_virtualenv_layout_and_a_missing_one_says_where_it_looked() {
        let venv = std::env::temp_dir().join(format!("quotient-venv-{}", std::process::id()));
        let capi = venv.join("lib/python3.11/site-packages/onnxruntime/capi");
        std::fs::create_dir_all(&capi).unwrap();
        assert_eq!(runtime_in_venv(&venv), None);
        std::fs::write(capi.join("libonnxruntime.so.1.31.1"), b"").unwrap();
        assert_eq!(
            runtime_in_venv(&venv),
            Some(capi.join("libonnxruntime.so.1.31.1"))
        );
        let e = NeuralError::RuntimeMissing {
            searched: vec!["ORT_DYLIB_PATH=/x".into(), "/y/.venv".into()],
        };
        assert!(
            e.to_string()
                .contains("looked in: ORT_DYLIB_PATH=/x, /y/.venv"),
            "{e}"
        );
        assert_eq!(e.code(), "neural.runtime_missing");
        // Resolution: an explicit library wins over the virtualenvs; models default to embedded.
        let c = NeuralConfig::resolve(None, None, None, &[venv.join("absent"), venv.clone()]);
        assert_eq!(
            c.runtime_library,
            Some(capi.join("libonnxruntime.so.1.31.1"))
        );
        assert_eq!(c.runtime_searched.len(), 2);
        assert_eq!(c.models, models::ModelSource::Embedded);
        let c = NeuralConfig::resolve(
            Some("/x/lib.so".into()),
            Some("cpu".into()),
            Some("/m".into()),
            std::slice::from_ref(&venv),
        );
        assert_eq!(c.runtime_library, Some(PathBuf::from("/x/lib.so")));
        assert_eq!(c.runtime_searched, ["ORT_DYLIB_PATH=/x/lib.so"]);
        assert_eq!(c.provider.as_deref(), Some("cpu"));
        assert_eq!(c.models, models::ModelSource::Dir("/m".into()));
        std::fs::remove_dir_all(&venv).unwrap();
    }
}

//! quotient-neural: the neural heuristics' runtime side. Today: the model registry
//! (`neural/models/models.json`) and locating the ONNX Runtime shared library that the project's
//! set-up installs into `.venv`. ONNX sessions, encoders and decoders arrive with the neural issues.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Errors with stable codes.
#[derive(Debug, thiserror::Error)]
pub enum NeuralError {
    #[error("cannot read the model registry {path}: {source}")]
    RegistryIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the model registry {path} is malformed: {detail}")]
    RegistryMalformed { path: PathBuf, detail: String },
    #[error("the ONNX Runtime library was not found (run scripts/setup, or set ORT_DYLIB_PATH)")]
    RuntimeMissing,
}

impl NeuralError {
    pub fn code(&self) -> &'static str {
        match self {
            NeuralError::RegistryIo { .. } => "neural.registry_io",
            NeuralError::RegistryMalformed { .. } => "neural.registry_malformed",
            NeuralError::RuntimeMissing => "neural.runtime_missing",
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
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| NeuralError::RegistryMalformed {
            path: path.into(),
            detail: e.to_string(),
        })
    }

    /// The registry shipped with the source tree.
    pub fn shipped() -> Result<Registry, NeuralError> {
        Self::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models/models.json"))
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

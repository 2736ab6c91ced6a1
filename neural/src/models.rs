//! Where the models come from: embedded in the binary (the default: `neural/models` as it was
//! at build time, about 8.7 MB of ONNX files plus `models.json`), or a directory the binary's
//! configuration names (`QUOTIENT_MODELS` for the `quotient` binary) holding a `models.json`
//! and its files. Either way each model is checked against the registry's sha256 before use.

use crate::{NeuralError, Registry};
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded registry (`neural/models/models.json` at build time).
pub const EMBEDDED_REGISTRY: &str = include_str!("../models/models.json");

/// The embedded model files, by the file name the registry gives.
const EMBEDDED_FILES: &[(&str, &[u8])] = &[
    ("tsp_bq.onnx", include_bytes!("../models/tsp_bq.onnx")),
    ("cvrp_bq.onnx", include_bytes!("../models/cvrp_bq.onnx")),
    (
        "tsp_heatmap_gnn.onnx",
        include_bytes!("../models/tsp_heatmap_gnn.onnx"),
    ),
    (
        "tsp_pi_gnn.onnx",
        include_bytes!("../models/tsp_pi_gnn.onnx"),
    ),
    (
        "jssp_dispatch_gnn.onnx",
        include_bytes!("../models/jssp_dispatch_gnn.onnx"),
    ),
    (
        "jssp_improve_gnn.onnx",
        include_bytes!("../models/jssp_improve_gnn.onnx"),
    ),
    (
        "jssp_blocking_gnn.onnx",
        include_bytes!("../models/jssp_blocking_gnn.onnx"),
    ),
];

/// Where the models are read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ModelSource {
    /// Built into the binary.
    #[default]
    Embedded,
    /// A directory with `models.json` and the files it names.
    Dir(PathBuf),
}

impl fmt::Display for ModelSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelSource::Embedded => write!(f, "embedded in the binary"),
            ModelSource::Dir(d) => write!(f, "{}", d.display()),
        }
    }
}

impl ModelSource {
    /// The registry of this source.
    pub fn registry(&self) -> Result<Registry, NeuralError> {
        match self {
            ModelSource::Embedded => {
                Registry::parse(EMBEDDED_REGISTRY, Path::new("<embedded>/models.json"))
            }
            ModelSource::Dir(d) => Registry::load(&d.join("models.json")),
        }
    }

    /// Where `file` is, for messages.
    pub fn path_of(&self, file: &str) -> PathBuf {
        match self {
            ModelSource::Embedded => Path::new("<embedded>").join(file),
            ModelSource::Dir(d) => d.join(file),
        }
    }

    /// The bytes of model file `file` (of model `name`).
    pub fn read(&self, name: &str, file: &str) -> Result<Cow<'static, [u8]>, NeuralError> {
        let missing = || NeuralError::ModelMissing {
            name: name.into(),
            path: self.path_of(file),
        };
        match self {
            ModelSource::Embedded => EMBEDDED_FILES
                .iter()
                .find(|(f, _)| *f == file)
                .map(|&(_, bytes)| Cow::Borrowed(bytes))
                .ok_or_else(missing),
            ModelSource::Dir(d) => {
                let path = d.join(file);
                if !path.is_file() {
                    return Err(missing());
                }
                std::fs::read(&path)
                    .map(Cow::Owned)
                    .map_err(|source| NeuralError::ModelIo {
                        path,
                        source: Arc::new(source),
                    })
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_model_is_embedded_with_its_registered_sha256() {
        let reg = ModelSource::Embedded.registry().unwrap();
        assert!(!reg.models.is_empty());
        for m in &reg.models {
            let bytes = ModelSource::Embedded.read(&m.name, &m.file).unwrap();
            assert_eq!(crate::runtime::sha256_hex(&bytes), m.sha256, "{}", m.name);
        }
        let e = ModelSource::Embedded.read("x", "absent.onnx").unwrap_err();
        assert_eq!(e.code(), "neural.model_missing");
        assert!(e.to_string().contains("<embedded>/absent.onnx"), "{e}");
    }

    #[test]
    fn a_models_directory_is_read_from_its_own_registry() {
        let dir = std::env::temp_dir().join(format!("quotient-models-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("models.json"), "{\"models\": []}").unwrap();
        std::fs::write(dir.join("m.onnx"), b"abc").unwrap();
        let src = ModelSource::Dir(dir.clone());
        assert!(src.registry().unwrap().models.is_empty());
        assert_eq!(&*src.read("m", "m.onnx").unwrap(), b"abc");
        assert_eq!(
            src.read("m", "n.onnx").unwrap_err().code(),
            "neural.model_missing"
        );
        assert_eq!(src.to_string(), dir.display().to_string());
        assert_eq!(ModelSource::Embedded.to_string(), "embedded in the binary");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

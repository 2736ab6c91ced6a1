//! ONNX Runtime through `ort` (`load-dynamic`): one process-wide environment, models checked
//! against their registry sha256, and a pool of sessions per model (an ort `Session::run`
//! takes `&mut self`, so each concurrent caller needs its own session).

use crate::{ModelEntry, NeuralError, Registry, runtime_library};
use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::TensorRef;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The process-wide ONNX Runtime environment (ort allows one per process). The outcome of the
/// first attempt is kept: a missing library is reported the same way every time.
fn environment() -> Result<&'static Environment, NeuralError> {
    static ENV: OnceLock<Result<Environment, NeuralError>> = OnceLock::new();
    ENV.get_or_init(|| {
        let lib = runtime_library()?;
        let builder = ort::init_from(&lib).map_err(|e| NeuralError::RuntimeLoad {
            path: lib.clone(),
            detail: e.to_string(),
        })?;
        builder
            .with_name("quotient")
            .build()
            .map_err(|e| NeuralError::RuntimeLoad {
                path: lib,
                detail: e.to_string(),
            })
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Whether the ONNX Runtime library can be loaded (for `quotient solvers`).
pub fn runtime_available() -> Result<(), NeuralError> {
    environment().map(|_| ())
}

/// Where the shipped models are: `QUOTIENT_MODELS` when set, else the source tree's
/// `neural/models`.
pub fn models_dir() -> PathBuf {
    std::env::var_os("QUOTIENT_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"))
}

/// The sha256 of a file, as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, NeuralError> {
    let bytes = std::fs::read(path).map_err(|source| NeuralError::ModelIo {
        path: path.into(),
        source: Arc::new(source),
    })?;
    let digest = Sha256::digest(&bytes);
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// A loaded model: its registry entry and a pool of sessions.
#[derive(Debug)]
pub struct Model {
    pub entry: ModelEntry,
    path: PathBuf,
    pool: Mutex<Vec<Session>>,
}

/// Output of one model call: the scores and their shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub data: Vec<f32>,
    pub shape: Vec<usize>,
}

impl Model {
    /// Check the file against the entry's sha256 and make sure one session can be created.
    pub fn open(entry: &ModelEntry, dir: &Path) -> Result<Model, NeuralError> {
        let path = dir.join(&entry.file);
        if !path.is_file() {
            return Err(NeuralError::ModelMissing {
                name: entry.name.clone(),
                path,
            });
        }
        let found = sha256_file(&path)?;
        if !found.eq_ignore_ascii_case(&entry.sha256) {
            return Err(NeuralError::ModelChecksum {
                name: entry.name.clone(),
                expected: entry.sha256.clone(),
                found,
            });
        }
        let model = Model {
            entry: entry.clone(),
            path,
            pool: Mutex::new(Vec::new()),
        };
        let s = model.new_session()?;
        model.give_back(s);
        Ok(model)
    }

    fn session_error(&self, detail: String) -> NeuralError {
        NeuralError::Session {
            name: self.entry.name.clone(),
            detail,
        }
    }

    fn new_session(&self) -> Result<Session, NeuralError> {
        let env = environment()?;
        let err = |detail: String| self.session_error(detail);
        Session::builder(env)
            .map_err(|e| err(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::All)
            .map_err(|e| err(e.to_string()))?
            .with_intra_threads(1)
            .map_err(|e| err(e.to_string()))?
            .with_inter_threads(1)
            .map_err(|e| err(e.to_string()))?
            .commit_from_file(&self.path)
            .map_err(|e| err(e.to_string()))
    }

    fn take(&self) -> Result<Session, NeuralError> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        match pooled {
            Some(s) => Ok(s),
            None => self.new_session(),
        }
    }

    fn give_back(&self, s: Session) {
        if let Ok(mut p) = self.pool.lock() {
            p.push(s);
        }
    }

    /// Run the model on one float32 input tensor of `shape` (its first input) and return its
    /// first output. Each caller gets a session of its own from the pool (one is created when
    /// none is free), so concurrent workers never wait for one another.
    pub fn run(&self, input: &[f32], shape: &[usize]) -> Result<Scores, NeuralError> {
        let err = |detail: String| self.session_error(detail);
        let mut session = self.take()?;
        let result = (|| {
            let tensor =
                TensorRef::from_array_view((shape, input)).map_err(|e| err(e.to_string()))?;
            let outputs = session
                .run(ort::inputs![tensor])
                .map_err(|e| err(e.to_string()))?;
            let Some(first) = outputs.values().next() else {
                return Err(err("the model has no output".into()));
            };
            let (out_shape, data) = first
                .try_extract_tensor::<f32>()
                .map_err(|e| err(e.to_string()))?;
            let shape: Vec<usize> = out_shape.iter().map(|&d| d.max(0) as usize).collect();
            Ok(Scores {
                data: data.to_vec(),
                shape,
            })
        })();
        self.give_back(session);
        result
    }
}

/// Models opened so far, by name (each opened and checked once per process).
pub fn model(name: &str) -> Result<Arc<Model>, NeuralError> {
    static OPEN: OnceLock<Mutex<HashMap<String, Arc<Model>>>> = OnceLock::new();
    let open = OPEN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(m) = open.lock().ok().and_then(|o| o.get(name).cloned()) {
        return Ok(m);
    }
    let reg = Registry::shipped()?;
    let entry = reg
        .models
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| NeuralError::ModelUnknown { name: name.into() })?;
    let m = Arc::new(Model::open(entry, &models_dir())?);
    if let Ok(mut o) = open.lock() {
        o.insert(name.into(), m.clone());
    }
    Ok(m)
}

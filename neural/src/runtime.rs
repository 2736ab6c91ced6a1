//! ONNX Runtime through `ort` (`load-dynamic`): one process-wide environment, models checked
//! against their registry sha256, and a pool of sessions per model (an ort `Session::run`
//! takes `&mut self`, so each concurrent caller needs its own session).
//!
//! Execution provider ([`NeuralConfig::provider`](crate::NeuralConfig), `QUOTIENT_ORT_PROVIDER`
//! for the `quotient` binary): `auto` (default) runs the models on CUDA when the loaded runtime
//! has the CUDA provider (the `onnxruntime-gpu` wheel) and on the CPU otherwise; `cpu` forces
//! the CPU; `cuda` makes a runtime or a session without CUDA an error.

use crate::models::ModelSource;
use crate::{ModelEntry, NeuralError, config};
use ort::environment::Environment;
use ort::ep::{CUDA, ExecutionProvider};
use ort::session::builder::GraphOptimizationLevel;
use ort::session::{RunOptions, Session};
use ort::value::TensorRef;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The configured ONNX Runtime library, when it is a file.
fn runtime_library() -> Result<PathBuf, NeuralError> {
    let c = config();
    match &c.runtime_library {
        Some(p) if p.is_file() => Ok(p.clone()),
        _ => Err(NeuralError::RuntimeMissing {
            searched: c.runtime_searched.clone(),
        }),
    }
}

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

/// Where the models run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Cpu,
    /// CUDA; `required` when asked for by name (a session that cannot use it is an error),
    /// not when `auto` chose it (ONNX Runtime then falls back to the CPU).
    Cuda {
        required: bool,
    },
}

impl Provider {
    /// The provider's name as `quotient solvers` prints it (`CPU` or `CUDA`).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Cpu => "CPU",
            Provider::Cuda { .. } => "CUDA",
        }
    }
}

/// What `QUOTIENT_ORT_PROVIDER` asks for (`None`: auto).
fn requested_provider(value: Option<&str>) -> Result<Option<Provider>, NeuralError> {
    match value.map(str::trim) {
        None | Some("" | "auto") => Ok(None),
        Some("cpu") => Ok(Some(Provider::Cpu)),
        Some("cuda") => Ok(Some(Provider::Cuda { required: true })),
        Some(other) => Err(NeuralError::ProviderUnknown {
            given: other.to_string(),
        }),
    }
}

/// The provider the models run on, decided once per process from the configured setting and
/// the providers the loaded runtime was built with.
pub fn execution_provider() -> Result<Provider, NeuralError> {
    static CHOSEN: OnceLock<Result<Provider, NeuralError>> = OnceLock::new();
    CHOSEN
        .get_or_init(|| {
            let requested = requested_provider(config().provider.as_deref())?;
            environment()?;
            let has_cuda = CUDA::is_available().unwrap_or(false);
            match requested {
                Some(Provider::Cuda { .. }) if !has_cuda => Err(NeuralError::CudaMissing {
                    path: runtime_library()?,
                }),
                Some(p) => Ok(p),
                None if has_cuda => Ok(Provider::Cuda { required: false }),
                None => Ok(Provider::Cpu),
            }
        })
        .clone()
}

/// Where the models are read from (the configured [`ModelSource`]).
pub fn models_source() -> &'static ModelSource {
    &config().models
}

/// The sha256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of a file, as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, NeuralError> {
    let bytes = std::fs::read(path).map_err(|source| NeuralError::ModelIo {
        path: path.into(),
        source: Arc::new(source),
    })?;
    Ok(sha256_hex(&bytes))
}

/// A loaded model: its registry entry and a pool of sessions.
#[derive(Debug)]
pub struct Model {
    pub entry: ModelEntry,
    bytes: Cow<'static, [u8]>,
    pool: Mutex<Vec<Session>>,
}

/// Output of one model call: the scores and their shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub data: Vec<f32>,
    pub shape: Vec<usize>,
}

impl Model {
    /// Read the model from `source`, check it against the entry's sha256 and make sure one
    /// session can be created.
    pub fn open(entry: &ModelEntry, source: &ModelSource) -> Result<Model, NeuralError> {
        let bytes = source.read(&entry.name, &entry.file)?;
        let found = sha256_hex(&bytes);
        if !found.eq_ignore_ascii_case(&entry.sha256) {
            return Err(NeuralError::ModelChecksum {
                name: entry.name.clone(),
                expected: entry.sha256.clone(),
                found,
            });
        }
        let model = Model {
            entry: entry.clone(),
            bytes,
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
        let provider = execution_provider()?;
        let err = |detail: String| self.session_error(detail);
        let mut builder = Session::builder(env).map_err(|e| err(e.to_string()))?;
        if let Provider::Cuda { required } = provider {
            let cuda = CUDA::default().build();
            let cuda = if required {
                cuda.error_on_failure()
            } else {
                cuda
            };
            builder = builder
                .with_execution_providers([cuda])
                .map_err(|e| err(format!("CUDA execution provider: {e}")))?;
        }
        builder
            .with_optimization_level(GraphOptimizationLevel::All)
            .map_err(|e| err(e.to_string()))?
            .with_intra_threads(1)
            .map_err(|e| err(e.to_string()))?
            .with_inter_threads(1)
            .map_err(|e| err(e.to_string()))?
            .commit_from_memory(&self.bytes)
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

    /// Run `inputs` on a session of the pool and return the first output as float32 scores.
    /// Each caller gets a session of its own (one is created when none is free), so
    /// concurrent workers never wait for one another.
    fn run_inputs(
        &self,
        inputs: ort::session::SessionInputs<'_, '_>,
    ) -> Result<Scores, NeuralError> {
        self.run_inputs_until(inputs, None)
    }

    /// [`Model::run_inputs`]; with `cancel`, a watcher thread terminates the run (ONNX Runtime's
    /// run options) within a few milliseconds of the flag being set, and the run returns
    /// [`NeuralError::Stopped`]. For long single runs (the heatmap of thousands of nodes).
    fn run_inputs_until(
        &self,
        inputs: ort::session::SessionInputs<'_, '_>,
        cancel: Option<&AtomicBool>,
    ) -> Result<Scores, NeuralError> {
        let err = |detail: String| self.session_error(detail);
        let Some(cancel) = cancel else {
            return self.run_with(inputs, None);
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(NeuralError::Stopped {
                name: self.entry.name.clone(),
            });
        }
        let options = RunOptions::new().map_err(|e| err(e.to_string()))?;
        let done = AtomicBool::new(false);
        let result = std::thread::scope(|s| {
            s.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    if cancel.load(Ordering::Relaxed) {
                        let _ = options.terminate();
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            });
            let r = self.run_with(inputs, Some(&options));
            done.store(true, Ordering::Relaxed);
            r
        });
        match result {
            Err(_) if cancel.load(Ordering::Relaxed) => Err(NeuralError::Stopped {
                name: self.entry.name.clone(),
            }),
            r => r,
        }
    }

    /// One run on a session of the pool, with `options` when given.
    fn run_with(
        &self,
        inputs: ort::session::SessionInputs<'_, '_>,
        options: Option<&RunOptions>,
    ) -> Result<Scores, NeuralError> {
        let err = |detail: String| self.session_error(detail);
        let mut session = self.take()?;
        let result = (|| {
            let outputs = match options {
                Some(o) => session.run_with_options(inputs, o),
                None => session.run(inputs),
            }
            .map_err(|e| err(e.to_string()))?;
            let Some(first) = outputs.values().next() else {
                return Err(err("the model has no output".into()));
            };
            let (out_shape, data) = first
                .try_extract_tensor::<f32>()
                .map_err(|e| err(e.to_string()))?;
            Ok(Scores {
                data: data.to_vec(),
                shape: out_shape.iter().map(|&d| d.max(0) as usize).collect(),
            })
        })();
        self.give_back(session);
        result
    }

    /// Run the model on one float32 input tensor of `shape` (its first input) and return its
    /// first output.
    pub fn run(&self, input: &[f32], shape: &[usize]) -> Result<Scores, NeuralError> {
        let tensor = TensorRef::from_array_view((shape, input))
            .map_err(|e| self.session_error(e.to_string()))?;
        let inputs = ort::inputs![tensor];
        self.run_inputs(inputs.as_slice().into())
    }

    /// Run a graph model: node features `x` [n, f], job and machine arcs [2, e] (sources, then
    /// targets), candidate pairs [c, 2]; returns its first output, one score per pair.
    pub fn run_graph(&self, g: &GraphTensors) -> Result<Vec<f32>, NeuralError> {
        let t = |e: ort::Error| self.session_error(e.to_string());
        let x = TensorRef::from_array_view(([g.n, g.f], g.x.as_slice())).map_err(t)?;
        let job =
            TensorRef::from_array_view(([2, g.job.len() / 2], g.job.as_slice())).map_err(t)?;
        let mach =
            TensorRef::from_array_view(([2, g.mach.len() / 2], g.mach.as_slice())).map_err(t)?;
        let pairs =
            TensorRef::from_array_view(([g.pairs.len() / 2, 2], g.pairs.as_slice())).map_err(t)?;
        let inputs = ort::inputs![x, job, mach, pairs];
        let out = self.run_inputs(inputs.as_slice().into())?;
        if out.data.len() != g.pairs.len() / 2 {
            return Err(NeuralError::BadOutput {
                name: self.entry.name.clone(),
                shape: out.shape,
                expected: format!("{} scores", g.pairs.len() / 2),
            });
        }
        Ok(out.data)
    }
    /// Run an edge-scoring graph model (the TSP heatmap): node features [n, f], edges [2, e]
    /// (sources, then targets), edge features [e, g]; returns its first output, one logit per
    /// edge.
    pub fn run_edges(&self, g: &crate::heatmap::HeatGraph) -> Result<Vec<f32>, NeuralError> {
        self.run_edges_until(g, None)
    }

    /// [`Model::run_edges`], stopped within a few milliseconds when `cancel` is set
    /// ([`NeuralError::Stopped`]).
    pub fn run_edges_until(
        &self,
        g: &crate::heatmap::HeatGraph,
        cancel: Option<&AtomicBool>,
    ) -> Result<Vec<f32>, NeuralError> {
        self.run_heat_graph(g, cancel, g.edges(), "edge logits")
    }

    /// A node model over a [`crate::heatmap::HeatGraph`] (the learned ascent, `crate::pi`): one
    /// output per node, stopped within a few milliseconds when `cancel` is set.
    pub fn run_nodes_until(
        &self,
        g: &crate::heatmap::HeatGraph,
        cancel: Option<&AtomicBool>,
    ) -> Result<Vec<f32>, NeuralError> {
        self.run_heat_graph(g, cancel, g.n, "node outputs")
    }

    /// The heat graph's three inputs through the model; `expected` outputs (`what`) or
    /// [`NeuralError::BadOutput`].
    fn run_heat_graph(
        &self,
        g: &crate::heatmap::HeatGraph,
        cancel: Option<&AtomicBool>,
        expected: usize,
        what: &str,
    ) -> Result<Vec<f32>, NeuralError> {
        let t = |e: ort::Error| self.session_error(e.to_string());
        let e = g.edges();
        let nf = g.node_x.len() / g.n.max(1);
        let ef = g.edge_x.len() / e.max(1);
        let x = TensorRef::from_array_view(([g.n, nf], g.node_x.as_slice())).map_err(t)?;
        let mut index = Vec::with_capacity(2 * e);
        index.extend_from_slice(&g.src);
        index.extend_from_slice(&g.dst);
        let edges = TensorRef::from_array_view(([2, e], index.as_slice())).map_err(t)?;
        let ex = TensorRef::from_array_view(([e, ef], g.edge_x.as_slice())).map_err(t)?;
        let inputs = ort::inputs![x, edges, ex];
        let out = self.run_inputs_until(inputs.as_slice().into(), cancel)?;
        if out.data.len() != expected {
            return Err(NeuralError::BadOutput {
                name: self.entry.name.clone(),
                shape: out.shape,
                expected: format!("{expected} {what}"),
            });
        }
        Ok(out.data)
    }
}

/// The inputs of a graph model as flat tensors (see [`Model::run_graph`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphTensors {
    /// Nodes and features per node.
    pub n: usize,
    pub f: usize,
    pub x: Vec<f32>,
    /// [2, e]: all sources, then all targets.
    pub job: Vec<i64>,
    pub mach: Vec<i64>,
    /// [c, 2], row-major.
    pub pairs: Vec<i64>,
}

impl GraphTensors {
    /// One imitation-training record with its `target` (one value per pair), in the format
    /// `neural/train/gnn/data.py` reads: little-endian u32 counts (nodes, job edges, machine
    /// edges, pairs), the features as f32, the edges and pairs as i32, the target as f32.
    pub fn training_record(&self, target: &[f32]) -> Vec<u8> {
        let mut buf: Vec<u8> = Vec::new();
        for v in [
            self.n,
            self.job.len() / 2,
            self.mach.len() / 2,
            self.pairs.len() / 2,
        ] {
            buf.extend((v as u32).to_le_bytes());
        }
        for v in &self.x {
            buf.extend(v.to_le_bytes());
        }
        for v in self.job.iter().chain(&self.mach).chain(&self.pairs) {
            buf.extend((*v as i32).to_le_bytes());
        }
        for v in target {
            buf.extend(v.to_le_bytes());
        }
        buf
    }
}

/// Models opened so far, by name (each opened and checked once per process).
pub fn model(name: &str) -> Result<Arc<Model>, NeuralError> {
    static OPEN: OnceLock<Mutex<HashMap<String, Arc<Model>>>> = OnceLock::new();
    let open = OPEN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(m) = open.lock().ok().and_then(|o| o.get(name).cloned()) {
        return Ok(m);
    }
    let source = models_source();
    let reg = source.registry()?;
    let entry = reg
        .models
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| NeuralError::ModelUnknown { name: name.into() })?;
    let m = Arc::new(Model::open(entry, source)?);
    if let Ok(mut o) = open.lock() {
        o.insert(name.into(), m.clone());
    }
    Ok(m)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_training_record_is_counts_features_edges_pairs_target() {
        let t = GraphTensors {
            n: 2,
            f: 1,
            x: vec![0.5, 1.5],
            job: vec![0, 1],
            mach: vec![],
            pairs: vec![1, 0],
        };
        let r = t.training_record(&[1.0]);
        let u32s: Vec<u32> = r[..16]
            .chunks(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        assert_eq!(u32s, [2, 1, 0, 1]);
        assert_eq!(r[16..20], 0.5f32.to_le_bytes());
        assert_eq!(r[24..28], 0i32.to_le_bytes());
        assert_eq!(r[28..32], 1i32.to_le_bytes());
        assert_eq!(r[32..36], 1i32.to_le_bytes());
        assert_eq!(r[40..], 1.0f32.to_le_bytes());
        assert_eq!(r.len(), 16 + 2 * 4 + 4 * 4 + 4);
    }

    #[test]
    fn provider_setting_is_parsed_and_a_bad_one_named() {
        assert_eq!(requested_provider(None).unwrap(), None);
        assert_eq!(requested_provider(Some("auto")).unwrap(), None);
        assert_eq!(
            requested_provider(Some(" cpu ")).unwrap(),
            Some(Provider::Cpu)
        );
        assert_eq!(
            requested_provider(Some("cuda")).unwrap(),
            Some(Provider::Cuda { required: true })
        );
        let e = requested_provider(Some("tpu")).unwrap_err();
        assert_eq!(e.code(), "neural.provider_unknown");
        assert!(e.to_string().contains("\"tpu\""), "{e}");
    }
}

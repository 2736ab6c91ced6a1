//! TSP edge heatmap: a gated graph convolutional network (anisotropic GCN with edge gates, as
//! Att-GCN / DIMES) over the sparse k-nearest-neighbour graph scores every edge `i -> j` (`j` one
//! of the [`GRAPH_K`] nearest of `i`) with the logit of "this edge is in a good tour". The scores
//! choose the candidate lists of `tsp.ils` ([`CandidateOrder::Heatmap`]).
//!
//! Every feature is local and scale-free, so one model trained on TSP100 runs on any `n`: the
//! graph has `n * k` edges (n = 10 000: 160 000 edges), never an `n x n` matrix; inference on one
//! core takes about 0.1 ms per node (1.8 s at n = 18 512).
//!
//! * node `i` (2): `d1(i) / s` and `mean_j d(i, j) / s` over its list, where `d1(i)` is its
//!   nearest-neighbour distance and `s` the mean of `d1` over the instance (the local density);
//! * edge `i -> j` (5): `d(i, j) / s`, `(x_j - x_i) / c`, `(y_j - y_i) / c` (`c`: the mean
//!   coordinate distance to the nearest neighbour), `rank / (k - 1)` (0 for the nearest) and
//!   `d(i, j) / (d1(i) + d1(j))`; each clipped to [-10, 10].
//!
//! Distances are the instance's own metric; coordinates are needed (for the direction features),
//! so explicit-matrix instances are refused. Training data are written by the `tsp_heat_data`
//! example through [`heat_graph`], so training and inference see the same features.

use crate::NeuralError;
use crate::runtime::Model;
use quotient_problems::tsp::TspInstance;
use quotient_solvers::tsp::nearest_lists;

/// The registry name of the TSP heatmap model.
pub const HEATMAP_MODEL: &str = "tsp_heatmap_gnn";
/// Neighbours per node in the model's graph.
pub const GRAPH_K: usize = 16;
/// Features per node.
pub const NODE_FEATURES: usize = 2;
/// Features per edge.
pub const EDGE_FEATURES: usize = 5;
/// The largest instance the heatmap is built for: ONNX Runtime keeps a few [edges, d] float
/// tensors alive per layer (measured: 1.8 GB peak at n = 100 000, 11.6 s on one core); larger
/// instances run on distance lists.
pub const MAX_NODES: usize = 200_000;

const CLIP: f32 = 10.0;

/// The model's input graph: `n` nodes, directed edges `src[e] -> dst[e]` (each node's list,
/// nearest first), features row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatGraph {
    pub n: usize,
    pub node_x: Vec<f32>,
    pub src: Vec<i64>,
    pub dst: Vec<i64>,
    pub edge_x: Vec<f32>,
    /// The distance scale `s` of the features (the mean nearest-neighbour distance), in cost
    /// units: node-level outputs measured in `s` (the learned ascent's penalties) are
    /// multiplied by it.
    pub scale: f64,
}

impl HeatGraph {
    /// Number of directed edges.
    pub fn edges(&self) -> usize {
        self.src.len()
    }

    /// The graph part of a training record (the `tsp_heat_data` and `tsp_pi_data` examples):
    /// little-endian `u32 n, u32 e`, `f32 node_x[n*2]`, `i32 src[e]`, `i32 dst[e]`,
    /// `f32 edge_x[e*5]`; the targets follow.
    pub fn record_bytes(&self) -> Vec<u8> {
        let mut buf: Vec<u8> = Vec::new();
        buf.extend((self.n as u32).to_le_bytes());
        buf.extend((self.edges() as u32).to_le_bytes());
        for v in &self.node_x {
            buf.extend(v.to_le_bytes());
        }
        for v in self.src.iter().chain(&self.dst) {
            buf.extend((*v as i32).to_le_bytes());
        }
        for v in &self.edge_x {
            buf.extend(v.to_le_bytes());
        }
        buf
    }
}

fn clip(v: f64) -> f32 {
    if v.is_finite() {
        (v as f32).clamp(-CLIP, CLIP)
    } else {
        CLIP
    }
}

/// The mean of the positive values, or `fallback` when there is none.
fn positive_mean(values: impl Iterator<Item = f64>, fallback: f64) -> f64 {
    let (sum, count) = values
        .filter(|v| *v > 0.0 && v.is_finite())
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 {
        fallback
    } else {
        sum / count as f64
    }
}

/// The k-nearest-neighbour graph of a symmetric coordinate instance with its features.
pub fn heat_graph(inst: &TspInstance, k: usize) -> Result<HeatGraph, NeuralError> {
    let n = inst.n();
    if n < 3 {
        return Err(NeuralError::Unsupported(format!(
            "the TSP heatmap needs 3 nodes or more, the instance has {n}"
        )));
    }
    if n > MAX_NODES {
        return Err(NeuralError::Unsupported(format!(
            "the TSP heatmap is built for at most {MAX_NODES} nodes, the instance has {n}"
        )));
    }
    let Some(coords) = inst.coords() else {
        return Err(NeuralError::Unsupported(
            "the TSP heatmap needs node coordinates (explicit-matrix instance)".into(),
        ));
    };
    let Some(lists) = nearest_lists(inst, k) else {
        return Err(NeuralError::Unsupported(
            "the TSP heatmap is for symmetric instances".into(),
        ));
    };
    let k = k.clamp(1, n - 1);
    let d1: Vec<f64> = lists
        .iter()
        .map(|l| l.first().map_or(0.0, |&(_, d)| d as f64))
        .collect();
    let all_mean = positive_mean(lists.iter().flatten().map(|&(_, d)| d as f64), 1.0);
    let s = positive_mean(d1.iter().copied(), all_mean);
    let coord_d = |a: usize, b: usize| {
        let (p, q) = (coords[a], coords[b]);
        ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt()
    };
    let c_all = positive_mean(
        lists
            .iter()
            .enumerate()
            .flat_map(|(a, l)| l.iter().map(move |&(b, _)| (a, b)))
            .map(|(a, b)| coord_d(a, b)),
        1.0,
    );
    let c = positive_mean(
        lists
            .iter()
            .enumerate()
            .filter_map(|(a, l)| l.first().map(|&(b, _)| coord_d(a, b))),
        c_all,
    );
    let mut node_x = Vec::with_capacity(n * NODE_FEATURES);
    for (a, l) in lists.iter().enumerate() {
        let mean = l.iter().map(|&(_, d)| d as f64).sum::<f64>() / l.len().max(1) as f64;
        node_x.push(clip(d1[a] / s));
        node_x.push(clip(mean / s));
    }
    let e = lists.iter().map(Vec::len).sum::<usize>();
    let mut src = Vec::with_capacity(e);
    let mut dst = Vec::with_capacity(e);
    let mut edge_x = Vec::with_capacity(e * EDGE_FEATURES);
    let rank_scale = (k.max(2) - 1) as f64;
    for (a, l) in lists.iter().enumerate() {
        for (r, &(b, d)) in l.iter().enumerate() {
            let d = d as f64;
            src.push(a as i64);
            dst.push(b as i64);
            edge_x.push(clip(d / s));
            edge_x.push(clip((coords[b][0] - coords[a][0]) / c));
            edge_x.push(clip((coords[b][1] - coords[a][1]) / c));
            edge_x.push(clip(r as f64 / rank_scale));
            let local = d1[a] + d1[b];
            edge_x.push(if local > 0.0 {
                clip(d / local)
            } else {
                clip(d / s)
            });
        }
    }
    Ok(HeatGraph {
        n,
        node_x,
        src,
        dst,
        edge_x,
        scale: s,
    })
}

/// Per-node rows of `(neighbour, probability)` from per-edge logits: the edge `{a, b}` gets the
/// larger of the sigmoids of `a -> b` and `b -> a` (where the graph has them) and appears in the
/// rows of both ends.
pub fn rows_from_logits(g: &HeatGraph, logits: &[f32]) -> Vec<Vec<(u32, f32)>> {
    let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); g.n];
    for ((&a, &b), &l) in g.src.iter().zip(&g.dst).zip(logits) {
        let p = 1.0 / (1.0 + (-l).exp());
        let p = if p.is_finite() { p } else { 0.0 };
        rows[a as usize].push((b as u32, p));
        rows[b as usize].push((a as u32, p));
    }
    for row in &mut rows {
        // One entry per neighbour, the larger probability.
        row.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
        row.dedup_by_key(|x| x.0);
    }
    rows
}

/// Run the heatmap model on an instance: one row of `(neighbour, probability)` per node.
pub fn heatmap(model: &Model, inst: &TspInstance) -> Result<Vec<Vec<(u32, f32)>>, NeuralError> {
    heatmap_until(model, inst, None)
}

/// [`heatmap`], stopped within a few milliseconds when `cancel` is set
/// ([`NeuralError::Stopped`]).
pub fn heatmap_until(
    model: &Model,
    inst: &TspInstance,
    cancel: Option<&std::sync::atomic::AtomicBool>,
) -> Result<Vec<Vec<(u32, f32)>>, NeuralError> {
    let g = heat_graph(inst, GRAPH_K)?;
    let logits = model.run_edges_until(&g, cancel)?;
    Ok(rows_from_logits(&g, &logits))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::generate::uniform;

    /// From-scratch twin of the features on a small instance: brute-force neighbour lists and
    /// the definitions in the module comment.
    #[test]
    fn features_match_their_definition() {
        let inst = uniform(30, 5);
        let k = 6;
        let g = heat_graph(&inst, k).unwrap();
        let n = inst.n();
        let coords = inst.coords().unwrap();
        let lists: Vec<Vec<(usize, i64)>> = (0..n)
            .map(|a| {
                let mut l: Vec<(i64, usize)> = (0..n)
                    .filter(|&b| b != a)
                    .map(|b| (inst.dist(a, b), b))
                    .collect();
                l.sort_unstable();
                l.truncate(k);
                l.into_iter().map(|(d, b)| (b, d)).collect()
            })
            .collect();
        let d1: Vec<f64> = lists.iter().map(|l| l[0].1 as f64).collect();
        let s = d1.iter().sum::<f64>() / n as f64;
        let cd = |a: usize, b: usize| {
            ((coords[a][0] - coords[b][0]).powi(2) + (coords[a][1] - coords[b][1]).powi(2)).sqrt()
        };
        let c = (0..n).map(|a| cd(a, lists[a][0].0)).sum::<f64>() / n as f64;
        assert_eq!(g.edges(), n * k);
        assert!((g.scale - s).abs() < 1e-9);
        let mut e = 0;
        for a in 0..n {
            let mean = lists[a].iter().map(|x| x.1 as f64).sum::<f64>() / k as f64;
            let nx = &g.node_x[a * NODE_FEATURES..(a + 1) * NODE_FEATURES];
            assert!((f64::from(nx[0]) - d1[a] / s).abs() < 1e-4);
            assert!((f64::from(nx[1]) - mean / s).abs() < 1e-4);
            for (r, &(b, d)) in lists[a].iter().enumerate() {
                assert_eq!((g.src[e], g.dst[e]), (a as i64, b as i64), "edge {e}");
                let d = d as f64;
                let want = [
                    d / s,
                    (coords[b][0] - coords[a][0]) / c,
                    (coords[b][1] - coords[a][1]) / c,
                    r as f64 / (k - 1) as f64,
                    d / (d1[a] + d1[b]),
                ];
                let got = &g.edge_x[e * EDGE_FEATURES..(e + 1) * EDGE_FEATURES];
                for (x, w) in got.iter().zip(want) {
                    assert!(
                        (f64::from(*x) - w.clamp(-10.0, 10.0)).abs() < 1e-4,
                        "{a}->{b}"
                    );
                }
                e += 1;
            }
        }
    }

    #[test]
    fn rows_keep_the_larger_direction_once() {
        let g = HeatGraph {
            n: 3,
            node_x: vec![0.0; 6],
            src: vec![0, 1, 2],
            dst: vec![1, 0, 0],
            edge_x: vec![0.0; 15],
            scale: 1.0,
        };
        let rows = rows_from_logits(&g, &[0.0, 2.0, -1.0]);
        let sig = |x: f32| 1.0 / (1.0 + (-x).exp());
        assert_eq!(rows[0].len(), 2);
        assert_eq!(rows[0][0].0, 1);
        assert!((rows[0][0].1 - sig(2.0)).abs() < 1e-6);
        assert_eq!(rows[0][1], (2, sig(-1.0)));
        assert_eq!(rows[1], vec![(0, sig(2.0))]);
        assert_eq!(rows[2], vec![(0, sig(-1.0))]);
    }

    #[test]
    fn explicit_matrices_and_tiny_instances_are_refused() {
        let mut inst = uniform(10, 1);
        let m: Vec<i64> = (0..100).map(|i| i64::from(i % 10 != i / 10)).collect();
        inst.weights = quotient_problems::tsp::Weights::Matrix { n: 10, matrix: m };
        assert!(matches!(
            heat_graph(&inst, 4),
            Err(NeuralError::Unsupported(_))
        ));
        assert!(heat_graph(&uniform(2, 1), 4).is_err());
    }
}

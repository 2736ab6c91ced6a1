//! The learned ascent (NeuroLKH's idea, trained here): a sparse graph network over the
//! [`heat_graph`] (the heatmap's 16-nearest graph and its scale-free features) predicts the
//! Held–Karp node penalties `pi` that the subgradient ascent of `tsp.ils` would reach, and the
//! ascent starts from them instead of from zero (`IlsOptions::ascent_start`): `tsp.pi+ils`.
//!
//! The model's output for node `i` is `pi_i / s` (`s`: [`HeatGraph::scale`], the mean
//! nearest-neighbour distance), so one model serves every size and unit. `W(pi)` does not change
//! when a constant is added to every penalty, so the model is trained on centred targets and
//! its prediction is centred here. Training data are written by the `tsp_pi_data` example from
//! quotient's own uncapped ascents ([`quotient_solvers::tsp::ils::held_karp`]), no labels from
//! outside (`neural/train/pi`).

use crate::NeuralError;
use crate::heatmap::{GRAPH_K, HeatGraph, heat_graph};
use crate::runtime::Model;
use quotient_problems::tsp::TspInstance;
use std::sync::atomic::AtomicBool;

/// The registry name of the learned-ascent model.
pub const PI_MODEL: &str = "tsp_pi_gnn";

/// The node penalties (cost units, one per node, mean 0) from the model's outputs over `g`.
pub fn penalties_from_outputs(g: &HeatGraph, out: &[f32]) -> Vec<f64> {
    let mean = out.iter().map(|&x| f64::from(x)).sum::<f64>() / out.len().max(1) as f64;
    out.iter()
        .map(|&x| {
            let p = (f64::from(x) - mean) * g.scale;
            if p.is_finite() { p } else { 0.0 }
        })
        .collect()
}

/// The predicted penalties of a symmetric coordinate instance (cost units, one per node),
/// stopped within a few milliseconds when `cancel` is set ([`NeuralError::Stopped`]);
/// [`NeuralError::Unsupported`] for an instance the graph is not built for.
pub fn predict_penalties(
    model: &Model,
    inst: &TspInstance,
    cancel: Option<&AtomicBool>,
) -> Result<Vec<f64>, NeuralError> {
    let g = heat_graph(inst, GRAPH_K)?;
    let out = model.run_nodes_until(&g, cancel)?;
    Ok(penalties_from_outputs(&g, &out))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn outputs_become_centred_penalties_in_cost_units() {
        let g = HeatGraph {
            n: 3,
            node_x: vec![0.0; 6],
            src: vec![0, 1, 2],
            dst: vec![1, 2, 0],
            edge_x: vec![0.0; 15],
            scale: 10.0,
        };
        let p = penalties_from_outputs(&g, &[1.0, 2.0, f32::NAN]);
        // NaN poisons the mean: every penalty falls back to 0 rather than to garbage.
        assert_eq!(p, vec![0.0, 0.0, 0.0]);
        let p = penalties_from_outputs(&g, &[1.0, 2.0, 6.0]);
        assert_eq!(p, vec![-20.0, -10.0, 30.0]);
    }
}

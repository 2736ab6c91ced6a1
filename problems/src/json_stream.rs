//! Streaming JSON forms of the TSP and CVRP instances: the same JSON as the models' derived
//! `Deserialize`, read without buffering. The models' `weights` enums are internally tagged
//! (`"type"`), and serde reads an internally tagged value by first copying all of it into its
//! generic content tree (about 100 bytes per coordinate pair): 2*10^7 coordinates (120 MB of
//! JSON) took 3.8 GB. Here `weights` is a plain struct whose fields are typed as they arrive.
//! A test (`tests/hostile_sizes.rs`) holds both paths to the same result.

use crate::cvrp::{CvrpInstance, CvrpWeights, Rounding};
use crate::tsp::{CoordMetric, TspInstance, TspKind, Weights};
use serde::Deserialize;
use serde::de::Error as _;

#[derive(Deserialize)]
struct TspWeightsRepr {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    metric: Option<CoordMetric>,
    #[serde(default)]
    coords: Option<Vec<[f64; 2]>>,
    #[serde(default)]
    n: Option<usize>,
    #[serde(default)]
    matrix: Option<Vec<i64>>,
}

#[derive(Deserialize)]
struct TspRepr {
    name: String,
    #[serde(default)]
    comment: String,
    kind: TspKind,
    weights: TspWeightsRepr,
    #[serde(default)]
    fixed_edges: Vec<(usize, usize)>,
    #[serde(default)]
    display: Option<Vec<[f64; 2]>>,
    #[serde(default)]
    edge_weight_format: Option<String>,
}

#[derive(Deserialize)]
struct CvrpWeightsRepr {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    rounding: Option<Rounding>,
    #[serde(default)]
    coords: Option<Vec<[f64; 2]>>,
    #[serde(default)]
    n: Option<usize>,
    #[serde(default)]
    matrix: Option<Vec<f64>>,
}

#[derive(Deserialize)]
struct CvrpRepr {
    name: String,
    #[serde(default)]
    comment: String,
    capacity: i64,
    demands: Vec<i64>,
    weights: CvrpWeightsRepr,
    #[serde(default)]
    distance_limit: Option<f64>,
    #[serde(default)]
    service_time: Option<f64>,
    #[serde(default)]
    vehicles: Option<usize>,
    #[serde(default)]
    display: Option<Vec<[f64; 2]>>,
}

fn need<T>(v: Option<T>, field: &'static str) -> Result<T, serde_json::Error> {
    v.ok_or_else(|| serde_json::Error::missing_field(field))
}

fn unknown_type(kind: &str) -> serde_json::Error {
    serde_json::Error::unknown_variant(kind, &["coords", "matrix"])
}

/// A TSP instance from its JSON form (the fields of [`TspInstance`]; others are ignored).
pub(crate) fn tsp_instance(text: &str) -> Result<TspInstance, serde_json::Error> {
    let r: TspRepr = serde_json::from_str(text)?;
    let weights = match r.weights.kind.as_str() {
        "coords" => Weights::Coords {
            metric: need(r.weights.metric, "metric")?,
            coords: need(r.weights.coords, "coords")?,
        },
        "matrix" => Weights::Matrix {
            n: need(r.weights.n, "n")?,
            matrix: need(r.weights.matrix, "matrix")?,
        },
        other => return Err(unknown_type(other)),
    };
    Ok(TspInstance {
        name: r.name,
        comment: r.comment,
        kind: r.kind,
        weights,
        fixed_edges: r.fixed_edges,
        display: r.display,
        edge_weight_format: r.edge_weight_format,
    })
}

/// A CVRP instance from its JSON form (the fields of [`CvrpInstance`]; others are ignored).
pub(crate) fn cvrp_instance(text: &str) -> Result<CvrpInstance, serde_json::Error> {
    let r: CvrpRepr = serde_json::from_str(text)?;
    let weights = match r.weights.kind.as_str() {
        "coords" => CvrpWeights::Coords {
            rounding: need(r.weights.rounding, "rounding")?,
            coords: need(r.weights.coords, "coords")?,
        },
        "matrix" => CvrpWeights::Matrix {
            n: need(r.weights.n, "n")?,
            matrix: need(r.weights.matrix, "matrix")?,
        },
        other => return Err(unknown_type(other)),
    };
    Ok(CvrpInstance {
        name: r.name,
        comment: r.comment,
        capacity: r.capacity,
        demands: r.demands,
        weights,
        distance_limit: r.distance_limit,
        service_time: r.service_time,
        vehicles: r.vehicles,
        display: r.display,
    })
}

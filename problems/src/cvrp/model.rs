//! CVRP data model: plain data, no format knowledge.

use serde::{Deserialize, Serialize};

/// How Euclidean distances are turned into edge costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// TSPLIB `nint` (X, A, B, E, F, M, P sets).
    Nearest,
    /// Unrounded double precision (CMT set).
    Exact,
    /// `ceil` (CEIL_2D files).
    Ceil,
}

/// How costs are given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CvrpWeights {
    /// Euclidean distance between `coords`, under `rounding`.
    Coords {
        rounding: Rounding,
        coords: Vec<[f64; 2]>,
    },
    /// An explicit full n x n matrix (row-major), whatever the file's EDGE_WEIGHT_FORMAT was.
    Matrix { n: usize, matrix: Vec<f64> },
}

/// A capacitated VRP instance. Node 0 is the depot, customers are `1..n`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CvrpInstance {
    pub name: String,
    #[serde(default)]
    pub comment: String,
    pub capacity: i64,
    /// Demand per node, `demands[0] == 0` (the depot).
    pub demands: Vec<i64>,
    pub weights: CvrpWeights,
    /// Route-length limit (CVRPLIB `DISTANCE`): travel plus service time of one route.
    #[serde(default)]
    pub distance_limit: Option<f64>,
    /// Service time of each customer (CVRPLIB `SERVICE_TIME`), counted in route length.
    #[serde(default)]
    pub service_time: Option<f64>,
    /// Vehicle count when the file fixes one (`VEHICLES`); CVRPLIB compares with an unlimited fleet.
    #[serde(default)]
    pub vehicles: Option<usize>,
    /// Coordinates for drawing when the weights are explicit (DISPLAY_DATA_SECTION).
    #[serde(default)]
    pub display: Option<Vec<[f64; 2]>>,
}

/// Routes of customer node indices (`1..n`); the depot (0) is implicit at both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CvrpSolution {
    pub routes: Vec<Vec<usize>>,
}

impl CvrpInstance {
    /// Number of nodes including the depot.
    pub fn n(&self) -> usize {
        self.demands.len()
    }

    /// Travel cost between nodes `i` and `j` (0 = depot) under the instance's convention.
    #[inline]
    pub fn dist(&self, i: usize, j: usize) -> f64 {
        match &self.weights {
            CvrpWeights::Coords { rounding, coords } => {
                let dx = coords[i][0] - coords[j][0];
                let dy = coords[i][1] - coords[j][1];
                let d = (dx * dx + dy * dy).sqrt();
                match rounding {
                    Rounding::Nearest => (d + 0.5).floor(),
                    Rounding::Exact => d,
                    Rounding::Ceil => d.ceil(),
                }
            }
            CvrpWeights::Matrix { n, matrix } => {
                if i == j {
                    0.0
                } else {
                    matrix[i * n + j]
                }
            }
        }
    }

    /// Coordinates for spatial reasoning or drawing, when the instance has any.
    pub fn coords(&self) -> Option<&[[f64; 2]]> {
        match &self.weights {
            CvrpWeights::Coords { coords, .. } => Some(coords),
            CvrpWeights::Matrix { .. } => self.display.as_deref(),
        }
    }

    /// Service time of a node (0 for the depot).
    pub fn service(&self, node: usize) -> f64 {
        if node == 0 {
            0.0
        } else {
            self.service_time.unwrap_or(0.0)
        }
    }
}

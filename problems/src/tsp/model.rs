//! TSP / ATSP data model: plain data, no format knowledge. Distances follow TSPLIB exactly and
//! are computed on demand for coordinate instances (no n x n matrix for large n).

use serde::{Deserialize, Serialize};

/// TSPLIB distance functions over node coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CoordMetric {
    /// `nint(sqrt(dx^2 + dy^2))`
    #[serde(rename = "EUC_2D")]
    Euc2d,
    /// `ceil(sqrt(dx^2 + dy^2))`
    #[serde(rename = "CEIL_2D")]
    Ceil2d,
    /// TSPLIB pseudo-Euclidean (att48, att532)
    Att,
    /// TSPLIB geographical distance (coordinates DDD.MM)
    Geo,
    /// `nint(|dx| + |dy|)`
    #[serde(rename = "MAN_2D")]
    Man2d,
    /// `max(nint(|dx|), nint(|dy|))`
    #[serde(rename = "MAX_2D")]
    Max2d,
}

/// How edge weights are given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Weights {
    /// Computed from `coords` with a TSPLIB metric.
    Coords {
        metric: CoordMetric,
        coords: Vec<[f64; 2]>,
    },
    /// An explicit full n x n matrix, row-major (`matrix[i * n + j]`), whatever the file's
    /// EDGE_WEIGHT_FORMAT was. For ATSP the diagonal is ignored.
    Matrix { n: usize, matrix: Vec<i64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TspKind {
    /// Symmetric TSP (`TYPE: TSP`).
    Tsp,
    /// Asymmetric TSP (`TYPE: ATSP`).
    Atsp,
}

/// A TSP or ATSP instance. Nodes are 0-based indices `0..n`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TspInstance {
    pub name: String,
    #[serde(default)]
    pub comment: String,
    pub kind: TspKind,
    pub weights: Weights,
    /// Edges that every tour must contain (TSPLIB FIXED_EDGES_SECTION), 0-based.
    #[serde(default)]
    pub fixed_edges: Vec<(usize, usize)>,
    /// Coordinates for drawing only (DISPLAY_DATA_SECTION) when the weights are explicit.
    #[serde(default)]
    pub display: Option<Vec<[f64; 2]>>,
    /// The original EDGE_WEIGHT_FORMAT for explicit instances, so writers can keep it.
    #[serde(default)]
    pub edge_weight_format: Option<String>,
}

/// A tour: every node exactly once, as 0-based indices, closed implicitly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TspSolution {
    pub tour: Vec<usize>,
}

impl CoordMetric {
    /// The TSPLIB keyword for this metric.
    pub fn keyword(self) -> &'static str {
        match self {
            CoordMetric::Euc2d => "EUC_2D",
            CoordMetric::Ceil2d => "CEIL_2D",
            CoordMetric::Att => "ATT",
            CoordMetric::Geo => "GEO",
            CoordMetric::Man2d => "MAN_2D",
            CoordMetric::Max2d => "MAX_2D",
        }
    }

    /// TSPLIB distance between two points, exactly as TSPLIB 95 defines it.
    pub fn distance(self, a: [f64; 2], b: [f64; 2]) -> i64 {
        let dx = a[0] - b[0];
        let dy = a[1] - b[1];
        match self {
            CoordMetric::Euc2d => nint((dx * dx + dy * dy).sqrt()),
            CoordMetric::Ceil2d => (dx * dx + dy * dy).sqrt().ceil() as i64,
            CoordMetric::Att => {
                let r = ((dx * dx + dy * dy) / 10.0).sqrt();
                let t = nint(r);
                if (t as f64) < r { t + 1 } else { t }
            }
            CoordMetric::Geo => {
                let (lat_a, lon_a) = (geo_radians(a[0]), geo_radians(a[1]));
                let (lat_b, lon_b) = (geo_radians(b[0]), geo_radians(b[1]));
                const RRR: f64 = 6378.388;
                let q1 = (lon_a - lon_b).cos();
                let q2 = (lat_a - lat_b).cos();
                let q3 = (lat_a + lat_b).cos();
                let arg = (0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)).clamp(-1.0, 1.0);
                (RRR * arg.acos() + 1.0) as i64
            }
            CoordMetric::Man2d => nint(dx.abs() + dy.abs()),
            CoordMetric::Max2d => nint(dx.abs()).max(nint(dy.abs())),
        }
    }
}

/// TSPLIB `nint`: `(int)(x + 0.5)`.
#[inline]
fn nint(x: f64) -> i64 {
    (x + 0.5) as i64
}

/// TSPLIB GEO: DDD.MM to radians with PI = 3.141592.
fn geo_radians(x: f64) -> f64 {
    // TSPLIB's truncated value of pi, on purpose: distances must match TSPLIB exactly.
    #[allow(clippy::approx_constant)]
    const PI: f64 = 3.141592;
    let deg = x.trunc();
    let min = x - deg;
    PI * (deg + 5.0 * min / 3.0) / 180.0
}

impl TspInstance {
    /// Number of nodes.
    pub fn n(&self) -> usize {
        match &self.weights {
            Weights::Coords { coords, .. } => coords.len(),
            Weights::Matrix { n, .. } => *n,
        }
    }

    /// Cost of travelling from `i` to `j` (0-based). Panics on out-of-range indices, which only
    /// a bug can produce: readers and checkers validate indices first.
    #[inline]
    pub fn dist(&self, i: usize, j: usize) -> i64 {
        match &self.weights {
            Weights::Coords { metric, coords } => metric.distance(coords[i], coords[j]),
            Weights::Matrix { n, matrix } => {
                if i == j {
                    0
                } else {
                    matrix[i * n + j]
                }
            }
        }
    }

    /// Node coordinates: the metric's own, or the display data of an explicit instance.
    pub fn coords(&self) -> Option<&[[f64; 2]]> {
        match &self.weights {
            Weights::Coords { coords, .. } => Some(coords),
            Weights::Matrix { .. } => self.display.as_deref(),
        }
    }

    pub fn is_symmetric(&self) -> bool {
        self.kind == TspKind::Tsp
    }
}

impl TspInstance {
    /// Structural checks for an instance that did not come from the TSPLIB reader (JSON, hand
    /// construction): `n >= 1`, the size caps of the reader, a full `n x n` matrix with weights
    /// of absolute value at most [`super::read::MAX_ABS_WEIGHT`], finite coordinates, display
    /// data of length `n`, fixed edges between distinct nodes in range. Everything
    /// `read_tsplib` returns passes.
    pub fn validate(&self) -> Result<(), String> {
        use super::read::{MAX_ABS_WEIGHT, MAX_COORD_NODES, MAX_EXPLICIT_NODES};
        let n = self.n();
        if n == 0 {
            return Err("the instance has no nodes".into());
        }
        match &self.weights {
            Weights::Coords { coords, .. } => {
                if n > MAX_COORD_NODES {
                    return Err(format!("{n} nodes, at most {MAX_COORD_NODES} allowed"));
                }
                if let Some(k) = coords
                    .iter()
                    .position(|p| !p[0].is_finite() || !p[1].is_finite())
                {
                    return Err(format!("coordinates of node {k} are not finite"));
                }
            }
            Weights::Matrix { n, matrix } => {
                if *n > MAX_EXPLICIT_NODES {
                    return Err(format!(
                        "{n} nodes with explicit weights, at most {MAX_EXPLICIT_NODES} allowed"
                    ));
                }
                if matrix.len() != n * n {
                    return Err(format!(
                        "matrix has {} entries, expected {n} x {n} = {}",
                        matrix.len(),
                        n * n
                    ));
                }
                if let Some(k) = matrix
                    .iter()
                    .position(|w| w.unsigned_abs() > MAX_ABS_WEIGHT as u64)
                {
                    return Err(format!(
                        "weight {} at ({}, {}) exceeds {MAX_ABS_WEIGHT} in absolute value",
                        matrix[k],
                        k / n,
                        k % n
                    ));
                }
            }
        }
        if let Some(d) = &self.display {
            if d.len() != n {
                return Err(format!("display data for {} nodes, expected {n}", d.len()));
            }
            if d.iter().any(|p| !p[0].is_finite() || !p[1].is_finite()) {
                return Err("display coordinates are not finite".into());
            }
        }
        for &(a, b) in &self.fixed_edges {
            if a >= n || b >= n || a == b {
                return Err(format!("fixed edge ({a}, {b}) is not an edge of {n} nodes"));
            }
        }
        Ok(())
    }
}

//! Read-only data shared by every worker: the distance matrix (when `n` is moderate), demands,
//! limits and neighbour lists.

use crate::cvrp::near;
use crate::engine::Budget;
use quotient_problems::cvrp::CvrpInstance;

/// Up to this many nodes (depot included) distances are precomputed in a full `f64` matrix
/// (3000^2 * 8 bytes = 72 MB); above, they are recomputed from the instance on demand.
pub(crate) const MATRIX_MAX_NODES: usize = 3000;

/// Relative slack on the route-length limit (as `savings.rs`); the checker allows 1e-6.
const LIMIT_SLACK: f64 = 1e-9;

/// Instance data in the form the search uses. Node 0 is the depot; nodes are `u32` in routes.
#[derive(Debug)]
pub(crate) struct Data<'a> {
    pub inst: &'a CvrpInstance,
    pub n: usize,
    pub demand: Vec<i64>,
    pub capacity: i64,
    /// Route-length limit with the slack already added (travel + service time).
    pub limit: Option<f64>,
    /// Service time of every customer (0 for the depot).
    pub service: f64,
    matrix: Option<Vec<f64>>,
    /// Whether `d(i, j) == d(j, i)` for every pair (reversal moves are priced only then).
    pub symmetric: bool,
    /// `near[c]`: customers sorted by `d(c, j) + d(j, c)` (nearest first, ties by index, `c`
    /// and the depot excluded), `near_len` of them. Used by the ruin (string seeds), the recreate (candidate
    /// routes on large instances) and the granular local search (first `granular` entries).
    pub near: Vec<Vec<u32>>,
    /// How many of `near[c]` the local search looks at.
    pub granular: usize,
    /// Polar angle of every node around the depot in `0..ANGLE_UNITS` (the unit of
    /// [`super::swap_star::Sector`]); `None` without coordinates.
    pub angle: Option<Vec<i32>>,
    /// Whether the local search also tries cross-exchanges of segments up to 3 long.
    pub cross: bool,
    /// Whether the local search also runs SWAP* over pairs of routes.
    pub swap_star: bool,
    /// Capacity by penalty (`None`: kept exactly); see [`super::penalty`].
    pub penalty: Option<super::penalty::Policy>,
}

/// Angles are integers in `0..ANGLE_UNITS` (a full turn), as in Vidal's HGS-CVRP.
pub(crate) const ANGLE_UNITS: i32 = 65536;

impl<'a> Data<'a> {
    /// Precompute; `None` when the budget ran out (deadline or cancel) while building the
    /// neighbour lists ([`near::customer_neighbours`]: a k-d tree on coordinate instances,
    /// an O(n^2) scan on explicit matrices).
    pub fn new(
        inst: &'a CvrpInstance,
        budget: &Budget,
        near_len: usize,
        granular: usize,
    ) -> Option<Self> {
        let n = inst.n();
        let matrix = (n <= MATRIX_MAX_NODES).then(|| {
            let mut m = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..n {
                    m[i * n + j] = inst.dist(i, j);
                }
            }
            m
        });
        let mut data = Data {
            inst,
            n,
            demand: inst.demands.clone(),
            capacity: inst.capacity,
            limit: inst
                .distance_limit
                .map(|l| l + LIMIT_SLACK * l.abs().max(1.0)),
            service: inst.service_time.unwrap_or(0.0),
            matrix,
            symmetric: true,
            near: vec![Vec::new(); n],
            granular: 0,
            angle: None,
            cross: false,
            swap_star: false,
            penalty: None,
        };
        data.angle = inst.coords().filter(|c| c.len() == n).map(|coords| {
            let [dx, dy] = coords[0];
            coords
                .iter()
                .map(|&[x, y]| {
                    let turn = (y - dy).atan2(x - dx) / std::f64::consts::TAU;
                    ((turn * f64::from(ANGLE_UNITS)).round() as i32).rem_euclid(ANGLE_UNITS)
                })
                .collect()
        });
        data.symmetric = match &inst.weights {
            quotient_problems::cvrp::CvrpWeights::Coords { .. } => true,
            quotient_problems::cvrp::CvrpWeights::Matrix { .. } => {
                (0..n).all(|i| (0..i).all(|j| data.d(i, j) == data.d(j, i)))
            }
        };
        let k = near_len.min(n.saturating_sub(2));
        data.granular = granular.min(k);
        let near = {
            let d = &data;
            near::customer_neighbours(inst, k, |c, j| d.d(c, j) + d.d(j, c), budget)?
        };
        data.near = near;
        Some(data)
    }

    /// Travel cost from `i` to `j`.
    #[inline]
    pub fn d(&self, i: usize, j: usize) -> f64 {
        match &self.matrix {
            Some(m) => m[i * self.n + j],
            None => self.inst.dist(i, j),
        }
    }

    #[inline]
    pub fn du(&self, i: u32, j: u32) -> f64 {
        self.d(i as usize, j as usize)
    }

    #[inline]
    pub fn q(&self, c: u32) -> i64 {
        self.demand[c as usize]
    }

    /// Whether a route with this travel and this many customers respects the length limit.
    #[inline]
    pub fn length_ok(&self, travel: f64, customers: usize) -> bool {
        self.limit
            .is_none_or(|l| travel + self.service * customers as f64 <= l)
    }

    /// Travel of a route from scratch (depot at both ends).
    pub fn route_travel(&self, nodes: &[u32]) -> f64 {
        let mut prev = 0u32;
        let mut t = 0.0;
        for &c in nodes {
            t += self.du(prev, c);
            prev = c;
        }
        t + self.du(prev, 0)
    }

    /// Load above capacity.
    #[inline]
    pub fn excess(&self, load: i64) -> i64 {
        (load - self.capacity).max(0)
    }

    /// Change of the capacity term of a route whose load goes from `old` to `new`, under the
    /// penalty weight `w`; with `w == None` (capacity exact) 0, or `None` when `new` is over
    /// capacity (then `old` never is).
    #[inline]
    pub fn load_cost(&self, w: Option<f64>, old: i64, new: i64) -> Option<f64> {
        match w {
            None => (new <= self.capacity).then_some(0.0),
            Some(w) => Some(w * (self.excess(new) - self.excess(old)) as f64),
        }
    }

    pub fn route_load(&self, nodes: &[u32]) -> i64 {
        nodes.iter().map(|&c| self.q(c)).sum()
    }

    /// Whether a route is feasible, from scratch.
    pub fn route_feasible(&self, nodes: &[u32]) -> bool {
        self.route_load(nodes) <= self.capacity
            && self.length_ok(self.route_travel(nodes), nodes.len())
    }
}

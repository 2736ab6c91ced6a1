//! The mutable search solution of one worker: routes of `u32` customers with their loads,
//! travel, and each customer's route and position; plus the compact snapshot form.

use super::data::Data;

/// One route: customers in visiting order (depot implicit at both ends).
#[derive(Debug, Clone, Default)]
pub(crate) struct Route {
    pub nodes: Vec<u32>,
    pub load: i64,
    /// Travel cost, depot to depot (without service time).
    pub travel: f64,
}

/// The compact form copied between workers and returned: routes plus their loads and travel
/// (so that a restore does not recompute distances).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub(crate) routes: Vec<Vec<u32>>,
    pub(crate) loads: Vec<i64>,
    pub(crate) travel: Vec<f64>,
}

impl Snapshot {
    /// Routes as customer node indices (`usize`).
    pub fn routes(&self) -> Vec<Vec<usize>> {
        self.routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.iter().map(|&c| c as usize).collect())
            .collect()
    }
}

/// A worker's search state.
#[derive(Debug, Clone)]
pub struct State {
    pub(crate) routes: Vec<Route>,
    /// Route index of each customer (`u32::MAX` while unassigned; index 0 is the depot).
    pub(crate) route_of: Vec<u32>,
    /// Position of each customer in its route.
    pub(crate) pos: Vec<u32>,
    pub(crate) cost: f64,
    /// Best cost this worker has run the local search on (local search runs when beaten).
    pub(crate) best_seen: f64,
    /// Weight of a unit of load above capacity in `cost` (`None`: capacity kept exactly).
    pub(crate) penalty: Option<f64>,
    /// Total load above capacity over all routes (0 when capacity is exact).
    pub(crate) excess: i64,
    /// Candidates seen, and feasible ones among them, since the penalty was last adapted.
    pub(crate) recent: (u32, u32),
    /// Scratch buffers of ruin / recreate.
    pub(crate) removed: Vec<u32>,
    pub(crate) stamp: Vec<u32>,
    pub(crate) stamp_now: u32,
}

pub(crate) const NONE: u32 = u32::MAX;

impl State {
    /// A state from routes (assumed to cover every customer once; empty routes dropped).
    pub(crate) fn from_routes(data: &Data<'_>, routes: Vec<Vec<u32>>) -> Self {
        let mut st = State {
            routes: Vec::new(),
            route_of: vec![NONE; data.n],
            pos: vec![0; data.n],
            cost: 0.0,
            best_seen: f64::INFINITY,
            penalty: data.penalty.map(|p| p.start),
            excess: 0,
            recent: (0, 0),
            removed: Vec::new(),
            stamp: vec![0; 2 * (data.n + routes.len()) + 2],
            stamp_now: 0,
        };
        st.routes = routes
            .into_iter()
            .filter(|r| !r.is_empty())
            .map(|nodes| Route {
                load: data.route_load(&nodes),
                travel: data.route_travel(&nodes),
                nodes,
            })
            .collect();
        for r in 0..st.routes.len() {
            st.reindex(r);
        }
        st.update_cost(data);
        st
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            routes: self.routes.iter().map(|r| r.nodes.clone()).collect(),
            loads: self.routes.iter().map(|r| r.load).collect(),
            travel: self.routes.iter().map(|r| r.travel).collect(),
        }
    }

    pub(crate) fn restore(&mut self, data: &Data<'_>, snap: &Snapshot) {
        let k = snap.routes.len();
        self.routes.truncate(k);
        while self.routes.len() < k {
            self.routes.push(Route::default());
        }
        for (r, route) in self.routes.iter_mut().enumerate() {
            route.nodes.clone_from(&snap.routes[r]);
            route.load = snap.loads[r];
            route.travel = snap.travel[r];
        }
        for r in 0..k {
            self.reindex(r);
        }
        self.update_cost(data);
    }

    /// Recompute `route_of` / `pos` for the customers of route `r`.
    #[inline]
    pub(crate) fn reindex(&mut self, r: usize) {
        for (p, &c) in self.routes[r].nodes.iter().enumerate() {
            self.route_of[c as usize] = r as u32;
            self.pos[c as usize] = p as u32;
        }
    }

    /// Recompute load and travel of route `r` from scratch, and its index.
    pub(crate) fn refresh(&mut self, data: &Data<'_>, r: usize) {
        let route = &mut self.routes[r];
        route.load = data.route_load(&route.nodes);
        route.travel = data.route_travel(&route.nodes);
        self.reindex(r);
    }

    /// Recompute `cost` (travel plus penalised excess) and `excess` from the routes.
    pub(crate) fn update_cost(&mut self, data: &Data<'_>) {
        self.excess = self.routes.iter().map(|r| data.excess(r.load)).sum();
        let travel: f64 = self.routes.iter().map(|r| r.travel).sum();
        self.cost = travel + self.penalty.map_or(0.0, |w| w * self.excess as f64);
    }

    /// Drop empty routes (renumbering the moved ones).
    pub(crate) fn compact(&mut self) {
        let mut r = 0;
        while r < self.routes.len() {
            if self.routes[r].nodes.is_empty() {
                self.routes.swap_remove(r);
                if r < self.routes.len() {
                    self.reindex(r);
                }
            } else {
                r += 1;
            }
        }
    }

    /// Predecessor of customer `c` in its route (0 = depot).
    #[inline]
    pub(crate) fn pred(&self, c: u32) -> u32 {
        let p = self.pos[c as usize] as usize;
        if p == 0 {
            0
        } else {
            self.routes[self.route_of[c as usize] as usize].nodes[p - 1]
        }
    }

    /// Successor of customer `c` in its route (0 = depot).
    #[inline]
    pub(crate) fn succ(&self, c: u32) -> u32 {
        let p = self.pos[c as usize] as usize;
        let nodes = &self.routes[self.route_of[c as usize] as usize].nodes;
        nodes.get(p + 1).copied().unwrap_or(0)
    }

    /// A new stamp value for "seen" marks (resets the array on wrap-around).
    pub(crate) fn next_stamp(&mut self) -> u32 {
        self.stamp_now = self.stamp_now.wrapping_add(1);
        if self.stamp_now == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.stamp_now = 1;
        }
        self.stamp_now
    }

    /// Every customer exactly once, loads/travel consistent, capacity and length respected.
    pub(crate) fn consistent(&self, data: &Data<'_>) -> Result<(), String> {
        let mut seen = vec![false; data.n];
        for (r, route) in self.routes.iter().enumerate() {
            for (p, &c) in route.nodes.iter().enumerate() {
                let c = c as usize;
                if c == 0 || c >= data.n || seen[c] {
                    return Err(format!("bad or repeated customer {c}"));
                }
                seen[c] = true;
                if self.route_of[c] as usize != r || self.pos[c] as usize != p {
                    return Err(format!("index of {c} stale"));
                }
            }
            if route.load != data.route_load(&route.nodes) {
                return Err(format!("load of route {r} stale"));
            }
            let t = data.route_travel(&route.nodes);
            if (route.travel - t).abs() > 1e-6 * t.abs().max(1.0) {
                return Err(format!(
                    "travel of route {r} stale: {} vs {t}",
                    route.travel
                ));
            }
            let allowed = self.penalty.is_some() || route.load <= data.capacity;
            if !allowed || !data.length_ok(t, route.nodes.len()) {
                return Err(format!("route {r} infeasible"));
            }
        }
        let excess: i64 = self.routes.iter().map(|r| data.excess(r.load)).sum();
        if excess != self.excess {
            return Err(format!("excess stale: {} vs {excess}", self.excess));
        }
        if let Some(c) = (1..data.n).find(|&c| !seen[c]) {
            return Err(format!("customer {c} missing"));
        }
        Ok(())
    }
}

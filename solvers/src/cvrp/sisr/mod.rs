//! `cvrp.sisr`: Slack Induction by String Removals (Christiaens & Vanden Berghe, "Slack
//! induction by string removals for vehicle routing problems", Transportation Science 54(2),
//! 2020) on the family-agnostic engine ([`crate::engine::search::run`]).
//!
//! * Start: Clarke–Wright savings (worker 0, or the repaired warm start) and sweep from a random
//!   ray (the other workers, when the instance has coordinates).
//! * Perturbation: adjacent string removal ([`ruin`]) + greedy insertion with blinks
//!   ([`recreate`]). The route-length limit (travel + service time) is always kept exactly:
//!   an insertion is only made where the route stays within it. Capacity is kept exactly too
//!   by default ([`Capacity::Exact`]); [`Capacity::Penalty`] lets routes carry more at a cost
//!   (weight × excess, the weight adapted towards a target share of feasible candidates, see
//!   [`penalty`]), and only feasible solutions become the incumbent.
//! * Acceptance: the engine's simulated annealing. Temperatures are fractions of the start cost;
//!   by default they are scaled to the average edge (`cost / (customers + routes)`) so that the
//!   start temperature is [`SisrOptions::temp_start_edges`] of an average edge and the end one
//!   [`SisrOptions::temp_end_edges`].
//! * Local search: the granular neighbourhood of [`ls`] (relocate, swap, 2-opt*, 2-opt and
//!   cross-exchange of segments of up to 3) then SWAP* between routes whose polar sectors
//!   overlap ([`swap_star`]), on each worker's new best (so now and then, on the solutions
//!   that matter), evaluate-first with from-scratch twins.
//! * Distances: a full `f64` matrix up to [`data::MATRIX_MAX_NODES`] nodes, else `inst.dist`.

mod construct;
mod data;
mod ls;
mod penalty;
mod recreate;
mod ruin;
mod state;
mod swap_star;
#[cfg(test)]
mod tests;

pub use ruin::SisrParams;
pub use state::{Snapshot, State};

use super::savings;
use crate::engine::search::{self, Acceptance, EngineConfig, Search};
use crate::engine::{Budget, NoObserver, Observer, SolveResult};
use data::Data;
use quotient_problems::any::AnySolution;
use quotient_problems::cvrp::{CvrpInstance, CvrpSolution};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Nearest customers kept per customer (ruin seeds, recreate candidates).
const NEAR_LEN: usize = 60;

/// How the search handles vehicle capacity (the route-length limit is always kept exactly).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Capacity {
    /// Every solution the search visits respects capacity.
    Exact,
    /// Load above capacity is allowed and priced (weight × excess); each worker adapts its
    /// weight every 100 candidates towards a share of feasible candidates within
    /// `[min_feasible, max_feasible]`. Only feasible solutions become the incumbent.
    Penalty {
        min_feasible: f64,
        max_feasible: f64,
    },
}

/// Options of `cvrp.sisr`.
#[derive(Debug, Clone, PartialEq)]
pub struct SisrOptions {
    /// Worker threads (0 is taken as 1).
    pub threads: usize,
    pub seed: u64,
    /// Warm start (repaired if it is incomplete or infeasible).
    pub initial: Option<CvrpSolution>,
    pub params: SisrParams,
    /// Start temperature, in average edges (see the module documentation).
    pub temp_start_edges: f64,
    /// End temperature, in average edges.
    pub temp_end_edges: f64,
    /// Neighbours per customer in the granular local search (0 = no local search).
    pub granular: usize,
    /// A worker restarts from the shared best after this many iterations without improving
    /// its own best (0 = never).
    pub restart_after: u64,
    /// Cross-exchange (segments of up to 3 customers) in the local search.
    pub cross: bool,
    /// SWAP* between routes with overlapping polar sectors in the local search.
    pub swap_star: bool,
    pub capacity: Capacity,
}

impl Default for SisrOptions {
    fn default() -> Self {
        SisrOptions {
            threads: 1,
            seed: 1,
            initial: None,
            params: SisrParams::default(),
            temp_start_edges: 2.0,
            temp_end_edges: 0.01,
            granular: 20,
            restart_after: 0,
            cross: true,
            swap_star: true,
            capacity: Capacity::Exact,
        }
    }
}

/// The SISR search of one instance, driven by the engine.
#[derive(Debug)]
pub struct Sisr<'a> {
    data: Data<'a>,
    params: SisrParams,
    savings: Vec<Vec<u32>>,
    use_ls: bool,
}

impl Search for Sisr<'_> {
    type State = State;
    type Solution = Snapshot;

    fn export(&self, s: &Snapshot) -> Option<Box<dyn std::any::Any + Send>> {
        let routes = s.routes();
        Some(Box::new(AnySolution::Cvrp(CvrpSolution { routes })))
    }

    fn start(&self, worker: usize, rng: &mut ChaCha8Rng, warm: Option<&Snapshot>) -> State {
        if let Some(w) = warm {
            let mut st = State::from_routes(&self.data, Vec::new());
            st.restore(&self.data, w);
            return st;
        }
        let routes = if worker % 2 == 1 {
            construct::sweep(&self.data, rng).unwrap_or_else(|| self.savings.clone())
        } else {
            self.savings.clone()
        };
        State::from_routes(&self.data, routes)
    }

    fn cost(&self, st: &State) -> f64 {
        st.cost
    }

    fn snapshot(&self, st: &State) -> Snapshot {
        st.snapshot()
    }

    fn restore(&self, st: &mut State, sol: &Snapshot) {
        st.restore(&self.data, sol);
    }

    fn local_search(&self, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
        if self.use_ls && st.cost < st.best_seen - 1e-9 * st.cost.abs().max(1.0) {
            ls::local_search(&self.data, st, rng, budget);
            st.best_seen = st.cost;
        }
        st.recent.0 += 1;
        st.recent.1 += u32::from(st.excess == 0);
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas()
            && let Err(e) = st.consistent(&self.data)
        {
            panic!("cvrp.sisr state inconsistent after local search: {e}");
        }
    }

    fn perturb(&self, st: &mut State, rng: &mut ChaCha8Rng) -> &'static str {
        ruin::ruin(&self.data, st, rng, &self.params);
        recreate::recreate(&self.data, st, rng, &self.params);
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas()
            && let Err(e) = st.consistent(&self.data)
        {
            panic!("cvrp.sisr state inconsistent after ruin and recreate: {e}");
        }
        "sisr"
    }

    fn feasible(&self, st: &State) -> bool {
        st.excess == 0
    }

    fn adapt(&self, st: &mut State) -> bool {
        let (Some(policy), Some(w)) = (self.data.penalty, st.penalty) else {
            return false;
        };
        if st.recent.0 < penalty::UPDATE_EVERY {
            return false;
        }
        let new = policy.adapted(w, st.recent.0, st.recent.1);
        st.recent = (0, 0);
        if new == w {
            return false;
        }
        st.penalty = Some(new);
        st.update_cost(&self.data);
        true
    }
}

/// Every customer in its own route (always feasible once [`savings::infeasibility_reason`]
/// passed).
fn singletons(n: usize) -> Vec<Vec<u32>> {
    (1..n as u32).map(|c| vec![c]).collect()
}

/// `cvrp.sisr`.
pub fn solve(
    inst: &CvrpInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &SisrOptions,
) -> SolveResult<CvrpSolution> {
    if let Some(reason) = savings::infeasibility_reason(inst) {
        return SolveResult::infeasible(reason);
    }
    let n = inst.n();
    if n <= 1 {
        return SolveResult::feasible(CvrpSolution { routes: Vec::new() }, 0.0);
    }
    let Some(mut data) = Data::new(inst, budget, NEAR_LEN, opts.granular) else {
        return SolveResult::unknown("budget ended while precomputing neighbour lists");
    };
    data.cross = opts.cross;
    data.swap_star = opts.swap_star;
    if let Capacity::Penalty {
        min_feasible,
        max_feasible,
    } = opts.capacity
    {
        data.penalty = Some(penalty::Policy::new(&data, min_feasible, max_feasible));
    }
    let to_u32 = |routes: &[Vec<usize>]| -> Vec<Vec<u32>> {
        routes
            .iter()
            .map(|r| r.iter().map(|&c| c as u32).collect())
            .collect()
    };
    let start_routes = savings::solve(inst, budget, &NoObserver)
        .solution
        .map(|s| to_u32(&s.routes))
        .filter(|r| {
            State::from_routes(&data, r.clone())
                .consistent(&data)
                .is_ok()
        })
        .unwrap_or_else(|| singletons(n));
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x51_5152);
    let warm = opts
        .initial
        .as_ref()
        .map(|s| construct::repair(&data, s, &mut rng).snapshot());

    // Temperatures as fractions of the start cost, scaled to the average edge.
    let scale_state = State::from_routes(&data, start_routes.clone());
    let edges = (n - 1 + scale_state.routes.len()) as f64;
    let acceptance = Acceptance::Annealing {
        start: (opts.temp_start_edges / edges).max(1e-12),
        end: (opts.temp_end_edges / edges).max(1e-13),
    };
    let search = Sisr {
        params: opts.params,
        savings: start_routes,
        use_ls: opts.granular > 0,
        data,
    };
    let config = EngineConfig {
        threads: opts.threads.max(1),
        seed: opts.seed,
        acceptance,
        restart_after: opts.restart_after,
    };
    let best = match search::run(&search, &config, budget, observer, warm.as_ref()) {
        Some(r) => r.best,
        None => warm.unwrap_or_else(|| scale_state.snapshot()),
    };
    let routes = best.routes();
    let cost = savings::solution_cost(inst, &routes);
    SolveResult::feasible(CvrpSolution { routes }, cost)
}

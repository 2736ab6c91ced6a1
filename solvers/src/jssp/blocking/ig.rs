//! `jssp.blocking`: iterated greedy over job orders for the blocking job shops (BJSSP,
//! SBJSSP, ISBJSSP), on the engine's parallel improvement loop.
//!
//! A solution is a job order; [`super::timetable`] decodes it into a schedule that is feasible
//! for the variant by construction (the feasibility repair is built into the decoder: a job is
//! only placed where its whole route fits between the occupations already there, and without
//! swaps no cycle of simultaneous moves is closed). The search is the iterated greedy of
//! Ruiz & Stützle (EJOR 177, 2007) as Pranzo & Pacciarelli applied it to the blocking job
//! shop ("An iterated greedy metaheuristic for the blocking job shop scheduling problem",
//! J. Heuristics 22, 2016), on job orders instead of the alternative graph:
//!
//! * Starts: the dispatching rules' orders ([`super::dispatch`]), best first; worker `w` takes
//!   the `w`-th; worker 0 the warm start (its jobs ordered by their first start) when given.
//! * [`Search::local_search`] is one phase: repeatedly remove `d` random jobs (`d` drawn in
//!   `2..=min(6, n/2)`) and reinsert each at its best place ([`best_insertion`], exact, with a
//!   from-scratch twin under test); a result no worse is kept, a worse one with the Ruiz &
//!   Stützle probability `exp(-delta / T)`, `T = 0.4 * total work / (10 jobs machines)`; a
//!   result better than the phase's best is first improved by job-insertion local search
//!   (each job taken out and put back at its best place while that helps). The phase ends after 50 destructions without improving its best and leaves the state there.
//! * [`Search::perturb`] moves 3 random jobs to random places.
//! * The engine keeps a phase's result when no worse, shares the incumbent and restarts a
//!   worker from it after 10 phases without progress; the solve stops at the lower bound.

use super::dispatch::all_rules;
use super::timetable::{Problem, best_insertion, decode};
use crate::engine::search::run;
use crate::engine::{Acceptance, Budget, EngineConfig, Observer, Search, SolveResult, Status};
use quotient_problems::jssp::{JsspInstance, JsspSolution};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Options of `jssp.blocking`. `Default` gives one thread and seed 0.
#[derive(Debug, Clone, Default)]
pub struct IgOptions {
    /// Worker threads (independent chains sharing the incumbent); 0 means 1.
    pub threads: usize,
    pub seed: u64,
    /// A warm start (its jobs are ordered by the start of their first operation).
    pub initial: Option<JsspSolution>,
    /// Destructions without improvement that end a phase (`None`: 50).
    pub phase_iters: Option<u64>,
}

const DEFAULT_PHASE_ITERS: u64 = 50;

/// One worker's state: a job order and its makespan.
#[derive(Debug, Clone)]
pub struct State {
    order: Vec<usize>,
    cost: i64,
}

struct Ig<'a> {
    p: &'a Problem,
    starts: Vec<Vec<usize>>,
    temperature: f64,
    phase_iters: u64,
    stop_at: i64,
}

impl Ig<'_> {
    fn state(&self, order: Vec<usize>) -> State {
        let cost = decode(self.p, &order).makespan;
        State { order, cost }
    }

    /// Remove `d` random jobs and reinsert each at its best place; the new makespan. When the
    /// budget ends mid-way the jobs left are appended (the order stays a permutation).
    fn destroy_rebuild(
        &self,
        order: &mut Vec<usize>,
        d: usize,
        rng: &mut ChaCha8Rng,
        budget: &Budget,
    ) -> i64 {
        let mut removed = Vec::with_capacity(d);
        for _ in 0..d.min(order.len()) {
            let i = rng.random_range(0..order.len());
            removed.push(order.remove(i));
        }
        let stop = || budget.is_exhausted();
        for j in removed {
            match best_insertion(self.p, order, j, &stop) {
                Some((pos, _)) => order.insert(pos, j),
                None => order.push(j),
            }
        }
        decode(self.p, order).makespan
    }

    /// Job-insertion local search: each job in turn (random order) is taken out and put back
    /// at its best place (no worse than where it was, its old place being one candidate);
    /// passes repeat while one improves. Returns the makespan.
    fn insertion_pass(
        &self,
        order: &mut Vec<usize>,
        mut cost: i64,
        rng: &mut ChaCha8Rng,
        budget: &Budget,
    ) -> i64 {
        let stop = || budget.is_exhausted();
        loop {
            let before = cost;
            let mut jobs = order.clone();
            jobs.shuffle(rng);
            for j in jobs {
                let Some(at) = order.iter().position(|&x| x == j) else {
                    continue;
                };
                order.remove(at);
                match best_insertion(self.p, order, j, &stop) {
                    Some((pos, c)) if c <= cost => {
                        order.insert(pos, j);
                        cost = c;
                    }
                    _ => {
                        order.insert(at, j);
                        if stop() {
                            return cost;
                        }
                    }
                }
            }
            if cost >= before {
                return cost;
            }
        }
    }
}

impl Search for Ig<'_> {
    type State = State;
    type Solution = Vec<usize>;

    fn start(&self, worker: usize, rng: &mut ChaCha8Rng, warm: Option<&Vec<usize>>) -> State {
        if let Some(w) = warm {
            return self.state(w.clone());
        }
        match self.starts.get(worker) {
            Some(o) => self.state(o.clone()),
            None => {
                let mut o: Vec<usize> = (0..self.p.num_jobs()).collect();
                o.shuffle(rng);
                self.state(o)
            }
        }
    }

    fn cost(&self, st: &State) -> f64 {
        st.cost as f64
    }

    fn snapshot(&self, st: &State) -> Vec<usize> {
        st.order.clone()
    }

    fn restore(&self, st: &mut State, s: &Vec<usize>) {
        *st = self.state(s.clone());
    }

    fn local_search(&self, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
        let n = st.order.len();
        if n < 2 {
            return;
        }
        let dmax = (n / 2).clamp(1, 6);
        let mut best = st.clone();
        let mut since = 0u64;
        while since < self.phase_iters && best.cost > self.stop_at && !budget.is_exhausted() {
            let d = if dmax <= 2 {
                dmax
            } else {
                rng.random_range(2..=dmax)
            };
            let mut cand = st.order.clone();
            let mut c = self.destroy_rebuild(&mut cand, d, rng, budget);
            if c < best.cost {
                c = self.insertion_pass(&mut cand, c, rng, budget);
            }
            #[cfg(any(test, feature = "check-deltas"))]
            if crate::check_deltas() {
                assert_eq!(
                    c,
                    decode(self.p, &cand).makespan,
                    "jssp.blocking: fast makespan"
                );
            }
            let accept = c <= st.cost
                || (self.temperature > 0.0
                    && rng.random::<f64>() < (-((c - st.cost) as f64) / self.temperature).exp());
            if accept {
                st.order = cand;
                st.cost = c;
            }
            if st.cost < best.cost {
                best = st.clone();
                since = 0;
            } else {
                since += 1;
            }
        }
        *st = best;
    }

    fn perturb(&self, st: &mut State, rng: &mut ChaCha8Rng) -> &'static str {
        let n = st.order.len();
        if n >= 2 {
            for _ in 0..3 {
                let i = rng.random_range(0..n);
                let j = st.order.remove(i);
                let k = rng.random_range(0..n);
                st.order.insert(k, j);
            }
            st.cost = decode(self.p, &st.order).makespan;
        }
        "kick"
    }

    fn export(&self, s: &Vec<usize>) -> Option<Box<dyn std::any::Any + Send>> {
        Some(Box::new(quotient_problems::any::AnySolution::Jssp(
            decode(self.p, s).to_solution(),
        )))
    }
}

/// A warm start's job order: jobs by the start of their first operation (ties by index);
/// `None` when it does not fit the instance's shape.
fn warm_order(p: &Problem, sol: &JsspSolution) -> Option<Vec<usize>> {
    if sol.start.len() != p.num_jobs() {
        return None;
    }
    let mut jobs: Vec<(i64, usize)> = Vec::with_capacity(p.num_jobs());
    for (j, (row, ops)) in sol.start.iter().zip(&p.jobs).enumerate() {
        if row.len() != ops.len() {
            return None;
        }
        jobs.push((row.first().copied().unwrap_or(0), j));
    }
    jobs.sort_unstable();
    Some(jobs.into_iter().map(|(_, j)| j).collect())
}

/// `jssp.blocking`: iterated greedy over job orders within the budget.
pub fn solve(
    inst: &JsspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &IgOptions,
) -> SolveResult<JsspSolution> {
    if !inst.variant.is_blocking() {
        return SolveResult::infeasible(
            "jssp.blocking schedules the blocking variants (blocking, swap, iswap)",
        );
    }
    let p = match Problem::new(inst) {
        Ok(p) => p,
        Err(msg) => return SolveResult::infeasible(msg),
    };
    let lb = p.lb;
    let finish = |order: &[usize]| {
        let tt = decode(&p, order);
        let mut r = SolveResult::feasible(tt.to_solution(), tt.makespan as f64);
        r.bound = Some(lb as f64);
        if tt.makespan <= lb {
            r.status = Status::Optimal;
        }
        r
    };
    match best_order(&p, budget, observer, opts) {
        Some(order) => finish(&order),
        None => SolveResult::unknown("no start schedule could be built"),
    }
}

/// The search of [`solve`] on a timetabling problem: the best job order found within the
/// budget (decode it with [`decode`]); `None` when not even a rule's order could be built.
/// The GNN dispatching policy's training imitates these orders.
pub fn best_order(
    p: &Problem,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &IgOptions,
) -> Option<Vec<usize>> {
    let rules = all_rules(p, budget, opts.seed);
    let (first, _, _) = rules.first()?;
    if p.num_jobs() < 2 {
        return Some(first.clone());
    }
    let warm = opts.initial.as_ref().and_then(|s| warm_order(p, s));
    let user_target = budget.target().filter(|t| t.is_finite());
    let stop_at = user_target.map_or(p.lb, |t| p.lb.max(t.floor() as i64));
    let total: i64 = p.work.iter().sum();
    let cells = (p.num_jobs() * p.machines.max(1)) as f64;
    let search = Ig {
        p,
        starts: rules.iter().map(|(o, _, _)| o.clone()).collect(),
        temperature: 0.4 * total as f64 / (10.0 * cells),
        phase_iters: opts.phase_iters.unwrap_or(DEFAULT_PHASE_ITERS).max(1),
        stop_at,
    };
    let config = EngineConfig {
        threads: opts.threads.max(1),
        seed: opts.seed,
        acceptance: Acceptance::Better,
        restart_after: 10,
    };
    let inner = budget.clone().with_target(Some(stop_at as f64));
    Some(
        match run(&search, &config, &inner, observer, warm.as_ref()) {
            Some(res) => res.best,
            None => first.clone(),
        },
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::NoObserver;
    use quotient_problems::jssp::{JsspVariant, check, generate::random};

    #[test]
    fn improves_on_dispatch_and_every_result_checks() {
        for seed in 0..3 {
            for variant in [
                JsspVariant::Blocking,
                JsspVariant::Swap,
                JsspVariant::InterruptingSwap,
            ] {
                let mut inst = random(10, 5, seed);
                inst.variant = variant;
                let p = Problem::new(&inst).unwrap();
                let start = all_rules(&p, &Budget::new(None), seed)[0].1;
                let budget = Budget::new(None).with_max_iterations(Some(20));
                let opts = IgOptions {
                    seed,
                    threads: 2,
                    ..Default::default()
                };
                let r = solve(&inst, &budget, &NoObserver, &opts);
                let sol = r.solution.clone().unwrap();
                let rep = check(&inst, &sol);
                assert!(rep.is_feasible(), "{variant}: {:?}", rep.violations);
                assert_eq!(rep.objective, r.objective.unwrap());
                assert!(rep.objective <= start as f64, "{variant} seed {seed}");
                // A warm start from the result is kept or improved.
                let again = solve(
                    &inst,
                    &Budget::new(None).with_max_iterations(Some(2)),
                    &NoObserver,
                    &IgOptions {
                        initial: Some(sol),
                        ..Default::default()
                    },
                );
                assert!(check(&inst, again.solution.as_ref().unwrap()).is_feasible());
            }
        }
    }

    #[test]
    fn a_swap_free_schedule_is_feasible_in_every_variant() {
        // Blocking without swaps is the most constrained variant: its schedules pass the
        // checker of every other one (and a swap-variant schedule need not pass it).
        for seed in 0..5 {
            let mut inst = random(8, 4, seed);
            inst.variant = JsspVariant::Blocking;
            let pb = Problem::new(&inst).unwrap();
            let order: Vec<usize> = (0..8).rev().collect();
            let sol = decode(&pb, &order).to_solution();
            for v in JsspVariant::ALL {
                inst.variant = v;
                assert!(check(&inst, &sol).is_feasible(), "{v} seed {seed}");
            }
        }
    }

    #[test]
    fn the_moves_report_the_makespan_a_from_scratch_decode_gives() {
        use rand::SeedableRng;
        for seed in 0..4u64 {
            let mut inst = random(9, 4, seed);
            inst.variant = if seed % 2 == 0 {
                JsspVariant::Blocking
            } else {
                JsspVariant::Swap
            };
            let p = Problem::new(&inst).unwrap();
            let ig = Ig {
                p: &p,
                starts: Vec::new(),
                temperature: 1.0,
                phase_iters: 5,
                stop_at: 0,
            };
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let budget = Budget::new(None);
            let mut order: Vec<usize> = (0..9).collect();
            for _ in 0..5 {
                let c = ig.destroy_rebuild(&mut order, 3, &mut rng, &budget);
                assert_eq!(c, decode(&p, &order).makespan);
                let c2 = ig.insertion_pass(&mut order, c, &mut rng, &budget);
                assert_eq!(c2, decode(&p, &order).makespan);
                assert!(c2 <= c);
                let mut sorted = order.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..9).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn classic_instances_are_refused() {
        let inst = random(3, 3, 1);
        let r = solve(
            &inst,
            &Budget::new(None),
            &NoObserver,
            &IgOptions::default(),
        );
        assert!(r.solution.is_none());
    }
}

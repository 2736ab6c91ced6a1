//! The parallel improvement loop. It knows nothing about any family: a family implements
//! [`Search`] (start, local search, perturbation, snapshot/restore) and the engine runs N workers
//! on a rayon pool, each an iterated local search with an [`Acceptance`] rule, sharing the best
//! solution found (the incumbent) and restarting from it now and then.

pub use crate::accept::Acceptance;
use crate::incumbent::SharedIncumbent;
pub use crate::pool::run_workers;
use crate::pool::{SEARCH_STREAM, worker_seed};
use crate::{Budget, Improvement, Observer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What a family provides to the engine. `State` is a worker's mutable search state (current
/// solution plus whatever buffers the moves need); `Solution` is the compact form that is
/// published, copied between workers and returned.
pub trait Search: Sync {
    type State: Send;
    type Solution: Clone + Send + Sync;

    /// A start state for `worker` (worker 0 gets the warm start when there is one).
    fn start(
        &self,
        worker: usize,
        rng: &mut ChaCha8Rng,
        warm: Option<&Self::Solution>,
    ) -> Self::State;
    /// Objective of the state's current solution (minimised).
    fn cost(&self, state: &Self::State) -> f64;
    fn snapshot(&self, state: &Self::State) -> Self::Solution;
    fn restore(&self, state: &mut Self::State, solution: &Self::Solution);
    /// Descend to a local optimum (or as far as the budget allows).
    fn local_search(&self, state: &mut Self::State, rng: &mut ChaCha8Rng, budget: &Budget);
    /// Perturb the current solution (kick, ruin-and-recreate); returns the operator's name.
    fn perturb(&self, state: &mut Self::State, rng: &mut ChaCha8Rng) -> &'static str;
    /// Whether the state's solution may be published as the incumbent. A family that searches
    /// through infeasible solutions (priced with a penalty) answers false for those; only
    /// feasible solutions are ever published or returned. Default: always.
    fn feasible(&self, _state: &Self::State) -> bool {
        true
    }
    /// Called at the top of every iteration, while the state holds the worker's current
    /// solution: a chance to adapt how costs are computed (a penalty weight, say). Returns true
    /// when [`Search::cost`] of the state may have changed, so that the engine re-reads it.
    /// Default: nothing.
    fn adapt(&self, _state: &mut Self::State) -> bool {
        false
    }
    /// The solution in the family's public form, boxed, for observers that store incumbents
    /// ([`super::Observer::improved_with`]). Default: none.
    fn export(&self, _solution: &Self::Solution) -> Option<Box<dyn std::any::Any + Send>> {
        None
    }
}

/// Engine settings.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub threads: usize,
    pub seed: u64,
    pub acceptance: Acceptance,
    /// A worker restarts from the shared incumbent after this many iterations without
    /// improving its own best (0 = never).
    pub restart_after: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            threads: 1,
            seed: 1,
            acceptance: Acceptance::Better,
            restart_after: 0,
        }
    }
}

/// What the engine returns: the best solution and its cost, and how much work was done.
#[derive(Debug, Clone)]
pub struct EngineResult<S> {
    pub best: S,
    pub cost: f64,
    pub iterations: u64,
    pub elapsed: Duration,
}

/// Run the improvement loop until the budget says stop. Returns `None` only if no worker could
/// even build a start solution before the budget ended.
pub fn run<S: Search>(
    search: &S,
    config: &EngineConfig,
    budget: &Budget,
    observer: &dyn Observer,
    warm: Option<&S::Solution>,
) -> Option<EngineResult<S::Solution>> {
    let threads = config.threads.max(1);
    let incumbent: SharedIncumbent<S::Solution> = SharedIncumbent::new();
    let total_iters = AtomicU64::new(0);
    let target_hit = std::sync::atomic::AtomicBool::new(false);
    let worker = |w: usize| {
        let mut rng = ChaCha8Rng::seed_from_u64(worker_seed(config.seed, w, SEARCH_STREAM));
        let mut state = search.start(w, &mut rng, if w == 0 { warm } else { None });
        let publish = |state: &S::State, source: &str| {
            let c = search.cost(state);
            if incumbent.offer(c, || search.snapshot(state)) {
                // Built only if the observer keeps it: a copy of the incumbent (possibly a later,
                // better one from another worker: harmless for a warm start).
                let solution = || incumbent.get().and_then(|(_, s)| search.export(&s));
                observer.improved_with(
                    &Improvement {
                        objective: c,
                        bound: None,
                        elapsed: budget.elapsed(),
                        source,
                    },
                    &solution,
                );
                if budget.target_reached(c) {
                    // A private flag: the budget's cancel flag belongs to the caller (Ctrl-C).
                    target_hit.store(true, Ordering::Relaxed);
                }
            }
        };
        if search.feasible(&state) {
            publish(&state, "start");
        }
        search.local_search(&mut state, &mut rng, budget);
        if search.feasible(&state) {
            publish(&state, "local-search");
        }
        let mut current_cost = search.cost(&state);
        let mut current = search.snapshot(&state);
        let mut own_best = current_cost;
        let mut since_improvement = 0u64;
        let mut criterion = config.acceptance.criterion(current_cost);
        let mut it: u64 = 0;
        loop {
            if target_hit.load(Ordering::Relaxed)
                || budget.is_done(total_iters.load(Ordering::Relaxed))
            {
                break;
            }
            it += 1;
            total_iters.fetch_add(1, Ordering::Relaxed);
            if search.adapt(&mut state) {
                current_cost = search.cost(&state);
            }
            let op = search.perturb(&mut state, &mut rng);
            search.local_search(&mut state, &mut rng, budget);
            let cand = search.cost(&state);
            // A feasible candidate that beats the incumbent is published whether or not it is
            // accepted (with penalties, the current solution may be cheaper but infeasible).
            if search.feasible(&state) {
                publish(&state, op);
            }
            // How much of the budget is spent: by time, else by iterations (for annealing).
            let progress = || match budget.time_limit() {
                Some(t) if !t.is_zero() => {
                    (budget.elapsed().as_secs_f64() / t.as_secs_f64()).min(1.0)
                }
                _ => budget
                    .max_iterations()
                    .map_or(0.5, |m| (it as f64 / m.max(1) as f64).min(1.0)),
            };
            let accept = criterion.accept(it, cand, current_cost, progress, &mut rng);
            if accept {
                current_cost = cand;
                current = search.snapshot(&state);
                if cand < own_best {
                    own_best = cand;
                    since_improvement = 0;
                } else {
                    since_improvement += 1;
                }
            } else {
                search.restore(&mut state, &current);
                since_improvement += 1;
            }
            if config.restart_after > 0 && since_improvement >= config.restart_after {
                if let Some((c, best)) = incumbent.get() {
                    search.restore(&mut state, &best);
                    current = best;
                    current_cost = c;
                    own_best = c;
                }
                since_improvement = 0;
            }
        }
    };
    run_workers(threads, worker);
    let (cost, best) = incumbent.get()?;
    Some(EngineResult {
        best,
        cost,
        iterations: total_iters.load(Ordering::Relaxed),
        elapsed: budget.elapsed(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::NoObserver;
    use rand::Rng;
    use std::sync::Mutex;

    /// A toy family: minimise sum of (x_i - t_i)^2 over integers, with +-1 moves.
    struct Toy {
        target: Vec<i64>,
    }

    impl Search for Toy {
        type State = Vec<i64>;
        type Solution = Vec<i64>;
        fn start(&self, _w: usize, _rng: &mut ChaCha8Rng, warm: Option<&Vec<i64>>) -> Vec<i64> {
            warm.cloned().unwrap_or_else(|| vec![0; self.target.len()])
        }
        fn cost(&self, s: &Vec<i64>) -> f64 {
            s.iter()
                .zip(&self.target)
                .map(|(a, b)| ((a - b) * (a - b)) as f64)
                .sum()
        }
        fn snapshot(&self, s: &Vec<i64>) -> Vec<i64> {
            s.clone()
        }
        fn restore(&self, s: &mut Vec<i64>, sol: &Vec<i64>) {
            s.clone_from(sol);
        }
        fn local_search(&self, _s: &mut Vec<i64>, _rng: &mut ChaCha8Rng, _b: &Budget) {}
        fn perturb(&self, s: &mut Vec<i64>, rng: &mut ChaCha8Rng) -> &'static str {
            let i = rng.random_range(0..s.len());
            s[i] += if rng.random::<bool>() { 1 } else { -1 };
            "step"
        }
    }

    fn toy() -> Toy {
        Toy {
            target: (0..20).map(|i| (i * 7 % 11) - 5).collect(),
        }
    }

    #[test]
    fn single_thread_with_seed_is_deterministic() {
        let cfg = EngineConfig {
            acceptance: Acceptance::LateAcceptance(5),
            ..Default::default()
        };
        let a = run(
            &toy(),
            &cfg,
            &Budget::default().with_max_iterations(Some(300)),
            &NoObserver,
            None,
        )
        .unwrap();
        let b = run(
            &toy(),
            &cfg,
            &Budget::default().with_max_iterations(Some(300)),
            &NoObserver,
            None,
        )
        .unwrap();
        assert_eq!(a.best, b.best);
        assert_eq!(a.iterations, 300);
    }

    #[test]
    fn reaches_the_optimum_and_stops_at_target() {
        for threads in [1, 2] {
            let cfg = EngineConfig {
                threads,
                restart_after: 50,
                ..Default::default()
            };
            let budget = Budget::new(Some(Duration::from_secs(10))).with_target(Some(0.0));
            let r = run(&toy(), &cfg, &budget, &NoObserver, None).unwrap();
            assert_eq!(r.cost, 0.0);
            assert!(r.elapsed < Duration::from_secs(5));
        }
    }

    #[test]
    fn cancel_stops_within_50ms() {
        let cfg = EngineConfig {
            threads: 2,
            acceptance: Acceptance::Annealing {
                start: 0.1,
                end: 0.001,
            },
            ..Default::default()
        };
        let budget = Budget::new(Some(Duration::from_secs(30)));
        let b2 = budget.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            let at = std::time::Instant::now();
            b2.cancel();
            at
        });
        let r = run(
            &Toy {
                target: vec![1_000_000; 5],
            },
            &cfg,
            &budget,
            &NoObserver,
            None,
        )
        .unwrap();
        let cancelled_at = t.join().unwrap();
        assert!(cancelled_at.elapsed() < Duration::from_millis(50) + Duration::from_millis(20));
        assert!(r.cost < 5.0 * 1e12);
    }

    #[test]
    fn warm_start_is_used_and_observer_sees_every_improvement() {
        let t = toy();
        let warm = t.target.clone();
        let seen = Mutex::new(Vec::new());
        let obs = |e: &Improvement<'_>| seen.lock().unwrap().push(e.objective);
        let r = run(
            &t,
            &EngineConfig::default(),
            &Budget::default().with_max_iterations(Some(10)),
            &obs,
            Some(&warm),
        )
        .unwrap();
        assert_eq!(r.cost, 0.0);
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.first(), Some(&0.0));
        assert!(seen.windows(2).all(|w| w[1] < w[0]));
    }

    /// The toy with a penalty view: an odd first coordinate is "infeasible" and priced 3 less,
    /// so the search likes to sit there; `adapt` counts its calls and reports a change every
    /// 10th one.
    struct Penalised {
        toy: Toy,
        adapts: AtomicU64,
    }

    impl Search for Penalised {
        type State = Vec<i64>;
        type Solution = Vec<i64>;
        fn start(&self, w: usize, rng: &mut ChaCha8Rng, warm: Option<&Vec<i64>>) -> Vec<i64> {
            self.toy.start(w, rng, warm)
        }
        fn cost(&self, s: &Vec<i64>) -> f64 {
            self.toy.cost(s) - if self.feasible(s) { 0.0 } else { 3.0 }
        }
        fn snapshot(&self, s: &Vec<i64>) -> Vec<i64> {
            s.clone()
        }
        fn restore(&self, s: &mut Vec<i64>, sol: &Vec<i64>) {
            s.clone_from(sol);
        }
        fn local_search(&self, _s: &mut Vec<i64>, _rng: &mut ChaCha8Rng, _b: &Budget) {}
        fn perturb(&self, s: &mut Vec<i64>, rng: &mut ChaCha8Rng) -> &'static str {
            self.toy.perturb(s, rng)
        }
        fn feasible(&self, s: &Vec<i64>) -> bool {
            s[0] % 2 == 0
        }
        fn adapt(&self, _s: &mut Vec<i64>) -> bool {
            self.adapts
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(10)
        }
    }

    #[test]
    fn only_feasible_solutions_are_published() {
        let search = Penalised {
            toy: toy(),
            adapts: AtomicU64::new(0),
        };
        let seen = Mutex::new(Vec::new());
        let obs = |e: &Improvement<'_>| seen.lock().unwrap().push(e.objective);
        let r = run(
            &search,
            &EngineConfig::default(),
            &Budget::default().with_max_iterations(Some(2000)),
            &obs,
            None,
        )
        .unwrap();
        assert!(search.feasible(&r.best));
        assert_eq!(r.cost, search.toy.cost(&r.best));
        // The first coordinate's target is -5 (odd): the infeasible optimum (priced -3) is never
        // published, a feasible solution is at least 1 away.
        assert!(r.cost >= 1.0);
        assert_eq!(search.adapts.load(Ordering::Relaxed), 2000);
        let seen = seen.into_inner().unwrap();
        assert!(seen.windows(2).all(|w| w[1] < w[0]));
    }
}

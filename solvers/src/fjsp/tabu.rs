//! `fjsp.tabu`: tabu search for the flexible job shop over machine assignment and sequencing,
//! driven by the engine's parallel improvement loop.
//!
//! * Starts: the dispatching rules' schedules ([`super::dispatch`]), best first; worker `w`
//!   starts from the `w`-th (beyond them, a rule with noisy priorities); worker 0 from the warm
//!   start when one is given and fits.
//! * [`Search::local_search`] is one tabu phase. Each iteration evaluates, exactly, every
//!   reinsertion of every operation on a longest path onto any eligible machine at any
//!   acyclic place ([`super::moves`]: reassignment plus the N5/N7-style moves on the
//!   operation's own machine) and applies the best admissible one (smallest makespan, ties by
//!   the longest path through the operation, then at random). Taking operation `v` away from
//!   machine `m` right after operation `x` makes "put `v` on `m` right after `x`" tabu for a
//!   tenure drawn in `[L, 2L]`, `L = 5 + operations / (2 machines)`; a tabu move is admissible
//!   when it beats the phase's best (aspiration); when no move is admissible a random one is
//!   taken. The phase ends after `phase_iters` (500) iterations without improving its best and
//!   leaves the state at that best.
//! * [`Search::perturb`] applies a few (8) random moves of the neighbourhood.
//! * The engine accepts a phase's result when it is no worse, shares the incumbent between
//!   workers and restarts a worker from it after 10 phases without progress. Every loop polls
//!   the budget; the solve stops at the trivial lower bound.

use super::dispatch::{RULES, all_rules, construct_noisy};
use super::graph::{NONE, Problem, Schedule};
use super::moves::{Move, Scratch, apply_checked, neighbourhood};
use crate::engine::search::run;
use crate::engine::tabu::{TabuMap, Tenure};
use crate::engine::{Acceptance, Budget, EngineConfig, Observer, Search, SolveResult, Status};
use quotient_problems::fjsp::{FjspInstance, FjspSolution};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Options of `fjsp.tabu`. `Default` gives one thread, seed 0 and the default phase length.
#[derive(Debug, Clone, Default)]
pub struct TabuOptions {
    /// Worker threads (independent tabu chains sharing the incumbent); 0 means 1.
    pub threads: usize,
    pub seed: u64,
    /// A warm start; ignored when it does not fit the instance (shape, eligibility, cycle).
    pub initial: Option<FjspSolution>,
    /// Iterations without improvement that end a tabu phase (`None`: 500).
    pub phase_iters: Option<u64>,
    /// Random moves in a kick between phases (`None`: 8).
    pub kick: Option<usize>,
    /// Smallest tabu tenure (the tenure is drawn in `[t, 2t]`; `None`: automatic,
    /// `5 + operations / (2 machines)`).
    pub tenure: Option<u64>,
    /// After a move, the moved operation itself stays tabu (any move of it) for a tenure drawn
    /// in `[h, 2h]` iterations (`None` or 0: off).
    pub hold: Option<u64>,
}

/// Short phases and strong kicks: at 8 s, one thread, on mk02/mk06/mk07/mk10, phase 500 with
/// kick 8 gave 26/59/141/204 against 27/61/146/210 with phase 2000 and kick 3 (BENCHMARKS.md,
/// session 11).
const DEFAULT_PHASE_ITERS: u64 = 500;
const DEFAULT_KICK: usize = 8;

/// A compact schedule: machine choices and sequences.
#[derive(Debug, Clone)]
pub struct Assignment {
    mach: Vec<u32>,
    seq: Vec<Vec<u32>>,
}

/// One worker's search state.
#[derive(Debug)]
pub struct State {
    sch: Schedule,
    /// `(operation, machine, machine predecessor)`: placing the operation there is tabu.
    tabu: TabuMap<(u32, u32, u32)>,
    iter: u64,
    moves: Vec<Move>,
    sc: Scratch,
}

struct Tabu<'a> {
    p: &'a Problem,
    starts: Vec<Schedule>,
    tenure: Tenure,
    hold: Option<Tenure>,
    phase_iters: u64,
    kick: usize,
    stop_at: i64,
}

impl Tabu<'_> {
    fn state(&self, sch: Schedule) -> State {
        State {
            sch,
            tabu: TabuMap::new(4096),
            iter: 0,
            moves: Vec::new(),
            sc: Scratch::default(),
        }
    }

    /// The machine predecessor `mv.op` would have after `mv`.
    fn pred_after(&self, s: &Schedule, mv: &Move) -> u32 {
        if mv.at == 0 {
            return NONE;
        }
        let line = &s.seq[mv.machine as usize];
        let v = mv.op as usize;
        let i = mv.at as usize - 1;
        let i = if s.mach[v] == mv.machine && i >= s.pos[v] as usize {
            i + 1
        } else {
            i
        };
        line.get(i).copied().unwrap_or(NONE)
    }

    /// Apply `mv`, making the place `mv.op` leaves tabu.
    fn step(&self, st: &mut State, mv: Move, rng: &mut ChaCha8Rng) {
        let v = mv.op as usize;
        let key = (mv.op, st.sch.mach[v], st.sch.mp(v));
        let until = st.iter + self.tenure.draw(rng);
        st.tabu.forbid(key, until);
        if let Some(h) = self.hold {
            let until = st.iter + h.draw(rng);
            st.tabu.forbid((mv.op, NONE, NONE), until);
        }
        let applied = apply_checked(self.p, &mut st.sch, mv);
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert!(
                applied && st.sch.cmax == mv.est,
                "fjsp move {mv:?}: recomputed makespan {}",
                st.sch.cmax
            );
        }
        let _ = applied;
        st.iter += 1;
        if st.iter.is_multiple_of(1024) {
            st.tabu.prune(st.iter);
        }
    }
}

impl Search for Tabu<'_> {
    type State = State;
    type Solution = Assignment;

    fn start(&self, worker: usize, rng: &mut ChaCha8Rng, warm: Option<&Assignment>) -> State {
        let p = self.p;
        if let Some(w) = warm
            && let Some(s) = Schedule::new(p, w.mach.clone(), w.seq.clone())
        {
            return self.state(s);
        }
        let sch = match self.starts.get(worker) {
            Some(s) => s.clone(),
            None => construct_noisy(p, RULES[worker % RULES.len()], rng)
                .unwrap_or_else(|| self.starts[worker % self.starts.len()].clone()),
        };
        self.state(sch)
    }

    fn cost(&self, st: &State) -> f64 {
        st.sch.cmax as f64
    }

    fn snapshot(&self, st: &State) -> Assignment {
        Assignment {
            mach: st.sch.mach.clone(),
            seq: st.sch.seq.clone(),
        }
    }

    fn restore(&self, st: &mut State, a: &Assignment) {
        if let Some(s) = Schedule::new(self.p, a.mach.clone(), a.seq.clone()) {
            st.sch = s;
        }
    }

    fn local_search(&self, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
        let p = self.p;
        let mut best = st.sch.cmax;
        let mut best_at = self.snapshot(st);
        let mut since = 0u64;
        while since < self.phase_iters && best > self.stop_at && !budget.is_exhausted() {
            neighbourhood(p, &st.sch, &mut st.sc, &mut st.moves);
            if st.moves.is_empty() {
                break;
            }
            let mut chosen: Option<Move> = None;
            let mut ties = 0u32;
            for mv in &st.moves {
                let key = (mv.op, mv.machine, self.pred_after(&st.sch, mv));
                let tabu = st.tabu.is_tabu(&key, st.iter)
                    || (self.hold.is_some() && st.tabu.is_tabu(&(mv.op, NONE, NONE), st.iter));
                if tabu && mv.est >= best {
                    continue;
                }
                match chosen {
                    Some(c) if (mv.est, mv.through) > (c.est, c.through) => {}
                    Some(c) if (mv.est, mv.through) == (c.est, c.through) => {
                        ties += 1;
                        if rng.random_range(0..ties) == 0 {
                            chosen = Some(*mv);
                        }
                    }
                    _ => {
                        chosen = Some(*mv);
                        ties = 1;
                    }
                }
            }
            let mv = match chosen {
                Some(mv) => mv,
                None => st.moves[rng.random_range(0..st.moves.len())],
            };
            self.step(st, mv, rng);
            if st.sch.cmax < best {
                best = st.sch.cmax;
                best_at = self.snapshot(st);
                since = 0;
            } else {
                since += 1;
            }
        }
        if st.sch.cmax > best {
            self.restore(st, &best_at);
        }
    }

    fn perturb(&self, st: &mut State, rng: &mut ChaCha8Rng) -> &'static str {
        for _ in 0..self.kick {
            neighbourhood(self.p, &st.sch, &mut st.sc, &mut st.moves);
            if st.moves.is_empty() {
                break;
            }
            let mv = st.moves[rng.random_range(0..st.moves.len())];
            self.step(st, mv, rng);
        }
        "kick"
    }

    fn export(&self, a: &Assignment) -> Option<Box<dyn std::any::Any + Send>> {
        let s = Schedule::new(self.p, a.mach.clone(), a.seq.clone())?;
        Some(Box::new(quotient_problems::any::AnySolution::Fjsp(
            s.to_solution(self.p),
        )))
    }
}

/// `fjsp.tabu`: tabu search over reassignment and reinsertion moves (exact evaluation, tabu
/// places with drawn tenures, aspiration, kicks) in independent chains sharing the incumbent.
pub fn solve(
    inst: &FjspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &TabuOptions,
) -> SolveResult<FjspSolution> {
    let p = match Problem::new(inst) {
        Ok(p) => p,
        Err(msg) => return SolveResult::infeasible(msg),
    };
    let lb = p.lb;
    let finish = |s: &Schedule| {
        let mut r = SolveResult::feasible(s.to_solution(&p), s.cmax as f64);
        r.bound = Some(lb as f64);
        if s.cmax <= lb {
            r.status = Status::Optimal;
        }
        r
    };
    let starts = all_rules(&p, budget);
    let Some(first) = starts.first() else {
        return SolveResult::unknown("no start schedule could be built");
    };
    if p.num_ops() == 0 {
        return finish(first);
    }
    let warm = opts
        .initial
        .as_ref()
        .and_then(|sol| Schedule::from_solution(&p, sol))
        .map(|s| Assignment {
            mach: s.mach,
            seq: s.seq,
        });
    let user_target = budget.target().filter(|t| t.is_finite());
    let stop_at = user_target.map_or(lb, |t| lb.max(t.floor() as i64));
    let min = opts
        .tenure
        .unwrap_or(5 + (p.num_ops() / (2 * p.machines.max(1))) as u64)
        .max(1);
    let search = Tabu {
        p: &p,
        starts,
        tenure: Tenure { min, max: 2 * min },
        hold: opts
            .hold
            .filter(|&h| h > 0)
            .map(|h| Tenure { min: h, max: 2 * h }),
        phase_iters: opts.phase_iters.unwrap_or(DEFAULT_PHASE_ITERS),
        kick: opts.kick.unwrap_or(DEFAULT_KICK),
        stop_at,
    };
    let config = EngineConfig {
        threads: opts.threads.max(1),
        seed: opts.seed,
        acceptance: Acceptance::Better,
        restart_after: 10,
    };
    let inner = budget.clone().with_target(Some(stop_at as f64));
    let Some(res) = run(&search, &config, &inner, observer, warm.as_ref()) else {
        return SolveResult::unknown("the budget ended before a schedule was built");
    };
    match Schedule::new(&p, res.best.mach, res.best.seq) {
        Some(s) => finish(&s),
        None => SolveResult::unknown("internal error: the best schedule is cyclic"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::engine::NoObserver;
    use quotient_problems::fjsp::{check, generate::random, read::read_fjsp};
    use std::time::Duration;

    #[test]
    fn improves_on_dispatch_and_every_result_checks() {
        for seed in 0..3 {
            let inst = random(8, 4, 0, 0.6, seed);
            let p = Problem::new(&inst).unwrap();
            let start = all_rules(&p, &Budget::new(None))[0].cmax;
            let budget = Budget::new(None).with_max_iterations(Some(30));
            let opts = TabuOptions {
                seed,
                threads: 2,
                phase_iters: Some(200),
                ..Default::default()
            };
            let r = solve(&inst, &budget, &NoObserver, &opts);
            let sol = r.solution.unwrap();
            let report = check(&inst, &sol);
            assert!(report.is_feasible(), "{:?}", report.violations);
            assert_eq!(Some(report.objective), r.objective);
            assert!(report.objective <= start as f64);
            assert!(report.objective >= p.lb as f64);
        }
    }

    #[test]
    fn finds_the_optimum_of_a_small_instance_and_stops_at_the_bound() {
        // Two jobs, two machines: the lower bound 4 is reachable.
        let inst = read_fjsp("2 2\n2 2 1 2 2 3 1 2 2\n2 2 1 2 2 1 1 1 2\n", "t").unwrap();
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_secs(5))),
            &NoObserver,
            &TabuOptions::default(),
        );
        assert_eq!(r.objective, Some(4.0));
        assert_eq!(r.status, Status::Optimal);
    }

    #[test]
    fn a_warm_start_is_used_and_a_bad_one_ignored() {
        let inst = random(5, 3, 0, 0.7, 4);
        let p = Problem::new(&inst).unwrap();
        let start = all_rules(&p, &Budget::new(None)).pop().unwrap();
        let budget = Budget::new(None).with_max_iterations(Some(2));
        for initial in [
            start.to_solution(&p),
            FjspSolution {
                machine: vec![],
                start: vec![],
            },
        ] {
            let r = solve(
                &inst,
                &budget,
                &NoObserver,
                &TabuOptions {
                    initial: Some(initial),
                    phase_iters: Some(10),
                    ..Default::default()
                },
            );
            assert!(check(&inst, &r.solution.unwrap()).is_feasible());
        }
    }
}

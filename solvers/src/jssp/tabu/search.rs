//! One worker's tabu search: its state, the neighbourhood, the tabu phase
//! ([`Search::local_search`]) and the perturbation between phases ([`Search::perturb`]).

use super::MovePolicy;
use super::elite::{ELITE, RELINK_ODDS};
use super::memory::{PairSlots, RECENT};
use crate::engine::tabu::{RecentHashes, TabuTable, Tenure};
use crate::engine::{Budget, ElitePool, Search};
use crate::jssp::graph::{Block, Problem, Schedule};
use crate::jssp::moves::{
    Move, Scratch, acyclic, apply, apply_or_undo, apply_update, critical_moves, estimate,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// A compact schedule: the machine sequences.
#[derive(Debug, Clone)]
pub struct Sequences {
    pub(super) seq: Vec<Vec<u32>>,
}

/// One worker's search state.
#[derive(Debug)]
pub struct State {
    pub(super) sch: Schedule,
    /// Putting operation `a` before operation `b` is tabu at slot [`PairSlots::slot`]`(a, b)`.
    pub(super) tabu: TabuTable,
    pub(super) iter: u64,
    pub(super) best_seq: Vec<Vec<u32>>,
    pub(super) best_cmax: i64,
    /// The worker's best distinct phase results: makespan, (hash, machine sequences).
    pub(super) elite: ElitePool<i64, (u64, Vec<Vec<u32>>)>,
    pub(super) recent: RecentHashes<RECENT>,
    pub(super) path: Vec<u32>,
    pub(super) by_machine: Vec<bool>,
    pub(super) blocks: Vec<Block>,
    pub(super) moves: Vec<Move>,
    pub(super) sc: Scratch,
    /// Positions in the relinking target.
    pub(super) tpos: Vec<u32>,
}

pub(super) struct Tabu<'a> {
    pub(super) p: &'a Problem,
    /// Start schedules, best first.
    pub(super) starts: Vec<Vec<Vec<u32>>>,
    /// The best start, ready (every start was validated when built).
    pub(super) first: Schedule,
    /// Which table slot holds which ordered pair.
    pub(super) slots: PairSlots,
    pub(super) tenure: Tenure,
    pub(super) phase_iters: u64,
    pub(super) kick: usize,
    pub(super) relink: bool,
    /// Stop as soon as the makespan is at or below this (lower bound or target).
    pub(super) stop_at: i64,
    #[cfg_attr(not(any(test, feature = "check-deltas")), allow(dead_code))]
    pub(super) all_positive: bool,
    /// Incremental head/tail updates (all durations positive and the option on).
    pub(super) incremental: bool,
    pub(super) policy: Option<(Arc<dyn MovePolicy>, f64)>,
}

impl Tabu<'_> {
    /// The N7 moves of a critical path of the current schedule into `st.moves`.
    fn neighbourhood(&self, st: &mut State, rng: &mut ChaCha8Rng) {
        critical_moves(
            self.p,
            &st.sch,
            rng,
            &mut st.path,
            &mut st.by_machine,
            &mut st.blocks,
            &mut st.moves,
        );
    }
    /// Apply `mv` and recompute; undo it and return false if it made a cycle (only possible
    /// when the acyclicity test was skipped).
    fn apply_checked(&self, st: &mut State, mv: Move) -> bool {
        if !self.incremental {
            return apply_or_undo(self.p, &mut st.sch, mv);
        }
        if apply_update(self.p, &mut st.sch, mv) {
            return true;
        }
        apply(&mut st.sch, mv.inverse());
        st.sch.recompute(self.p);
        false
    }
    /// The policy's choice among the admissible moves of `st.moves` (acyclic; not tabu, or
    /// estimated to beat the phase's best).
    fn policy_move(&self, st: &mut State, policy: &dyn MovePolicy) -> Option<Move> {
        let p = self.p;
        let mut admissible = Vec::with_capacity(st.moves.len());
        for i in 0..st.moves.len() {
            let mv = st.moves[i];
            if acyclic(p, &st.sch, mv)
                && (!self.is_tabu(st, mv) || estimate(p, &st.sch, mv, &mut st.sc) < st.best_cmax)
            {
                admissible.push(mv);
            }
        }
        if admissible.is_empty() {
            return None;
        }
        let k = policy.choose(p, &st.sch, &admissible)?;
        admissible.get(k).copied()
    }
    /// One random acyclic N7 move of the current critical path; false when there is none.
    fn random_move(&self, st: &mut State, rng: &mut ChaCha8Rng) -> bool {
        self.neighbourhood(st, rng);
        let p = self.p;
        let sch = &st.sch;
        st.moves.retain(|&mv| acyclic(p, sch, mv));
        if st.moves.is_empty() {
            return false;
        }
        let mv = st.moves[rng.random_range(0..st.moves.len())];
        self.apply_checked(st, mv)
    }
    /// Run-time twin check (feature `check-deltas`): the estimate of an applied move against
    /// the recomputed heads and tails.
    #[cfg(any(test, feature = "check-deltas"))]
    fn check_delta(&self, before: &Schedule, after: &Schedule, mv: Move) {
        let mut sc = Scratch::default();
        let est = estimate(self.p, before, mv, &mut sc);
        if mv.is_swap() {
            assert!(est <= after.cmax, "swap estimate {est} > {}", after.cmax);
            for (i, &x) in sc.ops.iter().enumerate() {
                assert_eq!(sc.head[i], after.head[x as usize], "swap head");
                assert_eq!(sc.tail[i], after.tail[x as usize], "swap tail");
            }
        } else if mv.from > mv.to {
            assert_eq!(sc.head[0], after.head[sc.ops[0] as usize], "insert head");
        } else if let (Some(&x), Some(&t)) = (sc.ops.last(), sc.tail.last()) {
            assert_eq!(t, after.tail[x as usize], "insert tail");
        }
        let mut full = before.clone();
        apply(&mut full, mv);
        assert!(full.recompute(self.p));
        // The incremental update's twin: everything recomputed from scratch.
        assert_eq!(full.head, after.head);
        assert_eq!(full.tail, after.tail);
        assert_eq!(full.cmax, after.cmax);
        assert_eq!(full.hash, after.hash);
    }
}

impl Search for Tabu<'_> {
    type State = State;
    type Solution = Sequences;

    fn export(&self, s: &Sequences) -> Option<Box<dyn std::any::Any + Send>> {
        let sch = Schedule::from_seqs(self.p, s.seq.clone())?;
        Some(Box::new(quotient_problems::any::AnySolution::Jssp(
            self.p.starts_from_heads(&sch.head),
        )))
    }

    fn start(&self, worker: usize, _rng: &mut ChaCha8Rng, warm: Option<&Sequences>) -> State {
        let p = self.p;
        let seq = warm
            .map(|w| w.seq.clone())
            .or_else(|| self.starts.get(worker % self.starts.len().max(1)).cloned())
            .unwrap_or_default();
        let sch = Schedule::from_seqs(p, seq).unwrap_or_else(|| self.first.clone());
        State {
            best_seq: sch.seq.clone(),
            best_cmax: sch.cmax,
            sch,
            tabu: TabuTable::new(self.slots.len()),
            iter: 0,
            elite: ElitePool::new(ELITE),
            recent: RecentHashes::default(),
            path: Vec::new(),
            by_machine: Vec::new(),
            blocks: Vec::new(),
            moves: Vec::new(),
            sc: Scratch::default(),
            tpos: Vec::new(),
        }
    }

    fn cost(&self, st: &State) -> f64 {
        st.sch.cmax as f64
    }

    fn snapshot(&self, st: &State) -> Sequences {
        Sequences {
            seq: st.sch.seq.clone(),
        }
    }

    fn restore(&self, st: &mut State, sol: &Sequences) {
        st.sch.load(self.p, &sol.seq);
    }

    fn local_search(&self, st: &mut State, rng: &mut ChaCha8Rng, budget: &Budget) {
        let p = self.p;
        st.best_cmax = st.sch.cmax;
        st.best_seq.clone_from(&st.sch.seq);
        let mut since = 0u64;
        while since < self.phase_iters && st.sch.cmax > self.stop_at && !budget.is_exhausted() {
            st.iter += 1;
            since += 1;
            self.neighbourhood(st, rng);
            let picked = match &self.policy {
                Some((policy, rate)) if rng.random::<f64>() < *rate => {
                    self.policy_move(st, policy.as_ref())
                }
                _ => None,
            };
            // Best admissible move by estimate (ties at random); a random tabu one otherwise.
            let mut best: Option<(i64, Move)> = picked.map(|mv| (i64::MIN, mv));
            let mut ties = 0u32;
            let mut fallback: Option<Move> = None;
            let mut seen_tabu = 0u32;
            for i in 0..st.moves.len() {
                if picked.is_some() {
                    break;
                }
                let mv = st.moves[i];
                if !acyclic(p, &st.sch, mv) {
                    continue;
                }
                let est = estimate(p, &st.sch, mv, &mut st.sc);
                if self.is_tabu(st, mv) && est >= st.best_cmax {
                    seen_tabu += 1;
                    if rng.random_range(0..seen_tabu) == 0 {
                        fallback = Some(mv);
                    }
                    continue;
                }
                match best {
                    Some((b, _)) if est > b => {}
                    Some((b, _)) if est == b => {
                        ties += 1;
                        if rng.random_range(0..ties) == 0 {
                            best = Some((est, mv));
                        }
                    }
                    _ => {
                        best = Some((est, mv));
                        ties = 1;
                    }
                }
            }
            let Some(mv) = best.map(|b| b.1).or(fallback) else {
                break;
            };
            let tenure = self.tenure.draw(rng);
            self.make_tabu(st, mv, tenure);
            #[cfg(any(test, feature = "check-deltas"))]
            let before = crate::check_deltas().then(|| st.sch.clone());
            let applied = self.apply_checked(st, mv);
            #[cfg(any(test, feature = "check-deltas"))]
            if let Some(before) = before {
                if mv.is_swap() && self.all_positive {
                    assert!(applied, "an N5 swap on a critical block made a cycle");
                }
                if applied {
                    self.check_delta(&before, &st.sch, mv);
                }
            }
            if !applied {
                continue;
            }
            if st.sch.cmax < st.best_cmax {
                st.best_cmax = st.sch.cmax;
                st.best_seq.clone_from(&st.sch.seq);
                since = 0;
            }
            let h = st.sch.hash;
            if st.recent.contains(h) {
                // Cycling: leave the cycle with a random move.
                self.random_move(st, rng);
            }
            st.recent.record(st.iter, st.sch.hash);
        }
        if st.sch.cmax != st.best_cmax || st.sch.seq != st.best_seq {
            st.sch.load(p, &st.best_seq);
        }
        Self::remember_elite(st);
    }

    fn perturb(&self, st: &mut State, rng: &mut ChaCha8Rng) -> &'static str {
        // Forget the tabu list: every entry expires within `tenure.max` iterations.
        st.iter += self.tenure.max + 1;
        let mut name = "tabu";
        if self.relink && st.elite.len() >= 2 && rng.random_range(0..RELINK_ODDS) == 0 {
            let h = st.sch.hash;
            let others = st.elite.iter().filter(|e| e.1.0 != h).count();
            if let Some(i) = st
                .elite
                .iter()
                .enumerate()
                .filter(|(_, e)| e.1.0 != h)
                .nth(rng.random_range(0..others.max(1)))
                .map(|(i, _)| i)
                && self.relink_towards(st, i, rng)
            {
                return "tabu-relink";
            }
        }
        if !st.elite.is_empty() && rng.random_range(0..5) == 0 {
            let i = rng.random_range(0..st.elite.len());
            if let Some((_, (_, seq))) = st.elite.get(i) {
                st.sch.load(self.p, seq);
            }
            name = "tabu-elite";
        }
        for _ in 0..self.kick {
            if !self.random_move(st, rng) {
                break;
            }
        }
        name
    }
}

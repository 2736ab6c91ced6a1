//! Acceptance criteria: whether a worker moves to a candidate solution. [`Acceptance`] is the
//! configuration (plain data, in options); [`Criterion`] is its running form, made once per
//! worker from the start cost, whose [`Criterion::accept`] decides.

use rand::Rng;

/// Which rule a worker uses to keep a candidate (all for minimisation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acceptance {
    /// Keep only improvements or ties.
    Better,
    /// Late acceptance hill climbing with a history of this length.
    LateAcceptance(usize),
    /// Simulated annealing: accept a worsening `d` with probability exp(-d / T), T decreasing
    /// geometrically from `start` to `end` (as fractions of the start cost) over the budget.
    Annealing { start: f64, end: f64 },
    /// Threshold accepting: accept a worsening up to a threshold that decreases linearly from
    /// `start` to `end` (as fractions of the start cost) over the budget.
    Threshold { start: f64, end: f64 },
}

impl Acceptance {
    /// The running criterion of a worker whose first solution costs `start_cost`.
    pub fn criterion(self, start_cost: f64) -> Criterion {
        let scale = start_cost.abs().max(1e-9);
        match self {
            Acceptance::Better => Criterion::Better,
            Acceptance::LateAcceptance(len) => Criterion::Late {
                history: vec![start_cost; len.max(1)],
            },
            Acceptance::Annealing { start, end } => {
                Criterion::Annealing(Annealing::new(scale * start, end / start))
            }
            Acceptance::Threshold { start, end } => Criterion::Threshold {
                start: scale * start,
                end: scale * end,
            },
        }
    }
}

/// Simulated annealing with a geometric schedule: temperature `t0 * decay^progress` for a
/// progress in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Annealing {
    t0: f64,
    decay: f64,
}

impl Annealing {
    /// Start temperature `t0` (in objective units), multiplied by `decay` over the budget.
    pub fn new(t0: f64, decay: f64) -> Self {
        Annealing { t0, decay }
    }

    /// The temperature at `progress` (0: start of the budget, 1: its end).
    pub fn temperature(&self, progress: f64) -> f64 {
        self.t0 * self.decay.powf(progress)
    }

    /// Keep `candidate` (cost) over `current`: always when no worse, else with probability
    /// exp(-(candidate - current) / T) (one uniform draw from `rng`, only in that case).
    pub fn accept<R: Rng>(&self, candidate: f64, current: f64, progress: f64, rng: &mut R) -> bool {
        candidate <= current || {
            let temp = self.temperature(progress);
            let p = (-(candidate - current) / temp.max(1e-12)).exp();
            rng.random::<f64>() < p
        }
    }
}

/// A worker's acceptance criterion with its state (the late-acceptance history).
#[derive(Debug, Clone, PartialEq)]
pub enum Criterion {
    Better,
    Late { history: Vec<f64> },
    Annealing(Annealing),
    Threshold { start: f64, end: f64 },
}

impl Criterion {
    /// Whether the worker moves from `current` to `candidate` (costs) at its `step`-th
    /// iteration (1, 2, ...). `progress` (0 to 1, how much of the budget is spent) is asked
    /// only by the rules that change over time.
    pub fn accept<R: Rng>(
        &mut self,
        step: u64,
        candidate: f64,
        current: f64,
        progress: impl FnOnce() -> f64,
        rng: &mut R,
    ) -> bool {
        match self {
            Criterion::Better => candidate <= current,
            Criterion::Late { history } => {
                let slot = (step as usize) % history.len();
                let ok = candidate <= current || candidate <= history[slot];
                history[slot] = if ok { candidate } else { current };
                ok
            }
            Criterion::Annealing(a) => {
                candidate <= current || a.accept(candidate, current, progress(), rng)
            }
            Criterion::Threshold { start, end } => {
                candidate <= current || {
                    let f = progress().clamp(0.0, 1.0);
                    candidate - current <= *start + (*end - *start) * f
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn better_keeps_improvements_and_ties_only() {
        let mut c = Acceptance::Better.criterion(10.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(c.accept(1, 9.0, 10.0, || 0.0, &mut rng));
        assert!(c.accept(2, 10.0, 10.0, || 0.0, &mut rng));
        assert!(!c.accept(3, 10.5, 10.0, || 0.0, &mut rng));
    }

    #[test]
    fn late_acceptance_compares_with_the_cost_len_steps_ago() {
        let mut c = Acceptance::LateAcceptance(2).criterion(10.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        // Slot 1 holds 10: a worse 10 is accepted against current 8.
        assert!(c.accept(1, 10.0, 8.0, || 0.0, &mut rng));
        // Slot 0 holds 10: 11 is refused and the slot takes the current cost.
        assert!(!c.accept(2, 11.0, 10.0, || 0.0, &mut rng));
        assert_eq!(
            c,
            Criterion::Late {
                history: vec![10.0, 10.0]
            }
        );
        assert!(!c.accept(4, 10.5, 9.0, || 0.0, &mut rng));
        assert_eq!(
            c,
            Criterion::Late {
                history: vec![9.0, 10.0]
            }
        );
    }

    #[test]
    fn annealing_cools_and_draws_only_for_worsenings() {
        let a = Annealing::new(2.0, 0.01);
        assert_eq!(a.temperature(0.0), 2.0);
        assert!((a.temperature(1.0) - 0.02).abs() < 1e-15);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut twin = rng.clone();
        assert!(a.accept(1.0, 2.0, 0.3, &mut rng));
        // No draw was made for an improvement.
        assert_eq!(
            rand::Rng::random::<u64>(&mut rng),
            rand::Rng::random::<u64>(&mut twin)
        );
        let hot = (0..1000)
            .filter(|_| a.accept(3.0, 2.0, 0.0, &mut rng))
            .count();
        let cold = (0..1000)
            .filter(|_| a.accept(3.0, 2.0, 1.0, &mut rng))
            .count();
        assert!(hot > 500 && cold == 0, "{hot} {cold}");
        // The engine's form: fractions of the start cost.
        let c = Acceptance::Annealing {
            start: 0.1,
            end: 0.001,
        }
        .criterion(-50.0);
        assert_eq!(
            c,
            Criterion::Annealing(Annealing::new(50.0 * 0.1, 0.001 / 0.1))
        );
    }

    #[test]
    fn threshold_narrows_over_the_budget() {
        let mut c = Acceptance::Threshold {
            start: 0.1,
            end: 0.0,
        }
        .criterion(100.0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(c.accept(1, 109.0, 100.0, || 0.0, &mut rng));
        assert!(!c.accept(2, 111.0, 100.0, || 0.0, &mut rng));
        assert!(c.accept(3, 104.0, 100.0, || 0.5, &mut rng));
        assert!(!c.accept(4, 106.0, 100.0, || 0.5, &mut rng));
        assert!(!c.accept(5, 100.5, 100.0, || 1.0, &mut rng));
    }
}

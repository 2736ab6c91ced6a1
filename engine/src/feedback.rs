//! Operator feedback: Thompson sampling over the arms (operators, or operator x size). Every
//! arm keeps a Beta(alpha, beta) posterior of "this arm pays off"; each choice draws one sample
//! per arm and plays the largest. A reward in [0, 1] updates alpha += r, beta += 1 - r (the
//! Bernoulli update generalised to graded rewards).

use rand::Rng;
use rand_distr::{Beta, Distribution};

/// What one destroy-and-repair step achieved, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new global best.
    NewBest,
    /// Better than the worker's current solution.
    Improvement,
    /// Not better, but kept by the acceptance rule.
    Accepted,
    /// Discarded (worse and not accepted, infeasible neighbourhood, no solution in time).
    Rejected,
}

impl Outcome {
    /// The reward of each class.
    pub fn reward(self) -> f64 {
        match self {
            Outcome::NewBest => 1.0,
            Outcome::Improvement => 0.6,
            Outcome::Accepted => 0.2,
            Outcome::Rejected => 0.0,
        }
    }
}

/// Beta posteriors of every arm.
#[derive(Debug, Clone, PartialEq)]
pub struct ThompsonBandit {
    alpha: Vec<f64>,
    beta: Vec<f64>,
    plays: Vec<u64>,
}

impl ThompsonBandit {
    /// `arms` arms with the uniform prior Beta(1, 1).
    pub fn new(arms: usize) -> Self {
        ThompsonBandit {
            alpha: vec![1.0; arms],
            beta: vec![1.0; arms],
            plays: vec![0; arms],
        }
    }

    pub fn arms(&self) -> usize {
        self.alpha.len()
    }

    /// The posterior (alpha, beta) of `arm`.
    pub fn posterior(&self, arm: usize) -> (f64, f64) {
        (self.alpha[arm], self.beta[arm])
    }

    /// How often `arm` was updated.
    pub fn plays(&self, arm: usize) -> u64 {
        self.plays[arm]
    }

    /// Posterior mean of `arm`.
    pub fn mean(&self, arm: usize) -> f64 {
        self.alpha[arm] / (self.alpha[arm] + self.beta[arm])
    }

    /// Draw one sample per arm and return the arm with the largest (ties: lowest index).
    pub fn choose<R: Rng>(&self, rng: &mut R) -> usize {
        let mut best = 0;
        let mut best_sample = f64::NEG_INFINITY;
        for (arm, (&a, &b)) in self.alpha.iter().zip(&self.beta).enumerate() {
            let sample = match Beta::new(a, b) {
                Ok(d) => d.sample(rng),
                Err(_) => a / (a + b),
            };
            if sample > best_sample {
                best_sample = sample;
                best = arm;
            }
        }
        best
    }

    /// Record what playing `arm` achieved.
    pub fn update(&mut self, arm: usize, outcome: Outcome) {
        let r = outcome.reward();
        self.alpha[arm] += r;
        self.beta[arm] += 1.0 - r;
        self.plays[arm] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn posterior_updates_follow_the_reward_classes() {
        let mut b = ThompsonBandit::new(3);
        b.update(0, Outcome::NewBest);
        b.update(1, Outcome::Rejected);
        b.update(2, Outcome::Improvement);
        b.update(2, Outcome::Accepted);
        assert_eq!(b.posterior(0), (2.0, 1.0));
        assert_eq!(b.posterior(1), (1.0, 2.0));
        let (a, be) = b.posterior(2);
        assert!((a - 1.8).abs() < 1e-12 && (be - 2.2).abs() < 1e-12);
        assert_eq!(b.plays(2), 2);
        assert!(b.mean(0) > b.mean(2) && b.mean(2) > b.mean(1));
    }

    #[test]
    fn choices_are_deterministic_with_a_seed() {
        let mut b = ThompsonBandit::new(24);
        for arm in 0..24 {
            b.update(
                arm,
                if arm % 3 == 0 {
                    Outcome::Improvement
                } else {
                    Outcome::Rejected
                },
            );
        }
        let draw = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..50).map(|_| b.choose(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn a_paying_arm_is_played_most() {
        let mut b = ThompsonBandit::new(4);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0usize; 4];
        for _ in 0..400 {
            let arm = b.choose(&mut rng);
            counts[arm] += 1;
            b.update(
                arm,
                if arm == 2 {
                    Outcome::NewBest
                } else {
                    Outcome::Rejected
                },
            );
        }
        assert!(counts[2] > 300, "{counts:?}");
    }
}

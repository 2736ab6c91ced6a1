use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What a solve may spend: a deadline, an iteration cap, a target objective, and a cancel flag
/// shared with the CLI (Ctrl-C) and the server (job cancel). Every solver loop polls it.
#[derive(Debug, Clone)]
pub struct Budget {
    start: Instant,
    time_limit: Option<Duration>,
    max_iterations: Option<u64>,
    target: Option<f64>,
    cancel: Arc<AtomicBool>,
}

impl Budget {
    /// A budget starting now with an optional time limit and a fresh cancel flag.
    pub fn new(time_limit: Option<Duration>) -> Self {
        Budget {
            start: Instant::now(),
            time_limit,
            max_iterations: None,
            target: None,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Share an existing cancel flag (set it to `true` to stop the solve).
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> Self {
        self.cancel = cancel;
        self
    }

    /// Cap the number of improvement iterations (all workers together).
    pub fn with_max_iterations(mut self, max: Option<u64>) -> Self {
        self.max_iterations = max;
        self
    }

    /// Stop as soon as an objective at or below (minimisation) `target` is found.
    pub fn with_target(mut self, target: Option<f64>) -> Self {
        self.target = target;
        self
    }

    /// When the budget started.
    pub fn start(&self) -> Instant {
        self.start
    }
    /// Time since the start.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
    /// The wall-clock limit, if any.
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }
    /// The iteration cap, if any.
    pub fn max_iterations(&self) -> Option<u64> {
        self.max_iterations
    }
    /// The target objective, if any.
    pub fn target(&self) -> Option<f64> {
        self.target
    }
    /// The shared cancel flag.
    pub fn cancel_flag(&self) -> &Arc<AtomicBool> {
        &self.cancel
    }

    /// Time left before the deadline (`None` = no deadline).
    pub fn remaining(&self) -> Option<Duration> {
        self.time_limit.map(|t| t.saturating_sub(self.elapsed()))
    }

    /// Whether a stop was requested.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Request a stop (as Ctrl-C or a job cancel does).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// True once the deadline has passed or the solve was cancelled.
    pub fn is_exhausted(&self) -> bool {
        self.is_cancelled() || self.remaining().is_some_and(|r| r.is_zero())
    }

    /// True once `iterations` reaches the cap, or [`Budget::is_exhausted`].
    pub fn is_done(&self, iterations: u64) -> bool {
        self.max_iterations.is_some_and(|m| iterations >= m) || self.is_exhausted()
    }

    /// True when `objective` reaches the target (minimisation).
    pub fn target_reached(&self, objective: f64) -> bool {
        self.target.is_some_and(|t| objective <= t)
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(None)
    }
}

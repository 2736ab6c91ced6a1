use std::time::Duration;

/// A new best solution found during a solve.
#[derive(Debug, Clone, Copy)]
pub struct Improvement<'a> {
    pub objective: f64,
    /// A proven bound, when the solver has one.
    pub bound: Option<f64>,
    pub elapsed: Duration,
    /// Which solver component found it (e.g. "construction", "2opt", "highs").
    pub source: &'a str,
}

/// Receives every new best. Called from worker threads, so it takes `&self`.
pub trait Observer: Send + Sync {
    fn improved(&self, event: &Improvement<'_>);
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl Observer for NoObserver {
    fn improved(&self, _event: &Improvement<'_>) {}
}

impl<F: Fn(&Improvement<'_>) + Send + Sync> Observer for F {
    fn improved(&self, event: &Improvement<'_>) {
        self(event)
    }
}

use std::any::Any;
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

/// Builds the solution of a new best on demand, in the caller's public form (for the families'
/// solvers, a boxed `quotient_problems::any::AnySolution`), or `None` when it cannot. The
/// engine knows no family: observers that store solutions downcast the box.
pub type SolutionFn<'a> = &'a dyn Fn() -> Option<Box<dyn Any + Send>>;

/// Receives every new best. Called from worker threads, so it takes `&self`.
pub trait Observer: Send + Sync {
    fn improved(&self, event: &Improvement<'_>);

    /// A new best together with a way to build its solution; solvers that can provide the
    /// solution call this instead of [`Observer::improved`]. Building costs a copy, so an
    /// observer calls `solution` only when it keeps it (a job store's warm start after a
    /// worker is lost). Default: ignore the solution.
    fn improved_with(&self, event: &Improvement<'_>, solution: SolutionFn<'_>) {
        let _ = solution;
        self.improved(event);
    }
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

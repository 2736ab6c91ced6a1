//! Job-shop solvers.

pub mod dispatch;

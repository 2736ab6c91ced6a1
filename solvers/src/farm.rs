//! Sub-problems of one large solve spread over other machines.
//!
//! A divide-and-conquer solver (`tsp.dc`) cuts its instance into sub-problems each round. On
//! one process they are spread over its worker threads. When the solve runs as a job of a
//! durable job store (`quotient serve` / `quotient worker` on PostgreSQL), the worker hands the
//! solver a [`Farm`]: the round then also *offers* every sub-problem to the store as a job of
//! its own, which any idle worker of any node may claim. This process's threads still work
//! through the sub-problems in order, taking back each offer that nobody has started yet
//! ([`Offered::withdraw`]); the ones other workers took are collected at the end of the round
//! ([`Offered::wait`]). Offers are made last sub-problem first, so that the other workers (who
//! claim the oldest job first) start from the end of the list while this process starts from
//! its front. A sub-problem whose remote answer does not come back in time (a lost worker, a
//! full queue) is simply not improved this round: nothing waits on it beyond the deadline.
//!
//! The trait is here, in the solvers crate, so that the solvers need nothing of the service;
//! the store's implementation lives in `quotient-server`.

use crate::engine::pool::run_workers;
use quotient_problems::any::{AnyInstance, AnySolution};
use std::fmt::Debug;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A sub-problem to solve elsewhere: an instance of its own and how to solve it.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The sub-problem as an instance of its own (written as its family's text for a job).
    pub instance: AnyInstance,
    /// The start (the sub-problem's part of the current solution).
    pub initial: Option<AnySolution>,
    /// A registered solver name (e.g. `tsp.ils`).
    pub solver: String,
    /// The solver's parameters, as `--param name=value` takes them.
    pub params: Vec<(String, String)>,
    /// Wall-clock limit of the sub-solve.
    pub time_limit: Duration,
    /// The sub-solve's seed (the one this process would use for it).
    pub seed: u64,
    /// Worker threads of the sub-solve.
    pub threads: usize,
}

/// Where sub-problems can be offered to other workers.
pub trait Farm: Send + Sync + Debug {
    /// Queue `piece` for other workers; `None` when it cannot be queued (the caller then
    /// solves it itself).
    fn offer(&self, piece: &Piece) -> Option<Box<dyn Offered>>;
}

/// A queued sub-problem.
pub trait Offered: Send {
    /// Take the piece back if no worker has started it yet: `true` means it is the caller's
    /// again (and no other worker will solve it).
    fn withdraw(&mut self) -> bool;
    /// The other worker's solution, waiting until `deadline` at most, or until `cancelled()`;
    /// `None` when it failed, was cancelled or did not end in time (then it is cancelled and
    /// forgotten).
    fn wait(
        self: Box<Self>,
        deadline: Instant,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<AnySolution>;
}

/// How the sub-problems of one call to [`spread`] were solved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spread {
    /// Solved by this process's threads.
    pub local: usize,
    /// Solved by other workers, answers received in time (whether or not they improve).
    pub remote: usize,
    /// Taken by other workers, no answer in time (or a failed one).
    pub lost: usize,
}

/// Solve the sub-problems `0..count` on `threads` local workers and, when `farm` is given,
/// on other workers too. `piece(k)` is sub-problem `k` as an offer (`None`: not offered);
/// `local(k)` solves it here; `remote(k, solution)` turns another worker's solution into the
/// same kind of result. Results come back with their index, in no particular order. Local
/// workers stop taking sub-problems once `stop()` is true; remote answers are awaited until
/// `deadline`, or until `cancelled()`.
#[allow(clippy::too_many_arguments)]
pub fn spread<R: Send>(
    count: usize,
    threads: usize,
    farm: Option<&dyn Farm>,
    piece: &(dyn Fn(usize) -> Option<Piece> + Sync),
    local: &(dyn Fn(usize) -> Option<R> + Sync),
    remote: &(dyn Fn(usize, AnySolution) -> Option<R> + Sync),
    stop: &(dyn Fn() -> bool + Sync),
    cancelled: &dyn Fn() -> bool,
    deadline: Instant,
) -> (Vec<(usize, R)>, Spread) {
    // Offered last first: other workers claim the oldest job first.
    let mut offers: Vec<Option<Box<dyn Offered>>> = (0..count).map(|_| None).collect();
    if let Some(farm) = farm {
        for k in (0..count).rev() {
            offers[k] = piece(k).and_then(|p| farm.offer(&p));
        }
    }
    let offers: Vec<Mutex<Option<Box<dyn Offered>>>> = offers.into_iter().map(Mutex::new).collect();
    let next = AtomicUsize::new(0);
    let found: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::new());
    let solved_here = AtomicUsize::new(0);
    run_workers(threads.min(count).max(1), |_| {
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= count || stop() {
                break;
            }
            // Ours unless another worker has started it.
            let mine = match offers[k].lock() {
                Ok(mut slot) => {
                    let taken_back = slot.as_mut().map(|o| o.withdraw());
                    if taken_back == Some(true) {
                        *slot = None;
                    }
                    taken_back != Some(false)
                }
                Err(_) => false,
            };
            if !mine {
                continue;
            }
            solved_here.fetch_add(1, Ordering::Relaxed);
            if let Some(r) = local(k)
                && let Ok(mut f) = found.lock()
            {
                f.push((k, r));
            }
        }
    });
    let mut found = found.into_inner().unwrap_or_default();
    let mut stats = Spread {
        local: solved_here.into_inner(),
        ..Spread::default()
    };
    for (k, slot) in offers.into_iter().enumerate() {
        let Some(mut offer) = slot.into_inner().ok().flatten() else {
            continue;
        };
        // Still queued: the local workers stopped before it and nobody took it.
        if offer.withdraw() {
            continue;
        }
        match offer.wait(deadline, cancelled) {
            Some(s) => {
                stats.remote += 1;
                if let Some(r) = remote(k, s) {
                    found.push((k, r));
                }
            }
            None => stats.lost += 1,
        }
    }
    (found, stats)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::{TspSolution, generate};
    use std::collections::VecDeque;
    use std::sync::Arc;

    /// A queued piece's state, shared by the farm's queue and the offer.
    type Slot = Arc<Mutex<State>>;

    /// A farm of `remote` fake workers: each takes the oldest queued piece at once and answers
    /// with the identity tour of its instance, unless `fail`.
    #[derive(Debug, Default)]
    struct Fake {
        queue: Mutex<VecDeque<Slot>>,
        fail: bool,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum State {
        Queued,
        Taken,
        Withdrawn,
    }

    struct Ticket {
        state: Slot,
        n: usize,
        fail: bool,
    }

    impl Farm for Fake {
        fn offer(&self, piece: &Piece) -> Option<Box<dyn Offered>> {
            let state = Arc::new(Mutex::new(State::Queued));
            self.queue.lock().unwrap().push_back(state.clone());
            Some(Box::new(Ticket {
                state,
                n: match &piece.instance {
                    AnyInstance::Tsp(t) => t.n(),
                    _ => return None,
                },
                fail: self.fail,
            }))
        }
    }

    impl Fake {
        /// One remote worker claims the oldest queued piece.
        fn claim_one(&self) {
            let mut q = self.queue.lock().unwrap();
            while let Some(s) = q.pop_front() {
                let mut s = s.lock().unwrap();
                if *s == State::Queued {
                    *s = State::Taken;
                    return;
                }
            }
        }
    }

    impl Offered for Ticket {
        fn withdraw(&mut self) -> bool {
            let mut s = self.state.lock().unwrap();
            if *s == State::Queued {
                *s = State::Withdrawn;
                true
            } else {
                false
            }
        }
        fn wait(
            self: Box<Self>,
            _deadline: Instant,
            _cancelled: &dyn Fn() -> bool,
        ) -> Option<AnySolution> {
            (*self.state.lock().unwrap() == State::Taken && !self.fail).then(|| {
                AnySolution::Tsp(TspSolution {
                    tour: (0..self.n).collect(),
                })
            })
        }
    }

    fn piece(n: usize, k: usize) -> Piece {
        Piece {
            instance: AnyInstance::Tsp(generate::uniform(n + k, k as u64)),
            initial: None,
            solver: "tsp.ils".into(),
            params: Vec::new(),
            time_limit: Duration::from_secs(1),
            seed: k as u64,
            threads: 1,
        }
    }

    /// Every sub-problem is solved exactly once: here, or by the remote worker that took it.
    #[test]
    fn every_piece_is_solved_once_here_or_there() {
        for (claims, threads, fail) in [(0, 1, false), (3, 1, false), (3, 2, true), (20, 2, false)]
        {
            let farm = Fake {
                fail,
                ..Fake::default()
            };
            let count = 10;
            let local_calls = AtomicUsize::new(0);
            let remote_calls = AtomicUsize::new(0);
            let (found, stats) = spread(
                count,
                threads,
                Some(&farm),
                &|k| {
                    // The remote workers claim as the offers are made.
                    if k == 0 {
                        for _ in 0..claims {
                            farm.claim_one();
                        }
                    }
                    Some(piece(8, k))
                },
                &|k| {
                    local_calls.fetch_add(1, Ordering::Relaxed);
                    Some((k, "here"))
                },
                &|k, s| {
                    remote_calls.fetch_add(1, Ordering::Relaxed);
                    assert_eq!(s.as_tsp().unwrap().tour.len(), 8 + k);
                    Some((k, "there"))
                },
                &|| false,
                &|| false,
                Instant::now() + Duration::from_secs(1),
            );
            // The claims come before the last offer (piece 0) is made.
            let taken = claims.min(count - 1);
            assert_eq!(stats.local, count - taken, "{claims} {threads}");
            assert_eq!(local_calls.into_inner(), count - taken);
            if fail {
                assert_eq!((stats.remote, stats.lost), (0, taken));
            } else {
                assert_eq!((stats.remote, stats.lost), (taken, 0));
                assert_eq!(remote_calls.into_inner(), taken);
                let mut ks: Vec<usize> = found.iter().map(|&(k, _)| k).collect();
                ks.sort_unstable();
                assert_eq!(ks, (0..count).collect::<Vec<_>>());
                // Remote workers took the last pieces (offered first).
                for &(k, (k2, how)) in &found {
                    assert_eq!(k, k2);
                    assert_eq!(how == "there", k >= count - taken, "piece {k}");
                }
            }
        }
    }

    /// Without a farm everything is solved here; a stop leaves the rest unsolved and takes
    /// the unclaimed offers back.
    #[test]
    fn without_a_farm_or_after_a_stop() {
        let (found, stats) = spread(
            5,
            2,
            None,
            &|_| None,
            &|k| Some(k),
            &|_, _| None,
            &|| false,
            &|| false,
            Instant::now(),
        );
        assert_eq!((found.len(), stats.local), (5, 5));
        let farm = Fake::default();
        let (found, stats) = spread(
            5,
            1,
            Some(&farm),
            &|k| Some(piece(8, k)),
            &|k| Some(k),
            &|_, _| None,
            &|| true,
            &|| false,
            Instant::now(),
        );
        assert!(found.is_empty());
        assert_eq!(stats, Spread::default());
        let q = farm.queue.lock().unwrap();
        assert!(q.iter().all(|s| *s.lock().unwrap() == State::Withdrawn));
    }
}

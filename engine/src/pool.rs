//! The worker pool and the per-worker seeds: the one place that reaches rayon and the one
//! convention for turning a user's seed into independent random streams.

/// The stream of [`crate::search::run`]'s workers.
pub const SEARCH_STREAM: u64 = 0x5DEE_CE66;

/// Seed of worker `worker` on stream `stream`: distinct, reproducible streams from one user
/// seed. A search names its own stream so that two searches run with the same user seed do
/// not draw the same numbers.
pub fn worker_seed(seed: u64, worker: usize, stream: u64) -> u64 {
    seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((worker as u64).wrapping_mul(0xD1B5_4A32_D192_ED03))
        ^ stream
}

/// Run `worker(0)`, ..., `worker(threads - 1)` in parallel on a pool of `threads` rayon
/// threads (one worker on the calling thread when `threads <= 1`, or when the pool cannot be
/// built).
pub fn run_workers(threads: usize, worker: impl Fn(usize) + Sync) {
    if threads <= 1 {
        worker(0);
        return;
    }
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.scope(|s| {
            for w in 0..threads {
                let worker = &worker;
                s.spawn(move |_| worker(w));
            }
        }),
        Err(_) => worker(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn seeds_differ_by_worker_and_stream_and_are_stable() {
        assert_ne!(worker_seed(1, 0, 7), worker_seed(1, 1, 7));
        assert_ne!(worker_seed(1, 0, 7), worker_seed(1, 0, 8));
        assert_ne!(worker_seed(1, 0, 7), worker_seed(2, 0, 7));
        // Pinned: changing the formula changes every seeded result.
        assert_eq!(
            worker_seed(1, 0, SEARCH_STREAM),
            0x9E37_79B9_7F4A_7C15 ^ SEARCH_STREAM
        );
    }

    #[test]
    fn every_worker_runs_once() {
        for threads in [0, 1, 3] {
            let seen = AtomicUsize::new(0);
            run_workers(threads, |w| {
                seen.fetch_add(1 << (4 * w), Ordering::Relaxed);
            });
            let expect = (0..threads.max(1)).map(|w| 1 << (4 * w)).sum::<usize>();
            assert_eq!(seen.load(Ordering::Relaxed), expect);
        }
    }
}

//! A small pool of distinct good solutions, best first (for restarts, crossover and path
//! relinking).

use rand::Rng;

/// Up to `capacity` distinct solutions ordered by cost (ties: the older first). Which
/// solutions count as the same is the caller's predicate, so a family can compare by hash,
/// by rounded values, or exactly.
#[derive(Debug, Clone)]
pub struct ElitePool<C, S> {
    entries: Vec<(C, S)>,
    capacity: usize,
}

impl<C: PartialOrd + Copy, S> ElitePool<C, S> {
    /// An empty pool holding at most `capacity` solutions (at least one).
    pub fn new(capacity: usize) -> Self {
        ElitePool {
            entries: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    /// Add `solution` unless an entry is the same (`same`) or the pool is full of entries no
    /// worse; a full pool drops its worst entry for a better one. True when it was added.
    pub fn insert(&mut self, cost: C, solution: S, same: impl Fn(&S) -> bool) -> bool {
        if self.entries.iter().any(|(_, s)| same(s)) {
            return false;
        }
        if self.entries.len() >= self.capacity {
            match self.entries.last() {
                Some((worst, _)) if *worst > cost => {
                    self.entries.pop();
                }
                _ => return false,
            }
        }
        let at = self.entries.partition_point(|(c, _)| *c <= cost);
        self.entries.insert(at, (cost, solution));
        true
    }

    /// A random entry for which `keep` holds (uniformly among them).
    pub fn pick<R: Rng>(&self, rng: &mut R, keep: impl Fn(&S) -> bool) -> Option<&(C, S)> {
        let others: Vec<&(C, S)> = self.entries.iter().filter(|(_, s)| keep(s)).collect();
        if others.is_empty() {
            return None;
        }
        Some(others[rng.random_range(0..others.len())])
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entry `i` (0: the best).
    pub fn get(&self, i: usize) -> Option<&(C, S)> {
        self.entries.get(i)
    }

    /// The entries, best first.
    pub fn iter(&self) -> std::slice::Iter<'_, (C, S)> {
        self.entries.iter()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn keeps_the_best_distinct_ones_in_order() {
        let mut pool = ElitePool::new(3);
        for (c, s) in [(5, 'a'), (3, 'b'), (5, 'c'), (3, 'b'), (4, 'd')] {
            pool.insert(c, s, |x| *x == s);
        }
        let got: Vec<_> = pool.iter().copied().collect();
        assert_eq!(got, vec![(3, 'b'), (4, 'd'), (5, 'a')]);
        // Full: a tie with the worst is not added, a better one replaces it.
        assert!(!pool.insert(5, 'e', |x| *x == 'e'));
        assert!(pool.insert(1, 'f', |x| *x == 'f'));
        let got: Vec<_> = pool.iter().map(|e| e.1).collect();
        assert_eq!(got, vec!['f', 'b', 'd']);
        assert_eq!(pool.get(0), Some(&(1, 'f')));
        assert_eq!(pool.len(), 3);
    }

    #[test]
    fn pick_draws_among_the_kept_only() {
        let mut pool = ElitePool::new(4);
        for (c, s) in [(1.0, 1), (2.0, 2), (3.0, 3)] {
            pool.insert(c, s, |x| *x == s);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..50 {
            let e = pool.pick(&mut rng, |s| *s != 2).unwrap();
            assert_ne!(e.1, 2);
        }
        assert!(pool.pick(&mut rng, |_| false).is_none());
        assert!(ElitePool::<f64, u8>::new(0).is_empty());
    }
}

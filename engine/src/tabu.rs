//! Tabu memory: attributes (slots or keys) that stay forbidden until an iteration, tenures
//! drawn from a range, and a short memory of recently seen solutions to detect cycling.
//! The family decides what an attribute is (for the job shop: "operation a before b").

use rand::Rng;
use std::collections::HashMap;
use std::hash::Hash;

/// A tenure range: each forbidden attribute stays tabu for a number of iterations drawn
/// uniformly from `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenure {
    pub min: u64,
    pub max: u64,
}

impl Tenure {
    /// One tenure (one draw from `rng`).
    pub fn draw<R: Rng>(&self, rng: &mut R) -> u64 {
        rng.random_range(self.min..=self.max)
    }
}

/// Tabu memory over the attribute slots `0..len` (the family maps its attributes to slots):
/// slot `s` is tabu while the iteration is below the value stored for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabuTable {
    until: Vec<u64>,
}

impl TabuTable {
    pub fn new(len: usize) -> Self {
        TabuTable {
            until: vec![0; len],
        }
    }

    /// Whether `slot` is tabu at iteration `now`.
    pub fn is_tabu(&self, slot: usize, now: u64) -> bool {
        self.until[slot] > now
    }

    /// Make `slot` tabu until iteration `until` (exclusive).
    pub fn forbid(&mut self, slot: usize, until: u64) {
        self.until[slot] = until;
    }

    pub fn len(&self) -> usize {
        self.until.len()
    }

    pub fn is_empty(&self) -> bool {
        self.until.is_empty()
    }
}

/// Tabu memory over arbitrary keys (for searches whose attributes have no compact slots);
/// expired keys are dropped once more than `prune_above` are held.
#[derive(Debug, Clone)]
pub struct TabuMap<K> {
    until: HashMap<K, u64>,
    prune_above: usize,
}

impl<K: Hash + Eq> TabuMap<K> {
    pub fn new(prune_above: usize) -> Self {
        TabuMap {
            until: HashMap::new(),
            prune_above,
        }
    }

    /// Whether `key` is tabu at iteration `now`.
    pub fn is_tabu(&self, key: &K, now: u64) -> bool {
        self.until.get(key).is_some_and(|&u| u > now)
    }

    /// Make `key` tabu until iteration `until` (exclusive).
    pub fn forbid(&mut self, key: K, until: u64) {
        self.until.insert(key, until);
    }

    /// Drop the keys that expired by `now` when more than `prune_above` are held.
    pub fn prune(&mut self, now: u64) {
        if self.until.len() > self.prune_above {
            self.until.retain(|_, u| *u > now);
        }
    }

    pub fn len(&self) -> usize {
        self.until.len()
    }

    pub fn is_empty(&self) -> bool {
        self.until.is_empty()
    }
}

/// The hashes of the solutions of the last `N` iterations: a solution seen again within them
/// means the search is cycling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentHashes<const N: usize> {
    hashes: [u64; N],
}

impl<const N: usize> Default for RecentHashes<N> {
    fn default() -> Self {
        RecentHashes { hashes: [0; N] }
    }
}

impl<const N: usize> RecentHashes<N> {
    /// Whether `hash` was recorded in the last `N` iterations.
    pub fn contains(&self, hash: u64) -> bool {
        self.hashes.contains(&hash)
    }

    /// Record the solution of iteration `iteration`.
    pub fn record(&mut self, iteration: u64, hash: u64) {
        self.hashes[(iteration as usize) % N] = hash;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn table_and_map_expire_at_their_iteration() {
        let mut t = TabuTable::new(4);
        t.forbid(2, 10);
        assert!(t.is_tabu(2, 9) && !t.is_tabu(2, 10) && !t.is_tabu(1, 0));
        assert_eq!(t.len(), 4);
        let mut m = TabuMap::new(1);
        m.forbid((1u32, 2u32), 5);
        m.forbid((2, 1), 8);
        assert!(m.is_tabu(&(1, 2), 4) && !m.is_tabu(&(1, 2), 5) && !m.is_tabu(&(3, 3), 0));
        m.prune(6);
        assert_eq!(m.len(), 1);
        assert!(m.is_tabu(&(2, 1), 6));
    }

    #[test]
    fn tenures_stay_in_range_and_recent_hashes_roll_over() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let t = Tenure { min: 3, max: 5 };
        assert!(
            (0..100)
                .map(|_| t.draw(&mut rng))
                .all(|x| (3..=5).contains(&x))
        );
        let mut r = RecentHashes::<2>::default();
        r.record(1, 11);
        r.record(2, 22);
        assert!(r.contains(11) && r.contains(22));
        r.record(3, 33);
        assert!(!r.contains(11) && r.contains(33));
    }
}

//! Tour merging by partition crossover (GPX; Whitley, Hains & Howe 2009, "Tunneling between
//! optima: partition crossover for the traveling salesman problem"; the pairing test for
//! components with more than two portals as in GPX2, Tinós, Whitley & Ochoa 2018).
//!
//! The edges that two tours share are removed from their union; what is left falls into
//! connected components. Each tour passes a component as one or more paths between its portals
//! (the nodes where shared edges leave it). Where both tours join the portals in the same pairs
//! (always so when there are two portals), either tour's paths may be put in the child
//! independently of the other components: the rest of the tour links the pairs as before. The
//! child takes, in every such component, the shorter of the two tours' paths; in the other
//! components it takes the shorter paths where the whole child still closes into one cycle, and
//! elsewhere one parent's edges (each parent is tried as that base, the better child is kept). Its cost is
//! below the better parent's (else there is no child), and it keeps every shared edge (so every
//! fixed edge, which both parents keep).

use super::graph::Graph;

/// The child of [`merge`] and how it came about.
#[derive(Debug, Clone)]
pub(crate) struct Merged {
    /// The child tour (a permutation of the working graph's nodes, starting at node 0).
    pub order: Vec<u32>,
    /// Its cost as the partition predicts it: the base's cost less the gains taken.
    pub cost: i64,
    /// Components in which the child took the paths of the parent that is not its base.
    pub taken: usize,
}

/// Scratch space reused between merges (all O(n)).
#[derive(Debug, Default)]
pub(crate) struct Merger {
    /// Components found by the last merge, and those recombinable (set whether or not it
    /// returned a child).
    pub last_components: usize,
    pub last_feasible: usize,
    nb_a: Vec<[u32; 2]>,
    nb_b: Vec<[u32; 2]>,
    comp: Vec<u32>,
    stack: Vec<u32>,
}

const NONE: u32 = u32::MAX;

fn neighbours(order: &[u32], nb: &mut Vec<[u32; 2]>) {
    let n = order.len();
    nb.clear();
    nb.resize(n, [NONE; 2]);
    for i in 0..n {
        let v = order[i] as usize;
        nb[v] = [order[(i + n - 1) % n], order[(i + 1) % n]];
    }
}

fn has(nb: [u32; 2], v: u32) -> bool {
    nb[0] == v || nb[1] == v
}

impl Merger {
    /// Merge tours `a` (cost `cost_a`) and `b` (cost `cost_b`), both permutations of the `g.n`
    /// nodes. `None` when the tours are equal or no child is better than the better parent.
    pub fn merge(
        &mut self,
        g: &Graph<'_>,
        a: &[u32],
        cost_a: i64,
        b: &[u32],
        cost_b: i64,
    ) -> Option<Merged> {
        let n = a.len();
        self.last_components = 0;
        self.last_feasible = 0;
        if n < 8 || b.len() != n {
            return None;
        }
        neighbours(a, &mut self.nb_a);
        neighbours(b, &mut self.nb_b);
        let (na, nbb) = (&self.nb_a, &self.nb_b);
        // Components of the edges in exactly one tour, by depth-first search.
        self.comp.clear();
        self.comp.resize(n, NONE);
        let mut count = 0u32;
        for s in 0..n {
            if self.comp[s] != NONE || diff_degree(na, nbb, s) == 0 {
                continue;
            }
            self.comp[s] = count;
            self.stack.clear();
            self.stack.push(s as u32);
            while let Some(u) = self.stack.pop() {
                let u = u as usize;
                for (own, other) in [(na[u], nbb[u]), (nbb[u], na[u])] {
                    for w in own {
                        if !has(other, w) && self.comp[w as usize] == NONE {
                            self.comp[w as usize] = count;
                            self.stack.push(w);
                        }
                    }
                }
            }
            count += 1;
        }
        if count == 0 {
            return None;
        }
        let k = count as usize;
        // Per component: its cut (shared edges leaving it) and each tour's cost inside it.
        let mut cut = vec![0u32; k];
        let mut inside_a = vec![0i64; k];
        let mut inside_b = vec![0i64; k];
        for u in 0..n {
            let c = self.comp[u];
            if c == NONE {
                continue;
            }
            let c = c as usize;
            for w in na[u] {
                if self.comp[w as usize] == c as u32 {
                    inside_a[c] += g.d(u, w as usize);
                } else {
                    cut[c] += 1;
                }
            }
            for w in nbb[u] {
                if self.comp[w as usize] == c as u32 {
                    inside_b[c] += g.d(u, w as usize);
                }
            }
        }
        // Each inside edge was counted from both ends. A component is recombinable when both
        // tours pass it as paths that join its portals (the ends of its cut edges) in the same
        // pairs: then either tour's paths may replace the other's without changing how the
        // rest of the tour links them (cut 2: one path, always; GPX2's test for larger cuts).
        let pairs_a = self.runs(a, k);
        let pairs_b = self.runs(b, k);
        let feasible: Vec<bool> = (0..k)
            .map(|c| cut[c] >= 2 && pairs_a[c] == pairs_b[c])
            .collect();
        let n_feasible = feasible.iter().filter(|&&f| f).count();
        self.last_components = k;
        self.last_feasible = n_feasible;
        // For each parent as the base: the other parent's paths in every recombinable component
        // where they are shorter; then, by decreasing gain, in the other components where they
        // are shorter, each kept only when the child still closes into one cycle (GPX2 tests
        // such components on the whole child too). The better child of the two bases is kept.
        let mut best: Option<(bool, i64, Vec<bool>, usize)> = None;
        for from_a in [true, false] {
            let (base, other, bi, oi, base_cost) = if from_a {
                (na, nbb, &inside_a, &inside_b, cost_a)
            } else {
                (nbb, na, &inside_b, &inside_a, cost_b)
            };
            let mut take = vec![false; k];
            let (mut gain, mut taken) = (0, 0);
            for c in 0..k {
                if feasible[c] && oi[c] < bi[c] {
                    take[c] = true;
                    gain += (bi[c] - oi[c]) / 2;
                    taken += 1;
                }
            }
            let mut rest: Vec<usize> = (0..k)
                .filter(|&c| !feasible[c] && cut[c] >= 2 && oi[c] < bi[c])
                .collect();
            rest.sort_by_key(|&c| (oi[c] - bi[c], c));
            for c in rest.into_iter().take(MAX_CYCLE_TESTS) {
                take[c] = true;
                if self.walk(base, other, &take, None) {
                    gain += (bi[c] - oi[c]) / 2;
                    taken += 1;
                } else {
                    take[c] = false;
                }
            }
            let cost = base_cost - gain;
            if best.as_ref().is_none_or(|b| cost < b.1) {
                best = Some((from_a, cost, take, taken));
            }
        }
        let (from_a, cost, take, taken) = best?;
        if cost >= cost_a.min(cost_b) {
            return None;
        }
        let (base, other) = if from_a { (na, nbb) } else { (nbb, na) };
        let mut order = Vec::with_capacity(n);
        // A child that does not close into one cycle is never returned (it cannot happen for
        // the components taken; the walk checks it anyway).
        if !self.walk(base, other, &take, Some(&mut order)) {
            return None;
        }
        let mut seen = vec![false; n];
        if !order
            .iter()
            .all(|&v| !std::mem::replace(&mut seen[v as usize], true))
        {
            return None;
        }
        Some(Merged { order, cost, taken })
    }
}

/// Most components whose paths are tried in the child by a whole-cycle test, per base (each
/// test walks the child: O(n)).
const MAX_CYCLE_TESTS: usize = 64;

impl Merger {
    /// Walks the child that takes `other`'s neighbours in the components marked in `take` and
    /// `base`'s elsewhere, from node 0; true when it is one cycle through all nodes. Pushes
    /// the nodes in order onto `out` when given.
    fn walk(
        &self,
        base: &[[u32; 2]],
        other: &[[u32; 2]],
        take: &[bool],
        mut out: Option<&mut Vec<u32>>,
    ) -> bool {
        let n = base.len();
        let nb = |v: usize| -> [u32; 2] {
            let c = self.comp[v];
            if c != NONE && take[c as usize] {
                other[v]
            } else {
                base[v]
            }
        };
        let (mut prev, mut cur) = (NONE, 0u32);
        for step in 0..n {
            if step > 0 && cur == 0 {
                return false;
            }
            if let Some(o) = out.as_mut() {
                o.push(cur);
            }
            let [x, y] = nb(cur as usize);
            // Both neighbours are equal only on a cycle of two nodes; n >= 8 here.
            let next = if x != prev { x } else { y };
            prev = cur;
            cur = next;
        }
        cur == 0
    }

    /// For each component, the paths a tour passes it by, as (first, last) node pairs with
    /// the smaller node first, sorted.
    fn runs(&self, order: &[u32], k: usize) -> Vec<Vec<(u32, u32)>> {
        let n = order.len();
        let comp = |i: usize| self.comp[order[i % n] as usize];
        let mut pairs = vec![Vec::new(); k];
        // Start where a run begins: after a position of another component (or none).
        let Some(s) = (0..n).find(|&i| comp(i + n - 1) != comp(i)) else {
            return pairs;
        };
        let mut i = s;
        while i < s + n {
            let c = comp(i);
            let first = order[i % n];
            while i + 1 < s + n && comp(i + 1) == c {
                i += 1;
            }
            if c != NONE {
                let last = order[i % n];
                pairs[c as usize].push((first.min(last), first.max(last)));
            }
            i += 1;
        }
        for p in &mut pairs {
            p.sort_unstable();
        }
        pairs
    }
}

fn diff_degree(na: &[[u32; 2]], nb: &[[u32; 2]], u: usize) -> usize {
    na[u].iter().filter(|&&w| !has(nb[u], w)).count()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tour::Tour;
    use super::super::tour::tests::random_inst;
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::collections::HashSet;

    fn edges(order: &[u32]) -> HashSet<(u32, u32)> {
        let n = order.len();
        (0..n)
            .map(|i| {
                let (a, b) = (order[i], order[(i + 1) % n]);
                (a.min(b), a.max(b))
            })
            .collect()
    }

    /// Random 2-opt and Or-moves of a tour, in a few places: two tours that share most edges,
    /// as two local optima do.
    fn perturbed(order: &[u32], moves: usize, rng: &mut ChaCha8Rng) -> Vec<u32> {
        let mut t = order.to_vec();
        let n = t.len();
        for _ in 0..moves {
            let i = rng.random_range(0..n);
            let len = rng.random_range(2..(n / 3).max(3));
            let j = (i + len).min(n);
            if rng.random_bool(0.5) {
                t[i..j].reverse();
            } else if j < n {
                t[i..=j].rotate_left(1);
            }
        }
        t
    }

    /// The child is a tour, keeps every shared edge, has the predicted cost (checked against
    /// the from-scratch cost of the tour), is better than both parents, and its other edges
    /// come from one parent or the other.
    #[test]
    fn merged_child_is_a_tour_with_the_predicted_cost() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut merges = 0;
        let mut taken_both = 0;
        for case in 0..400 {
            let n = rng.random_range(8..80);
            let inst = random_inst(n, case % 5 == 0, &mut rng);
            let g = Graph::new(&inst, 6).unwrap();
            let mut base: Vec<u32> = (0..g.n as u32).collect();
            for i in (1..base.len()).rev() {
                base.swap(i, rng.random_range(0..=i));
            }
            let a = perturbed(&base, rng.random_range(1..4), &mut rng);
            let b = perturbed(&base, rng.random_range(1..4), &mut rng);
            let (ca, cb) = (Tour::new(a.clone()).cost(&g), Tour::new(b.clone()).cost(&g));
            let mut merger = Merger::default();
            let Some(m) = merger.merge(&g, &a, ca, &b, cb) else {
                continue;
            };
            merges += 1;
            let mut sorted = m.order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..g.n as u32).collect::<Vec<_>>(), "a permutation");
            assert_eq!(
                Tour::new(m.order.clone()).cost(&g),
                m.cost,
                "predicted cost"
            );
            assert!(m.cost < ca.min(cb));
            let (ea, eb, ec) = (edges(&a), edges(&b), edges(&m.order));
            assert!(
                ea.intersection(&eb).all(|e| ec.contains(e)),
                "shared edges kept"
            );
            assert!(ec.iter().all(|e| ea.contains(e) || eb.contains(e)));
            if ec.iter().any(|e| !ea.contains(e)) && ec.iter().any(|e| !eb.contains(e)) {
                taken_both += 1;
            }
            let (k, f) = (merger.last_components, merger.last_feasible);
            // Components whose pairing differs may be taken too (the child was walked).
            assert!(f <= k && m.taken >= 1 && m.taken <= k);
        }
        assert!(merges > 40, "{merges} merges");
        assert!(
            taken_both > 10,
            "{taken_both} children with edges of both parents only"
        );
    }

    /// Two tours that differ in two separate places, one better in each: the child takes the
    /// better of both, which neither parent has.
    #[test]
    fn merged_child_takes_the_better_part_of_each_parent() {
        // Points on a line 0..20 twice (a long thin loop); swapping two neighbours costs extra.
        let n = 20;
        let mut text = format!(
            "NAME: t\nTYPE: TSP\nDIMENSION: {n}\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n"
        );
        for i in 0..n {
            let (x, y) = if i < n / 2 {
                (i * 10, 0)
            } else {
                ((n - 1 - i) * 10, 30)
            };
            text.push_str(&format!("{} {x} {y}\n", i + 1));
        }
        text.push_str("EOF\n");
        let inst = quotient_problems::tsp::read_tsplib(&text).unwrap();
        let g = Graph::new(&inst, 6).unwrap();
        let best: Vec<u32> = (0..n as u32).collect();
        let mut a = best.clone();
        a.swap(2, 3); // worse near the start
        let mut b = best.clone();
        b.swap(14, 15); // worse on the other side
        let (ca, cb) = (Tour::new(a.clone()).cost(&g), Tour::new(b.clone()).cost(&g));
        let mut merger = Merger::default();
        let m = merger.merge(&g, &a, ca, &b, cb).unwrap();
        assert_eq!(m.cost, Tour::new(best.clone()).cost(&g));
        assert_eq!(edges(&m.order), edges(&best));
        assert_eq!(
            (merger.last_components, merger.last_feasible, m.taken),
            (2, 2, 1)
        );
        // Equal tours: nothing to merge.
        assert!(Merger::default().merge(&g, &a, ca, &a, ca).is_none());
    }
}

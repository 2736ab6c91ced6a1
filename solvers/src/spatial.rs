//! Nearest-neighbour lists from coordinates, shared by the TSP candidate lists and the CVRP
//! neighbour lists: a k-d tree (kiddo) over the distinct points of a node set, an exact
//! k-nearest query on it, and the brute-force scan that is both its from-scratch twin and the
//! way for instances without coordinates.

use kiddo::SquaredEuclidean;
use kiddo::float::kdtree::KdTree;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A cost that ranks neighbours; ties are broken by node index.
pub(crate) trait Cost: Copy {
    fn order(&self, other: &Self) -> Ordering;
}

impl Cost for i64 {
    fn order(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
}

impl Cost for f64 {
    fn order(&self, other: &Self) -> Ordering {
        self.total_cmp(other)
    }
}

fn by_cost<C: Cost>(x: &(C, usize), y: &(C, usize)) -> Ordering {
    x.0.order(&y.0).then(x.1.cmp(&y.1))
}

/// Keep the `k` least entries of `buf` by `(cost, node)`, sorted.
pub(crate) fn keep_least<C: Cost>(buf: &mut Vec<(C, usize)>, k: usize) {
    if k == 0 {
        buf.clear();
        return;
    }
    if buf.len() > k {
        buf.select_nth_unstable_by(k - 1, by_cost);
        buf.truncate(k);
    }
    buf.sort_unstable_by(by_cost);
}

/// From scratch: the `k` nodes `b` of `0..n` with `b != a` and `keep(b)` that are least by
/// `(cost(b), b)`, sorted, into `out`.
pub(crate) fn brute_k_nearest<C: Cost>(
    n: usize,
    a: usize,
    k: usize,
    keep: impl Fn(usize) -> bool,
    cost: impl Fn(usize) -> C,
    out: &mut Vec<(C, usize)>,
) {
    out.clear();
    out.extend((0..n).filter(|&b| b != a && keep(b)).map(|b| (cost(b), b)));
    keep_least(out, k);
}

/// A k-d tree over the distinct points of a node set; each distinct point carries the nodes
/// at it (kiddo's leaf buckets cannot hold more than their size of identical points).
pub(crate) struct PointIndex<'p, const K: usize> {
    points: &'p [[f64; K]],
    tree: KdTree<f64, u64, K, 32, u32>,
    /// The nodes at each distinct point, in index order.
    members: Vec<Vec<u32>>,
}

impl<const K: usize> std::fmt::Debug for PointIndex<'_, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PointIndex")
            .field("nodes", &self.points.len())
            .field("distinct", &self.members.len())
            .finish()
    }
}

impl<'p, const K: usize> PointIndex<'p, K> {
    /// Node `i` is at `points[i]`. `None` when a coordinate is not finite (the tree cannot
    /// rank such points) or there are more nodes than `u32` indexes.
    pub fn new(points: &'p [[f64; K]]) -> Option<Self> {
        if u32::try_from(points.len()).is_err() || !points.iter().flatten().all(|x| x.is_finite()) {
            return None;
        }
        let mut index: HashMap<[u64; K], usize> = HashMap::with_capacity(points.len());
        let mut distinct: Vec<[f64; K]> = Vec::new();
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (v, p) in points.iter().enumerate() {
            // -0.0 and 0.0 are the same point.
            let key = p.map(|x| (x + 0.0).to_bits());
            let id = *index.entry(key).or_insert_with(|| {
                distinct.push(*p);
                members.push(Vec::new());
                distinct.len() - 1
            });
            members[id].push(v as u32);
        }
        let mut tree: KdTree<f64, u64, K, 32, u32> = KdTree::with_capacity(distinct.len());
        for (id, p) in distinct.iter().enumerate() {
            tree.add(p, id as u64);
        }
        Some(PointIndex {
            points,
            tree,
            members,
        })
    }

    /// How many distinct points there are.
    pub fn distinct(&self) -> usize {
        self.members.len()
    }

    /// The nodes at the `m` distinct points nearest to node `a`'s point (its own included),
    /// one slice per point, nearest point first.
    pub fn around(&self, a: usize, m: usize) -> impl Iterator<Item = &[u32]> + '_ {
        self.tree
            .nearest_n::<SquaredEuclidean>(&self.points[a], m.min(self.distinct()))
            .into_iter()
            .map(|nb| &self.members[nb.item as usize][..])
    }

    /// The `k` nodes `b != a` with `keep(b)` that are least by `(cost(b), b)`, sorted, into
    /// `out`: exactly what [`brute_k_nearest`] gives, provided `cost(b)` is a non-decreasing
    /// function of the Euclidean distance between the points of `a` and `b` (any rounding of
    /// it, or its double). The tree is asked for more and more points until the farthest one
    /// it returned costs more than the `k`-th kept node (then no node further away can tie);
    /// once that would be every point, the scan is brute force. So the cost is about `k log n`
    /// per node, and brute force's `n` only where distances tie massively (rounded distances
    /// on a grid much coarser than the points).
    pub fn k_nearest<C: Cost>(
        &self,
        a: usize,
        k: usize,
        keep: impl Fn(usize) -> bool,
        cost: impl Fn(usize) -> C,
        out: &mut Vec<(C, usize)>,
    ) {
        out.clear();
        if k == 0 {
            return;
        }
        let distinct = self.distinct();
        let mut want = 2 * k + 2;
        while want < distinct {
            out.clear();
            let mut farthest = None;
            for nb in self
                .tree
                .nearest_n::<SquaredEuclidean>(&self.points[a], want)
            {
                let at = &self.members[nb.item as usize];
                farthest = at.first().copied();
                out.extend(
                    at.iter()
                        .map(|&b| b as usize)
                        .filter(|&b| b != a && keep(b))
                        .map(|b| (cost(b), b)),
                );
            }
            if out.len() >= k {
                keep_least(out, k);
                if let Some(far) = farthest
                    && out[k - 1].0.order(&cost(far as usize)) == Ordering::Less
                {
                    return;
                }
            }
            want = want.saturating_mul(2);
        }
        brute_k_nearest(self.points.len(), a, k, keep, cost, out);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn euc(p: &[[f64; 2]], a: usize, b: usize) -> f64 {
        let (dx, dy) = (p[a][0] - p[b][0], p[a][1] - p[b][1]);
        (dx * dx + dy * dy).sqrt()
    }

    /// Random points on a grid (so with duplicates and rounded ties) plus one point repeated
    /// many times (more than a leaf holds).
    fn points(n: usize, grid: f64, seed: u64) -> Vec<[f64; 2]> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut p: Vec<[f64; 2]> = (0..n)
            .map(|_| {
                [
                    rng.random_range(0..=grid as i64) as f64,
                    rng.random_range(0..=grid as i64) as f64,
                ]
            })
            .collect();
        for q in p.iter_mut().step_by(7).take(40) {
            *q = [grid / 2.0, grid / 3.0];
        }
        p
    }

    #[test]
    fn k_nearest_equals_the_brute_force_scan() {
        for (seed, n, grid) in [
            (1, 600, 1000.0),
            (2, 600, 30.0),
            (3, 300, 4.0),
            (4, 50, 9.0),
        ] {
            let p = points(n, grid, seed);
            let index = PointIndex::new(&p).unwrap();
            let (mut got, mut want) = (Vec::new(), Vec::new());
            for k in [0, 1, 5, 17, n - 2, n - 1, n, n + 5] {
                for a in 0..n {
                    // Rounded (many ties), exact, doubled; node 0 and every 5th left out.
                    let keep = |b: usize| b != 0 && b % 5 != 3;
                    let rounded = |b: usize| (euc(&p, a, b) + 0.5).floor();
                    index.k_nearest(a, k, keep, rounded, &mut got);
                    brute_k_nearest(n, a, k, keep, rounded, &mut want);
                    assert_eq!(got, want, "seed {seed} k {k} node {a} rounded");
                    let exact = |b: usize| euc(&p, a, b) + euc(&p, b, a);
                    index.k_nearest(a, k, |_| true, exact, &mut got);
                    brute_k_nearest(n, a, k, |_| true, exact, &mut want);
                    assert_eq!(got, want, "seed {seed} k {k} node {a} exact");
                    let integral = |b: usize| euc(&p, a, b).ceil() as i64;
                    let (mut got_i, mut want_i) = (Vec::new(), Vec::new());
                    index.k_nearest(a, k, keep, integral, &mut got_i);
                    brute_k_nearest(n, a, k, keep, integral, &mut want_i);
                    assert_eq!(got_i, want_i, "seed {seed} k {k} node {a} ceil");
                }
            }
        }
    }

    #[test]
    fn around_lists_every_node_of_the_nearest_points_once() {
        let p = points(200, 20.0, 5);
        let index = PointIndex::new(&p).unwrap();
        let groups: Vec<&[u32]> = index.around(3, usize::MAX).collect();
        assert_eq!(groups.len(), index.distinct());
        let mut all: Vec<u32> = groups.iter().flat_map(|g| g.iter().copied()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..200).collect::<Vec<u32>>());
        assert!(groups[0].contains(&3));
        let d: Vec<f64> = groups.iter().map(|g| euc(&p, 3, g[0] as usize)).collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
        assert!(PointIndex::new(&[[0.0, f64::NAN]]).is_none());
    }
}

//! Candidate neighbour lists of the working graph: the nearest (k-d tree; quadrant neighbours
//! for coordinate instances; 3-d points for GEO), or the best by a heatmap (SoftDist, or an
//! external one such as the GNN's), kept in distance order.

use super::{Graph, NONE};
use crate::spatial::{PointIndex, brute_k_nearest};
use quotient_problems::tsp::{CoordMetric, TspInstance, Weights};
use std::collections::HashMap;

/// How the candidate neighbours of each node are chosen (symmetric instances; ATSP instances
/// always use the nearest).
#[derive(Debug, Clone, Default)]
pub enum CandidateOrder {
    /// The nearest (with quadrant neighbours when asked).
    #[default]
    Distance,
    /// The best by the SoftDist heatmap ([`softdist_scores`]) with this temperature (times the
    /// mean nearest-neighbour distance), among each node's `3k` nearest (or quadrant) neighbours.
    SoftDist(f64),
    /// The `k` best by an external edge heatmap (`rows`: one per node of `(neighbour, score)`,
    /// higher better; a learned heatmap) in addition to the first `keep` of the distance list
    /// (lists of up to `keep + k`); topped up with the nearest when a row is short.
    Heatmap {
        rows: std::sync::Arc<Vec<Vec<(u32, f32)>>>,
        keep: usize,
    },
}

/// The `k` nearest neighbours of every node of a symmetric instance, `(node, distance)`,
/// nearest first (ties by index); what a heatmap model is run on. `None` for an ATSP instance.
pub fn nearest_lists(inst: &TspInstance, k: usize) -> Option<Vec<Vec<(usize, i64)>>> {
    if !inst.is_symmetric() {
        return None;
    }
    let mut g = Graph::bare(inst, k, false);
    g.build_candidates();
    Some(g.lists())
}

impl<'a> Graph<'a> {
    /// Every node's candidate list with the distances, `(node, distance)`.
    fn lists(&self) -> Vec<Vec<(usize, i64)>> {
        (0..self.n)
            .map(|a| self.cands(a).map(|b| (b, self.raw_d(a, b))).collect())
            .collect()
    }

    /// As [`Graph::new`], with quadrant neighbours when `quadrants`, and the candidates chosen
    /// by `order` (see [`CandidateOrder`]).
    pub fn with_options(
        inst: &'a TspInstance,
        k: usize,
        quadrants: bool,
        order: &CandidateOrder,
    ) -> Result<Self, String> {
        let mut g = Graph::bare(inst, k, quadrants);
        let (n, atsp) = (g.n, g.atsp);
        g.set_fixed()?;
        match order {
            CandidateOrder::SoftDist(t) if !atsp && t.is_finite() && *t > 0.0 && n > 2 => {
                let k = g.k.min(n - 1);
                g.k = (3 * k).min(n - 1);
                g.build_candidates();
                let pools = g.lists();
                let scores = softdist_scores(&pools, *t);
                let rows: Vec<Vec<(usize, f64)>> = pools
                    .iter()
                    .zip(&scores)
                    .map(|(p, s)| p.iter().map(|&(b, _)| b).zip(s.iter().copied()).collect())
                    .collect();
                (g.cands, g.k) = g.select_by_score(&rows, (&[], 0), 0, k);
                g.set_scores(&rows);
            }
            CandidateOrder::Heatmap { rows, keep } if !atsp && rows.len() == n && n > 2 => {
                let best = g.k.min(n - 1);
                let rows: Vec<Vec<(usize, f64)>> = rows
                    .iter()
                    .map(|r| r.iter().map(|&(b, s)| (b as usize, f64::from(s))).collect())
                    .collect();
                // The distance lists: the first `keep` stay, and they top up short rows.
                g.k = best.max(*keep);
                g.build_candidates();
                let nearest = std::mem::take(&mut g.cands);
                let fill_k = g.k;
                (g.cands, g.k) = g.select_by_score(&rows, (&nearest, fill_k), *keep, best);
                g.set_scores(&rows);
            }
            _ => g.build_candidates(),
        }
        Ok(g)
    }

    fn set_scores(&mut self, rows: &[Vec<(usize, f64)>]) {
        self.scores = rows
            .iter()
            .map(|r| {
                let mut r: Vec<(u32, f32)> = r
                    .iter()
                    .filter(|&&(b, s)| b < self.n && s.is_finite())
                    .map(|&(b, s)| (b as u32, s as f32))
                    .collect();
                r.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
                r.dedup_by_key(|x| x.0);
                r
            })
            .collect();
    }

    /// Whether the candidate lists come from a heatmap (SoftDist or external), which then
    /// scores edges ([`Graph::edge_score`]).
    pub fn has_scores(&self) -> bool {
        !self.scores.is_empty()
    }

    /// The heatmap score of edge `a - b` (0 when the heatmap has no entry for it), or `None`
    /// when the candidate lists come from distances alone.
    pub fn edge_score(&self, a: usize, b: usize) -> Option<f32> {
        let row = self.scores.get(a)?;
        Some(
            row.binary_search_by_key(&(b as u32), |x| x.0)
                .map_or(0.0, |i| row[i].1),
        )
    }

    /// Candidate lists from scored pools, `width` slots per node: the first `keep` of `fill`
    /// (`fill_k` per node, or empty), plus the `best` highest-scored others of each node's row
    /// (ties by distance, then index; self, out-of-range and repeated entries skipped), topped up
    /// from `fill` when the row is short; then ordered by distance, nearest first, so the local
    /// search's gain cut-offs (which stop at the first candidate too far away) stay sound.
    fn select_by_score(
        &self,
        rows: &[Vec<(usize, f64)>],
        (fill, fill_k): (&[u32], usize),
        keep: usize,
        best: usize,
    ) -> (Vec<u32>, usize) {
        let n = self.n;
        let width = (keep + best).clamp(1, n.saturating_sub(1).max(1));
        let mut cands = vec![NONE; n * width];
        let mut picked: Vec<(i64, usize)> = Vec::with_capacity(width);
        for (a, row) in rows.iter().enumerate() {
            let mut order: Vec<(f64, i64, usize)> = row
                .iter()
                .filter(|&&(b, s)| b != a && b < n && s.is_finite())
                .map(|&(b, s)| (s, self.raw_d(a, b), b))
                .collect();
            order.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
            let fill_list = fill
                .get(a * fill_k..(a + 1) * fill_k)
                .unwrap_or(&[])
                .iter()
                .filter(|&&b| b != NONE)
                .map(|&b| (self.raw_d(a, b as usize), b as usize));
            picked.clear();
            picked.extend(fill_list.clone().take(keep));
            let kept = picked.len();
            let scored = order.iter().map(|&(_, d, b)| (d, b));
            for (d, b) in scored.chain(fill_list) {
                if picked.len() >= kept + best || picked.len() == width {
                    break;
                }
                if !picked.iter().any(|&(_, c)| c == b) {
                    picked.push((d, b));
                }
            }
            picked.sort_unstable();
            for (slot, &(_, b)) in cands[a * width..(a + 1) * width].iter_mut().zip(&picked) {
                *slot = b as u32;
            }
        }
        (cands, width)
    }

    fn build_candidates(&mut self) {
        let n = self.n;
        let k = self.k.min(n.saturating_sub(1)).max(1);
        self.k = k;
        let mut cands = vec![NONE; n * k];
        if self.atsp {
            let no = self.n_orig;
            let mut buf: Vec<(i64, usize)> = Vec::with_capacity(no);
            for a in 0..n {
                buf.clear();
                let (lo, hi) = if a < no { (no, n) } else { (0, no) };
                for b in lo..hi {
                    if !self.is_fixed(a, b) {
                        buf.push((self.raw_d(a, b), b));
                    }
                }
                take_k(&mut buf, k, &mut cands[a * k..(a + 1) * k]);
            }
        } else {
            let geo = matches!(
                self.inst.weights,
                Weights::Coords {
                    metric: CoordMetric::Geo,
                    ..
                }
            );
            let filled = match self.coord_points() {
                // Great-circle order = chord order on the unit sphere: a 3-d tree.
                Some(coords) if geo => {
                    let xyz: Vec<[f64; 3]> = coords.iter().map(|&p| geo_xyz(p)).collect();
                    self.kd_candidates(&xyz, k, &mut cands)
                }
                Some(coords) => self.kd_candidates(&coords, k, &mut cands),
                None => false,
            };
            if !filled {
                let mut buf: Vec<(i64, usize)> = Vec::with_capacity(n);
                for a in 0..n {
                    brute_k_nearest(n, a, k, |_| true, |b| self.raw_d(a, b), &mut buf);
                    take_k(&mut buf, k, &mut cands[a * k..(a + 1) * k]);
                }
            }
        }
        self.cands = cands;
    }

    /// The edges of the Delaunay triangulation of a coordinate instance's points (each once;
    /// `None` without finite coordinates, or for an ATSP working graph). The triangulation
    /// connects neighbouring clusters by short edges that no nearest-neighbour list of either
    /// end holds (LKH offers it as a candidate graph). A point that the triangulation skips (a
    /// copy of another) is joined to the copy it kept; collinear points give the path along
    /// their line. O(n log n).
    pub fn delaunay_edges(&self) -> Option<Vec<(usize, usize)>> {
        if self.atsp {
            return None;
        }
        let pts = self.coord_points()?;
        let points: Vec<delaunator::Point> = pts
            .iter()
            .map(|p| delaunator::Point { x: p[0], y: p[1] })
            .collect();
        let tri = delaunator::triangulate(&points);
        let mut edges: Vec<(usize, usize)> = Vec::with_capacity(tri.triangles.len());
        for (e, &a) in tri.triangles.iter().enumerate() {
            // Each edge once: from its half-edge with the larger index, or its only one.
            let twin = tri.halfedges[e];
            if twin != delaunator::EMPTY && twin > e {
                continue;
            }
            let b = tri.triangles[if e % 3 == 2 { e - 2 } else { e + 1 }];
            if a != b {
                edges.push((a.min(b), a.max(b)));
            }
        }
        let key = |p: &[f64; 2]| (p[0].to_bits(), p[1].to_bits());
        if edges.is_empty() {
            // No triangle (all points on a line): the path along the line.
            let mut idx: Vec<usize> = (0..pts.len()).collect();
            idx.sort_by(|&a, &b| {
                pts[a][0]
                    .total_cmp(&pts[b][0])
                    .then(pts[a][1].total_cmp(&pts[b][1]))
            });
            edges.extend(idx.windows(2).map(|w| (w[0].min(w[1]), w[0].max(w[1]))));
        } else {
            // Points the triangulation skipped (copies of another point): each joined to a
            // point at the same place that it kept (or, failing that, to a node it kept).
            let mut seen = vec![false; pts.len()];
            for &(a, b) in &edges {
                seen[a] = true;
                seen[b] = true;
            }
            let kept: std::collections::HashMap<(u64, u64), usize> = (0..pts.len())
                .filter(|&v| seen[v])
                .map(|v| (key(&pts[v]), v))
                .collect();
            let anchor = edges[0].0;
            for v in (0..pts.len()).filter(|&v| !seen[v]) {
                let w = kept.get(&key(&pts[v])).copied().unwrap_or(anchor);
                if w != v {
                    edges.push((v.min(w), v.max(w)));
                }
            }
        }
        edges.sort_unstable();
        edges.dedup();
        Some(edges)
    }

    /// Coordinates usable for a spatial index (finite), for coordinate instances only.
    fn coord_points(&self) -> Option<Vec<[f64; 2]>> {
        match &self.inst.weights {
            Weights::Coords { coords, .. }
                if coords.iter().all(|p| p[0].is_finite() && p[1].is_finite()) =>
            {
                Some(coords.clone())
            }
            _ => None,
        }
    }

    /// k nearest neighbours through the shared k-d tree ([`PointIndex`]). For the metrics
    /// that rise with the Euclidean distance (EUC_2D, CEIL_2D, ATT; GEO with chord distances
    /// on the sphere) the lists are exactly the brute-force scan's (ties by index); for
    /// MAN_2D and MAX_2D, and with quadrant neighbours, the nodes of the nearest distinct points
    /// re-ranked by the instance's own metric.
    /// Returns `false` (nothing written) when the points cannot be indexed.
    fn kd_candidates<const K: usize>(
        &self,
        coords: &[[f64; K]],
        k: usize,
        cands: &mut [u32],
    ) -> bool {
        let Some(index) = PointIndex::new(coords) else {
            return false;
        };
        let euclidean_order = !matches!(
            self.inst.weights,
            Weights::Coords {
                metric: CoordMetric::Man2d | CoordMetric::Max2d,
                ..
            }
        );
        let mut buf: Vec<(i64, usize)> = Vec::with_capacity(4 * k);
        for a in 0..coords.len() {
            if euclidean_order && !self.quadrants {
                index.k_nearest(a, k, |_| true, |b| self.raw_d(a, b), &mut buf);
            } else {
                // Enough distinct points to collect 2k nodes, re-ranked by the metric.
                buf.clear();
                let want = if self.quadrants { 5 * k } else { 2 * k + 2 };
                for (i, at) in index.around(a, want).enumerate() {
                    buf.extend(
                        at.iter()
                            .map(|&b| b as usize)
                            .filter(|&b| b != a)
                            .map(|b| (self.raw_d(a, b), b)),
                    );
                    if !self.quadrants && buf.len() >= 3 * k && i > 0 {
                        break;
                    }
                }
                if self.quadrants && K == 2 {
                    quadrant_pick(coords, a, &mut buf, k);
                }
            }
            take_k(&mut buf, k, &mut cands[a * k..(a + 1) * k]);
        }
        true
    }
}

/// The SoftDist heatmap ("Rethinking the heatmap + MCTS paradigm"): for each node `a` and each
/// `b` of its pool (`pools[a]`: `(node, distance)`), `h(a, b) = softmax_b(-d(a, b) / tau)` over
/// the pool, with `tau = t x` the mean distance from a node to its nearest pool member; the
/// score of `b` in `a`'s list is the symmetric `h(a, b) + h(b, a)` (`h(b, a) = 0` when `a` is
/// not in `b`'s pool). Returns one score per pool entry.
pub(crate) fn softdist_scores(pools: &[Vec<(usize, i64)>], t: f64) -> Vec<Vec<f64>> {
    let nearest: Vec<f64> = pools
        .iter()
        .filter_map(|p| p.iter().map(|&(_, d)| d).min())
        .map(|d| d as f64)
        .collect();
    let mean = nearest.iter().sum::<f64>() / nearest.len().max(1) as f64;
    let tau = (t * mean).max(1e-9);
    let h: Vec<HashMap<usize, f64>> = pools
        .iter()
        .map(|p| {
            let dmin = p.iter().map(|&(_, d)| d).min().unwrap_or(0) as f64;
            let w: Vec<f64> = p
                .iter()
                .map(|&(_, d)| (-(d as f64 - dmin) / tau).exp())
                .collect();
            let z: f64 = w.iter().sum::<f64>().max(f64::MIN_POSITIVE);
            p.iter().zip(w).map(|(&(b, _), w)| (b, w / z)).collect()
        })
        .collect();
    pools
        .iter()
        .enumerate()
        .map(|(a, p)| {
            p.iter()
                .map(|&(b, _)| {
                    h[a].get(&b).copied().unwrap_or(0.0) + h[b].get(&a).copied().unwrap_or(0.0)
                })
                .collect()
        })
        .collect()
}

/// Keep in `buf` the 2 nearest of each quadrant around `a`, then the nearest others, `k` in
/// all (costs are kept so `take_k` orders them).
fn quadrant_pick<const K: usize>(
    coords: &[[f64; K]],
    a: usize,
    buf: &mut Vec<(i64, usize)>,
    k: usize,
) {
    buf.sort_unstable();
    let mut per = [0usize; 4];
    let mut keep: Vec<(i64, usize)> = Vec::with_capacity(k);
    let mut rest: Vec<(i64, usize)> = Vec::new();
    for &(d, b) in buf.iter() {
        let q = usize::from(coords[b][0] >= coords[a][0]) * 2
            + usize::from(coords[b][1] >= coords[a][1]);
        if per[q] < 2 && keep.len() < k {
            per[q] += 1;
            keep.push((d, b));
        } else {
            rest.push((d, b));
        }
    }
    for r in rest {
        if keep.len() >= k {
            break;
        }
        keep.push(r);
    }
    *buf = keep;
}

/// A TSPLIB GEO point (DDD.MM latitude, longitude) on the unit sphere.
fn geo_xyz(p: [f64; 2]) -> [f64; 3] {
    let rad = |x: f64| {
        let deg = x.trunc();
        std::f64::consts::PI * (deg + 5.0 * (x - deg) / 3.0) / 180.0
    };
    let (lat, lon) = (rad(p[0]), rad(p[1]));
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The `k` smallest `(cost, node)` pairs of `buf`, sorted, written into `out` (rest `NONE`).
fn take_k(buf: &mut [(i64, usize)], k: usize, out: &mut [u32]) {
    let m = k.min(buf.len());
    if m == 0 {
        return;
    }
    if buf.len() > m {
        buf.select_nth_unstable(m - 1);
    }
    let top = &mut buf[..m];
    top.sort_unstable();
    for (slot, &(_, b)) in out.iter_mut().zip(top.iter()) {
        *slot = b as u32;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tests::coords_inst;
    use super::*;

    #[test]
    fn kd_candidates_match_brute_force_and_survive_duplicates() {
        // 100 copies of one point plus a grid: kiddo alone would panic on the duplicates.
        let mut coords = vec![[5.0, 5.0]; 100];
        for i in 0..30 {
            for j in 0..30 {
                coords.push([i as f64 * 3.0, j as f64 * 7.0 + (i % 3) as f64]);
            }
        }
        let inst = coords_inst(coords);
        let g = Graph::new(&inst, 8).unwrap();
        for a in (0..inst.n()).step_by(7) {
            // The same nodes as the brute-force scan (ties by index), not just the same costs.
            let got: Vec<(i64, usize)> = g.cands(a).map(|b| (g.d(a, b), b)).collect();
            let mut all: Vec<(i64, usize)> = (0..inst.n())
                .filter(|&b| b != a)
                .map(|b| (g.d(a, b), b))
                .collect();
            all.sort_unstable();
            assert_eq!(got, all[..8].to_vec(), "node {a}");
        }
    }

    /// The triangulation against two of its brute-force properties: it holds every point's
    /// nearest neighbour and every edge of a Euclidean minimum spanning tree (Prim's, over
    /// all pairs), on uniform and clustered points, with duplicates and collinear points.
    #[test]
    fn delaunay_holds_the_nearest_neighbours_and_a_minimum_spanning_tree() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        for case in 0..12 {
            let n = rng.random_range(3..300);
            let mut coords: Vec<[f64; 2]> = (0..n)
                .map(|_| {
                    if case % 2 == 0 {
                        [rng.random_range(0.0..1e4), rng.random_range(0.0..1e4)]
                    } else {
                        let c = rng.random_range(0..4) as f64 * 5e3;
                        [
                            c + rng.random_range(0.0..300.0),
                            c + rng.random_range(0.0..300.0),
                        ]
                    }
                })
                .collect();
            if case % 3 == 0 {
                coords.push(coords[0]);
            }
            if case == 4 {
                coords = (0..n).map(|i| [i as f64, 2.0 * i as f64]).collect();
            }
            let inst = coords_inst(coords.clone());
            let g = Graph::new(&inst, 5).unwrap();
            let edges = g.delaunay_edges().unwrap();
            let m = coords.len();
            let has = |a: usize, b: usize| edges.binary_search(&(a.min(b), a.max(b))).is_ok();
            let d = |a: usize, b: usize| {
                (coords[a][0] - coords[b][0]).hypot(coords[a][1] - coords[b][1])
            };
            // Connected, no more edges than a planar graph holds.
            let mut uf = super::super::UnionFind::new(m);
            for &(a, b) in &edges {
                uf.union(a, b);
            }
            assert!((1..m).all(|v| uf.find(v) == uf.find(0)), "case {case}");
            assert!(edges.len() <= 3 * m, "case {case}");
            if case == 4 {
                continue;
            }
            let distinct = |a: usize| (0..m).all(|b| b == a || d(a, b) > 0.0);
            for a in (0..m).filter(|&a| distinct(a)) {
                let nn = (0..m)
                    .filter(|&b| b != a)
                    .min_by(|&x, &y| d(a, x).total_cmp(&d(a, y)))
                    .unwrap();
                let dn = d(a, nn);
                let ties = (0..m).filter(|&b| b != a && d(a, b) == dn).count();
                if ties == 1 && distinct(nn) {
                    assert!(
                        has(a, nn),
                        "case {case}: nearest neighbour {a}-{nn} missing"
                    );
                }
            }
            // Prim over the distinct points (all pairs).
            let pts: Vec<usize> = (0..m).filter(|&a| distinct(a)).collect();
            let mut in_tree = vec![false; pts.len()];
            let mut best = vec![(f64::INFINITY, 0usize); pts.len()];
            best[0].0 = 0.0;
            for _ in 0..pts.len() {
                let i = (0..pts.len())
                    .filter(|&i| !in_tree[i])
                    .min_by(|&x, &y| best[x].0.total_cmp(&best[y].0))
                    .unwrap();
                in_tree[i] = true;
                if i != 0 {
                    let (a, b) = (pts[i], pts[best[i].1]);
                    assert!(has(a, b), "case {case}: spanning tree edge {a}-{b} missing");
                }
                for j in 0..pts.len() {
                    let dj = d(pts[i], pts[j]);
                    if !in_tree[j] && dj < best[j].0 {
                        best[j] = (dj, i);
                    }
                }
            }
        }
    }

    #[test]
    fn softdist_scores_match_their_definition_and_rank_the_pool() {
        // From-scratch twin of `softdist_scores` on a small pool, and the candidate lists it
        // yields: k distinct nodes of the 3k-pool, scores non-increasing.
        let mut coords = Vec::new();
        for i in 0..12 {
            coords.push([(i * 37 % 101) as f64, (i * i * 13 % 97) as f64]);
        }
        let inst = coords_inst(coords);
        let (k, t) = (3usize, 0.7);
        let pool_graph = Graph::new(&inst, 3 * k).unwrap();
        let pools: Vec<Vec<(usize, i64)>> = (0..inst.n())
            .map(|a| {
                pool_graph
                    .cands(a)
                    .map(|b| (b, pool_graph.d(a, b)))
                    .collect()
            })
            .collect();
        let got = softdist_scores(&pools, t);
        let mean = pools
            .iter()
            .map(|p| p.iter().map(|x| x.1).min().unwrap() as f64)
            .sum::<f64>()
            / inst.n() as f64;
        let h = |a: usize, b: usize| -> f64 {
            let z: f64 = pools[a]
                .iter()
                .map(|x| (-(x.1 as f64) / (t * mean)).exp())
                .sum();
            pools[a]
                .iter()
                .find(|x| x.0 == b)
                .map_or(0.0, |x| (-(x.1 as f64) / (t * mean)).exp() / z)
        };
        for a in 0..inst.n() {
            for (i, &(b, _)) in pools[a].iter().enumerate() {
                let want = h(a, b) + h(b, a);
                assert!(
                    (got[a][i] - want).abs() < 1e-9,
                    "{a}-{b}: {} vs {want}",
                    got[a][i]
                );
            }
        }
        let g = Graph::with_options(&inst, k, false, &CandidateOrder::SoftDist(t)).unwrap();
        for a in 0..inst.n() {
            let c: Vec<usize> = g.cands(a).collect();
            assert_eq!(c.len(), k);
            // The k best by score, listed nearest first.
            let score = |b: usize| got[a][pools[a].iter().position(|x| x.0 == b).unwrap()];
            assert!(
                c.windows(2).all(|w| g.d(a, w[0]) <= g.d(a, w[1])),
                "node {a}"
            );
            let worst_in = c.iter().map(|&b| score(b)).fold(f64::MAX, f64::min);
            let best_out = pools[a]
                .iter()
                .filter(|x| !c.contains(&x.0))
                .map(|x| score(x.0))
                .fold(f64::MIN, f64::max);
            assert!(worst_in >= best_out, "node {a}");
        }
    }

    /// A learned heatmap picks the candidates: the best-scored of each row (self and repeated
    /// entries skipped), topped up with the nearest when a row is short, nearest first.
    #[test]
    fn heatmap_rows_choose_the_candidates() {
        // Distinct points on a spiral.
        let pts: Vec<[f64; 2]> = (0..40)
            .map(|i| {
                let r = 5.0 + 2.0 * i as f64;
                let t = 0.7 * i as f64;
                [r * t.cos(), r * t.sin()]
            })
            .collect();
        let inst = coords_inst(pts);
        let n = inst.n();
        let k = 5;
        // Row of a: every other node, scored by index (higher index, higher score), plus a
        // self entry and a repeat; row 0 only two entries.
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .map(|a| {
                if a == 0 {
                    vec![(7, 1.0), (3, 0.5)]
                } else {
                    let mut r: Vec<(u32, f32)> = (0..n).map(|b| (b as u32, b as f32)).collect();
                    r.push((a as u32, 1e9));
                    r.push(((n - 1) as u32, 1e9));
                    r
                }
            })
            .collect();
        let g = Graph::with_options(
            &inst,
            k,
            false,
            &CandidateOrder::Heatmap {
                rows: std::sync::Arc::new(rows),
                keep: 0,
            },
        )
        .unwrap();
        let plain = Graph::new(&inst, k).unwrap();
        for a in 0..n {
            let c: Vec<usize> = g.cands(a).collect();
            assert!(
                c.windows(2).all(|w| g.d(a, w[0]) <= g.d(a, w[1])),
                "node {a}"
            );
            let mut set = c.clone();
            set.sort_unstable();
            let want: Vec<usize> = if a == 0 {
                let mut w = vec![7, 3];
                w.extend(plain.cands(0).filter(|b| ![7, 3].contains(b)).take(k - 2));
                w.sort_unstable();
                w
            } else {
                let mut w: Vec<usize> = (0..n).rev().filter(|&b| b != a).take(k).collect();
                w.sort_unstable();
                w
            };
            assert_eq!(set, want, "node {a}");
        }
        // Edge scores: the row's (largest for a repeated entry), 0 when absent, none without
        // a heatmap.
        assert_eq!(g.edge_score(0, 7), Some(1.0));
        assert_eq!(g.edge_score(0, 9), Some(0.0));
        assert_eq!(g.edge_score(5, n - 1), Some(1e9));
        assert_eq!(g.edge_score(5, 3), Some(3.0));
        assert_eq!(plain.edge_score(0, 7), None);
        // With `keep`, the first nearest stay whatever their score, and the heatmap adds k more.
        let rows = (0..n)
            .map(|a| {
                (0..n)
                    .map(|b| (b as u32, b as f32))
                    .filter(|x| x.0 as usize != a)
                    .collect()
            })
            .collect();
        let kept = Graph::with_options(
            &inst,
            k,
            false,
            &CandidateOrder::Heatmap {
                rows: std::sync::Arc::new(rows),
                keep: 2,
            },
        )
        .unwrap();
        for a in 0..n {
            let c: Vec<usize> = kept.cands(a).collect();
            let near: Vec<usize> = plain.cands(a).take(2).collect();
            assert!(near.iter().all(|b| c.contains(b)), "node {a}");
            let high: Vec<usize> = (0..n)
                .rev()
                .filter(|b| *b != a && !near.contains(b))
                .take(k)
                .collect();
            assert!(high.iter().all(|b| c.contains(b)), "node {a}");
            assert_eq!(c.len(), k + 2);
            assert!(c.windows(2).all(|w| kept.d(a, w[0]) <= kept.d(a, w[1])));
        }
    }
}

//! `tsp.dc`: divide and conquer for large TSPs (POPMUSIC-style tour segments).
//!
//! * Start: `tsp.ils`'s greedy-edge tour on the sparse candidate graph, brought to a local
//!   optimum by its local search (no kick), or the warm start when it is a tour of the instance.
//! * Rounds: the tour is cut into consecutive segments of about [`DcOptions::segment`] nodes,
//!   from a random offset each round (so the boundaries move). A segment is a sub-problem: its
//!   nodes as a small instance (the same metric, or the sub-matrix) whose edge between the
//!   segment's two end points is fixed, so that every tour of it is the segment as a path with
//!   the same ends plus that edge. `tsp.ils` solves each on one thread with its own budget
//!   (kicks in proportion to the segment's size), the sub-problems spread over the workers; a
//!   path that is shorter replaces its segment. Segments are disjoint, so their gains add up.
//! * Or rounds of regions ([`Divide::Regions`], the default where the instance has coordinates
//!   and is symmetric): the plane, turned by a random angle each round (so the boundaries move),
//!   is cut by Karp's median splits along the wider side into cells of at most `segment` nodes.
//!   A cell is a sub-problem: its nodes in tour order, each maximal path of the tour outside the
//!   cell contracted into a fixed edge between the cell nodes at its ends (with the original
//!   fixed edges), so that every tour of it expands into a tour of the instance. The cells are
//!   solved in parallel from the same tour; each result is a set of tour edges inside its cell
//!   swapped for others, applied in the order of their gains when the tour stays one cycle (the
//!   first always does; a later one may not, as the cells' contracted paths have moved).
//! * Optionally a last share of the time runs `tsp.ils` on the whole tour (`final`).
//! * As a job of a durable job store, the plane cells of a round are also offered to the
//!   other workers ([`crate::farm`]): each is a TSPLIB instance with its contracted paths as
//!   fixed edges, solved by `tsp.ils` with the same kicks and seed as here; this process takes
//!   back the ones nobody has started, and applies the others' answers as its own.
//!
//! Memory is linear in n: the tour, the sub-instances in flight and the start's candidate
//! lists. Instances of at most `2 * segment` nodes go to `tsp.ils` directly.

use super::ils::{self, IlsOptions, tour_cost, valid_tour};
use crate::engine::pool::worker_seed;
use crate::engine::{Budget, Improvement, NoObserver, Observer, SolveResult};
use crate::farm::{self, Farm, Piece, Spread};
use quotient_problems::any::{AnyInstance, AnySolution};
use quotient_problems::tsp::{TspInstance, TspSolution, Weights};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The seed stream of the sub-problems and the offsets.
const DC_STREAM: u64 = 0xD1_C0DE;

/// Default nodes per sub-problem.
pub const DEFAULT_SEGMENT: usize = 3000;

/// Default `tsp.ils` kicks per sub-problem, in percent of its nodes.
pub const DEFAULT_KICKS_PERCENT: u64 = 300;

/// How `tsp.dc` cuts the instance into sub-problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Divide {
    /// Consecutive tour segments with their two ends fixed.
    Segments,
    /// Cells of the plane with the outside paths contracted into fixed edges (segments where
    /// the instance has no coordinates or is asymmetric).
    #[default]
    Regions,
    /// Regions and segments in turn, round by round.
    Alternate,
}

impl Divide {
    /// From the `divide` parameter: 0 segments, 1 regions, 2 alternate.
    pub fn from_param(v: u64) -> Option<Divide> {
        match v {
            0 => Some(Divide::Segments),
            1 => Some(Divide::Regions),
            2 => Some(Divide::Alternate),
            _ => None,
        }
    }
}

/// Options of `tsp.dc`.
#[derive(Debug, Clone, Default)]
pub struct DcOptions<'a> {
    /// Worker threads (0 or 1: one).
    pub threads: usize,
    pub seed: u64,
    /// Warm start; ignored unless it is a tour of the instance that keeps the fixed edges.
    pub initial: Option<TspSolution>,
    /// Nodes per sub-problem (`None`: [`DEFAULT_SEGMENT`]; at least 8).
    pub segment: Option<usize>,
    /// `tsp.ils` kicks per sub-problem in percent of its nodes (`None`:
    /// [`DEFAULT_KICKS_PERCENT`]).
    pub kicks_percent: Option<u64>,
    /// Percent of the time limit left to a final `tsp.ils` pass over the whole tour (`None`: 0).
    pub final_percent: Option<u64>,
    /// How the sub-problems are cut.
    pub divide: Divide,
    /// Other workers that may take plane cells (see [`crate::farm`]); `None`: all here.
    pub farm: Option<&'a dyn Farm>,
}

/// Solve within the budget. An iteration cap on the budget counts rounds.
pub fn solve(
    inst: &TspInstance,
    budget: &Budget,
    observer: &dyn Observer,
    opts: &DcOptions<'_>,
) -> SolveResult<TspSolution> {
    let n = inst.n();
    let segment = opts.segment.unwrap_or(DEFAULT_SEGMENT).max(8);
    let threads = opts.threads.max(1);
    let whole = |initial: Option<TspSolution>, budget: &Budget, observer: &dyn Observer| {
        let o = IlsOptions {
            threads,
            seed: opts.seed,
            initial,
            // One search, whatever the thread count (its start is greedy + local search).
            walkers: Some(0),
            ..Default::default()
        };
        ils::solve(inst, budget, observer, &o)
    };
    if n <= 2 * segment {
        let mut r = whole(opts.initial.clone(), budget, observer);
        r.message = Some(format!(
            "{n} nodes <= 2 x {segment}: tsp.ils on the whole instance; {}",
            r.message.unwrap_or_default()
        ));
        return r;
    }
    // The start: the warm start, else tsp.ils's greedy tour after its local search.
    let mut tour = match opts.initial.as_ref().filter(|s| valid_tour(inst, &s.tour)) {
        Some(s) => s.tour.clone(),
        None => {
            let b = budget.clone().with_max_iterations(Some(0));
            match whole(None, &b, &NoObserver).solution {
                Some(s) => s.tour,
                None => return SolveResult::unknown("the budget ended before a tour was built"),
            }
        }
    };
    let mut cost = tour_cost(inst, &tour);
    report(observer, budget, &tour, cost, "start");
    let final_share = opts.final_percent.unwrap_or(0).min(100) as f64 / 100.0;
    let rounds_end = budget
        .time_limit()
        .map(|l| budget.start() + l.mul_f64(1.0 - final_share));
    let kicks_percent = opts.kicks_percent.unwrap_or(DEFAULT_KICKS_PERCENT);
    let mut rng = ChaCha8Rng::seed_from_u64(worker_seed(opts.seed, 0, DC_STREAM));
    let plane = inst
        .coords()
        .filter(|c| c.len() == n && inst.is_symmetric());
    let divide = if plane.is_some() {
        opts.divide
    } else {
        Divide::Segments
    };
    let mut rounds = 0u64;
    let mut improved_segments = 0usize;
    let (mut region_rounds, mut rejected) = (0u64, 0usize);
    let mut farmed = Spread::default();
    loop {
        let past_rounds_end = rounds_end.is_some_and(|e| std::time::Instant::now() >= e);
        if budget.is_done(rounds) || past_rounds_end {
            break;
        }
        let sub_budget = {
            let left = rounds_end.map(|e| e.saturating_duration_since(std::time::Instant::now()));
            Budget::new(left).with_cancel(budget.cancel_flag().clone())
        };
        let offset = rng.random_range(0..n);
        let angle = rng.random_range(0.0..std::f64::consts::PI);
        let round_seed = worker_seed(opts.seed, rounds as usize + 1, DC_STREAM);
        let regions = match divide {
            Divide::Segments => None,
            Divide::Regions => plane,
            Divide::Alternate => plane.filter(|_| rounds.is_multiple_of(2)),
        };
        let gains = match regions {
            Some(coords) => {
                region_rounds += 1;
                let cells = karp_cells(coords, segment, angle);
                let (gains, r, spread) = region_round(
                    inst,
                    &mut tour,
                    &cells,
                    threads,
                    kicks_percent,
                    round_seed,
                    &sub_budget,
                    opts.farm,
                );
                rejected += r;
                farmed.local += spread.local;
                farmed.remote += spread.remote;
                farmed.lost += spread.lost;
                gains
            }
            None => round(
                inst,
                &mut tour,
                offset,
                segment,
                threads,
                kicks_percent,
                round_seed,
                &sub_budget,
            ),
        };
        rounds += 1;
        let gain: i64 = gains.iter().sum();
        improved_segments += gains.len();
        cost -= gain;
        #[cfg(any(test, feature = "check-deltas"))]
        if crate::check_deltas() {
            assert_eq!(cost, tour_cost(inst, &tour), "tsp.dc round gain");
        }
        if gain > 0 {
            report(observer, budget, &tour, cost, "segments");
        } else if budget.time_limit().is_none() && budget.max_iterations().is_none() {
            // No deadline and nothing left to gain from this offset: a fixed point is close.
            break;
        }
    }
    let mut message = format!(
        "{rounds} rounds ({region_rounds} of plane cells, {} of tour segments) of at most about {segment} nodes by tsp.ils ({kicks_percent} % kicks), {improved_segments} sub-problems improved, {rejected} improvements not applied (the tour would have split)",
        rounds - region_rounds
    );
    if opts.farm.is_some() {
        message.push_str(&format!(
            "; plane cells solved here {}, by other workers {}, lost {}",
            farmed.local, farmed.remote, farmed.lost
        ));
    }
    if final_share > 0.0 && !budget.is_exhausted() {
        let r = whole(Some(TspSolution { tour: tour.clone() }), budget, observer);
        if let Some(s) = r.solution.filter(|s| valid_tour(inst, &s.tour)) {
            let c = tour_cost(inst, &s.tour);
            if c < cost {
                tour = s.tour;
                cost = c;
            }
        }
        message.push_str("; then tsp.ils on the whole tour");
    }
    let mut r = SolveResult::feasible(TspSolution { tour }, cost as f64);
    r.message = Some(message);
    r
}

fn report(observer: &dyn Observer, budget: &Budget, tour: &[usize], cost: i64, source: &str) {
    let solution = || -> Option<Box<dyn std::any::Any + Send>> {
        Some(Box::new(AnySolution::Tsp(TspSolution {
            tour: tour.to_vec(),
        })))
    };
    observer.improved_with(
        &Improvement {
            objective: cost as f64,
            bound: None,
            elapsed: budget.elapsed(),
            source,
        },
        &solution,
    );
}

/// The cut of `n` tour positions into segments of about `segment` nodes: `(start, len)` pairs
/// relative to the offset, covering `0..n` in order.
fn segments(n: usize, segment: usize) -> Vec<(usize, usize)> {
    let m = n.div_ceil(segment.max(1)).max(1);
    (0..m)
        .map(|k| {
            let a = k * n / m;
            let b = (k + 1) * n / m;
            (a, b - a)
        })
        .collect()
}

/// One round: every segment from `offset` solved as a sub-problem, spread over `threads`
/// workers; improved paths written back into `tour`. Returns the gains of the improved ones.
#[allow(clippy::too_many_arguments)]
fn round(
    inst: &TspInstance,
    tour: &mut [usize],
    offset: usize,
    segment: usize,
    threads: usize,
    kicks_percent: u64,
    seed: u64,
    budget: &Budget,
) -> Vec<i64> {
    let n = tour.len();
    let cuts = segments(n, segment);
    let nodes_of = |tour: &[usize], k: usize| -> Vec<usize> {
        let (start, len) = cuts[k];
        (start..start + len)
            .map(|p| tour[(offset + p) % n])
            .collect()
    };
    // Segments stay on this process (no farm): their results are written back in place.
    let view: &[usize] = tour;
    let (results, _) = farm::spread(
        cuts.len(),
        threads,
        None,
        &|_| None,
        &|k| {
            let kicks = (cuts[k].1 as u64 * kicks_percent / 100).max(1);
            let b = budget.clone().with_max_iterations(Some(kicks));
            improve_path(
                inst,
                &nodes_of(view, k),
                &b,
                worker_seed(seed, k, DC_STREAM),
            )
        },
        &|_, _| None,
        &|| budget.is_exhausted(),
        &|| true,
        Instant::now(),
    );
    let mut gains = Vec::with_capacity(results.len());
    for (k, (path, gain)) in results {
        let (start, _) = cuts[k];
        let nodes = nodes_of(tour, k);
        for (i, &v) in path.iter().enumerate() {
            tour[(offset + start + i) % n] = nodes[v as usize];
        }
        gains.push(gain);
    }
    gains
}

/// Karp's cells: the points turned by `angle`, split at the median of the wider side until a
/// cell has at most `size` nodes. Every node is in exactly one cell.
fn karp_cells(coords: &[[f64; 2]], size: usize, angle: f64) -> Vec<Vec<usize>> {
    let (sin, cos) = angle.sin_cos();
    let p: Vec<[f64; 2]> = coords
        .iter()
        .map(|&[x, y]| [x * cos - y * sin, x * sin + y * cos])
        .collect();
    let mut cells = Vec::new();
    let mut stack = vec![(0..coords.len()).collect::<Vec<usize>>()];
    while let Some(mut ids) = stack.pop() {
        if ids.len() <= size.max(1) {
            cells.push(ids);
            continue;
        }
        let extent = |axis: usize| {
            let (lo, hi) = ids
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(p[v][axis]), hi.max(p[v][axis]))
                });
            hi - lo
        };
        let axis = usize::from(extent(1) > extent(0));
        let mid = ids.len() / 2;
        ids.select_nth_unstable_by(mid, |&a, &b| {
            p[a][axis].total_cmp(&p[b][axis]).then(a.cmp(&b))
        });
        let right = ids.split_off(mid);
        stack.push(ids);
        stack.push(right);
    }
    cells
}

/// An edge with its ends in order (the instance is symmetric where regions are used).
fn edge(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// What a cell's sub-problem found: the tour edges inside the cell it drops, the ones it adds,
/// and the gain.
struct Exchange {
    drop: Vec<(usize, usize)>,
    add: Vec<(usize, usize)>,
    gain: i64,
}

/// The cell `cell` as a sub-problem of `tour` (positions `pos`): its nodes in tour order, the
/// paths outside it contracted into fixed edges (`kept`, indices into `nodes`), the tour edges
/// inside it that a sub-tour may drop, and the sub-instance.
struct Cell {
    nodes: Vec<usize>,
    kept: Vec<(usize, usize)>,
    drop: Vec<(usize, usize)>,
    sub: TspInstance,
}

impl Cell {
    /// `None` when the cell is too small to hold an improvement.
    fn new(
        inst: &TspInstance,
        tour_len: usize,
        pos: &[usize],
        fixed: &HashSet<(usize, usize)>,
        cell: &[usize],
    ) -> Option<Cell> {
        let mut nodes = cell.to_vec();
        nodes.sort_unstable_by_key(|&v| pos[v]);
        let l = nodes.len();
        if l < 8 {
            return None;
        }
        let mut kept = Vec::new();
        let mut drop = Vec::new();
        for i in 0..l {
            let (a, b) = (nodes[i], nodes[(i + 1) % l]);
            if (pos[a] + 1) % tour_len != pos[b] || fixed.contains(&edge(a, b)) {
                kept.push((i, (i + 1) % l));
            } else {
                drop.push(edge(a, b));
            }
        }
        if drop.len() < 3 {
            return None;
        }
        let sub = sub_instance_fixing(inst, &nodes, kept.clone());
        Some(Cell {
            nodes,
            kept,
            drop,
            sub,
        })
    }

    /// The exchange that the sub-tour `t` (of [`Cell::sub`], from the identity tour) makes,
    /// if it is a valid tour of the cell and gains.
    fn exchange(&self, inst: &TspInstance, t: &[usize]) -> Option<Exchange> {
        let l = self.nodes.len();
        if !valid_tour(&self.sub, t) {
            return None;
        }
        let kept: HashSet<(usize, usize)> = self.kept.iter().map(|&(a, b)| edge(a, b)).collect();
        let add: Vec<(usize, usize)> = (0..l)
            .map(|i| edge(t[i], t[(i + 1) % l]))
            .filter(|e| !kept.contains(e))
            .map(|(a, b)| edge(self.nodes[a], self.nodes[b]))
            .collect();
        let cost = |es: &[(usize, usize)]| es.iter().map(|&(a, b)| inst.dist(a, b)).sum::<i64>();
        let gain = cost(&self.drop) - cost(&add);
        (gain > 0 && add.len() == self.drop.len()).then(|| Exchange {
            drop: self.drop.clone(),
            add,
            gain,
        })
    }

    /// The cell as a sub-problem for another worker: `tsp.ils` from the identity tour with
    /// the kicks, seed and ascent that [`solve_sub`] uses here.
    fn piece(&self, kicks: u64, time_limit: Duration, seed: u64) -> Piece {
        Piece {
            instance: AnyInstance::Tsp(self.sub.clone()),
            initial: Some(AnySolution::Tsp(TspSolution {
                tour: (0..self.nodes.len()).collect(),
            })),
            solver: "tsp.ils".into(),
            params: vec![
                ("kicks".into(), kicks.to_string()),
                ("ascent".into(), "0".into()),
            ],
            time_limit,
            seed,
            threads: 1,
        }
    }
}

/// How long a round waits for the cells that other workers took, beyond its own budget.
const FARM_GRACE: Duration = Duration::from_secs(2);
/// A farmed cell's time limit when the solve has none (its kicks end it long before).
const FARM_TIME: Duration = Duration::from_secs(600);

/// One round of cells, spread over `threads` workers (and other workers through `farm`) from
/// the same tour; the exchanges applied by decreasing gain where the tour stays one cycle.
/// Returns the applied gains, the number of exchanges left out, and where the cells were
/// solved.
#[allow(clippy::too_many_arguments)]
fn region_round(
    inst: &TspInstance,
    tour: &mut Vec<usize>,
    cells: &[Vec<usize>],
    threads: usize,
    kicks_percent: u64,
    seed: u64,
    budget: &Budget,
    farm: Option<&dyn Farm>,
) -> (Vec<i64>, usize, Spread) {
    let n = tour.len();
    let mut pos = vec![0; n];
    for (i, &v) in tour.iter().enumerate() {
        pos[v] = i;
    }
    let fixed: HashSet<(usize, usize)> =
        inst.fixed_edges.iter().map(|&(a, b)| edge(a, b)).collect();
    let kicks = |k: usize| (cells[k].len() as u64 * kicks_percent / 100).max(1);
    let sub_seed = |k: usize| worker_seed(seed, k, DC_STREAM);
    // Each cell's sub-problem is built once: an offer, the local solve and a remote answer
    // all read the same one (O(n) in all, beside the solves).
    let built: Vec<Option<Cell>> = cells
        .iter()
        .map(|c| Cell::new(inst, n, &pos, &fixed, c))
        .collect();
    let farm_time = budget.remaining().unwrap_or(FARM_TIME);
    let (mut found, spread) = farm::spread(
        cells.len(),
        threads,
        farm,
        &|k| Some(built[k].as_ref()?.piece(kicks(k), farm_time, sub_seed(k))),
        &|k| {
            let c = built[k].as_ref()?;
            let b = budget.clone().with_max_iterations(Some(kicks(k)));
            c.exchange(inst, &solve_sub(&c.sub, &b, sub_seed(k))?)
        },
        &|k, s| match s {
            AnySolution::Tsp(t) => built[k].as_ref()?.exchange(inst, &t.tour),
            _ => None,
        },
        &|| budget.is_exhausted(),
        &|| budget.is_cancelled(),
        Instant::now() + farm_time + FARM_GRACE,
    );
    // By decreasing gain, ties by cell: the same whoever solved which cell.
    found.sort_by_key(|(k, x)| (std::cmp::Reverse(x.gain), *k));
    let mut adj = Adjacency::of(tour);
    let (mut gains, mut rejected) = (Vec::new(), 0);
    for (_, x) in found {
        adj.exchange(&x.drop, &x.add);
        if adj.cycle(tour[0]).is_some() {
            gains.push(x.gain);
        } else {
            adj.exchange(&x.add, &x.drop);
            rejected += 1;
        }
    }
    if !gains.is_empty()
        && let Some(t) = adj.cycle(tour[0])
    {
        *tour = t;
    }
    (gains, rejected, spread)
}

/// The tour as each node's two neighbours, its successor first (`NONE` where an edge was taken
/// out), so that a walk from a node keeps the tour's direction where it can.
struct Adjacency(Vec<[usize; 2]>);

const NONE: usize = usize::MAX;

impl Adjacency {
    fn of(tour: &[usize]) -> Adjacency {
        let n = tour.len();
        let mut adj = vec![[NONE; 2]; n];
        for i in 0..n {
            adj[tour[i]] = [tour[(i + 1) % n], tour[(i + n - 1) % n]];
        }
        Adjacency(adj)
    }

    /// Take the edges `drop` out and put `add` in (degrees stay two when `drop` are edges).
    fn exchange(&mut self, drop: &[(usize, usize)], add: &[(usize, usize)]) {
        for &(a, b) in drop {
            self.unlink(a, b);
            self.unlink(b, a);
        }
        for &(a, b) in add {
            self.link(a, b);
            self.link(b, a);
        }
    }

    fn unlink(&mut self, a: usize, b: usize) {
        if let Some(s) = self.0[a].iter_mut().find(|s| **s == b) {
            *s = NONE;
        }
    }

    fn link(&mut self, a: usize, b: usize) {
        if let Some(s) = self.0[a].iter_mut().find(|s| **s == NONE) {
            *s = b;
        }
    }

    /// The tour from `start` if the edges form one cycle through every node.
    fn cycle(&self, start: usize) -> Option<Vec<usize>> {
        let n = self.0.len();
        let mut out = Vec::with_capacity(n);
        let (mut prev, mut cur) = (NONE, start);
        loop {
            out.push(cur);
            let [a, b] = self.0[cur];
            let next = if a == prev { b } else { a };
            if next == NONE || out.len() > n {
                return None;
            }
            if next == start {
                return (out.len() == n).then_some(out);
            }
            (prev, cur) = (cur, next);
        }
    }
}

/// The segment `nodes` (a path of the tour, in order) as an instance of its own: the same
/// metric on its coordinates (or the sub-matrix), the original fixed edges inside it, and the
/// edge between its two ends fixed.
pub(crate) fn sub_instance(inst: &TspInstance, nodes: &[usize]) -> TspInstance {
    sub_instance_fixing(inst, nodes, vec![(nodes.len() - 1, 0)])
}

/// `nodes` as an instance of its own with the edges `fixed` (indices into `nodes`) and the
/// original fixed edges among them fixed.
fn sub_instance_fixing(
    inst: &TspInstance,
    nodes: &[usize],
    mut fixed: Vec<(usize, usize)>,
) -> TspInstance {
    let l = nodes.len();
    let weights = match &inst.weights {
        Weights::Coords { metric, coords } => Weights::Coords {
            metric: *metric,
            coords: nodes.iter().map(|&v| coords[v]).collect(),
        },
        Weights::Matrix { .. } => Weights::Matrix {
            n: l,
            matrix: nodes
                .iter()
                .flat_map(|&a| nodes.iter().map(move |&b| inst.dist(a, b)))
                .collect(),
        },
    };
    if !inst.fixed_edges.is_empty() {
        let local: std::collections::HashMap<usize, usize> =
            nodes.iter().enumerate().map(|(i, &v)| (v, i)).collect();
        for &(a, b) in &inst.fixed_edges {
            if let (Some(&x), Some(&y)) = (local.get(&a), local.get(&b))
                && !fixed.contains(&(x, y))
                && (!inst.is_symmetric() || !fixed.contains(&(y, x)))
            {
                fixed.push((x, y));
            }
        }
    }
    TspInstance {
        name: format!("{}-segment", inst.name),
        comment: String::new(),
        kind: inst.kind,
        weights,
        fixed_edges: fixed,
        display: None,
        edge_weight_format: None,
    }
}

/// Cost of the path `nodes` (open: no closing edge).
pub(crate) fn path_cost(inst: &TspInstance, nodes: &[usize]) -> i64 {
    nodes.windows(2).map(|w| inst.dist(w[0], w[1])).sum()
}

/// A tour of the sub-instance of `l` nodes that keeps the edge between `l - 1` and 0, as the
/// path from 0 to `l - 1` (`None` if it does not keep that edge).
pub(crate) fn tour_to_path(tour: &[usize], l: usize, symmetric: bool) -> Option<Vec<u32>> {
    if tour.len() != l || l < 2 {
        return None;
    }
    let p0 = tour.iter().position(|&v| v == 0)?;
    let at = |k: usize| tour[(p0 + k) % l] as u32;
    let path: Vec<u32> = if at(l - 1) as usize == l - 1 {
        (0..l).map(at).collect()
    } else if symmetric && at(1) as usize == l - 1 {
        std::iter::once(0).chain((1..l).rev().map(at)).collect()
    } else {
        return None;
    };
    Some(path)
}

/// `tsp.ils` on a sub-instance, one thread, from the tour `0..l` (its nodes in tour order).
fn solve_sub(sub: &TspInstance, budget: &Budget, seed: u64) -> Option<Vec<usize>> {
    let opts = IlsOptions {
        threads: 1,
        seed,
        initial: Some(TspSolution {
            tour: (0..sub.n()).collect(),
        }),
        // The Held–Karp ascent is O(l^2) per sub-problem: far more than its kicks.
        alpha: Some(false),
        ..Default::default()
    };
    Some(ils::solve(sub, budget, &NoObserver, &opts).solution?.tour)
}

/// `tsp.ils` on the segment `nodes` with its ends fixed; the improved path (indices into
/// `nodes`, first 0 and last `nodes.len() - 1`) and its gain, or `None` if it found none.
fn improve_path(
    inst: &TspInstance,
    nodes: &[usize],
    budget: &Budget,
    seed: u64,
) -> Option<(Vec<u32>, i64)> {
    let l = nodes.len();
    if l < 4 {
        return None;
    }
    let sub = sub_instance(inst, nodes);
    let path = tour_to_path(&solve_sub(&sub, budget, seed)?, l, inst.is_symmetric())?;
    let old = path_cost(inst, nodes);
    let mapped: Vec<usize> = path.iter().map(|&i| nodes[i as usize]).collect();
    let new = path_cost(inst, &mapped);
    (new < old).then_some((path, old - new))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quotient_problems::tsp::{TspKind, check, generate};
    use std::time::Duration;

    fn checked(inst: &TspInstance, r: &SolveResult<TspSolution>) -> i64 {
        let sol = r.solution.as_ref().expect("a solution");
        let rep = check(inst, sol);
        assert!(rep.violations.is_empty(), "{:?}", rep.violations);
        assert_eq!(r.objective, Some(rep.objective), "reported objective");
        rep.objective as i64
    }

    #[test]
    fn segments_cover_every_position_once_in_order() {
        for (n, s) in [(10, 3), (1000, 1000), (1001, 1000), (20_000, 999), (7, 100)] {
            let cuts = segments(n, s);
            let mut next = 0;
            for &(a, l) in &cuts {
                assert_eq!(a, next);
                assert!(
                    l >= 1 && l <= s.max(1) && l + 1 >= n / cuts.len(),
                    "{n} {s} {l}"
                );
                next = a + l;
            }
            assert_eq!(next, n);
        }
    }

    #[test]
    fn karp_cells_cover_every_node_once_within_the_size() {
        let inst = generate::clustered(5000, 20, 4);
        let coords = inst.coords().unwrap();
        for (size, angle) in [(300, 0.0), (1000, 1.1), (4999, 2.5), (5000, 0.3)] {
            let cells = karp_cells(coords, size, angle);
            let mut seen = vec![0u8; coords.len()];
            for c in &cells {
                assert!(!c.is_empty() && c.len() <= size);
                for &v in c {
                    seen[v] += 1;
                }
            }
            assert!(seen.iter().all(|&k| k == 1));
            assert_eq!(cells.len() == 1, size >= coords.len());
        }
    }

    #[test]
    fn exchanges_keep_one_cycle_or_are_refused_and_their_gains_are_the_cost_change() {
        let inst = generate::uniform(50, 9);
        let tour: Vec<usize> = (0..50).collect();
        let mut adj = Adjacency::of(&tour);
        assert_eq!(adj.cycle(0), Some(tour.clone()));
        // A 2-opt move (drop 4-5 and 20-21, add 4-20 and 5-21) keeps one cycle; its gain as an
        // exchange equals the change of the from-scratch tour cost.
        let (drop, add) = ([(4, 5), (20, 21)], [(4, 20), (5, 21)]);
        adj.exchange(&drop, &add);
        let t = adj.cycle(0).expect("one cycle");
        let d = |es: &[(usize, usize)]| es.iter().map(|&(a, b)| inst.dist(a, b)).sum::<i64>();
        assert_eq!(
            tour_cost(&inst, &tour) - tour_cost(&inst, &t),
            d(&drop) - d(&add)
        );
        // The other reconnection splits the tour in two: refused, and undone cleanly.
        let (drop, add) = ([(30, 31), (40, 41)], [(30, 41), (31, 40)]);
        adj.exchange(&drop, &add);
        assert_eq!(adj.cycle(0), None);
        adj.exchange(&add, &drop);
        assert_eq!(adj.cycle(0), Some(t));
    }

    #[test]
    fn every_way_of_dividing_keeps_fixed_edges_and_improves() {
        let mut inst = generate::clustered(1500, 10, 6);
        let start = solve(
            &inst,
            &Budget::new(None).with_max_iterations(Some(0)),
            &NoObserver,
            &opts(1),
        );
        let c0 = checked(&inst, &start);
        let t = &start.solution.as_ref().unwrap().tour;
        inst.fixed_edges = vec![(t[0], t[1]), (t[700], t[701]), (t[1499], t[0])];
        for (divide, threads) in [
            (Divide::Regions, 2),
            (Divide::Alternate, 1),
            (Divide::Segments, 2),
        ] {
            let o = DcOptions {
                divide,
                initial: start.solution.clone(),
                segment: Some(200),
                ..opts(threads)
            };
            let r = solve(
                &inst,
                &Budget::new(None).with_max_iterations(Some(2)),
                &NoObserver,
                &o,
            );
            let c = checked(&inst, &r);
            assert!(c < c0, "{divide:?}: {c} < {c0}");
            let m = r.message.unwrap();
            let cells = match divide {
                Divide::Regions => "2 of plane cells",
                Divide::Alternate => "1 of plane cells",
                Divide::Segments => "0 of plane cells",
            };
            assert!(m.contains(cells), "{m}");
        }
    }

    #[test]
    fn a_sub_tour_becomes_the_path_between_the_fixed_ends() {
        // Tour 2 4 0 3 1 (l = 5) keeps the edge 4-0: the path runs from 0 away from 4.
        assert_eq!(
            tour_to_path(&[2, 4, 0, 3, 1], 5, true),
            Some(vec![0, 3, 1, 2, 4])
        );
        assert_eq!(
            tour_to_path(&[0, 1, 2, 3, 4], 5, true),
            Some(vec![0, 1, 2, 3, 4])
        );
        // Without the edge 0-4: refused; reversed direction refused for ATSP.
        assert_eq!(tour_to_path(&[0, 2, 4, 1, 3], 5, true), None);
        assert_eq!(tour_to_path(&[0, 4, 3, 2, 1], 5, false), None);
        assert_eq!(
            tour_to_path(&[0, 4, 3, 2, 1], 5, true),
            Some(vec![0, 1, 2, 3, 4])
        );
    }

    #[test]
    fn sub_instances_price_paths_as_the_instance_and_fix_the_ends() {
        let mut inst = generate::uniform(60, 3);
        inst.fixed_edges = vec![(5, 6), (40, 2)];
        let nodes: Vec<usize> = (3..20).collect();
        let sub = sub_instance(&inst, &nodes);
        assert_eq!(sub.n(), nodes.len());
        assert_eq!(sub.fixed_edges, vec![(16, 0), (2, 3)]);
        let ids: Vec<usize> = (0..nodes.len()).collect();
        assert_eq!(path_cost(&sub, &ids), path_cost(&inst, &nodes));
        // The matrix form prices the same (ATSP kept as such).
        let n = 12;
        let matrix: Vec<i64> = (0..n * n).map(|k| ((k * 37) % 101) as i64).collect();
        let atsp = TspInstance {
            name: "m".into(),
            comment: String::new(),
            kind: TspKind::Atsp,
            weights: Weights::Matrix { n, matrix },
            fixed_edges: Vec::new(),
            display: None,
            edge_weight_format: None,
        };
        let nodes = [7, 2, 9, 4, 11];
        let sub = sub_instance(&atsp, &nodes);
        assert_eq!(path_cost(&sub, &[0, 1, 2, 3, 4]), path_cost(&atsp, &nodes));
        assert_eq!(
            path_cost(&sub, &[4, 3, 2, 1, 0]),
            path_cost(&atsp, &[11, 4, 9, 2, 7])
        );
    }

    fn opts(threads: usize) -> DcOptions<'static> {
        DcOptions {
            threads,
            seed: 7,
            segment: Some(100),
            kicks_percent: Some(50),
            ..Default::default()
        }
    }

    #[test]
    fn rounds_improve_the_start_and_the_reported_cost_is_the_tour_cost() {
        for (inst, threads) in [
            (generate::uniform(1200, 11), 2),
            (generate::clustered(1000, 8, 12), 1),
        ] {
            let start = solve(
                &inst,
                &Budget::new(None).with_max_iterations(Some(0)),
                &NoObserver,
                &opts(1),
            );
            let c0 = checked(&inst, &start);
            let r = solve(
                &inst,
                &Budget::new(None).with_max_iterations(Some(3)),
                &NoObserver,
                &opts(threads),
            );
            let c = checked(&inst, &r);
            assert!(c < c0, "{c} < {c0}");
            assert!(r.message.unwrap().starts_with("3 rounds"));
        }
    }

    /// A farm whose "other worker" takes every `every`-th offer as it is made and solves it as
    /// a job would: the piece written as TSPLIB text, read back, and run through the registry's
    /// `tsp.ils` with the piece's parameters.
    use std::sync::Mutex;

    #[derive(Debug)]
    struct Registry {
        every: usize,
        offers: Mutex<usize>,
    }

    struct Taken(Option<AnySolution>);

    impl crate::farm::Offered for Taken {
        fn withdraw(&mut self) -> bool {
            false
        }
        fn wait(self: Box<Self>, _: Instant, _: &dyn Fn() -> bool) -> Option<AnySolution> {
            self.0
        }
    }

    struct Queued;

    impl crate::farm::Offered for Queued {
        fn withdraw(&mut self) -> bool {
            true
        }
        fn wait(self: Box<Self>, _: Instant, _: &dyn Fn() -> bool) -> Option<AnySolution> {
            None
        }
    }

    impl Farm for Registry {
        fn offer(&self, piece: &Piece) -> Option<Box<dyn crate::farm::Offered>> {
            let k = {
                let mut o = self.offers.lock().unwrap();
                *o += 1;
                *o
            };
            if k % self.every != 0 {
                return Some(Box::new(Queued));
            }
            let AnyInstance::Tsp(sub) = &piece.instance else {
                panic!("a TSP piece");
            };
            let text = quotient_problems::tsp::write_tsplib(sub);
            let inst = AnyInstance::Tsp(quotient_problems::tsp::read_tsplib(&text).unwrap());
            let solver = crate::registry::CLASSICAL
                .iter()
                .find(|s| s.info.name == piece.solver)
                .unwrap();
            let params = solver.info.parse_params(&piece.params).unwrap();
            let budget = Budget::new(Some(piece.time_limit));
            let cx = crate::registry::RunContext {
                instance: &inst,
                budget: &budget,
                observer: &NoObserver,
                seed: piece.seed,
                threads: piece.threads,
                initial: piece.initial.as_ref(),
                params: &params,
                farm: None,
            };
            let r = (solver.run)(&cx).unwrap();
            Some(Box::new(Taken(r.solution)))
        }
    }

    /// Cells solved by other workers (through the job text and the registry) give the same
    /// tour as cells solved here: same sub-instance, kicks and seed.
    #[test]
    fn cells_solved_by_other_workers_give_the_same_tour() {
        let inst = generate::clustered(1500, 10, 6);
        let budget = || Budget::new(None).with_max_iterations(Some(2));
        let here = solve(&inst, &budget(), &NoObserver, &opts(2));
        for every in [1, 3] {
            let farm = Registry {
                every,
                offers: Mutex::new(0),
            };
            let o = DcOptions {
                farm: Some(&farm),
                ..opts(2)
            };
            let there = solve(&inst, &budget(), &NoObserver, &o);
            assert_eq!(
                checked(&inst, &there),
                checked(&inst, &here),
                "every {every}"
            );
            assert_eq!(
                there.solution.as_ref().unwrap().tour,
                here.solution.as_ref().unwrap().tour
            );
            let m = there.message.unwrap();
            assert!(
                m.contains("by other workers") && !m.contains("by other workers 0,"),
                "{m}"
            );
            assert!(m.ends_with("lost 0"), "{m}");
        }
    }

    #[test]
    fn fixed_edges_and_warm_starts_are_kept() {
        let mut inst = generate::uniform(500, 5);
        inst.fixed_edges = vec![(0, 499), (10, 20), (30, 31)];
        let o = DcOptions {
            segment: Some(40),
            ..opts(2)
        };
        let r = solve(
            &inst,
            &Budget::new(None).with_max_iterations(Some(2)),
            &NoObserver,
            &o,
        );
        let c = checked(&inst, &r);
        // A warm start is the start: never worse after the rounds.
        let warm = DcOptions {
            initial: r.solution.clone(),
            seed: 8,
            ..o
        };
        let r2 = solve(
            &inst,
            &Budget::new(None).with_max_iterations(Some(1)),
            &NoObserver,
            &warm,
        );
        assert!(checked(&inst, &r2) <= c);
    }

    #[test]
    fn small_instances_and_a_final_pass_go_through_tsp_ils() {
        let inst = generate::uniform(150, 2);
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_millis(200))),
            &NoObserver,
            &opts(1),
        );
        checked(&inst, &r);
        assert!(r.message.unwrap().contains("tsp.ils on the whole instance"));
        let inst = generate::uniform(400, 2);
        let o = DcOptions {
            final_percent: Some(30),
            ..opts(2)
        };
        let r = solve(
            &inst,
            &Budget::new(Some(Duration::from_millis(600))),
            &NoObserver,
            &o,
        );
        checked(&inst, &r);
        assert!(
            r.message
                .unwrap()
                .ends_with("then tsp.ils on the whole tour")
        );
    }
}

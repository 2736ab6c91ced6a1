//! The CVRP BQ-MDP. A state is the remaining sub-problem: the origin (the last customer served,
//! or the depot before the first), the depot, the unserved customers and the capacity left in
//! the current vehicle. Input per node (4 features): x, y (normalised per state, as for the TSP),
//! demand / capacity (0 on the origin and depot rows), and the remaining capacity / capacity on
//! the origin's row. Two scores per node: "go there directly" and "go there via the depot" (a new
//! route); going directly to a customer whose demand exceeds the remaining capacity is masked.
//! Matches `neural/train/bq/cvrp.py`.

use crate::decode::{DecodeOptions, Decoder, Mdp, d2, frame, nearest, nearest_window};
use crate::runtime::Model;

/// One instance as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct CvrpView<'a> {
    /// Node 0 is the depot.
    pub xy: &'a [[f64; 2]],
    pub demands: &'a [i64],
    pub capacity: i64,
}

/// A partial solution.
#[derive(Debug, Clone)]
pub struct CvrpRow {
    inst: usize,
    routes: Vec<Vec<usize>>,
    origin: usize,
    load: i64,
    remaining: Vec<usize>,
}

/// The CVRP MDP over a set of instances.
#[derive(Debug, Clone)]
pub struct CvrpMdp<'a> {
    pub instances: Vec<CvrpView<'a>>,
}

impl CvrpMdp<'_> {
    fn serve(&self, row: &mut CvrpRow, pos: usize, new_route: bool) {
        let v = row.remaining.swap_remove(pos);
        let d = self.instances[row.inst].demands[v];
        if new_route && row.routes.last().is_some_and(|r| !r.is_empty()) {
            row.routes.push(Vec::new());
            row.load = 0;
        }
        if row.routes.is_empty() {
            row.routes.push(Vec::new());
        }
        if let Some(r) = row.routes.last_mut() {
            r.push(v);
        }
        row.load += d;
        row.origin = v;
    }
}

impl Mdp for CvrpMdp<'_> {
    type Row = CvrpRow;
    type Solution = Vec<Vec<usize>>;
    const IN_DIM: usize = 4;
    const HEADS: usize = 2;

    fn start(&self, inst: usize) -> CvrpRow {
        let n = self.instances.get(inst).map_or(0, |v| v.xy.len());
        CvrpRow {
            inst,
            routes: Vec::new(),
            origin: 0,
            load: 0,
            remaining: (1..n).collect(),
        }
    }

    fn live(&self, row: &CvrpRow) -> bool {
        !row.remaining.is_empty()
    }

    fn candidates(&self, row: &CvrpRow, window: usize) -> Vec<usize> {
        nearest_window(
            self.instances[row.inst].xy,
            row.origin,
            &row.remaining,
            window,
        )
    }

    fn encode(&self, row: &CvrpRow, cands: &[usize], out: &mut Vec<f32>) {
        let view = self.instances[row.inst];
        let q = view.capacity.max(1) as f64;
        let nodes = || {
            [row.origin, 0]
                .into_iter()
                .chain(cands.iter().map(|&p| row.remaining[p]))
        };
        let (lo, span) = frame(view.xy, nodes());
        for (k, v) in nodes().enumerate() {
            out.push(((view.xy[v][0] - lo[0]) / span) as f32);
            out.push(((view.xy[v][1] - lo[1]) / span) as f32);
            out.push(if k < 2 {
                0.0
            } else {
                (view.demands[v] as f64 / q) as f32
            });
            out.push(if k == 0 {
                ((view.capacity - row.load) as f64 / q) as f32
            } else {
                0.0
            });
        }
    }

    fn choice_logits(&self, row: &CvrpRow, cands: &[usize], scores: &[f32]) -> Vec<f32> {
        let view = self.instances[row.inst];
        let left = view.capacity - row.load;
        let mut out = Vec::with_capacity(cands.len() * 2);
        for (j, &p) in cands.iter().enumerate() {
            let s = &scores[(j + 2) * 2..(j + 2) * 2 + 2];
            let fits = view.demands[row.remaining[p]] <= left;
            out.push(if fits { s[0] } else { f32::NEG_INFINITY });
            out.push(s[1]);
        }
        out
    }

    fn apply(&self, row: &mut CvrpRow, cands: &[usize], choice: usize) {
        self.serve(row, cands[choice / 2], choice % 2 == 1);
    }

    fn finish(&self, row: &mut CvrpRow) {
        let view = self.instances[row.inst];
        while !row.remaining.is_empty() {
            let left = view.capacity - row.load;
            // The nearest customer that still fits, else the one nearest the depot on a new route.
            match nearest(view.xy, row.origin, &row.remaining, |v| {
                view.demands[v] <= left
            }) {
                Some(p) => self.serve(row, p, false),
                None => {
                    let p = nearest(view.xy, 0, &row.remaining, |_| true).unwrap_or(0);
                    self.serve(row, p, true);
                }
            }
        }
    }

    fn cost(&self, row: &CvrpRow) -> f64 {
        let xy = self.instances[row.inst].xy;
        row.routes
            .iter()
            .map(|r| {
                let path: Vec<usize> = std::iter::once(0)
                    .chain(r.iter().copied())
                    .chain(std::iter::once(0))
                    .collect();
                path.windows(2)
                    .map(|w| d2(xy[w[0]], xy[w[1]]).sqrt())
                    .sum::<f64>()
            })
            .sum()
    }

    fn solution(&self, row: CvrpRow) -> Vec<Vec<usize>> {
        row.routes.into_iter().filter(|r| !r.is_empty()).collect()
    }
}

/// A decoder of the CVRP policy over `instances`.
pub fn decoder<'a>(
    model: &'a Model,
    instances: Vec<CvrpView<'a>>,
    opts: DecodeOptions,
) -> Decoder<'a, CvrpMdp<'a>> {
    Decoder {
        model,
        mdp: CvrpMdp { instances },
        opts,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn view() -> ([[f64; 2]; 5], [i64; 5]) {
        (
            [
                [0.0, 0.0],
                [10.0, 0.0],
                [0.0, 10.0],
                [-10.0, 0.0],
                [0.0, -20.0],
            ],
            [0, 6, 5, 4, 3],
        )
    }

    #[test]
    fn capacity_masks_direct_moves_and_via_depot_opens_a_route() {
        let (xy, dem) = view();
        let mdp = CvrpMdp {
            instances: vec![CvrpView {
                xy: &xy,
                demands: &dem,
                capacity: 10,
            }],
        };
        let mut row = mdp.start(0);
        let cands = mdp.candidates(&row, 0);
        let p1 = cands.iter().position(|&p| row.remaining[p] == 1).unwrap();
        mdp.apply(&mut row, &cands, 2 * p1); // depot -> 1 (load 6)
        let cands = mdp.candidates(&row, 0);
        let scores = vec![0.5f32; (cands.len() + 2) * 2];
        let logits = mdp.choice_logits(&row, &cands, &scores);
        for (j, &p) in cands.iter().enumerate() {
            let fits = dem[row.remaining[p]] <= 4;
            assert_eq!(logits[2 * j].is_finite(), fits, "node {}", row.remaining[p]);
            assert!(logits[2 * j + 1].is_finite());
        }
        let mut enc = Vec::new();
        mdp.encode(&row, &cands, &mut enc);
        assert_eq!(enc.len(), (cands.len() + 2) * 4);
        assert!(
            (enc[3] - 0.4).abs() < 1e-6,
            "remaining capacity on the origin row"
        );
        // Node 2 (demand 5) via the depot: a new route.
        let p2 = cands.iter().position(|&p| row.remaining[p] == 2).unwrap();
        mdp.apply(&mut row, &cands, 2 * p2 + 1);
        mdp.finish(&mut row);
        let routes = mdp.solution(row.clone());
        assert_eq!(routes[0], vec![1]);
        assert_eq!(routes[1][0], 2);
        let mut all: Vec<usize> = routes.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, vec![1, 2, 3, 4]);
        for r in &routes {
            assert!(r.iter().map(|&v| dem[v]).sum::<i64>() <= 10);
        }
    }
}

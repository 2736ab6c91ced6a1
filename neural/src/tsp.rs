//! The TSP BQ-MDP. A state is the remaining sub-problem: the origin (last node visited), the
//! destination (the first node of the tour) and the unvisited nodes. Its input holds
//! `[origin, destination, candidates...]` x (x, y), normalised per state as in training
//! ([`crate::decode::frame`]); the candidates are all unvisited nodes, or at large n the
//! `window` nearest to the origin (BQ-NCO's k-NN restriction). One score per input node; the
//! origin and the destination are never chosen.

use crate::decode::{self, DecodeOptions, Decoder, Mdp, d2, frame, nearest, nearest_window};
use crate::runtime::Model;

/// A partial tour.
#[derive(Debug, Clone)]
pub struct TspRow {
    inst: usize,
    tour: Vec<usize>,
    /// Unvisited nodes other than the destination, in no particular order.
    remaining: Vec<usize>,
}

impl TspRow {
    fn origin(&self) -> usize {
        self.tour[self.tour.len() - 1]
    }
    fn visit(&mut self, pos: usize) {
        let v = self.remaining.swap_remove(pos);
        self.tour.push(v);
    }
}

/// The TSP MDP over a set of coordinate lists; every tour starts at node `start`.
#[derive(Debug, Clone)]
pub struct TspMdp<'a> {
    pub instances: Vec<&'a [[f64; 2]]>,
    pub start: usize,
}

impl Mdp for TspMdp<'_> {
    type Row = TspRow;
    type Solution = Vec<usize>;
    const IN_DIM: usize = 2;
    const HEADS: usize = 1;

    fn start(&self, inst: usize) -> TspRow {
        let n = self.instances.get(inst).map_or(0, |xy| xy.len());
        let start = self.start.min(n.saturating_sub(1));
        TspRow {
            inst,
            tour: if n == 0 { Vec::new() } else { vec![start] },
            remaining: (0..n).filter(|&v| v != start).collect(),
        }
    }

    fn live(&self, row: &TspRow) -> bool {
        row.remaining.len() > 1
    }

    fn candidates(&self, row: &TspRow, window: usize) -> Vec<usize> {
        nearest_window(
            self.instances[row.inst],
            row.origin(),
            &row.remaining,
            window,
        )
    }

    fn encode(&self, row: &TspRow, cands: &[usize], out: &mut Vec<f32>) {
        let xy = self.instances[row.inst];
        let nodes = || {
            [row.origin(), row.tour[0]]
                .into_iter()
                .chain(cands.iter().map(|&p| row.remaining[p]))
        };
        let (lo, span) = frame(xy, nodes());
        for v in nodes() {
            out.push(((xy[v][0] - lo[0]) / span) as f32);
            out.push(((xy[v][1] - lo[1]) / span) as f32);
        }
    }

    fn choice_logits(&self, _row: &TspRow, cands: &[usize], scores: &[f32]) -> Vec<f32> {
        scores[2..cands.len() + 2].to_vec()
    }

    fn apply(&self, row: &mut TspRow, cands: &[usize], choice: usize) {
        row.visit(cands[choice]);
    }

    fn finish(&self, row: &mut TspRow) {
        let xy = self.instances[row.inst];
        while let Some(p) = nearest(xy, row.origin(), &row.remaining, |_| true) {
            row.visit(p);
        }
    }

    fn cost(&self, row: &TspRow) -> f64 {
        let xy = self.instances[row.inst];
        let t = &row.tour;
        (0..t.len())
            .map(|i| d2(xy[t[i]], xy[t[(i + 1) % t.len()]]).sqrt())
            .sum()
    }

    fn solution(&self, row: TspRow) -> Vec<usize> {
        row.tour
    }
}

/// A decoder of the TSP policy over `instances` (coordinate lists), tours starting at node 0.
pub fn decoder<'a>(
    model: &'a Model,
    instances: Vec<&'a [[f64; 2]]>,
    opts: DecodeOptions,
) -> Decoder<'a, TspMdp<'a>> {
    Decoder {
        model,
        mdp: TspMdp {
            instances,
            start: 0,
        },
        opts,
    }
}

pub use decode::DEFAULT_WINDOW;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_encoded_origin_destination_candidates_in_the_unit_box() {
        let xy = [[10.0, 10.0], [30.0, 10.0], [20.0, 50.0], [10.0, 20.0]];
        let mdp = TspMdp {
            instances: vec![&xy],
            start: 0,
        };
        let mut row = mdp.start(0);
        // Visit node 3 (position of 3 in remaining).
        let p = row.remaining.iter().position(|&v| v == 3).unwrap();
        mdp.apply(&mut row, &[p], 0);
        let cands = mdp.candidates(&row, 0);
        let mut out = Vec::new();
        mdp.encode(&row, &cands, &mut out);
        assert_eq!(out.len(), (cands.len() + 2) * 2);
        // Origin 3 = (10, 20), destination 0 = (10, 10); box x 10..30, y 10..50, span 40.
        assert_eq!(&out[..4], &[0.0, 0.25, 0.0, 0.0]);
        assert!(out.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert!(out.chunks(2).any(|c| c == [0.25, 1.0]));
        assert!(mdp.live(&row));
        mdp.finish(&mut row);
        let mut t = row.tour.clone();
        t.sort_unstable();
        assert_eq!(t, vec![0, 1, 2, 3]);
        assert!((mdp.cost(&row) - mdp.cost(&row.clone())).abs() < 1e-12);
    }
}

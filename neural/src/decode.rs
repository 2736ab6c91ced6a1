//! The policy decoders, shared by every BQ-MDP ([`Mdp`]: the TSP's and the CVRP's): greedy
//! decoding batched over instances, beam search (beams in the batch dimension) and sampling.
//! A family says how a state is encoded, which choices its scores stand for (masks included),
//! how a choice changes the state, and how to finish a state without the model when the budget
//! runs out.

use crate::NeuralError;
use crate::runtime::Model;
use quotient_solvers::engine::Budget;
use rand::Rng;
use std::collections::BTreeMap;

/// One BQ-MDP: its states (`Row`), their encoding and transitions.
pub trait Mdp {
    /// A partial solution of one instance.
    type Row: Clone;
    /// The finished solution.
    type Solution;
    /// Features per input node.
    const IN_DIM: usize;
    /// Scores per input node.
    const HEADS: usize;

    /// The start state of instance `inst`.
    fn start(&self, inst: usize) -> Self::Row;
    /// Whether the state still needs a decision by the model.
    fn live(&self, row: &Self::Row) -> bool;
    /// The candidate nodes fed to the model (at most `window`; 0: all).
    fn candidates(&self, row: &Self::Row, window: usize) -> Vec<usize>;
    /// Append the `(cands.len() + 2) * IN_DIM` input features of the state.
    fn encode(&self, row: &Self::Row, cands: &[usize], out: &mut Vec<f32>);
    /// The logits of the choices, from the `(cands.len() + 2) * HEADS` scores of the state;
    /// impossible choices get `-inf`.
    fn choice_logits(&self, row: &Self::Row, cands: &[usize], scores: &[f32]) -> Vec<f32>;
    /// Apply choice `choice` (an index into `choice_logits`).
    fn apply(&self, row: &mut Self::Row, cands: &[usize], choice: usize);
    /// Finish the state without the model (nearest neighbour), when decoding stops early.
    fn finish(&self, row: &mut Self::Row);
    /// The cost of a finished state (to pick the best beam or sample).
    fn cost(&self, row: &Self::Row) -> f64;
    /// The finished solution of a finished state.
    fn solution(&self, row: Self::Row) -> Self::Solution;
}

/// How to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Beam width (1: greedy).
    pub beam: usize,
    /// Sampled solutions (0: none).
    pub samples: usize,
    /// Most candidates fed to the model per step (0: all unvisited nodes).
    pub window: usize,
    /// Most states per model call (memory bound for big beams or batches).
    pub max_batch: usize,
}

/// Candidates per step by default: BQ-NCO's k-NN window; every state of a 100-node instance
/// sees all its nodes.
pub const DEFAULT_WINDOW: usize = 100;

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            beam: 1,
            samples: 0,
            window: DEFAULT_WINDOW,
            max_batch: 256,
        }
    }
}

/// What decoding produced for one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<S> {
    pub solution: S,
    /// Decoding steps (model calls per state) made for this instance.
    pub steps: usize,
    /// The budget ran out and the solution was finished by nearest neighbour.
    pub truncated: bool,
}

/// A model and an MDP over a set of instances.
#[derive(Debug)]
pub struct Decoder<'a, M: Mdp> {
    pub model: &'a Model,
    pub mdp: M,
    pub opts: DecodeOptions,
}

impl<M: Mdp> Decoder<'_, M> {
    /// Choice log-probabilities of every state, one model call per chunk of states. States in
    /// one call have the same number of candidates; the callers group them.
    fn score(&self, items: &[(&M::Row, &[usize])]) -> Result<Vec<Vec<f64>>, NeuralError> {
        let mut out = Vec::with_capacity(items.len());
        for chunk in items.chunks(self.opts.max_batch.max(1)) {
            let w = chunk[0].1.len() + 2;
            let mut input = Vec::with_capacity(chunk.len() * w * M::IN_DIM);
            for &(r, c) in chunk {
                self.mdp.encode(r, c, &mut input);
            }
            let s = self.model.run(&input, &[chunk.len(), w, M::IN_DIM])?;
            if s.shape != [chunk.len(), w, M::HEADS] {
                return Err(NeuralError::BadOutput {
                    name: self.model.entry.name.clone(),
                    shape: s.shape,
                    expected: format!("[{}, {w}, {}]", chunk.len(), M::HEADS),
                });
            }
            let per = w * M::HEADS;
            for (b, &(r, c)) in chunk.iter().enumerate() {
                let logits = self
                    .mdp
                    .choice_logits(r, c, &s.data[b * per..(b + 1) * per]);
                out.push(log_softmax(&logits));
            }
        }
        Ok(out)
    }

    /// One decoding step of every live state in `rows`: states with the same number of
    /// candidates share a model call, `pick` chooses from each state's choice log-probabilities.
    /// Returns the rows that advanced.
    fn step(
        &self,
        rows: &mut [M::Row],
        mut pick: impl FnMut(&[f64]) -> usize,
    ) -> Result<Vec<usize>, NeuralError> {
        let mut groups: BTreeMap<usize, Vec<(usize, Vec<usize>)>> = BTreeMap::new();
        for (r, row) in rows.iter().enumerate() {
            if self.mdp.live(row) {
                let c = self.mdp.candidates(row, self.opts.window);
                groups.entry(c.len()).or_default().push((r, c));
            }
        }
        let mut advanced = Vec::new();
        for group in groups.values() {
            let items: Vec<(&M::Row, &[usize])> = group
                .iter()
                .map(|(r, c)| (&rows[*r], c.as_slice()))
                .collect();
            let lp = self.score(&items)?;
            for ((r, c), l) in group.iter().zip(&lp) {
                let choice = pick(l);
                self.mdp.apply(&mut rows[*r], c, choice);
                advanced.push(*r);
            }
        }
        Ok(advanced)
    }

    /// Greedy solutions of every instance, batched: states with the same number of candidates
    /// advance together, one model call per step.
    pub fn greedy(
        &self,
        instances: usize,
        budget: &Budget,
    ) -> Result<Vec<Decoded<M::Solution>>, NeuralError> {
        let mut rows: Vec<M::Row> = (0..instances).map(|i| self.mdp.start(i)).collect();
        let mut steps = vec![0usize; rows.len()];
        let mut truncated = vec![false; rows.len()];
        while rows.iter().any(|r| self.mdp.live(r)) {
            if budget.is_exhausted() {
                for (r, row) in rows.iter().enumerate() {
                    truncated[r] = self.mdp.live(row);
                }
                break;
            }
            for r in self.step(&mut rows, argmax)? {
                steps[r] += 1;
            }
        }
        Ok(rows
            .into_iter()
            .zip(steps)
            .zip(truncated)
            .map(|((mut row, steps), truncated)| {
                self.mdp.finish(&mut row);
                Decoded {
                    solution: self.mdp.solution(row),
                    steps,
                    truncated,
                }
            })
            .collect())
    }

    /// Beam search (width `opts.beam`) on instance `inst`; the beam of least cost wins.
    pub fn beam(&self, inst: usize, budget: &Budget) -> Result<Decoded<M::Solution>, NeuralError> {
        let width = self.opts.beam.max(1);
        // Each beam with the sum of the log-probabilities of its choices.
        let mut beams = vec![(0.0, self.mdp.start(inst))];
        let mut steps = 0;
        let mut truncated = false;
        while beams.iter().any(|(_, b)| self.mdp.live(b)) {
            if budget.is_exhausted() {
                truncated = true;
                break;
            }
            let cands: Vec<Vec<usize>> = beams
                .iter()
                .map(|(_, r)| self.mdp.candidates(r, self.opts.window))
                .collect();
            let items: Vec<(&M::Row, &[usize])> = beams
                .iter()
                .zip(&cands)
                .map(|((_, r), c)| (r, c.as_slice()))
                .collect();
            let lp = self.score(&items)?;
            steps += 1;
            let mut next: Vec<(f64, usize, usize)> = Vec::new();
            for (b, l) in lp.iter().enumerate() {
                for (j, &v) in l.iter().enumerate() {
                    if v.is_finite() {
                        next.push((beams[b].0 + v, b, j));
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            let keep = width.min(next.len());
            next.select_nth_unstable_by(keep - 1, |a, b| b.0.total_cmp(&a.0));
            next.truncate(keep);
            next.sort_by(|a, b| b.0.total_cmp(&a.0));
            beams = next
                .into_iter()
                .map(|(logp, b, j)| {
                    let mut r = beams[b].1.clone();
                    self.mdp.apply(&mut r, &cands[b], j);
                    (logp, r)
                })
                .collect();
        }
        let rows = beams.into_iter().map(|(_, r)| r).collect();
        Ok(self.best_of(inst, rows, steps, truncated))
    }

    /// `opts.samples` solutions sampled from the policy on instance `inst`; the cheapest wins.
    pub fn sample<R: Rng>(
        &self,
        inst: usize,
        budget: &Budget,
        rng: &mut R,
    ) -> Result<Decoded<M::Solution>, NeuralError> {
        let mut rows = vec![self.mdp.start(inst); self.opts.samples.max(1)];
        let mut steps = 0;
        let mut truncated = false;
        while rows.iter().any(|r| self.mdp.live(r)) {
            if budget.is_exhausted() {
                truncated = true;
                break;
            }
            self.step(&mut rows, |l| sample_index(l, rng))?;
            steps += 1;
        }
        Ok(self.best_of(inst, rows, steps, truncated))
    }

    /// The cheapest of `rows` (states of instance `inst`), finished.
    fn best_of(
        &self,
        inst: usize,
        rows: Vec<M::Row>,
        steps: usize,
        truncated: bool,
    ) -> Decoded<M::Solution> {
        let mut best: Option<(f64, M::Row)> = None;
        for mut r in rows {
            self.mdp.finish(&mut r);
            let c = self.mdp.cost(&r);
            if best.as_ref().is_none_or(|(b, _)| c < *b) {
                best = Some((c, r));
            }
        }
        let row = match best {
            Some((_, r)) => r,
            None => {
                let mut r = self.mdp.start(inst);
                self.mdp.finish(&mut r);
                r
            }
        };
        Decoded {
            solution: self.mdp.solution(row),
            steps,
            truncated,
        }
    }
}

/// Per-state normalisation of coordinates, exactly as the training code does
/// (`neural/train/bq/model.py::normalise`): the bounding box's low corner moves to 0 and both
/// axes are divided by the box's larger side. Returns (low corner, span).
pub(crate) fn frame(xy: &[[f64; 2]], nodes: impl Iterator<Item = usize>) -> ([f64; 2], f64) {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for v in nodes {
        let [x, y] = xy[v];
        lo = [lo[0].min(x), lo[1].min(y)];
        hi = [hi[0].max(x), hi[1].max(y)];
    }
    (lo, (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-9))
}

/// Squared Euclidean distance.
pub(crate) fn d2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// Log-softmax of scores; `-inf` scores (masked choices) stay `-inf`.
pub(crate) fn log_softmax(scores: &[f32]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    if !max.is_finite() {
        return vec![f64::NEG_INFINITY; scores.len()];
    }
    let sum: f64 = scores.iter().map(|&s| (s as f64 - max).exp()).sum();
    let lse = max + sum.ln();
    scores.iter().map(|&s| s as f64 - lse).collect()
}

/// Index of the largest value (the first one on ties).
pub(crate) fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// An index drawn from the distribution whose log-probabilities are `logp`.
pub(crate) fn sample_index<R: Rng>(logp: &[f64], rng: &mut R) -> usize {
    let u: f64 = rng.random();
    let mut acc = 0.0;
    let mut last = argmax(logp);
    for (j, &v) in logp.iter().enumerate() {
        if v.is_finite() {
            last = j;
            acc += v.exp();
            if u < acc {
                return j;
            }
        }
    }
    last
}

/// Position (in `nodes`) of the node nearest to `origin` among those `ok` accepts.
pub(crate) fn nearest(
    xy: &[[f64; 2]],
    origin: usize,
    nodes: &[usize],
    ok: impl Fn(usize) -> bool,
) -> Option<usize> {
    let o = xy[origin];
    (0..nodes.len())
        .filter(|&p| ok(nodes[p]))
        .min_by(|&a, &b| d2(o, xy[nodes[a]]).total_cmp(&d2(o, xy[nodes[b]])))
}

/// Positions (in `nodes`) of the candidates of a state: all, or the `window` nearest to
/// `origin`.
pub(crate) fn nearest_window(
    xy: &[[f64; 2]],
    origin: usize,
    nodes: &[usize],
    window: usize,
) -> Vec<usize> {
    let m = nodes.len();
    if window == 0 || m <= window {
        return (0..m).collect();
    }
    let o = xy[origin];
    let mut by: Vec<(f64, usize)> = nodes
        .iter()
        .enumerate()
        .map(|(p, &v)| (d2(o, xy[v]), p))
        .collect();
    by.select_nth_unstable_by(window - 1, |a, b| a.0.total_cmp(&b.0));
    by.truncate(window);
    by.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn log_softmax_is_a_distribution_and_keeps_masks() {
        let l = log_softmax(&[1.0, f32::NEG_INFINITY, 3.0, 0.5]);
        let total: f64 = l.iter().map(|v| v.exp()).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(l[1], f64::NEG_INFINITY);
        assert_eq!(argmax(&l), 2);
        assert!(
            log_softmax(&[f32::NEG_INFINITY; 3])
                .iter()
                .all(|v| *v == f64::NEG_INFINITY)
        );
    }

    #[test]
    fn sampling_follows_the_probabilities_and_never_picks_a_masked_choice() {
        let l = log_softmax(&[0.0, f32::NEG_INFINITY, (3.0f32).ln()]);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0usize; 3];
        for _ in 0..20_000 {
            counts[sample_index(&l, &mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let share = counts[2] as f64 / 20_000.0;
        assert!((share - 0.75).abs() < 0.02, "{share}");
    }

    #[test]
    fn the_window_holds_the_nearest_nodes() {
        let xy: Vec<[f64; 2]> = (0..50).map(|i| [i as f64, 0.0]).collect();
        let nodes: Vec<usize> = (1..50).rev().collect();
        let mut w: Vec<usize> = nearest_window(&xy, 0, &nodes, 5)
            .into_iter()
            .map(|p| nodes[p])
            .collect();
        w.sort_unstable();
        assert_eq!(w, vec![1, 2, 3, 4, 5]);
        assert_eq!(nearest_window(&xy, 0, &nodes, 0).len(), 49);
    }
}

//! Independent TSP / ATSP tour checker. It shares no code with any solver: the tour length is
//! summed here from the model's TSPLIB distance definition (`TspInstance::dist`).

use super::model::{TspInstance, TspSolution, Weights};
use crate::check::{CheckReport, Violation};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A violated tour constraint. Positions and nodes are 0-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TspViolation {
    /// The tour does not have exactly `n` entries.
    WrongLength { expected: usize, found: usize },
    /// `tour[position] = node` is not a node of the instance (`node >= n`).
    NodeOutOfRange { position: usize, node: usize },
    /// `node` is visited at positions `first` and `second` (one entry per repeat).
    DuplicateNode {
        node: usize,
        first: usize,
        second: usize,
    },
    /// `node` is never visited.
    MissingNode { node: usize },
    /// The fixed edge `a - b` (for ATSP the arc `a -> b`) is not traversed by the tour.
    FixedEdgeMissing { a: usize, b: usize },
    /// The instance itself is malformed (an explicit matrix that is not `n x n`), so no tour
    /// can be evaluated. Only hand-built or deserialized instances can be like this.
    MalformedInstance { detail: String },
}

impl Violation for TspViolation {
    fn kind(&self) -> &'static str {
        match self {
            TspViolation::WrongLength { .. } => "wrong_length",
            TspViolation::NodeOutOfRange { .. } => "node_out_of_range",
            TspViolation::DuplicateNode { .. } => "duplicate_node",
            TspViolation::MissingNode { .. } => "missing_node",
            TspViolation::FixedEdgeMissing { .. } => "fixed_edge_missing",
            TspViolation::MalformedInstance { .. } => "malformed_instance",
        }
    }

    fn is_structural(&self) -> bool {
        matches!(
            self,
            TspViolation::WrongLength { .. } | TspViolation::NodeOutOfRange { .. }
        )
    }
}

/// Whether `inst.dist` is safe for all `i, j < n`.
fn matrix_ok(inst: &TspInstance) -> Result<(), String> {
    match &inst.weights {
        Weights::Matrix { n, matrix } if Some(matrix.len()) != n.checked_mul(*n) => Err(format!(
            "explicit matrix has {} entries for n = {n}",
            matrix.len()
        )),
        _ => Ok(()),
    }
}

/// Closed tour length `sum dist(tour[k], tour[k+1]) + dist(tour[last], tour[0])`.
/// `None` if any index is out of range, the sum does not fit in an `i64`, or the instance's
/// matrix is malformed. An empty tour has length 0.
pub fn tour_length(inst: &TspInstance, tour: &[usize]) -> Option<i64> {
    let n = inst.n();
    if matrix_ok(inst).is_err() || tour.iter().any(|&v| v >= n) {
        return None;
    }
    let (Some(&first), Some(&last)) = (tour.first(), tour.last()) else {
        return Some(0);
    };
    let mut sum: i128 = 0;
    for w in tour.windows(2) {
        sum += inst.dist(w[0], w[1]) as i128;
    }
    sum += inst.dist(last, first) as i128;
    i64::try_from(sum).ok()
}

/// Check a tour: exactly `n` entries, each node `0..n` exactly once, every fixed edge used.
/// The objective is the closed tour length; when some entries are out of range it is the sum
/// over the consecutive (cyclic) pairs whose both ends are valid. Never panics.
pub fn check(inst: &TspInstance, sol: &TspSolution) -> CheckReport<TspViolation> {
    let n = inst.n();
    let tour = &sol.tour;
    if let Err(detail) = matrix_ok(inst) {
        return CheckReport {
            objective: 0.0,
            violations: vec![TspViolation::MalformedInstance { detail }],
        };
    }
    let mut violations = Vec::new();

    if tour.len() != n {
        violations.push(TspViolation::WrongLength {
            expected: n,
            found: tour.len(),
        });
    }

    // First position of each node; out-of-range and repeated entries in position order.
    let mut first_pos: Vec<Option<usize>> = vec![None; n];
    for (position, &node) in tour.iter().enumerate() {
        if node >= n {
            violations.push(TspViolation::NodeOutOfRange { position, node });
            continue;
        }
        match first_pos[node] {
            None => first_pos[node] = Some(position),
            Some(first) => violations.push(TspViolation::DuplicateNode {
                node,
                first,
                second: position,
            }),
        }
    }
    for (node, p) in first_pos.iter().enumerate() {
        if p.is_none() {
            violations.push(TspViolation::MissingNode { node });
        }
    }

    // Objective over valid cyclic consecutive pairs, and the set of traversed pairs.
    let mut sum: i128 = 0;
    let len = tour.len();
    let symmetric = inst.is_symmetric();
    let need_edges = !inst.fixed_edges.is_empty();
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    if len > 0 {
        for k in 0..len {
            let a = tour[k];
            let b = tour[(k + 1) % len];
            if a < n && b < n {
                sum += inst.dist(a, b) as i128;
                if need_edges {
                    used.insert(if symmetric {
                        (a.min(b), a.max(b))
                    } else {
                        (a, b)
                    });
                }
            }
        }
    }
    for &(a, b) in &inst.fixed_edges {
        let key = if symmetric {
            (a.min(b), a.max(b))
        } else {
            (a, b)
        };
        if !used.contains(&key) {
            violations.push(TspViolation::FixedEdgeMissing { a, b });
        }
    }

    CheckReport {
        objective: sum as f64,
        violations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tsp::model::{CoordMetric, TspKind};

    fn square() -> TspInstance {
        TspInstance {
            name: "sq".into(),
            comment: String::new(),
            kind: TspKind::Tsp,
            weights: Weights::Coords {
                metric: CoordMetric::Euc2d,
                coords: vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]],
            },
            fixed_edges: vec![],
            display: None,
            edge_weight_format: None,
        }
    }

    #[test]
    fn valid_square() {
        let r = check(
            &square(),
            &TspSolution {
                tour: vec![0, 1, 2, 3],
            },
        );
        assert!(r.is_feasible());
        assert_eq!(r.objective, 40.0);
        assert_eq!(
            tour_length(&square(), &[0, 2, 1, 3]),
            Some(10 + 14 + 14 + 10)
        );
    }

    #[test]
    fn broken_tours() {
        let inst = square();
        let r = check(
            &inst,
            &TspSolution {
                tour: vec![0, 1, 1, 3],
            },
        );
        assert_eq!(
            r.violations,
            vec![
                TspViolation::DuplicateNode {
                    node: 1,
                    first: 1,
                    second: 2
                },
                TspViolation::MissingNode { node: 2 }
            ]
        );
        assert_eq!(r.objective, 10.0 + 0.0 + 14.0 + 10.0);
        let r = check(
            &inst,
            &TspSolution {
                tour: vec![0, 1, 7, 3],
            },
        );
        assert_eq!(
            r.violations,
            vec![
                TspViolation::NodeOutOfRange {
                    position: 2,
                    node: 7
                },
                TspViolation::MissingNode { node: 2 }
            ]
        );
        assert_eq!(r.objective, 10.0 + 10.0);
        assert_eq!(tour_length(&inst, &[0, 1, 7, 3]), None);
        let r = check(&inst, &TspSolution { tour: vec![] });
        assert_eq!(r.objective, 0.0);
        assert_eq!(r.violations.len(), 5);
        let r = check(
            &inst,
            &TspSolution {
                tour: vec![usize::MAX],
            },
        );
        assert_eq!(r.objective, 0.0);
    }

    #[test]
    fn malformed_matrix_does_not_panic() {
        let mut inst = square();
        inst.weights = Weights::Matrix {
            n: 4,
            matrix: vec![1, 2, 3],
        };
        assert!(inst.validate().is_err());
        let r = check(
            &inst,
            &TspSolution {
                tour: vec![0, 1, 2, 3],
            },
        );
        assert!(matches!(
            r.violations[..],
            [TspViolation::MalformedInstance { .. }]
        ));
        assert_eq!(tour_length(&inst, &[0, 1, 2, 3]), None);
        inst.weights = Weights::Matrix {
            n: usize::MAX,
            matrix: vec![],
        };
        assert!(!check(&inst, &TspSolution { tour: vec![0] }).is_feasible());
        assert!(square().validate().is_ok());
    }

    #[test]
    fn fixed_edges_direction() {
        let mut inst = square();
        inst.fixed_edges = vec![(2, 1)];
        assert!(
            check(
                &inst,
                &TspSolution {
                    tour: vec![0, 1, 2, 3]
                }
            )
            .is_feasible()
        );
        inst.kind = TspKind::Atsp;
        let r = check(
            &inst,
            &TspSolution {
                tour: vec![0, 1, 2, 3],
            },
        );
        assert_eq!(
            r.violations,
            vec![TspViolation::FixedEdgeMissing { a: 2, b: 1 }]
        );
        assert!(
            check(
                &inst,
                &TspSolution {
                    tour: vec![0, 3, 2, 1]
                }
            )
            .is_feasible()
        );
    }
}

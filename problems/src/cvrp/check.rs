//! Independent CVRP checker: recomputes the objective from the instance data alone and reports
//! every violated constraint. It shares no code with any solver (not even
//! [`CvrpInstance::dist`]: distances are recomputed here) and never panics, whatever the
//! solution or instance contains.
//!
//! * Objective = total travel distance of the non-empty routes (depot -> customers -> depot),
//!   **without** service times, summed in `f64` in route order.
//! * Route length for the `DISTANCE` limit = travel + the service time of each customer on it.
//!   When every quantity is integral (rounded conventions, integral matrix, limit and service
//!   time) it is compared exactly; otherwise a relative tolerance
//!   ([`CheckOptions::relative_tolerance`], default 1e-6) is allowed.
//! * Routes are numbered by their index in `CvrpSolution::routes` (0-based), positions by their
//!   index in the route. Empty routes are ignored (cost 0, not counted as vehicles).
//! * Nodes that are out of range or the depot are reported and skipped when measuring the route.
//! * `VEHICLES` is not enforced by default (CVRPLIB compares against an unlimited fleet); see
//!   [`check_with`] and [`CheckOptions::enforce_vehicles`].
//! * An instance whose weights do not match its number of nodes gets an
//!   [`CvrpViolation::InconsistentInstance`] and an objective of 0 (nothing can be measured).

use super::model::{CvrpInstance, CvrpSolution, CvrpWeights, Rounding};
use crate::check::{CheckReport, Violation};
use serde::{Deserialize, Serialize};

/// One violated constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CvrpViolation {
    /// `node` at `position` of `route` is not a node of the instance (`node >= n`).
    CustomerOutOfRange {
        route: usize,
        position: usize,
        node: usize,
    },
    /// The depot (node 0) appears inside a route (it is implicit at both ends).
    DepotInRoute { route: usize, position: usize },
    /// `customer` is visited more than once (`first_route == second_route` within one route).
    DuplicateCustomer {
        customer: usize,
        first_route: usize,
        second_route: usize,
    },
    /// `customer` is never visited.
    MissingCustomer { customer: usize },
    /// The demand on `route` exceeds the capacity by `excess`.
    CapacityExceeded {
        route: usize,
        load: i64,
        capacity: i64,
        excess: i64,
    },
    /// Travel + service time of `route` exceeds the `DISTANCE` limit by `excess`.
    RouteTooLong {
        route: usize,
        length: f64,
        limit: f64,
        excess: f64,
    },
    /// More non-empty routes than `VEHICLES` (only with `enforce_vehicles`).
    TooManyRoutes { routes: usize, vehicles: usize },
    /// The instance itself is malformed (weights do not match the node count).
    InconsistentInstance { detail: String },
}

impl Violation for CvrpViolation {
    fn kind(&self) -> &'static str {
        match self {
            CvrpViolation::CustomerOutOfRange { .. } => "customer_out_of_range",
            CvrpViolation::DepotInRoute { .. } => "depot_in_route",
            CvrpViolation::DuplicateCustomer { .. } => "duplicate_customer",
            CvrpViolation::MissingCustomer { .. } => "missing_customer",
            CvrpViolation::CapacityExceeded { .. } => "capacity_exceeded",
            CvrpViolation::RouteTooLong { .. } => "route_too_long",
            CvrpViolation::TooManyRoutes { .. } => "too_many_routes",
            CvrpViolation::InconsistentInstance { .. } => "inconsistent_instance",
        }
    }

    fn is_structural(&self) -> bool {
        matches!(self, CvrpViolation::CustomerOutOfRange { .. })
    }
}

/// Options of [`check_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// Report [`CvrpViolation::TooManyRoutes`] when the instance fixes `VEHICLES`.
    pub enforce_vehicles: bool,
    /// Relative tolerance on the route-length limit when lengths are not integral.
    pub relative_tolerance: f64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            enforce_vehicles: false,
            relative_tolerance: 1e-6,
        }
    }
}

/// Check `sol` against `inst` with the default options (unlimited fleet).
pub fn check(inst: &CvrpInstance, sol: &CvrpSolution) -> CheckReport<CvrpViolation> {
    check_with(inst, sol, CheckOptions::default())
}

/// Distances recomputed here, independently of the model's helper, with bounds checks.
struct Metric<'a> {
    inst: &'a CvrpInstance,
}

impl Metric<'_> {
    fn dist(&self, i: usize, j: usize) -> f64 {
        if i == j {
            return 0.0;
        }
        match &self.inst.weights {
            CvrpWeights::Coords { rounding, coords } => {
                let (Some(a), Some(b)) = (coords.get(i), coords.get(j)) else {
                    return 0.0;
                };
                let dx = a[0] - b[0];
                let dy = a[1] - b[1];
                // The TSPLIB formula (not `hypot`, which may differ in the last bit).
                let e = (dx * dx + dy * dy).sqrt();
                match rounding {
                    Rounding::Nearest => (e + 0.5).floor(),
                    Rounding::Ceil => e.ceil(),
                    Rounding::Exact => e,
                }
            }
            CvrpWeights::Matrix { n, matrix } => i
                .checked_mul(*n)
                .and_then(|r| r.checked_add(j))
                .and_then(|k| matrix.get(k))
                .copied()
                .unwrap_or(0.0),
        }
    }

    /// Whether route lengths are sums of integers (then the limit is compared exactly).
    fn integral(&self) -> bool {
        let int = |x: f64| x.fract() == 0.0;
        let w = match &self.inst.weights {
            CvrpWeights::Coords { rounding, .. } => *rounding != Rounding::Exact,
            CvrpWeights::Matrix { matrix, .. } => matrix.iter().all(|&x| int(x)),
        };
        w && self.inst.service_time.is_none_or(int) && self.inst.distance_limit.is_none_or(int)
    }
}

fn weights_problem(inst: &CvrpInstance) -> Option<String> {
    let n = inst.n();
    match &inst.weights {
        CvrpWeights::Coords { coords, .. } if coords.len() != n => {
            Some(format!("{} coordinates for {n} nodes", coords.len()))
        }
        CvrpWeights::Matrix { n: m, matrix }
            if *m != n || Some(matrix.len()) != n.checked_mul(n) =>
        {
            Some(format!(
                "a {m}x{m} matrix with {} entries for {n} nodes",
                matrix.len()
            ))
        }
        _ => None,
    }
}

/// Check `sol` against `inst`: the objective recomputed from scratch and every violation.
pub fn check_with(
    inst: &CvrpInstance,
    sol: &CvrpSolution,
    opts: CheckOptions,
) -> CheckReport<CvrpViolation> {
    let n = inst.n();
    let mut violations = Vec::new();
    let bad_instance = weights_problem(inst);
    if let Some(detail) = &bad_instance {
        violations.push(CvrpViolation::InconsistentInstance {
            detail: detail.clone(),
        });
    }
    let metric = Metric { inst };
    let exact_limit = metric.integral();
    let capacity = i128::from(inst.capacity);
    let service = inst.service_time.unwrap_or(0.0);

    // first_route[c] = route where customer c was first seen.
    let mut first_route: Vec<Option<usize>> = vec![None; n];
    let mut objective = 0.0_f64;
    let mut used_routes = 0usize;

    for (r, route) in sol.routes.iter().enumerate() {
        if route.is_empty() {
            continue;
        }
        used_routes += 1;
        let mut prev = 0usize;
        let mut travel = 0.0_f64;
        let mut load: i128 = 0;
        let mut served = 0usize;
        for (p, &c) in route.iter().enumerate() {
            if c == 0 {
                violations.push(CvrpViolation::DepotInRoute {
                    route: r,
                    position: p,
                });
                continue;
            }
            let Some(slot) = first_route.get_mut(c) else {
                violations.push(CvrpViolation::CustomerOutOfRange {
                    route: r,
                    position: p,
                    node: c,
                });
                continue;
            };
            match *slot {
                Some(first) => violations.push(CvrpViolation::DuplicateCustomer {
                    customer: c,
                    first_route: first,
                    second_route: r,
                }),
                None => *slot = Some(r),
            }
            load += i128::from(inst.demands.get(c).copied().unwrap_or(0));
            travel += metric.dist(prev, c);
            served += 1;
            prev = c;
        }
        travel += metric.dist(prev, 0);
        if bad_instance.is_none() {
            objective += travel;
        }
        if load > capacity {
            violations.push(CvrpViolation::CapacityExceeded {
                route: r,
                load: sat_i64(load),
                capacity: inst.capacity,
                excess: sat_i64(load - capacity),
            });
        }
        if let Some(limit) = inst.distance_limit {
            let mut length = travel;
            for _ in 0..served {
                length += service;
            }
            let tol = if exact_limit {
                0.0
            } else {
                opts.relative_tolerance * limit.abs().max(1.0)
            };
            if length > limit + tol {
                violations.push(CvrpViolation::RouteTooLong {
                    route: r,
                    length,
                    limit,
                    excess: length - limit,
                });
            }
        }
    }

    for (c, seen) in first_route.iter().enumerate().skip(1) {
        if seen.is_none() {
            violations.push(CvrpViolation::MissingCustomer { customer: c });
        }
    }

    if opts.enforce_vehicles
        && let Some(v) = inst.vehicles
        && used_routes > v
    {
        violations.push(CvrpViolation::TooManyRoutes {
            routes: used_routes,
            vehicles: v,
        });
    }

    CheckReport {
        objective,
        violations,
    }
}

fn sat_i64(x: i128) -> i64 {
    i64::try_from(x).unwrap_or(if x < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn inst() -> CvrpInstance {
        // depot at origin, customers on a line at x = 3, 4 (dist 3-4-5 triangle with (0,4)).
        CvrpInstance {
            name: "t".into(),
            comment: String::new(),
            capacity: 10,
            demands: vec![0, 4, 4, 7],
            weights: CvrpWeights::Coords {
                rounding: Rounding::Nearest,
                coords: vec![[0.0, 0.0], [3.0, 0.0], [3.0, 4.0], [0.0, 4.0]],
            },
            distance_limit: None,
            service_time: None,
            vehicles: Some(1),
            display: None,
        }
    }

    #[test]
    fn feasible_and_objective() {
        let i = inst();
        let s = CvrpSolution {
            routes: vec![vec![1, 2], vec![], vec![3]],
        };
        let r = check(&i, &s);
        assert!(r.is_feasible(), "{:?}", r.violations);
        assert_eq!(r.objective, 3.0 + 4.0 + 5.0 + 8.0);
        let r = check_with(
            &i,
            &s,
            CheckOptions {
                enforce_vehicles: true,
                ..CheckOptions::default()
            },
        );
        assert_eq!(
            r.violations,
            vec![CvrpViolation::TooManyRoutes {
                routes: 2,
                vehicles: 1
            }]
        );
    }

    #[test]
    fn every_violation() {
        let mut i = inst();
        i.distance_limit = Some(11.0);
        i.service_time = Some(0.5);
        let s = CvrpSolution {
            routes: vec![vec![1, 2, 3, 0, 9], vec![1]],
        };
        let r = check(&i, &s);
        assert_eq!(r.objective, 3.0 + 4.0 + 3.0 + 4.0 + 3.0 + 3.0);
        assert_eq!(
            r.violations,
            vec![
                CvrpViolation::DepotInRoute {
                    route: 0,
                    position: 3
                },
                CvrpViolation::CustomerOutOfRange {
                    route: 0,
                    position: 4,
                    node: 9
                },
                CvrpViolation::CapacityExceeded {
                    route: 0,
                    load: 15,
                    capacity: 10,
                    excess: 5
                },
                CvrpViolation::RouteTooLong {
                    route: 0,
                    length: 15.5,
                    limit: 11.0,
                    excess: 4.5
                },
                CvrpViolation::DuplicateCustomer {
                    customer: 1,
                    first_route: 0,
                    second_route: 1
                },
            ]
        );
        let r = check(&i, &CvrpSolution { routes: vec![] });
        assert_eq!(r.violations.len(), 3);
        assert!(matches!(
            r.violations[0],
            CvrpViolation::MissingCustomer { customer: 1 }
        ));
    }

    #[test]
    fn malformed_instance_never_panics() {
        let mut i = inst();
        i.weights = CvrpWeights::Matrix {
            n: 5,
            matrix: vec![1.0; 3],
        };
        let r = check(
            &i,
            &CvrpSolution {
                routes: vec![vec![1, 2, 3, usize::MAX]],
            },
        );
        assert!(matches!(
            r.violations[0],
            CvrpViolation::InconsistentInstance { .. }
        ));
        let mut i = inst();
        i.demands = vec![i64::MAX, i64::MAX, i64::MAX, i64::MAX];
        let r = check(
            &i,
            &CvrpSolution {
                routes: vec![vec![1, 2, 3]],
            },
        );
        assert!(matches!(
            r.violations[0],
            CvrpViolation::CapacityExceeded { load: i64::MAX, .. }
        ));
    }
}

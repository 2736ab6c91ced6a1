//! Typed violations: every family's violation serialises as `{"kind": "snake_case", ...}`,
//! `Violation::kind` is that same code, and `is_structural` tells shape errors from broken
//! constraints.

use quotient_problems::any::{self, AnyInstance, AnySolution, AnyViolation, Family};
use quotient_problems::check::Violation;
use quotient_problems::cvrp::check::CvrpViolation;
use quotient_problems::jssp::JsspSolution;
use quotient_problems::jssp::check::JsspViolation;
use quotient_problems::milp::check::MilpViolation;
use quotient_problems::tsp::TspSolution;
use quotient_problems::tsp::check::TspViolation;
use serde_json::json;

/// One value of every violation of every family, and whether it is structural.
fn every_violation() -> Vec<(AnyViolation, bool)> {
    let tsp = [
        (
            TspViolation::WrongLength {
                expected: 3,
                found: 2,
            },
            true,
        ),
        (
            TspViolation::NodeOutOfRange {
                position: 0,
                node: 9,
            },
            true,
        ),
        (
            TspViolation::DuplicateNode {
                node: 1,
                first: 0,
                second: 2,
            },
            false,
        ),
        (TspViolation::MissingNode { node: 1 }, false),
        (TspViolation::FixedEdgeMissing { a: 0, b: 1 }, false),
        (
            TspViolation::MalformedInstance { detail: "x".into() },
            false,
        ),
    ]
    .map(|(v, s)| (AnyViolation::Tsp(v), s));
    let cvrp = [
        (
            CvrpViolation::CustomerOutOfRange {
                route: 0,
                position: 1,
                node: 99,
            },
            true,
        ),
        (
            CvrpViolation::DepotInRoute {
                route: 0,
                position: 1,
            },
            false,
        ),
        (
            CvrpViolation::DuplicateCustomer {
                customer: 2,
                first_route: 0,
                second_route: 1,
            },
            false,
        ),
        (CvrpViolation::MissingCustomer { customer: 3 }, false),
        (
            CvrpViolation::CapacityExceeded {
                route: 0,
                load: 12,
                capacity: 10,
                excess: 2,
            },
            false,
        ),
        (
            CvrpViolation::RouteTooLong {
                route: 0,
                length: 12.0,
                limit: 10.0,
                excess: 2.0,
            },
            false,
        ),
        (
            CvrpViolation::TooManyRoutes {
                routes: 3,
                vehicles: 2,
            },
            false,
        ),
        (
            CvrpViolation::InconsistentInstance { detail: "x".into() },
            false,
        ),
    ]
    .map(|(v, s)| (AnyViolation::Cvrp(v), s));
    let jssp = [
        (
            JsspViolation::WrongJobCount {
                expected: 2,
                found: 1,
            },
            true,
        ),
        (
            JsspViolation::WrongOperationCount {
                job: 0,
                expected: 2,
                found: 1,
            },
            true,
        ),
        (
            JsspViolation::NegativeStart {
                job: 0,
                op: 0,
                start: -1,
            },
            false,
        ),
        (
            JsspViolation::Precedence {
                job: 0,
                op: 1,
                start: 0,
                earliest: 3,
                by: 3,
            },
            false,
        ),
        (
            JsspViolation::Overlap {
                machine: 0,
                first: (0, 0),
                second: (1, 0),
                by: 2,
            },
            false,
        ),
    ]
    .map(|(v, s)| (AnyViolation::Jssp(v), s));
    let milp = [
        (
            MilpViolation::WrongLength {
                expected: 2,
                found: 1,
            },
            true,
        ),
        (
            MilpViolation::NotFinite {
                var: "x".into(),
                value: f64::NAN,
            },
            false,
        ),
        (
            MilpViolation::BoundViolated {
                var: "x".into(),
                value: 2.0,
                lower: f64::NEG_INFINITY,
                upper: 1.0,
                by: 1.0,
            },
            false,
        ),
        (
            MilpViolation::NotIntegral {
                var: "x".into(),
                value: 0.5,
                by: 0.5,
            },
            false,
        ),
        (
            MilpViolation::RowViolated {
                row: "r".into(),
                activity: 3.0,
                lower: 0.0,
                upper: f64::INFINITY,
                by: 1.0,
            },
            false,
        ),
    ]
    .map(|(v, s)| (AnyViolation::Milp(v), s));
    tsp.into_iter()
        .chain(cvrp)
        .chain(jssp)
        .chain(milp)
        .collect()
}

#[test]
fn every_violation_serialises_with_its_kind_in_snake_case() {
    for (v, structural) in every_violation() {
        let j = serde_json::to_value(&v).expect("serialisable");
        let kind = j["kind"].as_str().expect("a kind field");
        assert_eq!(kind, v.kind(), "{j}");
        assert!(
            kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{kind}"
        );
        assert_eq!(v.is_structural(), structural, "{kind}");
        // Display is the same JSON object.
        assert_eq!(v.to_string(), j.to_string());
    }
}

#[test]
fn job_shop_violations_use_the_shared_style() {
    let v = JsspViolation::Overlap {
        machine: 1,
        first: (0, 2),
        second: (3, 1),
        by: 4,
    };
    assert_eq!(
        serde_json::to_value(&v).expect("serialisable"),
        json!({"kind": "overlap", "machine": 1, "first": [0, 2], "second": [3, 1], "by": 4})
    );
    let back: JsspViolation =
        serde_json::from_value(serde_json::to_value(&v).expect("serialisable"))
            .expect("round trip");
    assert_eq!(back, v);
}

#[test]
fn reports_carry_the_typed_list_and_its_json_form() {
    let inst = AnyInstance::Jssp(quotient_problems::jssp::generate::random(3, 2, 1));
    let rep = any::check(&inst, &AnySolution::Jssp(JsspSolution { start: vec![] }));
    assert!(!rep.feasible);
    assert_eq!(rep.typed.len(), rep.violations.len());
    assert_eq!(rep.typed[0].kind(), "wrong_job_count");
    assert!(rep.typed[0].is_structural());
    assert_eq!(rep.violations[0]["kind"], "wrong_job_count");
    // A solution of another family.
    let rep = any::check(&inst, &AnySolution::Tsp(TspSolution { tour: vec![0] }));
    assert_eq!(rep.typed.len(), 1);
    assert_eq!(rep.typed[0].kind(), "wrong_family");
    assert!(rep.typed[0].is_structural());
    assert_eq!(
        rep.violations[0],
        json!({"kind": "wrong_family", "instance": Family::Jssp, "solution": Family::Tsp})
    );
}

//! TSP / ATSP formats against the TSPLIB benchmark files: every instance parses with the right
//! size, every optimal tour checks to the published optimum, write -> read is the identity,
//! the checker reports hand-broken tours exactly, and hostile inputs fail cleanly.

use quotient_problems::ParseError;
use quotient_problems::tsp::{
    CoordMetric, TspInstance, TspKind, TspSolution, TspViolation, Weights, check, clustered,
    read_json, read_tour, read_tsplib, tour_length, uniform, write_tour, write_tsplib,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The shared benchmark folder: `$QUOTIENT_BENCH_DIR`, else `shared/bench` beside or above the
/// workspace root.
/// `None` (with a loud SKIPPED line) when it is absent: only the tests that need it are skipped.
fn bench_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("QUOTIENT_BENCH_DIR") {
        return Some(PathBuf::from(d));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for rel in ["../shared/bench", "../../shared/bench"] {
        let p = manifest.join(rel);
        if p.join("tsp").is_dir() {
            return Some(p);
        }
    }
    eprintln!(
        "SKIPPED: ../shared/bench not found (looked next to and above {})",
        manifest.display()
    );
    None
}

/// `name -> (n, optimal)` from an optimal.csv with columns `name,n,edge_weight_type,optimal`.
fn optimal_csv(path: &Path) -> HashMap<String, (usize, i64, String)> {
    let text = std::fs::read_to_string(path).expect("optimal.csv readable");
    let mut lines = text.lines();
    let header = lines.next().expect("header line");
    assert_eq!(
        header.trim(),
        "name,n,edge_weight_type,optimal",
        "{}",
        path.display()
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.trim().split(',').collect();
            assert_eq!(f.len(), 4, "bad csv line {l}");
            (
                f[0].to_string(),
                (
                    f[1].parse().expect("n"),
                    f[3].parse().expect("optimal"),
                    f[2].to_string(),
                ),
            )
        })
        .collect()
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("bench dir readable")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    v.sort();
    v
}

fn stem(p: &Path, ext: &str) -> String {
    let name = p.file_name().expect("file name").to_string_lossy();
    name.strip_suffix(ext).expect("extension").to_string()
}

fn read_file(p: &Path) -> TspInstance {
    let text = std::fs::read_to_string(p).expect("readable");
    let inst = read_tsplib(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    inst.validate()
        .unwrap_or_else(|e| panic!("{}: reader output fails validate: {e}", p.display()));
    inst
}

fn weight_type(inst: &TspInstance) -> &'static str {
    match &inst.weights {
        Weights::Coords { metric, .. } => metric.keyword(),
        Weights::Matrix { .. } => "EXPLICIT",
    }
}

#[test]
fn every_tsp_parses_with_the_listed_dimension() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("tsp");
    let opt = optimal_csv(&dir.join("optimal.csv"));
    let files = files_with_ext(&dir, ".tsp");
    assert_eq!(files.len(), 109);
    assert_eq!(opt.len(), 109);
    for p in &files {
        let name = stem(p, ".tsp");
        let inst = read_file(p);
        let (n, _, wt) = opt
            .get(&name)
            .unwrap_or_else(|| panic!("{name} not in optimal.csv"));
        assert_eq!(inst.n(), *n, "{name}");
        assert_eq!(inst.kind, TspKind::Tsp, "{name}");
        assert_eq!(weight_type(&inst), wt, "{name}");
        if let Weights::Matrix { n, matrix } = &inst.weights {
            assert_eq!(matrix.len(), n * n, "{name}");
            assert!(inst.edge_weight_format.is_some(), "{name}");
            // Symmetric formats are mirrored.
            for i in 0..*n {
                for j in 0..*n {
                    assert_eq!(matrix[i * n + j], matrix[j * n + i], "{name} ({i},{j})");
                }
            }
        } else {
            assert!(inst.edge_weight_format.is_none(), "{name}");
        }
    }
    let linhp = read_file(&dir.join("linhp318.tsp"));
    assert_eq!(linhp.fixed_edges, vec![(0, 213)]);
    let si175 = read_file(&dir.join("si175.tsp"));
    assert_eq!(si175.edge_weight_format.as_deref(), Some("UPPER_DIAG_ROW"));
}

#[test]
fn every_atsp_parses_with_the_listed_dimension() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("atsp");
    let opt = optimal_csv(&dir.join("optimal.csv"));
    let files = files_with_ext(&dir, ".atsp");
    assert_eq!(files.len(), 19);
    assert_eq!(opt.len(), 19);
    for p in &files {
        let name = stem(p, ".atsp");
        let inst = read_file(p);
        let (n, _, wt) = opt
            .get(&name)
            .unwrap_or_else(|| panic!("{name} not in optimal.csv"));
        assert_eq!(inst.n(), *n, "{name}");
        assert_eq!(inst.kind, TspKind::Atsp, "{name}");
        assert_eq!(wt, "EXPLICIT");
        assert_eq!(
            inst.edge_weight_format.as_deref(),
            Some("FULL_MATRIX"),
            "{name}"
        );
        for i in 0..inst.n() {
            assert_eq!(
                inst.dist(i, i),
                0,
                "{name}: dist ignores the dummy diagonal"
            );
        }
    }
    // br17 is the classic: asymmetric file format, symmetric-ish data, optimum 39.
    let br17 = read_file(&dir.join("br17.atsp"));
    assert_eq!(br17.dist(0, 1), 3);
}

#[test]
fn every_opt_tour_checks_to_the_optimum() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("tsp");
    let opt = optimal_csv(&dir.join("optimal.csv"));
    let tours = files_with_ext(&dir, ".opt.tour");
    assert_eq!(tours.len(), 32);
    let mut metrics = Vec::new();
    for t in &tours {
        let name = stem(t, ".opt.tour");
        let inst = read_file(&dir.join(format!("{name}.tsp")));
        let text = std::fs::read_to_string(t).expect("tour readable");
        let sol = read_tour(&text, inst.n()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = check(&inst, &sol);
        assert!(report.is_feasible(), "{name}: {:?}", report.violations);
        let (_, optimum, _) = opt[&name];
        assert_eq!(report.objective, optimum as f64, "{name}");
        assert_eq!(tour_length(&inst, &sol.tour), Some(optimum), "{name}");
        metrics.push(weight_type(&inst));
        // The written tour reads back the same and states the length.
        let written = write_tour(&inst, &sol);
        assert!(written.contains(&format!("Length {optimum}")), "{name}");
        assert_eq!(
            read_tour(&written, inst.n()).expect("own tour"),
            sol,
            "{name}"
        );
    }
    // The opt tours cover every distance function that has one.
    for m in ["EUC_2D", "ATT", "GEO", "EXPLICIT"] {
        assert!(metrics.contains(&m), "no opt tour for {m}");
    }
}

#[test]
fn distance_spot_checks() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("tsp");
    // att48 node 1 (6734 1453), node 2 (2233 10): ATT rounding.
    let att = read_file(&dir.join("att48.tsp"));
    let [a, b] = [[6734.0, 1453.0], [2233.0, 10.0]];
    assert_eq!(att.dist(0, 1), CoordMetric::Att.distance(a, b));
    // r = sqrt((4501^2 + 1443^2) / 10) = 1494.699; nint(r) = 1495 >= r.
    assert_eq!(att.dist(0, 1), 1495);
    // GEO: burma14 / ulysses16 via their optimum (opt tour of ulysses16 covers GEO exactly).
    let u16 = read_file(&dir.join("ulysses16.tsp"));
    assert_eq!(weight_type(&u16), "GEO");
    // CEIL_2D: dsj1000 distances are ceilings.
    let dsj = read_file(&dir.join("dsj1000.tsp"));
    assert_eq!(weight_type(&dsj), "CEIL_2D");
    let Weights::Coords { coords, .. } = &dsj.weights else {
        panic!("dsj1000 has coordinates")
    };
    let (p, q) = (coords[0], coords[1]);
    let exact = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
    assert_eq!(dsj.dist(0, 1), exact.ceil() as i64);
    assert_eq!(dsj.dist(0, 1), 709145); // sqrt(446916^2 + 550592^2) = 709144.18
}

#[test]
fn write_read_round_trip_on_bench_instances() {
    let Some(root) = bench_dir() else { return };
    let mut count = 0;
    for (sub, ext) in [("tsp", ".tsp"), ("atsp", ".atsp")] {
        for p in files_with_ext(&root.join(sub), ext) {
            let inst = read_file(&p);
            if inst.n() > 2000 {
                continue;
            }
            let text = write_tsplib(&inst);
            let back = read_tsplib(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(back, inst, "{}", p.display());
            let json = serde_json::to_string(&inst).expect("json");
            let back = read_json(&json).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(back, inst, "{} (JSON)", p.display());
            count += 1;
        }
    }
    assert!(count > 100, "{count}");
}

/// A small explicit symmetric instance stored under `fmt`.
fn explicit(n: usize, fmt: &str, seed: u64) -> TspInstance {
    let base = uniform(n, seed);
    let mut matrix = vec![0i64; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                matrix[i * n + j] = base.dist(i, j);
            }
        }
        if fmt.contains("DIAG") {
            matrix[i * n + i] = 9999; // a dummy diagonal survives the DIAG formats
        }
    }
    TspInstance {
        name: format!("explicit-{}", fmt.to_lowercase()),
        comment: "first line\nsecond line".into(),
        kind: TspKind::Tsp,
        weights: Weights::Matrix { n, matrix },
        fixed_edges: vec![(0, 1), (3, 2)],
        display: Some(vec![[1.5, -2.25]; n]),
        edge_weight_format: Some(fmt.to_string()),
    }
}

#[test]
fn write_read_round_trip_on_generated_instances() {
    let mut all = vec![
        uniform(1, 1),
        uniform(2, 1),
        uniform(500, 7),
        clustered(500, 10, 3),
        clustered(50, 0, 4),
    ];
    for fmt in quotient_problems::tsp::read::EXPLICIT_FORMATS {
        for n in [1, 2, 7] {
            let mut e = explicit(n, fmt, n as u64);
            if n < 4 {
                e.fixed_edges.clear();
            }
            all.push(e);
        }
    }
    let mut atsp = explicit(6, "FULL_MATRIX", 9);
    atsp.kind = TspKind::Atsp;
    if let Weights::Matrix { matrix, .. } = &mut atsp.weights {
        matrix[1] = 12345; // asymmetric
        matrix[0] = 100_000_000;
    }
    all.push(atsp);
    // Awkward floats in every metric.
    for (k, metric) in [
        CoordMetric::Euc2d,
        CoordMetric::Ceil2d,
        CoordMetric::Att,
        CoordMetric::Geo,
        CoordMetric::Man2d,
        CoordMetric::Max2d,
    ]
    .into_iter()
    .enumerate()
    {
        all.push(TspInstance {
            name: format!("floats-{k}"),
            comment: String::new(),
            kind: TspKind::Tsp,
            weights: Weights::Coords {
                metric,
                // Extremes within `max_abs_coord` (1e11; beyond it distances overflow, see
                // `tsplib_huge_att_coordinate_is_refused`).
                coords: vec![
                    [0.1, 0.2],
                    [1e-300, -1e11],
                    [std::f64::consts::PI, -std::f64::consts::E],
                    [123_456_789.123_456_78, 5e-324],
                    [-0.0, 99_999_999_999.875],
                ],
            },
            fixed_edges: vec![(4, 0)],
            display: None,
            edge_weight_format: None,
        });
    }
    for inst in &all {
        let text = write_tsplib(inst);
        let back = read_tsplib(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", inst.name));
        assert_eq!(&back, inst, "{}\n{text}", inst.name);
        if inst.name.starts_with("floats-") {
            // serde_json parses floats exactly only with its `float_roundtrip` feature; the
            // TSPLIB text round trip above is exact regardless.
            continue;
        }
        let json = serde_json::to_string(inst).expect("json");
        let back = read_json(&json).unwrap_or_else(|e| panic!("{}: {e}", inst.name));
        assert_eq!(&back, inst, "{} (JSON)", inst.name);
    }
}

#[test]
fn explicit_format_falls_back_to_full_matrix_when_it_cannot_represent() {
    let mut e = explicit(5, "UPPER_ROW", 2);
    if let Weights::Matrix { matrix, .. } = &mut e.weights {
        matrix[1] += 1; // no longer symmetric
    }
    let text = write_tsplib(&e);
    assert!(text.contains("EDGE_WEIGHT_FORMAT : FULL_MATRIX"));
    let back = read_tsplib(&text).expect("reads");
    assert_eq!(back.weights, e.weights);
}

#[test]
fn solution_json_round_trip_and_tour_text() {
    let inst = uniform(20, 5);
    let sol = TspSolution {
        tour: (0..20).rev().collect(),
    };
    let json = serde_json::to_string(&sol).expect("json");
    assert_eq!(
        serde_json::from_str::<TspSolution>(&json).expect("back"),
        sol
    );
    let report = check(&inst, &sol);
    let json = serde_json::to_string(&report).expect("report json");
    let back: quotient_problems::CheckReport<TspViolation> =
        serde_json::from_str(&json).expect("report back");
    assert_eq!(back, report);
    let text = write_tour(&inst, &sol);
    assert!(text.starts_with("NAME : uniform-n20-s5.tour\n"));
    assert!(text.contains("TYPE : TOUR\nDIMENSION : 20\nTOUR_SECTION\n20\n19\n"));
    assert!(text.ends_with("1\n-1\nEOF\n"));
    assert_eq!(read_tour(&text, 20).expect("reads"), sol);
}

#[test]
fn checker_reports_hand_broken_tours_exactly() {
    let Some(bench) = bench_dir() else { return };
    let dir = bench.join("tsp");
    let inst = read_file(&dir.join("berlin52.tsp"));
    let text = std::fs::read_to_string(dir.join("berlin52.opt.tour")).expect("tour");
    let good = read_tour(&text, 52).expect("tour").tour;
    assert!(check(&inst, &TspSolution { tour: good.clone() }).is_feasible());

    // Duplicate: position 10 repeats the node at position 3; that node's original is lost.
    let mut t = good.clone();
    let lost = t[10];
    t[10] = t[3];
    let r = check(&inst, &TspSolution { tour: t.clone() });
    assert_eq!(
        r.violations,
        vec![
            TspViolation::DuplicateNode {
                node: good[3],
                first: 3,
                second: 10
            },
            TspViolation::MissingNode { node: lost }
        ]
    );

    // Out of range.
    let mut t = good.clone();
    let lost = t[51];
    t[51] = 52;
    let r = check(&inst, &TspSolution { tour: t.clone() });
    assert_eq!(
        r.violations,
        vec![
            TspViolation::NodeOutOfRange {
                position: 51,
                node: 52
            },
            TspViolation::MissingNode { node: lost }
        ]
    );
    // Objective = valid pairs only: the two edges touching position 51 are dropped.
    let expect: i64 = (0..50).map(|k| inst.dist(t[k], t[k + 1])).sum::<i64>();
    assert_eq!(r.objective, expect as f64);
    assert_eq!(tour_length(&inst, &t), None);

    // Wrong length (one node dropped): also that node is missing.
    let mut t = good.clone();
    let dropped = t.pop().expect("non-empty");
    let r = check(&inst, &TspSolution { tour: t });
    assert_eq!(
        r.violations,
        vec![
            TspViolation::WrongLength {
                expected: 52,
                found: 51
            },
            TspViolation::MissingNode { node: dropped }
        ]
    );

    // Wrong length (a node repeated at the end).
    let mut t = good.clone();
    t.push(good[0]);
    let r = check(&inst, &TspSolution { tour: t });
    assert_eq!(
        r.violations,
        vec![
            TspViolation::WrongLength {
                expected: 52,
                found: 53
            },
            TspViolation::DuplicateNode {
                node: good[0],
                first: 0,
                second: 52
            }
        ]
    );

    // Fixed edge (linhp318: 1 - 214 must be used); lin318's optimal-length tour is not given,
    // so build a tour that avoids the edge.
    let linhp = read_file(&dir.join("linhp318.tsp"));
    let mut t: Vec<usize> = (0..318).collect();
    let r = check(&linhp, &TspSolution { tour: t.clone() });
    assert_eq!(
        r.violations,
        vec![TspViolation::FixedEdgeMissing { a: 0, b: 213 }]
    );
    // Put 213 next to 0 (either side works for a symmetric instance).
    t.retain(|&v| v != 213);
    t.insert(0, 213);
    assert!(check(&linhp, &TspSolution { tour: t.clone() }).is_feasible());
    t.rotate_left(1);
    assert!(check(&linhp, &TspSolution { tour: t }).is_feasible());
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs.

fn err(text: &str) -> ParseError {
    match read_tsplib(text) {
        Ok(i) => panic!("accepted hostile input (n = {}):\n{text}", i.n()),
        Err(e) => e,
    }
}

const SMALL: &str = "NAME : small\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n\
NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\nEOF\n";

#[test]
fn small_file_parses_in_every_header_spelling() {
    let a = read_tsplib(SMALL).expect("small");
    assert_eq!(a.n(), 3);
    assert_eq!(a.dist(0, 1), 5);
    for variant in [
        SMALL.replace(" : ", ": "),
        SMALL.replace(" : ", ":"),
        SMALL.replace('\n', "\r\n"),
        SMALL.replace("EOF\n", ""),
        SMALL.replace("NODE_COORD_SECTION", "NODE_COORD_SECTION :"),
        SMALL.replace("NODE_COORD_SECTION\n", "NODE_COORD_SECTION:\n"),
        SMALL
            .replace("TSP\n", "TSP   \n")
            .replace("EUC_2D", "EUC_2D \t"),
        SMALL.replace("1 0 0\n2 3 4\n3 6 8", "3 6 8\n1 0 0\n2 3 4"),
        SMALL.replace("1 0 0\n2 3 4\n3 6 8", "  1   0.0 0e0\n2 3 4\n\n3 6 8  "),
        SMALL.replace(
            "NAME : small",
            "NAME : small\nCAPACITY : 5\nSOMETHING_NEW : x",
        ),
    ] {
        let b = read_tsplib(&variant).unwrap_or_else(|e| panic!("{e}\n{variant}"));
        assert_eq!(b.weights, a.weights, "{variant}");
    }
    let c = read_tsplib(&SMALL.replace("NAME : small", "NAME : small\nCOMMENT : a\nCOMMENT : b"))
        .expect("comments");
    assert_eq!(c.comment, "a\nb");
}

fn assert_code(e: &ParseError, code: &str, line: usize, ctx: &str) {
    assert_eq!(e.code(), code, "{ctx}: {e}");
    assert_eq!(e.line, line, "{ctx}: {e}");
}

#[test]
fn hostile_inputs_fail_with_the_right_code() {
    // Truncated in the middle of the coordinates.
    let e = err(
        "NAME : t\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3",
    );
    assert_code(&e, "parse.unexpected_eof", 7, "truncated mid-record");
    let e = err(
        "NAME : t\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n",
    );
    assert_code(&e, "parse.unexpected_eof", 6, "truncated after a record");
    let e = err("NAME : t\nTYPE : TSP\nDIMENSION : 3\n");
    assert_code(&e, "parse.unexpected_eof", 4, "truncated in the header");
    let e = err(
        "NAME : t\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n1 0",
    );
    assert_code(&e, "parse.unexpected_eof", 8, "truncated matrix");

    // DIMENSION values.
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : -5"));
    assert_code(&e, "parse.out_of_range", 3, "negative dimension");
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : 99999999999999999999"));
    assert_code(&e, "parse.out_of_range", 3, "huge dimension");
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : 0"));
    assert_code(&e, "parse.out_of_range", 3, "zero dimension");
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : three"));
    assert_code(&e, "parse.invalid_number", 3, "word dimension");
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : 2.5"));
    assert_code(&e, "parse.invalid_number", 3, "fractional dimension");
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : 20000000"));
    assert_code(&e, "parse.out_of_range", 3, "coords dimension above cap");
    let e = err(
        "NAME : big\nTYPE : TSP\nDIMENSION : 1000000000\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 1 0\nEOF\n",
    );
    assert_code(&e, "parse.out_of_range", 3, "explicit dimension above cap");
    // Large but allowed DIMENSION with few coordinates: no huge allocation, a clean error.
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : 10000000"));
    assert_code(
        &e,
        "parse.inconsistent",
        8,
        "too few coords for a big DIMENSION",
    );
    let e = err(
        "TYPE : TSP\nDIMENSION : 25000\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 1 0\nEOF\n",
    );
    assert_code(
        &e,
        "parse.inconsistent",
        6,
        "too few weights for a big DIMENSION",
    );

    // Numbers.
    let e = err(&SMALL.replace("2 3 4", "2 nan 4"));
    assert_code(&e, "parse.invalid_number", 7, "NaN coordinate");
    let e = err(&SMALL.replace("2 3 4", "2 3 inf"));
    assert_code(&e, "parse.invalid_number", 7, "infinite coordinate");
    let e = err(&SMALL.replace("2 3 4", "2 3 1e999"));
    assert_code(&e, "parse.invalid_number", 7, "overflowing coordinate");
    let e = err(&SMALL.replace("2 3 4", "NaN 3 4"));
    assert_code(&e, "parse.invalid_number", 7, "NaN id");
    let e = err("TYPE : TSP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : UPPER_ROW\nEDGE_WEIGHT_SECTION\n1.5\nEOF\n");
    assert_code(&e, "parse.invalid_number", 6, "fractional weight");
    let e = err("TYPE : TSP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : UPPER_ROW\nEDGE_WEIGHT_SECTION\n-9223372036854775808\nEOF\n");
    assert_code(&e, "parse.out_of_range", 6, "huge weight");
    let ok = read_tsplib(
        "TYPE : ATSP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n100000000 7 1e1 1.0e8\nEOF\n",
    )
    .expect("integral spellings");
    assert_eq!((ok.dist(0, 1), ok.dist(1, 0), ok.dist(0, 0)), (7, 10, 0));

    // Structure.
    let e = err(&SMALL.replace("NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n", ""));
    assert_code(&e, "parse.missing", 0, "missing section");
    let e = err(&SMALL.replace("DIMENSION : 3\n", ""));
    assert_code(&e, "parse.missing", 0, "missing DIMENSION");
    let e = err(&SMALL.replace("EDGE_WEIGHT_TYPE : EUC_2D\n", ""));
    assert_code(&e, "parse.missing", 0, "missing EDGE_WEIGHT_TYPE");
    let e = err(&SMALL.replace("3 6 8\n", ""));
    assert_code(&e, "parse.inconsistent", 7, "too few coords");
    let e = err(&SMALL.replace("3 6 8", "2 6 8"));
    assert_code(&e, "parse.duplicate", 8, "duplicate node id");
    let e = err(&SMALL.replace("3 6 8", "4 6 8"));
    assert_code(&e, "parse.out_of_range", 8, "id out of range");
    let e = err(&SMALL.replace("3 6 8", "0 6 8"));
    assert_code(&e, "parse.out_of_range", 8, "id zero");
    let e = err(&SMALL.replace("3 6 8", "3 6 8\n4 1 1"));
    assert_code(&e, "parse.out_of_range", 9, "extra coordinate");
    let e = err(&SMALL.replace("2 3 4", "2 3\n4"));
    assert_code(&e, "parse.unexpected_token", 7, "record split across lines");
    let e = err(&SMALL.replace("DIMENSION : 3", "DIMENSION : 3\nDIMENSION : 3"));
    assert_code(&e, "parse.duplicate", 4, "duplicate header");
    let e = err(&format!(
        "{}NODE_COORD_SECTION\n1 0 0\n",
        SMALL.replace("EOF\n", "")
    ));
    assert_code(&e, "parse.duplicate", 9, "duplicate section");
    let e = err(&SMALL.replace("TYPE : TSP", "TYPE : CVRP"));
    assert_code(&e, "parse.unsupported", 2, "CVRP");
    for t in ["TOUR", "HCP", "SOP"] {
        let e = err(&SMALL.replace("TYPE : TSP", &format!("TYPE : {t}")));
        assert_code(&e, "parse.unsupported", 2, t);
    }
    let e = err(&SMALL.replace("EUC_2D", "EUC_3D"));
    assert_code(&e, "parse.unsupported", 4, "EUC_3D");
    let e = err(&SMALL.replace("NODE_COORD_SECTION", "DEMAND_SECTION"));
    assert_code(&e, "parse.unsupported", 5, "foreign section");
    let e =
        err("TYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_SECTION\n1 2 3\n");
    assert_code(&e, "parse.missing", 3, "explicit without format");
    let e = err("TYPE : ATSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2 3\n");
    assert_code(&e, "parse.unsupported", 4, "ATSP with a triangular format");
    let e = err("TYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2 3 4\nEOF\n");
    assert_code(&e, "parse.unexpected_token", 6, "too many weights");
    let e = err(&SMALL.replace("EOF\n", "FIXED_EDGES_SECTION\n1 4\n-1\nEOF\n"));
    assert_code(&e, "parse.out_of_range", 10, "fixed edge out of range");
    let e = err(&SMALL.replace("EOF\n", "FIXED_EDGES_SECTION\n1 1\n-1\nEOF\n"));
    assert_code(&e, "parse.inconsistent", 10, "fixed loop");
    let e = err(&SMALL.replace("EOF\n", "FIXED_EDGES_SECTION\n1\n-1\nEOF\n"));
    assert_code(&e, "parse.out_of_range", 11, "fixed edge half");
    let e = err(&SMALL.replace("EOF\n", "FIXED_EDGES_SECTION\n1 2\n3"));
    assert_code(&e, "parse.unexpected_eof", 11, "fixed edges truncated");

    // Garbage.
    let e = err("");
    assert_code(&e, "parse.unexpected_eof", 1, "empty input");
    let e = err("  \n\n \t\n");
    assert_eq!(e.code(), "parse.unexpected_eof");
    let e = err("\u{0}\u{1}\u{7f}\u{fffd}\u{fffd}PK\u{3}\u{4}");
    assert_code(&e, "parse.unexpected_token", 1, "binary garbage");
    let e = err("hello world\n");
    assert_code(&e, "parse.unexpected_token", 1, "prose");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let e = quotient_problems::text::decode(&bytes, quotient_problems::Format::Tsplib)
        .expect_err("not UTF-8");
    assert_eq!(e.code(), "parse.malformed");
}

#[test]
fn tour_reader_edge_cases() {
    let ok = read_tour("TOUR_SECTION\n1 3\n2\n-1\n", 3).expect("no header");
    assert_eq!(ok.tour, vec![0, 2, 1]);
    let ok = read_tour(
        "NAME : x\nTYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n2\n3\n",
        3,
    )
    .expect("no -1");
    assert_eq!(ok.tour, vec![0, 1, 2]);
    let ok = read_tour("TOUR_SECTION\n1\n1\n-1\nEOF\n", 3).expect("not the reader's job");
    assert_eq!(ok.tour, vec![0, 0]);
    let ok = read_tour(
        "TYPE: TOUR\r\nTOUR_SECTION\r\n2 1 3 -1\r\n1 2 3 -1\r\nEOF\r\n",
        3,
    )
    .expect("first of several tours");
    assert_eq!(ok.tour, vec![1, 0, 2]);

    let e = read_tour("DIMENSION : 4\nTOUR_SECTION\n1 2 3\n-1\n", 3).expect_err("dim");
    assert_code(&e, "parse.inconsistent", 1, "tour dimension");
    let e = read_tour("TOUR_SECTION\n1 4 2\n-1\n", 3).expect_err("range");
    assert_code(&e, "parse.out_of_range", 2, "tour id range");
    let e = read_tour("TOUR_SECTION\n1\n0\n-1\n", 3).expect_err("zero");
    assert_code(&e, "parse.out_of_range", 3, "tour id zero");
    let e = read_tour("TOUR_SECTION\n1\nx\n-1\n", 3).expect_err("word");
    assert_code(&e, "parse.invalid_number", 3, "tour word");
    let e = read_tour("NAME : x\nTYPE : TOUR\n", 3).expect_err("no section");
    assert_code(&e, "parse.missing", 0, "no tour section");
    let e = read_tour("1 2 3\n", 3).expect_err("bare list");
    assert_code(&e, "parse.unexpected_token", 1, "bare list");
    let e = read_tour("TYPE : TSP\nTOUR_SECTION\n1 2 3\n", 3).expect_err("type");
    assert_code(&e, "parse.unsupported", 1, "tour type");
    let e = read_tour("", 3).expect_err("empty");
    assert_code(&e, "parse.unexpected_eof", 1, "empty tour");
    let e = read_tour("DIMENSION : -1\nTOUR_SECTION\n-1\n", 3).expect_err("neg dim");
    assert_code(&e, "parse.out_of_range", 1, "tour negative dim");
}

#[test]
fn json_instances_are_validated() {
    let good = serde_json::to_string(&uniform(3, 1)).expect("json");
    assert_eq!(read_json(&good).expect("valid"), uniform(3, 1));
    let e = read_json("{\"name\": 1").expect_err("syntax");
    assert_eq!(e.code(), "parse.malformed");
    assert_eq!(e.format, quotient_problems::Format::Json);
    for bad in [
        r#"{"name":"m","kind":"tsp","weights":{"type":"matrix","n":3,"matrix":[1,2]}}"#,
        r#"{"name":"m","kind":"tsp","weights":{"type":"matrix","n":100000,"matrix":[]}}"#,
        r#"{"name":"m","kind":"tsp","weights":{"type":"matrix","n":1,"matrix":[9000000000000000000]}}"#,
        r#"{"name":"m","kind":"tsp","weights":{"type":"coords","metric":"EUC_2D","coords":[]}}"#,
        r#"{"name":"m","kind":"tsp","weights":{"type":"coords","metric":"EUC_2D","coords":[[0,0],[1,1]]},"fixed_edges":[[0,2]]}"#,
        r#"{"name":"m","kind":"tsp","weights":{"type":"coords","metric":"EUC_2D","coords":[[0,0],[1,1]]},"display":[[0,0]]}"#,
    ] {
        let e = read_json(bad).expect_err(bad);
        assert_eq!(e.code(), "parse.inconsistent", "{bad}: {e}");
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // 300 cases by default; PROPTEST_CASES=N runs more.
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
        ))]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = read_tsplib(&text);
            let _ = read_tour(&text, 5);
        }

        #[test]
        fn mutated_valid_files_never_panic(
            which in 0usize..3,
            edits in proptest::collection::vec((any::<usize>(), 0u8..5, any::<char>()), 1..6),
        ) {
            let base = match which {
                0 => SMALL.to_string(),
                1 => write_tsplib(&super::explicit(4, "LOWER_DIAG_ROW", 1)),
                _ => "NAME : t\nTYPE : TOUR\nDIMENSION : 3\nTOUR_SECTION\n1\n3\n2\n-1\nEOF\n".to_string(),
            };
            let mut chars: Vec<char> = base.chars().collect();
            for (pos, op, c) in edits {
                if chars.is_empty() {
                    chars.push(c);
                    continue;
                }
                let p = pos % chars.len();
                match op {
                    0 => chars[p] = c,
                    1 => chars.insert(p, c),
                    2 => { chars.remove(p); }
                    3 => chars.truncate(p),
                    _ => {
                        let digit = char::from(b'0' + (pos % 10) as u8);
                        chars.insert(p, digit);
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            if let Ok(inst) = read_tsplib(&text) {
                // Whatever parses also writes and reads back, and checks without panicking.
                let again = read_tsplib(&write_tsplib(&inst));
                prop_assert_eq!(again.as_ref().ok(), Some(&inst));
                let _ = check(&inst, &TspSolution { tour: (0..inst.n()).collect() });
            }
            if let Ok(sol) = read_tour(&text, 3) {
                prop_assert!(sol.tour.iter().all(|&v| v < 3));
            }
        }
    }
}

/// Fuzz finding (tsplib target, 2026-12-05, crash-3f34c557): an ATT coordinate of 124 digits
/// was accepted; the checker's ATT distance then rounded to i64::MAX and `t + 1` overflowed (a
/// panic with overflow checks, a wrong distance without). Coordinates are now capped by
/// `ReadLimits::max_abs_coord` (1e11: every distance, and a tour of 10^7 of them, fits i64),
/// in TSPLIB files and JSON alike.
#[test]
fn tsplib_huge_att_coordinate_is_refused() {
    use quotient_problems::any;
    let huge = format!("22331{}", "1".repeat(119));
    let text = format!(
        "NAME : att\nTYPE : TSP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : ATT\nNODE_COORD_SECTION\n\
         1 6734 1453\n2 {huge} 10\nEOF\n"
    );
    let e = read_tsplib(&text).expect_err("a coordinate beyond max_abs_coord");
    assert_eq!((e.code(), e.line), ("parse.out_of_range", 7));
    assert!(e.to_string().contains("max_abs_coord"), "{e}");
    let json = format!(
        r#"{{"family":"tsp","name":"a","kind":"tsp","weights":{{"type":"coords","metric":"ATT","coords":[[0,0],[{huge},10]]}}}}"#
    );
    let e = any::read_json_instance(&json, None).expect_err("JSON too");
    assert!(e.to_string().contains("max_abs_coord"), "{e}");

    // At the cap, every metric's distances and the tour length stay exact and finite.
    for metric in ["EUC_2D", "CEIL_2D", "ATT", "GEO", "MAN_2D", "MAX_2D"] {
        let text = format!(
            "NAME : cap\nTYPE : TSP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : {metric}\nNODE_COORD_SECTION\n\
             1 -100000000000 -100000000000\n2 100000000000 -100000000000\n\
             3 100000000000 100000000000\n4 -100000000000 100000000000\nEOF\n"
        );
        let inst = read_tsplib(&text).expect(metric);
        let report = check(
            &inst,
            &TspSolution {
                tour: vec![0, 1, 2, 3],
            },
        );
        assert!(report.is_feasible(), "{metric}");
        assert!(report.objective > 0.0, "{metric}: {}", report.objective);
    }
}

//! MILP formats: MIPLIB bench files, round trips (MPS, LP, JSON), hand-written MPS and LP
//! snippets, the checker, solution files and hostile inputs.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use quotient_problems::milp::generate::{
    capacitated_facility_location, combinatorial_auction, independent_set, set_cover,
};
use quotient_problems::milp::lp::lp_name_ok;
use quotient_problems::milp::{
    MilpInstance, MilpSolution, MilpViolation, Row, Sense, VarKind, Variable, check,
    check_with_tolerance, read_lp, read_milp, read_mps, read_solution, write_lp, write_mps,
    write_solution,
};
use quotient_problems::text::decode;
use quotient_problems::{Format, ParseError};
use std::path::{Path, PathBuf};

const INF: f64 = f64::INFINITY;

fn bench_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/milp");
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!("SKIPPED: ../shared/bench not found");
        None
    }
}

/// serde_json parses floats exactly (round trip identity) only with its `float_roundtrip`
/// feature; without it, the last digit of some values can differ by one ulp. Detect which
/// parser is built in, so the JSON checks are exact as soon as the feature is enabled.
fn json_floats_exact() -> bool {
    serde_json::from_str::<f64>("-113.88969297091235").unwrap() == -113.88969297091235
}

/// JSON round trip: identical when serde_json parses floats exactly, else equal up to 1 ulp.
fn assert_json_round_trip(inst: &MilpInstance) {
    let json = serde_json::to_string(inst).unwrap();
    let back: MilpInstance = serde_json::from_str(&json).unwrap();
    if json_floats_exact() {
        assert_eq!(&back, inst, "JSON {}", inst.name);
        return;
    }
    let close =
        |a: f64, b: f64| a == b || (a - b).abs() <= 2.0 * f64::EPSILON * a.abs().max(b.abs());
    assert_eq!(back.name, inst.name);
    assert_eq!(back.sense, inst.sense);
    assert_eq!(back.objective_name, inst.objective_name);
    assert!(close(back.obj_constant, inst.obj_constant));
    assert_eq!(back.vars.len(), inst.vars.len());
    for (a, b) in back.vars.iter().zip(&inst.vars) {
        assert_eq!((&a.name, a.kind), (&b.name, b.kind));
        assert!(
            close(a.lower, b.lower) && close(a.upper, b.upper) && close(a.obj, b.obj),
            "{a:?} {b:?}"
        );
    }
    assert_eq!(back.rows.len(), inst.rows.len());
    for (a, b) in back.rows.iter().zip(&inst.rows) {
        assert_eq!(a.name, b.name);
        assert!(
            close(a.lower, b.lower) && close(a.upper, b.upper),
            "{a:?} {b:?}"
        );
        assert_eq!(a.coefs.len(), b.coefs.len());
        for (x, y) in a.coefs.iter().zip(&b.coefs) {
            assert!(x.0 == y.0 && close(x.1, y.1), "{x:?} {y:?}");
        }
    }
}

fn generated() -> Vec<MilpInstance> {
    vec![
        set_cover(40, 60, 0.08, 1),
        combinatorial_auction(15, 40, 2),
        capacitated_facility_location(8, 4, 3.0, 3),
        independent_set(50, 3, 4),
    ]
}

struct Ref {
    name: String,
    rows: usize,
    cols: usize,
    integers: usize,
}

fn reference(dir: &Path) -> Vec<Ref> {
    let text = std::fs::read_to_string(dir.join("optimal.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (ci, cr, cc, cn) = (col("name"), col("rows"), col("cols"), col("integers"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Ref {
                name: f[ci].to_string(),
                rows: f[cr].parse().unwrap(),
                cols: f[cc].parse().unwrap(),
                integers: f[cn].parse().unwrap(),
            }
        })
        .collect()
}

/// The key correctness test for MARKER, BV/UI/LI and free-row handling: every bench file
/// reads, and rows/cols/integers equal the HiGHS counts in optimal.csv. Also the MPS round trip
/// (write -> read is identity) for every file, and the LP round trip where names allow it.
#[test]
fn bench_files_read_and_round_trip() {
    let Some(dir) = bench_dir() else { return };
    let refs = reference(&dir);
    assert_eq!(refs.len(), 165);
    let mut lp_trips = 0;
    for r in &refs {
        let path = dir.join(format!("{}.mps.gz", r.name));
        let bytes = std::fs::read(&path).unwrap();
        let inst = read_milp(&bytes, &path.to_string_lossy())
            .unwrap_or_else(|e| panic!("{}: {e}", r.name));
        assert_eq!(
            (inst.rows.len(), inst.vars.len(), inst.num_integers()),
            (r.rows, r.cols, r.integers),
            "{}: rows, cols, integers",
            r.name
        );
        assert_eq!(inst.sense, Sense::Minimize, "{}", r.name);
        let text = write_mps(&inst);
        let back = read_mps(&text).unwrap_or_else(|e| panic!("{} rewritten: {e}", r.name));
        assert!(back == inst, "{}: MPS round trip differs", r.name);
        let names_ok = inst.vars.iter().all(|v| lp_name_ok(&v.name))
            && inst.rows.iter().all(|w| lp_name_ok(&w.name))
            && lp_name_ok(&inst.objective_name);
        if names_ok && text.len() < 2_000_000 {
            let lp = write_lp(&inst);
            let back = read_lp(&lp).unwrap_or_else(|e| panic!("{} as LP: {e}", r.name));
            assert!(back == inst, "{}: LP round trip differs", r.name);
            lp_trips += 1;
        }
    }
    eprintln!("LP round trips on {lp_trips} bench instances");
    assert!(lp_trips >= 20, "only {lp_trips} LP round trips");
}

#[test]
fn bench_known_details() {
    let Some(dir) = bench_dir() else { return };
    let read = |n: &str| {
        let bytes = std::fs::read(dir.join(format!("{n}.mps.gz"))).unwrap();
        read_milp(&bytes, n).unwrap()
    };
    // p0033: objective row and a known name
    let p = read("p0033");
    assert_eq!(p.vars.len(), 33);
    assert_eq!(p.obj_constant, 0.0);
    // eil33-2: integer MARKER columns without bounds are binary
    let e = read("eil33-2");
    assert!(
        e.vars
            .iter()
            .all(|v| v.kind == VarKind::Integer && v.lower == 0.0 && v.upper == 1.0)
    );
    // dsbmip: 673 N rows, only the first is the objective
    let d = read("dsbmip");
    assert!(!d.rows.iter().any(|r| r.name == d.objective_name));
}

#[test]
fn generated_round_trips() {
    for inst in generated() {
        let back = read_mps(&write_mps(&inst)).unwrap();
        assert_eq!(back, inst, "MPS {}", inst.name);
        let back = read_lp(&write_lp(&inst)).unwrap();
        assert_eq!(back, inst, "LP {}", inst.name);
        assert_json_round_trip(&inst);
        // read_milp detects both formats
        assert_eq!(read_milp(write_mps(&inst).as_bytes(), "x").unwrap(), inst);
        assert_eq!(read_milp(write_lp(&inst).as_bytes(), "x").unwrap(), inst);
    }
}

fn var(name: &str, kind: VarKind, lower: f64, upper: f64, obj: f64) -> Variable {
    Variable {
        name: name.into(),
        kind,
        lower,
        upper,
        obj,
    }
}

fn row(name: &str, coefs: &[(usize, f64)], lower: f64, upper: f64) -> Row {
    Row {
        name: name.into(),
        coefs: coefs.to_vec(),
        lower,
        upper,
    }
}

/// A model with every kind of bound and row.
fn tricky() -> MilpInstance {
    use VarKind::*;
    MilpInstance {
        name: "tricky".into(),
        sense: Sense::Maximize,
        objective_name: "profit".into(),
        obj_constant: -2.5,
        vars: vec![
            var("a", Continuous, 0.0, INF, 1.0),
            var("b", Continuous, -INF, INF, -0.1),
            var("c", Integer, 0.0, 1.0, 3.0),
            var("d", Integer, -5.0, 7.0, 0.0),
            var("e", Integer, 0.0, INF, 2.0),
            var("f", Continuous, 2.0, 2.0, 0.0),
            var("g", Continuous, -INF, -3.0, 1e-9),
            var("h", Continuous, 0.0, -1.0, 0.0),
            var("i", Integer, 3.0, INF, 1e20),
        ],
        rows: vec![
            row("le", &[(0, 1.0), (1, 2.0)], -INF, 4.0),
            row("ge", &[(2, -1.0), (3, 0.3)], 0.1, INF),
            row("eq", &[(4, 1.0)], 3.0, 3.0),
            row("rng", &[(5, 1.0), (6, 1.0)], 0.3, 1.1),
            row("free", &[(7, 1.0)], -INF, INF),
            row("empty", &[], -1.0, 1.0),
        ],
    }
}

#[test]
fn json_and_text_round_trips_with_infinities() {
    let inst = tricky();
    let json = serde_json::to_string(&inst).unwrap();
    assert!(json.contains("null"));
    assert_json_round_trip(&inst);
    assert_eq!(read_mps(&write_mps(&inst)).unwrap(), inst);
    assert_eq!(read_lp(&write_lp(&inst)).unwrap(), inst);
    let sol = MilpSolution {
        values: vec![1.0, -2.0, 0.0, 1.0, 3.0, 2.0, -4.0, 0.0, 3.0],
    };
    let json = serde_json::to_string(&sol).unwrap();
    assert_eq!(serde_json::from_str::<MilpSolution>(&json).unwrap(), sol);
}

const BOUNDS_MPS: &str = "\
* every kind of bound
NAME          BNDS
ROWS
 N  COST
 L  LIM1
 G  LIM2
 E  MYEQN
 N  FREEROW
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    XONE      COST                 1   LIM1                 1
    XONE      FREEROW              5
    XBIN      COST                 2
    XUI       LIM2                 1
    MARKER                 'MARKER'                 'INTEND'
    YTWO      COST                 2   LIM1                 1
    YTWO      LIM2                 1
    YFX       MYEQN               -1
    YFR       MYEQN                1
    YMI       COST                -1
    YPL       COST                 1
    YBV       COST                 1
    YLI       COST                 1
    YUIN      COST                 1
    YNEG      COST                 1
    YNEGL     COST                 1
RHS
    RHS       COST               -10   LIM1                 4
    RHS       LIM2                 1   MYEQN                7
    RHS       FREEROW            100
BOUNDS
 UP BND       XONE                 4
 UI BND       XUI                  9
 LO BND       YTWO                -1
 UP BND       YTWO                 1
 FX BND       YFX                  3
 FR BND       YFR
 MI BND       YMI
 PL BND       YPL
 BV BND       YBV
 LI BND       YLI                  2
 UI BND       YUIN               1e30
 UP BND       YNEG                -2
 LO BND       YNEGL               -5
 UP BND       YNEGL               -2
ENDATA
";

#[test]
fn mps_every_bound_kind() {
    let m = read_mps(BOUNDS_MPS).unwrap();
    assert_eq!(m.name, "BNDS");
    assert_eq!(m.objective_name, "COST");
    assert_eq!(m.obj_constant, 10.0);
    assert_eq!(m.rows.len(), 3, "free N row dropped");
    let b = |n: &str| {
        let v = &m.vars[m.var_index(n).unwrap()];
        (v.kind, v.lower, v.upper)
    };
    use VarKind::*;
    assert_eq!(b("XONE"), (Integer, 0.0, 4.0));
    assert_eq!(
        b("XBIN"),
        (Integer, 0.0, 1.0),
        "MARKER integer without bounds"
    );
    assert_eq!(b("XUI"), (Integer, 0.0, 9.0));
    assert_eq!(b("YTWO"), (Continuous, -1.0, 1.0));
    assert_eq!(b("YFX"), (Continuous, 3.0, 3.0));
    assert_eq!(b("YFR"), (Continuous, -INF, INF));
    assert_eq!(b("YMI"), (Continuous, -INF, INF));
    assert_eq!(b("YPL"), (Continuous, 0.0, INF));
    assert_eq!(b("YBV"), (Integer, 0.0, 1.0));
    assert_eq!(b("YLI"), (Integer, 2.0, INF));
    assert_eq!(b("YUIN"), (Integer, 0.0, INF));
    assert_eq!(
        b("YNEG"),
        (Continuous, -INF, -2.0),
        "UP < 0 makes lower -inf"
    );
    assert_eq!(b("YNEGL"), (Continuous, -5.0, -2.0));
    let r = |n: &str| {
        let r = m.rows.iter().find(|r| r.name == n).unwrap();
        (r.lower, r.upper, r.coefs.clone())
    };
    assert_eq!(r("LIM1"), (-INF, 4.0, vec![(0, 1.0), (3, 1.0)]));
    assert_eq!(r("LIM2"), (1.0, INF, vec![(2, 1.0), (3, 1.0)]));
    assert_eq!(r("MYEQN"), (7.0, 7.0, vec![(4, -1.0), (5, 1.0)]));
    assert_eq!(read_mps(&write_mps(&m)).unwrap(), m);
}

#[test]
fn mps_ranges_sign_rules() {
    let text = "NAME R\nROWS\n N obj\n E e1\n E e2\n E e3\n L l1\n G g1\nCOLUMNS\n x obj 1 e1 1\n x e2 1 e3 1\n x l1 1 g1 1\nRHS\n rhs e1 5 e2 5\n rhs e3 5 l1 5\n rhs g1 5\nRANGES\n rng e1 2 e2 -2\n rng l1 -3 g1 -3\nENDATA\n";
    let m = read_mps(text).unwrap();
    let b: Vec<(f64, f64)> = m.rows.iter().map(|r| (r.lower, r.upper)).collect();
    assert_eq!(
        b,
        vec![(5.0, 7.0), (3.0, 5.0), (5.0, 5.0), (2.0, 5.0), (5.0, 8.0)]
    );
    assert_eq!(read_mps(&write_mps(&m)).unwrap(), m);
}

#[test]
fn mps_objsense_both_placements_and_objname() {
    let body = "ROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRHS\n rhs c 1\nENDATA\n";
    for head in [
        "NAME t\nOBJSENSE\n    MAX\n",
        "NAME t\nOBJSENSE MAX\n",
        "NAME t\nOBJSENSE\n    MAXIMIZE\n",
        "NAME t\nOBJSENSE MAXIMIZE\n",
    ] {
        let m = read_mps(&format!("{head}{body}")).unwrap();
        assert_eq!(m.sense, Sense::Maximize, "{head}");
    }
    let m = read_mps(&format!("NAME t\nOBJSENSE\n    MIN\n{body}")).unwrap();
    assert_eq!(m.sense, Sense::Minimize);
    // OBJNAME picks which N row is the objective
    let t = "NAME t\nOBJNAME\n    second\nROWS\n N first\n N second\n L c\nCOLUMNS\n x first 1 second 2\n x c 1\nENDATA\n";
    let m = read_mps(t).unwrap();
    assert_eq!(m.objective_name, "second");
    assert_eq!(m.vars[0].obj, 2.0);
}

#[test]
fn mps_fixed_format_classic_layout() {
    // classic column layout: fields at 2-3, 5-12, 15-22, 25-36, 40-47, 50-61
    let classic = "\
NAME          TESTLP
ROWS
 N  COST
 L  LIM1
 G  LIM2
COLUMNS
    X1        COST         1.0         LIM1         1.0
    X1        LIM2         1.0
    X2        COST         2.0         LIM1         1.0
RHS
    RHS       LIM1         4.0         LIM2         1.0
BOUNDS
 UP BND       X1           4.0
ENDATA
";
    let m = read_mps(classic).unwrap();
    assert_eq!(m.vars.len(), 2);
    assert_eq!(m.rows[0].upper, 4.0);
    assert_eq!(m.vars[0].upper, 4.0);
    // names with spaces only parse with column positions
    let spaced = "\
NAME          SPACED
ROWS
 N  COST
 L  LIM 1
COLUMNS
    X 1       COST         1.0         LIM 1        1.0
    X 2       COST         2.0         LIM 1        1.0
RHS
    RHS       LIM 1        4.0
BOUNDS
 UP BND       X 1          4.0
ENDATA
";
    let m = read_mps(spaced).unwrap();
    assert_eq!(m.vars[0].name, "X 1");
    assert_eq!(m.rows[0].name, "LIM 1");
    assert_eq!(m.rows[0].upper, 4.0);
    assert_eq!(m.vars[0].upper, 4.0);
    assert_eq!(m.rows[0].coefs, vec![(0, 1.0), (1, 1.0)]);
}

fn mps_err(text: &str) -> ParseError {
    read_mps(text).expect_err(text)
}

#[test]
fn mps_hostile_inputs() {
    let good = "NAME t\nROWS\n N obj\n L c\nCOLUMNS\n x obj 1 c 1\nRHS\n rhs c 1\nENDATA\n";
    assert!(read_mps(good).is_ok());
    let cases: Vec<(&str, String, &str, usize)> = vec![
        (
            "truncated",
            good[..good.len() - 20].to_string(),
            "parse.unexpected_eof",
            0,
        ),
        ("empty", String::new(), "parse.unexpected_eof", 1),
        (
            "unknown row",
            good.replace(" x obj 1 c 1", " x obj 1 d 1"),
            "parse.unexpected_token",
            6,
        ),
        (
            "unknown rhs row",
            good.replace("rhs c 1", "rhs zz 1"),
            "parse.unexpected_token",
            8,
        ),
        (
            "bad number",
            good.replace(" x obj 1 c 1", " x obj 1 c 1.2.3"),
            "parse.invalid_number",
            6,
        ),
        (
            "NaN",
            good.replace(" x obj 1 c 1", " x obj NaN c 1"),
            "parse.invalid_number",
            6,
        ),
        (
            "infinite coefficient",
            good.replace(" x obj 1 c 1", " x obj 1 c inf"),
            "parse.invalid_number",
            6,
        ),
        (
            "columns before rows",
            "NAME t\nCOLUMNS\n x obj 1\nROWS\n N obj\nENDATA\n".into(),
            "parse.unexpected_token",
            2,
        ),
        (
            "marker without intend",
            "NAME t\nROWS\n N obj\nCOLUMNS\n M 'MARKER' 'INTORG'\n x obj 1\nRHS\nENDATA\n".into(),
            "parse.unexpected_token",
            7,
        ),
        (
            "intend without intorg",
            "NAME t\nROWS\n N obj\nCOLUMNS\n M 'MARKER' 'INTEND'\nENDATA\n".into(),
            "parse.unexpected_token",
            5,
        ),
        (
            "duplicate entry",
            good.replace(" x obj 1 c 1", " x obj 1 c 1\n x c 2"),
            "parse.duplicate",
            7,
        ),
        (
            "duplicate row",
            good.replace(" L c", " L c\n G c"),
            "parse.duplicate",
            5,
        ),
        (
            "non-contiguous column",
            good.replace(" x obj 1 c 1", " x obj 1\n y c 1\n x c 1"),
            "parse.duplicate",
            8,
        ),
        (
            "semi-continuous",
            good.replace("ENDATA", "BOUNDS\n SC BND x 4\nENDATA"),
            "parse.unsupported",
            10,
        ),
        (
            "quadratic",
            good.replace("ENDATA", "QUADOBJ\n x x 1\nENDATA"),
            "parse.unsupported",
            9,
        ),
        (
            "unknown bound column",
            good.replace("ENDATA", "BOUNDS\n UP BND zz 4\nENDATA"),
            "parse.unexpected_token",
            10,
        ),
        (
            "garbage",
            "\u{1}\u{2}garbage \u{7f}\n".into(),
            "parse.unexpected_token",
            1,
        ),
        (
            "bad row type",
            good.replace(" L c", " Q c"),
            "parse.unexpected_token",
            4,
        ),
    ];
    for (what, text, code, line) in cases {
        let e = mps_err(&text);
        assert_eq!(e.code(), code, "{what}: {e}");
        assert_eq!(e.format, Format::Mps, "{what}");
        if line > 0 {
            assert_eq!(e.line, line, "{what}: {e}");
        }
    }
}

/// A file without an `N` row gets an objective named `obj`, or else the first free `obj_k`.
/// Each candidate used to be compared with every row name, so rows named `obj`, `obj_1`, ...,
/// `obj_k` made reading (and writing) quadratic: 50 000 such rows (640 KB) took 8 s in a
/// release build. The names are now hashed once.
#[test]
fn mps_objective_name_search_is_linear_in_rows() {
    let k = 100_000;
    let mut text = String::from("NAME t\nROWS\n L obj\n");
    for i in 1..=k {
        text.push_str(&format!(" L obj_{i}\n"));
    }
    text.push_str("COLUMNS\n    x obj 1\nRHS\nENDATA\n");
    let start = std::time::Instant::now();
    let inst = read_mps(&text).unwrap();
    assert_eq!(inst.rows.len(), k + 1);
    assert_eq!(inst.objective_name, format!("obj_{}", k + 1));
    let written = write_mps(&inst);
    assert!(written.contains(&format!(" N  obj_{}\n", k + 1)));
    assert_eq!(read_mps(&written).unwrap(), inst);
    // Generous: milliseconds when linear, minutes when quadratic (even unoptimised).
    assert!(
        start.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn read_milp_bytes_hostile() {
    // garbage bytes, invalid UTF-8, truncated gzip
    assert_eq!(
        read_milp(&[0xff, 0xfe, 0x00, 0x12], "x.mps")
            .unwrap_err()
            .code(),
        "parse.malformed"
    );
    let mut gz = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        enc.write_all(b"NAME t\nROWS\n N obj\nCOLUMNS\n x obj 1\nENDATA\n")
            .unwrap();
        enc.finish().unwrap();
    }
    assert_eq!(read_milp(&gz, "t.mps.gz").unwrap().vars.len(), 1);
    let e = read_milp(&gz[..gz.len() / 2], "t.mps.gz").unwrap_err();
    assert!(
        e.code() == "parse.malformed" || e.code() == "parse.unexpected_eof",
        "{e}"
    );
    assert!(read_milp(b"", "x").is_err());
    assert!(read_milp(b"hello world\n", "x").is_err());
    // name hint decides when the content does not
    let lp = b"\n  obj: x\n";
    assert!(read_milp(lp, "a.lp").is_err());
    assert!(decode(b"abc", Format::Mps).is_ok());
}

const LP_ALL: &str = r"\Problem name: every construct
\ a comment line
MAXIMIZE
 value: 3 x + 2y - z
   + 0.5 w + 4 b1 + 7
Subject To
 c1: x + y <= 4
 c2: x + 3 y >= 2 \ trailing comment
 equal: x - y = 1
 -x + 2 z =< 10
 3 w => 1
 strict: x < 5
 strict2: y > 0.5
 both: 2 x + 3 >= y + 4
 -5 <= x + w <= 5
 r2: 8 >= z >= -8
 left: 3 <= z
 R3: -inf <= x + y + z <= 100
 glued: 2x + 1.5e1y - .5 w >= -1e-3
Bounds
 x <= 40
 -inf <= y <= inf
 z free
 w = 3
 0 <= u <= 10
 v >= -inf
 4 >= t
 s >= -2
General
 u v
Binary
 b1
Gen
 t
End
this is ignored
";

#[test]
fn lp_every_construct() {
    let m = read_lp(LP_ALL).unwrap();
    assert_eq!(m.name, "every construct");
    assert_eq!(m.sense, Sense::Maximize);
    assert_eq!(m.objective_name, "value");
    assert_eq!(m.obj_constant, 7.0);
    let v = |n: &str| m.var_index(n).unwrap();
    let (x, y, z, w, b1) = (v("x"), v("y"), v("z"), v("w"), v("b1"));
    assert_eq!(
        (x, y, z, w, b1),
        (0, 1, 2, 3, 4),
        "order of first appearance"
    );
    assert_eq!(m.vars[x].obj, 3.0);
    assert_eq!(m.vars[y].obj, 2.0);
    assert_eq!(m.vars[z].obj, -1.0);
    let r = |n: &str| {
        let r = m.rows.iter().find(|r| r.name == n).unwrap();
        (r.coefs.clone(), r.lower, r.upper)
    };
    assert_eq!(r("c1"), (vec![(x, 1.0), (y, 1.0)], -INF, 4.0));
    assert_eq!(r("c2"), (vec![(x, 1.0), (y, 3.0)], 2.0, INF));
    assert_eq!(r("equal"), (vec![(x, 1.0), (y, -1.0)], 1.0, 1.0));
    assert_eq!(
        r("c4"),
        (vec![(x, -1.0), (z, 2.0)], -INF, 10.0),
        "unnamed row 4"
    );
    assert_eq!(r("c5"), (vec![(w, 3.0)], 1.0, INF));
    assert_eq!(r("strict"), (vec![(x, 1.0)], -INF, 5.0));
    assert_eq!(r("strict2"), (vec![(y, 1.0)], 0.5, INF));
    assert_eq!(r("both"), (vec![(x, 2.0), (y, -1.0)], 1.0, INF));
    assert_eq!(r("c9"), (vec![(x, 1.0), (w, 1.0)], -5.0, 5.0));
    assert_eq!(r("r2"), (vec![(z, 1.0)], -8.0, 8.0));
    assert_eq!(r("left"), (vec![(z, 1.0)], 3.0, INF));
    assert_eq!(r("R3"), (vec![(x, 1.0), (y, 1.0), (z, 1.0)], -INF, 100.0));
    assert_eq!(
        r("glued"),
        (vec![(x, 2.0), (y, 15.0), (w, -0.5)], -1e-3, INF)
    );
    let b = |n: &str| {
        let v = &m.vars[m.var_index(n).unwrap()];
        (v.kind, v.lower, v.upper)
    };
    use VarKind::*;
    assert_eq!(b("x"), (Continuous, 0.0, 40.0));
    assert_eq!(b("y"), (Continuous, -INF, INF));
    assert_eq!(b("z"), (Continuous, -INF, INF));
    assert_eq!(b("w"), (Continuous, 3.0, 3.0));
    assert_eq!(b("u"), (Integer, 0.0, 10.0));
    assert_eq!(b("v"), (Integer, -INF, INF));
    assert_eq!(b("t"), (Integer, 0.0, 4.0));
    assert_eq!(b("s"), (Continuous, -2.0, INF));
    assert_eq!(b("b1"), (Integer, 0.0, 1.0));
    assert_eq!(read_lp(&write_lp(&m)).unwrap(), m);
    assert_eq!(read_mps(&write_mps(&m)).unwrap(), m);
    // keywords are case-insensitive, alternative spellings
    let alt = "minimise\n x + y\nsuch that\n x + y >= 1\nbounds\n x <= 1\nbinaries\n y\nend\n";
    let m = read_lp(alt).unwrap();
    assert_eq!(m.sense, Sense::Minimize);
    assert_eq!(m.rows.len(), 1);
    let st = "Min\n obj: x\ns.t.\n x >= 1\nEND\n";
    assert_eq!(read_lp(st).unwrap().rows.len(), 1);
    let st = "minimum\n obj: x\nst\n c: x >= 1\n";
    assert_eq!(read_lp(st).unwrap().rows[0].name, "c");
}

#[test]
fn lp_hostile_inputs() {
    let cases: Vec<(&str, &str, &str, usize)> = vec![
        ("empty", "", "parse.missing", 1),
        (
            "no sense",
            "Subject To\n x >= 1\n",
            "parse.unexpected_token",
            1,
        ),
        (
            "missing rhs",
            "min\n x\nst\n c: x + y <=\n",
            "parse.unexpected_eof",
            4,
        ),
        (
            "missing operator",
            "min\n x\nst\n c: x + y\n",
            "parse.unexpected_eof",
            4,
        ),
        (
            "bad number",
            "min\n 1.2.3.4 x\n",
            "parse.unexpected_token",
            2,
        ),
        (
            "semi",
            "min\n x\nsemi-continuous\n x\n",
            "parse.unsupported",
            3,
        ),
        (
            "quadratic",
            "min\n obj: [ x ^ 2 ]\n",
            "parse.unsupported",
            2,
        ),
        (
            "duplicate name",
            "min\n x\nst\n c: x >= 1\n c: x <= 2\n",
            "parse.duplicate",
            5,
        ),
        (
            "garbage",
            "min\n x @# ~ \u{1}\n",
            "parse.unexpected_token",
            2,
        ),
        (
            "infinite eq",
            "min\n x\nst\n x = inf\n",
            "parse.invalid_number",
            4,
        ),
        (
            "inf coefficient",
            "min\n 1e400 x\n",
            "parse.invalid_number",
            2,
        ),
        (
            "bad bound",
            "min\n x\nbounds\n x <= -inf\n",
            "parse.inconsistent",
            4,
        ),
        (
            "bound coefficient",
            "min\n x\nbounds\n 2 x <= 3 <= 4\n",
            "parse.unexpected_token",
            4,
        ),
        (
            "general number",
            "min\n x\ngeneral\n 3\n",
            "parse.unexpected_token",
            4,
        ),
        (
            "twice objective",
            "min\n x\nmax\n x\n",
            "parse.duplicate",
            3,
        ),
    ];
    for (what, text, code, line) in cases {
        let e = read_lp(text).expect_err(what);
        assert_eq!(e.code(), code, "{what}: {e}");
        assert_eq!(e.format, Format::Lp, "{what}");
        assert_eq!(e.line, line, "{what}: {e}");
    }
}

fn tiny() -> MilpInstance {
    // min x + 2y, x + y >= 1.5, x - y <= 1, x integer in [0, 3], y in [0, 2]
    MilpInstance {
        name: "tiny".into(),
        sense: Sense::Minimize,
        objective_name: "obj".into(),
        obj_constant: 0.5,
        vars: vec![
            var("x", VarKind::Integer, 0.0, 3.0, 1.0),
            var("y", VarKind::Continuous, 0.0, 2.0, 2.0),
        ],
        rows: vec![
            row("cover", &[(0, 1.0), (1, 1.0)], 1.5, INF),
            row("diff", &[(0, 1.0), (1, -1.0)], -INF, 1.0),
        ],
    }
}

#[test]
fn checker_feasible_and_every_violation() {
    let inst = tiny();
    let ok = check(
        &inst,
        &MilpSolution {
            values: vec![1.0, 0.5],
        },
    );
    assert!(ok.is_feasible(), "{:?}", ok.violations);
    assert_eq!(ok.objective, 0.5 + 1.0 + 1.0);
    // within tolerance
    assert!(
        check(
            &inst,
            &MilpSolution {
                values: vec![1.0 + 1e-8, 0.5 - 1e-8],
            }
        )
        .is_feasible()
    );
    // integrality and row
    let r = check(
        &inst,
        &MilpSolution {
            values: vec![0.5, 0.5],
        },
    );
    assert_eq!(
        r.violations,
        vec![
            MilpViolation::NotIntegral {
                var: "x".into(),
                value: 0.5,
                by: 0.5
            },
            MilpViolation::RowViolated {
                row: "cover".into(),
                activity: 1.0,
                lower: 1.5,
                upper: INF,
                by: 0.5
            },
        ]
    );
    // bounds (upper and lower) and the second row
    let r = check(
        &inst,
        &MilpSolution {
            values: vec![4.0, -1.0],
        },
    );
    assert_eq!(r.objective, 0.5 + 4.0 - 2.0);
    assert_eq!(
        r.violations,
        vec![
            MilpViolation::BoundViolated {
                var: "x".into(),
                value: 4.0,
                lower: 0.0,
                upper: 3.0,
                by: 1.0
            },
            MilpViolation::BoundViolated {
                var: "y".into(),
                value: -1.0,
                lower: 0.0,
                upper: 2.0,
                by: 1.0
            },
            MilpViolation::RowViolated {
                row: "diff".into(),
                activity: 5.0,
                lower: -INF,
                upper: 1.0,
                by: 4.0
            },
        ]
    );
    // length
    let r = check(&inst, &MilpSolution { values: vec![1.0] });
    assert_eq!(
        r.violations,
        vec![MilpViolation::WrongLength {
            expected: 2,
            found: 1
        }]
    );
    let r = check(&inst, &MilpSolution { values: vec![] });
    assert_eq!(r.violations.len(), 1);
    // NaN and infinity
    let r = check(
        &inst,
        &MilpSolution {
            values: vec![f64::NAN, INF],
        },
    );
    assert_eq!(r.violations.len(), 2);
    assert!(
        matches!(&r.violations[0], MilpViolation::NotFinite { var, value } if var == "x" && value.is_nan())
    );
    assert!(
        matches!(&r.violations[1], MilpViolation::NotFinite { var, value } if var == "y" && *value == INF)
    );
    // a looser tolerance accepts, and reports serialise with infinite bounds
    let r = check_with_tolerance(
        &inst,
        &MilpSolution {
            values: vec![1.0, 0.49],
        },
        0.1,
    );
    assert!(r.is_feasible());
    let r = check(
        &inst,
        &MilpSolution {
            values: vec![0.5, 0.5],
        },
    );
    let json = serde_json::to_string(&r).unwrap();
    let back: quotient_problems::CheckReport<MilpViolation> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    // rows referring to missing variables and negative tolerances do not panic
    let mut bad = tiny();
    bad.rows[0].coefs.push((99, 1.0));
    let _ = check_with_tolerance(
        &bad,
        &MilpSolution {
            values: vec![1.0, 1.0],
        },
        -1.0,
    );
    let _ = check_with_tolerance(
        &bad,
        &MilpSolution {
            values: vec![1.0, 1.0],
        },
        f64::NAN,
    );
}

#[test]
fn solutions_read_and_write() {
    let inst = tiny();
    let sol = MilpSolution {
        values: vec![1.0, 0.1 + 0.2],
    };
    let text = write_solution(&inst, &sol, 2.5);
    assert!(text.starts_with("# objective 2.5\n"));
    assert_eq!(read_solution(&text, &inst).unwrap(), sol);
    // headers and omitted zeros
    let t = "=obj= 12\nobjective value: 12\nsolution status: optimal\n\n# c\ny 2 (obj:4)\n";
    assert_eq!(read_solution(t, &inst).unwrap().values, vec![0.0, 2.0]);
    let e = read_solution("x 1\nz 2\n", &inst).unwrap_err();
    assert_eq!((e.code(), e.line), ("parse.unexpected_token", 2));
    let e = read_solution("x 1\nx 2\n", &inst).unwrap_err();
    assert_eq!((e.code(), e.line), ("parse.duplicate", 2));
    let e = read_solution("x nan\n", &inst).unwrap_err();
    assert_eq!((e.code(), e.line), ("parse.invalid_number", 1));
    let e = read_solution("x\n", &inst).unwrap_err();
    assert_eq!(e.code(), "parse.unexpected_token");
    assert_eq!(e.format, Format::MilpSolution);
    // generated instance: write/read a solution and check it
    let sc = set_cover(20, 30, 0.1, 9);
    let all = MilpSolution {
        values: vec![1.0; 30],
    };
    let rep = check(&sc, &all);
    assert!(rep.is_feasible());
    let text = write_solution(&sc, &all, rep.objective);
    assert_eq!(read_solution(&text, &sc).unwrap(), all);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,200}") {
        let _ = read_mps(&s);
        let _ = read_lp(&s);
        let _ = read_milp(s.as_bytes(), "x");
        let _ = read_solution(&s, &tiny());
    }

    #[test]
    fn mutated_files_never_panic(
        which in 0usize..3,
        pos in 0usize..10_000,
        cut in 0usize..10_000,
        byte in any::<u8>(),
    ) {
        let base = match which {
            0 => BOUNDS_MPS.to_string(),
            1 => LP_ALL.to_string(),
            _ => write_mps(&tricky()),
        };
        let mut bytes = base.into_bytes();
        let n = bytes.len();
        bytes[pos % n] = byte;
        bytes.truncate(n - cut % n);
        let _ = read_milp(&bytes, "x.mps");
        let _ = read_milp(&bytes, "x.lp");
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = read_mps(s);
            let _ = read_lp(s);
        }
    }

    #[test]
    fn random_models_round_trip(
        nv in 1usize..6,
        rows in proptest::collection::vec(
            (proptest::collection::vec((0usize..6, -1e3f64..1e3), 0..5), -1e3f64..1e3, 0f64..1e3, 0u8..4),
            0..5,
        ),
        bnds in proptest::collection::vec((-1e3f64..1e3, 0f64..1e3, 0u8..5, any::<bool>(), -1e3f64..1e3), 6),
        maximize in any::<bool>(),
    ) {
        let vars: Vec<Variable> = (0..nv).map(|j| {
            let (lo, w, k, int, obj) = bnds[j];
            let (lower, upper) = match k { 0 => (lo, lo + w), 1 => (-INF, lo), 2 => (lo, INF), 3 => (-INF, INF), _ => (0.0, INF) };
            var(&format!("v{j}"), if int { VarKind::Integer } else { VarKind::Continuous }, lower, upper, obj)
        }).collect();
        let rows: Vec<Row> = rows.into_iter().enumerate().map(|(i, (coefs, lo, w, k))| {
            let mut seen = std::collections::HashSet::new();
            let coefs: Vec<(usize, f64)> = coefs.into_iter()
                .filter(|&(j, v)| j < nv && v != 0.0 && seen.insert(j))
                .collect();
            let (lower, upper) = match k { 0 => (lo, lo + w), 1 => (-INF, lo), 2 => (lo, INF), _ => (lo, lo) };
            row(&format!("r{i}"), &coefs, lower, upper)
        }).collect();
        let mut coefs_sorted = rows.clone();
        for r in &mut coefs_sorted { r.coefs.sort_by_key(|c| c.0); }
        let inst = MilpInstance {
            name: "p".into(),
            sense: if maximize { Sense::Maximize } else { Sense::Minimize },
            objective_name: "obj".into(),
            obj_constant: 1.5,
            vars,
            rows: coefs_sorted,
        };
        prop_assert_eq!(read_mps(&write_mps(&inst)).unwrap(), inst.clone());
        prop_assert_eq!(read_lp(&write_lp(&inst)).unwrap(), inst.clone());
        assert_json_round_trip(&inst);
    }
}

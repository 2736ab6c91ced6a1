//! Integration tests of the `quotient` binary: golden outputs, the solve -> check pipeline for
//! every family, the benchmark reference solutions, batch resumption and error reporting.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn quotient(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench() -> Option<PathBuf> {
    let p = root().join("../shared/bench");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/bench not found");
        None
    }
}

fn example(rel: &str) -> String {
    root()
        .join("instances")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

/// Solve with --json, check the JSON's shape, then feed it back to `quotient check`.
fn solve_and_check(file: &str, family: &str, extra: &[&str]) -> Value {
    let mut args = vec!["solve", file, "--json", "--time-limit", "2"];
    args.extend_from_slice(extra);
    let out = quotient(&args);
    assert!(
        out.status.success(),
        "solve failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "exactly one JSON line: {text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "instance",
        "family",
        "solver",
        "status",
        "objective",
        "bound",
        "elapsed_ms",
        "solution",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["family"], family);
    assert!(
        matches!(v["status"].as_str(), Some("optimal" | "feasible")),
        "{v}"
    );
    let dir = tempfile::tempdir().unwrap();
    let sol = dir.path().join("sol.json");
    std::fs::write(&sol, &text).unwrap();
    let chk = quotient(&["check", file, sol.to_str().unwrap(), "--json"]);
    assert!(
        chk.status.success(),
        "check rejected the solve output: {}",
        stdout(&chk)
    );
    let c: Value = serde_json::from_str(&stdout(&chk)).unwrap();
    assert_eq!(c["feasible"], true);
    let (a, b) = (
        c["objective"].as_f64().unwrap(),
        v["objective"].as_f64().unwrap(),
    );
    assert!(
        (a - b).abs() <= 1e-6 * a.abs().max(1.0),
        "check objective {a} != solve objective {b}"
    );
    v
}

#[test]
fn solve_json_tsp_example() {
    let v = solve_and_check(&example("tsp/uniform-n200-s1.tsp"), "tsp", &[]);
    assert_eq!(v["solution"]["tour"].as_array().unwrap().len(), 200);
}

#[test]
fn solve_json_cvrp_example() {
    let v = solve_and_check(&example("cvrp/X-style-n100-s1.vrp"), "cvrp", &[]);
    let served: usize = v["solution"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().len())
        .sum();
    assert_eq!(served, 100);
}

#[test]
fn solve_json_jssp_example() {
    let v = solve_and_check(&example("jssp/ta-style-10x10-s1.txt"), "jssp", &[]);
    assert_eq!(v["solution"]["start"].as_array().unwrap().len(), 10);
}

#[test]
fn solve_json_fjsp_example() {
    let file = example("fjsp/fjsp-10x6-f0.5-s1.txt");
    let v = solve_and_check(&file, "fjsp", &["--family", "fjsp"]);
    assert_eq!(v["solver"], "fjsp.tabu");
    assert_eq!(v["solution"]["machine"].as_array().unwrap().len(), 10);
    assert_eq!(v["solution"]["start"].as_array().unwrap().len(), 10);
    // Detected from the content as well; the native schedule is checked too.
    let dir = tempfile::tempdir().unwrap();
    let sol = dir.path().join("sol.txt");
    let out = quotient(&[
        "solve",
        &file,
        "--solver",
        "fjsp.dispatch",
        "-o",
        sol.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let chk = quotient(&["check", &file, sol.to_str().unwrap()]);
    assert!(chk.status.success(), "{}", stdout(&chk));
    // A schedule on an ineligible machine is a violation with exit code 1.
    let text = std::fs::read_to_string(&sol).unwrap();
    let inst = std::fs::read_to_string(&file).unwrap();
    let first_job: Vec<&str> = inst.lines().nth(1).unwrap().split_whitespace().collect();
    // `k  c m t m t ...`: the first operation's c eligible machines, 1-based.
    let eligible: Vec<usize> = (0..first_job[1].parse::<usize>().unwrap())
        .map(|a| first_job[2 + 2 * a].parse::<usize>().unwrap() - 1)
        .collect();
    let bad_machine = (0..6).find(|m| !eligible.contains(m)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = lines.iter().position(|l| !l.starts_with('#')).unwrap() + 1;
    let mut toks: Vec<String> = lines[row].split_whitespace().map(str::to_string).collect();
    toks[0] = bad_machine.to_string();
    lines[row] = toks.join(" ");
    std::fs::write(&sol, lines.join("\n")).unwrap();
    let chk = quotient(&["check", &file, sol.to_str().unwrap(), "--json"]);
    assert_eq!(chk.status.code(), Some(1), "{}", stdout(&chk));
    assert!(
        stdout(&chk).contains("ineligible_machine"),
        "{}",
        stdout(&chk)
    );
}

#[test]
fn solve_json_milp_example_is_optimal() {
    let v = solve_and_check(
        &example("milp/setcover-100x200-s1.mps"),
        "milp",
        &["--threads", "1"],
    );
    assert_eq!(v["status"], "optimal");
    let (o, b) = (
        v["objective"].as_f64().unwrap(),
        v["bound"].as_f64().unwrap(),
    );
    assert!((o - b).abs() <= 1e-6 * o.abs().max(1.0));
}

#[test]
fn solve_json_milp_alns_is_checked() {
    for file in ["milp/cfl-30x10-s1.lp", "milp/setcover-100x200-s1.mps"] {
        let v = solve_and_check(
            &example(file),
            "milp",
            &["--solver", "milp.alns", "--threads", "2", "--seed", "3"],
        );
        assert_eq!(v["solver"], "milp.alns");
        assert!(v["elapsed_ms"].as_f64().unwrap() < 3000.0, "{v}");
    }
}

#[test]
fn solve_writes_native_solution_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    for (file, ext) in [
        ("tsp/uniform-n200-s1.tsp", "tour"),
        ("cvrp/X-style-n100-s1.vrp", "sol"),
        ("jssp/ta-style-10x10-s1.txt", "schedule"),
        ("milp/setcover-100x200-s1.mps", "txt"),
    ] {
        let out_path = dir.path().join(format!("out.{ext}"));
        let f = example(file);
        let o = quotient(&[
            "solve",
            &f,
            "--out",
            out_path.to_str().unwrap(),
            "--time-limit",
            "1",
        ]);
        assert!(
            o.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let c = quotient(&["check", &f, out_path.to_str().unwrap()]);
        assert!(c.status.success(), "{file}: {}", stdout(&c));
        assert!(stdout(&c).contains("feasible   yes"));
    }
}

#[test]
fn golden_gen_outputs() {
    // Generators are seeded and deterministic: their text is pinned in tests/golden.
    let cases: &[(&[&str], &str)] = &[
        (
            &["gen", "tsp", "-n", "12", "--seed", "7"],
            "gen-tsp-n12-s7.tsp",
        ),
        (
            &[
                "gen",
                "jssp",
                "--jobs",
                "4",
                "--machines",
                "3",
                "--seed",
                "7",
            ],
            "gen-jssp-4x3-s7.txt",
        ),
        (
            &["gen", "cvrp", "-n", "10", "--seed", "7"],
            "gen-cvrp-n10-s7.vrp",
        ),
        (
            &[
                "gen",
                "milp",
                "--kind",
                "setcover",
                "--rows",
                "6",
                "--cols",
                "8",
                "--density",
                "0.3",
                "--seed",
                "7",
            ],
            "gen-setcover-6x8-s7.mps",
        ),
    ];
    for (args, golden) in cases {
        let o = quotient(args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let path = root().join("tests/golden").join(golden);
        if std::env::var_os("QUOTIENT_BLESS").is_some() {
            std::fs::write(&path, &o.stdout).unwrap();
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
        assert_eq!(
            stdout(&o),
            expected,
            "{args:?} differs from {golden} (QUOTIENT_BLESS=1 to update)"
        );
    }
}

#[test]
fn golden_taillard_ta01_reproduced_by_gen() {
    let Some(b) = bench() else { return };
    let o = quotient(&[
        "gen",
        "jssp",
        "--jobs",
        "15",
        "--machines",
        "15",
        "--time-seed",
        "840612802",
        "--machine-seed",
        "398197754",
        "--json",
    ]);
    assert!(o.status.success());
    let generated: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ta01.json");
    std::fs::write(&p, stdout(&o)).unwrap();
    // Same jobs as the benchmark file: solving both gives identical makespans with the same solver.
    let solve = |f: &str| -> Value {
        serde_json::from_str(&stdout(&quotient(&[
            "solve",
            f,
            "--json",
            "--solver",
            "jssp.dispatch",
        ])))
        .unwrap()
    };
    let a = solve(p.to_str().unwrap());
    let f = b.join("jssp/ta01.txt");
    let c = solve(f.to_str().unwrap());
    assert_eq!(a["objective"], c["objective"]);
    assert_eq!(generated["jobs"].as_array().unwrap().len(), 15);
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn check_confirms_every_tsplib_opt_tour() {
    let Some(b) = bench() else { return };
    let reference: std::collections::HashMap<String, f64> = read_csv(&b.join("tsp/optimal.csv"))
        .into_iter()
        .map(|r| (r[0].clone(), r[3].parse().unwrap()))
        .collect();
    let mut count = 0;
    for entry in std::fs::read_dir(b.join("tsp")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".opt.tour") else {
            continue;
        };
        let inst = b.join("tsp").join(format!("{stem}.tsp"));
        let o = quotient(&[
            "check",
            inst.to_str().unwrap(),
            p.to_str().unwrap(),
            "--json",
        ]);
        assert!(o.status.success(), "{name}: {}", stdout(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["objective"].as_f64().unwrap(), reference[stem], "{name}");
        count += 1;
    }
    assert_eq!(count, 32);
}

#[test]
fn check_confirms_every_cvrplib_sol() {
    let Some(b) = bench() else { return };
    let rows = read_csv(&b.join("cvrp/bks.csv"));
    let mut count = 0;
    for r in rows {
        let (name, bks) = (&r[0], r[3].parse::<f64>().unwrap());
        let sol = b.join("cvrp").join(format!("{name}.sol"));
        if !sol.exists() {
            continue;
        }
        let inst = b.join("cvrp").join(format!("{name}.vrp"));
        let o = quotient(&[
            "check",
            inst.to_str().unwrap(),
            sol.to_str().unwrap(),
            "--json",
        ]);
        assert!(o.status.success(), "{name}: {}", stdout(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let obj = v["objective"].as_f64().unwrap();
        if name.starts_with("CMT") {
            // CMT BKS values are printed with 2 decimals (CMT11's is truncated, not rounded).
            assert!((obj - bks).abs() < 0.01, "{name}: {obj} vs {bks}");
        } else {
            assert_eq!(obj, bks, "{name}");
        }
        count += 1;
    }
    assert_eq!(count, 203);
}

#[test]
fn check_reports_violations_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let tour = dir.path().join("bad.json");
    std::fs::write(&tour, r#"{"tour": [0, 1, 1]}"#).unwrap();
    let f = example("tsp/uniform-n200-s1.tsp");
    let o = quotient(&["check", &f, tour.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["feasible"], false);
    assert!(!v["violations"].as_array().unwrap().is_empty());
}

#[test]
fn malformed_input_is_a_clear_error_with_line_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.tsp");
    std::fs::write(&p, "NAME: bad\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 x 1\n3 1 1\nEOF\n").unwrap();
    let o = quotient(&["solve", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 7"), "{err}");
    assert!(err.contains("parse.invalid_number"), "{err}");

    let huge = dir.path().join("huge.tsp");
    std::fs::write(&huge, "NAME: h\nTYPE: TSP\nDIMENSION: 99999999999999\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\nEOF\n").unwrap();
    let o = quotient(&["solve", huge.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));

    let o = quotient(&["solve", "/nonexistent/file.tsp"]);
    assert_eq!(o.status.code(), Some(2));
    let o = quotient(&[
        "solve",
        &example("tsp/uniform-n200-s1.tsp"),
        "--solver",
        "cvrp.savings",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("solve.wrong_family"));
    // A parameter the solver does not take, and a malformed --param.
    let o = quotient(&[
        "solve",
        &example("tsp/uniform-n200-s1.tsp"),
        "--solver",
        "tsp.nn",
        "--param",
        "beam=2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("solve.invalid_option") && err.contains("no parameter `beam`"),
        "{err}"
    );
    let o = quotient(&[
        "solve",
        &example("tsp/uniform-n200-s1.tsp"),
        "--param",
        "beam",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = quotient(&[
        "solve",
        &example("tsp/uniform-n200-s1.tsp"),
        "--time-limit",
        "-3",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn solvers_lists_every_family() {
    let o = quotient(&["solvers", "--json"]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["models"].is_array());
    assert!(v["onnx_runtime"].is_boolean());
    let fams: std::collections::HashSet<&str> = v["solvers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["family"].as_str().unwrap())
        .collect();
    for f in ["tsp", "cvrp", "jssp", "milp"] {
        assert!(fams.contains(f), "{f} missing");
    }
}

#[test]
fn the_execution_provider_is_reported_and_a_missing_cuda_is_an_error() {
    let o = quotient(&["solvers", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    if v["onnx_runtime"] != Value::Bool(true) {
        eprintln!("SKIPPED: the ONNX Runtime library is not installed (scripts/setup)");
        return;
    }
    let provider = v["execution_provider"].as_str().unwrap();
    assert!(provider == "CPU" || provider == "CUDA", "{provider}");
    let solve = |setting: &str| {
        Command::new(env!("CARGO_BIN_EXE_quotient"))
            .args([
                "solve",
                &example("tsp/uniform-n200-s1.tsp"),
                "--solver",
                "tsp.bq",
            ])
            .env("QUOTIENT_ORT_PROVIDER", setting)
            .output()
            .unwrap()
    };
    let o = solve("cpu");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = solve("tpu");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("QUOTIENT_ORT_PROVIDER"));
    if provider == "CPU" {
        // The runtime here is the CPU wheel: asking for CUDA by name is an error, not a
        // silent fall-back.
        let o = solve("cuda");
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("no CUDA execution provider"));
    }
}

#[test]
fn batch_is_resumable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.jsonl");
    let files = [
        example("tsp/uniform-n200-s1.tsp"),
        example("jssp/ta-style-10x10-s1.txt"),
    ];
    let o = quotient(&[
        "batch",
        &files[0],
        "--out",
        out.to_str().unwrap(),
        "--time-limit",
        "1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Simulate an interrupted write: a partial line at the end.
    let mut text = std::fs::read_to_string(&out).unwrap();
    text.push_str("{\"file\": \"trunc");
    std::fs::write(&out, text).unwrap();
    let o = quotient(&[
        "batch",
        &files[0],
        &files[1],
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "2",
        "--time-limit",
        "1",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 to solve, 1 already"));
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines
            .iter()
            .all(|l| l["status"] == "feasible" || l["status"] == "optimal")
    );
}

#[test]
fn bench_reports_gaps_against_the_reference_csv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        example("jssp/ta-style-10x10-s1.txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bounds.csv"),
        "name,jobs,machines,lb,ub,optimal\na,10,10,1,1,true\n",
    )
    .unwrap();
    let csv_out = dir.path().join("out.csv");
    let o = quotient(&[
        "bench",
        dir.path().to_str().unwrap(),
        "--time-limit",
        "1",
        "--solver",
        "jssp.dispatch",
        "--out",
        csv_out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = stdout(&o);
    assert!(table.contains("mean gap"), "{table}");
    let csv = std::fs::read_to_string(&csv_out).unwrap();
    assert!(
        csv.lines().nth(1).unwrap().starts_with("a,100,1.0,954.0,"),
        "{csv}"
    );
}

/// One HTTP/1.1 request over a plain socket (the root package has no HTTP client).
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_answers_and_stops_on_sigterm() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["serve", "--addr", "127.0.0.1:0", "--max-concurrent", "1"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let (status, body) = http(&addr, "GET", "/healthz", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"ok\""), "{body}");
    let req = serde_json::json!({"format": "tsplib", "options": {"solver": "tsp.nn"},
        "instance": "NAME: sq\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n"});
    let (status, body) = http(&addr, "POST", "/v1/solve", &req.to_string());
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["objective"], 40.0);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert!(rest.contains("stopped"), "{rest}");
}

#[test]
fn worker_and_api_only_need_a_shared_store_and_bad_key_files_are_refused() {
    let o = quotient(&["worker", "--store", "memory"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("shared store"), "{err}");
    let o = quotient(&["serve", "--addr", "127.0.0.1:0", "--api-only"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--api-only needs a shared store"), "{err}");
    let o = quotient(&["serve", "--addr", "127.0.0.1:0", "--store", "mysql://x"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown store"));
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.txt");
    std::fs::write(&keys, "acme 0123456789abcdef\nglobex short\n").unwrap();
    let o = quotient(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--api-keys",
        keys.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 2") && err.contains("shorter"), "{err}");
}

#[test]
fn solve_plot_and_trace_then_plot_the_json_answer_and_the_trace() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let jssp = example("jssp/ta-style-10x10-s1.txt");
    let o = quotient(&[
        "solve",
        &jssp,
        "--solver",
        "jssp.tabu",
        "-t",
        "1",
        "--threads",
        "1",
        "--json",
        "--plot",
        &d("gantt.svg"),
        "--trace",
        &d("trace.json"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let answer: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let gantt = std::fs::read_to_string(d("gantt.svg")).unwrap();
    let makespan = answer["objective"].as_f64().unwrap();
    assert!(
        gantt.contains(&format!("makespan {makespan}")),
        "no makespan label"
    );
    // 100 operations, one filled bar each, plus the background.
    let bars = gantt.matches("<rect").count();
    assert!(bars > 100, "{bars} rects");
    let trace: Value =
        serde_json::from_str(&std::fs::read_to_string(d("trace.json")).unwrap()).unwrap();
    let imps = trace["improvements"].as_array().unwrap();
    assert!(!imps.is_empty());
    assert_eq!(imps.last().unwrap()["objective"].as_f64(), Some(makespan));
    assert_eq!(trace["solver"], "jssp.tabu");
    // `plot` reads the `solve --json` answer and draws its bound; and the trace.
    std::fs::write(d("answer.json"), stdout(&o)).unwrap();
    let o = quotient(&[
        "plot",
        &jssp,
        &d("answer.json"),
        "--out",
        &d("again.svg"),
        "--title",
        "My shop",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        std::fs::read_to_string(d("again.svg"))
            .unwrap()
            .contains("My shop")
    );
    let o = quotient(&["plot", "--trace", &d("trace.json")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = std::fs::read_to_string(d("trace.svg")).unwrap();
    assert!(t.contains("jssp.tabu: ") && t.contains("incumbent"));
}

#[test]
fn plot_refuses_what_has_no_picture_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    // MILP: refused before solving.
    let milp = example("milp/cfl-30x10-s1.lp");
    let o = quotient(&["solve", &milp, "--plot", &d("m.svg")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("has no picture") && err.contains("[plot.not_drawable]"),
        "{err}"
    );
    assert!(!dir.path().join("m.svg").exists());
    // A TSP given by a matrix without display data.
    let tsp = d("m.tsp");
    std::fs::write(
        &tsp,
        "NAME: m\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\n\
         EDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n1 0 3\n2 3 0\nEOF\n",
    )
    .unwrap();
    std::fs::write(d("m.tour"), "TOUR_SECTION\n1\n2\n3\n-1\nEOF\n").unwrap();
    let o = quotient(&["plot", &tsp, &d("m.tour")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("neither node coordinates nor DISPLAY_DATA"),
        "{err}"
    );
    // A malformed trace names its line.
    std::fs::write(d("t.json"), "{\n \"instance\": \"x\",\n oops\n}").unwrap();
    let o = quotient(&["plot", "--trace", &d("t.json")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 3") && err.contains("[plot.bad_trace]"),
        "{err}"
    );
    // Neither a solution nor a trace.
    let o = quotient(&["plot", &tsp]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn older_parameter_flags_apply_to_the_solvers_that_take_them_only() {
    // `--beam 3` for a solver without a beam is refused, naming the option (it used to be
    // ignored silently); `--beam 0` (off, the old default) is accepted everywhere.
    let o = quotient(&[
        "solve",
        &example("tsp/uniform-n200-s1.tsp"),
        "--solver",
        "tsp.nn",
        "--beam",
        "3",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("invalid option beam")
            && err.contains("solver `tsp.nn` has no parameter `beam` (it takes none)")
            && err.contains("solve.invalid_option"),
        "{err}"
    );
    let o = quotient(&[
        "solve",
        &example("tsp/uniform-n200-s1.tsp"),
        "--solver",
        "tsp.nn",
        "--beam",
        "0",
        "--threads",
        "0",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["solver"], "tsp.nn");
}

#[test]
fn solvers_and_the_param_help_read_the_registry() {
    let o = quotient(&["solvers"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("--param steps=1..=100000000 (default 5000): improvement steps"),
        "{text}"
    );
    assert!(
        text.contains("--param beam=1..=1024 (default off)"),
        "{text}"
    );
    // Where the models come from is said (embedded unless QUOTIENT_MODELS names a directory).
    assert!(text.contains("models (embedded in the binary)"), "{text}");
    let o = quotient(&["solve", "--help"]);
    let help = stdout(&o);
    assert!(
        help.contains("steps=1..=100000000 (jssp.l2s)")
            && help.contains("beam=1..=1024 (tsp.bq, tsp.bq+ils, cvrp.bq, cvrp.bq+ils)"),
        "{help}"
    );
}

#[test]
fn a_missing_onnx_runtime_says_where_it_was_looked_for() {
    let o = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["solvers", "--json"])
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["onnx_runtime"], Value::Bool(false));
    assert_eq!(v["models_from"], "embedded in the binary");
    let bq = v["solvers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "tsp.bq")
        .unwrap();
    let why = bq["unavailable_because"].as_str().unwrap();
    assert!(
        why.contains("ORT_DYLIB_PATH=/nonexistent/libonnxruntime.so")
            && why.contains("neural.runtime_missing"),
        "{why}"
    );
}

#[test]
fn the_readme_documents_every_reader_limit_and_a_bad_limit_is_a_usage_error() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for name in quotient::problems::ReadLimits::NAMES {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README lacks the limit {name}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["--limit", "max_jobs=-3", "solvers"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("max_jobs"), "{err}");
    // A lowered limit refuses an instance that the default admits, naming the limit.
    let out = Command::new(env!("CARGO_BIN_EXE_quotient"))
        .args(["--limit", "max_coord_nodes=100", "solve"])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/instances/tsp/uniform-n200-s1.tsp"
        ))
        .args(["--solver", "tsp.nn"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("max_coord_nodes"), "{err}");
}

/// Issue 25: `--variant` on `solve`, `check` and `gen`: a classic file solved as a blocking
/// job shop, its schedule checked under every variant (a swap schedule may fail the no-swap
/// check, a no-swap one passes all), and the generator's `# variant:` line.
#[test]
fn blocking_variants_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("b.txt");
    let g = quotient(&[
        "gen",
        "jssp",
        "--jobs",
        "6",
        "--machines",
        "4",
        "--variant",
        "blocking",
        "--seed",
        "3",
        "-o",
        inst.to_str().unwrap(),
    ]);
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    let text = std::fs::read_to_string(&inst).unwrap();
    assert!(text.starts_with("# variant: blocking\n"), "{text}");
    // The file's line picks the variant, so `auto` picks the blocking solver.
    let inst = inst.to_str().unwrap();
    let v = solve_and_check(inst, "jssp", &["--threads", "1"]);
    assert_eq!(v["solver"], "jssp.blocking", "{v}");
    let sol = dir.path().join("sol.json");
    let out = quotient(&["solve", inst, "-t", "0.3", "--threads", "1", "--json"]);
    std::fs::write(&sol, &out.stdout).unwrap();
    for variant in ["blocking", "swap", "iswap", "classic"] {
        let c = quotient(&[
            "check",
            inst,
            sol.to_str().unwrap(),
            "--variant",
            variant,
            "--json",
        ]);
        let c: Value = serde_json::from_str(&stdout(&c)).unwrap();
        assert_eq!(c["feasible"], true, "{variant}: {c}");
    }
    // `--variant` overrides: a classic solver refuses the blocking instance, and the classic
    // reading solves with jssp.tabu.
    let refused = quotient(&["solve", inst, "--solver", "jssp.tabu", "--json"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("blocking")
            || stdout(&refused).contains("blocking"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let swap = quotient(&[
        "solve",
        inst,
        "--variant",
        "swap",
        "-t",
        "0.3",
        "--threads",
        "1",
        "--json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&swap)).unwrap();
    assert_eq!(v["solver"], "jssp.blocking", "{v}");
    let ssol = dir.path().join("swap.json");
    std::fs::write(&ssol, &swap.stdout).unwrap();
    let c = quotient(&[
        "check",
        inst,
        ssol.to_str().unwrap(),
        "--variant",
        "swap",
        "--json",
    ]);
    let c: Value = serde_json::from_str(&stdout(&c)).unwrap();
    assert_eq!(c["feasible"], true, "{c}");
    assert_eq!(c["objective"], v["objective"], "{c}");
    // A schedule that only the classic job shop accepts fails `check --variant blocking`
    // with typed violations.
    let classic = quotient(&[
        "solve",
        inst,
        "--variant",
        "classic",
        "--solver",
        "jssp.dispatch",
        "--json",
    ]);
    assert!(classic.status.success());
    let csol = dir.path().join("classic.json");
    std::fs::write(&csol, &classic.stdout).unwrap();
    let c = quotient(&[
        "check",
        inst,
        csol.to_str().unwrap(),
        "--variant",
        "classic",
        "--json",
    ]);
    let c: Value = serde_json::from_str(&stdout(&c)).unwrap();
    assert_eq!(c["feasible"], true, "{c}");
    let c = quotient(&["check", inst, csol.to_str().unwrap(), "--json"]);
    let c: Value = serde_json::from_str(&stdout(&c)).unwrap();
    if c["feasible"] == false {
        let kinds: Vec<&str> = c["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.iter().all(|k| *k == "blocked" || *k == "swap"), "{c}");
    }
    // A variant for another family is an error.
    let tsp = example("tsp/uniform-n200-s1.tsp");
    let bad = quotient(&["solve", &tsp, "--variant", "blocking"]);
    assert!(!bad.status.success());
}

fn json_of(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(&stdout(o)).unwrap()
}

/// Issue 25, the interrupting part of ISBJSSP: `quotient simulate` runs the rules and offline
/// schedules online under seeded machine shutdowns, every realized schedule checked.
#[test]
fn simulate_runs_rules_and_schedules_under_shutdowns() {
    let inst = example("jssp/ta-style-10x10-s1.txt");
    let inst = inst.as_str();
    // Without failures every scenario is the nominal run (the file states no variant: iswap).
    let v = json_of(&quotient(&[
        "simulate",
        inst,
        "--shutdown-prob",
        "0",
        "--scenarios",
        "3",
        "--json",
    ]));
    assert_eq!(v["variant"], "iswap", "{v}");
    let rows = v["policies"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["policy"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "sim-fifo",
            "sim-spt",
            "sim-lpt",
            "sim-mwkr",
            "sim-mor",
            "sim-random"
        ]
    );
    for r in rows {
        assert_eq!(r["mean"], r["nominal_mean"], "{r}");
        assert_eq!(r["mean_failures"], 0.0, "{r}");
        assert_eq!(r["verified"], 6, "{r}");
    }
    assert_eq!(v["verified"], 36);
    // An offline schedule, saved and executed, beside a rule and a solver's schedule.
    let dir = tempfile::tempdir().unwrap();
    let sched = dir.path().join("ig.txt");
    let solved = json_of(&quotient(&[
        "solve",
        inst,
        "--variant",
        "iswap",
        "--solver",
        "jssp.blocking",
        "-t",
        "0.5",
        "--threads",
        "1",
        "--json",
        "-o",
        sched.to_str().unwrap(),
    ]));
    let schedule = format!("schedule:{}", sched.display());
    let schedule = schedule.as_str();
    let args = [
        "simulate",
        inst,
        "--shutdown-prob",
        "0.01",
        "--scenarios",
        "20",
        "--seed",
        "4",
        "--policy",
        "sim-mwkr",
        "--policy",
        schedule,
        "--policy",
        "solver:jssp.blocking-dispatch",
        "--json",
    ];
    let a = quotient(&args);
    let v = json_of(&a);
    assert_eq!(v["repair_default"], true);
    assert!(v["repair"].as_i64().unwrap() >= 1);
    let rows = v["policies"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1]["offline"].as_f64(),
        solved["objective"].as_f64(),
        "{v}"
    );
    for r in rows {
        assert_eq!(r["verified"], 40, "{r}");
        assert!(r["mean_failures"].as_f64().unwrap() > 0.0, "{r}");
        let (min, med, max) = (
            r["min"].as_f64().unwrap(),
            r["median"].as_f64().unwrap(),
            r["max"].as_f64().unwrap(),
        );
        assert!(min <= med && med <= max, "{r}");
    }
    for r in &rows[1..] {
        // An executed schedule: without failures no later than offline, with them no earlier.
        let nominal = r["nominal_mean"].as_f64().unwrap();
        assert!(nominal <= r["offline"].as_f64().unwrap(), "{r}");
        assert!(r["min"].as_f64().unwrap() >= nominal, "{r}");
        assert!(r["mean"].as_f64().unwrap() > nominal, "{r}");
    }
    // Reproducible for a seed; another seed draws other failures.
    assert_eq!(stdout(&quotient(&args)), stdout(&a));
    let mut other = args;
    other[7] = "5";
    assert_ne!(stdout(&quotient(&other)), stdout(&a));
    // The table form.
    let t = quotient(&[
        "simulate",
        inst,
        "--shutdown-prob",
        "0.005",
        "--repair",
        "10",
        "--scenarios",
        "5",
        "--policy",
        "sim-spt",
    ]);
    assert!(t.status.success());
    let text = stdout(&t);
    assert!(
        text.contains("sim-spt") && text.contains("[1, 10]"),
        "{text}"
    );
    assert!(text.contains("verified   10 realized schedules"), "{text}");
}

#[test]
fn simulate_refuses_bad_input_with_clear_errors() {
    let inst = example("jssp/ta-style-10x10-s1.txt");
    let inst = inst.as_str();
    let dir = tempfile::tempdir().unwrap();
    let zeros = dir.path().join("zeros.txt");
    std::fs::write(
        &zeros,
        format!("10 10\n{}", "0 0 0 0 0 0 0 0 0 0\n".repeat(10)),
    )
    .unwrap();
    let zeros = format!("schedule:{}", zeros.display());
    let zeros = zeros.as_str();
    let tsp = example("tsp/uniform-n200-s1.tsp");
    let tsp = tsp.as_str();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![inst, "--shutdown-prob", "1"], "outside [0, 1)"),
        (vec![inst, "--shutdown-prob", "-0.1"], "outside [0, 1)"),
        (vec![inst, "--shutdown-prob", "nan"], "outside [0, 1)"),
        (
            vec![inst, "--shutdown-prob", "0.1", "--scenarios", "0"],
            "--scenarios",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--scenarios", "1000000"],
            "--scenarios",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--repair", "0"],
            "--repair",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--repair", "-4"],
            "--repair",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--policy", "sim-foo"],
            "unknown policy `sim-foo`",
        ),
        (
            vec![
                inst,
                "--shutdown-prob",
                "0.1",
                "--policy",
                "schedule:/no/such/file",
            ],
            "cannot read",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--policy", zeros],
            "infeasible",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--policy", "solver:tsp.ils"],
            "tsp",
        ),
        (
            vec![inst, "--shutdown-prob", "0.1", "--variant", "blocking"],
            "swap-allowed",
        ),
        (vec![tsp, "--shutdown-prob", "0.1"], tsp),
        (vec![inst], "--shutdown-prob"),
    ];
    for (extra, want) in cases {
        let mut args = vec!["simulate"];
        args.extend(extra.iter().copied());
        let o = quotient(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: `{want}` not in {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

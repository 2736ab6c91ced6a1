//! JSSP formats end to end: every benchmark instance in ../shared/bench/jssp, the schedule
//! format, the independent checker, the generators and hostile inputs.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use quotient_problems::ParseError;
use quotient_problems::jssp::check::{JsspViolation, check, machine_sequences};
use quotient_problems::jssp::generate;
use quotient_problems::jssp::read::{read_jssp, read_orlib, read_schedule, read_taillard};
use quotient_problems::jssp::write::{write_orlib, write_schedule, write_taillard};
use quotient_problems::jssp::{JsspInstance, JsspSolution, Operation};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn bench_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/jssp");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/bench not found");
        None
    }
}

#[derive(Debug)]
struct Bounds {
    jobs: usize,
    machines: usize,
    lb: i64,
    ub: i64,
}

fn bounds(dir: &Path) -> HashMap<String, Bounds> {
    let text = std::fs::read_to_string(dir.join("bounds.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap().trim(),
        "name,jobs,machines,lb,ub,optimal"
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.trim().split(',').collect();
            (
                f[0].to_string(),
                Bounds {
                    jobs: f[1].parse().unwrap(),
                    machines: f[2].parse().unwrap(),
                    lb: f[3].parse().unwrap(),
                    ub: f[4].parse().unwrap(),
                },
            )
        })
        .collect()
}

/// Every `<name>.txt` instance of the bench folder, sorted by name.
fn bench_files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// List scheduling written here, independent of the checker: repeatedly schedule the next
/// operation of the job that can start earliest (ties: lowest job), at
/// max(job ready, machine ready). Feasible by construction. Returns starts and makespan.
fn greedy(inst: &JsspInstance) -> (JsspSolution, i64) {
    let n = inst.num_jobs();
    let mut next = vec![0usize; n];
    let mut job_ready = vec![0i64; n];
    let mut mach_ready = vec![0i64; inst.machines];
    let mut start: Vec<Vec<i64>> = inst.jobs.iter().map(|j| vec![0; j.len()]).collect();
    let mut makespan = 0;
    for _ in 0..inst.num_ops() {
        let (est, j) = (0..n)
            .filter(|&j| next[j] < inst.jobs[j].len())
            .map(|j| {
                let op = inst.jobs[j][next[j]];
                (job_ready[j].max(mach_ready[op.machine]), j)
            })
            .min()
            .unwrap();
        let op = inst.jobs[j][next[j]];
        start[j][next[j]] = est;
        job_ready[j] = est + op.duration;
        mach_ready[op.machine] = est + op.duration;
        makespan = makespan.max(est + op.duration);
        next[j] += 1;
    }
    (JsspSolution { start }, makespan)
}

/// Semi-active decoding of an operation-based sequence (job j's k-th appearance = its op k).
fn decode(inst: &JsspInstance, seq: &[usize]) -> JsspSolution {
    let mut next = vec![0usize; inst.num_jobs()];
    let mut job_ready = vec![0i64; inst.num_jobs()];
    let mut mach_ready = vec![0i64; inst.machines];
    let mut start: Vec<Vec<i64>> = inst.jobs.iter().map(|j| vec![0; j.len()]).collect();
    for &j in seq {
        let op = inst.jobs[j][next[j]];
        let s = job_ready[j].max(mach_ready[op.machine]);
        start[j][next[j]] = s;
        job_ready[j] = s + op.duration;
        mach_ready[op.machine] = s + op.duration;
        next[j] += 1;
    }
    JsspSolution { start }
}

#[test]
fn all_bench_instances_parse_round_trip_and_schedule() {
    let Some(dir) = bench_dir() else { return };
    let bounds = bounds(&dir);
    let files = bench_files(&dir);
    assert_eq!(files.len(), 242, "instance files");
    assert_eq!(bounds.len(), 242, "bounds.csv rows");
    for (name, text) in &files {
        let b = bounds
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in bounds.csv"));
        let inst = read_jssp(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(inst.name, *name);
        assert_eq!(
            (inst.num_jobs(), inst.machines),
            (b.jobs, b.machines),
            "{name}"
        );
        assert_eq!(inst.num_ops(), b.jobs * b.machines, "{name}");
        assert_eq!(read_orlib(text, name).unwrap(), inst, "{name}");
        let lb0 = inst.trivial_lower_bound();
        assert!(lb0 <= b.lb, "{name}: trivial bound {lb0} > lb {}", b.lb);
        assert!(b.lb <= b.ub, "{name}");

        // Round trips: OR-Library, Taillard (labelled, bare, with Taillard's header), JSON.
        let orlib = write_orlib(&inst);
        assert_eq!(read_jssp(&orlib, name).unwrap(), inst, "{name} orlib");
        let ta = write_taillard(&inst);
        assert!(
            ta.contains("\nTimes\n") && ta.contains("\nMachines\n"),
            "{name}"
        );
        assert_eq!(read_taillard(&ta, name).unwrap(), inst, "{name} taillard");
        assert_eq!(read_jssp(&ta, name).unwrap(), inst, "{name} taillard auto");
        let bare: String = ta
            .lines()
            .filter(|l| *l != "Times" && *l != "Machines")
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            read_jssp(&bare, name).unwrap(),
            inst,
            "{name} bare taillard"
        );
        let with_header = format!(
            "Nb of jobs, Nb of Machines, Time seed, Machine seed, Upper bound, Lower bound\n {} {} 0 0 {} {}\n{}",
            b.jobs,
            b.machines,
            b.ub,
            b.lb,
            ta.split_once('\n').unwrap().1
        );
        assert_eq!(read_jssp(&with_header, name).unwrap(), inst, "{name}");
        let json = serde_json::to_string(&inst).unwrap();
        assert_eq!(
            serde_json::from_str::<JsspInstance>(&json).unwrap(),
            inst,
            "{name} json"
        );

        // A greedy schedule is feasible, its makespan recomputed, and at least the lower bound.
        let (sol, makespan) = greedy(&inst);
        let report = check(&inst, &sol);
        assert!(report.is_feasible(), "{name}: {:?}", report.violations);
        assert_eq!(report.objective, makespan as f64, "{name}");
        assert!(makespan >= b.lb, "{name}: greedy {makespan} < lb {}", b.lb);
        let seqs = machine_sequences(&inst, &sol);
        assert_eq!(seqs.len(), inst.machines);
        assert!(seqs.iter().all(|s| s.len() == inst.num_jobs()), "{name}");

        // Schedule text and JSON round trips.
        let text = write_schedule(&inst, &sol);
        assert!(text.contains(&format!("# makespan {makespan}\n")));
        assert_eq!(read_schedule(&text, &inst).unwrap(), sol, "{name} schedule");
        let json = serde_json::to_string(&sol).unwrap();
        assert_eq!(serde_json::from_str::<JsspSolution>(&json).unwrap(), sol);
    }
}

#[test]
fn taillard_generator_reproduces_ta01_and_ta02() {
    let Some(dir) = bench_dir() else { return };
    for (name, ts, ms) in [
        ("ta01", 840_612_802, 398_197_754),
        ("ta02", 1_314_640_371, 386_720_536),
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let file = read_jssp(&text, name).unwrap();
        let generated = generate::taillard(15, 15, ts, ms);
        assert_eq!(generated.jobs, file.jobs, "{name}");
        assert_eq!(generated.machines, file.machines);
    }
}

fn ft06() -> Option<JsspInstance> {
    let dir = bench_dir()?;
    let text = std::fs::read_to_string(dir.join("ft06.txt")).unwrap();
    Some(read_jssp(&text, "ft06").unwrap())
}

/// An optimal ft06 schedule (makespan 55), found offline by a search over operation
/// sequences and decoded semi-actively; the starts were cross-checked by a separate script.
const FT06_SEQUENCE: [usize; 36] = [
    1, 0, 2, 5, 1, 2, 4, 5, 0, 3, 1, 3, 2, 3, 4, 5, 2, 0, 5, 1, 3, 1, 0, 4, 2, 4, 1, 3, 2, 4, 5, 5,
    0, 3, 0, 4,
];

fn ft06_optimal() -> Vec<Vec<i64>> {
    vec![
        vec![0, 1, 25, 31, 41, 49],
        vec![0, 8, 13, 27, 40, 50],
        vec![1, 6, 10, 21, 31, 38],
        vec![11, 16, 22, 27, 30, 44],
        vec![13, 22, 25, 37, 50, 54],
        vec![8, 11, 18, 30, 45, 49],
    ]
}

#[test]
fn ft06_optimal_schedule_checks_out() {
    let Some(inst) = ft06() else { return };
    let sol = JsspSolution {
        start: ft06_optimal(),
    };
    assert_eq!(decode(&inst, &FT06_SEQUENCE), sol);
    let report = check(&inst, &sol);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_eq!(report.objective, 55.0);
    assert_eq!(
        machine_sequences(&inst, &sol)[0],
        vec![(0, 1), (3, 1), (2, 3), (5, 3), (1, 4), (4, 4)]
    );
    let text = write_schedule(&inst, &sol);
    assert!(
        text.starts_with(
            "# quotient JSSP schedule for ft06\n# makespan 55\n6 6\n0 1 25 31 41 49\n"
        )
    );
    assert!(text.contains("machine sequences\n0: 0/1 3/1 2/3 5/3 1/4 4/4\n"));
    assert_eq!(read_schedule(&text, &inst).unwrap(), sol);
    // Hand-written, minimal: no comments, no sequences.
    let minimal: String = std::iter::once("6 6".to_string())
        .chain(
            ft06_optimal()
                .iter()
                .map(|r| r.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")),
        )
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(read_schedule(&minimal, &inst).unwrap(), sol);
}

fn broken(edit: impl FnOnce(&mut Vec<Vec<i64>>)) -> (f64, Vec<JsspViolation>) {
    let inst = ft06().unwrap();
    let mut start = ft06_optimal();
    edit(&mut start);
    let r = check(&inst, &JsspSolution { start });
    (r.objective, r.violations)
}

#[test]
fn checker_reports_exact_violations() {
    if ft06().is_none() {
        return;
    }
    // Negative start of a first operation, nothing else broken.
    assert_eq!(
        broken(|s| s[1][0] = -5),
        (
            55.0,
            vec![JsspViolation::NegativeStart {
                job: 1,
                op: 0,
                start: -5
            }]
        )
    );
    // Job 0's last op (machine 4, 6 long) moved to 47: overlaps job 5's op 4 [45, 49) by 2.
    assert_eq!(
        broken(|s| s[0][5] = 47),
        (
            55.0,
            vec![JsspViolation::Overlap {
                machine: 4,
                first: (5, 4),
                second: (0, 5),
                by: 2
            }]
        )
    );
    // Job 2's first op (machine 2, 5 long) moved to 4: ends at 9, after its successor starts
    // at 6, and runs into job 1's op 1 on machine 2 at 8.
    assert_eq!(
        broken(|s| s[2][0] = 4),
        (
            55.0,
            vec![
                JsspViolation::Precedence {
                    job: 2,
                    op: 1,
                    start: 6,
                    earliest: 9,
                    by: 3
                },
                JsspViolation::Overlap {
                    machine: 2,
                    first: (2, 0),
                    second: (1, 1),
                    by: 1
                }
            ]
        )
    );
    // Job 0's last op moved to 40: before op 4 ends (44), and overlapping both neighbours on
    // machine 4: job 2's op 5 [38, 45) and job 5's op 4 [45, 49).
    assert_eq!(
        broken(|s| s[0][5] = 40),
        (
            55.0,
            vec![
                JsspViolation::Precedence {
                    job: 0,
                    op: 5,
                    start: 40,
                    earliest: 44,
                    by: 4
                },
                JsspViolation::Overlap {
                    machine: 4,
                    first: (2, 5),
                    second: (0, 5),
                    by: 5
                },
                JsspViolation::Overlap {
                    machine: 4,
                    first: (0, 5),
                    second: (5, 4),
                    by: 1
                }
            ]
        )
    );
    // Wrong counts: a job row dropped, an operation dropped, a surplus row.
    let (_, v) = broken(|s| {
        s.pop();
    });
    assert_eq!(
        v,
        vec![JsspViolation::WrongJobCount {
            expected: 6,
            found: 5
        }]
    );
    let (obj, v) = broken(|s| {
        s[3].pop();
    });
    assert_eq!(
        v,
        vec![JsspViolation::WrongOperationCount {
            job: 3,
            expected: 6,
            found: 5
        }]
    );
    assert_eq!(obj, 55.0);
    let (_, v) = broken(|s| s.push(vec![1, 2, 3]));
    assert_eq!(
        v,
        vec![JsspViolation::WrongJobCount {
            expected: 6,
            found: 7
        }]
    );
    // Violations serialise and come back equal.
    let (_, v) = broken(|s| s[0][5] = 40);
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<JsspViolation>>(&json).unwrap(),
        v
    );
}

fn assert_err(text: &str) -> ParseError {
    let e = read_jssp(text, "x").expect_err(text);
    let _ = read_orlib(text, "x");
    let _ = read_taillard(text, "x");
    assert!(!e.to_string().is_empty());
    assert!(e.line <= text.split('\n').count().max(1), "{text:?}: {e}");
    e
}

#[test]
fn hostile_instances_are_parse_errors() {
    let garbage = String::from_utf8_lossy(&[0xff, 0x00, 0x1f, 0x8b, 0x80, b'\n', 0xfe, b'7']);
    let long_line = format!("1 1\n{}\n", "0 1 ".repeat(200_000));
    let cases: Vec<(&str, &str)> = vec![
        ("", "parse.missing"),
        ("\n\n   \n", "parse.missing"),
        ("abc\ndef", "parse.missing"),
        ("6 6", "parse.unexpected_eof"),
        ("6 6\n2 1 0 3 1 6 3 7 5 3 4 6\n1 8 2", "parse.inconsistent"),
        ("3 2\n0 1 1 1\n0 1 1 1\n", "parse.unexpected_eof"),
        ("99999999 99999999", "parse.out_of_range"),
        ("10000 10000", "parse.out_of_range"),
        ("1000001 1", "parse.out_of_range"),
        ("-1 5", "parse.out_of_range"),
        ("5 -1", "parse.out_of_range"),
        ("0 0", "parse.out_of_range"),
        ("3 0", "parse.out_of_range"),
        ("6 6 6", "parse.unexpected_token"),
        ("1 1\n1 5", "parse.out_of_range"),
        ("1 1\n0 -5", "parse.out_of_range"),
        ("1 1\n-1 5", "parse.out_of_range"),
        ("1 1\n0 x", "parse.invalid_number"),
        ("1 1\n0 NaN", "parse.invalid_number"),
        ("1 1\n0 1.5", "parse.invalid_number"),
        ("1 1\n0 1e300", "parse.invalid_number"),
        ("1 1\n0 99999999999999999999", "parse.invalid_number"),
        ("1 1\n0 2000000000", "parse.out_of_range"),
        ("NaN NaN", "parse.invalid_number"),
        ("inf 3", "parse.invalid_number"),
        ("1.5 3", "parse.invalid_number"),
        ("1 2\n0 1 1", "parse.inconsistent"),
        ("1 1\n0 1\n0 1", "parse.unexpected_token"),
        ("1 1\n0 1\nEOF", "parse.unexpected_token"),
        ("2 2\nTimes\n1 2\n", "parse.unexpected_eof"),
        ("1 2\nTimes\n1 2\n", "parse.unexpected_eof"),
        ("1 2\nTimes\n1 2\nMachines\n1 3\n", "parse.out_of_range"),
        ("1 2\nTimes\n1 2\nMachines\n0 1\n", "parse.out_of_range"),
        ("1 2\nTimes\n1 2\nJobs\n1 2\n", "parse.unexpected_token"),
        ("1 2\n1 2\nMachines\n1 2\n", "parse.unexpected_token"),
        ("1 2\nTimes\n1 2 3\nMachines\n1 2\n", "parse.inconsistent"),
        ("1 2\nTimes\n1 -2\nMachines\n1 2\n", "parse.out_of_range"),
        ("Nb of jobs, Nb of Machines\n", "parse.unexpected_eof"),
        (
            "Nb of jobs, Nb of Machines\nfifteen 15\n",
            "parse.unexpected_token",
        ),
        ("Nb of jobs, Nb of Machines\n 2\n", "parse.unexpected_token"),
        (&garbage, "parse.missing"),
        (&long_line, "parse.inconsistent"),
    ];
    for (text, code) in cases {
        let e = assert_err(text);
        assert_eq!(e.code(), code, "{text:.60?}: {e}");
    }
    // Error lines point at the offending line.
    assert_eq!(assert_err("# c\n\n2 2\n0 1 1 1\n0 1 9 1\n").line, 5);
}

/// Fuzzing (any_instance): a JSON job-shop instance could claim any machine count and any
/// durations. `"machines": 1e17` made the dispatch solver's and the schedule writer's per-machine
/// vectors abort the process, and durations near `i64::MAX` overflowed
/// `trivial_lower_bound`. JSON instances now get the text readers' caps.
#[test]
fn json_jssp_instance_machine_count_and_durations_are_capped() {
    use quotient_problems::any::{AnyInstance, read_instance, read_json_instance};
    use quotient_problems::jssp::read::{MAX_DURATION, MAX_MACHINES};
    let json = |machines: usize, duration: i64| {
        format!(
            r#"{{"family":"jssp","name":"x","machines":{machines},"jobs":[[{{"machine":0,"duration":{duration}}},{{"machine":0,"duration":{duration}}}]]}}"#
        )
    };
    let code = |text: &str| {
        read_json_instance(text, None)
            .map(|_| ())
            .map_err(|e| e.code())
    };
    // At the caps: accepted, and the lower bound cannot overflow.
    let ok = read_json_instance(&json(MAX_MACHINES, MAX_DURATION), None).unwrap();
    let AnyInstance::Jssp(inst) = ok else {
        panic!("a job-shop instance expected")
    };
    assert_eq!(inst.trivial_lower_bound(), 2 * MAX_DURATION);
    // Beyond them: parse errors, also through the file-level entry point.
    for text in [
        json(MAX_MACHINES + 1, 1),
        json(100_000_000_000_000_000, 1),
        json(1, MAX_DURATION + 1),
        json(1, i64::MAX),
        json(1, -1),
        json(0, 1),
    ] {
        assert_eq!(code(&text), Err("parse.inconsistent"), "{text}");
        let e = read_instance(text.as_bytes(), "x.json", None).expect_err(&text);
        assert_eq!(e.code(), "parse.inconsistent", "{text}");
    }
    let huge = r#"{"family":"jssp","name":"x","machines":100000000000000000,"jobs":[]}"#;
    assert_eq!(code(huge), Err("parse.inconsistent"));
}

#[test]
fn truncated_bench_files_never_panic() {
    let Some(dir) = bench_dir() else { return };
    for name in ["ft06", "la01", "ta01"] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let inst = read_jssp(&text, name).unwrap();
        let ta = write_taillard(&inst);
        for src in [&text, &ta] {
            for cut in (0..src.len()).step_by(3) {
                let _ = read_jssp(&src[..cut], name);
                let _ = read_taillard(&src[..cut], name);
                let _ = read_orlib(&src[..cut], name);
            }
            // Dropping whole trailing lines is always an error.
            let lines: Vec<&str> = src.lines().collect();
            for keep in 0..lines.len() {
                let t = lines[..keep].join("\n");
                assert!(read_jssp(&t, name).is_err(), "{name} first {keep} lines");
            }
        }
        let sol = greedy(&inst).0;
        let sched = write_schedule(&inst, &sol);
        for cut in 0..sched.len() {
            let _ = read_schedule(&sched[..cut], &inst);
        }
    }
}

#[test]
fn hostile_schedules_are_parse_errors() {
    let inst = JsspInstance {
        name: "t".into(),
        machines: 2,
        jobs: vec![
            vec![
                Operation {
                    machine: 0,
                    duration: 3,
                },
                Operation {
                    machine: 1,
                    duration: 2,
                },
            ],
            vec![Operation {
                machine: 1,
                duration: 4,
            }],
        ],
        variant: Default::default(),
    };
    let ok = "2 2\n0 3\n0\n";
    assert_eq!(
        read_schedule(ok, &inst).unwrap(),
        JsspSolution {
            start: vec![vec![0, 3], vec![0]]
        }
    );
    // Negative or overlapping starts parse; judging them is the checker's job.
    let s = read_schedule("2 2\n-4 0\n0\n", &inst).unwrap();
    assert!(!check(&inst, &s).is_feasible());
    for (text, code, line) in [
        ("", "parse.unexpected_eof", 1),
        ("# only a comment\n", "parse.unexpected_eof", 1),
        ("2\n0 3\n0\n", "parse.inconsistent", 1),
        ("2 3\n0 3\n0\n", "parse.inconsistent", 1),
        ("x 2\n0 3\n0\n", "parse.invalid_number", 1),
        ("2 2\n0 3\n", "parse.unexpected_eof", 2),
        ("2 2\n0 3 4\n0\n", "parse.inconsistent", 2),
        ("2 2\n0\n0\n", "parse.inconsistent", 2),
        ("2 2\n0 NaN\n0\n", "parse.invalid_number", 2),
        ("2 2\n0 1.5\n0\n", "parse.invalid_number", 2),
        ("2 2\n0 3\n0\n7\n", "parse.unexpected_token", 4),
        (
            "2 2\n0 3\n0\nmachine sequences\n",
            "parse.unexpected_eof",
            4,
        ),
        (
            "2 2\n0 3\n0\nmachine sequences\n0: 0/0\n1: 0/1 1/0\n",
            "parse.inconsistent",
            6,
        ),
        (
            "2 2\n0 3\n0\nmachine sequences\n0: 0/0\n1: 1/0 9/9\n",
            "parse.inconsistent",
            6,
        ),
        (
            "2 2\n0 3\n0\nmachine sequences\n0: 0/0\n1: 1/0\n",
            "parse.inconsistent",
            6,
        ),
        (
            "2 2\n0 3\n0\nmachine sequences\n1: 0/0\n0: 1/0 0/1\n",
            "parse.unexpected_token",
            5,
        ),
        (
            "2 2\n0 3\n0\nmachine sequences\n0: 0-0\n1: 1/0 0/1\n",
            "parse.unexpected_token",
            5,
        ),
        (
            "2 2\n0 3\n0\nmachine sequences\n0: 0/0\n1: 1/0 0/1\nmore\n",
            "parse.unexpected_token",
            7,
        ),
    ] {
        let e = read_schedule(text, &inst).expect_err(text);
        assert_eq!((e.code(), e.line), (code, line), "{text:?}: {e}");
    }
    // A consistent sequences block is accepted.
    let with = "2 2\n0 3\n0\nmachine sequences\n0: 0/0\n1: 1/0 0/1\n";
    assert!(read_schedule(with, &inst).is_ok());
    // A schedule claiming a huge machine count for a hostile instance does not allocate it.
    let huge = JsspInstance {
        name: "h".into(),
        machines: usize::MAX / 2,
        jobs: vec![vec![]],
        variant: Default::default(),
    };
    let text = format!("1 {}\n\nmachine sequences\n0:\n", usize::MAX / 2);
    assert!(read_schedule(&text, &huge).is_err());
}

#[test]
fn generated_instances_round_trip() {
    for seed in 0..5 {
        for (n, m) in [(1, 1), (2, 7), (15, 15), (30, 5)] {
            for inst in [
                generate::random(n, m, seed),
                generate::taillard(n, m, seed * 7 + 1, seed * 11 + 3),
            ] {
                assert_eq!(read_jssp(&write_orlib(&inst), &inst.name).unwrap(), inst);
                assert_eq!(
                    read_taillard(&write_taillard(&inst), &inst.name).unwrap(),
                    inst
                );
                let (sol, makespan) = greedy(&inst);
                let r = check(&inst, &sol);
                assert!(r.is_feasible());
                assert_eq!(r.objective, makespan as f64);
                assert!(makespan >= inst.trivial_lower_bound());
            }
        }
    }
}

fn arb_instance() -> impl Strategy<Value = JsspInstance> {
    (1usize..6, 1usize..6).prop_flat_map(|(n, m)| {
        proptest::collection::vec(proptest::collection::vec((0..m, 0i64..1000), m..=m), n..=n)
            .prop_map(move |jobs| JsspInstance {
                name: "p".into(),
                machines: m,
                jobs: jobs
                    .into_iter()
                    .map(|j| {
                        j.into_iter()
                            .map(|(machine, duration)| Operation { machine, duration })
                            .collect()
                    })
                    .collect(),
                variant: Default::default(),
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_round_trips(inst in arb_instance(), shift in proptest::collection::vec(-3i64..30, 0..40)) {
        prop_assert_eq!(read_jssp(&write_orlib(&inst), "p").unwrap(), inst.clone());
        prop_assert_eq!(read_jssp(&write_taillard(&inst), "p").unwrap(), inst.clone());
        // Arbitrary (often infeasible) starts: the schedule text round trips, check never panics.
        let mut it = shift.iter().cycle();
        let start: Vec<Vec<i64>> = inst
            .jobs
            .iter()
            .map(|j| j.iter().map(|_| *it.next().unwrap_or(&0)).collect())
            .collect();
        let sol = JsspSolution { start };
        prop_assert_eq!(read_schedule(&write_schedule(&inst, &sol), &inst).unwrap(), sol.clone());
        let r = check(&inst, &sol);
        let expected = inst.jobs.iter().zip(&sol.start)
            .flat_map(|(j, s)| j.iter().zip(s).map(|(o, t)| o.duration + t))
            .max().unwrap_or(0);
        prop_assert_eq!(r.objective, expected.max(0) as f64);
    }

    #[test]
    fn prop_arbitrary_text_never_panics(s in "[0-9 \\-\\n.a-zTM#+]{0,200}") {
        let _ = read_jssp(&s, "x");
        let _ = read_taillard(&s, "x");
        let _ = read_orlib(&s, "x");
    }

    #[test]
    fn prop_arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let s = String::from_utf8_lossy(&b);
        let _ = read_jssp(&s, "x");
        let inst = generate::random(2, 2, 0);
        let _ = read_schedule(&s, &inst);
    }
}

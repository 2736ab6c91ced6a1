//! What each `cargo fuzz` target does with its input (`fuzz/fuzz_targets/<target>.rs` is one
//! call of the function of the same name), kept here so that `tests/fuzz_corpus.rs` can replay
//! the committed corpus (`fuzz/corpus/<target>/`) through the same code in every test run,
//! without libFuzzer. Every function must return without panicking, whatever the bytes; the
//! results are thrown away (the fuzzers look for panics, overflows, hangs and memory).
//! Not part of the library's API.

use crate::any::{self, AnyInstance, AnySolution, Family};
use crate::{cvrp, fjsp, jssp, milp, tsp};
use std::sync::OnceLock;

/// A fuzz target: its name and its body.
pub type Target = (&'static str, fn(&[u8]));

/// The targets, by name, as `fuzz/Cargo.toml` lists them.
pub const TARGETS: [Target; 12] = [
    ("tsplib", tsplib),
    ("tour", tour),
    ("cvrplib", cvrplib),
    ("cvrp_sol", cvrp_sol),
    ("jssp", jssp),
    ("schedule", schedule),
    ("fjsp", fjsp),
    ("mps", mps),
    ("lp", lp),
    ("milp_sol", milp_sol),
    ("any_instance", any_instance),
    ("any_solution", any_solution),
];

const TSP: &str = "NAME : t\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\n\
NODE_COORD_SECTION\n1 0 0\n2 3 0\n3 3 4\n4 0 4\n5 1 1\nEOF\n";
const ATSP: &str = "NAME : a\nTYPE : ATSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n3 0 4\n5 6 0\nEOF\n";
const CVRP: &str = "NAME : c\nTYPE : CVRP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
NODE_COORD_SECTION\n1 0 0\n2 1 0\n3 0 1\n4 1 1\n5 2 2\nDEMAND_SECTION\n1 0\n2 3\n3 4\n4 5\n5 6\n\
DEPOT_SECTION\n1\n-1\nEOF\n";
const JSSP: &str = "3 3\n0 3 1 2 2 2\n0 2 2 1 1 4\n1 4 2 3 0 1\n";
const FJSP: &str = "2 3 1.5\n2 2 1 4 3 5 1 2 6\n1 2 2 3 3 2\n";
const LP: &str =
    "Minimize\n obj: x + 2 y\nSubject To\n c1: x + y >= 1\nBounds\n x <= 4\nGeneral\n y\nEnd\n";
const MILP: &str = "\\ fuzz\nMaximize\n obj: 3 x + 2 y - z\nSubject To\n c1: x + y + z <= 4\n \
c2: x - y >= -2\n r: -1 <= x + z <= 3\nBounds\n 0 <= x <= 10\n -inf <= z <= 5\nGeneral\n y\nEnd\n";

/// A solution of the instance's shape, sized from data the input actually holds.
pub fn trivial_solution(inst: &AnyInstance) -> AnySolution {
    match inst {
        AnyInstance::Tsp(t) => AnySolution::Tsp(tsp::TspSolution {
            tour: (0..t.n().min(10_000)).collect(),
        }),
        AnyInstance::Cvrp(c) => AnySolution::Cvrp(cvrp::CvrpSolution {
            routes: (1..c.n().min(10_000)).map(|k| vec![k]).collect(),
        }),
        AnyInstance::Jssp(j) => AnySolution::Jssp(jssp::JsspSolution {
            start: j.jobs.iter().map(|ops| vec![0; ops.len()]).collect(),
        }),
        AnyInstance::Fjsp(f) => AnySolution::Fjsp(fjsp::FjspSolution {
            machine: f
                .jobs
                .iter()
                .map(|ops| {
                    ops.iter()
                        .map(|o| o.alternatives.first().map_or(0, |a| a.machine))
                        .collect()
                })
                .collect(),
            start: f.jobs.iter().map(|ops| vec![0; ops.len()]).collect(),
        }),
        AnyInstance::Milp(m) => AnySolution::Milp(milp::MilpSolution {
            values: vec![0.0; m.vars.len()],
        }),
    }
}

/// What the CLI and the server do with an accepted instance: check a trivial solution, write
/// the instance and the solution back, and (job shop) the lower bound the dispatcher computes
/// first.
pub fn exercise(inst: &AnyInstance) {
    let sol = trivial_solution(inst);
    let _ = any::check(inst, &sol);
    let _ = any::write_instance(inst);
    let _ = any::write_solution(inst, &sol);
    match inst {
        AnyInstance::Jssp(j) => {
            let _ = j.trivial_lower_bound();
        }
        AnyInstance::Fjsp(f) => {
            let _ = f.trivial_lower_bound();
        }
        _ => {}
    }
}

/// TSPLIB reader; the checker and the writer on what it accepts.
pub fn tsplib(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(inst) = tsp::read::read_tsplib(text)
    {
        exercise(&AnyInstance::Tsp(inst));
    }
}

/// TSPLIB `.tour` reader.
pub fn tour(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tsp::read::read_tour(text, 16);
    }
}

/// CVRPLIB reader; the checker and the writer on what it accepts.
pub fn cvrplib(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(inst) = cvrp::read::read_cvrplib(text, None)
    {
        exercise(&AnyInstance::Cvrp(inst));
    }
}

fn fixed(
    cell: &'static OnceLock<Option<AnyInstance>>,
    text: &str,
    name: &str,
) -> Option<&'static AnyInstance> {
    cell.get_or_init(|| any::read_instance(text.as_bytes(), name, None).ok())
        .as_ref()
}

/// CVRPLIB `.sol` reader against a fixed small instance, then the checker.
pub fn cvrp_sol(data: &[u8]) {
    static INST: OnceLock<Option<AnyInstance>> = OnceLock::new();
    if let Some(AnyInstance::Cvrp(inst)) = fixed(&INST, CVRP, "c.vrp")
        && let Ok(text) = std::str::from_utf8(data)
        && let Ok(sol) = cvrp::read::read_sol(text, inst)
    {
        let _ = cvrp::check::check(inst, &sol);
    }
}

/// Job-shop readers (OR-Library and Taillard, detected), the checker, and the schedule reader
/// on the same text.
pub fn jssp(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(inst) = jssp::read::read_jssp(text, "fuzz")
    {
        let _ = jssp::read::read_schedule(text, &inst);
        exercise(&AnyInstance::Jssp(inst));
    }
}

/// Job-shop schedule reader against a fixed 3 x 3 instance, then the checker and the writer.
pub fn schedule(data: &[u8]) {
    static INST: OnceLock<Option<AnyInstance>> = OnceLock::new();
    if let Some(AnyInstance::Jssp(inst)) = fixed(&INST, JSSP, "t.jssp")
        && let Ok(text) = std::str::from_utf8(data)
        && let Ok(sol) = jssp::read::read_schedule(text, inst)
    {
        let _ = jssp::check::check(inst, &sol);
        let _ = jssp::write::write_schedule(inst, &sol);
    }
}

/// Flexible job-shop reader and FJSP detection; the checker and the writer on what it
/// accepts, and the FJSP schedule reader against it on the same text.
pub fn fjsp(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = fjsp::read::looks_like_fjsp(text);
        if let Ok(inst) = fjsp::read::read_fjsp(text, "fuzz") {
            if let Ok(sol) = fjsp::read::read_schedule(text, &inst) {
                let _ = fjsp::check::check(&inst, &sol);
            }
            exercise(&AnyInstance::Fjsp(inst));
        }
    }
}

/// MPS reader (plain and gzip bytes); the checker and the writer on what it accepts.
pub fn mps(data: &[u8]) {
    if let Ok(inst) = milp::read::read_milp(data, "fuzz.mps") {
        exercise(&AnyInstance::Milp(inst));
    }
}

/// CPLEX LP reader; the checker and the writer on what it accepts.
pub fn lp(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(inst) = milp::read::read_lp(text)
    {
        let _ = milp::write::write_lp(&inst);
        exercise(&AnyInstance::Milp(inst));
    }
}

/// MILP solution readers against a fixed small instance: the `name value` text format and
/// the JSON shape (`{"values": {...}}`, also inside a whole `solve --json` answer).
pub fn milp_sol(data: &[u8]) {
    static INST: OnceLock<Option<AnyInstance>> = OnceLock::new();
    let (Some(any_inst), Ok(text)) = (fixed(&INST, MILP, "m.lp"), std::str::from_utf8(data)) else {
        return;
    };
    if let AnyInstance::Milp(inst) = any_inst
        && let Ok(sol) = milp::read::read_solution(text, inst)
    {
        let _ = milp::check::check(inst, &sol);
    }
    if let Ok(sol) = any::read_solution(text, any_inst) {
        let _ = any::check(any_inst, &sol);
        let _ = any::write_solution(any_inst, &sol);
    }
}

/// Format detection and every reader, as the CLI and the server reach them (JSON included).
pub fn any_instance(data: &[u8]) {
    if let Ok(inst) = any::read_instance(data, "fuzz", None) {
        exercise(&inst);
    }
    if let Ok(inst) = any::read_instance(data, "fuzz.json", Some(Family::Tsp)) {
        exercise(&inst);
    }
}

/// `any::read_solution` for one fixed small instance of each family, chosen by the first
/// byte; the checker, `solution_to_json` and `write_solution` on what it accepts.
pub fn any_solution(data: &[u8]) {
    static INSTANCES: OnceLock<Vec<AnyInstance>> = OnceLock::new();
    let all = INSTANCES.get_or_init(|| {
        [
            ("t.tsp", TSP),
            ("a.atsp", ATSP),
            ("c.vrp", CVRP),
            ("j.jssp", JSSP),
            ("f.fjs", FJSP),
            ("m.lp", LP),
        ]
        .iter()
        .filter_map(|(name, text)| any::read_instance(text.as_bytes(), name, None).ok())
        .collect()
    });
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(inst) = all.get(usize::from(pick) % all.len().max(1)) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(rest)
        && let Ok(sol) = any::read_solution(text, inst)
    {
        let _ = any::check(inst, &sol);
        let _ = any::solution_to_json(inst, &sol);
        let _ = any::write_solution(inst, &sol);
    }
}

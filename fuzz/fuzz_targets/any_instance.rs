#![no_main]
//! Format detection + every reader, as the CLI and server reach them (including JSON), then
//! what they do with an instance that was accepted: check a trivial solution, write the
//! instance and the solution back, and (job shop) the model's lower bound, which the dispatch
//! solver computes first. None of it may panic or allocate from an unchecked number.
use libfuzzer_sys::fuzz_target;
use quotient_problems::any::{self, AnyInstance, AnySolution, Family};
use quotient_problems::{cvrp, jssp, milp, tsp};

/// A solution of the instance's shape, sized from data the input actually holds.
fn trivial_solution(inst: &AnyInstance) -> AnySolution {
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
        AnyInstance::Milp(m) => AnySolution::Milp(milp::MilpSolution {
            values: vec![0.0; m.vars.len()],
        }),
    }
}

fn exercise(inst: &AnyInstance) {
    let sol = trivial_solution(inst);
    let _ = any::check(inst, &sol);
    let _ = any::write_instance(inst);
    let _ = any::write_solution(inst, &sol);
    if let AnyInstance::Jssp(j) = inst {
        let _ = j.trivial_lower_bound();
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(inst) = any::read_instance(data, "fuzz", None) {
        exercise(&inst);
    }
    if let Ok(inst) = any::read_instance(data, "fuzz.json", Some(Family::Tsp)) {
        exercise(&inst);
    }
});

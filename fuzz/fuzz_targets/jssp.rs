#![no_main]
//! Job-shop readers (OR-Library and Taillard, auto-detected) and the checker.
use libfuzzer_sys::fuzz_target;
use quotient_problems::jssp;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(inst) = jssp::read::read_jssp(text, "fuzz") {
            let start = inst.jobs.iter().map(|j| vec![0; j.len()]).collect();
            let _ = jssp::check::check(&inst, &jssp::JsspSolution { start });
            let _ = jssp::read::read_schedule(text, &inst);
        }
    }
});

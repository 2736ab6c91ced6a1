#![no_main]
//! Job-shop schedule reader (`read_schedule`: one line of start times per job) against a fixed
//! 3 x 3 instance, then the checker and the schedule writer on whatever it accepted.
use libfuzzer_sys::fuzz_target;
use quotient_problems::jssp;

const INSTANCE: &str = "3 3\n0 3 1 2 2 2\n0 2 2 1 1 4\n1 4 2 3 0 1\n";

fuzz_target!(|data: &[u8]| {
    let Ok(inst) = jssp::read::read_orlib(INSTANCE, "t") else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(sol) = jssp::read::read_schedule(text, &inst)
    {
        let _ = jssp::check::check(&inst, &sol);
        let _ = jssp::write::write_schedule(&inst, &sol);
    }
});

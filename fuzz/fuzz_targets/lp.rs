#![no_main]
//! CPLEX LP reader.
use libfuzzer_sys::fuzz_target;
use quotient_problems::milp;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(inst) = milp::read::read_lp(text) {
            let _ = milp::check::check(
                &inst,
                &milp::MilpSolution {
                    values: vec![0.0; inst.vars.len()],
                },
            );
            let _ = milp::write::write_lp(&inst);
        }
    }
});

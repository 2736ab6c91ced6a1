#![no_main]
//! MPS reader (plain and gzip bytes) and the checker on the all-zero point.
use libfuzzer_sys::fuzz_target;
use quotient_problems::milp;

fuzz_target!(|data: &[u8]| {
    if let Ok(inst) = milp::read::read_milp(data, "fuzz.mps") {
        let _ = milp::check::check(
            &inst,
            &milp::MilpSolution {
                values: vec![0.0; inst.vars.len()],
            },
        );
        let _ = milp::write::write_mps(&inst);
    }
});

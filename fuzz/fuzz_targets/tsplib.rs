#![no_main]
//! TSPLIB reader: must never panic; a parsed instance must check any tour without panicking.
use libfuzzer_sys::fuzz_target;
use quotient_problems::tsp;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(inst) = tsp::read::read_tsplib(text) {
            let n = inst.n().min(10_000);
            let _ = tsp::check::check(
                &inst,
                &tsp::TspSolution {
                    tour: (0..n).collect(),
                },
            );
            let _ = tsp::write::write_tsplib(&inst);
        }
    }
});

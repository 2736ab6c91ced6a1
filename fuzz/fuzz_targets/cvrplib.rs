#![no_main]
//! CVRPLIB reader: must never panic; the checker must not panic on the parsed instance.
use libfuzzer_sys::fuzz_target;
use quotient_problems::cvrp;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(inst) = cvrp::read::read_cvrplib(text, None) {
            let routes = (1..inst.n().min(10_000)).map(|c| vec![c]).collect();
            let _ = cvrp::check::check(&inst, &cvrp::CvrpSolution { routes });
            let _ = cvrp::write::write_cvrplib(&inst);
        }
    }
});

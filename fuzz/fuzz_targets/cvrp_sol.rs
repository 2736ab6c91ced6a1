#![no_main]
//! CVRPLIB .sol reader against a fixed small instance, then the checker.
use libfuzzer_sys::fuzz_target;
use quotient_problems::cvrp;

const INSTANCE: &str = "NAME : t\nTYPE : CVRP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
NODE_COORD_SECTION\n1 0 0\n2 1 0\n3 0 1\n4 1 1\n5 2 2\nDEMAND_SECTION\n1 0\n2 3\n3 4\n4 5\n5 6\nDEPOT_SECTION\n1\n-1\nEOF\n";

fuzz_target!(|data: &[u8]| {
    let Ok(inst) = cvrp::read::read_cvrplib(INSTANCE, None) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(sol) = cvrp::read::read_sol(text, &inst) {
            let _ = cvrp::check::check(&inst, &sol);
        }
    }
});

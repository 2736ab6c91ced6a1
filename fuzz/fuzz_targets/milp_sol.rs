#![no_main]
//! MILP solution readers against a fixed small instance: the `name value` text format
//! (`.sol`, as MIPLIB, HiGHS and SCIP write it) and the JSON solution shape
//! (`{"values": {name: value}}`, also inside a whole `solve --json` answer), then the checker.
use libfuzzer_sys::fuzz_target;
use quotient_problems::any::{self, AnyInstance};
use quotient_problems::milp;

const INSTANCE: &str = "\\ fuzz\nMaximize\n obj: 3 x + 2 y - z\nSubject To\n c1: x + y + z <= 4\n \
c2: x - y >= -2\n r: -1 <= x + z <= 3\nBounds\n 0 <= x <= 10\n -inf <= z <= 5\nGeneral\n y\nEnd\n";

fuzz_target!(|data: &[u8]| {
    let Ok(inst) = milp::read::read_lp(INSTANCE) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(sol) = milp::read::read_solution(text, &inst) {
        let _ = milp::check::check(&inst, &sol);
    }
    let any_inst = AnyInstance::Milp(inst);
    if let Ok(sol) = any::read_solution(text, &any_inst) {
        let _ = any::check(&any_inst, &sol);
        let _ = any::write_solution(&any_inst, &sol);
    }
});

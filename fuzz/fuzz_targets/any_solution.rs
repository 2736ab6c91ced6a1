#![no_main]
//! `any::read_solution` (JSON solution shapes, the whole `solve --json` answer, or the family's
//! native format) for one fixed small instance of each family, chosen by the first byte; then
//! `any::check`, `solution_to_json` and `write_solution` on whatever was accepted.
use libfuzzer_sys::fuzz_target;
use quotient_problems::any::{self, AnyInstance};
use std::sync::OnceLock;

const TSP: &str = "NAME : t\nTYPE : TSP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\n\
NODE_COORD_SECTION\n1 0 0\n2 3 0\n3 3 4\n4 0 4\n5 1 1\nEOF\n";
const ATSP: &str = "NAME : a\nTYPE : ATSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
EDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1 2\n3 0 4\n5 6 0\nEOF\n";
const CVRP: &str = "NAME : c\nTYPE : CVRP\nDIMENSION : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
NODE_COORD_SECTION\n1 0 0\n2 1 0\n3 0 1\n4 1 1\n5 2 2\nDEMAND_SECTION\n1 0\n2 3\n3 4\n4 5\n5 6\n\
DEPOT_SECTION\n1\n-1\nEOF\n";
const JSSP: &str = "3 3\n0 3 1 2 2 2\n0 2 2 1 1 4\n1 4 2 3 0 1\n";
const LP: &str =
    "Minimize\n obj: x + 2 y\nSubject To\n c1: x + y >= 1\nBounds\n x <= 4\nGeneral\n y\nEnd\n";

fn instances() -> &'static [AnyInstance] {
    static INSTANCES: OnceLock<Vec<AnyInstance>> = OnceLock::new();
    INSTANCES.get_or_init(|| {
        [
            ("t.tsp", TSP),
            ("a.atsp", ATSP),
            ("c.vrp", CVRP),
            ("j.jssp", JSSP),
            ("m.lp", LP),
        ]
        .iter()
        .filter_map(|(name, text)| any::read_instance(text.as_bytes(), name, None).ok())
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let all = instances();
    let Some(inst) = all.get(usize::from(pick) % all.len().max(1)) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Ok(sol) = any::read_solution(text, inst) {
        let _ = any::check(inst, &sol);
        let _ = any::solution_to_json(inst, &sol);
        let _ = any::write_solution(inst, &sol);
    }
});

#![no_main]
//! TSPLIB tour reader.
use libfuzzer_sys::fuzz_target;
use quotient_problems::tsp;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tsp::read::read_tour(text, 16);
    }
});

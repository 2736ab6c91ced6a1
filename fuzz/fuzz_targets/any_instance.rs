#![no_main]
//! Format detection + every reader, as the CLI and server reach them (including JSON).
use libfuzzer_sys::fuzz_target;
use quotient_problems::any;

fuzz_target!(|data: &[u8]| {
    let _ = any::read_instance(data, "fuzz", None);
    let _ = any::read_instance(data, "fuzz.json", Some(any::Family::Tsp));
});

//! Fuzz target `certificate`: the body is `vnaccs_fuzz_harness::certificate` (also replayed by its corpus test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vnaccs_fuzz_harness::certificate(data));

//! Fuzz target `identifier`: the body is `vnaccs_fuzz_harness::identifier` (also replayed by its corpus test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vnaccs_fuzz_harness::identifier(data));

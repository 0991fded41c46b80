//! Fuzz target `json_document`: the body is `vnaccs_fuzz_harness::json_document` (also replayed by its corpus test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vnaccs_fuzz_harness::json_document(data));

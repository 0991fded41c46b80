//! Fuzz target `portal_page`: the body is `vnaccs_fuzz_harness::portal_page` (also replayed by its corpus test).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: vnaccs_fuzz_harness::warm_fixtures(),
    |data: &[u8]| vnaccs_fuzz_harness::portal_page(data)
);

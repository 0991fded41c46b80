//! Fuzz target `c_abi`: the body is `vnaccs_fuzz_harness::c_abi` (also replayed by its corpus test).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: vnaccs_fuzz_harness::warm_fixtures(),
    |data: &[u8]| vnaccs_fuzz_harness::c_abi(data)
);

//! The module registry's life cycle on SoftHSM2, in a test binary of its own (releasing a module
//! finalises it for the whole process).

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{SoftHsm, softhsm};
use vnaccs_core::token::Module;

#[test]
fn modules_in_use_stay_and_unused_ones_are_finalised() {
    // An initialised token: blank slots are not listed, and a listed token holds its module.
    let hsm = SoftHsm::new();
    hsm.create_token("lifecycle", &[]);
    // SAFETY: the only test of this binary, before SoftHSM2 is loaded.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &hsm.conf) };

    let first = Module::load(Path::new(softhsm())).expect("load");
    assert!(first.initialised_here());
    assert_eq!(Module::release_unused(), 0, "in use: kept");
    let again = Module::load(Path::new(softhsm())).expect("load");
    assert!(Arc::ptr_eq(&first, &again), "one module per library file");

    let tokens = first.tokens().expect("slots");
    assert_eq!(tokens.len(), 1, "the initialised token is listed");
    drop((first, again));
    assert_eq!(Module::release_unused(), 0, "a token still holds it");
    drop(tokens);
    assert_eq!(Module::release_unused(), 1);

    // Finalised: loading again initialises it again, here.
    let fresh = Module::load(Path::new(softhsm())).expect("reload");
    assert!(fresh.initialised_here());
    fresh.tokens().expect("usable after reinitialisation");
}

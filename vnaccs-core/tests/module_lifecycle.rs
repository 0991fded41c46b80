//! The module registry's life cycle on SoftHSM2, in a test binary of its own (releasing a module
//! finalises it for the whole process).

use std::path::Path;
use std::sync::Arc;

use vnaccs_core::token::Module;

const SOFTHSM: &str = "/usr/lib/softhsm/libsofthsm2.so";

#[test]
fn modules_in_use_stay_and_unused_ones_are_finalised() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("tokens")).expect("token dir");
    let conf = dir.path().join("softhsm2.conf");
    let text = format!(
        "directories.tokendir = {}\n",
        dir.path().join("tokens").display()
    );
    std::fs::write(&conf, text).expect("conf");
    // SAFETY: the only test of this binary, before SoftHSM2 is loaded.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };

    let first = Module::load(Path::new(SOFTHSM)).expect("load");
    assert!(first.initialised_here());
    assert_eq!(Module::release_unused(), 0, "in use: kept");
    let again = Module::load(Path::new(SOFTHSM)).expect("load");
    assert!(Arc::ptr_eq(&first, &again), "one module per library file");

    let tokens = first.tokens().expect("slots");
    drop((first, again));
    assert_eq!(Module::release_unused(), 0, "a token still holds it");
    drop(tokens);
    assert_eq!(Module::release_unused(), 1);

    // Finalised: loading again initialises it again, here.
    let fresh = Module::load(Path::new(SOFTHSM)).expect("reload");
    assert!(fresh.initialised_here());
    fresh.tokens().expect("usable after reinitialisation");
}

//! The committed C header must be what cbindgen generates from the current source.
//! Set `VNACCS_UPDATE_HEADER=1` to rewrite it.

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let header = crate_dir.join("../include/vnaccs.h");
    if std::env::var_os("VNACCS_UPDATE_HEADER").is_some() {
        std::fs::write(&header, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&header).unwrap_or_default();
    assert!(
        committed == generated,
        "include/vnaccs.h is stale: run VNACCS_UPDATE_HEADER=1 cargo test -p vnaccs-ffi --test header"
    );
}

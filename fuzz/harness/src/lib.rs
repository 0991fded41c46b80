//! The bodies of the vnaccs fuzz targets. The cargo-fuzz crate (`fuzz/`, nightly, libFuzzer)
//! only calls these functions, and `tests/corpus.rs` replays every committed input
//! (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`) through them in a plain test.
//!
//! Each body feeds outside bytes to the library and checks what it can cheaply: no panic, an
//! error always has its code, status and both messages, a parsed value re-reads to itself, the C
//! ABI returns a status and writes nothing past the caller's buffer.

mod c_abi;
mod certificate;
mod identifier;
mod invariants;
mod json_document;
mod portal_page;
mod script_server;

pub use c_abi::c_abi;
pub use certificate::certificate;
pub use identifier::identifier;
pub use json_document::json_document;
pub use portal_page::{PAGE_SEPARATOR, PageOperation, portal_page, run_operation};

/// Builds what the `c_abi` and `portal_page` targets sign with, before the first input: the
/// test PKI's RSA keys take long to generate in a sanitizer build, longer than one input may.
pub fn warm_fixtures() {
    let _ = vnaccs_core::fixtures::test_pki();
}

/// A target's body: one input, checked; a panic is a finding.
pub type Body = fn(&[u8]);

/// Every target by its name (the name of its `fuzz/fuzz_targets/*.rs` and corpus folder).
pub const TARGETS: &[(&str, Body)] = &[
    ("certificate", certificate),
    ("portal_page", portal_page),
    ("json_document", json_document),
    ("identifier", identifier),
    ("c_abi", c_abi),
];

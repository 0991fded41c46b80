//! Parsing speed of the validated identifiers, against a plain regex-free shape check as the
//! baseline a caller would otherwise write (ratio = our cost / baseline cost).

#![allow(missing_docs)] // criterion_group! generates undocumented items.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use vnaccs_core::{PersonalId, TaxCode, UserId};

/// What a caller would write instead: a shape check without the check digit.
fn naive_tax_code_shape(s: &str) -> bool {
    let s = s.trim();
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit())
}

fn identifiers(c: &mut Criterion) {
    let mut g = c.benchmark_group("tax_code");
    g.bench_function("vnaccs TaxCode::parse", |b| {
        b.iter(|| TaxCode::parse(black_box("0100112437")))
    });
    g.bench_function("baseline shape check", |b| {
        b.iter(|| naive_tax_code_shape(black_box("0100112437")))
    });
    g.finish();
    c.bench_function("UserId::parse", |b| {
        b.iter(|| UserId::parse(black_box("V2060001")))
    });
    c.bench_function("PersonalId::parse", |b| {
        b.iter(|| PersonalId::parse(black_box("001085012345")))
    });
}

criterion_group!(benches, identifiers);
criterion_main!(benches);

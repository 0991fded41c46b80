//! Certificates and signatures: the certificate view against a bare x509-cert decode (what a Rust
//! caller would otherwise write), chain checks, and detached CMS signing and verifying.
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use der::Decode;
use vnaccs_core::cert::{Certificate, TrustAnchors};
use vnaccs_core::fixtures::TestPki;
use vnaccs_core::sign::{DigestAlgorithm, SoftwareSigner, sign_detached, verify_detached};

fn signatures(c: &mut Criterion) {
    let pki = TestPki::new(chrono::Utc::now());
    let set = pki.standard();
    let der = set.enterprise_new.der.clone();

    let mut g = c.benchmark_group("certificate");
    g.bench_function("vnaccs view (decode, names, identities, tax code)", |b| {
        b.iter(|| Certificate::from_der(black_box(&der)).unwrap())
    });
    g.bench_function("baseline x509-cert decode only", |b| {
        b.iter(|| x509_cert::Certificate::from_der(black_box(&der)).unwrap())
    });
    g.finish();

    let leaf = Certificate::from_der(&der).unwrap();
    let mut anchors = TrustAnchors::default();
    anchors.add_root(Certificate::from_der(&pki.root.der).unwrap());
    anchors.add_intermediate(Certificate::from_der(&pki.ca.der).unwrap());
    c.bench_function("chain leaf -> CA -> root (RSA-2048)", |b| {
        b.iter(|| assert!(anchors.verify(black_box(&leaf), &[]).is_trusted()))
    });

    let signer = SoftwareSigner::from_pkcs8_der(&set.enterprise_new.key.pkcs8_der(), &der).unwrap();
    let content = vec![0x5Au8; 4096];
    let signature = sign_detached(&signer, &content, DigestAlgorithm::Sha256).unwrap();
    let mut g = c.benchmark_group("cms detached, 4 KiB, RSA-2048");
    g.bench_function("sign SHA-256", |b| {
        b.iter(|| sign_detached(&signer, black_box(&content), DigestAlgorithm::Sha256).unwrap())
    });
    g.bench_function("verify", |b| {
        b.iter(|| verify_detached(black_box(&signature), &content, &der).unwrap())
    });
    g.finish();
}

criterion_group!(benches, signatures);
criterion_main!(benches);

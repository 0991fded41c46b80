//! The main job: one whole certificate update (A → D) against the sandbox over loopback HTTP with
//! software keys, and its parts — the offline plan, and one portal page fetched and parsed by the
//! client (what a browser does by hand, some twenty times, in the manual procedure).
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use vnaccs_core::fixtures::{self, TestPki};
use vnaccs_core::portal::{PortalClient, PortalConfig};
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::workflow::{CertificateUpdate, KeySource, UpdateInputs};

fn update(c: &mut Criterion) {
    let pki = TestPki::new(chrono::Utc::now());
    let set = pki.standard();
    let scenario = Scenario::for_test_pki(&pki, &set);
    let prepare = || {
        let sandbox = Sandbox::start(SandboxConfig::new(scenario.clone())).unwrap();
        let inputs = UpdateInputs::builder(
            fixtures::TAX.parse().unwrap(),
            TEST_REPRESENTATIVE_ID.parse().unwrap(),
        )
        .admin_account(
            TEST_ADMIN_EMAIL.parse().unwrap(),
            TEST_ADMIN_PASSWORD.to_owned().into(),
        )
        .sender("Nguyễn Văn An", "khaibao@saigontrade.vn".parse().unwrap())
        .office(TEST_OFFICES[0].parse().unwrap())
        .build()
        .unwrap();
        let keys = KeySource::software(vec![
            set.enterprise_old.signer(),
            set.enterprise_new.signer(),
        ]);
        let answers = std::sync::Arc::new(sandbox);
        let captcha = std::sync::Arc::clone(&answers);
        let update =
            CertificateUpdate::new(inputs, keys, PortalConfig::with_base_url(answers.url()))
                .unwrap()
                .on_captcha(Box::new(move |_| captcha.captcha_answer()));
        (answers, update)
    };

    let mut g = c.benchmark_group("update");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("plan (offline)", |b| {
        let (_sandbox, update) = prepare();
        b.iter(|| update.plan(chrono::Utc::now()).unwrap())
    });
    g.bench_function("run A→D against the sandbox (28 requests)", |b| {
        b.iter_batched(
            prepare,
            |(sandbox, mut update)| {
                update.run().unwrap();
                sandbox
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let (sandbox, _) = prepare();
    let client = PortalClient::new(PortalConfig::with_base_url(sandbox.url())).unwrap();
    let mut g = c.benchmark_group("portal");
    g.bench_function("OE4001 search page: fetch, parse, read the grid", |b| {
        client
            .login(
                &fixtures::TAX.parse().unwrap(),
                &TEST_ADMIN_PASSWORD.to_owned().into(),
                &set.enterprise_old.signer(),
            )
            .unwrap();
        b.iter(|| client.search_records().unwrap())
    });
    g.finish();
}

criterion_group!(benches, update);
criterion_main!(benches);

//! The main job: one whole certificate update (A → D) against the sandbox over loopback HTTP with
//! software keys, and its parts — the offline plan, and one portal page fetched and parsed by the
//! client (what a browser does by hand, some twenty times, in the manual procedure).
//!
//! And the update's floor, measured in the same run: the loopback round trip of a small page
//! (the sandbox's 404, on a kept-alive connection) and one RSA-2048 signature of the software
//! key; the run's request and signature counts are written to
//! `$CARGO_TARGET_DIR/criterion/update/counts.json` for `benches/compare.py`, which computes
//! floor = requests × round trip + signatures × signing time. The update timed from its inputs
//! (keys read from PEM, the update and its HTTP client made) is what the C and Python bindings'
//! figures compare with. Then the update with 1, 10 and 100 declarant users on the old
//! certificate.
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use vnaccs_core::Result;
use vnaccs_core::fixtures::{self, StandardSet, TestPki};
use vnaccs_core::portal::{PortalClient, PortalConfig};
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::sign::{DigestAlgorithm, KeyAlgorithm, Signer, SoftwareSigner};
use vnaccs_core::workflow::{
    CertificateUpdate, Event, Job, KeySource, Request, Secrets, UpdateInputs,
};

/// A signer that counts its signatures.
struct Counting {
    inner: Arc<dyn Signer>,
    count: Arc<AtomicU64>,
}

impl Signer for Counting {
    fn certificate_der(&self) -> &[u8] {
        self.inner.certificate_der()
    }

    fn key_algorithm(&self) -> KeyAlgorithm {
        self.inner.key_algorithm()
    }

    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>> {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.inner.sign(digest, data)
    }
}

/// The standard scenario with `declarants` declarant users on the old certificate in all.
fn scenario(pki: &TestPki, set: &StandardSet, declarants: usize) -> Scenario {
    let mut scenario = Scenario::for_test_pki(pki, set);
    let code = fixtures::TAX.parse().unwrap();
    let serial = vnaccs_core::cert::Certificate::from_der(&set.enterprise_old.der)
        .unwrap()
        .serial()
        .clone();
    while scenario.declarants.len() < declarants {
        scenario.add_test_declarant(&code, &serial, true);
    }
    scenario
}

/// A sandbox on `scenario` and the update of its enterprise, signatures counted in `count`.
fn prepare(
    scenario: &Scenario,
    set: &StandardSet,
    count: &Arc<AtomicU64>,
) -> (Arc<Sandbox>, CertificateUpdate) {
    let sandbox = Arc::new(Sandbox::start(SandboxConfig::new(scenario.clone())).unwrap());
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
    let counted = |inner| -> Arc<dyn Signer> {
        Arc::new(Counting {
            inner,
            count: Arc::clone(count),
        })
    };
    let keys = KeySource::software(vec![
        counted(set.enterprise_old.signer()),
        counted(set.enterprise_new.signer()),
    ]);
    let captcha = Arc::clone(&sandbox);
    let update = CertificateUpdate::new(inputs, keys, PortalConfig::with_base_url(sandbox.url()))
        .unwrap()
        .on_captcha(Box::new(move |_| captcha.captcha_answer()));
    (sandbox, update)
}

/// The update as the bindings run it, from inputs to outcome: keys read from PEM text, the
/// update (and its HTTP client) made, then run, on `sandbox`.
fn new_and_run(sandbox: &Arc<Sandbox>, pem: &[(String, String)]) {
    let signers = pem
        .iter()
        .map(|(key, cert)| -> Arc<dyn Signer> {
            Arc::new(SoftwareSigner::from_pem(key, cert, None).unwrap())
        })
        .collect();
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
    let captcha = Arc::clone(sandbox);
    CertificateUpdate::new(
        inputs,
        KeySource::software(signers),
        PortalConfig::with_base_url(sandbox.url()),
    )
    .unwrap()
    .on_captcha(Box::new(move |_| captcha.captcha_answer()))
    .run()
    .unwrap();
}

/// The same update through the core's pull driver, as the bindings run it: a request document
/// (keys from the PEM files in `dir`), events pulled and the captcha answered on this thread.
fn through_job(sandbox: &Sandbox, dir: &std::path::Path) {
    let d = dir.display();
    let request = Request::from_json(&format!(
        r#"{{"schema_version":1,"operation":"update",
        "enterprise":{{"tax_code":"{}","representative_id":"{TEST_REPRESENTATIVE_ID}",
        "admin_email":"{TEST_ADMIN_EMAIL}","sender_name":"Nguyễn Văn An",
        "sender_email":"khaibao@saigontrade.vn","office":"{}"}},
        "keys":{{"source":"files","pem":[{{"certificate":"{d}/old.pem","key":"{d}/old.key.pem"}},
        {{"certificate":"{d}/new.pem","key":"{d}/new.key.pem"}}]}},
        "portal":{{"base_url":"{}"}}}}"#,
        fixtures::TAX,
        TEST_OFFICES[0],
        sandbox.url()
    ))
    .unwrap();
    let secrets = Secrets {
        admin_password: Some(TEST_ADMIN_PASSWORD.to_owned().into()),
        ..Secrets::default()
    };
    let job = Job::start(request, secrets);
    loop {
        match job.next_event().unwrap() {
            Event::Progress { .. } => {}
            Event::NeedCaptcha { .. } => job.provide_captcha(sandbox.captcha_answer()).unwrap(),
            Event::Finished { .. } => break,
            other => panic!("{other:?}"),
        }
    }
}

/// GETs a path the sandbox does not serve (its small 404 page) on a kept-alive connection.
struct Pinger {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    line: String,
    body: Vec<u8>,
}

impl Pinger {
    fn open(sandbox: &Sandbox) -> Pinger {
        let stream = TcpStream::connect(sandbox.addr()).unwrap();
        stream.set_nodelay(true).unwrap();
        Pinger {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            line: String::new(),
            body: Vec::new(),
        }
    }

    fn ping(&mut self) {
        self.writer
            .write_all(b"GET /empty HTTP/1.1\r\nHost: sandbox\r\n\r\n")
            .unwrap();
        let mut length = 0;
        loop {
            self.line.clear();
            self.reader.read_line(&mut self.line).unwrap();
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
        }
        self.body.resize(length, 0);
        self.reader.read_exact(&mut self.body).unwrap();
    }
}

/// What one update counts: its requests and signatures, and the requests of the update with
/// 1, 10 and 100 declarants.
struct Counts {
    requests: u64,
    signatures: u64,
    declarants: Vec<(usize, u64)>,
}

fn count_requests(
    pki: &TestPki,
    set: &StandardSet,
    standard: &Scenario,
    count: &Arc<AtomicU64>,
) -> Counts {
    let (_sandbox, mut update) = prepare(standard, set, count);
    count.store(0, Ordering::Relaxed);
    let requests = update.run().unwrap().requests;
    let signatures = count.swap(0, Ordering::Relaxed);
    let declarants = [1, 10, 100]
        .into_iter()
        .map(|n| {
            let (_sandbox, mut update) = prepare(&scenario(pki, set, n), set, count);
            let outcome = update.run().unwrap();
            assert_eq!(outcome.declarants_moved.len(), n);
            (n, outcome.requests)
        })
        .collect();
    Counts {
        requests,
        signatures,
        declarants,
    }
}

/// Writes the counts for `benches/compare.py`.
fn write_counts(counts: &Counts) {
    let Counts {
        requests,
        signatures,
        declarants,
    } = counts;
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let dir = std::path::Path::new(&target).join("criterion/update");
    std::fs::create_dir_all(&dir).unwrap();
    let per: Vec<String> = declarants
        .iter()
        .map(|(n, r)| format!("\"{n}\": {r}"))
        .collect();
    std::fs::write(
        dir.join("counts.json"),
        format!(
            "{{\"requests\": {requests}, \"signatures\": {signatures}, \
             \"declarant_requests\": {{{}}}}}\n",
            per.join(", ")
        ),
    )
    .unwrap();
}

fn update(c: &mut Criterion) {
    let pki = TestPki::new(chrono::Utc::now());
    let set = pki.standard();
    let standard = scenario(&pki, &set, 1);
    let count = Arc::new(AtomicU64::new(0));

    // One update, counted: its requests and signatures; and the requests with more declarants
    // (not in criterion's `--test` mode, where each benchmark runs once anyway).
    if !std::env::args().any(|a| a == "--test") {
        write_counts(&count_requests(&pki, &set, &standard, &count));
    }

    let mut g = c.benchmark_group("update");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("plan (offline)", |b| {
        let (_sandbox, update) = prepare(&standard, &set, &count);
        b.iter(|| update.plan(chrono::Utc::now()).unwrap())
    });
    g.bench_function("run A→D against the sandbox", |b| {
        b.iter_batched(
            || prepare(&standard, &set, &count),
            |(sandbox, mut update)| {
                update.run().unwrap();
                sandbox
            },
            BatchSize::PerIteration,
        )
    });
    let pem: Vec<(String, String)> = [&set.enterprise_old, &set.enterprise_new]
        .into_iter()
        .map(|issued| (issued.key.pkcs8_pem().to_string(), issued.pem()))
        .collect();
    g.bench_function("new and run A→D (PEM keys, as from C and Python)", |b| {
        b.iter_batched(
            || Arc::new(Sandbox::start(SandboxConfig::new(standard.clone())).unwrap()),
            |sandbox| {
                new_and_run(&sandbox, &pem);
                sandbox
            },
            BatchSize::PerIteration,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    for (name, issued) in [("old", &set.enterprise_old), ("new", &set.enterprise_new)] {
        std::fs::write(dir.path().join(format!("{name}.pem")), issued.pem()).unwrap();
        std::fs::write(
            dir.path().join(format!("{name}.key.pem")),
            issued.key.pkcs8_pem().as_bytes(),
        )
        .unwrap();
    }
    g.bench_function(
        "A→D through the pull driver (workflow::Job, PEM files)",
        |b| {
            b.iter_batched(
                || Sandbox::start(SandboxConfig::new(standard.clone())).unwrap(),
                |sandbox| {
                    through_job(&sandbox, dir.path());
                    sandbox
                },
                BatchSize::PerIteration,
            )
        },
    );
    g.finish();

    let mut g = c.benchmark_group("update floor");
    let (sandbox, _) = prepare(&standard, &set, &count);
    g.bench_function(
        "loopback round trip of a small page (the sandbox's 404)",
        |b| {
            let mut pinger = Pinger::open(&sandbox);
            b.iter(|| pinger.ping())
        },
    );
    let signer = set.enterprise_new.signer();
    g.bench_function("one RSA-2048 signature (software key)", |b| {
        b.iter(|| signer.sign(DigestAlgorithm::Sha256, b"signed attributes"))
    });
    g.finish();

    let mut g = c.benchmark_group("update declarants");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for n in [1, 10, 100] {
        let many = scenario(&pki, &set, n);
        g.bench_with_input(BenchmarkId::from_parameter(n), &many, |b, many| {
            b.iter_batched(
                || prepare(many, &set, &count),
                |(sandbox, mut update)| {
                    update.run().unwrap();
                    sandbox
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

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

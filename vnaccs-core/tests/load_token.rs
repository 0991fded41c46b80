//! Concurrent load: [`UPDATES`] certificate updates at once, from threads of one process, against
//! one sandbox, all signing with ONE SoftHSM2 token that holds every enterprise's renewed
//! certificate and its own key. All complete within a deadline (no deadlock), each enterprise has
//! exactly one registration sent, and every signature the sandbox received verifies against the
//! certificate of the enterprise it was sent for (with the core's verifier, and the sends with
//! `openssl cms -verify` too).
//!
//! SoftHSM2 reads `SOFTHSM2_CONF` once, when first initialised in the process: this binary makes
//! its one configuration, with the token, before loading it (see tests/token.rs).

mod common;
mod fleet;
mod workflow_common;

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use common::{PIN, SoftHsm};
use fleet::Fleet;
use secrecy::SecretString;
use vnaccs_core::records::RegistrationStatus;
use vnaccs_core::sandbox::{Operation, Sandbox, SandboxConfig};
use vnaccs_core::token::{PinCallback, PinPolicy, PinRequest};
use vnaccs_core::workflow::{CertificateUpdate, KeySource};
use workflow_common::{pki, portal};

/// Updates at once.
const UPDATES: usize = 50;
/// Past this, the load is taken as deadlocked.
const DEADLINE: Duration = Duration::from_secs(300);
const LABEL: &str = "load";

/// The fleet: enterprise `i`'s renewed certificate has key 100 + `i`, a key of its own.
fn fleet() -> &'static Fleet {
    static FLEET: std::sync::OnceLock<Fleet> = std::sync::OnceLock::new();
    FLEET.get_or_init(|| {
        let started = Instant::now();
        let fleet = Fleet::new(&pki().0, UPDATES, |i| 100 + i as u32);
        println!(
            "load: {UPDATES} enterprises' certificates and RSA-2048 keys in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        fleet
    })
}

/// The process's SoftHSM2 configuration: one token with every renewed certificate and its key.
fn hsm() -> &'static SoftHsm {
    SoftHsm::for_process(|hsm| {
        let started = Instant::now();
        assert!(common::run(
            Command::new("softhsm2-util")
                .env("SOFTHSM2_CONF", &hsm.conf)
                .args(["--init-token", "--free", "--label", LABEL, "--pin", PIN])
                .args(["--so-pin", "97531975"])
        ));
        import(&fleet().members);
        println!(
            "load: {UPDATES} certificates and keys imported into one token in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    })
}

/// Writes each member's renewed certificate and its RSA key (ids 1, 2, …) to the token, in this
/// process (a hundred `pkcs11-tool` runs take most of a minute on a busy machine).
fn import(members: &[fleet::Member]) {
    use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
    use cryptoki::object::{Attribute, CertificateType, KeyType, ObjectClass};
    use cryptoki::session::UserType;
    use der::Encode;
    use pkcs8::DecodePrivateKey;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};

    let pkcs11 = Pkcs11::new(common::softhsm()).unwrap();
    pkcs11
        .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    let slot = pkcs11
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|s| pkcs11.get_token_info(*s).unwrap().label() == LABEL)
        .expect("the token is initialised");
    let session = pkcs11.open_rw_session(slot).unwrap();
    session
        .login(UserType::User, Some(&SecretString::from(PIN)))
        .unwrap();
    for (i, member) in members.iter().enumerate() {
        let id = vec![u8::try_from(i + 1).unwrap()];
        let label = format!("new-{i}");
        let cert = member.new.certificate();
        let tbs = &cert.tbs_certificate;
        session
            .create_object(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
                Attribute::Token(true),
                Attribute::Id(id.clone()),
                Attribute::Label(label.clone().into_bytes()),
                Attribute::Subject(tbs.subject.to_der().unwrap()),
                Attribute::Issuer(tbs.issuer.to_der().unwrap()),
                Attribute::SerialNumber(tbs.serial_number.to_der().unwrap()),
                Attribute::Value(member.new.der.clone()),
            ])
            .unwrap();
        let mut key = rsa::RsaPrivateKey::from_pkcs8_der(&member.new.key.pkcs8_der()).unwrap();
        key.precompute().unwrap();
        let bytes = |n: &rsa::BigUint| n.to_bytes_be();
        session
            .create_object(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::KeyType(KeyType::RSA),
                Attribute::Token(true),
                Attribute::Private(true),
                Attribute::Sensitive(true),
                Attribute::Sign(true),
                Attribute::Id(id),
                Attribute::Label(label.into_bytes()),
                Attribute::Subject(tbs.subject.to_der().unwrap()),
                Attribute::Modulus(bytes(key.n())),
                Attribute::PublicExponent(bytes(key.e())),
                Attribute::PrivateExponent(bytes(key.d())),
                Attribute::Prime1(bytes(&key.primes()[0])),
                Attribute::Prime2(bytes(&key.primes()[1])),
                Attribute::Exponent1(bytes(key.dp().unwrap())),
                Attribute::Exponent2(bytes(key.dq().unwrap())),
                Attribute::Coefficient(bytes(&key.crt_coefficient().unwrap())),
            ])
            .unwrap();
    }
    drop(session);
    pkcs11.finalize().unwrap();
}

/// A PIN callback answering the test PIN, counting its calls.
fn answering(calls: &Arc<AtomicUsize>) -> PinCallback {
    let calls = Arc::clone(calls);
    Box::new(move |_: &PinRequest| {
        calls.fetch_add(1, Ordering::SeqCst);
        Some(SecretString::from(PIN))
    })
}

/// `openssl cms -verify` of a detached signature with only `cert` as its signer.
fn openssl_verifies(dir: &std::path::Path, signature: &[u8], content: &[u8], cert: &str) -> bool {
    let write = |name: &str, data: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        path
    };
    let sig = write("sig.der", signature);
    let data = write("data.bin", content);
    let signer = write("signer.pem", cert.as_bytes());
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(sig)
        .arg("-content")
        .arg(data)
        .arg("-CAfile")
        .arg(dir.join("cas.pem"))
        .arg("-certfile")
        .arg(signer)
        .arg("-nointern")
        .arg("-out")
        .arg(dir.join("out.bin"))
        .output()
        .expect("openssl runs");
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

#[test]
fn fifty_updates_at_once_on_one_token() {
    hsm();
    let (pki, _) = pki();
    let fleet = fleet();
    let sb = Arc::new(Sandbox::start(SandboxConfig::new(fleet.scenario(pki))).unwrap());
    let pins = Arc::new(AtomicUsize::new(0));
    let (done, results) = mpsc::channel();
    let started = Instant::now();
    for i in 0..UPDATES {
        let (sb, pins, done) = (Arc::clone(&sb), Arc::clone(&pins), done.clone());
        std::thread::spawn(move || {
            let keys = KeySource::token(
                SoftHsm::token(LABEL),
                answering(&pins),
                PinPolicy::default(),
            );
            let captcha = Arc::clone(&sb);
            let outcome = CertificateUpdate::new(
                fleet.inputs(i),
                keys,
                portal(&sb, Duration::from_secs(120)),
            )
            .unwrap()
            .on_captcha(Box::new(move |challenge| {
                captcha.captcha_answer_for(&challenge.image_png)
            }))
            .run();
            let _ = done.send((i, outcome.map_err(|e| e.to_string())));
        });
    }
    drop(done);
    let deadline = started + DEADLINE;
    let mut completed = 0;
    while completed < UPDATES {
        let left = deadline.saturating_duration_since(Instant::now());
        let (i, outcome) = results.recv_timeout(left).unwrap_or_else(|_| {
            panic!("deadlock: only {completed} of {UPDATES} updates ended within {DEADLINE:?}")
        });
        if let Err(e) = outcome {
            panic!("update {i} failed: {e}");
        }
        completed += 1;
    }
    let wall = started.elapsed();

    // Exactly one registration sent per enterprise.
    let snapshot = sb.snapshot();
    for member in &fleet.members {
        let enterprise = snapshot.enterprise(member.tax_code.as_str()).unwrap();
        let sent = enterprise
            .records
            .iter()
            .filter(|r| r.status == RegistrationStatus::Sent)
            .count();
        assert_eq!(sent, 1, "{}: one registration sent", member.tax_code);
    }
    assert_eq!(sb.posts(Operation::Send), UPDATES as u32, "each sent once");
    assert_eq!(sb.effects(Operation::Send), UPDATES as u32);

    // Every signature verifies against its enterprise's certificate, and no other's.
    let dir = tempfile::tempdir().unwrap();
    let cas = format!("{}{}{}", pki.root.pem(), pki.ca.pem(), pki.other_ca.pem());
    std::fs::write(dir.path().join("cas.pem"), cas).unwrap();
    let received = sb.received_signatures();
    let mut by_operation = std::collections::BTreeMap::<String, usize>::new();
    for (n, s) in received.iter().enumerate() {
        let (i, member) = fleet
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| m.tax_code.as_str() == s.tax_code)
            .unwrap_or_else(|| panic!("a signature for an unknown tax code {}", s.tax_code));
        vnaccs_core::sign::verify_detached(&s.signature, &s.content, &member.new.der)
            .unwrap_or_else(|e| panic!("a {:?} signature for {}: {e}", s.operation, s.tax_code));
        let other = &fleet.members[(i + 1) % UPDATES].new.der;
        assert!(
            vnaccs_core::sign::verify_detached(&s.signature, &s.content, other).is_err(),
            "signature {n} verifies with another enterprise's certificate"
        );
        if s.operation == Operation::Send {
            assert!(
                openssl_verifies(dir.path(), &s.signature, &s.content, &member.new.pem()),
                "openssl refuses the send signature for {}",
                s.tax_code
            );
        }
        *by_operation
            .entry(format!("{:?}", s.operation))
            .or_default() += 1;
    }
    for operation in ["RegisterSubmit", "ConfirmUsers", "Login", "Send"] {
        assert_eq!(
            by_operation.get(operation).copied(),
            Some(UPDATES),
            "one {operation} signature per enterprise: {by_operation:?}"
        );
    }
    println!(
        "load: {completed} updates at once on one token in {:.1} s wall ({} requests, {} \
         signatures verified, {} PIN prompts)",
        wall.as_secs_f64(),
        sb.requests_served(),
        received.len(),
        pins.load(Ordering::SeqCst)
    );
}

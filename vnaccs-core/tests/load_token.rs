//! Concurrent load: [`UPDATES`] certificate updates at once, from threads of one process, against
//! one sandbox, all signing with ONE SoftHSM2 token that holds every enterprise's renewed
//! certificate and its own key. All complete within a deadline (no deadlock), each enterprise has
//! exactly one registration sent, and every signature the sandbox received verifies against the
//! certificate of the enterprise it was sent for (with the core's verifier, and the sends with
//! `openssl cms -verify` too). Then the same through faults of every kind but slow answers, each
//! stopped update resumed from its state file.
//!
//! SoftHSM2 reads `SOFTHSM2_CONF` once, when first initialised in the process: this binary makes
//! its one configuration, with the token, before loading it (see tests/token.rs).

mod common;
mod fleet;
mod workflow_common;

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use common::{PIN, SoftHsm};
use fleet::Fleet;
use secrecy::SecretString;
use vnaccs_core::records::RegistrationStatus;
use vnaccs_core::sandbox::{FaultKind, FaultPlan, Operation, Sandbox, SandboxConfig};
use vnaccs_core::token::{PinCallback, PinPolicy, PinRequest};
use vnaccs_core::workflow::{CertificateUpdate, KeySource};
use workflow_common::{pki, portal};

/// Updates at once.
const UPDATES: usize = 50;
/// Past this, the load is taken as deadlocked.
const DEADLINE: Duration = Duration::from_secs(300);
const LABEL: &str = "load";
/// Faults drawn for the load through faults.
const FAULTS: usize = 60;
/// Where they are armed: the operations of an update.
const UPDATE_OPERATIONS: [Operation; 16] = [
    Operation::RegisterPage,
    Operation::Captcha,
    Operation::RegisterView,
    Operation::RegisterSubmit,
    Operation::AdminPage,
    Operation::AdminUpdate,
    Operation::ConfirmUsers,
    Operation::LoginPage,
    Operation::Login,
    Operation::Oe2102Page,
    Operation::DeclarantSelect,
    Operation::DeclarantSave,
    Operation::Oe4001Page,
    Operation::Search,
    Operation::SendOpen,
    Operation::Send,
];

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

/// How the updates ran.
struct Load {
    wall: Duration,
    /// Runs in all (the first of each update and its resumes).
    runs: usize,
    pins: usize,
}

/// Runs every member's update at once, each on a thread of its own signing with the one token,
/// with a request deadline of `timeout`; with `resume`, an update stopped by a fault is resumed
/// from its state file (a new update, as a new process would) until it completes.
fn all_at_once(sb: &Arc<Sandbox>, timeout: Duration, resume: bool) -> Load {
    let fleet = fleet();
    let pins = Arc::new(AtomicUsize::new(0));
    let (done, results) = mpsc::channel();
    let started = Instant::now();
    for i in 0..UPDATES {
        let (sb, pins, done) = (Arc::clone(sb), Arc::clone(&pins), done.clone());
        std::thread::spawn(move || {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("state.json");
            let mut runs = 0;
            let outcome = loop {
                runs += 1;
                let keys = KeySource::token(
                    SoftHsm::token(LABEL),
                    answering(&pins),
                    PinPolicy::default(),
                );
                let captcha = Arc::clone(&sb);
                let outcome = CertificateUpdate::new(fleet.inputs(i), keys, portal(&sb, timeout))
                    .unwrap()
                    .on_captcha(Box::new(move |challenge| {
                        captcha.captcha_answer_for(&challenge.image_png)
                    }))
                    .run_with_state_file(&file);
                match outcome {
                    Err(e)
                        if resume
                            && runs < 20
                            && (e.retryable() || e.code() == "outcome_unknown") => {}
                    other => break other,
                }
            };
            let _ = done.send((i, runs, outcome.map_err(|e| e.to_string())));
        });
    }
    drop(done);
    let deadline = started + DEADLINE;
    let (mut ended, mut all_runs, mut failures) = (0, 0, Vec::new());
    while ended < UPDATES {
        let left = deadline.saturating_duration_since(Instant::now());
        let (i, runs, outcome) = results.recv_timeout(left).unwrap_or_else(|_| {
            panic!("deadlock: only {ended} of {UPDATES} updates ended within {DEADLINE:?}")
        });
        if let Err(e) = outcome {
            failures.push(format!("update {i} failed after {runs} runs: {e}"));
        }
        ended += 1;
        all_runs += runs;
    }
    // Failing only once every thread has ended: a process that exits while another thread signs
    // with SoftHSM2 crashes in the module's teardown, hiding the failure.
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Load {
        wall: started.elapsed(),
        runs: all_runs,
        pins: pins.load(Ordering::SeqCst),
    }
}

/// Each enterprise has exactly one registration sent, and each state-changing post of the update
/// took effect once per enterprise.
fn assert_once_each(sb: &Sandbox) {
    let snapshot = sb.snapshot();
    for member in &fleet().members {
        let enterprise = snapshot.enterprise(member.tax_code.as_str()).unwrap();
        let sent = enterprise
            .records
            .iter()
            .filter(|r| r.status == RegistrationStatus::Sent)
            .count();
        assert_eq!(sent, 1, "{}: one registration sent", member.tax_code);
    }
    for op in [
        Operation::RegisterSubmit,
        Operation::ConfirmUsers,
        Operation::DeclarantSave,
        Operation::Send,
    ] {
        assert_eq!(sb.effects(op), UPDATES as u32, "{op:?} once per enterprise");
    }
}

/// Every signature the sandbox received verifies against the renewed certificate of the
/// enterprise it was sent for, and not against another's; the sends with openssl too. Returns
/// how many signatures of each operation.
fn assert_signatures_verify(sb: &Sandbox) -> BTreeMap<String, usize> {
    let (pki, _) = pki();
    let fleet = fleet();
    let dir = tempfile::tempdir().unwrap();
    let cas = format!("{}{}{}", pki.root.pem(), pki.ca.pem(), pki.other_ca.pem());
    std::fs::write(dir.path().join("cas.pem"), cas).unwrap();
    let mut by_operation = BTreeMap::<String, usize>::new();
    for (n, s) in sb.received_signatures().iter().enumerate() {
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
        assert!(s.accepted, "the sandbox refused signature {n}");
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
    by_operation
}

/// The two tests one after the other: each has the token and the machine to itself.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn fifty_updates_at_once_on_one_token() {
    hsm();
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let sb = Arc::new(Sandbox::start(SandboxConfig::new(fleet().scenario(&pki().0))).unwrap());
    let load = all_at_once(&sb, Duration::from_secs(120), false);
    assert_once_each(&sb);
    assert_eq!(sb.posts(Operation::Send), UPDATES as u32, "each sent once");
    let signatures = assert_signatures_verify(&sb);
    for operation in ["RegisterSubmit", "ConfirmUsers", "Login", "Send"] {
        assert_eq!(
            signatures.get(operation).copied(),
            Some(UPDATES),
            "one {operation} signature per enterprise: {signatures:?}"
        );
    }
    println!(
        "load: {UPDATES} updates at once on one token in {:.1} s wall ({} requests, {} \
         signatures verified, {} PIN prompts)",
        load.wall.as_secs_f64(),
        sb.requests_served(),
        signatures.values().sum::<usize>(),
        load.pins
    );
}

/// Faults of every kind, each hitting whichever update meets it first, while the fifty run at
/// once: each stopped update is resumed from its state file until it completes.
#[test]
fn fifty_updates_at_once_through_faults() {
    hsm();
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let sb = Arc::new(Sandbox::start(SandboxConfig::new(fleet().scenario(&pki().0))).unwrap());
    // No slow answers here (tests/soak_faults.rs has them): under this load a short deadline
    // would also cut answers that are merely late.
    let mut plan = FaultPlan::random(17, &UPDATE_OPERATIONS, FAULTS, Duration::ZERO);
    plan.faults
        .retain(|f| !matches!(f.kind, FaultKind::Slow(_)));
    sb.inject_plan(&plan);
    let load = all_at_once(&sb, Duration::from_secs(60), true);
    let fired = plan.faults.len() - sb.disarm_faults().len();
    assert_once_each(&sb);
    let signatures = assert_signatures_verify(&sb);
    println!(
        "load: {UPDATES} updates at once through {fired} faults in {:.1} s wall ({} runs, {} \
         signatures verified)",
        load.wall.as_secs_f64(),
        load.runs,
        signatures.values().sum::<usize>(),
    );
}

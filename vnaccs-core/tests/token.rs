//! The token signer on real SoftHSM2 tokens: listing, pairing certificates with keys, the PIN
//! rules, CMS signatures checked by openssl, and signing from many threads.
//!
//! SoftHSM2 reads `SOFTHSM2_CONF` once, at `C_Initialize`, and the library initialises each module
//! once per process; and a SoftHSM2 already initialised does not see tokens other processes create
//! later. So this test binary makes one SoftHSM2 configuration with every test's tokens before the
//! first load, and each test uses tokens of its own (login state is per token, process-wide).

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use common::{Item, PIN, SoftHsm, check_signer, openssl_verifies, pki, softhsm};
use secrecy::SecretString;
use vnaccs_core::Error;
use vnaccs_core::fixtures::{Issued, KeySpec};
use vnaccs_core::sign::{DigestAlgorithm, Signer, sign_detached, verify_detached};
use vnaccs_core::token::TokenError;
use vnaccs_core::token::{
    KeyPresence, Module, PinCallback, PinPolicy, PinRequest, PinTries, Token, TokenCertificate,
};

/// The process's SoftHSM2 configuration: set up once, before SoftHSM2 is first initialised.
fn hsm() -> &'static SoftHsm {
    SoftHsm::for_process(|hsm| {
        let set = &pki().set;
        let one = |issued| {
            vec![Item {
                issued,
                label: "new",
                cert_id: "01",
                key_id: Some("01"),
            }]
        };
        for label in ["list", "sign", "nokey", "threads", "shared"] {
            hsm.create_token(label, &enterprise_items());
        }
        hsm.create_token("pin", &one(&set.enterprise_new));
        hsm.create_token("cancel", &one(&set.enterprise_new));
        hsm.create_token("ec", &one(ec_certificate()));
    })
}

/// An EC P-256 certificate of the test PKI.
fn ec_certificate() -> &'static Issued {
    static EC: OnceLock<Issued> = OnceLock::new();
    EC.get_or_init(|| {
        let pki = pki();
        let mut spec = pki.pki.end_entity("CÔNG TY EC TOKEN");
        spec.key = KeySpec::EcP256Sha256;
        pki.pki.issue(&spec)
    })
}

/// The token with this label, from the loaded SoftHSM2 module.
fn token(label: &str) -> Token {
    hsm();
    SoftHsm::token(label)
}

/// A PIN callback that answers `pins` in turn (then cancels) and counts its calls.
fn answering(pins: &[&str], calls: &Arc<AtomicUsize>) -> PinCallback {
    let pins: Vec<String> = pins.iter().map(|p| (*p).to_owned()).collect();
    let calls = Arc::clone(calls);
    Box::new(move |_: &PinRequest| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        pins.get(n).map(|p| SecretString::from(p.clone()))
    })
}

fn find<'a>(certificates: &'a [TokenCertificate], label: &str) -> &'a TokenCertificate {
    certificates
        .iter()
        .find(|c| c.label == label)
        .unwrap_or_else(|| panic!("certificate {label} listed"))
}

/// Old and renewed certificates of the same tax code (the renewed one's key under another
/// CKA_ID, so it pairs by public key), and another tax code's certificate without its key.
fn enterprise_items() -> Vec<Item<'static>> {
    let set = &pki().set;
    vec![
        Item {
            issued: &set.enterprise_old,
            label: "old",
            cert_id: "01",
            key_id: Some("01"),
        },
        Item {
            issued: &set.enterprise_new,
            label: "new",
            cert_id: "12",
            key_id: Some("02"),
        },
        Item {
            issued: &set.other_tax_code,
            label: "other",
            cert_id: "03",
            key_id: None,
        },
    ]
}

#[test]
fn one_module_per_library_file() {
    hsm();
    let a = Module::load(Path::new(softhsm())).expect("load");
    let link = hsm().dir.path().join("softhsm-link.so");
    std::os::unix::fs::symlink(softhsm(), &link).expect("symlink");
    let b = Module::load(&link).expect("load through a link");
    assert!(Arc::ptr_eq(&a, &b));
    assert!(a.initialised_here());
    let missing = Module::load(Path::new("/nonexistent/module.so")).expect_err("no file");
    assert_eq!(missing.code(), "token_module_load");
}

#[test]
fn lists_tokens_and_certificates_with_their_keys() {
    let token = token("list");
    let info = token.info();
    assert_eq!(info.label, "list");
    assert_eq!(info.manufacturer, "SoftHSM project");
    assert!(info.login_required);
    assert!(!info.pin.pin_pad && !info.pin.locked);

    // SoftHSM2 always shows a blank, uninitialised slot too: it is not listed as a token.
    let all = Module::load(Path::new(softhsm()))
        .unwrap()
        .tokens()
        .unwrap();
    assert!(
        all.iter()
            .all(|t| t.info().initialized && t.certificates().is_ok())
    );

    let set = &pki().set;
    let public = token.certificates().expect("list");
    assert_eq!(public.len(), 3);
    assert_eq!(find(&public, "old").der, set.enterprise_old.der);
    assert_eq!(find(&public, "new").id, vec![0x12]);
    // Private keys are private objects: unknown before login.
    assert_ne!(find(&public, "other").private_key, KeyPresence::Present);

    let calls = Arc::new(AtomicUsize::new(0));
    let mut ask = answering(&[PIN], &calls);
    let listed = token
        .certificates_after_login(&mut *ask, PinPolicy::default())
        .expect("list after login");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(find(&listed, "old").private_key, KeyPresence::Present);
    assert_eq!(
        find(&listed, "new").private_key,
        KeyPresence::Present,
        "by public key"
    );
    assert_eq!(find(&listed, "other").private_key, KeyPresence::Absent);

    // Picking, as the workflow does: the renewed certificate of the enterprise's tax code.
    let views: Vec<_> = listed.iter().map(|c| c.view().expect("view")).collect();
    let tax: vnaccs_core::TaxCode = vnaccs_core::fixtures::TAX.parse().unwrap();
    let choice = vnaccs_core::cert::choose(&views, &tax, pki().pki.now, false);
    let chosen = choice.chosen.expect("a usable certificate");
    assert_eq!(chosen.der(), &set.enterprise_new.der[..]);
    assert_eq!(choice.passed_over.len(), 2);
}

#[test]
fn token_signer_passes_the_signing_checks() {
    let token = token("sign");
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    // The renewed certificate (key paired by public key), the old one, and the renewed one
    // hashing on the host: the token then only sees CKM_RSA_PKCS over a DigestInfo.
    let signers: Vec<_> = [("new", false), ("old", false), ("new", true)]
        .into_iter()
        .map(|(label, host)| {
            token
                .signer(
                    find(&certificates, label),
                    answering(&[PIN], &calls),
                    PinPolicy::default(),
                )
                .expect("signer")
                .hash_on_host(host)
        })
        .collect();
    for signer in &signers {
        check_signer(signer);
    }
    // One login served every signature of every signer: the callbacks share one counter and
    // answer the PIN only to the first call.
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn ec_key_on_a_token_signs() {
    let token = token("ec");
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    let signer = token
        .signer(
            &certificates[0],
            answering(&[PIN], &calls),
            PinPolicy::default(),
        )
        .expect("signer");
    check_signer(&signer);
}

#[test]
fn a_wrong_pin_is_one_try_and_never_retried() {
    let token = token("pin");
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    let signer = token
        .signer(
            &certificates[0],
            answering(&["000000", PIN], &calls),
            PinPolicy::default(),
        )
        .expect("signer");

    let e = signer
        .sign(DigestAlgorithm::Sha256, b"x")
        .expect_err("wrong PIN");
    // SoftHSM2 raises CKF_USER_PIN_COUNT_LOW after a failed login; the error passes it on.
    assert_eq!(
        e,
        Error::Token(TokenError::PinIncorrect {
            token: "pin".into(),
            tries_left: PinTries::Few
        })
    );
    assert!(e.to_string().contains("few tries left"));
    assert!(!e.to_string().contains("000000") && !e.message_vi().contains("000000"));
    assert!(!format!("{signer:?}").contains(PIN));
    // The request asked once and gave up: no second prompt, no second C_Login.
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // The next request asks again, and after exactly one wrong try the token takes the PIN.
    let signature = signer
        .sign(DigestAlgorithm::Sha256, b"x")
        .expect("right PIN");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    vnaccs_core::sign::verify_raw(
        &certificates[0].der,
        DigestAlgorithm::Sha256,
        b"x",
        &signature,
    )
    .expect("verifies");
}

#[test]
fn a_cancelled_pin_prompt_signs_nothing() {
    let token = token("cancel");
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    let signer = token
        .signer(
            &certificates[0],
            answering(&[], &calls),
            PinPolicy::default(),
        )
        .expect("signer");
    let e = sign_detached(&signer, b"x", DigestAlgorithm::Sha256).expect_err("cancelled");
    assert_eq!(
        e,
        Error::Token(TokenError::PinCancelled {
            token: "cancel".into()
        })
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_certificate_without_its_key_cannot_sign() {
    let token = token("nokey");
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    let signer = token
        .signer(
            find(&certificates, "other"),
            answering(&[PIN], &calls),
            PinPolicy::default(),
        )
        .expect("signer");
    let e = signer
        .sign(DigestAlgorithm::Sha256, b"x")
        .expect_err("no key");
    assert_eq!(e.code(), "token_object_not_found");
}

#[test]
fn eight_threads_sign_at_once_on_one_token() {
    let token = token("threads");
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    let signer = Arc::new(
        token
            .signer(
                find(&certificates, "new"),
                answering(&[PIN], &calls),
                PinPolicy::default(),
            )
            .expect("signer"),
    );
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let signer = Arc::clone(&signer);
            std::thread::spawn(move || {
                let content = format!("bản khai số {i}").into_bytes();
                let cms =
                    sign_detached(&*signer, &content, DigestAlgorithm::Sha256).expect("signature");
                (content, cms)
            })
        })
        .collect();
    let expected = &pki().set.enterprise_new.der;
    for handle in handles {
        let (content, cms) = handle.join().expect("thread");
        verify_detached(&cms, &content, expected).expect("verifies");
        assert!(openssl_verifies(&cms, &content, Some(expected)));
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one PIN prompt for all threads"
    );
    assert_eq!(signer.certificate_der(), expected.as_slice());
}

/// Two signers of one token, each with its own PIN callback answering `pin` slowly (so that the
/// two requests overlap), signing at once from two threads: their results and the prompts made.
fn two_signers_at_once(token: &Token, pin: &'static str) -> (Vec<Result<Vec<u8>, Error>>, usize) {
    let certificates = token.certificates().expect("list");
    let calls = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = ["old", "new"]
        .into_iter()
        .map(|label| {
            let counted = Arc::clone(&calls);
            let ask: PinCallback = Box::new(move |_: &PinRequest| {
                counted.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(300));
                Some(SecretString::from(pin))
            });
            let signer = token
                .signer(find(&certificates, label), ask, PinPolicy::default())
                .expect("signer");
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                signer.sign(DigestAlgorithm::Sha256, b"x")
            })
        })
        .collect();
    let results = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    (results, calls.load(Ordering::SeqCst))
}

#[test]
fn two_signers_of_one_token_share_one_login_and_one_pin_try() {
    let token = token("shared");
    // A wrong PIN: one prompt, so one C_Login (each login asks once), for both signers.
    let (results, prompts) = two_signers_at_once(&token, "000000");
    assert_eq!(prompts, 1, "one PIN try for two signers");
    for result in results {
        assert_eq!(result.unwrap_err().code(), "pin_incorrect");
    }
    // The right PIN: one prompt again, and both sign with the one login.
    let (results, prompts) = two_signers_at_once(&token, PIN);
    assert_eq!(prompts, 1, "one login for two signers");
    for result in results {
        result.expect("signed");
    }
    // Logged in: a new signer of the token asks nothing.
    let (results, prompts) = two_signers_at_once(&token, "000000");
    assert_eq!(prompts, 0);
    assert!(results.iter().all(Result::is_ok));
}

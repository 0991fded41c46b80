//! A detached CMS signature on SoftHSM2 against the token's own cost: a bare `C_Sign`
//! (`CKM_RSA_PKCS` over a SHA-256 DigestInfo, in a session kept open, the key found once) through
//! cryptoki, on the same token and key. The two alternate: each measured iteration of one also
//! runs the other, unmeasured, so that both see the same machine load. Our overhead = CMS time /
//! bare time − 1 (target ≤ 10%).
#![allow(missing_docs)] // criterion_group! generates undocumented items.

#[path = "../../vnaccs-core/tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Item, PIN, SoftHsm, pki, softhsm};
use criterion::{Criterion, criterion_group, criterion_main};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use secrecy::SecretString;
use vnaccs_core::sign::{DigestAlgorithm, sign_detached};
use vnaccs_core::token::{PinCallback, PinPolicy};

const LABEL: &str = "bench";

/// The bare side: a session of our own on the token, the key's handle found once.
struct Bare {
    session: Session,
    key: ObjectHandle,
    digest_info: Vec<u8>,
}

impl Bare {
    fn sign(&self) -> Vec<u8> {
        self.session
            .sign(&Mechanism::RsaPkcs, self.key, &self.digest_info)
            .unwrap()
    }
}

fn token_sign(c: &mut Criterion) {
    let set = &pki().set;
    SoftHsm::for_process(|hsm| {
        hsm.create_token(
            LABEL,
            &[Item {
                issued: &set.enterprise_new,
                label: "new",
                cert_id: "02",
                key_id: Some("02"),
            }],
        )
    });
    // The bare context initialises SoftHSM2 first; the library then finds it initialised, as in
    // a host application that uses the token itself.
    let context = Pkcs11::new(Path::new(softhsm())).unwrap();
    context
        .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();

    let token = SoftHsm::token(LABEL);
    let certificates = token.certificates().unwrap();
    let certificate = certificates.iter().find(|c| c.label == "new").unwrap();
    let pin: PinCallback = Box::new(|_| Some(SecretString::from(PIN)));
    let signer = token
        .signer(certificate, pin, PinPolicy::default())
        .unwrap();
    let content = vec![0x5Au8; 4096];
    // The first signature logs the token in (the login is the application's, shared by both).
    sign_detached(&signer, &content, DigestAlgorithm::Sha256).unwrap();

    let slot = context
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|s| context.get_token_info(*s).unwrap().label().trim_end() == LABEL)
        .unwrap();
    let session = context.open_ro_session(slot).unwrap();
    let key = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(vec![0x02]),
        ])
        .unwrap()[0];
    let sha256 = DigestAlgorithm::Sha256;
    let bare = Bare {
        session,
        key,
        digest_info: sha256.digest_info(&sha256.digest(&content)),
    };
    assert_eq!(bare.sign().len(), 256);

    let cms = || sign_detached(&signer, black_box(&content), sha256).unwrap();
    let mut g = c.benchmark_group("softhsm2 RSA-2048");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.bench_function("cms detached, 4 KiB (the library)", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                black_box(cms());
                spent += start.elapsed();
                black_box(bare.sign());
            }
            spent
        })
    });
    g.bench_function("bare C_Sign of the digest (cryptoki)", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                black_box(cms());
                let start = Instant::now();
                black_box(bare.sign());
                spent += start.elapsed();
            }
            spent
        })
    });
    g.finish();
}

criterion_group!(benches, token_sign);
criterion_main!(benches);

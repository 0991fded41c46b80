//! Shared test material: the test PKI, SoftHSM2 tokens, `openssl cms -verify`, and the signing
//! checks every signer must pass.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use vnaccs_core::Error;
use vnaccs_core::fixtures::{Issued, StandardSet, TestPki};
use vnaccs_core::sign::SignError;
use vnaccs_core::sign::{DigestAlgorithm, Signer, sign_detached, verify_detached, verify_raw};

/// The test PKI and its standard certificates, made once per test binary.
pub struct Pki {
    pub pki: TestPki,
    pub set: StandardSet,
    /// cas.pem (root and issuing CAs) for openssl.
    pub dir: tempfile::TempDir,
}

/// The test PKI for the tests of tokens, signers and the `vnaccs` program. Made at the wall
/// clock, unlike [`vnaccs_core::fixtures::test_pki`]: the program under test reads the system
/// clock in its own process (the one exception to the tests' clock policy, see
/// [`vnaccs_core::fixtures::test_instant`]).
pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let pki = TestPki::new(chrono::Utc::now());
        let set = pki.standard();
        let dir = tempfile::tempdir().expect("tempdir");
        // OpenSSL 3.0's `cms` has no `-untrusted`, and its `-certfile` certificates are not used
        // to build the chain: the issuing CAs go in the `-CAfile` bundle with the root.
        let bundle = format!("{}{}{}", pki.root.pem(), pki.ca.pem(), pki.other_ca.pem());
        std::fs::write(dir.path().join("cas.pem"), bundle).expect("write");
        Pki { pki, set, dir }
    })
}

pub fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, data).expect("write test file");
    path
}

/// Runs a command, returning whether it succeeded; panics only if it cannot be started.
pub fn run(command: &mut Command) -> bool {
    let out = command.output().expect("the command runs");
    if !out.status.success() {
        eprintln!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out.status.success()
}

/// `openssl cms -verify` of a detached signature. With `signer`, openssl is told to use that
/// certificate only (`-nointern`), as when checking against an expected one.
pub fn openssl_verifies(signature: &[u8], content: &[u8], signer: Option<&[u8]>) -> bool {
    let pki = pki();
    let dir = tempfile::tempdir().expect("tempdir");
    let sig = write(dir.path(), "sig.der", signature);
    let data = write(dir.path(), "data.bin", content);
    let mut cmd = Command::new("openssl");
    cmd.args([
        "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
    ])
    .arg("-in")
    .arg(&sig)
    .arg("-content")
    .arg(&data)
    .arg("-CAfile")
    .arg(pki.dir.path().join("cas.pem"))
    .arg("-out")
    .arg(dir.path().join("out.bin"));
    if let Some(cert) = signer {
        let pem =
            der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, cert).expect("PEM");
        let file = write(dir.path(), "signer.pem", pem.as_bytes());
        cmd.arg("-certfile").arg(file).arg("-nointern");
    }
    run(&mut cmd)
}

/// The checks every signer passes: detached CMS with SHA-256 and SHA-1 verified by us and by
/// openssl; changed content and another certificate fail in both; bare PKCS#1 v1.5 signatures.
pub fn check_signer(signer: &dyn Signer) {
    let pki = pki();
    let content = "Đăng ký chữ ký số MST 0302345459".as_bytes();
    let changed = "Đăng ký chữ ký số MST 0302345450".as_bytes();
    let other = &pki.set.other_tax_code.der;
    let own = signer.certificate_der();
    for digest in [DigestAlgorithm::Sha256, DigestAlgorithm::Sha1] {
        let cms = sign_detached(signer, content, digest).expect("sign");
        let verified = verify_detached(&cms, content, own).expect("our verifier accepts");
        assert_eq!(verified.digest, digest);
        assert!(verified.signing_time.is_some());
        assert!(
            openssl_verifies(&cms, content, None),
            "openssl accepts {digest:?}"
        );
        assert!(openssl_verifies(&cms, content, Some(own)));

        assert_eq!(
            verify_detached(&cms, changed, own),
            Err(Error::Signing(SignError::CmsContentMismatch))
        );
        assert!(!openssl_verifies(&cms, changed, None));
        assert_eq!(
            verify_detached(&cms, content, other),
            Err(Error::Signing(SignError::CmsWrongSigner))
        );
        assert!(!openssl_verifies(&cms, content, Some(other)));
    }

    let raw = signer.sign(DigestAlgorithm::Sha256, content).expect("raw");
    verify_raw(own, DigestAlgorithm::Sha256, content, &raw).expect("raw verifies");
    assert_eq!(
        verify_raw(own, DigestAlgorithm::Sha256, changed, &raw),
        Err(Error::Signing(SignError::BadSignature))
    );
    assert_eq!(
        verify_raw(own, DigestAlgorithm::Sha1, content, &raw),
        Err(Error::Signing(SignError::BadSignature))
    );
}

/// The environment variable naming the SoftHSM2 module the tests load.
pub const MODULE_ENV: &str = "VNACCS_TEST_PKCS11_MODULE";

/// The SoftHSM2 module every test loads: [`MODULE_ENV`] when set, else the one the library's
/// own discovery finds in the platform's library folders.
pub fn softhsm() -> &'static str {
    static MODULE: OnceLock<String> = OnceLock::new();
    MODULE.get_or_init(|| {
        let path = match std::env::var(MODULE_ENV) {
            Ok(path) if !path.is_empty() => PathBuf::from(path),
            _ => vnaccs_core::token::available_modules()
                .into_iter()
                .find(|p| p.to_string_lossy().contains("softhsm2"))
                .unwrap_or_else(|| {
                    panic!(
                        "SoftHSM2 is missing: apt-get install softhsm2 opensc (tests/run.sh \
                         does), or name its module in {MODULE_ENV}"
                    )
                }),
        };
        assert!(path.exists(), "no SoftHSM2 module at {}", path.display());
        path.to_str().expect("a UTF-8 module path").to_owned()
    })
}
/// The user PIN of every test token.
pub const PIN: &str = "246810";
const SO_PIN: &str = "13579135";

/// A certificate to put on a token: its key under `key_id` (if any), itself under `cert_id`.
pub struct Item<'a> {
    pub issued: &'a Issued,
    pub label: &'a str,
    pub cert_id: &'a str,
    pub key_id: Option<&'a str>,
}

/// The enterprise's old and renewed certificates, each with its key: what most test tokens hold.
#[allow(dead_code)] // Not every test binary that includes this module holds such a token.
pub fn old_and_new(set: &StandardSet) -> [Item<'_>; 2] {
    [
        Item {
            issued: &set.enterprise_old,
            label: "old",
            cert_id: "01",
            key_id: Some("01"),
        },
        Item {
            issued: &set.enterprise_new,
            label: "new",
            cert_id: "02",
            key_id: Some("02"),
        },
    ]
}

/// A SoftHSM2 configuration with its token directory, in a temporary folder.
pub struct SoftHsm {
    pub dir: tempfile::TempDir,
    /// The file `SOFTHSM2_CONF` must name.
    pub conf: PathBuf,
}

impl SoftHsm {
    /// A fresh, empty configuration.
    pub fn new() -> SoftHsm {
        softhsm();
        let dir = tempfile::tempdir().expect("tempdir");
        let tokens = dir.path().join("tokens");
        std::fs::create_dir(&tokens).expect("token dir");
        let conf = write(
            dir.path(),
            "softhsm2.conf",
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            )
            .as_bytes(),
        );
        SoftHsm { dir, conf }
    }

    /// The process's own configuration (`SOFTHSM2_CONF`), made once per test binary with the
    /// tokens `setup` creates, before the process first loads SoftHSM2 (every test of a binary
    /// that loads the module in-process reaches it through here first).
    pub fn for_process(setup: impl FnOnce(&SoftHsm)) -> &'static SoftHsm {
        static HSM: OnceLock<SoftHsm> = OnceLock::new();
        HSM.get_or_init(|| {
            let hsm = SoftHsm::new();
            // SAFETY: this runs once, inside the OnceLock, before this process loads SoftHSM2;
            // Rust's own environment readers take std's environment lock, and no other C code in
            // a test binary reads the environment.
            unsafe { std::env::set_var("SOFTHSM2_CONF", &hsm.conf) };
            setup(&hsm);
            hsm
        })
    }

    /// The token labelled `label`, from SoftHSM2 loaded in this process (after
    /// [`SoftHsm::for_process`]).
    pub fn token(label: &str) -> vnaccs_core::token::Token {
        vnaccs_core::token::Module::load(Path::new(softhsm()))
            .expect("SoftHSM2 loads")
            .token(label)
            .expect("the token is listed")
    }

    /// Creates a token with `items`, with the SoftHSM2 and OpenSC tools.
    pub fn create_token(&self, label: &str, items: &[Item]) {
        assert!(run(Command::new("softhsm2-util")
            .env("SOFTHSM2_CONF", &self.conf)
            .args([
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                PIN,
                "--so-pin",
                SO_PIN
            ])));
        let files = tempfile::tempdir_in(self.dir.path()).expect("tempdir");
        for item in items {
            let cert = write(files.path(), "cert.der", &item.issued.der);
            let mut objects = vec![(cert, "cert", item.cert_id)];
            if let Some(key_id) = item.key_id {
                let key = write(files.path(), "key.der", &item.issued.key.pkcs8_der());
                objects.push((key, "privkey", key_id));
            }
            for (file, kind, id) in objects {
                assert!(run(Command::new("pkcs11-tool")
                    .env("SOFTHSM2_CONF", &self.conf)
                    .args([
                        "--module",
                        softhsm(),
                        "--token-label",
                        label,
                        "--login",
                        "--pin",
                        PIN
                    ])
                    .arg("--write-object")
                    .arg(&file)
                    .args(["--type", kind, "--id", id, "--label", item.label])));
            }
        }
    }
}

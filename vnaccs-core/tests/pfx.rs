//! PKCS#12 files as `openssl pkcs12 -export` writes them, opened by
//! `SoftwareSigner::from_pkcs12`: today's and the legacy forms, RSA and EC keys, a Vietnamese
//! password; a wrong password is told from a damaged, truncated or overreaching file.

mod common;

use std::process::Command;

use common::{check_signer, pki, run, write};
use der::{Decode, Encode};
use secrecy::SecretString;
use vnaccs_core::Error;
use vnaccs_core::fixtures::{Issued, KeySpec};
use vnaccs_core::sign::{KeyAlgorithm, SignError, Signer, SoftwareSigner};

const PASSWORD: &str = "Mật khẩu của công ty";

fn password(p: &str) -> SecretString {
    SecretString::from(p.to_owned())
}

/// `openssl pkcs12 -export` of `issued` with the test CAs, protected by `pass`, with `args`.
fn export(issued: &Issued, pass: &str, args: &[&str]) -> Vec<u8> {
    let pki = pki();
    let dir = tempfile::tempdir().expect("tempdir");
    let key = write(dir.path(), "key.pem", issued.key.pkcs8_pem().as_bytes());
    let cert = write(dir.path(), "cert.pem", issued.pem().as_bytes());
    let out = dir.path().join("out.p12");
    let mut cmd = Command::new("openssl");
    cmd.args(["pkcs12", "-export", "-passout"])
        .arg(format!("pass:{pass}"))
        .arg("-inkey")
        .arg(&key)
        .arg("-in")
        .arg(&cert)
        .arg("-certfile")
        .arg(pki.dir.path().join("cas.pem"))
        .arg("-out")
        .arg(&out)
        .args(args);
    assert!(run(&mut cmd), "openssl pkcs12 -export {args:?}");
    std::fs::read(out).expect("read p12")
}

fn ec_p256() -> Issued {
    let pki = pki();
    let mut spec = pki.pki.end_entity("CÔNG TY KHÓA EC");
    spec.key = KeySpec::EcP256Sha256;
    pki.pki.issue(&spec)
}

/// The forms `openssl pkcs12 -export` writes, named.
const FORMS: [(&str, &[&str]); 7] = [
    (
        "OpenSSL 3's default: AES-256-CBC, PBKDF2-SHA256, MAC SHA-256",
        &[],
    ),
    (
        "-legacy: 3DES key, RC2-40 certificates, MAC SHA-1",
        &["-legacy"],
    ),
    (
        "2-key 3DES key, RC2-128 certificates",
        &[
            "-legacy",
            "-keypbe",
            "PBE-SHA1-2DES",
            "-certpbe",
            "PBE-SHA1-RC2-128",
        ],
    ),
    (
        "AES-128-CBC, MAC SHA-512",
        &[
            "-keypbe",
            "AES-128-CBC",
            "-certpbe",
            "AES-128-CBC",
            "-macalg",
            "sha512",
        ],
    ),
    (
        "PBES2 with DES-EDE3-CBC",
        &["-keypbe", "DES-EDE3-CBC", "-certpbe", "DES-EDE3-CBC"],
    ),
    (
        "unencrypted key and certificates",
        &["-keypbe", "NONE", "-certpbe", "NONE"],
    ),
    ("no MAC", &["-nomac"]),
];

#[test]
fn every_form_opens_with_rsa_and_ec_keys_and_a_vietnamese_password() {
    let ec = ec_p256();
    let keys = [
        (&pki().set.enterprise_new, KeyAlgorithm::Rsa),
        (&ec, KeyAlgorithm::EcP256),
    ];
    for (issued, algorithm) in keys {
        for (form, args) in FORMS {
            let p12 = export(issued, PASSWORD, args);
            let signer = SoftwareSigner::from_pkcs12(&p12, &password(PASSWORD))
                .unwrap_or_else(|e| panic!("{form}, {algorithm:?}: {e}"));
            // The key's own certificate, not a CA certificate of the chain.
            assert_eq!(signer.certificate_der(), issued.der.as_slice(), "{form}");
            assert_eq!(signer.key_algorithm(), algorithm, "{form}");
        }
    }
    let legacy = export(&ec, PASSWORD, &["-legacy"]);
    check_signer(&SoftwareSigner::from_pkcs12(&legacy, &password(PASSWORD)).expect("EC"));
}

fn wrong_password() -> Error {
    Error::Signing(SignError::KeyFilePassword)
}

/// The reason of a `key_file` error; panics on any other.
fn key_file_reason(e: Error) -> String {
    match e {
        Error::Signing(SignError::KeyFile { reason }) => reason,
        other => panic!("expected key_file, got {other:?}"),
    }
}

/// `p12` with its MAC changed by `change`.
fn with_mac(p12: &[u8], change: impl FnOnce(&mut pkcs12::mac_data::MacData)) -> Vec<u8> {
    let mut pfx = pkcs12::pfx::Pfx::from_der(p12).expect("a PKCS#12 file");
    change(pfx.mac_data.as_mut().expect("a MAC"));
    pfx.to_der().expect("encode")
}

fn flip_mac(p12: &[u8]) -> Vec<u8> {
    with_mac(p12, |mac| {
        let mut digest = mac.mac.digest.as_bytes().to_vec();
        digest[0] ^= 1;
        mac.mac.digest = der::asn1::OctetString::new(digest).expect("octets");
    })
}

#[test]
fn a_wrong_password_is_told_from_a_damaged_file() {
    let issued = &pki().set.enterprise_new;
    let right = password(PASSWORD);
    let wrong = password("Mat khau cua cong ty");
    for (form, args) in FORMS {
        let p12 = export(issued, PASSWORD, args);
        let e = SoftwareSigner::from_pkcs12(&p12, &wrong).expect_err(form);
        assert_eq!(e, wrong_password(), "{form}");
    }
    // A damaged MAC: the right password still decrypts the contents, a wrong one does not.
    let p12 = flip_mac(&export(issued, PASSWORD, &[]));
    let reason = key_file_reason(SoftwareSigner::from_pkcs12(&p12, &right).expect_err("bad MAC"));
    assert!(reason.contains("damaged"), "{reason}");
    assert_eq!(
        SoftwareSigner::from_pkcs12(&p12, &wrong).expect_err("wrong password"),
        wrong_password()
    );
    // With nothing encrypted, a failing MAC cannot be told from a wrong password.
    let plain = flip_mac(&export(
        issued,
        PASSWORD,
        &["-keypbe", "NONE", "-certpbe", "NONE"],
    ));
    assert_eq!(
        SoftwareSigner::from_pkcs12(&plain, &right).expect_err("bad MAC"),
        wrong_password()
    );
    // An empty password is a password.
    let empty = export(issued, "", &[]);
    SoftwareSigner::from_pkcs12(&empty, &password("")).expect("empty password");
    assert_eq!(
        SoftwareSigner::from_pkcs12(&empty, &wrong).expect_err("wrong password"),
        wrong_password()
    );
}

#[test]
fn truncated_oversized_and_overreaching_files_are_refused() {
    let issued = &pki().set.enterprise_new;
    let right = password(PASSWORD);
    let p12 = export(issued, PASSWORD, &[]);
    for length in [0, 1, p12.len() / 2, p12.len() - 1] {
        let e = SoftwareSigner::from_pkcs12(&p12[..length], &right).expect_err("truncated");
        assert!(
            key_file_reason(e).contains("not a PKCS#12 file"),
            "{length}"
        );
    }
    // Too large: refused before it is parsed.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut large = p12.clone();
    large.resize((1 << 20) + 1, 0);
    let file = write(dir.path(), "large.pfx", &large);
    let reason =
        key_file_reason(SoftwareSigner::from_pkcs12_file(&file, &right).expect_err("large"));
    assert!(reason.contains("limit"), "{reason}");
    // Too many iterations: refused before any work.
    let costly = with_mac(&p12, |mac| mac.iterations = 2_000_001);
    let reason = key_file_reason(SoftwareSigner::from_pkcs12(&costly, &right).expect_err("costly"));
    assert!(reason.contains("2000001 iterations"), "{reason}");
}

#[test]
fn a_file_without_a_key_or_a_certificate_says_so() {
    let issued = &pki().set.enterprise_new;
    let right = password(PASSWORD);
    let p12 = export(issued, PASSWORD, &["-nokeys"]);
    let reason = key_file_reason(SoftwareSigner::from_pkcs12(&p12, &right).expect_err("no key"));
    assert!(reason.contains("no private key"), "{reason}");
    // The CA certificates only: none is the key's.
    let p12 = export(issued, PASSWORD, &["-nocerts"]);
    let e = SoftwareSigner::from_pkcs12(&p12, &right).expect_err("CA certificates only");
    assert_eq!(e, Error::Signing(SignError::KeyCertificateMismatch));
    // The key alone.
    let dir = tempfile::tempdir().expect("tempdir");
    let key = write(dir.path(), "key.pem", issued.key.pkcs8_pem().as_bytes());
    let out = dir.path().join("key.p12");
    assert!(run(Command::new("openssl")
        .args(["pkcs12", "-export", "-nocerts", "-passout"])
        .arg(format!("pass:{PASSWORD}"))
        .arg("-inkey")
        .arg(&key)
        .arg("-out")
        .arg(&out)));
    let p12 = std::fs::read(out).expect("read p12");
    let reason = key_file_reason(SoftwareSigner::from_pkcs12(&p12, &right).expect_err("no cert"));
    assert!(reason.contains("no certificate"), "{reason}");
}

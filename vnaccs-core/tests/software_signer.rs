//! The software-key signer: PKCS#8, PEM and PKCS#12 keys pass the same signing checks as the
//! token signer, and interoperate with openssl.

mod common;

use std::process::Command;

use common::{check_signer, pki, run, write};
use secrecy::SecretString;
use vnaccs_core::Error;
use vnaccs_core::fixtures::KeySpec;
use vnaccs_core::sign::SignError;
use vnaccs_core::sign::{
    DigestAlgorithm, KeyAlgorithm, Signer, SoftwareSigner, sign_detached, verify_detached,
};

fn password(p: &str) -> SecretString {
    SecretString::from(p.to_owned())
}

#[test]
fn pkcs8_rsa_key_passes_the_signing_checks() {
    let issued = &pki().set.enterprise_new;
    let signer =
        SoftwareSigner::from_pkcs8_der(&issued.key.pkcs8_der(), &issued.der).expect("signer");
    assert_eq!(signer.key_algorithm(), KeyAlgorithm::Rsa);
    check_signer(&signer);
}

#[test]
fn ec_p256_key_passes_the_signing_checks() {
    let pki = pki();
    let mut spec = pki.pki.end_entity("CÔNG TY EC");
    spec.key = KeySpec::EcP256Sha256;
    let issued = pki.pki.issue(&spec);
    let signer =
        SoftwareSigner::from_pem(&issued.key.pkcs8_pem(), &issued.pem(), None).expect("signer");
    assert_eq!(signer.key_algorithm(), KeyAlgorithm::EcP256);
    check_signer(&signer);
}

#[test]
fn old_sha1_era_rsa_1024_key_signs() {
    let pki = pki();
    let mut spec = pki.pki.end_entity("CÔNG TY THỜI SHA-1");
    spec.key = KeySpec::Rsa1024Sha1;
    let issued = pki.pki.issue(&spec);
    let certificate = vnaccs_core::cert::Certificate::from_der(&issued.der).expect("certificate");
    assert_eq!(
        certificate.key_bits(),
        1024,
        "the fixture must be an RSA-1024 key"
    );
    let signer =
        SoftwareSigner::from_pkcs8_der(&issued.key.pkcs8_der(), &issued.der).expect("signer");
    assert_eq!(signer.key_algorithm(), KeyAlgorithm::Rsa);
    check_signer(&signer);
}

#[test]
fn a_key_that_is_not_the_certificates_is_refused() {
    let set = &pki().set;
    let e = SoftwareSigner::from_pkcs8_der(
        &set.other_tax_code.key.pkcs8_der(),
        &set.enterprise_new.der,
    )
    .expect_err("mismatch");
    assert_eq!(e, Error::Signing(SignError::KeyCertificateMismatch));
}

/// Writes the key and certificate as PEM and exports a PKCS#12 file with openssl's `args`.
fn openssl_pkcs12(args: &[&str]) -> Vec<u8> {
    let pki = pki();
    let issued = &pki.set.enterprise_new;
    let dir = tempfile::tempdir().expect("tempdir");
    let key = write(dir.path(), "key.pem", issued.key.pkcs8_pem().as_bytes());
    let cert = write(dir.path(), "cert.pem", issued.pem().as_bytes());
    let out = dir.path().join("out.p12");
    let mut cmd = Command::new("openssl");
    cmd.args(["pkcs12", "-export", "-passout", "pass:mật-khẩu"])
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

#[test]
fn pkcs12_from_openssl_today_and_legacy_forms() {
    let expected = &pki().set.enterprise_new.der;
    let forms: [&[&str]; 3] = [
        &[],          // AES-256-CBC, PBKDF2, HMAC-SHA256: OpenSSL 3's default
        &["-legacy"], // RC2-40 certificates, 3DES key, SHA-1 MAC
        &[
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    ];
    for args in forms {
        let p12 = openssl_pkcs12(args);
        let signer = SoftwareSigner::from_pkcs12(&p12, &password("mật-khẩu"))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        // The key's own certificate, not a CA certificate of the chain.
        assert_eq!(signer.certificate_der(), expected.as_slice());
        assert_eq!(
            SoftwareSigner::from_pkcs12(&p12, &password("wrong")).expect_err("wrong password"),
            Error::Signing(SignError::KeyFilePassword)
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "token.pfx", &openssl_pkcs12(&[]));
    let signer = SoftwareSigner::from_pkcs12_file(&file, &password("mật-khẩu")).expect("file");
    check_signer(&signer);
}

#[test]
fn encrypted_pem_key_needs_its_password() {
    let issued = &pki().set.enterprise_new;
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = write(dir.path(), "key.pem", issued.key.pkcs8_pem().as_bytes());
    let encrypted = dir.path().join("enc.pem");
    assert!(run(Command::new("openssl")
        .args([
            "pkcs8",
            "-topk8",
            "-v2",
            "aes-256-cbc",
            "-passout",
            "pass:secret"
        ])
        .arg("-in")
        .arg(&plain)
        .arg("-out")
        .arg(&encrypted)));
    let cert = write(dir.path(), "cert.pem", issued.pem().as_bytes());
    SoftwareSigner::from_pem_files(&encrypted, &cert, Some(&password("secret"))).expect("signer");
    // PBKDF2 with HMAC-SHA1, as OpenSSL 1.0 and .NET write it.
    let sha1 = dir.path().join("sha1.pem");
    assert!(run(Command::new("openssl")
        .args([
            "pkcs8",
            "-topk8",
            "-v2",
            "aes-128-cbc",
            "-v2prf",
            "hmacWithSHA1"
        ])
        .args(["-passout", "pass:secret", "-in"])
        .arg(&plain)
        .arg("-out")
        .arg(&sha1)));
    SoftwareSigner::from_pem_files(&sha1, &cert, Some(&password("secret"))).expect("SHA-1 PRF");
    for wrong in [None, Some(&password("nope"))] {
        assert_eq!(
            SoftwareSigner::from_pem_files(&encrypted, &cert, wrong).expect_err("refused"),
            Error::Signing(SignError::KeyFilePassword)
        );
    }
    let missing = SoftwareSigner::from_pem_files(&dir.path().join("none.pem"), &cert, None);
    assert_eq!(missing.expect_err("no file").code(), "key_file");
}

#[test]
fn an_encrypted_pem_key_asking_for_too_many_iterations_is_refused_before_any_work() {
    use der::{Decode, Encode};
    use pkcs8::pkcs5::EncryptionScheme;
    use pkcs8::pkcs5::pbes2::{Kdf, Parameters};
    let issued = &pki().set.enterprise_new;
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = write(dir.path(), "key.pem", issued.key.pkcs8_pem().as_bytes());
    let encrypted = dir.path().join("enc.der");
    assert!(run(Command::new("openssl")
        .args(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-outform", "DER"])
        .args(["-passout", "pass:secret", "-in"])
        .arg(&plain)
        .arg("-out")
        .arg(&encrypted)));
    let der = std::fs::read(&encrypted).expect("read");
    let mut info = pkcs8::EncryptedPrivateKeyInfo::from_der(&der).expect("encrypted key");
    let EncryptionScheme::Pbes2(Parameters {
        kdf: Kdf::Pbkdf2(mut costly),
        encryption,
    }) = info.encryption_algorithm
    else {
        panic!("PBES2 with PBKDF2");
    };
    costly.iteration_count = 2_000_001;
    info.encryption_algorithm = EncryptionScheme::Pbes2(Parameters {
        kdf: Kdf::Pbkdf2(costly),
        encryption,
    });
    let pem = der::pem::encode_string(
        "ENCRYPTED PRIVATE KEY",
        der::pem::LineEnding::LF,
        &info.to_der().expect("encode"),
    )
    .expect("PEM");
    let e = SoftwareSigner::from_pem(&pem, &issued.pem(), Some(&password("secret")));
    match e.expect_err("refused") {
        Error::Signing(SignError::KeyFile { reason }) => {
            assert!(reason.contains("2000001 iterations"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn we_verify_what_openssl_signs() {
    let pki = pki();
    let issued = &pki.set.enterprise_new;
    let dir = tempfile::tempdir().expect("tempdir");
    let key = write(dir.path(), "key.pem", issued.key.pkcs8_pem().as_bytes());
    let cert = write(dir.path(), "cert.pem", issued.pem().as_bytes());
    let data = write(dir.path(), "data.bin", b"OE4001 send form");
    let sig = dir.path().join("sig.der");
    assert!(run(Command::new("openssl")
        .args(["cms", "-sign", "-binary", "-outform", "DER", "-md", "sha1"])
        .arg("-in")
        .arg(&data)
        .arg("-signer")
        .arg(&cert)
        .arg("-inkey")
        .arg(&key)
        .arg("-out")
        .arg(&sig)));
    let cms = std::fs::read(sig).expect("read");
    let verified = verify_detached(&cms, b"OE4001 send form", &issued.der).expect("verifies");
    assert_eq!(verified.digest, DigestAlgorithm::Sha1);
    assert_eq!(
        verify_detached(&cms, b"OE4001 send form!", &issued.der),
        Err(Error::Signing(SignError::CmsContentMismatch))
    );
}

#[test]
fn garbage_and_tampered_signatures_are_typed_errors() {
    let issued = &pki().set.enterprise_new;
    let signer =
        SoftwareSigner::from_pkcs8_der(&issued.key.pkcs8_der(), &issued.der).expect("signer");
    assert_eq!(
        verify_detached(b"not DER at all", b"x", &issued.der)
            .expect_err("garbage")
            .code(),
        "not_cms"
    );
    let mut cms = sign_detached(&signer, b"x", DigestAlgorithm::Sha256).expect("sign");
    // The signature value is the last thing in the structure: flip its last byte.
    let last = cms.len() - 1;
    cms[last] ^= 0x01;
    assert_eq!(
        verify_detached(&cms, b"x", &issued.der),
        Err(Error::Signing(SignError::BadSignature))
    );
    assert!(!common::openssl_verifies(&cms, b"x", None));
}

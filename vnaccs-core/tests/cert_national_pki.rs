//! The certificate view and chain checks on the public Vietnamese national PKI certificates
//! bundled in `pki/`, cross-checked with the openssl command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use vnaccs_core::cert::CertError;
use vnaccs_core::cert::{CaFamily, Certificate, ChainCheck, TrustAnchors};
use vnaccs_core::sign::KeyAlgorithm;

fn pki(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pki").join(name)
}

fn load(name: &str) -> Certificate {
    let bytes = std::fs::read(pki(name)).unwrap();
    let mut certs = Certificate::load_all(&bytes).unwrap();
    assert_eq!(certs.len(), 1);
    certs.remove(0)
}

/// `openssl x509` output for a bundled file, one field per call.
fn openssl(name: &str, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .arg("x509")
        .arg("-in")
        .arg(pki(name))
        .args(["-noout", "-nameopt", "utf8,sep_comma_plus_space"])
        .args(args)
        .output()
        .expect("openssl is installed by tests/run.sh");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_once('=')
        .map_or(text.clone(), |(_, v)| v.trim().to_owned())
}

const FILES: [&str; 7] = [
    "vietnam-national-root-ca.pem",
    "mic-national-root-ca.pem",
    "viettel-ca-rs.pem",
    "vnpt-smartca-rs.pem",
    "fastca-sha256.pem",
    "viettel-ca.pem",
    "bkavca.pem",
];

#[test]
fn view_agrees_with_openssl() {
    for file in FILES {
        let cert = load(file);
        assert_eq!(
            cert.serial().as_str(),
            openssl(file, &["-serial"]).trim_start_matches("00"),
            "{file}"
        );
        assert_eq!(
            cert.sha1_thumbprint(),
            openssl(file, &["-fingerprint", "-sha1"]).replace(':', "")
        );
        assert_eq!(
            cert.sha256_thumbprint(),
            openssl(file, &["-fingerprint", "-sha256"]).replace(':', "")
        );
        let subject = openssl(file, &["-subject"]);
        let cn = cert
            .subject()
            .get(&vnaccs_core::cert::AttributeKind::CommonName)
            .unwrap();
        assert!(subject.contains(&format!("CN={cn}")), "{subject} vs {cn}");
        let end = openssl(file, &["-enddate"]);
        assert_eq!(
            cert.not_after().format("%b %e %H:%M:%S %Y GMT").to_string(),
            end,
            "{file}"
        );
        assert_eq!(cert.key_algorithm(), Some(KeyAlgorithm::Rsa));
        assert!(cert.key_bits() == 2048 || cert.key_bits() == 4096, "{file}");
        assert!(cert.is_ca(), "{file} is a CA");
        let ku = cert.key_usage().expect("CA certificates carry key usage");
        assert!(ku.key_cert_sign, "{file}");
    }
}

#[test]
fn vietnamese_diacritics_are_decoded() {
    let fast = load("fastca-sha256.pem");
    let o = fast
        .subject()
        .get(&vnaccs_core::cert::AttributeKind::Organization)
        .unwrap();
    assert_eq!(o, "CÔNG TY CỔ PHẦN CHỮ KÝ SỐ FASTCA");
}

#[test]
fn roots_are_self_issued_cas_and_trusted() {
    let anchors = TrustAnchors::national();
    assert_eq!(anchors.roots().len(), 2);
    assert_eq!(anchors.intermediates().len(), 5);
    for root in anchors.roots() {
        assert!(root.is_ca() && root.is_self_issued());
        assert_eq!(root.ca_family(), Some(CaFamily::NationalRoot));
        assert!(
            matches!(anchors.verify(root, &[]), ChainCheck::Trusted { path } if path.len() == 1)
        );
    }
}

#[test]
fn each_intermediate_chains_to_its_root() {
    let anchors = TrustAnchors::national();
    let expected = [
        (
            "viettel-ca-rs.pem",
            "Vietnam National Root CA",
            Some(CaFamily::NationalRoot),
            CaFamily::Viettel,
        ),
        (
            "vnpt-smartca-rs.pem",
            "Vietnam National Root CA",
            Some(CaFamily::NationalRoot),
            CaFamily::Vnpt,
        ),
        (
            "fastca-sha256.pem",
            "Vietnam National Root CA",
            Some(CaFamily::NationalRoot),
            CaFamily::FastCa,
        ),
        (
            "viettel-ca.pem",
            "MIC National Root CA",
            Some(CaFamily::NationalRoot),
            CaFamily::Viettel,
        ),
        (
            "bkavca.pem",
            "MIC National Root CA",
            Some(CaFamily::NationalRoot),
            CaFamily::Bkav,
        ),
    ];
    for (file, root, issuer_family, own_family) in expected {
        let cert = load(file);
        assert_eq!(cert.ca_family(), issuer_family, "{file}");
        // The family of certificates it issues is read from its own subject.
        assert_eq!(
            CaFamily::of_issuer(cert.subject()),
            Some(own_family),
            "{file}"
        );
        match anchors.verify(&cert, &[]) {
            ChainCheck::Trusted { path } => {
                assert_eq!(path.len(), 2, "{file}");
                assert_eq!(path[1].subject, root, "{file}");
            }
            other => panic!("{file}: {other:?}"),
        }
        // Without the national roots there is nothing to chain to.
        let empty = TrustAnchors::default();
        assert!(
            matches!(empty.verify(&cert, &[]), ChainCheck::IssuerNotFound { .. }),
            "{file}"
        );
    }
}

#[test]
fn signature_algorithms() {
    assert_eq!(
        load("bkavca.pem").signature_algorithm().name(),
        "sha1WithRSAEncryption"
    );
    assert_eq!(
        load("viettel-ca-rs.pem").signature_algorithm().name(),
        "sha256WithRSAEncryption"
    );
}

#[test]
fn a_tampered_intermediate_fails_its_signature() {
    let mut der = load("viettel-ca-rs.pem").der().to_vec();
    // Flip a bit inside the subject's CN text (still valid DER, different signed bytes).
    let at = der.windows(8).position(|w| w == b"Viettel-").unwrap();
    der[at] ^= 0x20;
    let tampered = Certificate::from_der(&der).unwrap();
    let mut anchors = TrustAnchors::national();
    anchors.add_intermediate(tampered.clone());
    assert!(matches!(
        anchors.verify(&tampered, &[]),
        ChainCheck::BadSignature { .. }
    ));
}

#[test]
fn pem_bundle_and_xml_forms() {
    let bundle: String = FILES
        .iter()
        .map(|f| std::fs::read_to_string(pki(f)).unwrap())
        .collect();
    let certs = Certificate::load_all(bundle.as_bytes()).unwrap();
    assert_eq!(certs.len(), FILES.len());
    let b64: String = {
        let pem = std::fs::read_to_string(pki("bkavca.pem")).unwrap();
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("&#13;\n")
    };
    let xml = format!("<ds:X509Data><ds:X509Certificate>{b64}</ds:X509Certificate></ds:X509Data>");
    let from_xml = Certificate::load_all(xml.as_bytes()).unwrap();
    assert_eq!(from_xml, vec![load("bkavca.pem")]);
    assert_eq!(Certificate::from_base64(&b64).unwrap(), load("bkavca.pem"));
    let der = load("bkavca.pem").der().to_vec();
    assert_eq!(Certificate::load_all(&der).unwrap()[0].der(), &der[..]);
}

#[test]
fn bad_time_and_unsupported_version_are_named() {
    use vnaccs_core::CertificateProblem;
    // Corrupt a digit of the first UTCTime (tag 0x17, 13 bytes): "15…" becomes "1A…".
    let mut der = load("bkavca.pem").der().to_vec();
    let at = der.windows(2).position(|w| w == [0x17, 0x0D]).unwrap();
    der[at + 3] = b'A';
    assert_eq!(
        Certificate::from_der(&der).unwrap_err(),
        CertError::InvalidCertificate {
            problem: CertificateProblem::BadTime
        }
    );
    // openssl makes a version 1 certificate when given no extensions.
    let dir = std::env::temp_dir().join(format!("vnaccs-v1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let status = Command::new("openssl")
        .args([
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=v1", "-keyout", "k.pem",
            "-out", "r.csr",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(status.status.success());
    let status = Command::new("openssl")
        .args([
            "x509", "-req", "-in", "r.csr", "-key", "k.pem", "-days", "1", "-out", "v1.pem",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(status.status.success());
    let pem = std::fs::read_to_string(dir.join("v1.pem")).unwrap();
    assert_eq!(
        Certificate::from_pem(&pem).unwrap_err(),
        CertError::InvalidCertificate {
            problem: CertificateProblem::UnsupportedVersion(1)
        }
    );
    std::fs::remove_dir_all(&dir).ok();
}

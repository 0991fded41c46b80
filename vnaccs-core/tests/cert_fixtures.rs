//! Certificate loading, view, identities, checks, chain, choice and change classification on the
//! Vietnamese-style test PKI (`vnaccs_core::fixtures`), generated at test time.
#![cfg(feature = "test-pki")]

use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use vnaccs_core::TaxCode;
use vnaccs_core::cert::{
    AttributeKind, CaFamily, Certificate, ChainCheck, ChangeKind, IdentityKind, PassReason,
    SigningUsage, TaxCodeFinding, TaxCodeMatch, TaxCodeSource, TrustAnchors, Validity, choose,
    classify_change,
};
use vnaccs_core::fixtures::{self, EndEntity, Issued, KeySpec, StandardSet, TestPki, UidString};
use vnaccs_core::sign::KeyAlgorithm;

fn now() -> DateTime<Utc> {
    fixtures::test_instant()
}

fn pki() -> &'static (TestPki, StandardSet) {
    fixtures::test_pki()
}

fn cert(issued: &Issued) -> Certificate {
    Certificate::from_der(&issued.der).unwrap()
}

fn tax(s: &str) -> TaxCode {
    s.parse().unwrap()
}

fn anchors() -> TrustAnchors {
    let (pki, _) = pki();
    let mut a = TrustAnchors::default();
    a.add_root(cert(&pki.root));
    a.add_intermediate(cert(&pki.ca));
    a.add_intermediate(cert(&pki.other_ca));
    a
}

#[test]
fn identities_in_order_and_any_string_type() {
    let (_, s) = pki();
    let two = cert(&s.two_uids);
    let kinds: Vec<_> = two
        .identities()
        .iter()
        .map(|i| (i.kind.clone(), i.value.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (IdentityKind::Cccd, "001085012345"),
            (IdentityKind::Mst, fixtures::TAX)
        ]
    );
    assert_eq!(two.tax_code(), Some(&tax(fixtures::TAX)));
    let printable = cert(&s.printable_uid);
    assert_eq!(printable.tax_code(), Some(&tax(fixtures::TAX)));
    assert!(matches!(
        printable.tax_code_finding(),
        TaxCodeFinding::Found {
            source: TaxCodeSource::Uid,
            ..
        }
    ));
    let branch = cert(&s.branch);
    assert_eq!(branch.tax_code().map(TaxCode::branch), Some(Some("012")));
    let personal = cert(&s.personal_cmnd);
    assert_eq!(personal.identities()[0].kind, IdentityKind::Cmnd);
    assert_eq!(personal.tax_code_finding(), &TaxCodeFinding::Absent);
    assert_eq!(
        cert(&s.personal_cccd).identities()[0].kind,
        IdentityKind::Cccd
    );
}

#[test]
fn tax_code_in_organization_text() {
    let (_, s) = pki();
    let c = cert(&s.mst_in_o_only);
    // Listed among the identities, with where it was found (issue 10 §4).
    let listed: Vec<_> = c
        .identities()
        .iter()
        .map(|i| (i.kind.clone(), i.value.as_str(), i.source))
        .collect();
    assert_eq!(
        listed,
        vec![(
            IdentityKind::Mst,
            fixtures::O_ONLY_TAX,
            TaxCodeSource::Organization
        )]
    );
    let summary = serde_json::to_value(c.summary(&TrustAnchors::default())).unwrap();
    assert_eq!(
        summary["identities"][0]["source"], "organization",
        "{summary}"
    );
    match c.tax_code_finding() {
        TaxCodeFinding::Found { code, source } => {
            assert_eq!(code.as_str(), fixtures::O_ONLY_TAX);
            assert_eq!(*source, TaxCodeSource::Organization);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_mst_is_reported_not_fixed() {
    let (pki, _) = pki();
    let mut spec = pki.end_entity("CÔNG TY SAI MÃ");
    spec.uids = vec![
        ("MST:0302345458".into(), UidString::Utf8),
        ("BHXH:123".into(), UidString::Printable),
    ];
    let c = cert(&pki.issue(&spec));
    match c.tax_code_finding() {
        TaxCodeFinding::Invalid { raw, error } => {
            assert_eq!(raw, "0302345458");
            assert_eq!(error.code(), "invalid_tax_code");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.tax_code(), None);
    assert_eq!(c.identities()[1].kind, IdentityKind::Other("BHXH".into()));
    assert_eq!(
        c.check_tax_code(&tax(fixtures::TAX), false),
        TaxCodeMatch::Invalid {
            raw: "0302345458".into()
        }
    );
}

#[test]
fn view_of_each_key_type() {
    let (_, s) = pki();
    let new = cert(&s.enterprise_new);
    assert_eq!(new.key_algorithm(), Some(KeyAlgorithm::Rsa));
    assert_eq!(new.key_bits(), 2048);
    assert_eq!(new.signature_algorithm().name(), "sha256WithRSAEncryption");
    assert_eq!(
        new.subject().get(&AttributeKind::CommonName),
        Some("CÔNG TY TNHH THƯƠNG MẠI SÀI GÒN")
    );
    assert_eq!(new.subject().get(&AttributeKind::Locality), Some("Quận 1"));
    assert_eq!(
        new.subject().get(&AttributeKind::State),
        Some("TP. Hồ Chí Minh")
    );
    assert_eq!(new.ca_family(), Some(CaFamily::Vnpt));
    assert!(!new.is_ca());
    let (pki, _) = pki();
    let mut spec = pki.end_entity("Serial");
    spec.serial = vec![
        0x54, 0x04, 0x28, 0x7E, 0x6C, 0xC0, 0xBC, 0x4D, 0xA0, 0x08, 0xB4, 0x3C, 0x71, 0x0C, 0x0D,
        0x5A,
    ];
    assert_eq!(
        cert(&pki.issue(&spec)).serial().as_str(),
        "5404287E6CC0BC4DA008B43C710C0D5A"
    );
    // A high first bit makes DER add a zero byte; the display drops it.
    spec.serial = vec![0x9F, 0x00, 0x01];
    assert_eq!(cert(&pki.issue(&spec)).serial().as_str(), "9F0001");
    let old = cert(&s.rsa1024_sha1);
    assert_eq!(old.key_bits(), 1024);
    assert_eq!(old.signature_algorithm().name(), "sha1WithRSAEncryption");
    let ec = cert(&s.ec_p256);
    assert_eq!(ec.key_algorithm(), Some(KeyAlgorithm::EcP256));
    assert_eq!(ec.key_bits(), 256);
    assert_eq!(cert(&s.other_ca).ca_family(), Some(CaFamily::Viettel));
}

#[test]
fn tax_code_checks() {
    let (_, s) = pki();
    let new = cert(&s.enterprise_new);
    assert_eq!(
        new.check_tax_code(&tax(fixtures::TAX), false),
        TaxCodeMatch::Exact
    );
    assert_eq!(
        cert(&s.other_tax_code).check_tax_code(&tax(fixtures::TAX), false),
        TaxCodeMatch::Mismatch {
            found: tax(fixtures::OTHER_TAX)
        }
    );
    let branch = cert(&s.branch);
    let parent = tax(fixtures::BRANCH).base_code();
    assert!(!branch.check_tax_code(&parent, false).is_match());
    assert_eq!(
        branch.check_tax_code(&parent, true),
        TaxCodeMatch::SameEnterprise {
            found: tax(fixtures::BRANCH)
        }
    );
    assert_eq!(
        branch.check_tax_code(&tax(fixtures::BRANCH), false),
        TaxCodeMatch::Exact
    );
    assert_eq!(
        cert(&s.personal_cccd).check_tax_code(&tax(fixtures::TAX), true),
        TaxCodeMatch::Missing
    );
}

#[test]
fn validity_and_signing_usage() {
    let (_, s) = pki();
    assert!(matches!(
        cert(&s.enterprise_expired).validity_at(now()),
        Validity::Expired { .. }
    ));
    assert!(matches!(
        cert(&s.enterprise_not_yet_valid).validity_at(now()),
        Validity::NotYetValid { .. }
    ));
    match cert(&s.enterprise_old).validity_at(now()) {
        Validity::Valid { days_left } => assert!((29..=30).contains(&days_left), "{days_left}"),
        other => panic!("{other:?}"),
    }
    let old = cert(&s.enterprise_old);
    assert!(matches!(
        old.validity_at(old.not_after() + Duration::seconds(1)),
        Validity::Expired { .. }
    ));
    assert!(matches!(
        old.validity_at(old.not_after()),
        Validity::Valid { days_left: 0 }
    ));
    assert_eq!(
        cert(&s.not_for_signing).signing_usage(),
        SigningUsage::NotAllowed
    );
    assert_eq!(
        cert(&s.enterprise_new).signing_usage(),
        SigningUsage::Allowed
    );
}

#[test]
fn chains_of_every_algorithm_verify_to_the_test_root() {
    let (_, s) = pki();
    let anchors = anchors();
    for (name, issued, len) in [
        ("enterprise_new", &s.enterprise_new, 3),
        ("rsa1024_sha1", &s.rsa1024_sha1, 3),
        ("ec_p256", &s.ec_p256, 3),
        ("other_ca", &s.other_ca, 3),
    ] {
        match anchors.verify(&cert(issued), &[]) {
            ChainCheck::Trusted { path } => assert_eq!(path.len(), len, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    // The test PKI is not the national one.
    assert!(
        !TrustAnchors::national()
            .verify(&cert(&s.enterprise_new), &[])
            .is_trusted()
    );
    // Without the intermediate, supplied instead as an extra (e.g. from the token).
    let (pki, _) = pki();
    let mut root_only = TrustAnchors::default();
    root_only.add_root(cert(&pki.root));
    assert!(matches!(
        root_only.verify(&cert(&s.enterprise_new), &[]),
        ChainCheck::IssuerNotFound { .. }
    ));
    assert!(
        root_only
            .verify(&cert(&s.enterprise_new), &[cert(&pki.ca)])
            .is_trusted()
    );
}

#[test]
fn a_tampered_leaf_fails_its_signature() {
    let (_, s) = pki();
    let mut der = s.enterprise_new.der.clone();
    // "GÒN" in the subject's CN becomes "FÒN": still valid DER, different signed bytes.
    let needle = "GÒN".as_bytes();
    let at = der.windows(needle.len()).position(|w| w == needle).unwrap();
    der[at] ^= 0x01;
    let tampered = Certificate::from_der(&der).unwrap();
    assert_ne!(tampered.subject(), cert(&s.enterprise_new).subject());
    assert!(matches!(
        anchors().verify(&tampered, &[]),
        ChainCheck::BadSignature { .. }
    ));
}

/// RSA with SHA-384/SHA-512 and ECDSA P-384, made by the openssl command line.
#[test]
fn openssl_made_chains_with_sha384_sha512_and_p384() {
    let dir = std::env::temp_dir().join(format!("vnaccs-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for (name, key, digest) in [
        ("rsa512", vec!["-newkey", "rsa:2048"], "-sha512"),
        ("rsa384", vec!["-newkey", "rsa:2048"], "-sha384"),
        (
            "p384",
            vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
            "-sha384",
        ),
    ] {
        let root_key = format!("{name}-root.key");
        let root = format!("{name}-root.pem");
        let mut args = vec!["req", "-x509", "-nodes", "-days", "30", "-subj", "/CN=Root"];
        args.extend(&key);
        args.extend(["-keyout", &root_key, "-out", &root, digest]);
        args.extend([
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ]);
        run(&args);
        let leaf_key = format!("{name}-leaf.key");
        let csr = format!("{name}.csr");
        let leaf = format!("{name}-leaf.pem");
        let mut args = vec![
            "req",
            "-new",
            "-nodes",
            "-subj",
            "/CN=Leaf/UID=MST:0302345459",
        ];
        args.extend(&key);
        args.extend(["-keyout", &leaf_key, "-out", &csr]);
        run(&args);
        std::fs::write(
            dir.join("leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n",
        )
        .unwrap();
        run(&[
            "x509", "-req", "-in", &csr, "-CA", &root, "-CAkey", &root_key, "-days", "10", digest,
        ]
        .into_iter()
        .chain(["-extfile", "leaf.ext", "-out", &leaf])
        .collect::<Vec<_>>());
        let load = |f: &str| {
            Certificate::from_pem(&std::fs::read_to_string(dir.join(f)).unwrap())
                .unwrap()
                .remove(0)
        };
        let mut anchors = TrustAnchors::default();
        anchors.add_root(load(&root));
        let leaf = load(&leaf);
        assert!(
            anchors.verify(&leaf, &[]).is_trusted(),
            "{name}: {:?}",
            anchors.verify(&leaf, &[])
        );
        assert_eq!(leaf.tax_code(), Some(&tax("0302345459")));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn choosing_the_newest_usable_certificate() {
    let (pki, s) = pki();
    let candidates: Vec<Certificate> = [
        &s.enterprise_old,
        &s.enterprise_expired,
        &s.enterprise_new,
        &s.enterprise_not_yet_valid,
        &s.other_tax_code,
        &s.not_for_signing,
        &s.personal_cccd,
        &pki.ca,
    ]
    .into_iter()
    .map(cert)
    .collect();
    let choice = choose(&candidates, &tax(fixtures::TAX), now(), false);
    assert_eq!(choice.chosen, Some(&candidates[2]));
    assert_eq!(choice.passed_over.len(), candidates.len() - 1);
    let reasons = |i: usize| {
        choice
            .passed_over
            .iter()
            .find(|p| p.certificate == &candidates[i])
            .map(|p| p.reasons.clone())
            .unwrap()
    };
    assert_eq!(
        reasons(0),
        vec![PassReason::Superseded {
            by: candidates[2].serial().clone()
        }]
    );
    assert!(matches!(reasons(1)[..], [PassReason::Expired { .. }]));
    assert!(matches!(reasons(3)[..], [PassReason::NotYetValid { .. }]));
    assert_eq!(
        reasons(4),
        vec![PassReason::OtherTaxCode {
            found: tax(fixtures::OTHER_TAX)
        }]
    );
    assert!(reasons(5).contains(&PassReason::NotForSigning));
    assert_eq!(reasons(6), vec![PassReason::NoTaxCode]);
    assert!(reasons(7).contains(&PassReason::CaCertificate));
    // Nothing usable for another enterprise's code with only expired ones.
    let expired_only = [cert(&s.enterprise_expired)];
    let none = choose(&expired_only, &tax(fixtures::TAX), now(), false);
    assert_eq!(none.chosen, None);
    assert_eq!(none.passed_over.len(), 1);
}

#[test]
fn what_changed() {
    let (pki, s) = pki();
    let old = cert(&s.enterprise_old);
    let new = cert(&s.enterprise_new);
    assert_eq!(classify_change(&old, &new, now()).kind, ChangeKind::Renewal);
    assert_eq!(
        classify_change(&cert(&s.enterprise_expired), &new, now()).kind,
        ChangeKind::Renewal
    );
    assert_eq!(classify_change(&new, &new, now()).kind, ChangeKind::Same);
    let switch = classify_change(&old, &cert(&s.other_ca), now());
    assert_eq!(switch.kind, ChangeKind::ProviderSwitch);
    assert_eq!(
        (switch.old_ca, switch.new_ca),
        (Some(CaFamily::Vnpt), Some(CaFamily::Viettel))
    );
    assert_eq!(
        classify_change(&old, &cert(&s.other_tax_code), now()).kind,
        ChangeKind::OtherHolder
    );

    let mut moved = pki.end_entity(fixtures::ENTERPRISE_NAME);
    moved.uids = vec![(format!("MST:{}", fixtures::TAX), UidString::Utf8)];
    moved.locality = Some("Quận 3".into());
    moved.state = Some("TP. Hồ Chí Minh".into());
    moved.key_index = 7;
    let moved = cert(&pki.issue(&moved));
    let change = classify_change(&old, &moved, now());
    assert_eq!(change.kind, ChangeKind::HolderDetailsChanged);
    assert_eq!(change.changed_fields, vec![AttributeKind::Locality]);

    let mut long_lived: EndEntity = pki.end_entity(fixtures::ENTERPRISE_NAME);
    long_lived.uids = vec![(format!("MST:{}", fixtures::TAX), UidString::Utf8)];
    long_lived.locality = Some("Quận 1".into());
    long_lived.state = Some("TP. Hồ Chí Minh".into());
    long_lived.not_after = now() + Duration::days(300);
    long_lived.key = KeySpec::Rsa2048Sha256;
    let long_lived = cert(&pki.issue(&long_lived));
    assert_eq!(
        classify_change(&long_lived, &new, now()).kind,
        ChangeKind::Reissue
    );
}

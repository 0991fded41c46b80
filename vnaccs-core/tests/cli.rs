//! The `vnaccs` binary, run as a user runs it: output, JSON and exit codes.
#![cfg(all(feature = "cli", feature = "test-pki"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use vnaccs_core::fixtures::{self, TestPki};

fn vnaccs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vnaccs"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vnaccs-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn national(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("pki")
        .join(file)
        .display()
        .to_string()
}

#[test]
fn inspect_json_of_a_pem_bundle_and_a_der_file() {
    let dir = temp_dir("inspect");
    let pki = TestPki::new(chrono::Utc::now());
    let set = pki.standard();
    let bundle = dir.join("token.pem");
    std::fs::write(
        &bundle,
        format!("{}{}", set.two_uids.pem(), set.enterprise_new.pem()),
    )
    .unwrap();
    let der = dir.join("new.cer");
    std::fs::write(&der, &set.enterprise_new.der).unwrap();
    let out = vnaccs(&[
        "inspect",
        "--json",
        bundle.to_str().unwrap(),
        der.to_str().unwrap(),
        &national("viettel-ca-rs.pem"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let first = &entries[0];
    assert_eq!(first["file"], bundle.display().to_string());
    assert_eq!(
        first["identities"],
        serde_json::json!([
            {"kind": "CCCD", "value": fixtures::CCCD, "source": "uid"},
            {"kind": "MST", "value": fixtures::TAX, "source": "uid"}
        ])
    );
    assert_eq!(first["tax_code"], fixtures::TAX);
    assert_eq!(first["subject_cn"], fixtures::ENTERPRISE_NAME);
    assert_eq!(first["issuer_cn"], "Test VNPT Certification Authority");
    assert_eq!(first["ca"], "VNPT-CA");
    assert_eq!(first["key_algorithm"], "RSA");
    assert_eq!(first["key_bits"], 2048);
    assert_eq!(first["signature_algorithm"], "sha256WithRSAEncryption");
    assert_eq!(first["is_ca"], false);
    assert_eq!(
        first["chain"], false,
        "the test PKI is not the national one"
    );
    for key in ["serial", "not_before", "not_after", "sha1_thumbprint"] {
        assert!(first[key].is_string(), "{key}");
    }
    chrono::DateTime::parse_from_rfc3339(first["not_after"].as_str().unwrap()).unwrap();
    assert_eq!(entries[1]["serial"], entries[2]["serial"]);
    assert_eq!(entries[3]["chain"], true);
    assert_eq!(entries[3]["ca"], "National Root CA");
    assert_eq!(entries[3]["tax_code"], Value::Null);
}

#[test]
fn inspect_reports_unreadable_files_after_the_others_and_fails() {
    let dir = temp_dir("bad");
    let junk = dir.join("junk.cer");
    std::fs::write(&junk, b"\x30\x82\x01\x00garbage").unwrap();
    let missing = dir.join("missing.pem");
    let out = vnaccs(&[
        "inspect",
        "--json",
        junk.to_str().unwrap(),
        &national("bkavca.pem"),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["file"], national("bkavca.pem"));
    assert_eq!(entries[1]["file"], junk.display().to_string());
    assert_eq!(entries[1]["error"]["code"], "invalid_certificate");
    assert!(
        entries[1]["error"]["message_vi"]
            .as_str()
            .unwrap()
            .contains("chứng thư số")
    );
    assert_eq!(entries[2]["error"]["code"], "io_error");
    let text = vnaccs(&["inspect", junk.to_str().unwrap()]);
    assert_eq!(text.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&text.stderr).contains("unreadable certificate"));
}

#[test]
fn inspect_text_output() {
    let out = vnaccs(&["inspect", &national("fastca-sha256.pem")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("CÔNG TY CỔ PHẦN CHỮ KÝ SỐ FASTCA"), "{text}");
    assert!(text.contains("Chain:       trusted"), "{text}");
}

#[test]
fn tax_code_command() {
    let ok = vnaccs(&["tax-code", "0100112437", "0106869738-012"]);
    assert!(ok.status.success());
    let text = String::from_utf8(ok.stdout).unwrap();
    assert!(
        text.contains("0106869738-012: hợp lệ / valid (chi nhánh 012"),
        "{text}"
    );
    let bad = vnaccs(&["tax-code", "--json", "0100112437", "0123456789"]);
    assert_eq!(bad.status.code(), Some(1));
    let v = json(&bad);
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[0]["base"], "0100112437");
    assert_eq!(v[1]["valid"], false);
    assert_eq!(v[1]["error"]["code"], "invalid_tax_code");
    assert_eq!(
        v[1]["error"]["message"],
        "invalid tax code \"0123456789\": wrong check digit: expected 7, found 9"
    );
    let usage = vnaccs(&["tax-code"]);
    assert_eq!(usage.status.code(), Some(2));
}

/// A SoftHSM2 token "cli" holding the enterprise's old and renewed certificates with their keys.
fn softhsm_token() -> common::SoftHsm {
    let set = &common::pki().set;
    let hsm = common::SoftHsm::new();
    let item = |issued, label, id| common::Item {
        issued,
        label,
        cert_id: id,
        key_id: Some(id),
    };
    hsm.create_token(
        "cli",
        &[
            item(&set.enterprise_old, "old", "01"),
            item(&set.enterprise_new, "new", "02"),
        ],
    );
    hsm
}

fn vnaccs_env(args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vnaccs"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn serial_of(der: &[u8]) -> String {
    vnaccs_core::cert::Certificate::from_der(der)
        .unwrap()
        .serial()
        .to_string()
}

#[test]
fn tokens_lists_the_token_and_its_certificates() {
    let hsm = softhsm_token();
    let set = &common::pki().set;
    let out = vnaccs_env(
        &["tokens", "--json", "--module", common::softhsm()],
        &[("SOFTHSM2_CONF", hsm.conf.as_os_str())],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let token = &v["modules"][0]["tokens"][0];
    assert_eq!(token["label"], "cli");
    assert_eq!(token["manufacturer"], "SoftHSM project");
    let certs = token["certificates"].as_array().unwrap();
    let serials: Vec<&str> = certs
        .iter()
        .map(|c| c["serial"].as_str().unwrap())
        .collect();
    assert!(serials.contains(&serial_of(&set.enterprise_new.der).as_str()));
    assert!(serials.contains(&serial_of(&set.enterprise_old.der).as_str()));
    assert!(certs.iter().all(|c| c["tax_code"] == fixtures::TAX));
    let text = vnaccs_env(
        &["tokens", "--module", common::softhsm()],
        &[("SOFTHSM2_CONF", hsm.conf.as_os_str())],
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("Token \"cli\""));
    let missing = vnaccs(&["tokens", "--json", "--module", "/nonexistent/libnothing.so"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(
        json(&missing)["modules"][0]["error"]["code"],
        "token_module_load"
    );
}

#[test]
fn sign_with_a_token_key() {
    let hsm = softhsm_token();
    let set = &common::pki().set;
    let dir = temp_dir("sign-token");
    let input = dir.join("to-khai.xml");
    let content = "<ToKhai>Tờ khai hải quan</ToKhai>".as_bytes();
    std::fs::write(&input, content).unwrap();
    let (cms, raw) = (dir.join("sig.p7s"), dir.join("sig.raw"));
    let serial = serial_of(&set.enterprise_new.der);
    let conf = hsm.conf.as_os_str();
    let pin = std::ffi::OsStr::new(common::PIN);
    let env = [("SOFTHSM2_CONF", conf), ("VNACCS_TEST_PIN", pin)];
    let args = |out: &std::path::Path, extra: &[&'static str]| {
        let mut a = vec![
            "sign".to_owned(),
            "--module".into(),
            common::softhsm().into(),
            "--cert".into(),
            serial.to_lowercase(),
        ];
        a.extend(["--pin-env".into(), "VNACCS_TEST_PIN".into()]);
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a.extend([input.display().to_string(), out.display().to_string()]);
        a
    };
    let run = |a: Vec<String>, env: &[(&str, &std::ffi::OsStr)]| {
        vnaccs_env(&a.iter().map(String::as_str).collect::<Vec<_>>(), env)
    };

    let out = run(args(&cms, &[]), &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signature = std::fs::read(&cms).unwrap();
    vnaccs_core::sign::verify_detached(&signature, content, &set.enterprise_new.der).unwrap();
    assert!(common::openssl_verifies(&signature, content, None));
    assert!(!common::openssl_verifies(&signature, b"changed", None));

    let out = run(args(&raw, &["--raw", "--sha1"]), &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signature = std::fs::read(&raw).unwrap();
    vnaccs_core::sign::verify_raw(
        &set.enterprise_new.der,
        vnaccs_core::sign::DigestAlgorithm::Sha1,
        content,
        &signature,
    )
    .unwrap();

    // A wrong PIN: one typed error, and the token still takes the right one afterwards.
    let wrong = std::ffi::OsStr::new("000000");
    let mut a = args(&cms, &[]);
    a.insert(0, "--json".into());
    let out = run(a, &[("SOFTHSM2_CONF", conf), ("VNACCS_TEST_PIN", wrong)]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["error"]["code"], "pin_incorrect");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("000000"));
    assert!(run(args(&cms, &[]), &env).status.success());

    // No PIN available: cancelled, nothing signed.
    std::fs::remove_file(&cms).unwrap();
    let out = run(args(&cms, &[]), &[("SOFTHSM2_CONF", conf)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!cms.exists());
}

#[test]
fn sign_with_a_pfx_file() {
    let set = &common::pki().set;
    let dir = temp_dir("sign-pfx");
    std::fs::write(dir.join("cert.pem"), set.enterprise_new.pem()).unwrap();
    std::fs::write(
        dir.join("key.pem"),
        set.enterprise_new.key.pkcs8_pem().as_bytes(),
    )
    .unwrap();
    assert!(common::run(Command::new("openssl").current_dir(&dir).args(
        [
            "pkcs12",
            "-export",
            "-in",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-passout",
            "pass:MatKhau123",
            "-out",
            "ks.pfx",
        ]
    )));
    let input = dir.join("data.bin");
    std::fs::write(&input, b"du lieu").unwrap();
    let out_path = dir.join("data.p7s");
    let serial = serial_of(&set.enterprise_new.der);
    let pfx = dir.join("ks.pfx");
    let args = |serial: &str| {
        vec![
            "--json".to_owned(),
            "sign".into(),
            "--pfx".into(),
            pfx.display().to_string(),
            "--cert".into(),
            serial.into(),
            "--pin-env".into(),
            "PFX_PASSWORD".into(),
            input.display().to_string(),
            out_path.display().to_string(),
        ]
    };
    let pw = std::ffi::OsStr::new("MatKhau123");
    let run = |a: Vec<String>| {
        vnaccs_env(
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            &[("PFX_PASSWORD", pw)],
        )
    };
    let out = run(args(&serial));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["ok"], true);
    let signature = std::fs::read(&out_path).unwrap();
    vnaccs_core::sign::verify_detached(&signature, b"du lieu", &set.enterprise_new.der).unwrap();
    assert!(common::openssl_verifies(&signature, b"du lieu", None));
    let other = run(args(&serial_of(&set.enterprise_old.der)));
    assert_eq!(other.status.code(), Some(1));
    assert_eq!(json(&other)["error"]["code"], "token_object_not_found");
    let bad = run(args("not-hex"));
    assert_eq!(json(&bad)["error"]["code"], "invalid_certificate_serial");
    // The core's one JSON form of an error: status, category, hints and retryable too.
    let error = &json(&bad)["error"];
    assert_eq!(error["status"], 1008);
    assert_eq!(error["category"], "input");
    assert_eq!(error["retryable"], false);
    assert!(error["hint_vi"].as_str().is_some_and(|h| !h.is_empty()));
}

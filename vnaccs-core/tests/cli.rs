//! The `vnaccs` binary, run as a user runs it: output, JSON and exit codes.
#![cfg(all(feature = "cli", feature = "test-pki"))]

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
        serde_json::json!([{"kind": "CCCD", "value": fixtures::CCCD}, {"kind": "MST", "value": fixtures::TAX}])
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

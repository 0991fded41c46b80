//! The generator of the committed seed corpora (`fuzz/corpus/<target>/`), from the project's
//! own fixtures: the test PKI's certificates, example request documents, the sandbox's scenario,
//! and the pages the sandbox serves to each portal operation. Regenerate with
//! `cargo test -p vnaccs-fuzz-harness --test seeds -- --ignored` (deterministic but for the
//! sandbox's session cookies, dates and signatures).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64ct::{Base64, Encoding};
use serde_json::{Value, json};
use vnaccs_core::fixtures::{Issued, test_pki};
use vnaccs_core::portal::{CaptchaChallenge, PortalClient, PortalConfig};
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, Scenario};
use vnaccs_core::sign::Signer;
use vnaccs_core::workflow::{Step, UpdateState};
use vnaccs_fuzz_harness::{PAGE_SEPARATOR, PageOperation, run_operation};

/// A corpus folder, emptied.
fn corpus(target: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(target);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), data).unwrap();
}

/// Base64 lines of 64 characters.
fn base64_lines(der: &[u8]) -> String {
    let text = Base64::encode_string(der);
    text.as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn certificates() -> Vec<(&'static str, &'static Issued)> {
    let (pki, set) = test_pki();
    vec![
        ("root", &pki.root),
        ("enterprise_old", &set.enterprise_old),
        ("two_uids", &set.two_uids),
        ("mst_in_o_only", &set.mst_in_o_only),
        ("personal_cccd", &set.personal_cccd),
        ("printable_uid", &set.printable_uid),
        ("rsa1024_sha1", &set.rsa1024_sha1),
        ("ec_p256", &set.ec_p256),
    ]
}

fn certificate_seeds() {
    let dir = corpus("certificate");
    for (name, issued) in certificates() {
        write(&dir, &format!("{name}.der"), &issued.der);
        write(&dir, &format!("{name}.pem"), issued.pem());
        write(&dir, &format!("{name}.b64"), base64_lines(&issued.der));
        let xml = format!(
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
            base64_lines(&issued.der).replace('\n', "&#13;\n")
        );
        write(&dir, &format!("{name}.xml"), xml);
    }
    let (pki, set) = test_pki();
    write(
        &dir,
        "chain.pem",
        [pki.root.pem(), pki.ca.pem(), set.enterprise_new.pem()].concat(),
    );
    write(&dir, "truncated.der", &set.enterprise_old.der[..120]);
}

fn identifier_seeds() {
    let dir = corpus("identifier");
    let values = [
        "0302345459",
        "0302345459-001",
        " 0101234565 ",
        "0302345458",
        "V2060001",
        "A1B2",
        "01B1",
        "02CI",
        "admin@saigontrade.vn",
        "khaibao@saigontrade.vn",
        "001085012345",
        "CCCD:001085012345",
        "CMND: 123456789",
        "123456789",
        "0123ABCD",
        "54:01:AB:CD:EF",
        "AB12CD34",
        "Hq@2026vnaccs",
        "",
    ];
    for (i, value) in values.iter().enumerate() {
        write(&dir, &format!("{i:02}"), value);
    }
}

fn json_seeds() {
    let dir = corpus("json_document");
    let enterprise = json!({
        "tax_code": "0302345459", "representative_id": "001085012345",
        "admin_email": "admin@saigontrade.vn",
        "sender_name": "Nguyễn Văn An", "sender_email": "khaibao@saigontrade.vn", "office": "01B1"
    });
    let requests = [
        (
            "update",
            json!({ "source": "pkcs11", "module": "/usr/lib/vendor-pkcs11.so", "token": "VNPT-CA" }),
        ),
        (
            "plan",
            json!({ "source": "files", "pem": [{ "certificate": "new.pem", "key": "new.key.pem" }] }),
        ),
        (
            "resume",
            json!({ "source": "files", "pfx": ["old.pfx", "new.pfx"] }),
        ),
        (
            "result",
            json!({ "source": "pkcs11", "serial": "0123ABCD", "allow_final_try": true }),
        ),
        ("change_password", Value::Null),
        ("forgot_password", Value::Null),
    ];
    for (operation, keys) in requests {
        let mut request = json!({
            "schema_version": 1,
            "operation": operation,
            "enterprise": enterprise,
            "portal": { "base_url": "http://127.0.0.1:4000/", "timeout_secs": 30, "max_body": 1048576 },
            "state_file": "update.json",
        });
        if !keys.is_null() {
            request["keys"] = keys;
        }
        if operation == "change_password" {
            request["user_id"] = json!("V2060001");
        }
        write(
            &dir,
            &format!("request-{operation}.json"),
            request.to_string(),
        );
    }
    write(
        &dir,
        "request-v2.json",
        r#"{"schema_version":2,"operation":"plan"}"#,
    );
    let (pki, set) = test_pki();
    write(
        &dir,
        "scenario.json",
        Scenario::for_test_pki(pki, set).to_json(),
    );
    write(&dir, "scenario-empty.json", "{}");
    let mut state = UpdateState::new(
        vnaccs_core::fixtures::TAX.parse().unwrap(),
        "0123ABCD".parse().unwrap(),
        Some("54AB".parse().unwrap()),
    );
    write(&dir, "state-new.json", state.to_json());
    state.complete(Step::RegisterCertificate);
    state.complete(Step::UpdateAdminAccount);
    write(&dir, "state-two-steps.json", state.to_json());
}

fn c_abi_seeds() {
    let dir = corpus("c_abi");
    let (_, set) = test_pki();
    let old = &set.enterprise_old;
    let ec = &set.ec_p256;
    let with = |selector: u8, parts: &[&[u8]]| -> Vec<u8> {
        let mut data = vec![selector];
        data.extend(parts.join(&0u8));
        data
    };
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("inspect-der", with(0, &[&old.der])),
        ("inspect-pem", with(0, &[old.pem().as_bytes()])),
        ("inspect-null", with(8, &[])),
        (
            "load-pem-1",
            with(1, &[&[1], [old.pem(), ec.pem()].concat().as_bytes()]),
        ),
        ("identifier-tax", with(2, &[b"tax_code", b" 0302345459 "])),
        ("identifier-user", with(2, &[b"user_id", b"V2060001"])),
        ("identifier-bad-kind", with(2, &[b"TaxCode", b"0302345459"])),
        ("identifier-null", with(10, &[b"tax_code", b"0302345459"])),
        (
            "key-pem",
            with(3, &[ec.key.pkcs8_pem().as_bytes(), ec.pem().as_bytes()]),
        ),
        (
            "key-pem-mismatch",
            with(3, &[ec.key.pkcs8_pem().as_bytes(), old.pem().as_bytes()]),
        ),
        ("key-pfx-garbage", with(4, &[b"password", &old.der])),
        ("sign-sha256", with(5, &[b"sha256", b"content"])),
        ("sign-sha1", with(5, &[b"sha1", b""])),
        ("sign-md5", with(5, &[b"md5", b"content"])),
        ("sign-default", with(13, &[b"", b"content"])),
        (
            "job-not-json",
            with(6, &[b"{\"schema_version\":", b"password"]),
        ),
        (
            "job-v2",
            with(6, &[br#"{"schema_version":2,"operation":"update"}"#]),
        ),
        (
            "job-bad-tax",
            with(
                6,
                &[br#"{"schema_version":1,"operation":"plan","enterprise":{"tax_code":"123"}}"#],
            ),
        ),
        ("sandbox-invalid", with(7, &[br#"{"enterprises":1}"#])),
        ("sandbox-empty", with(7, &[b"{}"])),
    ];
    for (name, data) in seeds {
        write(&dir, name, data);
    }
}

/// The pages the sandbox served to one client, as the `portal_page` script of `operation`.
fn script(har: &Path, base: &str, operation: PageOperation) -> Vec<u8> {
    let har: Value = serde_json::from_slice(&std::fs::read(har).unwrap()).unwrap();
    let local = |text: &str| text.replace(base, "/");
    let answers: Vec<Vec<u8>> = har["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let response = &entry["response"];
            let status = response["status"].as_u64().unwrap();
            let text = response["content"]["text"].as_str();
            let mime = response["content"]["mimeType"].as_str().unwrap_or("");
            let html = mime.starts_with("text/html");
            let body = match text {
                Some(text) => local(text).into_bytes(),
                // The captcha image: a PNG signature is enough for the client.
                None if mime.starts_with("image/") => b"\x89PNG\r\n\x1a\n".to_vec(),
                None => Vec::new(),
            };
            if status == 200 && html {
                return body;
            }
            let mut head = format!("HTTP/1.1 {status} X\n");
            for header in response["headers"].as_array().unwrap() {
                let name = header["name"].as_str().unwrap();
                if [
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "set-cookie",
                ]
                .contains(&name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                head.push_str(&format!(
                    "{name}: {}\n",
                    local(header["value"].as_str().unwrap())
                ));
            }
            head.push('\n');
            [head.into_bytes(), body].concat()
        })
        .collect();
    let mut data = vec![operation.byte()];
    data.extend(answers.join(PAGE_SEPARATOR));
    data
}

fn portal_seeds() {
    let dir = corpus("portal_page");
    let (pki, set) = test_pki();
    let folder = tempfile::tempdir().unwrap();
    let run = |sandbox: &Sandbox, operation: PageOperation, signer: &Arc<dyn Signer>| {
        let har = folder.path().join(format!("{operation:?}.har"));
        let config = PortalConfig::with_base_url(sandbox.url()).with_har(Some(har.clone()));
        let client = PortalClient::new(config).unwrap();
        let mut captcha = |_: &CaptchaChallenge| sandbox.captcha_answer();
        run_operation(&client, operation, signer, &mut captcha);
        let name = format!("{operation:?}");
        write(&dir, &name, script(&har, sandbox.url().as_str(), operation));
    };
    let sandbox = Sandbox::start(SandboxConfig::new(Scenario::for_test_pki(pki, set))).unwrap();
    let old = set.enterprise_old.signer();
    let new = set.enterprise_new.signer();
    use PageOperation as O;
    run(&sandbox, O::Register, &new);
    run(&sandbox, O::UpdateAdminCertificate, &new);
    run(&sandbox, O::Login, &new);
    run(&sandbox, O::AdminCertificateSerial, &new);
    run(&sandbox, O::Declarants, &new);
    run(&sandbox, O::UpdateDeclarant, &new);
    run(&sandbox, O::SearchRecords, &new);
    run(&sandbox, O::SendRecord, &new);
    sandbox.approve_sent();
    run(&sandbox, O::Results, &new);
    run(&sandbox, O::ChangePassword, &new);
    run(&sandbox, O::ForgotPassword, &old);
    // profile check: the pages of the whole run, each a saved page.
    let mut pages = vec![O::CheckPages.byte()];
    for operation in [O::Login, O::Declarants, O::SendRecord, O::Results] {
        let seed = std::fs::read(dir.join(format!("{operation:?}"))).unwrap();
        pages.extend_from_slice(PAGE_SEPARATOR);
        pages.extend_from_slice(&seed[1..]);
    }
    write(&dir, "CheckPages", pages);
}

#[test]
#[ignore = "writes the committed seed corpora: run it to regenerate them"]
fn generate_seeds() {
    certificate_seeds();
    identifier_seeds();
    json_seeds();
    c_abi_seeds();
    portal_seeds();
}

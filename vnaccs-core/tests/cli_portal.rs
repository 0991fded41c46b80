//! The `vnaccs` commands that talk to a portal, run as a user runs them against the sandbox over
//! loopback: demo, sandbox, check, update (with its state file), result, password — and their
//! failures with exit codes (bad file, invalid tax code, wrong PIN, portal refusals).
#![cfg(all(feature = "cli", feature = "test-pki", feature = "sandbox"))]

mod cli_common;
mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use vnaccs_core::fixtures::{self, Issued, StandardSet, TestPki};
use vnaccs_core::sandbox::{
    Fault, FaultKind, Operation, Sandbox, SandboxConfig, Scenario, TEST_ADMIN_EMAIL,
    TEST_ADMIN_PASSWORD, TEST_REPRESENTATIVE_ID,
};

use common::{PIN, SoftHsm, old_and_new, softhsm};

use cli_common::ADMIN_ENV;

/// Fails the test with the command's standard error unless it succeeded.
fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn vnaccs() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vnaccs"));
    command.env(ADMIN_ENV, TEST_ADMIN_PASSWORD);
    command
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The test PKI, the sandbox seeded with its enterprise, and the old and new certificates with
/// their keys as PEM files.
struct Portal {
    set: StandardSet,
    sandbox: Sandbox,
    dir: tempfile::TempDir,
}

impl Portal {
    fn new() -> Portal {
        Portal::with_renames(&[])
    }

    /// [`Portal::new`] with the sandbox renaming fields (old HTML name, new one).
    fn with_renames(renames: &[(&str, &str)]) -> Portal {
        Portal::with_changes(renames, &[])
    }

    /// [`Portal::new`] with the sandbox renaming fields (old HTML name, new one) and removing
    /// the submit buttons `links`, each offered as a postback link instead.
    fn with_changes(renames: &[(&str, &str)], links: &[&str]) -> Portal {
        let pki = TestPki::new(chrono::Utc::now());
        let set = pki.standard();
        let renames = renames
            .iter()
            .map(|(old, new)| ((*old).to_owned(), (*new).to_owned()))
            .collect();
        let links = links.iter().map(|l| (*l).to_owned()).collect();
        let sandbox = Sandbox::start(
            SandboxConfig::new(Scenario::for_test_pki(&pki, &set))
                .with_renames(renames)
                .with_links(links),
        )
        .expect("sandbox starts");
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, issued) in [
            ("old", &set.enterprise_old),
            ("new", &set.enterprise_new),
            ("expired", &set.enterprise_expired),
            ("other", &set.other_tax_code),
        ] {
            pem_pair(dir.path(), name, issued);
        }
        Portal { set, sandbox, dir }
    }

    /// The user's state folder the runs are given (`XDG_STATE_HOME`).
    fn state_home(&self) -> std::path::PathBuf {
        self.dir.path().join("xdg-state")
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// The arguments naming the enterprise and PEM key pairs `names`.
    fn args(&self, names: &[&str]) -> Vec<String> {
        let mut args = cli_common::enterprise_args();
        for name in names {
            args.extend([
                "--cert-file".into(),
                self.file(&format!("{name}.pem")),
                "--key-file".into(),
                self.file(&format!("{name}.key.pem")),
            ]);
        }
        args
    }

    /// The login alone (`result`, `password`): the tax code, the admin password and the PEM key
    /// pairs `names` — no representative, no send form.
    fn login_args(&self, names: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = ["--tax-code", fixtures::TAX, "--password-env", ADMIN_ENV]
            .map(String::from)
            .to_vec();
        for name in names {
            args.extend([
                "--cert-file".into(),
                self.file(&format!("{name}.pem")),
                "--key-file".into(),
                self.file(&format!("{name}.key.pem")),
            ]);
        }
        args
    }

    /// Runs `vnaccs --json <command> --portal <sandbox> args…`, answering captchas on standard
    /// input with the sandbox's answer as a person reading the image would.
    fn run(&self, command: &str, args: &[String], env: &[(&str, &str)]) -> Output {
        self.run_until(command, args, env, || false)
    }

    /// [`Portal::run`], killing the process (SIGKILL) as soon as `kill_when` holds.
    fn run_until(
        &self,
        command: &str,
        args: &[String],
        env: &[(&str, &str)],
        kill_when: impl Fn() -> bool,
    ) -> Output {
        let image = self.dir.path().join(format!("captcha-{command}.png"));
        let _ = std::fs::remove_file(&image);
        let mut child: Child = vnaccs()
            .args(["--json", command, "--portal", self.sandbox.url().as_str()])
            .args(args)
            .arg("--captcha-image")
            .arg(&image)
            .env("XDG_STATE_HOME", self.state_home())
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vnaccs starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
            if kill_when() {
                child.kill().expect("kill");
                break;
            }
            if image.exists() {
                // The image is written just before the prompt.
                std::thread::sleep(Duration::from_millis(100));
                let answer = self.sandbox.captcha_answer().expect("a captcha was issued");
                let _ = writeln!(stdin, "{answer}");
                let _ = std::fs::remove_file(&image);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(stdin);
        child.wait_with_output().expect("vnaccs ends")
    }
}

fn pem_pair(dir: &Path, name: &str, issued: &Issued) {
    std::fs::write(dir.join(format!("{name}.pem")), issued.pem()).expect("write");
    std::fs::write(
        dir.join(format!("{name}.key.pem")),
        issued.key.pkcs8_pem().as_bytes(),
    )
    .expect("write");
}

fn error_code(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "refused with exit code 1: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(out)["error"]["code"].as_str().unwrap().to_owned()
}

#[test]
fn demo_runs_the_whole_update_and_prints_the_result() {
    let out = vnaccs().args(["demo", "--json"]).output().unwrap();
    assert_success(&out);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    let user = v["result"]["users"][0]["user_id"].as_str().unwrap();
    assert_eq!(user.len(), 8);
    let terminal = &v["result"]["terminals"][0];
    assert_eq!(terminal["terminal_id"].as_str().unwrap().len(), 6);
    assert_eq!(terminal["access_key"].as_str().unwrap().len(), 16);
    assert_eq!(v["outcome"]["record"]["status"], "sent");
    assert_eq!(v["password_change"]["kind"], "changed");
    let usable = v["outcome"]["usable_from"].as_str().unwrap();
    let usable = chrono::DateTime::parse_from_rfc3339(usable).unwrap();
    assert_eq!(
        usable
            .with_timezone(&vnaccs_core::timing::vietnam_offset())
            .format("%H:%M:%S")
            .to_string(),
        "00:00:00",
        "usable from a local midnight"
    );

    let text = vnaccs().arg("demo").output().unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    for line in [
        "[A] ✓",
        "[D] ✓",
        "User ID:",
        "Terminal Access Key:",
        "usable from",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
}

#[test]
fn update_result_and_password_against_the_sandbox() {
    let portal = Portal::new();
    let check = vnaccs()
        .args(["--json", "check"])
        .args(portal.args(&["old", "new"]))
        .output()
        .unwrap();
    assert_success(&check);
    let plan = json(&check)["plan"].clone();
    let new_serial = plan["certificate"]["serial"].as_str().unwrap().to_owned();
    assert_eq!(plan["change"]["kind"], "renewal");
    assert_eq!(plan["passed_over"].as_array().unwrap().len(), 1);
    assert_eq!(portal.sandbox.requests_served(), 0, "check sends nothing");

    let state = portal.dir.path().join("state.json");
    let mut args = portal.args(&["old", "new"]);
    args.extend(["--state".into(), state.display().to_string()]);
    let out = portal.run("update", &args, &[]);
    assert_success(&out);
    let outcome = json(&out)["outcome"].clone();
    assert_eq!(outcome["registration"]["certificate"]["serial"], new_serial);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["completed"].as_array().unwrap().len(), 4);
    assert!(
        !std::fs::read_to_string(&state)
            .unwrap()
            .contains(TEST_ADMIN_PASSWORD)
    );

    // Again with the state file: resumes, sends nothing twice.
    let again = portal.run("update", &args, &[]);
    assert_success(&again);
    let sent = portal
        .sandbox
        .snapshot()
        .enterprise(fixtures::TAX)
        .unwrap()
        .records
        .iter()
        .filter(|r| r.sent_at.is_some() && r.number == outcome["record"]["number"])
        .count();
    assert_eq!(sent, 1);

    portal.sandbox.approve_sent();
    // `result` and `password` ask only for the login (issue 10 §4).
    let result = portal.run("result", &portal.login_args(&["old", "new"]), &[]);
    assert_success(&result);
    let result = json(&result)["result"].clone();
    let user = result["users"][0]["user_id"].as_str().unwrap().to_owned();
    assert_eq!(result["users"][0]["certificate_serial"], new_serial);

    let mut args = portal.login_args(&["new"]);
    args.extend([
        "--user-id".into(),
        user,
        "--new-password-env".into(),
        "NEWPW".into(),
        "--state".into(),
        state.display().to_string(),
    ]);
    let changed = portal.run("password", &args, &[("NEWPW", "MOI2026")]);
    let changed = json(&changed)["password_change"].clone();
    assert_eq!(changed["kind"], "changed");
    // Met again within its 24 hours, by another process: usable only from its own time.
    let same = portal.run("password", &args, &[("NEWPW", "MOI2026")]);
    let same = json(&same)["password_change"].clone();
    assert_eq!(same["kind"], "same_as_old");
    assert_eq!(same["usable_from"], changed["usable_from"], "{same}");
    let record =
        std::fs::read_to_string(portal.dir.path().join("state.json.passwords.json")).unwrap();
    assert!(!record.contains("MOI2026"), "{record}");
    let bad = portal.run("password", &args, &[("NEWPW", "abc-12")]);
    assert_eq!(error_code(&bad), "invalid_user_id_password");
}

#[test]
fn a_renamed_field_fixed_by_a_three_line_overlay() {
    const OLD: &str = "ctl00$MainContent$txtMaDN";
    const NEW: &str = "ctl00$MainContent$txtMaSoThueDN";
    let portal = Portal::with_renames(&[(OLD, NEW)]);
    let args = portal.args(&["old", "new"]);

    // The built-in profile: the precise error, nothing registered.
    let out = portal.run("update", &args, &[]);
    assert!(!out.status.success());
    assert_eq!(error_code(&out), "portal_layout_changed");
    let message = json(&out)["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(&format!("missing field {OLD}")),
        "{message}"
    );
    assert!(message.contains("register_certificate"), "{message}");

    // The overlay: three lines; `profile show` prints the effective profile with it.
    let overlay = portal.dir.path().join("overlay.toml");
    std::fs::write(
        &overlay,
        format!("# the tax code field renamed\n[pages.register.fields]\ntax_code = \"{NEW}\"\n"),
    )
    .unwrap();
    let show = |extra: &[&str]| {
        let out = vnaccs()
            .args(["profile", "show"])
            .args(extra)
            .output()
            .unwrap();
        assert_success(&out);
        String::from_utf8(out.stdout).unwrap()
    };
    let built_in = show(&[]);
    assert!(built_in.contains(OLD) && !built_in.contains(NEW));
    let effective = show(&["--profile", overlay.to_str().unwrap()]);
    assert!(effective.contains(NEW) && !effective.contains(&format!("\"{OLD}\"")));
    assert!(
        effective.contains("txtMaHaiQuan"),
        "the rest is the built-in profile"
    );

    let mut fixed = args.clone();
    fixed.extend(["--profile".into(), overlay.display().to_string()]);
    let out = portal.run("update", &fixed, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        json(&out)["outcome"]["registration"]["tax_code"],
        fixtures::TAX
    );
}

/// The done-when test of "when the portal changes": the sandbox renames the login page's challenge
/// field and removes its submit button (the login is now a postback link of the same name, as an
/// ASP.NET `LinkButton` renders); the saved page's message is reworded by a small HTML edit (the
/// sandbox cannot reword a message). `profile check` reports exactly those three, the renamed
/// field's candidate first and the link as the button's; with an overlay that fixes them it
/// reports nothing missing, and the update passes against the sandbox serving the changes.
#[test]
fn profile_check_reports_the_three_changes_and_an_overlay_fixes_them() {
    const FIELD: (&str, &str) = (
        "ctl00$MainContent$hdChallenge",
        "ctl00$MainContent$hdChallengeKy",
    );
    const BUTTON: &str = "ctl00$MainContent$btnDangNhap";
    // The profile knows "Mã số thuế hoặc mật khẩu không đúng".
    const REWORDED: &str = "Mã số thuế hoặc mật khẩu chưa chính xác";
    let portal = Portal::with_changes(&[FIELD], &[BUTTON]);
    let url = portal.sandbox.url();
    let html = reqwest::blocking::get(format!("{url}Pages/DangNhap.aspx"))
        .unwrap()
        .text()
        .unwrap();
    let empty = "class=\"thongbao\"></span>";
    assert!(html.contains(empty), "{html}");
    assert!(
        !html.contains(&format!("name=\"{BUTTON}\"")),
        "the button is removed"
    );
    assert!(
        html.contains(&format!("__doPostBack(&#39;{BUTTON}&#39;")),
        "{html}"
    );
    let saved = portal.dir.path().join("DangNhap.html");
    std::fs::write(
        &saved,
        html.replace(empty, &format!("class=\"thongbao\">{REWORDED}</span>")),
    )
    .unwrap();
    let check = |extra: &[&str]| {
        vnaccs()
            .args(["--json", "profile", "check"])
            .args(extra)
            .arg(&saved)
            .output()
            .unwrap()
    };

    let out = check(&[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["pages"][0]["page"], "login");
    let missing: Vec<&Value> = report["pages"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["found"] == false)
        .collect();
    let named: Vec<(&str, &str)> = missing
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        [
            ("field", FIELD.0),
            ("button", BUTTON),
            ("message", REWORDED)
        ],
        "{report:#}"
    );
    assert_eq!(missing[0]["candidates"][0], FIELD.1, "{report:#}");
    assert_eq!(missing[1]["candidates"][0], BUTTON, "{report:#}");

    // The overlay that fixes them: the check finds everything, the update passes.
    let overlay = portal.dir.path().join("fix.toml");
    std::fs::write(
        &overlay,
        format!(
            "[pages.login]\nchallenge = \"{}\"\n[pages.login.buttons]\nlogin = {{ name = \"{BUTTON}\", value = \"Đăng nhập\", link = true }}\n[messages.refusals]\n\"{REWORDED}\" = \"wrong_password\"\n",
            FIELD.1
        ),
    )
    .unwrap();
    let out = check(&["--profile", overlay.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = json(&out);
    assert_eq!(report["ok"], true);
    assert!(
        report["pages"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["found"] == true)
    );

    let mut args = portal.args(&["old", "new"]);
    let stale = portal.run("update", &args, &[]);
    assert_eq!(error_code(&stale), "portal_layout_changed");
    args.extend(["--profile".into(), overlay.display().to_string()]);
    let out = portal.run("update", &args, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A whole update with `--har`: the HAR is HAR 1.2 with the fields the format requires (checked
/// against HAR 1.2's JSON Schema by `tests/python/test_profile.py`), holds none of the secrets
/// (the admin password, the captcha answers, cookie values), and `profile check` reads it page by
/// page; then `result --har` holds no Terminal Access Key and `password --har` no new password.
#[test]
fn an_update_recorded_as_har_with_its_secrets_redacted() {
    let portal = Portal::new();
    let har = portal.dir.path().join("update.har");
    let mut args = portal.args(&["old", "new"]);
    args.extend(["--har".into(), har.display().to_string()]);
    let out = portal.run("update", &args, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = std::fs::read_to_string(&har).unwrap();
    // Owner-only, like the state file: it holds the enterprise's data.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&har).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let captcha = portal
        .sandbox
        .captcha_answer()
        .expect("a captcha was issued");
    for secret in [TEST_ADMIN_PASSWORD, captcha.as_str()] {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        assert!(!text.contains(secret), "{secret:?} is in the HAR");
        assert!(!text.contains(&encoded), "{encoded:?} is in the HAR");
    }
    assert!(
        text.contains("%5Bredacted%5D"),
        "the redacted fields are shown as such"
    );

    let log: Value = serde_json::from_str(&text).unwrap();
    let log = &log["log"];
    assert_eq!(log["version"], "1.2");
    assert_eq!(log["creator"]["name"], "vnaccs");
    assert!(log["creator"]["version"].is_string());
    let entries = log["entries"].as_array().unwrap();
    assert!(entries.len() > 10, "{}", entries.len());
    let mut posts = 0;
    let mut cookies = 0;
    for e in entries {
        assert!(e["startedDateTime"].as_str().unwrap().contains('T'));
        assert!(e["time"].is_number());
        for key in ["send", "wait", "receive"] {
            assert!(e["timings"][key].is_number(), "{e}");
        }
        assert!(e["cache"].is_object());
        let (request, response) = (&e["request"], &e["response"]);
        for key in ["method", "url", "httpVersion"] {
            assert!(request[key].is_string(), "{e}");
        }
        for key in ["cookies", "headers", "queryString"] {
            assert!(request[key].is_array(), "{e}");
            assert!(response.get(key).is_none() || response[key].is_array());
        }
        for key in ["headersSize", "bodySize"] {
            assert!(request[key].is_number() && response[key].is_number(), "{e}");
        }
        assert!(response["status"].is_number() && response["statusText"].is_string());
        assert!(response["httpVersion"].is_string() && response["redirectURL"].is_string());
        assert!(response["cookies"].is_array() && response["headers"].is_array());
        assert!(
            response["content"]["size"].is_number() && response["content"]["mimeType"].is_string()
        );
        if request["method"] == "POST" {
            posts += 1;
            assert!(request["postData"]["text"].is_string(), "{e}");
        }
        for header in response["headers"].as_array().unwrap() {
            if header["name"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("set-cookie")
            {
                cookies += 1;
                let value = header["value"].as_str().unwrap();
                let pair = value.split(';').next().unwrap();
                assert!(pair.ends_with("=[redacted]"), "{value}");
            }
        }
    }
    assert!(posts >= 6, "{posts}");
    assert!(cookies >= 1, "{cookies}");

    let out = vnaccs()
        .args(["--json", "profile", "check"])
        .arg(&har)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    let pages: Vec<&str> = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["page"].as_str())
        .collect();
    for page in ["register", "login", "admin", "oe2102", "oe4001"] {
        assert!(pages.contains(&page), "{page} not in {pages:?}");
    }

    // The result's HAR: the Terminal Access Keys the portal hands back are masked wherever they
    // appear; the password's HAR: the new password is.
    portal.sandbox.approve_sent();
    let result_har = portal.dir.path().join("result.har");
    let mut args = portal.login_args(&["old", "new"]);
    args.extend(["--har".into(), result_har.display().to_string()]);
    let out = portal.run("result", &args, &[]);
    assert_success(&out);
    let result = json(&out)["result"].clone();
    let text = std::fs::read_to_string(&result_har).unwrap();
    let terminals = result["terminals"].as_array().unwrap();
    assert!(!terminals.is_empty());
    for terminal in terminals {
        let key = terminal["access_key"].as_str().unwrap();
        assert!(!text.contains(key), "the access key {key} is in the HAR");
        let id = terminal["terminal_id"].as_str().unwrap();
        assert!(text.contains(id), "the result page is recorded");
    }
    let password_har = portal.dir.path().join("password.har");
    let mut args = portal.login_args(&["new"]);
    args.extend([
        "--user-id".into(),
        result["users"][0]["user_id"].as_str().unwrap().into(),
        "--new-password-env".into(),
        "NEWPW".into(),
        "--har".into(),
        password_har.display().to_string(),
    ]);
    assert_success(&portal.run("password", &args, &[("NEWPW", "MK26HAR1")]));
    let text = std::fs::read_to_string(&password_har).unwrap();
    assert!(
        text.contains("CapPasswordNSD"),
        "the password page is recorded"
    );
    assert!(!text.contains("MK26HAR1"), "the new password is in the HAR");
}

#[test]
fn killed_after_each_step_and_resumed_from_the_state_file() {
    let portal = Portal::new();
    let state = portal.dir.path().join("state.json");
    let mut args = portal.args(&["old", "new"]);
    args.extend(["--state".into(), state.display().to_string()]);
    let completed = || {
        std::fs::read_to_string(&state)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .map_or(0, |v| v["completed"].as_array().map_or(0, Vec::len))
    };
    // The first request of the next step is slow, so the process is killed between two steps:
    // B opens the admin page, C logs in first, D opens OE4001.
    for (steps, next) in [
        (1, Operation::AdminPage),
        (2, Operation::LoginPage),
        (3, Operation::Oe4001Page),
    ] {
        portal.sandbox.inject(Fault {
            kind: FaultKind::Slow(Duration::from_secs(5)),
            at: next,
            times: 1,
        });
        let killed = portal.run_until("update", &args, &[], || completed() >= steps);
        assert!(!killed.status.success(), "killed after {steps} steps");
        assert_eq!(completed(), steps);
    }
    let resumed = portal.run("update", &args, &[]);
    assert_success(&resumed);
    assert_eq!(completed(), 4);
    let snapshot = portal.sandbox.snapshot();
    let enterprise = snapshot.enterprise(fixtures::TAX).unwrap();
    let sent: Vec<_> = enterprise
        .records
        .iter()
        .filter(|r| r.sent_at.is_some())
        .collect();
    assert_eq!(
        sent.len(),
        2,
        "the scenario's old approved record and exactly one new one"
    );
    assert_eq!(
        json(&resumed)["outcome"]["record"]["number"],
        sent[1].number
    );
}

#[test]
fn refusals_have_their_codes_and_exit_code_1() {
    let portal = Portal::new();
    // Offline refusals: no request sent.
    let other = vnaccs()
        .args(["--json", "check"])
        .args(portal.args(&["other"]))
        .output()
        .unwrap();
    assert_eq!(error_code(&other), "certificate_other_tax_code");
    let mut args = portal.args(&["new"]);
    args[1] = "0123456789".into();
    let out = vnaccs()
        .args(["--json", "check"])
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "invalid_tax_code");
    let mut args = portal.args(&[]);
    args.extend(["--cert-file".into(), portal.file("missing.pem")]);
    args.extend(["--key-file".into(), portal.file("missing.key.pem")]);
    let out = vnaccs()
        .args(["--json", "check"])
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "key_file");
    assert_eq!(portal.sandbox.requests_served(), 0);

    // Portal refusals.
    let wrong = portal.run(
        "update",
        &portal.args(&["old", "new"]),
        &[(ADMIN_ENV, "Sai@matkhau1")],
    );
    assert_eq!(error_code(&wrong), "wrong_password");
    // The refusal points at "Quên mật khẩu", which the command line offers.
    let message = json(&wrong)["error"]["message_vi"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("Quên mật khẩu"), "{message}");
    let forgot = portal.run(
        "forgot-password",
        &[
            "--tax-code".into(),
            fixtures::TAX.into(),
            "--admin-email".into(),
            TEST_ADMIN_EMAIL.into(),
        ],
        &[],
    );
    assert_success(&forgot);
    assert_eq!(json(&forgot)["ok"], true);
    let other_email = portal.run(
        "forgot-password",
        &[
            "--tax-code".into(),
            fixtures::TAX.into(),
            "--admin-email".into(),
            "khac@saigontrade.vn".into(),
        ],
        &[],
    );
    assert_eq!(error_code(&other_email), "email_mismatch");
    let mut args = portal.args(&["old", "new"]);
    let office = args.iter().position(|a| a == "01B1").unwrap();
    args[office] = "99ZZ".into();
    assert_eq!(
        error_code(&portal.run("update", &args, &[])),
        "office_refused"
    );

    // Usage errors: exit code 2.
    let usage = vnaccs().args(["update", "--tax-code"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn update_with_a_token_and_a_wrong_pin_is_one_try() {
    let portal = Portal::new();
    let hsm = SoftHsm::new();
    hsm.create_token("cli-update", &old_and_new(&portal.set));
    let mut args = portal.args(&[]);
    args.extend(
        [
            "--module",
            softhsm(),
            "--token",
            "cli-update",
            "--pin-env",
            "TOKEN_PIN",
        ]
        .map(String::from),
    );
    let conf = hsm.conf.display().to_string();
    let wrong = portal.run(
        "update",
        &args,
        &[("SOFTHSM2_CONF", &conf), ("TOKEN_PIN", "000000")],
    );
    assert_eq!(error_code(&wrong), "pin_incorrect");
    let right = portal.run(
        "update",
        &args,
        &[("SOFTHSM2_CONF", &conf), ("TOKEN_PIN", PIN)],
    );
    assert_success(&right);
    assert_eq!(json(&right)["outcome"]["record"]["status"], "sent");
}

#[test]
fn sandbox_command_listens_beyond_loopback_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let refused = vnaccs()
        .args(["--json", "sandbox", "--listen", "0.0.0.0:0", "--export"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(error_code(&refused), "sandbox_remote_listen");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "no test key written"
    );
    let help = vnaccs().args(["sandbox", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--allow-remote"));
    assert!(help.contains("known test passwords"), "{help}");
    let mut child = vnaccs()
        .args([
            "sandbox",
            "--listen",
            "0.0.0.0:0",
            "--allow-remote",
            "--export",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().expect("a line").expect("text");
        if let Some(at) = line.find("http://0.0.0.0:") {
            break line[at + "http://0.0.0.0:".len()..]
                .trim()
                .trim_end_matches('/')
                .to_owned();
        }
    };
    let page = reqwest::blocking::get(format!("http://127.0.0.1:{port}/Pages/dn.aspx")).unwrap();
    assert_eq!(page.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn sandbox_command_serves_the_portal_and_exports_the_test_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = vnaccs()
        .args(["sandbox", "--listen", "127.0.0.1:0", "--export"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("a line").expect("text");
        if let Some(at) = line.find("http://") {
            break line[at..].trim().to_owned();
        }
    };
    // Both sites: screen A (customs.gov.vn) and the VNACCS site's entry (seed 002's dn.aspx).
    let page = reqwest::blocking::get(format!("{url}Pages/DangKyChuKySo.aspx")).unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().unwrap().contains("Xem thông tin"));
    let entry = reqwest::blocking::get(format!("{url}Pages/dn.aspx")).unwrap();
    assert_eq!(entry.status(), 200);
    let entry = entry.text().unwrap();
    assert!(
        entry.contains("Đăng nhập") && entry.contains("Quên mật khẩu"),
        "{entry}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    for file in [
        "root.pem",
        "old.pem",
        "new.pem",
        "new.key.pem",
        "scenario.json",
    ] {
        assert!(dir.path().join(file).exists(), "{file}");
    }
    Scenario::from_file(&dir.path().join("scenario.json")).expect("the exported scenario loads");
}

#[test]
fn without_state_the_update_keeps_its_state_owner_only_in_the_users_state_folder() {
    let portal = Portal::new();
    let args = portal.args(&["old", "new"]);
    let out = portal.run("update", &args, &[]);
    assert_success(&out);
    let serial = vnaccs_core::cert::Certificate::from_der(&portal.set.enterprise_new.der)
        .unwrap()
        .serial()
        .to_string();
    let state = portal
        .state_home()
        .join("vnaccs")
        .join(fixtures::TAX)
        .join(format!("{serial}.json"));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["completed"].as_array().unwrap().len(), 4);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        let folder = std::fs::metadata(state.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(folder & 0o077, 0, "{folder:o}");
    }
    // Run again without --state: resumed from that file, nothing sent twice.
    let again = portal.run("update", &args, &[]);
    assert_success(&again);
    let sent = portal
        .sandbox
        .snapshot()
        .enterprise(fixtures::TAX)
        .unwrap()
        .records
        .iter()
        .filter(|r| r.sent_at.is_some())
        .count();
    assert_eq!(
        sent, 2,
        "the scenario's old approved record and exactly one new one"
    );
}

#[test]
fn a_second_run_on_a_state_file_in_use_is_refused_and_sends_nothing() {
    let portal = Portal::new();
    let state = portal.dir.path().join("state.json");
    let _held = vnaccs_core::workflow::StateLock::acquire(&state).unwrap();
    let mut args = portal.args(&["old", "new"]);
    args.extend(["--state".into(), state.display().to_string()]);
    let out = portal.run("update", &args, &[]);
    assert_eq!(error_code(&out), "workflow_state_locked");
    assert_eq!(portal.sandbox.requests_served(), 0);
    assert!(!state.exists());
}

#[test]
fn dates_and_numbers_out_of_range_are_refused_without_a_panic() {
    let portal = Portal::new();
    let mut args = portal.args(&["old", "new"]);
    args.push("--clearance=-262143-01-01".into());
    let out = vnaccs()
        .args(["--json", "check"])
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "date_out_of_range");
    let mut args = portal.args(&["old", "new"]);
    args.push("--clearance=2201-01-01".into());
    let out = vnaccs()
        .args(["--json", "check"])
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "date_out_of_range");

    // --timeout is bounded: a usage error.
    for timeout in ["18446744073709551615", "0", "3601"] {
        let out = vnaccs()
            .args(["--json", "check"])
            .args(portal.args(&["old", "new"]))
            .args(["--timeout", timeout])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--timeout {timeout}");
    }

    // A state file from year 262142.
    let state = portal.dir.path().join("state.json");
    let mut args = portal.args(&["old", "new"]);
    args.extend(["--state".into(), state.display().to_string()]);
    assert!(portal.run("update", &args, &[]).status.success());
    let text = std::fs::read_to_string(&state).unwrap();
    let mut saved: Value = serde_json::from_str(&text).unwrap();
    saved["record"]["sent_at"] = "+262142-01-01T00:00:00Z".into();
    std::fs::write(&state, saved.to_string()).unwrap();
    let out = portal.run("update", &args, &[]);
    assert_eq!(error_code(&out), "invalid_workflow_state");
    assert!(
        json(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("262142")
    );

    // A sandbox scenario whose clock starts in year 262142.
    let scenario = portal.dir.path().join("scenario.json");
    std::fs::write(&scenario, r#"{"now": "+262142-01-01T00:00:00Z"}"#).unwrap();
    let out = vnaccs()
        .args(["--json", "sandbox", "--listen", "127.0.0.1:0", "--scenario"])
        .arg(&scenario)
        .output()
        .unwrap();
    assert_eq!(error_code(&out), "sandbox_scenario");
}

#[test]
fn a_whole_update_logged_at_trace_level_shows_no_secret() {
    let portal = Portal::new();
    let hsm = SoftHsm::new();
    hsm.create_token("cli-trace", &old_and_new(&portal.set));
    let conf = hsm.conf.display().to_string();
    let trace = [
        ("SOFTHSM2_CONF", conf.as_str()),
        ("TOKEN_PIN", PIN),
        ("RUST_LOG", "trace"),
    ];
    let token = [
        "--module",
        softhsm(),
        "--token",
        "cli-trace",
        "--pin-env",
        "TOKEN_PIN",
        "-vvv",
    ]
    .map(String::from);
    let mut token_args = portal.args(&[]);
    token_args.extend(token.clone());
    // `result` and `password` take the login only.
    let mut login_args = portal.login_args(&[]);
    login_args.extend(token);
    let mut outputs = vec![portal.run("update", &token_args, &trace)];
    assert_success(&outputs[0]);
    portal.sandbox.approve_sent();
    outputs.push(portal.run("result", &login_args, &trace));
    let user = json(&outputs[1])["result"]["users"][0]["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let new_password = "ZQ7X9K2M";
    let mut args = login_args.clone();
    args.extend([
        "--user-id".into(),
        user,
        "--new-password-env".into(),
        "NEWPW".into(),
    ]);
    let mut with_password = trace.to_vec();
    with_password.push(("NEWPW", new_password));
    outputs.push(portal.run("password", &args, &with_password));
    assert_eq!(json(&outputs[2])["password_change"]["kind"], "changed");

    let secrets = [TEST_ADMIN_PASSWORD, "Hq%402026vnaccs", PIN, new_password];
    let mut seen = Vec::new();
    for out in &outputs {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("TRACE"), "traced: {stderr}");
        seen.push((
            "stdout".to_owned(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ));
        seen.push(("stderr".to_owned(), stderr.into_owned()));
    }
    let mut folders = vec![portal.dir.path().to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                seen.push((
                    path.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
        }
    }
    for (place, text) in &seen {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} in {place}");
        }
    }
}

#[test]
fn update_with_a_request_document_runs_the_same_update_as_the_flags() {
    // Two identical portals: one updated with the options, one with a request document.
    let (by_flags, by_document) = (Portal::new(), Portal::new());
    let state = |p: &Portal| p.dir.path().join("state.json").display().to_string();
    let mut args = by_flags.args(&["old", "new"]);
    args.extend(["--state".into(), state(&by_flags)]);
    let flags = by_flags.run("update", &args, &[]);
    assert_success(&flags);

    let pem = |name: &str| {
        serde_json::json!({
            "certificate": by_document.file(&format!("{name}.pem")),
            "key": by_document.file(&format!("{name}.key.pem")),
        })
    };
    let request = serde_json::json!({
        "schema_version": vnaccs_core::workflow::SCHEMA_VERSION,
        "operation": "update",
        "enterprise": {
            "tax_code": fixtures::TAX,
            "representative_id": TEST_REPRESENTATIVE_ID,
            "admin_email": TEST_ADMIN_EMAIL,
            "sender_name": "Nguyễn Văn An",
            "sender_email": "khaibao@saigontrade.vn",
            "office": "01B1",
        },
        "keys": { "source": "files", "pem": [pem("old"), pem("new")] },
        "portal": { "base_url": by_document.sandbox.url().as_str() },
        "state_file": state(&by_document),
    });
    let file = by_document.dir.path().join("request.json");
    std::fs::write(&file, request.to_string()).unwrap();
    let args: Vec<String> = [
        "--request",
        &file.display().to_string(),
        "--password-env",
        ADMIN_ENV,
    ]
    .map(String::from)
    .to_vec();
    // The plan first: the same as the options' (on the same portal and keys).
    let plan = |args: &[String]| {
        let out = vnaccs()
            .args(["--json", "check"])
            .args(args)
            .output()
            .unwrap();
        assert_success(&out);
        let mut plan = json(&out)["plan"].clone();
        plan["at"] = Value::Null;
        plan
    };
    let planned = plan(&args);
    assert_eq!(planned, plan(&by_document.args(&["old", "new"])));
    assert_eq!(by_document.sandbox.requests_served(), 0);
    let document = by_document.run("update", &args, &[]);
    assert_success(&document);

    let (a, b) = (
        json(&flags)["outcome"].clone(),
        json(&document)["outcome"].clone(),
    );
    for key in ["tax_code", "skipped", "requests"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(
        b["registration"]["certificate"]["serial"],
        planned["certificate"]["serial"]
    );
    assert_eq!(a["declarants_moved"].as_array().unwrap().len(), 1);
    assert_eq!(b["declarants_moved"].as_array().unwrap().len(), 1);
    assert_eq!(a["record"]["office"], b["record"]["office"]);
    for operation in Operation::STATE_CHANGING {
        assert_eq!(
            by_flags.sandbox.effects(operation),
            by_document.sandbox.effects(operation),
            "{operation:?}"
        );
    }
    assert!(
        std::path::Path::new(&state(&by_document)).exists(),
        "the document's state file"
    );

    // After approval, `result` reads the same document (the login part of it).
    by_document.sandbox.approve_sent();
    let result = by_document.run("result", &args, &[]);
    assert_success(&result);
    assert_eq!(
        json(&result)["result"]["users"][0]["certificate_serial"],
        planned["certificate"]["serial"]
    );

    // `password` takes the User ID from the document when `--user-id` is not given.
    let user = json(&result)["result"]["users"][0]["user_id"].clone();
    let mut args = args.clone();
    args.extend(["--new-password-env".into(), "NEWPW".into()]);
    let without_user = by_document.run("password", &args, &[("NEWPW", "MOI2026")]);
    assert_eq!(error_code(&without_user), "invalid_request");
    let mut request = request.clone();
    request["operation"] = "change_password".into();
    request["user_id"] = user.clone();
    std::fs::write(&file, request.to_string()).unwrap();
    let changed = by_document.run("password", &args, &[("NEWPW", "MOI2026")]);
    assert_success(&changed);
    let changed = json(&changed)["password_change"].clone();
    assert_eq!(changed["user_id"], user);
    assert_eq!(changed["kind"], "changed");

    // Options that the document replaces are refused beside it (usage error).
    let mixed = vnaccs()
        .args([
            "check",
            "--request",
            &file.display().to_string(),
            "--tax-code",
            fixtures::TAX,
        ])
        .output()
        .unwrap();
    assert_eq!(mixed.status.code(), Some(2));
}

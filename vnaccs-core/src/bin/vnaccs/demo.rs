//! `vnaccs demo`: the main job end to end on the embedded sandbox — a throwaway software token with
//! an old and a renewed certificate from the test PKI, the whole update (A–D), Customs' approval,
//! the result (E) and a password change (F). Nothing to install, nothing sent off this machine.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;
use vnaccs_core::fixtures::{self, Issued, TestPki};
use vnaccs_core::ids::UserIdPassword;
use vnaccs_core::portal::PortalConfig;
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, TEST_OFFICES,
    TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::sign::SoftwareSigner;
use vnaccs_core::workflow::{CertificateUpdate, KeySource, UpdateInputs};
use vnaccs_core::{Result, TaxCode};

use crate::progress::{local, print_plan, progress_printer};

/// The new User ID password the demo sets (A–Z, 0–9, at most 8).
const DEMO_PASSWORD: &str = "DEMO2026";

/// Arguments of `demo`.
#[derive(clap::Args)]
pub(crate) struct Args {}

/// Runs the demo; human output on stdout (progress as it goes), or one JSON object.
pub(crate) fn run(_args: &Args, json: bool) -> Result<String> {
    let now = whole_seconds(Utc::now());
    let pki = TestPki::new(now);
    // Only the two certificates the demo signs with: the standard set's other keys would take
    // most of the demo's time to make.
    let (old, new) = pki.enterprise_old_and_new();
    let sandbox = Arc::new(Sandbox::start(SandboxConfig::new(
        Scenario::for_test_pki_with_old(&pki, &old),
    ))?);
    let say = |line: String| {
        if !json {
            println!("{line}");
        }
    };
    say(format!(
        "vnaccs demo: cập nhật chữ ký số với cổng Hải quan mô phỏng / certificate update on the \
         sandbox portal\n  cổng mô phỏng / sandbox portal: {}\n  doanh nghiệp / enterprise: {} {}\n  \
         token phần mềm / software token: {} (old) and {} (renewed)",
        sandbox.url(),
        fixtures::TAX,
        fixtures::ENTERPRISE_NAME,
        serial(&old),
        serial(&new),
    ));

    let keys = KeySource::software(vec![Arc::new(signer(&old)?), Arc::new(signer(&new)?)]);
    let mut inputs = UpdateInputs::builder(
        TaxCode::parse(fixtures::TAX)?,
        TEST_REPRESENTATIVE_ID.parse()?,
    )
    .admin_account(
        TEST_ADMIN_EMAIL.parse()?,
        TEST_ADMIN_PASSWORD.to_owned().into(),
    )
    .sender("Nguyễn Văn An", "khaibao@saigontrade.vn".parse()?)
    .office(TEST_OFFICES[0].parse()?)
    .build()?;
    inputs.old_serial = Some(serial(&old));
    let captcha_sandbox = Arc::clone(&sandbox);
    let mut update =
        CertificateUpdate::new(inputs, keys, PortalConfig::with_base_url(sandbox.url()))?
            .on_captcha(Box::new(move |challenge| {
                // A person reads the image; the demo asks the sandbox, which knows the answer.
                let answer = captcha_sandbox.captcha_answer();
                if !json {
                    println!(
                        "    mã xác nhận / captcha: PNG {} bytes, attempt {} → {}",
                        challenge.image_png.len(),
                        challenge.attempt,
                        answer.as_deref().unwrap_or("?")
                    );
                }
                answer
            }));
    if !json {
        update = update.on_progress(progress_printer());
    }

    let plan = update.plan(now)?;
    if !json {
        print_plan(&plan);
    }
    let outcome = update.run()?;
    let approved = sandbox.approve_sent();
    say(format!(
        "Hải quan phê duyệt / Customs approves (sandbox back office): {}",
        approved.join(", ")
    ));
    let result = update.fetch_result()?;
    let user = result
        .users
        .iter()
        .find(|u| u.certificate_serial == outcome.registration.certificate.serial)
        .or(result.users.first())
        .cloned();
    let password = match &user {
        Some(user) => {
            Some(update.change_password(&user.user_id, &UserIdPassword::parse(DEMO_PASSWORD)?)?)
        }
        None => None,
    };
    let terminal = result.terminals.first();

    if json {
        crate::print_json(&json!({
            "ok": true,
            "portal": sandbox.url().as_str(),
            "plan": plan,
            "outcome": outcome,
            "approved": approved,
            "result": result,
            "password_change": password,
            "requests": update.request_count(),
        }));
        return Ok(String::new());
    }
    let mut summary = String::from("\nKết quả / result\n");
    if let Some(user) = &user {
        summary += &format!("  User ID:                       {}\n", user.user_id);
    }
    if let Some(terminal) = terminal {
        summary += &format!(
            "  Terminal ID:                   {}\n",
            terminal.terminal_id
        );
        summary += &format!("  Terminal Access Key:           {}\n", terminal.access_key);
    }
    summary += &format!(
        "  Chữ ký số mới dùng được từ / new certificate usable from: {}\n",
        local(outcome.usable_from)
    );
    if let Some(change) = &password {
        summary += &format!(
            "  Mật khẩu User ID / User ID password: {} — usable from {}\n",
            change.kind.portal_message(),
            local(change.usable_from)
        );
    }
    summary += &format!("  Yêu cầu HTTP / HTTP requests: {}", update.request_count());
    Ok(summary)
}

/// A software signer with a fixture certificate's key.
fn signer(issued: &Issued) -> Result<SoftwareSigner> {
    SoftwareSigner::from_pkcs8_der(&issued.key.pkcs8_der(), &issued.der)
}

/// A fixture certificate's serial.
fn serial(issued: &Issued) -> vnaccs_core::CertificateSerial {
    vnaccs_core::cert::Certificate::from_der(&issued.der)
        .map(|c| c.serial().clone())
        .expect("fixture certificates parse")
}

/// `t` without its sub-second part (the portal's clock has whole seconds).
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

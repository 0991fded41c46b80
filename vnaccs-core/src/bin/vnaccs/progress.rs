//! The human display of an update: its plan, and a line per step and event as it runs.

use chrono::{DateTime, Utc};
use vnaccs_core::cert::PassReason;
use vnaccs_core::timing::vietnam_offset;
use vnaccs_core::workflow::{Plan, Progress, ProgressCallback};

/// Prints the offline plan: the certificate chosen, those passed over, what changed, the steps and
/// the warnings.
pub(crate) fn print_plan(plan: &Plan) {
    let cert = &plan.certificate;
    println!("\nKế hoạch / plan");
    println!(
        "  chứng thư số / certificate: {} — {}\n    cấp bởi / issued by {}, hết hạn / valid to {}",
        cert.serial,
        cert.subject,
        cert.issuer,
        local(cert.not_after)
    );
    for other in &plan.passed_over {
        let reasons: Vec<String> = other.reasons.iter().map(reason).collect();
        println!(
            "  bỏ qua / passed over: {} ({})",
            other.certificate.serial,
            reasons.join("; ")
        );
    }
    if let Some(change) = &plan.change {
        println!("  thay đổi / change: {:?}", change.kind);
    }
    let steps: Vec<String> = plan.steps.iter().map(|s| s.letter().to_string()).collect();
    println!("  các bước / steps: {}", steps.join(" → "));
    for warning in &plan.warnings {
        println!(
            "  lưu ý / warning: {}\n    {}",
            warning.message_vi(),
            warning.message_en()
        );
    }
    println!();
}

/// Why a certificate was passed over, in a few words.
fn reason(reason: &PassReason) -> String {
    match reason {
        PassReason::Expired { ended } => format!("expired {}", local(*ended)),
        PassReason::NotYetValid { starts } => {
            format!("not valid before {}", local(*starts))
        }
        PassReason::OtherTaxCode { found } => format!("other tax code {found}"),
        PassReason::InvalidTaxCode { raw } => format!("invalid tax code {raw:?}"),
        PassReason::NoTaxCode => "no tax code".into(),
        PassReason::NotForSigning => "not for signing".into(),
        PassReason::CaCertificate => "a CA certificate".into(),
        PassReason::Superseded { by } => format!("superseded by {by}"),
    }
}

/// A progress callback that prints a line per event.
pub(crate) fn progress_printer() -> ProgressCallback {
    Box::new(|event: &Progress| match event {
        Progress::StepStarted { step } => println!(
            "[{}] {} / {} …",
            step.letter(),
            step.describe_vi(),
            step.describe_en()
        ),
        Progress::StepAlreadyDone { step } => {
            println!("[{}] đã xong trước đó / done before", step.letter())
        }
        Progress::DeclarantMoved {
            user_code,
            full_name,
        } => println!(
            "    người khai / declarant {} {full_name} → chứng thư số mới / new certificate",
            user_code
                .as_ref()
                .map(|c| c.as_str())
                .unwrap_or("(chưa có mã)")
        ),
        Progress::RecordFound { number } => println!("    bản khai / record {number}"),
        Progress::StepFinished {
            step,
            elapsed_ms,
            requests,
        } => println!(
            "[{}] ✓ {requests} yêu cầu / requests, {elapsed_ms} ms",
            step.letter()
        ),
    })
}

/// An instant in Vietnam's local time.
pub(crate) fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam_offset())
        .format("%Y-%m-%d %H:%M:%S (UTC+7)")
        .to_string()
}

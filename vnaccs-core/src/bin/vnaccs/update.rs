//! `vnaccs update`, `vnaccs result` and `vnaccs password`: the real operations against a portal,
//! resumable through a state file.

use std::path::PathBuf;

use vnaccs_core::ids::{UserId, UserIdPassword};
use vnaccs_core::workflow::default_state_file;
use vnaccs_core::{Error, Result};

use crate::portal_args::Target;
use crate::progress::{local, print_plan, progress_printer};
use crate::secrets::secret;

/// Arguments of `update`.
#[derive(clap::Args)]
pub(crate) struct UpdateArgs {
    #[command(flatten)]
    target: Target,
    /// The state file: written after each completed step; when it exists, the update resumes
    /// from it and never sends the registration twice. Default: one per enterprise and new
    /// certificate in the user's state folder ($XDG_STATE_HOME/vnaccs, ~/.local/state/vnaccs,
    /// %LOCALAPPDATA%\vnaccs).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
}

/// Arguments of `result`.
#[derive(clap::Args)]
pub(crate) struct ResultArgs {
    #[command(flatten)]
    target: Target,
}

/// Arguments of `password`.
#[derive(clap::Args)]
pub(crate) struct PasswordArgs {
    #[command(flatten)]
    target: Target,
    /// The User ID whose password to set.
    #[arg(long)]
    user_id: String,
    /// Take the new password from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    new_password_env: Option<String>,
}

/// Runs (or resumes) the update A → D.
pub(crate) fn run_update(args: &UpdateArgs, json: bool) -> Result<String> {
    let mut update = args.target.update(true)?;
    let plan = update.plan(chrono::Utc::now())?;
    if !json {
        print_plan(&plan);
        update = update.on_progress(progress_printer());
    }
    let state = match &args.state {
        Some(path) => path.clone(),
        None => default_state_file(&plan.tax_code, &plan.certificate.serial).ok_or_else(|| {
            Error::Io {
                path: "$XDG_STATE_HOME, $HOME, %LOCALAPPDATA%".into(),
                reason: "no state folder is set; name a state file with --state".into(),
            }
        })?,
    };
    tracing::info!(state = %state.display(), "state file");
    let outcome = update.run_with_state_file(&state)?;
    if json {
        crate::print_json(&serde_json::json!({ "ok": true, "outcome": outcome }));
        return Ok(String::new());
    }
    Ok(format!(
        "\nĐã gửi bản khai {} cho Hải quan / registration {} sent at {}\nChữ ký số mới dùng được \
         từ / the new certificate works from {}",
        outcome.record.number,
        outcome.record.number,
        local(outcome.sent_at),
        local(outcome.usable_from)
    ))
}

/// Reads the result (E): User IDs, Terminal IDs and access keys.
pub(crate) fn run_result(args: &ResultArgs, json: bool) -> Result<String> {
    let result = args.target.update(true)?.fetch_result()?;
    if json {
        crate::print_json(&serde_json::json!({ "ok": true, "result": result }));
        return Ok(String::new());
    }
    let mut text = String::from("Người khai hải quan / declarant users:\n");
    for user in &result.users {
        text += &format!(
            "  {}  {}  ({})\n",
            user.user_id, user.full_name, user.certificate_serial
        );
    }
    text += "Máy tính / terminals:\n";
    for terminal in &result.terminals {
        text += &format!("  {}  {}\n", terminal.terminal_id, terminal.access_key);
    }
    Ok(text.trim_end().to_owned())
}

/// Sets a User ID's password (F).
pub(crate) fn run_password(args: &PasswordArgs, json: bool) -> Result<String> {
    let user_id = UserId::parse(&args.user_id)?;
    let password = secret(
        args.new_password_env.as_deref(),
        "Mật khẩu mới / new password (A-Z, 0-9, ≤ 8): ",
    )
    .ok_or(Error::SecretNotGiven {
        what: format!("the new password of {user_id}"),
    })?;
    let password = UserIdPassword::parse(secrecy::ExposeSecret::expose_secret(&password))?;
    let outcome = args
        .target
        .update(true)?
        .change_password(&user_id, &password)?;
    if json {
        crate::print_json(&serde_json::json!({ "ok": true, "password_change": outcome }));
        return Ok(String::new());
    }
    Ok(format!(
        "{}: {} — dùng được từ / usable from {}",
        outcome.user_id,
        outcome.kind.portal_message(),
        local(outcome.usable_from)
    ))
}

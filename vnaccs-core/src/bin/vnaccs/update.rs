//! `vnaccs update`, `vnaccs result`, `vnaccs password` and `vnaccs forgot-password`: the real
//! operations against a portal, the update resumable through a state file.

use std::path::PathBuf;

use vnaccs_core::ids::InputError;
use vnaccs_core::ids::{UserId, UserIdPassword};
use vnaccs_core::workflow::{Operation, default_state_file};
use vnaccs_core::{Error, Result};

use vnaccs_core::TaxCode;
use vnaccs_core::portal::PortalClient;

use crate::portal_args::{ForgotPassword, Login, Target};
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
    /// %LOCALAPPDATA%\vnaccs). Overrides a request document's `state_file`.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
}

/// Arguments of `result`.
#[derive(clap::Args)]
pub(crate) struct ResultArgs {
    #[command(flatten)]
    login: Login,
}

/// Arguments of `password`.
#[derive(clap::Args)]
pub(crate) struct PasswordArgs {
    #[command(flatten)]
    login: Login,
    /// The update's state file: the instants of the passwords set are kept beside it, so that
    /// a password set less than 24 hours ago is not reported usable at once.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// The User ID whose password to set (or the request document's `user_id`).
    #[arg(long, required_unless_present = "request")]
    user_id: Option<String>,
    /// Take the new password from this environment variable instead of asking.
    #[arg(long, value_name = "VAR")]
    new_password_env: Option<String>,
}

/// Runs (or resumes) the update A → D.
pub(crate) fn run_update(args: &UpdateArgs, json: bool) -> Result<String> {
    let request = args.target.request(Operation::Update)?;
    let mut update = args.target.update(&request)?;
    let plan = update.plan(chrono::Utc::now())?;
    if !json {
        print_plan(&plan);
        update = update.on_progress(progress_printer());
    }
    let state = match args.state.as_ref().or(request.state_file.as_ref()) {
        Some(path) => path.clone(),
        None => default_state_file(&plan.tax_code, &plan.certificate.serial).ok_or_else(|| {
            Error::Io {
                path: "$XDG_STATE_HOME, $HOME, %LOCALAPPDATA%".into(),
                reason: "no state folder is set; name a state file with --state".into(),
                reason_vi: "chưa có thư mục trạng thái; hãy đặt tệp trạng thái bằng --state".into(),
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
    let result = args.login.account()?.fetch_result()?;
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
    let request = args.login.request()?;
    let user_id = match (&args.user_id, &request.user_id) {
        (Some(given), _) => UserId::parse(given)?,
        (None, Some(named)) => named.clone(),
        (None, None) => {
            return Err(Error::Input(InputError::InvalidRequest {
                reason: "change_password needs user_id (or --user-id)".into(),
            }));
        }
    };
    let password = secret(
        args.new_password_env.as_deref(),
        "Mật khẩu mới / new password (A-Z, 0-9, ≤ 8): ",
    )
    .ok_or(Error::Input(InputError::SecretNotGiven {
        what: format!("the new password of {user_id}"),
        what_vi: format!("mật khẩu mới của {user_id}"),
    }))?;
    let password = UserIdPassword::parse(secrecy::ExposeSecret::expose_secret(&password))?;
    let mut account = args.login.account_of(&request)?;
    if let Some(path) = &args.state {
        account = account.state_file(path);
    }
    let outcome = account.change_password(&user_id, &password)?;
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

/// Quên mật khẩu: the portal mails a new admin password to the account's email.
pub(crate) fn run_forgot_password(args: &ForgotPassword, json: bool) -> Result<String> {
    let tax_code = TaxCode::parse(&args.tax_code)?;
    let email = args.admin_email.parse()?;
    PortalClient::new(args.portal.config()?)?.forgot_password(&tax_code, &email)?;
    if json {
        crate::print_json(&serde_json::json!({ "ok": true, "forgot_password": "sent" }));
        return Ok(String::new());
    }
    Ok(format!(
        "Mật khẩu mới đã được gửi tới {email} / a new admin password was mailed to {email}"
    ))
}

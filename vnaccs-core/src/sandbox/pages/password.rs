//! Screen F: Cấp mới password cho người sử dụng (User ID).

use super::super::faults::Operation;
use super::super::html::{self, Controls};
use super::super::messages as msg;
use super::super::scenario::ScenarioSecret;
use super::ctx::{Ctx, Reply, View, heading, memory};
use crate::ids::{UserId, UserIdPassword};
use crate::timing::password_usable_from;

const TXT_USER_ID: &str = "ctl00$MainContent$txtUserId";
const TXT_NEW: &str = "ctl00$MainContent$txtMatKhauMoi";
const TXT_CONFIRMATION: &str = "ctl00$MainContent$txtXacNhanMatKhau";
const BTN_CHANGE: &str = "ctl00$MainContent$btnCapPassword";

/// "Cấp password mới".
pub(super) fn post(ctx: &mut Ctx) -> Reply {
    let message = change(ctx);
    render(ctx, Some(message))
}

fn change(ctx: &mut Ctx) -> &'static str {
    let Some(tax_code) = ctx.tax_code() else {
        return msg::INVALID_INPUT;
    };
    let user_id = UserId::parse(ctx.value(TXT_USER_ID)).ok();
    let index = user_id.as_ref().and_then(|id| {
        ctx.enterprise()?
            .state
            .declarants
            .iter()
            .position(|d| d.user_id.as_ref() == Some(id))
    });
    let (Some(user_id), Some(index)) = (user_id, index) else {
        return msg::UNKNOWN_USER_ID;
    };
    // Not trimmed: a space is a character the policy refuses.
    let raw = |original: &str| ctx.form.get(ctx.fields.name(original)).unwrap_or("");
    let new = raw(TXT_NEW).to_owned();
    if UserIdPassword::parse(&new).is_err() {
        return msg::PASSWORD_POLICY;
    }
    if raw(TXT_CONFIRMATION) != new {
        return msg::CONFIRMATION_MISMATCH;
    }
    let now = ctx.now;
    let wording = ctx.inner.wording;
    let Some(enterprise) = ctx.inner.enterprise_mut(&tax_code) else {
        return msg::INVALID_INPUT;
    };
    let current = enterprise.user_passwords.get(user_id.as_str());
    if current.map(ScenarioSecret::expose) == Some(new.as_str()) {
        return wording.password_same();
    }
    enterprise
        .user_passwords
        .insert(user_id.as_str().to_owned(), ScenarioSecret::new(&new));
    if let Some(declarant) = enterprise.state.declarants.get_mut(index) {
        declarant.password_changed_at = Some(now);
        declarant.password_usable_from = Some(password_usable_from(now));
    }
    ctx.inner.took_effect(Operation::PasswordChange);
    wording.password_changed()
}

/// The page.
pub(super) fn render(ctx: &mut Ctx, message: Option<&str>) -> Reply {
    let mut c = Controls::new(ctx.fields);
    let mut content = heading("CẤP MỚI PASSWORD CHO NGƯỜI SỬ DỤNG (USER ID)");
    content.push_str(&html::message(message));
    content.push_str(
        "                <table class=\"bang-nhap\" cellpadding=\"3\" cellspacing=\"0\">\n",
    );
    content.push_str(&c.text_row("User ID", TXT_USER_ID, ctx.value(TXT_USER_ID)));
    content.push_str(&c.password_row("Mật khẩu mới", TXT_NEW));
    content.push_str(&c.password_row("Xác nhận mật khẩu", TXT_CONFIRMATION));
    content.push_str(&format!(
        "                <tr><td></td><td>{}</td></tr>\n                </table>\n                <p class=\"ghi-chu\">Mật khẩu chỉ gồm chữ cái A-Z và chữ số 0-9 (theo yêu cầu phía Nhật), tối đa 8 ký tự.</p>\n",
        c.button(BTN_CHANGE, "Cấp password mới")
    ));
    Reply::View(Box::new(View {
        title: "Cấp mới password cho người sử dụng",
        content,
        events: c.into_events(),
        data: memory(()),
    }))
}

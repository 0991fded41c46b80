//! The screens: routing each request to its screen's handler, and the operation it is (for the
//! fault plan). What a handler sees and returns is in `ctx.rs`.

mod account;
mod admin;
mod ctx;
mod oe2102;
mod oe4001;
mod oe4002;
mod password;
mod register;

use super::faults::Operation;
use super::fields::Fields;
use super::viewstate;

pub(super) use ctx::{Ctx, Form, Page, Reply, View};

impl Page {
    /// The operation (fault point) a request to this page is.
    pub fn operation(self, post: bool, form: &Form, fields: &Fields) -> Option<Operation> {
        let pressed = |button: &str| form.get(fields.name(button)).is_some();
        let target = |grid: &str| form.get(viewstate::EVENT_TARGET) == Some(fields.name(grid));
        let op = match (self, post) {
            (Page::Register, false) => Operation::RegisterPage,
            (Page::Register, true) if pressed(register::BTN_VIEW) => Operation::RegisterView,
            (Page::Register, true) if pressed(register::BTN_VIEW_CERTIFICATE) => {
                Operation::RegisterViewCertificate
            }
            (Page::Register, true) if pressed(register::BTN_REGISTER) => Operation::RegisterSubmit,
            (Page::Register, true) => Operation::RegisterPage,
            (Page::Captcha, _) => Operation::Captcha,
            (Page::Admin, true) if pressed(admin::BTN_CONFIRM) => Operation::ConfirmUsers,
            (Page::Admin, true) if pressed(admin::BTN_UPDATE) => Operation::AdminUpdate,
            (Page::Admin, _) => Operation::AdminPage,
            (Page::Login, false) => Operation::LoginPage,
            (Page::Login, true) => Operation::Login,
            (Page::Logout | Page::Entry, _) => return None,
            (Page::Home, _) => Operation::Home,
            (Page::ForgotPassword, false) => Operation::ForgotPasswordPage,
            (Page::ForgotPassword, true) => Operation::ForgotPassword,
            (Page::Oe2102, true) if target(oe2102::GRID) => Operation::DeclarantSelect,
            (Page::Oe2102, true) if pressed(oe2102::BTN_READ) => {
                Operation::DeclarantReadCertificate
            }
            (Page::Oe2102, true) if pressed(oe2102::BTN_SAVE) => Operation::DeclarantSave,
            (Page::Oe2102, _) => Operation::Oe2102Page,
            (Page::Oe4001, true) if pressed(oe4001::BTN_SEARCH) => Operation::Search,
            (Page::Oe4001, true) if target(oe4001::GRID) => Operation::SendOpen,
            (Page::Oe4001, true) if pressed(oe4001::BTN_SIGN) => Operation::SendSign,
            (Page::Oe4001, true) if pressed(oe4001::BTN_SEND) => Operation::Send,
            (Page::Oe4001, _) => Operation::Oe4001Page,
            (Page::Oe4002, _) => Operation::Oe4002,
            (Page::Password, false) => Operation::PasswordPage,
            (Page::Password, true) => Operation::PasswordChange,
        };
        Some(op)
    }
}

/// Handles a GET.
pub(super) fn get(page: Page, ctx: &mut Ctx) -> Reply {
    match page {
        Page::Register => register::get(ctx),
        Page::Captcha => register::captcha(ctx),
        Page::Admin => admin::render(ctx, admin::Data::default(), None),
        Page::Login => account::login_get(ctx),
        Page::Logout => account::logout(ctx),
        Page::Home => account::home(ctx),
        Page::ForgotPassword => account::forgot_render(ctx, None),
        Page::Oe2102 => oe2102::render(ctx, oe2102::Data::default(), None),
        Page::Oe4001 => oe4001::render(ctx, oe4001::Data::default(), None),
        Page::Oe4002 => oe4002::render(ctx, false),
        Page::Password => password::render(ctx, None),
        Page::Entry => account::entry(),
    }
}

/// Handles a POST (its viewstate already checked).
pub(super) fn post(page: Page, ctx: &mut Ctx) -> Reply {
    match page {
        Page::Register => register::post(ctx),
        Page::Admin => admin::post(ctx),
        Page::Login => account::login_post(ctx),
        Page::ForgotPassword => account::forgot_post(ctx),
        Page::Oe2102 => oe2102::post(ctx),
        Page::Oe4001 => oe4001::post(ctx),
        Page::Oe4002 => oe4002::post(ctx),
        Page::Password => password::post(ctx),
        Page::Home | Page::Captcha | Page::Logout | Page::Entry => get(page, ctx),
    }
}

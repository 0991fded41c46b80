//! The site profile: every URL, form field name, button, CSS selector, grid column and message
//! text of the two customs websites, kept as data (`profile.toml`). A caller's file is an overlay
//! of the compiled-in default when the real site changes: it holds only what changed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use url::Url;

use super::css::{self, Css};
use super::error::PortalError;
use super::layout::ItemKind;
use super::refusal::PortalRefusal;
use crate::{Error, Result};

/// The default profile, compiled in.
const DEFAULT: &str = include_str!("profile.toml");

/// How the client reads and drives the portal's pages (see `profile.toml` for the format).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SiteProfile {
    name: String,
    pub(crate) sites: Sites,
    pub(crate) webforms: WebForms,
    pub(crate) common: Common,
    pub(crate) pages: Pages,
    pub(crate) messages: Messages,
}

impl Default for SiteProfile {
    /// The compiled-in profile of the modeled portal.
    fn default() -> Self {
        // The compiled-in text is checked by the unit tests; should it ever fail, the error
        // names the problem instead of panicking at a caller.
        match Self::from_toml(DEFAULT) {
            Ok(profile) => profile,
            Err(e) => unreachable!("the compiled-in site profile is invalid: {e}"),
        }
    }
}

impl SiteProfile {
    /// Reads a profile from TOML text and checks it: every selector parses (once, here), every
    /// grid lists the columns the client reads, every refusal names a known code.
    pub fn from_toml(text: &str) -> Result<Self> {
        let profile: SiteProfile = toml::from_str(text).map_err(|e| {
            Error::Portal(PortalError::SiteProfile {
                reason: e.to_string().trim().to_owned(),
            })
        })?;
        profile.validate()?;
        Ok(profile)
    }

    /// Reads a whole profile from a TOML file.
    pub fn from_file(path: &Path) -> Result<Self> {
        Self::from_toml(&read(path)?)
    }

    /// The built-in profile with the TOML `overlay` merged over it, table by table: a table of
    /// the overlay merges key by key into the built-in one, any other value (a string, a list)
    /// replaces it. So an overlay holds only what changed, and a whole profile is an overlay of
    /// everything. A key the built-in profile does not have is an error (a misspelt key would
    /// otherwise be ignored), except new refusal texts under `messages.refusals`.
    pub fn from_overlay(overlay: &str) -> Result<Self> {
        Self::from_toml(&effective_toml(Some(overlay))?)
    }

    /// [`SiteProfile::from_overlay`] with the overlay read from a TOML file.
    pub fn from_overlay_file(path: &Path) -> Result<Self> {
        Self::from_overlay(&read(path)?)
    }

    /// The profile's name, e.g. `customs.gov.vn (2024)`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The registration site's base URL the profile names.
    pub fn registration_url(&self) -> &Url {
        &self.sites.registration
    }

    /// The VNACCS site's base URL the profile names.
    pub fn vnaccs_url(&self) -> &Url {
        &self.sites.vnaccs
    }

    fn validate(&self) -> Result<()> {
        let p = &self.pages;
        let grids: [(&str, &[String], &[&str]); 5] = [
            (
                "pages.admin.user_columns",
                &p.admin.user_columns,
                &["user_code", "full_name", "certificate_serial"],
            ),
            (
                "pages.oe2102.declarant_columns",
                &p.oe2102.declarant_columns,
                &[
                    "user_code",
                    "full_name",
                    "id_number",
                    "email",
                    "effective_date",
                    "certificate_serial",
                ],
            ),
            (
                "pages.oe4001.record_columns",
                &p.oe4001.record_columns,
                &["number", "kind", "status", "sent_at"],
            ),
            (
                "pages.oe4002.user_columns",
                &p.oe4002.user_columns,
                &[
                    "user_id",
                    "full_name",
                    "id_number",
                    "certificate_serial",
                    "effective_date",
                ],
            ),
            (
                "pages.oe4002.terminal_columns",
                &p.oe4002.terminal_columns,
                &["terminal_id", "access_key"],
            ),
        ];
        for (key, columns, needed) in grids {
            if let Some(missing) = needed.iter().find(|n| !columns.iter().any(|c| c == *n)) {
                return Err(Error::Portal(PortalError::SiteProfile {
                    reason: format!("{key} does not list the column {missing:?}"),
                }));
            }
        }
        for (key, template) in [
            ("pages.oe2102.select_argument", &p.oe2102.select_argument),
            ("pages.oe4001.send_argument", &p.oe4001.send_argument),
        ] {
            if !template.contains(INDEX) {
                return Err(Error::Portal(PortalError::SiteProfile {
                    reason: format!("{key} {template:?} has no {INDEX} placeholder"),
                }));
            }
        }
        for url in [&self.sites.registration, &self.sites.vnaccs] {
            if url.cannot_be_a_base() {
                return Err(Error::Portal(PortalError::SiteProfile {
                    reason: format!("the site URL {url} cannot be a base URL"),
                }));
            }
        }
        for page in self.pages.items() {
            let unknown = page.labels.into_iter().flat_map(|l| l.keys()).find(|key| {
                !page
                    .items
                    .iter()
                    .any(|(kind, k, _)| *kind == ItemKind::Field && *k == format!("fields.{key}"))
            });
            if let Some(key) = unknown {
                return Err(Error::Portal(PortalError::SiteProfile {
                    reason: format!(
                        "pages.{}.labels names `{key}`, not a field of the page",
                        page.key
                    ),
                }));
            }
        }
        if self
            .messages
            .refusals
            .keys()
            .any(|text| text.trim().is_empty())
        {
            return Err(Error::Portal(PortalError::SiteProfile {
                reason: "messages.refusals has an empty text".into(),
            }));
        }
        Ok(())
    }
}

/// The text of a profile file.
fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))
}

/// The effective profile's TOML text: the built-in profile with `overlay` (TOML text) merged
/// over it as [`SiteProfile::from_overlay`] does, checked; the built-in profile when `None`.
pub fn effective_toml(overlay: Option<&str>) -> Result<String> {
    let parse = |text: &str| {
        text.parse::<toml::Table>().map_err(|e| {
            Error::Portal(PortalError::SiteProfile {
                reason: e.to_string().trim().to_owned(),
            })
        })
    };
    let mut table = parse(DEFAULT)?;
    if let Some(overlay) = overlay {
        merge(&mut table, parse(overlay)?, "")?;
    }
    let text = toml::to_string(&table).map_err(|e| {
        Error::Portal(PortalError::SiteProfile {
            reason: e.to_string(),
        })
    })?;
    SiteProfile::from_toml(&text)?;
    Ok(text)
}

/// The tables whose keys are data (texts), not the profile's names: an overlay may add keys
/// (and to a page's `labels`, checked against the page's fields).
const OPEN_TABLES: [&str; 1] = ["messages.refusals"];

/// Whether an overlay may add `key` to the table at `path` that the built-in profile lacks:
/// keys of the open tables, a page's labels, and a button's optional `link`.
fn may_add(path: &str, key: &str) -> bool {
    OPEN_TABLES.contains(&path)
        || path.ends_with(".labels")
        || (key == "link" && path.starts_with("pages.") && path.contains(".buttons."))
}

/// Merges `overlay` into `base` at `path`: tables key by key, any other value replaced.
fn merge(base: &mut toml::Table, overlay: toml::Table, path: &str) -> Result<()> {
    for (key, value) in overlay {
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(value)) => {
                merge(inner, value, &at)?;
            }
            (None, _) if !may_add(path, &key) => {
                return Err(Error::Portal(PortalError::SiteProfile {
                    reason: format!("unknown key `{at}` (the built-in profile has no such key)"),
                }));
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
    Ok(())
}

/// The placeholder of a grid row's index in a postback argument template.
const INDEX: &str = "{index}";

/// A postback argument from a template such as `Select${index}`.
pub(crate) fn row_argument(template: &str, index: usize) -> String {
    template.replace(INDEX, &index.to_string())
}

/// Which of the two websites a page is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Site {
    Registration,
    Vnaccs,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Sites {
    #[serde(deserialize_with = "url_from_text")]
    pub registration: Url,
    #[serde(deserialize_with = "url_from_text")]
    pub vnaccs: Url,
}

fn url_from_text<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Url, D::Error> {
    let text = String::deserialize(d)?;
    Url::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct WebForms {
    pub form: Css,
    pub hidden_fields: Vec<String>,
    pub event_target: String,
    pub event_argument: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Common {
    pub message: Css,
    pub error_page: Css,
    pub error_text: Texts,
    pub maintenance_page: Css,
    pub maintenance_text: Texts,
    pub login_redirect_param: String,
    pub session_expired_text: Texts,
}

/// A portal message and its other wordings: a text matches when it contains any of them. In
/// the profile, one string or a list of strings; none may be empty.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Texts(Vec<String>);

impl Texts {
    /// Whether `text` contains one of the wordings.
    pub fn found_in(&self, text: &str) -> bool {
        self.0.iter().any(|t| text.contains(t.trim()))
    }
}

impl std::fmt::Display for Texts {
    /// The wordings, separated by " | ".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" | "))
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        let texts = match OneOrMany::deserialize(d)? {
            OneOrMany::One(text) => vec![text],
            OneOrMany::Many(texts) => texts,
        };
        if texts.is_empty() || texts.iter().any(|t| t.trim().is_empty()) {
            return Err(serde::de::Error::custom(
                "a message needs at least one wording, and no wording may be empty",
            ));
        }
        Ok(Texts(texts))
    }
}

/// The labels of a page's fields, by field key (`tax_code`): the text the page shows next to
/// the field.
pub(crate) type Labels = BTreeMap<String, String>;

/// A submit button: its `name` and its `value` (the caption); with `link`, a postback link of
/// that name instead (an ASP.NET `LinkButton`: the page has no submit button, the link posts
/// the form with its name as the event target).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Button {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub link: bool,
}

/// Where a page is: its site and its path.
pub(crate) trait PageLocation {
    /// The page's site.
    fn site(&self) -> Site;
    /// The page's path on its site.
    fn path(&self) -> &str;
}

macro_rules! located {
    ($($ty:ident),*) => {
        $(impl PageLocation for $ty {
            fn site(&self) -> Site {
                self.site
            }
            fn path(&self) -> &str {
                &self.path
            }
        })*
    };
}
located!(
    RegisterPage,
    AdminPage,
    LoginPage,
    HomePage,
    ForgotPasswordPage,
    Oe2102Page,
    Oe4001Page,
    Oe4002Page,
    PasswordPage
);

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Pages {
    pub register: RegisterPage,
    pub admin: AdminPage,
    pub login: LoginPage,
    pub home: HomePage,
    pub forgot_password: ForgotPasswordPage,
    pub oe2102: Oe2102Page,
    pub oe4001: Oe4001Page,
    pub oe4002: Oe4002Page,
    pub password: PasswordPage,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct RegisterPage {
    pub site: Site,
    pub path: String,
    pub captcha_image: Css,
    pub enterprise_name: Css,
    pub certificate_serial: Css,
    pub fields: RegisterFields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: RegisterButtons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct RegisterFields {
    pub tax_code: String,
    pub representative_id: String,
    pub captcha: String,
    pub certificate: String,
    pub valid_from: String,
    pub valid_to: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct RegisterButtons {
    pub view: Button,
    pub view_certificate: Button,
    pub register: Button,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct AdminPage {
    pub site: Site,
    pub path: String,
    pub user_rows: Css,
    pub user_columns: Vec<String>,
    pub fields: AdminFields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: AdminButtons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct AdminFields {
    pub tax_code: String,
    pub email: String,
    pub password: String,
    pub password_confirmation: String,
    pub certificate: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct AdminButtons {
    pub update_certificate: Button,
    pub confirm_users: Button,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct LoginPage {
    pub site: Site,
    pub path: String,
    pub challenge: String,
    pub fields: LoginFields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: LoginButtons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct LoginFields {
    pub tax_code: String,
    pub password: String,
    pub certificate: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct LoginButtons {
    pub login: Button,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct HomePage {
    pub site: Site,
    pub path: String,
    pub logged_in: Css,
    /// The serial of the admin account's certificate; `None` (empty in the profile) when the site
    /// does not show it.
    #[serde(default, deserialize_with = "css::optional")]
    pub admin_certificate: Option<Css>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ForgotPasswordPage {
    pub site: Site,
    pub path: String,
    pub fields: ForgotPasswordFields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: ForgotPasswordButtons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ForgotPasswordFields {
    pub tax_code: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ForgotPasswordButtons {
    pub send: Button,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe2102Page {
    pub site: Site,
    pub path: String,
    pub declarants_tab: String,
    pub declarant_rows: Css,
    pub declarant_columns: Vec<String>,
    pub declarant_grid: String,
    pub select_argument: String,
    pub fields: Oe2102Fields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: Oe2102Buttons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe2102Fields {
    pub full_name: String,
    pub id_number: String,
    pub email: String,
    pub effective_date: String,
    pub certificate: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe2102Buttons {
    pub save: Button,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe4001Page {
    pub site: Site,
    pub path: String,
    pub record_rows: Css,
    pub record_columns: Vec<String>,
    pub record_grid: String,
    pub send_argument: String,
    pub send_dialog: Css,
    pub send_record_number: Css,
    pub fields: Oe4001Fields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: Oe4001Buttons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe4001Fields {
    pub new_registration: String,
    pub amendment: String,
    pub sender_name: String,
    pub sender_email: String,
    pub office: String,
    pub certificate: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe4001Buttons {
    pub search: Button,
    pub send: Button,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Oe4002Page {
    pub site: Site,
    pub path: String,
    pub users_tab: String,
    pub terminals_tab: String,
    pub user_rows: Css,
    pub user_columns: Vec<String>,
    pub terminal_rows: Css,
    pub terminal_columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct PasswordPage {
    pub site: Site,
    pub path: String,
    pub fields: PasswordFields,
    /// The labels the page shows for its fields, by field key, as the guides give them (for
    /// the candidates of a renamed field).
    #[serde(default)]
    pub labels: Labels,
    pub buttons: PasswordButtons,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct PasswordFields {
    pub user_id: String,
    pub new_password: String,
    pub confirmation: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct PasswordButtons {
    pub change: Button,
}

/// One page of the profile as [`super::check`] checks it: its key, its path, its items and
/// the labels of its fields.
pub(crate) struct PageItems<'a> {
    pub key: &'static str,
    pub path: &'a str,
    /// Each item: its kind, its key in the page's table, and its name (an HTML name or a
    /// CSS selector).
    pub items: Vec<(ItemKind, String, String)>,
    /// The labels of its fields, by field key.
    pub labels: Option<&'a Labels>,
    /// The names of its buttons that are postback links (`link = true`).
    pub links: Vec<String>,
}

impl PageItems<'_> {
    /// The label of the item keyed `key` (`fields.tax_code`), if the profile gives one.
    pub(crate) fn label(&self, key: &str) -> Option<&str> {
        let field = key.strip_prefix("fields.")?;
        self.labels?.get(field).map(String::as_str)
    }
}

impl Pages {
    /// Every page of the profile with its fields, buttons and selectors.
    pub(crate) fn items(&self) -> Vec<PageItems<'_>> {
        fn f(key: &str, name: &str) -> (ItemKind, String, String) {
            (ItemKind::Field, format!("fields.{key}"), name.to_owned())
        }
        fn b(key: &str, button: &Button) -> (ItemKind, String, String) {
            (
                ItemKind::Button,
                format!("buttons.{key}"),
                button.name.clone(),
            )
        }
        fn c(key: &str, css: &Css) -> (ItemKind, String, String) {
            (ItemKind::Selector, key.to_owned(), css.to_string())
        }
        let (r, a, l, h, fp) = (
            &self.register,
            &self.admin,
            &self.login,
            &self.home,
            &self.forgot_password,
        );
        let (o2, o1, o2b, pw) = (&self.oe2102, &self.oe4001, &self.oe4002, &self.password);
        let page = |key, path, items, labels, buttons: &[&Button]| PageItems {
            key,
            path,
            items,
            labels,
            links: buttons
                .iter()
                .filter(|b| b.link)
                .map(|b| b.name.clone())
                .collect(),
        };
        let mut home = vec![c("logged_in", &h.logged_in)];
        home.extend(
            h.admin_certificate
                .as_ref()
                .map(|css| c("admin_certificate", css)),
        );
        vec![
            page(
                "register",
                &r.path,
                vec![
                    f("tax_code", &r.fields.tax_code),
                    f("representative_id", &r.fields.representative_id),
                    f("captcha", &r.fields.captcha),
                    f("certificate", &r.fields.certificate),
                    f("valid_from", &r.fields.valid_from),
                    f("valid_to", &r.fields.valid_to),
                    f("signature", &r.fields.signature),
                    b("view", &r.buttons.view),
                    b("view_certificate", &r.buttons.view_certificate),
                    b("register", &r.buttons.register),
                    c("captcha_image", &r.captcha_image),
                    c("enterprise_name", &r.enterprise_name),
                    c("certificate_serial", &r.certificate_serial),
                ],
                Some(&r.labels),
                &[
                    &r.buttons.view,
                    &r.buttons.view_certificate,
                    &r.buttons.register,
                ],
            ),
            page(
                "admin",
                &a.path,
                vec![
                    f("tax_code", &a.fields.tax_code),
                    f("email", &a.fields.email),
                    f("password", &a.fields.password),
                    f("password_confirmation", &a.fields.password_confirmation),
                    f("certificate", &a.fields.certificate),
                    f("signature", &a.fields.signature),
                    b("update_certificate", &a.buttons.update_certificate),
                    b("confirm_users", &a.buttons.confirm_users),
                    c("user_rows", &a.user_rows),
                ],
                Some(&a.labels),
                &[&a.buttons.update_certificate, &a.buttons.confirm_users],
            ),
            page(
                "login",
                &l.path,
                vec![
                    (ItemKind::Field, "challenge".into(), l.challenge.clone()),
                    f("tax_code", &l.fields.tax_code),
                    f("password", &l.fields.password),
                    f("certificate", &l.fields.certificate),
                    f("signature", &l.fields.signature),
                    b("login", &l.buttons.login),
                ],
                Some(&l.labels),
                &[&l.buttons.login],
            ),
            page("home", &h.path, home, None, &[]),
            page(
                "forgot_password",
                &fp.path,
                vec![
                    f("tax_code", &fp.fields.tax_code),
                    f("email", &fp.fields.email),
                    b("send", &fp.buttons.send),
                ],
                Some(&fp.labels),
                &[&fp.buttons.send],
            ),
            page(
                "oe2102",
                &o2.path,
                vec![
                    f("full_name", &o2.fields.full_name),
                    f("id_number", &o2.fields.id_number),
                    f("email", &o2.fields.email),
                    f("effective_date", &o2.fields.effective_date),
                    f("certificate", &o2.fields.certificate),
                    b("save", &o2.buttons.save),
                    c("declarant_rows", &o2.declarant_rows),
                ],
                Some(&o2.labels),
                &[&o2.buttons.save],
            ),
            page(
                "oe4001",
                &o1.path,
                vec![
                    f("new_registration", &o1.fields.new_registration),
                    f("amendment", &o1.fields.amendment),
                    f("sender_name", &o1.fields.sender_name),
                    f("sender_email", &o1.fields.sender_email),
                    f("office", &o1.fields.office),
                    f("certificate", &o1.fields.certificate),
                    f("signature", &o1.fields.signature),
                    b("search", &o1.buttons.search),
                    b("send", &o1.buttons.send),
                    c("record_rows", &o1.record_rows),
                    c("send_dialog", &o1.send_dialog),
                    c("send_record_number", &o1.send_record_number),
                ],
                Some(&o1.labels),
                &[&o1.buttons.search, &o1.buttons.send],
            ),
            page(
                "oe4002",
                &o2b.path,
                vec![
                    c("user_rows", &o2b.user_rows),
                    c("terminal_rows", &o2b.terminal_rows),
                ],
                None,
                &[],
            ),
            page(
                "password",
                &pw.path,
                vec![
                    f("user_id", &pw.fields.user_id),
                    f("new_password", &pw.fields.new_password),
                    f("confirmation", &pw.fields.confirmation),
                    b("change", &pw.buttons.change),
                ],
                Some(&pw.labels),
                &[&pw.buttons.change],
            ),
        ]
    }
}

impl Messages {
    /// Whether `text` (a message a page shows) contains one of the profile's messages.
    pub(crate) fn knows(&self, text: &str) -> bool {
        let s = &self.success;
        [
            &s.register,
            &s.admin_update,
            &s.users_confirmed,
            &s.declarant_saved,
            &s.sent,
            &s.password_same,
            &s.password_changed,
            &s.forgot_password,
            &s.no_records,
        ]
        .iter()
        .any(|t| t.found_in(text))
            || self.refusals.keys().any(|r| text.contains(r.trim()))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Messages {
    pub success: Successes,
    pub refusals: BTreeMap<String, PortalRefusal>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Successes {
    pub register: Texts,
    pub admin_update: Texts,
    pub users_confirmed: Texts,
    pub declarant_saved: Texts,
    pub sent: Texts,
    pub password_same: Texts,
    pub password_changed: Texts,
    pub forgot_password: Texts,
    pub no_records: Texts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_holds_only_what_changed() {
        let overlay = "[pages.oe4001.fields]\noffice = \"ctl00$MainContent$txtMaCucHQ\"\n";
        let merged = SiteProfile::from_overlay(overlay).unwrap();
        let whole = SiteProfile::from_toml(&DEFAULT.replace(
            "ctl00$MainContent$txtMaHaiQuan",
            "ctl00$MainContent$txtMaCucHQ",
        ))
        .unwrap();
        assert_eq!(merged, whole);
        assert_ne!(merged, SiteProfile::default());
        // Nothing, or the whole profile, as an overlay is the built-in profile.
        assert_eq!(
            SiteProfile::from_overlay("").unwrap(),
            SiteProfile::default()
        );
        assert_eq!(
            SiteProfile::from_overlay(DEFAULT).unwrap(),
            SiteProfile::default()
        );
        assert_eq!(
            SiteProfile::from_toml(&effective_toml(None).unwrap()).unwrap(),
            SiteProfile::default()
        );
        // A list replaces, a new refusal text is added.
        let overlay = "[messages.success]\nsent = [\"Đã chuyển bản khai\"]\n[messages.refusals]\n\"Sai mã\" = \"wrong_captcha\"\n";
        let p = SiteProfile::from_overlay(overlay).unwrap();
        assert_eq!(p.messages.success.sent.to_string(), "Đã chuyển bản khai");
        assert_eq!(
            p.messages.refusals.len(),
            SiteProfile::default().messages.refusals.len() + 1
        );
    }

    #[test]
    fn an_overlay_with_an_unknown_key_or_a_bad_value_is_a_profile_error() {
        for (overlay, says) in [
            (
                "[pages.oe4001.fileds]\noffice = \"x\"\n",
                "pages.oe4001.fileds",
            ),
            ("[pages.oe4001]\nrecord_rows = \"<<\"\n", "<<"),
            ("[pages.oe4001.fields\n", "TOML"),
        ] {
            let err = SiteProfile::from_overlay(overlay).unwrap_err();
            assert_eq!(err.code(), "site_profile", "{overlay}");
            assert!(err.to_string().contains(says) || says == "TOML", "{err}");
        }
    }

    #[test]
    fn an_overlay_may_make_a_button_a_link_and_add_labels_but_nothing_else() {
        let overlay = "[pages.login.buttons.login]\nlink = true\n[pages.oe4001.labels]\noffice = \"Mã cục HQ\"\n";
        let p = SiteProfile::from_overlay(overlay).unwrap();
        let login = &p.pages.login.buttons.login;
        assert!(login.link);
        assert_eq!(login.name, "ctl00$MainContent$btnDangNhap");
        assert!(!SiteProfile::default().pages.login.buttons.login.link);
        assert_eq!(p.pages.oe4001.labels["office"], "Mã cục HQ");
        assert_eq!(p.pages.oe4001.labels["sender_name"], "Tên người gửi");
        for overlay in [
            "[pages.login]\nlink = true\n",
            "[pages.login.buttons.login]\nlinked = true\n",
        ] {
            let err = SiteProfile::from_overlay(overlay).unwrap_err();
            assert!(err.to_string().contains("unknown key"), "{err}");
        }
    }

    #[test]
    fn the_default_profile_loads() {
        let p = SiteProfile::default();
        assert_eq!(p.name(), "customs.gov.vn (2024)");
        assert_eq!(p.pages.register.path, "/Pages/DangKyChuKySo.aspx");
        assert_eq!(p.pages.register.site, Site::Registration);
        assert_eq!(p.pages.oe4001.site, Site::Vnaccs);
        assert_eq!(
            p.messages.refusals.get("Mã xác nhận không đúng"),
            Some(&PortalRefusal::WrongCaptcha)
        );
        assert_eq!(
            p.messages.refusals.get("Mã Hải quan không hợp lệ"),
            Some(&PortalRefusal::OfficeRefused)
        );
        assert_eq!(row_argument(&p.pages.oe2102.select_argument, 3), "Select$3");
        assert_eq!(row_argument(&p.pages.oe4001.send_argument, 0), "Gui$0");
    }

    #[test]
    fn every_refusal_of_the_default_profile_is_known_and_every_code_is_used() {
        let p = SiteProfile::default();
        for refusal in PortalRefusal::ALL {
            assert!(
                p.messages.refusals.values().any(|r| r == refusal),
                "{refusal:?} has no text in the default profile"
            );
        }
    }

    #[test]
    fn an_empty_or_absent_admin_certificate_selector_is_none() {
        let shown = "admin_certificate = \"#MainContent_lblSerialCKS\"";
        assert!(
            SiteProfile::default()
                .pages
                .home
                .admin_certificate
                .is_some()
        );
        for replacement in ["admin_certificate = \"  \"", ""] {
            let text = DEFAULT.replace(shown, replacement);
            let profile = SiteProfile::from_toml(&text).unwrap();
            assert_eq!(profile.pages.home.admin_certificate, None);
        }
    }

    #[test]
    fn a_bad_selector_is_a_profile_error() {
        let text = DEFAULT.replace(
            "message = \"#MainContent_lblThongBao\"",
            "message = \"#MainContent_lblThongBao[\"",
        );
        let err = SiteProfile::from_toml(&text).unwrap_err();
        assert_eq!(err.code(), "site_profile");
        // Rejected at load, where the profile says it: the line and the selector.
        let line = DEFAULT
            .lines()
            .position(|l| l.starts_with("message = \"#MainContent_lblThongBao\""))
            .unwrap()
            + 1;
        assert!(err.to_string().contains(&format!("line {line}")), "{err}");
        assert!(
            err.to_string()
                .contains("\"#MainContent_lblThongBao[\" does not parse"),
            "{err}"
        );
        let text = DEFAULT.replace(
            "admin_certificate = \"#MainContent_lblSerialCKS\"",
            "admin_certificate = \"#x[\"",
        );
        let err = SiteProfile::from_toml(&text).unwrap_err();
        assert!(err.to_string().contains("\"#x[\" does not parse"), "{err}");
    }

    #[test]
    fn an_unknown_refusal_code_or_a_missing_key_is_a_profile_error() {
        let text = DEFAULT.replace("= \"office_refused\"", "= \"office_on_fire\"");
        let err = SiteProfile::from_toml(&text).unwrap_err();
        assert_eq!(err.code(), "site_profile");
        let text = DEFAULT.replace("path = \"/Pages/OE4002.aspx\"", "");
        assert_eq!(
            SiteProfile::from_toml(&text).unwrap_err().code(),
            "site_profile"
        );
        assert_eq!(
            SiteProfile::from_toml("= =").unwrap_err().code(),
            "site_profile"
        );
    }

    #[test]
    fn a_grid_without_a_needed_column_is_a_profile_error() {
        let text = DEFAULT.replace(
            "terminal_columns = [\"terminal_id\", \"access_key\"]",
            "terminal_columns = [\"terminal_id\"]",
        );
        let err = SiteProfile::from_toml(&text).unwrap_err();
        assert!(err.to_string().contains("access_key"), "{err}");
    }

    #[test]
    fn messages_are_lists_of_wordings_and_a_single_string_still_reads() {
        let p = SiteProfile::default();
        let success = &p.messages.success;
        // Seed 004's screenshots and its prose; seed 003 and seeds 000/001.
        assert!(
            success
                .password_same
                .found_in("Mật khẩu mới không được trùng với mật khẩu cũ.")
        );
        assert!(
            success
                .password_same
                .found_in("Mật khẩu trùng với mật khẩu cũ")
        );
        assert!(
            success
                .password_changed
                .found_in("Cập nhật mật khẩu thành công.")
        );
        assert!(
            success
                .password_changed
                .found_in("Cấp password mới thành công")
        );
        assert!(success.sent.found_in("Đã gửi bản khai đến Hải quan"));
        assert!(success.sent.found_in("Đã gửi bản khai cho Hải quan"));
        assert!(
            !success
                .password_changed
                .found_in("Mật khẩu trùng với mật khẩu cũ")
        );
        // A profile written before the lists: one string per message.
        let old = DEFAULT.replace(
            "sent = [\"Đã gửi bản khai cho Hải quan\", \"Đã gửi bản khai đến Hải quan\"]",
            "sent = \"Đã gửi bản khai cho Hải quan\"",
        );
        assert_ne!(old, DEFAULT);
        let p = SiteProfile::from_toml(&old).unwrap();
        assert!(
            p.messages
                .success
                .sent
                .found_in("Đã gửi bản khai cho Hải quan")
        );
        assert!(
            !p.messages
                .success
                .sent
                .found_in("Đã gửi bản khai đến Hải quan")
        );
        let empty = DEFAULT.replace(
            "sent = [\"Đã gửi bản khai cho Hải quan\", \"Đã gửi bản khai đến Hải quan\"]",
            "sent = []",
        );
        assert_eq!(
            SiteProfile::from_toml(&empty).unwrap_err().code(),
            "site_profile"
        );
    }

    #[test]
    fn the_two_sites_are_where_the_guides_put_them() {
        let p = SiteProfile::default();
        // Screen A is on customs.gov.vn; the VNACCS user-registration site is dknsd, whose
        // enterprise entry seed 002 gives as 103.248.160.14/Pages/dn.aspx.
        assert_eq!(p.registration_url().as_str(), "https://www.customs.gov.vn/");
        assert_eq!(p.vnaccs_url().as_str(), "https://dknsd.customs.gov.vn/");
        assert_eq!(p.pages.register.site, Site::Registration);
        assert_ne!(p.pages.register.path, "/Pages/dn.aspx");
        assert_eq!(p.pages.login.site, Site::Vnaccs);
    }

    #[test]
    fn a_renamed_field_is_read_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.toml");
        let text = DEFAULT.replace(
            "ctl00$MainContent$txtMaHaiQuan",
            "ctl00$MainContent$txtMaHQ",
        );
        std::fs::write(&path, text).unwrap();
        let p = SiteProfile::from_file(&path).unwrap();
        assert_eq!(p.pages.oe4001.fields.office, "ctl00$MainContent$txtMaHQ");
        let missing = SiteProfile::from_file(&dir.path().join("none.toml")).unwrap_err();
        assert_eq!(missing.code(), "io_error");
    }
}

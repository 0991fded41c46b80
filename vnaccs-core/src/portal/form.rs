//! ASP.NET WebForms: a page's form with every field, and the body of a postback.

use url::Url;
use zeroize::Zeroize;

use super::error::PortalError;
use super::layout::{ItemKind, MissingItem, Operation};
use super::page::{Page, selector};
use super::profile::{Button, SiteProfile};
use crate::Result;

/// A field the form posts.
#[derive(Clone, PartialEq, Eq)]
struct Field {
    name: String,
    value: String,
    /// `Some(checked)` for a checkbox or radio button: posted only when checked.
    checked: Option<bool>,
}

/// A page's WebForms form: where it posts and the fields it posts back. Its `Debug` shows the
/// fields' names and lengths, never their values (a password may be among them).
#[derive(Clone)]
pub(crate) struct Form {
    page: String,
    /// The page's fingerprint and message, for [`PortalError::PortalLayoutChanged`].
    fingerprint: String,
    message: Option<String>,
    /// Where the form posts.
    pub action: Url,
    fields: Vec<Field>,
    /// The submit buttons: each one's name and the value (caption) the page gives it.
    buttons: Vec<(String, Option<String>)>,
    /// The postback links (`__doPostBack(target, argument)`) the page offers.
    links: Vec<(String, String)>,
    event_target: String,
    event_argument: String,
    /// The fields whose values are secrets (password inputs, the captcha answer).
    secrets: Vec<String>,
}

/// The `application/x-www-form-urlencoded` pairs of a postback. Not `Debug`: it can hold secrets.
pub(crate) struct Postback {
    /// Where to post.
    pub action: Url,
    /// The pairs, in the page's order.
    pub pairs: Vec<(String, String)>,
    /// The fields whose values are secrets, redacted in a capture.
    secrets: Vec<String>,
}

impl Form {
    /// Reads the profile's form from `page`: every input (text, hidden, password, checked
    /// checkbox or radio), select and textarea, and the names of its submit buttons. The page
    /// must carry every hidden WebForms field of the profile.
    pub fn parse(page: &Page, profile: &SiteProfile) -> Result<Form> {
        let webforms = &profile.webforms;
        let form = page.first(&webforms.form).ok_or_else(|| {
            page.layout_changed(
                profile,
                vec![MissingItem::new(
                    ItemKind::Selector,
                    webforms.form.to_string(),
                )],
            )
        })?;
        let action = match form.value().attr("action").map(str::trim) {
            Some(action) if !action.is_empty() => page
                .url
                .join(action)
                .map_err(|e| page.unexpected(format!("form action {action:?}: {e}")))?,
            _ => page.url.clone(),
        };
        let mut fields = Vec::new();
        let mut buttons = Vec::new();
        let p = &profile.pages;
        let mut secrets: Vec<String> = [
            &p.register.fields.captcha,
            &p.admin.fields.password,
            &p.admin.fields.password_confirmation,
            &p.login.fields.password,
            &p.password.fields.new_password,
            &p.password.fields.confirmation,
        ]
        .into_iter()
        .cloned()
        .collect();
        for element in form.select(&selector("input, select, textarea")?) {
            let e = element.value();
            let Some(name) = e.attr("name").filter(|n| !n.is_empty()) else {
                continue;
            };
            if e.attr("disabled").is_some() {
                continue;
            }
            let name = name.to_owned();
            match e.name() {
                "select" => {
                    let options: Vec<_> = element.select(&selector("option")?).collect();
                    let chosen = options
                        .iter()
                        .find(|o| o.value().attr("selected").is_some())
                        .or(options.first());
                    let value = chosen.map(|o| {
                        o.value()
                            .attr("value")
                            .map_or_else(|| super::page::text_of(*o), str::to_owned)
                    });
                    fields.push(Field {
                        name,
                        value: value.unwrap_or_default(),
                        checked: None,
                    });
                }
                "textarea" => fields.push(Field {
                    name,
                    value: element.text().collect(),
                    checked: None,
                }),
                _ => {
                    let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
                    match kind.as_str() {
                        "submit" | "button" | "image" | "reset" => {
                            buttons.push((name, e.attr("value").map(str::to_owned)));
                        }
                        "file" => {}
                        "password" => {
                            secrets.push(name.clone());
                            fields.push(Field {
                                name,
                                value: e.attr("value").unwrap_or_default().to_owned(),
                                checked: None,
                            });
                        }
                        "checkbox" | "radio" => fields.push(Field {
                            name,
                            value: e.attr("value").unwrap_or("on").to_owned(),
                            checked: Some(e.attr("checked").is_some()),
                        }),
                        _ => fields.push(Field {
                            name,
                            value: e.attr("value").unwrap_or_default().to_owned(),
                            checked: None,
                        }),
                    }
                }
            }
        }
        let links = form
            .select(&selector("a[href]")?)
            .filter_map(|a| a.value().attr("href").and_then(postback_link))
            .collect();
        let form = Form {
            page: page.name.clone(),
            fingerprint: page.fingerprint(profile),
            message: page
                .text(&profile.common.message)
                .filter(|text| !text.is_empty()),
            action,
            fields,
            buttons,
            links,
            event_target: webforms.event_target.clone(),
            event_argument: webforms.event_argument.clone(),
            secrets,
        };
        let hidden: Vec<&str> = webforms.hidden_fields.iter().map(String::as_str).collect();
        form.require(&hidden, &[])?;
        Ok(form)
    }

    /// Succeeds when the form has every field of `fields` and every button of `buttons`;
    /// otherwise the layout changed, naming each one missing. Called before a form is filled,
    /// so that one error names everything an operation lacks.
    pub fn require(&self, fields: &[&str], buttons: &[&Button]) -> Result<()> {
        let missing: Vec<MissingItem> = fields
            .iter()
            .filter(|name| self.value(name).is_none())
            .map(|name| MissingItem::new(ItemKind::Field, *name))
            .chain(
                buttons
                    .iter()
                    .filter(|b| !self.has_button(b))
                    .map(|b| MissingItem::new(ItemKind::Button, b.name.clone())),
            )
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(self.changed(missing))
        }
    }

    /// The layout changed: the form lacks `missing`.
    fn changed(&self, missing: Vec<MissingItem>) -> crate::Error {
        crate::Error::Portal(PortalError::PortalLayoutChanged {
            page: self.page.clone(),
            operation: Operation::current(),
            missing,
            message: self.message.clone(),
            fingerprint: self.fingerprint.clone(),
        })
    }

    /// The current value of field `name`, if the form has it.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }

    /// Sets field `name` (its old value wiped); the layout changed when the form has no such
    /// field.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        match self.fields.iter_mut().find(|f| f.name == name) {
            Some(field) => {
                field.value.zeroize();
                field.value.push_str(value);
                Ok(())
            }
            None => Err(self.changed(vec![MissingItem::new(ItemKind::Field, name)])),
        }
    }

    /// Sets field `name` when the form has it.
    pub fn set_if_present(&mut self, name: &str, value: &str) {
        if let Some(field) = self.fields.iter_mut().find(|f| f.name == name) {
            field.value.zeroize();
            field.value.push_str(value);
        }
    }

    /// Ticks or clears checkbox `name`; the layout changed when the form has no such checkbox.
    pub fn check(&mut self, name: &str, checked: bool) -> Result<()> {
        match self
            .fields
            .iter_mut()
            .find(|f| f.name == name && f.checked.is_some())
        {
            Some(field) => {
                field.checked = Some(checked);
                Ok(())
            }
            None => Err(self.changed(vec![MissingItem::new(ItemKind::Field, name)])),
        }
    }

    /// The postback of pressing `button`; the layout changed when the form has no such button.
    /// The button is found by the profile's name and posts the value the page gives it, as a
    /// browser does (the profile's caption only when the page gives none).
    ///
    /// A button the profile marks `link` is a postback link of that name (an ASP.NET
    /// `LinkButton`): pressing it posts the form with the link as the event target.
    pub fn click(&self, button: &Button) -> Result<Postback> {
        if button.link {
            if !self.offers(&button.name) {
                return Err(self.changed(vec![MissingItem::new(
                    ItemKind::Button,
                    button.name.clone(),
                )]));
            }
            return Ok(self.postback(&button.name, ""));
        }
        let Some((_, shown)) = self.buttons.iter().find(|(name, _)| *name == button.name) else {
            return Err(self.changed(vec![MissingItem::new(
                ItemKind::Button,
                button.name.clone(),
            )]));
        };
        let value = shown.as_ref().unwrap_or(&button.value).clone();
        let mut pairs = self.pairs("", "");
        pairs.push((button.name.clone(), value));
        Ok(Postback {
            action: self.action.clone(),
            pairs,
            secrets: self.secrets.clone(),
        })
    }

    /// Whether the form has `button`: a submit button of its name, or for a `link` button a
    /// postback link to it.
    fn has_button(&self, button: &Button) -> bool {
        if button.link {
            self.offers(&button.name)
        } else {
            self.buttons.iter().any(|(name, _)| *name == button.name)
        }
    }

    /// Whether the page offers a postback link to `target` (a tab not yet shown).
    pub fn offers(&self, target: &str) -> bool {
        self.links.iter().any(|(t, _)| t == target)
    }

    /// The postback of a link (`__doPostBack(target, argument)`): a tab, a grid row's command.
    pub fn postback(&self, target: &str, argument: &str) -> Postback {
        Postback {
            action: self.action.clone(),
            pairs: self.pairs(target, argument),
            secrets: self.secrets.clone(),
        }
    }

    /// Every field to post, with the event target and argument set (added when absent).
    fn pairs(&self, target: &str, argument: &str) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(self.fields.len() + 3);
        for (name, value) in [
            (&self.event_target, target),
            (&self.event_argument, argument),
        ] {
            if !self.fields.iter().any(|f| f.name == *name) {
                pairs.push((name.clone(), value.to_owned()));
            }
        }
        for field in &self.fields {
            if field.checked == Some(false) {
                continue;
            }
            let value = if field.name == self.event_target {
                target
            } else if field.name == self.event_argument {
                argument
            } else {
                &field.value
            };
            pairs.push((field.name.clone(), value.to_owned()));
        }
        pairs
    }
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|field| format!("{} ({} bytes)", field.name, field.value.len()))
            .collect();
        f.debug_struct("Form")
            .field("page", &self.page)
            .field("action", &self.action.as_str())
            .field("fields", &fields)
            .field(
                "buttons",
                &self.buttons.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

// Forms and postbacks hold the passwords typed into them: wipe them when dropped. (The request
// body handed to the HTTP client is its own buffer, wiped once sent.)
impl Drop for Form {
    fn drop(&mut self) {
        for field in &mut self.fields {
            field.value.zeroize();
        }
    }
}

impl Drop for Postback {
    fn drop(&mut self) {
        for (_, value) in &mut self.pairs {
            value.zeroize();
        }
    }
}

/// The target and argument of a `javascript:__doPostBack('target','argument')` link.
pub(super) fn postback_link(href: &str) -> Option<(String, String)> {
    const CALL: &str = "__doPostBack(";
    let start = href.find(CALL)? + CALL.len();
    let inner = &href[start..];
    let inner = &inner[..inner.rfind(')')?];
    let (target, argument) = inner.split_once(',')?;
    let unquote = |s: &str| s.trim().trim_matches(|c| c == '\'' || c == '"').to_owned();
    Some((unquote(target), unquote(argument)))
}

impl Postback {
    /// The body, `application/x-www-form-urlencoded` UTF-8, built in one buffer large enough
    /// from the start (no copy of a secret is left behind by a reallocation).
    pub fn body(&self) -> String {
        // Each byte encodes to at most three ("%XX"), plus "=" and "&" per pair.
        let bound = self
            .pairs
            .iter()
            .map(|(n, v)| 3 * (n.len() + v.len()) + 2)
            .sum();
        url::form_urlencoded::Serializer::new(String::with_capacity(bound))
            .extend_pairs(self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .finish()
    }

    /// The body with the values of its secret fields replaced by `[redacted]`, for a capture.
    pub fn redacted_body(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs.iter().map(|(n, v)| {
                let shown = if self.secrets.contains(n) {
                    super::har::REDACTED
                } else {
                    v.as_str()
                };
                (n.as_str(), shown)
            }))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
<form method="post" action="./OE4001.aspx?x=1" id="form1">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="dDwtMTA4NzY5OTc0Mzs7Pg==" />
</div>
<div class="aspNetHidden">
<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="CA0B0334" />
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEdAAe+k7ZY" />
</div>
<table><tr><td>
  <input name="ctl00$MainContent$chkDangKyMoi" type="checkbox" id="MainContent_chkDangKyMoi" />
  <input name="ctl00$MainContent$chkSuaSauPheDuyet" type="checkbox" checked="checked" />
  <input name="ctl00$MainContent$txtNguoiGui" type="text" value="Trần Thị Bình" />
  <input name="ctl00$MainContent$txtMatKhau" type="password" />
  <input name="ctl00$MainContent$txtKhoa" type="text" value="x" disabled="disabled" />
  <select name="ctl00$MainContent$ddlHaiQuan">
     <option value="01B1">Hà Nội</option><option value="02CI" selected="selected">TP HCM</option>
  </select>
  <textarea name="ctl00$MainContent$txtGhiChu">ghi chú</textarea>
  <input type="submit" name="ctl00$MainContent$btnTimKiem" value="Tìm kiếm" id="MainContent_btnTimKiem" />
</td></tr></table>
</form></body></html>"#;

    fn page(body: &str) -> Page {
        Page::new(
            "/Pages/OE4001.aspx",
            Url::parse("http://127.0.0.1:4000/Pages/OE4001.aspx").unwrap(),
            None,
            body,
        )
    }

    #[test]
    fn debug_never_shows_a_value() {
        let profile = SiteProfile::default();
        let mut form = Form::parse(&page(PAGE), &profile).unwrap();
        let name = form.fields[0].name.clone();
        form.set(&name, "MatKhauBiMat1").unwrap();
        let shown = format!("{form:?}");
        assert!(!shown.contains("MatKhauBiMat1"), "{shown}");
        assert!(shown.contains(&format!("{name} (13 bytes)")), "{shown}");
    }

    #[test]
    fn every_field_is_posted_back() {
        let profile = SiteProfile::default();
        let form = Form::parse(&page(PAGE), &profile).unwrap();
        assert_eq!(
            form.action.as_str(),
            "http://127.0.0.1:4000/Pages/OE4001.aspx?x=1"
        );
        let button = &profile.pages.oe4001.buttons.search;
        let post = form.click(button).unwrap();
        let names: Vec<_> = post
            .pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("__EVENTTARGET", ""),
                ("__EVENTARGUMENT", ""),
                ("__VIEWSTATE", "dDwtMTA4NzY5OTc0Mzs7Pg=="),
                ("__VIEWSTATEGENERATOR", "CA0B0334"),
                ("__EVENTVALIDATION", "/wEdAAe+k7ZY"),
                ("ctl00$MainContent$chkSuaSauPheDuyet", "on"),
                ("ctl00$MainContent$txtNguoiGui", "Trần Thị Bình"),
                ("ctl00$MainContent$txtMatKhau", ""),
                ("ctl00$MainContent$ddlHaiQuan", "02CI"),
                ("ctl00$MainContent$txtGhiChu", "ghi chú"),
                ("ctl00$MainContent$btnTimKiem", "Tìm kiếm"),
            ]
        );
        let body = post.body();
        assert!(
            body.contains("__VIEWSTATE=dDwtMTA4NzY5OTc0Mzs7Pg%3D%3D"),
            "{body}"
        );
        assert!(
            body.contains("ctl00%24MainContent%24btnTimKiem=T%C3%ACm+ki%E1%BA%BFm"),
            "{body}"
        );
    }

    #[test]
    fn a_button_posts_the_caption_the_page_shows() {
        // One guide's send dialog says "Ghi" where the others say "Gửi": the button is found by
        // the profile's name and posts what the page shows, as a browser does.
        let profile = SiteProfile::default();
        let send = &profile.pages.oe4001.buttons.send;
        assert_eq!(send.value, "Gửi");
        let body = PAGE.replace(
            "</td></tr></table>",
            &format!(
                "<input type=\"submit\" name=\"{}\" value=\"Ghi\" /></td></tr></table>",
                send.name
            ),
        );
        let form = Form::parse(&page(&body), &profile).unwrap();
        let post = form.click(send).unwrap();
        assert_eq!(
            post.pairs.last(),
            Some(&(send.name.clone(), "Ghi".to_owned()))
        );
        // With no value on the page, the profile's caption is posted.
        let bare = body.replace(" value=\"Ghi\"", "");
        let form = Form::parse(&page(&bare), &profile).unwrap();
        let post = form.click(send).unwrap();
        assert_eq!(
            post.pairs.last(),
            Some(&(send.name.clone(), "Gửi".to_owned()))
        );
    }

    #[test]
    fn overrides_checkboxes_and_postbacks() {
        let profile = SiteProfile::default();
        let mut form = Form::parse(&page(PAGE), &profile).unwrap();
        form.check("ctl00$MainContent$chkDangKyMoi", true).unwrap();
        form.check("ctl00$MainContent$chkSuaSauPheDuyet", false)
            .unwrap();
        form.set("ctl00$MainContent$txtNguoiGui", "Lê Văn Cường")
            .unwrap();
        assert_eq!(
            form.value("ctl00$MainContent$txtNguoiGui"),
            Some("Lê Văn Cường")
        );
        let post = form.postback("ctl00$MainContent$grdKetQua", "Gui$1");
        let get = |name: &str| {
            post.pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("__EVENTTARGET"), Some("ctl00$MainContent$grdKetQua"));
        assert_eq!(get("__EVENTARGUMENT"), Some("Gui$1"));
        assert_eq!(get("ctl00$MainContent$chkDangKyMoi"), Some("on"));
        assert_eq!(get("ctl00$MainContent$chkSuaSauPheDuyet"), None);
        assert_eq!(get("ctl00$MainContent$btnTimKiem"), None);
        assert_eq!(get("ctl00$MainContent$txtKhoa"), None);
        assert_eq!(get("ctl00$MainContent$txtNguoiGui"), Some("Lê Văn Cường"));
    }

    #[test]
    fn missing_parts_are_layout_changes() {
        let profile = SiteProfile::default();
        let mut form = Form::parse(&page(PAGE), &profile).unwrap();
        let err = form
            .set("ctl00$MainContent$txtMaHaiQuan", "01B1")
            .unwrap_err();
        assert_eq!(err.code(), "portal_layout_changed");
        assert!(
            err.to_string()
                .contains("field ctl00$MainContent$txtMaHaiQuan"),
            "{err}"
        );
        let send = &profile.pages.oe4001.buttons.send;
        let err = form
            .require(
                &[
                    "ctl00$MainContent$txtNguoiGui",
                    "ctl00$MainContent$txtMaHaiQuan",
                ],
                &[send, &profile.pages.oe4001.buttons.search],
            )
            .unwrap_err();
        let Error::Portal(PortalError::PortalLayoutChanged {
            page: name,
            missing,
            fingerprint,
            ..
        }) = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(name, "/Pages/OE4001.aspx");
        assert_eq!(
            missing,
            &[
                MissingItem::new(ItemKind::Field, "ctl00$MainContent$txtMaHaiQuan"),
                MissingItem::new(ItemKind::Button, send.name.clone()),
            ]
        );
        assert_eq!(fingerprint, &page(PAGE).fingerprint(&profile));
        assert!(form.check("ctl00$MainContent$txtNguoiGui", true).is_err());
        let send = &profile.pages.oe4001.buttons.send;
        let Err(err) = form.click(send) else {
            panic!("a missing button must fail")
        };
        assert!(err.to_string().contains("btnGui"), "{err}");

        let no_form = page("<html><body><p>Xin chào</p></body></html>");
        let err = Form::parse(&no_form, &profile).unwrap_err();
        assert!(err.to_string().contains("missing selector"), "{err}");
        let no_state = PAGE.replace("__EVENTVALIDATION", "__SOMETHING");
        let err = Form::parse(&page(&no_state), &profile).unwrap_err();
        assert!(err.to_string().contains("__EVENTVALIDATION"), "{err}");
    }

    #[test]
    fn postback_links_are_read() {
        let profile = SiteProfile::default();
        let body = PAGE.replace(
            "</td></tr></table>",
            "<a href=\"javascript:__doPostBack(&#39;ctl00$MainContent$tabNguoiKhai&#39;,&#39;&#39;)\">Người khai</a>\
             <a href=\"javascript:__doPostBack('ctl00$MainContent$grdKetQua','Gui$1')\">Gửi</a>\
             <a href=\"/Pages/TrangChu.aspx\">Trang chủ</a></td></tr></table>",
        );
        let form = Form::parse(&page(&body), &profile).unwrap();
        assert!(form.offers("ctl00$MainContent$tabNguoiKhai"));
        assert!(form.offers("ctl00$MainContent$grdKetQua"));
        assert!(!form.offers("ctl00$MainContent$tabMayTinh"));
        assert_eq!(
            postback_link("javascript:__doPostBack('a$b','Select$2')"),
            Some(("a$b".into(), "Select$2".into()))
        );
        assert_eq!(postback_link("javascript:void(0)"), None);
        assert_eq!(postback_link("javascript:__doPostBack("), None);
    }

    #[test]
    fn a_link_button_is_pressed_through_the_event_target() {
        let profile = SiteProfile::default();
        let mut search = profile.pages.oe4001.buttons.search.clone();
        let link = format!(
            "<a href=\"javascript:__doPostBack(&#39;{}&#39;,&#39;&#39;)\">Tìm kiếm</a>",
            search.name
        );
        let submit = format!(
            r#"<input type="submit" name="{}" value="Tìm kiếm" id="MainContent_btnTimKiem" />"#,
            search.name
        );
        assert!(PAGE.contains(&submit));
        let body = PAGE.replace(&submit, &link);
        let form = Form::parse(&page(&body), &profile).unwrap();
        // As a submit button the profile's button is missing; as a link it is there.
        let Err(err) = form.click(&search) else {
            panic!("a submit button the page lacks is pressed")
        };
        assert_eq!(err.code(), "portal_layout_changed");
        assert!(form.require(&[], &[&search]).is_err());
        search.link = true;
        form.require(&[], &[&search]).unwrap();
        let post = form.click(&search).unwrap();
        assert!(
            post.pairs
                .iter()
                .any(|(n, v)| n == "__EVENTTARGET" && *v == search.name),
            "{:?}",
            post.body()
        );
        assert!(!post.pairs.iter().any(|(n, _)| *n == search.name));
        // And a link button the page lacks is missing.
        let plain = Form::parse(&page(PAGE), &profile).unwrap();
        assert!(plain.click(&search).is_err());
    }

    #[test]
    fn event_fields_are_added_when_the_page_lacks_them() {
        let profile = SiteProfile::default();
        let bare = PAGE
            .replace(
                r#"<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />"#,
                "",
            )
            .replace(
                r#"<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />"#,
                "",
            );
        let form = Form::parse(&page(&bare), &profile).unwrap();
        let post = form.postback("ctl00$MainContent$tabNguoiKhai", "");
        assert_eq!(
            post.pairs[0],
            (
                "__EVENTTARGET".into(),
                "ctl00$MainContent$tabNguoiKhai".into()
            )
        );
        assert_eq!(post.pairs[1], ("__EVENTARGUMENT".into(), String::new()));
    }
}

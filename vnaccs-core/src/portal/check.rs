//! Checking a site profile against saved pages (HTML files saved from a browser, or a HAR):
//! page by page, which fields, buttons, selectors and messages of the profile are found, which
//! are missing, and for a missing field or button the closest candidates on the page.

use std::path::Path;

use schemars::JsonSchema;
use scraper::{Html, Selector};
use serde::Serialize;

use super::candidates::{Names, closest};
use super::layout::ItemKind;
use super::page::text_of;
use super::profile::{PageItems, SiteProfile};
use crate::{Error, Result};

/// A page saved from the portal: where it came from and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedPage {
    /// The file it was read from (with the entry's URL for a HAR).
    pub source: String,
    /// Its URL, when known (a HAR entry's).
    pub url: Option<String>,
    /// Its HTML text.
    pub html: String,
}

impl SavedPage {
    /// The pages of a file: every HTML answer of a HAR (`.har`, or JSON with `log.entries`),
    /// else the file as one HTML page.
    pub fn read_file(path: &Path) -> Result<Vec<SavedPage>> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Ok(Self::from_text(&path.display().to_string(), text))
    }

    /// The pages of a file's text read from `source`: every HTML answer of a HAR (JSON with
    /// `log.entries`), else the text as one HTML page.
    pub fn from_text(source: &str, text: String) -> Vec<SavedPage> {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(har) if har["log"]["entries"].is_array() => Self::from_har(source, &har),
            _ => vec![SavedPage {
                source: source.to_owned(),
                url: None,
                html: text,
            }],
        }
    }

    /// The HTML answers of a HAR's entries.
    fn from_har(source: &str, har: &serde_json::Value) -> Vec<SavedPage> {
        let entries = har["log"]["entries"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        entries
            .iter()
            .filter(|e| {
                e["response"]["content"]["mimeType"]
                    .as_str()
                    .is_some_and(|m| m.contains("html"))
            })
            .filter_map(|e| {
                let url = e["request"]["url"].as_str()?.to_owned();
                let html = e["response"]["content"]["text"].as_str()?.to_owned();
                Some(SavedPage {
                    source: format!("{source} {url}"),
                    url: Some(url),
                    html,
                })
            })
            .collect()
    }
}

/// One item of the profile checked on a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ItemCheck {
    /// What kind of item.
    pub kind: ItemKind,
    /// Its key in the profile's page table (`fields.office`), or `message` for a message.
    pub key: String,
    /// Its name in the profile (an HTML name, a CSS selector), or the message the page shows.
    pub name: String,
    /// Whether the page has it.
    pub found: bool,
    /// For a missing field or button: the page's closest names, best first (a field showing the
    /// label the profile gives the missing one comes before a similar name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// The check of one saved page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PageCheck {
    /// The file (and URL) it came from.
    pub source: String,
    /// The profile's page it is (`oe4001`), when recognised.
    pub page: Option<String>,
    /// Each item of that page, and the page's message if the profile does not know it.
    pub items: Vec<ItemCheck>,
}

impl PageCheck {
    /// The items missing.
    pub fn missing(&self) -> impl Iterator<Item = &ItemCheck> {
        self.items.iter().filter(|i| !i.found)
    }

    /// Whether anything the workflow needs is missing (or the page was not recognised).
    pub fn fails(&self) -> bool {
        self.page.is_none() || self.missing().next().is_some()
    }
}

/// The report of a profile check: each saved page's check, and whether all passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CheckReport {
    /// Whether every page was recognised and nothing the profile expects is missing.
    pub ok: bool,
    /// Each saved page's check, in the order given.
    pub pages: Vec<PageCheck>,
}

impl CheckReport {
    /// The report of these page checks.
    pub fn new(pages: Vec<PageCheck>) -> CheckReport {
        CheckReport {
            ok: !pages.iter().any(PageCheck::fails),
            pages,
        }
    }
}

/// Checks the effective profile — the built-in one with the TOML overlay `profile` merged over
/// it ([`SiteProfile::from_overlay_file`]) — against the pages saved in `files` (HTML files or
/// HARs, [`SavedPage::read_file`]): what `vnaccs profile check` and the bindings report.
pub fn check_files<P: AsRef<Path>>(profile: Option<&Path>, files: &[P]) -> Result<CheckReport> {
    let profile = match profile {
        Some(path) => SiteProfile::from_overlay_file(path)?,
        None => SiteProfile::default(),
    };
    let mut pages = Vec::new();
    for file in files {
        pages.extend(SavedPage::read_file(file.as_ref())?);
    }
    Ok(CheckReport::new(check_pages(&profile, &pages)))
}

/// Checks `profile` against each saved page: recognises which profile page it is (by its URL's
/// path, else its form's action, else the page whose items it has most of) and reports each
/// item found or missing, with candidates for a missing field or button, and a message the page
/// shows that the profile does not know as a missing message.
pub fn check_pages(profile: &SiteProfile, pages: &[SavedPage]) -> Vec<PageCheck> {
    let specs = profile.pages.items();
    pages
        .iter()
        .map(|p| check_page(profile, &specs, p))
        .collect()
}

fn check_page(profile: &SiteProfile, specs: &[PageItems<'_>], saved: &SavedPage) -> PageCheck {
    let html = Html::parse_document(&saved.html);
    let names = Names::of(&html);
    // A button is found as a submit button, or as a postback link when the profile's page says
    // it is one (`link = true`).
    let found_on = |spec: Option<&PageItems<'_>>, kind: ItemKind, name: &str| match kind {
        ItemKind::Field => names.has_field(name),
        ItemKind::Button if spec.is_some_and(|s| s.links.iter().any(|l| l == name)) => {
            names.links.iter().any(|n| n == name)
        }
        ItemKind::Button => names.buttons.iter().any(|n| n == name),
        _ => Selector::parse(name).is_ok_and(|s| html.select(&s).next().is_some()),
    };
    let Some(spec) = recognise(profile, specs, saved, &html, &|k, n| found_on(None, k, n)) else {
        return PageCheck {
            source: saved.source.clone(),
            page: None,
            items: Vec::new(),
        };
    };
    let hidden = profile.webforms.hidden_fields.iter().map(|name| {
        (
            ItemKind::Field,
            "webforms.hidden_fields".to_owned(),
            name.clone(),
        )
    });
    let claimed = |n: &String| {
        spec.items.iter().any(|(_, _, name)| name == n)
            || profile.webforms.hidden_fields.contains(n)
    };
    let mut items: Vec<ItemCheck> = hidden
        .chain(spec.items.iter().cloned())
        .map(|(kind, key, name)| {
            let found = found_on(Some(spec), kind, &name);
            let label = spec.label(&key);
            let candidates = match kind {
                _ if found => Vec::new(),
                ItemKind::Field => closest(
                    &name,
                    label,
                    names
                        .fields
                        .iter()
                        .filter(|(n, _)| !claimed(n))
                        .map(|(n, l)| (n, l.as_ref())),
                ),
                // The page's other submit buttons, and its postback links (a button of the
                // same name turned into a link among them: `link = true` in the profile).
                ItemKind::Button => closest(
                    &name,
                    None,
                    names
                        .buttons
                        .iter()
                        .filter(|n| !claimed(n))
                        .chain(names.links.iter().filter(|n| **n == name || !claimed(n)))
                        .map(|n| (n, None)),
                ),
                _ => Vec::new(),
            };
            ItemCheck {
                kind,
                key,
                name,
                found,
                candidates,
            }
        })
        .collect();
    let message = html
        .select(profile.common.message.selector())
        .map(text_of)
        .find(|t| !t.is_empty());
    if let Some(message) = message {
        items.push(ItemCheck {
            kind: ItemKind::Message,
            key: "message".into(),
            found: profile.messages.knows(&message),
            name: message,
            candidates: Vec::new(),
        });
    }
    PageCheck {
        source: saved.source.clone(),
        page: Some(spec.key.to_owned()),
        items,
    }
}

/// The profile page a saved page is.
fn recognise<'s>(
    profile: &SiteProfile,
    specs: &'s [PageItems<'s>],
    saved: &SavedPage,
    html: &Html,
    found: &dyn Fn(ItemKind, &str) -> bool,
) -> Option<&'s PageItems<'s>> {
    let last = |path: &str| {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        path.rsplit('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let by_path = |path: &str| {
        let file = last(path);
        specs
            .iter()
            .find(|s| !file.is_empty() && last(s.path) == file)
    };
    if let Some(spec) = saved
        .url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| by_path(u.path()))
    {
        return Some(spec);
    }
    let action = html
        .select(profile.webforms.form.selector())
        .next()
        .and_then(|f| f.value().attr("action"));
    if let Some(spec) = action.and_then(by_path) {
        return Some(spec);
    }
    specs
        .iter()
        .map(|s| {
            let hits = s.items.iter().filter(|(k, _, n)| found(*k, n)).count();
            (hits, s)
        })
        .filter(|(hits, _)| *hits > 0)
        .max_by_key(|(hits, _)| *hits)
        .map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_har_is_read_page_by_page_and_recognised_by_url() {
        let har = serde_json::json!({"log": {"version": "1.2", "entries": [
            {"request": {"url": "http://127.0.0.1/Pages/OE4001.aspx"},
             "response": {"content": {"mimeType": "text/html; charset=utf-8",
                "text": "<form id=\"form1\"><input type=\"submit\" name=\"ctl00$MainContent$btnTimKiem\"/></form>"}}},
            {"request": {"url": "http://127.0.0.1/captcha.png"},
             "response": {"content": {"mimeType": "image/png", "text": "x"}}},
            {"request": {"url": "http://127.0.0.1/Pages/Unknown.aspx"},
             "response": {"content": {"mimeType": "text/html", "text": "<p>?</p>"}}}
        ]}});
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.har");
        std::fs::write(&path, har.to_string()).unwrap();
        let pages = SavedPage::read_file(&path).unwrap();
        assert_eq!(pages.len(), 2);
        let checks = check_pages(&SiteProfile::default(), &pages);
        assert_eq!(checks[0].page.as_deref(), Some("oe4001"));
        let found: Vec<&str> = checks[0]
            .items
            .iter()
            .filter(|i| i.found)
            .map(|i| i.key.as_str())
            .collect();
        assert_eq!(found, ["buttons.search"]);
        assert!(checks[0].fails());
        assert_eq!(checks[1].page, None);
        assert!(checks[1].fails());
    }

    #[test]
    fn a_renamed_field_is_proposed_first_by_its_label() {
        // The tax code field renamed to an unlike name; a new field with a name closer to the
        // old one, but another label.
        let html = r#"<form id="form1" action="./DangKyChuKySo.aspx"><table>
            <tr><td><label for="MainContent_txtMaDN2">Mã số thuế cá nhân</label></td>
                <td><input name="ctl00$MainContent$txtMaDN2" id="MainContent_txtMaDN2" /></td></tr>
            <tr><td>Mã doanh nghiệp (*):</td><td><input name="ctl00$MainContent$txtMST" /></td></tr>
            <tr><td><input name="ctl00$MainContent$txtSoCMT" /></td></tr>
            </table></form>"#;
        let saved = SavedPage {
            source: "register.html".into(),
            url: None,
            html: html.into(),
        };
        let checks = check_pages(&SiteProfile::default(), &[saved]);
        assert_eq!(checks[0].page.as_deref(), Some("register"));
        let tax_code = checks[0]
            .items
            .iter()
            .find(|i| i.key == "fields.tax_code")
            .unwrap();
        assert!(!tax_code.found);
        assert_eq!(
            tax_code.candidates,
            ["ctl00$MainContent$txtMST", "ctl00$MainContent$txtMaDN2"]
        );
        // Without the label in the profile, the closer name would come first.
        let profile =
            SiteProfile::from_overlay("[pages.register.labels]\ntax_code = \"Mã khác\"\n").unwrap();
        let checks = check_pages(&profile, &[checks_page(html)]);
        let tax_code = checks[0]
            .items
            .iter()
            .find(|i| i.key == "fields.tax_code")
            .unwrap();
        assert_eq!(tax_code.candidates[0], "ctl00$MainContent$txtMaDN2");
    }

    fn checks_page(html: &str) -> SavedPage {
        SavedPage {
            source: "page.html".into(),
            url: None,
            html: html.into(),
        }
    }

    #[test]
    fn a_label_for_no_field_of_the_page_is_a_profile_error() {
        let err =
            SiteProfile::from_overlay("[pages.login.labels]\nchallenge = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("pages.login.labels"), "{err}");
        let err = SiteProfile::from_overlay("[pages.home.labels]\nx = \"y\"\n").unwrap_err();
        assert_eq!(err.code(), "site_profile");
    }
}

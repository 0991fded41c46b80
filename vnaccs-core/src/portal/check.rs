//! Checking a site profile against saved pages (HTML files saved from a browser, or a HAR):
//! page by page, which fields, buttons, selectors and messages of the profile are found, which
//! are missing, and for a missing field or button the closest candidates on the page.

use std::path::Path;

use scraper::{Html, Selector};
use serde::Serialize;

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
        let source = path.display().to_string();
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(har) if har["log"]["entries"].is_array() => Ok(Self::from_har(&source, &har)),
            _ => Ok(vec![SavedPage {
                source,
                url: None,
                html: text,
            }]),
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemCheck {
    /// What kind of item.
    pub kind: ItemKind,
    /// Its key in the profile's page table (`fields.office`), or `message` for a message.
    pub key: String,
    /// Its name in the profile (an HTML name, a CSS selector), or the message the page shows.
    pub name: String,
    /// Whether the page has it.
    pub found: bool,
    /// For a missing field or button: the page's closest names, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// The check of one saved page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// The names on a page: its fields (inputs, selects, text areas) and its buttons.
struct Names {
    fields: Vec<String>,
    buttons: Vec<String>,
}

fn names(html: &Html) -> Names {
    let mut names = Names {
        fields: Vec::new(),
        buttons: Vec::new(),
    };
    let Ok(named) = Selector::parse("input[name], select[name], textarea[name], button[name]")
    else {
        return names;
    };
    for e in html.select(&named) {
        let e = e.value();
        let name = e.attr("name").unwrap_or_default().to_owned();
        let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
        if e.name() == "button"
            || (e.name() == "input" && matches!(kind.as_str(), "submit" | "button" | "image"))
        {
            names.buttons.push(name);
        } else {
            names.fields.push(name);
        }
    }
    names
}

fn check_page(profile: &SiteProfile, specs: &[PageItems<'_>], saved: &SavedPage) -> PageCheck {
    let html = Html::parse_document(&saved.html);
    let names = names(&html);
    let found = |kind: ItemKind, name: &str| match kind {
        ItemKind::Field => names.fields.iter().any(|n| n == name),
        ItemKind::Button => names.buttons.iter().any(|n| n == name),
        _ => Selector::parse(name).is_ok_and(|s| html.select(&s).next().is_some()),
    };
    let Some(spec) = recognise(profile, specs, saved, &html, &found) else {
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
    let mut items: Vec<ItemCheck> = hidden
        .chain(spec.items.iter().cloned())
        .map(|(kind, key, name)| {
            let found = found(kind, &name);
            let pool = match kind {
                ItemKind::Field => &names.fields,
                ItemKind::Button => &names.buttons,
                _ => &Vec::new(),
            };
            let claimed = |n: &String| {
                spec.items.iter().any(|(_, _, name)| name == n)
                    || profile.webforms.hidden_fields.contains(n)
            };
            let candidates = if found {
                Vec::new()
            } else {
                closest(&name, pool.iter().filter(|n| !claimed(n)))
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

/// Up to three names of `pool` closest to `name`: by the edit distance of their last segment
/// (after the last `$`), best first.
fn closest<'a>(name: &str, pool: impl Iterator<Item = &'a String>) -> Vec<String> {
    let tail = |n: &str| n.rsplit('$').next().unwrap_or(n).to_ascii_lowercase();
    let wanted = tail(name);
    let mut scored: Vec<(usize, &String)> = pool
        .map(|n| (edit_distance(&wanted, &tail(n)), n))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, n)| n.clone()).collect()
}

/// The Levenshtein distance of two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
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
    fn edit_distances() {
        assert_eq!(edit_distance("txtmadn", "txtmadn"), 0);
        assert_eq!(edit_distance("txtmadn", "txtmasothuedn"), 6);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_closest_name_comes_first() {
        let pool = [
            "ctl00$MainContent$txtEmail".to_owned(),
            "ctl00$MainContent$txtMatKhauMoi".to_owned(),
            "__VIEWSTATE".to_owned(),
        ];
        let got = closest("ctl00$MainContent$txtMatKhau", pool.iter());
        assert_eq!(got[0], "ctl00$MainContent$txtMatKhauMoi");
        assert_eq!(got.len(), 3);
    }
}

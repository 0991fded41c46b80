//! Capture for support: every exchange with the portal recorded as HAR 1.2 (the format browsers'
//! developer tools export), secrets redacted — the values of password fields and of the captcha
//! answer, every cookie's value, and the credentials the portal hands back: the Terminal Access
//! Keys of the result page (OE4002), masked wherever they appear, with the WebForms hidden fields
//! of the pages that show them (an ASP.NET grid keeps its rows in `__VIEWSTATE`). The file is
//! rewritten after each exchange, so it holds everything up to a failure.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

use super::css::Css;
use super::page::text_of;
use super::profile::SiteProfile;

/// What a redacted value reads.
pub(crate) const REDACTED: &str = "[redacted]";

/// The HAR being recorded, and where it is written.
pub(crate) struct HarRecorder {
    path: PathBuf,
    /// The grids' cells that hold credentials: each grid's rows and the cell's index.
    secret_cells: Vec<(Css, usize)>,
    /// The WebForms hidden fields, masked on a page showing credentials.
    hidden_fields: Vec<String>,
    recorded: Mutex<Recorded>,
}

/// What has been recorded so far.
#[derive(Default)]
struct Recorded {
    entries: Vec<Value>,
    /// The credentials met in the answers so far, masked in every entry from then on.
    learned: Vec<String>,
}

/// One hop of an exchange, as recorded.
pub(crate) struct HarExchange<'a> {
    pub started: DateTime<Utc>,
    pub elapsed_ms: u64,
    pub method: &'a str,
    pub url: &'a str,
    /// The form body with its secrets already redacted.
    pub post: Option<&'a str>,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub mime_type: String,
    /// The answer's text (HTML and other text answers; none for images).
    pub text: Option<String>,
    pub size: usize,
    pub redirect_url: String,
}

impl HarRecorder {
    /// A recorder writing to `path`, masking the credentials `profile` locates (the access key
    /// column of the result page's terminal grid).
    pub(crate) fn new(path: PathBuf, profile: &SiteProfile) -> HarRecorder {
        let oe4002 = &profile.pages.oe4002;
        let secret_cells = oe4002
            .terminal_columns
            .iter()
            .position(|c| c == "access_key")
            .map(|index| (oe4002.terminal_rows.clone(), index))
            .into_iter()
            .collect();
        HarRecorder {
            path,
            secret_cells,
            hidden_fields: profile.webforms.hidden_fields.clone(),
            recorded: Mutex::new(Recorded::default()),
        }
    }

    /// The credentials an HTML answer shows (the texts of the secret cells), with the values of
    /// its WebForms hidden fields when it shows any.
    fn credentials(&self, html: &str) -> Vec<String> {
        let page = Html::parse_document(html);
        let mut found: Vec<String> = self
            .secret_cells
            .iter()
            .flat_map(|(rows, index)| {
                page.select(rows.selector()).filter_map(|row| {
                    row.children()
                        .filter_map(ElementRef::wrap)
                        .filter(|cell| cell.value().name().eq_ignore_ascii_case("td"))
                        .nth(*index)
                        .map(text_of)
                })
            })
            .filter(|text| !text.is_empty())
            .collect();
        if !found.is_empty() {
            for name in &self.hidden_fields {
                let Ok(input) = Selector::parse(&format!("input[name=\"{name}\"]")) else {
                    continue;
                };
                found.extend(
                    page.select(&input)
                        .filter_map(|e| e.value().attr("value"))
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned),
                );
            }
        }
        found
    }

    /// Records one hop and rewrites the file; a failure to write is logged, never an error of
    /// the exchange (whose post may already have been processed).
    pub(crate) fn record(&self, e: HarExchange<'_>) {
        let Ok(mut recorded) = self.recorded.lock() else {
            return;
        };
        if let Some(text) = e.text.as_deref().filter(|_| e.mime_type.contains("html")) {
            for secret in self.credentials(text) {
                if !recorded.learned.contains(&secret) {
                    recorded.learned.push(secret);
                }
            }
        }
        let learned = &recorded.learned;
        let headers: Vec<Value> = e
            .response_headers
            .iter()
            .map(|(name, value)| {
                let value = if name.eq_ignore_ascii_case("set-cookie") {
                    mask_cookie(value)
                } else {
                    value.clone()
                };
                json!({ "name": name, "value": value })
            })
            .collect();
        let url = mask(e.url, learned);
        let query: Vec<Value> = url::Url::parse(&url)
            .map(|u| {
                u.query_pairs()
                    .map(|(name, value)| json!({ "name": name, "value": value }))
                    .collect()
            })
            .unwrap_or_default();
        let mut request = json!({
            "method": e.method,
            "url": url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [],
            "queryString": query,
            "headersSize": -1,
            "bodySize": e.post.map_or(0, str::len),
        });
        if let Some(post) = e.post {
            request["postData"] = json!({
                "mimeType": "application/x-www-form-urlencoded; charset=utf-8",
                "text": mask(post, learned),
            });
        }
        let mut content = json!({ "size": e.size, "mimeType": e.mime_type });
        if let Some(text) = e.text {
            content["text"] = Value::String(mask(&text, learned));
        }
        let entry = json!({
            "startedDateTime": e.started.to_rfc3339(),
            "time": e.elapsed_ms,
            "request": request,
            "response": {
                "status": e.status,
                "statusText": "",
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers,
                "content": content,
                "redirectURL": e.redirect_url,
                "headersSize": -1,
                "bodySize": e.size,
            },
            "cache": {},
            "timings": { "send": 0, "wait": e.elapsed_ms, "receive": 0 },
        });
        recorded.entries.push(entry);
        let har = json!({ "log": {
            "version": "1.2",
            "creator": { "name": "vnaccs", "version": crate::VERSION },
            "pages": [],
            "entries": recorded.entries,
        }});
        // Owner-only and atomic: it holds the enterprise's data (names, ID numbers, and after
        // step E its Terminal Access Keys).
        if let Err(e) = crate::files::write_atomically(&self.path, har.to_string().as_bytes()) {
            tracing::warn!(path = %self.path.display(), code = e.code(), "the HAR cannot be written");
        }
    }
}

/// `text` with every secret of `secrets`, as it is or form-encoded, replaced by [`REDACTED`].
fn mask(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_owned();
    for secret in secrets {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        for form in [secret.as_str(), encoded.as_str()] {
            if text.contains(form) {
                text = text.replace(form, REDACTED);
            }
        }
    }
    text
}

/// A `Set-Cookie` value with the cookie's value masked: `name=[redacted]; Path=/…`.
fn mask_cookie(value: &str) -> String {
    let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
    let name = pair.split_once('=').map_or(pair, |(n, _)| n);
    if attributes.is_empty() {
        format!("{name}={REDACTED}")
    } else {
        format!("{name}={REDACTED};{attributes}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_values_are_masked() {
        assert_eq!(
            mask_cookie("ASP.NET_SessionId=abc123; path=/; HttpOnly"),
            "ASP.NET_SessionId=[redacted]; path=/; HttpOnly"
        );
        assert_eq!(mask_cookie("a=b"), "a=[redacted]");
    }

    #[test]
    fn access_keys_and_the_hidden_fields_of_their_page_are_masked_from_then_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("result.har");
        let recorder = HarRecorder::new(path.clone(), &SiteProfile::default());
        let page = r#"<form id="form1"><input type="hidden" name="__VIEWSTATE" value="Vs+KEY/1=" />
            <table id="MainContent_grdMayTinh"><tr class="tieude"><th>Terminal ID</th><th>Key</th></tr>
            <tr class="dong"><td>T3A9K2</td><td> 7QK2M9X4B8N1C6V3 </td></tr></table></form>"#;
        let exchange = |url: &'static str, post: Option<&'static str>, text: &str| HarExchange {
            started: crate::fixtures::test_instant(),
            elapsed_ms: 1,
            method: if post.is_some() { "POST" } else { "GET" },
            url,
            post,
            status: 200,
            response_headers: Vec::new(),
            mime_type: "text/html; charset=utf-8".into(),
            text: Some(text.to_owned()),
            size: text.len(),
            redirect_url: String::new(),
        };
        recorder.record(exchange("http://127.0.0.1/Pages/OE4002.aspx", None, page));
        recorder.record(exchange(
            "http://127.0.0.1/Pages/OE4002.aspx?k=7QK2M9X4B8N1C6V3",
            Some("__VIEWSTATE=Vs%2BKEY%2F1%3D&k=7QK2M9X4B8N1C6V3"),
            "<p>7QK2M9X4B8N1C6V3</p>",
        ));
        let har = std::fs::read_to_string(&path).unwrap();
        for secret in ["7QK2M9X4B8N1C6V3", "Vs+KEY/1=", "Vs%2BKEY%2F1%3D"] {
            assert!(!har.contains(secret), "{secret} in {har}");
        }
        assert!(har.contains("T3A9K2"), "the Terminal ID is no secret");
        assert!(har.contains("__VIEWSTATE=[redacted]"), "{har}");
        let har: Value = serde_json::from_str(&har).unwrap();
        assert_eq!(
            har["log"]["entries"][1]["request"]["queryString"],
            json!([{ "name": "k", "value": REDACTED }])
        );
    }
}

//! Capture for support: every exchange with the portal recorded as HAR 1.2 (the format browsers'
//! developer tools export), secrets redacted — the values of password fields and of the captcha
//! answer, and every cookie's value. The file is rewritten after each exchange, so it holds
//! everything up to a failure.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// What a redacted value reads.
pub(crate) const REDACTED: &str = "[redacted]";

/// The HAR being recorded, and where it is written.
pub(crate) struct HarRecorder {
    path: PathBuf,
    entries: Mutex<Vec<Value>>,
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
    /// A recorder writing to `path`.
    pub(crate) fn new(path: PathBuf) -> HarRecorder {
        HarRecorder {
            path,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// Records one hop and rewrites the file; a failure to write is logged, never an error of
    /// the exchange (whose post may already have been processed).
    pub(crate) fn record(&self, e: HarExchange<'_>) {
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
        let mut request = json!({
            "method": e.method,
            "url": e.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [],
            "queryString": [],
            "headersSize": -1,
            "bodySize": e.post.map_or(0, str::len),
        });
        if let Some(post) = e.post {
            request["postData"] = json!({
                "mimeType": "application/x-www-form-urlencoded; charset=utf-8",
                "text": post,
            });
        }
        let mut content = json!({ "size": e.size, "mimeType": e.mime_type });
        if let Some(text) = e.text {
            content["text"] = Value::String(text);
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
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.push(entry);
        let har = json!({ "log": {
            "version": "1.2",
            "creator": { "name": "vnaccs", "version": crate::VERSION },
            "pages": [],
            "entries": *entries,
        }});
        // Owner-only and atomic: it holds the enterprise's data (names, ID numbers, and after
        // step E its Terminal Access Keys).
        if let Err(e) = crate::files::write_atomically(&self.path, har.to_string().as_bytes()) {
            tracing::warn!(path = %self.path.display(), code = e.code(), "the HAR cannot be written");
        }
    }
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
}

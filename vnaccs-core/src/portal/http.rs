//! HTTP to the portal: one blocking client with a cookie store and rustls, redirects followed by
//! hand (to see the login redirect and keep every hop on the configured sites), one deadline per
//! request (redirects and body included), bodies read with a size cap, the portal's clock from the
//! `Date` header, and transport failures and the portal's special pages mapped to typed errors.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::blocking::{Client, Response};
use reqwest::header::{CONTENT_TYPE, DATE, LOCATION};
use reqwest::redirect::Policy;
use url::{Origin, Url};
use zeroize::{Zeroize, Zeroizing};

use super::cancel::CancelToken;
use super::config::{PortalConfig, check_secure, redacted};
use super::css::Css;
use super::error::PortalError;
use super::form::Postback;
use super::har::{HarExchange, HarRecorder};
use super::page::Page;
use super::profile::{SiteProfile, Texts};
use crate::cert::CertError;
use crate::workflow::WorkflowError;
use crate::{Error, Result};

/// The most redirects one request follows.
const MAX_REDIRECTS: usize = 10;

/// The longest a request may take, whatever the configuration says.
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// The HTTP side of the client.
pub(crate) struct Http {
    client: Client,
    requests: AtomicU64,
    /// Checked before each request: once set, nothing more is sent.
    pub(crate) cancel: CancelToken,
    /// The login page's URL: a redirect there means the session has expired.
    login_url: Url,
    /// The query parameter of the login redirect (`ReturnUrl`).
    return_param: String,
    /// The origins (scheme, host, port) of the configured sites: nothing is sent elsewhere.
    origins: Vec<Origin>,
    /// The time one request may take, redirects and body included.
    timeout: Duration,
    /// The most bytes of a body read.
    max_body: usize,
    /// The capture of every exchange, when asked for.
    har: Option<HarRecorder>,
}

/// A response's status, final URL, portal clock and body.
struct Answer {
    status: u16,
    url: Url,
    date: Option<DateTime<Utc>>,
    body: Vec<u8>,
}

impl Http {
    /// A client for `config`: cookies kept, redirects not followed automatically, the extra
    /// roots trusted in addition to the built-in web roots, the proxy only if one is configured
    /// and only for HTTPS (environment proxy variables are not read; plain HTTP, to loopback, is
    /// never proxied).
    pub fn new(config: &PortalConfig, login_url: Url) -> Result<Http> {
        let timeout = config.timeout.min(MAX_TIMEOUT);
        let mut builder = Client::builder()
            .use_rustls_tls()
            .cookie_store(true)
            .redirect(Policy::none())
            // A fresh connection per request: no silent retry of a request on a stale pooled
            // connection, so every drop is seen.
            .pool_max_idle_per_host(0)
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(config.user_agent.clone());
        for der in &config.extra_roots {
            // A certificate this library cannot read is reported as such, before TLS sees it.
            crate::cert::Certificate::from_der(der)?;
            let root = reqwest::Certificate::from_der(der).map_err(|e| {
                Error::Certificate(CertError::InvalidCertificate {
                    problem: crate::error::CertificateProblem::Malformed(e.to_string()),
                })
            })?;
            builder = builder.add_root_certificate(root);
        }
        builder = match &config.proxy {
            Some(proxy) => builder.proxy(reqwest::Proxy::https(proxy.as_str()).map_err(|e| {
                Error::Portal(PortalError::PortalConnection {
                    url: redacted(proxy),
                    reason: format!("the proxy cannot be used: {}", reason(&e)),
                })
            })?),
            None => builder.no_proxy(),
        };
        let client = builder.build().map_err(|e| {
            Error::Portal(PortalError::PortalConnection {
                url: config.vnaccs_url.to_string(),
                reason: reason(&e),
            })
        })?;
        Ok(Http {
            client,
            requests: AtomicU64::new(0),
            cancel: CancelToken::default(),
            login_url,
            return_param: config.profile.common.login_redirect_param.clone(),
            origins: vec![config.registration_url.origin(), config.vnaccs_url.origin()],
            timeout,
            max_body: config.max_body,
            har: config
                .har
                .clone()
                .map(|path| HarRecorder::new(path, &config.profile)),
        })
    }

    /// The number of HTTP requests sent so far (each redirect followed counts).
    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// GETs a page.
    pub fn get_page(&self, profile: &SiteProfile, name: &str, url: &Url) -> Result<Page> {
        let answer = self.exchange(url.clone(), None, None)?;
        self.page(profile, name, url, answer)
    }

    /// Posts a form and reads the page it leads to.
    pub fn post_page(&self, profile: &SiteProfile, name: &str, post: &Postback) -> Result<Page> {
        let shown = self.har.as_ref().map(|_| post.redacted_body());
        let answer = self.exchange(post.action.clone(), Some(post.body()), shown)?;
        self.page(profile, name, &post.action, answer)
    }

    /// GETs a resource's bytes (the captcha image); `None` when the portal does not know it
    /// (HTTP 404).
    pub fn get_bytes(&self, profile: &SiteProfile, url: &Url) -> Result<Option<Vec<u8>>> {
        let answer = self.exchange(url.clone(), None, None)?;
        match answer.status {
            404 => Ok(None),
            // Other error statuses carry the portal's pages; read them for the typed error.
            400.. => Err(self
                .page(profile, url.path(), url, answer)
                .err()
                .unwrap_or_else(|| {
                    Error::Portal(PortalError::PortalUnexpectedPage {
                        page: url.path().to_owned(),
                        detail: "not served".into(),
                    })
                })),
            _ => Ok(Some(answer.body)),
        }
    }

    /// Sends a request and follows redirects (a redirected POST becomes a GET), all within one
    /// deadline. Every hop must stay on the configured sites, checked before anything is sent to
    /// it. A redirect to the login page means the session has expired. A cancelled client sends
    /// nothing ([`Error::Cancelled`]). Each hop is recorded in the HAR, if one is asked for, with
    /// `shown` (the body, secrets redacted) as the post.
    fn exchange(
        &self,
        mut url: Url,
        body: Option<String>,
        shown: Option<String>,
    ) -> Result<Answer> {
        let mut shown = shown;
        // Wiped however the request ends, sent or refused.
        let mut body = body.map(Zeroizing::new);
        // Checked before the first hop only: the redirects of a request already sent are followed.
        if self.cancel.is_cancelled() {
            return Err(Error::Workflow(WorkflowError::Cancelled));
        }
        let deadline = Instant::now() + self.timeout;
        for _ in 0..=MAX_REDIRECTS {
            check_secure(&url)?;
            self.check_origin(&url)?;
            let started = (Utc::now(), Instant::now());
            let method = if body.is_some() { "POST" } else { "GET" };
            let response = self.send(&url, body.take(), deadline)?;
            let status = response.status();
            let record = |response_headers, mime_type, text, size, redirect_url: &str| {
                if let Some(har) = &self.har {
                    har.record(HarExchange {
                        started: started.0,
                        elapsed_ms: u64::try_from(started.1.elapsed().as_millis())
                            .unwrap_or(u64::MAX),
                        method,
                        url: url.as_str(),
                        post: shown.as_deref(),
                        status: status.as_u16(),
                        response_headers,
                        mime_type,
                        text,
                        size,
                        redirect_url: redirect_url.to_owned(),
                    });
                }
            };
            let headers: Vec<(String, String)> = if self.har.is_some() {
                response
                    .headers()
                    .iter()
                    .map(|(n, v)| {
                        (
                            n.to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let mime_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            if status.is_redirection()
                && let Some(location) = response.headers().get(LOCATION)
            {
                let location = location.to_str().map_err(|_| {
                    Error::Portal(PortalError::PortalUnexpectedPage {
                        page: url.path().to_owned(),
                        detail: "a redirect whose Location is not readable text".into(),
                    })
                })?;
                let next = url.join(location).map_err(|e| {
                    Error::Portal(PortalError::PortalUnexpectedPage {
                        page: url.path().to_owned(),
                        detail: format!("redirect to {:?}: {e}", crate::error::shown(location)),
                    })
                })?;
                record(headers, mime_type, None, 0, next.as_str());
                shown = None;
                let to_login = self.is_login(&next)
                    && next
                        .query_pairs()
                        .any(|(k, _)| k == self.return_param.as_str());
                if to_login && !self.is_login(&url) {
                    return Err(Error::Portal(PortalError::PortalSessionExpired));
                }
                url = next;
                continue;
            }
            let date = response
                .headers()
                .get(DATE)
                .and_then(|d| d.to_str().ok())
                .and_then(parse_http_date);
            let body = self.read_body(&url, response, deadline)?;
            let text = mime_type
                .starts_with("text/")
                .then(|| String::from_utf8_lossy(&body).into_owned());
            record(headers, mime_type, text, body.len(), "");
            return Ok(Answer {
                status: status.as_u16(),
                url,
                date,
                body,
            });
        }
        Err(Error::Portal(PortalError::PortalUnexpectedPage {
            page: url.path().to_owned(),
            detail: format!("more than {MAX_REDIRECTS} redirects"),
        }))
    }

    /// A foreign-origin error unless `url` is on one of the configured sites.
    fn check_origin(&self, url: &Url) -> Result<()> {
        if self.origins.contains(&url.origin()) {
            Ok(())
        } else {
            Err(Error::Portal(PortalError::PortalForeignOrigin {
                origin: url.origin().ascii_serialization(),
            }))
        }
    }

    /// Reads a body in chunks, up to the size cap and the deadline.
    fn read_body(&self, url: &Url, mut response: Response, deadline: Instant) -> Result<Vec<u8>> {
        let too_large = || {
            Error::Portal(PortalError::PortalResponseTooLarge {
                url: url.to_string(),
                limit: self.max_body,
            })
        };
        if response
            .content_length()
            .is_some_and(|n| n > self.max_body as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            if Instant::now() >= deadline {
                return Err(Error::Portal(PortalError::PortalTimeout {
                    url: url.to_string(),
                }));
            }
            let n = match response.read(&mut chunk) {
                Ok(0) => return Ok(body),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_failure(url, &e)),
            };
            if body.len() + n > self.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }

    /// One request, traced (method, path, status, duration; never a field value), given the time
    /// left before `deadline`. A body that carried form fields is wiped once sent.
    fn send(
        &self,
        url: &Url,
        body: Option<Zeroizing<String>>,
        deadline: Instant,
    ) -> Result<Response> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::Portal(PortalError::PortalTimeout {
                url: url.to_string(),
            }));
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let method = if body.is_some() { "POST" } else { "GET" };
        let request = match body {
            Some(mut body) => self
                .client
                .post(url.clone())
                .header(
                    CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .body(wiped_after_sending(std::mem::take(&mut *body))),
            None => self.client.get(url.clone()),
        };
        let result = request.timeout(left).send();
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(response) => tracing::debug!(
                method,
                path = url.path(),
                status = response.status().as_u16(),
                elapsed_ms,
                "portal request"
            ),
            Err(e) => tracing::debug!(
                method,
                path = url.path(),
                error = %reason(e),
                elapsed_ms,
                "portal request failed"
            ),
        }
        result.map_err(|e| transport(url, &e))
    }

    fn is_login(&self, url: &Url) -> bool {
        url.path() == self.login_url.path()
    }

    /// Reads an answer as a page, recognising maintenance, server errors, the error page and a
    /// login page served for an expired session.
    fn page(
        &self,
        profile: &SiteProfile,
        name: &str,
        requested: &Url,
        answer: Answer,
    ) -> Result<Page> {
        let body = String::from_utf8_lossy(&answer.body);
        let page = Page::read(name, answer.url, answer.date, &body)?;
        let common = &profile.common;
        let shows = |marker: &Css, text: &Texts| page.has(marker) || text.found_in(&body);
        if shows(&common.maintenance_page, &common.maintenance_text) {
            return Err(Error::Portal(PortalError::PortalMaintenance));
        }
        if answer.status >= 500 {
            return Err(Error::Portal(PortalError::PortalUnavailable {
                url: requested.to_string(),
                status: answer.status,
            }));
        }
        if shows(&common.error_page, &common.error_text) {
            return Err(Error::Portal(PortalError::PortalErrorPage {
                url: requested.to_string(),
            }));
        }
        if answer.status >= 400 {
            return Err(page.unexpected(format!("HTTP {}", answer.status)));
        }
        let expired = page
            .message(profile)?
            .is_some_and(|m| common.session_expired_text.found_in(&m));
        if !self.is_login(requested) && (self.is_login(&page.url) || expired) {
            return Err(Error::Portal(PortalError::PortalSessionExpired));
        }
        Ok(page)
    }
}

/// An HTTP `Date` (IMF-fixdate, RFC 7231) as UTC; `None` when it does not parse or falls outside
/// the years of [`crate::dates::YEARS`].
pub(crate) fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(text.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .filter(|d| crate::dates::time_in_range(*d))
}

/// A transport failure as a typed error: a timeout, or a connection that failed or dropped.
fn transport(url: &Url, e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Portal(PortalError::PortalTimeout {
            url: url.to_string(),
        })
    } else {
        Error::Portal(PortalError::PortalConnection {
            url: url.to_string(),
            reason: reason(e),
        })
    }
}

/// A request body (form fields, perhaps a password) whose buffer is wiped when the HTTP client
/// drops it, once sent. (Copies the TLS layer makes are its own.)
fn wiped_after_sending(body: String) -> reqwest::blocking::Body {
    /// The body's bytes, zeroized on drop.
    struct Wiped(Vec<u8>);
    impl AsRef<[u8]> for Wiped {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }
    impl Drop for Wiped {
        fn drop(&mut self) {
            self.0.zeroize();
        }
    }
    reqwest::blocking::Body::from(bytes::Bytes::from_owner(Wiped(body.into_bytes())))
}

/// A failure while reading a body: a timeout or a dropped connection.
fn read_failure(url: &Url, e: &std::io::Error) -> Error {
    let timed_out = e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout);
    if timed_out {
        Error::Portal(PortalError::PortalTimeout {
            url: url.to_string(),
        })
    } else {
        Error::Portal(PortalError::PortalConnection {
            url: url.to_string(),
            reason: e.to_string(),
        })
    }
}

/// The error and its causes, without the URL.
fn reason(e: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;

    /// A one-request HTTP server on loopback: answers `response` (nothing and a closed
    /// connection when it is empty; nothing for `hold` when given).
    fn serve_once(response: &'static str, hold: Option<Duration>) -> Url {
        serve_once_seen(response, hold).0
    }

    /// [`serve_once`], with the request head it received.
    fn serve_once_seen(
        response: &'static str,
        hold: Option<Duration>,
    ) -> (Url, std::sync::mpsc::Receiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let (seen, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = seen.send(String::from_utf8_lossy(&request).into_owned());
            if let Some(hold) = hold {
                std::thread::sleep(hold);
            }
            let _ = stream.write_all(response.as_bytes());
        });
        (url, received)
    }

    fn client(url: &Url, timeout: Duration) -> (Http, SiteProfile) {
        let mut config = PortalConfig::with_base_url(url.clone());
        config.timeout = timeout;
        let login = url.join("Pages/DangNhap.aspx").unwrap();
        (Http::new(&config, login).unwrap(), config.profile)
    }

    fn get(response: &'static str) -> Result<Page> {
        let url = serve_once(response, None);
        let (http, profile) = client(&url, Duration::from_secs(30));
        let page_url = url.join("Pages/OE4001.aspx").unwrap();
        let result = http.get_page(&profile, "/Pages/OE4001.aspx", &page_url);
        assert_eq!(http.request_count(), 1);
        result
    }

    fn answer(status: &str, body: &str) -> &'static str {
        let text = format!(
            "HTTP/1.1 {status}\r\nDate: Mon, 23 Nov 2026 06:34:32 GMT\r\n\
             Content-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        Box::leak(text.into_boxed_str())
    }

    #[test]
    fn a_page_and_its_date() {
        let page = get(answer(
            "200 OK",
            "<html><body><p id=\"x\">Xin chào</p></body></html>",
        ))
        .unwrap();
        assert_eq!(page.date, Some("2026-11-23T06:34:32Z".parse().unwrap()));
        assert_eq!(
            page.text(&Css::parse("#x").unwrap()).as_deref(),
            Some("Xin chào")
        );
    }

    #[test]
    fn the_portals_special_pages_are_typed_errors() {
        let error_page = "<html><body><div id=\"loi-he-thong\">Đã có lỗi xảy ra. Vui lòng thử lại sau.</div></body></html>";
        let err = get(answer("200 OK", error_page)).unwrap_err();
        assert_eq!(err.code(), "portal_error_page");
        let err = get(answer("500 Internal Server Error", error_page)).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Portal(PortalError::PortalUnavailable { status: 500, .. })
            ),
            "{err:?}"
        );
        let err = get(answer("503 Service Unavailable", "")).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Portal(PortalError::PortalUnavailable { status: 503, .. })
            ),
            "{err:?}"
        );
        let maintenance = "<html><body><h1 id=\"bao-tri\">Hệ thống đang bảo trì</h1></body></html>";
        let err = get(answer("503 Service Unavailable", maintenance)).unwrap_err();
        assert_eq!(err, Error::Portal(PortalError::PortalMaintenance));
        let err = get(answer("404 Not Found", "<p>không có</p>")).unwrap_err();
        assert_eq!(err.code(), "portal_unexpected_page");
    }

    #[test]
    fn the_login_redirect_means_an_expired_session() {
        let redirect = "HTTP/1.1 302 Found\r\nLocation: /Pages/DangNhap.aspx?ReturnUrl=%2fPages%2fOE4001.aspx\r\n\
                        Content-Length: 0\r\nConnection: close\r\n\r\n";
        assert_eq!(
            get(redirect).unwrap_err(),
            Error::Portal(PortalError::PortalSessionExpired)
        );
        let insecure = "HTTP/1.1 302 Found\r\nLocation: http://example.com/Pages/OE4001.aspx\r\n\
                        Content-Length: 0\r\nConnection: close\r\n\r\n";
        assert_eq!(get(insecure).unwrap_err().code(), "insecure_portal_url");
    }

    #[test]
    fn the_configured_proxy_carries_https_only() {
        // HTTPS goes through the proxy (a CONNECT tunnel; this proxy refuses it).
        let (proxy, seen) = serve_once_seen(answer("403 Forbidden", ""), None);
        let portal = Url::parse("https://127.0.0.1:9/").unwrap();
        let mut config = PortalConfig::with_base_url(portal.clone());
        config.proxy = Some(proxy.to_string());
        let http = Http::new(&config, portal.join("Pages/DangNhap.aspx").unwrap()).unwrap();
        let page_url = portal.join("Pages/OE4001.aspx").unwrap();
        let err = http.get_page(&config.profile, "p", &page_url).unwrap_err();
        assert_eq!(err.code(), "portal_connection", "{err:?}");
        let head = seen.recv().unwrap();
        assert!(head.starts_with("CONNECT 127.0.0.1:9 HTTP/1.1"), "{head}");

        // Plain HTTP, to loopback, never does.
        let (proxy, seen) = serve_once_seen(answer("200 OK", "<p id=\"x\">qua proxy</p>"), None);
        let direct = serve_once(answer("200 OK", "<p id=\"x\">trực tiếp</p>"), None);
        let mut config = PortalConfig::with_base_url(direct.clone());
        config.proxy = Some(proxy.to_string());
        let http = Http::new(&config, direct.join("Pages/DangNhap.aspx").unwrap()).unwrap();
        let page = http.get_page(&config.profile, "p", &direct).unwrap();
        assert_eq!(
            page.text(&Css::parse("#x").unwrap()).as_deref(),
            Some("trực tiếp")
        );
        assert!(seen.try_recv().is_err());
    }

    #[test]
    fn https_is_https() {
        // A plain HTTP server behind an https:// URL: the TLS handshake fails.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let _ = stream.write_all(answer("400 Bad Request", "").as_bytes());
        });
        let https = Url::parse(&format!("https://127.0.0.1:{port}/")).unwrap();
        let (http, profile) = client(&https, Duration::from_secs(30));
        let err = http.get_page(&profile, "p", &https).unwrap_err();
        assert_eq!(err.code(), "portal_connection", "{err:?}");
    }

    #[test]
    fn transport_failures_are_typed_errors() {
        let err = get("").unwrap_err();
        assert_eq!(err.code(), "portal_connection", "{err:?}");

        let url = serve_once("", Some(Duration::from_secs(5)));
        let (http, profile) = client(&url, Duration::from_millis(300));
        let err = http.get_page(&profile, "p", &url).unwrap_err();
        assert_eq!(err.code(), "portal_timeout", "{err:?}");

        let closed = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap()
        };
        let (http, profile) = client(&closed, Duration::from_secs(30));
        let err = http.get_page(&profile, "p", &closed).unwrap_err();
        assert!(
            matches!(err, Error::Portal(PortalError::PortalConnection { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn a_cancelled_client_sends_nothing_more() {
        let url = serve_once(answer("200 OK", "<html><body>ok</body></html>"), None);
        let (mut http, profile) = client(&url, Duration::from_secs(30));
        let page = url.join("Pages/OE4001.aspx").unwrap();
        http.get_page(&profile, "/Pages/OE4001.aspx", &page)
            .unwrap();
        let token = CancelToken::default();
        http.cancel = token.clone();
        token.cancel();
        let e = http
            .get_page(&profile, "/Pages/OE4001.aspx", &page)
            .unwrap_err();
        assert_eq!(e.code(), "cancelled");
        assert_eq!(http.request_count(), 1, "nothing sent after the cancel");
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Mon, 23 Nov 2026 06:34:32 GMT"),
            Some("2026-11-23T06:34:32Z".parse().unwrap())
        );
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Mon, 23 Nov 262142 06:34:32 GMT"), None);
        assert_eq!(parse_http_date("Mon, 23 Nov 1970 06:34:32 GMT"), None);
    }
}

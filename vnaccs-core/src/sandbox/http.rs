//! What the portal's pages see of HTTP: a request read whole, a response, what to do with the
//! connection ([`Outcome`]), and the [`Handler`] the server calls. No I/O here.

use std::time::Duration;

/// A request, read whole.
#[derive(Debug, Clone)]
pub(super) struct Request {
    /// `GET`, `POST`, … (a `HEAD` is handed over as the `GET` it asks the headers of).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string (without `?`), possibly empty.
    pub query: String,
    /// Header names lower-cased, with their values.
    pub headers: Vec<(String, String)>,
    /// The body (decoded from its transfer encoding).
    pub body: Vec<u8>,
}

impl Request {
    /// The value of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// The decoded query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// A response.
#[derive(Debug, Clone)]
pub(super) struct Response {
    /// Status code.
    pub status: u16,
    /// Headers besides Date, Content-Length and Connection (the server sets those).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of the given content type.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// A UTF-8 HTML page.
    pub fn html(status: u16, body: String) -> Response {
        Self::new(status, "text/html; charset=utf-8", body.into_bytes())
    }

    /// A plain-text answer the server gives by itself (413, 408, …).
    pub fn plain(status: u16, text: &str) -> Response {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    /// A redirect (302) to `location`.
    pub fn redirect(location: &str) -> Response {
        let body = format!(
            "<html><head><title>Object moved</title></head><body>\n<h2>Object moved to <a href=\"{}\">here</a>.</h2>\n</body></html>\n",
            super::html::escape(location)
        );
        let mut response = Self::html(302, body);
        response.headers.push(("Location".into(), location.into()));
        response
    }
}

/// What the connection does with a request.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Send this response.
    Respond(Response),
    /// Send this response after a real-time delay.
    Slow(Duration, Response),
    /// Close the connection without a response.
    Drop,
}

/// What the server asks of the portal.
pub(super) trait Handler: Send + Sync + 'static {
    /// Answers one request.
    fn handle(&self, request: &Request) -> Outcome;

    /// The `Date` header of a response sent now.
    fn date(&self) -> String;
}

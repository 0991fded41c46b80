//! The HTTP/1.1 listener: one thread accepting on loopback, one thread per connection, requests
//! parsed with `httparse`, one response per connection (`Connection: close`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::router::{Outcome, Shared};
use crate::{Error, Result};

/// The largest request (head and body) the sandbox reads.
const MAX_REQUEST: usize = 1 << 20;
/// How many header lines a request may have.
const MAX_HEADERS: usize = 64;
/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed HTTP request.
#[derive(Debug, Clone)]
pub(super) struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string (without `?`), possibly empty.
    pub query: String,
    /// Header names lower-cased, with their values.
    pub headers: Vec<(String, String)>,
    /// The body.
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

/// An HTTP response.
#[derive(Debug, Clone)]
pub(super) struct Response {
    /// Status code.
    pub status: u16,
    /// Headers besides Date, Content-Length and Connection.
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

    /// The bytes on the wire, with `date` as the Date header.
    fn to_bytes(&self, date: &str) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        head.push_str("Server: Microsoft-IIS/8.5\r\nX-AspNet-Version: 4.0.30319\r\n");
        head.push_str("Cache-Control: private\r\n");
        head.push_str(&format!("Date: {date}\r\n"));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// The listener and its accepting thread.
#[derive(Debug)]
pub(super) struct Server {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds the configured address and starts accepting.
    pub fn start(shared: Arc<Shared>) -> Result<Server> {
        let failed = |e: std::io::Error| Error::SandboxStart {
            reason: e.to_string(),
        };
        let listener = TcpListener::bind(shared.config.listen).map_err(failed)?;
        let addr = listener.local_addr().map_err(failed)?;
        let stopping = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stopping);
        let accept = std::thread::Builder::new()
            .name(format!("sandbox-{}", addr.port()))
            .spawn(move || accept_loop(&listener, &flag, &shared))
            .map_err(failed)?;
        Ok(Server {
            addr,
            stopping,
            accept: Some(accept),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and waits for the accepting thread; idempotent.
    pub fn stop(&mut self) {
        let Some(accept) = self.accept.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if accept.join().is_err() {
            tracing::warn!("the sandbox accept thread panicked");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(listener: &TcpListener, stopping: &AtomicBool, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("sandbox-conn".into())
            .spawn(move || serve(stream, &shared));
        if let Err(e) = spawned {
            tracing::warn!(%e, "cannot start a connection thread");
        }
    }
}

/// Reads one request, answers it (or not, for a dropped-connection fault), closes.
fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let outcome = match read_request(&mut stream) {
        Ok(Some(request)) => shared.handle(&request),
        Ok(None) => return,
        Err(status) => Outcome::Respond(Response::new(
            status,
            "text/plain; charset=utf-8",
            reason(status).as_bytes().to_vec(),
        )),
    };
    let response = match outcome {
        Outcome::Drop => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
        Outcome::Respond(response) => response,
        Outcome::Slow(delay, response) => {
            std::thread::sleep(delay);
            response
        }
    };
    let bytes = response.to_bytes(&shared.clock.http_date());
    let _ = stream.write_all(&bytes);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Reads the head and a `Content-Length` body. `Ok(None)`: the peer closed without a request
/// (the stop wake-up). `Err(status)`: a malformed or oversized request.
fn read_request(stream: &mut TcpStream) -> std::result::Result<Option<Request>, u16> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).map_err(|_| 400u16)?;
        if n == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err(400)
            };
        }
        buffer.extend_from_slice(&chunk[..n]);
        if buffer.len() > MAX_REQUEST {
            return Err(413);
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        let head_len = match parsed.parse(&buffer) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => continue,
            Err(_) => return Err(400),
        };
        let method = parsed.method.unwrap_or("GET").to_owned();
        let target = parsed.path.unwrap_or("/");
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let (path, query) = (path.to_owned(), query.to_owned());
        let headers: Vec<(String, String)> = parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect();
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map(|(_, v)| v.trim().parse::<usize>().map_err(|_| 400u16))
            .transpose()?
            .unwrap_or(0);
        if head_len.saturating_add(length) > MAX_REQUEST {
            return Err(413);
        }
        while buffer.len() < head_len + length {
            let n = stream.read(&mut chunk).map_err(|_| 400u16)?;
            if n == 0 {
                return Err(400);
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        return Ok(Some(Request {
            method,
            path,
            query,
            headers,
            body: buffer[head_len..head_len + length].to_vec(),
        }));
    }
}

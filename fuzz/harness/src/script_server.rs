//! A loopback HTTP server that answers each request with the next answer of a script: the
//! portal as the fuzzer writes it. One thread, one connection at a time (the client opens a new
//! connection per request), started once per process.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// The most requests one script answers; later ones are closed without an answer.
const MAX_REQUESTS: usize = 64;
/// The most bytes of a request read (heads and form bodies are small).
const MAX_REQUEST: u64 = 1 << 20;
/// The head of an answer that does not bring its own.
const DEFAULT_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                            Date: Tue, 01 Dec 2026 02:00:00 GMT";

/// The running server and its script.
pub(crate) struct ScriptServer {
    addr: SocketAddr,
    script: Mutex<Script>,
}

#[derive(Default)]
struct Script {
    answers: Vec<Vec<u8>>,
    served: usize,
}

impl ScriptServer {
    /// The process's server, started on first use.
    pub(crate) fn get() -> &'static ScriptServer {
        static SERVER: OnceLock<&'static ScriptServer> = OnceLock::new();
        SERVER.get_or_init(|| {
            let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
            let server: &'static ScriptServer = Box::leak(Box::new(ScriptServer {
                addr: listener.local_addr().expect("its address"),
                script: Mutex::new(Script::default()),
            }));
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    server.answer(stream);
                }
            });
            server
        })
    }

    /// The base URL, `http://127.0.0.1:PORT/`.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Replaces the script: request `i` gets `answers[i]`, requests past the end the last one.
    /// An answer starting with `HTTP/` brings its status line and headers (up to an empty line);
    /// any other is a page's body, served as 200 with a `Date` header.
    pub(crate) fn play(&self, answers: Vec<Vec<u8>>) {
        *self.lock() = Script { answers, served: 0 };
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
        let Ok(reader) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(reader.take(MAX_REQUEST));
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length.min(MAX_REQUEST as usize)];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let answer = {
            let mut script = self.lock();
            script.served += 1;
            if script.served > MAX_REQUESTS {
                return;
            }
            let index = (script.served - 1).min(script.answers.len().saturating_sub(1));
            script.answers.get(index).cloned().unwrap_or_default()
        };
        let _ = (&stream).write_all(&response(&answer));
    }
}

/// The bytes of the HTTP answer for one script entry.
fn response(answer: &[u8]) -> Vec<u8> {
    let (head, body) = match answer.strip_prefix(b"HTTP/") {
        Some(_) => split_head(answer),
        None => (DEFAULT_HEAD.to_owned(), answer),
    };
    let mut out = head.into_bytes();
    out.extend_from_slice(
        format!(
            "\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(body);
    out
}

/// An answer's own head (lines up to the first empty one, with CRLF line ends) and its body.
fn split_head(answer: &[u8]) -> (String, &[u8]) {
    let text_end = answer
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2))
        .or_else(|| {
            answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| (i, i + 4))
        });
    let (head, body) = match text_end {
        Some((end, body)) => (&answer[..end], &answer[body..]),
        None => (answer, &answer[answer.len()..]),
    };
    let head = String::from_utf8_lossy(head)
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\r\n");
    (head, body)
}

//! The sandbox's HTTP/1.1 as an integrator's client meets it, over raw loopback sockets:
//! keep-alive, chunked request bodies, `Expect: 100-continue`, HEAD, size limits, conflicting
//! lengths, slow clients, memory under cookie-less requests, and loopback-only listening.

mod sandbox_common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use sandbox_common::*;
use vnaccs_core::fixtures;
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, TEST_ADMIN_PASSWORD};

/// The tests that measure the process (its RSS, its threads) run alone (write), the others
/// together (read).
static MEASURING: RwLock<()> = RwLock::new(());

fn shared() -> std::sync::RwLockReadGuard<'static, ()> {
    MEASURING
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn alone() -> std::sync::RwLockWriteGuard<'static, ()> {
    MEASURING
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A response as read off the wire.
#[derive(Debug)]
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn cookie(&self) -> String {
        let set = self.header("set-cookie").expect("a session cookie");
        set.split(';').next().unwrap().to_owned()
    }
}

/// One client connection, kept alive across requests.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Conn {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write");
    }

    fn get(&mut self, path: &str, cookie: Option<&str>) -> Raw {
        let cookie = cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        self.send(format!("GET {path} HTTP/1.1\r\nHost: sandbox\r\n{cookie}\r\n").as_bytes());
        self.response(false).expect("a response")
    }

    /// Reads the status line and headers, then a body of the announced length (none after a
    /// HEAD).
    fn response(&mut self, head: bool) -> std::io::Result<Raw> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            let (name, value) = trimmed
                .split_once(':')
                .ok_or(std::io::ErrorKind::InvalidData)?;
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let mut raw = Raw {
            status,
            headers,
            body: Vec::new(),
        };
        if !head && status >= 200 {
            let length: usize = raw
                .header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            raw.body = vec![0; length];
            self.reader.read_exact(&mut raw.body)?;
        }
        Ok(raw)
    }

    /// Whether the server closed the connection (within the read timeout).
    fn closed_by_server(&mut self) -> bool {
        let mut byte = [0u8; 1];
        match self.reader.read(&mut byte) {
            Ok(n) => n == 0,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }
}

/// The sandbox's login page as the test helpers read pages.
fn as_page(sb: &Sandbox, raw: &Raw) -> Page {
    Page {
        status: raw.status,
        url: sb.url().join(LOGIN_PATH).unwrap(),
        location: raw.header("location").map(str::to_owned),
        date: raw.header("date").map(str::to_owned),
        content_type: raw.header("content-type").map(str::to_owned),
        set_cookie: raw.header("set-cookie").is_some(),
        body: raw.body.clone(),
    }
}

/// The urlencoded login form of `page` for the standard enterprise.
fn login_form(page: &Page) -> String {
    let p = pki();
    let cert = &p.set.enterprise_old;
    let challenge = page.value(CHALLENGE).expect("a challenge");
    let content = vnaccs_core::records::signed::login(fixtures::TAX, &challenge);
    let signature = sign_b64(cert, &content);
    let certificate = cert_b64(cert);
    let mut values = page.form_values();
    for (name, value) in [
        (TAX, fixtures::TAX),
        (PASSWORD, TEST_ADMIN_PASSWORD),
        (CERT, certificate.as_str()),
        (SIG, signature.as_str()),
        BTN_LOGIN,
    ] {
        match values.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_owned(),
            None => values.push((name.to_owned(), value.to_owned())),
        }
    }
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(values)
        .finish()
}

fn chunked(body: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

#[test]
fn several_requests_share_one_kept_alive_connection() {
    let _shared = shared();
    let sb = standard_sandbox();
    let mut conn = Conn::open(sb.addr());
    let first = conn.get(LOGIN_PATH, None);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("date"), Some(sb.clock().http_date().as_str()));
    let cookie = first.cookie();
    for path in [LOGIN_PATH, "/Pages/dn.aspx", OE2102] {
        let next = conn.get(path, Some(&cookie));
        assert!(next.status == 200 || next.status == 302, "{path}");
        assert!(next.header("set-cookie").is_none(), "the same session");
    }
    assert_eq!(sb.requests_served(), 4);
}

#[test]
fn a_chunked_login_post_is_read_whole() {
    let _shared = shared();
    let sb = standard_sandbox();
    let mut conn = Conn::open(sb.addr());
    let raw = conn.get(LOGIN_PATH, None);
    let cookie = raw.cookie();
    let form = login_form(&as_page(&sb, &raw));
    let mut request = format!(
        "POST {LOGIN_PATH} HTTP/1.1\r\nHost: sandbox\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    request.extend(chunked(form.as_bytes(), 700));
    conn.send(&request);
    let done = conn.response(false).expect("a response");
    assert_eq!(done.status, 302, "{}", String::from_utf8_lossy(&done.body));
    assert_eq!(done.header("location"), Some("/Pages/TrangChu.aspx"));
    // Logged in, on the same connection.
    assert_eq!(conn.get("/Pages/TrangChu.aspx", Some(&cookie)).status, 200);
}

#[test]
fn expect_100_continue_is_answered_before_the_body_is_sent() {
    let _shared = shared();
    let sb = standard_sandbox();
    let mut conn = Conn::open(sb.addr());
    let raw = conn.get(LOGIN_PATH, None);
    let cookie = raw.cookie();
    let form = login_form(&as_page(&sb, &raw));
    conn.send(
        format!(
            "POST {LOGIN_PATH} HTTP/1.1\r\nHost: sandbox\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Expect: 100-continue\r\n\r\n",
            form.len()
        )
        .as_bytes(),
    );
    conn.writer
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let interim = conn.response(false).expect("an interim answer");
    assert_eq!(interim.status, 100);
    conn.send(form.as_bytes());
    let done = conn.response(false).expect("the final answer");
    assert_eq!(done.status, 302);
    assert_eq!(done.header("location"), Some("/Pages/TrangChu.aspx"));
}

#[test]
fn head_answers_the_headers_of_the_get() {
    let _shared = shared();
    let sb = standard_sandbox();
    let mut conn = Conn::open(sb.addr());
    let get = conn.get("/Pages/dn.aspx", None);
    let cookie = get.cookie();
    conn.send(
        format!("HEAD /Pages/dn.aspx HTTP/1.1\r\nHost: sandbox\r\nCookie: {cookie}\r\n\r\n")
            .as_bytes(),
    );
    let head = conn.response(true).expect("a HEAD answer");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), get.header("content-type"));
    let length: usize = head.header("content-length").unwrap().parse().unwrap();
    assert!(length > 1000, "the GET's length");
    // No body followed: the next answer on the connection reads cleanly.
    assert_eq!(conn.get("/Pages/dn.aspx", Some(&cookie)).status, 200);
}

#[test]
fn a_too_large_body_gets_413() {
    let _shared = shared();
    let sb = standard_sandbox();
    let mut announced = Conn::open(sb.addr());
    announced.send(
        format!(
            "POST {LOGIN_PATH} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: {}\r\n\r\n",
            2 << 20
        )
        .as_bytes(),
    );
    assert_eq!(announced.response(false).unwrap().status, 413);
    let mut streamed = Conn::open(sb.addr());
    let mut request = format!(
        "POST {LOGIN_PATH} HTTP/1.1\r\nHost: sandbox\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    request.extend(chunked(&vec![b'a'; 2 << 20], 64 * 1024));
    let writer = streamed.writer.try_clone().unwrap();
    // The server may answer (and close) before the whole body is written.
    let sending = std::thread::spawn(move || {
        let mut writer = writer;
        let _ = writer.write_all(&request);
    });
    assert_eq!(streamed.response(false).unwrap().status, 413);
    drop(streamed);
    sending.join().unwrap();
}

#[test]
fn a_duplicate_conflicting_content_length_is_rejected() {
    let _shared = shared();
    let sb = standard_sandbox();
    let mut conn = Conn::open(sb.addr());
    conn.send(
        format!(
            "POST {LOGIN_PATH} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 3\r\n\
             Content-Length: 5\r\n\r\nabcde"
        )
        .as_bytes(),
    );
    assert_eq!(conn.response(false).unwrap().status, 400);
    assert_eq!(sb.requests_served(), 0, "never handed to the portal");
}

#[test]
fn a_body_sent_too_slowly_gets_408() {
    let _shared = shared();
    let sb = Sandbox::start(SandboxConfig::default().with_request_timeout(Duration::from_secs(1)))
        .unwrap();
    let mut conn = Conn::open(sb.addr());
    conn.send(
        format!("POST {LOGIN_PATH} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 100\r\n\r\nabc")
            .as_bytes(),
    );
    let started = Instant::now();
    assert_eq!(conn.response(false).unwrap().status, 408);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(conn.closed_by_server());
    assert_eq!(sb.requests_served(), 0);
}

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn slow_clients_neither_hold_up_others_nor_stay_connected() {
    let _alone = alone();
    let p = pki();
    let sb = Sandbox::start(
        SandboxConfig::new(vnaccs_core::sandbox::Scenario::for_test_pki(p.pki, p.set))
            .with_request_timeout(Duration::from_secs(2)),
    )
    .unwrap();
    let before = threads();
    let mut slow: Vec<Conn> = (0..300)
        .map(|i| {
            let mut conn = Conn::open(sb.addr());
            if i % 2 == 1 {
                // Half of them start a request and never finish its head.
                conn.send(b"GET /Pages/dn.aspx HTTP/1.1\r\nHost: sand");
            }
            conn
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let answer = Conn::open(sb.addr()).get("/Pages/dn.aspx", None);
    assert_eq!(answer.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered in {:?}",
        started.elapsed()
    );
    assert!(
        threads() < before + 4,
        "no thread per connection: {} threads, {before} before",
        threads()
    );
    // Past the deadline the server has closed every one of them.
    std::thread::sleep(Duration::from_millis(2500));
    for conn in &mut slow {
        conn.writer
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        assert!(conn.closed_by_server());
    }
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// `count` cookie-less GETs of the login page over four kept-alive connections.
fn cookie_less_requests(addr: SocketAddr, count: usize) {
    let workers: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr);
                for _ in 0..count / 4 {
                    assert_eq!(conn.get(LOGIN_PATH, None).status, 200);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

#[test]
fn cookie_less_requests_hold_bounded_memory() {
    let _alone = alone();
    let sb = standard_sandbox();
    cookie_less_requests(sb.addr(), 4000);
    let held = sb.sessions_held();
    let before = rss_kib();
    cookie_less_requests(sb.addr(), 20_000);
    let grown = rss_kib().saturating_sub(before);
    assert!(grown < 16 * 1024, "RSS grew by {grown} KiB");
    assert_eq!(sb.sessions_held(), held, "capped");
    assert!(held < 4000);
}

#[test]
fn a_non_loopback_listen_is_refused_without_the_opt_in() {
    let _shared = shared();
    let everywhere = SocketAddr::from(([0, 0, 0, 0], 0));
    let refused = Sandbox::start(SandboxConfig::default().with_listen(everywhere)).unwrap_err();
    assert_eq!(refused.code(), "sandbox_remote_listen");
    assert!(
        refused
            .to_string()
            .contains("known test passwords and keys")
    );
    let v6 = Sandbox::start(SandboxConfig::default().with_listen("[::]:0".parse().unwrap()));
    assert_eq!(v6.unwrap_err().code(), "sandbox_remote_listen");
    let opted_in = Sandbox::start(
        SandboxConfig::default()
            .with_listen(everywhere)
            .with_allow_remote(true),
    )
    .expect("served with the opt-in");
    let port = opted_in.addr().port();
    let mut conn = Conn::open(SocketAddr::from(([127, 0, 0, 1], port)));
    assert_eq!(conn.get("/Pages/dn.aspx", None).status, 200);
    let local = Sandbox::start(SandboxConfig::default().with_listen("[::1]:0".parse().unwrap()));
    // IPv6 loopback is loopback (where the machine has it).
    if let Err(e) = local {
        assert_eq!(e.code(), "sandbox_start");
    }
}

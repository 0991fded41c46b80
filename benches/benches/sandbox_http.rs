//! The sandbox portal's HTTP server: GETs of the login page one after another on one kept-alive
//! connection, as a browser (one session cookie) and as a cookie-less client (each request opens
//! a session). Requests per second = 1 / the time per GET. From the command line, the same with
//! `wrk -t1 -c8 -d5s http://127.0.0.1:PORT/Pages/DangNhap.aspx` against `vnaccs sandbox`.
#![allow(missing_docs)] // criterion_group! generates undocumented items.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vnaccs_core::fixtures::TestPki;
use vnaccs_core::sandbox::{Sandbox, SandboxConfig, Scenario};

const LOGIN: &str = "/Pages/DangNhap.aspx";

/// One kept-alive client connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    line: String,
    body: Vec<u8>,
}

impl Conn {
    fn open(sandbox: &Sandbox) -> Conn {
        let stream = TcpStream::connect(sandbox.addr()).unwrap();
        stream.set_nodelay(true).unwrap();
        Conn {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
            line: String::new(),
            body: Vec::new(),
        }
    }

    /// GETs `request` (a whole request head) and reads the answer; returns its Set-Cookie.
    fn get(&mut self, request: &[u8]) -> Option<String> {
        self.writer.write_all(request).unwrap();
        let mut length = 0;
        let mut cookie = None;
        self.line.clear();
        self.reader.read_line(&mut self.line).unwrap();
        assert!(self.line.starts_with("HTTP/1.1 200"), "{}", self.line);
        loop {
            self.line.clear();
            self.reader.read_line(&mut self.line).unwrap();
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            } else if name.eq_ignore_ascii_case("set-cookie") {
                cookie = value.trim().split(';').next().map(str::to_owned);
            }
        }
        self.body.resize(length, 0);
        self.reader.read_exact(&mut self.body).unwrap();
        cookie
    }
}

fn login_page(c: &mut Criterion) {
    let pki = TestPki::new(chrono::Utc::now());
    let set = pki.standard();
    let sandbox = Sandbox::start(SandboxConfig::new(Scenario::for_test_pki(&pki, &set))).unwrap();
    let cookie_less = format!("GET {LOGIN} HTTP/1.1\r\nHost: sandbox\r\n\r\n").into_bytes();
    let mut g = c.benchmark_group("sandbox_http");
    g.throughput(Throughput::Elements(1))
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    g.bench_function("login page GET, kept alive, one session", |b| {
        let mut conn = Conn::open(&sandbox);
        let cookie = conn.get(&cookie_less).unwrap();
        let request = format!("GET {LOGIN} HTTP/1.1\r\nHost: sandbox\r\nCookie: {cookie}\r\n\r\n");
        b.iter(|| conn.get(request.as_bytes()))
    });
    g.bench_function("login page GET, kept alive, cookie-less", |b| {
        let mut conn = Conn::open(&sandbox);
        b.iter(|| conn.get(&cookie_less))
    });
    g.finish();
}

criterion_group!(benches, login_page);
criterion_main!(benches);

//! The HTTP side against a hostile or broken portal on loopback: huge and deep pages, slow
//! answers, redirect chains, and pages pointing the client at another site. Each ends in its
//! typed error within the deadline, with memory bounded and nothing sent to the other site.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use url::Url;

use super::config::PortalConfig;
use super::css::Css;
use super::error::PortalError;
use super::form::Form;
use super::http::Http;
use super::profile::SiteProfile;
use crate::Error;

/// The deadline of the slow cases.
const DEADLINE: Duration = Duration::from_secs(1);
/// How late past the deadline a request may end (scheduling on a busy machine).
const SLACK: Duration = Duration::from_millis(1500);

/// A server on loopback answering every connection on its own thread with `answer`, given the
/// request head.
fn hostile(answer: fn(&mut TcpStream, &str)) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                answer(&mut stream, &String::from_utf8_lossy(&head));
            });
        }
    });
    url
}

/// Another site on loopback that only counts the connections made to it.
fn foreign() -> (Url, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, seen)
}

/// A client of the portal at `url`.
fn client(url: &Url, timeout: Duration) -> (Http, SiteProfile) {
    let mut config = PortalConfig::with_base_url(url.clone());
    config.timeout = timeout;
    let login = url.join("Pages/DangNhap.aspx").unwrap();
    (Http::new(&config, login).unwrap(), config.profile)
}

/// GETs the portal's page at `url` with `timeout`: the error and how long it took.
fn get_err(url: &Url, timeout: Duration) -> (Error, Duration) {
    let (http, profile) = client(url, timeout);
    let started = Instant::now();
    let err = http
        .get_page(
            &profile,
            "/Pages/OE4001.aspx",
            &url.join("Pages/OE4001.aspx").unwrap(),
        )
        .unwrap_err();
    (err, started.elapsed())
}

/// The process's peak resident memory so far, in bytes (Linux; 0 elsewhere).
fn peak_memory() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(0)
}

/// Writes `head`, then the bytes of `chunk` again and again (2 GiB at most) while the client reads.
fn endless(stream: &mut TcpStream, head: &str, chunk: &[u8]) {
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut sent = 0u64;
    while sent < 2 << 30 && stream.write_all(chunk).is_ok() {
        sent += chunk.len() as u64;
    }
}

#[test]
fn a_two_gib_answer_is_refused_at_the_cap_with_bounded_memory() {
    let url = hostile(|stream, _| {
        let chunk = b"<div>".repeat(64 * 1024 / 5);
        endless(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
            &chunk,
        );
    });
    let before = peak_memory();
    let (err, took) = get_err(&url, Duration::from_secs(30));
    let grown = peak_memory().saturating_sub(before);
    eprintln!(
        "2 GiB answer: {} after {took:?}, peak memory grown by {} KiB (peak {} KiB)",
        err.code(),
        grown / 1024,
        peak_memory() / 1024
    );
    assert!(
        matches!(err, Error::Portal(PortalError::PortalResponseTooLarge { limit, .. }) if limit == 8 << 20),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(grown < 64 << 20, "{grown}");

    // An announced length over the cap is refused before the body is read.
    let url = hostile(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\nConnection: close\r\n\r\n<p>",
        );
        std::thread::sleep(Duration::from_secs(5));
    });
    let (err, took) = get_err(&url, Duration::from_secs(30));
    assert_eq!(err.code(), "portal_response_too_large", "{err:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn a_deeply_nested_page_is_refused_before_parsing() {
    let url = hostile(|stream, _| {
        let body = "<div>".repeat(40_000);
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let (err, took) = get_err(&url, Duration::from_secs(30));
    eprintln!("40k nested <div>: {} after {took:?}", err.code());
    assert!(
        matches!(
            err,
            Error::Portal(PortalError::PortalPageTooDeep { limit: 256, .. })
        ),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn a_page_of_too_many_elements_is_refused_before_parsing() {
    let url = hostile(|stream, _| {
        let body = "<b>x</b>".repeat(1 << 20);
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let (err, took) = get_err(&url, Duration::from_secs(30));
    eprintln!("8 MiB of <b>x</b>: {} after {took:?}", err.code());
    assert!(
        matches!(
            err,
            Error::Portal(PortalError::PortalPageTooLarge { limit: 100_000, .. })
        ),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn the_largest_deepest_page_allowed_is_read_quickly() {
    // 255 open elements and, inside, siblings (the 256th level) up to the element limit.
    let url = hostile(|stream, _| {
        let mut body = "<div>".repeat(255);
        body.push_str(&"<b>x</b>".repeat(100_000 - 255));
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let (http, profile) = client(&url, Duration::from_secs(60));
    let before = peak_memory();
    let started = Instant::now();
    let page = http.get_page(&profile, "p", &url).unwrap();
    let took = started.elapsed();
    let grown = peak_memory().saturating_sub(before);
    eprintln!(
        "largest page allowed (depth 256, 100k elements): read in {took:?}, peak memory grown by {} KiB",
        grown / 1024
    );
    assert!(page.has(&Css::parse("b").unwrap()));
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(grown < 64 << 20, "{grown}");
}

#[test]
fn any_timeout_is_usable() {
    let url = hostile(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\n<p>ok</p>",
        );
    });
    for timeout in [Duration::MAX, Duration::ZERO] {
        let (http, profile) = client(&url, timeout);
        let result = http.get_page(&profile, "p", &url);
        if timeout.is_zero() {
            assert_eq!(result.unwrap_err().code(), "portal_timeout");
        } else {
            assert!(result.unwrap().has(&Css::parse("p").unwrap()));
        }
    }
}

#[test]
fn slow_headers_end_at_the_deadline() {
    let url = hostile(|stream, _| {
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\n");
        for _ in 0..200 {
            if stream.write_all(b"X").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let (err, took) = get_err(&url, DEADLINE);
    assert_eq!(err.code(), "portal_timeout", "{err:?}");
    assert!(took < DEADLINE + SLACK, "{took:?}");
}

#[test]
fn a_slow_body_ends_at_the_deadline() {
    let url = hostile(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n<p>",
        );
        for _ in 0..1000 {
            if stream.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let (err, took) = get_err(&url, DEADLINE);
    assert_eq!(err.code(), "portal_timeout", "{err:?}");
    assert!(took < DEADLINE + SLACK, "{took:?}");
}

#[test]
fn a_slow_redirect_chain_ends_at_the_deadline() {
    let url = hostile(|stream, _| {
        std::thread::sleep(Duration::from_millis(300));
        let _ = stream.write_all(
            b"HTTP/1.1 302 Found\r\nLocation: /Pages/next.aspx\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    });
    let (err, took) = get_err(&url, DEADLINE);
    assert_eq!(err.code(), "portal_timeout", "{err:?}");
    assert!(took < DEADLINE + SLACK, "{took:?}");
}

#[test]
fn a_redirect_with_an_unreadable_location_is_an_unexpected_page() {
    let url = hostile(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 302 Found\r\nLocation: /Pages/\xff\xfe.aspx\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    });
    let (err, took) = get_err(&url, DEADLINE);
    assert_eq!(err.code(), "portal_unexpected_page", "{err:?}");
    assert!(err.to_string().contains("Location"), "{err}");
    assert!(took < DEADLINE, "{took:?}");
}

#[test]
fn a_redirect_to_another_site_is_not_followed() {
    let (other, seen) = foreign();
    let port = other.port().unwrap();
    // The server learns the other site's port from the request path.
    let url = hostile(|stream, head| {
        let port = head
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .trim_start_matches("/p");
        let _ = write!(
            stream,
            "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    });
    let (http, profile) = client(&url, DEADLINE);
    let err = http
        .get_page(&profile, "p", &url.join(&format!("p{port}")).unwrap())
        .unwrap_err();
    assert!(
        matches!(&err, Error::Portal(PortalError::PortalForeignOrigin { origin }) if *origin == format!("http://127.0.0.1:{port}")),
        "{err:?}"
    );
    assert_eq!(http.request_count(), 1);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(seen.load(Ordering::SeqCst), 0);
}

/// A page whose form posts to `action` and whose captcha image is `captcha`.
fn page_pointing_at(action: &str, captcha: &str) -> String {
    format!(
        r#"<html><body><form id="form1" method="post" action="{action}">
        <input type="hidden" name="__VIEWSTATE" value="v"/>
        <input type="hidden" name="__VIEWSTATEGENERATOR" value="g"/>
        <input type="hidden" name="__EVENTVALIDATION" value="e"/>
        <input type="text" name="txtMaDN" value=""/>
        <input type="password" name="txtMatKhau" value=""/>
        <img id="imgCaptcha" src="{captcha}"/>
        <input type="submit" name="ctl00$MainContent$btnTimKiem" value="Tìm kiếm"/>
        </form></body></html>"#
    )
}

#[test]
fn a_form_posting_to_another_site_sends_nothing_there() {
    let (other, seen) = foreign();
    let (_, profile) = client(&other, DEADLINE);
    let portal = hostile(|_, _| {});
    let (http, _) = client(&portal, DEADLINE);
    for action in [
        other.join("steal").unwrap().to_string(),
        // The same host on another scheme, and another port of the portal's host.
        portal.as_str().replace("http:", "https:"),
        format!("//127.0.0.1:{}/steal", other.port().unwrap()),
    ] {
        let page = super::page::Page::new(
            "p",
            portal.join("Pages/OE4001.aspx").unwrap(),
            None,
            &page_pointing_at(&action, "/captcha.ashx"),
        );
        let mut form = Form::parse(&page, &profile).unwrap();
        form.set("txtMatKhau", "MatKhauBiMat1").unwrap();
        let post = form.click(&profile.pages.oe4001.buttons.search).unwrap();
        let err = http.post_page(&profile, "p", &post).unwrap_err();
        assert_eq!(err.code(), "portal_foreign_origin", "{action}: {err:?}");
        assert!(!err.to_string().contains("MatKhauBiMat1"));
    }
    assert_eq!(http.request_count(), 0);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(seen.load(Ordering::SeqCst), 0);
}

#[test]
fn a_captcha_image_on_another_site_is_not_fetched() {
    let (other, seen) = foreign();
    let portal = hostile(|_, _| {});
    let (http, profile) = client(&portal, DEADLINE);
    let captcha = other.join("captcha.ashx").unwrap();
    let page = super::page::Page::new(
        "p",
        portal.join("Pages/dn.aspx").unwrap(),
        None,
        &page_pointing_at("", captcha.as_str()),
    );
    let src = page
        .first(&Css::parse("#imgCaptcha").unwrap())
        .and_then(|img| img.value().attr("src").map(str::to_owned))
        .unwrap();
    let err = http
        .get_bytes(&profile, &page.url.join(&src).unwrap())
        .unwrap_err();
    assert_eq!(err.code(), "portal_foreign_origin", "{err:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(seen.load(Ordering::SeqCst), 0);
}

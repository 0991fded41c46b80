//! The portal client behind a hostile relay on loopback: the sandbox's pages, rewritten so that a
//! form posts to another site or the captcha image lives there. The client refuses before it
//! sends anything there: no field, no password, no cookie reaches the other site.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use secrecy::SecretString;
use url::Url;
use vnaccs_core::fixtures::{self};
use vnaccs_core::portal::{PortalClient, PortalConfig};
use vnaccs_core::sandbox::{
    Sandbox, SandboxConfig, Scenario, TEST_ADMIN_PASSWORD, TEST_REPRESENTATIVE_ID,
};
use vnaccs_core::sign::Signer;

/// How the relay rewrites each HTML page.
type Rewrite = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// Reads a request or response: its head and its `Content-Length` body (none without one).
fn read_message(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut buf).ok().filter(|&n| n > 0)?;
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    Some((head, body))
}

/// A relay on loopback in front of `upstream` that passes every request on and rewrites the
/// HTML pages it answers with `rewrite`.
fn relay(upstream: SocketAddr, rewrite: Rewrite) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let rewrite = Arc::clone(&rewrite);
            std::thread::spawn(move || {
                let Some((head, body)) = read_message(&mut client) else {
                    return;
                };
                let mut server = TcpStream::connect(upstream).unwrap();
                server.write_all(head.as_bytes()).unwrap();
                server.write_all(&body).unwrap();
                let Some((head, body)) = read_message(&mut server) else {
                    return;
                };
                let body = if head.to_ascii_lowercase().contains("text/html") {
                    rewrite(&String::from_utf8_lossy(&body)).into_bytes()
                } else {
                    body
                };
                let head: String = head
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(|line| {
                        if line.to_ascii_lowercase().starts_with("content-length:") {
                            format!("Content-Length: {}\r\n", body.len())
                        } else {
                            format!("{line}\r\n")
                        }
                    })
                    .collect();
                let _ = client.write_all(format!("{head}\r\n").as_bytes());
                let _ = client.write_all(&body);
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
    let count = Arc::clone(&seen);
    std::thread::spawn(move || {
        for _ in listener.incoming() {
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, seen)
}

/// The sandbox with the test PKI's enterprise, a relay in front of it rewriting pages with
/// `rewrite`, and a client of the relay.
fn behind_relay(rewrite: Rewrite) -> (Sandbox, PortalClient, fixtures::StandardSet) {
    let (pki, set) = fixtures::test_pki();
    let set = set.clone();
    let sandbox = Sandbox::start(SandboxConfig::new(Scenario::for_test_pki(pki, &set))).unwrap();
    let url = relay(sandbox.addr(), rewrite);
    let client = PortalClient::new(PortalConfig::with_base_url(url)).unwrap();
    (sandbox, client, set)
}

fn signer(issued: &fixtures::Issued) -> Arc<dyn Signer> {
    issued.signer()
}

#[test]
fn a_login_form_posting_to_another_site_sends_it_nothing() {
    let (other, seen) = foreign();
    let target = other.to_string();
    let (sandbox, client, set) = behind_relay(Arc::new(move |html: &str| {
        html.replace("action=\"", &format!("action=\"{target}"))
    }));
    let err = client
        .login(
            &fixtures::TAX.parse().unwrap(),
            &SecretString::from(TEST_ADMIN_PASSWORD),
            &signer(&set.enterprise_old),
        )
        .unwrap_err();
    assert_eq!(err.code(), "portal_foreign_origin", "{err:?}");
    assert!(
        err.to_string()
            .contains(other.port().unwrap().to_string().as_str())
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "nothing reached the other site"
    );
    // Only the login page was read; no post reached the portal either.
    assert_eq!(sandbox.requests_served(), 1);
}

#[test]
fn a_captcha_image_on_another_site_is_not_fetched() {
    let (other, seen) = foreign();
    let target = other.to_string();
    let (sandbox, client, set) = behind_relay(Arc::new(move |html: &str| {
        html.replace(
            "src=\"/CaptchaImage.ashx",
            &format!("src=\"{target}CaptchaImage.ashx"),
        )
    }));
    let mut asked = 0;
    let err = client
        .register_certificate(
            &fixtures::TAX.parse().unwrap(),
            &TEST_REPRESENTATIVE_ID.parse().unwrap(),
            &signer(&set.enterprise_new),
            None,
            &mut |_| {
                asked += 1;
                None
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "portal_foreign_origin", "{err:?}");
    assert_eq!(asked, 0);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "nothing reached the other site"
    );
    assert_eq!(sandbox.requests_served(), 1);
}

#[test]
fn the_relay_alone_changes_nothing() {
    // The same relay, rewriting nothing: the login goes through (so the refusals above are the
    // rewrites' doing).
    let (_sandbox, client, set) = behind_relay(Arc::new(str::to_owned));
    client
        .login(
            &fixtures::TAX.parse().unwrap(),
            &SecretString::from(TEST_ADMIN_PASSWORD),
            &signer(&set.enterprise_old),
        )
        .unwrap();
}

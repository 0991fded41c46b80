//! Where and how the client connects: base URLs, timeout, proxy, extra trusted CAs, user agent.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use url::{Host, Url};

use super::error::PortalError;
use super::profile::SiteProfile;
use crate::timing::{Clock, SystemClock};
use crate::{Error, Result};

/// The client's settings. HTTPS certificate checks are always on; plain HTTP is allowed only to
/// loopback IP addresses (127.0.0.0/8, ::1), as for a local sandbox, and never through the proxy.
/// Every request stays on the two sites' origins (scheme, host and port).
///
/// Built with [`PortalConfig::new`] or [`PortalConfig::with_base_url`] and the `with_…` setters
/// (more settings may come: the struct is `#[non_exhaustive]`).
#[derive(Clone)]
#[non_exhaustive]
pub struct PortalConfig {
    /// The registration site's base URL (screen A).
    pub registration_url: Url,
    /// The VNACCS site's base URL (screens B–F).
    pub vnaccs_url: Url,
    /// How the pages are read and driven.
    pub profile: SiteProfile,
    /// The time allowed for each request: connect, send, redirects and the whole answer.
    /// Default 30 s; at most one day is used.
    pub timeout: Duration,
    /// The most bytes of an answer read; a longer one is refused. Default 8 MiB.
    pub max_body: usize,
    /// A proxy for every HTTPS request, e.g. `http://proxy.local:3128`.
    pub proxy: Option<String>,
    /// Extra trusted root certificates (DER), added to the built-in web roots.
    pub extra_roots: Vec<Vec<u8>>,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Where "now" comes from (the signing time of each signature, and the instants of an update
    /// run with these settings); default the system clock.
    pub clock: Arc<dyn Clock>,
    /// Where to record every exchange as HAR 1.2, secrets redacted (password fields, the captcha
    /// answer, cookies); none by default.
    pub har: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for PortalConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalConfig")
            .field("registration_url", &self.registration_url.as_str())
            .field("vnaccs_url", &self.vnaccs_url.as_str())
            .field("profile", &self.profile.name())
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .field("proxy", &self.proxy.as_deref().map(redacted))
            .field("extra_roots", &self.extra_roots.len())
            .field("user_agent", &self.user_agent)
            .field("har", &self.har)
            .finish_non_exhaustive()
    }
}

/// A proxy URL with its password (if any) masked, for messages.
pub(crate) fn redacted(proxy: &str) -> String {
    match Url::parse(proxy) {
        Ok(mut url) if url.password().is_some() => {
            // Setting a password fails only for URLs that cannot have one.
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) => "(unparsable proxy URL)".into(),
    }
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl PortalConfig {
    /// The default settings: the real sites as the default profile names them.
    pub fn new() -> Self {
        let profile = SiteProfile::default();
        PortalConfig {
            registration_url: profile.registration_url().clone(),
            vnaccs_url: profile.vnaccs_url().clone(),
            profile,
            timeout: Duration::from_secs(30),
            max_body: 8 << 20,
            proxy: None,
            extra_roots: Vec::new(),
            user_agent: format!("vnaccs/{}", crate::VERSION),
            clock: Arc::new(SystemClock),
            har: None,
        }
    }

    /// The default settings with both sites at one base URL (the sandbox serves both).
    pub fn with_base_url(url: url::Url) -> Self {
        PortalConfig {
            registration_url: url.clone(),
            vnaccs_url: url,
            ..Self::new()
        }
    }

    /// With the registration site (screen A) at `url`.
    pub fn with_registration_url(mut self, url: Url) -> Self {
        self.registration_url = url;
        self
    }

    /// With the VNACCS site (screens B–F) at `url`.
    pub fn with_vnaccs_url(mut self, url: Url) -> Self {
        self.vnaccs_url = url;
        self
    }

    /// With the pages read and driven by `profile`.
    pub fn with_profile(mut self, profile: SiteProfile) -> Self {
        self.profile = profile;
        self
    }

    /// With `timeout` for each request.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// With at most `max_body` bytes read of an answer.
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// With every HTTPS request through the proxy `proxy` (`None`: direct).
    pub fn with_proxy(mut self, proxy: Option<String>) -> Self {
        self.proxy = proxy;
        self
    }

    /// With extra trusted root certificates (DER).
    pub fn with_extra_roots(mut self, roots: Vec<Vec<u8>>) -> Self {
        self.extra_roots = roots;
        self
    }

    /// With `user_agent` as the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Recording every exchange as HAR 1.2 to `path` (secrets redacted).
    pub fn with_har(mut self, path: Option<std::path::PathBuf>) -> Self {
        self.har = path;
        self
    }

    /// With "now" taken from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks that both base URLs are HTTPS, or plain HTTP to a loopback IP address.
    pub(crate) fn check_urls(&self) -> Result<()> {
        for url in [&self.registration_url, &self.vnaccs_url] {
            check_secure(url)?;
        }
        Ok(())
    }
}

/// HTTPS, or plain HTTP to a loopback IP address (not a name: a name can resolve anywhere).
pub(crate) fn check_secure(url: &Url) -> Result<()> {
    let ok = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            Some(Host::Domain(_)) | None => false,
        },
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Portal(PortalError::InsecurePortalUrl {
            url: url.to_string(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> bool {
        check_secure(&Url::parse(url).unwrap()).is_ok()
    }

    #[test]
    fn https_anywhere_http_only_to_loopback() {
        assert!(check("https://dknsd.customs.gov.vn/"));
        assert!(check("https://103.248.160.14/"));
        assert!(check("http://127.0.0.1:8080/"));
        assert!(check("http://127.8.9.10/"));
        assert!(check("http://[::1]:9000/"));
        assert!(!check("http://localhost:9000/"));
        assert!(!check("http://LOCALHOST/"));
        assert!(!check("http://dknsd.customs.gov.vn/"));
        assert!(!check("http://103.248.160.14/"));
        assert!(!check("http://10.0.0.1/"));
        assert!(!check("http://[::2]/"));
        assert!(!check("http://localhost.evil.example/"));
        assert!(!check("ftp://127.0.0.1/"));
        assert!(!check("file:///etc/passwd"));
        let err = check_secure(&Url::parse("http://example.com/").unwrap()).unwrap_err();
        assert_eq!(err.code(), "insecure_portal_url");
    }

    #[test]
    fn proxy_passwords_are_never_shown() {
        let mut c = PortalConfig::new();
        c.proxy = Some("http://nv:MatKhau123@proxy.congty.vn:3128".into());
        let shown = format!("{c:?}");
        assert!(!shown.contains("MatKhau123"), "{shown}");
        assert!(shown.contains("proxy.congty.vn"), "{shown}");
        assert_eq!(redacted("không phải URL"), "(unparsable proxy URL)");
    }

    #[test]
    fn defaults() {
        let c = PortalConfig::new();
        assert_eq!(c.vnaccs_url.as_str(), "https://dknsd.customs.gov.vn/");
        assert_eq!(c.timeout, Duration::from_secs(30));
        assert_eq!(c.max_body, 8 * 1024 * 1024);
        assert!(c.check_urls().is_ok());
        let local = PortalConfig::with_base_url(Url::parse("http://127.0.0.1:4000/").unwrap());
        assert_eq!(local.registration_url, local.vnaccs_url);
        assert!(local.check_urls().is_ok());
    }
}

//! The portal client: settings, the HTTP side, the login memory, and helpers the operations share.

use base64ct::{Base64, Encoding};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use url::Url;

use super::cancel::CancelToken;
use super::config::PortalConfig;
use super::error::PortalError;
use super::form::{Form, Postback};
use super::http::Http;
use super::kept::KeptPage;
use super::page::Page;
use super::profile::{PageLocation, Site, SiteProfile};
use super::session::SessionMemory;
use crate::sign::{DigestAlgorithm, Signer, sign_detached_at};
use crate::timing::vietnam_offset;
use crate::{Error, Result};

/// A client of the two customs websites. All methods take `&self` and block; one client keeps
/// one portal session (cookies) and may be shared between threads.
pub struct PortalClient {
    pub(crate) config: PortalConfig,
    pub(crate) http: Http,
    pub(crate) session: SessionMemory,
    /// The last OE4001 search's answer, for a send that follows it at once.
    pub(crate) kept_search: KeptPage,
    /// The last OE2102 declarant list, for a save that follows it at once.
    pub(crate) kept_declarants: KeptPage,
}

impl std::fmt::Debug for PortalClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalClient")
            .field("registration_url", &self.config.registration_url.as_str())
            .field("vnaccs_url", &self.config.vnaccs_url.as_str())
            .field("profile", &self.config.profile.name())
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

impl PortalClient {
    /// A client for `config`. Fails with [`PortalError::InsecurePortalUrl`] for a base URL that is
    /// not HTTPS (plain HTTP is allowed to loopback addresses only).
    pub fn new(config: PortalConfig) -> Result<PortalClient> {
        config.check_urls()?;
        let login_url = page_url(&config, &config.profile.pages.login)?;
        let http = Http::new(&config, login_url)?;
        Ok(PortalClient {
            config,
            http,
            session: SessionMemory::default(),
            kept_search: KeptPage::default(),
            kept_declarants: KeptPage::default(),
        })
    }

    /// The number of HTTP requests sent so far.
    pub fn request_count(&self) -> u64 {
        self.http.request_count()
    }

    /// Makes this client stop, before its next request, once `token` is cancelled (replacing
    /// any token set before).
    pub fn set_cancel_token(&mut self, token: CancelToken) {
        self.http.cancel = token;
    }

    /// The site profile in use.
    pub fn profile(&self) -> &SiteProfile {
        &self.config.profile
    }

    /// GETs a page of the profile.
    pub(crate) fn open(&self, location: &impl PageLocation) -> Result<Page> {
        let url = page_url(&self.config, location)?;
        self.http.get_page(self.profile(), location.path(), &url)
    }

    /// Posts a postback of a page of the profile.
    pub(crate) fn post(&self, location: &impl PageLocation, post: &Postback) -> Result<Page> {
        self.http.post_page(self.profile(), location.path(), post)
    }

    /// The page's form.
    pub(crate) fn form(&self, page: &Page) -> Result<Form> {
        Form::parse(page, self.profile())
    }
}

/// The URL of a page: its site's base URL joined with its path (a base path prefix is kept).
pub(crate) fn page_url(config: &PortalConfig, location: &impl PageLocation) -> Result<Url> {
    let base = match location.site() {
        Site::Registration => &config.registration_url,
        Site::Vnaccs => &config.vnaccs_url,
    };
    let mut base = base.clone();
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join(location.path().trim_start_matches('/'))
        .map_err(|e| {
            Error::Portal(PortalError::SiteProfile {
                reason: format!("the page path {:?} is not a URL path: {e}", location.path()),
            })
        })
}

/// The two hidden fields of a signed step: the signer's certificate and a detached CMS
/// signature (SHA-256) over `content`, both base64 DER.
pub(crate) struct SignedFields {
    pub certificate: String,
    pub signature: String,
}

/// Signs `content` with `signer` for a signed step, signing time `now`.
pub(crate) fn sign_step(
    signer: &dyn Signer,
    content: &[u8],
    now: DateTime<Utc>,
) -> Result<SignedFields> {
    let cms = sign_detached_at(signer, content, DigestAlgorithm::Sha256, now.into())?;
    Ok(SignedFields {
        certificate: Base64::encode_string(signer.certificate_der()),
        signature: Base64::encode_string(&cms),
    })
}

/// A certificate as the `certificate` hidden field carries it.
pub(crate) fn certificate_field(der: &[u8]) -> String {
    Base64::encode_string(der)
}

/// The portal's date format, dd/MM/yyyy.
const DATE: &str = "%d/%m/%Y";
/// The portal's local date-time format, dd/MM/yyyy HH:mm:ss (Asia/Ho_Chi_Minh).
const DATE_TIME: &str = "%d/%m/%Y %H:%M:%S";

/// A date as the portal shows it.
pub(crate) fn format_date(date: NaiveDate) -> String {
    date.format(DATE).to_string()
}

/// A date the page shows (dd/MM/yyyy, in the years of [`crate::dates::YEARS`]); an unexpected
/// page otherwise.
pub(crate) fn parse_date(page: &Page, what: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), DATE)
        .ok()
        .filter(|d| crate::dates::date_in_range(*d))
        .ok_or_else(|| page.unexpected(format!("{what} {text:?} is not a dd/MM/yyyy date")))
}

/// A local date-time the page shows (dd/MM/yyyy HH:mm:ss, Vietnam time, in the years of
/// [`crate::dates::YEARS`]) as UTC.
pub(crate) fn parse_local_time(page: &Page, what: &str, text: &str) -> Result<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), DATE_TIME)
        .ok()
        .filter(|t| crate::dates::date_in_range(t.date()))
        .and_then(|t| t.and_local_timezone(vietnam_offset()).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            page.unexpected(format!("{what} {text:?} is not a dd/MM/yyyy HH:mm:ss time"))
        })
}

/// The portal's clock at `page`: its `Date` header.
pub(crate) fn portal_time(page: &Page) -> Result<DateTime<Utc>> {
    page.date
        .ok_or_else(|| page.unexpected("the answer has no Date header (or one out of range)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_keep_a_base_prefix() {
        let profile = SiteProfile::default();
        let mut config = PortalConfig::with_base_url(Url::parse("http://127.0.0.1:4000").unwrap());
        let url = page_url(&config, &profile.pages.oe4001).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:4000/Pages/OE4001.aspx");
        config.vnaccs_url = Url::parse("https://example.vn/dknsd").unwrap();
        let url = page_url(&config, &profile.pages.oe4001).unwrap();
        assert_eq!(url.as_str(), "https://example.vn/dknsd/Pages/OE4001.aspx");
        let url = page_url(&config, &profile.pages.register).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:4000/Pages/DangKyChuKySo.aspx"
        );
    }

    #[test]
    fn dates_and_times() {
        let page = Page::new("p", Url::parse("http://127.0.0.1/").unwrap(), None, "");
        let d = parse_date(&page, "date", " 22/11/2026 ").unwrap();
        assert_eq!(format_date(d), "22/11/2026");
        assert!(parse_date(&page, "date", "2026-11-22").is_err());
        assert!(parse_date(&page, "date", "01/01/262142").is_err());
        assert!(parse_date(&page, "date", "31/12/1989").is_err());
        assert!(parse_local_time(&page, "sent", "01/01/262142 00:00:00").is_err());
        let t = parse_local_time(&page, "sent", "23/11/2026 00:30:00").unwrap();
        assert_eq!(t, "2026-11-22T17:30:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(
            parse_local_time(&page, "sent", "").unwrap_err().code(),
            "portal_unexpected_page"
        );
        assert_eq!(
            portal_time(&page).unwrap_err().code(),
            "portal_unexpected_page"
        );
    }

    #[test]
    fn the_client_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<PortalClient>();
        shared::<PortalConfig>();
    }

    #[test]
    fn plain_http_to_another_host_is_refused() {
        let config = PortalConfig::with_base_url(Url::parse("http://customs.gov.vn/").unwrap());
        assert_eq!(
            PortalClient::new(config).unwrap_err().code(),
            "insecure_portal_url"
        );
    }
}

//! The last page a read answered, kept so that the next step can act on it instead of asking the
//! portal for the same page again: valid only while no request has been sent since.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use url::Url;

use super::page::Page;

/// A page's source text with where it came from (the parsed page itself cannot cross threads).
struct Source {
    /// The client's request count when the page was answered.
    after: u64,
    name: String,
    url: Url,
    date: Option<DateTime<Utc>>,
    text: Arc<str>,
}

/// At most one kept page.
#[derive(Default)]
pub(crate) struct KeptPage(Mutex<Option<Source>>);

impl KeptPage {
    /// Keeps `page`, answered when `requests` had been sent.
    pub fn keep(&self, page: &Page, requests: u64) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Source {
            after: requests,
            name: page.name.clone(),
            url: page.url.clone(),
            date: page.date,
            text: page.text.clone(),
        });
    }

    /// The kept page, taken, when it is still the latest answer (no request sent since,
    /// `requests` sent so far) and is the page `name`; otherwise nothing.
    pub fn take(&self, name: &str, requests: u64) -> Option<Page> {
        let kept = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        (kept.after == requests && kept.name == name)
            .then(|| Page::new(&kept.name, kept.url, kept.date, &kept.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        let url = Url::parse("http://127.0.0.1/Pages/OE4001.aspx").unwrap();
        Page::new("/Pages/OE4001.aspx", url, None, "<p id=x>kept</p>")
    }

    #[test]
    fn a_kept_page_serves_once_and_only_while_nothing_was_sent_since() {
        let kept = KeptPage::default();
        let p = page();
        kept.keep(&p, 7);
        assert!(kept.take("/Pages/OE2102.aspx", 7).is_none(), "another page");
        assert!(
            kept.take("/Pages/OE4001.aspx", 7).is_none(),
            "taken by the miss"
        );
        kept.keep(&p, 7);
        assert!(
            kept.take("/Pages/OE4001.aspx", 8).is_none(),
            "a request since"
        );
        kept.keep(&p, 7);
        let again = kept
            .take("/Pages/OE4001.aspx", 7)
            .expect("still the latest");
        assert_eq!(again.name, "/Pages/OE4001.aspx");
        assert_eq!(&*again.text, "<p id=x>kept</p>");
        assert!(kept.take("/Pages/OE4001.aspx", 7).is_none(), "served once");
    }
}

//! `__VIEWSTATE` and `__EVENTVALIDATION`: opaque tokens issued per session and page render; a
//! postback must bring back the latest pair unchanged and may only raise the events the render
//! offered.

use std::any::Any;
use std::collections::BTreeSet;
use std::sync::Arc;

use base64ct::{Base64, Encoding};
use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;
use sha2::{Digest, Sha256};

/// The hidden field names of a WebForms page.
pub(super) const VIEWSTATE: &str = "__VIEWSTATE";
/// The viewstate generator field (a per-page constant).
pub(super) const GENERATOR: &str = "__VIEWSTATEGENERATOR";
/// The event validation field.
pub(super) const EVENT_VALIDATION: &str = "__EVENTVALIDATION";
/// The postback target field.
pub(super) const EVENT_TARGET: &str = "__EVENTTARGET";
/// The postback argument field.
pub(super) const EVENT_ARGUMENT: &str = "__EVENTARGUMENT";

/// What a page remembers of its render, opaque here: the page that rendered it reads it back (its
/// type belongs to the pages, above this module).
pub(super) type PageMemory = Arc<dyn Any + Send + Sync>;

/// What the server remembers of the latest render of a page in a session.
#[derive(Debug, Clone)]
pub(super) struct PageState {
    /// The `__VIEWSTATE` issued.
    pub viewstate: String,
    /// The `__EVENTVALIDATION` issued.
    pub event_validation: String,
    /// The events the render offered: button names, and `target|argument` postbacks.
    pub events: BTreeSet<String>,
    /// The page's own state (what was shown).
    pub data: PageMemory,
}

impl PageState {
    /// A fresh pair of tokens for a render of `path`.
    pub fn issue(rng: &mut ChaCha20Rng, events: BTreeSet<String>, data: PageMemory) -> PageState {
        let mut state = [0u8; 60];
        rng.fill_bytes(&mut state);
        let mut validation = [0u8; 36];
        rng.fill_bytes(&mut validation);
        PageState {
            viewstate: format!("/wEPDwUK{}", Base64::encode_string(&state)),
            event_validation: format!("/wEdAA{}", Base64::encode_string(&validation)),
            events,
            data,
        }
    }

    /// Whether the posted tokens are the ones issued.
    pub fn matches(&self, viewstate: Option<&str>, event_validation: Option<&str>) -> bool {
        viewstate == Some(self.viewstate.as_str())
            && event_validation == Some(self.event_validation.as_str())
    }
}

/// The `__VIEWSTATEGENERATOR` of a page: a constant derived from its path.
pub(super) fn generator(path: &str) -> String {
    let digest = Sha256::digest(path.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02X}")).collect()
}

/// The event key of a postback link.
pub(super) fn postback_event(target: &str, argument: &str) -> String {
    format!("{target}|{argument}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn tokens_differ_per_render_and_must_match() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let a = PageState::issue(&mut rng, BTreeSet::new(), Arc::new(()));
        let b = PageState::issue(&mut rng, BTreeSet::new(), Arc::new(()));
        assert_ne!(a.viewstate, b.viewstate);
        assert!(a.matches(Some(&a.viewstate), Some(&a.event_validation)));
        assert!(!a.matches(Some(&b.viewstate), Some(&a.event_validation)));
        assert!(!a.matches(None, Some(&a.event_validation)));
        assert_eq!(generator("/Pages/dn.aspx").len(), 8);
    }
}

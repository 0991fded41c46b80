//! A CSS selector of the site profile, parsed once when the profile loads: a selector that does
//! not parse is a profile error at load, never later at a page.

use scraper::Selector;
use serde::Deserialize;

use super::error::PortalError;
use crate::{Error, Result};

/// A parsed CSS selector with the text it was parsed from (shown in errors).
#[derive(Clone)]
pub(crate) struct Css {
    text: String,
    selector: Selector,
}

impl Css {
    /// Parses `text`; a [`Error::SiteProfile`] when it does not parse.
    pub fn parse(text: &str) -> Result<Css> {
        Css::try_from(text).map_err(|reason| Error::Portal(PortalError::SiteProfile { reason }))
    }

    /// The parsed selector.
    pub fn selector(&self) -> &Selector {
        &self.selector
    }
}

impl TryFrom<&str> for Css {
    /// Why the selector does not parse.
    type Error = String;

    fn try_from(text: &str) -> std::result::Result<Css, String> {
        match Selector::parse(text) {
            Ok(selector) => Ok(Css {
                text: text.to_owned(),
                selector,
            }),
            Err(e) => Err(format!("the CSS selector {text:?} does not parse: {e}")),
        }
    }
}

impl std::fmt::Display for Css {
    /// The selector's text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for Css {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Css({:?})", self.text)
    }
}

impl PartialEq for Css {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<'de> Deserialize<'de> for Css {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Css::try_from(text.as_str()).map_err(serde::de::Error::custom)
    }
}

/// An optional selector: absent or empty in the profile means `None`.
pub(crate) fn optional<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Css>, D::Error> {
    let text = String::deserialize(d)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    Css::parse(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_parses_once_or_is_a_profile_error() {
        let css = Css::parse("#menu-chinh li").unwrap();
        assert_eq!(css.to_string(), "#menu-chinh li");
        assert_eq!(css, Css::parse("#menu-chinh li").unwrap());
        let err = Css::parse("a[").unwrap_err();
        assert_eq!(err.code(), "site_profile");
        assert!(err.to_string().contains("a["), "{err}");
    }
}

//! The one lookup every rendered and read field name goes through, so that a test can rename a
//! field (`SandboxConfig::renames`) and the pages stay consistent.

use std::collections::{BTreeMap, BTreeSet};

/// Field names after the configured renames, and the buttons rendered as postback links.
#[derive(Debug, Clone, Default)]
pub(super) struct Fields {
    renames: BTreeMap<String, String>,
    links: BTreeSet<String>,
}

impl Fields {
    /// The lookup for these renames (old name → new name).
    pub fn new(renames: BTreeMap<String, String>) -> Fields {
        Fields {
            renames,
            links: BTreeSet::new(),
        }
    }

    /// With the buttons originally named in `links` rendered as postback links.
    pub fn with_links(mut self, links: BTreeSet<String>) -> Fields {
        self.links = links;
        self
    }

    /// Whether the button originally called `original` is rendered as a postback link.
    pub fn is_link(&self, original: &str) -> bool {
        self.links.contains(original)
    }

    /// The name the pages use for the field originally called `original`.
    pub fn name<'a>(&'a self, original: &'a str) -> &'a str {
        self.renames.get(original).map_or(original, String::as_str)
    }

    /// The element id ASP.NET gives the field: `ctl00$MainContent$txtX` → `MainContent_txtX`.
    pub fn id(&self, original: &str) -> String {
        id_of(self.name(original))
    }
}

/// The element id of an ASP.NET control name.
pub(super) fn id_of(name: &str) -> String {
    name.strip_prefix("ctl00$")
        .unwrap_or(name)
        .replace('$', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_apply_to_names_and_ids() {
        let fields = Fields::new(BTreeMap::from([(
            "ctl00$MainContent$txtMaDN".to_owned(),
            "ctl00$MainContent$txtMST".to_owned(),
        )]));
        assert_eq!(
            fields.name("ctl00$MainContent$txtMaDN"),
            "ctl00$MainContent$txtMST"
        );
        assert_eq!(fields.id("ctl00$MainContent$txtMaDN"), "MainContent_txtMST");
        assert_eq!(
            fields.id("ctl00$MainContent$txtSoCMT"),
            "MainContent_txtSoCMT"
        );
    }
}

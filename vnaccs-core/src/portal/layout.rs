//! What a page lacks of the site profile: the missing items, the operation that needed them, and
//! a short fingerprint of the page so that two reports of the same change can be matched.

use std::cell::Cell;

use sha2::{Digest, Sha256};

/// The kind of a site profile item a page can lack.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemKind {
    /// A form field, by its HTML name.
    Field,
    /// A submit button, by its HTML name.
    Button,
    /// An element, by its CSS selector.
    Selector,
    /// A portal message, by its wordings.
    Message,
}

impl ItemKind {
    /// The kind in English: `field`, `button`, `selector`, `message`.
    pub fn en(self) -> &'static str {
        match self {
            Self::Field => "field",
            Self::Button => "button",
            Self::Selector => "selector",
            Self::Message => "message",
        }
    }

    /// The kind in Vietnamese.
    pub fn vi(self) -> &'static str {
        match self {
            Self::Field => "trường",
            Self::Button => "nút",
            Self::Selector => "phần tử",
            Self::Message => "thông báo",
        }
    }
}

/// One item of the site profile a page lacks: its kind and its name in the profile (an HTML
/// name, a CSS selector, or a message's wordings).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MissingItem {
    /// What kind of item.
    pub kind: ItemKind,
    /// Its name in the profile.
    pub name: String,
}

impl MissingItem {
    /// A missing item of `kind` named `name`.
    pub fn new(kind: ItemKind, name: impl Into<String>) -> Self {
        MissingItem {
            kind,
            name: name.into(),
        }
    }

    /// The items, English, comma-separated: `field ctl00$a, button ctl00$b`.
    pub(crate) fn list_en(items: &[MissingItem]) -> String {
        Self::list(items, ItemKind::en)
    }

    /// The items, Vietnamese, comma-separated.
    pub(crate) fn list_vi(items: &[MissingItem]) -> String {
        Self::list(items, ItemKind::vi)
    }

    fn list(items: &[MissingItem], kind: fn(ItemKind) -> &'static str) -> String {
        items
            .iter()
            .map(|i| format!("{} {}", kind(i.kind), i.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The fingerprint of a page: the first 12 hex digits of the SHA-256 of its form's field names
/// and the texts of its message elements, in the page's order.
pub(crate) fn fingerprint<'a>(
    field_names: impl IntoIterator<Item = &'a str>,
    messages: impl IntoIterator<Item = String>,
) -> String {
    let mut hash = Sha256::new();
    for name in field_names {
        hash.update(name.as_bytes());
        hash.update([b'\n']);
    }
    hash.update([0]);
    for message in messages {
        hash.update(message.as_bytes());
        hash.update([b'\n']);
    }
    hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

thread_local! {
    static OPERATION: Cell<&'static str> = const { Cell::new("") };
}

/// While alive, names the client operation running on this thread (restores the previous one
/// when dropped).
pub(crate) struct Operation {
    previous: &'static str,
}

impl Operation {
    /// Names `name` (e.g. `send_record`) the operation running on this thread.
    pub(crate) fn enter(name: &'static str) -> Operation {
        Operation {
            previous: OPERATION.with(|o| o.replace(name)),
        }
    }

    /// The operation running on this thread (`portal` outside any).
    pub(crate) fn current() -> String {
        let name = OPERATION.with(Cell::get);
        if name.is_empty() { "portal" } else { name }.to_owned()
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        OPERATION.with(|o| o.set(self.previous));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_short_and_follows_names_and_messages() {
        let a = fingerprint(["a", "b"], ["Đã gửi".to_owned()]);
        assert_eq!(a.len(), 12);
        assert_eq!(a, fingerprint(["a", "b"], ["Đã gửi".to_owned()]));
        assert_ne!(a, fingerprint(["a", "c"], ["Đã gửi".to_owned()]));
        assert_ne!(a, fingerprint(["a", "b"], ["Đã nhận".to_owned()]));
        assert_ne!(a, fingerprint(["a"], ["b".to_owned(), "Đã gửi".to_owned()]));
    }

    #[test]
    fn operations_nest() {
        assert_eq!(Operation::current(), "portal");
        let outer = Operation::enter("send_record");
        {
            let _inner = Operation::enter("relogin");
            assert_eq!(Operation::current(), "relogin");
        }
        assert_eq!(Operation::current(), "send_record");
        drop(outer);
        assert_eq!(Operation::current(), "portal");
    }
}

//! A cheap bound on how deep a page's elements nest and how many there are, checked before the
//! HTML parser sees it: the parser's work grows with the depth of open elements (a hostile page
//! of a few megabytes of nested tags would take minutes to parse), and its memory with their
//! number (about 300 bytes each).

/// The most levels of nested elements a page may have. The portal's pages nest a few dozen.
pub(crate) const MAX_DEPTH: usize = 256;

/// The most elements a page may have. The portal's longest grids have a few thousand.
pub(crate) const MAX_ELEMENTS: usize = 100_000;

/// What makes a page too much to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excess {
    /// Its elements nest deeper than the depth limit.
    Depth,
    /// It has more elements than the element limit.
    Elements,
}

/// Elements without content: never open.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Elements whose end tag may be left out: one closes an open sibling of its group.
const SIBLINGS: &[&[&str]] = &[
    &["p"],
    &["li"],
    &["option"],
    &["optgroup"],
    &["td", "th"],
    &["tr"],
    &["dt", "dd"],
];

/// Whether the elements of `html` nest deeper than `depth`, as the HTML parser would open them
/// (start tags open, end tags close up to their open element, void elements and raw text are
/// seen as such, an end tag left out closes at the next sibling of its kind), or number more than
/// `elements`. Linear time, at most `depth` names kept.
pub(crate) fn excess(html: &str, depth: usize, elements: usize) -> Option<Excess> {
    let b = html.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut i = 0;
    while let Some(at) = find(b, i, b"<") {
        i = at + 1;
        match b.get(i) {
            Some(b'!') if b[i..].starts_with(b"!--") => {
                i = find(b, i + 3, b"-->").map_or(b.len(), |end| end + 3);
            }
            Some(b'!' | b'?') => i = find(b, i, b">").map_or(b.len(), |end| end + 1),
            Some(b'/') => {
                let (name, end) = tag_name(b, i + 1);
                i = tag_end(b, end);
                if let Some(at) = open.iter().rposition(|o| *o == name) {
                    open.truncate(at);
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, end) = tag_name(b, i);
                i = tag_end(b, end);
                count += 1;
                if count > elements {
                    return Some(Excess::Elements);
                }
                if VOID.contains(&name.as_str()) {
                    continue;
                }
                if RAW_TEXT.contains(&name.as_str()) {
                    i = raw_text_end(b, i, &name);
                    continue;
                }
                if name == "plaintext" {
                    return (open.len() + 1 > depth).then_some(Excess::Depth);
                }
                if name == "tr" {
                    // A new row closes the open cells of the previous one.
                    while open.last().is_some_and(|top| top == "td" || top == "th") {
                        open.pop();
                    }
                }
                if let Some(group) = SIBLINGS.iter().find(|g| g.contains(&name.as_str()))
                    && open.last().is_some_and(|top| group.contains(&top.as_str()))
                {
                    open.pop();
                }
                open.push(name);
                if open.len() > depth {
                    return Some(Excess::Depth);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first `needle` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

/// The lower-case tag name starting at `from`, and where it ends.
fn tag_name(b: &[u8], from: usize) -> (String, usize) {
    let len = b
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'/'))
        .count();
    let name = String::from_utf8_lossy(&b[from..from + len]).to_ascii_lowercase();
    (name, from + len)
}

/// Just after the `>` closing the tag whose attributes start at `from` (quoted values skipped).
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (at, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, b'>') => return at + 1,
            _ => {}
        }
    }
    b.len()
}

/// Just after the end tag `</name …>` of a raw-text element whose text starts at `from`.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(at) = find(b, i, b"</") {
        let (end_name, end) = tag_name(b, at + 2);
        if end_name == name {
            return tag_end(b, end);
        }
        i = at + 2;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deeper_than(html: &str, limit: usize) -> bool {
        excess(html, limit, MAX_ELEMENTS) == Some(Excess::Depth)
    }

    fn depth(html: &str) -> usize {
        (0..=MAX_DEPTH)
            .find(|&limit| !deeper_than(html, limit))
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn elements_are_counted() {
        let page = "<p>x</p>".repeat(1000);
        assert_eq!(excess(&page, MAX_DEPTH, 999), Some(Excess::Elements));
        assert_eq!(excess(&page, MAX_DEPTH, 1000), None);
        assert_eq!(excess("<br><br><br>", MAX_DEPTH, 2), Some(Excess::Elements));
    }

    #[test]
    fn open_elements_are_counted() {
        assert_eq!(depth(""), 0);
        assert_eq!(
            depth("<html><body><div><span>x</span></div></body></html>"),
            4
        );
        assert_eq!(depth(&"<div>".repeat(300)), usize::MAX);
        assert_eq!(depth(&"<div></div>".repeat(1000)), 1);
        assert!(deeper_than(&"<DIV class='a>b'>".repeat(257), MAX_DEPTH));
        assert!(!deeper_than(&"<div>".repeat(256), MAX_DEPTH));
    }

    #[test]
    fn what_does_not_nest_is_not_counted() {
        assert_eq!(
            depth("<div><br><input name=a /><img src='x'><hr/></div>"),
            1
        );
        assert_eq!(depth("<!DOCTYPE html><!-- <div><div> --><p>a"), 1);
        assert_eq!(depth("<select><option>a<option>b<option>c</select>"), 2);
        assert_eq!(depth("<ul><li>a<li>b<li>c</ul>"), 2);
        assert_eq!(depth("<table><tr><td>a<td>b<th>c<tr><td>d</table>"), 3);
        assert_eq!(
            depth("<script>if (a<b) { '<div><div><div>' }</script><p>"),
            1
        );
        assert_eq!(depth("<textarea><div><div></TEXTAREA><b>"), 1);
        assert_eq!(depth("a < b <3 <"), 0);
    }

    #[test]
    fn end_tags_close_only_what_is_open() {
        // An end tag of an element that is not open changes nothing (the parser ignores it).
        assert_eq!(depth(&"<div></span>".repeat(50)), 50);
        // An end tag closes the elements opened inside its element.
        assert_eq!(depth("<div><b><i><u></div><p>"), 4);
        // A self-closing slash does not close a non-void element in HTML.
        assert_eq!(depth(&"<div/>".repeat(20)), 20);
    }
}

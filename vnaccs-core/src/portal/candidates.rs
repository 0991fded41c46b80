//! Candidates for a field or button a saved page lacks: first the page's fields whose label reads
//! as the profile's label for the missing one (the `<label for>` text, or the text of the table
//! cell before the input), then the names closest to the profile's name.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Selector};

use super::form::postback_link;
use super::page::text_of;

/// How many candidates a missing item gets at most.
const CANDIDATES: usize = 3;

/// The names on a page: its fields (inputs, selects, text areas) with their labels, and its
/// submit buttons.
pub(super) struct Names {
    /// Each field's HTML name and the label the page shows for it, if any.
    pub fields: Vec<(String, Option<String>)>,
    /// Each submit button's HTML name.
    pub buttons: Vec<String>,
    /// The target of each postback link (`__doPostBack(target, …)`).
    pub links: Vec<String>,
}

impl Names {
    /// The names of `html`.
    pub(super) fn of(html: &Html) -> Names {
        let mut names = Names {
            fields: Vec::new(),
            buttons: Vec::new(),
            links: Vec::new(),
        };
        let (Ok(named), Ok(labels), Ok(anchors)) = (
            Selector::parse("input[name], select[name], textarea[name], button[name]"),
            Selector::parse("label[for]"),
            Selector::parse("a[href]"),
        ) else {
            return names;
        };
        names.links = html
            .select(&anchors)
            .filter_map(|a| postback_link(a.value().attr("href")?))
            .map(|(target, _)| target)
            .collect();
        let by_id: HashMap<&str, String> = html
            .select(&labels)
            .filter_map(|l| Some((l.value().attr("for")?, text_of(l))))
            .collect();
        for element in html.select(&named) {
            let e = element.value();
            let name = e.attr("name").unwrap_or_default().to_owned();
            let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
            if e.name() == "button"
                || (e.name() == "input" && matches!(kind.as_str(), "submit" | "button" | "image"))
            {
                names.buttons.push(name);
            } else {
                let label = e
                    .attr("id")
                    .and_then(|id| by_id.get(id).cloned())
                    .or_else(|| cell_before(element))
                    .filter(|l| !l.is_empty());
                names.fields.push((name, label));
            }
        }
        names
    }

    /// Whether the page has a field named `name`.
    pub(super) fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _)| n == name)
    }
}

/// The text of the table cell before the one holding `input` (a label without `for`).
fn cell_before(input: ElementRef<'_>) -> Option<String> {
    let cell = input
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "td")?;
    cell.prev_siblings()
        .filter_map(ElementRef::wrap)
        .find(|s| s.value().name() == "td")
        .map(text_of)
}

/// Up to three names of `pool` (name, label) closest to the missing item `name` whose label in
/// the profile is `label`, best first: those whose label on the page is the profile's label
/// first (the same text before one that contains it), then by the edit distance of the names'
/// last segment (after the last `$`).
pub(super) fn closest<'a>(
    name: &str,
    label: Option<&str>,
    pool: impl Iterator<Item = (&'a String, Option<&'a String>)>,
) -> Vec<String> {
    let tail = |n: &str| n.rsplit('$').next().unwrap_or(n).to_ascii_lowercase();
    let wanted = tail(name);
    let wanted_label = label.map(normalize).filter(|l| !l.is_empty());
    let mut scored: Vec<(u8, usize, &String)> = pool
        .map(|(n, shown)| {
            let by_label = match (&wanted_label, shown.map(|s| normalize(s))) {
                (Some(w), Some(s)) if *w == s => 0,
                (Some(w), Some(s)) if s.contains(w.as_str()) => 1,
                _ => 2,
            };
            (by_label, edit_distance(&wanted, &tail(n)), n)
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored
        .into_iter()
        .take(CANDIDATES)
        .map(|(_, _, n)| n.clone())
        .collect()
}

/// A label as compared: lower case, words separated by one space, without the marks of a
/// required field (`*`, `(*)`) or a trailing colon.
fn normalize(label: &str) -> String {
    let words: Vec<&str> = label.split_whitespace().collect();
    words
        .join(" ")
        .to_lowercase()
        .replace("(*)", "")
        .trim_end_matches([':', '*', ' '])
        .trim()
        .to_owned()
}

/// The Levenshtein distance of two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("txtmadn", "txtmadn"), 0);
        assert_eq!(edit_distance("txtmadn", "txtmasothuedn"), 6);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_closest_name_comes_first() {
        let pool = [
            "ctl00$MainContent$txtEmail".to_owned(),
            "ctl00$MainContent$txtMatKhauMoi".to_owned(),
            "__VIEWSTATE".to_owned(),
        ];
        let got = closest(
            "ctl00$MainContent$txtMatKhau",
            None,
            pool.iter().map(|n| (n, None)),
        );
        assert_eq!(got[0], "ctl00$MainContent$txtMatKhauMoi");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn labels_are_read_by_for_or_from_the_cell_before() {
        let html = Html::parse_document(
            r#"<form><table>
            <tr><td><label for="MainContent_a">Mã doanh nghiệp (MST)</label></td>
                <td><input name="ctl00$MainContent$a" id="MainContent_a" /></td></tr>
            <tr><td>Số CMT (*):</td><td><input name="ctl00$MainContent$b" /></td></tr>
            <tr><td><input type="hidden" name="c" /></td></tr>
            </table><input type="submit" name="go" value="Gửi" /></form>"#,
        );
        let names = Names::of(&html);
        let labels: Vec<(&str, Option<&str>)> = names
            .fields
            .iter()
            .map(|(n, l)| (n.as_str(), l.as_deref()))
            .collect();
        assert_eq!(
            labels,
            [
                ("ctl00$MainContent$a", Some("Mã doanh nghiệp (MST)")),
                ("ctl00$MainContent$b", Some("Số CMT (*):")),
                ("c", None),
            ]
        );
        assert_eq!(names.buttons, ["go"]);
        assert_eq!(normalize(" Số  CMT (*):"), "số cmt");
    }

    #[test]
    fn a_field_with_the_profiles_label_comes_before_a_closer_name() {
        let (near, labelled, exact) = (
            "ctl00$MainContent$txtMaDNX".to_owned(),
            "ctl00$MainContent$txtMST".to_owned(),
            "ctl00$MainContent$txtKhac".to_owned(),
        );
        let (contains, same) = (
            "Mã doanh nghiệp (MST)".to_owned(),
            "Mã doanh nghiệp:".to_owned(),
        );
        let pool = [
            (&near, None),
            (&labelled, Some(&contains)),
            (&exact, Some(&same)),
        ];
        let got = closest(
            "ctl00$MainContent$txtMaDN",
            Some("Mã doanh nghiệp"),
            pool.into_iter(),
        );
        assert_eq!(got, [exact.clone(), labelled.clone(), near.clone()]);
        // Without a label in the profile, names alone.
        let got = closest("ctl00$MainContent$txtMaDN", None, pool.into_iter());
        assert_eq!(got[0], near);
    }
}

//! No module of `portal` or `sandbox` uses one that uses it back: the paths each source file
//! names (`super::…`, `crate::portal::…`, `crate::sandbox::…`, and its own submodules' `name::…`,
//! in `use` lines and in code) are read as edges between the files' modules (a `mod.rs` is its
//! folder's module), and the graph must have no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The areas checked.
const AREAS: [&str; 2] = ["portal", "sandbox"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file: `sandbox/pages/mod.rs` → `[sandbox, pages]`.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).unwrap().with_extension("");
    let mut path: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if path.last().is_some_and(|last| last == "mod") {
        path.pop();
    }
    path
}

/// Whether `path` names a module (a file or a folder with `mod.rs`).
fn is_module(path: &[String]) -> bool {
    let base = src().join(path.join("/"));
    base.with_extension("rs").is_file() || base.join("mod.rs").is_file()
}

/// The source without comments (doc comments cite paths that are no edges) and without its unit
/// tests (`#[cfg(test)] mod tests`, last in a file: a test may use any module).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads the path at `text[at..]` (after its first segment) relative to `base`, pushing every
/// full path it names (a `{…}` group names several).
fn read_path(
    text: &str,
    mut at: usize,
    mut base: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let bytes = text.as_bytes();
    loop {
        if !text[at..].starts_with("::") {
            out.push(base);
            return at;
        }
        at += 2;
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        if bytes.get(at) == Some(&b'{') {
            at += 1;
            loop {
                while bytes
                    .get(at)
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
                {
                    at += 1;
                }
                match bytes.get(at) {
                    None => return at,
                    Some(b'}') => return at + 1,
                    _ => {}
                }
                let start = at;
                while text[at..].chars().next().is_some_and(is_ident) {
                    at += 1;
                }
                if at == start {
                    // `*` or something unexpected: the group's base is named.
                    out.push(base.clone());
                    at += 1;
                    continue;
                }
                let mut inner = base.clone();
                let segment = &text[start..at];
                if segment != "self" {
                    inner.push(segment.to_owned());
                }
                at = read_path(text, at, inner, out);
                // Skip an `as name` rename.
                while bytes.get(at).is_some_and(|b| *b != b',' && *b != b'}') {
                    at += 1;
                }
            }
        }
        let start = at;
        while text[at..].chars().next().is_some_and(is_ident) {
            at += 1;
        }
        let segment = &text[start..at];
        match segment {
            "" => {
                out.push(base);
                return at;
            }
            "super" => {
                base.pop();
            }
            _ => base.push(segment.to_owned()),
        }
    }
}

/// The submodules `text` declares (`mod name;`).
fn submodules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let declared = line.strip_suffix(';')?;
            let name = declared.rsplit_once("mod ")?.1;
            let before = &declared[..declared.len() - name.len() - 4];
            (before.is_empty() || before.ends_with(' ')).then_some(name)
        })
        .filter(|name| name.chars().all(is_ident))
        .map(str::to_owned)
        .collect()
}

/// The inline modules (`mod name {` … `}`, formatted by rustfmt) each line is in: the line's
/// start and the names of the modules around it, outermost first.
fn inline_modules(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut open: Vec<(String, String)> = Vec::new(); // (indentation, name)
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let indent = &body[..body.len() - body.trim_start().len()];
        if open.last().is_some_and(|(i, _)| body == format!("{i}}}")) {
            open.pop();
        }
        lines.push((start, open.iter().map(|(_, n)| n.clone()).collect()));
        if let Some((before, name)) = body
            .strip_suffix(" {")
            .and_then(|head| head.rsplit_once("mod "))
        {
            let before = before.trim_start();
            if (before.is_empty() || before.ends_with(' ')) && name.chars().all(is_ident) {
                open.push((indent.to_owned(), name.to_owned()));
            }
        }
        start += line.len();
    }
    lines
}

/// Every path `file` (module `module`) names through `super`, `crate` or one of its own
/// submodules, made absolute. A visibility (`pub(in super::super)`) is no use of a module.
fn paths_named(file: &Path, module: &[String]) -> Vec<Vec<String>> {
    let text = code(&std::fs::read_to_string(file).unwrap());
    let children = submodules(&text);
    let inline = inline_modules(&text);
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let preceded = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| is_ident(c) || c == ':')
            || text[..at].ends_with("(in ");
        let root = if preceded {
            None
        } else if rest.starts_with("super::") {
            let line = inline.partition_point(|(start, _)| *start <= at) - 1;
            let mut base = module.to_vec();
            base.extend(inline[line].1.iter().cloned());
            base.pop();
            Some((5, base))
        } else if rest.starts_with("crate::") {
            Some((5, Vec::new()))
        } else {
            children
                .iter()
                .find(|child| {
                    rest.starts_with(child.as_str()) && rest[child.len()..].starts_with("::")
                })
                .map(|child| {
                    let mut base = module.to_vec();
                    base.push(child.clone());
                    (child.len(), base)
                })
        };
        match root {
            Some((len, base)) => at = read_path(&text, at + len, base, &mut out),
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// The node a path belongs to: the innermost module of an area that it is in, if any.
fn node_of(path: &[String]) -> Option<String> {
    let area = path.first()?;
    if !AREAS.contains(&area.as_str()) {
        return None;
    }
    (1..=path.len())
        .rev()
        .map(|n| &path[..n])
        .find(|prefix| is_module(prefix))
        .map(|module| module.join("::"))
}

/// The edges between the areas' top-level modules.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for area in AREAS {
        let mut all = Vec::new();
        files(&src().join(area), &mut all);
        for file in all {
            let module = module_of(&file);
            let Some(from) = node_of(&module) else {
                continue;
            };
            for path in paths_named(&file, &module) {
                if let Some(to) = node_of(&path).filter(|to| *to != from) {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    edges
}

/// The shortest path from `from` to `to` along `edges`, both ends included.
fn path(from: &str, to: &str, edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut found = vec![to.to_owned()];
            let mut at = to;
            while at != from {
                at = came_from[at];
                found.push(at.to_owned());
            }
            found.reverse();
            return Some(found);
        }
        for next in edges.get(node).into_iter().flatten() {
            if next != from && !came_from.contains_key(next.as_str()) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

/// Every cycle along `edges`, each once (as the modules along it, the first repeated last).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for (from, targets) in edges {
        for to in targets {
            if let Some(back) = path(to, from, edges) {
                let mut cycle = vec![from.clone()];
                cycle.extend(back);
                let members: BTreeSet<String> = cycle.iter().cloned().collect();
                if seen.insert(members) {
                    found.push(cycle);
                }
            }
        }
    }
    found
}

#[test]
fn the_reader_sees_uses_in_groups_and_code() {
    let module = vec!["sandbox".to_owned(), "pages".to_owned(), "admin".to_owned()];
    let dir = std::env::temp_dir().join(format!("vnaccs-cycles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("admin.rs");
    std::fs::write(
        &file,
        "use super::super::{html::{self, Fields}, faults::Step as S};\n\
         use crate::portal::form;\n// super::router::x\nfn f() { super::Ctx::new(); crate::sandbox::state::x(); }\n\
         mod inner;\npub(super) mod other;\nfn g() { inner::h(); other::{a}; not_inner::x(); }\n\
         pub(in super::super) struct S;\nmod helpers {\n    use super::own::item;\n}\nuse super::after::z;\n",
    )
    .unwrap();
    let named: BTreeSet<String> = paths_named(&file, &module)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    let expected: BTreeSet<String> = [
        "sandbox::html",
        "sandbox::html::Fields",
        "sandbox::faults::Step",
        "portal::form",
        "sandbox::pages::Ctx::new",
        "sandbox::state::x",
        "sandbox::pages::admin::inner::h",
        "sandbox::pages::admin::other::a",
        "sandbox::pages::admin::own::item",
        "sandbox::pages::after::z",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(named, expected);
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    edges.entry("c".into()).or_default().insert("d".into());
    assert_eq!(
        cycles(&edges),
        [["a", "b", "c", "a"].map(String::from).to_vec()]
    );
    edges.entry("d".into()).or_default().insert("c".into());
    assert_eq!(cycles(&edges).len(), 2);
}

#[test]
fn no_module_of_portal_or_sandbox_uses_one_that_uses_it_back() {
    let edges = edges();
    assert!(
        edges.contains_key("sandbox::pages") && edges.contains_key("portal::client"),
        "the reader found no edges: {edges:?}"
    );
    let found: Vec<String> = cycles(&edges).iter().map(|c| c.join(" → ")).collect();
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

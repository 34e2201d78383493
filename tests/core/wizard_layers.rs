//! The wizard's own layers (the relaycheck-tui crate, crates/tui/src), file by file: its state (`app`, `form`, `effect`,
//! `lesson::state`, `theme`, `keymap`) is held and read by what acts on it (`update`, the
//! lesson keys, the runtime in `loader`) and what draws it (`view`, `lesson::view`), and
//! never names them back. Read from the sources: every `crate::`, `super::` or `self::` path a
//! file names (tests and comments excluded) is an arrow to the module it reaches; a file
//! naming a module above it (its own parent) is how Rust modules nest and is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::layers::{code, cycle};

/// Every module file of the wizard's crate by its module path (`tui::update::connector`),
/// the crate's root (lib.rs) being `tui`.
fn modules() -> BTreeMap<String, std::path::PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tui/src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("crates/tui/src is readable") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.ends_with(".rs") || name == "tests.rs" {
                continue;
            }
            let rel = p.strip_prefix(&src).expect("under src/").with_extension("");
            let mut parts: Vec<String> = std::iter::once("tui".to_string())
                .chain(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned()),
                )
                .collect();
            if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
                parts.pop();
            }
            out.insert(parts.join("::"), p);
        }
    }
    out
}

/// The paths a file names: `crate::a::b`, `super::c::{d, e::f}` as `crate::a::b`,
/// `super::c::d`, `super::c::e::f`.
fn paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in text.match_indices(start) {
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
                continue;
            }
            let rest = &text[i..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let base = rest[..end].trim_end_matches(':').to_string();
            if rest[end..].starts_with('{') && rest[..end].ends_with("::") {
                let group = &rest[end + 1..rest[end..].find('}').map_or(end, |j| end + j)];
                for item in group.split(',') {
                    let item = item.split(" as ").next().unwrap_or("").trim();
                    if !item.is_empty() && item != "self" {
                        out.push(format!("{base}::{item}"));
                    }
                }
            }
            out.push(base);
        }
    }
    out
}

/// The module a path reaches from module `from`: the longest prefix that is a module.
fn reach(from: &str, path: &str, known: &BTreeMap<String, std::path::PathBuf>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = from.split("::").collect();
    match parts.first().copied() {
        Some("crate") => {
            base = vec!["tui"];
            parts.remove(0);
        }
        Some("self") => {
            parts.remove(0);
        }
        Some("super") => {
            while parts.first() == Some(&"super") {
                base.pop();
                parts.remove(0);
            }
        }
        _ => return None,
    }
    let full: Vec<&str> = base.into_iter().chain(parts).collect();
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| known.contains_key(m))
}

fn arrows() -> BTreeMap<String, BTreeSet<String>> {
    let known = modules();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, path) in &known {
        let entry = out.entry(from.clone()).or_default();
        for p in paths(&code(path)) {
            if let Some(to) = reach(from, &p, &known)
                && &to != from
                && !from.starts_with(&format!("{to}::"))
            {
                entry.insert(to);
            }
        }
    }
    out
}

#[test]
fn the_wizards_files_form_no_cycle() {
    let graph = arrows();
    assert!(
        graph.len() > 30,
        "the walk found the wizard's files: {}",
        graph.len()
    );
    // The reader sees arrows that are there (so the test can fail).
    assert!(
        graph["tui::view::modal"].contains("tui::view::popup"),
        "{graph:#?}"
    );
    assert!(graph["tui::update"].contains("tui::app"), "{graph:#?}");
    if let Some(c) = cycle(&graph) {
        panic!("a cycle between the wizard's files: {}", c.join(" → "));
    }
}

#[test]
fn the_wizards_state_names_nothing_that_acts_on_it_or_draws_it() {
    let graph = arrows();
    let state = [
        "tui::app",
        "tui::form",
        "tui::effect",
        "tui::lesson::state",
        "tui::theme",
    ];
    let above = [
        "tui::update",
        "tui::view",
        "tui::loader",
        "tui::lesson::keys",
        "tui::lesson::view",
    ];
    let mut wrong = Vec::new();
    for s in state {
        for to in graph.get(s).into_iter().flatten() {
            if above
                .iter()
                .any(|a| to == a || to.starts_with(&format!("{a}::")))
            {
                wrong.push(format!("{s} → {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn grouped_and_relative_paths_are_read() {
    let got =
        paths("use super::popup::{PopupBox, popup as p};\nlet x = crate::tui::app::App::new();");
    assert!(
        got.contains(&"super::popup::PopupBox".to_string()),
        "{got:?}"
    );
    assert!(got.contains(&"super::popup::popup".to_string()), "{got:?}");
    assert!(
        got.contains(&"crate::tui::app::App::new".to_string()),
        "{got:?}"
    );
}

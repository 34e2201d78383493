//! The crate's layers (src/lib.rs): read from the sources, every `crate::<module>` a file
//! names (tests inside a file excluded) is an arrow between top-level modules. The arrows
//! form no cycle, and the core (the rules, the plan and the reports) names nothing of the
//! edges (files, terminal, classroom, command line) and touches no file, environment, clock
//! or terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The pure core: `validate(scenario, now) -> Report` and everything it needs.
const CORE: &[&str] = &[
    "text", "when", "names", "cert", "model", "action", "hcw", "facts", "relay", "checks", "plan",
    "report", "lesson",
];

/// What the core must not use: the world outside the arguments it is given.
const OUTSIDE: &[&str] = &[
    "std::fs",
    "std::env",
    "std::process",
    "std::io::stdin",
    "now_utc",
    "SystemTime",
    "ratatui",
    "crossterm",
];

fn sources() -> Vec<(String, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("src/ is readable") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(&src).expect("under src/");
                let first = rel.components().next().expect("a component");
                let top = first
                    .as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string();
                if top != "lib" && top != "main" {
                    out.push((top, p));
                }
            }
        }
    }
    out
}

/// A file's code without its tests and comments (a `tests.rs` beside the code is all tests).
pub fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|f| f == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).expect("a source file");
    let text = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn arrows() -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = sources().into_iter().map(|(m, _)| m).collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, path) in sources() {
        let text = code(&path);
        let entry = out.entry(from.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            // `crate::validate` is report's function, re-exported at the root.
            let to = if name == "validate" {
                "report".to_string()
            } else {
                name
            };
            if to != from && modules.contains(&to) {
                entry.insert(to);
            }
        }
    }
    out
}

/// A cycle through `start`, if there is one.
pub fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut c = path[at..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, graph, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_top_level_modules_form_no_cycle() {
    let graph = arrows();
    assert!(graph.len() >= 20, "{} modules read", graph.len());
    if let Some(c) = cycle(&graph) {
        panic!("a cycle between modules: {}\n{graph:#?}", c.join(" → "));
    }
}

#[test]
fn the_core_names_nothing_of_the_edges() {
    let graph = arrows();
    let mut wrong = Vec::new();
    for m in CORE {
        for to in graph.get(*m).into_iter().flatten() {
            if !CORE.contains(&to.as_str()) {
                wrong.push(format!("{m} → {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "the core depends on an edge: {wrong:?}");
}

#[test]
fn the_core_touches_no_file_environment_clock_or_terminal() {
    let mut wrong = Vec::new();
    for (m, path) in sources() {
        if !CORE.contains(&m.as_str()) {
            continue;
        }
        let text = code(&path);
        for pat in OUTSIDE {
            if text.contains(pat) {
                wrong.push(format!("{}: {pat}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The finder sees a cycle when there is one (so the first test can fail).
#[test]
fn the_cycle_finder_finds_one() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cycle(&g), None);
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

/// The longest a source file may grow: past it, a file holds more than one concern and is
/// split by concern (docs/decisions.md, "Files split by concern").
const MOST_LINES: usize = 600;

fn too_long(files: &[(PathBuf, usize)]) -> Vec<String> {
    files
        .iter()
        .filter(|(_, n)| *n > MOST_LINES)
        .map(|(p, n)| format!("{}: {n} lines", p.display()))
        .collect()
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files: Vec<(PathBuf, usize)> = sources()
        .into_iter()
        .map(|(_, p)| p)
        .chain(
            ["lib.rs", "main.rs"]
                .map(|f| Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(f)),
        )
        .filter(|p| p.exists())
        .map(|p| {
            let n = std::fs::read_to_string(&p)
                .expect("a source file")
                .lines()
                .count();
            (p, n)
        })
        .collect();
    files.sort();
    assert!(
        files.len() > 50,
        "the walk found the sources: {}",
        files.len()
    );
    let long = too_long(&files);
    assert!(long.is_empty(), "split these by concern: {long:#?}");
    // The check itself can fail.
    assert_eq!(
        too_long(&[(PathBuf::from("x.rs"), MOST_LINES + 1)]).len(),
        1
    );
}

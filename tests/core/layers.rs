//! The workspace's layers. Between crates the compiler keeps them: a crate can only name
//! what its Cargo.toml lists, and these tests hold each manifest to the layer order (core →
//! lab → io → tui → the binary) and `cargo tree` to a core without a terminal or command-line
//! crate. Inside a crate, every `crate::<module>` a file names (tests inside a file excluded)
//! is an arrow between its top-level modules, and the arrows form no cycle. The core also
//! touches no file, environment, clock or terminal through `std`, which no manifest can keep
//! out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's crates, bottom up: each may list only crates before it.
const LAYERS: &[(&str, &str)] = &[
    ("relaycheck-core", "crates/core"),
    ("relaycheck-lab", "crates/lab"),
    ("relaycheck-io", "crates/io"),
    ("relaycheck-tui", "crates/tui"),
    ("relaycheck", "."),
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

/// Crates of terminals, command lines, files and clocks that the core must not pull in,
/// directly or through another crate.
const NOT_IN_CORE: &[&str] = &[
    "ratatui",
    "crossterm",
    "clap",
    "color-eyre",
    "tempfile",
    "directories",
    "portable-pty",
    "rcgen",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under a crate's `src/`, with the top-level module it belongs to.
fn sources(krate: &str) -> Vec<(String, PathBuf)> {
    let src = root().join(krate).join("src");
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
                out.push((top, p));
            }
        }
    }
    out
}

/// The `[dependencies]` of a manifest that are the workspace's own crates.
fn own_dependencies(dir: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(dir).join("Cargo.toml")).expect("a manifest");
    let mut out = BTreeSet::new();
    let mut in_deps = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps
            && let Some(name) = line.split(['.', ' ', '=']).next()
            && name.starts_with("relaycheck")
        {
            out.insert(name.to_string());
        }
    }
    out
}

#[test]
fn each_crate_lists_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (i, (name, dir)) in LAYERS.iter().enumerate() {
        let below: BTreeSet<&str> = LAYERS[..i].iter().map(|(n, _)| *n).collect();
        for dep in own_dependencies(dir) {
            if !below.contains(dep.as_str()) {
                wrong.push(format!("{name} → {dep}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a crate names a layer above it: {wrong:?}"
    );
    // The reader sees the arrows that are there (so the test can fail).
    assert_eq!(own_dependencies("crates/core"), BTreeSet::new());
    assert!(own_dependencies("crates/tui").contains("relaycheck-io"));
    assert_eq!(own_dependencies(".").len(), 4);
}

#[test]
fn the_core_pulls_in_no_terminal_command_line_or_file_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "-p",
            "relaycheck-core",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(root())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(names.contains("x509-parser"), "{tree}");
    let pulled: Vec<&&str> = NOT_IN_CORE.iter().filter(|c| names.contains(**c)).collect();
    assert!(pulled.is_empty(), "the core pulls in {pulled:?}:\n{tree}");
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

/// The arrows between one crate's top-level modules.
fn arrows(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<(String, PathBuf)> = sources(krate)
        .into_iter()
        .filter(|(m, _)| m != "lib" && m != "main")
        .collect();
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, path) in files {
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
fn the_top_level_modules_of_each_crate_form_no_cycle() {
    let mut read = 0;
    // The wizard's crate is held file by file, finer than this (tests/core/wizard_layers.rs):
    // its `lesson` module holds state below `view` and a view above it.
    for (_, dir) in LAYERS.iter().filter(|(n, _)| *n != "relaycheck-tui") {
        let graph = arrows(dir);
        read += graph.len();
        if let Some(c) = cycle(&graph) {
            panic!(
                "a cycle between modules of {dir}: {}\n{graph:#?}",
                c.join(" → ")
            );
        }
    }
    assert!(read >= 20, "{read} modules read");
    // The reader sees arrows that are there.
    assert!(arrows("crates/core")["report"].contains("checks"));
}

#[test]
fn the_core_touches_no_file_environment_clock_or_terminal() {
    let mut wrong = Vec::new();
    let files = sources("crates/core");
    assert!(files.len() > 40, "the walk found the core: {}", files.len());
    for (_, path) in files {
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
    let mut files: Vec<(PathBuf, usize)> = LAYERS
        .iter()
        .flat_map(|(_, dir)| sources(dir))
        .map(|(_, p)| p)
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

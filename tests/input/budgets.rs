//! Reads that end (issue 17): one read budget of 256 MiB per command across all its files
//! (hard links and a file named twice count each time), YAML aliases counted expanded, file
//! names that a scenario cannot hold refused, and a wizard load stopped for real by Esc.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::bounded::{relaycheck, run};

const LIMIT: Duration = Duration::from_secs(90);
const CERT: &str = "assets/examples/certs/mail-contoso.pem";

/// A valid certificate file of 4 MiB: the certificate, then text the PEM reader skips.
fn big_pem(dir: &Path) -> PathBuf {
    let mut text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(CERT)).unwrap();
    let line = format!("{}\n", "x".repeat(63));
    text.push_str(&line.repeat(4 * 1024 * 1024 / 64));
    let p = dir.join("big.pem");
    std::fs::write(&p, text).unwrap();
    p
}

/// A folder of `n` hard links to one 4 MiB certificate file.
fn linked_folder(dir: &Path, n: usize) -> PathBuf {
    let big = big_pem(dir);
    let folder = dir.join("store");
    std::fs::create_dir(&folder).unwrap();
    for i in 0..n {
        std::fs::hard_link(&big, folder.join(format!("c{i:03}.pem"))).unwrap();
    }
    folder
}

fn assert_over_budget(r: &crate::support::bounded::Run) {
    assert_eq!(r.code(), Some(2), "{r:?}");
    assert!(
        r.stderr
            .contains("relaycheck reads at most 256 MiB in all for one command"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_folder_of_hard_links_stops_at_the_total_budget() {
    let dir = tempfile::tempdir().unwrap();
    let folder = linked_folder(dir.path(), 100);
    let r = run(
        &mut relaycheck(&[
            "check",
            "--certificate",
            folder.to_str().unwrap(),
            "--now",
            "2026-11-22",
        ]),
        LIMIT,
    );
    assert_over_budget(&r);
    // Fewer of them fit.
    let small = tempfile::tempdir().unwrap();
    let folder = linked_folder(small.path(), 3);
    let r = run(
        &mut relaycheck(&[
            "check",
            "--certificate",
            folder.to_str().unwrap(),
            "--now",
            "2026-11-22",
        ]),
        LIMIT,
    );
    assert_eq!(r.code(), Some(1), "{r:?}");
}

#[test]
fn one_bundle_named_a_hundred_times_counts_a_hundred_times() {
    let dir = tempfile::tempdir().unwrap();
    big_pem(dir.path());
    let mut yaml = String::from("version: 1\ncertificates:\n");
    for _ in 0..100 {
        yaml.push_str("  - file: big.pem\n");
    }
    std::fs::write(dir.path().join("s.yaml"), yaml).unwrap();
    let s = dir.path().join("s.yaml");
    let r = run(
        &mut relaycheck(&[
            "check",
            "--scenario",
            s.to_str().unwrap(),
            "--now",
            "2026-11-22",
        ]),
        LIMIT,
    );
    assert_over_budget(&r);
    assert!(r.stderr.contains("big.pem"), "names the file: {}", r.stderr);
}

#[test]
fn aliases_in_valid_fields_are_counted_expanded() {
    let dir = tempfile::tempdir().unwrap();
    // One 50 kB connector named 1,000 times: 50 MB once expanded, from 55 kB of text.
    let yaml = format!(
        "version: 1\ninbound_connectors:\n  - &c {{name: \"{}\", tls_sender_certificate_name: mail.contoso.com}}\n{}",
        "x".repeat(50_000),
        "  - *c\n".repeat(1000)
    );
    let s = dir.path().join("aliases.yaml");
    std::fs::write(&s, yaml).unwrap();
    let start = Instant::now();
    let r = run(
        &mut relaycheck(&[
            "check",
            "--scenario",
            s.to_str().unwrap(),
            "--now",
            "2026-11-22",
        ]),
        LIMIT,
    );
    assert_eq!(r.code(), Some(2), "{:?}", r.stderr);
    assert!(
        r.stderr
            .contains("aliases.yaml: the scenario's aliases (*name) expand it to more than 16 MiB"),
        "{}",
        r.stderr
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    // A few aliases are fine.
    let few = "version: 1\ntenant:\n  accepted_domains:\n    - &d {domain: contoso.com}\ninbound_connectors:\n  - &c {name: a, tls_sender_certificate_name: mail.contoso.com}\n  - *c\n";
    std::fs::write(&s, few).unwrap();
    let r = run(
        &mut relaycheck(&[
            "check",
            "--scenario",
            s.to_str().unwrap(),
            "--now",
            "2026-11-22",
        ]),
        LIMIT,
    );
    assert!(matches!(r.code(), Some(0 | 1)), "{r:?}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_refused_by_export_not_broken() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.pem");
    let cert = dir.path().join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(CERT), &cert).unwrap();
    let out = dir.path().join("out.yaml");
    let mut cmd = relaycheck(&["scenario", "export", "-o", out.to_str().unwrap()]);
    cmd.arg("--certificate").arg(&cert);
    let r = run(&mut cmd, LIMIT);
    assert_eq!(r.code(), Some(2), "{r:?}");
    assert!(
        r.stderr.contains("caf\u{fffd}.pem: the file's name, or the name of a folder on its path, is not valid UTF-8"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "no broken scenario written");
    // `check` still reads it.
    let mut cmd = relaycheck(&["check", "--now", "2026-11-22"]);
    cmd.arg("--certificate").arg(&cert);
    assert!(matches!(run(&mut cmd, LIMIT).code(), Some(0 | 1)));
}

/// The wizard's load workers alive in this process (Linux: by thread name).
#[cfg(target_os = "linux")]
fn load_workers() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .flatten()
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| c.trim() == "relaycheck-load")
                })
                .count()
        })
        .unwrap_or(0)
}

#[cfg(target_os = "linux")]
#[test]
fn esc_stops_a_slow_load_for_real_and_there_is_one_worker_at_most() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use relaycheck::tui::app::{App, Origin};
    use relaycheck::tui::loader::{Runtime, default_loader};

    let dir = tempfile::tempdir().unwrap();
    let folder = linked_folder(dir.path(), 200);
    let origin = Origin {
        path: None,
        label: "test".into(),
        inputs: Vec::new(),
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    let mut app = App::new(
        relaycheck::model::Scenario::default(),
        origin,
        crate::support::now(),
        relaycheck::tui::theme::Theme::new(relaycheck::tui::theme::ThemeName::Mono),
    );
    let mut rt = Runtime::new(default_loader(), relaycheck::tui::effect::DEADLINE);
    let press = |rt: &mut Runtime, app: &mut App, code: KeyCode| {
        if let Some(m) = relaycheck::tui::key_message(app, &KeyEvent::new(code, KeyModifiers::NONE))
        {
            rt.dispatch(app, m, Instant::now());
        }
    };
    for round in 0..3 {
        let keys = format!("1a{}\n", folder.display());
        for c in keys.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            press(&mut rt, &mut app, code);
        }
        assert!(app.loading.is_some(), "round {round}: loading");
        assert!(load_workers() <= 1, "round {round}: one worker at most");
        std::thread::sleep(Duration::from_millis(300));
        press(&mut rt, &mut app, KeyCode::Esc);
        assert!(app.loading.is_none(), "round {round}: Esc stops waiting");
        // The worker stops reading and ends: 200 files of 4 MiB take seconds, not this.
        let until = Instant::now() + Duration::from_secs(2);
        while load_workers() > 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            load_workers(),
            0,
            "round {round}: the stopped worker has ended"
        );
    }
}

//! The Summary's remediation is the difference from where the admin started to where the
//! edits lead (the plan issue): every edit made in the wizard appears as its exact cmdlet,
//! undoing it takes the cmdlet away, and the demo fixed with `f` and saved checks PASS as a
//! process too.

use std::process::Command;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::tui::app::App;
use relaycheck::tui::{dispatch, perform};

use crate::kit::{self, keys};

fn press(app: &mut App, code: KeyCode) {
    let effects = relaycheck::tui::press(app, KeyEvent::new(code, KeyModifiers::NONE));
    for e in effects {
        if let Some(reply) = perform(app, e) {
            dispatch(app, reply);
        }
    }
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn clear_field(app: &mut App) {
    for _ in 0..200 {
        press(app, KeyCode::Backspace);
    }
}

/// The Summary's script, as the wizard renders it (the same function as the reports).
fn summary_script(app: &App) -> String {
    relaycheck::report::powershell::render_plan(
        &app.remediation,
        &app.report,
        &app.scenario,
        app.now,
        &relaycheck::report::powershell::Options::default(),
    )
}

/// The Summary scrolled until `line` is on screen (the script is below the findings).
fn summary_showing(app: &mut App, line: &str) -> String {
    keys(app, "5");
    for _ in 0..200 {
        let screen = kit::screen(app, 120, 40);
        if screen.contains(line) {
            return screen;
        }
        press(app, KeyCode::Down);
    }
    panic!(
        "the Summary never shows {line:?}:\n{}",
        kit::screen(app, 120, 40)
    );
}

/// Adds an accepted domain through step 2's form, verified.
fn add_domain(app: &mut App, name: &str) {
    keys(app, "2a");
    clear_field(app);
    typed(app, name);
    press(app, KeyCode::Enter);
}

#[test]
fn lesson_2_an_edit_is_its_cmdlet_in_the_summary_and_undo_takes_it_away() {
    let mut a = kit::train(Some("2"));
    keys(&mut a, "\n");
    keys(&mut a, "3w\x1b");
    let script = summary_script(&a);
    assert!(
        script.contains("Set-InboundConnector -Identity \"Inbound from 5b1f8c2e-contoso\" -TlsSenderCertificateName \"*.contoso.com\""),
        "{script}"
    );
    // An edit the plan would never make is a step too, with its own cmdlet.
    add_domain(&mut a, "fabrikam.com");
    let script = summary_script(&a);
    assert!(
        script.contains("New-MgDomain -Id \"fabrikam.com\""),
        "{script}"
    );
    let screen = summary_showing(&mut a, "New-MgDomain -Id \"fabrikam.com\"");
    insta::assert_snapshot!("summary_lesson2_after_edits_120x40", screen);
    keys(&mut a, "u");
    let script = summary_script(&a);
    assert!(
        !script.contains("fabrikam.com\""),
        "undo takes it away:\n{script}"
    );
    assert!(
        script.contains("-TlsSenderCertificateName \"*.contoso.com\""),
        "{script}"
    );
}

#[test]
fn the_demo_fixed_with_f_shows_the_plan_and_an_extra_edit_until_undone() {
    let mut a = kit::demo();
    keys(&mut a, "2f3f");
    let script = summary_script(&a);
    for want in [
        "New-MgDomain -Id \"subdomain.contoso.com\"",
        "-TlsSenderCertificateName \"*.subdomain.contoso.com\"",
    ] {
        assert!(script.contains(want), "lacks {want:?}:\n{script}");
    }
    assert_eq!(a.report.verdict, relaycheck::report::Verdict::Pass);
    add_domain(&mut a, "fabrikam.com");
    assert!(summary_script(&a).contains("New-MgDomain -Id \"fabrikam.com\""));
    let screen = summary_showing(&mut a, "New-MgDomain -Id \"fabrikam.com\"");
    insta::assert_snapshot!("summary_demo_after_fixes_and_an_edit_120x40", screen);
    keys(&mut a, "u");
    assert!(!summary_script(&a).contains("\"fabrikam.com\""));
}

#[test]
fn the_demo_fixed_and_saved_checks_pass_and_its_plan_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo-fixed.yaml");
    let mut a = kit::demo();
    keys(&mut a, "2f3f5s");
    clear_field(&mut a);
    typed(&mut a, out.to_str().unwrap());
    press(&mut a, KeyCode::Enter);
    assert!(out.is_file(), "saved: {:?}", a.status);
    let o = Command::new(env!("CARGO_BIN_EXE_relaycheck"))
        .args([
            "check",
            "-s",
            out.to_str().unwrap(),
            "--now",
            "2026-11-22T12:00:00Z",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["verdict"], "pass");
    let changes: Vec<&serde_json::Value> = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["runs_in"] != "manual")
        .collect();
    assert!(
        changes.is_empty(),
        "the saved state needs no change: {changes:#?}"
    );
}

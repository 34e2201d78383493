//! Screens of the wizard drawn with ratatui's TestBackend at 80×24 and 120×40, on a fixed
//! scenario and clock, before and after a fix (insta snapshots in tests/wizard/snapshots/).

use crate::support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::tui::app::{App, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};
use relaycheck::tui::view;

fn app(file: &str) -> App {
    let path = std::path::PathBuf::from(file);
    let (_, scenario) =
        relaycheck::scenario::load(&path, None, crate::support::now()).expect("example loads");
    let origin = Origin {
        path: Some(path.clone()),
        label: file.to_string(),
        inputs: vec![path],
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    App::new(
        scenario,
        origin,
        support::now(),
        Theme::new(ThemeName::Mono),
    )
}

fn key(app: &mut App, code: KeyCode) {
    relaycheck::tui::dispatch_key(app, KeyEvent::new(code, KeyModifiers::NONE));
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row, trailing blanks removed.
fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| view::view(app, f)).expect("draws");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

const TWO_LEVELS: &str = "assets/examples/seed000-host-two-levels-down.yaml";
const WILDCARD: &str = "assets/examples/seed002-host-instead-of-wildcard.yaml";

#[test]
fn every_step_at_80x24_before_the_fix() {
    let mut a = app(TWO_LEVELS);
    for step in ['1', '2', '3', '4', '5'] {
        keys(&mut a, &step.to_string());
        insta::assert_snapshot!(format!("two_levels_80x24_step{step}"), screen(&a, 80, 24));
    }
}

#[test]
fn every_step_at_120x40_before_the_fix() {
    let mut a = app(TWO_LEVELS);
    for step in ['1', '2', '3', '4', '5'] {
        keys(&mut a, &step.to_string());
        insta::assert_snapshot!(format!("two_levels_120x40_step{step}"), screen(&a, 120, 40));
    }
}

#[test]
fn domains_then_connector_fix_at_both_sizes() {
    let mut a = app(TWO_LEVELS);
    keys(&mut a, "2f");
    insta::assert_snapshot!("two_levels_after_domain_fix_80x24", screen(&a, 80, 24));
    keys(&mut a, "3f");
    insta::assert_snapshot!("two_levels_after_connector_fix_120x40", screen(&a, 120, 40));
    keys(&mut a, "4");
    insta::assert_snapshot!(
        "two_levels_after_both_fixes_mail_flow_80x24",
        screen(&a, 80, 24)
    );
}

#[test]
fn wildcard_toggle_on_the_connector_page() {
    let mut a = app(WILDCARD);
    keys(&mut a, "3");
    let before = screen(&a, 80, 24);
    assert!(before.contains("✗ FAIL"), "{before}");
    keys(&mut a, "w");
    let after = screen(&a, 80, 24);
    insta::assert_snapshot!("wildcard_after_toggle_80x24", after);
}

#[test]
fn help_overlay_lists_the_keymap() {
    let mut a = app(WILDCARD);
    key(&mut a, KeyCode::F(1));
    let s = screen(&a, 120, 40);
    insta::assert_snapshot!("help_120x40", s);
    for b in relaycheck::tui::keymap::KEYMAP.iter().take(10) {
        assert!(s.contains(b.help), "help misses {:?}", b.help);
    }
}

#[test]
fn too_small_terminal_says_so() {
    let a = app(WILDCARD);
    let s = screen(&a, 60, 20);
    assert!(s.contains("Terminal too small"), "{s}");
    assert!(s.contains("at least 80×24; this one is 60×20"), "{s}");
}

#[test]
fn every_step_at_both_sizes_after_the_fixes() {
    let mut a = app(TWO_LEVELS);
    keys(&mut a, "2f3f");
    for step in ['1', '2', '3', '4', '5'] {
        keys(&mut a, &step.to_string());
        let small = screen(&a, 80, 24);
        assert!(small.contains("✓ PASS"), "step {step}:\n{small}");
        insta::assert_snapshot!(format!("two_levels_fixed_80x24_step{step}"), small);
        insta::assert_snapshot!(
            format!("two_levels_fixed_120x40_step{step}"),
            screen(&a, 120, 40)
        );
    }
}

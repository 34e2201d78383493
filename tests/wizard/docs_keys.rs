//! The documents show what the program does: docs/wizard.md lists exactly the keymap
//! table, and the README's capture is the wizard's own first screen on the demo.
//! `RELAYCHECK_UPDATE_DOCS=1 cargo test --test wizard docs` rewrites both from the code.

use std::path::Path;

use relaycheck::tui::keymap;

fn path(doc: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)
}

fn updating() -> bool {
    std::env::var_os("RELAYCHECK_UPDATE_DOCS").is_some_and(|v| v == "1")
}

/// Replaces what is between `begin` and `end` (markers kept), or checks it equals `body`.
fn region(doc: &str, begin: &str, end: &str, body: &str) {
    let file = path(doc);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{doc}: {e}"));
    let start = text
        .find(begin)
        .and_then(|i| text[i..].find('\n').map(|n| i + n + 1))
        .unwrap_or_else(|| panic!("{doc} lacks the marker {begin}"));
    let stop = text[start..]
        .find(end)
        .map(|i| start + i)
        .unwrap_or_else(|| panic!("{doc} lacks the marker {end}"));
    let current = &text[start..stop];
    if current == body {
        return;
    }
    if updating() {
        let new = format!("{}{body}{}", &text[..start], &text[stop..]);
        std::fs::write(&file, new).expect("writes the document");
        return;
    }
    panic!(
        "{doc} is out of date between {begin} and {end}; run RELAYCHECK_UPDATE_DOCS=1 cargo test --test wizard docs\n--- now ---\n{current}\n--- should be ---\n{body}"
    );
}

/// The screen as text, one line per row, trailing blanks removed.
pub fn screen(app: &relaycheck::tui::app::App, width: u16, height: u16) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("test backend");
    terminal
        .draw(|f| relaycheck::tui::view::view(app, f))
        .expect("draws");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let line: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One test for the whole page, so that rewriting it never races another test.
#[test]
fn docs_wizard_md_lists_exactly_the_keymap_and_shows_the_wizards_own_screens() {
    region(
        "docs/wizard.md",
        "<!-- keys:begin",
        "<!-- keys:end -->",
        &keymap::markdown(),
    );
    let cases = [
        ("step1", "1"),
        ("step2", "2"),
        ("after-domain-fix", "2f"),
        ("step3", "3"),
        ("step4", "4"),
        ("after-both-fixes", "2f3f4"),
        ("step5", "5"),
    ];
    for (name, keys) in cases {
        let mut app = crate::kit::two_levels();
        crate::kit::keys(&mut app, keys);
        let body = format!("```text\n{}```\n", crate::kit::screen(&mut app, 80, 24));
        region(
            "docs/wizard.md",
            &format!("<!-- capture:{name} begin"),
            &format!("<!-- capture:{name} end -->"),
            &body,
        );
    }
}

#[test]
fn docs_readme_capture_is_the_first_screen_of_the_demo() {
    let args = relaycheck::cli::WizardArgs {
        ui: relaycheck::cli::UiArgs {
            now: Some("2026-11-22T12:00:00Z".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut app = relaycheck::cli::wizard_app(&args).expect("the demo opens");
    app.theme = relaycheck::tui::theme::Theme::new(relaycheck::tui::theme::ThemeName::Mono);
    // The demo's lab certificate gets a new key at every start: its thumbprint is masked.
    let thumbprint = app.scenario.certificates[0].facts.thumbprint.clone();
    let screen = screen(&app, 100, 30).replace(
        &thumbprint,
        &format!("{:<40}", "(new at every start: a lab key)"),
    );
    insta::assert_snapshot!("demo_100x30_step1", screen);
    let body = format!("```text\n{screen}```\n");
    region(
        "README.md",
        "<!-- capture:begin",
        "<!-- capture:end -->",
        &body,
    );
}

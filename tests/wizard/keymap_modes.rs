//! The keymap against the screen, in every mode: each hint the footer or a popup shows is
//! the key that dispatch gives that meaning, the hint line is on screen, and the help lists
//! every binding. Also undo/redo and the runtime's `~/`.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use relaycheck::tui::app::{App, Modal};
use relaycheck::tui::keymap::{self, KEYMAP, Mode};

use crate::kit::{self, key, key_with, keys};

/// An app in `mode`, reached with keys as a user would.
fn in_mode(mode: Mode) -> App {
    let digit = |tab: relaycheck::tui::app::Tab| char::from(b'0' + tab.number() as u8);
    match mode {
        Mode::Page { tab, lesson: false } => {
            let mut a = kit::two_levels();
            keys(&mut a, &digit(tab).to_string());
            a
        }
        Mode::Page { tab, lesson: true } => {
            let mut a = kit::train(Some("6"));
            keys(&mut a, &format!("\n{}", digit(tab)));
            a
        }
        Mode::Form {
            many_fields: false,
            path: false,
        } => {
            let mut a = kit::two_levels();
            keys(&mut a, "3jjj\n");
            a
        }
        Mode::Form {
            many_fields: true, ..
        } => {
            let mut a = kit::two_levels();
            keys(&mut a, "2a");
            a
        }
        Mode::Form { path: true, .. } => {
            let mut a = kit::two_levels();
            keys(&mut a, "1a");
            a
        }
        Mode::Choices => {
            let mut a = kit::two_levels();
            keys(&mut a, "3c");
            a
        }
        Mode::Confirm => {
            let mut a = kit::two_levels();
            keys(&mut a, "2fq");
            a
        }
        Mode::Help => {
            let mut a = kit::two_levels();
            keys(&mut a, "?");
            a
        }
        Mode::LessonIntro => kit::train(Some("6")),
        Mode::LessonDone => {
            let mut a = kit::train(Some("6"));
            keys(&mut a, "\n2f3f");
            a
        }
        Mode::LessonList => kit::train(None),
        Mode::Hints => {
            let mut a = kit::train(Some("6"));
            keys(&mut a, "\nh");
            a
        }
        Mode::TooSmall => {
            let mut a = kit::two_levels();
            a.size = (60, 20);
            a
        }
        Mode::Loading => {
            // What the runtime sends when a worker starts reading a file.
            let mut a = kit::two_levels();
            relaycheck::tui::dispatch(
                &mut a,
                relaycheck::tui::update::Message::LoadStarted {
                    id: 1,
                    what: "certs/mail.pem".into(),
                },
            );
            a
        }
    }
}

#[test]
fn every_hint_shown_is_the_key_dispatch_gives_that_meaning_in_every_mode() {
    for mode in Mode::all() {
        let mut app = in_mode(mode);
        let (w, h) = if mode == Mode::TooSmall {
            (60, 20)
        } else {
            (120, 40)
        };
        let screen = kit::screen(&mut app, w, h);
        assert_eq!(keymap::mode(&app), mode, "reached the mode\n{screen}");
        let hints = keymap::hints(mode);
        if mode != Mode::TooSmall {
            assert!(!hints.is_empty(), "{mode:?} shows no key");
            // The footer (and the popup's own hint line) show the mode's first hint.
            let (label, word) = hints[0];
            let last = screen.lines().last().unwrap_or_default();
            assert!(
                last.contains(&format!("{label} {word}")),
                "{mode:?}: the footer lacks {label} {word}:\n{screen}"
            );
            if !matches!(mode, Mode::Page { .. }) {
                let popup_line = format!("{label} {word} · ");
                assert!(
                    screen
                        .lines()
                        .rev()
                        .skip(1)
                        .any(|l| l.contains(&popup_line))
                        || hints.len() == 1,
                    "{mode:?}: the popup has no hint line:\n{screen}"
                );
            }
        }
        let scopes = mode.scopes();
        for b in KEYMAP.iter().filter(|b| scopes.contains(&b.scope)) {
            let shown = b.hint.is_some_and(|h| hints.contains(&h));
            for k in b.keys {
                let got = keymap::binding(&k.example(), mode).expect("bound");
                if shown {
                    assert!(
                        std::ptr::eq(got, b),
                        "{mode:?}: the hint {:?} shows {} but dispatch gives {:?} ({})",
                        b.hint,
                        b.label,
                        got.action,
                        got.help
                    );
                }
                // A key shadowed by another scope is shadowed by an earlier one only.
                let first = scopes.iter().position(|s| *s == got.scope);
                let mine = scopes.iter().position(|s| *s == b.scope);
                assert!(
                    first <= mine,
                    "{mode:?}: {} is taken by a later scope",
                    b.label
                );
            }
        }
    }
}

#[test]
fn the_help_lists_every_binding_and_stops_at_its_end() {
    let mut app = kit::two_levels();
    keys(&mut app, "?");
    let mut seen = String::new();
    let mut last = String::new();
    for _ in 0..40 {
        let s = kit::screen(&mut app, 100, 30);
        seen.push_str(&s);
        if s == last {
            break;
        }
        last = s;
        key(&mut app, KeyCode::PageDown);
    }
    for b in KEYMAP {
        assert!(seen.contains(b.help), "help lacks {:?}", b.help);
    }
    // At its end, more PgDn changes nothing and the last page is full, not blank.
    let Some(Modal::Help { scroll }) = app.modal else {
        panic!("help open")
    };
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.modal, Some(Modal::Help { scroll }), "stops at its end");
    assert!(!last.contains("↓ "), "no more below at the end:\n{last}");
    let blank_rows = last
        .lines()
        .filter(|l| {
            l.trim_matches(|c: char| c == '│' || c == ' ' || !c.is_ascii())
                .is_empty()
        })
        .count();
    assert!(blank_rows < 10, "the last page is not a blank one:\n{last}");
    key(&mut app, KeyCode::Home);
    assert_eq!(app.modal, Some(Modal::Help { scroll: 0 }));
}

#[test]
fn redo_with_shift_u_and_ctrl_y_and_unsaved_follows_the_history() {
    let mut a = kit::two_levels();
    keys(&mut a, "2f");
    let fixed = a.scenario.clone();
    assert!(a.dirty());
    keys(&mut a, "u");
    assert!(!a.dirty(), "undone to what was loaded");
    keys(&mut a, "U");
    assert_eq!(a.scenario, fixed);
    assert!(a.dirty());
    keys(&mut a, "u");
    key_with(&mut a, KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(a.scenario, fixed, "Ctrl-Y redoes too");
    keys(&mut a, "U");
    assert_eq!(a.status.as_deref(), Some("Nothing to redo."));
    assert!(
        a.changes
            .as_ref()
            .is_some_and(|c| c.what.starts_with("redo: ")),
        "{:?}",
        a.changes
    );
}

#[test]
fn update_leaves_home_to_the_runtime() {
    let mut a = kit::two_levels();
    keys(&mut a, "1a~/certs/mail.pem");
    let effects = relaycheck::tui::press(
        &mut a,
        ratatui::crossterm::event::KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
    );
    assert_eq!(
        effects,
        vec![relaycheck::tui::update::Effect::LoadCertificates(
            "~/certs/mail.pem".into()
        )],
        "update passes the path on as typed"
    );
    if let Some(home) = std::env::var_os("HOME") {
        assert_eq!(
            relaycheck::tui::expand_home(std::path::Path::new("~/certs/mail.pem")),
            std::path::PathBuf::from(home).join("certs/mail.pem")
        );
    }
}

#[test]
fn shift_tab_as_a_terminal_sends_it_moves_back_on_pages_and_in_forms() {
    use relaycheck::tui::app::Focus;
    // Pages: Tab twice to the findings, Shift-Tab (BackTab with SHIFT) back to the details.
    let mut a = kit::two_levels();
    keys(&mut a, "2\t\t");
    assert_eq!(a.focus, Focus::Findings);
    relaycheck::tui::dispatch_key(&mut a, kit::shift_tab());
    assert_eq!(a.focus, Focus::Details, "Shift-Tab moved the focus back");
    // Forms: the generate form's second field, then back to the first.
    let mut a = kit::two_levels();
    keys(&mut a, "1g\t");
    let focus = |a: &App| match &a.modal {
        Some(Modal::Form(f)) => f.focus,
        _ => usize::MAX,
    };
    assert_eq!(focus(&a), 1);
    relaycheck::tui::dispatch_key(&mut a, kit::shift_tab());
    assert_eq!(focus(&a), 0, "Shift-Tab moved to the previous field");
}

#[test]
fn every_key_of_the_table_as_a_terminal_sends_it_selects_its_binding() {
    // The table's own example of each key, and the same key as crossterm decodes it from a
    // terminal (Shift-Tab carries SHIFT, capitals carry SHIFT): both mean the same.
    for b in KEYMAP {
        for k in b.keys {
            let ev = k.example();
            let terminal = match ev.code {
                KeyCode::BackTab => kit::shift_tab(),
                KeyCode::Char(c) if c.is_uppercase() && ev.modifiers == KeyModifiers::NONE => {
                    kit::from_terminal(&c.to_string())
                }
                _ => ev,
            };
            for mode in Mode::all() {
                let want = keymap::lookup(&ev, mode);
                let got = keymap::lookup(&keymap::normalize(terminal), mode);
                assert_eq!(got, want, "{} in {mode:?}", b.label);
            }
        }
    }
}

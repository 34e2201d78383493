//! What a wizard fuzz input means, shared by the fuzz target and the corpus replay in
//! `tests/input/fuzz_corpus.rs`, so a kept sequence is the same run in both: the first two
//! bytes choose the terminal size, each byte after them is a key.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::model::Scenario;
use relaycheck::tui::app::{App, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};
use relaycheck::tui::update::{Message, update};
use time::OffsetDateTime;

/// The wizard on `scenario` at `now`, told the terminal size the input's first two bytes
/// choose, its terminal, and the key bytes that follow.
pub fn start(
    scenario: Scenario,
    now: OffsetDateTime,
    data: &[u8],
) -> (App, Terminal<TestBackend>, &[u8]) {
    let origin = Origin {
        path: None,
        label: "fuzz".into(),
        inputs: Vec::new(),
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    let mut app = App::new(scenario, origin, now, Theme::new(ThemeName::Dark));
    let (size, keys) = data.split_at(data.len().min(2));
    let width = 40 + u16::from(size.first().copied().unwrap_or(80)) % 160;
    let height = 10 + u16::from(size.get(1).copied().unwrap_or(30)) % 60;
    // A TestBackend cannot fail (its error type is Infallible).
    let Ok(terminal) = Terminal::new(TestBackend::new(width, height));
    update(&mut app, Message::Resize { width, height });
    (app, terminal, keys)
}

const KEYS: &[KeyCode] = &[
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::F(1),
];

fn key(b: u8) -> KeyEvent {
    // Printable ASCII as characters (with Ctrl for a few), the rest as special keys.
    match b {
        0x20..=0x7e => KeyEvent::new(KeyCode::Char(b as char), KeyModifiers::NONE),
        0x80..=0x9f => KeyEvent::new(
            KeyCode::Char((b'a' + (b - 0x80) % 26) as char),
            KeyModifiers::CONTROL,
        ),
        _ => KeyEvent::new(KeyCode::Char('é'), KeyModifiers::NONE),
    }
}

/// The key a fuzz byte stands for.
pub fn event(b: u8) -> KeyEvent {
    if b < 0x20 {
        KeyEvent::new(KEYS[b as usize % KEYS.len()], KeyModifiers::NONE)
    } else {
        key(b)
    }
}

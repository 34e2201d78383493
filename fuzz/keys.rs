//! The wizard fuzz target's byte → key table, shared with the corpus replay in
//! `tests/input/fuzz_corpus.rs`, so a kept sequence means the same keys in both.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

//! The wizard on random key sequences: `update` with each key (its effects are dropped, so
//! nothing is read, written or copied), and the real `view` drawn into a TestBackend after
//! every key, starting from the built-in demo.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use relaycheck::tui::app::{App, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};
use relaycheck::tui::update::Message;
use time::macros::datetime;

#[path = "../keys.rs"]
mod keys;
use keys::event;

fuzz_target!(|data: &[u8]| {
    let now = datetime!(2026-11-22 12:00 UTC);
    let Ok((_, scenario)) = relaycheck::tui::demo::load(now) else {
        return;
    };
    let origin = Origin {
        path: None,
        label: "fuzz".into(),
        inputs: Vec::new(),
        lesson: None,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    let mut app = App::new(scenario, origin, now, Theme::new(ThemeName::Dark));
    // The first two bytes choose the terminal size (the wizard's smallest is 80×24).
    let (size, keys) = data.split_at(data.len().min(2));
    let width = 40 + u16::from(size.first().copied().unwrap_or(80)) % 160;
    let height = 10 + u16::from(size.get(1).copied().unwrap_or(30)) % 60;
    // A TestBackend cannot fail (its error type is Infallible).
    let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
    relaycheck::tui::update::update(&mut app, Message::Resize { width, height });
    for &b in keys.iter().take(200) {
        let _effects = relaycheck::tui::press(&mut app, event(b));
        let _ = terminal.draw(|f| relaycheck::tui::view::view(&app, f));
        if app.should_quit {
            break;
        }
    }
});

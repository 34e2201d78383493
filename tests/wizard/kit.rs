//! Helpers for the wizard's tests: apps on the examples, the demo and the lessons, keys,
//! and the screen as text or as a buffer.

use std::path::PathBuf;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use relaycheck::cli::{TrainArgs, UiArgs, WizardArgs, train_app, wizard_app};
use relaycheck::tui::app::{App, Origin};
use relaycheck::tui::theme::{Theme, ThemeName};

pub const TWO_LEVELS: &str = "assets/examples/seed000-host-two-levels-down.yaml";

pub fn app_from(file: &str) -> App {
    let path = PathBuf::from(file);
    let (doc, scenario) =
        relaycheck::scenario::load(&path, None, crate::support::now()).expect("example loads");
    let origin = Origin {
        path: Some(path.clone()),
        label: file.to_string(),
        inputs: vec![path],
        lesson: doc.lesson,
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    App::new(
        scenario,
        origin,
        crate::support::now(),
        Theme::new(ThemeName::Mono),
    )
}

pub fn two_levels() -> App {
    app_from(TWO_LEVELS)
}

pub fn ui() -> UiArgs {
    UiArgs {
        now: Some("2026-11-22T12:00:00Z".into()),
        ..UiArgs::default()
    }
}

pub fn demo() -> App {
    let mut app = wizard_app(&WizardArgs {
        ui: ui(),
        ..WizardArgs::default()
    })
    .expect("the demo opens");
    app.theme = Theme::new(ThemeName::Mono);
    app
}

/// `relaycheck train [lesson]`, progress in memory only.
pub fn train(lesson: Option<&str>) -> App {
    let mut app = train_app(&TrainArgs {
        lesson: lesson.map(str::to_string),
        list: false,
        progress: false,
        reset: false,
        ui: ui(),
    })
    .expect("the lesson opens");
    app.theme = Theme::new(ThemeName::Mono);
    app
}

pub fn key_with(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    relaycheck::tui::dispatch_key(app, KeyEvent::new(code, mods));
}

/// A key as a terminal sends it, decoded as crossterm decodes it: Shift-Tab (`ESC [ Z`) is
/// `BackTab` *with* `SHIFT`, an upper-case letter carries `SHIFT`, Ctrl-letter is the
/// control byte. Tests build keys from this, so the keymap meets what a real terminal gives.
pub fn from_terminal(bytes: &str) -> KeyEvent {
    let none = KeyModifiers::NONE;
    let (code, mods) = match bytes {
        "\x1b[Z" => (KeyCode::BackTab, KeyModifiers::SHIFT),
        "\x1b[A" => (KeyCode::Up, none),
        "\x1b[B" => (KeyCode::Down, none),
        "\x1b[C" => (KeyCode::Right, none),
        "\x1b[D" => (KeyCode::Left, none),
        "\x1b[H" => (KeyCode::Home, none),
        "\x1b[F" => (KeyCode::End, none),
        "\x1b[3~" => (KeyCode::Delete, none),
        "\x1b[5~" => (KeyCode::PageUp, none),
        "\x1b[6~" => (KeyCode::PageDown, none),
        "\x1bOP" => (KeyCode::F(1), none),
        "\x1b" => (KeyCode::Esc, none),
        "\r" | "\n" => (KeyCode::Enter, none),
        "\t" => (KeyCode::Tab, none),
        "\x7f" => (KeyCode::Backspace, none),
        _ => {
            let mut chars = bytes.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                panic!("no terminal key for {bytes:?}");
            };
            match c {
                '\x01'..='\x1a' => (
                    KeyCode::Char(char::from(b'a' + (c as u8 - 1))),
                    KeyModifiers::CONTROL,
                ),
                c if c.is_uppercase() => (KeyCode::Char(c), KeyModifiers::SHIFT),
                c => (KeyCode::Char(c), none),
            }
        }
    };
    KeyEvent::new(code, mods)
}

/// Shift-Tab as a terminal sends it.
pub fn shift_tab() -> KeyEvent {
    from_terminal("\x1b[Z")
}

pub fn key(app: &mut App, code: KeyCode) {
    let ev = match code {
        KeyCode::BackTab => shift_tab(),
        code => KeyEvent::new(code, KeyModifiers::NONE),
    };
    relaycheck::tui::dispatch_key(app, ev);
}

/// Characters as keys, as a terminal sends them; `\n` is Enter, `\x1b` Esc, `\t` Tab.
pub fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let mut buf = [0u8; 4];
        relaycheck::tui::dispatch_key(app, from_terminal(c.encode_utf8(&mut buf)));
    }
}

pub fn buffer(app: &mut App, width: u16, height: u16) -> Buffer {
    app.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|f| relaycheck::tui::view::view(app, f))
        .expect("draws");
    terminal.backend().buffer().clone()
}

pub fn text(b: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..b.area.height {
        let line: String = (0..b.area.width).map(|x| b[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The screen as text at this size (the app learns the size, as from a resize).
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&buffer(app, width, height))
}

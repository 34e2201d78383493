//! Colours for dark and light terminals, a high-contrast theme for projectors, and a
//! monochrome one for `NO_COLOR`. Status is never shown by colour alone: every state also
//! has a symbol and a word.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    HighContrast,
    Mono,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub info: Style,
    pub selected: Style,
    pub key: Style,
    pub border: Style,
    pub active_border: Style,
    pub code: Style,
}

impl Theme {
    pub fn new(name: ThemeName) -> Theme {
        let bold = Modifier::BOLD;
        match name {
            ThemeName::Dark => Theme {
                name,
                text: Style::new(),
                dim: Style::new().fg(Color::Gray),
                title: Style::new().fg(Color::Cyan).add_modifier(bold),
                ok: Style::new().fg(Color::Green).add_modifier(bold),
                warn: Style::new().fg(Color::Yellow).add_modifier(bold),
                error: Style::new().fg(Color::LightRed).add_modifier(bold),
                info: Style::new().fg(Color::Cyan),
                selected: Style::new().bg(Color::DarkGray).add_modifier(bold),
                key: Style::new().fg(Color::Cyan).add_modifier(bold),
                border: Style::new().fg(Color::DarkGray),
                active_border: Style::new().fg(Color::Cyan),
                code: Style::new().fg(Color::LightYellow),
            },
            ThemeName::Light => Theme {
                name,
                text: Style::new().fg(Color::Black),
                dim: Style::new().fg(Color::DarkGray),
                title: Style::new().fg(Color::Blue).add_modifier(bold),
                ok: Style::new().fg(Color::Green).add_modifier(bold),
                warn: Style::new().fg(Color::Magenta).add_modifier(bold),
                error: Style::new().fg(Color::Red).add_modifier(bold),
                info: Style::new().fg(Color::Blue),
                selected: Style::new().bg(Color::Gray).add_modifier(bold),
                key: Style::new().fg(Color::Blue).add_modifier(bold),
                border: Style::new().fg(Color::Gray),
                active_border: Style::new().fg(Color::Blue),
                code: Style::new().fg(Color::Rgb(0x80, 0x40, 0x00)),
            },
            ThemeName::HighContrast => Theme {
                name,
                text: Style::new().fg(Color::White).add_modifier(bold),
                dim: Style::new().fg(Color::White),
                title: Style::new()
                    .fg(Color::White)
                    .add_modifier(bold | Modifier::UNDERLINED),
                ok: Style::new().fg(Color::LightGreen).add_modifier(bold),
                warn: Style::new().fg(Color::LightYellow).add_modifier(bold),
                error: Style::new()
                    .fg(Color::LightRed)
                    .add_modifier(bold | Modifier::UNDERLINED),
                info: Style::new().fg(Color::LightCyan).add_modifier(bold),
                selected: Style::new().add_modifier(Modifier::REVERSED | bold),
                key: Style::new()
                    .fg(Color::Black)
                    .bg(Color::White)
                    .add_modifier(bold),
                border: Style::new().fg(Color::White),
                active_border: Style::new().fg(Color::LightYellow).add_modifier(bold),
                code: Style::new().fg(Color::White).add_modifier(bold),
            },
            ThemeName::Mono => Theme {
                name,
                text: Style::new(),
                dim: Style::new(),
                title: Style::new().add_modifier(bold),
                ok: Style::new().add_modifier(bold),
                warn: Style::new().add_modifier(bold),
                error: Style::new().add_modifier(bold),
                info: Style::new(),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                key: Style::new().add_modifier(bold),
                border: Style::new(),
                active_border: Style::new().add_modifier(bold),
                code: Style::new(),
            },
        }
    }
}

//! Colours for dark terminals, a light theme, a high-contrast theme for projectors, and a
//! monochrome one for `NO_COLOR`. Status is never shown by colour alone: every state also
//! has a symbol and a word.
//!
//! The light and high-contrast themes paint their own background and foreground on every
//! cell (`base`, drawn under everything) in exact RGB, so they look the same on any
//! terminal, and every text colour has a contrast of at least 7:1 (WCAG AAA) against every
//! background it is drawn on (a test computes it). Dark and mono use the terminal's own
//! colours.

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
    /// Painted on every cell before anything else.
    pub base: Style,
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

const fn rgb(hex: u32) -> Color {
    Color::Rgb((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
}

impl Theme {
    pub fn new(name: ThemeName) -> Theme {
        let bold = Modifier::BOLD;
        match name {
            ThemeName::Dark => Theme {
                name,
                base: Style::new(),
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
            ThemeName::Light => {
                let (bg, fg) = (rgb(0xFFFFFF), rgb(0x000000));
                Theme {
                    name,
                    base: Style::new().fg(fg).bg(bg),
                    text: Style::new().fg(fg),
                    dim: Style::new().fg(rgb(0x3C3C3C)),
                    title: Style::new().fg(rgb(0x00307A)).add_modifier(bold),
                    ok: Style::new().fg(rgb(0x005A00)).add_modifier(bold),
                    warn: Style::new().fg(rgb(0x6B2C00)).add_modifier(bold),
                    error: Style::new().fg(rgb(0x9A0000)).add_modifier(bold),
                    info: Style::new().fg(rgb(0x00307A)),
                    selected: Style::new()
                        .fg(fg)
                        .bg(rgb(0xE4ECF7))
                        .add_modifier(bold | Modifier::UNDERLINED),
                    key: Style::new().fg(rgb(0x00307A)).add_modifier(bold),
                    border: Style::new().fg(rgb(0x3C3C3C)),
                    active_border: Style::new().fg(rgb(0x00307A)).add_modifier(bold),
                    code: Style::new().fg(rgb(0x5A2D00)),
                }
            }
            ThemeName::HighContrast => {
                let (bg, fg) = (rgb(0x000000), rgb(0xFFFFFF));
                Theme {
                    name,
                    base: Style::new().fg(fg).bg(bg),
                    text: Style::new().fg(fg).add_modifier(bold),
                    dim: Style::new().fg(rgb(0xE0E0E0)),
                    title: Style::new()
                        .fg(fg)
                        .add_modifier(bold | Modifier::UNDERLINED),
                    ok: Style::new().fg(rgb(0x5CFF5C)).add_modifier(bold),
                    warn: Style::new().fg(rgb(0xFFFF40)).add_modifier(bold),
                    error: Style::new()
                        .fg(rgb(0xFF9A9A))
                        .add_modifier(bold | Modifier::UNDERLINED),
                    info: Style::new().fg(rgb(0x7FFFFF)).add_modifier(bold),
                    selected: Style::new()
                        .fg(fg)
                        .bg(rgb(0x1A1A40))
                        .add_modifier(bold | Modifier::UNDERLINED),
                    key: Style::new().fg(bg).bg(fg).add_modifier(bold),
                    border: Style::new().fg(fg),
                    active_border: Style::new().fg(rgb(0xFFFF40)).add_modifier(bold),
                    code: Style::new().fg(fg).add_modifier(bold),
                }
            }
            ThemeName::Mono => Theme {
                name,
                base: Style::new(),
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

    /// Every style of the theme with its name (for the contrast test).
    pub fn styles(&self) -> [(&'static str, Style); 12] {
        [
            ("text", self.text),
            ("dim", self.dim),
            ("title", self.title),
            ("ok", self.ok),
            ("warn", self.warn),
            ("error", self.error),
            ("info", self.info),
            ("selected", self.selected),
            ("key", self.key),
            ("border", self.border),
            ("active_border", self.active_border),
            ("code", self.code),
        ]
    }
}

/// The sRGB relative luminance of a colour (WCAG 2), for `Color::Rgb`; named ANSI colours
/// are taken at xterm's default values.
pub fn luminance(c: Color) -> Option<f64> {
    let (r, g, b) = match c {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Black => (0, 0, 0),
        Color::Red => (205, 0, 0),
        Color::Green => (0, 205, 0),
        Color::Yellow => (205, 205, 0),
        Color::Blue => (0, 0, 238),
        Color::Magenta => (205, 0, 205),
        Color::Cyan => (0, 205, 205),
        Color::Gray => (229, 229, 229),
        Color::DarkGray => (127, 127, 127),
        Color::LightRed => (255, 0, 0),
        Color::LightGreen => (0, 255, 0),
        Color::LightYellow => (255, 255, 0),
        Color::LightBlue => (92, 92, 255),
        Color::LightMagenta => (255, 0, 255),
        Color::LightCyan => (0, 255, 255),
        Color::White => (255, 255, 255),
        _ => return None,
    };
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    Some(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b))
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color, b: Color) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

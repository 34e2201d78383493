//! A popup's frame, shared by the wizard's popups and the lesson panels: a centred box
//! sized to its content, its lines from an offset with overflow marks, and the hint line of
//! its mode at the bottom.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::widgets::{clamp_offset, marks, pane, wrap_line};
use crate::app::App;
use crate::keymap::{self, Mode};

/// A rectangle of `width` × `height` (cut to the area) in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(h);
    v
}

/// A popup's box: its rectangle and how many content lines it shows.
pub struct PopupBox {
    pub rect: Rect,
    pub text_width: usize,
    pub visible: usize,
}

/// Where a popup of `max_width` goes for `content` lines (wrapped by the caller at
/// `text_width`), with the hint line of `mode` at its bottom.
pub fn popup_box(area: Rect, max_width: u16, content: usize, mode: Mode, full: bool) -> PopupBox {
    let width = area.width.saturating_sub(4).min(max_width).max(20);
    let text_width = usize::from(width.saturating_sub(2));
    let hints = wrap_line(&Line::raw(keymap::hint_line(mode)), text_width, 2).len();
    let room = usize::from(area.height.saturating_sub(2));
    let height = if full {
        room
    } else {
        (content + hints + 2).min(room)
    };
    PopupBox {
        rect: centered(area, width, u16::try_from(height).unwrap_or(u16::MAX)),
        text_width,
        visible: height.saturating_sub(hints + 2),
    }
}

/// Draws a popup: title, `lines` from `offset` (clamped to the end), overflow marks, and
/// the mode's hint line.
pub fn popup(
    app: &App,
    frame: &mut Frame,
    b: &PopupBox,
    title: &str,
    lines: Vec<Line<'static>>,
    offset: usize,
    mode: Mode,
) {
    let offset = clamp_offset(lines.len(), b.visible, offset);
    let below = lines.len().saturating_sub(offset + b.visible);
    let mut shown: Vec<Line> = lines.into_iter().skip(offset).take(b.visible).collect();
    while shown.len() < b.visible {
        shown.push(Line::raw(""));
    }
    let hint = Line::styled(keymap::hint_line(mode), app.theme.key);
    shown.extend(wrap_line(&hint, b.text_width, 2));
    let block = marks(app, pane(app, title, true), offset, below);
    frame.render_widget(Clear, b.rect);
    frame.render_widget(
        Paragraph::new(shown).style(app.theme.base).block(block),
        b.rect,
    );
}

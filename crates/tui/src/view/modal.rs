//! What opens on top of a page: the help (from the keymap table), forms, choice lists and
//! yes/no questions. Every popup wraps its text, scrolls with overflow marks, and ends with
//! its own hint line made from the keymap scopes of its mode.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::popup::{PopupBox, popup, popup_box};
use super::widgets::{follow, wrap_line, wrap_lines};
use crate::app::{App, Modal, Question};
use crate::keymap::{self, Mode};

/// The help's lines at this width: every scope of the table, the ones in use here marked.
pub fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let page = Mode::Page {
        tab: app.tab,
        lesson: app.lesson.is_some(),
    }
    .scopes();
    let intro = Line::styled(
        "Status is shown as ✓ ok, ! warnings, ✗ errors. Sections marked ▶ apply on this step.",
        t.dim,
    );
    let mut lines = Vec::new();
    for (scope, bindings) in keymap::help_sections() {
        lines.push(Line::raw(""));
        let here = if page.contains(&scope) { "▶ " } else { "" };
        lines.push(Line::styled(format!("{here}{}", scope.title()), t.title));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", b.label), t.key),
                Span::raw(b.help),
            ]));
        }
    }
    let mut out = wrap_line(&intro, width, 0);
    out.extend(wrap_lines(&lines, width, 20));
    out
}

pub fn help_box(area: Rect) -> PopupBox {
    popup_box(area, 100, 0, Mode::Help, true)
}

/// The form's lines, the line of the focused field, and where the note ends (if any).
fn form_lines(
    app: &App,
    form: &crate::app::Form,
    width: usize,
) -> (Vec<Line<'static>>, usize, Option<usize>) {
    let t = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        if focused {
            focus_line = lines.len();
        }
        let value: String = if f.secret {
            "•".repeat(f.input.value().chars().count())
        } else {
            f.input.value().to_string()
        };
        let mut spans = vec![
            Span::styled(if focused { "▶ " } else { "  " }, t.title),
            Span::styled(format!("{}: ", f.label), t.dim),
        ];
        if focused && f.input.is_selected() {
            spans.push(Span::styled(value, t.selected));
            spans.push(Span::styled("  (typing replaces it)", t.dim));
        } else if focused {
            let at = f.input.cursor();
            let before: String = value.chars().take(at).collect();
            let after: String = value.chars().skip(at).collect();
            spans.push(Span::styled(before, t.text));
            spans.push(Span::styled("▏", t.title));
            spans.push(Span::styled(after, t.text));
        } else {
            spans.push(Span::styled(value, t.text));
        }
        lines.extend(wrap_line(&Line::from(spans), width, 4));
    }
    if let Some((ok, note)) = &form.note {
        let (mark, style) = if *ok { ("✓", t.ok) } else { ("✗", t.error) };
        lines.extend(wrap_line(
            &Line::styled(format!("{mark} {note}"), style),
            width,
            2,
        ));
    }
    let note_end = form.note.as_ref().map(|_| lines.len());
    for c in &form.completions {
        lines.extend(wrap_line(
            &Line::styled(format!("    {c}"), t.dim),
            width,
            2,
        ));
    }
    (lines, focus_line, note_end)
}

fn choice_lines(
    app: &App,
    ch: &crate::app::Choices,
    width: usize,
) -> (Vec<Line<'static>>, (usize, usize)) {
    let t = &app.theme;
    let mut lines = Vec::new();
    let mut sel = (0, 0);
    let value_width = ch
        .items
        .iter()
        .map(|(v, _)| relaycheck_core::width::width(v))
        .max()
        .unwrap_or(0)
        .min(width / 2);
    for (i, (value, why)) in ch.items.iter().enumerate() {
        let selected = i == ch.selected;
        let start = lines.len();
        let line = Line::from(vec![
            Span::styled(if selected { "▶ " } else { "  " }, t.title),
            Span::styled(
                relaycheck_core::width::pad(value, value_width),
                if selected { t.selected } else { t.code },
            ),
            Span::styled(format!("  {why}"), t.dim),
        ]);
        lines.extend(wrap_line(&line, width, value_width + 4));
        if selected {
            sel = (start, lines.len());
        }
    }
    (lines, sel)
}

pub fn question_text(q: &Question) -> String {
    match q {
        Question::QuitUnsaved => "You have edits that are not saved. Quit anyway?".to_string(),
        Question::Overwrite { path, .. } => {
            format!("{} already exists. Overwrite it?", path.display())
        }
        Question::ResetProgress => {
            "Forget which lessons you have done (every tick in the list)?".to_string()
        }
    }
}

/// How many lines the open popup shows, and how far it can scroll (for `update`).
pub fn scroll_room(app: &App, area: Rect) -> Option<(usize, usize)> {
    match app.modal.as_ref()? {
        Modal::Help { .. } => {
            let b = help_box(area);
            let n = help_lines(app, b.text_width).len();
            Some((b.visible, n.saturating_sub(b.visible)))
        }
        Modal::Choices(ch) => {
            let b = popup_box(area, 90, ch.items.len() * 2, Mode::Choices, false);
            Some((b.visible, 0))
        }
        Modal::Hints { .. } | Modal::Lesson(_) => crate::lesson::view::scroll_room(app, area),
        _ => None,
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(modal) = &app.modal else { return };
    let t = &app.theme;
    let mode = keymap::mode(app);
    match modal {
        Modal::Help { scroll } => {
            let b = help_box(area);
            let lines = help_lines(app, b.text_width);
            popup(app, frame, &b, "Help", lines, usize::from(*scroll), mode);
        }
        Modal::Form(form) => {
            let probe = popup_box(area, 76, 0, mode, false);
            let (lines, focus, note_end) = form_lines(app, form, probe.text_width);
            let b = popup_box(area, 76, lines.len(), mode, false);
            // A field longer than the box (a long paste) would push its note out of view:
            // then the note and the field's end (where the cursor is) are shown.
            let offset = match note_end {
                Some(end) if follow(focus, focus + 1, b.visible) + b.visible < end => {
                    end.saturating_sub(b.visible)
                }
                _ => follow(focus, focus + 1, b.visible),
            };
            popup(app, frame, &b, &form.title, lines, offset, mode);
        }
        Modal::Choices(ch) => {
            let probe = popup_box(area, 90, 0, mode, false);
            let (lines, (start, end)) = choice_lines(app, ch, probe.text_width);
            let b = popup_box(area, 90, lines.len(), mode, false);
            let offset = follow(start, end, b.visible);
            popup(app, frame, &b, &ch.title, lines, offset, mode);
        }
        Modal::Lesson(panel) => crate::lesson::view::draw_panel(app, panel, frame, area),
        Modal::Hints { scroll } => crate::lesson::view::draw_hints(app, *scroll, frame, area),
        Modal::Confirm(q) => {
            let probe = popup_box(area, 64, 0, mode, false);
            let lines = wrap_line(&Line::styled(question_text(q), t.text), probe.text_width, 0);
            let b = popup_box(area, 64, lines.len(), mode, false);
            popup(app, frame, &b, "Are you sure?", lines, 0, mode);
        }
    }
}

//! What opens on top of a page: the help (from the keymap table), forms, choice lists and
//! yes/no questions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::widgets::pane;
use crate::tui::app::{App, Modal, Question};
use crate::tui::keymap;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(h);
    v
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(modal) = &app.modal else { return };
    let t = &app.theme;
    match modal {
        Modal::Help { scroll } => {
            let r = centered(
                area,
                area.width.saturating_sub(4).min(100),
                area.height.saturating_sub(2),
            );
            let mut lines = vec![Line::styled(
                "Keys (↑↓ scroll, Esc or ? closes). Status is shown as ✓ ok, ! warnings, ✗ errors.",
                t.dim,
            )];
            for (scope, bindings) in keymap::help_sections() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(scope.title(), t.title));
                for b in bindings {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {:<12}", b.label), t.key),
                        Span::raw(b.help),
                    ]));
                }
            }
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(lines)
                    .scroll((*scroll, 0))
                    .block(pane(app, "Help", true)),
                r,
            );
        }
        Modal::Form(form) => {
            let mut lines: Vec<Line> = Vec::new();
            for (i, f) in form.fields.iter().enumerate() {
                let focused = i == form.focus;
                let shown = if f.secret {
                    "•".repeat(f.value.chars().count())
                } else {
                    f.value.clone()
                };
                lines.push(Line::from(vec![
                    Span::styled(if focused { "▶ " } else { "  " }, t.title),
                    Span::styled(format!("{}: ", f.label), t.dim),
                    Span::styled(shown, if focused { t.selected } else { t.text }),
                    Span::styled(if focused { "▏" } else { "" }, t.title),
                ]));
            }
            if let Some((ok, note)) = &form.note {
                let (mark, style) = if *ok { ("✓", t.ok) } else { ("✗", t.error) };
                lines.push(Line::styled(format!("{mark} {note}"), style));
            }
            for c in form.completions.iter().take(8) {
                lines.push(Line::styled(format!("    {c}"), t.dim));
            }
            if form.completions.len() > 8 {
                lines.push(Line::styled(
                    format!("    … {} more", form.completions.len() - 8),
                    t.dim,
                ));
            }
            let many = form.fields.len() > 1;
            lines.push(Line::styled(
                if many {
                    "Enter save · Esc cancel · Tab/↑↓ next field"
                } else {
                    "Enter save · Esc cancel · Tab completes a path"
                },
                t.dim,
            ));
            let height = lines.len() as u16 + 4;
            let r = centered(area, 72, height);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(
                    app,
                    &form.title,
                    true,
                )),
                r,
            );
        }
        Modal::Choices(ch) => {
            let mut lines: Vec<Line> = Vec::new();
            for (i, (value, why)) in ch.items.iter().enumerate() {
                let sel = i == ch.selected;
                lines.push(Line::from(vec![
                    Span::styled(if sel { "▶ " } else { "  " }, t.title),
                    Span::styled(
                        format!("{value:<32}"),
                        if sel { t.selected } else { t.code },
                    ),
                    Span::styled(format!(" {why}"), t.dim),
                ]));
            }
            lines.push(Line::styled("Enter sets it · Esc cancels", t.dim));
            let r = centered(area, 76, lines.len() as u16 + 2);
            frame.render_widget(Clear, r);
            frame.render_widget(Paragraph::new(lines).block(pane(app, &ch.title, true)), r);
        }
        Modal::Lesson(panel) => crate::tui::lesson::draw_panel(app, panel, frame, area),
        Modal::Confirm(q) => {
            let text = match q {
                Question::QuitUnsaved => {
                    "You have edits that are not saved. Quit anyway?".to_string()
                }
                Question::Overwrite { path, .. } => {
                    format!("{} already exists. Overwrite it?", path.display())
                }
            };
            let lines = vec![
                Line::raw(text),
                Line::raw(""),
                Line::styled("y yes · n no", t.key),
            ];
            let r = centered(area, 60, 6);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: true }).block(pane(
                    app,
                    "Are you sure?",
                    true,
                )),
                r,
            );
        }
    }
}

//! The findings pane under each page: what is wrong on this step and how to fix it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{pane, severity, wrap};
use crate::tui::app::{App, Focus};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let findings = app.page_findings();
    let active = app.focus == Focus::Findings;
    let title = if findings.is_empty() {
        "Findings: none on this step".to_string()
    } else {
        format!("Findings ({}) — f applies the fix", findings.len())
    };
    let block = pane(app, &title, active);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width.saturating_sub(1));
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_start = 0usize;
    for (i, f) in findings.iter().enumerate() {
        let selected = active && i == app.finding_row;
        if selected {
            selected_start = lines.len();
        }
        let (symbol, word, style) = severity(app, f.severity);
        let mark = if selected { "▶" } else { " " };
        let head_style = if selected {
            app.theme.selected
        } else {
            app.theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(mark, app.theme.title),
            Span::styled(format!("{symbol} {word} "), style),
            Span::styled(f.id.as_str(), head_style),
        ]));
        for l in wrap(&f.message, width.saturating_sub(2)) {
            lines.push(Line::raw(format!("  {l}")));
        }
        let fix_lines = wrap(&format!("Fix: {}", f.fix), width.saturating_sub(2));
        let shown = if selected {
            fix_lines.len()
        } else {
            fix_lines.len().min(2)
        };
        for l in fix_lines.into_iter().take(shown) {
            lines.push(Line::styled(format!("  {l}"), app.theme.code));
        }
    }
    if findings.is_empty() {
        lines.push(Line::styled(" ✓ Nothing to fix here.", app.theme.ok));
    }
    let height = usize::from(inner.height);
    let offset = if selected_start + 3 > height {
        selected_start.saturating_sub(1)
    } else {
        0
    };
    let offset = u16::try_from(offset).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((offset, 0)), inner);
}

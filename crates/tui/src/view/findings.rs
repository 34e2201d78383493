//! The findings pane under each page: what is wrong on this step and how to fix it, every
//! line wrapped, scrolled to keep the highlighted finding in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::widgets::{Claim, follow, pane, para, scroll_pane, severity};
use crate::app::{App, Focus};

/// The pane's lines at this width, and the lines of the highlighted finding.
pub fn lines(app: &App, width: usize) -> (Vec<Line<'static>>, (usize, usize)) {
    let findings = app.page_findings();
    let active = app.focus == Focus::Findings;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected = (0, 0);
    for (i, f) in findings.iter().enumerate() {
        let is_selected = active && i == app.finding_row;
        let start = lines.len();
        let (symbol, word, style) = severity(app, f.severity);
        let head_style = if is_selected {
            app.theme.selected
        } else {
            app.theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(if is_selected { "▶" } else { " " }, app.theme.title),
            Span::styled(format!("{symbol} {word} "), style),
            Span::styled(f.id.as_str(), head_style),
        ]));
        lines.extend(para(&format!("  {}", f.message), app.theme.text, width, 0));
        lines.extend(para(&format!("  Fix: {}", f.fix), app.theme.code, width, 5));
        if is_selected {
            selected = (start, lines.len());
        }
    }
    if findings.is_empty() {
        lines.push(Line::styled(" ✓ Nothing to fix here.", app.theme.ok));
    }
    (lines, selected)
}

/// The pane's lines, wrapped once per frame: the page's layout asks how tall they are,
/// then the same lines are drawn (wrapping them twice was a third of a keystroke).
pub struct Pane {
    lines: Vec<Line<'static>>,
    selected: (usize, usize),
}

impl Pane {
    /// The pane for a page `width` columns wide (its border included).
    pub fn new(app: &App, width: u16) -> Pane {
        let (lines, selected) = lines(app, usize::from(width.saturating_sub(2)));
        Pane { lines, selected }
    }

    /// What the pane asks of the page's height.
    pub fn claim(&self) -> Claim {
        let n = u16::try_from(self.lines.len()).unwrap_or(u16::MAX);
        Claim {
            want: n.saturating_add(2),
            min: 4.min(n.saturating_add(2)),
            grow: false,
        }
    }

    pub fn draw(self, app: &App, frame: &mut Frame, area: Rect) {
        let findings = app.page_findings();
        let title = if findings.is_empty() {
            "Findings: none on this step".to_string()
        } else {
            format!("Findings ({}) — f applies the fix", findings.len())
        };
        let block = pane(app, &title, app.focus == Focus::Findings);
        let (start, end) = self.selected;
        let offset = follow(start, end, usize::from(area.height.saturating_sub(2)));
        scroll_pane(app, frame, area, block, self.lines, offset);
    }
}

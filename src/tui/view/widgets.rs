//! Small drawing helpers shared by the pages: word wrapping, panes, label/value lines.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::checks::Severity;
use crate::tui::app::App;

/// Wraps text at word boundaries to `width` columns (long words are cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let indent: String = para.chars().take_while(|c| *c == ' ').collect();
        let mut line = indent.clone();
        for word in para.split_whitespace() {
            let len = line.chars().count();
            let wlen = word.chars().count();
            if len > indent.len() && len + 1 + wlen > width {
                out.push(std::mem::take(&mut line));
                line = indent.clone();
            }
            if line.chars().count() > indent.len() {
                line.push(' ');
            }
            if wlen > width {
                let mut chunk = String::new();
                for ch in word.chars() {
                    if chunk.chars().count() + line.chars().count() >= width {
                        line.push_str(&chunk);
                        out.push(std::mem::take(&mut line));
                        chunk.clear();
                    }
                    chunk.push(ch);
                }
                line.push_str(&chunk);
            } else {
                line.push_str(word);
            }
        }
        out.push(line);
    }
    out
}

/// A bordered pane; the border is highlighted when it has the cursor.
pub fn pane<'a>(app: &App, title: &'a str, active: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if active {
            app.theme.active_border
        } else {
            app.theme.border
        })
        .title(Span::styled(format!(" {title} "), app.theme.title))
}

/// `label value` with the label dimmed and the value wrapped under itself.
pub fn field<'a>(
    app: &App,
    label: &str,
    value: &str,
    label_width: usize,
    width: u16,
) -> Vec<Line<'a>> {
    field_styled(app, label, value, label_width, width, app.theme.text)
}

pub fn field_styled<'a>(
    app: &App,
    label: &str,
    value: &str,
    label_width: usize,
    width: u16,
    style: Style,
) -> Vec<Line<'a>> {
    let room = usize::from(width).saturating_sub(label_width + 1);
    wrap(value, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let l = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{l:<label_width$} "), app.theme.dim),
                Span::styled(part, style),
            ])
        })
        .collect()
}

pub fn severity(app: &App, s: Severity) -> (&'static str, &'static str, Style) {
    match s {
        Severity::Error => ("✗", "ERROR", app.theme.error),
        Severity::Warning => ("!", "WARNING", app.theme.warn),
        Severity::Info => ("i", "INFO", app.theme.info),
    }
}

/// Splits a page into the step's own pane and the findings pane below it.
pub fn page_split(area: Rect, findings: usize) -> (Rect, Rect) {
    let bottom = if findings == 0 {
        3
    } else {
        (area.height * 2 / 5).max(6)
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom)]).areas(area);
    (top, bottom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_keeps_paragraphs() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
        assert_eq!(
            wrap("  indented text here", 12),
            vec!["  indented", "  text here"]
        );
        let long = wrap("abcdefghijklmnopqrstuvwxyz", 10);
        assert!(long.iter().all(|l| l.chars().count() <= 10), "{long:?}");
        assert_eq!(long.concat(), "abcdefghijklmnopqrstuvwxyz");
    }
}

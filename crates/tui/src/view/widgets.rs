//! Drawing helpers shared by the pages: word wrapping (plain and styled, keeping a line's
//! indentation), panes that scroll and say so (`↑ 2 more`, `↓ 3 more`), table cells cut
//! with `…`, a window of a long list around its selection, and space shared by content.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use relaycheck_core::checks::Severity;

/// Wraps text at word boundaries to `width` columns (words longer than a line are split).
/// Each paragraph keeps its leading spaces on its continuation lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|para| {
            wrap_line(&Line::raw(para.to_string()), width, 0)
                .into_iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        })
        .collect()
}

/// Wraps a styled line at word boundaries to `width` columns. Continuation lines are
/// indented like the first line plus `hang` columns.
pub fn wrap_line(line: &Line<'_>, width: usize, hang: usize) -> Vec<Line<'static>> {
    let width = width.max(4);
    // Words with their style, and the spaces before each (kept inside a line, dropped
    // where the line breaks); a word is a run of non-space characters.
    let mut words: Vec<(&str, Style)> = Vec::new();
    let mut indent = 0usize;
    let mut leading = true;
    let mut gap_before: Vec<usize> = Vec::new();
    let mut pending_gap = 0usize;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let text: &str = &span.content;
        // The byte where the word being read began.
        let mut word_start: Option<usize> = None;
        for (at, c) in text.char_indices() {
            if c != '\n' && c != ' ' {
                leading = false;
                word_start.get_or_insert(at);
                continue;
            }
            if let Some(from) = word_start.take() {
                words.push((&text[from..at], style));
                gap_before.push(pending_gap);
                pending_gap = 0;
            }
            if c == '\n' {
                // A line break in the text: a word of its own that ends the line.
                words.push(("\n", style));
                gap_before.push(0);
                pending_gap = 0;
                leading = false;
            } else if leading {
                indent += 1;
            } else {
                pending_gap += 1;
            }
        }
        if let Some(from) = word_start {
            words.push((&text[from..], style));
            gap_before.push(pending_gap);
            pending_gap = 0;
        }
    }
    let indent = indent.min(width / 2);
    let cont = (indent + hang).min(width / 2);
    // Text of one style runs into one span (a span a word made a keystroke's draw three
    // times dearer with long fixes).
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut line_out = Spans::new(" ".repeat(indent));
    let mut col = indent;
    let mut start = indent;
    for (i, (word, style)) in words.into_iter().enumerate() {
        if word == "\n" {
            out.push(line_out.finish(" ".repeat(cont)));
            col = cont;
            start = cont;
            continue;
        }
        let gap = if col > start { gap_before[i] } else { 0 };
        let wlen = relaycheck_core::width::width(word);
        if col + gap + wlen > width && col > start {
            out.push(line_out.finish(" ".repeat(cont)));
            col = cont;
            start = cont;
        } else if gap > 0 {
            line_out.push_spaces(gap, style);
            col += gap;
        }
        // A word longer than the room left is split over lines.
        let mut rest: &str = word;
        let mut left = wlen;
        while col + left > width {
            let room = width.saturating_sub(col).max(1).min(left);
            // In display columns; at least one character, so a wide one on a one-column
            // line still moves on.
            let (mut head, mut used) = relaycheck_core::width::prefix(rest, room);
            if head.is_empty() {
                let first = rest.chars().next().map_or(rest.len(), char::len_utf8);
                head = &rest[..first];
                used = relaycheck_core::width::width(head);
            }
            line_out.push(head, style);
            rest = &rest[head.len()..];
            left = left.saturating_sub(used);
            out.push(line_out.finish(" ".repeat(cont)));
            col = cont;
            start = cont;
        }
        col += left;
        line_out.push(rest, style);
    }
    let spans = line_out.spans();
    out.push(Line::from(spans));
    for l in &mut out {
        l.style = line.style;
    }
    out
}

/// The spans of one wrapped line: text of the same style joins the span before it.
struct Spans {
    done: Vec<Span<'static>>,
    text: String,
    style: Option<Style>,
}

impl Spans {
    /// A line that starts with `lead` (unstyled spaces).
    fn new(lead: String) -> Spans {
        Spans {
            done: vec![Span::raw(lead)],
            text: String::new(),
            style: None,
        }
    }

    fn push(&mut self, text: &str, style: Style) {
        if self.style != Some(style) {
            self.flush();
            self.style = Some(style);
        }
        self.text.push_str(text);
    }

    fn push_spaces(&mut self, n: usize, style: Style) {
        self.push("", style);
        self.text.extend(std::iter::repeat_n(' ', n));
    }

    fn flush(&mut self) {
        if let Some(style) = self.style.take() {
            self.done
                .push(Span::styled(std::mem::take(&mut self.text), style));
        }
    }

    fn spans(mut self) -> Vec<Span<'static>> {
        self.flush();
        self.done
    }

    /// This line, and the next one started with `lead`.
    fn finish(&mut self, lead: String) -> Line<'static> {
        let next = Spans::new(lead);
        Line::from(std::mem::replace(self, next).spans())
    }
}

/// Text that may hold line breaks, in one style, each of its lines wrapped (a `Line`
/// cannot hold a line break, so they are split here first).
pub fn para(text: &str, style: Style, width: usize, hang: usize) -> Vec<Line<'static>> {
    let indent: String = text.chars().take_while(|c| *c == ' ').collect();
    text.trim_start_matches(' ')
        .split('\n')
        .enumerate()
        .flat_map(|(i, part)| {
            let lead = if i == 0 {
                indent.clone()
            } else {
                " ".repeat(indent.len() + hang)
            };
            wrap_line(
                &Line::from(Span::styled(format!("{lead}{part}"), style)),
                width,
                hang,
            )
        })
        .collect()
}

/// Wraps every line to `width`.
pub fn wrap_lines(lines: &[Line<'_>], width: usize, hang: usize) -> Vec<Line<'static>> {
    lines
        .iter()
        .flat_map(|l| wrap_line(l, width, hang))
        .collect()
}

/// Text cut to `width` display columns, with `…` when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    relaycheck_core::width::fit(text, width).into_owned()
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

/// The first line to show so that `offset` is respected but no blank page follows the end.
pub fn clamp_offset(total: usize, visible: usize, offset: usize) -> usize {
    offset.min(total.saturating_sub(visible))
}

/// Adds the overflow marks to a pane's border: `↑ N more` at the top right when lines are
/// hidden above, `↓ N more` at the bottom right when lines are hidden below.
pub fn marks<'a>(app: &App, block: Block<'a>, above: usize, below: usize) -> Block<'a> {
    let mut block = block;
    if above > 0 {
        block = block
            .title_top(Line::styled(format!(" ↑ {above} more "), app.theme.key).right_aligned());
    }
    if below > 0 {
        block = block
            .title_bottom(Line::styled(format!(" ↓ {below} more "), app.theme.key).right_aligned());
    }
    block
}

/// Draws already wrapped `lines` in `block` from line `offset` (clamped so the pane never
/// scrolls past its end), with overflow marks. Returns the offset used.
pub fn scroll_pane(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    block: Block<'_>,
    lines: Vec<Line<'static>>,
    offset: usize,
) -> usize {
    let inner = block.inner(area);
    let visible = usize::from(inner.height);
    let total = lines.len();
    let offset = clamp_offset(total, visible, offset);
    let below = total.saturating_sub(offset + visible);
    let block = marks(app, block, offset, below);
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(visible).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
    offset
}

/// The offset that keeps lines `start..end` (a selected item) in view.
pub fn follow(start: usize, end: usize, visible: usize) -> usize {
    let visible = visible.max(1);
    if end.saturating_sub(start) >= visible {
        start
    } else {
        end.saturating_sub(visible)
    }
}

/// The first row of a list window of `visible` rows that shows `selected`.
pub fn window(selected: usize, len: usize, visible: usize) -> usize {
    if len <= visible || visible == 0 {
        return 0;
    }
    selected
        .saturating_sub(visible - 1)
        .min(len.saturating_sub(visible))
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
                Span::styled(part.trim_start().to_string(), style),
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

/// One pane's claim on a column of panes: the rows its content needs, the fewest it can
/// live with, and whether it takes the rows nobody needs.
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub want: u16,
    pub min: u16,
    pub grow: bool,
}

/// Splits `area` top to bottom: each pane gets what its content needs when it all fits
/// (the rest goes to the pane that grows); otherwise each gets its minimum and the rows
/// left are shared in proportion to what each still lacks.
pub fn share(area: Rect, claims: &[Claim]) -> Vec<Rect> {
    let total = area.height;
    let want: u16 = claims.iter().map(|c| c.want).sum();
    let mut heights: Vec<u16> = claims.iter().map(|c| c.want).collect();
    if want <= total {
        let extra = total - want;
        if let Some(i) = claims.iter().position(|c| c.grow) {
            heights[i] += extra;
        }
    } else {
        let mins: Vec<u16> = claims.iter().map(|c| c.min.min(c.want)).collect();
        let min_total: u16 = mins.iter().sum();
        let left = total.saturating_sub(min_total);
        let lack: u32 = claims
            .iter()
            .zip(&mins)
            .map(|(c, m)| u32::from(c.want - m))
            .sum();
        let mut given = 0u16;
        for (i, (c, m)) in claims.iter().zip(&mins).enumerate() {
            let share = (u32::from(left) * u32::from(c.want - m))
                .checked_div(lack)
                .map_or(0, |v| u16::try_from(v).unwrap_or(u16::MAX));
            heights[i] = m + share;
            given += share;
        }
        // Rounding leftovers go to the pane that lacks most.
        let mut rest = left.saturating_sub(given);
        while rest > 0 {
            let Some(i) = (0..claims.len())
                .filter(|i| heights[*i] < claims[*i].want)
                .max_by_key(|i| claims[*i].want - heights[*i])
            else {
                break;
            };
            heights[i] += 1;
            rest -= 1;
        }
    }
    Layout::vertical(heights.iter().map(|h| Constraint::Length(*h)))
        .split(area)
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_text_wraps_and_fits_by_display_width() {
        use relaycheck_core::width::width;
        let subject = "CN=東京メールサーバー東京メールサーバー.contoso.co.jp 📧📧📧📧📧📧 件名";
        for w in [5, 9, 12, 20] {
            let rows = wrap(subject, w);
            assert!(rows.iter().all(|r| width(r) <= w.max(4)), "{w}: {rows:?}");
            assert_eq!(rows.concat().replace(' ', ""), subject.replace(' ', ""));
        }
        assert_eq!(fit("東京メール", 7), "東京メ…");
        assert_eq!(width(&fit("📧📧📧📧", 5)), 5);
    }

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

    #[test]
    fn styled_lines_keep_their_indentation_and_styles() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![
            Span::raw("    "),
            Span::styled("Set-InboundConnector", bold),
            Span::raw(" -Identity \"Inbound\" -TlsSenderCertificateName \"*.contoso.com\""),
        ]);
        let out = wrap_line(&line, 30, 2);
        let text: Vec<String> = out
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(text[0], "    Set-InboundConnector");
        assert!(
            text[1..].iter().all(|l| l.starts_with("      ")),
            "{text:?}"
        );
        assert!(text.iter().all(|l| l.chars().count() <= 30), "{text:?}");
        assert_eq!(out[0].spans[1].style, bold);
    }

    #[test]
    fn words_of_one_style_share_a_span_and_styles_change_where_the_text_does() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![
            Span::raw("one two three "),
            Span::styled("four five", bold),
            Span::raw(" six"),
        ]);
        let out = wrap_line(&line, 40, 0);
        assert_eq!(out.len(), 1);
        let spans: Vec<(&str, Style)> = out[0]
            .spans
            .iter()
            .filter(|s| !s.content.is_empty())
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert_eq!(
            spans,
            vec![
                ("one two three", Style::new()),
                (" four five", bold),
                (" six", Style::new()),
            ]
        );
        // A word longer than a line is split, its pieces on lines of their own.
        let out = wrap_line(&Line::raw("ab cdefghijkl"), 4, 0);
        let text: Vec<String> = out
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(text, vec!["ab", "cdef", "ghij", "kl"]);
    }

    #[test]
    fn line_breaks_in_the_text_break_the_line() {
        let out: Vec<String> = para("  Fix: do this.\nNew-MgDomain -Id x", Style::new(), 40, 5)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(out, vec!["  Fix: do this.", "       New-MgDomain -Id x"]);
    }

    #[test]
    fn fit_marks_what_it_cuts() {
        assert_eq!(fit("relaycheck Lab Root CA", 10), "relaychec…");
        assert_eq!(fit("short", 10), "short");
    }

    #[test]
    fn windows_follow_the_selection() {
        assert_eq!(window(0, 10_000, 5), 0);
        assert_eq!(window(7, 10_000, 5), 3);
        assert_eq!(window(9_999, 10_000, 5), 9_995);
        assert_eq!(window(3, 4, 5), 0);
        assert_eq!(clamp_offset(10, 4, 50), 6, "never past the end");
    }

    #[test]
    fn space_goes_to_content() {
        let area = Rect::new(0, 0, 10, 20);
        let r = share(
            area,
            &[
                Claim {
                    want: 4,
                    min: 3,
                    grow: true,
                },
                Claim {
                    want: 6,
                    min: 3,
                    grow: false,
                },
            ],
        );
        assert_eq!((r[0].height, r[1].height), (14, 6));
        let r = share(
            area,
            &[
                Claim {
                    want: 30,
                    min: 4,
                    grow: true,
                },
                Claim {
                    want: 10,
                    min: 4,
                    grow: false,
                },
            ],
        );
        assert_eq!(r[0].height + r[1].height, 20);
        assert!(r[1].height >= 4 && r[0].height > r[1].height, "{r:?}");
    }
}

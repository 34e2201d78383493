//! `view`: draws the whole screen from the state alone, with no side effects.
//!
//! Layout: a title bar, the headline verdict, what the last edit changed, then the step
//! list on the left and the current page on the right, and the footer of keys.

mod certificate;
mod connector;
mod domains;
mod findings;
mod mailflow;
mod modal;
pub mod summary;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Tab};
use super::keymap;
use crate::report::{StepStatus, Verdict};

/// The screen's regions.
pub struct Areas {
    pub title: Rect,
    pub lesson: Rect,
    pub headline: Rect,
    pub changes: Rect,
    pub sidebar: Rect,
    pub page: Rect,
    pub footer: Rect,
}

pub fn areas(app: &App, area: Rect) -> Areas {
    let lesson_height = if app.lesson.is_some() {
        super::lesson::BAR_HEIGHT
    } else {
        0
    };
    let [title, lesson, headline, changes, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(lesson_height),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [sidebar, page] =
        Layout::horizontal([Constraint::Length(18), Constraint::Fill(1)]).areas(body);
    Areas {
        title,
        lesson,
        headline,
        changes,
        sidebar,
        page,
        footer,
    }
}

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let a = areas(app, area);
    title(app, frame, a.title);
    if app.lesson.is_some() {
        super::lesson::draw_bar(app, frame, a.lesson);
    }
    headline(app, frame, a.headline);
    changes(app, frame, a.changes);
    sidebar(app, frame, a.sidebar);
    match app.tab {
        Tab::Certificate => certificate::draw(app, frame, a.page),
        Tab::Domains => domains::draw(app, frame, a.page),
        Tab::Connector => connector::draw(app, frame, a.page),
        Tab::MailFlow => mailflow::draw(app, frame, a.page),
        Tab::Summary => summary::draw(app, frame, a.page),
    }
    footer(app, frame, a.footer);
    modal::draw(app, frame, area);
}

/// The step under a mouse click, if any.
pub fn tab_at(app: &App, column: u16, row: u16) -> Option<Tab> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let a = areas(app, area);
    let s = a.sidebar;
    if column < s.x || column >= s.x + s.width || row <= s.y {
        return None;
    }
    let index = usize::from((row - s.y - 1) / 2);
    Tab::ALL.get(index).copied()
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let text = vec![
        Line::styled("Terminal too small", t.error),
        Line::raw(""),
        Line::raw(format!(
            "relaycheck needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
            area.width, area.height
        )),
        Line::raw("Enlarge the window, or press q to quit."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

pub fn status_style(app: &App, s: StepStatus) -> Style {
    match s {
        StepStatus::Ok => app.theme.ok,
        StepStatus::Warnings => app.theme.warn,
        StepStatus::Errors => app.theme.error,
    }
}

pub fn verdict_parts(app: &App, v: Verdict) -> (&'static str, &'static str, Style) {
    match v {
        Verdict::Pass => ("✓", "PASS", app.theme.ok),
        Verdict::Warn => ("!", "WARN", app.theme.warn),
        Verdict::Fail => ("✗", "FAIL", app.theme.error),
    }
}

fn title(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = vec![
        Span::styled(" relaycheck ", app.theme.title),
        Span::styled("· ", app.theme.dim),
        Span::raw(app.origin.label.clone()),
    ];
    if app.dirty() {
        spans.push(Span::styled("  [unsaved edits]", app.theme.warn));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn headline(app: &App, frame: &mut Frame, area: Rect) {
    let (symbol, word, style) = verdict_parts(app, app.report.verdict);
    let line = Line::from(vec![
        Span::styled(format!(" {symbol} {word} "), style),
        Span::raw(" "),
        Span::styled(app.report.headline(), app.theme.text),
    ]);
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
}

fn changes(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let line = if let Some(status) = &app.status {
        Line::from(vec![Span::styled(" ▸ ", t.info), Span::raw(status.clone())])
    } else if let Some(c) = &app.changes {
        // Cause and effect first (what got better or worse), then what was done.
        let mut spans = Vec::new();
        if !c.resolved.is_empty() {
            let ids: Vec<&str> = c.resolved.iter().map(|i| i.as_str()).collect();
            spans.push(Span::styled(" ✓ resolved: ", t.ok));
            spans.push(Span::raw(ids.join(", ")));
        }
        if !c.new.is_empty() {
            let ids: Vec<&str> = c.new.iter().map(|i| i.as_str()).collect();
            spans.push(Span::styled(" ✗ new: ", t.error));
            spans.push(Span::raw(ids.join(", ")));
        }
        if c.relayed_before != c.relayed_after {
            spans.push(Span::styled(
                format!(
                    " messages through: {} → {}",
                    c.relayed_before, c.relayed_after
                ),
                t.info,
            ));
        }
        if spans.is_empty() {
            spans.push(Span::styled(" no finding changed", t.dim));
        }
        spans.push(Span::styled(" ← ", t.dim));
        spans.push(Span::styled(c.what.clone(), t.dim));
        Line::from(spans)
    } else {
        Line::styled(
            " Every edit re-validates at once. Press ? for help, f to apply a suggested fix.",
            t.dim,
        )
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn sidebar(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let block = Block::default()
        .borders(Borders::RIGHT)
        .border_style(t.border)
        .title(Span::styled(" Steps ", t.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    for tab in Tab::ALL {
        let active = tab == app.tab;
        let marker = if active { "▶" } else { " " };
        let name_style = if active { t.selected } else { t.text };
        lines.push(Line::from(vec![
            Span::styled(marker, t.title),
            Span::styled(format!("{} {}", tab.number(), tab.title()), name_style),
        ]));
        let (symbol, word, style) = match tab.step() {
            Some(step) => {
                let s = app.report.step_status(step);
                (s.symbol(), s.word(), status_style(app, s))
            }
            None => {
                let (sym, word, style) = verdict_parts(app, app.report.verdict);
                (sym, word, style)
            }
        };
        lines.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{symbol} {word}"), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    let mut width = 0usize;
    for (label, hint) in keymap::footer(app.tab, app.lesson.is_some()) {
        let piece = label.chars().count() + hint.chars().count() + 3;
        if width + piece > usize::from(area.width) {
            break;
        }
        width += piece;
        spans.push(Span::styled(format!(" {label}"), t.key));
        spans.push(Span::styled(format!(" {hint} "), t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

//! `view`: draws the whole screen from the state alone, with no side effects.
//!
//! Layout: a title bar, the lesson bar (in a lesson), the headline verdict, what the last
//! edit changed (each as many rows as its wrapped text needs, within a bound), then the step
//! list on the left and the current page on the right, and the footer of keys. The geometry
//! functions here ([`areas`], [`pane_at`], [`max_scroll`]) are pure, so that `update` can
//! ask where a click landed or how far a pane can scroll.

mod certificate;
mod connector;
mod domains;
mod findings;
mod mailflow;
pub mod modal;
pub mod popup;
pub mod summary;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::{App, Focus, MIN_HEIGHT, MIN_WIDTH, Modal, Tab};
use super::keymap;
use relaycheck_core::report::{StepStatus, Verdict};
use widgets::wrap_line;

/// The screen's regions.
pub struct Areas {
    pub title: Rect,
    pub lesson: Rect,
    /// The presenter line (`p` in a lesson), below the lesson bar.
    pub presenter: Rect,
    pub headline: Rect,
    pub changes: Rect,
    pub sidebar: Rect,
    pub page: Rect,
    pub footer: Rect,
}

/// At most this many rows for the headline, and for the change line.
const MAX_HEADLINE: usize = 2;
const MAX_CHANGES: usize = 2;

pub fn areas(app: &App, area: Rect) -> Areas {
    let w = area.width;
    let lesson_height = if app.lesson.is_some() {
        super::lesson::view::bar_height(app, w)
    } else {
        0
    };
    let presenter_height = super::lesson::presenter::lines(app, usize::from(w)).len() as u16;
    let headline_height = headline_lines(app, usize::from(w)).len() as u16;
    let changes_height = change_lines(app, usize::from(w)).len() as u16;
    let [title, lesson, presenter, headline, changes, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(lesson_height),
        Constraint::Length(presenter_height),
        Constraint::Length(headline_height),
        Constraint::Length(changes_height),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [sidebar, page] =
        Layout::horizontal([Constraint::Length(18), Constraint::Fill(1)]).areas(body);
    Areas {
        title,
        lesson,
        presenter,
        headline,
        changes,
        sidebar,
        page,
        footer,
    }
}

fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    frame.render_widget(Block::new().style(app.theme.base), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let a = areas(app, area);
    title(app, frame, a.title);
    if app.lesson.is_some() {
        super::lesson::view::draw_bar(app, frame, a.lesson);
        frame.render_widget(
            Paragraph::new(super::lesson::presenter::lines(
                app,
                usize::from(area.width),
            )),
            a.presenter,
        );
    }
    frame.render_widget(
        Paragraph::new(headline_lines(app, usize::from(area.width))),
        a.headline,
    );
    frame.render_widget(
        Paragraph::new(change_lines(app, usize::from(area.width))),
        a.changes,
    );
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
    let a = areas(app, screen(app));
    let s = a.sidebar;
    if column < s.x || column >= s.x + s.width || row <= s.y {
        return None;
    }
    let index = usize::from((row - s.y - 1) / 2);
    Tab::ALL.get(index).copied()
}

/// The panes of the current page with their rectangles.
fn page_panes(app: &App) -> Vec<(Focus, Rect)> {
    let page = areas(app, screen(app)).page;
    match app.tab {
        Tab::Certificate => certificate::panes(app, page),
        Tab::Domains => domains::panes(app, page),
        Tab::Connector => connector::panes(app, page),
        Tab::MailFlow => mailflow::panes(app, page),
        Tab::Summary => vec![(Focus::Main, page)],
    }
}

/// The pane of the current page under the mouse pointer.
pub fn pane_at(app: &App, column: u16, row: u16) -> Option<Focus> {
    page_panes(app).into_iter().find_map(|(f, r)| {
        (column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height).then_some(f)
    })
}

/// How many lines the thing being scrolled shows, and how far it can scroll: the open
/// popup, or on a page the Summary or the details pane.
fn scroll_room(app: &App) -> (usize, usize) {
    if let Some(room) = modal::scroll_room(app, screen(app)) {
        return room;
    }
    let inner = |r: Rect| usize::from(r.height.saturating_sub(2));
    let width = |r: Rect| usize::from(r.width.saturating_sub(2));
    match (app.tab, app.focus) {
        (Tab::Summary, _) => {
            let page = areas(app, screen(app)).page;
            let n = summary::lines(app, width(page)).len();
            (inner(page), n.saturating_sub(inner(page)))
        }
        (_, Focus::Details) => {
            let Some((_, r)) = page_panes(app)
                .into_iter()
                .find(|(f, _)| *f == Focus::Details)
            else {
                return (0, 0);
            };
            let n = match app.tab {
                Tab::Certificate => certificate::details_lines(app, width(r)).len(),
                Tab::Domains => domains::needed_lines(app, width(r)).len(),
                Tab::MailFlow => mailflow::details_lines(app, width(r)).len(),
                _ => 0,
            };
            (inner(r), n.saturating_sub(inner(r)))
        }
        _ => (0, 0),
    }
}

/// How far the thing being scrolled can go (its last page starts there).
pub fn max_scroll(app: &App) -> usize {
    scroll_room(app).1
}

/// How many lines of it are visible (a page, for PgUp/PgDn).
pub fn visible_lines(app: &App) -> usize {
    scroll_room(app).0
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = usize::from(area.width);
    let mut lines = vec![
        Line::styled("Terminal too small", t.error),
        Line::raw(""),
        Line::raw(format!(
            "relaycheck needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
            area.width, area.height
        )),
    ];
    // A question asked here (quit with unsaved edits) must be seen to be answered.
    if let Some(Modal::Confirm(q)) = &app.modal {
        lines.push(Line::raw(""));
        lines.push(Line::styled(modal::question_text(q), t.warn));
        lines.push(Line::styled(keymap::hint_line(keymap::mode(app)), t.key));
    } else if let Some(l) = &app.loading {
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "Loading {} … Esc or q stops it, Ctrl-C quits.",
            l.what
        )));
    } else {
        lines.push(Line::raw("Enlarge the window, or press q to quit."));
    }
    frame.render_widget(Paragraph::new(widgets::wrap_lines(&lines, width, 0)), area);
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
    let name = match &app.saved_as {
        Some(p) => p.display().to_string(),
        None => app.origin.label.clone(),
    };
    let mut spans = vec![
        Span::styled(" relaycheck ", app.theme.title),
        Span::styled("· ", app.theme.dim),
        Span::styled(name, app.theme.text),
    ];
    if app.dirty() {
        spans.push(Span::styled("  [unsaved edits]", app.theme.warn));
    }
    let line = wrap_line(&Line::from(spans), usize::from(area.width), 0);
    frame.render_widget(Paragraph::new(line), area);
}

/// `line` wrapped to `width` in at most `max` rows; when it needs more, the last row ends
/// in `…` (room is kept for it).
fn bounded(
    line: &Line<'_>,
    width: usize,
    hang: usize,
    max: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let lines = wrap_line(line, width, hang);
    if lines.len() <= max {
        return lines;
    }
    let mut lines = wrap_line(line, width.saturating_sub(2), hang);
    lines.truncate(max);
    if let Some(last) = lines.last_mut() {
        last.spans.push(Span::styled(" …", style));
    }
    lines
}

fn headline_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let (symbol, word, style) = verdict_parts(app, app.report.verdict);
    let line = Line::from(vec![
        Span::styled(format!(" {symbol} {word} "), style),
        Span::raw(" "),
        Span::styled(app.report.headline(), app.theme.text),
    ]);
    bounded(&line, width, 0, MAX_HEADLINE, app.theme.dim)
}

fn change_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let line = if let Some(l) = &app.loading {
        Line::from(vec![
            Span::styled(" … Loading ", t.info),
            Span::styled(l.what.clone(), t.text),
            Span::styled(
                format!(
                    " (Esc or q stops it; relaycheck gives up after {} s)",
                    super::effect::DEADLINE.as_secs()
                ),
                t.dim,
            ),
        ])
    } else if let Some(status) = &app.status {
        Line::from(vec![
            Span::styled(" ▸ ", t.info),
            Span::styled(status.clone(), t.text),
        ])
    } else if let Some(c) = &app.changes {
        // Cause and effect first (what got better or worse), then what was done.
        let mut spans = Vec::new();
        if !c.resolved.is_empty() {
            let ids: Vec<&str> = c.resolved.iter().map(|i| i.as_str()).collect();
            spans.push(Span::styled(" ✓ resolved: ", t.ok));
            spans.push(Span::styled(ids.join(", "), t.text));
        }
        for severity in [
            relaycheck_core::checks::Severity::Error,
            relaycheck_core::checks::Severity::Warning,
            relaycheck_core::checks::Severity::Info,
        ] {
            let ids: Vec<&str> = c
                .new
                .iter()
                .filter(|(_, s)| *s == severity)
                .map(|(i, _)| i.as_str())
                .collect();
            if !ids.is_empty() {
                let (symbol, _, style) = widgets::severity(app, severity);
                spans.push(Span::styled(format!(" {symbol} new: "), style));
                spans.push(Span::styled(ids.join(", "), t.text));
            }
        }
        if c.relayed_before != c.relayed_after {
            spans.push(Span::styled(
                format!(
                    " · messages through: {} → {}",
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
    bounded(&line, width, 3, MAX_CHANGES, t.dim)
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
            None => verdict_parts(app, app.report.verdict),
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
    let hints = keymap::hints(keymap::mode(app));
    let room = usize::from(area.width).saturating_sub(2);
    for (i, (label, hint)) in hints.iter().enumerate() {
        let piece = relaycheck_core::width::width(label) + relaycheck_core::width::width(hint) + 3;
        if width + piece > room {
            // Say that more keys exist (all of them are in the help).
            if i < hints.len() {
                spans.push(Span::styled(" …", t.dim));
            }
            break;
        }
        width += piece;
        spans.push(Span::styled(format!(" {label}"), t.key));
        spans.push(Span::styled(format!(" {hint} "), t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

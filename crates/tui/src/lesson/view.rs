//! Drawing a lesson: the bar above the headline (lesson, progress, every goal, the hints
//! count), the hints panel (every hint shown so far, wrapped, and how many remain), and the
//! introduction, completion and lesson-list panels.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{LessonState, Panel};
use crate::app::App;
use crate::keymap::{self, Mode};
use crate::view::popup::{PopupBox, popup, popup_box};
use crate::view::widgets::{follow, wrap, wrap_line};
use relaycheck_io::training::reflow;

/// The bar never takes more rows than this.
const MAX_BAR: usize = 6;

fn goal_spans(app: &App, state: &LessonState) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(" Objective:", app.theme.dim)];
    for g in state.goals(&app.report) {
        let (mark, style) = if g.met {
            ("✓", app.theme.ok)
        } else {
            ("✗", app.theme.error)
        };
        spans.push(Span::styled(format!(" {mark} "), style));
        spans.push(Span::styled(g.text, app.theme.text));
    }
    spans
}

/// The bar's lines at this width, wrapped (at most [`MAX_BAR`], the last one saying so).
pub fn bar_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(state) = &app.lesson else {
        return Vec::new();
    };
    let t = &app.theme;
    let goals = state.goals(&app.report);
    let met = goals.iter().filter(|g| g.met).count();
    let number = state.position(&app.classroom).map_or(String::new(), |i| {
        format!("{}/{} ", i + 1, app.classroom.catalog.len())
    });
    let mut first = vec![
        Span::styled(format!(" Lesson {number}"), t.title),
        Span::styled(format!("({}) ", state.lesson.level.as_str()), t.dim),
        Span::styled(state.lesson.title.clone(), t.text),
        Span::styled(
            format!("  · progress {met}/{} goals", goals.len()),
            if met == goals.len() { t.ok } else { t.warn },
        ),
    ];
    if state.completed {
        first.push(Span::styled("  ✓ complete", t.ok));
    }
    let total = state.lesson.hints.len();
    let hints = match (state.hints_shown, total) {
        (_, 0) => " No hints in this lesson · l lists the lessons".to_string(),
        (0, n) => format!(" h shows a hint ({n} available) · l lists the lessons"),
        (s, n) if s == n => format!(" h shows the {n} hints (all shown) · l lists the lessons"),
        (s, n) => format!(
            " h shows the hints ({s} of {n} shown, {} more) · l lists the lessons",
            n - s
        ),
    };
    let mut lines = wrap_line(&Line::from(first), width, 2);
    lines.extend(wrap_line(&Line::from(goal_spans(app, state)), width, 12));
    lines.extend(wrap_line(&Line::styled(hints, t.dim), width, 2));
    if lines.len() > MAX_BAR {
        lines.truncate(MAX_BAR - 1);
        lines.push(Line::styled(
            " … (the full objective: press l, then Enter)",
            t.dim,
        ));
    }
    lines
}

pub fn bar_height(app: &App, width: u16) -> u16 {
    bar_lines(app, usize::from(width)).len() as u16
}

pub fn draw_bar(app: &App, frame: &mut Frame, area: Rect) {
    let lines = bar_lines(app, usize::from(area.width));
    frame.render_widget(Paragraph::new(lines), area);
}

fn hint_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(state) = &app.lesson else {
        return Vec::new();
    };
    let t = &app.theme;
    let total = state.lesson.hints.len();
    let mut lines = Vec::new();
    if total == 0 {
        lines.push(Line::styled("This lesson has no hints.", t.dim));
    }
    for (i, h) in state
        .lesson
        .hints
        .iter()
        .take(state.hints_shown)
        .enumerate()
    {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        let line = Line::from(vec![
            Span::styled(format!("Hint {}/{total}: ", i + 1), t.info),
            Span::styled(reflow(h), t.text),
        ]);
        lines.extend(wrap_line(&line, width, 0));
    }
    let left = total.saturating_sub(state.hints_shown);
    if total > 0 {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            match left {
                0 => "No more hints. The solution is in the lesson file's `solution:`.".to_string(),
                1 => "1 more hint: press h.".to_string(),
                n => format!("{n} more hints: press h for the next."),
            },
            t.dim,
        ));
    }
    lines
}

fn hints_box(app: &App, area: Rect) -> (PopupBox, Vec<Line<'static>>) {
    let probe = popup_box(area, 90, 0, Mode::Hints, false);
    let lines = hint_lines(app, probe.text_width);
    (popup_box(area, 90, lines.len(), Mode::Hints, false), lines)
}

pub fn draw_hints(app: &App, scroll: u16, frame: &mut Frame, area: Rect) {
    let (b, lines) = hints_box(app, area);
    popup(
        app,
        frame,
        &b,
        "Hints",
        lines,
        usize::from(scroll),
        Mode::Hints,
    );
}

fn panel_mode(panel: &Panel) -> Mode {
    match panel {
        Panel::Intro { .. } => Mode::LessonIntro,
        Panel::Complete { .. } => Mode::LessonDone,
        Panel::Picker { .. } => Mode::LessonList,
    }
}

/// A panel's title and lines at this width (and, for the list, the selected item's lines).
fn panel_lines(
    app: &App,
    panel: &Panel,
    width: usize,
) -> (String, Vec<Line<'static>>, (usize, usize)) {
    let t = &app.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let para = |lines: &mut Vec<Line<'static>>, text: &str, style| {
        for l in wrap(&reflow(text), width) {
            lines.push(Line::styled(l, style));
        }
    };
    let Some(state) = &app.lesson else {
        return (String::new(), lines, (0, 0));
    };
    let mut selected = (0, 0);
    let title = match panel {
        Panel::Intro { .. } => {
            para(&mut lines, &state.lesson.story, t.text);
            lines.push(Line::raw(""));
            lines.push(Line::styled("Your objective", t.title));
            for g in state.goals(&app.report) {
                lines.extend(wrap_line(
                    &Line::styled(format!("  • {}", g.text), t.text),
                    width,
                    2,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "The test messages are fixed; change the tenant, the certificate or the connector. h for a hint at any time, ? for keys.",
                t.dim,
            ));
            let last = lines.pop().unwrap_or_default();
            lines.extend(wrap_line(&last, width, 0));
            format!("Lesson: {}", state.lesson.title)
        }
        Panel::Complete { .. } => {
            lines.push(Line::styled(format!("✓ {}", state.lesson.title), t.ok));
            lines.push(Line::raw(""));
            lines.push(Line::styled("What you changed", t.title));
            let changes = super::changes_made(app);
            if changes.is_empty() {
                lines.push(Line::styled("  (nothing)", t.dim));
            }
            for what in changes {
                lines.extend(wrap_line(
                    &Line::styled(format!("  • {what}"), t.text),
                    width,
                    2,
                ));
            }
            if let Some(answer) = super::plan_answer_if_different(state) {
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    "The plan's answer (relaycheck's changes from the lesson's start):",
                    t.title,
                ));
                for s in answer.changes() {
                    lines.extend(wrap_line(
                        &Line::styled(format!("  • {}", s.summary), t.text),
                        width,
                        2,
                    ));
                }
                for s in answer.by_hand() {
                    lines.extend(wrap_line(
                        &Line::styled(format!("  • By hand: {}", s.summary), t.text),
                        width,
                        2,
                    ));
                }
            }
            lines.push(Line::raw(""));
            if super::followed_solution(app) {
                lines.push(Line::styled("Why it works", t.title));
            } else {
                lines.push(Line::styled(
                    "You found another way. The lesson's own solution:",
                    t.title,
                ));
                for e in &state.lesson.solution {
                    let what = relaycheck_core::model::edit::describe(e, &app.scenario);
                    lines.extend(wrap_line(
                        &Line::styled(format!("  • {what}"), t.text),
                        width,
                        2,
                    ));
                }
                lines.push(Line::raw(""));
                lines.push(Line::styled("Why that works", t.title));
            }
            para(&mut lines, &state.lesson.explanation, t.text);
            "Lesson complete ✓".to_string()
        }
        Panel::Picker { selected: sel } => {
            for (i, l) in app.classroom.catalog.iter().enumerate() {
                let is_sel = i == *sel;
                let done = if app.classroom.progress.is_done(&l.id) {
                    "✓ done"
                } else {
                    "      "
                };
                let start = lines.len();
                let line = Line::from(vec![
                    Span::styled(if is_sel { "▶ " } else { "  " }, t.title),
                    Span::styled(format!("{:>2}. ", i + 1), t.dim),
                    Span::styled(format!("{done} "), t.ok),
                    Span::styled(format!("{:<7}", l.level.as_str()), t.dim),
                    Span::styled(l.title.clone(), if is_sel { t.selected } else { t.text }),
                ]);
                lines.extend(wrap_line(&line, width, 19));
                if is_sel {
                    selected = (start, lines.len());
                }
            }
            let done = app
                .classroom
                .catalog
                .iter()
                .filter(|l| app.classroom.progress.is_done(&l.id))
                .count();
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("{done} of {} done.", app.classroom.catalog.len()),
                t.dim,
            ));
            "Lessons".to_string()
        }
    };
    (title, lines, selected)
}

fn panel_box(
    app: &App,
    panel: &Panel,
    area: Rect,
) -> (PopupBox, String, Vec<Line<'static>>, (usize, usize)) {
    let mode = panel_mode(panel);
    let probe = popup_box(area, 90, 0, mode, false);
    let (title, lines, sel) = panel_lines(app, panel, probe.text_width);
    (
        popup_box(area, 90, lines.len(), mode, false),
        title,
        lines,
        sel,
    )
}

/// The lesson panels: introduction, completion, and the lesson list.
pub fn draw_panel(app: &App, panel: &Panel, frame: &mut Frame, area: Rect) {
    let (b, title, lines, (start, end)) = panel_box(app, panel, area);
    let offset = match panel {
        Panel::Intro { scroll } | Panel::Complete { scroll } => usize::from(*scroll),
        Panel::Picker { .. } => follow(start, end, b.visible),
    };
    popup(app, frame, &b, &title, lines, offset, keymap::mode(app));
}

/// How many lines the open lesson panel or hints show, and how far they can scroll.
pub fn scroll_room(app: &App, area: Rect) -> Option<(usize, usize)> {
    let (b, lines) = match app.modal.as_ref()? {
        crate::app::Modal::Hints { .. } => hints_box(app, area),
        crate::app::Modal::Lesson(p) => {
            let (b, _, lines, _) = panel_box(app, p, area);
            (b, lines)
        }
        _ => return None,
    };
    Some((b.visible, lines.len().saturating_sub(b.visible)))
}

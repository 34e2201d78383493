//! Lessons inside the wizard: the objective and progress stay on screen, hints come one at a
//! time (h), meeting the objective opens a completion panel, and `l` opens the lesson list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::{App, Modal};
use super::update::Effect;
use super::view::widgets::{pane, wrap};
use crate::training::{Goal, Lesson, LessonSummary, LoadedLesson};

/// Lines the lesson bar takes above the headline.
pub const BAR_HEIGHT: u16 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonState {
    pub id: String,
    pub lesson: Lesson,
    pub hints_shown: usize,
    pub completed: bool,
    /// The built-in lessons, for the list and "next lesson".
    pub catalog: Vec<LessonSummary>,
}

/// What a lesson panel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Panel {
    Intro,
    Complete,
    Picker { selected: usize },
}

impl LessonState {
    pub fn goals(&self, app: &App) -> Vec<Goal> {
        self.lesson.objective.goals(&app.report)
    }

    pub fn position(&self) -> Option<usize> {
        self.catalog.iter().position(|l| l.id == self.id)
    }
}

/// Replaces the wizard's scenario with a lesson's and shows its introduction.
pub fn open(app: &mut App, loaded: LoadedLesson, catalog: Vec<LessonSummary>) {
    app.scenario = loaded.scenario;
    crate::model::edit::materialize_messages(&mut app.scenario);
    app.start = app.scenario.clone();
    app.revalidate();
    app.origin = super::app::Origin {
        path: loaded.path.clone(),
        label: format!("lesson {}", loaded.id),
        inputs: loaded.path.into_iter().collect(),
        lesson: Some(loaded.lesson.clone()),
        input_lines: Vec::new(),
        notes: Vec::new(),
    };
    app.history.reset();
    app.log.clear();
    app.changes = None;
    app.status = None;
    app.tab = super::app::Tab::Certificate;
    app.focus = super::app::Focus::Main;
    app.cert_row = app.scenario.selected_certificate.unwrap_or(0);
    app.domain_row = 0;
    app.connector = 0;
    app.field = 0;
    app.message_row = 0;
    app.finding_row = 0;
    app.lesson = Some(LessonState {
        id: loaded.id,
        lesson: loaded.lesson,
        hints_shown: 0,
        completed: false,
        catalog,
    });
    app.modal = Some(Modal::Lesson(Panel::Intro));
}

pub fn next_hint(app: &mut App) {
    let Some(state) = app.lesson.as_mut() else {
        return;
    };
    if state.hints_shown < state.lesson.hints.len() {
        state.hints_shown += 1;
    } else {
        app.status =
            Some("No more hints. The solution is in the lesson file's `solution:`.".to_string());
    }
}

pub fn back_to_list(app: &mut App) {
    let selected = app
        .lesson
        .as_ref()
        .and_then(LessonState::position)
        .unwrap_or(0);
    app.modal = Some(Modal::Lesson(Panel::Picker { selected }));
}

/// After every edit: is the objective met now?
pub fn on_change(app: &mut App) {
    let met = match &app.lesson {
        Some(state) if !state.completed => state.lesson.objective.is_met(&app.report),
        _ => false,
    };
    if met {
        if let Some(state) = app.lesson.as_mut() {
            state.completed = true;
        }
        app.modal = Some(Modal::Lesson(Panel::Complete));
    }
}

/// Keys while a lesson panel is open.
pub fn on_panel_key(
    app: &mut App,
    panel: Panel,
    code: ratatui::crossterm::event::KeyCode,
) -> Vec<Effect> {
    use ratatui::crossterm::event::KeyCode;
    match panel {
        Panel::Intro => {
            if !matches!(code, KeyCode::Enter | KeyCode::Esc | KeyCode::Char(' ')) {
                app.modal = Some(Modal::Lesson(Panel::Intro));
            }
        }
        Panel::Complete => match code {
            KeyCode::Char('n') => {
                let next = app.lesson.as_ref().and_then(|s| {
                    s.position()
                        .and_then(|i| s.catalog.get(i + 1))
                        .map(|l| l.id.clone())
                });
                match next {
                    Some(id) => return vec![Effect::OpenLesson(id)],
                    None => app.status = Some("That was the last lesson. Well done!".to_string()),
                }
            }
            KeyCode::Char('l') => back_to_list(app),
            KeyCode::Esc | KeyCode::Enter => {}
            _ => app.modal = Some(Modal::Lesson(Panel::Complete)),
        },
        Panel::Picker { selected } => {
            let n = app.lesson.as_ref().map_or(0, |s| s.catalog.len());
            match code {
                KeyCode::Up | KeyCode::Char('k') => {
                    app.modal = Some(Modal::Lesson(Panel::Picker {
                        selected: selected.saturating_sub(1),
                    }))
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    app.modal = Some(Modal::Lesson(Panel::Picker {
                        selected: (selected + 1).min(n.saturating_sub(1)),
                    }))
                }
                KeyCode::Enter => {
                    if let Some(id) = app
                        .lesson
                        .as_ref()
                        .and_then(|s| s.catalog.get(selected))
                        .map(|l| l.id.clone())
                    {
                        return vec![Effect::OpenLesson(id)];
                    }
                }
                KeyCode::Esc => {}
                _ => app.modal = Some(Modal::Lesson(Panel::Picker { selected })),
            }
        }
    }
    Vec::new()
}

fn goal_spans<'a>(app: &App, goals: &[Goal]) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    for g in goals {
        let (mark, style) = if g.met {
            ("✓", app.theme.ok)
        } else {
            ("✗", app.theme.error)
        };
        spans.push(Span::styled(format!(" {mark} "), style));
        spans.push(Span::raw(g.text.clone()));
    }
    spans
}

/// The bar above the headline: lesson, objective with progress, the latest hint.
pub fn draw_bar(app: &App, frame: &mut Frame, area: Rect) {
    let Some(state) = &app.lesson else { return };
    let t = &app.theme;
    let goals = state.goals(app);
    let met = goals.iter().filter(|g| g.met).count();
    let number = state.position().map_or(String::new(), |i| {
        format!("{}/{} ", i + 1, state.catalog.len())
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
    let mut second = vec![Span::styled(" Objective:", t.dim)];
    second.extend(goal_spans(app, &goals));
    let third = match state.hints_shown {
        0 => Line::styled(
            format!(
                " h shows a hint ({} available) · l lists the lessons",
                state.lesson.hints.len()
            ),
            t.dim,
        ),
        n => Line::from(vec![
            Span::styled(format!(" Hint {n}/{}: ", state.lesson.hints.len()), t.info),
            Span::raw(state.lesson.hints[n - 1].clone()),
        ]),
    };
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second), third]),
        area,
    );
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The lesson panels: introduction, completion, and the lesson list.
pub fn draw_panel(app: &App, panel: &Panel, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = area.width.saturating_sub(6).min(90);
    let text_width = usize::from(width.saturating_sub(4));
    let mut lines: Vec<Line> = Vec::new();
    let title: String;
    match panel {
        Panel::Intro => {
            let Some(state) = &app.lesson else { return };
            title = format!("Lesson: {}", state.lesson.title);
            for l in wrap(&crate::training::reflow(&state.lesson.story), text_width) {
                lines.push(Line::raw(l));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("Your objective", t.title));
            for g in state.goals(app) {
                lines.push(Line::raw(format!("  • {}", g.text)));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Enter to start · h for a hint at any time · ? for keys",
                t.dim,
            ));
        }
        Panel::Complete => {
            let Some(state) = &app.lesson else { return };
            title = "Lesson complete ✓".to_string();
            lines.push(Line::styled(format!("✓ {}", state.lesson.title), t.ok));
            lines.push(Line::raw(""));
            lines.push(Line::styled("What you changed", t.title));
            for what in &app.log {
                for (i, l) in wrap(what, text_width.saturating_sub(4))
                    .into_iter()
                    .enumerate()
                {
                    lines.push(Line::raw(format!(
                        "{} {l}",
                        if i == 0 { "  •" } else { "   " }
                    )));
                }
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("Why it works", t.title));
            for l in wrap(
                &crate::training::reflow(&state.lesson.explanation),
                text_width,
            ) {
                lines.push(Line::raw(l));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "n next lesson · l lesson list · Esc keep exploring",
                t.key,
            ));
        }
        Panel::Picker { selected } => {
            let Some(state) = &app.lesson else { return };
            title = "Lessons (Enter opens one, Esc closes)".to_string();
            for (i, l) in state.catalog.iter().enumerate() {
                let sel = i == *selected;
                let done = if l.id == state.id && state.completed {
                    " ✓"
                } else {
                    ""
                };
                lines.push(Line::from(vec![
                    Span::styled(if sel { "▶ " } else { "  " }, t.title),
                    Span::styled(format!("{:>2}. ", i + 1), t.dim),
                    Span::styled(format!("{:<7}", l.level.as_str()), t.dim),
                    Span::styled(
                        format!("{}{done}", l.title),
                        if sel { t.selected } else { t.text },
                    ),
                ]));
            }
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, width, height);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane(app, &title, true)),
        r,
    );
}

//! The presenter line (`p` in a lesson): for the last change the learner made, the
//! PowerShell that would make it in a real tenant, so that a trainer can say what the click
//! means outside the classroom. The steps come from the core (`plan::change_steps`, the
//! difference the history's last step made); this module keeps them current and lays them
//! out in a bounded number of rows.

use ratatui::text::{Line, Span};

use super::state::LastChange;
use crate::app::App;
use crate::view::widgets::wrap_line;
use relaycheck_core::plan::RunsIn;

/// The bar never takes more rows than this (the Summary has the whole script).
pub const MAX_ROWS: usize = 4;

/// Takes the last step of the history again (after an edit, an undo or a redo).
pub fn refresh(app: &mut App) {
    if app.lesson.is_none() {
        return;
    }
    let last = app
        .history
        .before_last(&app.scenario)
        .map(|(entry, before)| LastChange {
            what: entry.what.clone(),
            steps: relaycheck_core::plan::change_steps(&before, &app.scenario),
        });
    if let Some(state) = app.lesson.as_mut() {
        state.last_change = last;
    }
}

/// `p`: shows or hides the line.
pub fn toggle(app: &mut App) {
    if let Some(state) = app.lesson.as_mut() {
        state.presenter = !state.presenter;
    }
}

fn shell(runs_in: RunsIn) -> &'static str {
    match runs_in {
        RunsIn::Graph => "Graph>",
        RunsIn::ExchangeOnline => "EXO>",
        RunsIn::ExchangeServer => "EMS>",
        RunsIn::Manual => "By hand:",
    }
}

/// The line's rows at this width (none when it is hidden or outside a lesson), at most
/// [`MAX_ROWS`], the last one ending in `…` when the change needs more.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(state) = app.lesson.as_ref().filter(|s| s.presenter) else {
        return Vec::new();
    };
    let t = &app.theme;
    let mut out: Vec<Line<'static>> = Vec::new();
    let Some(last) = &state.last_change else {
        out.extend(wrap_line(
            &Line::from(vec![
                Span::styled(" Presenter ", t.title),
                Span::styled(
                    "No change yet: the PowerShell of each change you make appears here (p hides it).",
                    t.dim,
                ),
            ]),
            width,
            2,
        ));
        return out;
    };
    out.extend(wrap_line(
        &Line::from(vec![
            Span::styled(" Presenter ", t.title),
            Span::styled(last.what.clone(), t.text),
            Span::styled(", in a real tenant:", t.dim),
        ]),
        width,
        2,
    ));
    if last.steps.is_empty() {
        out.extend(wrap_line(
            &Line::styled(
                "   nothing to run: it changes only what relaycheck simulates (test messages, the server's address, a domain made pending again).",
                t.dim,
            ),
            width,
            2,
        ));
    }
    for step in &last.steps {
        if step.command.is_empty() {
            out.extend(wrap_line(
                &Line::from(vec![
                    Span::styled(format!("   {} ", shell(step.runs_in)), t.dim),
                    Span::styled(step.summary.clone(), t.text),
                ]),
                width,
                4,
            ));
        }
        for c in &step.command {
            out.extend(wrap_line(
                &Line::from(vec![
                    Span::styled(format!("   {} ", shell(step.runs_in)), t.dim),
                    Span::styled(c.clone(), t.code),
                ]),
                width,
                4,
            ));
        }
    }
    if out.len() > MAX_ROWS {
        out.truncate(MAX_ROWS);
        if let Some(last) = out.last_mut() {
            // Room for the mark, which ends the row's last word (a word split over rows
            // included), so that no cut is left unmarked.
            let text: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
            let mut kept = text.trim_end().to_string();
            if relaycheck_core::width::width(&kept) + 1 > width {
                kept = relaycheck_core::width::prefix(&kept, width.saturating_sub(1))
                    .0
                    .to_string();
                if let Some(i) = kept.trim_end().rfind(' ') {
                    kept.truncate(i);
                }
            }
            *last = Line::from(vec![Span::styled(kept, t.code), Span::styled("…", t.dim)]);
        }
    }
    out
}

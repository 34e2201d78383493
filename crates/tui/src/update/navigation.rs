//! Moving around: steps, panes, the cursor in lists and forms, scrolling (keys, the mouse
//! wheel over the pane under the pointer), clicks on the step list, and the help pages.

use crate::app::{App, Field, Focus, Modal, Tab};
use crate::keymap::Action;
use crate::view;

pub fn go_to(app: &mut App, tab: Tab) {
    app.tab = tab;
    app.focus = Focus::Main;
    app.finding_row = 0;
    app.details_scroll = 0;
}

/// The panes of the current page that can have the cursor, in Tab order.
fn panes(app: &App) -> Vec<Focus> {
    let mut out = vec![Focus::Main];
    if matches!(app.tab, Tab::Certificate | Tab::Domains | Tab::MailFlow) {
        out.push(Focus::Details);
    }
    if app.tab != Tab::MailFlow && app.tab != Tab::Summary && !app.page_findings().is_empty() {
        out.push(Focus::Findings);
    }
    out
}

fn list_len(app: &App) -> usize {
    match app.tab {
        Tab::Certificate => app.scenario.certificates.len(),
        Tab::Domains => app.scenario.tenant.len(),
        Tab::Connector => Field::ALL.len(),
        Tab::MailFlow => app.scenario.messages.len(),
        Tab::Summary => 0,
    }
}

fn step(value: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (value as isize + delta).clamp(0, len as isize - 1) as usize
}

fn scrolled(offset: u16, delta: isize, max: usize) -> u16 {
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    offset.saturating_add_signed(delta as i16).min(max)
}

pub fn move_cursor(app: &mut App, delta: isize) {
    match app.focus {
        Focus::Findings => {
            app.finding_row = step(app.finding_row, delta, app.page_findings().len());
        }
        Focus::Details => {
            app.details_scroll = scrolled(app.details_scroll, delta, view::max_scroll(app));
        }
        Focus::Main => {
            let len = list_len(app);
            let before = (app.cert_row, app.message_row, app.domain_row);
            match app.tab {
                Tab::Certificate => app.cert_row = step(app.cert_row, delta, len),
                Tab::Domains => app.domain_row = step(app.domain_row, delta, len),
                Tab::Connector => app.field = step(app.field, delta, len),
                Tab::MailFlow => app.message_row = step(app.message_row, delta, len),
                Tab::Summary => {
                    app.summary_scroll = scrolled(app.summary_scroll, delta, view::max_scroll(app));
                }
            }
            if before != (app.cert_row, app.message_row, app.domain_row) {
                app.details_scroll = 0;
            }
        }
    }
}

/// Tab: the next pane; on the connector form, the next field first.
pub fn next_pane(app: &mut App, delta: isize) {
    if app.tab == Tab::Connector && app.focus == Focus::Main {
        let next = app.field as isize + delta;
        if (0..Field::ALL.len() as isize).contains(&next) {
            app.field = next as usize;
            return;
        }
    }
    let panes = panes(app);
    let at = panes.iter().position(|p| *p == app.focus).unwrap_or(0) as isize;
    let next = panes[(at + delta).rem_euclid(panes.len() as isize) as usize];
    if app.tab == Tab::Connector && next == Focus::Main {
        app.field = if delta > 0 { 0 } else { Field::ALL.len() - 1 };
    }
    if next == Focus::Findings && app.focus != Focus::Findings {
        app.finding_row = 0;
    }
    app.focus = next;
}

pub fn click(app: &mut App, column: u16, row: u16) {
    if app.modal.is_none()
        && let Some(tab) = view::tab_at(app, column, row)
    {
        go_to(app, tab);
    }
}

/// The wheel scrolls what is open, or on a page the pane under the pointer.
pub fn wheel(app: &mut App, column: u16, row: u16, down: bool) {
    let delta = if down { 1 } else { -1 };
    let action = if down { Action::Down } else { Action::Up };
    match &app.modal {
        Some(Modal::Help { .. }) => on_help(app, action),
        Some(Modal::Choices(_)) => {
            super::connector::on_choices(app, action);
        }
        Some(Modal::Hints { .. } | Modal::Lesson(_)) => {
            crate::lesson::keys::scroll(app, delta);
        }
        Some(_) => {}
        None => {
            if let Some(pane) = view::pane_at(app, column, row) {
                if pane == Focus::Findings && app.focus != Focus::Findings {
                    app.finding_row = 0;
                }
                app.focus = pane;
                move_cursor(app, delta);
            }
        }
    }
}

/// Keys in the help: it scrolls by line or page and stops at its end.
pub fn on_help(app: &mut App, action: Action) {
    let Some(Modal::Help { scroll }) = app.modal else {
        return;
    };
    let max = view::max_scroll(app);
    let page = view::visible_lines(app).saturating_sub(1).max(1) as isize;
    let scroll = match action {
        Action::Close => {
            app.modal = None;
            return;
        }
        Action::Up => scrolled(scroll, -1, max),
        Action::Down => scrolled(scroll, 1, max),
        Action::PageUp => scrolled(scroll, -page, max),
        Action::PageDown => scrolled(scroll, page, max),
        Action::Top => 0,
        Action::Bottom => u16::try_from(max).unwrap_or(u16::MAX),
        _ => scroll,
    };
    app.modal = Some(Modal::Help { scroll });
}

//! The one path every edit takes: refused in a lesson when it would rewrite the test mail,
//! else applied through the history (undo/redo, "unsaved" by the history's saved marker),
//! re-validated, and shown as cause and effect. Undo, redo and one-key fixes use it too.

use crate::app::{App, Changes, Focus};
use relaycheck_core::model::edit::{self, Edit};
use relaycheck_core::report::Report;

/// Applies `edits` as one undoable step described by `what` (all or none). Returns whether
/// the scenario changed.
pub fn commit(app: &mut App, edits: Vec<Edit>, what: String) -> bool {
    if let Some(why) = crate::lesson::refusal(app, &edits) {
        app.status = Some(why);
        return false;
    }
    match app.history.apply(&mut app.scenario, edits, what.clone()) {
        Ok(()) => {
            after_edit(app, what);
            true
        }
        Err(e) => {
            app.status = Some(format!("Not changed: {e}."));
            false
        }
    }
}

/// One edit, described in the core's words before it is applied (so that a deleted
/// message is named, not numbered).
pub fn commit_one(app: &mut App, e: Edit) -> bool {
    let what = edit::describe(&e, &app.scenario);
    commit(app, vec![e], what)
}

/// Re-validates after the scenario changed and says what changed.
fn after_edit(app: &mut App, what: String) {
    let before = revalidated(app);
    app.changes = Some(Changes::between(what, &before, &app.report));
    clamp(app);
    crate::lesson::on_change(app);
}

/// Validates the current scenario; returns the report it replaces.
fn revalidated(app: &mut App) -> Report {
    let report = relaycheck_core::validate(&app.scenario, app.now);
    let before = std::mem::replace(&mut app.report, report);
    app.refresh_remediation();
    before
}

pub fn clamp(app: &mut App) {
    let s = &app.scenario;
    app.cert_row = app.cert_row.min(s.certificates.len().saturating_sub(1));
    app.domain_row = app.domain_row.min(s.tenant.len().saturating_sub(1));
    app.connector = app
        .connector
        .min(s.inbound_connectors.len().saturating_sub(1));
    app.message_row = app.message_row.min(s.messages.len().saturating_sub(1));
    app.finding_row = app
        .finding_row
        .min(app.page_findings().len().saturating_sub(1));
    if app.focus == Focus::Findings && app.page_findings().is_empty() {
        app.focus = Focus::Main;
    }
}

pub fn undo(app: &mut App) {
    match app.history.undo(&mut app.scenario) {
        Some(what) => after_edit(app, format!("undo: {what}")),
        None => app.status = Some("Nothing to undo.".to_string()),
    }
}

pub fn redo(app: &mut App) {
    match app.history.redo(&mut app.scenario) {
        Ok(Some(what)) => after_edit(app, format!("redo: {what}")),
        Ok(None) => app.status = Some("Nothing to redo.".to_string()),
        Err(e) => app.status = Some(format!("Cannot redo: {e}.")),
    }
}

/// `f`: the highlighted finding's fix (or the page's first fixable one), when it is an
/// edit of the model; otherwise what to do by hand, in the status line.
pub fn apply_fix(app: &mut App) {
    let findings = app.page_findings();
    let finding = if app.focus == Focus::Findings {
        findings.get(app.finding_row).copied()
    } else {
        findings
            .iter()
            .copied()
            .find(|f| !app.report.one_key_fix(f).edits.is_empty())
            .or_else(|| findings.first().copied())
    };
    let Some(finding) = finding else {
        app.status = Some("Nothing to fix on this step.".to_string());
        return;
    };
    let fix = app.report.one_key_fix(finding);
    let id = finding.id;
    if fix.edits.is_empty() {
        app.status = Some(format!(
            "{id} is fixed outside relaycheck: {}",
            relaycheck_core::text::join_lines(&fix.by_hand, " ")
        ));
        return;
    }
    let what = fix
        .edits
        .iter()
        .map(|e| edit::describe(e, &app.scenario))
        .collect::<Vec<_>>()
        .join(", ");
    commit(app, fix.edits, format!("fix for {id}: {what}"));
}

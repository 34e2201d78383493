//! Lessons inside the wizard: the objective and progress stay on screen, hints come one at
//! a time and stay listed, the test messages are fixed, meeting the objective (goals and
//! verdict) opens a completion panel and is recorded in the learner's progress, and `l`
//! opens the lesson list. Keys of the lesson panels are in [`keys`], drawing in [`view`].

pub mod keys;
pub mod presenter;
pub mod state;
pub mod view;

use std::path::PathBuf;

use super::app::{App, Modal};
use super::effect::Effect;
use relaycheck_core::model::edit::{self, Edit};
use relaycheck_io::training::progress::Progress;
use relaycheck_io::training::{LessonSummary, LoadedLesson};
pub use state::{Classroom, LessonState, Panel};

/// Replaces the wizard's scenario with a lesson's and shows its introduction.
pub fn open(app: &mut App, loaded: LoadedLesson, catalog: Vec<LessonSummary>) {
    app.scenario = loaded.scenario;
    edit::materialize_messages(&mut app.scenario);
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
    app.changes = None;
    app.status = None;
    app.saved_as = None;
    app.tab = super::app::Tab::Certificate;
    app.focus = super::app::Focus::Main;
    app.cert_row = app.scenario.selected_certificate.unwrap_or(0);
    app.domain_row = 0;
    app.connector = 0;
    app.field = 0;
    app.message_row = 0;
    app.finding_row = 0;
    app.details_scroll = 0;
    app.summary_scroll = 0;
    if !catalog.is_empty() {
        app.classroom.catalog = catalog;
    }
    let solution = loaded
        .lesson
        .solution
        .iter()
        .map(|e| named(e, &app.scenario))
        .collect();
    app.lesson = Some(LessonState {
        id: loaded.id,
        editable_senders: relaycheck_io::training::editable_senders(&loaded.lesson, &app.scenario),
        lesson: loaded.lesson,
        hints_shown: 0,
        completed: false,
        solution,
        answer: app.report.plan.clone(),
        done: None,
        presenter: false,
        last_change: None,
    });
    app.modal = Some(Modal::Lesson(Panel::Intro { scroll: 0 }));
}

/// The learner's progress as read at start (`file: None` keeps it in memory only).
pub fn attach_progress(app: &mut App, file: Option<PathBuf>, read: Result<Progress, String>) {
    match read {
        Ok(p) => {
            app.classroom.progress = p;
            app.classroom.file = file;
        }
        Err(e) => {
            // An unreadable file is left as it is; progress is kept in memory only.
            app.classroom.file = None;
            app.status = Some(format!("Progress not kept this time: {e}"));
        }
    }
}

/// An edit with its connector named (a lesson's solution may leave it out).
fn named(e: &Edit, s: &relaycheck_core::model::Scenario) -> Edit {
    let name = |r: &edit::ConnectorRef| {
        edit::connector_index(s, r)
            .ok()
            .map(|i| s.inbound_connectors[i].name.clone())
            .or_else(|| r.clone())
    };
    let mut e = e.clone();
    match &mut e {
        Edit::SetTlsSenderCertificateName { connector, .. }
        | Edit::SetConnectorEnabled { connector, .. }
        | Edit::SetConnectorType { connector, .. }
        | Edit::SetRequireTls { connector, .. }
        | Edit::SetCloudServicesMailEnabled { connector, .. }
        | Edit::SetSenderIpAddresses { connector, .. }
        | Edit::RenameConnector { connector, .. } => *connector = name(connector),
        _ => {}
    }
    e
}

/// In a lesson, why the test messages cannot be changed.
pub fn fixed_messages(app: &App) -> Option<String> {
    app.lesson.as_ref().map(|_| {
        "In a lesson the test messages are fixed: change the tenant, the certificate or the connector."
            .to_string()
    })
}

/// Why these edits are refused here, if they are: in a lesson, adding, deleting, resetting
/// or rewriting a test message (only a sender the lesson lets the learner change may be).
pub fn refusal(app: &App, edits: &[Edit]) -> Option<String> {
    let state = app.lesson.as_ref()?;
    let rewrites = edits.iter().any(|e| match e {
        Edit::AddMessage(_) | Edit::RemoveMessage(_) | Edit::ResetMessages => true,
        Edit::ReplaceMessage { index, message } => {
            !state.editable_senders.contains(index)
                || app.scenario.messages.get(*index).is_none_or(|old| {
                    old.title() != message.title() || old.rcpt_to != message.rcpt_to
                })
        }
        _ => false,
    });
    if rewrites { fixed_messages(app) } else { None }
}

/// `h`: shows the hints so far, revealing the next one (on the pages only when asked).
pub fn show_hints(app: &mut App, reveal: bool) {
    let Some(state) = app.lesson.as_mut() else {
        return;
    };
    if reveal && state.hints_shown < state.lesson.hints.len() {
        state.hints_shown += 1;
    }
    let lines = state.hints_shown;
    // Open at the newest hint.
    let scroll = if lines > 1 { u16::MAX } else { 0 };
    app.modal = Some(Modal::Hints { scroll });
}

pub fn back_to_list(app: &mut App) {
    let selected = app
        .lesson
        .as_ref()
        .and_then(|s| s.position(&app.classroom))
        .unwrap_or(0);
    app.modal = Some(Modal::Lesson(Panel::Picker { selected }));
}

/// After every edit (undo and redo included): the presenter line follows the last change;
/// is the objective met now (every goal, the verdict included)? The first time it is, the
/// completion panel opens and the progress is recorded.
pub fn on_change(app: &mut App) {
    presenter::refresh(app);
    let met = match &app.lesson {
        Some(state) if !state.completed => state.lesson.objective.is_met(&app.report),
        _ => false,
    };
    if !met {
        return;
    }
    let done = relaycheck_core::plan::change_steps(&app.start, &app.scenario);
    if let Some(state) = app.lesson.as_mut() {
        state.completed = true;
        state.done = Some(done);
        app.outbox.push(Effect::RecordProgress {
            lesson: state.id.clone(),
            hints: state.hints_shown,
        });
    }
    app.modal = Some(Modal::Lesson(Panel::Complete { scroll: 0 }));
}

/// What an edit is about: two edits about the same thing count as one change (the last
/// one says what it is now).
fn subject(e: &Edit) -> String {
    match e {
        Edit::AddDomain(d)
        | Edit::AddUnverifiedDomain(d)
        | Edit::VerifyDomain(d)
        | Edit::UnverifyDomain(d)
        | Edit::RemoveDomain(d) => format!("domain {d}"),
        Edit::SetDomainType { domain, .. } => format!("type {domain}"),
        Edit::SetDefaultDomain(_) => "default domain".into(),
        Edit::SelectCertificate(_) => "presented certificate".into(),
        Edit::SetTlsSenderCertificateName { connector, .. } => format!("tscn {connector:?}"),
        Edit::SetConnectorEnabled { connector, .. } => format!("enabled {connector:?}"),
        Edit::SetConnectorType { connector, .. } => format!("type {connector:?}"),
        Edit::SetRequireTls { connector, .. } => format!("tls {connector:?}"),
        Edit::SetCloudServicesMailEnabled { connector, .. } => format!("csme {connector:?}"),
        Edit::SetSenderIpAddresses { connector, .. } => format!("ips {connector:?}"),
        Edit::SetOrganizationFqdn(_) => "organisation FQDN".into(),
        Edit::SetOnPremisesIp(_) => "on-premises IP".into(),
        Edit::ReplaceMessage { index, .. } => format!("message {index}"),
        other => format!("{other:?}"),
    }
}

/// The changes that lead from the lesson's start to now, from the history (undone steps
/// are not in it): each once, by name, the latest of several about the same thing.
pub fn changes_made(app: &App) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for entry in app.history.entries() {
        let key = entry
            .edits
            .iter()
            .map(subject)
            .collect::<Vec<_>>()
            .join("+");
        out.retain(|(k, _)| *k != key);
        out.push((key, entry.what.clone()));
    }
    let mut seen = std::collections::HashSet::new();
    out.into_iter()
        .map(|(_, w)| w)
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// The plan's answer, when what the learner did differs from it (`None`: the same changes,
/// or not completed yet).
pub fn plan_answer_if_different(state: &LessonState) -> Option<&relaycheck_core::plan::Plan> {
    let done = state.done.as_ref()?;
    (!state.answer.same_changes(done)).then_some(&state.answer)
}

/// Whether the learner made every edit of the lesson's own solution.
pub fn followed_solution(app: &App) -> bool {
    let Some(state) = &app.lesson else {
        return false;
    };
    let done: Vec<Edit> = app
        .history
        .entries()
        .flat_map(|e| e.edits.iter().map(|x| named(x, &app.scenario)))
        .collect();
    state.solution.iter().all(|s| done.contains(s))
}

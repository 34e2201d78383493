//! `update`: everything that can happen to the wizard, as a [`Message`], turned into a new
//! state (re-validated after every edit) and the [`Effect`]s the runtime must carry out
//! (file reads and writes, the clipboard, the clock). No I/O happens here.
//!
//! Keys arrive as [`Action`]s (the runtime looks them up in the keymap for the current
//! mode); each mode's actions are handled in its own file: the pages here and in
//! [`navigation`], [`pages`] and [`connector`], forms in [`forms`], questions and files in
//! [`files`], lesson panels in `tui::lesson::keys`. Every edit goes through
//! [`history::commit`].

pub mod connector;
pub mod files;
pub mod forms;
pub mod history;
pub mod navigation;
pub mod pages;

use std::path::PathBuf;

use super::app::{App, FormPurpose, Modal, Question};
pub use super::effect::{Effect, Secret};
use super::keymap::{self, Action, Mode};
use relaycheck_core::model::CertificateEntry;
use relaycheck_core::model::edit::Edit;

/// Everything that can happen.
#[derive(Debug, Clone)]
pub enum Message {
    /// A key, already looked up in the keymap for the mode the wizard is in.
    Action(Action),
    /// A mouse click (only with `--mouse`), in terminal cells.
    Click {
        column: u16,
        row: u16,
    },
    /// The mouse wheel (only with `--mouse`): scrolls the pane under the pointer.
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// An edit made directly (lesson solutions, tests).
    Edit(Edit),
    /// Text pasted into the terminal (bracketed paste): one edit of the focused field.
    Paste(String),
    CertificatesAdded(Result<Vec<CertificateEntry>, String>),
    Completions(Vec<String>),
    /// A save finished (`scenario`: the scenario itself was saved, so nothing is unsaved).
    Saved {
        result: Result<PathBuf, String>,
        scenario: bool,
    },
    /// A save found the file already there: ask before overwriting.
    SaveExists {
        path: PathBuf,
        purpose: FormPurpose,
    },
    /// A PKCS#12 file needs its password (or the one given was wrong): ask for it, masked,
    /// then load `target` (the file or folder being added) again with it.
    PasswordNeeded {
        target: PathBuf,
        file: PathBuf,
        wrong: bool,
    },
    LessonLoaded(Result<Box<relaycheck_io::training::LoadedLesson>, String>),
    /// A load began on a worker (`what`: for the "Loading …" line).
    LoadStarted {
        id: u64,
        what: String,
    },
    /// A load's result: handled when the wizard still waits for load `id`, else dropped.
    Loaded {
        id: u64,
        result: Box<Message>,
    },
    /// A load ended without a result (its deadline passed, or its worker stopped).
    LoadFailed {
        id: u64,
        failure: super::effect::LoadFailure,
    },
    /// The learner's progress after the runtime recorded (and stored) a change.
    Progress(Result<relaycheck_io::training::progress::Progress, String>),
}

pub fn update(app: &mut App, msg: Message) -> Vec<Effect> {
    let mut effects = match msg {
        Message::Action(action) => on_action(app, action),
        Message::Click { column, row } => {
            navigation::click(app, column, row);
            Vec::new()
        }
        Message::Wheel { column, row, down } => {
            navigation::wheel(app, column, row, down);
            Vec::new()
        }
        Message::Resize { width, height } => {
            app.size = (width, height);
            Vec::new()
        }
        Message::Edit(e) => {
            history::commit_one(app, e);
            Vec::new()
        }
        Message::Paste(text) => {
            forms::paste(app, &text);
            Vec::new()
        }
        Message::CertificatesAdded(result) => {
            files::certificates_added(app, result);
            Vec::new()
        }
        Message::Saved { result, scenario } => {
            files::saved(app, result, scenario);
            Vec::new()
        }
        Message::Completions(options) => {
            forms::completions(app, options);
            Vec::new()
        }
        Message::LessonLoaded(Ok(loaded)) => {
            let catalog = app.classroom.catalog.clone();
            super::lesson::open(app, *loaded, catalog);
            Vec::new()
        }
        Message::LessonLoaded(Err(e)) | Message::Progress(Err(e)) => {
            app.status = Some(e);
            Vec::new()
        }
        Message::Progress(Ok(p)) => {
            app.classroom.progress = p;
            Vec::new()
        }
        Message::PasswordNeeded {
            target,
            file,
            wrong,
        } => {
            files::ask_password(app, target, &file, wrong);
            Vec::new()
        }
        Message::SaveExists { path, purpose } => {
            app.modal = Some(Modal::Confirm(Question::Overwrite { path, purpose }));
            Vec::new()
        }
        Message::LoadStarted { id, what } => {
            app.loading = Some(super::app::Loading { id, what });
            Vec::new()
        }
        Message::Loaded { id, result } => {
            if app.loading.as_ref().is_some_and(|l| l.id == id) {
                app.loading = None;
                return update(app, *result);
            }
            Vec::new()
        }
        Message::LoadFailed { id, failure } => {
            if let Some(l) = app.loading.take_if(|l| l.id == id) {
                app.status = Some(match failure {
                    super::effect::LoadFailure::TimedOut => format!(
                        "Gave up loading {} after {} s: it did not finish reading (a slow disk or network share?). Nothing was added; try again, or copy the file to a local folder.",
                        l.what,
                        super::effect::DEADLINE.as_secs()
                    ),
                    super::effect::LoadFailure::Stopped => {
                        format!(
                            "Loading {} stopped without a result. Nothing was added.",
                            l.what
                        )
                    }
                    super::effect::LoadFailure::Busy => format!(
                        "Not loading {}: the load stopped before is still ending (a slow disk or network share?). Nothing was added; try again in a moment.",
                        l.what
                    ),
                });
            }
            Vec::new()
        }
    };
    effects.append(&mut app.outbox);
    effects
}

/// An action in the mode the wizard is in.
fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    if action == Action::ForceQuit {
        app.should_quit = true;
        return Vec::new();
    }
    match keymap::mode(app) {
        Mode::Page { .. } => {
            app.status = None;
            page_action(app, action)
        }
        Mode::Form { .. } => forms::on_action(app, action),
        Mode::Choices => connector::on_choices(app, action),
        Mode::Confirm => files::on_confirm(app, action),
        Mode::Help => {
            navigation::on_help(app, action);
            Vec::new()
        }
        Mode::LessonIntro | Mode::LessonDone | Mode::LessonList | Mode::Hints => {
            super::lesson::keys::on_action(app, action)
        }
        Mode::TooSmall => {
            if action == Action::Quit {
                quit(app);
            }
            Vec::new()
        }
        Mode::Loading => {
            if action == Action::Cancel
                && let Some(l) = app.loading.take()
            {
                app.status = Some(format!("Stopped loading {}. Nothing was added.", l.what));
            }
            Vec::new()
        }
    }
}

/// `q`: at once, unless there are unsaved edits outside a lesson (then it asks).
pub fn quit(app: &mut App) {
    // A value being typed (on a screen that just became too small) is put back first.
    connector::end_live(app);
    if app.dirty() && app.lesson.is_none() {
        app.modal = Some(Modal::Confirm(Question::QuitUnsaved));
    } else {
        app.should_quit = true;
    }
}

fn page_action(app: &mut App, action: Action) -> Vec<Effect> {
    use navigation as nav;
    match action {
        Action::Quit => quit(app),
        Action::Help => app.modal = Some(Modal::Help { scroll: 0 }),
        Action::Dismiss => {
            app.status = None;
            app.changes = None;
        }
        Action::GoTo(tab) => nav::go_to(app, tab),
        Action::NextStep => nav::go_to(app, app.tab.next()),
        Action::PrevStep => nav::go_to(app, app.tab.prev()),
        Action::Up => nav::move_cursor(app, -1),
        Action::Down => nav::move_cursor(app, 1),
        Action::NextPane => nav::next_pane(app, 1),
        Action::PrevPane => nav::next_pane(app, -1),
        Action::Activate => pages::activate(app),
        Action::Undo => history::undo(app),
        Action::Redo => history::redo(app),
        Action::ApplyFix => history::apply_fix(app),
        Action::Add => pages::add(app),
        Action::Remove => pages::remove(app),
        Action::ToggleVerified => pages::toggle_verified(app),
        Action::CycleType => pages::cycle_type(app),
        Action::SetDefault => pages::set_default(app),
        Action::ToggleRejectDirectSend => {
            let on = app.scenario.tenant.reject_direct_send;
            history::commit_one(app, Edit::SetRejectDirectSend(!on));
        }
        Action::Generate => pages::generate_form(app),
        Action::TscnChoices => connector::open_choices(app),
        Action::ToggleWildcard => connector::toggle_wildcard(app),
        Action::NextConnector => connector::next_connector(app),
        Action::NewConnector => connector::new_connector(app),
        Action::ResetMessages => {
            history::commit_one(app, Edit::ResetMessages);
        }
        Action::Copy => {
            let script = super::view::summary::remediation_script(app);
            app.status = Some(
                "Copied the whole PowerShell remediation to the clipboard (OSC 52).".to_string(),
            );
            return vec![Effect::Copy(script)];
        }
        Action::SaveScenario => files::save_form(app, FormPurpose::SaveScenario),
        Action::SaveReport => files::save_form(app, FormPurpose::SaveReport),
        Action::Hint => super::lesson::show_hints(app, true),
        Action::Lessons => super::lesson::back_to_list(app),
        Action::Presenter => super::lesson::presenter::toggle(app),
        _ => {}
    }
    Vec::new()
}

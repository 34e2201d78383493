//! Files and questions: the save forms (offering the name saved to before), the answers to
//! "quit anyway?", "overwrite it?" and "reset progress?", what a finished save or load
//! changes, and the masked password prompt for PKCS#12 files.

use std::path::{Path, PathBuf};

use super::Effect;
use super::history::commit_one;
use crate::app::{App, FieldId, Form, FormPurpose, Modal, Question};
use crate::keymap::Action;
use relaycheck_core::model::CertificateEntry;
use relaycheck_core::model::edit::Edit;

/// The file a save form offers: where this session saved the scenario before, else the
/// opened file's name with `suffix` beside it (never `x.edited.edited.yaml`).
pub fn default_save_path(app: &App, purpose: &FormPurpose) -> String {
    if *purpose == FormPurpose::SaveScenario
        && let Some(p) = &app.saved_as
    {
        return p.to_string_lossy().into_owned();
    }
    let suffix = if *purpose == FormPurpose::SaveScenario {
        "edited.yaml"
    } else {
        "report.md"
    };
    let stem = app
        .origin
        .path
        .as_ref()
        .and_then(|p| p.file_stem())
        .map_or_else(
            || "relaycheck-demo".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
    let stem = stem.strip_suffix(".edited").unwrap_or(&stem);
    let dir = app
        .origin
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .filter(|d| !d.as_os_str().is_empty());
    let at = |name: String| match dir {
        Some(d) => d.join(name),
        None => PathBuf::from(name),
    };
    let offer = at(format!("{stem}.{suffix}"));
    // An opened "x.edited.yaml" is an input: offer "x.edited-2.yaml" rather than itself.
    let offer = if app.origin.inputs.contains(&offer) || app.origin.path.as_ref() == Some(&offer) {
        let (name, ext) = suffix.split_once('.').unwrap_or((suffix, "yaml"));
        at(format!("{stem}.{name}-2.{ext}"))
    } else {
        offer
    };
    offer.to_string_lossy().into_owned()
}

pub fn save_form(app: &mut App, purpose: FormPurpose) {
    let title = if purpose == FormPurpose::SaveScenario {
        "Save the scenario as YAML"
    } else {
        "Save the report as Markdown"
    };
    let default = default_save_path(app, &purpose);
    app.modal = Some(Modal::Form(Form::new(
        title,
        purpose,
        &[(FieldId::File, "File", default.as_str())],
    )));
}

/// Answers to a question.
pub fn on_confirm(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Modal::Confirm(q)) = app.modal.take() else {
        return Vec::new();
    };
    match (q, action) {
        (Question::QuitUnsaved, Action::Yes) => app.should_quit = true,
        (Question::Overwrite { path, purpose }, Action::Yes) => {
            return vec![Effect::Save {
                purpose,
                path,
                overwrite: true,
            }];
        }
        (Question::ResetProgress, Action::Yes) => {
            app.status = Some("Progress reset: no lesson is ticked any more.".to_string());
            app.modal = Some(Modal::Lesson(crate::lesson::Panel::Picker { selected: 0 }));
            return vec![Effect::ResetProgress];
        }
        (Question::ResetProgress, Action::No) => {
            app.modal = Some(Modal::Lesson(crate::lesson::Panel::Picker { selected: 0 }));
        }
        (_, Action::No) => app.status = Some("Cancelled.".to_string()),
        (q, _) => app.modal = Some(Modal::Confirm(q)),
    }
    Vec::new()
}

pub fn saved(app: &mut App, result: Result<PathBuf, String>, scenario: bool) {
    match result {
        Ok(path) => {
            if scenario {
                app.history.mark_saved();
                app.saved_as = Some(path.clone());
            }
            app.status = Some(format!("Saved {}.", path.display()));
        }
        Err(e) => app.status = Some(e),
    }
}

pub fn certificates_added(app: &mut App, result: Result<Vec<CertificateEntry>, String>) {
    let entries = match result {
        Ok(entries) => entries,
        Err(e) => {
            app.status = Some(e);
            return;
        }
    };
    let n = entries.len();
    if n == 0 {
        app.status = Some("No certificate found there.".to_string());
        return;
    }
    if !commit_one(app, Edit::AddCertificates(entries)) {
        return;
    }
    app.cert_row = app.scenario.certificates.len().saturating_sub(1);
    app.status = Some(format!(
        "Added {n} certificate{}; press Enter to use it.",
        if n == 1 { "" } else { "s" }
    ));
}

pub fn ask_password(app: &mut App, target: PathBuf, file: &Path, wrong: bool) {
    let mut form = Form::new(
        format!("Password for {}", file.display()),
        FormPurpose::Password(target),
        &[(FieldId::Password, "Password", "")],
    );
    form.fields[0].secret = true;
    if wrong {
        form.note = Some((
            false,
            "That password does not open the file. Try again, or Esc.".to_string(),
        ));
    }
    app.modal = Some(Modal::Form(form));
}

//! Forms: typing and moving in a field (as actions from the keymap), path completion,
//! the live verdict on a connector value, and what submitting each form does.

use super::Effect;
use super::connector::{end_live, field_edit, field_note, live_tscn};
use super::history::commit_one;
use crate::app::{App, Field, FieldId, Form, FormPurpose, Modal};
use crate::keymap::Action;
use relaycheck_core::model::edit::Edit;
use relaycheck_core::model::{GenerateSpec, MailFrom, Message as Mail, MessageKind};
use relaycheck_core::names::{DnsName, EmailAddress};

pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Modal::Form(mut form)) = app.modal.take() else {
        return Vec::new();
    };
    let before = form.stamp();
    match action {
        Action::Cancel => {
            if end_live(app) {
                app.changes = None;
            }
            app.status = Some("Cancelled.".to_string());
            return Vec::new();
        }
        Action::Submit => return submit(app, form),
        Action::Complete => {
            let prefix = form.focused_value().to_string();
            app.modal = Some(Modal::Form(form));
            return vec![Effect::Complete(prefix)];
        }
        Action::NextField => form.move_focus(1),
        Action::PrevField => form.move_focus(-1),
        Action::Type(c) => {
            let mut full = false;
            edit_input(&mut form, |t| full = !t.insert(c));
            if full {
                form.note = Some((false, full_note(0)));
                app.modal = Some(Modal::Form(form));
                return Vec::new();
            }
        }
        Action::Backspace => edit_input(&mut form, |t| t.backspace()),
        Action::DeleteChar => edit_input(&mut form, |t| t.delete()),
        Action::ClearField => edit_input(&mut form, |t| t.clear()),
        Action::Left => edit_input(&mut form, |t| t.left()),
        Action::Right => edit_input(&mut form, |t| t.right()),
        Action::Home => edit_input(&mut form, |t| t.home()),
        Action::End => edit_input(&mut form, |t| t.end()),
        _ => {}
    }
    if form.stamp().1 != before.1 && form.stamp().0 == before.0 {
        form.completions.clear();
        changed(app, &mut form);
    }
    app.modal = Some(Modal::Form(form));
    Vec::new()
}

/// What the form says when a field is full: typed or pasted text beyond
/// [`crate::form::MAX_CHARS`] is not taken.
fn full_note(cut: usize) -> String {
    let max = crate::form::MAX_CHARS;
    if cut == 0 {
        format!("The field is full: it holds at most {max} characters.")
    } else {
        format!("The paste was cut to {max} characters (the field's limit): {cut} left out.")
    }
}

/// A bracketed paste: one edit of the focused field, however long the text (cut to the
/// field's limit, and the form says so). Outside a form nothing changes.
pub fn paste(app: &mut App, text: &str) {
    let Some(Modal::Form(mut form)) = app.modal.take() else {
        app.status = Some("Nothing to paste into: a paste goes into a form field.".to_string());
        return;
    };
    let mut cut = 0;
    edit_input(&mut form, |t| cut = t.paste(text));
    form.completions.clear();
    changed(app, &mut form);
    if cut > 0 {
        let note = full_note(cut);
        form.note = Some(match form.note.take() {
            Some((_, verdict)) => (false, format!("{note} {verdict}")),
            None => (false, note),
        });
    }
    app.modal = Some(Modal::Form(form));
}

fn edit_input(form: &mut Form, f: impl FnOnce(&mut crate::form::TextInput)) {
    if let Some(t) = form.focused() {
        f(t);
    }
}

/// After the value changed: a connector value is judged (and TlsSenderCertificateName
/// applied live); elsewhere an error about the old value no longer stands.
fn changed(app: &mut App, form: &mut Form) {
    match form.purpose {
        FormPurpose::EditField(field) => {
            let value = form.value(FieldId::Value).to_string();
            form.note = field_note(app, field, &value);
            if field == Field::Tscn {
                live_tscn(app, &value);
            }
        }
        _ => form.note = None,
    }
}

/// Tab's completions came back: one is taken, several are listed (and their common start
/// taken).
pub fn completions(app: &mut App, options: Vec<String>) {
    let Some(Modal::Form(form)) = &mut app.modal else {
        return;
    };
    match options.as_slice() {
        [one] => {
            let one = one.clone();
            if let Some(t) = form.focused() {
                t.set(one);
            }
            form.completions.clear();
        }
        _ => {
            let current = form.focused_value().len();
            if let Some(prefix) = common_prefix(&options).filter(|p| p.len() > current)
                && let Some(t) = form.focused()
            {
                t.set(prefix);
            }
            form.completions = options;
        }
    }
}

fn common_prefix(options: &[String]) -> Option<String> {
    let first = options.first()?;
    let mut len = first.len();
    for o in &options[1..] {
        len = first
            .char_indices()
            .zip(o.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, c), _)| i + c.len_utf8())
            .min(len);
    }
    Some(first[..len].to_string())
}

fn keep_open(app: &mut App, mut form: Form, why: String) -> Vec<Effect> {
    form.note = Some((false, why));
    app.modal = Some(Modal::Form(form));
    Vec::new()
}

fn submit(app: &mut App, form: Form) -> Vec<Effect> {
    match form.purpose.clone() {
        FormPurpose::AddDomain => {
            let verified = !matches!(
                form.value(FieldId::Verified)
                    .trim()
                    .to_ascii_lowercase()
                    .as_str(),
                "no" | "n" | "false" | "pending"
            );
            match DnsName::parse(form.value(FieldId::Domain)) {
                Ok(d) => {
                    let e = if verified {
                        Edit::AddDomain(d)
                    } else {
                        Edit::AddUnverifiedDomain(d)
                    };
                    if commit_one(app, e) {
                        app.domain_row = app.scenario.tenant.len().saturating_sub(1);
                    }
                    Vec::new()
                }
                Err(e) => keep_open(app, form, format!("{e}.")),
            }
        }
        FormPurpose::AddCertificate => {
            let path = form.value(FieldId::Path).trim().to_string();
            if path.is_empty() {
                return keep_open(app, form, "Type a path (Tab completes).".into());
            }
            vec![Effect::LoadCertificates(path.into())]
        }
        FormPurpose::Password(path) => {
            let password = Secret(zeroize::Zeroizing::new(
                form.value(FieldId::Password).to_string(),
            ));
            let mut form = form;
            for f in &mut form.fields {
                f.input.zeroize();
            }
            vec![Effect::LoadPkcs12 { path, password }]
        }
        FormPurpose::GenerateCertificate => match generate_spec(app, &form) {
            Ok(g) => vec![Effect::Generate(g)],
            Err(e) => keep_open(app, form, e),
        },
        FormPurpose::AddMessage | FormPurpose::EditMessage(_) | FormPurpose::EditSender(_) => {
            match message(app, &form) {
                Ok(e) => {
                    if commit_one(app, e) && form.purpose == FormPurpose::AddMessage {
                        app.message_row = app.scenario.messages.len().saturating_sub(1);
                    }
                    Vec::new()
                }
                Err(e) => keep_open(app, form, e),
            }
        }
        FormPurpose::EditField(field) => match field_edit(app, field, form.value(FieldId::Value)) {
            Ok(e) => {
                // Typing applied it live; commit it against the state before typing.
                end_live(app);
                commit_one(app, e);
                Vec::new()
            }
            Err(e) => keep_open(app, form, format!("{e}.")),
        },
        FormPurpose::SaveScenario | FormPurpose::SaveReport => {
            let path = form.value(FieldId::File).trim().to_string();
            if path.is_empty() {
                return keep_open(app, form, "Type a file name.".into());
            }
            let path = std::path::PathBuf::from(path);
            // Saving again where this session saved the scenario is what Save means.
            let overwrite =
                form.purpose == FormPurpose::SaveScenario && app.saved_as.as_ref() == Some(&path);
            vec![Effect::Save {
                purpose: form.purpose.clone(),
                path,
                overwrite,
            }]
        }
    }
}

use super::Secret;

fn generate_spec(app: &App, form: &Form) -> Result<GenerateSpec, String> {
    let sans: Vec<String> = form
        .value(FieldId::Sans)
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let text = |id| form.value(id).trim().into();
    let yaml = serde_yaml::Value::Mapping(serde_yaml::Mapping::from_iter([
        ("cn".into(), text(FieldId::Cn)),
        (
            "sans".into(),
            serde_yaml::Value::Sequence(sans.into_iter().map(Into::into).collect()),
        ),
        ("valid_from".into(), text(FieldId::ValidFrom)),
        ("valid_until".into(), text(FieldId::ValidUntil)),
        ("issuer".into(), text(FieldId::Issuer)),
        ("key".into(), text(FieldId::KeyType)),
    ]));
    let g = serde_yaml::from_value::<GenerateSpec>(yaml).map_err(|e| e.to_string())?;
    relaycheck_lab::LabSpec::from_generate(&g, app.now)?;
    Ok(g)
}

/// The message a message form describes (adding, editing, or a lesson's envelope sender).
fn message(app: &App, form: &Form) -> Result<Edit, String> {
    let from =
        MailFrom::parse(form.value(FieldId::MailFrom)).map_err(|e| format!("MAIL FROM: {e}."))?;
    if let FormPurpose::EditSender(index) = form.purpose {
        let old = app
            .scenario
            .messages
            .get(index)
            .ok_or("the message is gone")?;
        let mut m = old.clone();
        m.mail_from = from;
        return Ok(Edit::ReplaceMessage { index, message: m });
    }
    let to =
        EmailAddress::parse(form.value(FieldId::RcptTo)).map_err(|e| format!("RCPT TO: {e}."))?;
    let name = form.value(FieldId::Name).trim();
    let name = (!name.is_empty()).then(|| name.to_string());
    let kind = match form.purpose {
        FormPurpose::EditMessage(i) => app
            .scenario
            .messages
            .get(i)
            .map(|m| m.kind)
            .filter(|k| *k != MessageKind::Other),
        _ => None,
    }
    .unwrap_or_else(|| MessageKind::guess(name.as_deref(), &from));
    let m = Mail {
        name,
        kind,
        mail_from: from,
        rcpt_to: to,
    };
    Ok(match form.purpose {
        FormPurpose::EditMessage(index) => Edit::ReplaceMessage { index, message: m },
        _ => Edit::AddMessage(m),
    })
}

//! `update`: everything that can happen to the wizard, as a [`Message`], turned into a new
//! state (re-validated after every edit) and the [`Effect`]s the runtime must carry out
//! (file reads and writes, the clipboard). No I/O happens here.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{
    App, Changes, Choices, Field, Focus, Form, FormPurpose, LiveEdit, Modal, Question, Tab,
};
use super::keymap::{self, Action};
use crate::facts::TscnState;
use crate::model::edit::{self, Edit};
use crate::model::{
    CertificateEntry, ConnectorType, DomainType, GenerateSpec, InboundConnector, IpRange, MailFrom,
    Message as Mail, MessageKind,
};
use crate::names::{self, DnsName, EmailAddress, Tscn};
use crate::report::Report;

/// Everything that can happen.
#[derive(Debug, Clone)]
pub enum Message {
    Key(KeyEvent),
    /// A mouse click (only with `--mouse`), in terminal cells.
    Click {
        column: u16,
        row: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// An edit made directly (lesson solutions, tests).
    Edit(Edit),
    CertificatesAdded(Result<Vec<CertificateEntry>, String>),
    Completions(Vec<String>),
    /// A save finished (`scenario`: the scenario itself was saved, so nothing is unsaved).
    Saved {
        result: Result<String, String>,
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
    LessonLoaded(Result<Box<crate::training::LoadedLesson>, String>),
}

/// What the runtime must do for `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadCertificates(PathBuf),
    /// A PKCS#12 file and its password (never shown, never logged).
    LoadPkcs12 {
        path: PathBuf,
        password: Secret,
    },
    Generate(GenerateSpec),
    Complete(String),
    Save {
        purpose: FormPurpose,
        path: PathBuf,
        overwrite: bool,
    },
    Copy(String),
    /// Open a built-in lesson by id.
    OpenLesson(String),
}

/// A password on its way to the PKCS#12 reader: zeroised when dropped, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub zeroize::Zeroizing<String>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

pub fn update(app: &mut App, msg: Message) -> Vec<Effect> {
    match msg {
        Message::Key(key) => on_key(app, key),
        Message::Click { column, row } => {
            if let Some(tab) = super::view::tab_at(app, column, row) {
                go_to(app, tab);
            }
            Vec::new()
        }
        Message::Resize { width, height } => {
            app.size = (width, height);
            Vec::new()
        }
        Message::Edit(e) => {
            apply_edit(app, e);
            Vec::new()
        }
        Message::CertificatesAdded(Ok(entries)) => {
            let n = entries.len();
            if n == 0 {
                app.status = Some("No certificate found there.".to_string());
                return Vec::new();
            }
            if !apply_edit(app, Edit::AddCertificates(entries)) {
                return Vec::new();
            }
            app.cert_row = app.scenario.certificates.len().saturating_sub(1);
            app.status = Some(format!(
                "Added {n} certificate{}; press Enter to use it.",
                if n == 1 { "" } else { "s" }
            ));
            Vec::new()
        }
        Message::CertificatesAdded(Err(e)) => {
            app.status = Some(e);
            Vec::new()
        }
        Message::Saved { result, scenario } => {
            match result {
                Ok(text) => {
                    if scenario {
                        app.history.mark_saved();
                    }
                    app.status = Some(text);
                }
                Err(e) => app.status = Some(e),
            }
            Vec::new()
        }
        Message::Completions(options) => {
            if let Some(Modal::Form(form)) = &mut app.modal {
                match options.as_slice() {
                    [one] => {
                        if let Some(v) = form.current() {
                            *v = one.clone();
                        }
                        form.completions.clear();
                    }
                    _ => {
                        if let (Some(prefix), Some(v)) = (common_prefix(&options), form.current())
                            && prefix.len() > v.len()
                        {
                            *v = prefix;
                        }
                        form.completions = options;
                    }
                }
            }
            Vec::new()
        }
        Message::LessonLoaded(Ok(loaded)) => {
            let catalog = app
                .lesson
                .as_ref()
                .map(|l| l.catalog.clone())
                .unwrap_or_else(crate::training::catalog);
            super::lesson::open(app, *loaded, catalog);
            Vec::new()
        }
        Message::LessonLoaded(Err(e)) => {
            app.status = Some(e);
            Vec::new()
        }
        Message::PasswordNeeded {
            target,
            file,
            wrong,
        } => {
            let mut form = Form::new(
                format!("Password for {}", file.display()),
                FormPurpose::Password(target),
                &[("Password", "")],
            );
            form.fields[0].secret = true;
            if wrong {
                form.note = Some((
                    false,
                    "That password does not open the file. Try again, or Esc.".to_string(),
                ));
            }
            app.modal = Some(Modal::Form(form));
            Vec::new()
        }
        Message::SaveExists { path, purpose } => {
            app.modal = Some(Modal::Confirm(Question::Overwrite { path, purpose }));
            Vec::new()
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

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if let Some(modal) = app.modal.take() {
        return on_modal_key(app, modal, key);
    }
    let in_lesson = app.lesson.is_some();
    let Some(action) = keymap::lookup(&key, app.tab, in_lesson) else {
        if key.code == KeyCode::Esc {
            app.status = None;
            app.changes = None;
        }
        return Vec::new();
    };
    app.status = None;
    on_action(app, action)
}

fn go_to(app: &mut App, tab: Tab) {
    app.tab = tab;
    app.focus = Focus::Main;
    app.finding_row = 0;
}

fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            if app.dirty() && app.lesson.is_none() {
                app.modal = Some(Modal::Confirm(Question::QuitUnsaved));
            } else {
                app.should_quit = true;
            }
        }
        Action::ForceQuit => app.should_quit = true,
        Action::Help => app.modal = Some(Modal::Help { scroll: 0 }),
        Action::GoTo(tab) => go_to(app, tab),
        Action::NextStep => go_to(app, app.tab.next()),
        Action::PrevStep => go_to(app, app.tab.prev()),
        Action::Up => move_cursor(app, -1),
        Action::Down => move_cursor(app, 1),
        Action::NextField => next_field(app, 1),
        Action::PrevField => next_field(app, -1),
        Action::Activate => return activate(app),
        Action::Undo => undo(app),
        Action::ApplyFix => apply_fix(app),
        Action::Add => add(app),
        Action::Remove => remove(app),
        Action::ToggleVerified => {
            if let Some(d) = app.scenario.tenant.accepted_domains().get(app.domain_row) {
                let domain = d.domain.clone();
                let e = if d.verified {
                    Edit::UnverifyDomain(domain)
                } else {
                    Edit::VerifyDomain(domain)
                };
                apply_edit(app, e);
            }
        }
        Action::CycleType => {
            if let Some(d) = app.scenario.tenant.accepted_domains().get(app.domain_row) {
                let next = match d.domain_type {
                    DomainType::Authoritative => DomainType::InternalRelay,
                    DomainType::InternalRelay => DomainType::ExternalRelay,
                    DomainType::ExternalRelay => DomainType::Authoritative,
                };
                let e = Edit::SetDomainType {
                    domain: d.domain.clone(),
                    domain_type: next,
                };
                apply_edit(app, e);
            }
        }
        Action::SetDefault => {
            if let Some(d) = app.scenario.tenant.accepted_domains().get(app.domain_row) {
                let e = Edit::SetDefaultDomain(d.domain.clone());
                apply_edit(app, e);
            }
        }
        Action::Generate => {
            let cn = app
                .scenario
                .own_domain()
                .map_or_else(|| "mail.contoso.com".to_string(), |d| format!("mail.{d}"));
            app.modal = Some(Modal::Form(Form::new(
                "Generate a lab certificate",
                FormPurpose::GenerateCertificate,
                &[
                    ("CN", cn.as_str()),
                    ("SANs (comma-separated)", cn.as_str()),
                    ("Valid from (-30d, or a date)", "-30d"),
                    ("Valid until (+365d, or a date)", "+365d"),
                    ("Issuer (lab-ca or self)", "lab-ca"),
                    ("Key (ecdsa-p256, rsa2048, rsa1024)", "ecdsa-p256"),
                ],
            )));
        }
        Action::TscnChoices => open_choices(app),
        Action::ToggleWildcard => toggle_wildcard(app),
        Action::NextConnector => {
            let n = app.scenario.inbound_connectors.len();
            if n > 0 {
                app.connector = (app.connector + 1) % n;
            }
        }
        Action::NewConnector => {
            let n = app.scenario.inbound_connectors.len();
            let mut c = InboundConnector::new(if n == 0 {
                crate::plan::action::NEW_CONNECTOR.to_string()
            } else {
                format!("{} {}", crate::plan::action::NEW_CONNECTOR, n + 1)
            });
            c.tls_sender_certificate_name = app.report.recommended_tscn.clone();
            let e = Edit::AddConnector(c);
            apply_edit(app, e);
            app.connector = app.scenario.inbound_connectors.len().saturating_sub(1);
        }
        Action::ResetMessages => {
            apply_edit(app, Edit::ResetMessages);
        }
        Action::Copy => {
            let script = super::view::summary::remediation_script(app);
            app.status =
                Some("Copied the PowerShell remediation to the clipboard (OSC 52).".to_string());
            return vec![Effect::Copy(script)];
        }
        Action::SaveScenario => {
            let default = default_save_path(app, "edited.yaml");
            app.modal = Some(Modal::Form(Form::new(
                "Save the scenario as YAML",
                FormPurpose::SaveScenario,
                &[("File", default.as_str())],
            )));
        }
        Action::SaveReport => {
            let default = default_save_path(app, "report.md");
            app.modal = Some(Modal::Form(Form::new(
                "Save the report as Markdown",
                FormPurpose::SaveReport,
                &[("File", default.as_str())],
            )));
        }
        Action::Hint => super::lesson::next_hint(app),
        Action::Lessons => super::lesson::back_to_list(app),
    }
    Vec::new()
}

fn default_save_path(app: &App, suffix: &str) -> String {
    let stem = app
        .origin
        .path
        .as_ref()
        .and_then(|p| p.file_stem())
        .map_or_else(
            || "relaycheck-demo".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
    let dir = app
        .origin
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .filter(|d| !d.as_os_str().is_empty());
    let name = format!("{stem}.{suffix}");
    match dir {
        Some(d) => d.join(name).to_string_lossy().into_owned(),
        None => name,
    }
}

fn list_len(app: &App) -> usize {
    if app.focus == Focus::Findings {
        return app.page_findings().len();
    }
    match app.tab {
        Tab::Certificate => app.scenario.certificates.len(),
        Tab::Domains => app.scenario.tenant.len(),
        Tab::Connector => Field::ALL.len(),
        Tab::MailFlow => app.scenario.messages.len(),
        Tab::Summary => usize::MAX,
    }
}

fn move_cursor(app: &mut App, delta: isize) {
    let len = list_len(app);
    let cursor: &mut usize = if app.focus == Focus::Findings {
        &mut app.finding_row
    } else {
        match app.tab {
            Tab::Certificate => &mut app.cert_row,
            Tab::Domains => &mut app.domain_row,
            Tab::Connector => &mut app.field,
            Tab::MailFlow => &mut app.message_row,
            Tab::Summary => {
                app.summary_scroll = app.summary_scroll.saturating_add_signed(delta as i16);
                return;
            }
        }
    };
    if len == 0 {
        *cursor = 0;
        return;
    }
    *cursor = (*cursor as isize + delta).clamp(0, len as isize - 1) as usize;
}

fn next_field(app: &mut App, delta: isize) {
    if app.tab == Tab::Connector && app.focus == Focus::Main {
        let next = app.field as isize + delta;
        if next < 0 || next >= Field::ALL.len() as isize {
            if !app.page_findings().is_empty() {
                app.focus = Focus::Findings;
                app.finding_row = 0;
            } else {
                app.field = next.rem_euclid(Field::ALL.len() as isize) as usize;
            }
        } else {
            app.field = next as usize;
        }
        return;
    }
    if app.focus == Focus::Findings {
        app.focus = Focus::Main;
        if app.tab == Tab::Connector {
            app.field = if delta > 0 { 0 } else { Field::ALL.len() - 1 };
        }
    } else if !app.page_findings().is_empty() {
        app.focus = Focus::Findings;
        app.finding_row = 0;
    }
}

/// Applies one edit through the history, re-validates and records what changed.
pub fn apply_edit(app: &mut App, edit: Edit) -> bool {
    apply_edits(app, vec![edit], None)
}

/// Applies several edits as one undoable step (all or none).
fn apply_edits(app: &mut App, edits: Vec<Edit>, what: Option<String>) -> bool {
    let what = what.unwrap_or_else(|| {
        edits
            .iter()
            .map(|e| edit::describe(e, &app.scenario))
            .collect::<Vec<_>>()
            .join(", ")
    });
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

/// Re-validates after the scenario changed and says what changed.
fn after_edit(app: &mut App, what: String) {
    app.log.push(what.clone());
    let before = revalidated(app);
    app.changes = Some(Changes::between(what, &before, &app.report));
    clamp(app);
    super::lesson::on_change(app);
}

/// Validates the current scenario; returns the report it replaces.
fn revalidated(app: &mut App) -> Report {
    let report = crate::validate(&app.scenario, app.now);
    let before = std::mem::replace(&mut app.report, report);
    app.refresh_remediation();
    before
}

fn clamp(app: &mut App) {
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
}

fn undo(app: &mut App) {
    match app.history.undo(&mut app.scenario) {
        Some(what) => after_edit(app, format!("undo: {what}")),
        None => app.status = Some("Nothing to undo.".to_string()),
    }
}

fn apply_fix(app: &mut App) {
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
    let edits = fix.edits;
    if edits.is_empty() {
        app.status = Some(format!(
            "{} is fixed outside relaycheck: {}",
            finding.id,
            fix.by_hand.join(" ")
        ));
        return;
    }
    let id = finding.id;
    let what = edits
        .iter()
        .map(|e| edit::describe(e, &app.scenario))
        .collect::<Vec<_>>()
        .join(", ");
    if let Err(err) = app
        .history
        .apply(&mut app.scenario, edits, format!("fix for {id}: {what}"))
    {
        app.status = Some(format!("Could not apply the fix for {id}: {err}."));
        return;
    }
    after_edit(app, format!("fix for {id}: {what}"));
}

fn add(app: &mut App) {
    let form = match app.tab {
        Tab::Certificate => Form::new(
            "Add certificates (a .pem/.cer/.crt/.der/.pfx file, or a folder)",
            FormPurpose::AddCertificate,
            &[("Path", "")],
        ),
        Tab::Domains => Form::new(
            "Add an accepted domain",
            FormPurpose::AddDomain,
            &[("Domain", ""), ("Verified (yes/no)", "yes")],
        ),
        Tab::MailFlow => {
            let d = app
                .scenario
                .default_domain()
                .map_or("contoso.com".to_string(), |d| d.to_string());
            Form::new(
                "Add a message",
                FormPurpose::AddMessage,
                &[
                    ("Name", ""),
                    ("MAIL FROM (empty for an NDR)", &format!("user@{d}")),
                    ("RCPT TO", "someone@tailspintoys.com"),
                ],
            )
        }
        _ => return,
    };
    app.modal = Some(Modal::Form(form));
}

fn remove(app: &mut App) {
    let e = match app.tab {
        Tab::Certificate if app.cert_row < app.scenario.certificates.len() => {
            Edit::RemoveCertificate(app.cert_row)
        }
        Tab::Domains => match app.scenario.tenant.accepted_domains().get(app.domain_row) {
            Some(d) => Edit::RemoveDomain(d.domain.clone()),
            None => return,
        },
        Tab::Connector => match app.scenario.inbound_connectors.get(app.connector) {
            Some(c) => Edit::RemoveConnector(c.name.clone()),
            None => return,
        },
        Tab::MailFlow if app.message_row < app.scenario.messages.len() => {
            Edit::RemoveMessage(app.message_row)
        }
        _ => return,
    };
    apply_edit(app, e);
}

fn activate(app: &mut App) -> Vec<Effect> {
    match app.tab {
        Tab::Certificate if app.cert_row < app.scenario.certificates.len() => {
            let e = Edit::SelectCertificate(app.cert_row);
            apply_edit(app, e);
        }
        Tab::Connector => {
            if app.focus == Focus::Findings {
                apply_fix(app);
            } else {
                edit_field(app);
            }
        }
        Tab::MailFlow => {
            if let Some(m) = app.scenario.messages.get(app.message_row) {
                let form = Form::new(
                    "Edit the message",
                    FormPurpose::EditMessage(app.message_row),
                    &[
                        ("Name", m.name.as_deref().unwrap_or("")),
                        ("MAIL FROM (empty for an NDR)", m.mail_from.as_text()),
                        ("RCPT TO", m.rcpt_to.as_str()),
                    ],
                );
                app.modal = Some(Modal::Form(form));
            }
        }
        Tab::Domains if app.focus == Focus::Findings => apply_fix(app),
        _ => {}
    }
    Vec::new()
}

fn connector_ref(app: &App) -> Option<String> {
    app.scenario
        .inbound_connectors
        .get(app.connector)
        .map(|c| c.name.clone())
}

fn field_text(app: &App, field: Field) -> String {
    let c = app.scenario.inbound_connectors.get(app.connector);
    match field {
        Field::Name => c.map(|c| c.name.clone()).unwrap_or_default(),
        Field::Tscn => c
            .and_then(|c| c.tls_sender_certificate_name.clone())
            .unwrap_or_default(),
        Field::SenderIps => c
            .map(|c| {
                c.sender_ip_addresses
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        Field::OrganizationFqdn => app
            .scenario
            .on_premises
            .organization_fqdn
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        Field::OnPremisesIp => app
            .scenario
            .on_premises
            .ip
            .map(|i| i.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn edit_field(app: &mut App) {
    let field = Field::ALL[app.field.min(Field::ALL.len() - 1)];
    let connector = app.scenario.inbound_connectors.get(app.connector).cloned();
    if field.needs_connector() && connector.is_none() {
        app.status = Some("There is no inbound connector: press n to create one, or f to apply the suggested fix.".to_string());
        return;
    }
    let c = connector_ref(app);
    let toggle = match (field, &connector) {
        (Field::Enabled, Some(x)) => Some(Edit::SetConnectorEnabled {
            connector: c.clone(),
            value: !x.enabled,
        }),
        (Field::RequireTls, Some(x)) => Some(Edit::SetRequireTls {
            connector: c.clone(),
            value: !x.require_tls,
        }),
        (Field::CloudServicesMailEnabled, Some(x)) => Some(Edit::SetCloudServicesMailEnabled {
            connector: c.clone(),
            value: !x.cloud_services_mail_enabled,
        }),
        (Field::ConnectorType, Some(x)) => Some(Edit::SetConnectorType {
            connector: c.clone(),
            value: match x.connector_type {
                ConnectorType::OnPremises => ConnectorType::Partner,
                ConnectorType::Partner => ConnectorType::OnPremises,
            },
        }),
        _ => None,
    };
    if let Some(e) = toggle {
        apply_edit(app, e);
        return;
    }
    let value = field_text(app, field);
    let mut form = Form::new(
        format!("Edit {}", field.label()),
        FormPurpose::EditField(field),
        &[(field.label(), value.as_str())],
    );
    form.note = field_note(app, field, &value);
    if field == Field::Tscn {
        app.live = Some(LiveEdit {
            connector: app.connector,
            original: connector.and_then(|c| c.tls_sender_certificate_name),
            base_report: app.report.clone(),
        });
    }
    app.modal = Some(Modal::Form(form));
}

/// The live verdict on a typed connector value.
fn field_note(app: &App, field: Field, value: &str) -> Option<(bool, String)> {
    let v = value.trim();
    match field {
        Field::Tscn => {
            if v.is_empty() {
                return Some((
                    true,
                    "Empty: the connector identifies the server by IP address only.".into(),
                ));
            }
            let state = TscnState::judge(Some(v), app.scenario.certificate(), &app.scenario.tenant);
            Some(match state {
                TscnState::Invalid { reason, .. } => (false, format!("Not valid: {reason}.")),
                other => {
                    let (ok, words) = other.verdict();
                    (ok, format!("Valid; {words}."))
                }
            })
        }
        Field::Name => (v.is_empty()).then(|| (false, "A connector needs a name.".to_string())),
        Field::SenderIps => parse_ips(v).err().map(|e| (false, e)),
        Field::OrganizationFqdn => {
            if v.is_empty() {
                None
            } else {
                DnsName::parse(v).err().map(|e| (false, format!("{e}.")))
            }
        }
        Field::OnPremisesIp => {
            if v.is_empty() {
                None
            } else {
                v.parse::<std::net::IpAddr>()
                    .err()
                    .map(|_| (false, format!("\"{v}\" is not an IP address.")))
            }
        }
        _ => None,
    }
}

fn parse_ips(text: &str) -> Result<Vec<IpRange>, String> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<IpRange>())
        .collect()
}

fn field_edit(app: &App, field: Field, value: &str) -> Result<Edit, String> {
    let v = value.trim();
    let c = connector_ref(app);
    Ok(match field {
        Field::Name => Edit::RenameConnector {
            connector: c,
            value: v.to_string(),
        },
        Field::Tscn => Edit::SetTlsSenderCertificateName {
            connector: c,
            value: (!v.is_empty()).then(|| v.to_string()),
        },
        Field::SenderIps => Edit::SetSenderIpAddresses {
            connector: c,
            value: parse_ips(v)?,
        },
        Field::OrganizationFqdn => Edit::SetOrganizationFqdn(if v.is_empty() {
            None
        } else {
            Some(DnsName::parse(v).map_err(|e| e.to_string())?)
        }),
        Field::OnPremisesIp => Edit::SetOnPremisesIp(if v.is_empty() {
            None
        } else {
            Some(
                v.parse()
                    .map_err(|_| format!("\"{v}\" is not an IP address"))?,
            )
        }),
        _ => return Err("this field is toggled with Enter".into()),
    })
}

fn open_choices(app: &mut App) {
    if app.scenario.certificate().is_none() {
        app.status = Some("Select a certificate first (step 1).".to_string());
        return;
    }
    let items: Vec<(String, String)> = app
        .report
        .tscn_choices(&app.scenario)
        .into_iter()
        .map(|c| {
            let words = c.words();
            (c.value, words)
        })
        .collect();
    app.modal = Some(Modal::Choices(Choices {
        title: "TlsSenderCertificateName from the certificate".to_string(),
        items,
        selected: 0,
    }));
}

fn toggle_wildcard(app: &mut App) {
    let Some(c) = app.scenario.inbound_connectors.get(app.connector) else {
        app.status = Some("There is no inbound connector: press n to create one.".to_string());
        return;
    };
    let current = c.tscn_text().map(str::to_string);
    let cert_names = app
        .scenario
        .certificate()
        .map(|c| c.dns_names())
        .unwrap_or_default();
    let next = match current.as_deref().map(Tscn::parse) {
        // A host goes to the wildcard of its domain; an apex (contoso.com) to *.contoso.com.
        Some(Ok(Tscn::Host(h))) => Some(match h.parent().filter(|p| p.contains('.')) {
            Some(p) => format!("*.{p}"),
            None => format!("*.{h}"),
        }),
        Some(Ok(Tscn::Wildcard(d))) => cert_names
            .iter()
            .find(|n| !n.starts_with('*') && names::parent(n) == Some(d.as_str()))
            .cloned()
            .or_else(|| Some(d.to_string())),
        _ => app.report.recommended_tscn.clone(),
    };
    let Some(next) = next else {
        app.status = Some("No host/wildcard form to switch to.".to_string());
        return;
    };
    let e = Edit::SetTlsSenderCertificateName {
        connector: connector_ref(app),
        value: Some(next),
    };
    apply_edit(app, e);
}

fn on_modal_key(app: &mut App, modal: Modal, key: KeyEvent) -> Vec<Effect> {
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl_c {
        app.should_quit = true;
        return Vec::new();
    }
    match modal {
        Modal::Help { scroll } => {
            let scroll = match key.code {
                KeyCode::Esc
                | KeyCode::Char('?')
                | KeyCode::Char('q')
                | KeyCode::F(1)
                | KeyCode::Enter => return Vec::new(),
                KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => scroll.saturating_add(1),
                KeyCode::PageUp => scroll.saturating_sub(10),
                KeyCode::PageDown => scroll.saturating_add(10),
                _ => scroll,
            };
            app.modal = Some(Modal::Help { scroll });
            Vec::new()
        }
        Modal::Confirm(q) => on_confirm(app, q, key),
        Modal::Choices(mut ch) => {
            match key.code {
                KeyCode::Esc | KeyCode::Char('q') => {}
                KeyCode::Up | KeyCode::Char('k') => {
                    ch.selected = ch.selected.saturating_sub(1);
                    app.modal = Some(Modal::Choices(ch));
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    ch.selected = (ch.selected + 1).min(ch.items.len().saturating_sub(1));
                    app.modal = Some(Modal::Choices(ch));
                }
                KeyCode::Enter => {
                    if let Some((value, _)) = ch.items.get(ch.selected) {
                        let e = Edit::SetTlsSenderCertificateName {
                            connector: connector_ref(app),
                            value: Some(value.clone()),
                        };
                        apply_edit(app, e);
                    }
                }
                _ => app.modal = Some(Modal::Choices(ch)),
            }
            Vec::new()
        }
        Modal::Form(form) => on_form_key(app, form, key),
        Modal::Lesson(panel) => super::lesson::on_panel_key(app, panel, key.code),
    }
}

fn on_confirm(app: &mut App, q: Question, key: KeyEvent) -> Vec<Effect> {
    let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y'));
    let no = matches!(
        key.code,
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc
    );
    if !yes && !no {
        app.modal = Some(Modal::Confirm(q));
        return Vec::new();
    }
    match (q, yes) {
        (Question::QuitUnsaved, true) => app.should_quit = true,
        (Question::Overwrite { path, purpose }, true) => {
            return vec![Effect::Save {
                purpose,
                path,
                overwrite: true,
            }];
        }
        (_, false) => app.status = Some("Cancelled.".to_string()),
    }
    Vec::new()
}

fn on_form_key(app: &mut App, mut form: Form, key: KeyEvent) -> Vec<Effect> {
    let single_path = matches!(
        form.purpose,
        FormPurpose::AddCertificate | FormPurpose::SaveScenario | FormPurpose::SaveReport
    );
    match key.code {
        KeyCode::Esc => {
            if let Some(live) = app.live.take() {
                set_live_tscn(app, live.connector, live.original);
                app.report = live.base_report;
                app.changes = None;
            }
            app.status = Some("Cancelled.".to_string());
            return Vec::new();
        }
        KeyCode::Enter => return submit(app, form),
        KeyCode::Tab if single_path => {
            let prefix = form.value(0).to_string();
            app.modal = Some(Modal::Form(form));
            return vec![Effect::Complete(prefix)];
        }
        KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % form.fields.len().max(1),
        KeyCode::BackTab | KeyCode::Up => {
            form.focus = (form.focus + form.fields.len().max(1) - 1) % form.fields.len().max(1)
        }
        KeyCode::Backspace => {
            if let Some(v) = form.current() {
                v.pop();
            }
            form.completions.clear();
        }
        KeyCode::Char(ch) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            if let Some(v) = form.current() {
                v.push(ch);
            }
            form.completions.clear();
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            if let Some(v) = form.current() {
                v.clear();
            }
        }
        _ => {}
    }
    if let FormPurpose::EditField(field) = form.purpose {
        let value = form.value(0).to_string();
        form.note = field_note(app, field, &value);
        if field == Field::Tscn {
            live_tscn(app, &value);
        }
    }
    app.modal = Some(Modal::Form(form));
    Vec::new()
}

/// Sets a connector's TlsSenderCertificateName outside the history (live typing).
fn set_live_tscn(app: &mut App, connector: usize, value: Option<String>) {
    if let Some(c) = app.scenario.inbound_connectors.get_mut(connector) {
        c.tls_sender_certificate_name = value.filter(|v| !v.trim().is_empty());
    }
}

/// Re-validates on every keystroke while TlsSenderCertificateName is typed: the value is
/// set in place (no copy of the scenario), the history only gets it on Enter.
fn live_tscn(app: &mut App, value: &str) {
    let Some(live) = &app.live else {
        return;
    };
    let connector = live.connector;
    set_live_tscn(app, connector, Some(value.trim().to_string()));
    app.report = crate::validate(&app.scenario, app.now);
    if let Some(live) = &app.live {
        app.changes = Some(Changes::between(
            format!("typing TlsSenderCertificateName \"{value}\""),
            &live.base_report,
            &app.report,
        ));
    }
}

fn submit(app: &mut App, form: Form) -> Vec<Effect> {
    let keep_open = |app: &mut App, mut form: Form, why: String| {
        form.note = Some((false, why));
        app.modal = Some(Modal::Form(form));
        Vec::new()
    };
    match form.purpose.clone() {
        FormPurpose::AddDomain => {
            let verified = !matches!(
                form.value(1).trim().to_ascii_lowercase().as_str(),
                "no" | "n" | "false" | "pending"
            );
            match DnsName::parse(form.value(0)) {
                Ok(d) => {
                    let e = if verified {
                        Edit::AddDomain(d)
                    } else {
                        Edit::AddUnverifiedDomain(d)
                    };
                    apply_edit(app, e);
                    app.domain_row = app.scenario.tenant.len().saturating_sub(1);
                    Vec::new()
                }
                Err(e) => keep_open(app, form, format!("{e}.")),
            }
        }
        FormPurpose::AddCertificate => {
            let path = form.value(0).trim().to_string();
            if path.is_empty() {
                return keep_open(app, form, "Type a path (Tab completes).".into());
            }
            vec![Effect::LoadCertificates(expand_home(&path))]
        }
        FormPurpose::Password(path) => {
            let password = Secret(zeroize::Zeroizing::new(form.value(0).to_string()));
            let mut form = form;
            for f in &mut form.fields {
                zeroize::Zeroize::zeroize(&mut f.value);
            }
            vec![Effect::LoadPkcs12 { path, password }]
        }
        FormPurpose::GenerateCertificate => {
            let sans: Vec<String> = form
                .value(1)
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let yaml = serde_yaml::to_value(serde_yaml::Mapping::from_iter([
                ("cn".into(), form.value(0).trim().into()),
                (
                    "sans".into(),
                    serde_yaml::Value::Sequence(sans.into_iter().map(Into::into).collect()),
                ),
                ("valid_from".into(), form.value(2).trim().into()),
                ("valid_until".into(), form.value(3).trim().into()),
                ("issuer".into(), form.value(4).trim().into()),
                ("key".into(), form.value(5).trim().into()),
            ]))
            .unwrap_or_default();
            match serde_yaml::from_value::<GenerateSpec>(yaml.clone())
                .map_err(|e| e.to_string())
                .and_then(|g| {
                    crate::lab::LabSpec::from_generate(&g, app.now)?;
                    Ok(g)
                }) {
                Ok(g) => vec![Effect::Generate(g)],
                Err(e) => keep_open(app, form, e),
            }
        }
        FormPurpose::AddMessage | FormPurpose::EditMessage(_) => {
            let name = form.value(0).trim();
            let from = MailFrom::parse(form.value(1)).map_err(|e| format!("MAIL FROM: {e}"));
            let to = EmailAddress::parse(form.value(2)).map_err(|e| format!("RCPT TO: {e}"));
            match (from, to) {
                (Ok(mail_from), Ok(rcpt_to)) => {
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
                    .unwrap_or_else(|| MessageKind::guess(name.as_deref(), &mail_from));
                    let m = Mail {
                        name,
                        kind,
                        mail_from,
                        rcpt_to,
                    };
                    let e = match form.purpose {
                        FormPurpose::EditMessage(index) => {
                            Edit::ReplaceMessage { index, message: m }
                        }
                        _ => Edit::AddMessage(m),
                    };
                    apply_edit(app, e);
                    if matches!(form.purpose, FormPurpose::AddMessage) {
                        app.message_row = app.scenario.messages.len().saturating_sub(1);
                    }
                    Vec::new()
                }
                (Err(e), _) | (_, Err(e)) => keep_open(app, form, format!("{e}.")),
            }
        }
        FormPurpose::EditField(field) => match field_edit(app, field, form.value(0)) {
            Ok(e) => {
                if let Some(live) = app.live.take() {
                    // Typing applied it live; commit it against the state before typing.
                    set_live_tscn(app, live.connector, live.original);
                    app.report = live.base_report;
                }
                apply_edit(app, e);
                Vec::new()
            }
            Err(e) => keep_open(app, form, format!("{e}.")),
        },
        FormPurpose::SaveScenario | FormPurpose::SaveReport => {
            let path = form.value(0).trim().to_string();
            if path.is_empty() {
                return keep_open(app, form, "Type a file name.".into());
            }
            vec![Effect::Save {
                purpose: form.purpose.clone(),
                path: expand_home(&path),
                overwrite: false,
            }]
        }
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

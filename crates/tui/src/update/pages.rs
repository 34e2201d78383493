//! The page keys of steps 1, 2 and 4: certificates, accepted domains and test messages
//! (adding, removing, selecting, toggling), and the forms they open.

use super::history::commit_one;
use crate::app::{App, FieldId, Focus, Form, FormPurpose, Modal, Tab};
use relaycheck_core::model::DomainType;
use relaycheck_core::model::edit::Edit;

pub fn add(app: &mut App) {
    let form = match app.tab {
        Tab::Certificate => Form::new(
            "Add certificates (a .pem/.cer/.crt/.der/.pfx file, or a folder)",
            FormPurpose::AddCertificate,
            &[(FieldId::Path, "Path", "")],
        ),
        Tab::Domains => Form::new(
            "Add an accepted domain",
            FormPurpose::AddDomain,
            &[
                (FieldId::Domain, "Domain", ""),
                (FieldId::Verified, "Verified (yes/no)", "yes"),
            ],
        ),
        Tab::MailFlow => {
            if let Some(why) = crate::lesson::fixed_messages(app) {
                app.status = Some(why);
                return;
            }
            let d = app
                .scenario
                .default_domain()
                .map_or("contoso.com".to_string(), |d| d.to_string());
            Form::new(
                "Add a message",
                FormPurpose::AddMessage,
                &[
                    (FieldId::Name, "Name", ""),
                    (
                        FieldId::MailFrom,
                        "MAIL FROM (empty for an NDR)",
                        &format!("user@{d}"),
                    ),
                    (FieldId::RcptTo, "RCPT TO", "someone@tailspintoys.com"),
                ],
            )
        }
        _ => return,
    };
    app.modal = Some(Modal::Form(form));
}

pub fn remove(app: &mut App) {
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
    commit_one(app, e);
}

pub fn activate(app: &mut App) {
    match app.tab {
        Tab::Certificate if app.cert_row < app.scenario.certificates.len() => {
            commit_one(app, Edit::SelectCertificate(app.cert_row));
        }
        Tab::Connector => {
            if app.focus == Focus::Findings {
                super::history::apply_fix(app);
            } else {
                super::connector::edit_field(app);
            }
        }
        Tab::MailFlow => edit_message(app),
        Tab::Domains if app.focus == Focus::Findings => super::history::apply_fix(app),
        _ => {}
    }
}

/// Enter on a message: its form; in a lesson only the envelope sender of a message the
/// lesson lets the learner change, and nothing for the others.
fn edit_message(app: &mut App) {
    let i = app.message_row;
    let Some(m) = app.scenario.messages.get(i) else {
        return;
    };
    let form = match &app.lesson {
        Some(state) if state.editable_senders.contains(&i) => Form::new(
            format!("The envelope sender of \"{}\"", m.title()),
            FormPurpose::EditSender(i),
            &[(
                FieldId::MailFrom,
                "MAIL FROM (empty for an NDR)",
                m.mail_from.as_text(),
            )],
        ),
        Some(_) => {
            app.status = crate::lesson::fixed_messages(app);
            return;
        }
        None => Form::new(
            "Edit the message",
            FormPurpose::EditMessage(i),
            &[
                (FieldId::Name, "Name", m.name.as_deref().unwrap_or("")),
                (
                    FieldId::MailFrom,
                    "MAIL FROM (empty for an NDR)",
                    m.mail_from.as_text(),
                ),
                (FieldId::RcptTo, "RCPT TO", m.rcpt_to.as_str()),
            ],
        ),
    };
    app.modal = Some(Modal::Form(form));
}

pub fn toggle_verified(app: &mut App) {
    if let Some(d) = app.scenario.tenant.accepted_domains().get(app.domain_row) {
        let domain = d.domain.clone();
        let e = if d.verified {
            Edit::UnverifyDomain(domain)
        } else {
            Edit::VerifyDomain(domain)
        };
        commit_one(app, e);
    }
}

pub fn cycle_type(app: &mut App) {
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
        commit_one(app, e);
    }
}

pub fn set_default(app: &mut App) {
    if let Some(d) = app.scenario.tenant.accepted_domains().get(app.domain_row) {
        let e = Edit::SetDefaultDomain(d.domain.clone());
        commit_one(app, e);
    }
}

pub fn generate_form(app: &mut App) {
    let cn = app
        .scenario
        .own_domain()
        .map_or_else(|| "mail.contoso.com".to_string(), |d| format!("mail.{d}"));
    app.modal = Some(Modal::Form(Form::new(
        "Generate a lab certificate",
        FormPurpose::GenerateCertificate,
        &[
            (FieldId::Cn, "CN", cn.as_str()),
            (FieldId::Sans, "SANs (comma-separated)", cn.as_str()),
            (FieldId::ValidFrom, "Valid from (-30d, or a date)", "-30d"),
            (
                FieldId::ValidUntil,
                "Valid until (+365d, or a date)",
                "+365d",
            ),
            (FieldId::Issuer, "Issuer (lab-ca or self)", "lab-ca"),
            (
                FieldId::KeyType,
                "Key (ecdsa-p256, rsa2048, rsa1024)",
                "ecdsa-p256",
            ),
        ],
    )));
}

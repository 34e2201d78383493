//! Step 3: the inbound connector's fields (toggled, or typed in a form with a live verdict),
//! TlsSenderCertificateName typed live (applied at every key without copying the scenario,
//! committed on Enter, put back on Esc), the choices list, the host/wildcard switch, and
//! adding or moving between connectors.

use super::Effect;
use super::history::commit_one;
use crate::app::{App, Changes, Choices, Field, FieldId, Form, FormPurpose, LiveEdit, Modal};
use crate::keymap::Action;
use relaycheck_core::facts::TscnState;
use relaycheck_core::model::edit::Edit;
use relaycheck_core::model::{ConnectorType, InboundConnector, IpRange};
use relaycheck_core::names::{self, DnsName, Tscn};

pub fn connector_ref(app: &App) -> Option<String> {
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

/// Enter on a field: toggles and cycles apply at once; typed fields open a form.
pub fn edit_field(app: &mut App) {
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
        commit_one(app, e);
        return;
    }
    let value = field_text(app, field);
    let mut form = Form::new(
        format!("Edit {}", field.label()),
        FormPurpose::EditField(field),
        &[(FieldId::Value, field.label(), value.as_str())],
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

fn parse_ips(text: &str) -> Result<Vec<IpRange>, String> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<IpRange>())
        .collect()
}

/// The edit a typed connector value stands for, or why it cannot be one.
pub fn field_edit(app: &App, field: Field, value: &str) -> Result<Edit, String> {
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

/// The live verdict on a typed connector value.
pub fn field_note(app: &App, field: Field, value: &str) -> Option<(bool, String)> {
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

/// Sets a connector's TlsSenderCertificateName outside the history (live typing).
fn set_live_tscn(app: &mut App, connector: usize, value: Option<String>) {
    if let Some(c) = app.scenario.inbound_connectors.get_mut(connector) {
        c.tls_sender_certificate_name = value.filter(|v| !v.trim().is_empty());
    }
}

/// Re-validates on every keystroke while TlsSenderCertificateName is typed: the value is
/// set in place (no copy of the scenario), the history only gets it on Enter.
pub fn live_tscn(app: &mut App, value: &str) {
    let Some(live) = &app.live else {
        return;
    };
    let connector = live.connector;
    set_live_tscn(app, connector, Some(value.trim().to_string()));
    // Each key re-checks at once; the plan is made again on Enter (docs/performance.md).
    if let Some(live) = &app.live {
        app.report = relaycheck_core::report::validate_while_typing(
            &app.scenario,
            app.now,
            &live.base_report,
        );
        app.changes = Some(Changes::between(
            format!("typing TlsSenderCertificateName \"{value}\""),
            &live.base_report,
            &app.report,
        ));
    }
}

/// Puts back the value from before typing (Esc, or just before the commit on Enter).
pub fn end_live(app: &mut App) -> bool {
    match app.live.take() {
        Some(live) => {
            set_live_tscn(app, live.connector, live.original);
            app.report = live.base_report;
            true
        }
        None => false,
    }
}

pub fn open_choices(app: &mut App) {
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

/// Keys in the choices list.
pub fn on_choices(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(Modal::Choices(mut ch)) = app.modal.take() else {
        return Vec::new();
    };
    let last = ch.items.len().saturating_sub(1);
    let page = crate::view::visible_lines(app).max(2) / 2;
    match action {
        Action::Cancel => return Vec::new(),
        Action::Up => ch.selected = ch.selected.saturating_sub(1),
        Action::Down => ch.selected = (ch.selected + 1).min(last),
        Action::PageUp => ch.selected = ch.selected.saturating_sub(page),
        Action::PageDown => ch.selected = (ch.selected + page).min(last),
        Action::Choose => {
            if let Some((value, _)) = ch.items.get(ch.selected) {
                let e = Edit::SetTlsSenderCertificateName {
                    connector: connector_ref(app),
                    value: Some(value.clone()),
                };
                commit_one(app, e);
            }
            return Vec::new();
        }
        _ => {}
    }
    app.modal = Some(Modal::Choices(ch));
    Vec::new()
}

pub fn toggle_wildcard(app: &mut App) {
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
    commit_one(app, e);
}

pub fn next_connector(app: &mut App) {
    let n = app.scenario.inbound_connectors.len();
    if n > 0 {
        app.connector = (app.connector + 1) % n;
    }
}

pub fn new_connector(app: &mut App) {
    let n = app.scenario.inbound_connectors.len();
    let mut c = InboundConnector::new(if n == 0 {
        relaycheck_core::action::NEW_CONNECTOR.to_string()
    } else {
        format!("{} {}", relaycheck_core::action::NEW_CONNECTOR, n + 1)
    });
    c.tls_sender_certificate_name = app.report.recommended_tscn.clone();
    if commit_one(app, Edit::AddConnector(c)) {
        app.connector = app.scenario.inbound_connectors.len().saturating_sub(1);
    }
}

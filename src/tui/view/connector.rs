//! Step 3, Connector: the inbound connector as a form, plus the organisation FQDN and the
//! on-premises IP, with TlsSenderCertificateName checked against the certificate and tenant.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::findings;
use super::widgets::{page_split, pane};
use crate::facts::TscnState;
use crate::tui::app::{App, Field, Focus};

fn yes_no(b: bool) -> &'static str {
    if b { "$true" } else { "$false" }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let (top, bottom) = page_split(area, app.page_findings().len());
    let connectors = &app.scenario.inbound_connectors;
    let title = match connectors.len() {
        0 => "Inbound connector: none".to_string(),
        1 => "Inbound connector".to_string(),
        n => format!("Inbound connector {} of {n} (] next)", app.connector + 1),
    };
    let block = pane(app, &title, app.focus == Focus::Main);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let c = connectors.get(app.connector);
    let fact = app.report.facts.connectors.get(app.connector);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0usize;
    if c.is_none() {
        lines.push(Line::styled(
            "No inbound connector exists: press n to create one, or f to apply the fix.",
            app.theme.warn,
        ));
    }
    for (i, f) in Field::ALL.iter().enumerate() {
        if *f == Field::OrganizationFqdn {
            lines.push(Line::styled("On-premises", app.theme.title));
        }
        let value: (String, Option<(bool, String)>) = match (f, c) {
            (Field::Name, Some(c)) => (c.name.clone(), None),
            (Field::Enabled, Some(c)) => (yes_no(c.enabled).into(), None),
            (Field::ConnectorType, Some(c)) => (c.connector_type.to_string(), None),
            (Field::Tscn, Some(c)) => {
                let state = fact.map(|f| &f.tscn);
                let note = match state {
                    Some(TscnState::Unset) | None => (false, "no certificate identity".to_string()),
                    Some(TscnState::Invalid { .. }) => (false, "invalid".to_string()),
                    Some(TscnState::Valid {
                        on_certificate,
                        domain,
                        ..
                    }) => {
                        let on_cert = *on_certificate == Some(true);
                        let verified = *domain == crate::model::DomainStatus::Verified;
                        match (on_cert, verified) {
                            (true, true) => (true, "on the certificate; domain verified".into()),
                            (false, true) => (false, "not on the certificate".into()),
                            (true, false) => (false, "domain not verified".into()),
                            (false, false) => {
                                (false, "not on the certificate; domain not verified".into())
                            }
                        }
                    }
                };
                (
                    c.tscn_text()
                        .map_or("(none: IP-based only)".to_string(), str::to_string),
                    Some(note),
                )
            }
            (Field::RequireTls, Some(c)) => (yes_no(c.require_tls).into(), None),
            (Field::CloudServicesMailEnabled, Some(c)) => {
                (yes_no(c.cloud_services_mail_enabled).into(), None)
            }
            (Field::SenderIps, Some(c)) => (
                if c.sender_ip_addresses.is_empty() {
                    "(none)".to_string()
                } else {
                    c.sender_ip_addresses
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                None,
            ),
            (Field::OrganizationFqdn, _) => {
                let fqdn = app.scenario.on_premises.organization_fqdn.as_ref();
                let note = app.report.facts.organization_fqdn_on_certificate.map(|on| {
                    if on {
                        (true, "on the certificate".to_string())
                    } else {
                        (false, "NOT on the certificate".to_string())
                    }
                });
                (
                    fqdn.map_or("(not set)".to_string(), ToString::to_string),
                    note,
                )
            }
            (Field::OnPremisesIp, _) => (
                app.scenario
                    .on_premises
                    .ip
                    .map_or("(not set: assumed in SenderIPAddresses)".to_string(), |i| {
                        i.to_string()
                    }),
                None,
            ),
            (_, None) => ("—".into(), None),
        };
        let selected = app.focus == Focus::Main && app.field == i;
        if selected {
            selected_line = lines.len();
        }
        let label_style = if selected {
            app.theme.selected
        } else {
            app.theme.dim
        };
        lines.push(Line::from(vec![
            Span::styled(if selected { "▶ " } else { "  " }, app.theme.title),
            Span::styled(format!("{:<25}", f.label()), label_style),
            Span::styled(value.0, app.theme.text),
        ]));
        if let Some((ok, note)) = value.1 {
            let (mark, style) = if ok {
                ("✓", app.theme.ok)
            } else {
                ("✗", app.theme.error)
            };
            lines.push(Line::styled(format!("{:27}{mark} {note}", ""), style));
        }
    }
    lines.push(Line::raw(""));
    match app.report.hcw() {
        Some(h) => lines.push(Line::from(vec![
            Span::styled("HCW would write ", app.theme.dim),
            Span::styled(h.tls_sender_certificate_name.clone(), app.theme.code),
            Span::styled(
                if h.warning.is_some() {
                    "  and warn HCW8103"
                } else {
                    "  without warning"
                },
                if h.warning.is_some() {
                    app.theme.warn
                } else {
                    app.theme.ok
                },
            ),
        ])),
        None => lines.push(Line::styled(
            "HCW: the certificate has no name to write.",
            app.theme.dim,
        )),
    }
    if let Some(r) = &app.report.recommended_tscn {
        lines.push(Line::from(vec![
            Span::styled("Recommended ", app.theme.dim),
            Span::styled(r.clone(), app.theme.code),
            Span::styled("  (c: choices, w: host ↔ wildcard)", app.theme.dim),
        ]));
    }
    // Keep the highlighted field in view on small terminals.
    let height = usize::from(inner.height);
    let offset = (selected_line + 2).saturating_sub(height);
    let offset = u16::try_from(offset).unwrap_or(0);
    frame.render_widget(Paragraph::new(lines).scroll((offset, 0)), inner);
    findings::draw(app, frame, bottom);
}

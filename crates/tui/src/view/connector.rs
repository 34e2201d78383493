//! Step 3, Connector: the inbound connector as a form, plus the organisation FQDN and the
//! on-premises IP, with TlsSenderCertificateName judged against the certificate and tenant
//! (from the report's facts), and what HCW would write and what relaycheck recommends
//! always in view below the form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::findings;
use super::widgets::{Claim, follow, pane, scroll_pane, share, wrap_line};
use crate::app::{App, Field, Focus};
use relaycheck_core::facts::TscnState;
use relaycheck_core::model::DomainStatus;

fn yes_no(b: bool) -> &'static str {
    if b { "$true" } else { "$false" }
}

/// What the report says about the connector's TlsSenderCertificateName, in a few words.
fn tscn_note(state: Option<&TscnState>) -> (bool, String) {
    match state {
        Some(TscnState::Unset) | None => (false, "no certificate identity".to_string()),
        Some(TscnState::Invalid { .. }) => (false, "invalid".to_string()),
        Some(TscnState::Valid {
            on_certificate,
            domain,
            ..
        }) => {
            let cert = match on_certificate {
                Some(true) => None,
                Some(false) => Some("not on the certificate"),
                None => Some("no certificate selected"),
            };
            let domain = match domain {
                DomainStatus::Verified => None,
                DomainStatus::Unverified => Some("domain pending verification"),
                DomainStatus::Absent => Some("domain not in the tenant"),
            };
            match (cert, domain) {
                (None, None) => (true, "on the certificate; domain verified".into()),
                (Some(c), None) => (false, c.to_string()),
                (None, Some(d)) => (false, d.to_string()),
                (Some(c), Some(d)) => (false, format!("{c}; {d}")),
            }
        }
    }
}

/// The form's lines at this width, and the lines of the highlighted field.
fn form_lines(app: &App, width: usize) -> (Vec<Line<'static>>, (usize, usize)) {
    let connectors = &app.scenario.inbound_connectors;
    let c = connectors.get(app.connector);
    let fact = app.report.facts.connectors.get(app.connector);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected = (0, 0);
    if c.is_none() {
        lines.extend(wrap_line(
            &Line::styled(
                "No inbound connector exists: press n to create one, or f to apply the fix.",
                app.theme.warn,
            ),
            width,
            0,
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
            (Field::Tscn, Some(c)) => (
                c.tscn_text()
                    .map_or("(none: IP-based only)".to_string(), str::to_string),
                Some(tscn_note(fact.map(|f| &f.tscn))),
            ),
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
        let is_selected = app.focus == Focus::Main && app.field == i;
        let start = lines.len();
        let label_style = if is_selected {
            app.theme.selected
        } else {
            app.theme.dim
        };
        let line = Line::from(vec![
            Span::styled(if is_selected { "▶ " } else { "  " }, app.theme.title),
            Span::styled(format!("{:<25}", f.label()), label_style),
            Span::styled(value.0, app.theme.text),
        ]);
        lines.extend(wrap_line(&line, width, 26));
        if *f == Field::SenderIps
            && let Some(fact) = fact
        {
            // Each entry Exchange Online refuses, with Microsoft's reason: it never matches.
            for (ip, why) in &fact.refused_ip_addresses {
                lines.extend(wrap_line(
                    &Line::styled(
                        format!("{:27}✗ {ip} is refused: {why}; it never matches", ""),
                        app.theme.error,
                    ),
                    width,
                    2,
                ));
            }
        }
        if let Some((ok, note)) = value.1 {
            let (mark, style) = if ok {
                ("✓", app.theme.ok)
            } else {
                ("✗", app.theme.error)
            };
            lines.extend(wrap_line(
                &Line::styled(format!("{:27}{mark} {note}", ""), style),
                width,
                2,
            ));
        }
        if is_selected {
            selected = (start, lines.len());
        }
    }
    (lines, selected)
}

/// "HCW would write … / Recommended …", from the report.
fn hcw_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let line = match app.report.hcw() {
        Some(h) => Line::from(vec![
            Span::styled(" HCW would write ", app.theme.dim),
            Span::styled(h.tls_sender_certificate_name.clone(), app.theme.code),
            if h.warning.is_some() {
                Span::styled("  ! and warn HCW8103", app.theme.warn)
            } else {
                Span::styled("  ✓ without warning", app.theme.ok)
            },
        ]),
        None => Line::styled(" HCW: the certificate has no name to write.", app.theme.dim),
    };
    lines.extend(wrap_line(&line, width, 3));
    if let Some(r) = &app.report.recommended_tscn {
        let line = Line::from(vec![
            Span::styled(" Recommended ", app.theme.dim),
            Span::styled(r.clone(), app.theme.code),
            Span::styled("  (c: choices, w: host ↔ wildcard)", app.theme.dim),
        ]);
        lines.extend(wrap_line(&line, width, 3));
    }
    lines
}

/// The form's lines with the highlighted field's, the HCW lines, the findings: each made
/// once a frame (the layout needs their number, then they draw).
struct Parts {
    form: (Vec<Line<'static>>, (usize, usize)),
    hcw: Vec<Line<'static>>,
    found: findings::Pane,
}

impl Parts {
    fn new(app: &App, area: Rect) -> Parts {
        let w = usize::from(area.width);
        Parts {
            form: form_lines(app, w.saturating_sub(2)),
            hcw: hcw_lines(app, w),
            found: findings::Pane::new(app, area.width),
        }
    }
}

fn layout(area: Rect, parts: &Parts) -> Vec<Rect> {
    let form = u16::try_from(parts.form.0.len()).unwrap_or(u16::MAX);
    let hcw = u16::try_from(parts.hcw.len()).unwrap_or(u16::MAX);
    share(
        area,
        &[
            Claim {
                want: form.saturating_add(2),
                min: 5,
                grow: true,
            },
            Claim {
                want: hcw,
                min: hcw,
                grow: false,
            },
            parts.found.claim(),
        ],
    )
}

/// The panes that take the cursor: the form and the findings.
pub fn panes(app: &App, area: Rect) -> Vec<(Focus, Rect)> {
    let r = layout(area, &Parts::new(app, area));
    vec![(Focus::Main, r[0]), (Focus::Findings, r[2])]
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let parts = Parts::new(app, area);
    let r = layout(area, &parts);
    let (form_area, hcw_area, findings_area) = (r[0], r[1], r[2]);
    let connectors = &app.scenario.inbound_connectors;
    let title = match connectors.len() {
        0 => "Inbound connector: none".to_string(),
        1 => "Inbound connector".to_string(),
        n => format!("Inbound connector {} of {n} (] next)", app.connector + 1),
    };
    let block = pane(app, &title, app.focus == Focus::Main);
    let Parts { form, hcw, found } = parts;
    let (lines, (start, end)) = form;
    // Keep the highlighted field in view on small terminals.
    let offset = follow(start, end, usize::from(form_area.height.saturating_sub(2)));
    scroll_pane(app, frame, form_area, block, lines, offset);
    frame.render_widget(Paragraph::new(hcw), hcw_area);
    found.draw(app, frame, findings_area);
}

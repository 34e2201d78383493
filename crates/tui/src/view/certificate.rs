//! Step 1, Certificate (HCW's Transport Certificate page): the candidate certificates, which
//! one the server presents, whether HCW would list it, and every detail of the highlighted
//! one. Only the rows in view are built, so a list of 10,000 certificates draws as fast as
//! one of ten.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use time::OffsetDateTime;

use super::findings;
use super::widgets::{Claim, field, fit, marks, pane, scroll_pane, share, window};
use crate::app::{App, Focus};
use relaycheck_core::cert::PrivateKeyStatus;

fn date(t: OffsetDateTime) -> String {
    relaycheck_core::when::date(t)
}

fn first_cn(dn: &str) -> String {
    dn.split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .unwrap_or(dn)
        .to_string()
}

fn days(n: i64) -> String {
    if n == 1 || n == -1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// The page's panes: the list, the details, the findings.
pub fn panes(app: &App, area: Rect) -> Vec<(Focus, Rect)> {
    let details = details_lines(app, usize::from(area.width.saturating_sub(2)));
    layout(
        app,
        area,
        details.len(),
        &findings::Pane::new(app, area.width),
    )
}

/// The panes, given how many detail lines there are and the findings pane.
fn layout(app: &App, area: Rect, details: usize, found: &findings::Pane) -> Vec<(Focus, Rect)> {
    let n = u16::try_from(app.scenario.certificates.len()).unwrap_or(u16::MAX);
    let list = Claim {
        want: n.max(1).saturating_add(3),
        min: (n.max(1) + 3).min(6),
        grow: true,
    };
    let details = u16::try_from(details).unwrap_or(u16::MAX);
    let details = Claim {
        want: details.saturating_add(2),
        min: 4,
        grow: false,
    };
    let r = share(area, &[list, details, found.claim()]);
    vec![
        (Focus::Main, r[0]),
        (Focus::Details, r[1]),
        (Focus::Findings, r[2]),
    ]
}

pub fn details_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(e) = app.scenario.certificates.get(app.cert_row) else {
        return Vec::new();
    };
    let c = &e.facts;
    let w = u16::try_from(width).unwrap_or(u16::MAX);
    let key = match &c.private_key {
        PrivateKeyStatus::NotSupplied => "not in the file".to_string(),
        PrivateKeyStatus::Matches => "present, belongs to it".to_string(),
        PrivateKeyStatus::DoesNotMatch => "present, belongs to ANOTHER certificate".to_string(),
        PrivateKeyStatus::Unreadable(why) => format!("unreadable: {why}"),
        PrivateKeyStatus::Unverifiable(why) => why.clone(),
    };
    let sans = if c.dns_sans.is_empty() {
        "(none)".to_string()
    } else {
        c.dns_sans.join(", ")
    };
    let eku = if c.extended_key_usages.is_empty() {
        "(any)".to_string()
    } else {
        c.extended_key_usages.join(", ")
    };
    let left = c.days_left(app.now);
    let valid = format!(
        "{} → {} ({})",
        date(c.not_before),
        date(c.not_after),
        if left < 0 {
            format!("expired {} ago", days(-left))
        } else {
            format!("{} left", days(left))
        }
    );
    let client_auth = if c.allows_client_auth() {
        "allowed (its EKU lists Client Authentication, or it has no EKU)".to_string()
    } else {
        "not in its EKU: the server presents it as a TLS client certificate; Microsoft has not said whether Exchange Online requires it (public CAs drop it in 2026)".to_string()
    };
    let chain_state = app
        .report
        .facts
        .chains
        .get(app.cert_row)
        .map_or_else(String::new, relaycheck_core::facts::ChainState::words);
    let mut rows: Vec<(&str, String)> = vec![
        ("Subject", c.subject.clone()),
        ("SANs", sans),
        ("Issuer", c.issuer.clone()),
        ("Valid", valid),
        ("Key", format!("{} · signature {}", c.key, c.signature.name)),
        ("Thumbprint", c.thumbprint.clone()),
        ("EKU", eku),
        ("Client auth", client_auth),
        ("Private key", key),
        ("<I>…<S>…", c.tls_certificate_name()),
        (
            "Chain",
            if c.chain.is_empty() {
                "(leaf only)".to_string()
            } else {
                c.chain.join(" ← ")
            },
        ),
        ("Chain state", chain_state),
        ("Source", c.source.clone()),
    ];
    rows.extend(onprem_rows(app));
    rows.into_iter()
        .flat_map(|(label, value)| field(app, label, &value, 11, w))
        .collect()
}

/// What the on-premises side holds, when it is known: the highlighted certificate on each
/// transport server, and what each relay send connector presents and where it sends.
fn onprem_rows(app: &App) -> Vec<(&'static str, String)> {
    use relaycheck_core::facts::onprem::Holding;
    let onprem = &app.report.facts.onprem;
    let mut rows = Vec::new();
    if let Some(holdings) = onprem
        .candidates_on_servers
        .get(app.cert_row)
        .filter(|h| !h.is_empty())
    {
        let words: Vec<String> = holdings
            .iter()
            .map(|h| {
                let server =
                    relaycheck_core::text::excerpt(&h.server, relaycheck_core::text::ECHO_MAX);
                match (&h.holding, h.words()) {
                    (_, Some(w)) => w,
                    (Holding::Present { .. }, None) => format!("on {server}"),
                    (_, None) => format!("{server}: not known"),
                }
            })
            .collect();
        rows.push(("On servers", words.join(", ")));
    }
    for (_, sc) in onprem.relay_connectors() {
        let hosts = if sc.smart_hosts.is_empty() {
            "no smart host".to_string()
        } else {
            sc.smart_hosts
                .iter()
                .map(|h| {
                    let host =
                        relaycheck_core::text::excerpt(&h.host, relaycheck_core::text::ECHO_MAX);
                    match h.kind {
                        relaycheck_core::facts::onprem::SmartHostKind::ExchangeOnline => {
                            format!("{host} (Exchange Online)")
                        }
                        relaycheck_core::facts::onprem::SmartHostKind::MicrosoftLegacy => {
                            format!("{host} (legacy: ATTR35)")
                        }
                        relaycheck_core::facts::onprem::SmartHostKind::Other => host.into_owned(),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        rows.push((
            "Sent by",
            format!(
                "{}: presents {}; smart hosts {hosts}",
                relaycheck_core::text::quoted(&sc.name),
                sc.presents.words()
            ),
        ));
    }
    rows
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    // Each pane's lines are made once a frame: the layout needs their number, then they draw.
    let details = details_lines(app, usize::from(area.width.saturating_sub(2)));
    let found = findings::Pane::new(app, area.width);
    let panes = layout(app, area, details.len(), &found);
    let (list_area, details_area, findings_area) = (panes[0].1, panes[1].1, panes[2].1);
    let certs = &app.scenario.certificates;
    if certs.is_empty() {
        let p = Paragraph::new(vec![
            Line::raw("No certificate. Press a to add a .pem/.cer/.pfx file or a folder,"),
            Line::raw("or g to generate a lab certificate."),
        ])
        .block(pane(app, "Certificates", true));
        frame.render_widget(p, list_area);
    } else {
        let block = pane(
            app,
            "Certificates (Enter: the server presents it)",
            app.focus == Focus::Main,
        );
        let inner = block.inner(list_area);
        let visible = usize::from(inner.height.saturating_sub(1));
        let first = window(app.cert_row, certs.len(), visible);
        let constraints = [
            Constraint::Length(2),
            Constraint::Fill(5),
            Constraint::Length(9),
            Constraint::Fill(2),
            Constraint::Length(16),
        ];
        let widths: Vec<usize> = Layout::horizontal(constraints)
            .spacing(1)
            .split(Rect::new(0, 0, inner.width, 1))
            .iter()
            .map(|r| usize::from(r.width))
            .collect();
        let rows: Vec<Row> = certs
            .iter()
            .enumerate()
            .skip(first)
            .take(visible)
            .map(|(i, e)| {
                let c = &e.facts;
                let presented = app.scenario.selected_certificate == Some(i);
                let left = c.days_left(app.now);
                let expiry = if left < 0 {
                    "expired".to_string()
                } else {
                    format!("{left} d")
                };
                let servers = app.report.facts.onprem.not_listed_because(i);
                let hcw = match app.report.facts.certificates.get(i) {
                    Some(Ok(())) if servers.is_empty() => "yes".to_string(),
                    Some(Ok(())) => format!("no: {}", servers.join(", ")),
                    Some(Err(why)) => format!("no: {}", why.words()),
                    None => String::new(),
                };
                let style = if i == app.cert_row && app.focus == Focus::Main {
                    app.theme.selected
                } else {
                    app.theme.text
                };
                Row::new(vec![
                    Cell::from(if presented { "● " } else { "  " }),
                    Cell::from(fit(&c.display_name(), widths[1])),
                    Cell::from(fit(&expiry, widths[2])),
                    Cell::from(fit(&first_cn(&c.issuer), widths[3])),
                    Cell::from(fit(&hcw, widths[4])),
                ])
                .style(style)
            })
            .collect();
        let below = certs.len().saturating_sub(first + visible);
        let block = marks(app, block, first, below);
        let table = Table::new(rows, constraints)
            .header(
                Row::new(vec!["", "Certificate", "Expires", "Issuer", "HCW lists it"])
                    .style(app.theme.dim),
            )
            .block(block);
        frame.render_widget(table, list_area);
    }
    scroll_pane(
        app,
        frame,
        details_area,
        pane(app, "Details", app.focus == Focus::Details),
        details,
        usize::from(app.details_scroll),
    );
    found.draw(app, frame, findings_area);
}

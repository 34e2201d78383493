//! Step 1, Certificate (HCW's Transport Certificate page): the candidate certificates, which
//! one the server presents, whether HCW would list it, and every detail of the highlighted one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use time::OffsetDateTime;

use super::findings;
use super::widgets::{field, page_split, pane};
use crate::cert::PrivateKeyStatus;
use crate::tui::app::{App, Focus};

fn date(t: OffsetDateTime) -> String {
    crate::when::date(t)
}

fn first_cn(dn: &str) -> String {
    dn.split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .unwrap_or(dn)
        .to_string()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let (top, bottom) = page_split(area, app.page_findings().len());
    let certs = &app.scenario.certificates;
    let list_height = (certs.len() as u16 + 3).clamp(4, top.height / 2);
    let [list_area, details_area] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(top);

    let block = pane(
        app,
        "Certificates (Enter: the server presents it)",
        app.focus == Focus::Main,
    );
    let rows: Vec<Row> = certs
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let c = &e.facts;
            let presented = app.scenario.selected_certificate == Some(i);
            let days = c.days_left(app.now);
            let expiry = if days < 0 {
                "expired".to_string()
            } else {
                format!("{days} d")
            };
            let hcw = match app.report.facts.certificates.get(i) {
                Some(Ok(())) => "yes".to_string(),
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
                Cell::from(c.display_name()),
                Cell::from(expiry),
                Cell::from(first_cn(&c.issuer)),
                Cell::from(hcw),
            ])
            .style(style)
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(2),
            Constraint::Fill(5),
            Constraint::Length(8),
            Constraint::Fill(2),
            Constraint::Length(14),
        ],
    )
    .header(
        Row::new(vec!["", "Certificate", "Expires", "Issuer", "HCW lists it"]).style(app.theme.dim),
    )
    .block(block);
    if certs.is_empty() {
        let p = Paragraph::new(vec![
            Line::raw("No certificate. Press a to add a .pem/.cer/.pfx file or a folder,"),
            Line::raw("or g to generate a lab certificate."),
        ])
        .block(pane(app, "Certificates", true));
        frame.render_widget(p, list_area);
    } else {
        frame.render_widget(table, list_area);
    }

    let details = pane(app, "Details", false);
    let inner = details.inner(details_area);
    frame.render_widget(details, details_area);
    if let Some(e) = certs.get(app.cert_row) {
        let c = &e.facts;
        let w = inner.width;
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
        let valid = format!(
            "{} → {} ({} days left)",
            date(c.not_before),
            date(c.not_after),
            c.days_left(app.now)
        );
        let rows: Vec<(&str, String)> = vec![
            ("Subject", c.subject.clone()),
            ("SANs", sans),
            ("Issuer", c.issuer.clone()),
            ("Valid", valid),
            ("Key", format!("{} · signature {}", c.key, c.signature.name)),
            ("Thumbprint", c.thumbprint.clone()),
            ("EKU", eku),
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
            ("Source", c.source.clone()),
        ];
        let mut lines: Vec<Line> = Vec::new();
        for (label, value) in rows {
            lines.extend(field(app, label, &value, 11, w));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
    findings::draw(app, frame, bottom);
}

//! Step 4, Mail flow: each message, what Exchange Online does with it, the exact SMTP reply
//! and the path that decided it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::widgets::{field, field_styled, pane};
use crate::relay::{DecidedBy, MatchedBy, Outcome};
use crate::tui::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let flow = &app.report.mail_flow;
    let list_height = (flow.len() as u16 + 3).clamp(5, area.height / 2);
    let [list_area, details_area] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(area);
    let rows: Vec<Row> = flow
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (mark, style) = match m.outcome {
                Outcome::Relayed => ("✓ relayed", app.theme.ok),
                Outcome::Delivered => ("✓ delivered", app.theme.ok),
                Outcome::Rejected => ("✗ rejected", app.theme.error),
            };
            let path = match m.decided_by {
                DecidedBy::None => "none".to_string(),
                d => d.as_str().to_string(),
            };
            let row_style = if i == app.message_row {
                app.theme.selected
            } else {
                app.theme.text
            };
            Row::new(vec![
                Cell::from(Span::styled(mark, style)),
                Cell::from(m.name.clone()),
                Cell::from(path),
            ])
            .style(row_style)
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(12),
            Constraint::Fill(1),
            Constraint::Length(17),
        ],
    )
    .header(Row::new(vec!["Outcome", "Message", "Decided by"]).style(app.theme.dim))
    .block(pane(
        app,
        "Messages from on-premises (a add, Enter edit, x delete)",
        true,
    ));
    frame.render_widget(table, list_area);

    let block = pane(app, "What Exchange Online does", false);
    let inner = block.inner(details_area);
    frame.render_widget(block, details_area);
    if let Some(m) = flow.get(app.message_row) {
        let from = if m.mail_from.is_empty() {
            "<> (null sender: an NDR)".to_string()
        } else {
            m.mail_from.clone()
        };
        let via = match (m.matched_by, &m.connector) {
            (MatchedBy::Certificate, Some(c)) => {
                format!("inbound connector \"{c}\", matched by certificate")
            }
            (MatchedBy::Ip, Some(c)) => format!("inbound connector \"{c}\", matched by IP address"),
            _ => "no inbound connector".to_string(),
        };
        let reply_style = if m.outcome == Outcome::Rejected {
            app.theme.error
        } else {
            app.theme.ok
        };
        let w = inner.width;
        let mut lines = field(app, "MAIL FROM", &from, 9, w);
        lines.extend(field(app, "RCPT TO", &m.rcpt_to, 9, w));
        lines.extend(field_styled(app, "Reply", &m.reply, 9, w, reply_style));
        lines.extend(field(app, "Connector", &via, 9, w));
        lines.extend(field(app, "Why", &m.explanation, 9, w));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

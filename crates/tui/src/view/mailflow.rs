//! Step 4, Mail flow: each message, what Exchange Online does with it, the exact SMTP reply
//! and the path that decided it. Only the rows in view are built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::widgets::{Claim, field, field_styled, fit, marks, pane, scroll_pane, share, window};
use crate::app::{App, Focus};
use relaycheck_core::relay::{MatchedBy, Outcome};

pub fn panes(app: &App, area: Rect) -> Vec<(Focus, Rect)> {
    let n = app.report.mail_flow.len() as u16;
    let details = details_lines(app, usize::from(area.width.saturating_sub(2))).len() as u16;
    let r = share(
        area,
        &[
            Claim {
                want: n.max(1).saturating_add(3),
                min: (n.max(1) + 3).min(6),
                grow: false,
            },
            Claim {
                want: details + 2,
                min: 4,
                grow: true,
            },
        ],
    );
    vec![(Focus::Main, r[0]), (Focus::Details, r[1])]
}

pub fn details_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(m) = app.report.mail_flow.get(app.message_row) else {
        return Vec::new();
    };
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
    let w = u16::try_from(width).unwrap_or(u16::MAX);
    let mut lines = field(app, "MAIL FROM", &from, 9, w);
    lines.extend(field(app, "RCPT TO", &m.rcpt_to, 9, w));
    lines.extend(field_styled(app, "Reply", &m.reply, 9, w, reply_style));
    lines.extend(field(app, "Connector", &via, 9, w));
    lines.extend(field(app, "Decided", m.decided_by_words(), 9, w));
    lines.extend(field(app, "Why", &m.explanation, 9, w));
    lines
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let panes = panes(app, area);
    let (list_area, details_area) = (panes[0].1, panes[1].1);
    let flow = &app.report.mail_flow;
    let block = pane(app, "Messages from on-premises", app.focus == Focus::Main);
    let inner = block.inner(list_area);
    let visible = usize::from(inner.height.saturating_sub(1));
    let first = window(app.message_row, flow.len(), visible);
    let constraints = [
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(17),
    ];
    let name_width = usize::from(
        Layout::horizontal(constraints)
            .spacing(1)
            .split(Rect::new(0, 0, inner.width, 1))[1]
            .width,
    );
    let rows: Vec<Row> = flow
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, m)| {
            let (mark, style) = match m.outcome {
                Outcome::Relayed => ("✓ relayed", app.theme.ok),
                Outcome::Delivered => ("✓ delivered", app.theme.ok),
                Outcome::Rejected => ("✗ rejected", app.theme.error),
            };
            let path = m.decided_by_label();
            let row_style = if i == app.message_row {
                app.theme.selected
            } else {
                app.theme.text
            };
            Row::new(vec![
                Cell::from(Span::styled(mark, style)),
                Cell::from(fit(&m.name, name_width)),
                Cell::from(path),
            ])
            .style(row_style)
        })
        .collect();
    let below = flow.len().saturating_sub(first + visible);
    let table = Table::new(rows, constraints)
        .header(Row::new(vec!["Outcome", "Message", "Decided by"]).style(app.theme.dim))
        .block(marks(app, block, first, below));
    frame.render_widget(table, list_area);

    let width = usize::from(details_area.width.saturating_sub(2));
    scroll_pane(
        app,
        frame,
        details_area,
        pane(
            app,
            "What Exchange Online does",
            app.focus == Focus::Details,
        ),
        details_lines(app, width),
        usize::from(app.details_scroll),
    );
}
